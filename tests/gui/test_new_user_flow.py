"""A new audit team's first session, as they would do it, then the next morning.

Creates the audit with the wizard, fills phase 1 and the 3-year tables of
phase 2 by typing (ASCII through keyClicks, Chinese as an input method commits
it), pastes a block copied from Excel (one refused cell, seen in the preview),
undoes across pages, closes, reopens and finds everything; the history shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from cpaudit.calc.uscc import check_character
from cpaudit.gui.app import build_window
from cpaudit.gui.dialogs.new_audit_wizard import NewAuditWizard
from cpaudit.gui.dialogs.paste_preview import PastePreviewDialog

from qt_input import commit_text

FIRST17 = "91370700MA3C4D5E6"
USCC = FIRST17 + check_character(FIRST17)


def _wizard(qtbot, seen: dict) -> None:
    wizard = QApplication.activeModalWidget()
    assert isinstance(wizard, NewAuditWizard)
    page = wizard.enterprise_page
    commit_text(page.name_edit, "潍坊绿源造纸有限公司")
    qtbot.keyClicks(page.uscc_edit, FIRST17 + "0" if check_character(FIRST17) != "0" else FIRST17 + "1")
    seen["wrong_uscc"] = (page.uscc_message.text(), page.isComplete())
    page.uscc_edit.clear()
    qtbot.keyClicks(page.uscc_edit, USCC.lower())  # typed in lower case, shown as printed
    seen["uscc"] = (page.uscc_edit.text(), page.uscc_message.text(), page.isComplete())
    wizard.next()
    audit = wizard.audit_page
    seen["workflow"] = audit.findChild(type(page.uscc_message), "wizard_workflow").text()
    seen["basis_unset"] = audit.basis_box.currentText()
    audit.basis_box.setCurrentIndex(audit.basis_box.findData("mandatory"))
    audit.system_box.setCurrentIndex(1)
    audit.title_edit.selectAll()
    commit_text(audit.title_edit, "2025 年清洁生产审核")
    wizard.accept()


def _type_cell(qtbot, table, row: int, column_id: str, text: str) -> None:
    model = table.model
    index = model.index(row, [c.id for c in model.columns].index(column_id))
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    editor = QApplication.focusWidget()  # the cell editor the view opened
    assert isinstance(editor, QLineEdit) and table.view.isAncestorOf(editor)
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:
        commit_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the delegate commits on Return through a queued call, as the event loop runs
    qtbot.waitUntil(lambda: table.view.state() != QAbstractItemView.State.EditingState)


def _field(qtbot, window, step: str, field: str, text: str) -> None:
    window.go_to_step(step, field)
    editor = window.page(step).editors[field]
    widget = getattr(editor, "line", None) or getattr(editor, "edit")
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        commit_text(widget, text)
    editor.flush()


def test_a_new_team_fills_phases_1_and_2_and_finds_everything_the_next_day(qapp, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "plant.cpaudit.db"
    window = build_window(path, lang="zh_CN")
    qtbot.addWidget(window)
    window.show()
    seen: dict = {}
    QTimer.singleShot(0, lambda: _wizard(qtbot, seen))
    window.start()  # an empty workspace: the wizard opens by itself
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    assert seen["wrong_uscc"][1] is False and "✖" in seen["wrong_uscc"][0]
    assert seen["uscc"] == (USCC, "✔ " + seen["uscc"][1][2:], True)
    assert "1.0" in seen["workflow"]
    assert seen["basis_unset"] == "— 未选择 —"  # says so, instead of a blank box
    doc = window.session.document
    assert (doc.meta.title, doc.get("enterprise", "name"), doc.get("enterprise", "uscc"), doc.get("audit_info", "basis")) == (
        "2025 年清洁生产审核", "潍坊绿源造纸有限公司", USCC, "mandatory")

    # Phase 1: leadership and the audit team
    _field(qtbot, window, "leadership", "commitment", "总经理承诺提供审核所需的人员和资金。")
    _field(qtbot, window, "leadership", "decision_document", "Decision 2025-07")
    window.go_to_step("team")
    team = window.page("team").tables["members"]
    qtbot.mouseClick(team.buttons["add"], Qt.MouseButton.LeftButton)
    _type_cell(qtbot, team, 0, "name", "王建国")
    _type_cell(qtbot, team, 0, "time_share", "20")

    # Phase 2: the 3-year production table, typed cell by cell
    _field(qtbot, window, "status_survey", "year_1", "2022")
    _field(qtbot, window, "status_survey", "year_2", "2023")
    _field(qtbot, window, "status_survey", "year_3", "2024")
    products = window.page("status_survey").tables["products"]
    qtbot.mouseClick(products.buttons["add"], Qt.MouseButton.LeftButton)
    for column, text in (("product", "瓦楞原纸"), ("unit", "t"), ("y1", "52000"), ("y2", "54000.5"), ("y3", "56000")):
        _type_cell(qtbot, products, 0, column, text)
    row = window.session.document.rows("status_survey", "products")[0]
    assert (row["product"], row["y1"], row["y2"], row["y3"]) == ("瓦楞原纸", "52000", "54000.5", "56000")

    # …and the materials table pasted from Excel, one cell refused
    materials = window.page("status_survey").tables["materials"]
    materials.view.setFocus()
    materials.view.setCurrentIndex(materials.model.index(0, 0))
    QApplication.clipboard().setText("废纸\tt\t61000\t63000\t65000\n淀粉\tt\t800\tabc\t850\n")

    def accept_preview() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PastePreviewDialog)
        seen["refused"] = [dialog.cells.item(r, 2).text() for r in range(dialog.cells.rowCount())]
        dialog.paste_button.click()

    QTimer.singleShot(0, accept_preview)
    materials.table_actions.actions["paste"].trigger()
    assert seen["refused"] == ["abc"]
    assert [(r["material"], r.get("y2")) for r in window.session.document.rows("status_survey", "materials")] == [
        ("废纸", "63000"), ("淀粉", None)]

    # Undo across pages: the paste, then (from another page) the last product cell
    window.go_to_step("leadership")
    window.ui.action_undo.trigger()
    assert window.current_step() == "status_survey" and window.session.document.rows("status_survey", "materials") == []
    window.go_to_step("team")
    window.ui.action_undo.trigger()
    assert window.current_step() == "status_survey"
    assert window.session.document.rows("status_survey", "products")[0].get("y3") is None
    window.ui.action_redo.trigger()

    # History: every edit, in words
    window.workbench.history.show()
    texts = [line.what for line in window.workbench.history.lines]
    assert any("领导" in t or "承诺" in t for t in texts) and any("撤销" in t for t in texts)

    # Close; the next morning, the same workspace
    audit_id = window.session.audit_id
    window.close()
    qtbot.wait(1)  # what the closing window still had queued runs before its workspace is closed
    window.workspace.close()
    again = build_window(path, lang="en")
    qtbot.addWidget(again)
    again.show()
    again.start()
    again.activateWindow()
    assert again.session.audit_id == audit_id
    assert again.current_step() == "status_survey"  # where they left off
    doc = again.session.document
    assert doc.get("leadership", "commitment") == "总经理承诺提供审核所需的人员和资金。"
    assert doc.get("leadership", "decision_document") == "Decision 2025-07"
    assert doc.rows("team", "members")[0]["name"] == "王建国"
    assert (doc.get("status_survey", "year_1"), doc.get("status_survey", "year_3")) == (2022, 2024)
    assert doc.rows("status_survey", "products")[0]["y3"] == "56000"  # redone before closing
    assert doc.rows("status_survey", "materials") == []  # the paste stayed undone
    assert again.page("status_survey").editors["year_2"].line.text() == "2023"
    again.close()
    qtbot.wait(1)
    again.workspace.close()
