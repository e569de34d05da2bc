# SPDX-License-Identifier: Apache-2.0
"""Slow file work (export, backup, restore) in the background, with progress and Cancel (GUI layer).

``run_with_progress(parent, title, work, done)``: ``work(progress)`` runs in a
worker thread with a progress callback (``gui.progress.ProgressRelay``), a
small non-modal progress window lets the user keep working or cancel, and
``done(result)`` runs back on the GUI thread. Failures are shown as a plain
message with "Copy technical details".
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from cpaudit.gui.dialogs.error_dialog import technical_details
from cpaudit.gui.progress import Cancelled, ProgressRelay
from cpaudit.gui.tasks import Task, run_task
from cpaudit.i18n import _

Progress = Callable[..., None]


def run_with_progress(parent: QWidget, title: str, work: Callable[[Progress], Any], done: Callable[[Any], None],
                      failed: Callable[[BaseException], None] | None = None) -> Task:
    relay = ProgressRelay(parent)
    dialog = QProgressDialog(title, _("Cancel"), 0, 1000, parent)
    dialog.setObjectName("background_progress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.NonModal)  # the audit stays editable meanwhile
    dialog.setMinimumDuration(400)  # quick work finishes before anything flashes up
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    progress = relay.callback()

    def finish() -> None:
        dialog.reset()
        dialog.close()
        dialog.deleteLater()
        relay.deleteLater()

    def on_done(result: Any) -> None:
        finish()
        done(result)

    def on_failed(exc: BaseException) -> None:
        finish()
        if isinstance(exc, Cancelled):
            return
        (failed or (lambda e: show_failure(parent, e)))(exc)

    # connect signals
    relay.changed.connect(lambda value, _text: dialog.setValue(int(value * 1000)), Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(relay.cancel)
    task = run_task(parent, lambda: work(progress)).success(on_done).failure(on_failed)
    parent.setProperty("background_dialog", dialog)  # tests look at it
    return task.start()


def os_message(exc: OSError) -> str:
    """A file the system refused, in words, named as the user chose it: "[Errno 2] No such file or
    directory: '…/x.zip.partial'" was English and named a temporary file the user never saw."""
    from cpaudit.store.errors import os_reason

    name = str(exc.filename or "")
    for temporary in (".partial", ".tmp"):
        name = name.removesuffix(temporary)
    if not name:
        return _("The operating system refused it: {reason}").format(reason=os_reason(exc))
    return _("cannot use {path}: {reason}").format(path=name, reason=os_reason(exc))


def show_failure(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """A known failure's own translated message (``exc.message``), or the general one."""
    details = technical_details(type(exc), exc, exc.__traceback__)
    message = getattr(exc, "message", None) or (os_message(exc) if isinstance(exc, OSError) else None)
    box = QMessageBox(QMessageBox.Icon.Warning, _("That did not work"),
                      message or _("The last action could not be completed."), QMessageBox.StandardButton.Close, parent)
    box.setObjectName("failure_box")
    box.setInformativeText(_("Everything you entered up to now is saved."))
    copy = box.addButton(_("Copy technical details"), QMessageBox.ButtonRole.ActionRole)
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.open()
    traceback.print_exception(type(exc), exc, exc.__traceback__)
    return box
