"""The main window end to end: typing reaches the database, undo, rejection, language."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QDate, Qt

from cpaudit.domain.changes import SetField
from cpaudit.gui.models.step_tree_model import STATE_ROLE, phase_text
from cpaudit.i18n import translator
from cpaudit.workflow.validate import EMPTY
from cpaudit.workflow.values import ValueRejected, coerce

from qt_input import commit_text, reopen


def test_typed_ascii_text_is_in_the_database(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("enterprise")
    editor = window.page("enterprise").editors["name"]
    editor.line.setFocus()
    qtbot.keyClicks(editor.line, "ACME Paper Co")
    with qtbot.waitSignal(editor.committed):
        qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    with reopen(window) as other:
        assert other.document(window.session.audit_id).get("enterprise", "name") == "ACME Paper Co"


def test_chinese_input_method_text_is_in_the_database(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("enterprise")
    editor = window.page("enterprise").editors["address"]
    editor.line.setFocus()
    commit_text(editor.line, "山东省潍坊市造纸路1号")
    assert editor.line.text() == "山东省潍坊市造纸路1号"
    with qtbot.waitSignal(editor.committed):
        qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    with reopen(window) as other:
        assert other.document(window.session.audit_id).get("enterprise", "address") == "山东省潍坊市造纸路1号"


def test_paragraph_is_saved_after_an_idle_pause(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("leadership")
    editor = window.page("leadership").editors["commitment"]
    editor.edit.setFocus()
    with qtbot.waitSignal(editor.committed, timeout=3000):
        commit_text(editor.edit, "厂长承诺提供人员和资金。")
    assert window.session.document.get("leadership", "commitment") == "厂长承诺提供人员和资金。"


def test_undo_twice_across_steps_restores_values_and_navigates(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("enterprise")
    name = window.page("enterprise").editors["name"]
    qtbot.keyClicks(name.line, "ACME")
    qtbot.keyClick(name.line, Qt.Key.Key_Return)
    window.go_to_step("leadership")
    commitment = window.page("leadership").editors["commitment"]
    commitment.edit.setFocus()
    commit_text(commitment.edit, "Full support")
    window.go_to_step("team")  # leaving the page commits the paragraph at once
    assert window.session.document.get("leadership", "commitment") == "Full support"
    assert window.nav_model.state_of("leadership") != EMPTY

    undo = window.ui.action_undo
    assert undo.isEnabled()
    assert window.session.undo_status().undo_label in undo.text()
    undo.trigger()
    assert window.session.document.get("leadership", "commitment") is None
    assert window.current_step() == "leadership"
    assert commitment.text() == ""
    assert window.nav_model.state_of("leadership") == EMPTY

    undo.trigger()
    assert window.session.document.get("enterprise", "name") is None
    assert window.current_step() == "enterprise"
    assert name.text() == ""
    assert not undo.isEnabled()
    assert window.ui.action_redo.isEnabled()

    window.ui.action_redo.trigger()
    assert window.session.document.get("enterprise", "name") == "ACME"
    assert name.text() == "ACME"


def test_bad_number_is_rejected_beside_the_field_and_typing_kept(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("enterprise")
    page = window.page("enterprise")
    editor = page.editors["staff"]
    editor.line.setFocus()
    assert editor.line.hasFocus()
    qtbot.keyClicks(editor.line, "12x")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    with pytest.raises(ValueRejected) as expected:
        coerce(window.session.workflow.field("enterprise", "staff"), "12x", window.session.workflow)
    assert page.field_message("staff") == "✖ " + expected.value.message
    assert editor.line.text() == "12x"
    assert window.session.document.get("enterprise", "staff") is None
    # Leaving the field (or the step) must not wipe or reformat the refused text.
    page.editors["name"].line.setFocus()
    assert editor.line.text() == "12x"
    window.go_to_step("team")
    window.go_to_step("enterprise")
    assert editor.line.text() == "12x"
    assert page.field_message("staff") == "✖ " + expected.value.message
    # Correcting it clears the message and saves the number.
    editor.line.clear()
    qtbot.keyClicks(editor.line, "120")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert page.field_message("staff") == ""
    assert window.session.document.get("enterprise", "staff") == 120


def test_refused_input_is_said_in_the_status_bar_and_asked_about_before_closing(
        make_window, qtbot, refused_question) -> None:
    window = make_window()
    window.apply([SetField("enterprise", "staff", "300")])
    window.go_to_step("enterprise")
    page = window.page("enterprise")
    editor = page.editors["staff"]
    editor.line.setFocus()
    editor.line.selectAll()
    commit_text(editor.line, "约 320 人")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    # Not saved, and said so: status bar, page header, navigator.
    assert window.session.document.get("enterprise", "staff") == 300
    assert "1 处输入未被接受" in window.saved_label.text() and "所有更改已保存" not in window.saved_label.text()
    assert page.state == "errors" and "1 处输入未保存" in page.state_label.text()
    assert window.nav_model.state_of("enterprise") == "errors"
    # A table cell refused on another step adds to the count.
    window.go_to_step("team")
    members = window.page("team").tables["members"].model
    members.insert_row()
    share = [c.id for c in members.columns].index("time_share")
    assert not members.setData(members.index(0, share), "lots")
    assert "2 处输入未被接受" in window.saved_label.text()
    # Closing asks; "go back" keeps the window open on the first refused entry.
    refused_question.answer = False
    assert not window.close()
    assert len(refused_question.asked[0]) == 2 and "约 320 人" in refused_question.asked[0][0]
    # each button says what it does: not "放弃这些输入并继续" (continue with what?)
    from cpaudit.gui.refused_input import discard_question

    box, back = discard_question(window, refused_question.asked[0], refused_question.doing[0])
    assert back.text() == "返回更正"
    assert [b.text() for b in box.buttons() if b is not back] == ["不保存这些输入，关闭窗口"]
    box.deleteLater()
    assert window.current_step() == "enterprise" and editor.line.hasFocus()
    # Esc in the field takes the entry back: the stored value is shown again.
    qtbot.keyClick(editor.line, Qt.Key.Key_Escape)
    assert editor.line.text() == "300"
    assert page.state != "errors" and window.nav_model.state_of("enterprise") != "errors"
    assert "1 处输入未被接受" in window.saved_label.text()
    # The status bar's link restores the rest; then closing asks nothing.
    window.saved_label.linkActivated.emit("refused:discard")
    assert members.data(members.index(0, share)) in (None, "")
    assert "所有更改已保存" in window.saved_label.text()
    asked = len(refused_question.asked)
    assert window.close()
    assert len(refused_question.asked) == asked


def test_out_of_range_number_shows_the_rule_while_typing(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("audit_info")
    page = window.page("audit_info")
    qtbot.keyClicks(page.editors["round"].line, "99")
    assert "20" in page.field_message("round")  # max = 20, shown before any commit
    assert window.session.document.get("audit_info", "round") in (None, 1)


def test_visibility_follows_the_answers(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("audit_info")
    page = window.page("audit_info")
    consultant, own = page.rows["consultant"], page.rows["own_capability"]
    assert not consultant.label.isVisibleTo(page) and not own.label.isVisibleTo(page)
    with qtbot.waitSignal(page.editors["consultant_used"].committed):
        qtbot.mouseClick(page.editors["consultant_used"].yes, Qt.MouseButton.LeftButton)
    assert window.session.document.get("audit_info", "consultant_used") is True
    assert consultant.label.isVisibleTo(page) and not own.label.isVisibleTo(page)
    window.apply([SetField("audit_info", "consultant_used", False)])
    assert not consultant.label.isVisibleTo(page) and own.label.isVisibleTo(page)


def test_language_switch_keeps_step_and_retranslates(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("team")
    page = window.page("enterprise")
    qtbot.keyClicks(page.editors["staff"].line, "abc")  # typed, not committed: must survive
    phase = window.session.workflow.phases[1]
    phase_item = window.nav_model.item(1)
    zh_text = phase_item.text()
    window.ui.action_lang_en.trigger()
    assert window.current_step() == "team"
    assert window.ui.page_stack.currentWidget() is window.page("team")
    assert window.ui.menu_file.title() == "&File"
    assert phase_item.text() == phase_text(phase) == f"Phase 1: {translator('en').gettext(phase.title)}"
    assert phase_item.text() != zh_text
    assert page.editors["staff"].line.text() == "abc"
    window.ui.action_lang_zh_cn.trigger()
    assert phase_item.text() == zh_text
    assert window.current_step() == "team"
    assert window.workspace.settings()["gui.language"] == "zh_CN"


def test_status_bar_and_title(make_window, qtbot) -> None:
    window = make_window(title="2025 清洁生产审核")
    assert "2025 清洁生产审核" in window.windowTitle()
    window.apply([SetField("enterprise", "name", "ACME")])
    text = window.saved_label.text()
    assert re.search(r"\d\d:\d\d:\d\d$", text)
    assert window.session.last_saved.startswith("2025-03-01")  # the injected clock, shown with its date
    assert "2025" in text
    assert text.startswith(translator("zh_CN").gettext("All changes saved · {time}").split("{")[0])


def test_inspector_role_is_read_only(make_window) -> None:
    window = make_window(role="inspector")
    window.go_to_step("enterprise")
    assert window.page("enterprise").editors["name"].line.isReadOnly()
    assert not window.ui.action_undo.isVisible()


def test_navigator_state_icons_follow_edits(make_window) -> None:
    window = make_window()
    index = window.nav_model.index_of("enterprise")
    assert index.data(STATE_ROLE) == EMPTY
    window.apply([SetField("enterprise", "name", "ACME")])
    assert index.data(STATE_ROLE) not in (EMPTY, None)
    assert not window.nav_model.itemFromIndex(index).icon().isNull()


def test_refused_and_wrong_cells_are_explained_under_the_table(make_window) -> None:
    window = make_window()
    window.go_to_step("team")
    page = window.page("team")
    model = page.tables["members"].model
    model.insert_row()
    share = [c.id for c in model.columns].index("time_share")
    assert not model.setData(model.index(0, share), "lots")
    assert "lots" in page.field_message("members") and "第 1 行" in page.field_message("members")
    assert model.setData(model.index(0, share), "150")
    message = page.field_message("members")
    assert "lots" not in message and "100" in message
    assert window.nav_model.state_of("team") == "errors"


def test_first_problem_link_focuses_the_wrong_field(make_window, qtbot) -> None:
    window = make_window()
    window.go_to_step("audit_info")
    page = window.page("audit_info")
    window.apply([SetField("audit_info", "round", "99")])  # readable, above max = 20
    assert page.problem_link.isVisibleTo(page)
    assert page.first_problem() == ("round", None)
    page.problem_link.linkActivated.emit("#problem")
    assert page.editors["round"].line.hasFocus()


def test_table_toolbar_and_choice_cell_editor(make_window, qtbot) -> None:
    from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

    window = make_window()
    window.go_to_step("team")
    table = window.page("team").tables["members"]
    qtbot.mouseClick(table.buttons["add"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(table.buttons["add"], Qt.MouseButton.LeftButton)
    assert table.model.data_row_count() == 2
    assert table.view.currentIndex().row() == 1  # the new row is selected
    role = [c.id for c in table.model.columns].index("role")
    index = table.model.index(0, role)
    delegate = table.view.itemDelegate()
    editor = delegate.createEditor(table.view.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findData("deputy"))
    delegate.setModelData(editor, table.model, index)
    assert window.session.document.rows("team", "members")[0]["role"] == "deputy"
    assert window.ui.action_undo.isEnabled()
    table.view.setCurrentIndex(table.model.index(1, 0))
    qtbot.mouseClick(table.buttons["delete"], Qt.MouseButton.LeftButton)
    assert table.model.data_row_count() == 1
    window.ui.action_undo.trigger()  # the deleted row comes back, and the page shows it
    assert table.model.data_row_count() == 2
    assert window.current_step() == "team"


def test_next_and_previous_step_cross_phases(make_window) -> None:
    window = make_window()
    steps = [s.id for s in window.session.workflow.steps()]
    window.go_to_step(steps[-1])
    window.ui.action_next_step.trigger()
    assert window.current_step() == steps[-1]  # stays on the last step
    phase_1 = window.session.workflow.phases[1].steps[0].id
    window.go_to_step(phase_1)
    window.ui.action_previous_step.trigger()
    assert window.current_step() == window.session.workflow.phases[0].steps[-1].id
    window.ui.action_next_step.trigger()
    assert window.current_step() == phase_1


def test_delete_key_clears_selected_cells_as_one_undo_step(make_window, qtbot) -> None:
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    window = make_window()
    window.go_to_step("team")
    table = window.page("team").tables["members"]
    model = table.model
    qtbot.mouseClick(table.buttons["add"], Qt.MouseButton.LeftButton)
    name, department = (model.columns.index(model.spec.column(c)) for c in ("name", "department"))
    assert model.set_cells([(0, name, "张三"), (0, department, "生产部")])
    selection = QItemSelection(model.index(0, name), model.index(0, department))
    table.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(table.view, Qt.Key.Key_Delete)
    row = window.session.document.rows("team", "members")[0]
    assert row.get("name") is None and row.get("department") is None
    window.ui.action_undo.trigger()
    row = window.session.document.rows("team", "members")[0]
    assert (row.get("name"), row.get("department")) == ("张三", "生产部")


def test_a_warning_is_settled_by_a_justification(make_window, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from cpaudit.domain.changes import SetCell

    window = make_window()
    window.apply([SetField("audit_info", "period_start", "2025-03-01"), SetField("audit_info", "period_end", "2025-12-31")])
    window.go_to_step("work_plan")
    page = window.page("work_plan")
    row_id = window.session.document.rows("work_plan", "plan")[0]["_id"]
    window.apply([SetCell("work_plan", "plan", row_id, "due", "2026-06-30")])  # after the audit period
    warnings = [i for i in page.issues if i.severity == "warning"]
    assert warnings, "plan_in_period should warn about a date after the audit period"
    assert window.nav_model.state_of("work_plan") == "warnings"
    html_text = page.rows["plan"].message.text() + page.banner.text()
    assert f'href="justify:{warnings[0].key}"' in html_text

    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: ("Bureau agreed to extend", True)))
    link_owner = page.rows["plan"].message if "justify:" in page.rows["plan"].message.text() else page.banner
    link_owner.linkActivated.emit(f"justify:{warnings[0].key}")
    assert window.session.document.justifications[warnings[0].key] == "Bureau agreed to extend"
    assert window.nav_model.state_of("work_plan") != "warnings"
    assert "Bureau agreed to extend" in page.rows["plan"].message.text() + page.banner.text()
    window.ui.action_undo.trigger()
    assert warnings[0].key not in window.session.document.justifications
    assert window.nav_model.state_of("work_plan") == "warnings"


def test_switching_audits_shows_the_other_audit(make_window) -> None:
    window = make_window(title="First")
    window.apply([SetField("enterprise", "name", "ACME")])
    other = window.workspace.create_audit("Second")
    window.open_audit(other.id)
    assert window.session.audit_id == other.id
    assert "Second" in window.windowTitle()
    window.go_to_step("enterprise")
    assert window.page("enterprise").editors["name"].text() == ""
    assert window.nav_model.state_of("enterprise") == EMPTY
    assert window.workspace.settings()["gui.last_audit"] == other.id


def test_reopening_resumes_on_the_last_step(make_window, qtbot) -> None:
    from cpaudit.gui.main_window import MainWindow

    window = make_window()
    window.go_to_step("training")
    again = MainWindow(window.workspace)
    qtbot.addWidget(again)
    again.open_audit(window.session.audit_id)
    assert again.current_step() == "training"


def test_opening_an_audit_checks_the_steps_in_idle_time(make_window, qtbot) -> None:
    # A large audit must be usable at once: the shown step's state now, the others a
    # slice at a time between events, ending with the same states the core computes.
    from cpaudit.workflow.validate import step_status
    from cpaudit.workspace import import_document
    from sample_audits import sample_document

    window = make_window()
    meta = import_document(window.workspace, sample_document("electroplating"), "sample:electroplating")
    window.open_audit(meta.id)
    wf = window.session.workflow
    assert window._pending_recheck, "nothing left for idle time: every step was checked while opening"
    assert "检查中" in window.ui.progress_label.text()
    qtbot.waitUntil(lambda: not window._pending_recheck, timeout=10_000)
    doc = window.session.document
    for step in wf.steps():
        assert window.nav_model.state_of(step.id) == step_status(doc, wf, step).state, step.id
    assert "检查中" not in window.ui.progress_label.text()
    # counted as the navigator numbers them (1–35), the profile pages apart: not "38 of 38 steps"
    numbered = [s for s in wf.steps() if s.number]
    assert numbered[-1].number == len(numbered) == 35
    done = sum(1 for s in numbered if window.nav_model.state_of(s.id) == "complete")
    assert window.ui.progress_label.text().startswith("已完成 {done}/35 个步骤 · 审核概况 ".format(done=done))


def test_work_queued_by_a_page_change_does_nothing_once_the_workspace_is_closed(make_window, qtbot) -> None:
    # Closing the app closes the workspace; a refresh queued by the last page change
    # (the bureau-answer list) must not then query a closed database.
    window = make_window()
    window.go_to_step("work_plan")
    window.workspace.close()
    qtbot.wait(20)  # pytest-qt fails the test on an exception raised in a slot
    window.workspace.close()  # twice is harmless (the fixture closes it again)


def test_tab_walks_the_cells_then_leaves_the_table(make_window, qtbot) -> None:
    """Qt's view wrapped Tab around inside the table: the fields below it could not be reached."""
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.go_to_step("training")
    table = window.page("training").tables["sessions"]
    table.model.insert_row()
    view, model = table.view, table.model
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.hasFocus() and view.currentIndex().column() == 1  # inside, Tab goes cell to cell
    last = max(c for c in range(model.columnCount()) if model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEnabled)
    view.setCurrentIndex(model.index(model.rowCount() - 1, last))
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    for _press in range(12):  # past the table's own buttons (Add row, Copy, …), then onward in the page
        after = QApplication.focusWidget()
        assert after is not view
        if not table.isAncestorOf(after):
            break
        qtbot.keyClick(after, Qt.Key.Key_Tab)
    assert after is not None and not table.isAncestorOf(after) and window.page("training").isAncestorOf(after)
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert not table.view.hasFocus()
    view.setFocus()
    view.setCurrentIndex(model.index(0, 1))
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # from anywhere
    assert not view.hasFocus()


def test_a_date_is_typed_like_any_value(make_window, qtbot) -> None:
    """The QDateEdit lost the first digit of a typed date and dropped it on leaving the field."""
    window = make_window()
    window.go_to_step("audit_info")
    page = window.page("audit_info")
    start, end = page.editors["period_start"], page.editors["period_end"]
    start.line.setFocus()
    qtbot.keyClicks(start.line, "2025-03-10")
    end.line.setFocus()  # leaving commits
    assert window.session.document.get("audit_info", "period_start") == "2025-03-10"
    assert start.line.text() == "2025年3月10日"  # the language's format when not editing
    qtbot.keyClicks(end.line, "20251231")
    qtbot.keyClick(end.line, Qt.Key.Key_Return)
    assert window.session.document.get("audit_info", "period_end") == "2025-12-31"
    start.line.setFocus()
    assert start.line.text() == "2025-03-10"  # and ISO while editing it
    start.line.selectAll()
    qtbot.keyClicks(start.line, "2025-02-30")
    qtbot.keyClick(start.line, Qt.Key.Key_Return)
    assert window.session.document.get("audit_info", "period_start") == "2025-03-10"
    assert "2025-02-30" in page.field_message("period_start") and "1 处输入未被接受" in window.saved_label.text()
    start._picked(QDate(2025, 4, 1))  # the calendar button
    assert window.session.document.get("audit_info", "period_start") == "2025-04-01"
    assert page.field_message("period_start") == "" and "所有更改已保存" in window.saved_label.text()
    qtbot.mouseClick(start.clear_button, Qt.MouseButton.LeftButton)
    assert window.session.document.get("audit_info", "period_start") is None


def test_no_two_actions_share_a_shortcut(make_window) -> None:
    """Ctrl+Shift+E opened neither the evidence panel nor the exercises: Qt calls it ambiguous."""
    from PySide6.QtGui import QAction

    window = make_window()
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for keys in action.shortcuts():
            text = keys.toString()
            assert text not in seen or seen[text] == action.objectName(), (text, seen.get(text), action.text())
            seen[text] = action.objectName() or action.text()
    assert "Ctrl+Shift+E" in seen and "Ctrl+Shift+A" in seen


def _access_key(text: str) -> str | None:
    import re

    found = re.search(r"&([^&])", text)
    return found.group(1).lower() if found else None


@pytest.mark.parametrize("role", ["enterprise", "trainer"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_menu_item_has_its_own_access_key(make_window, role: str, lang: str) -> None:
    """Alt+F, R must open the report: with two items on one key Qt only moves between them."""
    window = make_window(lang=lang, role=role)
    problems = []

    def walk(menu, where: str) -> None:
        keys: dict[str, list[str]] = {}
        for action in menu.actions():
            if action.isSeparator():
                continue
            key = _access_key(action.text())
            if key is None:
                problems.append("{where}: no access key: {text!r}".format(where=where, text=action.text()))
            else:
                keys.setdefault(key, []).append(action.text())
            if action.menu() is not None:
                walk(action.menu(), where + " > " + action.text())
        problems.extend("{where}: {key} is on {texts}".format(where=where, key=k, texts=v) for k, v in keys.items() if len(v) > 1)

    walk(window.menuBar(), "menu bar")
    assert problems == []



def test_with_no_audit_the_start_page_stands_alone_and_offers_the_sandbox(make_window, qtbot, tmp_path) -> None:
    """A blank 330-px step tree sat beside one line of text, and nothing led to the training sandbox."""
    from cpaudit.gui.main_window import MainWindow
    from cpaudit.workspace import Workspace

    with Workspace(tmp_path / "empty.db") as workspace:
        window = MainWindow(workspace)
        qtbot.addWidget(window)
        window.show()
        assert window.ui.page_stack.currentWidget() is window.ui.welcome_page
        assert not window.ui.navigator_panel.isVisible()
        sandbox = window.training.welcome_sandbox
        assert sandbox.isVisible() and sandbox.text() == "打开培训沙盒(&S)"
        launched = []
        window.training.action_open_sandbox.triggered.disconnect()
        window.training.action_open_sandbox.triggered.connect(lambda: launched.append(True))
        sandbox.click()
        assert launched == [True]
        window.close()
    opened = make_window()
    assert opened.ui.navigator_panel.isVisible()  # an open audit brings the steps back


def test_the_progress_line_breaks_between_its_phrases_not_inside_one(make_window) -> None:
    """In presentation mode it read '已完成 35/35 个步骤 · 审核概况 / 3/3 页', broken mid-phrase."""
    from PySide6.QtWidgets import QApplication

    window = make_window(role="trainer")
    label = window.ui.progress_label
    phrases = label.text().split(" · ")
    assert len(phrases) == 2 and "\n" not in label.text()  # the normal size: one line
    window.training.action_presentation.setChecked(True)
    try:
        QApplication.processEvents()
        lines = label.text().split("\n")
        assert len(lines) == 2, label.text()  # too wide for one line at 1.6×: one phrase a line
        assert [p for line in lines for p in line.split(" · ")] == phrases
        assert all(label.fontMetrics().horizontalAdvance(line) <= label.contentsRect().width() for line in lines)
    finally:
        window.training.action_presentation.setChecked(False)
    QApplication.processEvents()
    assert label.text() == " · ".join(phrases)


def test_the_english_navigator_opens_wider_where_the_page_has_room_and_names_every_title(make_window) -> None:
    """At 1366 the English navigator elided a third of the step titles ('4. Awareness, training and
    overcoming…') at 330 px while the page had about 1000; phases had no title in their tooltip."""
    from cpaudit.gui.main_window import NAVIGATOR_WIDTH, NAVIGATOR_WIDTHS

    window = make_window(lang="en")
    window.resize(1366, 768)
    assert window.ui.splitter.sizes()[0] == NAVIGATOR_WIDTHS["en"] > NAVIGATOR_WIDTH
    window.resize(1024, 700)  # no room to spare: the usual width
    assert window.ui.splitter.sizes()[0] == NAVIGATOR_WIDTH
    model = window.nav_model
    for row in range(model.rowCount()):
        phase = model.item(row)
        for item in [phase] + [phase.child(r) for r in range(phase.rowCount())]:
            assert item.toolTip().startswith(item.text()), item.text()
    window.set_language("zh_CN")
    window.resize(1366, 768)
    assert window.ui.splitter.sizes()[0] == NAVIGATOR_WIDTH
    window.set_language("en")
    assert window.ui.splitter.sizes()[0] == NAVIGATOR_WIDTHS["en"]
