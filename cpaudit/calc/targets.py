"""CP target achievement: baseline → target → achieved (ref §2.2).

Why an error *result*: a target table is rendered row by row; one row with a
missing baseline must show as an error in that row, not abort the table.

Directions (cp-audit-reference.md §2.2 "CP targets"): ``reduce`` and
``increase`` plan a change, so their target must differ from the baseline.
A *maintain* target (维持) keeps a level the plant already has, e.g. "keep
the water reuse rate at ≥ 95 %" or "keep zero discharge": its target equals
the baseline, and it is met when the achieved value stays at the baseline or
on its better side. Which side is better cannot be read from the number, so
there are two maintain directions: ``maintain_at_least`` (维持，不低于基准值:
met when achieved ≥ baseline) and ``maintain_at_most`` (维持，不高于基准值:
met when achieved ≤ baseline). A maintain target plans no change, so it has
no achievement percentage; its status says whether the level was kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from cpaudit.calc.errors import InvalidInput
from cpaudit.domain.units import parse_decimal

HUNDRED = Decimal(100)
TargetDirection = Literal["reduce", "increase", "maintain_at_least", "maintain_at_most"]
DIRECTIONS = ("reduce", "increase", "maintain_at_least", "maintain_at_most")
MAINTAIN = ("maintain_at_least", "maintain_at_most")
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
    achievement_pct: Decimal | None  # share of the planned change realised; None for maintain
    planned_change_pct: Decimal | None  # (target − baseline)/baseline × 100
    actual_change_pct: Decimal | None  # (achieved − baseline)/baseline × 100
    error: str | None = None  # rule id when status == 'error'


def _num(value: object, field: str) -> Decimal | None:
    return None if value is None else parse_decimal(value, field=field)


def lower_is_better(direction: str) -> bool:
    """True for ``reduce`` and ``maintain_at_most``: a smaller value is the better one."""
    return direction in ("reduce", "maintain_at_most")


def evaluate_target(t: Target) -> TargetResult:
    """Reduce: (baseline − achieved)/(baseline − target) × 100; increase mirrored.

    ``reached`` means achieved ≤ target (reduce) or ≥ target (increase).
    Maintain (ref §2.2): the target must equal the baseline; ``reached`` means
    achieved ≥ baseline (``maintain_at_least``) or ≤ baseline
    (``maintain_at_most``); the achievement percentage is None (no change was
    planned) and the planned change is 0 %.
    """
    if t.direction not in DIRECTIONS:
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
    if t.direction in MAINTAIN:
        if planned != 0:
            return TargetResult(t, "error", None, None, None, "target.maintain_changes")
    elif planned == 0:
        return TargetResult(t, "error", None, None, None, "target.no_change")
    elif (t.direction == "reduce") != (planned < 0):
        return TargetResult(t, "error", None, None, None, "target.wrong_direction")
    planned_pct = planned / base * HUNDRED if base != 0 else None
    if done is None:
        return TargetResult(t, "pending", None, planned_pct, None)
    actual_pct = (done - base) / base * HUNDRED if base != 0 else None
    if t.direction in MAINTAIN:
        kept = done <= base if lower_is_better(t.direction) else done >= base
        return TargetResult(t, "reached" if kept else "not_reached", None, planned_pct, actual_pct)
    achievement = (done - base) / planned * HUNDRED  # same formula for both directions
    reached = done <= goal if t.direction == "reduce" else done >= goal
    return TargetResult(t, "reached" if reached else "not_reached", achievement, planned_pct, actual_pct)
