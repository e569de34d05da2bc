"""Weighted-sum scoring (权重总和计分排序法) of candidate focuses and options (ref §2.1, §2.5).

Why deterministic ties: the inspector recomputes Σ W·R by hand; when two
candidates tie, both must visibly share the rank, in the order the team
entered them, rather than an arbitrary one silently winning.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Sequence

from cpaudit.calc.errors import InvalidInput
from cpaudit.domain.units import parse_decimal


@dataclass(frozen=True)
class Factor:
    """A scoring criterion with its weight W (editable per audit; ref §2.1 table)."""

    key: str
    weight: Decimal

    def __post_init__(self) -> None:
        w = parse_decimal(self.weight, field=f"weight[{self.key}]")
        if w < 0:
            raise InvalidInput("scoring.negative_weight", factor=self.key, weight=str(w))
        object.__setattr__(self, "weight", w)


@dataclass(frozen=True)
class ScoreBounds:
    """Allowed range of R; the classic sheet uses 1–10 (ref §2.1)."""

    r_min: Decimal = Decimal(1)
    r_max: Decimal = Decimal(10)


@dataclass(frozen=True)
class Candidate:
    """A candidate audit focus or an option with its scores R per factor key."""

    key: str
    scores: Mapping[str, Decimal]


@dataclass(frozen=True)
class Ranked:
    key: str
    total: Decimal  # Σ W·R
    rank: int  # 1 = best; equal totals share the number (1, 1, 3)
    tied: bool
    input_index: int


def weighted_sum(factors: Sequence[Factor], scores: Mapping[str, Decimal | int | str],
                 bounds: ScoreBounds | None = None, *, candidate: str = "") -> Decimal:
    """Σ W·R over ``factors``; every factor needs a score and no extra keys are allowed."""
    b = bounds or ScoreBounds()
    keys = [f.key for f in factors]
    if len(set(keys)) != len(keys):
        raise InvalidInput("scoring.duplicate_factor")
    for k in scores:
        if k not in keys:
            raise InvalidInput("scoring.unknown_factor", candidate=candidate, factor=k)
    total = Decimal(0)
    for f in factors:
        if f.key not in scores:
            raise InvalidInput("scoring.missing_score", candidate=candidate, factor=f.key)
        r = parse_decimal(scores[f.key], field=f"score[{candidate}.{f.key}]")
        if not b.r_min <= r <= b.r_max:
            raise InvalidInput("scoring.score_out_of_range", candidate=candidate, factor=f.key,
                               score=str(r), r_min=str(b.r_min), r_max=str(b.r_max))
        total += f.weight * r
    return total


def rank(factors: Sequence[Factor], candidates: Sequence[Candidate],
         bounds: ScoreBounds | None = None) -> tuple[Ranked, ...]:
    """Candidates sorted by Σ W·R descending; ties keep input order and share a rank."""
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise InvalidInput("scoring.duplicate_candidate")
    totals = [(weighted_sum(factors, c.scores, bounds, candidate=c.key), i, c.key)
              for i, c in enumerate(candidates)]
    ordered = sorted(totals, key=lambda t: (-t[0], t[1]))
    first_pos: dict[Decimal, int] = {}
    counts: dict[Decimal, int] = {}
    for pos, (total, _, _) in enumerate(ordered):
        first_pos.setdefault(total, pos)
        counts[total] = counts.get(total, 0) + 1
    return tuple(Ranked(key, total, first_pos[total] + 1, counts[total] > 1, index)
                 for total, index, key in ordered)
