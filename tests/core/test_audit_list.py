"""The home screen's list of audits, creating with the wizard's answers, archiving."""

from __future__ import annotations

import pytest

from cpaudit.audit_list import audit_summaries, check_answer, create_audit_with_profile, set_archived
from cpaudit.calc.uscc import check_character
from cpaudit.session import EditRejected

FIRST17 = "91370700MA3C4D5E6"
USCC = FIRST17 + check_character(FIRST17)


def test_create_with_answers_is_one_history_entry(make_workspace, workflow) -> None:
    ws = make_workspace()
    meta = create_audit_with_profile(ws, " 2025 审核 ", {
        ("enterprise", "name"): "潍坊绿源造纸有限公司", ("enterprise", "uscc"): USCC.lower(),
        ("audit_info", "indicator_system"): None, ("audit_info", "basis"): "voluntary",
    })
    doc = ws.document(meta.id)
    assert meta.title == "2025 审核"
    assert (doc.get("enterprise", "name"), doc.get("enterprise", "uscc"), doc.get("audit_info", "basis")) == (
        "潍坊绿源造纸有限公司", USCC, "voluntary")
    assert len(ws.session(meta.id).history()) == 1
    (summary,) = audit_summaries(ws)
    assert (summary.title, summary.enterprise, summary.round, summary.status) == ("2025 审核", "潍坊绿源造纸有限公司", 1, "active")


def test_a_refused_answer_creates_nothing(make_workspace) -> None:
    ws = make_workspace()
    with pytest.raises(EditRejected):
        create_audit_with_profile(ws, "A", {("audit_info", "basis"): "no such basis"})
    with pytest.raises(EditRejected):
        create_audit_with_profile(ws, "  ", {})
    assert ws.audits() == []


def test_check_answer_uses_the_form_rules(workflow) -> None:
    from cpaudit import i18n

    before = i18n.set_language("en") and i18n.current_language()
    assert check_answer(workflow, "enterprise", "uscc", USCC) is None
    assert check_answer(workflow, "enterprise", "uscc", "") is None  # may be filled in later
    wrong = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    assert "check character" in check_answer(workflow, "enterprise", "uscc", wrong)  # says what is wrong
    assert "18 characters" in check_answer(workflow, "enterprise", "uscc", "1234")
    i18n.set_language("zh_CN")


def test_archive_and_bring_back(make_workspace) -> None:
    ws = make_workspace()
    old = ws.create_audit("Old")
    new = ws.create_audit("New")
    set_archived(ws, old.id, True)
    assert [m.id for m in ws.audits(include_archived=False)] == [new.id]
    assert {s.id: s.status for s in audit_summaries(ws)} == {old.id: "archived", new.id: "active"}
    set_archived(ws, old.id, False)
    assert len(ws.audits(include_archived=False)) == 2
