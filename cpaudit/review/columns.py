"""The typed dashboard columns of a received submission, taken from its figures at import time.

Decimals are stored as integer millionths: SQLite sums integers exactly, so
a city total equals the hand-summed figures of the audits (floats would not).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

# benefit_totals keys → column names (the same names, listed once for the SQL)
BENEFITS = ("economic_benefit", "energy_tce", "water", "cod", "nh3n", "so2", "nox", "particulate", "vocs", "hazardous_waste")
SCALE = Decimal(1_000_000)
NO_LOW, MEDIUM_HIGH = ("none", "low"), ("medium", "high")
IMPLEMENTED = ("implemented", "verified")


def micro(value: Any) -> int:
    try:
        number = Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return 0
    return int((number * SCALE).to_integral_value(ROUND_HALF_EVEN)) if number.is_finite() else 0


def from_micro(value: int | None) -> Decimal:
    return (Decimal(value or 0) / SCALE).normalize() if value else Decimal(0)


def _year(text: Any) -> int | None:
    text = str(text or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def dashboard_columns(values: dict[str, dict[str, Any]], figures: dict[str, Any], stage: str, created_at: str) -> dict[str, Any]:
    """Column → value for ``submissions`` from the audit values and the (verified) stored figures."""
    enterprise, info = values.get("enterprise", {}), values.get("audit_info", {})
    evaluation, after = figures.get("indicator_evaluation") or {}, figures.get("indicator_after") or {}
    # Acceptance reports the level reached after the options; assessment the baseline level.
    level = ((after.get("after") or {}).get("level") if stage == "acceptance" else None) or evaluation.get("level")
    out: dict[str, Any] = {
        "year": _year(info.get("period_start")) or _year(created_at),
        "district": enterprise.get("district") or None,
        "sector_code": enterprise.get("industry_code") or None,
        "sector_name": enterprise.get("industry_name") or None,
        "indicator_system": info.get("indicator_system") or evaluation.get("system") or None,
        "level": level or None,
    }
    options = [o for o in ((figures.get("options") or {}).get("options") or []) if isinstance(o, dict)]
    active = [o for o in options if o.get("status") != "rejected"]
    out.update(
        options_no_low=sum(1 for o in active if o.get("class") in NO_LOW),
        options_medium_high=sum(1 for o in active if o.get("class") in MEDIUM_HIGH),
        options_active=len(active),
        options_implemented=sum(1 for o in active if o.get("status") in IMPLEMENTED),
    )
    investment = (figures.get("options") or {}).get("investment") or {}
    out.update(invest_no_low=micro(investment.get("no_low_cost")), invest_medium_high=micro(investment.get("medium_high_cost")))
    totals = (figures.get("benefit_totals") or {}).get("values") or {}
    out.update({name: micro(totals.get(name)) for name in BENEFITS})
    return out
