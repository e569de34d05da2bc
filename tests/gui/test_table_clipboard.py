"""Tables like a spreadsheet: copy, paste from Excel/WPS with a preview of refused cells, fill down, sort."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication

from cpaudit.gui.dialogs.paste_preview import PastePreviewDialog

from qt_input import reopen

BLOCK = "2025-03-10\t清洁生产基础\t全体员工\t45\t2\n2025-03-18\t物料平衡\t审核小组\tlots\t3.5\n"


def _training(window):
    window.go_to_step("training")
    table = window.page("training").tables["sessions"]
    table.view.setFocus()
    table.view.setCurrentIndex(table.model.index(0, 0))
    return table


def _answer_preview(accept: bool, seen: list) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PastePreviewDialog)
        rows = dialog.cells.rowCount()
        seen.append([[dialog.cells.item(r, c).text() for c in range(4)] for r in range(rows)])
        if accept:
            dialog.paste_button.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, answer)


def test_pasting_a_block_with_a_refused_cell_previews_it_then_pastes_the_rest(make_window) -> None:
    window = make_window()
    table = _training(window)
    QApplication.clipboard().setText(BLOCK)
    seen: list = []
    _answer_preview(True, seen)
    table.table_actions.actions["paste"].trigger()

    (rejected,) = seen[0]
    assert rejected[0] == "2" and rejected[2] == "lots"  # row 2, what was pasted
    assert "人数" in rejected[1] or "参加" in rejected[1]  # the column, translated
    assert rejected[3]  # and why
    rows = window.session.document.rows("training", "sessions")
    assert [(r["date"], r["topic"], r.get("participants")) for r in rows] == [
        ("2025-03-10", "清洁生产基础", 45), ("2025-03-18", "物料平衡", None),
    ]
    assert rows[1]["hours"] == "3.5"
    # ONE undo step takes the whole paste back
    window.ui.action_undo.trigger()
    assert window.session.document.rows("training", "sessions") == []
    window.ui.action_redo.trigger()
    with reopen(window) as other:
        assert len(other.document(window.session.audit_id).rows("training", "sessions")) == 2


def test_cancelling_the_preview_pastes_nothing(make_window) -> None:
    window = make_window()
    table = _training(window)
    QApplication.clipboard().setText(BLOCK)
    seen: list = []
    _answer_preview(False, seen)
    table.table_actions.actions["paste"].trigger()
    assert seen and window.session.document.rows("training", "sessions") == []
    assert not window.ui.action_undo.isEnabled()


def test_a_clean_block_pastes_without_asking_and_is_selected(make_window, qtbot) -> None:
    window = make_window()
    table = _training(window)
    QApplication.clipboard().setText("2025-04-01\tSafety\tAll\t12\t1.5\r\n")
    qtbot.keyClick(table.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    (row,) = window.session.document.rows("training", "sessions")
    assert (row["topic"], row["participants"], row["hours"]) == ("Safety", 12, "1.5")
    assert len(table.view.selectionModel().selectedIndexes()) == 5


def test_copy_puts_the_selected_cells_on_the_clipboard_as_tsv(make_window, qtbot) -> None:
    window = make_window()
    table = _training(window)
    QApplication.clipboard().setText("2025-04-01\tSafety\tAll\t12\t1.5\n2025-04-02\t\"Two\nlines\"\tAll\t3\t2\n")
    table.table_actions.paste()
    model = table.model
    block = QItemSelection(model.index(0, 1), model.index(1, 5))  # topic … person_hours (computed)
    table.view.selectionModel().select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(table.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == 'Safety\tAll\t12\t1.5\t18\n"Two\nlines"\tAll\t3\t2\t6\n'


def test_fill_down_copies_the_first_value_in_one_undo_step(make_window, qtbot) -> None:
    window = make_window()
    table = _training(window)
    model = table.model
    for _n in range(3):
        model.insert_row()
    topic = [c.id for c in model.columns].index("topic")
    assert model.setData(model.index(0, topic), "消防演练")
    table.view.selectionModel().select(
        QItemSelection(model.index(0, topic), model.index(2, topic)), QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    qtbot.keyClick(table.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [r.get("topic") for r in window.session.document.rows("training", "sessions")] == ["消防演练"] * 3
    window.ui.action_undo.trigger()
    assert [r.get("topic") for r in window.session.document.rows("training", "sessions")] == ["消防演练", None, None]


def test_sorting_by_a_column_is_one_undo_step(make_window) -> None:
    window = make_window()
    table = _training(window)
    QApplication.clipboard().setText("2025-04-01\tA\t\t30\n2025-04-02\tB\t\t5\n2025-04-03\tC\t\t120\n")
    table.table_actions.paste()
    participants = [c.id for c in table.model.columns].index("participants")
    table.table_actions.sort(participants, descending=True)
    assert [r["topic"] for r in window.session.document.rows("training", "sessions")] == ["C", "A", "B"]
    assert [table.model.index(r, 1).data() for r in range(3)] == ["C", "A", "B"]
    window.ui.action_undo.trigger()
    assert [r["topic"] for r in window.session.document.rows("training", "sessions")] == ["A", "B", "C"]


def test_read_only_tables_copy_but_do_not_paste(make_window) -> None:
    window = make_window(role="inspector")
    table = _training(window)
    QApplication.clipboard().setText("2025-04-01\tA\n")
    table.table_actions.paste()
    assert window.session.document.rows("training", "sessions") == []
    assert not table.table_actions.actions["paste"].isEnabled()
    assert table.table_actions.actions["copy"].isEnabled()
