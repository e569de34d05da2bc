# SPDX-License-Identifier: Apache-2.0
"""The signing key: create it, see its fingerprint, change the passphrase, back it up, register it.

The private key never leaves the encrypted key file (``bundle.keys``); these
dialogs only collect names and passphrases and run the slow scrypt work in
the background. The backup warning is the core's own plain sentence: a lost
passphrase means a new key and a new registration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import qtawesome
from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from cpaudit import formatting
from cpaudit.gui.dialogs.signing_steps import mono, value_label
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.bundle.format import format_fingerprint
from cpaudit.formatting import signer_text
from cpaudit.gui.dialogs.signing_steps import mono, value_label
from cpaudit.gui.step_state import COLOURS
from cpaudit.gui.tasks import Task, run_task
from cpaudit.i18n import N_, _
from cpaudit.workflow.validate import COMPLETE, ERRORS, INCOMPLETE, WARNINGS

STRENGTH = {0: (N_("too short (at least 8 characters)"), ERRORS), 1: (N_("weak (use a longer phrase)"), WARNINGS),
            2: (N_("fair"), INCOMPLETE), 3: (N_("strong"), COMPLETE)}


def passphrase_strength(text: str) -> int:
    """0 too short … 3 strong: length counts most, a mix of character kinds a little."""
    from cpaudit.bundle.keys import MIN_PASSPHRASE

    if len(text) < MIN_PASSPHRASE:
        return 0
    kinds = sum(any(test(c) for c in text) for test in (str.islower, str.isupper, str.isdigit,
                                                          lambda c: not c.isalnum(), lambda c: ord(c) > 0x2E80))
    score = len(text) + 3 * kinds
    return 3 if score >= 22 else 2 if score >= 15 else 1


def _documents() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())


class PassphrasePair(QWidget):
    """New passphrase twice, with a strength hint; ``value()`` is None until both agree and are long enough."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.first, self.second = QLineEdit(self), QLineEdit(self)
        self.first.setObjectName("new_passphrase")
        self.second.setObjectName("new_passphrase_again")
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._update)
        self.hint = QLabel(self)
        self.hint.setObjectName("passphrase_hint")
        self.hint.setWordWrap(True)
        self.first_label, self.second_label = QLabel(self), QLabel(self)
        self.hide()  # only a holder: its rows go into the dialog's own form (one label column)
        self.retranslate()

    def add_to(self, form: QFormLayout) -> None:
        form.addRow(self.first_label, self.first)
        form.addRow(self.second_label, self.second)
        form.addRow("", self.hint)

    def value(self) -> str | None:
        text = self.first.text()
        return text if passphrase_strength(text) > 0 and text == self.second.text() else None

    def _update(self) -> None:
        text = self.first.text()
        message, state = STRENGTH[passphrase_strength(text)]
        hint = _("Strength: {verdict}").format(verdict=_(message)) if text else _("At least 8 characters; a short sentence is easy to remember and hard to guess.")
        if self.second.text() and text != self.second.text():
            hint += " · " + _("the two entries differ")
            state = ERRORS
        self.hint.setText(hint)
        self.hint.setStyleSheet(f"color: {COLOURS[state]};" if text else "")
        self.changed.emit()

    def retranslate(self) -> None:
        self.first_label.setText(_("New passphrase:"))
        self.second_label.setText(_("Repeat it:"))
        self._update()


class KeyDialog(QDialog):
    key_created = Signal()
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, document: Any = None, key_folder: Path | None = None):
        super().__init__(parent)
        self.setObjectName("key_dialog")
        self.key_folder = key_folder
        self.task: Task | None = None
        self.stack = QStackedWidget(self)
        self._build_create(document)
        self._build_info()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Signing key"))
        fit_to_screen(self, 720, 520)
        self.refresh()

    # -- creating ----------------------------------------------------------------------------
    def _build_create(self, document: Any) -> None:
        page = QWidget(self)
        self.intro = QLabel(_("Submissions are signed with a key that is made on this computer and protected by a "
                              "passphrase only the signer knows. Fill in who signs, then choose the passphrase."), page)
        self.intro.setWordWrap(True)
        get = (lambda step, field: (document.get(step, field) or "")) if document is not None else (lambda s, f: "")
        self.enterprise_edit = QLineEdit(str(get("enterprise", "name")), page)
        self.uscc_edit = QLineEdit(str(get("enterprise", "uscc")), page)
        self.signer_edit = QLineEdit(str(get("enterprise", "legal_representative")), page)
        self.title_edit = QLineEdit("法定代表人", page)  # data for the bureau, written in Chinese
        for name, edit in (("key_enterprise", self.enterprise_edit), ("key_uscc", self.uscc_edit),
                           ("key_signer", self.signer_edit), ("key_title", self.title_edit)):
            edit.setObjectName(name)
            edit.textChanged.connect(self._update_create)
        self.pair = PassphrasePair(page)
        self.pair.changed.connect(self._update_create)
        form = QFormLayout()
        form.addRow(_("Enterprise:"), self.enterprise_edit)
        form.addRow(_("Unified social credit code:"), self.uscc_edit)
        form.addRow(_("Signer:"), self.signer_edit)
        form.addRow(_("Signer's title:"), self.title_edit)
        self.pair.add_to(form)
        self.create_button = QPushButton(qtawesome.icon("fa6s.key"), _("Create the signing key"), page)
        self.create_button.setObjectName("key_create")
        self.create_message = QLabel(page)
        self.create_message.setObjectName("key_create_message")
        self.create_message.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.create_message)
        layout.addStretch(1)
        # Another PC, or a new disk: the key the bureau registered comes back from its backup.
        self.restore_button = QPushButton(qtawesome.icon("fa6s.folder-open"), _("Restore the key from a backup…"), page)
        self.restore_button.setObjectName("key_restore")
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.create_button)
        layout.addLayout(row)
        self.create_button.clicked.connect(self.create_key)
        self.restore_button.clicked.connect(self.restore_backup)
        self.stack.addWidget(page)
        self._update_create()

    def _update_create(self) -> None:
        filled = all(e.text().strip() for e in (self.enterprise_edit, self.uscc_edit, self.signer_edit))
        self.create_button.setEnabled(filled and self.pair.value() is not None and self.task is None)

    def create_key(self) -> None:
        from cpaudit.bundle import keys

        passphrase = self.pair.value()
        if passphrase is None:
            return
        args = dict(enterprise_name=self.enterprise_edit.text(), uscc=self.uscc_edit.text(),
                    signer_name=self.signer_edit.text(), signer_title=self.title_edit.text(), folder=self.key_folder)
        self.create_message.setText(_("Creating the key…"))
        self.task = run_task(self, lambda: keys.init_key(passphrase, **args))
        self.task.success(self._created).failure(self._failed).start()
        self._update_create()

    def restore_backup(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Restore the signing key"), str(_documents()),
                                               _("Key backups (*.json);;All files (*)"))
        if not path:
            return
        self._with_passphrase(_("Restore the signing key"), _("Passphrase of the backup:"),
                              lambda passphrase: self.restore_backup_from(Path(path), passphrase))

    def _with_passphrase(self, title: str, message: str, attempt: Any) -> None:
        """Ask for the passphrase until ``attempt`` (→ "ok" | "wrong" | "failed") stops saying "wrong", or the user cancels."""
        while True:
            passphrase, ok = QInputDialog.getText(self, title, message, QLineEdit.EchoMode.Password)
            if not ok or attempt(passphrase) != "wrong":
                return
            message = _("Wrong passphrase. Try again:")

    def restore_backup_from(self, path: Path, passphrase: str) -> str:
        """Install the backup as this computer's key; "ok", "wrong" (passphrase) or "failed"."""
        from cpaudit.bundle import keys

        try:
            info, dropped = keys.restore_backup(path, passphrase, self.key_folder, role="enterprise")
        except keys.WrongPassphrase:
            self.create_message.setText(_("Wrong passphrase: the key was not restored."))
            return "wrong"
        except (keys.KeyStoreError, OSError) as exc:
            self.create_message.setText(getattr(exc, "message", str(exc)))
            return "failed"
        self.refresh()
        self.info_message.setText(_("The key {key_id} was restored from {path}.").format(key_id=info.key_id, path=path)
                                  + (" " + keys.dropped_certificate_note() if dropped else ""))
        self.key_created.emit()
        return "ok"

    def _created(self, info: Any) -> None:
        from cpaudit.bundle import keys

        self.task = None
        self.refresh()
        self.info_message.setText(_("The key was created.") + " " + keys.new_key_warning())
        self.key_created.emit()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        message = getattr(exc, "message", str(exc))
        self.create_message.setText(message)
        self.info_message.setText(message)
        self.create_message.setStyleSheet(f"color: {COLOURS[ERRORS]};")
        self._update_create()
        self.failed.emit(message)

    # -- the key we have -----------------------------------------------------------------------
    def _build_info(self) -> None:
        page = QWidget(self)
        self.info_form = QFormLayout()
        self.info_values: dict[str, QLabel] = {}
        for key, label in (("key_id", N_("Key id:")), ("fingerprint", N_("Fingerprint:")), ("signer", N_("Signer:")),
                           ("enterprise", N_("Enterprise:")), ("created", N_("Created:")),
                           ("certificate", N_("Bureau certificate:")), ("file", N_("Key file:"))):
            self.info_values[key] = value = value_label(page, f"key_{key}")
            self.info_form.addRow(_(label), value)
        self.info_values["fingerprint"].setFont(mono(3))
        self.check_hint = QLabel(_("Read the fingerprint group by group when you register the key with the bureau."), page)
        self.check_hint.setProperty("role", "help")
        self.info_message = QLabel(page)
        self.info_message.setObjectName("key_info_message")
        self.info_message.setWordWrap(True)
        self.info_message.setStyleSheet(f"color: {COLOURS[WARNINGS]};")
        buttons = QHBoxLayout()
        self.passwd_button = QPushButton(_("Change passphrase…"), page)
        self.backup_button = QPushButton(qtawesome.icon("fa6s.floppy-disk"), _("Back up the key…"), page)
        self.request_button = QPushButton(qtawesome.icon("fa6s.file-export"), _("Registration request…"), page)
        self.cert_button = QPushButton(_("Import bureau certificate…"), page)
        for b in (self.passwd_button, self.backup_button, self.request_button, self.cert_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(self.info_form)
        layout.addWidget(self.check_hint)
        layout.addWidget(self.info_message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.passwd_button.clicked.connect(self.change_passphrase)
        self.backup_button.clicked.connect(self.export_backup)
        self.request_button.clicked.connect(self.export_request)
        self.cert_button.clicked.connect(self.import_certificate)
        self.stack.addWidget(page)

    def refresh(self) -> None:
        from cpaudit.bundle import keys

        if not keys.has_key(self.key_folder):
            self.stack.setCurrentIndex(0)
            return
        info = keys.load_info(self.key_folder)
        cert = (info.bureau_cert or {}).get("cert") or {}
        values = {"key_id": info.key_id, "fingerprint": format_fingerprint(info.fingerprint),
                  "signer": signer_text(info.signer),
                  "enterprise": _("{name} ({uscc})").format(name=info.enterprise.get("name"), uscc=info.enterprise.get("uscc")),
                  "created": formatting.datetime(info.created_at), "certificate": cert.get("serial") or _("none yet"), "file": str(info.path)}
        for key, value in values.items():
            self.info_values[key].setText(value)
        self.stack.setCurrentIndex(1)

    def change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self, self.key_folder)
        dialog.exec()
        dialog.deleteLater()

    def export_backup(self) -> None:
        from cpaudit.bundle import keys

        answer = QMessageBox.information(self, _("Back up the key"), keys.backup_warning(),
                                         QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Ok:
            return
        path, _f = QFileDialog.getSaveFileName(self, _("Back up the key"), str(_documents() / "cpaudit-signing-key-backup.json"),
                                               _("Key files (*.json)"))
        if path:
            self.export_backup_to(Path(path))

    def export_backup_to(self, path: Path) -> None:
        from cpaudit.bundle import keys

        try:
            keys.export_backup(path, self.key_folder, overwrite=True)  # the save dialog asked before replacing
        except keys.KeyStoreError as exc:
            self.info_message.setText(exc.message)
            return
        self.info_message.setText(_("Encrypted key written to {path}.").format(path=path) + " " + keys.backup_warning())

    def export_request(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Registration request"), str(_documents() / "cpaudit-key-request.json"),
                                               _("Requests (*.json)"))
        if not path:
            return
        self._with_passphrase(_("Registration request"), _("The request is signed with your key. Passphrase:"),
                              lambda passphrase: self.export_request_to(Path(path), passphrase))

    def export_request_to(self, path: Path, passphrase: str) -> str:
        """Write the request JSON and its printable PDF; "ok", "wrong" (passphrase) or "failed"."""
        from cpaudit.bundle import keys
        from cpaudit.bundle.request import registration_request, request_pdf

        try:
            request = registration_request(keys.unlock(passphrase, self.key_folder))
            path.write_text(json.dumps(request, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            pdf = path.with_suffix(".pdf")
            pdf.write_bytes(request_pdf(request))
        except keys.WrongPassphrase:
            self.info_message.setText(_("Wrong passphrase: nothing was written."))
            return "wrong"
        except (keys.KeyStoreError, OSError) as exc:
            self.info_message.setText(getattr(exc, "message", str(exc)))
            return "failed"
        self.info_message.setText(_("Registration request written to {json} and {pdf}. Print the PDF, sign and seal it, "
                                    "and hand it to the bureau.").format(json=path, pdf=pdf))
        return "ok"

    def import_certificate(self) -> None:
        from cpaudit.bundle import keys

        path, _f = QFileDialog.getOpenFileName(self, _("Import bureau certificate"), str(_documents()), _("Certificates (*.json)"))
        if not path:
            return
        try:
            from cpaudit.bundle.trust import installed_roots

            keys.import_certificate(Path(path), self.key_folder, roots=installed_roots())
        except keys.KeyStoreError as exc:
            self.info_message.setText(exc.message)
            return
        self.refresh()
        self.info_message.setText(_("The bureau certificate was stored; it goes into every submission from now on."))


class ChangePassphraseDialog(QDialog):
    changed = Signal()

    def __init__(self, parent: QWidget | None, key_folder: Path | None = None):
        super().__init__(parent)
        self.setObjectName("passphrase_dialog")
        self.key_folder = key_folder
        self.task: Task | None = None
        self.old = QLineEdit(self)
        self.old.setObjectName("old_passphrase")
        self.old.setEchoMode(QLineEdit.EchoMode.Password)
        self.pair = PassphrasePair(self)
        self.message = QLabel(self)
        self.message.setObjectName("passphrase_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {COLOURS[ERRORS]};")
        form = QFormLayout()
        form.addRow(_("Current passphrase:"), self.old)
        self.pair.add_to(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.pair.changed.connect(self._update)
        self.old.textChanged.connect(self._update)
        self.setWindowTitle(_("Change passphrase"))
        self._update()

    def _update(self) -> None:
        ok = bool(self.old.text()) and self.pair.value() is not None and self.task is None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def apply(self) -> None:
        from cpaudit.bundle import keys

        old, new, folder = self.old.text(), self.pair.value(), self.key_folder
        if new is None:
            return
        self.task = run_task(self, lambda: keys.change_passphrase(old, new, folder))
        self.task.success(self._done).failure(self._failed).start()
        self._update()

    def _done(self, _info: Any) -> None:
        self.task = None
        self.changed.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from cpaudit.bundle.keys import WrongPassphrase

        self.task = None
        self.message.setText(_("The current passphrase is wrong. Try again.") if isinstance(exc, WrongPassphrase)
                             else getattr(exc, "message", str(exc)))
        self.old.selectAll()
        self.old.setFocus()
        self._update()
