# SPDX-License-Identifier: Apache-2.0
"""Issue the signed answer file for a reviewed submission (GUI layer).

The bureau key lives in its own folder (default: ``bureau-key`` in the user
data folder, the CLI's default too). When it is missing the dialog first
creates it (bureau name, code, a new passphrase); then it unlocks it with
the passphrase and signs, both in the background (scrypt is slow), with the
worker's own workspace connection. The written path is shown at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from cpaudit import paths
from cpaudit.gui.dialogs.key_dialogs import PassphrasePair
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.gui.step_state import COLOURS
from cpaudit.gui.tasks import Task, run_task
from cpaudit.i18n import _
from cpaudit.review import snapshot
from cpaudit.workflow.validate import COMPLETE, ERRORS
from cpaudit.workspace import Workspace


def default_key_folder() -> Path:
    return paths.user_data_dir() / "bureau-key"


def default_answer_path(ws: Workspace, submission_id: str) -> Path:
    s = snapshot.get_submission(ws, submission_id)
    safe = "".join(ch for ch in s.enterprise_name if ch.isalnum()) or s.uscc
    return ws.path.parent / "answers" / f"{safe}_{s.stage}_r{s.round}_v{s.revision}_answer.json"


def answer_job(db_path: Path, submission_id: str, folder: Path, passphrase: str, out: Path,
               create: dict[str, str] | None = None) -> Path:
    """Worker: create the bureau key when asked, unlock it, sign and write the answer."""
    from cpaudit.bundle.keys import unlock
    from cpaudit.review.answer import init_bureau_key, issue_answer

    if create is not None:
        init_bureau_key(passphrase, bureau_name=create["name"], code=create["code"], folder=folder)
    key = unlock(passphrase, folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    ws = Workspace(db_path)
    try:
        issue_answer(ws, submission_id, key, out)
    finally:
        ws.close()
    return out


class AnswerDialog(QDialog):
    def __init__(self, ws: Workspace, submission_id: str, parent: QWidget | None = None, *, key_folder: Path | None = None):
        from cpaudit.bundle import keys

        super().__init__(parent)
        self.setObjectName("answer_dialog")
        self.ws, self.submission_id = ws, submission_id
        self.folder = Path(key_folder) if key_folder else default_key_folder()
        self.creating = not keys.has_key(self.folder)
        self.task: Task | None = None
        self.written: Path | None = None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        form = QFormLayout()
        self.name_edit, self.code_edit = QLineEdit(self), QLineEdit(self)
        self.name_edit.setObjectName("bureau_name")
        self.code_edit.setObjectName("bureau_code")
        self.pair = PassphrasePair(self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("bureau_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_label, self.code_label, self.pass_label, self.out_label = QLabel(self), QLabel(self), QLabel(self), QLabel(self)
        if self.creating:
            form.addRow(self.name_label, self.name_edit)
            form.addRow(self.code_label, self.code_edit)
            self.pair.add_to(form)
            self.passphrase.hide()
            self.pass_label.hide()
        else:
            form.addRow(self.pass_label, self.passphrase)
        self.out_edit = QLineEdit(str(default_answer_path(ws, submission_id)), self)
        self.out_edit.setObjectName("answer_path")
        self.browse = QPushButton(self)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(self.browse)
        form.addRow(self.out_label, out_row)
        self.message = QLabel(self)
        self.message.setObjectName("answer_message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 640, 360 if self.creating else 240)
        self.retranslate()
        # connect signals
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.browse.clicked.connect(self._browse)
        for edit in (self.name_edit, self.code_edit, self.passphrase, self.out_edit):
            edit.textChanged.connect(lambda _t: self._update())
        self.pair.changed.connect(self._update)
        self._update()

    def _secret(self) -> str | None:
        return self.pair.value() if self.creating else (self.passphrase.text() or None)

    def _update(self) -> None:
        ready = self._secret() is not None and bool(self.out_edit.text().strip())
        if self.creating:
            ready = ready and bool(self.name_edit.text().strip() and self.code_edit.text().strip())
        self.ok.setEnabled(ready and self.task is None and self.written is None)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Answer file"), self.out_edit.text(), _("Answer files (*.json)"))
        if chosen:
            self.out_edit.setText(chosen)

    def start(self) -> None:
        if self.written is not None:
            self.accept()
            return
        secret = self._secret()
        if secret is None:
            return
        create = {"name": self.name_edit.text(), "code": self.code_edit.text()} if self.creating else None
        out = Path(self.out_edit.text().strip())
        self.message.setText(_("Creating the bureau key and signing…") if self.creating else _("Signing…"))
        self.message.setStyleSheet("")
        db_path, sid, folder = self.ws.path, self.submission_id, self.folder
        self.task = run_task(self, lambda: answer_job(db_path, sid, folder, secret, out, create))
        self.task.success(self._done).failure(self._failed).start()
        self._update()

    def _done(self, path: Path) -> None:
        self.task = None
        self.written = path
        self.creating = False
        self.message.setText(_("The answer file was written: {path}\nSend it to the enterprise; its cpaudit shows the result "
                               "and your comments on the fields.").format(path=path))
        self.message.setStyleSheet(f"color: {COLOURS[COMPLETE]};")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.disconnect()
        self.buttons.rejected.connect(self.accept)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.message.setText(getattr(exc, "message", None) or str(exc))
        self.message.setStyleSheet(f"color: {COLOURS[ERRORS]};")
        self._update()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Issue the answer file"))
        self.intro.setText(
            _("No bureau key was found in {folder}. Create it now: the answer files are signed with it, and enterprises "
              "trust it through the bureau's trust file.").format(folder=self.folder) if self.creating else
            _("The answer carries the receipt time, the hash of the reviewed file, the decision, the scores and the "
              "comments, signed with the bureau key."))
        self.name_label.setText(_("Bureau name:"))
        self.code_label.setText(_("Bureau code (USCC):"))
        self.pass_label.setText(_("Bureau key passphrase:"))
        self.out_label.setText(_("Answer file:"))
        self.browse.setText(_("Browse…"))
