"""Error hierarchy of the calculation library.

Every error carries a stable ``rule`` id and keyword ``params`` so that the
caller (GUI, report) can translate it; no message text is localised here.
"""

from __future__ import annotations

from typing import Any


class CalcError(Exception):
    """Base of all calc errors: ``rule`` is a dotted id, ``params`` its values."""

    def __init__(self, rule: str, **params: Any) -> None:
        self.rule = rule
        self.params = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{rule}({detail})" if detail else rule)


class InvalidInput(CalcError):
    """A caller passed a value the formula cannot accept (negative life, NaN …)."""


class UnitMismatch(CalcError):
    """Two quantities with incompatible units were combined."""


class DataFileError(CalcError):
    """A bundled or user data file is malformed; params name ``file`` and ``key``."""


class BalanceError(CalcError):
    """A balance cannot be computed (no inputs, mixed units …)."""
