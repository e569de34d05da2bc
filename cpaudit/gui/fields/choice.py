# SPDX-License-Identifier: Apache-2.0
"""Choice, multi-choice and yes/no editors (GUI layer).

Labels come from the workflow's enums and are translated where shown; the
stored value is always the enum value, so switching language changes nothing.
"""

from __future__ import annotations

from typing import Any

import qtawesome
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QRadioButton, QToolButton, QVBoxLayout, QWidget,
)

from cpaudit.gui.fields.base import FieldEditor
from cpaudit.i18n import _
from cpaudit.workflow.schema import FieldSpec, Workflow


class ChoiceEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self.enum = workflow.enums[spec.choices or ""]
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"field_{spec.id}")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumWidth(120)  # as wide as its longest choice when there is room, narrower when not
        self._fill()
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)
        self.setFocusProxy(self.combo)
        # connect signals: activated is user-only, so loading a value never commits
        self.combo.activated.connect(self._on_activated)

    def _fill(self) -> None:
        current = self.value()
        self.combo.clear()
        self.combo.addItem(_("— not set —"), None)
        for choice in self.enum.choices:
            self.combo.addItem(_(choice.label), choice.value)
        self.set_value(current)

    def _on_activated(self, index: int) -> None:
        if not self._read_only:
            self.committed.emit(self.combo.itemData(index))

    def value(self) -> Any:
        return self.combo.currentData() if self.combo.count() else None

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.combo.setEnabled(not read_only)

    def retranslate(self) -> None:
        self._fill()


class MultiChoiceEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self.enum = workflow.enums[spec.choices or ""]
        column = QVBoxLayout()
        column.setSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for choice in self.enum.choices:
            box = QCheckBox(_(choice.label), self)
            box.setObjectName(f"field_{spec.id}_{choice.value}")
            self.boxes[choice.value] = box
            column.addWidget(box)
            box.clicked.connect(self._on_clicked)
        self._layout.addLayout(column, 1)

    def _on_clicked(self) -> None:
        if not self._read_only:
            self.committed.emit(self.value())

    def value(self) -> list[str]:
        return [v for v, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for v, box in self.boxes.items():
            box.setChecked(v in chosen)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for box in self.boxes.values():
            box.setEnabled(not read_only)

    def focus_editor(self) -> None:
        next(iter(self.boxes.values())).setFocus()

    def retranslate(self) -> None:
        for choice in self.enum.choices:
            self.boxes[choice.value].setText(_(choice.label))


class YesNoEditor(FieldEditor):
    """Two radio buttons plus a clear button: "not answered" must stay distinguishable from "no"."""

    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self.yes = QRadioButton(self)
        self.yes.setObjectName(f"field_{spec.id}_yes")
        self.no = QRadioButton(self)
        self.no.setObjectName(f"field_{spec.id}_no")
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName(f"clear_{spec.id}")
        self.clear_button.setIcon(qtawesome.icon("fa6s.xmark", color="#757575"))
        self.clear_button.setAutoRaise(True)
        for w in (self.yes, self.no, self.clear_button):
            self._layout.addWidget(w)
        self._layout.addStretch(1)
        self.retranslate()
        # connect signals
        self.yes.clicked.connect(lambda: self._emit(True))
        self.no.clicked.connect(lambda: self._emit(False))
        self.clear_button.clicked.connect(lambda: self._emit(None))

    def _emit(self, value: bool | None) -> None:
        if self._read_only:
            return
        if value is None:
            self.set_value(None)
        self.committed.emit(value)

    def set_value(self, value: Any) -> None:
        # An exclusive group cannot show "neither" until exclusivity is lifted.
        self.group.setExclusive(False)
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)
        self.group.setExclusive(True)

    def value(self) -> bool | None:
        return True if self.yes.isChecked() else False if self.no.isChecked() else None

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for w in (self.yes, self.no, self.clear_button):
            w.setEnabled(not read_only)

    def focus_editor(self) -> None:
        self.yes.setFocus()

    def retranslate(self) -> None:
        self.yes.setText(_("Yes"))
        self.no.setText(_("No"))
        self.clear_button.setToolTip(_("Clear the answer"))
