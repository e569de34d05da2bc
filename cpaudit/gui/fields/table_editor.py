# SPDX-License-Identifier: Apache-2.0
"""The table editor: a toolbar (add, insert above, delete, move) over a QTableView (GUI layer).

All editing logic lives in ``TableModel``; this widget only turns button
presses and the selection into model calls, and picks cell editors for
choice and yes/no columns.
"""

from __future__ import annotations

from typing import Any

import qtawesome
from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QScrollArea,
    QStyledItemDelegate, QStyleOptionViewItem, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from cpaudit.gui.fields.table_actions import TableActions
from cpaudit.gui.models.table_model import TableModel
from cpaudit.i18n import _
from cpaudit.session import EditRejected

MAX_VISIBLE_ROWS = 12  # taller tables scroll inside the page, unless the page shows more rows at once
COLUMN_CAP = 300  # px: longer cell text is elided (the cell's editor shows it whole)
NAME_COLUMN_CAP = 440  # px: the column that names the row (方案, Stage) may take more
PAGE_MARGIN = 16  # px kept free above and below a table that fills the page's height
EMPTY_TEXT_CHARS = 10  # an empty description column waits at this width, not at its full hint
MEASURED_ROWS = 200  # rows read to size the columns (more would slow a page down for no gain)


class GridView(QTableView):
    """Tab moves from cell to cell like a spreadsheet, but leaves the table after its last cell
    (Shift+Tab: before its first), and Ctrl+Tab leaves it from anywhere. Qt's view wraps around
    instead, so without a mouse nothing below the first table of a page could be reached."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        if self.tabKeyNavigation() and self._at_edge(next):
            return QWidget.focusNextPrevChild(self, next)  # the next widget of the page
        return super().focusNextPrevChild(next)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Tab in an open cell editor: the same rule, after the value is committed.
        moves = {QAbstractItemDelegate.EndEditHint.EditNextItem: True, QAbstractItemDelegate.EndEditHint.EditPreviousItem: False}
        if hint in moves and self._at_edge(moves[hint]):
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            QWidget.focusNextPrevChild(self, moves[hint])
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            QWidget.focusNextPrevChild(self, forward)
            return
        super().keyPressEvent(event)

    def _at_edge(self, forward: bool) -> bool:
        """Moving on from the current cell would wrap around to the other end of the table."""
        current = self.currentIndex()
        if not current.isValid():
            return True
        action = QAbstractItemView.CursorAction.MoveNext if forward else QAbstractItemView.CursorAction.MovePrevious
        target = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        if not target.isValid() or target == current:
            return True
        here, there = (current.row(), current.column()), (target.row(), target.column())
        return there < here if forward else there > here


class CellDelegate(QStyledItemDelegate):
    """Combo boxes for choice and yes/no cells; plain line edits for the rest."""

    def __init__(self, model: TableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QWidget:
        col = self.model.columns[index.column()]
        if col.type == "choice" and col.choices:
            combo = QComboBox(parent)
            combo.addItem("", None)
            for choice in self.model.session.workflow.enums[col.choices].choices:
                combo.addItem(_(choice.label), choice.value)
            return combo
        if col.type == "yesno":
            combo = QComboBox(parent)
            for text, value in (("", None), (_("Yes"), True), (_("No"), False)):
                combo.addItem(text, value)
            return combo
        editor = QLineEdit(parent)
        if col.type == "date":
            editor.setPlaceholderText(_("YYYY-MM-DD"))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value if value != "" else None)))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text())


class TableEditor(QWidget):
    rejected = Signal(str)  # a row operation was refused, with the translated reason

    def __init__(self, model: TableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.setObjectName(f"table_{model.spec.id}")
        self.view = GridView(self)
        self.view.setObjectName(f"table_view_{model.spec.id}")
        self.view.setModel(model)
        self.view.setItemDelegate(CellDelegate(model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # No stretched last section: it gave the spare width to whatever column came last, often a
        # number or a yes/no, while a choice column beside it was elided (``_spread`` instead).
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

        self._sizing = False  # the widths being set are ours, not the user's
        self._user_sized: set[int] = set()
        self._natural: dict[int, int] = {}  # px a column's widest text needs, uncapped
        self._base: dict[int, int] = {}  # px it gets before the spare width is shared out
        self._page_area: QWidget | None = None  # the page's scroll viewport, once shown in one
        self.buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setSpacing(4)
        for name, icon in (
            ("add", "mdi6.table-row-plus-after"), ("insert", "mdi6.table-row-plus-before"),
            ("delete", "mdi6.table-row-remove"), ("up", "fa6s.arrow-up"), ("down", "fa6s.arrow-down"),
        ):
            button = QToolButton(self)
            button.setObjectName(f"{name}_row_button")
            button.setIcon(qtawesome.icon(icon, color="#455a64"))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            self.buttons[name] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.table_actions = TableActions(self)
        self.cell_buttons: list[QToolButton] = []
        for name in ("copy", "paste", "fill_down"):  # the keys work too; these make them findable
            button = QToolButton(self)
            button.setObjectName(f"{name}_cells_button")
            button.setDefaultAction(self.table_actions.actions[name])
            button.setAutoRaise(True)
            self.cell_buttons.append(button)
            bar.addWidget(button)
        self._icon_side = self.buttons["add"].iconSize().width()  # the style's size, at the normal font
        # Tab reaches the toolbar before the table, in the order they are drawn (the view was made first).
        QWidget.setTabOrder(self.cell_buttons[-1], self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._follow_font()
        self.retranslate()
        # connect signals
        self.buttons["add"].clicked.connect(self.add_row)
        self.buttons["insert"].clicked.connect(self.insert_row_above)
        self.buttons["delete"].clicked.connect(self.delete_selected_rows)
        self.buttons["up"].clicked.connect(lambda: self.move_current(-1))
        self.buttons["down"].clicked.connect(lambda: self.move_current(1))
        model.modelReset.connect(self._on_reset)
        header.sectionResized.connect(self._column_resized)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)  # its width decides the spare room (_spread)
        # Each of them gets its font on its own, in no fixed order (a header's font caps the row height).
        for part in (header, self.view.verticalHeader()):
            part.installEventFilter(self)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page_area and event.type() == QEvent.Type.Resize:
            self._fit_height()
            return False
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._spread()
            return False
        if event.type() == QEvent.Type.FontChange and watched in (self.view, self.view.horizontalHeader(),
                                                                  self.view.verticalHeader()):
            self._follow_font()
            return False
        # Delete/Backspace on selected cells (not while a cell editor is open) clears them.
        if (
            watched is self.view and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)  # type: ignore[attr-defined]
            and self.view.state() != QAbstractItemView.State.EditingState
        ):
            self.clear_selected_cells()
            return True
        return False

    def clear_selected_cells(self) -> None:
        """Empty every selected editable cell, as ONE undo step."""
        cells = [
            (i.row(), i.column(), None) for i in self.view.selectionModel().selectedIndexes()
            if self.model.flags(i) & Qt.ItemFlag.ItemIsEditable and i.data(Qt.ItemDataRole.EditRole) not in ("", None)
        ]
        if cells:
            self._run(lambda: self.model.set_cells(cells))

    def name_column(self) -> int | None:
        """The column that names a row (方案, Stage): the first text column wider than a short code."""
        return next((i for i, c in enumerate(self.model.columns)
                     if c.type in ("text", "longtext") and (c.width or 8) > 8 and not c.computed), None)

    def _size_columns(self) -> None:
        """Widths from the text the columns hold: an empty description column took its full width
        while the option names beside it were elided to a dozen characters."""
        metrics = self.view.fontMetrics()
        bold = self.view.horizontalHeader().fontMetrics()
        name = self.name_column()
        self._sizing = True
        try:
            for i, col in enumerate(self.model.columns):
                if i in self._user_sized:
                    continue
                content = self._widest_text(i) or self._empty_width(col, naming=i == name)
                header = max(bold.horizontalAdvance(line) for line in str(self.model.headerData(i, Qt.Orientation.Horizontal)).split("\n"))
                cap = NAME_COLUMN_CAP if i == name else COLUMN_CAP
                self._natural[i] = max(72, content, header + 24)
                self._base[i] = min(self._natural[i], cap)
                self.view.setColumnWidth(i, self._base[i])
        finally:
            self._sizing = False
        self._spread()

    def _spread(self) -> None:
        """The view's spare width, first to the columns elided at their cap (up to their whole text),
        then to the column that names the row (or else the widest text or choice column); a number or
        yes/no column never grows past its text. With a stretched last section a 400-px 'Amount' column
        held '22' while 'Kind' beside it read 'Fixed assets (equipment, construction, installati…'."""
        free = [i for i in self._base if i not in self._user_sized]
        if not free:
            return
        widths = {i: self._base[i] for i in free}
        taken = sum(self.view.columnWidth(i) for i in range(len(self.model.columns)) if i not in widths)
        spare = self.view.viewport().width() - taken - sum(widths.values())
        for i in free:
            if spare <= 0:
                break
            grow = min(self._natural[i] - widths[i], spare)
            if grow > 0:
                widths[i] += grow
                spare -= grow
        if spare > 0 and (room := self._room_column(free)) is not None:
            widths[room] += spare
        self._sizing = True
        try:
            for i, width in widths.items():
                if self.view.columnWidth(i) != width:
                    self.view.setColumnWidth(i, width)
        finally:
            self._sizing = False

    def _room_column(self, free: list[int]) -> int | None:
        """The column that takes what is left of the spare width: the naming one, or the widest text or choice."""
        name = self.name_column()
        if name in free:
            return name
        texts = [i for i in free if self.model.columns[i].type in ("text", "longtext", "choice", "multichoice")]
        return max(texts, key=lambda i: self._natural[i], default=None)

    def _widest_text(self, column: int) -> int:
        """px of the widest text shown in ``column`` (with the cell's padding); 0 when it is empty."""
        metrics = self.view.fontMetrics()
        texts = {self.model.index(row, column).data() for row in range(min(self.model.rowCount(), MEASURED_ROWS))}
        lines = [line for text in texts if text not in (None, "") for line in str(text).split("\n")]
        return max((metrics.horizontalAdvance(line) + 16 for line in lines), default=0)

    def _empty_width(self, col: Any, naming: bool) -> int:
        """px for a column with nothing in it yet: its width hint, or what its editor shows; a free-text
        column other than the naming one no wider than EMPTY_TEXT_CHARS until it holds something."""
        metrics = self.view.fontMetrics()
        digit = metrics.horizontalAdvance("0")
        hint = (col.width or 8) * digit * 3 // 2  # `width` is a hint in characters of content
        if col.type == "date":  # the longest localised date, e.g. "2025年12月31日"
            return max(hint, metrics.horizontalAdvance(self.model.display(col, "2025-12-28")) + 16)
        if col.type == "choice" and col.choices:  # the longest translated choice
            labels = [self.model.display(col, c.value) for c in self.model.session.workflow.enums[col.choices].choices]
            return max([hint] + [metrics.horizontalAdvance(label) + 16 for label in labels])
        if col.type in ("text", "longtext") and not naming:
            return min(hint, EMPTY_TEXT_CHARS * digit * 3 // 2)
        return hint

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._sizing:
            self._user_sized.add(column)  # a width the user dragged stays when rows come and go

    def _on_reset(self) -> None:
        self._size_columns()
        self._fit_height()

    def _follow_font(self) -> None:
        """Row and header heights, column widths, the table's height and the toolbar icons from the
        current font. Presentation mode and the View zoom change it after construction: computed only
        once, the enlarged text sat in rows too low for it, with its cells elided."""
        metrics = self.view.fontMetrics()
        self.view.verticalHeader().setDefaultSectionSize(metrics.height() + 12)
        self.view.horizontalHeader().setMinimumHeight(metrics.height() * 2 + 12)
        side = max(self._icon_side, metrics.height())
        for button in [*self.buttons.values(), *self.cell_buttons]:
            button.setIconSize(QSize(side, side))
        for button in self.buttons.values():
            button.setMinimumWidth(side + 12)  # the bar may shrink to icons (resizeEvent)
        self._user_sized.clear()  # widths dragged at another text size no longer fit
        self._size_columns()
        self._fit_height()
        self._fit_toolbar()

    def _fit_height(self) -> None:
        row, header = self.view.verticalHeader().defaultSectionSize(), self.view.horizontalHeader().minimumHeight()
        chrome = 2 * self.view.frameWidth() + self.view.horizontalScrollBar().sizeHint().height()
        rows = min(max(self.model.rowCount(), 3), max(MAX_VISIBLE_ROWS, self._rows_the_page_shows(header + chrome, row)))
        self.view.setMinimumHeight(header + rows * row + chrome)
        self._update_buttons()

    def _rows_the_page_shows(self, chrome: int, row: int) -> int:
        """Rows that fit in the page's visible height beside this table's toolbar: a tall page showed
        12 rows of 20 and left half of itself empty below them."""
        if self._page_area is None:
            return 0
        toolbar = self.buttons["add"].sizeHint().height() + self.layout().spacing()
        return (self._page_area.height() - chrome - toolbar - 2 * PAGE_MARGIN) // row

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._page_area is None:
            area = self.parentWidget()
            while area is not None and not isinstance(area, QScrollArea):
                area = area.parentWidget()
            if area is not None:
                self._page_area = area.viewport()
                self._page_area.installEventFilter(self)
                self._fit_height()

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        current = self.view.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        return sorted(r for r in rows if self.model.row_id(r) is not None)

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        read_only = self.model.read_only
        count = self.model.data_row_count()
        self.buttons["add"].setEnabled(not read_only)
        self.buttons["insert"].setEnabled(not read_only and len(rows) == 1)
        self.buttons["delete"].setEnabled(not read_only and bool(rows))
        self.buttons["up"].setEnabled(not read_only and len(rows) == 1 and rows[0] > 0)
        self.buttons["down"].setEnabled(not read_only and len(rows) == 1 and rows[0] < count - 1)

    def _run(self, action: Any) -> Any:
        try:
            return action()
        except EditRejected as exc:
            # e.g. "at most 20 rows": the page shows it beside the table
            self.rejected.emit("; ".join(r.message for r in exc.rejections))
            return None

    def add_row(self) -> None:
        if self._run(lambda: self.model.insert_row(None)) is not None:
            row = self.model.data_row_count() - 1
            self.view.setCurrentIndex(self.model.index(row, self._first_editable_column()))
            self._update_buttons()
            self.view.setFocus()  # typing now fills the new row's first cell

    def _first_editable_column(self) -> int:
        return next((i for i, c in enumerate(self.model.columns) if not c.computed), 0)

    def insert_row_above(self) -> None:
        rows = self.selected_rows()
        if rows and self._run(lambda: self.model.insert_row(rows[0])) is not None:
            self._select(rows[0])

    def delete_selected_rows(self) -> None:
        rows = self.selected_rows()
        if rows and self._run(lambda: self.model.delete_rows(rows)) is not None:
            self._select(min(rows[0], self.model.data_row_count() - 1))

    def move_current(self, delta: int) -> None:
        rows = self.selected_rows()
        if len(rows) == 1 and self._run(lambda: self.model.move_row(rows[0], delta)) is not None:
            self._select(rows[0] + delta)

    def _select(self, row: int) -> None:
        if 0 <= row < self.model.data_row_count():
            column = max(0, self.view.currentIndex().column())
            self.view.setCurrentIndex(self.model.index(row, column))
        self._update_buttons()

    def select_block(self, row: int, column: int, rows: int, columns: int) -> None:
        """Select what a paste wrote, so the user sees it (and Ctrl+Z undoes exactly that)."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        last_row = min(row + rows, self.model.data_row_count()) - 1
        last_column = min(column + columns, len(self.model.columns)) - 1
        if last_row < row or last_column < column:
            return
        self.view.setCurrentIndex(self.model.index(row, column))
        block = QItemSelection(self.model.index(row, column), self.model.index(last_row, last_column))
        self.view.selectionModel().select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def select_row_id(self, row_id: str) -> None:
        try:
            self._select(self.model.row_of(row_id))
        except ValueError:
            pass

    def set_read_only(self, read_only: bool) -> None:
        self.model.set_read_only(read_only)
        for button in self.buttons.values():
            button.setVisible(not read_only)
        self.table_actions.update_enabled()
        self._update_buttons()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Too narrow for the labelled buttons (presentation mode's large font, a 1024 px screen):
        # icons only, with their tooltips, instead of a page wider than the window.
        super().resizeEvent(event)
        self._fit_toolbar()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the labels' width decides between text and icons
            self._fit_toolbar()

    def _fit_toolbar(self) -> None:
        metrics, icon = self.fontMetrics(), self.buttons["add"].iconSize().width()
        labelled = sum(icon + metrics.horizontalAdvance(b.text()) + 20 for b in self.buttons.values())
        right = 3 * (icon + 16)  # copy, paste, fill down: icons only already
        style = (Qt.ToolButtonStyle.ToolButtonTextBesideIcon if self.width() >= labelled + right + 40
                 else Qt.ToolButtonStyle.ToolButtonIconOnly)
        for button in self.buttons.values():
            if button.toolButtonStyle() != style:
                button.setToolButtonStyle(style)

    def retranslate(self) -> None:
        texts = {
            "add": (_("Add row"), _("Add a row at the end")),
            "insert": (_("Insert above"), _("Insert a row above the selected row")),
            "delete": (_("Delete rows"), _("Delete the selected rows (can be undone)")),
            "up": (_("Move up"), _("Move the selected row up")),
            "down": (_("Move down"), _("Move the selected row down")),
        }
        for name, (text, tip) in texts.items():
            self.buttons[name].setText(text)
            self.buttons[name].setToolTip(tip)
        self.table_actions.retranslate()
        self.model.retranslate()
        self._size_columns()
        self._fit_toolbar()
