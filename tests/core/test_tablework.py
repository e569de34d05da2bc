"""Paste from Excel/WPS, copy, fill down and sort, on the core (no Qt)."""

from __future__ import annotations

import pytest

from cpaudit.domain.changes import InsertRow, ReorderRows
from cpaudit.session import EditRejected
from cpaudit.tablework import copy_block, fill_down, parse_tsv, plan_paste, sort_order, to_tsv


@pytest.fixture
def s(mini_session):
    return mini_session


@pytest.fixture
def table(mini_session):
    return mini_session.workflow.field("s", "rows")


def rows(s):
    return s.document.rows("s", "rows")


def test_tsv_round_trip_with_quotes_tabs_and_newlines():
    grid = [["a", 'say "hi"', "two\nlines"], ["1,234.5", "", "x\ty"]]
    assert parse_tsv(to_tsv(grid)) == grid
    assert parse_tsv("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert parse_tsv("1\n2\t3") == [["1", ""], ["2", "3"]]


def test_paste_block_adds_rows_and_is_one_undo_step(s, table):
    block = parse_tsv("2025-03-01\tKick-off\t25\t2\n2025/3/8\tBalances\t12\t1.5\n")
    plan = plan_paste(s.document, s.workflow, "s", table, block, top=0, left=0)
    assert plan.ok and plan.new_rows == 2 and plan.accepted == 8
    s.apply(plan.changes)
    assert [(r["date"], r["topic"], r["count"], r["hours"]) for r in rows(s)] == [
        ("2025-03-01", "Kick-off", 25, "2"), ("2025-03-08", "Balances", 12, "1.5"),
    ]
    s.undo()
    assert rows(s) == []


def test_rejected_cells_are_listed_for_the_preview(s, table):
    # The computed column is skipped, so the 5th pasted cell lands in "role" and the 6th is beyond.
    block = parse_tsv("2025-13-40\tTopic\tmany\t1\tboss\textra")
    plan = plan_paste(s.document, s.workflow, "s", table, block, top=0, left=0)
    assert [(c.row, c.column) for c in plan.rejected] == [(0, 0), (0, 2), (0, 4), (0, 5)]
    assert all(c.message for c in plan.rejected)
    assert "Count" in plan.rejected[1].message or "many" in plan.rejected[1].message


def test_paste_over_existing_rows_overwrites_cells(s, table):
    s.apply([InsertRow("s", "rows", {"topic": "A"}), InsertRow("s", "rows", {"topic": "B"})])
    plan = plan_paste(s.document, s.workflow, "s", table, [["3"], ["4"]], top=0, left=2)
    s.apply(plan.changes)
    assert [r.get("count") for r in rows(s)] == [3, 4]


def test_fill_down_sort_and_copy(s, table):
    s.apply([
        InsertRow("s", "rows", {"topic": "B", "count": 30, "hours": "1"}),
        InsertRow("s", "rows", {"topic": "A", "count": 5}),
        InsertRow("s", "rows", {"topic": "C", "count": 12}),
    ])
    ids = [r["_id"] for r in rows(s)]
    s.apply(fill_down(s.document, "s", table, ids, "hours"))
    assert [r["hours"] for r in rows(s)] == ["1", "1", "1"]
    s.apply(sort_order(s.document, "s", table, "count"))
    assert [r["count"] for r in rows(s)] == [5, 12, 30]
    s.apply(sort_order(s.document, "s", table, "topic", descending=True))
    assert [r["topic"] for r in rows(s)] == ["C", "B", "A"]
    s.undo()
    s.undo()
    assert [r["count"] for r in rows(s)] == [30, 5, 12]
    text = copy_block(s.document, "s", table, ids[:2], ["topic", "product"])
    assert parse_tsv(text) == [["B", "30"], ["A", "5"]]


def test_sort_refuses_a_stale_order(s):
    s.apply(InsertRow("s", "rows", {"topic": "B"}))
    with pytest.raises(EditRejected):
        s.apply(ReorderRows("s", "rows", ("nope",)))
