"""Figure sections of the profile and phases 1–3, and (by import) their computed fields.

Every section is plain JSON-able data (numbers as decimal strings) for
``cpaudit figures`` and the report. A section that cannot be computed yet
says why (``status`` + ``reason`` rule id) instead of failing, so one
half-filled worksheet never hides the others.
"""

from __future__ import annotations

from typing import Any

from cpaudit.calc import assessment_inputs as ai
from cpaudit.calc import computed_assessment as ca  # noqa: F401  (registers the computed fields)
from cpaudit.calc.errors import CalcError
from cpaudit.calc.targets import evaluate_target
from cpaudit.domain.document import AuditDocument
from cpaudit.figures import figure_section
from cpaudit.workflow.schema import Workflow

dec, qty_text = ca.dec, ca.qty_text


def _pending(reason: str, **extra: Any) -> dict[str, Any]:
    return {"status": "incomplete", "reason": reason, **extra}


def _failed(exc: CalcError) -> dict[str, Any]:
    return {"status": "error", "reason": exc.rule, "params": {k: str(v) for k, v in exc.params.items()}}


@figure_section("baseline_trends")
def baseline_trends(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Products, materials, energy, water and pollutants over the 3 survey years (ref §1 phase 2)."""
    years = list(ai.survey_years(doc))
    if None in years:
        return _pending("years.missing", years=years)
    out: dict[str, Any] = {"status": "ok", "years": years, "baseline_year": years[2]}
    outputs = []
    for col in ai.YEARS:
        try:
            outputs.append(ai.reference_output(doc, col))
        except CalcError as exc:
            return {**_failed(exc), "years": years}
    out["reference_output"] = [qty_text(q, 3) for q in outputs]

    def series(step: str, table: str, name_col: str, extra: tuple[str, ...] = (), per_unit: bool = True) -> list[dict[str, Any]]:
        rows = []
        for r in doc.rows(step, table):
            item = {"name": ai.text(r.get(name_col)), "unit": ai.text(r.get("unit")) or "m³",
                    "values": [r.get(c) for c in ai.YEARS]}
            item.update({k: r.get(k) for k in extra})
            if per_unit:  # products are the denominator themselves
                item["per_unit"] = [qty_text(ai.safe(ai.per_unit, q, o), 6) if q and o else None
                                    for q, o in zip((ai.row_quantity(r, c, unit=item["unit"]) for c in ai.YEARS), outputs)]
            rows.append(item)
        return rows

    out["products"] = series(ai.SURVEY, "products", "product", ("reference",), per_unit=False)
    out["materials"] = series(ai.SURVEY, "materials", "material", ("hazardous",))
    out["water"] = series(ai.SURVEY, "water", "source", ("kind",))
    out["fresh_water"] = [qty_text(ca.fresh_water(doc, c), 1) for c in ai.YEARS]
    out["fresh_water_per_unit"] = [ca.fresh_water_per_unit(doc, ai.SURVEY, c) for c in ai.YEARS]
    energy = [ai.safe(ai.energy_result, doc, doc.rows(ai.SURVEY, "energy"), c, o) for c, o in zip(ai.YEARS, outputs)]
    out["energy_tce"] = [None if e is None else dec(e.total_tce, 3) for e in energy]
    out["energy_per_unit"] = [None if e is None else qty_text(e.per_unit_kgce, 4) for e in energy]
    out["pollutants"] = [
        {"medium": r.get("medium"), "pollutant": ai.text(r.get("pollutant")), "hw_code": r.get("hw_code"),
         "stage": r.get("stage"), "unit": ai.text(r.get("unit")), "values": [r.get(c) for c in ai.YEARS]}
        for r in doc.rows(ai.POLLUTION, "pollutants")
    ]
    return out


@figure_section("energy")
def energy(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Comprehensive energy of the baseline year in tce, labelled with edition and electricity factor (ref §4.3)."""
    rows = doc.rows(ai.SURVEY, "energy")
    if not rows:
        return _pending("energy.no_rows")
    try:
        output = ai.reference_output(doc)
        result = ai.energy_result(doc, rows, "y3", output)
    except CalcError as exc:
        return _failed(exc)
    out: dict[str, Any] = {
        "status": "ok", "edition": result.edition, "electricity_method": result.electricity_method,
        "electricity_factor_kgce_per_kwh": str(result.electricity_factor), "label": ai.electricity_label(doc),
        "year": ai.survey_years(doc)[2],
        # factor_basis "table" (GB/T 2589 edition above) or "measured" (the plant's LHV ÷ 29 307.6 kJ/kgce)
        "lines": [{"carrier": ln.carrier, "quantity": str(ln.quantity.value), "unit": ln.quantity.unit,
                   "factor_kgce": dec(ln.factor, 6), "factor_unit": ln.factor_unit, "factor_basis": ln.basis,
                   "lhv": None if ln.lhv is None else str(ln.lhv.value), "lhv_unit": None if ln.lhv is None else ln.lhv.unit,
                   "lhv_source": ln.lhv_source or None, "tce": dec(ln.tce, 3)} for ln in result.lines],
        "measured_factors": sum(1 for ln in result.lines if ln.basis == "measured"),
        "total_tce": dec(result.total_tce, 3),
        "per_unit": qty_text(result.per_unit_kgce, 4),
    }
    focus = doc.rows(ai.BALANCE, "energy_balance")
    if focus:
        out["focus_balance"] = {k: ca.energy_balance_total(doc, ai.BALANCE, k) for k in ("supplied", "useful", "efficiency")}
    return out


@figure_section("indicator_evaluation")
def indicator_evaluation(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """The baseline year against the chosen sector system: levels, Y, gaps (ref §5)."""
    system = ai.chosen_system(doc)
    if system is None:
        return _pending("indicator.no_system")
    try:
        from cpaudit.calc.indicators import by_no_requirement, evaluate

        ev = evaluate(system, ai.indicator_inputs(doc, system))
    except CalcError as exc:
        return _failed(exc)
    return {
        "status": "ok", "system": system.id, "title_zh": system.title_zh, "edition": system.edition,
        "system_status": system.status, "scored": ev.scored,
        "y": None if ev.y is None else {k: dec(v, 2) for k, v in ev.y.items()},
        "level": ev.level, "counts": dict(ev.counts),
        "outcomes": [{"key": o.key, "name_zh": system.indicator(o.key).name_zh, "group": o.group,
                      "unit": system.indicator(o.key).unit, "applicable": o.applicable, "assessed": o.assessed,
                      "value": None if o.value is None else str(o.value),
                      "level": o.level if o.assessed else None, "limiting": o.limiting, "verified": o.verified,
                      "no_requirement": o.assessed and by_no_requirement(system.indicator(o.key), o.level),
                      "weight": None if o.weight is None else dec(o.weight, 6)} for o in ev.outcomes],
        "gap_target": ev.gap_target,
        "gaps": [{"key": g.key, "target_level": g.target_level, "current": None if g.current is None else str(g.current),
                  "benchmark": None if g.benchmark is None else str(g.benchmark),
                  "gap": None if g.gap is None else str(g.gap), "unit": g.unit, "limiting": g.limiting} for g in ev.gaps],
        "findings": [{"rule": f.rule, **dict(f.params)} for f in ev.findings],
        "not_assessed": list(ev.not_assessed), "uses_unverified": ev.uses_unverified,
    }


@figure_section("focus_ranking")
def focus_ranking(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Weighted-sum ranking of the candidate focuses (ref §2.1) and the chosen focus."""
    chosen = ai.text(doc.get(ai.FOCUS, "chosen_focus")) or None
    method = doc.get(ai.FOCUS, "method") or "weighted_sum"
    factors, candidates = ai.focus_scoring(doc)
    out: dict[str, Any] = {"method": method, "chosen": chosen,
                           "factors": [{"factor": f.key, "weight": str(f.weight)} for f in factors]}
    if method != "weighted_sum":
        return {"status": "ok", **out, "candidates": [c.key for c in candidates]}
    if not factors or not candidates:
        return _pending("focus.no_scoring", **out)
    try:
        from cpaudit.calc.scoring import rank

        ranked = rank(factors, candidates)
    except CalcError as exc:
        return {**_failed(exc), **out}
    top = [r.key for r in ranked if r.rank == 1]
    return {"status": "ok", **out,
            "ranking": [{"candidate": r.key, "total": dec(r.total, 2), "rank": r.rank, "tied": r.tied,
                         "scores": {k: str(v) for k, v in candidates[r.input_index].scores.items()}} for r in ranked],
            "top": top, "chosen_is_top": chosen in top if chosen else None}


@figure_section("targets")
def targets(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Baseline, near-term and long-term CP targets (ref §2.2); achievement is phase 6."""
    rows = doc.rows("cp_targets", "targets")
    if not rows:
        return _pending("targets.no_rows")
    items = []
    for r in rows:
        item: dict[str, Any] = {k: r.get(k) for k in ("indicator", "category", "unit", "direction", "baseline",
                                                     "near", "long", "basis")}
        for col in ("near", "long"):
            t = ca.target_of(r, col)
            res = None if t is None else evaluate_target(t)
            item[f"{col}_change_pct"] = None if res is None or res.planned_change_pct is None else dec(res.planned_change_pct, 1)
            item[f"{col}_error"] = None if res is None else res.error
        items.append(item)
    return {"status": "ok", "baseline_year": ai.survey_years(doc)[2],
            "near_year": doc.get("cp_targets", "near_year"), "long_year": doc.get("cp_targets", "long_year"),
            "targets": items}


def _balances(doc: AuditDocument, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for bdef in ai.balance_defs(doc):
        if bdef.type not in kinds:
            continue
        head: dict[str, Any] = {"name": bdef.name, "type": bdef.type, "component": bdef.component,
                                "tolerance_pct": str(bdef.tolerance)}
        streams = ai.balance_streams(doc, bdef.name)
        head["streams"] = [{"stream": s.name, "unit_operation": s.unit_operation, "direction": s.direction,
                            "kind": str(s.kind), "quantity": str(s.quantity.value), "unit": s.quantity.unit,
                            "measured": s.measured} for s in streams]
        try:
            res = ai.balance_result(doc, bdef)
        except CalcError as exc:
            out.append({**head, **_failed(exc)})
            continue

        def closure(c: Any) -> dict[str, Any]:
            return {"name": c.name, "total_in": dec(c.total_in, 3), "total_out": dec(c.total_out, 3),
                    "deviation_pct": dec(c.deviation_pct, 2), "closes": c.closes, "estimated_streams": c.estimated_streams}

        out.append({**head, "status": "ok", "unit": res.unit, "overall": closure(res.overall),
                    "gap": dec(res.overall.total_in - res.overall.total_out, 3),
                    "unit_operations": [closure(c) for c in res.unit_operations], "breaking": list(res.breaking),
                    "closes": res.closes})
    return out


@figure_section("material_balance")
def material_balance(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Material balances of the audit focus: Σin, Σout, deviation, unit operations (ref §3)."""
    items = _balances(doc, ("material",))
    return {"status": "ok", "balances": items} if items else _pending("balance.none")


@figure_section("pollutant_balance")
def pollutant_balance(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Pollutant-factor balances (污染因子平衡), e.g. Ni or Cr in a plating line (ref §3)."""
    items = _balances(doc, ("pollutant",))
    return {"status": "ok", "balances": items} if items else _pending("balance.none")


@figure_section("water_balance")
def water_balance(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """Stream water balances and the plant's GB/T 12452 figures (ref §3 water balance)."""
    plant = None
    inp = ai.water_input(doc)
    if inp is not None:
        res = ca.water_result(doc)
        plant = {f: doc.get(ai.BALANCE, f) for f in ai.WATER_FIELDS}
        if res is not None:
            plant.update({"total_use": dec(res.total_use, 1), "reuse_rate_pct": dec(res.reuse_rate_pct, 2),
                          "deviation_pct": dec(res.deviation_pct, 2), "closes": res.closes,
                          "unit_intake": qty_text(res.unit_intake, 4)})
    items = _balances(doc, ("water",))
    if not items and plant is None:
        return _pending("balance.none")
    return {"status": "ok", "balances": items, "plant": plant}
