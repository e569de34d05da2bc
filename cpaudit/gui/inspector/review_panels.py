# SPDX-License-Identifier: Apache-2.0
"""Side panels of the review page: checks, comments, changes between revisions (GUI layer).

Each panel gets the workspace, the snapshot session and a ``go_to(step,
field, row)`` callback; a click on a listed item shows the place on the
enterprise's page. Recomputing the figures runs in the background with its
own workspace connection.
"""

from __future__ import annotations

import html
from typing import Any, Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPlainTextEdit, QPushButton, QTextBrowser, QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from cpaudit.gui.inspector import labels
from cpaudit.gui.inspector.anchors import anchor_from_path, anchor_text, value_text
from cpaudit.gui.step_state import COLOURS
from cpaudit.gui.tasks import Task, run_task
from cpaudit.i18n import _, ngettext
from cpaudit.review import reviews, snapshot
from cpaudit.review.inspector import ReviewError
from cpaudit.review.reviews import Anchor
from cpaudit.workflow.validate import COMPLETE, ERRORS, WARNINGS, validate_step
from cpaudit.workspace import Workspace

GoTo = Callable[..., None]
ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


def _tree(parent: QWidget, name: str, columns: int) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setObjectName(name)
    tree.setRootIsDecorated(False)
    tree.setWordWrap(True)
    tree.setAlternatingRowColors(True)
    tree.setColumnCount(columns)
    tree.header().setStretchLastSection(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return tree


def _title(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", "panel_title")
    label.setStyleSheet("font-weight: 600;")
    return label


def _jump(go_to: GoTo, item: QTreeWidgetItem) -> None:
    anchor = item.data(0, ANCHOR_ROLE)
    if isinstance(anchor, Anchor) and anchor.step:
        go_to(anchor.step, anchor.field or None, anchor.row or None)


def _mismatches_job(db_path: Any, submission_id: str) -> list[snapshot.FigureMismatch]:
    ws = Workspace(db_path)
    try:
        return snapshot.figure_mismatches(ws, submission_id)
    finally:
        ws.close()


class ChecksPanel(QWidget):
    """Figures recomputed against the stored ones, and the signed warnings with their justifications."""

    checked = Signal()

    def __init__(self, ws: Workspace, session: Any, go_to: GoTo, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checks_panel")
        self.ws, self.session, self.go_to = ws, session, go_to
        self.mismatches: list[snapshot.FigureMismatch] | None = None
        self.warnings = snapshot.warnings_of(ws, session.audit_id)
        self.task: Task | None = None
        self.figures_title, self.warnings_title = _title(self), _title(self)
        self.figures_summary = QLabel(self)
        self.figures_summary.setObjectName("figures_summary")
        self.figures_summary.setWordWrap(True)
        self.figures = _tree(self, "mismatch_list", 3)
        self.warning_list = QTextBrowser(self)
        self.warning_list.setObjectName("warning_list")
        self.warning_list.setOpenLinks(False)
        layout = QVBoxLayout(self)
        for w in (self.figures_title, self.figures_summary, self.figures, self.warnings_title, self.warning_list):
            layout.addWidget(w)
        layout.setStretch(2, 1)
        layout.setStretch(4, 3)
        self.warning_list.anchorClicked.connect(self._on_link)
        self.task = run_task(self, lambda: _mismatches_job(ws.path, session.audit_id))
        self.task.success(self._show_mismatches).failure(self._mismatch_failed).start()

    def _show_mismatches(self, mismatches: list[snapshot.FigureMismatch]) -> None:
        self.task, self.mismatches = None, mismatches
        self._fill_mismatches()
        self.checked.emit()

    def _mismatch_failed(self, exc: BaseException) -> None:
        self.task, self.mismatches = None, None
        self.figures_summary.setText(_("The figures could not be recomputed: {error}").format(error=getattr(exc, "message", exc)))
        self.figures_summary.setStyleSheet(f"color: {COLOURS[ERRORS]};")
        self.checked.emit()

    def _fill_mismatches(self) -> None:
        self.figures.clear()
        if self.mismatches is None:
            self.figures_summary.setText(_("Recomputing the figures from the submitted data…"))
            return
        if not self.mismatches:
            self.figures_summary.setText(_("✔ Recomputed from the submitted data, every stored figure agrees."))
            self.figures_summary.setStyleSheet(f"color: {COLOURS[COMPLETE]};")
        else:
            self.figures_summary.setText(ngettext("✖ {n} stored figure differs from the figures recomputed from the submitted data.",
                         "✖ {n} stored figures differ from the figures recomputed from the submitted data.",
                         len(self.mismatches)).format(
                n=len(self.mismatches)))
            self.figures_summary.setStyleSheet(f"color: {COLOURS[ERRORS]}; font-weight: 600;")
        for m in self.mismatches:
            item = QTreeWidgetItem([m.path, value_text(m.stored), value_text(m.recomputed)])
            for column in (1, 2):
                item.setForeground(column, QColor(COLOURS[ERRORS]))
            self.figures.addTopLevelItem(item)
        self.figures.setVisible(bool(self.mismatches))

    def _fill_warnings(self) -> None:
        """One block per warning: where (a link to the field), the warning, the enterprise's justification."""
        doc, wf = self.session.document, self.session.workflow
        current: dict[str, str] = {}  # key → the message in today's UI language
        for step_id in {anchor_from_path(w.path).step for w in self.warnings}:
            if wf.has_step(step_id):
                current.update({i.key: i.message for i in validate_step(doc, wf, wf.step(step_id))})
        said = html.escape(_("Justification:"))
        blocks = []
        for w in self.warnings:
            where = html.escape(anchor_text(wf, doc, anchor_from_path(w.path)))
            message = html.escape(current.get(w.key, w.message))
            justification = html.escape(w.justification or _("(no justification)"))
            blocks.append(f'<p><a href="goto:{html.escape(w.path)}">{where}</a><br>'
                          f'<span style="color:{COLOURS[WARNINGS]}">▲ {message}</span><br>'
                          f'<span style="color:#455a64">{said} {justification}</span></p>')
        if not self.warnings:
            blocks.append(html.escape(_("No warnings were signed with this submission.")))
        self.warning_list.setHtml("".join(blocks))

    def warning_texts(self) -> list[str]:
        """The shown warnings as plain text, one per block (tests)."""
        return [b for b in self.warning_list.toPlainText().split("\n\n") if b.strip()]

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("goto:"):
            anchor = anchor_from_path(text[len("goto:"):])
            self.go_to(anchor.step, anchor.field or None, anchor.row or None)

    def retranslate(self) -> None:
        self.figures_title.setText(_("Figures"))
        self.warnings_title.setText(_("Warnings and the enterprise's justifications ({n})").format(n=len(self.warnings)))
        self.figures.setHeaderLabels([_("Figure"), _("Stored"), _("Recomputed")])
        self._fill_mismatches()
        self._fill_warnings()


class CommentsPanel(QWidget):
    """Comments anchored to a step, a field, a table row and column."""

    changed = Signal()

    def __init__(self, ws: Workspace, session: Any, go_to: GoTo, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("comments_panel")
        self.ws, self.session, self.go_to = ws, session, go_to
        self.anchor: Anchor | None = None
        self.comments: list[reviews.Comment] = []
        self.frozen = False
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "help")
        self.anchor_label = QLabel(self)
        self.anchor_label.setObjectName("comment_anchor")
        self.anchor_label.setWordWrap(True)
        self.anchor_label.setStyleSheet("font-weight: 600;")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("comment_text")
        self.text.setMaximumHeight(110)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("add_comment_button")
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("remove_comment_button")
        self.list_title = _title(self)
        self.list = _tree(self, "comment_list", 2)
        self.list.setColumnWidth(0, 220)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        for w in (self.hint, self.anchor_label, self.text):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addWidget(self.list_title)
        layout.addWidget(self.list, 1)
        # connect signals
        self.text.textChanged.connect(self._update_buttons)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemClicked.connect(lambda item, _c: _jump(self.go_to, item))
        self.reload()

    def reload(self) -> None:
        state = reviews.review_state(self.ws, self.session.audit_id)
        self.comments = state.comments if state else []
        self.frozen = bool(state and state.frozen)
        self._fill()

    def set_anchor(self, anchor: Anchor) -> None:
        self.anchor = anchor
        self._show_anchor()
        if anchor.field:
            self.text.setFocus()

    def _show_anchor(self) -> None:
        where = anchor_text(self.session.workflow, self.session.document, self.anchor) if self.anchor else "—"
        self.anchor_label.setText(_("Comment on: {where}").format(where=where))
        self._update_buttons()

    def add(self) -> reviews.Comment | None:
        if self.anchor is None or not self.text.toPlainText().strip():
            return None
        try:
            comment = reviews.add_comment(self.ws, self.session.audit_id, self.anchor, self.text.toPlainText())
        except ReviewError as exc:
            QMessageBox.warning(self, _("Comments"), exc.message)
            return None
        self.text.clear()
        self.reload()
        self.changed.emit()
        return comment

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None or self.frozen:
            return
        reviews.remove_comment(self.ws, self.session.audit_id, int(item.data(1, ANCHOR_ROLE)))
        self.reload()
        self.changed.emit()

    def _fill(self) -> None:
        self.list.clear()
        wf, doc = self.session.workflow, self.session.document
        for c in self.comments:
            item = QTreeWidgetItem([anchor_text(wf, doc, c.anchor), c.text])
            item.setData(0, ANCHOR_ROLE, c.anchor)
            item.setData(1, ANCHOR_ROLE, c.id)
            item.setToolTip(1, f"{c.text}\n{labels.when(c.created_at)}")
            self.list.addTopLevelItem(item)
        self.list_title.setText(_("Comments sent with the answer ({n})").format(n=len(self.comments)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(not self.frozen and self.anchor is not None and bool(self.text.toPlainText().strip()))
        self.remove_button.setEnabled(not self.frozen and self.list.currentItem() is not None)
        self.text.setReadOnly(self.frozen)

    def retranslate(self) -> None:
        self.hint.setText(_("Click a field or a table cell on the page to comment on it; without a click the comment is "
                            "on the whole step.") if not self.frozen else
                          _("The answer was issued: the comments can no longer change."))
        self.add_button.setText(_("Add comment"))
        self.remove_button.setText(_("Remove"))
        self.text.setPlaceholderText(_("What should the enterprise check or correct?"))
        self.list.setHeaderLabels([_("Where"), _("Comment")])
        self._show_anchor()
        self._fill()


class DiffPanel(QWidget):
    """Field-level differences between this revision and another revision of the same audit."""

    changes_shown = Signal(list)

    def __init__(self, ws: Workspace, session: Any, go_to: GoTo, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("diff_panel")
        self.ws, self.session, self.go_to = ws, session, go_to
        me = session.audit_id
        self.others = [s for s in snapshot.revisions(ws, me) if s.submission_id != me]
        self.this = snapshot.get_submission(ws, me)
        self.changes: list[snapshot.FieldChange] = []
        self.label = QLabel(self)
        self.combo = QComboBox(self)
        self.combo.setObjectName("revision_combo")
        self.summary = QLabel(self)
        self.summary.setObjectName("diff_summary")
        self.summary.setWordWrap(True)
        self.list = _tree(self, "diff_list", 3)
        self.list.setColumnWidth(0, 240)
        self.list.setColumnWidth(1, 110)
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.combo.currentIndexChanged.connect(lambda _i: self.compare())
        self.list.itemClicked.connect(lambda item, _c: _jump(self.go_to, item))

    def compare(self, other_id: str | None = None) -> list[snapshot.FieldChange]:
        other_id = other_id or self.combo.currentData()
        if not other_id:
            return []
        other = next(s for s in self.others if s.submission_id == other_id)
        old, new = (other, self.this) if other.revision <= self.this.revision else (self.this, other)
        self.changes = snapshot.diff_submissions(self.ws, old.submission_id, new.submission_id)
        self._fill(old.revision, new.revision)
        self.changes_shown.emit(self.changes)
        return self.changes

    def _fill(self, old: int, new: int) -> None:
        self.list.clear()
        wf, doc = self.session.workflow, self.session.document
        kinds = {"changed": _("changed"), "added": _("added"), "removed": _("removed")}
        for c in self.changes:
            anchor = Anchor(c.step, c.field, c.row, c.column)
            item = QTreeWidgetItem([anchor_text(wf, doc, anchor), kinds.get(c.kind, c.kind),
                                    f"{value_text(c.old)}  →  {value_text(c.new)}"])
            item.setData(0, ANCHOR_ROLE, anchor)
            item.setToolTip(2, f"{c.old!r}\n→\n{c.new!r}")
            item.setForeground(2, QColor(COLOURS["incomplete"]))
            self.list.addTopLevelItem(item)
        self.summary.setText(ngettext("{n} change from revision {old} to revision {new}; changed fields are marked blue on the pages.",
                                   "{n} changes from revision {old} to revision {new}; changed fields are marked blue on the pages.",
                                   len(self.changes)).format(
            n=len(self.changes), old=old, new=new))

    def retranslate(self) -> None:
        self.label.setText(_("Compare with:"))
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        for s in sorted(self.others, key=lambda s: -s.revision):
            self.combo.addItem(_("revision {n}, received {when}").format(n=s.revision, when=labels.when(s.received_at)), s.submission_id)
        previous = [s for s in self.others if s.revision < self.this.revision]
        default = current or (max(previous, key=lambda s: s.revision).submission_id if previous else None)
        self.combo.setCurrentIndex(max(0, self.combo.findData(default)))
        self.combo.blockSignals(False)
        self.list.setHeaderLabels([_("Where"), _("Kind of change"), _("Before → after")])
        self.combo.setEnabled(bool(self.others))
        if not self.others:
            self.summary.setText(_("This is the only revision received of this audit and stage."))
        elif self.combo.currentData():
            self.compare()
