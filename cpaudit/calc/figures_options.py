"""Phase 4–5 computed columns and figure sections: register, ranking, economics.

Adapters only: every formula is in the pure calc modules (cost_class,
scoring, economics); this module turns worksheet rows into their inputs and
their results into canonical decimal strings (forms) or plain data (figures).
The phase 6 sections live in ``figures_results`` (imported at the end so
both register with the one import the registries make).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any, Sequence

from cpaudit.calc import option_register as reg
from cpaudit.calc import scoring
from cpaudit.calc.errors import CalcError
from cpaudit.calc.registry import register
from cpaudit.domain.document import ROW_ID, AuditDocument
from cpaudit.figures import figure_section
from cpaudit.workflow.schema import Workflow
from cpaudit.domain.decimals import as_decimal, decimal_text

HUNDRED = Decimal(100)


def q(value: Decimal | None, places: int = 4) -> str | None:
    """Canonical text of a result, or None (shown as an empty cell, never a false zero)."""
    return None if value is None else decimal_text(value.quantize(Decimal(1).scaleb(-places)))


# --- option register (step 17) ----------------------------------------------------------

@register("option_cost_class")
def option_cost_class(doc: AuditDocument, row: dict[str, Any], step: str) -> str | None:
    """ref §2.4: class from the estimated investment with the audit's thresholds."""
    return reg.derived_class(doc, row.get("investment"))


# --- weighted-sum ranking of options (step 18; ref §2.5) --------------------------------

def _ranking(doc: AuditDocument, step: str, criteria: Sequence[str]) -> dict[str, scoring.Ranked]:
    factors = []
    for c in criteria:
        weight = as_decimal(doc.get(step, f"w_{c}"))
        if weight is None:
            return {}
        factors.append(scoring.Factor(c, weight))
    candidates = []
    for row in doc.rows(step, "ranking"):
        scores = {c: as_decimal(row.get(f"r_{c}")) for c in criteria}
        if all(v is not None for v in scores.values()):
            candidates.append(scoring.Candidate(row[ROW_ID], scores))  # type: ignore[arg-type]
    try:
        return {r.key: r for r in scoring.rank(factors, candidates)}
    except CalcError:
        return {}


@register("option_rank_total")
def option_rank_total(doc: AuditDocument, row: dict[str, Any], step: str, criteria: Sequence[str]) -> str | None:
    ranked = _ranking(doc, step, criteria).get(row[ROW_ID])
    return None if ranked is None else q(ranked.total, 2)


@register("option_rank")
def option_rank(doc: AuditDocument, row: dict[str, Any], step: str, criteria: Sequence[str]) -> int | None:
    ranked = _ranking(doc, step, criteria).get(row[ROW_ID])
    return None if ranked is None else ranked.rank


@register("option_rank_tied")
def option_rank_tied(doc: AuditDocument, row: dict[str, Any], step: str, criteria: Sequence[str]) -> bool | None:
    """Ties stay visible (ref §9.3): equal Σ W·R share a rank and are flagged."""
    ranked = _ranking(doc, step, criteria).get(row[ROW_ID])
    return None if ranked is None else ranked.tied


# --- economic evaluation (step 26; ref §4.1) ---------------------------------------------

def economics_values(econ: reg.OptionEconomics) -> dict[str, Any]:
    """Rounded values of the 经济评估指标汇总表: money 万元, N/years in a, rates in %."""
    r = econ.result
    interp = r.irr_interpolated
    return {
        "I": q(r.I, 2), "P": q(r.P, 2), "D": q(r.D, 2), "T": q(r.T, 2), "E": q(r.E, 2), "F": q(r.F, 2),
        "N": q(r.N, 2), "npv": q(r.npv, 2), "npvr": q(r.npvr, 2),
        "irr": q(None if r.irr is None else r.irr * HUNDRED, 2),
        "irr_interpolated": q(None if interp is None else interp.irr * HUNDRED, 2),
        "dynamic_payback": q(r.dynamic_payback, 2),
        "norm": q(econ.norm, 2),
        "verdict": None if econ.verdict is None else ("pass" if econ.verdict.passed else "fail"),
    }


@register("option_economics")
def option_economics(doc: AuditDocument, row: dict[str, Any], step: str, indicator: str) -> Any:
    econ = reg.option_economics(doc, reg.number_of(row.get("option_no")))
    return None if econ is None else economics_values(econ)[indicator]


# --- figure sections ------------------------------------------------------------------

@figure_section("options")
def options_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Counts by class, status and phase proposed, and investment totals (ref §6 Ch.4.2)."""
    by_class: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    by_phase: Counter[str] = Counter()
    invest = {c: Decimal(0) for c in ("none", "low", "medium", "high")}
    rows = []
    for number, row in reg.register(doc).items():
        klass = reg.effective_class(doc, row) or "unknown"
        by_class[klass] += 1
        by_status[row.get("status") or "unknown"] += 1
        by_phase[row.get("proposed_in") or "unknown"] += 1
        amount = as_decimal(row.get("investment")) or Decimal(0)
        if klass in invest and row.get("status") != "rejected":
            invest[klass] += amount
        rows.append({"number": number, "name": row.get("name"), "class": klass,
                     "derived_class": reg.derived_class(doc, row.get("investment")),
                     "status": row.get("status"), "investment": q(amount, 2)})
    nlc = invest["none"] + invest["low"]
    mhc = invest["medium"] + invest["high"]
    return {
        "count": len(rows), "by_class": dict(by_class), "by_status": dict(by_status),
        "by_phase": dict(by_phase),
        "investment": {"no_low_cost": q(nlc, 2), "medium_high_cost": q(mhc, 2), "total": q(nlc + mhc, 2),
                       "unit": "万元", "excludes": "rejected"},
        "thresholds": {"low_cost_below": q(reg.setting(doc, "low_cost_below"), 2),
                       "medium_cost_below": q(reg.setting(doc, "medium_cost_below"), 2)},
        "options": rows,
    }


@figure_section("option_ranking")
def option_ranking_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Σ W·R per option with ranks; ties listed (ref §2.5)."""
    step = "option_screening"
    criteria = ("environment", "economic", "technical", "ease")
    ranked = _ranking(doc, step, criteria)
    by_row = {r[ROW_ID]: r for r in doc.rows(step, "ranking")}
    out = [{"option_no": by_row[key].get("option_no"), "total": q(r.total, 2), "rank": r.rank, "tied": r.tied}
           for key, r in sorted(ranked.items(), key=lambda kv: (kv[1].rank, kv[1].input_index))]
    return {"weights": {c: doc.get(step, f"w_{c}") for c in criteria}, "ranking": out,
            "ties": [o["option_no"] for o in out if o["tied"]]}


@figure_section("economics")
def economics_figure(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Per medium/high option: I … IRR, dynamic payback, norm and verdict, with the settings used."""
    reasons = {reg.number_of(r.get("option_no")): r.get("decision_reason") for r in doc.rows(*reg.EVALUATION)}
    options = []
    for number, row in reg.medium_high_options(doc):
        econ = reg.option_economics(doc, number)
        entry: dict[str, Any] = {"number": number, "name": row.get("name"), "class": reg.effective_class(doc, row)}
        if econ is None:
            entry["missing"] = "investment_items"
        else:
            entry.update(economics_values(econ))
            interp = econ.result.irr_interpolated
            if interp is not None:
                entry["irr_interpolation"] = {
                    "i1": q(interp.rate_low * HUNDRED, 2), "i2": q(interp.rate_high * HUNDRED, 2),
                    "npv1": q(interp.npv_low, 4), "npv2": q(interp.npv_high, 4)}
            entry["failed_rules"] = list(econ.verdict.reasons) if econ.verdict else []
        entry["decision_reason"] = reasons.get(number)
        options.append(entry)
    settings = {k: q(reg.setting(doc, k), 2) for k in
                ("discount_rate", "income_tax_rate", "depreciation_years", "economic_life", "benchmark_irr")}
    norms = {k: q(v, 2) for k, v in reg.payback_norms().years.items()}
    return {"settings": settings, "payback_norms": norms, "options": options}


from cpaudit.calc import figures_results  # noqa: E402,F401  (registers the phase 6 sections)
