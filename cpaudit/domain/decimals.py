"""Canonical decimal text ↔ Decimal, shared by storage, validation and calculations."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

# Thousands groups: a comma (or blank) followed by exactly three digits, the same separator throughout.
_GROUPED = re.compile(r"[+-]?\d{1,3}([, ])\d{3}(?:\1\d{3})*(?:\.\d*)?")


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


def ungrouped(text: str) -> str | None:
    """``text`` without its thousands separators ("1,234.5" → "1234.5"); None when a comma or
    blank is not one: "1,5" is a decimal comma (1.5 in much of Europe), not 15, and "1 5" is
    two numbers. Guessing either way would store a number the user never meant."""
    if "," not in text and " " not in text:
        return text
    return text.replace(",", "").replace(" ", "") if _GROUPED.fullmatch(text) else None
