# SPDX-License-Identifier: Apache-2.0
"""The last pages of the signing ceremony: certification, passphrase and writing, result (§3.8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import qtawesome
from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QProgressBar, QPushButton,
    QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from cpaudit.gui.progress import Cancelled
from cpaudit.gui.step_state import COLOURS
from cpaudit.gui.tasks import run_task
from cpaudit.i18n import _
from cpaudit.workflow.validate import COMPLETE, ERRORS, WARNINGS


def default_output(db_path: Path, audit_id: str, stage: str) -> Path:
    """``<USCC>_<round>_<stage>_r<revision>.cpaudit`` in the user's documents folder."""
    from cpaudit.bundle.export import submitted
    from cpaudit.workspace import Workspace

    with Workspace(db_path) as ws:
        doc = ws.document(audit_id)
    chain = [m for m in submitted(db_path, audit_id) if m.stage == stage]
    revision = chain[-1].revision + 1 if chain else 1
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    uscc = doc.get("enterprise", "uscc") or "audit"
    return Path(folder) / f"{uscc}_{doc.meta.round}_{stage}_r{revision}.cpaudit"


def mono(size_delta: float = 0.0) -> QFont:
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(max(QFont().pointSizeF() + size_delta, 8.0))
    return font




def value_label(parent: QWidget, object_name: str) -> QLabel:
    """A wrapped, mouse-selectable value (a path, a fingerprint) users copy from."""
    value = QLabel(parent)
    value.setObjectName(object_name)
    value.setWordWrap(True)
    value.setTextInteractionFlags(value.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
    return value


class CertificationPage(QWizardPage):
    def __init__(self, wizard: Any):
        super().__init__(wizard)
        self.setObjectName("certification_page")
        self.ceremony = wizard
        self.signer_label = QLabel(self)
        self.signer_label.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("certification_text")
        self.text.setReadOnly(True)
        self.accept_box = QCheckBox(self)
        self.accept_box.setObjectName("certification_accept")
        layout = QVBoxLayout(self)
        layout.addWidget(self.signer_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.accept_box)
        self.accept_box.toggled.connect(lambda _checked: self.completeChanged.emit())

    def initializePage(self) -> None:
        from cpaudit.bundle.format import certification_block
        from cpaudit.gui.dialogs.signing_wizard import signing_key_info

        lang = self.ceremony.preflight.report_language()
        self.text.setPlainText(certification_block(lang, True)["text"])  # legal text: never from a catalog
        info = signing_key_info(self.ceremony.demo, self.ceremony.key_folder)
        self.signer_label.setText(_("Signer: {name} ({title}) for {enterprise} ({uscc})").format(
            name=info.signer.get("name"), title=info.signer.get("title") or "—", enterprise=info.enterprise.get("name"),
            uscc=info.enterprise.get("uscc")))
        self.setTitle(_("3 · Certification statement"))
        self.setSubTitle(_("This statement is signed together with the file. It is shown in the report language."))
        self.accept_box.setText(_("I have read this statement and accept it."))

    def isComplete(self) -> bool:
        return self.accept_box.isChecked()


class SignPage(QWizardPage):
    def __init__(self, wizard: Any):
        super().__init__(wizard)
        self.setObjectName("sign_page")
        self.ceremony = wizard
        self.task: Any = None
        self.done = False
        self.out_path: Path | None = None
        self.verify_result: Any = None
        self.setCommitPage(True)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("sign_output")
        self.browse_button = QPushButton(qtawesome.icon("fa6s.folder-open"), "", self)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("sign_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.path_label, self.pass_label = QLabel(self), QLabel(self)
        self.form.addRow(self.path_label, path_row)
        self.form.addRow(self.pass_label, self.passphrase)
        self.message = QLabel(self)
        self.message.setObjectName("sign_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {COLOURS[ERRORS]}; font-weight: 600;")
        self.confirm_label = QLabel(self)
        self.confirm_label.setObjectName("sign_confirm")
        self.confirm_label.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.browse_button.clicked.connect(self._browse)
        self.path_edit.textChanged.connect(self._confirm)
        self.passphrase.textChanged.connect(lambda _t: self.completeChanged.emit())

    def initializePage(self) -> None:
        self.setTitle(_("4 · Sign with your key"))
        self.setSubTitle(_("Your passphrase unlocks the signing key for this one signature; it is not stored."))
        self.path_label.setText(_("File:"))
        self.pass_label.setText(_("Passphrase:"))
        self.browse_button.setText(_("Browse…"))
        if not self.path_edit.text():
            stage = self.ceremony.preflight.stage()
            self.path_edit.setText(str(default_output(self.ceremony.db_path, self.ceremony.audit_id, stage)))
        demo = self.ceremony.demo
        self.passphrase.setVisible(not demo)
        self.pass_label.setVisible(not demo)
        if demo:
            self.message.setText(_("Training audit: signed with the public DEMO key; no passphrase is needed."))
            self.message.setStyleSheet(f"color: {COLOURS[WARNINGS]};")
        else:
            self.message.clear()
        self.progress.hide()
        self.status.clear()
        self._confirm()
        self.passphrase.setFocus()

    def _confirm(self) -> None:
        self.confirm_label.setText(_("When you click “Sign and write the file”, the signed submission is written to:\n{path}").format(
            path=self.path_edit.text()))
        self.completeChanged.emit()

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the signed submission"), self.path_edit.text(),
                                                    _("Submission files (*.cpaudit)"))
        if path:
            self.path_edit.setText(path if path.endswith(".cpaudit") else path + ".cpaudit")

    def isComplete(self) -> bool:
        return self.task is None and (self.ceremony.demo or bool(self.passphrase.text())) and bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        if self.done:
            return True
        self.start()
        return False  # the worker moves the wizard on when the file is written and verified

    def start(self) -> None:
        out = Path(self.path_edit.text().strip()).expanduser()
        if not out.parent.is_dir():
            self.message.setText(_("The folder {folder} does not exist.").format(folder=out.parent))
            return
        review = self.ceremony.review
        stage, lang = review.options
        db_path, audit_id, key_folder = self.ceremony.db_path, self.ceremony.audit_id, self.ceremony.key_folder
        passphrase, pdf, digest = self.passphrase.text(), review.pdf, review.digest
        relay = self.ceremony.relay
        relay.reset()
        progress = relay.callback(cancellable_until=0.9)
        from cpaudit.gui.dialogs.signing_wizard import sign_submission

        self.message.clear()
        self.progress.setValue(0)
        self.progress.show()
        for w in (self.passphrase, self.path_edit, self.browse_button):
            w.setEnabled(False)
        self.task = run_task(self, lambda: sign_submission(db_path, audit_id, stage, out, passphrase, lang, pdf, digest,
                                                           key_folder, progress))
        self.task.success(self._written).failure(self._failed).start()
        self.completeChanged.emit()
        # No way back while the file is written: going back left the signer on a disabled page with
        # the file written and no result, and signing again made a second revision.
        self.ceremony.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.status.setText(text)

    def _written(self, result: tuple[Path, Any]) -> None:
        self.task = None
        self.out_path, self.verify_result = result
        self.done = True
        self.passphrase.clear()
        self.ceremony.signed.emit()
        if self.ceremony._close_when_done:  # the file is written: closing now loses nothing
            self.ceremony.task_finished()
            return
        self.ceremony.next()

    def _failed(self, exc: BaseException) -> None:
        from cpaudit.bundle.export import ExportRefused
        from cpaudit.bundle.keys import KeyStoreError, WrongPassphrase

        self.task = None
        self.progress.hide()
        self.status.clear()
        for w in (self.passphrase, self.path_edit, self.browse_button):
            w.setEnabled(True)
        if isinstance(exc, WrongPassphrase):
            text = _("The passphrase is wrong. Type it again: it is the one chosen when the signing key was created.")
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        elif isinstance(exc, Cancelled):
            text = _("Cancelled: no file was written.")
        elif isinstance(exc, (ExportRefused, KeyStoreError)):
            text = exc.message
        else:
            text = _("The file could not be written: {error}").format(error=exc)
            self.ceremony.show_error(exc)
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {COLOURS[ERRORS]}; font-weight: 600;")
        self.ceremony.sign_failed.emit(text)
        self.completeChanged.emit()
        self.ceremony.task_finished()


class ResultPage(QWizardPage):
    def __init__(self, wizard: Any):
        super().__init__(wizard)
        self.setObjectName("result_page")
        self.ceremony = wizard
        self.headline = QLabel(self)
        self.headline.setObjectName("result_headline")
        self.headline.setWordWrap(True)
        self.form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key in ("file", "fingerprint", "key_id", "submission", "verification"):
            self.fields[key] = value = value_label(self, f"result_{key}")
            self.form.addRow(QLabel(self), value)
        self.fields["fingerprint"].setFont(mono(2))
        self.open_button = QPushButton(qtawesome.icon("fa6s.folder-open"), "", self)
        self.copy_button = QPushButton(qtawesome.icon("fa6s.copy"), "", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.open_button.clicked.connect(self._open_folder)
        self.copy_button.clicked.connect(self._copy)

    def initializePage(self) -> None:
        from cpaudit.bundle.format import fingerprint_of, format_fingerprint

        page = self.ceremony.sign_page
        result, path = page.verify_result, page.out_path
        valid = bool(result is not None and result.valid)
        m = result.manifest if result is not None else None
        self.setTitle(_("5 · Done"))
        self.setSubTitle("")
        colour = COLOURS[COMPLETE] if valid else COLOURS[ERRORS]
        self.headline.setText(_("Signed, written and verified again from disk.") if valid
                              else _("The file was written but does not verify: do not send it."))
        self.headline.setStyleSheet(f"color: {colour}; font-size: 13pt; font-weight: 600;")
        labels = {"file": _("File:"), "fingerprint": _("Key fingerprint:"), "key_id": _("Key id:"),
                  "submission": _("Submission:"), "verification": _("Verification:")}
        for row, key in enumerate(self.fields):
            self.form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().setText(labels[key])
        self.fields["file"].setText(str(path))
        self.fields["fingerprint"].setText(format_fingerprint(fingerprint_of(m.public_key)) if m else "—")
        self.fields["key_id"].setText(m.key_id if m else "—")
        from cpaudit.gui.dialogs.report_dialog import STAGES

        stage = _(dict(STAGES).get(m.stage, m.stage)) if m else ""
        self.fields["submission"].setText(_("{stage}, revision {revision}, id {id}").format(
            stage=stage, revision=m.revision, id=m.submission_id) if m else "—")
        reason = result.reason.message if result is not None and result.reason else ""
        self.fields["verification"].setText(_("valid: signature, every hash, the data and the recomputed figures check out")
                                            if valid else reason)
        self.open_button.setText(_("Open the folder"))
        self.copy_button.setText(_("Copy the path"))

    def _open_folder(self) -> None:
        path = self.ceremony.sign_page.out_path
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(str(self.ceremony.sign_page.out_path or ""))
