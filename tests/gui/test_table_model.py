"""The generic table model, tested without a view (Vorta archive-table-model style)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from cpaudit.clock import FixedClock
from cpaudit.gui.models.table_model import ISSUE_ROLE, ROW_ID_ROLE, SORT_ROLE, VALUE_ROLE, TableModel
from cpaudit.workflow.validate import validate_step
from cpaudit.workspace import Workspace


@pytest.fixture
def make_model(tmp_path: Path):
    opened = []

    def make(step_id: str, table_id: str) -> TableModel:
        ws = Workspace(tmp_path / "ws.db", clock=FixedClock(dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)), user="t")
        opened.append(ws)
        session = ws.session(ws.create_audit("T").id)
        step = session.workflow.step(step_id)
        return TableModel(session, step, step.field(table_id))

    yield make
    for ws in opened:
        ws.close()


def col(model: TableModel, column_id: str) -> int:
    return [c.id for c in model.columns].index(column_id)


def test_passes_qt_model_tester(make_model, qtmodeltester) -> None:
    model = make_model("training", "sessions")
    model.insert_row(None, {"topic": "CP basics", "participants": "12", "hours": "2"})
    qtmodeltester.check(model)


def test_edit_cells_compute_and_total(make_model) -> None:
    model = make_model("training", "sessions")
    assert model.rowCount() == 1  # only the totals row
    model.insert_row()
    model.insert_row()
    assert model.rowCount() == 3 and model.data_row_count() == 2
    p, h, ph = col(model, "participants"), col(model, "hours"), col(model, "person_hours")
    assert model.setData(model.index(0, p), "12")
    assert model.setData(model.index(0, h), "1.5")
    assert model.setData(model.index(1, p), "8")
    assert model.setData(model.index(1, h), "2")
    assert model.index(0, ph).data(Qt.ItemDataRole.DisplayRole) == "18"
    assert model.index(0, h).data(Qt.ItemDataRole.DisplayRole) == "1.5"
    assert model.index(0, h).data(SORT_ROLE) == 1.5
    totals = model.rowCount() - 1
    assert model.is_totals_row(totals)
    assert model.index(totals, p).data(Qt.ItemDataRole.DisplayRole) == "20"
    assert model.headerData(totals, Qt.Orientation.Vertical) == "Σ"
    # computed cells and the totals row cannot be edited
    assert not model.flags(model.index(0, ph)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(totals, p)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, ph), "99")
    rows = model.session.document.rows("training", "sessions")
    assert rows[0]["participants"] == 12 and rows[0]["hours"] == "1.5"


def test_rejected_cell_keeps_the_text_and_explains(make_model) -> None:
    model = make_model("training", "sessions")
    model.insert_row()
    p = col(model, "participants")
    assert not model.setData(model.index(0, p), "twelve")
    index = model.index(0, p)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "twelve"
    assert "twelve" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(ISSUE_ROLE) == "error"
    assert model.session.document.rows("training", "sessions")[0].get("participants") is None
    assert model.setData(index, "12")
    assert index.data(Qt.ItemDataRole.DisplayRole) == "12"
    assert index.data(ISSUE_ROLE) is None


def test_batch_of_cells_is_one_undo_step(make_model) -> None:
    model = make_model("team", "members")
    for _ in range(3):
        model.insert_row()
    name = col(model, "name")
    assert model.set_cells([(0, name, "张三"), (1, name, "李四"), (2, name, "王五")])
    assert [r["name"] for r in model.session.document.rows("team", "members")] == ["张三", "李四", "王五"]
    model.refresh(model.session.undo())
    assert [r.get("name") for r in model.session.document.rows("team", "members")] == [None, None, None]
    assert model.index(0, name).data() == ""


def test_insert_delete_move_rows(make_model) -> None:
    model = make_model("team", "members")
    name = col(model, "name")
    model.insert_row(None, {"name": "A"})
    model.insert_row(None, {"name": "C"})
    model.insert_row(1, {"name": "B"})
    names = lambda: [model.index(r, name).data() for r in range(model.rowCount())]  # noqa: E731
    assert names() == ["A", "B", "C"]
    model.move_row(2, -1)
    assert names() == ["A", "C", "B"]
    assert model.move_row(0, -1) is None  # already first
    row_id = model.index(1, 0).data(ROW_ID_ROLE)
    model.delete_rows([1])
    assert names() == ["A", "B"]
    assert row_id not in [r["_id"] for r in model.session.document.rows("team", "members")]
    model.refresh(model.session.undo())
    assert names() == ["A", "C", "B"]


def test_choice_cells_show_translated_labels_and_store_values(make_model) -> None:
    model = make_model("team", "members")
    model.insert_row()
    role = col(model, "role")
    assert model.setData(model.index(0, role), "leader")
    assert model.session.document.rows("team", "members")[0]["role"] == "leader"
    from cpaudit.i18n import _

    assert model.index(0, role).data() == _("Team leader")
    assert model.index(0, role).data(Qt.ItemDataRole.EditRole) == "leader"


def test_preset_rows_are_shown_translated(make_model) -> None:
    from cpaudit.i18n import _

    model = make_model("work_plan", "plan")
    stage = col(model, "stage")
    assert model.data_row_count() >= 1
    stored = model.index(0, stage).data(Qt.ItemDataRole.EditRole)
    assert model.index(0, stage).data() == _(stored)


def test_cell_issues_colour_and_tooltip(make_model) -> None:
    model = make_model("team", "members")
    model.insert_row()
    share = col(model, "time_share")
    assert model.setData(model.index(0, share), "150")  # readable, but above max = 100
    model.set_issues(validate_step(model.session.document, model.session.workflow, model.step))
    index = model.index(0, share)
    assert index.data(ISSUE_ROLE) == "error"
    assert "100" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None


def test_a_payback_beyond_the_economic_life_shows_as_more_than_the_life(tmp_path) -> None:
    """The worksheet printed a payback of centuries as "1,600.00"; past the life it says "> n"."""
    from sample_audits import sample_workspace

    from cpaudit.domain.changes import SetField

    ws, audit_id = sample_workspace(tmp_path / "s.db", "coking")
    try:
        session = ws.session(audit_id)
        step = session.workflow.step("economic")
        model = TableModel(session, step, step.field("evaluation"))
        n, number = col(model, "N"), col(model, "option_no")

        def shown() -> dict[str, str]:
            return {model.index(r, number).data(): model.index(r, n).data() for r in range(model.data_row_count())}

        assert shown()["C-H1"] == "5.09" and shown()["C-H2"] == "2.44"
        session.apply([SetField("settings", "economic_life", "4")])
        assert shown()["C-H1"] == "> 4" and shown()["C-H2"] == "2.44"
    finally:
        ws.close()


def test_a_payback_that_never_comes_says_so_as_the_report_does(tmp_path) -> None:
    """C-H3 of the coking sample has no saving: N and the dynamic payback were blank cells, as if not
    filled in, while chapter 5 and annex A-10 say "never" (无法回收)."""
    from sample_audits import sample_workspace

    from cpaudit.i18n import _

    ws, audit_id = sample_workspace(tmp_path / "s.db", "coking")
    try:
        session = ws.session(audit_id)
        step = session.workflow.step("economic")
        model = TableModel(session, step, step.field("evaluation"))
        n, dyn, number = col(model, "N"), col(model, "dynamic_payback"), col(model, "option_no")
        shown = {model.index(r, number).data(): (model.index(r, n).data(), model.index(r, dyn).data())
                 for r in range(model.data_row_count())}
        assert shown["C-H3"] == (_("never"), _("never"))
        assert model.index(next(r for r in range(model.data_row_count()) if model.index(r, number).data() == "C-H3"),
                           n).data(VALUE_ROLE) is None  # the value stays empty: only its display says why
        assert shown["C-H1"][1][0].isdigit()
    finally:
        ws.close()


def test_a_yes_no_cell_a_row_never_stored_shows_the_column_default(tmp_path) -> None:
    """The coking indicator rows omit 'applicable' (default yes, as the calculation reads it): the
    column was blank, in the report's table 6-6 too."""
    from sample_audits import sample_workspace

    from cpaudit.i18n import _

    ws, audit_id = sample_workspace(tmp_path / "s.db", "coking")
    try:
        session = ws.session(audit_id)
        step = session.workflow.step("impact")
        model = TableModel(session, step, step.field("indicators"))
        applicable = col(model, "applicable")
        assert {model.index(r, applicable).data() for r in range(model.data_row_count())} == {_("Yes")}
        assert model.index(0, applicable).data(VALUE_ROLE) is None  # only the display reads the default
    finally:
        ws.close()
