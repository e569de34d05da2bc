"""Read the profile and phases 1–3 of an audit document into calc objects.

Why one module: the computed columns (live in the forms), the figure sections
(``cpaudit figures``, the report) and the validation rules must read the same
cells the same way, or the number in the form and the number in the report
drift apart. Nothing here computes a formula itself: it builds the inputs of
``cpaudit.calc`` (balance, energy, scoring, targets, indicators) and calls it.
Field ids are those of ``resources/workflows/cn-cp-audit/{profile,phase-2,phase-3}.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from cpaudit.calc.balance import BalanceSettings, BalanceResult, Stream, WaterBalanceInput, check_balance
from cpaudit.calc.energy import Consumption, EnergyResult, FactorTable, comprehensive_energy, load_factor_table
from cpaudit.calc.errors import CalcError, InvalidInput
from cpaudit.calc.indicator_data import IndicatorSystem
from cpaudit.calc.indicators import IndicatorInput, load_bundled
from cpaudit.calc.scoring import Candidate, Factor
from cpaudit.domain.document import ROW_ID, AuditDocument
from cpaudit.domain.units import Quantity, sum_quantities
from cpaudit.i18n import N_, _
from cpaudit.workflow.values import as_decimal

YEARS = ("y1", "y2", "y3")  # y3 is the baseline year (the latest full year), ref §1 phase 2
SURVEY = "status_survey"
POLLUTION = "pollution_status"
FOCUS = "audit_focus"
BALANCE = "material_balance"

# Mirrors the defaults of the settings step (profile.toml); used only when an
# audit was created before a setting existed, so old audits keep computing.
_SETTING_FALLBACK: dict[str, Any] = {"balance_tolerance": "5", "electricity_basis": "equivalent"}


def num(value: Any) -> Decimal | None:
    return as_decimal(value)


def text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def setting(doc: AuditDocument, field_id: str) -> Any:
    value = doc.get("settings", field_id)
    if value not in (None, ""):
        return value
    try:
        from cpaudit.workflow.loader import load_workflow

        default = load_workflow(doc.meta.workflow_id).field("settings", field_id).default
    except Exception:  # unknown workflow id (tests): fall back to the shipped default
        default = None
    return default if default is not None else _SETTING_FALLBACK.get(field_id)


def survey_years(doc: AuditDocument) -> tuple[int | None, int | None, int | None]:
    values = [doc.get(SURVEY, f"year_{i}") for i in (1, 2, 3)]
    return tuple(int(v) if isinstance(v, int) or (isinstance(v, str) and v.isdigit()) else None for v in values)  # type: ignore[return-value]


def row_quantity(row: dict[str, Any], column: str, unit_column: str = "unit", unit: str | None = None) -> Quantity | None:
    """The cell as a Quantity, or None when the value or its unit is missing."""
    value, u = num(row.get(column)), unit or text(row.get(unit_column))
    if value is None or not u:
        return None
    return Quantity(value, u)


# --- output used for per-unit indicators (ref §3: per-unit = annual / output) ---


def reference_output(doc: AuditDocument, column: str = "y3") -> Quantity | None:
    """Σ output of the product rows marked as reference; units must be compatible.

    Raises ``UnitMismatch`` (t + m²) so the caller can show an issue instead
    of a meaningless per-unit figure; None when nothing is marked or filled.
    """
    items = [q for r in doc.rows(SURVEY, "products") if r.get("reference") is True
             for q in [row_quantity(r, column)] if q is not None]
    if not items:
        return None
    total = sum_quantities(items)
    return None if total.value <= 0 else total


def per_unit(amount: Quantity, output: Quantity) -> Quantity:
    """annual amount / annual output, unit ``a/b`` (e.g. kg/m²); ref §3 rule 1."""
    num_unit, out_unit = amount.unit.split("/")[0], output.unit.split("/")[0]
    return Quantity(amount.value / output.value, f"{num_unit}/{out_unit}")


# --- energy (ref §4.3): every carrier converted with the versioned factor table ---


@lru_cache(maxsize=1)
def factors() -> FactorTable:
    return load_factor_table()


def electricity_choice(doc: AuditDocument) -> tuple[str, Decimal | None]:
    method = text(setting(doc, "electricity_basis")) or "equivalent"
    return method, num(setting(doc, "electricity_equal_value"))


def measured_lhv(row: dict[str, Any]) -> Quantity | None:
    """The row's measured low heating value (columns lhv / lhv_unit), or None: the table factor applies."""
    return row_quantity(row, "lhv", "lhv_unit")


def energy_consumption(rows: list[dict[str, Any]], column: str) -> list[Consumption]:
    """Carrier, quantity and measured LHV of every complete row; incomplete rows are left to the rules."""
    out = []
    for r in rows:
        q = row_quantity(r, column)
        if r.get("carrier") and q is not None:
            out.append(Consumption(str(r["carrier"]), q, measured_lhv(r), text(r.get("lhv_source"))))
    return out


def energy_result(doc: AuditDocument, rows: list[dict[str, Any]], column: str,
                  output: Quantity | None = None) -> EnergyResult:
    method, equal_value = electricity_choice(doc)
    return comprehensive_energy(energy_consumption(rows, column), factors(), electricity=method,  # type: ignore[arg-type]
                                equal_value=equal_value, output=output)


def electricity_label(doc: AuditDocument) -> str:
    """What a reader must know to reproduce a tce figure: edition, method, kgce/kWh."""
    method, equal_value = electricity_choice(doc)
    from cpaudit.calc.energy import electricity_factor

    try:
        value = electricity_factor(factors(), method, equal_value)  # type: ignore[arg-type]
    except CalcError:
        return f"{factors().edition}; electricity {method}: not set"
    return f"{factors().edition}; electricity {method} {value} kgce/kWh"


_METHODS = {"equivalent": N_("equivalent value"), "equal_value": N_("equal value")}


def electricity_text(doc: AuditDocument) -> str:
    """``electricity_label`` said in the current language, for the workbench and the report (the
    figures keep the language-neutral label: a signed file's figures must not depend on the UI)."""
    method, equal_value = electricity_choice(doc)
    from cpaudit.calc.energy import electricity_factor

    name = _(_METHODS[method]) if method in _METHODS else method
    try:
        value = electricity_factor(factors(), method, equal_value)  # type: ignore[arg-type]
    except CalcError:
        return _("{edition}; electricity: {method}, not set").format(edition=factors().edition, method=name)
    return _("{edition}; electricity: {method}, {value} kgce/kWh").format(edition=factors().edition, method=name, value=value)


# --- balances (ref §3) ---------------------------------------------------------


@dataclass(frozen=True)
class BalanceDef:
    row_id: str
    name: str
    type: str
    component: str
    tolerance: Decimal


def balance_defs(doc: AuditDocument) -> list[BalanceDef]:
    default = num(setting(doc, "balance_tolerance")) or Decimal(5)
    out = []
    for r in doc.rows(BALANCE, "balances"):
        name = text(r.get("name"))
        if name:
            tol = num(r.get("tolerance"))
            out.append(BalanceDef(r[ROW_ID], name, text(r.get("type")) or "material",
                                  text(r.get("component")) or name, default if tol is None else tol))
    return out


def balance_streams(doc: AuditDocument, name: str) -> list[Stream]:
    """Complete stream rows of balance ``name`` (rows missing a cell are left to the rules)."""
    return list(doc.memoized(("balance_streams",), lambda: _streams_by_balance(doc)).get(name, ()))


def _streams_by_balance(doc: AuditDocument) -> dict[str, list[Stream]]:
    """All streams grouped by balance in one pass (per document state), not one pass per balance."""
    grouped: dict[str, list[Stream]] = {}
    for r in doc.rows(BALANCE, "streams"):
        q = row_quantity(r, "quantity")
        if q is None or r.get("direction") not in ("in", "out") or not r.get("kind"):
            continue
        grouped.setdefault(text(r.get("balance")), []).append(
            Stream(text(r.get("stream")) or r[ROW_ID], text(r.get("unit_operation")) or "—",
                   r["direction"], r["kind"], q, measured=r.get("basis") != "estimated"))
    return grouped


def balance_result(doc: AuditDocument, bdef: BalanceDef) -> BalanceResult:
    """Raises BalanceError (no streams, no input) or UnitMismatch (kg + m³)."""
    cfg = BalanceSettings(default_tolerance_pct=bdef.tolerance)
    return check_balance(balance_streams(doc, bdef.name), component=bdef.component, settings=cfg, name=bdef.name)


WATER_FIELDS = ("water_fresh", "water_recycled", "water_reused", "water_consumed", "water_discharged", "water_leakage")


def water_input(doc: AuditDocument) -> WaterBalanceInput | None:
    """GB/T 12452 volumes of the plant water balance; None until V_f, V_co, V_d and V_l are given."""
    v = {f: num(doc.get(BALANCE, f)) for f in WATER_FIELDS}
    if any(v[f] is None for f in ("water_fresh", "water_consumed", "water_discharged", "water_leakage")):
        return None

    def q(f: str) -> Quantity | None:
        return None if v[f] is None else Quantity(v[f], "m³")  # type: ignore[arg-type]

    try:
        output = reference_output(doc)
    except CalcError:
        output = None
    return WaterBalanceInput(q("water_fresh"), q("water_consumed"), q("water_discharged"),  # type: ignore[arg-type]
                             q("water_leakage"), q("water_recycled"), q("water_reused"), output)


# --- sector indicator system (ref §5) ---------------------------------------------


def chosen_system(doc: AuditDocument) -> IndicatorSystem | None:
    system_id = doc.get("audit_info", "indicator_system")
    if not system_id:
        return None
    try:
        return load_bundled(str(system_id))
    except CalcError:
        return None


def indicator_inputs(doc: AuditDocument, system: IndicatorSystem) -> dict[str, IndicatorInput]:
    """Rows of the chosen system only; rows naming other systems' indicators are left to the rules."""
    keys = {i.key for i in system.indicators}
    inputs: dict[str, IndicatorInput] = {}
    for r in doc.rows(POLLUTION, "indicator_values"):
        key = r.get("indicator")
        if key not in keys or key in inputs:
            continue
        ind = system.indicator(key)
        variant = text(r.get("variant")) or None
        if r.get("not_applicable") is True:
            inputs[key] = IndicatorInput(applicable=False)
        elif ind.kind == "qualitative" and r.get("level"):
            inputs[key] = IndicatorInput(level=str(r["level"]))
        elif ind.kind == "quantitative" and num(r.get("value")) is not None:
            inputs[key] = IndicatorInput(value=num(r.get("value")), variant=variant)
    return inputs


# --- audit-focus scoring (ref §2.1) -------------------------------------------------


def focus_scoring(doc: AuditDocument) -> tuple[list[Factor], list[Candidate]]:
    """Factors with W and candidates with R per factor, as entered (names matched exactly).

    Raises InvalidInput for a negative weight; missing or extra scores are
    detected by ``scoring.weighted_sum`` itself.
    """
    factors_ = []
    for r in doc.rows(FOCUS, "factors"):
        name, w = text(r.get("factor")), num(r.get("weight"))
        if name and w is not None:
            factors_.append(Factor(name, w))
    scores: dict[str, dict[str, Decimal]] = {}
    names = [text(r.get("candidate")) for r in doc.rows(FOCUS, "candidates") if text(r.get("candidate"))]
    for r in doc.rows(FOCUS, "scores"):
        cand, factor, score = text(r.get("candidate")), text(r.get("factor")), num(r.get("score"))
        if cand in names and score is not None:
            scores.setdefault(cand, {})[factor] = score
    return factors_, [Candidate(n, scores.get(n, {})) for n in dict.fromkeys(names)]


def safe(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a calc function for a live computed cell: an input problem shows as an empty cell."""
    try:
        return fn(*args, **kwargs)
    except (CalcError, InvalidInput, ArithmeticError, ValueError, KeyError):
        return None
