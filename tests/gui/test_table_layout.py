"""Step-page tables on a real register: which columns get the room, how many rows show, the Tab order."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt

from cpaudit.gui.main_window import MainWindow

from sample_audits import sample_window


@pytest.fixture
def plating_window(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    with sample_window(qtbot, tmp_path / "ws.db") as window:
        yield window


def option_table(window: MainWindow):
    window.go_to_step("option_list")
    window.settle()
    return window.page("option_list").tables["options"]


def test_the_option_names_get_the_room_an_empty_description_column_took(plating_window) -> None:
    table = option_table(plating_window)
    columns = [c.id for c in table.model.columns]
    name, description = columns.index("name"), columns.index("description")
    assert table.name_column() == name
    assert not any(table.model.index(r, description).data() for r in range(table.model.rowCount()))
    width = table.view.fontMetrics().horizontalAdvance
    assert table.view.columnWidth(name) >= width("清" * 28)  # was elided at about 12 characters
    assert table.view.columnWidth(description) <= width("0") * 15 + 24  # its header, not 30 characters of nothing


def test_a_choice_column_shows_its_whole_text_and_a_number_column_does_not_stretch(qtbot, tmp_path) -> None:
    """English investment items at 1366: 'Kind' read 'Fixed assets (equipment, construction, installati…'
    on every row while the last column, 'Amount', spread over 400 px for numbers like '22'."""
    from cpaudit.gui.language import apply_language

    apply_language("en")
    with sample_window(qtbot, tmp_path / "ws.db") as window:
        window.go_to_step("economic")
        window.settle()
        table = window.page("economic").tables["investment_items"]
        columns = [c.id for c in table.model.columns]
        kind, amount, item = columns.index("kind"), columns.index("amount"), columns.index("item")
        view = table.view
        texts = {view.model().index(r, kind).data() for r in range(view.model().rowCount())} - {None, ""}
        widest = max(view.fontMetrics().horizontalAdvance(t) for t in texts)
        assert widest + 16 > 300  # the cap it was elided at, with the cell padding
        assert view.columnWidth(kind) >= widest + 16
        numbers = {view.model().index(r, amount).data() for r in range(view.model().rowCount())} - {None, ""}
        header = view.horizontalHeader().fontMetrics().horizontalAdvance(str(view.model().headerData(amount, Qt.Orientation.Horizontal)).split("\n")[0])
        assert view.columnWidth(amount) <= max(72, header + 24, *(view.fontMetrics().horizontalAdvance(n) + 16 for n in numbers))
        # The rest of the width goes to the naming column: the columns fill the view, no empty band at the right.
        assert sum(view.columnWidth(i) for i in range(len(columns))) >= view.viewport().width() - 1
        assert view.columnWidth(item) > view.columnWidth(amount)


def test_a_dragged_column_width_stays_when_a_row_is_added(plating_window) -> None:
    table = option_table(plating_window)
    table.view.setColumnWidth(2, 333)
    table.add_row()
    assert table.view.columnWidth(2) == 333


def test_a_tall_page_shows_all_20_options_not_12(plating_window) -> None:
    plating_window.resize(1920, 1080)
    table = option_table(plating_window)
    plating_window.settle()
    rows = table.model.rowCount()
    assert rows > 12
    header, row = table.view.horizontalHeader().minimumHeight(), table.view.verticalHeader().defaultSectionSize()
    assert table.view.minimumHeight() >= header + rows * row
    assert table.view.minimumHeight() <= table.window().height()


def test_tab_goes_from_the_navigator_to_the_table_toolbar_then_into_the_table(make_window, qtbot) -> None:
    """The page's scroll area and an empty tab bar took Tab stops between the navigator and the
    first field, and a table's toolbar, drawn above it, came after its cells."""
    from PySide6.QtWidgets import QApplication, QScrollArea, QTabBar

    window = make_window()
    window.go_to_step("training")
    table = window.page("training").tables["sessions"]
    window.ui.step_tree.setFocus()
    stops = []
    for _press in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        stops.append(QApplication.focusWidget())
        if stops[-1] is table.view:
            break
    assert not any(isinstance(w, (QScrollArea, QTabBar)) for w in stops)
    assert stops[0] is table.buttons["add"]  # the first thing on this page
    assert stops[-1] is table.view and all(table.isAncestorOf(w) for w in stops)
