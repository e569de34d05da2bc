"""Trainer mode in the window: DEMO title, tour dock, exercises, presentation mode, language key, reset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from cpaudit import audit_json
from cpaudit.clock import FixedClock
from cpaudit.domain.changes import SetField
from cpaudit.gui.main_window import MainWindow
from cpaudit.gui.training import install_training
from cpaudit.gui.training.exercise_dialog import ExerciseDialog
from cpaudit.gui.training.highlight import Highlight
from cpaudit.gui.training.install import DEMO_MARK
from cpaudit.i18n import current_language
from cpaudit.training import sandbox
from cpaudit.workspace import Workspace


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A sandbox without the inspector half (its reports take seconds; the core tests cover it)."""
    root = tmp_path_factory.mktemp("sandbox") / "demo"
    sandbox.prepare(root=root, with_inspector=False)
    return root


@pytest.fixture
def sandbox_window(qtbot: Any, pristine: Path, tmp_path: Path) -> Iterator[MainWindow]:
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(pristine, root)
    workspace = Workspace(sandbox.enterprise_db(root))
    window = MainWindow(workspace, role="trainer")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    install_training(window).build_options = {"with_inspector": False}
    window.open_audit("demo-electroplating-assessment")
    window.show()
    yield window
    window.workspace.close()


def dumps(db: Path) -> dict[str, Any]:
    with Workspace(db) as ws:
        return {m.id: audit_json.dump(ws.document(m.id)) for m in ws.audits()}


def test_the_sandbox_window_says_demo_and_a_real_one_does_not(sandbox_window, make_window):
    assert sandbox_window.windowTitle().startswith(f"[{DEMO_MARK}]")
    sandbox_window.go_to_step("team")  # the title is re-set on navigation and edits: the mark stays
    sandbox_window.open_audit("demo-coking-started")
    assert sandbox_window.windowTitle().startswith(f"[{DEMO_MARK}]") and "刚开始" in sandbox_window.windowTitle()
    training = sandbox_window.training
    assert training.demo_badge.isVisible() and "DEMO" in training.demo_badge.text()
    assert training.action_reset.isVisible() and not training.action_open_sandbox.isVisible()
    real = make_window()
    install_training(real)
    assert DEMO_MARK not in real.windowTitle()
    assert not real.training.action_reset.isVisible() and real.training.action_open_sandbox.isVisible()
    assert not real.training.demo_badge.isVisible()
    assert install_training(real) is real.training  # idempotent: one menu


def test_f12_switches_the_language_live_and_back(sandbox_window, qtbot):
    training = sandbox_window.training
    training.show_tour()
    assert current_language() == "zh_CN" and training.menu.title() == "培训(&T)"
    qtbot.keyClick(sandbox_window, Qt.Key.Key_F12)
    assert current_language() == "en"
    assert training.menu.title() == "&Training" and sandbox_window.ui.action_lang_en.isChecked()
    assert training.tour.windowTitle() == "Guided tour" and "What the bureau checks" in training.tour.text.text()
    assert sandbox_window.windowTitle().startswith(f"[{DEMO_MARK}]") and "Cleaner production audit" in sandbox_window.windowTitle()
    training.action_language.trigger()  # the same action, from the menu (Ctrl+Shift+L is its second key)
    assert current_language() == "zh_CN" and "主管部门检查什么" in training.tour.text.text()


def test_f12_also_switches_the_dialog_open_in_front(sandbox_window, qtbot):
    """Known for two sessions: with the home page or the new-audit wizard open, F12 switched the window
    behind and left the dialog in the other language."""
    from PySide6.QtWidgets import QWizard

    from cpaudit.gui.dialogs.home_dialog import HomeDialog
    from cpaudit.gui.dialogs.new_audit_wizard import NewAuditWizard

    home = HomeDialog(sandbox_window.workspace_actions, parent=sandbox_window)
    wizard = NewAuditWizard(sandbox_window.session.workflow, sandbox_window)
    for dialog in (home, wizard):
        qtbot.addWidget(dialog)
        dialog.show()
    assert current_language() == "zh_CN" and home.buttons["new"].text() == "新建审核…"
    sandbox_window.training.action_language.trigger()  # F12 / Ctrl+Shift+L
    assert current_language() == "en"
    assert home.windowTitle() == "Home: audits in this workspace" and home.buttons["new"].text() == "New audit…"
    assert wizard.windowTitle() == "New audit" and wizard.buttonText(QWizard.WizardButton.NextButton) == "Next >"
    assert wizard.audit_page.basis_box.itemText(0) == "— not set —" and wizard.enterprise_page.title() == "Which enterprise is audited?"
    sandbox_window.training.action_language.trigger()
    assert home.buttons["new"].text() == "新建审核…" and wizard.windowTitle() == "新建审核"


def test_the_tour_walks_every_step_and_shows_the_place(sandbox_window, qtbot):
    training = sandbox_window.training
    training.action_tour.trigger()
    dock = training.tour
    assert dock.isVisible() and training.action_tour.isChecked()
    dock.go(0, show=True)
    seen = []
    while True:
        stop = dock.current()
        assert sandbox_window.current_step() == stop.step_id
        assert dock.title.text() and "<b" in dock.text.text()
        target = dock.show_me()
        assert target is not None and target.isVisible(), stop.step_id
        assert sandbox_window.findChildren(Highlight)
        seen.append(stop.step_id)
        if not dock.next_button.isEnabled():
            break
        qtbot.mouseClick(dock.next_button, Qt.MouseButton.LeftButton)
    assert seen == [s.id for s in sandbox_window.session.workflow.steps()]
    qtbot.mouseClick(dock.previous_button, Qt.MouseButton.LeftButton)
    assert dock.current().step_id == seen[-2]
    sandbox_window.go_to_step("economic")  # the panel follows the navigator
    assert dock.current().step_id == "economic" and dock.counter.text()
    dock.close()
    assert not training.action_tour.isChecked()


def test_exercise_dialog_explains_a_wrong_answer_and_shows_the_model(qtbot):
    dialog = ExerciseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    ids = [e.id for e in dialog.exercises]
    dialog.list.setCurrentRow(ids.index("balance-nickel"))
    assert dialog.given.rowCount() == 7
    dialog.findChild(QLineEdit, "answer_total_in").setText("5772.9")
    dialog.findChild(QLineEdit, "answer_deviation_pct").setText("1.41")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    text = dialog.feedback.text()
    assert "✗" in text and "硫酸镍" in text and "Σ 输出" in text
    from cpaudit.gui.language import apply_language

    apply_language("en")
    dialog.retranslate()  # typed answers and the feedback survive the switch, now in English
    assert dialog.findChild(QLineEdit, "answer_total_in").text() == "5772.9"
    assert "is missing from your sum" in dialog.feedback.text()
    qtbot.mouseClick(dialog.model_button, Qt.MouseButton.LeftButton)
    assert "All 4 answers match" in dialog.feedback.text()
    assert dialog.findChild(QComboBox, "answer_closes").currentData() == "yes"
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.findChild(QLineEdit, "answer_total_in").text() == "" and dialog.feedback.text() == ""


def test_the_exercise_dialog_has_a_close_button_and_names_no_authors_file(qtbot):
    """Only the window's × or Esc closed it, and the brief ended '数据来源：sample-cases.md A.3', a file the
    trainee never sees."""
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = ExerciseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    for row, exercise in enumerate(dialog.exercises):
        dialog.list.setCurrentRow(row)
        assert exercise.source not in dialog.brief.text() and ".md" not in dialog.brief.text()
    close = dialog.findChild(QDialogButtonBox, "exercise_close").button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and close.isVisible()
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_presentation_mode_enlarges_and_restores(sandbox_window):
    app = QApplication.instance()
    before_font, before_sheet = app.font().pointSizeF(), app.styleSheet()
    training = sandbox_window.training
    training.action_presentation.trigger()
    try:
        assert app.font().pointSizeF() >= before_font * 1.5
        assert "#ffd600" in app.styleSheet() and "17.0pt" not in app.styleSheet()  # titles scaled too
        bigger = app.font().pointSizeF()
        training.action_zoom_in.trigger()
        assert app.font().pointSizeF() > bigger
    finally:
        training.action_presentation.trigger()
    assert app.font().pointSizeF() == before_font and app.styleSheet() == before_sheet


def test_reset_from_the_window_restores_the_pristine_sandbox(sandbox_window, pristine, qtbot):
    db = sandbox_window.workspace.path
    sandbox_window.apply([SetField("enterprise", "staff", 1)])
    sandbox_window.workspace.delete_audit("sample-coking")
    assert dumps(db) != dumps(sandbox.enterprise_db(pristine))
    done: list[bool] = []
    sandbox_window.training.reset(on_done=lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=30000)
    assert dumps(db) == dumps(sandbox.enterprise_db(pristine))
    assert sandbox_window.session.audit_id == "demo-electroplating-assessment"  # reopened where the class was
    assert sandbox_window.windowTitle().startswith(f"[{DEMO_MARK}]")
    assert not list(db.parent.glob(sandbox.STAGING_PREFIX + "*"))


def test_presentation_mode_at_a_projector_resolution_fits_the_page(make_window, qtbot) -> None:
    """At 1366×768 in English the large font made the step page wider than the window: the
    description, the table toolbars and the selection box were cut and needed sideways scrolling."""
    from PySide6.QtCore import Qt

    window = make_window(lang="en")
    window.resize(1366, 768)
    window.training.show_tour(True)  # the tour dock takes its share of the width, as in a workshop
    window.training.action_presentation.setChecked(True)
    window.go_to_step("audit_focus")
    window.settle()
    qtbot.wait(50)
    page = window.page("audit_focus")
    assert not page.scroll.horizontalScrollBar().isVisible()
    assert all(b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
               for t in page.tables.values() for b in t.buttons.values())
    window.training.action_presentation.setChecked(False)


def test_presentation_mode_makes_table_rows_headers_and_icons_follow_the_font(make_window, qtbot) -> None:
    """The large font sat in 27-px rows computed at construction: text was cut, cells elided to two
    characters, and the row toolbar kept its small icons beside the enlarged labels."""
    window = make_window()
    window.go_to_step("team")
    window.settle()
    table = next(iter(window.page("team").tables.values()))
    view = table.view

    def sizes() -> tuple[int, int, int, int]:
        return (view.verticalHeader().defaultSectionSize(), view.horizontalHeader().minimumHeight(),
                table.buttons["add"].iconSize().height(), view.columnWidth(0))

    before = sizes()
    window.training.action_presentation.setChecked(True)
    try:
        on = sizes()
        assert on[0] >= view.fontMetrics().height() + 12 > before[0]
        assert on[1] > before[1] and on[2] > before[2]
        # The column keeps room for its enlarged header (its normal width may include spare room the view gave it).
        head = str(table.model.headerData(0, Qt.Orientation.Horizontal)).split("\n")
        assert on[3] >= max(view.horizontalHeader().fontMetrics().horizontalAdvance(line) for line in head) + 24
        assert table.view.minimumHeight() > before[0] * 3
    finally:
        window.training.action_presentation.setChecked(False)
    assert sizes() == before


def test_presentation_zoom_items_are_not_named_like_the_page_zoom(make_window) -> None:
    """Training had 放大/缩小 like the View menu, for another effect with other keys."""
    window = make_window()
    training, view = window.training, window.workbench.actions
    for ours, page_zoom in ((training.action_zoom_in, view["zoom_in"]), (training.action_zoom_out, view["zoom_out"])):
        assert ours.text().replace("&", "") != page_zoom.text().replace("&", "")
        assert "演示" in ours.text()
