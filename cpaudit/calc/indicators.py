"""Evaluate a plant against a sector indicator system (ref §5).

Y_gk = Σ_i w_i Σ_j ω'_ij · 100·[x_ij meets g_k] with *cumulative* membership
(meeting Ⅰ also meets Ⅱ and Ⅲ), non-applicable rows dropped and ω
renormalised. Why the gap list: the Ⅰ/next-level gaps feed audit-focus and
option generation directly.
"""

from __future__ import annotations

from functools import lru_cache

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Mapping

from cpaudit.calc.errors import InvalidInput
from cpaudit.calc.indicator_data import (
    LEVELS,
    Indicator,
    IndicatorSystem,
    bundled_system_path,
    list_bundled_systems,
    load_system,
)
from cpaudit.domain.units import parse_decimal

__all__ = [
    "Evaluation", "Finding", "Gap", "IndicatorInput", "Outcome", "by_no_requirement", "evaluate", "gaps_to",
    "level_of", "load_bundled", "load_system", "list_bundled_systems",
]

HUNDRED = Decimal(100)
EPS = Decimal("1e-9")
Result = Literal["I", "II", "III", "below"]


@dataclass(frozen=True)
class IndicatorInput:
    """Value of one indicator: a number (quantitative) or the level the assessor
    judged (qualitative: 'I' | 'II' | 'III' | 'below'); ``applicable=False`` drops it."""

    value: Decimal | None = None
    level: str | None = None
    applicable: bool = True
    variant: str | None = None


@dataclass(frozen=True)
class Outcome:
    key: str
    group: str
    applicable: bool
    assessed: bool
    value: Decimal | None
    meets: tuple[bool, bool, bool]  # cumulative membership in Ⅰ, Ⅱ, Ⅲ
    level: Result
    weight: Decimal | None  # effective w_i·ω'_ij, None when not scored
    limiting: bool
    verified: bool


@dataclass(frozen=True)
class Gap:
    """What separates an indicator from ``target_level``; gap > 0 is the distance."""

    key: str
    target_level: str
    current: Decimal | str | None
    benchmark: Decimal | str | None
    gap: Decimal | None  # value − benchmark for ≤, benchmark − value for ≥
    unit: str
    limiting: bool


@dataclass(frozen=True)
class Finding:
    rule: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Evaluation:
    system_id: str
    edition: str
    rule_set: str
    scored: bool
    y: Mapping[str, Decimal] | None  # {'I': Y_Ⅰ, 'II': Y_Ⅱ, 'III': Y_Ⅲ}
    level: Result | None  # None when the system cannot be scored
    counts: Mapping[str, int]  # assessed rows per exact level, plus 'not_assessed'
    outcomes: tuple[Outcome, ...]
    gap_target: str | None
    gaps: tuple[Gap, ...]
    findings: tuple[Finding, ...]
    not_assessed: tuple[str, ...]
    uses_unverified: bool


@lru_cache(maxsize=32)
def load_bundled(system_id: str) -> IndicatorSystem:
    """Load ``resources/indicator-systems/<id>.toml`` (cached: shipped data never changes at run time)."""
    return load_system(bundled_system_path(system_id))


def system_title(system_id: str, lang: str, title_zh: str | None = None) -> str:
    """A system by its title in ``lang``; evaluations store its id, and a system this app does not
    ship is named by its stored Chinese title or its id."""
    try:
        system = load_bundled(str(system_id))
    except Exception:  # noqa: BLE001 - any unreadable or unknown id
        return title_zh or str(system_id)
    if lang != "zh_CN" and system.title_en:
        return system.title_en
    return system.title_zh or title_zh or str(system_id)


def _coerce(ind: Indicator, raw: object) -> IndicatorInput:
    if isinstance(raw, IndicatorInput):
        return raw
    if ind.kind == "qualitative":
        return IndicatorInput(level=str(raw))
    return IndicatorInput(value=parse_decimal(raw, field=ind.key))


def _bench(ind: Indicator, inp: IndicatorInput) -> Mapping[str, Decimal]:
    if not ind.variants:
        return ind.benchmarks
    if inp.variant not in ind.variants:
        raise InvalidInput("indicator.variant_required", indicator=ind.key, variants=",".join(ind.variants))
    return ind.variants[inp.variant]


def _meets(ind: Indicator, inp: IndicatorInput) -> tuple[bool, bool, bool]:
    """Direct test per level, then made cumulative (meets Ⅰ ⇒ meets Ⅱ ⇒ meets Ⅲ)."""
    if ind.kind == "qualitative":
        if inp.level not in (*LEVELS, "below"):
            raise InvalidInput("indicator.bad_level", indicator=ind.key, level=str(inp.level))
        direct = [inp.level != "below" and LEVELS.index(inp.level) <= k for k in range(3)]
    else:
        if inp.value is None:
            raise InvalidInput("indicator.value_missing", indicator=ind.key)
        x = parse_decimal(inp.value, field=ind.key)
        bench = _bench(ind, inp)
        direct = []
        for lv in LEVELS:
            if lv in ind.no_requirement:
                direct.append(True)
            elif lv not in bench:
                direct.append(False)  # unknown benchmark: cannot be shown to be met
            else:
                direct.append(x <= bench[lv] if ind.direction == "<=" else x >= bench[lv])
    m1 = direct[0]
    m2 = m1 or direct[1]
    return (m1, m2, m2 or direct[2])


def level_of(ind: Indicator, inp: IndicatorInput) -> Result:
    """The level one indicator reaches on its own (raises InvalidInput for a bad value or level)."""
    return _level(_meets(ind, inp))


def by_no_requirement(ind: Indicator, level: str | None) -> bool:
    """True when ``level`` was granted only because the system sets no requirement ("--") there.

    indicator-systems.md, "Consequences" item 3 leaves open whether "--" counts as met; this
    code counts it as met, and the report and figures say so beside the level.
    """
    return ind.kind == "quantitative" and level in ind.no_requirement


def _level(meets: tuple[bool, bool, bool]) -> Result:
    for lv, ok in zip(LEVELS, meets):
        if ok:
            return lv  # type: ignore[return-value]
    return "below"


def _weights(system: IndicatorSystem, applicable: set[str]) -> dict[str, Decimal]:
    """Effective w_i·ω'_ij; shares split over participating rows (0.8/n), then renormalised."""
    groups = [g for g in system.groups if any(i.key in applicable for i in g.indicators)]
    w_total = sum((g.weight for g in groups), Decimal(0))  # type: ignore[misc]
    result: dict[str, Decimal] = {}
    for g in groups:
        rows = [i for i in g.indicators if i.key in applicable]
        n_share = {s: sum(1 for i in rows if i.weight_share == s) for s in g.shares}
        raw = {i.key: i.weight if i.weight is not None else g.shares[i.weight_share] / n_share[i.weight_share]
               for i in rows}  # type: ignore[index]
        omega_total = sum(raw.values(), Decimal(0))
        for key, omega in raw.items():
            result[key] = g.weight / w_total * omega / omega_total  # type: ignore[operator]
    return result


def evaluate(system: IndicatorSystem, inputs: Mapping[str, IndicatorInput | Decimal | int | str]) -> Evaluation:
    """Indicator levels, Y scores (if the system has all weights), level and gaps."""
    for key in inputs:
        if key not in {i.key for i in system.indicators}:
            raise InvalidInput("indicator.unknown", indicator=key, system=system.id)
    outcomes: list[Outcome] = []
    not_assessed: list[str] = []
    applicable: set[str] = set()
    for ind in system.indicators:
        raw = inputs.get(ind.key)
        inp = _coerce(ind, raw) if raw is not None else None
        if inp is not None and not inp.applicable:
            outcomes.append(Outcome(ind.key, ind.group, False, False, None, (False,) * 3, "below",
                                    None, ind.limiting, ind.fully_verified))
            continue
        applicable.add(ind.key)
        if inp is None:
            not_assessed.append(ind.key)  # conservative: counts as meeting no level
            meets = (False, False, False)
        else:
            meets = _meets(ind, inp)
        outcomes.append(Outcome(ind.key, ind.group, True, inp is not None,
                                None if inp is None or inp.value is None else parse_decimal(inp.value),
                                meets, _level(meets), None, ind.limiting, ind.fully_verified))
    findings = [Finding("indicator.not_assessed", (("indicator", k),)) for k in not_assessed]
    counts = {lv: sum(1 for o in outcomes if o.assessed and o.level == lv) for lv in (*LEVELS, "below")}
    counts["not_assessed"] = len(not_assessed)
    scored = system.scorable and bool(applicable)
    y: dict[str, Decimal] | None = None
    level: Result | None = None
    if scored:
        weights = _weights(system, applicable)
        outcomes = [o if not o.applicable else _with_weight(o, weights[o.key]) for o in outcomes]
        y = {lv: sum((o.weight * HUNDRED for o in outcomes if o.applicable and o.meets[k]), Decimal(0))
             for k, lv in enumerate(LEVELS)}  # type: ignore[misc]
        level, level_findings = _decide(system, y, [o for o in outcomes if o.applicable])
        findings.extend(level_findings)
    else:
        findings.append(Finding("indicator.system_not_scored", (("system", system.id),)))
    target = {"II": "I", "III": "II", "below": "III", None: "I"}.get(level)
    gap_list = gaps_to(system, outcomes, inputs, target) if target else ()
    return Evaluation(
        system.id, system.edition, system.rule_set.key, scored, y, level, counts, tuple(outcomes), target,
        gap_list, tuple(findings), tuple(not_assessed),
        any(not o.verified for o in outcomes if o.applicable),
    )


def _with_weight(o: Outcome, weight: Decimal) -> Outcome:
    return Outcome(o.key, o.group, o.applicable, o.assessed, o.value, o.meets, o.level, weight,
                   o.limiting, o.verified)


def _decide(system: IndicatorSystem, y: Mapping[str, Decimal], rows: list[Outcome]) -> tuple[Result, list[Finding]]:
    """Ⅰ: Y_Ⅰ ≥ 85 and limiting meet Ⅰ; Ⅱ: Y_Ⅱ ≥ 85 and limiting meet Ⅱ; Ⅲ: Y_Ⅲ = 100."""
    rs = system.rule_set
    findings: list[Finding] = []
    limiting = [o for o in rows if o.limiting]
    for k, lv, threshold in ((0, "I", rs.level_i_min), (1, "II", rs.level_ii_min)):
        failed_limiting = [o.key for o in limiting if not o.meets[k]]
        ok = y[lv] >= threshold - EPS and not failed_limiting  # type: ignore[operator]
        if lv == "I" and rs.i_requires_non_limiting_ii:
            weak = [o.key for o in rows if not o.limiting and not o.meets[1]]
            if weak:
                ok = False
                findings.append(Finding("indicator.level_I.non_limiting_below_II", (("indicators", ",".join(weak)),)))
        if y[lv] < threshold - EPS:  # type: ignore[operator]
            findings.append(Finding(f"indicator.level_{lv}.y_below_threshold",
                                    (("y", str(y[lv])), ("threshold", str(threshold)))))
        if failed_limiting:
            findings.append(Finding(f"indicator.level_{lv}.limiting_not_met",
                                    (("indicators", ",".join(failed_limiting)),)))
        if ok:
            return lv, findings  # type: ignore[return-value]
    if all(o.meets[2] for o in rows):  # Y_Ⅲ = 100 exactly when every row meets Ⅲ
        return "III", findings
    findings.append(Finding("indicator.level_III.y_below_100", (("y", str(y["III"])),)))
    return "below", findings


def gaps_to(system: IndicatorSystem, outcomes: list[Outcome] | tuple[Outcome, ...],
            inputs: Mapping[str, object], target: str) -> tuple[Gap, ...]:
    """Every applicable indicator that does not meet ``target``, with its distance."""
    k = LEVELS.index(target)
    result: list[Gap] = []
    for o in outcomes:
        if not o.applicable or o.meets[k]:
            continue
        ind = system.indicator(o.key)
        if ind.kind == "qualitative":
            raw = inputs.get(o.key)
            current = raw.level if isinstance(raw, IndicatorInput) else (None if raw is None else str(raw))
            result.append(Gap(o.key, target, current, ind.texts.get(target), None, ind.unit, ind.limiting))
            continue
        raw = inputs.get(o.key)
        bench = _bench(ind, _coerce(ind, raw)).get(target) if raw is not None else ind.benchmarks.get(target)
        gap = None
        if bench is not None and o.value is not None:
            gap = o.value - bench if ind.direction == "<=" else bench - o.value
        result.append(Gap(o.key, target, o.value, bench, gap, ind.unit, ind.limiting))
    return tuple(result)
