"""The option register and its derived figures, read from an audit document.

One place knows where phases 4–6 keep option data (step/table/column ids of
``phase-4.toml`` … ``phase-6.toml``) and how a row becomes an input of the
pure calc functions (cost_class, economics). Computed columns, figure
sections and validation rules all go through here, so a number shown in a
form, in the report and in a rule message is computed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterator

from cpaudit.calc import cost_class, economics
from cpaudit.calc.errors import CalcError
from cpaudit.domain.document import ROW_ID, AuditDocument
from cpaudit.domain.decimals import as_decimal
from cpaudit.i18n import N_

# Where the data lives (ids in phase-4 … phase-6.toml).
REGISTER = ("option_list", "options")
INVESTMENT = ("economic", "investment_items")
OPERATING = ("economic", "operating_items")
EVALUATION = ("economic", "evaluation")
RECOMMENDATION = ("recommendation", "recommended")
# Verified effects: no/low-cost options in phase 4 (step 21), medium/high in phase 6 (step 30).
NLC_EFFECTS = ("option_effects", "nlc_effects")
MHC_EFFECTS = ("mhc_verification", "mhc_effects")
EFFECT_TABLES = (NLC_EFFECTS, MHC_EFFECTS)
# Benefit columns of the effects tables (the city dashboard sums these; ref §8).
BENEFIT_COLUMNS = (
    "economic_benefit", "energy_tce", "water", "cod", "nh3n", "so2", "nox",
    "particulate", "vocs", "hazardous_waste", "heavy_metals",
)
BENEFIT_UNITS = {
    "economic_benefit": "万元/a", "energy_tce": "tce/a", "water": "m³/a", "heavy_metals": "kg/a",
}
# Their names in the report and on the dashboard: msgids, except the chemical formulas.
BENEFIT_LABELS = {
    "economic_benefit": N_("Economic benefit"), "energy_tce": N_("Energy saved"), "water": N_("Water saved"),
    "cod": "COD", "nh3n": "NH₃-N", "so2": "SO₂", "nox": "NOₓ", "particulate": N_("Particulate matter"),
    "vocs": "VOCs", "hazardous_waste": N_("Hazardous waste"), "heavy_metals": N_("Heavy metals"),
}
_FORMULAS = frozenset({"cod", "nh3n", "so2", "nox", "vocs"})
IMPLEMENTED = ("implemented", "verified")


def benefit_label(key: str, translate: Callable[[str], str]) -> str:
    """A benefit column's name in the language ``translate`` gives (a formula stays as it is)."""
    return BENEFIT_LABELS[key] if key in _FORMULAS else translate(BENEFIT_LABELS[key])


def benefit_unit(key: str) -> str:
    return BENEFIT_UNITS.get(key, "t/a")


MEDIUM_HIGH = ("medium", "high")
LOW_NONE = ("none", "low")

_SETTINGS_FALLBACK = {  # profile.toml defaults; used only when the settings step is empty
    "discount_rate": 8, "income_tax_rate": 25, "depreciation_years": 10, "economic_life": 10,
    "benchmark_irr": 8, "low_cost_below": 5, "medium_cost_below": 50,
}


def number_of(value: Any) -> str:
    """Option numbers are compared trimmed and case-insensitively ("h1 " = "H1")."""
    return str(value or "").strip().upper()


def setting(doc: AuditDocument, field_id: str) -> Decimal:
    value = as_decimal(doc.get("settings", field_id))
    return value if value is not None else Decimal(_SETTINGS_FALLBACK[field_id])


def thresholds(doc: AuditDocument) -> cost_class.CostThresholds | None:
    """Settings thresholds; None when they are inconsistent (the settings step reports that)."""
    def build() -> cost_class.CostThresholds | None:
        try:
            return cost_class.CostThresholds(setting(doc, "low_cost_below"), setting(doc, "medium_cost_below"))
        except CalcError:
            return None

    return doc.memoized(("cost_thresholds",), build)  # read for every option by every rule


@lru_cache(maxsize=1)
def payback_norms() -> cost_class.PaybackNorms:
    """Norms per class from resources/factors/cost-classes.toml (ref §2.4, §4.1)."""
    return cost_class.load_settings().norms


def derived_class(doc: AuditDocument, investment: Any) -> str | None:
    """Class from the estimated investment (万元) and the audit's thresholds (ref §2.4)."""
    amount = as_decimal(investment)
    limits = thresholds(doc)
    if amount is None or amount < 0 or limits is None:
        return None
    return cost_class.classify(amount, limits)


def effective_class(doc: AuditDocument, row: dict[str, Any]) -> str | None:
    """The user's override wins (ref §2.4 [P]: derive, but let the user override)."""
    return row.get("class_override") or derived_class(doc, row.get("investment"))


def register(doc: AuditDocument) -> dict[str, dict[str, Any]]:
    """Register rows by option number (first row wins; duplicates are a rule error)."""

    def build() -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for row in doc.rows(*REGISTER):
            key = number_of(row.get("number"))
            if key and key not in out:
                out[key] = row
        return out

    return doc.memoized(("option_register",), build)


def rows_for(doc: AuditDocument, where: tuple[str, str], number: str) -> list[dict[str, Any]]:
    return _rows_by_option(doc, where).get(number, [])


def _rows_by_option(doc: AuditDocument, where: tuple[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of a worksheet grouped by option number, once per document state (not once per option)."""

    def build() -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = {}
        for r in doc.rows(*where):
            index.setdefault(number_of(r.get("option_no")), []).append(r)
        return index

    return doc.memoized(("rows_by_option", where), build)


def medium_high_options(doc: AuditDocument) -> Iterator[tuple[str, dict[str, Any]]]:
    """Medium/high-cost options still alive (not rejected): these need feasibility (ref §2.4)."""
    for key, row in register(doc).items():
        if row.get("status") != "rejected" and effective_class(doc, row) in MEDIUM_HIGH:
            yield key, row


@dataclass(frozen=True)
class OptionEconomics:
    number: str
    cost_class: str | None
    result: economics.EconomicResult
    verdict: economics.Verdict | None
    norm: Decimal | None
    settings: dict[str, str]


def economic_input(doc: AuditDocument, number: str) -> economics.EconomicInput | None:
    """EconomicInput from the investment and operating rows of one option (ref §4.1).

    I = Σ investment items − subsidy; P = revenue increase + cost reduction − cost increase.
    None when the option has no investment rows yet.
    """
    invest = rows_for(doc, INVESTMENT, number)
    if not invest:
        return None
    total = sum((as_decimal(r.get("amount")) or Decimal(0) for r in invest if r.get("kind") != "subsidy"), Decimal(0))
    subsidy = sum((as_decimal(r.get("amount")) or Decimal(0) for r in invest if r.get("kind") == "subsidy"), Decimal(0))
    revenue = reduction = Decimal(0)
    for r in rows_for(doc, OPERATING, number):
        amount = as_decimal(r.get("amount")) or Decimal(0)
        if r.get("kind") == "revenue_increase":
            revenue += amount
        elif r.get("kind") == "cost_increase":
            reduction -= amount
        else:
            reduction += amount
    hundred = Decimal(100)
    return economics.EconomicInput(
        total_investment=total,
        subsidy=subsidy,
        revenue_increase=revenue,
        operating_cost_reduction=reduction,
        depreciation_years=int(setting(doc, "depreciation_years")),
        tax_rate=setting(doc, "income_tax_rate") / hundred,
        discount_rate=setting(doc, "discount_rate") / hundred,
        economic_life=int(setting(doc, "economic_life")),
        benchmark_rate=setting(doc, "benchmark_irr") / hundred,
    )


def option_economics(doc: AuditDocument, number: str) -> OptionEconomics | None:
    """I … IRR, dynamic payback, the class norm and the verdict of one option; None if not computable."""
    number = number_of(number)
    # Every column of the evaluation row asks for the same result: solve it once.
    return doc.memoized(("option_economics", number), lambda: _option_economics(doc, number))


def _option_economics(doc: AuditDocument, number: str) -> OptionEconomics | None:
    try:
        inp = economic_input(doc, number)
        if inp is None:
            return None
        result = economics.evaluate(inp)
    except CalcError:
        return None
    row = register(doc).get(number)
    klass = effective_class(doc, row) if row else None
    norm = payback_norms().norm(klass) if klass else None
    verdict = economics.verdict(result, klass, payback_norms(), inp.benchmark_rate) if klass else None
    used = {k: str(setting(doc, k)) for k in
            ("discount_rate", "income_tax_rate", "depreciation_years", "economic_life", "benchmark_irr")}
    return OptionEconomics(number, klass, result, verdict, norm, used)


def effect_rows(doc: AuditDocument) -> Iterator[tuple[tuple[str, str], dict[str, Any]]]:
    for where in EFFECT_TABLES:
        for row in doc.rows(*where):
            yield where, row


def benefit_totals(doc: AuditDocument, only: tuple[str, str] | None = None) -> dict[str, Decimal]:
    """Σ of each benefit column over the verified effects (ref §4.2, §9.9: benefits trace to options)."""
    totals = {c: Decimal(0) for c in BENEFIT_COLUMNS}
    totals["actual_investment"] = Decimal(0)
    for where, row in effect_rows(doc):
        if only is not None and where != only:
            continue
        for column in totals:
            totals[column] += as_decimal(row.get(column)) or Decimal(0)
    return totals


def options_lacking_feasibility(doc: AuditDocument, tables: tuple[str, ...]) -> dict[str, list[str]]:
    """Medium/high option → the feasibility tables ("step.table") that have no row for it."""
    lacking: dict[str, list[str]] = {}
    for number, _row in medium_high_options(doc):
        missing = [t for t in tables if not rows_for(doc, tuple(t.split(".", 1)), number)]  # type: ignore[arg-type]
        if missing:
            lacking[number] = missing
    return lacking


def has_evidence(doc: AuditDocument, where: tuple[str, str], row: dict[str, Any]) -> bool:
    """An evidence reference typed in the row, or a file attached to the row."""
    if str(row.get("evidence") or "").strip():
        return True
    return bool(doc.attachments_of(where[0], where[1], row.get(ROW_ID)))


def options_lacking_evidence(doc: AuditDocument, classes: tuple[str, ...] = LOW_NONE + MEDIUM_HIGH,
                             where: tuple[str, str] | None = None) -> list[str]:
    """Implemented/verified options of ``classes`` without an effects row that names evidence (ref §9.9)."""
    lacking = []
    for number, row in register(doc).items():
        if row.get("status") not in IMPLEMENTED or effective_class(doc, row) not in classes:
            continue
        tables = (where,) if where else EFFECT_TABLES
        if not any(has_evidence(doc, t, r) for t in tables for r in rows_for(doc, t, number)):
            lacking.append(number)
    return lacking
