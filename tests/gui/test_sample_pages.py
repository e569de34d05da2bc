"""Every step page of every shipped sample audit shows exactly the sample's data.

load → collect must give back what the document holds: a number shown in the
locale's format, a date, a choice label or a table row that does not read back
to the stored value would be data the user sees wrongly (or saves wrongly).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cpaudit import audit_json, samples
from cpaudit.domain.document import AuditDocument
from cpaudit.gui.language import apply_language
from cpaudit.gui.pages.registry import create_page
from cpaudit.workflow.loader import load_workflow
from cpaudit.workspace import Workspace, import_document

WORKFLOW = load_workflow()
CASES = [(name, step.id) for name in samples.sample_names() for step in WORKFLOW.steps()]


@pytest.fixture(scope="module")
def sample_sessions(tmp_path_factory: pytest.TempPathFactory):
    """One workspace per module with every sample imported (importing is the slow part)."""
    ws = Workspace(tmp_path_factory.mktemp("samples") / "ws.db", user="tester")
    sessions = {}
    for name in samples.sample_names():
        doc = audit_json.parse(samples.sample_data(name), WORKFLOW)
        meta = import_document(ws, doc, "sample")
        sessions[name] = ws.session(meta.id)
    yield sessions
    ws.close()


def expected(doc: AuditDocument, step_id: str) -> dict[str, Any]:
    values = {}
    for spec in WORKFLOW.step(step_id).fields:
        if spec.is_table:
            values[spec.id] = [
                {k: v for k, v in row.items() if v is not None and (k == "_id" or spec.column(k).computed is None)}
                for row in doc.rows(step_id, spec.id)
            ]
        elif spec.computed is None:
            values[spec.id] = doc.get(step_id, spec.id)
    return values


def test_the_samples_exist() -> None:
    assert len(samples.sample_names()) >= 2


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(("sample", "step_id"), CASES)
def test_a_sample_step_page_shows_the_data_it_was_given(sample: str, step_id: str, lang: str, sample_sessions, qtbot) -> None:
    apply_language(lang)
    session = sample_sessions[sample]
    page = create_page(WORKFLOW.step(step_id), session, session.apply)
    qtbot.addWidget(page)
    page.load(session.document)
    want = expected(session.document, step_id)
    assert page.collect() == want
    assert session.undo_status().undo_label is None and len(session.history()) == 1  # showing a page wrote nothing
