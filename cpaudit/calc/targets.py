"""CP target achievement: baseline → target → achieved (ref §2.2).

Why an error *result*: a target table is rendered row by row; one row with a
missing baseline must show as an error in that row, not abort the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from cpaudit.calc.errors import InvalidInput
from cpaudit.domain.units import parse_decimal

HUNDRED = Decimal(100)
TargetDirection = Literal["reduce", "increase"]
Status = Literal["reached", "not_reached", "pending", "error"]


@dataclass(frozen=True)
class Target:
    """One CP target row; values in the row's ``unit``."""

    indicator: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    achieved: Decimal | None = None
    direction: TargetDirection = "reduce"


@dataclass(frozen=True)
class TargetResult:
    target: Target
    status: Status
    achievement_pct: Decimal | None  # share of the planned change realised
    planned_change_pct: Decimal | None  # (target − baseline)/baseline × 100
    actual_change_pct: Decimal | None  # (achieved − baseline)/baseline × 100
    error: str | None = None  # rule id when status == 'error'


def _num(value: object, field: str) -> Decimal | None:
    return None if value is None else parse_decimal(value, field=field)


def evaluate_target(t: Target) -> TargetResult:
    """Reduce: (baseline − achieved)/(baseline − target) × 100; increase mirrored.

    ``reached`` means achieved ≤ target (reduce) or ≥ target (increase).
    """
    if t.direction not in ("reduce", "increase"):
        raise InvalidInput("target.bad_direction", indicator=t.indicator, direction=t.direction)
    try:
        base, goal, done = _num(t.baseline, "baseline"), _num(t.target, "target"), _num(t.achieved, "achieved")
    except InvalidInput as exc:
        return TargetResult(t, "error", None, None, None, exc.rule)
    if base is None:
        return TargetResult(t, "error", None, None, None, "target.baseline_missing")
    if goal is None:
        return TargetResult(t, "error", None, None, None, "target.target_missing")
    planned = goal - base
    if planned == 0:
        return TargetResult(t, "error", None, None, None, "target.no_change")
    if (t.direction == "reduce") != (planned < 0):
        return TargetResult(t, "error", None, None, None, "target.wrong_direction")
    planned_pct = planned / base * HUNDRED if base != 0 else None
    if done is None:
        return TargetResult(t, "pending", None, planned_pct, None)
    achievement = (done - base) / planned * HUNDRED  # same formula for both directions
    actual_pct = (done - base) / base * HUNDRED if base != 0 else None
    reached = done <= goal if t.direction == "reduce" else done >= goal
    return TargetResult(t, "reached" if reached else "not_reached", achievement, planned_pct, actual_pct)
