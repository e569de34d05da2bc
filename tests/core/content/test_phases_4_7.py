"""Phases 4–7 end to end: register → economics → rules → gates (hand-worked numbers).

The §4.1 formulas themselves are unit-tested in tests/core/calc; here the
adapters are checked: do the worksheet rows and the settings become the right
inputs, and do the rules fire on the right rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cpaudit.audit_json import FORMAT, parse
from cpaudit.calc import option_register as reg
from cpaudit.calc.registry import compute_cell
from cpaudit.domain.document import Attachment, AuditDocument
from cpaudit.figures import compute_figures
from cpaudit.workflow.gates import gate_report
from cpaudit.workflow.loader import load_workflow
from cpaudit.workflow.schema import Workflow
from cpaudit.workflow.validate import validate_step

SETTINGS = {"discount_rate": "6", "income_tax_rate": "25", "depreciation_years": 10, "economic_life": 10,
            "benchmark_irr": "6", "low_cost_below": "5", "medium_cost_below": "50", "balance_tolerance": "5"}


@pytest.fixture(scope="module")
def wf() -> Workflow:
    return load_workflow()


def make_doc(wf: Workflow, values: dict[str, Any]) -> AuditDocument:
    data = {"format": FORMAT, "workflow": {"id": wf.id}, "audit": {"id": "t", "title": "test"},
            "values": {"settings": SETTINGS, **values}}
    return parse(data, wf)


def option(number: str, investment: str, status: str = "proposed", **extra: Any) -> dict[str, Any]:
    return {"number": number, "name": f"option {number}", "proposed_in": "p4", "aspect": "process",
            "investment": investment, "status": status, **extra}


def issues(doc: AuditDocument, wf: Workflow, step: str, severity: str | None = None) -> list:
    found = validate_step(doc, wf, wf.step(step))
    return [i for i in found if severity is None or i.severity == severity]


# --- §4.1 economics through the worksheets -------------------------------------------

def vector2_doc(wf: Workflow, reason: str | None = None) -> AuditDocument:
    """ref §4.1 test vector 2: I = 10, P = 1.58, Y = 10, tax 25 %, i = 6 %."""
    evaluation = {"option_no": "h1"}  # lower case on purpose: numbers compare case-insensitively
    if reason:
        evaluation["decision_reason"] = reason
    return make_doc(wf, {
        "option_list": {"options": [option("H1", "11", "feasibility")]},
        "economic": {
            "investment_items": [
                {"option_no": "H1", "item": "equipment", "kind": "fixed_assets", "amount": "9"},
                {"option_no": "H1", "item": "installation", "kind": "startup", "amount": "2"},
                {"option_no": "H1", "item": "city CP fund", "kind": "subsidy", "amount": "1"},
            ],
            "operating_items": [
                {"option_no": "H1", "item": "by-product sales", "kind": "revenue_increase", "amount": "0.5"},
                {"option_no": "H1", "item": "water and treatment", "kind": "cost_reduction", "amount": "1.28"},
                {"option_no": "H1", "item": "power of the new pump", "kind": "cost_increase", "amount": "0.2"},
            ],
            "evaluation": [evaluation],
        },
    })


def test_economics_from_rows_and_settings(wf: Workflow) -> None:
    doc = vector2_doc(wf)
    row = doc.rows("economic", "evaluation")[0]
    cell = {k: compute_cell("option_economics", doc, row, {"indicator": k}, "economic")
            for k in ("I", "P", "D", "T", "E", "F", "N", "npv", "irr", "norm", "verdict")}
    # I = 9 + 2 − 1; P = 0.5 + 1.28 − 0.2; D = 1; T = 0.58; E = 0.435; F = 1.435; N = 6.97
    assert cell["I"] == "10" and cell["P"] == "1.58" and cell["D"] == "1" and cell["T"] == "0.58"
    assert cell["E"] == "0.44" and cell["F"] == "1.44" and cell["N"] == "6.97"
    assert cell["npv"] == "0.56" and cell["irr"] == "7.17"
    # Medium-cost (5 ≤ 11 < 50) → norm 3 a; N = 6.97 a fails it → verdict fail.
    assert cell["norm"] == "3" and cell["verdict"] == "fail"
    econ = reg.option_economics(doc, "H1")
    assert econ is not None and econ.result.E == Decimal("0.435") and econ.result.F == Decimal("1.435")
    assert econ.settings["discount_rate"] == "6"


def test_payback_beyond_norm_warns_until_a_reason_is_given(wf: Workflow) -> None:
    warnings = issues(vector2_doc(wf), wf, "economic", "warning")
    assert [i.rule for i in warnings] == ["econ.payback_norm"]
    assert "6.97" in warnings[0].message and "H1" in warnings[0].message
    assert issues(vector2_doc(wf, "legal requirement"), wf, "economic", "warning") == []


def test_negative_npv_warns(wf: Workflow) -> None:
    doc = vector2_doc(wf)
    doc.values["economic"]["operating_items"] = [
        {"_id": "o1", "option_no": "H1", "item": "extra chemicals", "kind": "cost_increase", "amount": "1"}]
    doc.memo.clear()  # edited behind the session's back: drop derived results
    rules = {i.rule for i in issues(doc, wf, "economic", "warning")}
    assert {"econ.npv_negative", "econ.payback_norm"} <= rules


def test_evaluation_without_investment_rows_is_an_error(wf: Workflow) -> None:
    doc = make_doc(wf, {"option_list": {"options": [option("H1", "20")]},
                        "economic": {"evaluation": [{"option_no": "H1"}]}})
    assert "econ.inputs_missing" in {i.rule for i in issues(doc, wf, "economic", "error")}


# --- register: cost class, lifecycle ------------------------------------------------

@pytest.mark.parametrize("investment, expected", [("0", "none"), ("4.99", "low"), ("5", "medium"),
                                                  ("49.9", "medium"), ("50", "high")])
def test_cost_class_derived_from_settings_thresholds(wf: Workflow, investment: str, expected: str) -> None:
    doc = make_doc(wf, {"option_list": {"options": [option("X", investment)]}})
    row = doc.rows("option_list", "options")[0]
    assert compute_cell("option_cost_class", doc, row, {}, "option_list") == expected


def test_override_needs_reason_and_wins(wf: Workflow) -> None:
    doc = make_doc(wf, {"option_list": {"options": [option("X", "4", class_override="medium")]}})
    assert [i.rule for i in issues(doc, wf, "option_list", "error")] == ["option.override_reason"]
    assert reg.effective_class(doc, doc.rows("option_list", "options")[0]) == "medium"
    doc.values["option_list"]["options"][0]["override_reason"] = "needs a new tank line"
    doc.memo.clear()  # edited behind the session's back: drop derived results
    assert issues(doc, wf, "option_list", "error") == []


def test_rejected_option_needs_reason_and_numbers_are_unique(wf: Workflow) -> None:
    doc = make_doc(wf, {"option_list": {"options": [option("N1", "1", "rejected"), option("n1 ", "2")]}})
    assert sorted(i.rule for i in issues(doc, wf, "option_list", "error")) == [
        "option.number_duplicate", "option.number_duplicate", "option.rejected_reason"]


def test_unknown_option_number_in_a_worksheet(wf: Workflow) -> None:
    doc = make_doc(wf, {"option_list": {"options": [option("N1", "1")]},
                        "option_screening": {"screening": [
                            {"option_no": "N1", "bin": "implement_now"},
                            {"option_no": "N9", "bin": "rejected"}]}})
    rules = sorted(i.rule for i in issues(doc, wf, "option_screening", "error"))
    assert rules == ["option.rejected_reason", "option.unknown_number"]


def test_ranking_ties_share_rank(wf: Workflow) -> None:
    scores = [("H1", 8, 8, 8, 6), ("H2", 9, 3, 8, 8), ("H3", 8, 8, 8, 6)]
    doc = make_doc(wf, {"option_screening": {
        "w_environment": 10, "w_economic": 8, "w_technical": 7, "w_ease": 5,
        "ranking": [{"option_no": n, "r_environment": a, "r_economic": b, "r_technical": c, "r_ease": d}
                    for n, a, b, c, d in scores]}})
    params = {"criteria": ("environment", "economic", "technical", "ease")}
    rows = doc.rows("option_screening", "ranking")
    totals = [compute_cell("option_rank_total", doc, r, params, "option_screening") for r in rows]
    ranks = [compute_cell("option_rank", doc, r, params, "option_screening") for r in rows]
    tied = [compute_cell("option_rank_tied", doc, r, params, "option_screening") for r in rows]
    assert totals == ["230", "210", "230"] and ranks == [1, 3, 1] and tied == [True, False, True]
    assert compute_figures(doc, wf)["option_ranking"]["ties"] == ["H1", "H3"]


def test_medium_high_option_needs_feasibility(wf: Workflow) -> None:
    doc = make_doc(wf, {"option_list": {"options": [
        option("H1", "30", "feasibility"), option("H2", "80", "rejected", rejection_reason="no space"),
        option("N1", "1", "implemented")]}})
    errors = issues(doc, wf, "recommendation", "error")
    assert [i.rule for i in errors if i.rule.startswith("option.")] == ["option.feasibility_missing"]
    assert "H1" in errors[-1].message
    assert reg.options_lacking_feasibility(doc, ("technical.technical_eval",)) == {"H1": ["technical.technical_eval"]}


def test_implemented_option_needs_evidence(wf: Workflow) -> None:
    doc = make_doc(wf, {
        "option_list": {"options": [option("N1", "1", "implemented"), option("N2", "2", "verified"),
                                    option("H1", "30", "implemented")]},
        "option_effects": {"nlc_effects": [{"_id": "e1", "option_no": "N1", "completed": "2026-01-01",
                                            "actual_investment": "1"}]},
    })
    rules = sorted(i.rule for i in issues(doc, wf, "option_effects", "error"))
    assert rules == ["option.effects_missing", "option.evidence_missing"]  # N2 has no row, N1 no evidence
    assert [i.rule for i in issues(doc, wf, "mhc_verification", "error") if i.rule != "required"] == [
        "option.effects_missing"]
    # An attached file counts as evidence, like a typed reference.
    doc.attachments["a1"] = Attachment("a1", "option_effects", "nlc_effects", "e1", "0" * 64, "invoice.pdf", 10,
                                       "application/pdf", "2026-01-02")
    assert "N1" not in reg.options_lacking_evidence(doc)
    assert reg.options_lacking_evidence(doc) == ["N2", "H1"]


# --- gates --------------------------------------------------------------------------

def test_gates_list_what_is_missing(wf: Workflow) -> None:
    doc = make_doc(wf, {"option_list": {"options": [option("H1", "30", "implemented")]}})
    assessment = gate_report(doc, wf, "assessment")
    assert not assessment["ready"]
    assert {"recommendation", "economic", "enterprise"} <= {s["step"] for s in assessment["steps_incomplete"]}
    assert assessment["content"]["options_lacking_feasibility"]["H1"]
    acceptance = compute_figures(doc, wf)["gates"]["acceptance"]
    assert acceptance["content"]["options_lacking_evidence"] == ["H1"]
    assert "impact" in {s["step"] for s in acceptance["steps_incomplete"]}
    infos = [i for i in issues(doc, wf, "recommendation", "info") if i.rule.startswith("gate.")]
    assert {"gate.step_incomplete", "gate.feasibility_missing"} <= {i.rule for i in infos}


def test_gate_requirements_cover_the_report_chapters(wf: Workflow) -> None:
    assessment, acceptance = wf.gate("assessment"), wf.gate("acceptance")
    up_to_5 = [s.id for p in wf.phases if p.number <= 5 for s in p.steps]
    assert list(assessment.requires) == up_to_5  # ref §6: the 评估 report ends at Ch.5
    assert set(acceptance.requires) == set(up_to_5) | {s.id for s in wf.phases[6].steps}


def test_target_traceability(wf: Workflow) -> None:
    doc = make_doc(wf, {
        "option_list": {"options": [option("N1", "1", "verified"), option("N2", "1", "planned")]},
        "impact": {"targets": [
            {"indicator": "water", "direction": "reduce", "baseline": "10", "target": "8", "achieved": "7.5",
             "options": "N1, N2"},
            {"indicator": "power", "direction": "reduce", "baseline": "10", "target": "9", "achieved": "9"}]},
    })
    rules = sorted(i.rule for i in issues(doc, wf, "impact", "warning"))
    assert rules == ["target.option_not_implemented", "target.untraced"]
    rows = doc.rows("impact", "targets")
    assert compute_cell("target_result", doc, rows[0], {"output": "status"}, "impact") == "reached"
    assert compute_cell("target_result", doc, rows[0], {"output": "achievement"}, "impact") == "125"


def test_maintain_target_achievement(wf: Workflow) -> None:
    """Reuse rate kept at ≥ 95 % (96.2 achieved); zero discharge kept; one maintain row that moved its target."""
    doc = make_doc(wf, {
        "impact": {"targets": [
            {"indicator": "reuse", "unit": "%", "direction": "maintain_at_least", "baseline": "95", "target": "95",
             "achieved": "96.2", "options": ""},
            {"indicator": "discharge", "unit": "m³/a", "direction": "maintain_at_most", "baseline": "0", "target": "0",
             "achieved": "0"},
            {"indicator": "cod", "unit": "mg/L", "direction": "maintain_at_most", "baseline": "50", "target": "45",
             "achieved": "44"},
            {"indicator": "power", "unit": "kWh/t", "direction": "reduce", "baseline": "30", "target": "30",
             "achieved": "29"}]},
    })
    rows = doc.rows("impact", "targets")
    status = [compute_cell("target_result", doc, r, {"output": "status"}, "impact") for r in rows]
    assert status == ["reached", "reached", "error", "error"]
    assert compute_cell("target_result", doc, rows[0], {"output": "achievement"}, "impact") is None
    errors = sorted((i.rule, i.row) for i in issues(doc, wf, "impact", "error") if i.rule.startswith("target."))
    assert errors == [("target.maintain_changes", rows[2]["_id"]), ("target.no_change", rows[3]["_id"])]
    figure = compute_figures(doc, wf)["target_achievement"]
    assert figure["reached"] == 2 and figure["targets"][0]["direction"] == "maintain_at_least"
