# SPDX-License-Identifier: Apache-2.0
"""The "New audit" and "Open audit" dialogs (GUI layer; forms from ui/*.ui).

They only collect a choice; creating and opening audits is the workspace's job.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTreeWidgetItem, QWidget

from cpaudit import formatting
from cpaudit.domain.document import AuditMeta
from cpaudit.gui.forms.ui_new_audit import Ui_NewAuditDialog
from cpaudit.gui.forms.ui_open_audit import Ui_OpenAuditDialog
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import _

NEW_AUDIT = 2  # OpenAuditDialog result: the user asked for a new audit instead


class NewAuditDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_NewAuditDialog()
        self.ui.setupUi(self)
        self.ui.message_label.setStyleSheet(f"color: {COLOURS['errors']}")
        self.ui.message_label.hide()
        # connect signals
        self.ui.button_box.accepted.connect(self._accept)
        self.ui.button_box.rejected.connect(self.reject)

    def title(self) -> str:
        return self.ui.title_edit.text().strip()

    def _accept(self) -> None:
        if not self.title():
            self.ui.message_label.setText(_("{field}: a value is required").format(field=_("Audit title")))
            self.ui.message_label.show()
            self.ui.title_edit.setFocus()
            return
        self.accept()


class OpenAuditDialog(QDialog):
    def __init__(self, audits: list[AuditMeta], current: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_OpenAuditDialog()
        self.ui.setupUi(self)
        status = {"active": _("In progress"), "archived": _("Archived")}
        for meta in sorted(audits, key=lambda m: m.updated_at or m.created_at, reverse=True):
            item = QTreeWidgetItem([
                meta.title, str(meta.round), formatting.datetime(meta.updated_at or meta.created_at),
                status.get(meta.status, meta.status),
            ])
            item.setData(0, Qt.ItemDataRole.UserRole, meta.id)
            self.ui.audit_list.addTopLevelItem(item)
            if meta.id == current or self.ui.audit_list.currentItem() is None:
                self.ui.audit_list.setCurrentItem(item)
        header = self.ui.audit_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # connect signals
        self.ui.button_box.accepted.connect(self._accept)
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.audit_list.itemDoubleClicked.connect(lambda *_a: self._accept())
        self.ui.new_audit_button.clicked.connect(lambda: self.done(NEW_AUDIT))
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Open).setEnabled(bool(audits))

    def audit_id(self) -> str | None:
        item = self.ui.audit_list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _accept(self) -> None:
        if self.audit_id():
            self.accept()
