"""Spreadsheet-like work on workflow tables: paste, copy, fill down, sort.

Qt-free so the GUI, the tests and any script share it. A paste is planned
first (every cell coerced as if typed, rejected cells listed with their
messages for a preview) and then applied as ONE batch: one undo step.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

from cpaudit.calc.tables import cell_value
from cpaudit.domain.changes import Change, InsertRow, ReorderRows, SetCell
from cpaudit.domain.decimals import as_decimal
from cpaudit.domain.document import ROW_ID, AuditDocument
from cpaudit.i18n import _
from cpaudit.workflow.schema import NUMERIC_TYPES, FieldSpec, Workflow
from cpaudit.workflow.values import ValueRejected, coerce

MAX_PASTE_CELLS = 200_000  # a 1,000-row table × 200 columns; more is not a paste but an import


def parse_tsv(text: str) -> list[list[str]]:
    """Cells of a block copied from Excel/WPS (tabs, newlines, quoted multi-line cells)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'))
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def to_tsv(grid: Sequence[Sequence[str]]) -> str:
    """The inverse of ``parse_tsv``, quoting cells that contain tabs, quotes or newlines."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(grid)
    return out.getvalue()


def editable_columns(table: FieldSpec) -> list[FieldSpec]:
    return [c for c in table.columns if c.computed is None]


@dataclass(frozen=True)
class RejectedCell:
    row: int  # index in the pasted block
    column: int
    text: str
    message: str


@dataclass
class PastePlan:
    changes: list[Change] = field(default_factory=list)
    rejected: list[RejectedCell] = field(default_factory=list)
    accepted: int = 0
    new_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.rejected


def plan_paste(doc: AuditDocument, wf: Workflow, step: str, table: FieldSpec, grid: list[list[str]],
               top: int, left: int) -> PastePlan:
    """Changes that write ``grid`` at row ``top``, editable column ``left``; new rows as needed.

    Computed columns are skipped (the block maps onto the columns a user can type in).
    """
    plan = PastePlan()
    if sum(len(r) for r in grid) > MAX_PASTE_CELLS:
        plan.rejected.append(RejectedCell(0, 0, "", _("the pasted block is too large ({n} cells at most)").format(n=MAX_PASTE_CELLS)))
        return plan
    columns = editable_columns(table)
    rows = doc.rows(step, table.id)
    for r, cells in enumerate(grid):
        target_index = top + r
        values: dict[str, Any] = {}
        for c, text in enumerate(cells):
            if left + c >= len(columns):
                if text.strip():
                    plan.rejected.append(RejectedCell(r, c, text, _("beyond the last column of the table")))
                continue
            column = columns[left + c]
            label = _("{table}, row {n}, {column}").format(table=_(table.label), n=target_index + 1, column=_(column.label))
            try:
                values[column.id] = coerce(column, text, wf, label)
            except ValueRejected as exc:
                plan.rejected.append(RejectedCell(r, c, text, exc.message))
        if target_index < len(rows):
            row_id = rows[target_index][ROW_ID]
            for column_id, value in values.items():
                plan.changes.append(SetCell(step, table.id, row_id, column_id, value))
        elif any(v is not None for v in values.values()):
            plan.changes.append(InsertRow(step, table.id, {k: v for k, v in values.items() if v is not None}))
            plan.new_rows += 1
        plan.accepted += len(values)
    return plan


def fill_down(doc: AuditDocument, step: str, table: FieldSpec, row_ids: Sequence[str], column_id: str) -> list[Change]:
    """Copy the first selected row's value of ``column_id`` into the other selected rows."""
    column = table.column(column_id)
    if column.computed is not None or len(row_ids) < 2:
        return []
    first = doc.row(step, table.id, row_ids[0])
    value = first.get(column_id) if first else None
    return [SetCell(step, table.id, rid, column_id, value) for rid in row_ids[1:]]


def sort_order(doc: AuditDocument, step: str, table: FieldSpec, column_id: str, descending: bool = False) -> ReorderRows:
    """Stable sort by one column (numbers numerically, empty cells last)."""
    column = table.column(column_id)
    rows = doc.rows(step, table.id)
    numeric = column.type in NUMERIC_TYPES

    def key(row: dict[str, Any]) -> tuple[int, Any]:
        value = cell_value(doc, step, column, row)
        if value in (None, ""):
            return (1, 0)
        if numeric:
            number = as_decimal(value)
            return (0, number if number is not None else Decimal(0))
        return (0, str(value))

    present = [r for r in rows if key(r)[0] == 0]
    empty = [r for r in rows if key(r)[0] == 1]
    present.sort(key=lambda r: key(r)[1], reverse=descending)
    return ReorderRows(step, table.id, tuple(r[ROW_ID] for r in present + empty))


def copy_block(doc: AuditDocument, step: str, table: FieldSpec, row_ids: Sequence[str], column_ids: Sequence[str]) -> str:
    """TSV of the selected cells (computed ones included), for Excel/WPS."""
    grid = []
    for rid in row_ids:
        row = doc.row(step, table.id, rid) or {}
        grid.append(["" if (v := cell_value(doc, step, table.column(c), row)) is None else _plain(v) for c in column_ids])
    return to_tsv(grid)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
