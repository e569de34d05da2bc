"""Cell values and column totals of workflow tables (stored or computed).

The GUI table model and the report both show tables the same way: a computed
column is evaluated per row by its registered function, a totals row sums the
columns the workflow lists in ``totals``. Results are canonical decimal
strings (or None), like every other value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cpaudit.calc.errors import CalcError
from cpaudit.calc.registry import compute_cell, compute_field
from cpaudit.domain.document import AuditDocument
from cpaudit.workflow.schema import FieldSpec
from cpaudit.workflow.values import as_decimal, decimal_text


def cell_value(doc: AuditDocument, step: str, column: FieldSpec, row: dict[str, Any]) -> Any:
    """The stored value, or the computed one (None when its inputs are missing or unusable)."""
    if column.computed is None:
        return row.get(column.id)
    try:
        return compute_cell(column.computed.function, doc, row, column.computed.kwargs, step)
    except (CalcError, ArithmeticError, ValueError, TypeError):
        return None


def field_value(doc: AuditDocument, step: str, spec: FieldSpec) -> Any:
    """A scalar field's value: stored, or computed by its registered function."""
    if spec.computed is None:
        return doc.get(step, spec.id)
    try:
        return compute_field(spec.computed.function, doc, spec.computed.kwargs, step)
    except (CalcError, ArithmeticError, ValueError, TypeError):
        return None


def column_totals(doc: AuditDocument, step: str, table: FieldSpec) -> dict[str, str | None]:
    """Σ of each ``totals`` column; empty cells are skipped, no numbers at all gives None."""
    rows = doc.rows(step, table.id)
    totals: dict[str, str | None] = {}
    for column_id in table.totals:
        column = table.column(column_id)
        numbers = [as_decimal(cell_value(doc, step, column, r)) for r in rows]
        present = [n for n in numbers if n is not None]
        totals[column_id] = decimal_text(sum(present, Decimal(0))) if present else None
    return totals
