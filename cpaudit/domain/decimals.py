"""Canonical decimal text ↔ Decimal, shared by storage, validation and calculations."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def decimal_text(value: Decimal) -> str:
    """Plain notation without exponent or trailing-zero noise ("1E+3" → "1000")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def as_decimal(value: Any) -> Decimal | None:
    """Canonical numeric value → Decimal (None and unreadable values give None)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(value if type(value) is str else str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
