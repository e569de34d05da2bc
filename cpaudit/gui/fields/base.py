# SPDX-License-Identifier: Apache-2.0
"""The contract every field editor keeps (GUI layer).

An editor shows one canonical value and reports what the user entered; it
never validates, converts or stores anything itself. The page hands the raw
input to ``session.apply`` and, on rejection, shows the message while the
editor keeps the user's text so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from cpaudit.gui.contract import require_overrides
from cpaudit.workflow.schema import FieldSpec, Workflow


class FieldEditor(QWidget):
    committed = Signal(object)  # raw user input to apply (str, bool, list, None)
    edited = Signal(object)  # raw input while typing, for a live (non-committing) check
    reverted = Signal()  # Esc: show the stored value again instead of what was typed

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        require_overrides(cls, FieldEditor, ("set_value",))

    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec, self.workflow = spec, workflow
        self._read_only = False
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)

    # -- what pages call -----------------------------------------------------------
    def set_value(self, value: Any) -> None:
        """Show a canonical value from the document (does not emit ``committed``)."""

    def shown(self) -> Any:
        """What the editor shows now, as raw input for the core (``value()`` or ``text()``)."""
        reader = getattr(self, "value", None) or getattr(self, "text")
        return reader()

    def flush(self) -> None:
        """Commit input the user typed but has not committed yet (before undo, close, switching)."""

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def focus_editor(self) -> None:
        self.setFocus()

    def retranslate(self) -> None:
        """Re-show texts that depend on the UI language (choice labels, number format)."""

    def set_invalid(self, invalid: bool) -> None:
        """Mark the editor red while its value is rejected or fails a rule."""
        self.setProperty("invalid", invalid)
        for child in self.findChildren(QWidget):
            child.setProperty("invalid", invalid)
            child.style().unpolish(child)
            child.style().polish(child)
