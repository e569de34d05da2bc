"""The history says what changed in the language shown now, and where it happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpaudit import i18n
from cpaudit.domain.changes import Attach, InsertRow, Justify, SetCell, SetField, SetMeta
from cpaudit.history_view import Target, describe_entry


@pytest.fixture
def session(make_workspace):
    ws = make_workspace()
    before = i18n.current_language()
    yield ws.session(ws.create_audit("H").id)
    i18n.set_language(before)


def lines(session):
    return [describe_entry(e, session.workflow, session.document) for e in session.history()]


def test_a_field_edit_is_told_in_the_current_language_not_the_stored_label(session) -> None:
    i18n.set_language("zh_CN")
    session.apply(SetField("enterprise", "name", "潍坊纸业"))
    from cpaudit.edit_labels import label_text

    stored = session.history()[0].label  # language-neutral: said in the language of the moment
    assert label_text(stored) == "编辑 企业名称" and "编辑" not in stored
    assert session.undo_status().undo_label == "编辑 企业名称"
    i18n.set_language("en")
    assert session.undo_status().undo_label == "Edit Enterprise name"  # after F12, in English
    i18n.set_language("zh_CN")
    i18n.set_language("en")
    (line,) = lines(session)
    assert line.what == "Entered Enterprise name (Enterprise): 潍坊纸业"
    assert line.target == Target("enterprise", "name")
    assert (line.who, line.kind, line.undone) == ("tester", "edit", False)
    i18n.set_language("zh_CN")
    assert "企业名称" in lines(session)[0].what


def test_cells_rows_undo_and_reason(session) -> None:
    i18n.set_language("en")
    session.apply([InsertRow("training", "sessions", {"topic": "A"}), InsertRow("training", "sessions", {"topic": "B"})])
    second = session.document.rows("training", "sessions")[1]["_id"]
    session.apply(SetCell("training", "sessions", second, "participants", "12"), reason="from the sign-in sheet")
    session.undo()
    undo, cell, rows = lines(session)
    assert cell.what == "Entered Publicity and training records, row 2, Participants (step 4): 12"
    assert cell.reason == "from the sign-in sheet" and cell.undone
    assert cell.target == Target("training", "sessions", second)
    assert undo.what == "Undone: " + cell.what and undo.kind == "undo"
    assert rows.what == "Added a row to Publicity and training records (step 4)"
    session.undo()
    assert lines(session)[0].what == "Undone: " + rows.what  # told as the edit it took back


def test_many_changes_are_summarised(session) -> None:
    i18n.set_language("en")
    fields = ["name", "legal_representative", "address", "registered_capital", "staff"]
    session.apply([SetField("enterprise", f, "1") for f in fields])
    (line,) = lines(session)
    assert line.what.endswith("and 2 more")


def test_meta_justification_and_evidence(session, tmp_path: Path) -> None:
    i18n.set_language("en")
    session.apply(SetMeta("status", "archived"))
    session.apply(Justify("number.max@audit_info/round", "third round by decision of the bureau"))
    photo = tmp_path / "meter.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    session.apply(Attach("enterprise", "name", str(photo)))
    attach, justify, meta = lines(session)
    assert meta.what == "Archived the audit" and meta.target is None
    assert justify.what.startswith("Justified a warning · ") and justify.target == Target("audit_info", "round")
    assert attach.what == "Attached meter.png to Enterprise name (Enterprise)"
    assert attach.target == Target("enterprise", "name")


def test_a_huge_change_is_told_from_its_first_transitions_with_the_true_count(session) -> None:
    # An import or a big paste journals thousands of transitions in one group: the history
    # reads only the first HISTORY_TRANSITIONS of it but still says how many there were.
    from cpaudit.store.journal import HISTORY_TRANSITIONS

    i18n.set_language("en")
    session.apply([InsertRow("training", "sessions", {"topic": f"T{i}"}) for i in range(HISTORY_TRANSITIONS + 30)])
    (entry,) = session.history()
    assert len(entry.transitions) == HISTORY_TRANSITIONS and entry.total == HISTORY_TRANSITIONS + 30
    (line,) = lines(session)
    assert line.what == "80 changes in all: Added a row to Publicity and training records (step 4) and more"


def test_an_imported_audit_is_one_history_line_and_cannot_be_undone(make_workspace) -> None:
    """The first Ctrl+Z on a training sample undid its import and emptied the whole audit;
    the undo menu offered "Undo sample:electroplating"."""
    from cpaudit import audit_json, samples
    from cpaudit.workflow.loader import load_workflow
    from cpaudit.workspace import import_document

    i18n.set_language("zh_CN")
    ws = make_workspace()
    doc = audit_json.parse(samples.sample_data("electroplating"), load_workflow())
    session = ws.session(import_document(ws, doc, "sample:electroplating").id)
    assert not session.undo_status().can_undo
    assert session.undo().empty and session.document.get("enterprise", "name") == doc.get("enterprise", "name")
    (line,) = lines(session)
    assert line.what == "导入：示例审核 electroplating" and line.kind == "import" and not line.undone
    session.apply(SetField("enterprise", "staff", 99))
    session.undo()
    assert session.document.get("enterprise", "staff") == doc.get("enterprise", "staff")  # back to the import
    assert not session.undo_status().can_undo


def test_a_changed_value_is_told_from_and_to(session) -> None:
    """The audit team checking who changed a figure before submission saw only 'Changed Registered capital'."""
    i18n.set_language("en")
    session.apply(SetField("enterprise", "registered_capital", "3500"))
    session.apply(SetField("enterprise", "registered_capital", "4200"))
    session.apply(SetField("audit_info", "basis", "mandatory"))
    session.apply(SetField("audit_info", "basis", None))
    session.apply(SetField("enterprise", "address", "山西省太原市清徐县示例焦化园区 1 号，紧邻 208 国道与太原南环高速出口"))
    address, cleared, chosen, changed, _entered = lines(session)  # newest first
    assert changed.what == "Changed Registered capital (Enterprise): 3500 → 4200"
    assert chosen.what.startswith("Entered ") and chosen.what.endswith(": Mandatory")
    assert cleared.what.startswith("Cleared ") and cleared.what.endswith("(was Mandatory)")
    assert address.what.endswith("…") and len(address.what.rpartition(": ")[2]) == 30  # long values are cut
