"""Computed fields and columns of the profile and phases 1–3 (live in the forms).

Each adapter reads cells through ``assessment_inputs`` and calls the calc
library; it never raises: a half-filled row shows an empty computed cell and
the validation rules say what is missing. Results are canonical values
(decimal strings, ints, short language-neutral texts with units).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cpaudit.calc import assessment_inputs as ai
from cpaudit.calc.balance import air_load, annual_load, water_balance, water_load
from cpaudit.calc.errors import CalcError
from cpaudit.calc.indicators import evaluate
from cpaudit.calc.registry import register
from cpaudit.calc.scoring import rank, weighted_sum
from cpaudit.calc.targets import Target, evaluate_target
from cpaudit.domain.document import AuditDocument
from cpaudit.domain.units import Quantity
from cpaudit.workflow.values import decimal_text

ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "below": "<Ⅲ"}


def dec(value: Decimal | None, places: int = 4) -> str | None:
    return None if value is None else decimal_text(value.quantize(Decimal(1).scaleb(-places)))


def qty_text(q: Quantity | None, places: int = 4) -> str | None:
    return None if q is None else f"{dec(q.value, places)} {q.unit}"


# --- status survey (WS 2-x): reference output, per-unit use, energy in tce ------------


@register("reference_output")
def reference_output(doc: AuditDocument, step: str, column: str = "y3") -> str | None:
    return qty_text(ai.safe(ai.reference_output, doc, column), 2)


@register("survey_per_unit")
def survey_per_unit(doc: AuditDocument, row: dict[str, Any], step: str, column: str = "y3") -> str | None:
    """Row amount of the baseline year ÷ reference output (ref §3 rule 1: per-unit = annual / output)."""
    amount, output = ai.row_quantity(row, column), ai.safe(ai.reference_output, doc, column)
    if amount is None or output is None:
        return None
    return qty_text(ai.per_unit(amount, output), 6)


@register("energy_row_tce")
def energy_row_tce(doc: AuditDocument, row: dict[str, Any], step: str, column: str = "y3") -> str | None:
    """One carrier in tce with the factor table (ref §4.3); electricity per the settings."""
    result = ai.safe(ai.energy_result, doc, [row], column)
    return None if result is None or not result.lines else dec(result.total_tce, 3)


@register("energy_row_factor")
def energy_row_factor(doc: AuditDocument, row: dict[str, Any], step: str, column: str = "y3") -> str | None:
    """The factor the row is converted with, e.g. "0.6108 kgce/m³" (table, or measured LHV ÷ 29 307.6; ref §4.3)."""
    result = ai.safe(ai.energy_result, doc, [row], column)
    if result is None or not result.lines:
        return None
    line = result.lines[0]
    return f"{dec(line.factor, 6)} kgce/{line.factor_unit}"


@register("energy_row_factor_basis")
def energy_row_factor_basis(doc: AuditDocument, row: dict[str, Any], step: str, column: str = "y3") -> str | None:
    """Enum energy_factor_basis: "measured" when the row's measured LHV is used, else "table"."""
    result = ai.safe(ai.energy_result, doc, [row], column)
    return None if result is None or not result.lines else result.lines[0].basis


@register("energy_row_useful_tce")
def energy_row_useful_tce(doc: AuditDocument, row: dict[str, Any], step: str, column: str = "quantity") -> str | None:
    """Useful energy = supplied × efficiency (ref §3 energy balance, GB/T 3484)."""
    result, eta = ai.safe(ai.energy_result, doc, [row], column), ai.num(row.get("efficiency"))
    if result is None or not result.lines or eta is None:
        return None
    return dec(result.total_tce * eta / Decimal(100), 3)


@register("energy_total_tce")
def energy_total_tce(doc: AuditDocument, step: str, table: str = "energy", column: str = "y3") -> str | None:
    result = ai.safe(ai.energy_result, doc, doc.rows(step, table), column)
    return None if result is None or not result.lines else dec(result.total_tce, 3)


@register("energy_per_unit")
def energy_per_unit(doc: AuditDocument, step: str, column: str = "y3") -> str | None:
    """Comprehensive energy per unit of reference output, kgce/unit (ref §3)."""
    output = ai.safe(ai.reference_output, doc, column)
    result = None if output is None else ai.safe(ai.energy_result, doc, doc.rows(step, "energy"), column, output)
    return None if result is None or result.per_unit_kgce is None else qty_text(result.per_unit_kgce, 4)


@register("electricity_factor_label")
def electricity_factor_label(doc: AuditDocument, step: str) -> str:
    return ai.electricity_text(doc)


def fresh_water(doc: AuditDocument, column: str) -> Quantity | None:
    values = [ai.num(r.get(column)) for r in doc.rows(ai.SURVEY, "water") if str(r.get("kind", "")).startswith("fresh")]
    present = [v for v in values if v is not None]
    return Quantity(sum(present, Decimal(0)), "m³") if present else None


@register("fresh_water_per_unit")
def fresh_water_per_unit(doc: AuditDocument, step: str, column: str = "y3") -> str | None:
    """V_f / output (ref §3 water balance: unit-product water intake)."""
    water, output = fresh_water(doc, column), ai.safe(ai.reference_output, doc, column)
    return None if water is None or output is None else qty_text(ai.per_unit(water, output), 4)


# --- sector indicator evaluation (ref §5) ------------------------------------------------


def evaluation(doc: AuditDocument):  # -> Evaluation | None
    system = ai.chosen_system(doc)
    return None if system is None else ai.safe(evaluate, system, ai.indicator_inputs(doc, system))


@register("baseline_indicator_unit")
def indicator_unit(doc: AuditDocument, row: dict[str, Any], step: str) -> str | None:
    return unit_in(ai.chosen_system(doc), row.get("indicator"))


def unit_in(system: Any, key: Any) -> str | None:
    """The unit ``system`` gives indicator ``key`` (None when it has none or no such indicator)."""
    if system is None or key not in {i.key for i in system.indicators}:
        return None
    return system.indicator(key).unit or None


@register("baseline_indicator_reached")
def indicator_reached(doc: AuditDocument, row: dict[str, Any], step: str) -> str | None:
    ev = evaluation(doc)
    if ev is None or row.get("not_applicable") is True:
        return None
    for o in ev.outcomes:
        if o.key == row.get("indicator") and o.assessed:
            return o.level  # an indicator_level id: named as table 6-6 names it ("Ⅱ" and "<Ⅲ" were a third wording)
    return None


@register("baseline_indicator_score")
def indicator_score(doc: AuditDocument, step: str, level: str) -> str | None:
    """Y_Ⅰ, Y_Ⅱ or Y_Ⅲ; empty when the chosen system has no complete weights."""
    ev = evaluation(doc)
    return None if ev is None or ev.y is None else dec(ev.y[level], 2)


@register("baseline_indicator_level")
def indicator_level(doc: AuditDocument, step: str) -> str | None:
    ev = evaluation(doc)
    return None if ev is None or ev.level is None else ROMAN[ev.level]


# --- audit focus (ref §2.1: Σ W·R, rank descending, ties share a rank) ------------------------


@register("focus_total")
def focus_total(doc: AuditDocument, row: dict[str, Any], step: str) -> str | None:
    factors, candidates = ai.focus_scoring(doc)
    for c in candidates:
        if c.key == ai.text(row.get("candidate")) and factors:
            return dec(ai.safe(weighted_sum, factors, c.scores, candidate=c.key), 2)
    return None


def ranking(doc: AuditDocument):  # -> tuple[Ranked, ...] | None
    factors, candidates = ai.focus_scoring(doc)
    return ai.safe(rank, factors, candidates) if factors and candidates else None


@register("focus_rank")
def focus_rank(doc: AuditDocument, row: dict[str, Any], step: str) -> int | None:
    for r in ranking(doc) or ():
        if r.key == ai.text(row.get("candidate")):
            return r.rank
    return None


@register("focus_top")
def focus_top(doc: AuditDocument, step: str) -> str | None:
    ranked = ranking(doc)
    return None if not ranked else " / ".join(r.key for r in ranked if r.rank == 1)


# --- CP targets (ref §2.2) ---------------------------------------------------------------------


@register("baseline_year")
def baseline_year(doc: AuditDocument, step: str) -> int | None:
    return ai.survey_years(doc)[2]


def target_of(row: dict[str, Any], column: str) -> Target | None:
    goal = ai.num(row.get(column))
    if goal is None:
        return None
    return Target(ai.text(row.get("indicator")), ai.text(row.get("unit")), ai.num(row.get("baseline")), goal,
                  direction=row.get("direction") or "reduce")


@register("target_change_pct")
def target_change_pct(doc: AuditDocument, row: dict[str, Any], step: str, column: str = "near") -> str | None:
    """(target − baseline) / baseline × 100, as ``targets.evaluate_target`` plans it."""
    t = target_of(row, column)
    result = None if t is None else ai.safe(evaluate_target, t)
    return None if result is None or result.status == "error" else dec(result.planned_change_pct, 1)


@register("copy_value")
def copy_value(doc: AuditDocument, step: str, ref: str) -> Any:
    return doc.lookup(ref, step)


# --- measurement (WS 3-4; ref §3 load formulas) --------------------------------------------------


def row_load(row: dict[str, Any]) -> tuple[Quantity, str] | None:
    """(load per flow period, period) from concentration × flow; None when incomplete."""
    flow, flow_unit = ai.num(row.get("flow")), ai.text(row.get("flow_unit"))
    conc = ai.row_quantity(row, "concentration", "conc_unit")
    if flow is None or conc is None or not flow_unit:
        return None
    volume_unit, _sep, period = flow_unit.partition("/")
    volume = Quantity(flow, volume_unit)
    load = air_load(conc, volume) if row.get("medium") == "air" else water_load(conc, volume)
    return load, period


@register("measurement_load")
def measurement_load(doc: AuditDocument, row: dict[str, Any], step: str) -> str | None:
    result = ai.safe(row_load, row)
    return None if result is None else dec(result[0].value, 4)


@register("measurement_load_unit")
def measurement_load_unit(doc: AuditDocument, row: dict[str, Any], step: str) -> str | None:
    result = ai.safe(row_load, row)
    return None if result is None else (f"kg/{result[1]}" if result[1] else "kg")


def annual_t(row: dict[str, Any]) -> Decimal | None:
    """t/a = kg/h × hours / 1000 (ref §3); a per-year flow needs no hours."""
    result = row_load(row)
    if result is None or not result[1]:
        return None
    load, period = result
    if period == "a":
        return load.value / Decimal(1000)
    hours = ai.num(row.get("hours"))
    if hours is None:
        return None
    return annual_load(Quantity(load.value, f"kg/{period}"), hours).value


@register("measurement_annual_load")
def measurement_annual_load(doc: AuditDocument, row: dict[str, Any], step: str) -> str | None:
    return dec(ai.safe(annual_t, row), 4)


# --- balances (ref §3): closure per balance, unit operations that break it ------------------------


def balance_of_row(doc: AuditDocument, row: dict[str, Any]):  # -> (BalanceDef, BalanceResult | CalcError) | None
    for bdef in ai.balance_defs(doc):
        if bdef.row_id == row.get("_id"):
            try:
                return bdef, ai.balance_result(doc, bdef)
            except CalcError as exc:
                return bdef, exc
    return None


@register("balance_figure")
def balance_figure(doc: AuditDocument, row: dict[str, Any], step: str, what: str) -> str | None:
    found = balance_of_row(doc, row)
    if found is None:
        return None
    _bdef, res = found
    if isinstance(res, CalcError):
        if what != "status":
            return None
        units = res.params.get("left"), res.params.get("right")
        return f"✗ {units[0]} ≠ {units[1]}" if res.rule == "balance.mixed_units" else "✗"
    if what == "total_in":
        return dec(res.overall.total_in, 3)
    if what == "total_out":
        return dec(res.overall.total_out, 3)
    if what == "deviation":
        return dec(res.overall.deviation_pct, 2)
    if what == "breaking":
        return ", ".join(res.breaking) or None
    return f"{'✓' if res.closes else '✗'} ≤ {dec(res.tolerance_pct, 2)} %"


def water_result(doc: AuditDocument):  # -> WaterBalanceResult | None
    inp = ai.water_input(doc)
    tol = ai.num(ai.setting(doc, "balance_tolerance")) or Decimal(5)
    return None if inp is None else ai.safe(water_balance, inp, tol)


@register("water_figure")
def water_figure(doc: AuditDocument, step: str, what: str) -> str | None:
    """GB/T 12452: total use, reuse rate, closure of V_f = V_co + V_d + V_l, V_f / output."""
    res = water_result(doc)
    if res is None:
        return None
    if what == "total_use":
        return dec(res.total_use, 1)
    if what == "reuse_rate":
        return dec(res.reuse_rate_pct, 2)
    if what == "deviation":
        return dec(res.deviation_pct, 2)
    return qty_text(res.unit_intake, 4)


@register("energy_balance_total")
def energy_balance_total(doc: AuditDocument, step: str, what: str) -> str | None:
    """Supplied and useful energy of the focus (tce) and utilisation η = useful / supplied (ref §3)."""
    rows = doc.rows(step, "energy_balance")
    supplied = ai.safe(ai.energy_result, doc, rows, "quantity")
    if supplied is None or not supplied.lines:
        return None
    useful = Decimal(0)
    for r in rows:
        one = ai.safe(ai.energy_result, doc, [r], "quantity")
        eta = ai.num(r.get("efficiency"))
        if one is not None and one.lines and eta is not None:
            useful += one.total_tce * eta / Decimal(100)
    if what == "supplied":
        return dec(supplied.total_tce, 3)
    if what == "useful":
        return dec(useful, 3)
    return dec(useful / supplied.total_tce * Decimal(100), 2) if supplied.total_tce else None


@register("options_proposed_in")
def options_proposed_in(doc: AuditDocument, step: str, phase: str) -> int:
    """No/low-cost options of phase 2 or 3 live in the phase 4 register (column proposed_in)."""
    return sum(1 for r in doc.rows("option_list", "options") if r.get("proposed_in") == phase)
