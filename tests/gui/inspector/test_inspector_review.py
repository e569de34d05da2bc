"""The review page: every step read-only, checks, diff between revisions, comments anchored by a click, scoring."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import trust_plating, wait_import
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit, QRadioButton, QTableView, QTextEdit, QWidget,
)

from cpaudit.review import reviews, scoring, snapshot


def editable_widgets(page: QWidget) -> list[str]:
    """Widgets of a page's form (every field's editor column) that would accept input: what a read-only page must not have.

    The figure views above the form keep their view controls (which balance, show/hide): they change no data."""
    found = []
    root = page
    for w in [c for row in page.rows.values() for c in row.column.findChildren(QWidget)]:
        if not w.isVisibleTo(root):
            continue
        if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)) and not w.isReadOnly() and w.isEnabled():
            found.append(w.objectName() or type(w).__name__)
        elif isinstance(w, (QComboBox, QDateEdit)) and w.isEnabled() and not getattr(w, "isReadOnly", lambda: False)():
            found.append(w.objectName() or type(w).__name__)
        elif isinstance(w, QAbstractButton) and w.isEnabled() and w.objectName().endswith("_row_button"):
            found.append(w.objectName())
        elif isinstance(w, (QCheckBox, QRadioButton)) and w.isEnabled():  # not view toggles (figure panel)
            found.append(w.objectName() or type(w).__name__)
        elif isinstance(w, QTableView) and w.model() is not None and w.model().rowCount():
            index = w.model().index(0, 0)
            if w.model().flags(index) & Qt.ItemFlag.ItemIsEditable:
                found.append(w.objectName())
    return found


@pytest.fixture
def reviewed(make_inspector, files, qtbot):
    """An inspector window holding plating r1 and r2, with r2 open for review."""
    window = make_inspector(lang="en")
    trust_plating(window, files)
    assert wait_import(qtbot, window, [files.r1, files.r2]) == {"plating_r1.cpaudit": "imported", "plating_r2.cpaudit": "imported"}
    r2 = next(s.submission_id for s in snapshot.list_submissions(window.workspace) if s.revision == 2)
    page = window.open_review(r2)
    qtbot.waitUntil(lambda: page.checks.task is None, timeout=30_000)
    return window, page


def test_every_step_is_rendered_read_only(reviewed) -> None:
    _window, page = reviewed
    steps = list(page.session.workflow.steps())
    for step in steps:
        page.go_to(step.id)
        built = page.pages[step.id]
        assert built.read_only
        assert editable_widgets(built) == [], step.id
    assert len(page.pages) == len(steps) > 35  # 35 procedure steps plus the profile steps
    # the check can fail: the same page made editable has editors
    probe = page.pages["enterprise"]
    probe.set_read_only(False)
    assert editable_widgets(probe)
    probe.set_read_only(True)


def test_checks_diff_and_marks(reviewed) -> None:
    _window, page = reviewed
    assert page.checks.mismatches == []
    assert "agrees" in page.checks.figures_summary.text()
    texts = page.checks.warning_texts()
    assert len(texts) == len(page.checks.warnings) > 0
    assert "▲" in texts[0] and "Justification: " + page.checks.warnings[0].justification in texts[0]
    # the diff panel compares with revision 1 by default and marks the changed field
    assert [(c.step, c.field, c.old, c.new) for c in page.diff.changes] == [("enterprise", "staff", 130, 131)]
    assert "1 change from revision 1 to revision 2" in page.diff.summary.text()
    assert page.marks("enterprise") == {"staff": "changed"}
    page.diff.list.itemClicked.emit(page.diff.list.topLevelItem(0), 0)
    assert page.current_step() == "enterprise"
    assert page.report.load() and page.report.preview.page_count() >= 1


def test_the_tab_title_names_the_revision_in_words(reviewed) -> None:
    from cpaudit.gui.language import apply_language

    _window, page = reviewed
    assert page.title().endswith(" · rev. 2")
    apply_language("zh_CN")
    try:
        assert page.title().endswith(" · 第 2 版")
    finally:
        apply_language("en")


def test_a_click_on_a_field_anchors_the_comment(reviewed, qtbot) -> None:
    _window, page = reviewed
    page.go_to("enterprise")
    label = page.pages["enterprise"].rows["name"].label
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    assert page.picked == reviews.Anchor("enterprise", "name")
    assert page.side.currentWidget() is page.comments
    assert page.marks("enterprise")["name"] == "picked"
    assert "Enterprise name" in page.comments.anchor_label.text() or "name" in page.comments.anchor_label.text()
    assert not page.comments.add_button.isEnabled()
    page.comments.text.setPlainText("Please attach the business licence.")
    qtbot.mouseClick(page.comments.add_button, Qt.MouseButton.LeftButton)
    state = reviews.review_state(page.ws, page.submission_id)
    assert [(c.anchor, c.text) for c in state.comments] == [(reviews.Anchor("enterprise", "name"), "Please attach the business licence.")]
    assert page.comments.list.topLevelItemCount() == 1


def test_scoring_total_veto_and_decision(reviewed, qtbot) -> None:
    _window, page = reviewed
    panel = page.scoring
    sheet = panel.sheet
    assert set(panel.vetoes) == {i.id for i in sheet.vetoes}
    assert set(panel.spins) == {i.id for i in (*sheet.scored, *sheet.bonus)}
    headings = [label.text() for label, _group in panel.group_headings]
    assert headings[0] == "Standard of the report (规范性) · 20 points"  # not "(规范性) (20)": one aside at most
    first = sheet.scored[0]
    panel.spins[first.id].setValue(float(first.max))
    assert f"Total {int(first.max)} of 100" in panel.total_label.text()
    assert not panel.record_decision(scoring.PASS)  # 不完整: refused with the reason shown
    assert "no points yet" in panel.status.text()
    for item in sheet.scored:
        panel.spins[item.id].setValue(float(item.max - 1 if item.max >= 5 else item.max))
    panel.spins[sheet.bonus[0].id].setValue(2)
    expected = scoring.compute(sheet, {i.id: (i.max - 1 if i.max >= 5 else i.max) for i in sheet.scored}, {sheet.bonus[0].id: 2})
    assert reviews.review_state(page.ws, page.submission_id).result.total == expected.total
    assert f"Total {expected.total}" in panel.total_label.text().replace(".0", "")
    panel.vetoes[sheet.vetoes[0].id].setChecked(True)
    assert "veto item" in panel.total_detail.text()
    assert not panel.record_decision(scoring.PASS)
    panel.vetoes[sheet.vetoes[0].id].setChecked(False)
    panel.radios[scoring.PASS].setChecked(True)
    qtbot.mouseClick(panel.decide_button, Qt.MouseButton.LeftButton)
    assert snapshot.get_submission(page.ws, page.submission_id).status == "passed"
    assert "pass (通过)" in panel.status.text()
    assert expected.total >= Decimal(70)
    # Ticking a veto after the pass withdraws it, and the panel says so.
    panel.vetoes[sheet.vetoes[0].id].setChecked(True)
    assert "withdrawn" in panel.status.text()
    assert snapshot.get_submission(page.ws, page.submission_id).status == "in_review"
    panel.vetoes[sheet.vetoes[0].id].setChecked(False)
    qtbot.mouseClick(panel.decide_button, Qt.MouseButton.LeftButton)
    assert snapshot.get_submission(page.ws, page.submission_id).status == "passed"


def test_opening_a_review_shows_in_the_dashboard_too(reviewed, qtbot) -> None:
    """The list said 'in review' while the dashboard still counted the file as received."""
    window, _page = reviewed
    box = window.dashboard.boxes["status"]
    assert box.findData("in_review") >= 0
    qtbot.waitUntil(lambda: window.dashboard.task is None, timeout=30_000)
