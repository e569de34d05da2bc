"""Computed fields and rules of the profile and phases 1–3 against hand-worked numbers.

Each case builds a minimal audit document and checks the live computed value
(the adapter the form calls) and the issue the rule raises.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from cpaudit.calc import computed_assessment as ca
from cpaudit.calc.balance import StreamKind
from cpaudit.calc.energy import load_factor_table
from cpaudit.calc.indicators import list_bundled_systems, load_bundled
from cpaudit.domain.document import AuditDocument, AuditMeta
from cpaudit.figures import compute_figures
from cpaudit.workflow.loader import load_workflow
from cpaudit.workflow.schema import Workflow
from cpaudit.workflow.validate import validate_step


@pytest.fixture(scope="module")
def wf() -> Workflow:
    return load_workflow()


def make(values: dict[str, Any]) -> AuditDocument:
    meta = AuditMeta("t", "t", "cn-cp-audit", "1.0", "", "2026-01-01")
    return AuditDocument(meta, values)


def rules(doc: AuditDocument, wf: Workflow, step: str) -> dict[str, str]:
    return {i.rule: i.severity for i in validate_step(doc, wf, wf.step(step)) if i.rule not in ("required", "table.min_rows")}


def survey(**extra: Any) -> dict[str, Any]:
    base = {"year_1": 2023, "year_2": 2024, "year_3": 2025,
            "products": [{"_id": "p1", "product": "A", "unit": "t", "y1": "80", "y2": "90", "y3": "100", "reference": True}]}
    return {**base, **extra}


# --- enums stay in step with the data files ------------------------------------------------


def test_enums_match_the_data_files(wf):
    assert set(wf.enums["indicator_system"].values) == set(list_bundled_systems())
    keys = {i.key for s in list_bundled_systems() for i in load_bundled(s).indicators}
    assert keys <= set(wf.enums["sector_indicator"].values)
    table = load_factor_table()
    assert set(wf.enums["energy_carrier"].values) == set(table.carriers) | {"electricity"}
    assert set(wf.enums["stream_kind"].values) == {k.value for k in StreamKind}
    assert len(wf.enums["cause_aspect"].values) == 8


# --- loads from concentration × flow (ref §3) ----------------------------------------------


@pytest.mark.parametrize("row, load, unit, annual", [
    ({"medium": "water", "flow": "2", "flow_unit": "m³/h", "concentration": "50", "conc_unit": "mg/L", "hours": "1000"},
     "0.1", "kg/h", "0.1"),  # 50 mg/L × 2 m³ / 1000 = 0.1 kg; × 1000 h / 1000 = 0.1 t
    ({"medium": "air", "flow": "10000", "flow_unit": "Nm³/h", "concentration": "20", "conc_unit": "mg/Nm³", "hours": "8000"},
     "0.2", "kg/h", "1.6"),  # 20 × 10⁴ / 10⁶ = 0.2 kg/h; × 8000 / 1000 = 1.6 t/a
    ({"medium": "water", "flow": "24", "flow_unit": "m³/d", "concentration": "100", "conc_unit": "mg/L", "hours": "240"},
     "2.4", "kg/d", "0.024"),  # 2.4 kg/d = 0.1 kg/h; × 240 h = 24 kg
    ({"medium": "water", "flow": "1000", "flow_unit": "m³/a", "concentration": "10", "conc_unit": "mg/L"},
     "10", "kg/a", "0.01"),
])
def test_measurement_loads(row, load, unit, annual):
    doc = make({})
    assert ca.measurement_load(doc, row, "measurement") == load
    assert ca.measurement_load_unit(doc, row, "measurement") == unit
    assert ca.measurement_annual_load(doc, row, "measurement") == annual


def test_measurement_rules(wf):
    doc = make({"measurement": {
        "plan": [{"_id": "p1", "point": "P1", "stream": "x"}],
        "data": [{"_id": "d1", "point": "P9", "medium": "water", "component": "Ni", "flow": "1", "flow_unit": "m³/h",
                  "concentration": "5", "conc_unit": "kg"}]}})
    assert rules(doc, wf, "measurement") == {"measurement.unplanned": "warning", "measurement.units": "error"}


# --- energy in tce (ref §4.3) ----------------------------------------------------------------


def test_energy_tce_equivalent_and_equal_value(wf):
    row = {"carrier": "electricity", "unit": "万kWh", "y3": "100"}
    doc = make({})
    assert ca.energy_row_tce(doc, row, "status_survey") == "122.9"  # 10⁶ kWh × 0.1229 kgce/kWh
    bureau = make({"settings": {"electricity_basis": "equal_value", "electricity_equal_value": "0.3"}})
    assert ca.energy_row_tce(bureau, row, "status_survey") == "300"
    assert "0.3 kgce/kWh" in ca.electricity_factor_label(bureau, "status_survey")
    gas = make({"status_survey": survey(energy=[{"_id": "e1", "carrier": "natural_gas", "unit": "m³", "y3": "1000"},
                                                {"_id": "e2", "carrier": "electricity", "unit": "kWh", "y3": "10000"}])})
    assert ca.energy_total_tce(gas, "status_survey") == "2.443"  # 1.2143 + 1.229 tce
    assert ca.energy_per_unit(gas, "status_survey") == "24.433 kgce/t"  # 2,443.3 kgce / 100 t


def test_energy_unit_rule(wf):
    doc = make({"status_survey": survey(energy=[{"_id": "e1", "carrier": "electricity", "unit": "m³", "y3": "5"}]),
                "settings": {"electricity_basis": "equal_value"}})
    assert rules(doc, wf, "status_survey")["energy.unit"] == "error"
    assert "energy.equal_value" in rules(doc, wf, "status_survey")


def test_measured_heating_value_in_the_energy_table(wf):
    """Coke-oven gas 10 万m³ at a measured 17.9 MJ/m³: 100 000 × 17 900 / 29 307.6 = 61 076.3 kgce = 61.076 tce."""
    cog = {"_id": "e1", "carrier": "coke_oven_gas", "unit": "万m³", "y1": "10", "y2": "10", "y3": "10",
           "lhv": "17.9", "lhv_unit": "MJ/m³", "lhv_source": "lab report 2025-12"}
    doc = make({"status_survey": survey(energy=[cog])})
    row = doc.rows("status_survey", "energy")[0]
    assert ca.energy_row_tce(doc, row, "status_survey") == "61.076"
    assert ca.energy_row_factor(doc, row, "status_survey") == "0.610763 kgce/m³"
    assert ca.energy_row_factor_basis(doc, row, "status_survey") == "measured"
    assert ca.energy_per_unit(doc, "status_survey") == "610.7631 kgce/t"  # 61 076.3 kgce / 100 t
    assert not {k for k in rules(doc, wf, "status_survey") if k.startswith("energy.")}
    table = make({"status_survey": survey(energy=[{**cog, "lhv": None, "lhv_unit": None}])})
    trow = table.rows("status_survey", "energy")[0]
    assert ca.energy_row_tce(table, trow, "status_survey") == "57.14"  # 100 000 m³ × 0.5714
    assert (ca.energy_row_factor(table, trow, "status_survey"), ca.energy_row_factor_basis(table, trow, "status_survey")) == (
        "0.5714 kgce/m³", "table")
    figure = compute_figures(doc, wf)["energy"]
    assert figure["measured_factors"] == 1 and figure["total_tce"] == "61.076"
    line = figure["lines"][0]
    assert (line["factor_basis"], line["factor_kgce"], line["factor_unit"], line["lhv"], line["lhv_unit"], line["lhv_source"]) == (
        "measured", "0.610763", "m³", "17.9", "MJ/m³", "lab report 2025-12")


def test_measured_heating_value_rules(wf):
    def check(**row: Any) -> dict[str, str]:
        base = {"_id": "e1", "carrier": "coke_oven_gas", "unit": "m³", "y1": "1", "y2": "1", "y3": "1",
                "lhv": "17900", "lhv_unit": "kJ/m³", "lhv_source": "lab"}
        found = rules(make({"status_survey": survey(energy=[{**base, **row}])}), wf, "status_survey")
        return {k: v for k, v in found.items() if k.startswith("energy.")}

    assert check() == {}
    assert check(carrier="steam_low_pressure", unit="t") == {"energy.lhv_not_fuel": "error"}
    assert check(lhv_unit=None) == {"energy.lhv_unit": "error"}
    assert check(lhv="0") == {"energy.lhv_not_positive": "error"}
    assert check(unit="t") == {"energy.unit": "error"}  # t of gas, heating value per m³
    assert check(unit="t", lhv_unit="kJ/kg", lhv="39800") == {}  # per kg: fine, no table basis to compare
    assert check(lhv_source="") == {"energy.lhv_source": "warning"}
    # 17 900 typed as MJ/m³: 610.8 kgce/m³, 1 000 × the table's 0.5714 → a unit slip
    assert check(lhv_unit="MJ/m³") == {"energy.lhv_implausible": "warning"}
    balance = make({"material_balance": {"energy_balance": [
        {"_id": "b1", "consumer": "ovens", "carrier": "electricity", "quantity": "1", "unit": "kWh", "lhv": "3600",
         "lhv_unit": "kJ/kg"}]}})
    assert rules(balance, wf, "material_balance").get("energy.lhv_not_fuel") == "error"


# --- survey years, reference output -----------------------------------------------------------


def test_survey_rules(wf):
    doc = make({"status_survey": survey(year_2=2023, products=[
        {"_id": "p1", "product": "A", "unit": "t", "y1": "1", "y2": "1", "y3": "1", "reference": True},
        {"_id": "p2", "product": "B", "unit": "m²", "y1": "1", "y3": "1", "reference": True}])})
    found = rules(doc, wf, "status_survey")
    assert found["years.distinct"] == "error" and found["output.units"] == "error"
    assert found["years.row_missing"] == "warning"
    assert ca.reference_output(doc, "status_survey") is None


def test_per_unit_material():
    doc = make({"status_survey": survey()})
    row = {"material": "coal", "unit": "kg", "y3": "250"}
    assert ca.survey_per_unit(doc, row, "status_survey") == "2.5 kg/t"


# --- balances (ref §3) --------------------------------------------------------------------------


def streams(*rows: tuple) -> list[dict[str, Any]]:
    keys = ("balance", "unit_operation", "direction", "kind", "stream", "quantity", "unit")
    return [{"_id": f"s{i}", **dict(zip(keys, r)), "basis": "measured"} for i, r in enumerate(rows)]


def test_balance_closure_and_breaking_unit(wf):
    doc = make({"material_balance": {
        "balances": [{"_id": "b1", "name": "M", "type": "material"}],
        "streams": streams(("M", "U1", "in", "input", "raw", "100", "t"), ("M", "U1", "out", "intermediate", "x", "100", "t"),
                           ("M", "U2", "in", "intermediate", "x", "100", "t"), ("M", "U2", "out", "product", "p", "90000", "kg"))}})
    row = doc.rows("material_balance", "balances")[0]
    assert ca.balance_figure(doc, row, "material_balance", "deviation") == "10"  # (100 − 90)/100
    assert ca.balance_figure(doc, row, "material_balance", "breaking") == "U2"
    assert ca.balance_figure(doc, row, "material_balance", "status") == "✗ ≤ 5 %"
    assert rules(doc, wf, "material_balance") == {"balance.closure": "warning"}
    doc.values["material_balance"]["balances"][0]["tolerance"] = "12"
    doc.memo.clear()  # edited behind the session's back: drop derived results
    assert rules(doc, wf, "material_balance") == {}


def test_balance_incompatible_units_is_an_error(wf):
    doc = make({"material_balance": {
        "balances": [{"_id": "b1", "name": "M", "type": "material"}],
        "streams": streams(("M", "U1", "in", "input", "raw", "100", "kg"), ("M", "U1", "out", "waste_water", "ww", "1", "m³"),
                           ("X", "U1", "out", "loss", "?", "1", "kg"))}})
    row = doc.rows("material_balance", "balances")[0]
    assert ca.balance_figure(doc, row, "material_balance", "status") == "✗ kg ≠ m³"
    assert ca.balance_figure(doc, row, "material_balance", "deviation") is None
    assert rules(doc, wf, "material_balance") == {"balance.units": "error", "balance.unknown": "error"}


def test_water_balance_figures(wf):
    doc = make({"status_survey": survey(),
                "material_balance": {"water_fresh": "100", "water_recycled": "50", "water_reused": "50",
                                     "water_consumed": "20", "water_discharged": "70", "water_leakage": "4"}})
    assert ca.water_figure(doc, "material_balance", "total_use") == "200"
    assert ca.water_figure(doc, "material_balance", "reuse_rate") == "50"  # (50 + 50)/200
    assert ca.water_figure(doc, "material_balance", "deviation") == "6"  # (100 − 94)/100
    assert ca.water_figure(doc, "material_balance", "unit_intake") == "1 m³/t"
    assert rules(doc, wf, "material_balance").get("water.closure") == "warning"


def test_energy_balance_of_the_focus():
    doc = make({"material_balance": {"energy_balance": [
        {"_id": "n1", "consumer": "a", "carrier": "electricity", "quantity": "100000", "unit": "kWh", "efficiency": "80"},
        {"_id": "n2", "consumer": "b", "carrier": "natural_gas", "quantity": "1000", "unit": "m³", "efficiency": "50"}]}})
    assert ca.energy_balance_total(doc, "material_balance", "supplied") == "13.504"  # 12.29 + 1.2143
    assert ca.energy_balance_total(doc, "material_balance", "useful") == "10.439"  # 9.832 + 0.60715
    assert ca.energy_balance_total(doc, "material_balance", "efficiency") == "77.3"


# --- audit focus (ref §2.1) -----------------------------------------------------------------------


def focus(chosen: str = "", scores: dict[str, list[int]] | None = None) -> dict[str, Any]:
    scores = scores or {"A": [5, 5], "B": [10, 1], "C": [1, 10]}
    factors = [("F1", "10"), ("F2", "5")]
    return {"method": "weighted_sum", "chosen_focus": chosen,
            "candidates": [{"_id": f"c{c}", "candidate": c} for c in scores],
            "factors": [{"_id": f"f{i}", "factor": f, "weight": w} for i, (f, w) in enumerate(factors)],
            "scores": [{"_id": f"s{c}{i}", "candidate": c, "factor": factors[i][0], "score": r, "justification": "x"}
                       for c, rs in scores.items() for i, r in enumerate(rs)]}


def test_focus_totals_ranks_and_ties(wf):
    doc = make({"audit_focus": focus("A", {"A": [5, 5], "B": [6, 3], "C": [4, 5]})})
    totals = {r["candidate"]: ca.focus_total(doc, r, "audit_focus") for r in doc.rows("audit_focus", "candidates")}
    assert totals == {"A": "75", "B": "75", "C": "65"}  # 10·5+5·5, 10·6+5·3, 10·4+5·5
    ranks = {r["candidate"]: ca.focus_rank(doc, r, "audit_focus") for r in doc.rows("audit_focus", "candidates")}
    assert ranks == {"A": 1, "B": 1, "C": 3}
    assert ca.focus_top(doc, "audit_focus") == "A / B"
    assert rules(doc, wf, "audit_focus") == {}


def test_focus_rules(wf):
    assert rules(make({"audit_focus": focus("")}), wf, "audit_focus") == {"focus.not_chosen": "error"}
    assert rules(make({"audit_focus": focus("C")}), wf, "audit_focus") == {"focus.not_top": "warning"}  # B: 105 > C: 60
    incomplete = focus("B")
    incomplete["scores"] = incomplete["scores"][:-1]
    assert rules(make({"audit_focus": incomplete}), wf, "audit_focus") == {"focus.missing_score": "error"}
    figure = compute_figures(make({"audit_focus": focus("B")}), wf)["focus_ranking"]
    assert figure["top"] == ["B"] and figure["chosen_is_top"]


# --- targets (ref §2.2) -----------------------------------------------------------------------------


def target(**kw: Any) -> dict[str, Any]:
    return {"_id": "t1", "indicator": "water", "category": "water", "unit": "m³/t", "direction": "reduce",
            "baseline": "0.300", "near": "0.240", "long": "0.210", "basis": "S3", **kw}


def test_target_change_and_rules(wf):
    doc = make({"status_survey": survey(), "cp_targets": {"near_year": 2026, "long_year": 2027, "targets": [target()]}})
    row = doc.rows("cp_targets", "targets")[0]
    assert ca.target_change_pct(doc, row, "cp_targets", "near") == "-20"
    assert ca.target_change_pct(doc, row, "cp_targets", "long") == "-30"
    assert ca.baseline_year(doc, "cp_targets") == 2025
    assert rules(doc, wf, "cp_targets") == {}
    bad = make({"status_survey": survey(), "cp_targets": {"near_year": 2025, "long_year": 2027, "targets": [
        target(baseline=None), target(_id="t2", near="0.4"), target(_id="t3", long="0.25", basis="")]}})
    assert rules(bad, wf, "cp_targets") == {"target.baseline_missing": "error", "target.wrong_direction": "error",
                                            "target.year_order": "error", "target.long_weaker": "warning",
                                            "target.basis": "warning"}


def test_maintain_targets_equal_their_baseline(wf):
    keep = target(direction="maintain_at_least", unit="%", baseline="95", near="95", long="95")
    doc = make({"status_survey": survey(), "cp_targets": {"near_year": 2026, "long_year": 2027, "targets": [keep]}})
    row = doc.rows("cp_targets", "targets")[0]
    assert ca.target_change_pct(doc, row, "cp_targets", "near") == "0"  # (95 − 95) / 95 × 100
    assert rules(doc, wf, "cp_targets") == {}
    moved = target(direction="maintain_at_most", baseline="50", near="50", long="45")
    unchanged = target(_id="t2", direction="increase", baseline="95", near="95", long="96")
    bad = make({"status_survey": survey(), "cp_targets": {"near_year": 2026, "long_year": 2027, "targets": [moved, unchanged]}})
    issues = [i for i in validate_step(bad, wf, wf.step("cp_targets")) if i.rule.startswith("target.")]
    assert sorted((i.rule, i.column) for i in issues) == [("target.maintain_changes", "long"), ("target.no_change", "near")]
    figure = compute_figures(doc, wf)["targets"]["targets"][0]
    assert (figure["direction"], figure["near_change_pct"], figure["near_error"]) == ("maintain_at_least", "0", None)


# --- sector indicator system (ref §5 calculation demo) -------------------------------------------------


def test_indicator_evaluation_reproduces_the_reference_demo(wf):
    values = {"ironmaking_energy": "400", "fuel_ratio": "485", "fresh_water": "3.6", "cod": "0.05", "so2": "1.0", "nox": "0.85"}
    doc = make({"audit_info": {"indicator_system": "training-example"}, "pollution_status": {"indicator_values": [
        {"_id": f"v{k}", "indicator": k, "value": v} for k, v in values.items()]}})
    assert ca.indicator_score(doc, "pollution_status", "I") == "47.5"
    assert ca.indicator_score(doc, "pollution_status", "II") == "100"
    assert ca.indicator_level(doc, "pollution_status") == "Ⅱ"
    row = doc.rows("pollution_status", "indicator_values")[0]
    assert ca.indicator_reached(doc, row, "pollution_status") == "II"  # an indicator_level id, named by the enum
    fig = compute_figures(doc, wf)["indicator_evaluation"]
    assert fig["level"] == "II" and {g["key"] for g in fig["gaps"]} == {"ironmaking_energy", "fresh_water", "so2"}
    assert rules(doc, wf, "pollution_status") == {}


def test_indicator_rules(wf):
    doc = make({"audit_info": {"indicator_system": "electroplating-2015"}, "pollution_status": {"indicator_values": [
        {"_id": "v1", "indicator": "coking_energy", "value": "1"},
        {"_id": "v2", "indicator": "clean_process"},
        {"_id": "v3", "indicator": "ni_utilisation"}]}})
    found = rules(doc, wf, "pollution_status")
    assert found["indicator.not_in_system"] == "error" and found["indicator.level_missing"] == "error"
    assert found["indicator.value_missing"] == "error" and found["indicator.not_assessed"] == "info"


def test_pollutant_rules(wf):
    doc = make({"status_survey": survey(), "pollution_status": {
        "pollutants": [
            {"_id": "w1", "medium": "waste_water", "pollutant": "COD", "stage": "generated", "unit": "t", "y1": "1", "y2": "1", "y3": "1"},
            {"_id": "w2", "medium": "waste_water", "pollutant": "COD", "stage": "discharged", "unit": "t", "y1": "1", "y2": "1", "y3": "2"},
            {"_id": "w3", "medium": "hazardous_waste", "pollutant": "sludge", "stage": "generated", "unit": "t", "y1": "1", "y2": "1", "y3": "1"}],
        "monitoring": [{"_id": "o1", "outlet": "DW1", "pollutant": "Ni", "unit": "mg/L", "measured": "0.6", "limit": "0.5"}]}})
    found = rules(doc, wf, "pollution_status")
    assert found["pollutant.discharge_exceeds"] == "warning" and found["pollutant.hw_code"] == "warning"
    assert found["discharge.over_limit"] == "warning"


def test_phase_1_and_cause_rules(wf):
    doc = make({"team": {"members": [{"_id": "m1", "name": "a", "role": "member"}]},
                "waste_causes": {"causes": [{"_id": "c1", "waste": "x", "aspect": "process", "cause": "y"}]}})
    assert rules(doc, wf, "team") == {"team.leader": "error"}
    assert rules(doc, wf, "waste_causes") == {"causes.aspects": "info"}


def test_a_date_outside_the_audit_period_is_written_as_the_cells_write_dates(wf):
    from cpaudit import formatting
    from cpaudit.i18n import using_language

    doc = make({"audit_info": {"period_start": "2025-03-01", "period_end": "2025-12-31"},
                "work_plan": {"plan": [{"_id": "w1", "task": "x", "due": "2026-01-15"}]}})
    for lang in ("zh_CN", "en"):
        with using_language(lang):
            (message,) = [i.message for i in validate_step(doc, wf, wf.step("work_plan")) if i.rule == "plan.outside_period"]
            for day in ("2026-01-15", "2025-03-01", "2025-12-31"):
                assert formatting.date(day) in message and day not in message, message
