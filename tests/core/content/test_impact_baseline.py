"""Ch.6.4 compares the plant with the sector system before and after implementation; its
"before" is the Ch.2.5.2 evaluation of phase 2 (ref §6 Ch.6.4, sample-cases rule 9), so the
same report cannot print two baseline levels of one indicator."""

from __future__ import annotations

from typing import Any

import pytest

from cpaudit.audit_json import parse
from cpaudit.figures import compute_figures
from cpaudit.samples import sample_data
from cpaudit.workflow.loader import load_workflow
from cpaudit.workflow.schema import Workflow
from cpaudit.workflow.validate import validate_step


@pytest.fixture(scope="module")
def wf() -> Workflow:
    return load_workflow()


def impact_issues(data: dict[str, Any], wf: Workflow) -> list[Any]:
    doc = parse(data, wf)
    step = next(s for p in wf.phases for s in p.steps if s.id == "impact")
    return [i for i in validate_step(doc, wf, step) if i.rule.startswith("indicator.")]


def rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["values"]["impact"]["indicators"]


@pytest.mark.parametrize("name", ["electroplating", "coking"])
def test_before_is_the_phase_2_evaluation(wf: Workflow, name: str) -> None:
    figures = compute_figures(parse(sample_data(name), wf), wf)
    baseline, before = figures["indicator_evaluation"], figures["indicator_after"]["before"]
    assert before["counts"] == baseline["counts"]
    assert before["indicators"] == {o["key"]: o["level"] for o in baseline["outcomes"] if o["assessed"]}


def test_not_applicable_carries_over_to_after(wf: Workflow) -> None:
    # the coking plant marked 43 rows of the integrated-steel system not applicable in phase 2
    after = compute_figures(parse(sample_data("coking"), wf), wf)["indicator_after"]["after"]
    assert after["counts"]["not_assessed"] == 0 and after["not_assessed"] == []


def test_electroplating_water_saving_is_below_iii_before(wf: Workflow) -> None:
    # single-tank overflow rinses and no sub-metering at baseline (N3, N4 change that)
    figures = compute_figures(parse(sample_data("electroplating"), wf), wf)["indicator_after"]
    assert figures["before"]["indicators"]["water_saving"] == "below"
    assert figures["after"]["indicators"]["line_requirements"] == "II"


def test_a_typed_before_level_that_differs_is_named(wf: Workflow) -> None:
    data = sample_data("electroplating")
    next(r for r in rows(data) if r["indicator"] == "water_saving")["level_before"] = "III"
    issues = impact_issues(data, wf)
    assert [(i.rule, i.severity, i.column) for i in issues] == [("indicator.before_differs", "warning", "level_before")]
    assert "有节水设施" in issues[0].message
    # the report still uses phase 2's level
    figures = compute_figures(parse(data, wf), wf)["indicator_after"]
    assert figures["before"]["indicators"]["water_saving"] == "below"


def test_a_quantitative_before_value_in_another_band_is_named(wf: Workflow) -> None:
    data = sample_data("electroplating")
    next(r for r in rows(data) if r["indicator"] == "rinse_water_per_m2")["value_before"] = "20"  # Ⅱ, not Ⅲ
    assert [i.rule for i in impact_issues(data, wf)] == ["indicator.before_differs"]


def test_an_indicator_assessed_at_baseline_needs_a_row(wf: Workflow) -> None:
    data = sample_data("electroplating")
    data["values"]["impact"]["indicators"] = [r for r in rows(data) if r["indicator"] != "line_requirements"]
    issues = impact_issues(data, wf)
    assert [i.rule for i in issues] == ["indicator.after_missing"]
    assert "电镀生产线要求" in issues[0].message


@pytest.mark.parametrize("name", ["electroplating", "coking"])
def test_samples_agree_with_their_baseline(wf: Workflow, name: str) -> None:
    assert impact_issues(sample_data(name), wf) == []


def test_table_6_6_gives_the_computed_level_before_of_every_row(wf: Workflow) -> None:
    from cpaudit.calc.registry import compute_cell

    doc = parse(sample_data("coking"), wf)
    column = wf.field("impact", "indicators").column("level_before_computed")
    spec = column.computed
    levels = {r["indicator"]: compute_cell(spec.function, doc, r, dict(spec.params), "impact")
              for r in doc.rows("impact", "indicators")}
    # 炼焦工序能耗 138.7 kgce/t焦 is Ⅲ (Ⅱ ≤ 125, Ⅲ ≤ 155); a qualitative row gets its phase-2 level
    assert levels["coking_energy"] == "III" and levels["coke_quenching"] == "below"


def test_figures_flag_a_level_granted_by_no_requirement(wf: Workflow) -> None:
    # 煤调湿 0 %: level Ⅲ has no requirement ("--"), so Ⅲ is reached by default (indicator-systems.md item 3)
    figures = compute_figures(parse(sample_data("coking"), wf), wf)
    flagged = [o["key"] for o in figures["indicator_evaluation"]["outcomes"] if o.get("no_requirement")]
    assert flagged == ["coal_moisture_control"]
    assert figures["indicator_after"]["before"]["no_requirement"] == ["coal_moisture_control"]
    assert figures["indicator_after"]["after"]["no_requirement"] == ["coal_moisture_control"]
