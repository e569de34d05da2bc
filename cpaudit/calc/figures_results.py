"""Phase 6 computed columns and figure sections: what the 验收 inspector scores.

Implementation results, target achievement, benefit totals (the numbers the
city dashboard sums), their environmental-tax value, the sector indicator
system after implementation, and what each bureau gate still lacks.
Formulas live in the pure calc modules; this is the adapter layer.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cpaudit.calc import env_benefit, indicators, targets
from cpaudit.calc import impact_indicators as impact
from cpaudit.calc import option_register as reg
from cpaudit.calc.errors import CalcError
from cpaudit.calc.registry import register
from cpaudit.domain.document import AuditDocument
from cpaudit.domain.units import Quantity
from cpaudit.figures import figure_section
from cpaudit.workflow.schema import Workflow
from cpaudit.domain.decimals import as_decimal

HUNDRED = Decimal(100)
IMPACT = "impact"
# Benefit column → key of resources/factors/env-tax-rates.toml (ref §4.2).
# Particulate is valued as 烟尘 (combustion dust); VOCs and heavy metals have no
# single equivalent value (the tax lists them per substance), so they are not valued.
TAX_KEYS = {"cod": "COD", "nh3n": "NH3_N", "so2": "SO2", "nox": "NOx", "particulate": "smoke_dust",
            "hazardous_waste": "hazardous"}


def q(value: Decimal | None, places: int = 4) -> str | None:
    from cpaudit.calc.figures_options import q as fmt

    return fmt(value, places)


# --- target achievement (step 31; ref §2.2, §6 Ch.6.2) ----------------------------------

def _target(row: dict[str, Any]) -> targets.TargetResult | None:
    goal = as_decimal(row.get("target"))
    if goal is None:
        return None
    try:
        return targets.evaluate_target(targets.Target(
            indicator=str(row.get("indicator") or ""), unit=str(row.get("unit") or ""),
            baseline=as_decimal(row.get("baseline")), target=goal, achieved=as_decimal(row.get("achieved")),
            direction=row.get("direction") or "reduce"))
    except CalcError:
        return None


@register("target_result")
def target_result(doc: AuditDocument, row: dict[str, Any], step: str, output: str) -> Any:
    """``output`` = "status" (enum target_status) or "achievement" (% of the planned change)."""
    result = _target(row)
    if result is None:
        return None
    return result.status if output == "status" else q(result.achievement_pct, 2)  # as printed: 102.78 %, not 102.8 shown as 102.80


@register("row_change_pct")
def row_change_pct(doc: AuditDocument, row: dict[str, Any], step: str, before: str, after: str) -> str | None:
    """(after − before) / before × 100; None for a zero or missing baseline."""
    b, a = as_decimal(row.get(before)), as_decimal(row.get(after))
    if b is None or a is None or b == 0:
        return None
    return q((a - b) / b * HUNDRED, 2)


# --- sector indicator system after implementation (ref §5, §6 Ch.6.4) -------------------

def _evaluation(doc: AuditDocument, suffix: str) -> indicators.Evaluation | None:
    system = impact.impact_system(doc)
    if system is None:
        return None
    try:
        return indicators.evaluate(system, impact.impact_inputs(doc, system, suffix))
    except CalcError:
        return None


@register("indicator_level")
def indicator_level(doc: AuditDocument, row: dict[str, Any], step: str, when: str = "after") -> str | None:
    evaluation = _evaluation(doc, when)
    key = str(row.get("indicator") or "").strip()
    if evaluation is None:
        return None
    for o in evaluation.outcomes:
        if o.key == key and o.assessed:
            return o.level
    return None


@register("impact_indicator_unit")
def impact_indicator_unit(doc: AuditDocument, row: dict[str, Any], step: str) -> str | None:
    """Table 6-6's unit: "138.7 → 124.8" said nothing without kgce/t焦."""
    from cpaudit.calc.computed_assessment import unit_in

    return unit_in(impact.impact_system(doc), row.get("indicator"))


def _evaluation_data(e: indicators.Evaluation | None) -> dict[str, Any] | None:
    if e is None:
        return None
    assessed = {o.key for o in e.outcomes if o.assessed}
    system = indicators.load_bundled(e.system_id)
    return {
        "level": e.level, "scored": e.scored, "y": {k: q(v, 2) for k, v in (e.y or {}).items()} or None,
        "counts": dict(e.counts),
        "indicators": {o.key: o.level for o in e.outcomes if o.assessed},
        "gap_target": e.gap_target,
        # Gaps of assessed indicators only: a coking plant judged on the integrated-steel
        # system must not list sintering or BOF rows as gaps; those stay in not_assessed.
        "gaps": [{"indicator": g.key, "level": g.target_level, "gap": q(g.gap) if isinstance(g.gap, Decimal) else None,
                  "unit": g.unit, "limiting": g.limiting} for g in e.gaps if g.key in assessed],
        "not_assessed": list(e.not_assessed), "uses_unverified": e.uses_unverified,
        # levels granted only because the system sets no requirement there (indicators.by_no_requirement)
        "no_requirement": [o.key for o in e.outcomes if o.assessed and indicators.by_no_requirement(
            system.indicator(o.key), o.level)],
    }


@figure_section("indicator_after")
def indicator_after_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    return {"system": doc.get(IMPACT, "indicator_system"),
            "before": _evaluation_data(_evaluation(doc, "before")),
            "after": _evaluation_data(_evaluation(doc, "after"))}


# --- figure sections ------------------------------------------------------------------

@figure_section("implementation")
def implementation_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Actual investment and effects of each implemented option, against the estimate (ref §6 Ch.6.3)."""
    register_rows = reg.register(doc)
    options = []
    for where, row in reg.effect_rows(doc):
        number = reg.number_of(row.get("option_no"))
        entry = register_rows.get(number, {})
        options.append({
            "number": number, "name": entry.get("name"), "class": reg.effective_class(doc, entry) if entry else None,
            "table": where[1], "estimated_investment": entry.get("investment"),
            "actual_investment": row.get("actual_investment"), "completed": row.get("completed"),
            "economic_benefit": row.get("economic_benefit"), "evidence": row.get("evidence"),
        })
    nlc = reg.benefit_totals(doc, reg.NLC_EFFECTS)
    mhc = reg.benefit_totals(doc, reg.MHC_EFFECTS)
    return {
        "options": options,
        "no_low_cost": {"actual_investment": q(nlc["actual_investment"], 2), "economic_benefit": q(nlc["economic_benefit"], 2)},
        "medium_high_cost": {"actual_investment": q(mhc["actual_investment"], 2), "economic_benefit": q(mhc["economic_benefit"], 2)},
        "lacking_evidence": reg.options_lacking_evidence(doc),
        "schedule_rows": len(doc.rows("implementation_org", "schedule")),
    }


@figure_section("benefit_totals")
def benefit_totals_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Σ over implemented options' verified effects, per year (the 绩效表 totals; ref §8, §9.9)."""
    totals = reg.benefit_totals(doc)
    return {
        "values": {c: q(totals[c], 4) for c in (*reg.BENEFIT_COLUMNS, "actual_investment")},
        "units": {c: reg.benefit_unit(c) for c in reg.BENEFIT_COLUMNS} | {"actual_investment": "万元"},
        "options_counted": sum(1 for _ in reg.effect_rows(doc)),
    }


@figure_section("env_benefit")
def env_benefit_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Environmental-tax value of the verified reductions (ref §4.2); rates shown with the result."""
    totals = reg.benefit_totals(doc)
    reductions = {TAX_KEYS[c]: Quantity.of(totals[c], "t/a") for c in TAX_KEYS if totals[c] > 0}
    try:
        table = env_benefit.load_tax_rates()
        result = env_benefit.env_tax_benefit(
            reductions, table, air_rate=as_decimal(doc.get(IMPACT, "air_tax_rate")),
            water_rate=as_decimal(doc.get(IMPACT, "water_tax_rate")))
    except CalcError as exc:
        return {"error": exc.rule}
    economic = totals["economic_benefit"]
    return {
        "edition": result.edition,
        "rates": {"air": q(as_decimal(doc.get(IMPACT, "air_tax_rate")) or table.air_rate, 2),
                  "water": q(as_decimal(doc.get(IMPACT, "water_tax_rate")) or table.water_rate, 2)},
        "lines": [{"pollutant": line.key, "equivalents": q(line.equivalents, 2), "rate": q(line.rate, 2),
                   "yuan_per_year": q(line.yuan_per_year, 2)} for line in result.lines],
        "total_wan_per_year": q(result.total_wan.amount, 4),
        # the 元 total of table 6-5: from the unrounded lines, not 万元 at 4 places × 10,000 (0.40 元 lost)
        "total_yuan_per_year": q(result.total.amount, 2),
        "not_valued": [c for c in ("vocs", "heavy_metals") if totals[c] > 0],
        # 绩效表: economic benefit = energy/material savings + emission-reduction benefit (ref §4.2)
        "economic_benefit_wan_per_year": q(economic, 4),
        "performance_total_wan_per_year": q(economic + result.total_wan.amount, 4),
    }


@figure_section("target_achievement")
def target_achievement_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    rows = []
    for row in doc.rows(IMPACT, "targets"):
        result = _target(row)
        rows.append({"indicator": row.get("indicator"), "unit": row.get("unit"), "direction": row.get("direction"),
                     "baseline": row.get("baseline"),
                     "target": row.get("target"), "achieved": row.get("achieved"),
                     "status": None if result is None else result.status,
                     "achievement_pct": None if result is None else q(result.achievement_pct, 2),
                     "options": [reg.number_of(n) for n in str(row.get("options") or "").replace("，", ",").split(",")
                                 if n.strip()]})
    reached = sum(1 for r in rows if r["status"] == "reached")
    return {"targets": rows, "reached": reached, "total": len(rows)}


@figure_section("gates")
def gates_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """What each bureau gate (评估, 验收) still lacks (ref §6)."""
    from cpaudit.workflow.gates import gate_report

    return {g.id: gate_report(doc, wf, g.id) for g in wf.gates}
