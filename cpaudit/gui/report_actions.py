# SPDX-License-Identifier: Apache-2.0
"""File-menu actions for the report, the signing ceremony, the signing key and verification.

``install_report_actions(window)`` is the main window's one hook: it adds the
actions to the File menu, keeps their texts in the UI language and their
enabled state in step with the open audit, and registers the figure pages
(``custom:`` steps). The dialogs get plain data (workspace path, audit id)
plus a navigation callback; they never reach into the window otherwise.
"""

from __future__ import annotations

import re
from typing import Any

import qtawesome
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QPushButton, QWidget

from cpaudit.gui.pages import figure_pages  # noqa: F401  (registers the custom: figure pages)
from cpaudit.i18n import N_, _

ACTIONS = (
    ("action_report", N_("Preview and generate the &report…"), "fa6s.file-pdf", "Ctrl+P"),
    ("action_sign", N_("&Sign and submit…"), "fa6s.file-signature", None),
    ("action_verify", N_("&Verify submission…"), "fa6s.shield-halved", None),
    ("action_signing_key", N_("Signing &key…"), "fa6s.key", None),
)
SIGNING_ROLES = ("enterprise", "trainer")
# The steps whose work ends in the report: their pages lead on to it, not only the File menu.
REPORT_STEPS = ("midterm_report", "final_report")


def button_text(name: str) -> str:
    """The File menu's name of action ``name`` for a button: one name in both places, without the access key
    ("预览并生成报告(&R)…" → "预览并生成报告…")."""
    text = _(next(t for n, t, _icon, _key in ACTIONS if n == name))
    return re.sub(r"\(&\w\)|&(?=\w)", "", text)


class ReportLinks(QWidget):
    """"Preview and generate the report…" and "Sign and submit…" below a report step's fields:
    the File menu's actions under their names, following their enabled and visible state."""

    def __init__(self, actions: dict[str, QAction], window: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("report_links")
        self.report_action, self.sign_action = actions["action_report"], actions["action_sign"]
        self.report_button = QPushButton(qtawesome.icon("fa6s.file-pdf"), "", self)
        self.report_button.setObjectName("report_link")
        self.sign_button = QPushButton(qtawesome.icon("fa6s.file-signature"), "", self)
        self.sign_button.setObjectName("sign_link")
        self.report_button.clicked.connect(self.report_action.trigger)
        self.sign_button.clicked.connect(self.sign_action.trigger)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(self.report_button)
        layout.addWidget(self.sign_button)
        layout.addStretch(1)
        for action in (self.report_action, self.sign_action):
            action.changed.connect(self.follow_actions)
        window.language_changed.connect(self.retranslate)
        self.retranslate()

    def follow_actions(self) -> None:
        for button, action in ((self.report_button, self.report_action), (self.sign_button, self.sign_action)):
            button.setEnabled(action.isEnabled())
            button.setVisible(action.isVisible())

    def retranslate(self) -> None:
        self.report_button.setText(button_text("action_report"))
        self.sign_button.setText(button_text("action_sign"))
        self.follow_actions()


class ReportActions:
    def __init__(self, window: Any):
        self.window = window
        self.actions: dict[str, QAction] = {}
        menu = window.ui.menu_file
        before = window.ui.action_quit
        for name, _text, icon, shortcut in ACTIONS:
            action = QAction(qtawesome.icon(icon), "", window)
            action.setObjectName(name)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            self.actions[name] = action
            if name == "action_verify":
                menu.insertSeparator(before)
            menu.insertAction(before, action)
        menu.insertSeparator(before)
        # connect signals
        self.actions["action_report"].triggered.connect(self.report)
        self.actions["action_sign"].triggered.connect(self.sign)
        self.actions["action_verify"].triggered.connect(self.verify)
        self.actions["action_signing_key"].triggered.connect(self.signing_key)
        menu.aboutToShow.connect(self.update_state)
        window.audit_opened.connect(self.update_state)  # Ctrl+P works without the menu opened first
        window.page_shown.connect(self._add_links)
        for lang_action in (window.ui.action_lang_zh_cn, window.ui.action_lang_en):
            lang_action.triggered.connect(self.retranslate)  # after the window switched the language
        self.retranslate()

    # -- state -----------------------------------------------------------------------------
    def _audit(self) -> tuple[Any, str] | None:
        session = self.window.session
        return (self.window.workspace.path, session.audit_id) if session is not None else None

    def update_state(self) -> None:
        has_audit = self.window.session is not None
        self.actions["action_report"].setEnabled(has_audit)
        self.actions["action_sign"].setEnabled(has_audit and self.window.role in SIGNING_ROLES)
        self.actions["action_signing_key"].setVisible(self.window.role in SIGNING_ROLES)

    def _add_links(self, page: Any) -> None:
        if page.step.id in REPORT_STEPS and hasattr(page, "add_footer") and page.findChild(ReportLinks) is None:
            self.update_state()
            page.add_footer(ReportLinks(self.actions, self.window, page))

    def retranslate(self) -> None:
        for name, text, _icon, _shortcut in ACTIONS:
            self.actions[name].setText(_(text))
        self.update_state()

    def _flush(self) -> None:
        page = self.window.current_page()
        if page is not None:
            page.flush()  # what was typed is committed before the worker reads the database

    # -- actions ------------------------------------------------------------------------------
    def report(self) -> None:
        from cpaudit.figures import compute_figures
        from cpaudit.gui.dialogs.report_dialog import ReportDialog

        if self._audit() is None:
            return
        self._flush()
        session = self.window.session
        gates = compute_figures(session.document, session.workflow).get("gates") or {}
        dialog = ReportDialog(self.window.workspace.path, session.audit_id, session.document.meta.title, self.window, gates)
        dialog.exec()
        dialog.deleteLater()

    def sign(self) -> None:
        from cpaudit.gui.dialogs.signing_wizard import SigningWizard

        if self._audit() is None:
            return
        self._flush()
        session = self.window.session
        wizard = SigningWizard(self.window.workspace.path, session.audit_id, self.window, go_to=self.window.go_to_step)
        wizard.exec()
        wizard.deleteLater()

    def verify(self) -> None:
        from cpaudit.gui.dialogs.verify_dialog import VerifyDialog
        from cpaudit.review.inspector import is_training

        # In the training sandbox its own demo files are what there is to verify.
        dialog = VerifyDialog(self.window, accept_demo=is_training(self.window.workspace))
        dialog.exec()
        dialog.deleteLater()

    def signing_key(self) -> None:
        from cpaudit.gui.dialogs.key_dialogs import KeyDialog

        session = self.window.session
        dialog = KeyDialog(self.window, document=session.document if session is not None else None)
        dialog.exec()
        dialog.deleteLater()


def install_report_actions(window: QMainWindow) -> ReportActions:
    """Add File ▸ Report…, Sign and submit…, Verify submission…, Signing key… to ``window``."""
    actions = ReportActions(window)
    window.report_actions = actions  # type: ignore[attr-defined]
    return actions
