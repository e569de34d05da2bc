# SPDX-License-Identifier: Apache-2.0
"""The city dashboard: filters, the sections as tables with bar charts, CSV/XLSX export (GUI layer).

The figures come from ``review.dashboard`` (SQL over the current
submissions); computing and exporting run in the background, each with its
own workspace connection. The tables are ``Dashboard.tables()``, so the screen
and the export list the same rows and figures; the screen rounds to two places
(``cell_text``), the CSV/XLSX keep every digit for further work.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import qtawesome
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cpaudit import formatting
from cpaudit.gui.inspector import labels
from cpaudit.gui.inspector.bar_chart import BarChart
from cpaudit.gui.tasks import Task, run_task
from cpaudit.i18n import _
from cpaudit.review.dashboard import Dashboard, Filters, Table, dashboard, export_csv, export_xlsx, filter_choices
from cpaudit.workspace import Workspace

FILTERS = ("year", "district", "sector", "stage", "status")
CHARTED = {"status": 2, "sector": 2, "district": 1, "year": 1, "levels": 2}  # table key → value column
STRETCH = {"sector": 1, "levels": 0}  # the column that takes the room (the name), else the first


def _job(db_path: Path, filters: Filters, export: tuple[str, Path] | None = None) -> tuple[Dashboard, Path | None]:
    ws = Workspace(db_path)
    try:
        board = dashboard(ws, filters)
    finally:
        ws.close()
    if export is not None:
        kind, path = export
        (export_csv if kind == "csv" else export_xlsx)(board, path)
        return board, path
    return board, None


def cell_text(value: Any) -> str:
    if isinstance(value, Decimal):  # its own places, at most two: a rate of 93.8 % is not shown as 93.80
        exponent = value.normalize().as_tuple().exponent
        return formatting.number(value, min(2, -exponent) if isinstance(exponent, int) and exponent < 0 else 0)
    return "" if value is None else str(value)


class DashboardView(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard_view")
        self.ws = ws
        self.board: Dashboard | None = None
        self.task: Task | None = None
        self._again = False  # filters changed while computing: compute once more when done
        self.boxes: dict[str, QComboBox] = {}
        self.filter_labels: dict[str, QLabel] = {}
        bar = QHBoxLayout()
        for name in FILTERS:
            label, box = QLabel(self), QComboBox(self)
            box.setObjectName(f"dashboard_{name}")
            box.setMinimumContentsLength(6)
            self.boxes[name], self.filter_labels[name] = box, label
            bar.addWidget(label)
            bar.addWidget(box)
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addStretch(1)
        self.csv_button = QPushButton(qtawesome.icon("fa6s.file-csv"), "", self)
        self.csv_button.setObjectName("export_csv_button")
        self.xlsx_button = QPushButton(qtawesome.icon("fa6s.file-excel"), "", self)
        self.xlsx_button.setObjectName("export_xlsx_button")
        bar.addWidget(self.csv_button)
        bar.addWidget(self.xlsx_button)
        self.headline = QLabel(self)
        self.headline.setObjectName("dashboard_headline")
        self.headline.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.message = QLabel(self)
        self.message.setObjectName("dashboard_message")
        self.message.setWordWrap(True)
        content = QWidget()
        self.grid = QGridLayout(content)
        self.grid.setSpacing(12)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        head = QHBoxLayout()
        head.addWidget(self.headline)
        head.addStretch(1)
        head.addWidget(self.message)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        self.sections: dict[str, tuple[QGroupBox, QTableWidget, BarChart | None]] = {}
        for n, key in enumerate(("status", "sector", "district", "year", "options", "benefits", "levels")):
            group = QGroupBox(content)
            group.setObjectName(f"section_{key}")
            table = QTableWidget(group)
            table.setObjectName(f"table_{key}")
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
            table.setWordWrap(False)
            table.setAlternatingRowColors(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(False)
            chart = BarChart(group) if key in CHARTED or key == "options" else None
            box = QVBoxLayout(group)
            box.addWidget(table)
            if chart is not None:
                box.addWidget(chart)
            box.addStretch(1)
            self.sections[key] = (group, table, chart)
            self.grid.addWidget(group, n // 2, n % 2)
        self.grid.setRowStretch(4, 1)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.retranslate()

    # -- data ------------------------------------------------------------------------------------
    def filters(self) -> Filters:
        values = {name: box.currentData() for name, box in self.boxes.items()}
        return Filters(**{k: (v if v not in ("", None) else None) for k, v in values.items()})

    def reload_choices(self) -> None:
        choices = filter_choices(self.ws)
        names = {"stage": labels.stage_label, "status": labels.status_label}
        for name, box in self.boxes.items():
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(_("All"), "")
            for value in choices[name]:
                box.addItem(names.get(name, str)(value), value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    def refresh(self) -> None:
        if self.task is not None:
            self._again = True
            return
        self.message.setText(_("Computing…"))
        db_path, filters = self.ws.path, self.filters()
        self.task = run_task(self, lambda: _job(db_path, filters))
        self.task.success(self._show).failure(self._failed).start()

    def export(self, kind: str, path: Path | None = None) -> None:
        if path is None:
            pattern = _("CSV files (*.csv)") if kind == "csv" else _("Excel workbooks (*.xlsx)")
            chosen, _filter = QFileDialog.getSaveFileName(self, _("Export the dashboard"), f"dashboard.{kind}", pattern)
            if not chosen:
                return
            path = Path(chosen)
        if self.task is not None:
            self.message.setText(_("Busy computing; export again in a moment."))
            return
        self.message.setText(_("Exporting…"))
        db_path, filters = self.ws.path, self.filters()
        self.task = run_task(self, lambda: _job(db_path, filters, (kind, path)))
        self.task.success(self._show).failure(self._failed).start()

    def _show(self, result: tuple[Dashboard, Path | None]) -> None:
        self.task = None
        self.board, written = result
        self.message.setText(_("Exported to {path}").format(path=written) if written else "")
        self._fill()
        self._run_again()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.message.setText(_("The dashboard could not be computed: {error}").format(
            error=getattr(exc, "message", None) or getattr(exc, "strerror", None) or exc))
        self._run_again()

    def _run_again(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def _fill(self) -> None:
        board = self.board
        if board is None:
            return
        self.headline.setText(board.headline())
        for table in board.tables():
            self._fill_table(table)

    def _fill_table(self, t: Table) -> None:
        group, widget, chart = self.sections[t.key]
        group.setTitle(t.title)
        widget.clear()
        widget.setColumnCount(len(t.headers))
        widget.setHorizontalHeaderLabels(t.headers)
        widget.setRowCount(len(t.rows))
        for r, row in enumerate(t.rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(cell_text(value))
                if c > 0 and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                widget.setItem(r, c, item)
        header = widget.horizontalHeader()
        stretch = STRETCH.get(t.key, 0)
        for c in range(len(t.headers)):  # the name column takes the room, the figures stay beside it
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == stretch else QHeaderView.ResizeMode.ResizeToContents)
        height = header.sizeHint().height() + widget.verticalHeader().length() + 2 * widget.frameWidth()
        widget.setFixedHeight(min(height, 480))
        if chart is not None and t.key == "options":  # the counts (rows 0, 1, 4), not the money or the rate
            chart.set_bars([(t.rows[n][0], t.rows[n][1]) for n in (0, 1, 4) if n < len(t.rows)])
        elif chart is not None:
            column = CHARTED[t.key]
            chart.set_bars([(" · ".join(str(v) for v in row[:column] if v not in ("", None)), row[column]) for row in t.rows])

    def section_rows(self, key: str) -> list[list[str]]:
        """The shown table of a section as texts (tests)."""
        _group, widget, _chart = self.sections[key]
        return [[widget.item(r, c).text() for c in range(widget.columnCount())] for r in range(widget.rowCount())]

    def retranslate(self) -> None:
        names = {"year": _("Year:"), "district": _("District:"), "sector": _("Sector:"), "stage": _("Stage:"),
                 "status": _("Status:")}
        for name, label in self.filter_labels.items():
            label.setText(names[name])
        self.csv_button.setText(_("Export CSV…"))
        self.xlsx_button.setText(_("Export XLSX…"))
        self.reload_choices()
        self._fill()
