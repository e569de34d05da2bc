# SPDX-License-Identifier: Apache-2.0
""""Check for errors": every issue of a phase or of the whole audit, with a way there (GUI layer).

Severity, step, field, message and whether a warning has its written
justification; clicking a line shows the step and puts the cursor in the
field (or table row). The issues are the core's (``validate_step``); the
panel only lists them.
"""

from __future__ import annotations

import qtawesome
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QDockWidget, QHBoxLayout, QHeaderView, QLabel, QPushButton, QStyledItemDelegate, QStyleOptionViewItem,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from cpaudit.gui.models.step_tree_model import phase_text, step_text
from cpaudit.gui.step_state import severity_colour, severity_icon
from cpaudit.i18n import _
from cpaudit.session import AuditSession
from cpaudit.workflow.issues import Issue, counts_text
from cpaudit.workflow.validate import validate_step

WHOLE_AUDIT = ""  # scope value of "the whole audit"; otherwise a phase id
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
_ORDER = {"error": 0, "warning": 1, "info": 2}


MAX_LISTED = 2000  # more than a person reads; the summary gives the totals
PROBLEM_WIDTH = (300, 560)  # px: the message column fills a docked panel; longer messages are in the tooltip
SIDE_COLUMN_MAX = 180  # px: where, step, severity, justification


class WrappingDelegate(QStyledItemDelegate):
    """Row heights for text wrapped at its column's width: Qt's tree measures every row as one line
    (the style wraps only for a valid rectangle), so wrapped text was elided instead."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        option = QStyleOptionViewItem(option)
        view = self.parent()
        option.rect = QRect(option.rect.x(), option.rect.y(), view.columnWidth(index.column()), max(1, option.rect.height()))
        return super().sizeHint(option, index)


class IssuesPanel(QDockWidget):
    go_to = Signal(str, object, object)  # step, field or None, row or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("issues_dock")
        self.session: AuditSession | None = None
        self.issues: list[Issue] = []
        self._row_numbers: dict[tuple[str, str], dict[str, int]] = {}
        body = QWidget(self)
        self.scope = QComboBox(body)
        self.scope.setObjectName("issues_scope")
        self.check_button = QPushButton(qtawesome.icon("fa6s.rotate", color="#455a64"), "", body)
        self.check_button.setObjectName("check_button")
        self.summary = QLabel(body)
        self.summary.setObjectName("issues_summary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(body)
        self.tree.setObjectName("issues_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.viewport().installEventFilter(self)  # columns follow the panel's width
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.scope, 1)
        top.addWidget(self.check_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.setWidget(body)
        self._timer = QTimer(self, singleShot=True, interval=600)  # re-check after a pause in typing
        self.retranslate()
        # connect signals
        self.check_button.clicked.connect(self.check)
        self.scope.activated.connect(lambda _i: self.check())
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self._timer.timeout.connect(self.check)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return False

    # -- what the main window calls ----------------------------------------------------
    def set_session(self, session: AuditSession | None) -> None:
        self.session = session
        self._fill_scopes()
        if self.isVisible():  # a hidden panel checks when it is shown, not at every open
            self.check()
        else:
            self.tree.clear()
            self.issues = []
            self.summary.setText("")

    def showEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        if self.session is not None and not self.issues:
            self.check()

    def show_scope(self, phase_id: str) -> None:
        """Open the panel on ``phase_id`` (or WHOLE_AUDIT) and check it now."""
        index = self.scope.findData(phase_id)
        self.scope.setCurrentIndex(max(0, index))
        self.show()
        self.raise_()
        self.check()

    def changed(self) -> None:
        if self.isVisible():
            self._timer.start()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Check for errors"))
        self.check_button.setText(_("Check again"))
        # The problem first: in a dock 340 px wide it is what must be read; where it is comes after.
        self.tree.setHeaderLabels([_("Problem"), _("Where"), _("Step"), _("Severity"), _("Written justification")])
        self._fill_scopes()
        if self.session is not None:
            self.check()

    # -- checking ------------------------------------------------------------------------
    def _fill_scopes(self) -> None:
        current = self.scope.currentData()
        self.scope.clear()
        self.scope.addItem(_("Whole audit"), WHOLE_AUDIT)
        if self.session is not None:
            for phase in self.session.workflow.phases:
                self.scope.addItem(phase_text(phase), phase.id)
        self.scope.setCurrentIndex(max(0, self.scope.findData(current)))

    def check(self) -> None:
        self._timer.stop()
        self.tree.clear()
        if self.session is None:
            self.issues = []
            self.summary.setText("")
            return
        doc, wf = self.session.document, self.session.workflow
        phase = self.scope.currentData()
        steps = [s for p in wf.phases if phase in (WHOLE_AUDIT, p.id) for s in p.steps]
        order = {s.id: n for n, s in enumerate(steps)}
        self.issues = sorted(
            (i for s in steps for i in validate_step(doc, wf, s)),
            key=lambda i: (order[i.step], _ORDER.get(i.severity, 3)),
        )
        counts = {k: sum(1 for i in self.issues if i.severity == k) for k in _ORDER}
        open_warnings = sum(1 for i in self.issues if i.severity == "warning" and not doc.justifications.get(i.key))
        if not self.issues:
            self.summary.setText(_("No problems found. ✔"))
        else:
            self.summary.setText(counts_text(counts["error"], counts["warning"], counts["info"], open_warnings))
        labels = {"error": _("Error"), "warning": _("Warning"), "info": _("Note")}
        # Brushes made once and owned here: a brush taken from a temporary palette per item
        # crashed PySide6 (none_dealloc) on audits with thousands of issues.
        brushes = {k: QBrush(QColor(severity_colour(k))) for k in ("error", "warning")}
        brushes["info"] = QBrush(self.palette().text())
        self._row_numbers = {}
        self.tree.setUpdatesEnabled(False)
        for issue in self.issues[:MAX_LISTED]:
            justified = doc.justifications.get(issue.key) if issue.severity == "warning" else None
            state = (_("Justified") if justified else _("To justify")) if issue.severity == "warning" else ""
            where, step = self._where(issue), step_text(wf.step(issue.step))
            item = QTreeWidgetItem([issue.message, where, step, labels.get(issue.severity, issue.severity), state])
            item.setIcon(0, severity_icon(issue.severity))
            item.setForeground(3, brushes.get(issue.severity, brushes["info"]))
            said = _("Written justification")
            item.setToolTip(0, "\n".join(t for t in (issue.message, where, step) if t)
                            + (f"\n\n{said}: {justified}" if justified else f"\n\n{state}" if state else ""))
            item.setToolTip(1, where)
            item.setToolTip(2, step)
            item.setData(0, TARGET_ROLE, (issue.step, issue.field, issue.row))
            self.tree.addTopLevelItem(item)
        if len(self.issues) > MAX_LISTED:
            self.summary.setText(self.summary.text() + "\n" + _("The first {n} are listed; correct them and check again.").format(n=MAX_LISTED))
        self.tree.setUpdatesEnabled(True)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Columns within the panel's width, so that the list never scrolls sideways: docked at 340 px
        it did, with the place of each problem cut off. Too narrow for every column, the list shows the
        problem and, to the panel's edge, where it is (the icon gives the severity, the tooltip the step
        and the justification); both wrap."""
        header, tree = self.tree.header(), self.tree
        width = tree.viewport().width()
        sides = {c: min(max(self._text_width(c), self._head_width(c)), SIDE_COLUMN_MAX) for c in (1, 2, 3, 4)}
        wide = width >= PROBLEM_WIDTH[0] + sum(sides.values())
        for column in (2, 3, 4):
            tree.setColumnHidden(column, not wide)
        header.setStretchLastSection(True)  # the last shown column takes what is left: no gap, no scrolling
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        if wide:
            for column in (1, 2, 3, 4):  # the last one as well: shown again, it had its old width
                header.resizeSection(column, sides[column])
            header.resizeSection(0, max(PROBLEM_WIDTH[0], min(PROBLEM_WIDTH[1], width - sum(sides.values()))))
        else:
            problem = max(width * 3 // 5, width - sides[1])
            header.resizeSection(0, problem)
            # Its own size too: a stretched last section only grows, from the 100 px it was born with.
            header.resizeSection(1, width - problem)
        tree.doItemsLayout()  # the row heights were measured at the old widths: wrap the text anew

    def _head_width(self, column: int) -> int:
        """px of ``column``'s header text with its padding. Not ``sectionSizeHint``: for a hidden column
        it is a stub, so an empty list judged every column to fit and cut 'Where' under a scroll bar."""
        return self.tree.header().fontMetrics().horizontalAdvance(self.tree.headerItem().text(column)) + 24

    def _text_width(self, column: int) -> int:
        """px of the longest text of ``column`` on one line (the view's own measure follows the wrapping)."""
        width = self.tree.fontMetrics().horizontalAdvance
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return max((width(item.text(column)) + 16 for item in items), default=0)

    def _where(self, issue: Issue) -> str:
        assert self.session is not None
        wf, doc = self.session.workflow, self.session.document
        step = wf.step(issue.step)
        if not issue.field or not step.has_field(issue.field):
            return ""
        spec = step.field(issue.field)
        text = _(spec.label)
        if issue.row:
            key = (issue.step, issue.field)
            if key not in self._row_numbers:  # one index per table, not one scan per issue
                self._row_numbers[key] = {r["_id"]: n for n, r in enumerate(doc.rows(*key), start=1)}
            n = self._row_numbers[key].get(issue.row)
            if n is not None:
                text = _("{table}, row {n}").format(table=text, n=n)
        if issue.column and spec.is_table:
            text += f", {_(spec.column(issue.column).label)}"
        return text

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        step, field, row = item.data(0, TARGET_ROLE)
        self.go_to.emit(step, field, row)
