# SPDX-License-Identifier: Apache-2.0
"""The step page contract every page keeps (GUI layer; Picard options-page idea).

A page shows one workflow step. It never writes anything itself: edits go
through the injected ``apply`` (the main window's wrapper around
``session.apply``), and the main window hands every resulting ``ChangeSet``
(from edits, undo and redo alike) back to ``refresh``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from cpaudit.domain.changes import ChangeSet
from cpaudit.domain.document import AuditDocument
from cpaudit.gui.contract import require_overrides
from cpaudit.gui.models.table_model import Apply
from cpaudit.session import AuditSession
from cpaudit.workflow.schema import StepSpec


class StepPage(QWidget):
    refusals_changed = Signal()  # input was refused, or a refused entry was corrected or restored

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        require_overrides(cls, StepPage, ("load", "collect", "refresh", "focus_field"))

    def __init__(self, step: StepSpec, session: AuditSession, apply: Apply, parent: QWidget | None = None):
        super().__init__(parent)
        self.step, self.session, self._apply = step, session, apply
        self.setObjectName(f"page_{step.id}")
        self.read_only = False

    def load(self, document: AuditDocument) -> None:
        """Show every value of ``document`` (first display, or after a reload)."""

    def collect(self) -> dict[str, Any]:
        """The step's values as the page shows them, read back in canonical form
        (typed fields and tables; computed ones are not input). Round trip: load → collect."""

    def refresh(self, changeset: ChangeSet) -> None:
        """Re-read only what ``changeset`` names, then re-check visibility and issues."""

    def set_read_only(self, read_only: bool) -> None:
        """Inspector mode: the same page, no editing."""
        self.read_only = read_only

    def focus_field(self, field_id: str, row_id: str | None = None) -> None:
        """Scroll to a field (and a table row) and put the cursor there."""

    def settle(self) -> None:
        """Finish checks deferred while the user was typing (before reading messages)."""

    def flush(self) -> None:
        """Commit input typed but not yet committed (before undo, language switch, close)."""

    def retranslate(self) -> None:
        """Re-show every text in the current UI language, keeping values and typing."""

    def refused_entries(self) -> list[str]:
        """Why each entry still shown but refused by the core was refused (nothing of it is saved)."""
        return []

    def restore_refused(self) -> None:
        """Show the stored values again in place of the refused entries."""
