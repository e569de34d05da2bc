# SPDX-License-Identifier: Apache-2.0
"""Number editors: integer, decimal, money, percent, quantity (GUI layer).

Shown right-aligned with locale grouping while not focused, and as plain
digits while editing, so the user never has to type around separators.
Parsing and range rules stay in the core (``workflow.values``/``validate``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

from cpaudit import formatting
from cpaudit.gui.fields.text import LineEditor
from cpaudit.i18n import _
from cpaudit.workflow.schema import FieldSpec, Workflow
from cpaudit.workflow.values import as_decimal


def places_of(spec: FieldSpec, value: Any) -> int:
    """Decimals to show: the spec's ``places``, else as many as were entered."""
    if spec.type == "integer":
        return 0
    if spec.places is not None:
        return spec.places
    text = str(value)
    return len(text.partition(".")[2]) if "." in text else 0


def format_number(spec: FieldSpec, value: Any) -> str:
    """Locale display of a canonical number (no unit: the unit has its own label)."""
    number = as_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return formatting.number(number, places_of(spec, value), grouping=spec.grouping)


def unit_text(spec: FieldSpec) -> str:
    if spec.type == "percent":
        return "%"
    if spec.unit:
        return formatting.unit_label(spec.unit)
    return ""


class NumberEditor(LineEditor):
    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self._value: Any = None
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.line.setMaximumWidth(220)
        self.unit_label = QLabel(unit_text(spec), self)
        self.unit_label.setObjectName(f"unit_{spec.id}")
        self._layout.addWidget(self.unit_label)
        self._layout.addStretch(1)
        self._set_placeholder()

    def _set_placeholder(self) -> None:
        self.line.setPlaceholderText(_("whole number") if self.spec.type == "integer" else _("number"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Plain digits while editing, grouped display otherwise; rejected text is left alone.
        if watched is self.line and not self._dirty:
            if event.type() == QEvent.Type.FocusIn and self._value is not None:
                self.line.setText(str(self._value))
            elif event.type() == QEvent.Type.FocusOut:
                self._show_value()
        return super().eventFilter(watched, event)

    def _show_value(self) -> None:
        text = format_number(self.spec, self._value) if self._value is not None else ""
        if self.line.text() != text:
            self.line.setText(text)

    def set_value(self, value: Any) -> None:
        self._value = value
        self._dirty = False
        if self.line.hasFocus() and value is not None:
            self.line.setText(str(value))
        else:
            self._show_value()

    def retranslate(self) -> None:
        self.unit_label.setText(unit_text(self.spec))
        self._set_placeholder()
        if not self._dirty:
            self._show_value()
