# SPDX-License-Identifier: Apache-2.0
"""Spreadsheet keys and menus of a table editor: copy, paste, fill down, sort (GUI layer).

Ctrl+C puts the selected cells on the clipboard as tab-separated text (what
Excel/WPS paste); Ctrl+V plans a paste of a copied block with
``tablework.plan_paste`` and, when any cell is refused, shows the refused
cells first (``PastePreviewDialog``); Ctrl+D fills the first selected value
down; the header's context menu sorts. Each is ONE undo step. The decisions
are the core's (``cpaudit.tablework``); this module maps selection and keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import qtawesome
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from cpaudit import tablework
from cpaudit.domain.changes import Change
from cpaudit.gui.dialogs.paste_preview import PastePreviewDialog
from cpaudit.i18n import _

if TYPE_CHECKING:
    from cpaudit.gui.fields.table_editor import TableEditor

ICON_COLOUR = "#455a64"


class TableActions:
    """Installed on a ``TableEditor``; its actions work while the table has the focus."""

    def __init__(self, editor: "TableEditor"):
        self.editor, self.model, self.view = editor, editor.model, editor.view
        self.actions: dict[str, QAction] = {}
        for name, icon, keys, slot in (
            ("copy", "fa6s.copy", QKeySequence.StandardKey.Copy, self.copy),
            ("paste", "fa6s.paste", QKeySequence.StandardKey.Paste, self.paste),
            ("fill_down", "mdi6.arrow-collapse-down", QKeySequence("Ctrl+D"), self.fill_down),
        ):
            action = QAction(qtawesome.icon(icon, color=ICON_COLOUR), "", self.view)
            action.setObjectName(f"{name}_cells_action")
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
            self.actions[name] = action
        self.sort_up = QAction(qtawesome.icon("fa6s.arrow-down-a-z", color=ICON_COLOUR), "", self.view)
        self.sort_down = QAction(qtawesome.icon("fa6s.arrow-down-z-a", color=ICON_COLOUR), "", self.view)
        self.extra_menu_actions: list[QAction] = []  # e.g. "Attach a file to this row…"
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # connect signals
        self.view.customContextMenuRequested.connect(self._cell_menu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            "copy": (_("Copy"), _("Copy the selected cells (paste them into Excel or WPS)")),
            "paste": (_("Paste"), _("Paste cells copied from Excel or WPS, starting at the current cell")),
            "fill_down": (_("Fill down"), _("Copy the first selected value into the selected cells below it")),
        }
        for name, (text, tip) in texts.items():
            self.actions[name].setText(text)
            self.actions[name].setToolTip(tip)
        self.sort_up.setText(_("Sort ascending"))
        self.sort_down.setText(_("Sort descending"))

    def update_enabled(self) -> None:
        editable = not self.model.read_only
        for name in ("paste", "fill_down"):
            self.actions[name].setEnabled(editable)
        self.sort_up.setEnabled(editable)
        self.sort_down.setEnabled(editable)

    # -- selection -------------------------------------------------------------------
    def _selected(self) -> list[tuple[int, int]]:
        cells = {(i.row(), i.column()) for i in self.view.selectionModel().selectedIndexes()}
        current = self.view.currentIndex()
        if not cells and current.isValid():
            cells = {(current.row(), current.column())}
        return sorted((r, c) for r, c in cells if self.model.row_id(r) is not None)

    # -- copy ------------------------------------------------------------------------
    def copy(self) -> None:
        cells = self._selected()
        if not cells:
            return
        rows = sorted({r for r, _c in cells})
        columns = sorted({c for _r, c in cells})
        text = tablework.copy_block(
            self.model.session.document, self.model.step.id, self.model.spec,
            [self.model.row_id(r) for r in rows], [self.model.columns[c].id for c in columns],  # type: ignore[misc]
        )
        QApplication.clipboard().setText(text)

    # -- paste -----------------------------------------------------------------------
    def paste(self) -> None:
        if self.model.read_only:
            return
        grid = tablework.parse_tsv(QApplication.clipboard().text())
        if not grid:
            return
        current = self.view.currentIndex()
        top = current.row() if current.isValid() else self.model.data_row_count()
        top = min(top, self.model.data_row_count())  # the totals row: append below the data
        column = max(0, current.column())
        # The block maps onto the columns a user can type in: skip computed ones to the left.
        left = sum(1 for c in self.model.columns[:column] if c.computed is None)
        if len(grid) == 1 and len(grid[0]) == 1 and len(self._selected()) > 1:
            self._paste_one_into_selection(grid[0][0])
            return
        plan = tablework.plan_paste(
            self.model.session.document, self.model.session.workflow, self.model.step.id, self.model.spec, grid, top, left,
        )
        if plan.rejected:
            dialog = PastePreviewDialog(plan, self.model.spec, top, left, self.editor)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        if plan.changes and self._apply(plan.changes):
            rows = max(1, min(len(grid), self.model.data_row_count() - top))
            self.editor.select_block(top, column, rows, len(grid[0]))

    def _paste_one_into_selection(self, text: str) -> None:
        """One copied value onto a selection: every selected typed-in cell gets it (Excel)."""
        cells = [(r, c, text) for r, c in self._selected() if self.model.columns[c].computed is None]
        self.editor._run(lambda: self.model.set_cells(cells))

    # -- fill down, sort ---------------------------------------------------------------
    def fill_down(self) -> None:
        if self.model.read_only:
            return
        by_column: dict[int, list[int]] = {}
        for r, c in self._selected():
            by_column.setdefault(c, []).append(r)
        changes: list[Change] = []
        for c, rows in by_column.items():
            if len(rows) == 1 and rows[0] > 0:  # one cell: take the value from the row above
                rows = [rows[0] - 1, rows[0]]
            ids = [self.model.row_id(r) for r in sorted(rows)]
            changes += tablework.fill_down(
                self.model.session.document, self.model.step.id, self.model.spec, ids, self.model.columns[c].id,  # type: ignore[arg-type]
            )
        if changes:
            self._apply(changes)

    def sort(self, column: int, descending: bool = False) -> None:
        if self.model.read_only or self.model.data_row_count() < 2:
            return
        order = tablework.sort_order(
            self.model.session.document, self.model.step.id, self.model.spec, self.model.columns[column].id, descending,
        )
        self._apply([order])

    def _apply(self, changes: list[Change]) -> bool:
        return self.editor._run(lambda: self.model.apply_changes(changes)) is not None

    # -- menus -------------------------------------------------------------------------
    def _cell_menu(self, position: QPoint) -> None:
        menu = QMenu(self.view)
        menu.addAction(self.actions["copy"])
        if not self.model.read_only:
            menu.addAction(self.actions["paste"])
            menu.addAction(self.actions["fill_down"])
            menu.addSeparator()
            for name in ("insert", "delete"):
                button = self.editor.buttons[name]
                if button.isEnabled():
                    menu.addAction(button.icon(), button.text(), button.click)
        for action in self.extra_menu_actions:
            menu.addAction(action)
        self._show(menu, self.view.viewport().mapToGlobal(position))

    def _header_menu(self, position: QPoint) -> None:
        column = self.view.horizontalHeader().logicalIndexAt(position)
        if column < 0 or self.model.read_only:
            return
        menu = QMenu(self.view)
        self._connect_once(self.sort_up, lambda: self.sort(column, False))
        self._connect_once(self.sort_down, lambda: self.sort(column, True))
        menu.addAction(self.sort_up)
        menu.addAction(self.sort_down)
        self._show(menu, self.view.horizontalHeader().mapToGlobal(position))

    @staticmethod
    def _connect_once(action: QAction, slot: Callable[[], None]) -> None:
        try:
            action.triggered.disconnect()
        except (RuntimeError, TypeError):
            pass
        action.triggered.connect(slot)

    def _show(self, menu: QMenu, where: QPoint) -> None:
        self.last_menu = menu  # tests read what was offered
        menu.popup(where)
