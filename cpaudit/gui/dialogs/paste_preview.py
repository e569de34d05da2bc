# SPDX-License-Identifier: Apache-2.0
"""Before a paste that has refused cells: which ones, why, and paste the rest or cancel (GUI layer).

The plan comes from ``tablework.plan_paste``; this dialog only lists it.
"""

from __future__ import annotations

import qtawesome
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.gui.step_state import severity_colour, severity_icon
from cpaudit.i18n import _
from cpaudit.tablework import PastePlan, editable_columns
from cpaudit.workflow.schema import FieldSpec


class PastePreviewDialog(QDialog):
    def __init__(self, plan: PastePlan, table: FieldSpec, top: int, left: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("paste_preview")
        self.setWindowTitle(_("Paste: some cells cannot be used"))
        fit_to_screen(self, 760, 420)
        accepted = len(plan.changes)
        summary = QLabel(self)
        summary.setObjectName("paste_summary")
        summary.setWordWrap(True)
        summary.setText(
            _("Cells that cannot be pasted into “{table}”: {n}. They stay as they are; correct them in the "
              "table afterwards, or cancel and fix the copied cells.").format(n=len(plan.rejected), table=_(table.label))
        )
        summary.setStyleSheet(f"color: {severity_colour('error')};")
        self.cells = QTableWidget(len(plan.rejected), 4, self)
        self.cells.setObjectName("rejected_cells")
        self.cells.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Pasted text"), _("Why it was refused")])
        self.cells.verticalHeader().hide()
        self.cells.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cells.setWordWrap(True)
        columns = editable_columns(table)
        icon = severity_icon("error")
        for i, cell in enumerate(plan.rejected):
            column = columns[left + cell.column] if left + cell.column < len(columns) else None
            items = [
                QTableWidgetItem(icon, str(top + cell.row + 1)),
                QTableWidgetItem(_(column.label) if column else "—"),
                QTableWidgetItem(cell.text),
                QTableWidgetItem(cell.message),
            ]
            for c, item in enumerate(items):
                item.setToolTip(item.text())
                self.cells.setItem(i, c, item)
        header = self.cells.horizontalHeader()
        for c in (0, 1, 2):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.cells.resizeRowsToContents()

        self.buttons = QDialogButtonBox(self)
        self.paste_button = self.buttons.addButton(
            _("Paste the other cells ({n})").format(n=accepted),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.paste_button.setObjectName("paste_accepted_button")
        self.paste_button.setIcon(qtawesome.icon("fa6s.paste", color="#455a64"))
        self.paste_button.setEnabled(accepted > 0)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        (self.paste_button if accepted else self.buttons.button(QDialogButtonBox.StandardButton.Cancel)).setDefault(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        layout.addWidget(summary)
        layout.addWidget(self.cells, 1)
        layout.addWidget(self.buttons)
        # connect signals
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.cells.setFocus(Qt.FocusReason.OtherFocusReason)
