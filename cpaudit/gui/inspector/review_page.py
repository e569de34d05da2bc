# SPDX-License-Identifier: Apache-2.0
"""One received submission under review: every step read-only, and the inspector's side panel (GUI layer).

Left the step navigator, centre the enterprise's own step pages (the same
schema renderer, fed by a ``SnapshotSession`` and set read-only), right the
side panel: scoring, checks (figures recomputed, warnings with their
justifications), comments, evidence, the embedded report PDF and the
changes since an earlier revision. Clicking a field (or a table cell) picks
it as the place of the next comment; changed and commented fields are marked
on the pages.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QTabWidget, QTableView, QTreeView, QVBoxLayout, QWidget

from cpaudit.gui.inspector import labels
from cpaudit.gui.inspector.evidence_panels import EvidencePanel, ReportPanel
from cpaudit.gui.inspector.review_panels import ChecksPanel, CommentsPanel, DiffPanel
from cpaudit.gui.inspector.scoring_panel import ScoringPanel
from cpaudit.gui.inspector.snapshot_session import SnapshotSession
from cpaudit.gui.models.step_tree_model import StepTreeModel
from cpaudit.gui.pages import figure_pages  # noqa: F401  (registers the custom: figure pages)
from cpaudit.gui.pages.base import StepPage
from cpaudit.gui.pages.registry import create_page
from cpaudit.i18n import _
from cpaudit.review import reviews, snapshot
from cpaudit.review.reviews import Anchor
from cpaudit.workflow.validate import step_status
from cpaudit.workspace import Workspace

# Marks on field labels: changed since the chosen revision, picked for a comment, commented.
REVIEW_STYLE = """
QLabel[review_mark="changed"] { background: #e3f2fd; border-left: 4px solid #1565c0; padding-left: 4px; }
QLabel[review_mark="commented"] { background: #fff3e0; border-left: 4px solid #e65100; padding-left: 4px; }
QLabel[review_mark="picked"] { background: #fff59d; border-left: 4px solid #f9a825; padding-left: 4px; }
"""


class ReviewPage(QWidget):
    review_changed = Signal(str)  # submission id: scores, comments or decision changed

    def __init__(self, ws: Workspace, submission_id: str, parent: QWidget | None = None, *, bureau_key_folder: Any = None):
        super().__init__(parent)
        self.setObjectName("review_page")
        self.ws, self.submission_id = ws, submission_id
        self.submission = snapshot.get_submission(ws, submission_id)
        document, workflow = snapshot.snapshot_document(ws, submission_id)  # ReviewError: unknown workflow version
        self.session = SnapshotSession(document, workflow, submission_id)
        self.state = reviews.open_review(ws, submission_id)
        self.pages: dict[str, StepPage] = {}
        self.picked: Anchor | None = None
        self.changed_fields: dict[tuple[str, str], str] = {}  # (step, field) → tooltip
        self.setStyleSheet(REVIEW_STYLE)

        self.header = QLabel(self)
        self.header.setObjectName("review_header")
        self.header.setProperty("role", "audit_title")
        self.header.setWordWrap(True)
        self.subheader = QLabel(self)
        self.subheader.setProperty("role", "help")
        self.subheader.setWordWrap(True)
        self.nav = QTreeView(self)
        self.nav.setObjectName("review_steps")
        self.nav.setHeaderHidden(True)
        self.nav_model = StepTreeModel(workflow, self)
        self.nav.setModel(self.nav_model)
        self.nav.expandAll()
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("review_stack")
        self.side = QTabWidget(self)
        self.side.setObjectName("review_side")
        self.scoring = ScoringPanel(ws, submission_id, self, bureau_key_folder=bureau_key_folder)
        self.checks = ChecksPanel(ws, self.session, self.go_to, self)
        self.comments = CommentsPanel(ws, self.session, self.go_to, self)
        self.evidence = EvidencePanel(ws, submission_id, self.go_to, self.session, self)
        self.report = ReportPanel(ws, submission_id, self)
        self.diff = DiffPanel(ws, self.session, self.go_to, self)
        for panel in (self.scoring, self.checks, self.comments, self.evidence, self.report, self.diff):
            self.side.addTab(panel, "")
        splitter = QSplitter(self)
        splitter.setObjectName("review_splitter")
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 600, 510])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.subheader)
        layout.addWidget(splitter, 1)
        for step in workflow.steps():
            self.nav_model.set_status(step_status(document, workflow, step))
        # connect signals
        self.nav.selectionModel().currentChanged.connect(self._on_navigated)
        self.scoring.changed.connect(self._review_changed)
        self.comments.changed.connect(self._review_changed)
        self.diff.changes_shown.connect(self.mark_changes)
        self.retranslate()
        self.go_to(next(workflow.steps()).id)

    # -- navigation ------------------------------------------------------------------------------
    def page(self, step_id: str) -> StepPage:
        if step_id not in self.pages:
            page = create_page(self.session.workflow.step(step_id), self.session, self.session.apply, self)  # type: ignore[arg-type]
            page.set_read_only(True)
            self.pages[step_id] = page
            self.stack.addWidget(page)
            self._watch(page)
            self._mark_page(page)
        return self.pages[step_id]

    def go_to(self, step_id: str, field_id: str | None = None, row_id: str | None = None) -> None:
        if not self.session.workflow.has_step(step_id):
            return
        index = self.nav_model.index_of(step_id)
        if self.nav.currentIndex() != index:
            self.nav.setCurrentIndex(index)
        self.nav.scrollTo(index)
        self.stack.setCurrentWidget(self.page(step_id))
        if field_id:
            self.page(step_id).focus_field(field_id, row_id or None)

    def current_step(self) -> str | None:
        return self.nav_model.step_at(self.nav.currentIndex())

    def _on_navigated(self, current: QModelIndex, _previous: QModelIndex) -> None:
        step_id = self.nav_model.step_at(current)
        if step_id is not None:
            self.stack.setCurrentWidget(self.page(step_id))

    # -- picking a field for a comment ------------------------------------------------------------
    def _watch(self, page: StepPage) -> None:
        for field_id, row in getattr(page, "rows", {}).items():
            for widget in (row.label, row.column):
                widget.setProperty("review_anchor", f"{page.step.id}/{field_id}")
                widget.installEventFilter(self)
        for field_id, table in getattr(page, "tables", {}).items():
            table.view.viewport().setProperty("review_anchor", f"{page.step.id}/{field_id}")
            table.view.viewport().installEventFilter(self)
        for editor in getattr(page, "editors", {}).values():
            for child in editor.findChildren(QWidget):
                child.setProperty("review_anchor", editor.parent().property("review_anchor") if editor.parent() else None)
                child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress:
            where = watched.property("review_anchor")
            if not where:
                parent = watched.parent()
                where = parent.property("review_anchor") if parent is not None else None
            if where:
                step_id, field_id = str(where).split("/", 1)
                row_id = column_id = ""
                view = watched.parent()
                if isinstance(view, QTableView):
                    index = view.indexAt(event.position().toPoint())  # type: ignore[attr-defined]
                    model = view.model()
                    if index.isValid() and hasattr(model, "row_id"):
                        row_id = model.row_id(index.row()) or ""
                        column_id = model.columns[index.column()].id if row_id else ""
                self.pick(Anchor(step_id, field_id, row_id, column_id))
        return False

    def pick(self, anchor: Anchor) -> None:
        """Choose where the next comment goes (what a click on a field does)."""
        self.picked = anchor
        self.comments.set_anchor(anchor)
        self.side.setCurrentWidget(self.comments)
        for page in self.pages.values():
            self._mark_page(page)

    # -- marks ------------------------------------------------------------------------------------
    def mark_changes(self, changes: list[Any]) -> None:
        self.changed_fields = {}
        for c in changes:
            key = (c.step, c.field)
            self.changed_fields[key] = _("changed since the chosen revision")
        changed_steps = {c.step for c in changes}
        for step in self.session.workflow.steps():
            item = self.nav_model.itemFromIndex(self.nav_model.index_of(step.id))
            font = item.font()
            font.setBold(step.id in changed_steps)
            item.setFont(font)
            item.setForeground(QColor("#1565c0") if step.id in changed_steps else QColor())
        for page in self.pages.values():
            self._mark_page(page)

    def _mark_page(self, page: StepPage) -> None:
        commented = {(c.anchor.step, c.anchor.field) for c in self.comments.comments}
        for field_id, row in getattr(page, "rows", {}).items():
            key = (page.step.id, field_id)
            picked = self.picked is not None and (self.picked.step, self.picked.field) == key
            mark = "picked" if picked else "changed" if key in self.changed_fields else "commented" if key in commented else ""
            if row.label.property("review_mark") != mark:
                row.label.setProperty("review_mark", mark)
                row.label.style().unpolish(row.label)
                row.label.style().polish(row.label)

    def marks(self, step_id: str) -> dict[str, str]:
        """Field id → mark on the page of ``step_id`` (tests)."""
        page = self.page(step_id)
        return {f: str(r.label.property("review_mark") or "") for f, r in getattr(page, "rows", {}).items()
                if r.label.property("review_mark")}

    def _review_changed(self) -> None:
        self.comments.reload()  # an issued answer freezes the comments too
        self.comments.retranslate()
        for page in self.pages.values():
            self._mark_page(page)
        self.retranslate_header()
        self.review_changed.emit(self.submission_id)

    # -- texts ------------------------------------------------------------------------------------
    def title(self) -> str:
        s = self.submission
        revision = _("rev. {n}").format(n=s.revision)
        return "{name} · {stage} · {revision}".format(name=s.enterprise_name, stage=labels.stage_label(s.stage), revision=revision)

    def retranslate_header(self) -> None:
        s = snapshot.get_submission(self.ws, self.submission_id)
        self.submission = s
        demo = "  [DEMO 演示]" if s.demo else ""
        self.header.setText(_("{enterprise} — {stage}, round {round}, revision {revision}").format(
            enterprise=s.enterprise_name, stage=labels.stage_label(s.stage), round=s.round, revision=s.revision) + demo)
        chain = labels.chain_label(s.chain_state)
        self.subheader.setText(" · ".join(p for p in (
            s.uscc, _("Received {when}").format(when=labels.when(s.received_at)),
            _("Signed by {signer}").format(signer=s.signer_name), labels.trust_label(s.trust_state, s.trust_via),
            labels.status_label(s.status, s.stage), chain) if p))

    def retranslate(self) -> None:
        self.retranslate_header()
        self.nav_model.retranslate()
        for page in self.pages.values():
            page.retranslate()
        names = (_("Scoring"), _("Checks"), _("Comments"), _("Evidence"), _("Report"), _("Revision changes"))
        for n, name in enumerate(names):
            self.side.setTabText(n, name)
        for panel in (self.scoring, self.checks, self.comments, self.evidence, self.report, self.diff):
            panel.retranslate()
