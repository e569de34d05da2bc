# SPDX-License-Identifier: Apache-2.0
"""The inspector's list of received submissions, with filters (GUI layer).

``SubmissionsModel`` is a plain table model over ``snapshot.list_submissions``
(column constants, an object role, testable without a view; Vorta's archive
table idea); ``SubmissionsPanel`` adds the filter bar and emits ``opened``
with a submission id on double-click or Enter.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget,
)

from cpaudit.gui.inspector import labels
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import N_, _
from cpaudit.review.snapshot import Submission, list_submissions
from cpaudit.workflow.validate import WARNINGS
from cpaudit.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    ("enterprise", N_("Enterprise")), ("uscc", N_("USCC")), ("round", N_("Round")), ("stage", N_("Stage")),
    ("revision", N_("Revision")), ("status", N_("Status")), ("trust", N_("Signature")), ("received", N_("Received on")),
    ("decision", N_("Review conclusion")),
)
(ENTERPRISE, USCC, ROUND, STAGE, REVISION, STATUS, TRUST, RECEIVED, DECISION) = range(len(COLUMNS))
SUBMISSION_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class SubmissionsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[Submission] = []
        self.decisions: dict[str, str] = {}

    def reload(self, ws: Workspace) -> None:
        self.beginResetModel()
        self.rows = list_submissions(ws)
        self.decisions = {sid: d for sid, d in ws.db.execute("SELECT submission_id, decision FROM reviews WHERE decision IS NOT NULL")}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def submission(self, row: int) -> Submission:
        return self.rows[row]

    def row_of(self, submission_id: str) -> int:
        return next(n for n, s in enumerate(self.rows) if s.submission_id == submission_id)

    def text(self, s: Submission, column: int) -> str:
        if column == ENTERPRISE:
            return s.enterprise_name + ("  [DEMO 演示]" if s.demo else "")
        if column == USCC:
            return s.uscc
        if column == ROUND:
            return str(s.round)
        if column == STAGE:
            return labels.stage_label(s.stage)
        if column == REVISION:
            return str(s.revision)
        if column == STATUS:
            chain = labels.chain_label(s.chain_state)
            return labels.status_label(s.status, s.stage) + (f" · {chain}" if chain else "")
        if column == TRUST:
            return labels.trust_label(s.trust_state, s.trust_via)
        if column == RECEIVED:
            return labels.when(s.received_at)
        return labels.decision_text(s.stage, self.decisions.get(s.submission_id))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(s, column)
        if role == SUBMISSION_ROLE:
            return s.submission_id
        if role == SORT_ROLE:
            return {ROUND: s.round, REVISION: s.revision, RECEIVED: s.received_at}.get(column, self.text(s, column))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == STATUS:
                return QColor(COLOURS[WARNINGS]) if s.chain_state == "stale" else QColor(labels.status_colour(s.status))
            if column == TRUST:
                return QColor(labels.trust_colour(s.trust_state, s.trust_via))
        if role == Qt.ItemDataRole.ToolTipRole and column == ENTERPRISE:
            return _("submission {id}\nfile {file}\nsigned by {signer}, fingerprint {fp}").format(
                id=s.submission_id, file=s.file_name, signer=s.signer_name, fp=s.fingerprint)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ROUND, REVISION):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        return None

    def retranslate(self) -> None:
        self.beginResetModel()
        self.endResetModel()


class SubmissionFilter(QSortFilterProxyModel):
    """Text (enterprise, USCC, file), stage, status, and whether to show older revisions."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.text, self.stage, self.status, self.history = "", "", "", True
        self.setSortRole(SORT_ROLE)

    def set_filters(self, text: str, stage: str, status: str, history: bool) -> None:
        self.beginFilterChange()
        self.text, self.stage, self.status, self.history = text.strip().lower(), stage, status, history
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        s = self.sourceModel().submission(source_row)  # type: ignore[attr-defined]
        if self.text and self.text not in f"{s.enterprise_name} {s.uscc} {s.file_name}".lower():
            return False
        if self.stage and s.stage != self.stage:
            return False
        if self.status and s.status != self.status:
            return False
        return self.history or s.chain_state == "current"


STATUSES = ("received", "in_review", "returned", "passed", "failed")


class SubmissionsPanel(QWidget):
    opened = Signal(str)  # submission id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("submissions_panel")
        self.model = SubmissionsModel(self)
        self.proxy = SubmissionFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(self)
        self.search.setObjectName("submission_search")
        self.search.setClearButtonEnabled(True)
        self.stage_box, self.status_box = QComboBox(self), QComboBox(self)
        self.stage_box.setObjectName("stage_filter")
        self.status_box.setObjectName("status_filter")
        self.history_box = QCheckBox(self)
        self.history_box.setObjectName("history_filter")
        self.history_box.setChecked(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("submission_count")
        self.view = QTableView(self)
        self.view.setObjectName("submissions_view")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(RECEIVED, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 12)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ENTERPRISE, QHeaderView.ResizeMode.Stretch)
        bar = QHBoxLayout()
        self.search_label, self.stage_label, self.status_label = QLabel(self), QLabel(self), QLabel(self)
        for w in (self.search_label, self.search, self.stage_label, self.stage_box, self.status_label, self.status_box,
                  self.history_box):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        self.search.setMinimumWidth(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.retranslate()
        # connect signals
        self.search.textChanged.connect(self._filter)
        self.stage_box.currentIndexChanged.connect(self._filter)
        self.status_box.currentIndexChanged.connect(self._filter)
        self.history_box.toggled.connect(self._filter)
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)

    def reload(self, ws: Workspace) -> None:
        self.model.reload(ws)
        self._update_count()

    def _filter(self) -> None:
        self.proxy.set_filters(self.search.text(), self.stage_box.currentData() or "", self.status_box.currentData() or "",
                               self.history_box.isChecked())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(_("{shown} of {total} submissions").format(shown=self.proxy.rowCount(),
                                                                           total=self.model.rowCount()))

    def _open(self, index: QModelIndex) -> None:
        submission_id = index.data(SUBMISSION_ROLE)
        if submission_id:
            self.opened.emit(submission_id)

    def selected_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(SUBMISSION_ROLE) if index.isValid() else None

    def visible_ids(self) -> list[str]:
        return [self.proxy.index(r, 0).data(SUBMISSION_ROLE) for r in range(self.proxy.rowCount())]

    def retranslate(self) -> None:
        self.search_label.setText(_("Search:"))
        self.search.setPlaceholderText(_("enterprise, USCC or file name"))
        self.stage_label.setText(_("Stage:"))
        self.status_label.setText(_("Status:"))
        self.history_box.setText(_("Show older revisions"))
        for box, values, label in ((self.stage_box, ("assessment", "acceptance"), labels.stage_label),
                                   (self.status_box, STATUSES, labels.status_label)):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(_("All"), "")
            for value in values:
                box.addItem(label(value), value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self.model.retranslate()
        self._update_count()
