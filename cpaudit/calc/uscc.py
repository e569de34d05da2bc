"""统一社会信用代码 (USCC, GB 32100-2015) validation (ref §10).

Why name the failed rule: the form tells the user whether they mistyped a
letter (charset), dropped a character (length) or swapped two (checksum).
Old 9-digit organisation codes and 15-digit registration numbers are
recognised as *legacy* ids: accepted with a warning, never as a USCC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols, no I O Z S V
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, …, 28
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code
_ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

Kind = Literal["uscc", "legacy_org_code", "legacy_reg_no", "invalid"]


@dataclass(frozen=True)
class UsccResult:
    """``valid`` is True only for a correct USCC; ``rule`` names the first failure."""

    code: str  # normalised: blanks removed, upper case
    valid: bool
    kind: Kind
    rule: str | None = None  # 'uscc.length' | 'uscc.charset' | 'uscc.checksum' | 'legacy.*'
    expected_check: str | None = None
    position: int | None = None  # 1-based position of the first bad character


def check_character(first17: str) -> str:
    """Check character for 17 USCC symbols: r = 31 − (Σ value·W mod 31), 31 → 0."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS))
    r = 31 - total % 31
    return CHARSET[0 if r == 31 else r]


def org_code_check(first8: str) -> str:
    """GB 11714 check: C9 = 11 − (Σ value·W mod 11); 10 → 'X', 11 → '0'."""
    total = sum(_ORG_CHARSET.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _legacy(code: str) -> UsccResult | None:
    org = code.replace("-", "")
    if len(org) == 9 and all(c in _ORG_CHARSET for c in org[:8]):
        ok = org[8] == org_code_check(org[:8])
        return UsccResult(org, False, "legacy_org_code",
                          "legacy.org_code" if ok else "legacy.org_code_checksum", org_code_check(org[:8]))
    if len(code) == 15 and code.isdigit():
        # Check digit (ISO 7064 MOD 11,10) is not verified: no tested example at hand.
        return UsccResult(code, False, "legacy_reg_no", "legacy.reg_no")
    return None


def validate_uscc(raw: str) -> UsccResult:
    """Validate a USCC; legacy ids come back with kind 'legacy_*' and valid=False."""
    code = "".join(raw.split()).upper()
    if len(code) != 18:
        legacy = _legacy(code)
        if legacy is not None:
            return legacy
        return UsccResult(code, False, "invalid", "uscc.length")
    for pos, c in enumerate(code, start=1):
        if c not in CHARSET:
            return UsccResult(code, False, "invalid", "uscc.charset", position=pos)
    expected = check_character(code[:17])
    if code[17] != expected:
        return UsccResult(code, False, "invalid", "uscc.checksum", expected, 18)
    return UsccResult(code, True, "uscc")
