"""AuditSession: every edit committed and journalled; undo/redo over the journal."""

from __future__ import annotations

import sqlite3

import pytest

from cpaudit.domain.changes import DeleteRow, InsertRow, Justify, MoveRow, SetCell, SetField, SetMeta
from cpaudit.session import EditRejected
from cpaudit.store import records
from cpaudit.store.errors import StorageError
from cpaudit.store.transaction import write_transaction
from cpaudit.workspace import Workspace


@pytest.fixture
def session(make_workspace):
    ws = make_workspace()
    meta = ws.create_audit("Sample audit")
    return ws.session(meta.id)


def stored(session):
    return records.load_document(session.db, session.audit_id)


def test_new_audit_starts_with_defaults_and_preset_rows(session):
    doc = session.document
    assert doc.get("settings", "discount_rate") == "8"
    assert doc.get("settings", "depreciation_years") == 10
    assert [r["stage"] for r in doc.rows("work_plan", "plan")][:2] == ["Planning and organisation", "Pre-assessment"]


def test_set_field_is_committed_and_canonical(session):
    cs = session.apply(SetField("enterprise", "registered_capital", "1,250.50"))
    assert cs.fields == {("enterprise", "registered_capital")}
    assert stored(session).get("enterprise", "registered_capital") == "1250.5"
    assert cs.saved_at == session.last_saved


def test_unreadable_value_rejects_the_whole_batch(session):
    with pytest.raises(EditRejected) as err:
        session.apply([SetField("enterprise", "name", "太原示例"), SetField("enterprise", "staff", "many")])
    assert err.value.rejections[0].path == "enterprise/staff"
    assert err.value.rejections[0].rule == "number.invalid"
    from cpaudit.i18n import _

    assert "many" in err.value.rejections[0].message
    assert _("Number of employees") in err.value.rejections[0].message  # names the field, translated
    assert stored(session).get("enterprise", "name") is None  # nothing written
    assert not session.undo_status().can_undo


@pytest.mark.parametrize("raw", ["nan", "inf", "-Infinity", "1e400"])
def test_non_finite_and_huge_numbers_are_rejected(session, raw):
    with pytest.raises(EditRejected):
        session.apply(SetField("enterprise", "registered_capital", raw))


def test_no_op_edit_creates_no_undo_step(session):
    session.apply(SetField("enterprise", "name", "A"))
    cs = session.apply(SetField("enterprise", "name", "A"))
    assert cs.empty
    assert len([h for h in session.history() if h.kind == "edit"]) == 1


def test_rows_insert_edit_move_delete_and_undo_everything(session):
    original = stored(session).values
    session.apply(InsertRow("team", "members", {"name": "Wang", "role": "leader"}))
    session.apply(InsertRow("team", "members", {"name": "Li", "role": "member"}, position=0))
    rows = session.document.rows("team", "members")
    assert [r["name"] for r in rows] == ["Li", "Wang"]
    li, wang = rows[0]["_id"], rows[1]["_id"]
    session.apply(SetCell("team", "members", wang, "time_share", "40"))
    session.apply(MoveRow("team", "members", wang, 0))
    assert [r["name"] for r in stored(session).rows("team", "members")] == ["Wang", "Li"]
    session.apply(DeleteRow("team", "members", li))
    assert [r["name"] for r in stored(session).rows("team", "members")] == ["Wang"]
    assert stored(session).rows("team", "members")[0]["time_share"] == "40"
    for _ in range(5):
        assert not session.undo().empty
    assert session.undo().empty  # nothing left
    assert stored(session).values == original
    assert session.document.values == stored(session).values


def test_redo_chain_is_dropped_by_a_new_edit(session):
    session.apply(SetField("enterprise", "name", "A"))
    session.apply(SetField("enterprise", "name", "B"))
    session.undo()
    assert session.undo_status().can_redo
    session.apply(SetField("enterprise", "address", "Taiyuan"))
    assert not session.undo_status().can_redo
    assert stored(session).get("enterprise", "name") == "A"


def test_undo_survives_a_restart(make_workspace, tmp_path):
    ws = make_workspace("w.db")
    meta = ws.create_audit("Restart")
    s = ws.session(meta.id)
    s.apply(SetField("enterprise", "name", "Before"))
    s.apply(SetField("enterprise", "name", "After"))
    ws.close()
    again = Workspace(tmp_path / "w.db")
    s2 = again.session(meta.id)
    assert s2.undo_status().undo_label  # "Edit Enterprise name", translated
    s2.undo()
    assert Workspace(tmp_path / "w.db").document(meta.id).get("enterprise", "name") == "Before"
    again.close()


def test_journal_records_who_when_old_new_and_reason(session):
    session.apply(SetField("enterprise", "name", "A"))
    session.apply(SetField("enterprise", "name", "B"), reason="typo in the licence")
    entry = session.history()[0]
    assert entry.who == "tester" and entry.reason == "typo in the licence"
    assert entry.at == session.last_saved
    (t,) = entry.transitions
    assert (t.op, t.path, t.old, t.new) == ("set", "enterprise/name", "A", "B")


def test_computed_and_unknown_fields_cannot_be_written(session):
    session.apply(InsertRow("training", "sessions", {"date": "2025-03-01", "topic": "CP", "participants": 12, "hours": "1.5"}))
    row = session.document.rows("training", "sessions")[0]
    with pytest.raises(EditRejected):
        session.apply(SetCell("training", "sessions", row["_id"], "person_hours", "3"))
    with pytest.raises(EditRejected):
        session.apply(SetField("enterprise", "no_such_field", "x"))


def test_justification_and_title_are_journalled(session):
    session.apply(Justify("balance.closure@material_balance", "Evaporation not metered"))
    session.apply(SetMeta("title", "Round 2"))
    assert stored(session).justifications == {"balance.closure@material_balance": "Evaporation not metered"}
    assert session.document.meta.title == "Round 2"
    session.undo()
    session.undo()
    assert stored(session).justifications == {}
    with pytest.raises(EditRejected):
        session.apply(SetMeta("title", "   "))


def test_control_characters_are_stripped_and_long_text_refused(session):
    session.apply(SetField("enterprise", "name", "A\x00B\x07C"))
    assert stored(session).get("enterprise", "name") == "ABC"
    with pytest.raises(EditRejected):
        session.apply(SetField("enterprise", "name", "x" * 1_000_000))


def test_a_full_disk_refuses_the_edit_with_a_clear_message_and_loses_nothing(session):
    session.apply(SetField("enterprise", "main_products", "焦炭 100 万 t/a"))
    conn = session.db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full: the file cannot grow
    big = "焦炭、焦油、粗苯" * 2000
    with pytest.raises(StorageError) as err:
        for i in range(40):  # enough pages of journal to outgrow the free pages inside the file
            session.apply(SetField("enterprise", "main_products", f"{i} {big}"))
    assert err.value.rule == "storage.full" and "SQLITE_FULL" in err.value.detail
    assert err.value.message.startswith("磁盘已满")  # not "cannot rollback - no transaction is active"
    assert not conn.in_transaction
    written = stored(session).get("enterprise", "main_products")
    assert session.document.get("enterprise", "main_products") == written  # memory never ran ahead of the file
    conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    session.apply(SetField("enterprise", "main_products", "焦炭 120 万 t/a"))
    session.undo()
    assert stored(session).get("enterprise", "main_products") == written


def test_a_read_only_workspace_says_so(session):
    session.db.conn.execute("PRAGMA query_only = ON")  # as a file the user may not write
    with pytest.raises(StorageError) as err:
        session.apply(SetField("enterprise", "main_products", "焦炭"))
    assert err.value.rule == "storage.read_only"
    session.db.conn.execute("PRAGMA query_only = OFF")


def test_other_failures_inside_a_write_roll_back_and_keep_their_own_type(session):
    title = session.db.execute("SELECT title FROM audits").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError):  # a constraint is a bug to see, not a "disk" to blame
        with write_transaction(session.db):
            session.db.execute("UPDATE audits SET title = 'changed'")
            session.db.execute("INSERT INTO audits SELECT * FROM audits")
    with pytest.raises(ValueError):
        with write_transaction(session.db):
            session.db.execute("UPDATE audits SET title = 'changed'")
            raise ValueError("stop")
    assert session.db.execute("SELECT title FROM audits").fetchone()[0] == title
    assert not session.db.conn.in_transaction


def test_the_round_typed_in_the_form_is_the_round_the_audit_is_filed_under(tmp_path):
    """Found in review: audit_info.round (the form) and the audit's round (the manifest, the bureau's
    revision chain) were independent, so a round-2 audit could be filed in round 1's chain."""
    import json

    from cpaudit import audit_json
    from cpaudit.workflow.loader import load_workflow

    with Workspace(tmp_path / "w.db", user="t") as ws:
        meta = ws.create_audit("Round")
        session = ws.session(meta.id)
        session.apply(SetField("audit_info", "round", 2))
        assert ws.meta(meta.id).round == 2 and session.document.meta.round == 2
        session.undo()
        assert ws.meta(meta.id).round == 1 and session.document.meta.round == 1
        data = audit_json.dump(ws.document(meta.id))
    data["values"].setdefault("audit_info", {})["round"] = 3  # edited by hand; the header still says 1
    with pytest.raises(audit_json.DocumentInvalid, match="audit.round"):
        audit_json.parse(json.loads(json.dumps(data)), load_workflow())
    del data["audit"]["round"]
    assert audit_json.parse(data, load_workflow()).meta.round == 3
