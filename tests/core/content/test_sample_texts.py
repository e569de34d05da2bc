"""Sample narratives agree with the register and use the report's own terms (domain review D2, E1)."""

from __future__ import annotations

import json
import re

import pytest

from cpaudit.audit_json import parse
from cpaudit.calc import option_register as reg
from cpaudit.samples import sample_data, sample_names, samples_root
from cpaudit.workflow.loader import load_workflow


def texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from texts(v)


@pytest.mark.parametrize("name", sample_names())
def test_phase_names_and_terms_are_the_reports(name):
    """The chapters say 预评估/评估 (phases 2/3) and 折现率; §4.5 read '预审核、审核阶段'."""
    for path in sorted((samples_root() / name).glob("*.json")):
        said = list(texts(json.loads(path.read_text(encoding="utf-8"))))
        assert not [t for t in said if re.search("预审核|审核阶段|贴现率", t)], path.name


@pytest.mark.parametrize("name", sample_names())
def test_no_sample_text_names_a_file_the_user_cannot_see(name):
    """The signing wizard showed a justification ending '（sample-cases.md A.4、A.8）', and the report's
    preface said '数据来源：sample-cases.md 样本 B': the authors' notes, not something a trainee has."""
    for path in sorted((samples_root() / name).glob("*.json")):
        assert not [t for t in texts(json.loads(path.read_text(encoding="utf-8"))) if ".md" in t], path.name


def expand(cited: str) -> set[str]:
    """'N3–N6、N9' → {N3, N4, N5, N6, N9}."""
    out: set[str] = set()
    for part in re.split("[、,，]", cited):
        m = re.fullmatch(r"\s*([A-Z-]+)(\d+)(?:[–-]\1?(\d+))?\s*", part)
        assert m, part
        first, last = int(m.group(2)), int(m.group(3) or m.group(2))
        out |= {f"{m.group(1)}{k}" for k in range(first, last + 1)}
    return out


def test_pre_assessment_narrative_cites_the_options_the_register_dates_to_phase_2():
    """§2.8 said 10 options (N1, N3–N6, N9–N11, N13, N14) while the register has 5 with proposed_in p2."""
    wf = load_workflow()
    doc = parse(sample_data("electroplating"), wf)
    narrative = doc.get("p2_options", "narrative")
    m = re.search(r"提出无/低费方案 (\d+) 项（([^）]+)）", narrative)
    assert m
    in_p2 = {n for n, r in reg.register(doc).items() if r.get("proposed_in") == "p2"}
    assert expand(m.group(2)) == in_p2 and int(m.group(1)) == len(in_p2) == 5


def values(name: str) -> dict:
    return sample_data(name)["values"]


def with_register() -> list[str]:
    return [n for n in sample_names() if "option_list" in values(n)]


OPTION_ID = re.compile(r"(?<![A-Za-z0-9])((?:C-)?[NHR])(\d+)(?:–\1?(\d+))?")


def cited(text: str) -> set[str]:
    """Every option number a narrative names, ranges ('N3–N6') expanded."""
    return {f"{m.group(1)}{k}" for m in OPTION_ID.finditer(text)
            for k in range(int(m.group(2)), int(m.group(3) or m.group(2)) + 1)}


@pytest.mark.parametrize("name", with_register())
def test_phase_narratives_name_exactly_the_options_the_register_dates_to_that_phase(name):
    """Coking §2.8 named C-N1 and C-N10 (register: 评估, 方案产生和筛选), §3.4 named C-N11 and C-H1–C-H3
    (register: phase 4) and left C-N1 out; electroplating §3.4 named N12 and H1 (phase 4) and left N1, N5 out.
    Phase 4's summary may stay with the no/low-cost options, but names none from another phase."""
    v = values(name)
    by_phase: dict[str, set[str]] = {}
    for o in v["option_list"]["options"]:
        by_phase.setdefault(o["proposed_in"], set()).add(o["number"])
    assert cited(v["p2_options"]["narrative"]) == by_phase["p2"]
    assert cited(v["p3_options"]["narrative"]) == by_phase["p3"]
    assert cited(v["p4_options"]["summary"]) <= by_phase["p4"]
    assert "提出阶段：评估" in v["p3_options"]["narrative"]


PHASE_BEFORE = {"p2": "Planning and organisation", "p3": "Pre-assessment", "p4": "Assessment"}


@pytest.mark.parametrize("name", with_register())
def test_no_option_is_done_before_the_audit_or_the_phase_that_proposed_it(name):
    """Coking C-N10 (phase 4) was completed 2026-01-20, before the audit began (02-01) and months before
    phase 4; C-N5 on 01-31; no/low-cost work started 01-10, before the board's decision; the mid-term report
    (06-10) came before the assessment it reports was due (06-30). Electroplating N13 was completed 01-10,
    before its audit began (01-15). A phase starts when the work plan's previous stage is due."""
    v = values(name)
    start, decided = v["audit_info"]["period_start"], v["leadership"]["decision_date"]
    due = {row["stage"]: row["due"] for row in v["work_plan"]["plan"]}
    plan = [row["due"] for row in v["work_plan"]["plan"]]
    assert plan == sorted(plan) and plan[0] >= decided >= start
    proposed = {o["number"]: o["proposed_in"] for o in v["option_list"]["options"]}
    done = [(e["option_no"], e["completed"]) for key in ("nlc_effects",)
            for e in v["option_effects"][key]] + [(e["option_no"], e["completed"])
                                                   for e in v["mhc_verification"]["mhc_effects"]]
    late = {n: d for n, d in done if d < start or d < due[PHASE_BEFORE[proposed[n]]]}
    assert not late
    assert all(row["start"] >= decided for row in v["implementation_org"]["schedule"])
    nlc_done = max(d for n, d in done if n in {e["option_no"] for e in v["option_effects"]["nlc_effects"]})
    report = v["midterm_report"]["date"]
    assert max(nlc_done, due["Option generation and screening"]) <= report <= due["Mid-term audit report"]
    starts = [row["planned_start"] for row in v["recommendation"]["recommended"] if row.get("planned_start")]
    assert all(s > due["Feasibility analysis"] for s in starts), "built before the feasibility analysis"


def test_coking_texts_give_energy_per_tonne_of_coke():
    """§6.3 said '炼焦工序能耗−2.4 kgce/t', table 4-4 '−12.3 kgce/t', A-8 '−1.6 kgce/t', beside kgce/t焦 in
    the indicator tables; and C-H3 ended '（见案例说明）', a document the report does not contain."""
    said = list(texts(values("coking")))
    assert not [t for t in said if re.search("kgce/t(?![焦矿铁钢])", t)]
    assert not [t for n in sample_names() for t in texts(values(n)) if "案例说明" in t]


def test_energy_indicator_basis_quotes_the_energy_tables_total():
    """A-2 said 炼焦工序能耗 = 138,725 tce ÷ 100万 t while table 2-6 totals 138,731 (measured COG factor)."""
    from cpaudit.calc import figures_assessment

    for name in sample_names():
        v = values(name)
        quoted = [m.group(1) for row in v.get("pollution_status", {}).get("indicator_values", [])
                  for m in [re.match(r"([\d,]+) tce ÷", row.get("basis", ""))] if m]
        if quoted:
            doc = parse(sample_data(name), load_workflow())
            total = round(float(figures_assessment.energy(doc, load_workflow())["total_tce"]))
            assert quoted == [f"{total:,}"], name


def test_mid_high_cost_summary_adds_up_the_verified_heavy_metals():
    """Electroplating §6.3 said Ni and Cr fell by 238 and 938 kg/a; the rows give 238 (H1) + 850 (H3):
    H2's 88 kg/a is Cr⁶⁺ turned trivalent, not total Cr removed."""
    for name in with_register():
        mhc = values(name)["mhc_verification"]
        m = re.search(r"分别再减少([\d,]+) kg/a和([\d,]+) kg/a", mhc["summary"])
        if m:
            rows = [float(e["heavy_metals"]) for e in mhc["mhc_effects"] if e.get("heavy_metals")]
            assert [float(g.replace(",", "")) for g in m.groups()] == rows


@pytest.mark.parametrize("name", [n for n in sample_names() if "measurement" in values(n)])
def test_balance_measurements_fall_in_the_assessment_phase_of_the_work_plan(name):
    """The work plans put 评估 (measurement, balances) in April–June while the samples measured in March
    (electroplating, and the midway copy of it) and their no/low-cost options were done by then."""
    v = values(name)
    due = {row["stage"]: row["due"] for row in v["work_plan"]["plan"]}
    days = {row["date"] for row in v["measurement"]["data"] if row.get("date")}
    assert days and due["Pre-assessment"] <= min(days) and max(days) <= due["Assessment"]
