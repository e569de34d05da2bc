# SPDX-License-Identifier: Apache-2.0
"""A computed value, shown read-only (GUI layer).

The page evaluates the registered function (``calc.tables.field_value``) and
passes the result in; the user can select and copy it but never type in it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from cpaudit import formatting
from cpaudit.gui.fields.base import FieldEditor
from cpaudit.gui.fields.numeric import format_number, unit_text
from cpaudit.i18n import _
from cpaudit.workflow.schema import NUMERIC_TYPES, FieldSpec, Workflow


class ComputedDisplay(FieldEditor):
    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self._value: Any = None
        self.line = QLineEdit(self)
        self.line.setObjectName(f"field_{spec.id}")
        self.line.setReadOnly(True)
        self.line.setProperty("computed", True)
        numeric = spec.type in NUMERIC_TYPES
        if numeric:
            self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.line.setMaximumWidth(220)
        self.unit_label = QLabel(unit_text(spec), self)
        self.unit_label.setObjectName(f"unit_{spec.id}")  # units are data, not translated text
        self._layout.addWidget(self.line, 0 if numeric else 1)
        self._layout.addWidget(self.unit_label)
        if numeric:
            self._layout.addStretch(1)
        self.retranslate()

    def set_value(self, value: Any) -> None:
        self._value = value
        if value is None:
            self.line.setText("")
        elif self.spec.type in NUMERIC_TYPES:
            self.line.setText(format_number(self.spec, value))
        else:
            self.line.setText(formatting.quantity_text(str(value)))

    def text(self) -> str:
        return self.line.text()

    def retranslate(self) -> None:
        self.line.setPlaceholderText(_("computed when its inputs are filled in"))
        self.line.setToolTip(_("Computed automatically"))
        self.unit_label.setText(unit_text(self.spec))
        self.set_value(self._value)
