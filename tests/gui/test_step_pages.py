"""Every step of the shipped workflow renders, and the page contract holds on each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cpaudit.clock import FixedClock
from cpaudit.gui.fields.registry import EDITORS
from cpaudit.gui.pages.registry import create_page
from cpaudit.workflow.loader import load_workflow
from cpaudit.workflow.schema import SCALAR_TYPES
from cpaudit.workspace import Workspace

STEPS = [s.id for s in load_workflow().steps()]


@pytest.fixture
def session(tmp_path: Path):
    ws = Workspace(tmp_path / "ws.db", clock=FixedClock(dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)), user="t")
    yield ws.session(ws.create_audit("T").id)
    ws.close()


def test_every_scalar_type_has_an_editor() -> None:
    assert set(SCALAR_TYPES) <= set(EDITORS)


@pytest.mark.parametrize("step_id", STEPS)
def test_every_step_page_builds(step_id: str, session, qtbot) -> None:
    step = session.workflow.step(step_id)
    page = create_page(step, session, session.apply)
    qtbot.addWidget(page)
    assert set(page.rows) == {f.id for f in step.fields}
    assert set(page.tables) == {f.id for f in step.fields if f.is_table}
    page.load(session.document)
    page.retranslate()
    page.set_read_only(True)
    for field_id, editor in page.editors.items():
        assert editor._read_only, field_id
    for table in page.tables.values():
        assert table.model.read_only
    for f in step.fields:
        page.focus_field(f.id)
    page.flush()
    assert session.undo_status().undo_label is None  # building, loading and flushing wrote nothing
