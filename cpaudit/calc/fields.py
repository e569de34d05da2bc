"""Generic computed values that any worksheet can use (sums, products, ratios).

Each is registered by name for the workflow definition; results are canonical
decimal strings (or None when an input is missing, so a half-filled row shows
an empty computed cell instead of a misleading zero).
"""

from __future__ import annotations

from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any, Sequence

from cpaudit.calc.registry import register
from cpaudit.domain.document import AuditDocument
from cpaudit.domain.decimals import as_decimal, decimal_text

_PLACES = Decimal("0.0001")


def _out(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value.quantize(_PLACES))


def _numbers(row: dict[str, Any], columns: Sequence[str]) -> list[Decimal] | None:
    values = [as_decimal(row.get(c)) for c in columns]
    return None if any(v is None for v in values) else values  # type: ignore[return-value]


@register("sum_column")
def sum_column(doc: AuditDocument, step: str, table: str, column: str, table_step: str | None = None) -> str | None:
    """Σ of a numeric column; empty cells are skipped, an empty table gives None."""
    values = [as_decimal(r.get(column)) for r in doc.rows(table_step or step, table)]
    present = [v for v in values if v is not None]
    return _out(sum(present, Decimal(0))) if present else None


@register("row_sum")
def row_sum(doc: AuditDocument, row: dict[str, Any], step: str, columns: Sequence[str]) -> str | None:
    values = [as_decimal(row.get(c)) for c in columns]
    present = [v for v in values if v is not None]
    return _out(sum(present, Decimal(0))) if present else None


@register("row_product")
def row_product(doc: AuditDocument, row: dict[str, Any], step: str, columns: Sequence[str], factor: str = "1") -> str | None:
    values = _numbers(row, columns)
    if values is None:
        return None
    result = Decimal(factor)
    for v in values:
        result *= v
    return _out(result)


@register("row_ratio")
def row_ratio(doc: AuditDocument, row: dict[str, Any], step: str, numerator: str, denominator: str, scale: str = "1") -> str | None:
    values = _numbers(row, (numerator, denominator))
    if values is None or values[1] == 0:
        return None
    try:
        return _out(values[0] / values[1] * Decimal(scale))
    except (DivisionByZero, InvalidOperation):
        return None


@register("row_difference")
def row_difference(doc: AuditDocument, row: dict[str, Any], step: str, minuend: str, subtrahend: str) -> str | None:
    values = _numbers(row, (minuend, subtrahend))
    return None if values is None else _out(values[0] - values[1])
