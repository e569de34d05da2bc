"""Samples A (electroplating), B (coking) and the midway copy, profile and phases 1–3.

The consistency rules of sample-cases.md §3 that concern phases 1–3, as real
numeric assertions on the shipped sample files: units and per-unit figures
(rule 1), balances close (rule 2), chemistry (rule 3), pollutant chain
(rule 4), focus scoring (rule 8) and targets (rule 9).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from cpaudit.audit_json import parse
from cpaudit.calc import assessment_inputs as ai
from cpaudit.calc import computed_assessment as ca
from cpaudit.domain.document import AuditDocument
from cpaudit.figures import compute_figures
from cpaudit.samples import sample_data
from cpaudit.workflow.loader import load_workflow
from cpaudit.workflow.schema import Workflow
from cpaudit.workflow.validate import validate_step

PHASES = ("profile", "planning", "pre_assessment", "assessment")


@pytest.fixture(scope="module")
def wf() -> Workflow:
    return load_workflow()


def doc_of(name: str, wf: Workflow) -> AuditDocument:
    return parse(sample_data(name), wf)


def my_issues(doc: AuditDocument, wf: Workflow) -> list:
    steps = [s for p in wf.phases if p.id in PHASES for s in p.steps]
    return [i for s in steps for i in validate_step(doc, wf, s)]


def close(a: D, b: D, rel: str = "0.005") -> bool:
    """Per-unit and annual values agree within rounding (±0.5 %, §3 rule 1)."""
    return abs(a - b) <= abs(b) * D(rel)


def balance(doc: AuditDocument, name: str):
    bdef = next(b for b in ai.balance_defs(doc) if b.name == name)
    return ai.balance_result(doc, bdef)


@pytest.mark.parametrize("name", ["electroplating", "coking"])
def test_complete_samples_have_no_errors_and_warnings_are_justified(name, wf):
    doc = doc_of(name, wf)
    assert doc.meta.kind == "demo"
    issues = my_issues(doc, wf)
    assert [i.message for i in issues if i.severity == "error"] == []
    assert [i.key for i in issues if i.severity == "warning" and not doc.justifications.get(i.key)] == []


@pytest.mark.parametrize("name", ["electroplating", "coking", "electroplating-midway"])
def test_sample_uscc_is_valid_and_enterprise_is_fictional(name, wf):
    from cpaudit.calc.uscc import validate_uscc

    doc = doc_of(name, wf)
    assert validate_uscc(doc.get("enterprise", "uscc")).valid
    assert "虚构" in doc.get("enterprise", "name")


def test_sample_a_balances_close(wf):
    doc = doc_of("electroplating", wf)
    ni = balance(doc, "L3 镍平衡")
    assert (ni.overall.total_in, ni.overall.total_out) == (D("6219.5"), D("6132.8"))
    assert ni.overall.deviation_pct.quantize(D("0.01")) == D("1.39")
    assert ni.tolerance_pct == 2 and ni.closes  # §3 rule 2: ≤ 2 % for a toxic metal
    water = balance(doc, "L3 水平衡")
    assert (water.overall.total_in, water.overall.total_out) == (D(21200), D(20906))
    assert water.overall.deviation_pct.quantize(D("0.01")) == D("1.39") and water.closes
    plant = ca.water_result(doc)
    assert plant.deviation_pct.quantize(D("0.01")) == D("0.86") and plant.closes
    assert plant.unit_intake.value == D("0.3")


def test_sample_b_balances_close(wf):
    doc = doc_of("coking", wf)
    mb = balance(doc, "炭化物料平衡")
    assert (mb.overall.total_in, mb.overall.total_out) == (D(1466667), D(1435615))
    assert mb.overall.deviation_pct.quantize(D("0.01")) == D("2.12") and mb.closes
    wb = balance(doc, "全厂水平衡")
    assert (wb.overall.total_in, wb.overall.total_out) == (D(2596267), D(2568267))
    assert wb.overall.deviation_pct.quantize(D("0.01")) == D("1.08") and wb.closes
    plant = ca.water_result(doc)
    assert plant.reuse_rate_pct > 85  # S13: recirculation ≥ 85 %
    assert plant.unit_intake.value == D("2.41")


def test_midway_ni_balance_is_the_negative_case(wf):
    doc = doc_of("electroplating-midway", wf)
    ni = balance(doc, "L3 镍平衡")
    assert not ni.closes and ni.breaking == ("镍漂洗 R1–R3",)
    issues = validate_step(doc, wf, wf.step("material_balance"))
    closure = [i for i in issues if i.rule == "balance.closure"]
    assert closure and closure[0].severity == "warning"
    # phases 1–2 complete, phase 3 partly filled
    before = [s for p in wf.phases if p.id in PHASES[:3] for s in p.steps]
    assert not [i for s in before for i in validate_step(doc, wf, s) if i.severity == "error"]
    assert doc.rows("measurement", "plan") and not doc.rows("waste_causes", "causes")


def test_rule_1_per_unit_figures_agree_with_annual_over_output(wf):
    a, b = doc_of("electroplating", wf), doc_of("coking", wf)
    assert ai.reference_output(a).value == D(300000) and ai.reference_output(b).value == D(1000000)
    energy_a = ai.energy_result(a, a.rows("status_survey", "energy"), "y3", ai.reference_output(a))
    assert close(energy_a.total_tce, D("465.3")) and close(energy_a.per_unit_kgce.value, D("1.55"))
    energy_b = ai.energy_result(b, b.rows("status_survey", "energy"), "y3", ai.reference_output(b))
    assert close(energy_b.per_unit_kgce.value, D("138.7"))  # 炼焦工序能耗
    # underfiring COG at the measured 17.9 MJ/m³ (B.2): 17 900 / 29 307.6 = 0.6108 kgce/m³;
    # 176.15 Mm³ × 0.6108 = 107 586 tce → 107.6 kgce/t coke (the table's 0.5714 would give 100.7)
    cog = next(line for line in energy_b.lines if line.carrier == "coke_oven_gas")
    assert cog.basis == "measured" and cog.factor.quantize(D("0.0001")) == D("0.6108")
    assert close(cog.tce / 1000, D("107.6")) and all(line.basis == "table" for line in energy_b.lines if line is not cog)
    assert ca.fresh_water_per_unit(a, "status_survey") == "0.3 m³/m²"
    assert ca.fresh_water_per_unit(b, "status_survey") == "2.41 m³/t"
    # measured loads = mg/L × m³ / 1000, annualised; they agree with the balance and the survey
    ni = [ca.annual_t(r) for r in a.rows("measurement", "data") if r["component"] == "Ni"]
    assert close(sum(ni) / len(ni) * 1000, D("662.8"))
    cod = next(ca.annual_t(r) for r in b.rows("measurement", "data") if r["point"] == "P1" and r["component"] == "COD")
    assert close(cod, D(1136))
    so2 = next(ca.annual_t(r) for r in b.rows("measurement", "data") if r["component"] == "SO₂")
    assert close(so2, D("27.3"))


def test_rule_3_chemistry_and_indicator_bands(wf):
    a = doc_of("electroplating", wf)
    streams = {s.name: s.quantity.value for s in ai.balance_streams(a, "L3 镍平衡")}
    assert close(D(2000) * D("0.2233"), streams["硫酸镍（Ni 22.33 %）"])
    assert close(D(700) * D("0.2470"), streams["氯化镍（Ni 24.70 %）"])
    deposited = D(60000) * D("10e-6") * D("8.9e3")  # m² × m × kg/m³
    assert deposited == streams["镀层中的镍"]
    inputs = sum(v for k, v in streams.items() if k in ("镍角", "硫酸镍（Ni 22.33 %）", "氯化镍（Ni 24.70 %）"))
    values = {r["indicator"]: r for r in a.rows("pollution_status", "indicator_values")}
    assert (deposited / inputs * 100).quantize(D("0.1")) == D(values["ni_utilisation"]["value"])
    levels = {o["key"]: o["level"] for o in compute_figures(a, wf)["indicator_evaluation"]["outcomes"]}
    assert (levels["ni_utilisation"], levels["zn_utilisation"], levels["rinse_water_per_m2"]) == ("II", "III", "III")
    b = doc_of("coking", wf)
    nh3 = D(2508)
    assert close(nh3 / D("34.062") * D("132.14"), D(9737))  # (NH4)2SO4 from NH3
    assert close(nh3 / D("34.062") * D("98.08"), D(7229))  # H2SO4 consumed
    levels_b = {o["key"]: o["level"] for o in compute_figures(b, wf)["indicator_evaluation"]["outcomes"] if o["assessed"]}
    assert levels_b["coking_energy"] == "III" and levels_b["coke_quenching"] == "below"


def test_rule_4_pollutant_chain(wf):
    a = doc_of("electroplating", wf)
    rows = a.rows("pollution_status", "pollutants")

    def y3(name, stage):
        return D(next(r["y3"] for r in rows if r["pollutant"] == name and r["stage"] == stage))

    for name in ("镍", "总铬", "锌", "COD", "生产废水量"):
        assert y3(name, "discharged") <= y3(name, "generated")
    effluent = y3("生产废水量", "discharged")
    assert close(effluent * D("0.25") / 1000, y3("镍", "discharged"), "0.01")  # kg = mg/L × m³ / 1000
    assert close(effluent * D(55) / 10**6, y3("COD", "discharged"), "0.01")
    captured = sum(y3(m, "generated") - y3(m, "discharged") for m in ("镍", "总铬", "锌"))
    sludge_dry_kg = y3("电镀污泥（含水 78 %）", "generated") * D("0.22") * 1000
    assert sludge_dry_kg >= D("1.7") * captured


@pytest.mark.parametrize("name, totals, chosen", [
    ("electroplating", {"L1+L2 镀锌线": 310, "L3 铜镍铬线": 355, "L4 硬铬线": 263, "污水处理站": 204}, "L3 铜镍铬线"),
    ("coking", {"备煤": 179, "炼焦": 395, "煤气净化": 330, "酚氰废水站": 251, "动力": 187}, "炼焦"),
])
def test_rule_8_focus_scoring_recomputes(name, totals, chosen, wf):
    fig = compute_figures(doc_of(name, wf), wf)["focus_ranking"]
    assert {r["candidate"]: D(r["total"]) for r in fig["ranking"]} == totals
    assert fig["top"] == [chosen] and fig["chosen"] == chosen and fig["chosen_is_top"]
    doc = doc_of(name, wf)
    assert all(r.get("justification") for r in doc.rows("audit_focus", "scores"))


@pytest.mark.parametrize("name", ["electroplating", "coking"])
def test_rule_9_targets_are_complete_and_traceable(name, wf):
    doc = doc_of(name, wf)
    fig = compute_figures(doc, wf)["targets"]
    assert fig["baseline_year"] == 2025 < fig["near_year"] <= fig["long_year"]
    for t in fig["targets"]:
        assert t["baseline"] and t["unit"] and t["near"] and t["long"] and t["basis"]
        assert t["near_error"] is None and t["long_error"] is None
    if name == "electroplating":
        water = next(t for t in fig["targets"] if t["unit"] == "m³/m²")
        assert D(water["baseline"]) == ai.water_input(doc).fresh.value / ai.reference_output(doc).value
        assert water["near_change_pct"] == "-20"


def test_three_years_are_distinct(wf):
    for name in ("electroplating", "coking"):
        years = ai.survey_years(doc_of(name, wf))
        assert len(set(years)) == 3 and years[2] - years[0] == 2
