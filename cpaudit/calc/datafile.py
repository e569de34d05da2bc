"""Strict TOML reading for the bundled factor and indicator files.

Why: a typo in a data file (``wieght = 0.3``) must fail loudly with the file
and key named, not silently fall back to a default.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from cpaudit.calc.errors import DataFileError


def load_toml(path: Path) -> dict[str, Any]:
    """Parse ``path`` with floats as Decimal; any failure is a DataFileError."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh, parse_float=Decimal)
    except FileNotFoundError:
        raise DataFileError("data.not_found", file=str(path), key="") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError("data.syntax", file=str(path), key="", detail=str(exc)) from None


def check_keys(
    table: dict[str, Any],
    *,
    file: Path,
    where: str,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> None:
    """Raise on unknown or missing keys; ``where`` is the dotted table path."""
    allowed = set(required) | set(optional)
    for key in table:
        if key not in allowed:
            raise DataFileError("data.unknown_key", file=str(file), key=_join(where, key))
    for key in required:
        if key not in table:
            raise DataFileError("data.missing_key", file=str(file), key=_join(where, key))


def get_decimal(table: dict[str, Any], key: str, *, file: Path, where: str) -> Decimal:
    """A finite number (int or float in TOML, or a numeric string) as Decimal."""
    value = table[key]
    if isinstance(value, bool):
        raise DataFileError("data.bad_number", file=str(file), key=_join(where, key))
    try:
        result = Decimal(value) if isinstance(value, (int, str)) else value
    except Exception:
        raise DataFileError("data.bad_number", file=str(file), key=_join(where, key)) from None
    if not isinstance(result, Decimal) or not result.is_finite():
        raise DataFileError("data.bad_number", file=str(file), key=_join(where, key))
    return result


def get_str(table: dict[str, Any], key: str, *, file: Path, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise DataFileError("data.bad_string", file=str(file), key=_join(where, key))
    return value


def get_bool(table: dict[str, Any], key: str, *, file: Path, where: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise DataFileError("data.bad_bool", file=str(file), key=_join(where, key))
    return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
