# SPDX-License-Identifier: Apache-2.0
"""Unexpected errors: a plain translated message, never a traceback (GUI layer).

The technical details (the traceback) are one click away for the support
person: "Copy technical details" puts them on the clipboard.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType
from typing import Callable

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cpaudit import __version__
from cpaudit.i18n import _


def technical_details(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    lines = traceback.format_exception(exc_type, exc, tb)
    return f"cpaudit {__version__}, Python {sys.version.split()[0]}\n" + "".join(lines)


def error_box(details: str, parent: QWidget | None = None, message: str | None = None) -> QMessageBox:
    """``message``: what a known failure (a full disk …) says itself; else the general text."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Something went wrong"))
    # QMessageBox sizes itself to its text; wrapped Chinese would otherwise make a narrow column.
    box.setStyleSheet("QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 380px; }")
    box.setText(message or _("The last action could not be completed."))
    box.setInformativeText(_("Everything you entered before it is saved.") if message else _(
        "Everything you entered up to now is saved. If this happens again, copy the technical details and send them to your support contact."))
    copy = box.addButton(_("Copy technical details"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    # An ActionRole button would close the box; disconnecting keeps it open after copying.
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    copy.setObjectName("copy_details_button")
    return box


def install_excepthook(parent: Callable[[], QWidget | None]) -> None:
    """Route uncaught exceptions (also those raised in Qt slots) to ``error_box``."""
    showing = []

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        details = technical_details(exc_type, exc, tb)
        sys.stderr.write(details)
        if showing or QApplication.instance() is None:
            return  # an error inside the error box must not stack boxes forever
        showing.append(True)
        try:
            known = getattr(exc, "message", None)
            error_box(details, parent(), known if isinstance(known, str) else None).exec()
        finally:
            showing.clear()

    sys.excepthook = hook
