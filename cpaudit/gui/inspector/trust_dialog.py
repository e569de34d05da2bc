# SPDX-License-Identifier: Apache-2.0
"""The bureau's trust registry: registration requests, the fingerprint check, trust and revoke (GUI layer).

A request enters as *pending*. The inspector compares the fingerprint shown
here, big and in groups of four, with the sealed printout the enterprise
brought, types it (each group turns green when it matches), and only then can
mark the key trusted. Revoking asks for a reason and is final for that key.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import qtawesome
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
    QMessageBox, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from cpaudit.bundle.format import fingerprint_lines
from cpaudit.gui.dialogs.signing_steps import mono
from cpaudit.gui.inspector import labels
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import _
from cpaudit.review import registry
from cpaudit.review.inspector import ReviewError
from cpaudit.workflow.validate import COMPLETE, EMPTY, ERRORS, WARNINGS
from cpaudit.workspace import Workspace

_STATE_COLOUR = {registry.PENDING: COLOURS[WARNINGS], registry.TRUSTED: COLOURS[COMPLETE], registry.REVOKED: COLOURS[ERRORS]}


def fingerprint_html(fingerprint: str, typed: str = "") -> str:
    """The fingerprint in the printout's lines (``format_fingerprint``); groups typed so far green
    (match) or red (differ)."""
    mine = registry.normalise_fingerprint(typed)
    lines, n = [], 0
    for groups in fingerprint_lines(fingerprint):
        spans = []
        for group in groups:
            given = mine[4 * n:4 * n + 4]
            colour = "#263238" if len(given) < 4 else COLOURS[COMPLETE] if given == group else COLOURS[ERRORS]
            spans.append(f'<span style="color:{colour}">{html.escape(group)}</span>')
            n += 1
        lines.append("&nbsp;&nbsp;".join(spans))
    return "<br>".join(lines)


class TrustDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, bureau_key_folder: Path | None = None):
        super().__init__(parent)
        self.setObjectName("trust_dialog")
        self.ws = ws
        self.bureau_key_folder = bureau_key_folder
        self.keys: list[registry.RegisteredKey] = []
        self.changed = False
        self.import_button = QPushButton(qtawesome.icon("fa6s.file-import"), "", self)
        self.import_button.setObjectName("import_request_button")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("key_list")
        self.list.setRootIsDecorated(False)
        self.list.setColumnCount(3)
        self.list.header().setStretchLastSection(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.list.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        details = QWidget(self)
        self.enterprise_label, self.signer_label, self.state_label = QLabel(details), QLabel(details), QLabel(details)
        self.enterprise_label.setWordWrap(True)
        self.fingerprint_caption = QLabel(details)
        self.fingerprint_label = QLabel(details)
        self.fingerprint_label.setObjectName("fingerprint_label")
        self.fingerprint_label.setFont(mono(9))
        self.fingerprint_label.setTextFormat(Qt.TextFormat.RichText)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setStyleSheet("QLabel { background: #f5f7f8; border: 1px solid #cfd8dc; padding: 10px; }")
        self.typed = QLineEdit(details)
        self.typed.setObjectName("typed_fingerprint")
        self.typed.setFont(mono(2))
        self.match_label = QLabel(details)
        self.match_label.setObjectName("fingerprint_match")
        self.trust_button = QPushButton(qtawesome.icon("fa6s.circle-check"), "", details)
        self.trust_button.setObjectName("trust_button")
        self.revoke_button = QPushButton(qtawesome.icon("fa6s.ban"), "", details)
        self.revoke_button.setObjectName("revoke_button")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.enterprise_caption, self.signer_caption, self.state_caption, self.typed_caption = (QLabel(details) for _i in range(4))
        self.form.addRow(self.enterprise_caption, self.enterprise_label)
        self.form.addRow(self.signer_caption, self.signer_label)
        self.form.addRow(self.state_caption, self.state_label)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.trust_button)
        buttons_row.addWidget(self.revoke_button)
        buttons_row.addStretch(1)
        right = QVBoxLayout(details)
        right.addLayout(self.form)
        right.addWidget(self.fingerprint_caption)
        right.addWidget(self.fingerprint_label)
        right.addWidget(self.typed_caption)
        right.addWidget(self.typed)
        right.addWidget(self.match_label)
        right.addLayout(buttons_row)
        right.addStretch(1)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(details)
        splitter.setSizes([470, 510])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.import_button)
        # What enterprises install so that they trust this bureau's answers (cpaudit trust install).
        self.export_button = QPushButton(qtawesome.icon("fa6s.file-export"), "", self)
        self.export_button.setObjectName("export_trust_button")
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1000, 560)
        self.retranslate()
        # connect signals
        self.buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self.choose_request)
        self.export_button.clicked.connect(self.choose_export)
        self.list.currentItemChanged.connect(lambda *_a: self._show_current())
        self.typed.textChanged.connect(lambda _t: self._show_current())
        self.trust_button.clicked.connect(self.trust_current)
        self.revoke_button.clicked.connect(self.revoke_current)
        self.reload()

    # -- data ---------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        select = select or self.current_key_id()
        self.keys = registry.list_keys(self.ws)
        self.list.clear()
        for key in self.keys:
            item = QTreeWidgetItem([key.name, key.state_label(), labels.when(key.registered_at)])
            item.setData(0, Qt.ItemDataRole.UserRole, key.key_id)
            item.setToolTip(0, f"{key.name}\n{key.uscc}")
            item.setForeground(1, QColor(_STATE_COLOUR.get(key.state, COLOURS[EMPTY])))
            self.list.addTopLevelItem(item)
            if key.key_id == select:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self._show_current()

    def current_key_id(self) -> str | None:
        item = self.list.currentItem() if hasattr(self, "list") else None
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def current_key(self) -> registry.RegisteredKey | None:
        key_id = self.current_key_id()
        return next((k for k in self.keys if k.key_id == key_id), None)

    def _show_current(self) -> None:
        key = self.current_key()
        for w in (self.typed, self.trust_button, self.revoke_button):
            w.setEnabled(key is not None)
        if key is None:
            for w in (self.enterprise_label, self.signer_label, self.state_label, self.fingerprint_label, self.match_label):
                w.setText("")
            return
        self.enterprise_label.setText(f"{key.name}\n{key.uscc}")
        self.signer_label.setText(key.signer)
        self.state_label.setText(key.state_label() + (f" · {key.note}" if key.note else ""))
        self.state_label.setStyleSheet(f"color: {_STATE_COLOUR.get(key.state, COLOURS[EMPTY])};")
        self.fingerprint_label.setText(fingerprint_html(key.fingerprint, self.typed.text()))
        matches = registry.fingerprint_matches(key, self.typed.text())
        pending = key.state == registry.PENDING
        self.typed.setEnabled(pending)
        self.trust_button.setEnabled(pending and matches)
        self.revoke_button.setEnabled(key.state != registry.REVOKED)
        if not pending:
            self.match_label.setText("")
        elif matches:
            self.match_label.setText(_("The fingerprint matches the printout."))
        else:
            self.match_label.setText(_("Type the fingerprint from the sealed printout; each group turns green when it matches."))
        self.match_label.setStyleSheet(f"color: {COLOURS[COMPLETE]};" if matches else "")

    # -- actions --------------------------------------------------------------------------------
    def choose_request(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import a key registration request"), "",
                                                   _("Registration requests (*.json);;All files (*)"))
        if path:
            self.add_request(Path(path))

    def add_request(self, path: Path) -> registry.RegisteredKey | None:
        try:
            key = registry.add_request(self.ws, path)
        except ReviewError as exc:
            QMessageBox.warning(self, _("Import a key registration request"), exc.message)
            return None
        self.changed = True
        self.typed.clear()
        self.reload(key.key_id)
        self.typed.setFocus()
        return key

    def choose_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the trust file for enterprises"),
                                                    "cpaudit-bureau-trust.json", _("Trust files (*.json)"))
        if path:
            self.export_trust(Path(path))

    def export_trust(self, path: Path) -> bool:
        """The bureau's keys (roots and the answer key) as a trust file enterprises install."""
        from cpaudit.bundle.keys import has_key, load_info
        from cpaudit.gui.inspector.answer_dialog import default_key_folder

        folder = self.bureau_key_folder or default_key_folder()
        own = load_info(folder) if has_key(folder) else None
        data = registry.trust_export(self.ws, (own.public_key, own.enterprise["name"]) if own else None)
        if not data["bureau_roots"]:
            QMessageBox.warning(self, _("Export the trust file for enterprises"),
                                _("There is no bureau key yet: create it when you sign the first answer."))
            return False
        try:
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            from cpaudit.store.errors import os_reason

            QMessageBox.warning(self, _("Export the trust file for enterprises"),
                                _("cannot write {path}: {error}").format(path=path, error=os_reason(exc)))
            return False
        QMessageBox.information(self, _("Export the trust file for enterprises"), _(
            "Trust file written to {path}. Hand it to the enterprises: the app offers to install it when they import "
            "this bureau's first answer (or: cpaudit trust install).").format(path=path))
        return True

    def trust_current(self) -> None:
        key = self.current_key()
        if key is None:
            return
        try:
            registry.trust_key(self.ws, key.key_id, self.typed.text())
        except ReviewError as exc:
            QMessageBox.warning(self, _("Trust registry"), exc.message)
            return
        self.changed = True
        self.typed.clear()
        self.reload(key.key_id)

    def revoke_current(self, note: str | None = None) -> None:
        key = self.current_key()
        if key is None:
            return
        if not isinstance(note, str):
            note, ok = QInputDialog.getText(self, _("Revoke key"), _("Revoke the key of {name}? This is final: the enterprise "
                                                                       "must register a new key. Reason:").format(name=key.name))
            if not ok:
                return
        registry.revoke_key(self.ws, key.key_id, note)
        self.changed = True
        self.reload(key.key_id)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Trust registry"))
        self.intro.setText(_("Enterprise signing keys. A key from a registration request is pending until its fingerprint "
                             "has been compared with the sealed printout."))
        self.import_button.setText(_("Import registration request…"))
        self.export_button.setText(_("Export trust file…"))
        self.export_button.setToolTip(_("The bureau's keys, for enterprises to install so that they trust its answers"))
        self.list.setHeaderLabels([_("Enterprise"), _("State"), _("Registered")])
        self.enterprise_caption.setText(_("Enterprise:"))
        self.signer_caption.setText(_("Signer:"))
        self.state_caption.setText(_("State:"))
        self.fingerprint_caption.setText(_("Fingerprint (compare group by group with the printout):"))
        self.typed_caption.setText(_("Fingerprint on the printout:"))
        self.typed.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.trust_button.setText(_("Mark trusted"))
        self.revoke_button.setText(_("Revoke…"))
        self._show_current()
