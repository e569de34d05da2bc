"""Step states: missing values make a step incomplete; wrong values make it red."""

from __future__ import annotations

from cpaudit.domain.changes import InsertRow, SetField
from cpaudit.workflow.validate import COMPLETE, EMPTY, ERRORS, INCOMPLETE, step_status


def test_states_from_empty_to_complete(make_workspace) -> None:
    ws = make_workspace()
    session = ws.session(ws.create_audit("T").id)
    wf, step = session.workflow, session.workflow.step("leadership")
    assert step_status(session.document, wf, step).state == EMPTY
    session.apply(SetField("leadership", "commitment", "Full support"))
    assert step_status(session.document, wf, step).state == INCOMPLETE  # a required date is missing
    session.apply(SetField("leadership", "decision_date", "2025-03-05"))
    assert step_status(session.document, wf, step).state == COMPLETE


def test_a_table_short_of_rows_is_incomplete_but_a_wrong_cell_is_an_error(make_workspace) -> None:
    ws = make_workspace()
    session = ws.session(ws.create_audit("T").id)
    wf, step = session.workflow, session.workflow.step("team")
    session.apply(InsertRow("team", "members", {"name": "A", "role": "leader"}))
    assert step_status(session.document, wf, step).state == INCOMPLETE  # min_rows not reached
    session.apply(InsertRow("team", "members", {"name": "B", "role": "member", "time_share": "150"}))
    assert step_status(session.document, wf, step).state == ERRORS  # 150 % > max 100


def test_steps_to_recheck_keeps_self_contained_steps_out(workflow) -> None:
    from cpaudit.workflow.validate import reads_other_steps, steps_to_recheck

    ids = [s.id for s in steps_to_recheck(workflow, ["enterprise"])]
    assert "enterprise" in ids
    for step in workflow.steps():
        if step.id != "enterprise":
            assert (step.id in ids) == reads_other_steps(step)
    assert ids == [s.id for s in workflow.steps() if s.id in ids]  # workflow order


def test_assessment_stage_ignores_phases_six_and_seven(workflow):
    from cpaudit.workflow.validate import stage_steps

    assessment = {s.id for s in stage_steps(workflow, "assessment")}
    acceptance = {s.id for s in stage_steps(workflow, "acceptance")}
    assert "economic" in assessment and "impact" not in assessment and "final_report" not in assessment
    assert {s.id for s in workflow.steps()} == acceptance


def test_what_a_new_audit_starts_with_is_not_progress(make_workspace) -> None:
    """A new audit showed step 3 'complete' (its nine preset stage names) and step 8 'has errors'
    (its preset candidate factors) before anyone had opened them: '2 of 38 steps complete'."""
    from cpaudit.domain.changes import SetCell
    from cpaudit.workflow.validate import audit_status

    ws = make_workspace()
    session = ws.session(ws.create_audit("T").id)
    states = {k: v.state for k, v in audit_status(session.document, session.workflow).items()}
    assert states["work_plan"] == EMPTY and states["audit_focus"] == EMPTY
    assert states["settings"] == COMPLETE  # the calculation settings' defaults are complete as they are
    assert [k for k, v in states.items() if v != EMPTY] == ["settings"]
    first = session.document.rows("work_plan", "plan")[0]["_id"]
    session.apply(SetCell("work_plan", "plan", first, "due", "2025-04-30"))
    status = step_status(session.document, session.workflow, session.workflow.step("work_plan"))
    assert status.state == INCOMPLETE and status.filled == 1  # dates and people still missing
