"""Edits as data: the only way anything in an audit changes.

The GUI and the CLI build these and hand them to ``AuditSession.apply``;
each accepted batch is one undo step and one journal group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class SetField:
    step: str
    field: str
    value: Any


@dataclass(frozen=True)
class SetCell:
    step: str
    table: str
    row_id: str
    column: str
    value: Any


@dataclass(frozen=True)
class InsertRow:
    step: str
    table: str
    values: dict[str, Any] = field(default_factory=dict)
    position: int | None = None  # None: append
    row_id: str | None = None  # None: a new id is made


@dataclass(frozen=True)
class DeleteRow:
    step: str
    table: str
    row_id: str


@dataclass(frozen=True)
class MoveRow:
    step: str
    table: str
    row_id: str
    position: int


@dataclass(frozen=True)
class ReorderRows:
    """Put a table's rows in the given order (sorting); one transition, one undo step."""

    step: str
    table: str
    order: tuple[str, ...]


@dataclass(frozen=True)
class Justify:
    """The written justification of a warning (empty text removes it)."""

    key: str
    text: str


@dataclass(frozen=True)
class SetMeta:
    key: str  # title | status
    value: Any


@dataclass(frozen=True)
class Attach:
    """Attach the evidence file at ``source`` to a field, or to a row of a table."""

    step: str
    field: str
    source: str
    row_id: str | None = None


@dataclass(frozen=True)
class Detach:
    attachment_id: str


Change = Union[SetField, SetCell, InsertRow, DeleteRow, MoveRow, ReorderRows, Justify, SetMeta, Attach, Detach]


@dataclass(frozen=True)
class ChangeSet:
    """What an apply/undo/redo changed, so views refresh only that."""

    group_id: int | None
    steps: frozenset[str] = frozenset()
    fields: frozenset[tuple[str, str]] = frozenset()  # (step, field or table)
    rows: frozenset[tuple[str, str, str]] = frozenset()  # (step, table, row_id)
    structure: frozenset[tuple[str, str]] = frozenset()  # tables whose rows were added/removed/moved
    computed: frozenset[tuple[str, str]] = frozenset()  # computed fields to recompute
    justifications: bool = False
    meta: bool = False
    attachments: frozenset[tuple[str, str]] = frozenset()  # (step, field) whose evidence changed
    saved_at: str = ""
    label: str = ""

    @property
    def empty(self) -> bool:
        return self.group_id is None


@dataclass(frozen=True)
class UndoStatus:
    undo_label: str | None
    redo_label: str | None

    @property
    def can_undo(self) -> bool:
        return self.undo_label is not None

    @property
    def can_redo(self) -> bool:
        return self.redo_label is not None
