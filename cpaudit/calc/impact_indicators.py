"""Inputs of the Ch.6.4 before/after indicator evaluation (ref §6 Ch.6.4, sample-cases rule 9).

Ch.6.4 compares the plant with the sector system before and after implementation:
the "before" is the same evaluation as Ch.2.5.2 (phase 2, ``pollution_status.
indicator_values``), not a second baseline typed in phase 6. So the phase-2 rows
are the before side wherever they assess an indicator, their "not applicable"
holds after implementation too, and the rule ``indicators_match_baseline``
names every phase-6 row whose typed before level says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from cpaudit.calc import assessment_inputs as ai
from cpaudit.calc import indicators
from cpaudit.calc.errors import CalcError
from cpaudit.calc.indicator_data import IndicatorSystem
from cpaudit.domain.document import AuditDocument
from cpaudit.domain.decimals import as_decimal

IMPACT = "impact"


def impact_system(doc: AuditDocument) -> IndicatorSystem | None:
    system_id = doc.get(IMPACT, "indicator_system")
    if not system_id:
        return None
    try:
        return indicators.load_bundled(str(system_id))
    except CalcError:
        return None


def typed_input(kind: str, row: dict[str, Any], suffix: str) -> indicators.IndicatorInput | None:
    """One phase-6 row as typed, for ``suffix`` "before" or "after"; None when it gives nothing."""
    if row.get("applicable") is False:
        return indicators.IndicatorInput(applicable=False)
    if kind == "qualitative" and row.get(f"level_{suffix}"):
        return indicators.IndicatorInput(level=str(row[f"level_{suffix}"]))
    value = as_decimal(row.get(f"value_{suffix}"))
    return None if value is None else indicators.IndicatorInput(value=value)


def baseline_inputs(doc: AuditDocument, system: IndicatorSystem) -> dict[str, indicators.IndicatorInput]:
    """The phase-2 inputs, when phase 2 evaluated the same system; else none."""
    chosen = ai.chosen_system(doc)
    return ai.indicator_inputs(doc, system) if chosen is not None and chosen.id == system.id else {}


def impact_inputs(doc: AuditDocument, system: IndicatorSystem, suffix: str) -> dict[str, indicators.IndicatorInput]:
    """Phase-6 rows, with phase 2's not-applicable flags and, for "before", phase 2's inputs."""
    known = {i.key: i for i in system.indicators}
    inputs: dict[str, indicators.IndicatorInput] = {}
    for row in doc.rows(IMPACT, "indicators"):
        key = str(row.get("indicator") or "").strip()
        if key not in known:
            continue  # the rule indicator_keys reports it
        inp = typed_input(known[key].kind, row, suffix)
        if inp is not None:
            inputs[key] = inp
    for key, base in baseline_inputs(doc, system).items():
        if suffix == "before" or not base.applicable:
            inputs[key] = base
        elif key in inputs and inputs[key].value is not None and base.variant:
            inputs[key] = replace(inputs[key], variant=base.variant)  # the product mix stays that of phase 2
    return inputs


@dataclass(frozen=True)
class Mismatch:
    """A phase-6 row whose typed before level differs from the phase-2 level of that indicator."""

    row: dict[str, Any]
    n: int
    key: str
    typed: str | None  # None: typed as applicable, but phase 2 says not applicable
    baseline: str | None  # None: not applicable at baseline


def baseline_mismatches(doc: AuditDocument) -> list[Mismatch]:
    system = impact_system(doc)
    if system is None:
        return []
    baseline = baseline_inputs(doc, system)
    known = {i.key: i for i in system.indicators}
    out: list[Mismatch] = []
    for n, row in enumerate(doc.rows(IMPACT, "indicators"), start=1):
        key = str(row.get("indicator") or "").strip()
        base = baseline.get(key)
        if key not in known or base is None:
            continue
        typed = typed_input(known[key].kind, row, "before")
        if typed is None or typed.applicable is False and base.applicable is False:
            continue
        levels = []
        for inp in (typed, base):
            try:
                levels.append(indicators.level_of(known[key], inp) if inp.applicable else None)
            except CalcError:
                levels.append("?")  # an unreadable input: the phase's own rules report it
        if "?" not in levels and levels[0] != levels[1]:
            out.append(Mismatch(row, n, key, levels[0], levels[1]))
    return out


def missing_after(doc: AuditDocument) -> list[str]:
    """Indicators phase 2 assessed (applicable) that have no phase-6 row."""
    system = impact_system(doc)
    if system is None:
        return []
    given = {str(r.get("indicator") or "").strip() for r in doc.rows(IMPACT, "indicators")}
    return [k for k, inp in baseline_inputs(doc, system).items() if inp.applicable and k not in given]
