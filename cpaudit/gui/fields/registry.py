# SPDX-License-Identifier: Apache-2.0
"""Field type → editor class (GUI layer).

The one table that says which widget edits which workflow field type; a new
type is a new entry here and nothing else in the page renderer changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cpaudit.gui.fields.base import FieldEditor
from cpaudit.gui.fields.computed import ComputedDisplay
from cpaudit.gui.fields.choice import ChoiceEditor, MultiChoiceEditor, YesNoEditor
from cpaudit.gui.fields.date import DateEditor
from cpaudit.gui.fields.numeric import NumberEditor
from cpaudit.gui.fields.text import LineEditor, LongTextEditor, UsccEditor
from cpaudit.workflow.schema import FieldSpec, Workflow

EDITORS: dict[str, type[FieldEditor]] = {
    "text": LineEditor,
    "longtext": LongTextEditor,
    "integer": NumberEditor,
    "decimal": NumberEditor,
    "money": NumberEditor,
    "percent": NumberEditor,
    "quantity": NumberEditor,
    "date": DateEditor,
    "choice": ChoiceEditor,
    "multichoice": MultiChoiceEditor,
    "yesno": YesNoEditor,
    "uscc": UsccEditor,
}


def create_editor(spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None) -> FieldEditor:
    if spec.computed is not None:
        return ComputedDisplay(spec, workflow, parent)
    try:
        cls = EDITORS[spec.type]
    except KeyError:
        raise KeyError(f"no editor for field type {spec.type!r} ({spec.id})") from None
    return cls(spec, workflow, parent)
