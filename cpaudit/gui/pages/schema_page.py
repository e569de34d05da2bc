# SPDX-License-Identifier: Apache-2.0
"""The one renderer that builds a page for ANY workflow step (GUI layer).

Title, help, then every field: label (red * if required), editor, unit,
help text and an inline message area. Values, coercion, validation,
visibility and computed figures all come from the core; this module only
lays them out and routes input to ``apply``.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QInputDialog, QLabel, QScrollArea, QVBoxLayout, QWidget,
)

from cpaudit.calc.tables import field_value
from cpaudit.domain.changes import ChangeSet, Justify, SetField
from cpaudit.domain.document import AuditDocument
from cpaudit.gui.fields.base import FieldEditor
from cpaudit.gui.fields.registry import create_editor
from cpaudit.gui.fields.table_editor import TableEditor
from cpaudit.gui.models.step_tree_model import phase_text
from cpaudit.gui.models.table_model import Apply, TableModel
from cpaudit.gui.pages.base import StepPage
from cpaudit.gui.pages.field_row import JUSTIFY_SCHEME, FieldRow, Message, messages_html
from cpaudit.gui.step_state import state_icon, state_label
from cpaudit.i18n import _, ngettext
from cpaudit.session import AuditSession, EditRejected
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.schema import FieldSpec, StepSpec
from cpaudit.workflow.validate import (
    ERRORS, MISSING_RULES, check_value, is_visible, step_status, table_rows, validate_step,
)
from cpaudit.workflow.values import ValueRejected, coerce

# Empty required fields are marked by their red *; a message under each would shout
# at a page the user has not started yet. The header counts them instead.
_QUIET_RULES = {"required"}
# Other "something is missing" rules (too few table rows) are shown in the incomplete colour.
_HINT_RULES = MISSING_RULES - _QUIET_RULES
MAX_CELL_MESSAGES = 3  # under a table; the rest are in the tinted cells' tooltips
LABEL_WIDTH = 220
# On a page with this many table rows, the whole-page checks wait for a pause in typing
# (STATE_DELAY_MS), so entering cell after cell in a 1,000-row table stays fluid.
LARGE_PAGE_ROWS = 200
STATE_DELAY_MS = 250


class SchemaPage(StepPage):
    def __init__(self, step: StepSpec, session: AuditSession, apply: Apply, parent: QWidget | None = None):
        super().__init__(step, session, apply, parent)
        self.rows: dict[str, FieldRow] = {}
        self.editors: dict[str, FieldEditor] = {}
        self.tables: dict[str, TableEditor] = {}
        self._rejected: dict[str, tuple[Any, str]] = {}  # field id → (refused input, message)
        self.issues: list[Issue] = []
        self._stale = False  # states and messages wait for the page to be shown again
        self._state_timer = QTimer(self, singleShot=True, interval=STATE_DELAY_MS)
        self._state_timer.timeout.connect(self.settle)

        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("page_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop that takes no input: Tab goes to the fields
        content = QWidget()
        content.setObjectName("page_content")
        self.scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 16, 24, 24)
        layout.setSpacing(8)
        self.phase_label = QLabel(content)
        self.phase_label.setProperty("role", "phase")
        self.title_label = QLabel(content)
        self.title_label.setObjectName("page_title")
        self.title_label.setProperty("role", "title")
        self.title_label.setWordWrap(True)
        self.state_icon = QLabel(content)
        self.state_label = QLabel(content)
        self.state_label.setObjectName("page_state")
        state_row = QHBoxLayout()
        state_row.setSpacing(6)
        state_row.addWidget(self.state_icon)
        state_row.addWidget(self.state_label)
        self.problem_link = QLabel(content)  # jumps to the first field that needs attention
        self.problem_link.setObjectName("problem_link")
        self.problem_link.setTextFormat(Qt.TextFormat.RichText)
        self.problem_link.linkActivated.connect(lambda _href: self.focus_first_problem())
        state_row.addWidget(self.problem_link)
        state_row.addStretch(1)
        self.help_label = QLabel(content)
        self.help_label.setObjectName("page_help")
        self.help_label.setProperty("role", "help")
        self.help_label.setWordWrap(True)
        self.banner = QLabel(content)  # step-level issues that belong to no single field
        self.banner.setObjectName("page_banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.linkActivated.connect(self._on_link)
        self.banner.hide()
        line = QFrame(content)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.title_label)
        layout.addLayout(state_row)
        for w in (self.help_label, self.banner, line):
            layout.addWidget(w)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(14)
        grid.setColumnMinimumWidth(0, LABEL_WIDTH)
        grid.setColumnStretch(1, 1)
        for spec in step.fields:
            self._add_field(grid, spec, content)
        layout.addLayout(grid)
        layout.addStretch(1)
        self._content_layout = layout
        self.retranslate()
        self.load(session.document)

    def add_footer(self, widget: QWidget) -> None:
        """A widget below the fields (the report steps' way on to the report and signing)."""
        self._content_layout.insertWidget(self._content_layout.count() - 1, widget)

    # -- building --------------------------------------------------------------------
    def _add_field(self, grid: QGridLayout, spec: FieldSpec, parent: QWidget) -> None:
        row = grid.rowCount()
        if spec.is_table:
            model = TableModel(self.session, self.step, spec, self._apply, self)
            editor: QWidget = TableEditor(model, parent)
            self.tables[spec.id] = editor  # type: ignore[assignment]
            field_row = FieldRow(spec, editor, parent)
            grid.addWidget(field_row.label, row, 0, 1, 2)
            grid.addWidget(field_row.column, row + 1, 0, 1, 2)
            editor.rejected.connect(lambda message, s=spec: self._show_rejection(s.id, message))  # type: ignore[attr-defined]
            model.rejections_changed.connect(self._update_state)
            model.rejections_changed.connect(self.refusals_changed)
        else:
            editor = create_editor(spec, self.session.workflow, parent)
            self.editors[spec.id] = editor  # type: ignore[assignment]
            field_row = FieldRow(spec, editor, parent)
            field_row.label.setMaximumWidth(LABEL_WIDTH + 40)
            grid.addWidget(field_row.label, row, 0)
            grid.addWidget(field_row.column, row, 1)
            # connect signals
            editor.committed.connect(lambda raw, s=spec: self._commit(s, raw))  # type: ignore[attr-defined]
            editor.edited.connect(lambda raw, s=spec: self._preview(s, raw))  # type: ignore[attr-defined]
            editor.reverted.connect(lambda s=spec: self._restore(s.id))  # type: ignore[attr-defined]
        self.rows[spec.id] = field_row
        field_row.message.linkActivated.connect(self._on_link)

    # -- the page contract -------------------------------------------------------------
    def load(self, document: AuditDocument) -> None:
        for field_id, editor in self.editors.items():
            editor.set_value(self._value(self.step.field(field_id)))
        for table in self.tables.values():
            table.model.reload()
        self._rejected.clear()
        self._update_state()
        self.refusals_changed.emit()

    def collect(self) -> dict[str, Any]:
        wf = self.session.workflow
        values: dict[str, Any] = {
            field_id: coerce(self.step.field(field_id), editor.shown(), wf)
            for field_id, editor in self.editors.items() if self.step.field(field_id).computed is None
        }
        for field_id, table in self.tables.items():
            values[field_id] = table.model.collect_rows()
        return values

    def refresh(self, changeset: ChangeSet) -> None:
        if changeset.empty:
            return
        here = self.step.id
        for step_id, field_id in changeset.fields | changeset.computed:
            if step_id != here:
                continue
            if field_id in self.editors:
                if self._rejected.pop(field_id, None) is not None:
                    self.refusals_changed.emit()
                self.editors[field_id].set_value(self._value(self.step.field(field_id)))
            elif field_id in self.tables:
                self.tables[field_id].model.refresh(changeset)
        # Visibility and cross-field rules may depend on any step: re-check the whole page,
        # now if it is on screen (after a pause if it holds long tables), else when it is shown.
        self._stale = True
        if not self.isVisible():
            return
        if table_rows(self.session.document, self.step) > LARGE_PAGE_ROWS:
            self._state_timer.start()
        else:
            self.settle()

    def settle(self) -> None:
        """Bring computed values, states and messages up to date now."""
        self._state_timer.stop()
        if not self._stale:
            return
        for editor_id, editor in self.editors.items():  # computed fields may read other steps
            if self.step.field(editor_id).computed is not None:
                editor.set_value(self._value(self.step.field(editor_id)))
        self._update_state()

    def showEvent(self, event: QShowEvent) -> None:
        self.settle()
        super().showEvent(event)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for editor in self.editors.values():
            editor.set_read_only(read_only)
        for table in self.tables.values():
            table.set_read_only(read_only)

    def focus_field(self, field_id: str, row_id: str | None = None) -> None:
        row = self.rows.get(field_id)
        if row is None:
            return
        self.scroll.ensureWidgetVisible(row.column, 0, 40)
        if field_id in self.tables:
            table = self.tables[field_id]
            if row_id:
                table.select_row_id(row_id)
            table.view.setFocus()
        else:
            self.editors[field_id].focus_editor()

    def flush(self) -> None:
        for editor in self.editors.values():
            editor.flush()

    def retranslate(self) -> None:
        phase = self.session.workflow.phase_of(self.step.id)
        self.phase_label.setText(phase_text(phase))
        if self.step.number > 0:
            self.title_label.setText(_("Step {number}: {title}").format(number=self.step.number, title=_(self.step.title)))
        else:
            self.title_label.setText(_(self.step.title))
        self.help_label.setText(_(self.step.help) if self.step.help else "")
        self.help_label.setVisible(bool(self.step.help))
        for row in self.rows.values():
            row.retranslate()
        for editor in self.editors.values():
            editor.retranslate()
        for table in self.tables.values():
            table.retranslate()
        self._update_state()

    # -- editing -----------------------------------------------------------------------
    def _value(self, spec: FieldSpec) -> Any:
        return field_value(self.session.document, self.step.id, spec)

    def _commit(self, spec: FieldSpec, raw: Any) -> None:
        try:
            cs = self._apply([SetField(self.step.id, spec.id, raw)])
        except EditRejected as exc:
            # Keep the user's input on screen; only the message says why it was not saved.
            message = "; ".join(r.message for r in exc.rejections)
            self._rejected[spec.id] = (raw, message)
            self._show_rejection(spec.id, message)
            self._update_state()
            self.refusals_changed.emit()
            return
        if self._rejected.pop(spec.id, None) is not None:
            self.refusals_changed.emit()
        if cs.empty:  # same value as stored (e.g. only spaces added): show the stored form
            self.editors[spec.id].set_value(self._value(spec))
            self._update_state()

    def _restore(self, field_id: str) -> None:
        """Esc in a field: the stored value again, whatever was typed (refused or not yet committed)."""
        self.editors[field_id].set_value(self._value(self.step.field(field_id)))
        refused = self._rejected.pop(field_id, None) is not None
        self._update_state()
        if refused:
            self.refusals_changed.emit()

    def refused_entries(self) -> list[str]:
        messages = [message for _raw, message in self._rejected.values()]
        for table in self.tables.values():
            messages += table.model.rejection_messages()
        return messages

    def restore_refused(self) -> None:
        for field_id in list(self._rejected):
            self._restore(field_id)
        for table in self.tables.values():
            table.model.forget_rejections()

    def _preview(self, spec: FieldSpec, raw: Any) -> None:
        """Check while typing, without saving: the same core rules the commit will apply."""
        row = self.rows[spec.id]
        try:
            value = coerce(spec, raw, self.session.workflow)
        except ValueRejected as exc:
            row.show_messages([Message("error", exc.message)])
            self.editors[spec.id].set_invalid(True)
            return
        issues = [i for i in check_value(spec, value, self.step.id, _(spec.label)) if i.rule not in _QUIET_RULES]
        row.show_messages([Message(i.severity, i.message) for i in issues])
        self.editors[spec.id].set_invalid(any(i.severity == "error" for i in issues))

    def _show_rejection(self, field_id: str, message: str) -> None:
        self.rows[field_id].show_messages([Message("error", message)])
        if field_id in self.editors:
            self.editors[field_id].set_invalid(True)

    # -- state -------------------------------------------------------------------------
    def _update_state(self) -> None:
        self._stale = False
        doc, wf = self.session.document, self.session.workflow
        for spec in self.step.fields:
            self.rows[spec.id].set_visible(is_visible(spec, doc, self.step))
        self.issues = validate_step(doc, wf, self.step)
        by_field: dict[str, list[Message]] = {}
        loose: list[Message] = []
        cells: dict[str, list[Message]] = {}
        for issue in self.issues:
            if issue.rule in _QUIET_RULES:
                continue
            message = self._message(issue)
            if issue.row:  # a cell: tinted in the table, and listed (a few) under it
                cells.setdefault(issue.field or "", []).append(message)
            elif issue.field in self.rows:
                by_field.setdefault(issue.field, []).append(message)
            else:
                loose.append(message)
        for field_id, row in self.rows.items():
            if field_id in self._rejected:
                self._retranslated_rejection(field_id)
                continue
            messages = by_field.get(field_id, [])
            extra = cells.get(field_id, [])
            if field_id in self.tables:
                extra = [Message("error", m) for m in self.tables[field_id].model.rejection_messages()] + extra
            messages += extra[:MAX_CELL_MESSAGES]
            if len(extra) > MAX_CELL_MESSAGES:
                more = len(extra) - MAX_CELL_MESSAGES
                messages.append(Message("info", _("… and {n} more: see the marked cells").format(n=more)))
            row.show_messages(messages)
            if field_id in self.editors:
                self.editors[field_id].set_invalid(any(m.severity == "error" for m in messages))
        for table in self.tables.values():
            table.model.set_issues(self.issues)
        self._show_banner(loose)
        status = step_status(doc, wf, self.step, self.issues)
        visible = [f for f in self.step.fields if f.computed is None and is_visible(f, doc, self.step)]
        summary = _("{filled} of {count} filled").format(filled=status.filled, count=len(visible))
        refused = len(self.refused_entries())
        self.state = ERRORS if refused else status.state
        self.state_icon.setPixmap(state_icon(self.state).pixmap(16, 16))
        if refused:
            summary += " · " + ngettext("{n} entry not saved", "{n} entries not saved", refused).format(n=refused)
        self.state_label.setText(f"{state_label(self.state)} · {summary}")
        target = self.first_problem()
        self.problem_link.setVisible(target is not None and not self.read_only)
        link_text = html.escape(_("Go to the first problem"))
        self.problem_link.setText(f'<a href="#problem">{link_text}</a>')

    def first_problem(self) -> tuple[str, str | None] | None:
        """(field, row) of the first refused input, wrong value, or missing required value."""
        doc = self.session.document
        wrong = {i.field: i.row for i in self.issues if i.rule not in MISSING_RULES and i.field in self.rows}
        missing = {i.field: i.row for i in self.issues if i.rule in MISSING_RULES and i.field in self.rows}
        for group in (self._rejected, wrong, missing):
            for spec in self.step.fields:  # in page order, not in the order rules ran
                if spec.id in group and is_visible(spec, doc, self.step):
                    row = group[spec.id] if isinstance(group, dict) and group is not self._rejected else None
                    return spec.id, row  # type: ignore[return-value]
        return None

    def focus_first_problem(self) -> None:
        self.settle()
        target = self.first_problem()
        if target is not None:
            self.focus_field(*target)

    def _retranslated_rejection(self, field_id: str) -> None:
        """A refused input's message, re-derived so it follows a language switch."""
        raw, message = self._rejected[field_id]
        try:
            coerce(self.step.field(field_id), raw, self.session.workflow)
        except ValueRejected as exc:
            message = exc.message
        self._show_rejection(field_id, message)

    def _show_banner(self, messages: list[Message]) -> None:
        self.banner.setText(messages_html(messages))
        self.banner.setVisible(bool(messages))

    def _message(self, issue: Issue) -> Message:
        if issue.rule in _HINT_RULES:
            return Message("info", issue.message)
        if issue.severity == "warning":  # a warning is settled by a written justification
            return Message("warning", issue.message, issue.key, self.session.document.justifications.get(issue.key))
        return Message(issue.severity, issue.message)

    def _on_link(self, href: str) -> None:
        if not href.startswith(JUSTIFY_SCHEME) or self.read_only:
            return
        key = href[len(JUSTIFY_SCHEME):]
        issue = next((i for i in self.issues if i.key == key), None)
        if issue is None:
            return
        current = self.session.document.justifications.get(key, "")
        text, ok = QInputDialog.getMultiLineText(self, _("Justify a warning"), issue.message, current)
        if ok and text.strip() != current:
            self._apply([Justify(key, text)])

    def field_message(self, field_id: str) -> str:
        """Plain text of a field's inline message (tests, accessibility)."""
        from PySide6.QtGui import QTextDocument

        self.settle()
        doc = QTextDocument()
        doc.setHtml(self.rows[field_id].message.text())
        return doc.toPlainText().strip() if self.rows[field_id].message.text() else ""
