# SPDX-License-Identifier: Apache-2.0
"""The history dock: every change with its time, who made it, what it did and why (GUI layer).

Read from the journal (``session.history``) and told in the language shown
now (``history_view.describe_entry``). Double-click goes to where it happened.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QDockWidget, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from cpaudit import formatting
from cpaudit.history_view import HistoryLine, describe_entry
from cpaudit.i18n import _
from cpaudit.session import AuditSession

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
LIMIT = 500  # newest changes shown; the whole journal stays in the workspace and the export
_UNDONE = "#9e9e9e"


class HistoryPanel(QDockWidget):
    go_to = Signal(str, object, object)  # step, field or None, row or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("history_dock")
        self.session: AuditSession | None = None
        self.lines: list[HistoryLine] = []
        body = QWidget(self)
        self.hint = QLabel(body)
        self.hint.setObjectName("history_hint")
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "help")
        self.tree = QTreeWidget(body)
        self.tree.setObjectName("history_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.hint)
        layout.addWidget(self.tree, 1)
        self.setWidget(body)
        self.retranslate()
        # connect signals
        self.tree.itemDoubleClicked.connect(self._activated)
        self.tree.itemActivated.connect(self._activated)
        self.visibilityChanged.connect(lambda visible: visible and self.reload())

    def set_session(self, session: AuditSession | None) -> None:
        self.session = session
        if self.isVisible():
            self.reload()
        else:  # read when the dock is shown (visibilityChanged), not while opening the audit
            self.tree.clear()
            self.lines = []

    def changed(self) -> None:
        if self.isVisible():
            self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("History"))
        self.hint.setText(_("Every saved change, newest first. Double-click a line to go to the field."))
        self.tree.setHeaderLabels([_("What"), _("Time"), _("Who"), _("Reason")])
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        if self.session is None:
            self.lines = []
            return
        wf, doc = self.session.workflow, self.session.document
        self.lines = [describe_entry(e, wf, doc) for e in self.session.history(LIMIT)]
        italic = QFont()
        italic.setItalic(True)
        for line in self.lines:
            what = line.what + (" ({})".format(_("undone")) if line.undone else "")
            # What first: in a narrow dock it is the column that gets the room.
            item = QTreeWidgetItem([what, _when(line.at), line.who, line.reason or ""])
            item.setToolTip(0, what + ("\n{}: {}".format(_("Reason"), line.reason) if line.reason else ""))
            item.setToolTip(1, formatting.datetime(line.at))
            if line.target is not None:
                item.setData(0, TARGET_ROLE, (line.target.step, line.target.field, line.target.row))
            if line.undone or line.kind != "edit":
                for column in range(4):
                    item.setForeground(column, QBrush(QColor(_UNDONE)))
                    item.setFont(column, italic)
            self.tree.addTopLevelItem(item)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # An empty reason column takes room from what changed ("… 750 → 760") in a narrow dock.
        self.tree.setColumnHidden(3, not any(line.reason for line in self.lines))

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, TARGET_ROLE)
        if target:
            self.go_to.emit(*target)


def _when(iso_text: str) -> str:
    """Compact: the time for today's changes, the date for older ones (the tooltip has both)."""
    try:
        moment = formatting.local_moment(iso_text)
    except ValueError:
        return iso_text
    return moment.strftime("%H:%M") if moment.date() == dt.date.today() else formatting.date(moment.date())
