# SPDX-License-Identifier: Apache-2.0
"""The signing ceremony (issue 6; design notes §3.8): a wizard that ends in a verified file.

1 pre-flight → 2 review the report page by page → 3 read and accept the
certification statement → 4 passphrase, and the path the file goes to →
the file is written in the background and verified again from disk → 5 the
result with path and fingerprint. A wrong passphrase keeps the signer on
step 4 with a plain message. The signed PDF is byte for byte the reviewed
one: the export is handed the reviewed report instead of rendering anew, and
refuses when the audit data changed after the review.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from cpaudit.gui.dialogs.signing_pages import PreflightPage, ReviewPage
from cpaudit.gui.dialogs.signing_steps import CertificationPage, ResultPage, SignPage
from cpaudit.gui.progress import ProgressRelay
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.i18n import _

GoTo = Callable[[str, "str | None", "str | None"], None]


def signing_key_info(demo: bool, key_folder: Path | None) -> Any:
    """The public half of the key the file will be signed with (the demo key for a sandbox audit)."""
    from cpaudit.bundle import keys
    from cpaudit.bundle.demo_key import demo_key

    return demo_key().info if demo else keys.load_info(key_folder)


def sign_submission(db_path: Path, audit_id: str, stage: str, out: Path, passphrase: str, lang: str, reviewed_pdf: bytes,
                    reviewed_digest: str, key_folder: Path | None, progress: Callable[..., None]) -> tuple[Path, Any]:
    """Worker: sign and write the file with the reviewed report, then verify it again from disk."""
    from cpaudit.bundle.export import ExportRefused, data_digest, export_submission
    from cpaudit.bundle.trust import KeyEntry, Trust
    from cpaudit.bundle.verify import verify_file
    from cpaudit.workspace import Workspace

    with Workspace(db_path) as ws:
        doc = ws.document(audit_id)
        if data_digest(doc) != reviewed_digest:
            raise ExportRefused(_("The audit changed after the report was reviewed: go back and review it again."))
        path = export_submission(ws, audit_id, stage, out, passphrase, certification_accepted=True, lang=lang,
                                 key_folder=key_folder, render=lambda *a, **k: reviewed_pdf, progress=progress)
        demo = ws.meta(audit_id).kind == "demo"  # type: ignore[union-attr]
    info = signing_key_info(demo, key_folder)
    own = Trust(accept_demo=demo)  # a sandbox checks its own demo file
    own.add_key(KeyEntry(info.key_id, "trusted", info.public_key, doc.get("enterprise", "uscc"), info.signer["name"], "own-key"))
    return path, verify_file(path, own)


class SigningWizard(QWizard):
    review_ready = Signal()
    signed = Signal()
    sign_failed = Signal(str)

    def __init__(self, db_path: Path, audit_id: str, parent: QWidget | None = None, *, go_to: GoTo | None = None,
                 key_folder: Path | None = None):
        super().__init__(parent)
        self.setObjectName("signing_wizard")
        self.db_path, self.audit_id, self.key_folder = Path(db_path), audit_id, key_folder
        self._go_to = go_to
        from cpaudit.workspace import Workspace

        with Workspace(self.db_path) as ws:
            meta = ws.meta(audit_id)
        self.demo = meta is not None and meta.kind == "demo"
        self._close_when_done = False
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.relay = ProgressRelay(self)
        self.preflight = PreflightPage(self)
        self.review = ReviewPage(self)
        self.certification = CertificationPage(self)
        self.sign_page = SignPage(self)
        self.result_page = ResultPage(self)
        for page in (self.preflight, self.review, self.certification, self.sign_page, self.result_page):
            self.addPage(page)
        self.relay.changed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        fit_to_screen(self, 980, 860)
        self.setWindowTitle(_("Sign and submit"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Sign and write the file"))

    # -- shared by the pages --------------------------------------------------------------------------
    def _on_progress(self, fraction: float, text: str) -> None:
        page = self.currentPage()
        if hasattr(page, "on_progress"):
            page.on_progress(fraction, text)

    def running(self) -> bool:
        return self.review.task is not None or self.sign_page.task is not None

    def task_finished(self) -> None:
        if self._close_when_done and not self.running():
            super().reject()

    def go_to_issue(self, step: str, field: str | None, row: str | None) -> None:
        """Close the ceremony and show the field that blocks signing."""
        self.reject()
        if self._go_to is not None:
            self._go_to(step, field, row)

    def manage_key(self) -> None:
        from cpaudit.gui.dialogs.key_dialogs import KeyDialog
        from cpaudit.workspace import Workspace

        with Workspace(self.db_path) as ws:
            doc = ws.document(self.audit_id)
        dialog = KeyDialog(self, document=doc, key_folder=self.key_folder)
        dialog.exec()
        dialog.deleteLater()

    def show_error(self, exc: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Sign and submit"), getattr(exc, "message", str(exc)), parent=self)
        box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        box.exec()

    def reject(self) -> None:
        if self.running():  # the worker reports to these pages: stop it, close when it has
            self._close_when_done = True
            self.relay.cancel()
            return
        super().reject()
