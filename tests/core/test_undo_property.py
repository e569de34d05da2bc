"""N random edits, undo all → original state; redo all → edited state; across a reopen."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpaudit.domain.changes import DeleteRow, InsertRow, MoveRow, SetCell, SetField
from cpaudit.session import EditRejected
from cpaudit.store import records
from cpaudit.workspace import Workspace

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
edit = st.one_of(
    st.tuples(st.just("name"), TEXT),
    st.tuples(st.just("staff"), st.integers(min_value=0, max_value=10**6)),
    st.tuples(st.just("capital"), st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False)),
    st.tuples(st.just("insert"), st.integers(min_value=0, max_value=5), TEXT),
    st.tuples(st.just("cell"), st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=100)),
    st.tuples(st.just("move"), st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("delete"), st.integers(min_value=0, max_value=5)),
)


def to_change(session, e):
    rows = session.document.rows("team", "members")
    kind = e[0]
    if kind == "name":
        return SetField("enterprise", "name", e[1])
    if kind == "staff":
        return SetField("enterprise", "staff", e[1])
    if kind == "capital":
        return SetField("enterprise", "registered_capital", str(e[1]))
    if kind == "insert":
        return InsertRow("team", "members", {"name": e[2], "role": "member"}, position=e[1])
    if not rows:
        return None
    row = rows[e[1] % len(rows)]["_id"]
    if kind == "cell":
        return SetCell("team", "members", row, "time_share", e[2])
    if kind == "move":
        return MoveRow("team", "members", row, e[2])
    return DeleteRow("team", "members", row)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, min_size=1, max_size=25))
def test_undo_all_then_redo_all_across_reopen(edits):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.db"
        ws = Workspace(path, user="prop")
        audit = ws.create_audit("Property").id
        session = ws.session(audit)
        original = records.load_document(ws.db, audit).values
        applied = 0
        for e in edits:
            change = to_change(session, e)
            if change is None:
                continue
            try:
                if not session.apply(change).empty:
                    applied += 1
            except EditRejected:
                pass
        edited = records.load_document(ws.db, audit).values
        assert session.document.values == edited
        ws.close()

        ws = Workspace(path, user="prop")  # reopen: undo comes from the journal
        session = ws.session(audit)
        for _ in range(applied):
            assert not session.undo().empty
        assert session.undo().empty
        assert records.load_document(ws.db, audit).values == original
        ws.close()

        ws = Workspace(path, user="prop")
        session = ws.session(audit)
        for _ in range(applied):
            assert not session.redo().empty
        assert session.redo().empty
        assert records.load_document(ws.db, audit).values == edited
        assert session.document.values == edited
        ws.close()
