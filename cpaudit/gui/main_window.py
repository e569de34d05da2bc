# SPDX-License-Identifier: Apache-2.0
"""The auditor's main window: step navigator, page stack, menus, status (GUI layer).

A thin composition. Every edit, undo and redo goes through ``apply``/``undo``
/``redo`` here, which hand the resulting ``ChangeSet`` to the built pages, the
navigator, the Edit menu and the status bar (Anki ``operation_did_execute``).
Nothing accepted is ever "unsaved": each commit is already in SQLite. Only input
the core refused (still shown in red) is not stored; the status bar says so, and
closing or switching audits asks first (``gui.refused_input``).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Iterable, Sequence

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSizePolicy, QWidget

from cpaudit import APP_NAME, __version__, formatting
from cpaudit.domain.changes import Change, ChangeSet
from cpaudit.gui import refused_input
from cpaudit.gui.forms.ui_main_window import Ui_MainWindow
from cpaudit.gui.language import apply_language
from cpaudit.gui.models.step_tree_model import StepTreeModel
from cpaudit.gui.pages.base import StepPage
from cpaudit.gui.pages.registry import create_page
from cpaudit.gui.phrase_lines import PhraseLines
from cpaudit.gui.undo import mirror_undo_status
from cpaudit.i18n import _, current_language
from cpaudit.session import AuditSession
from cpaudit.workflow.validate import COMPLETE, step_status, steps_to_recheck, table_rows
from cpaudit.workspace import Workspace

READ_ONLY_ROLES = ("inspector", "reviewer")  # roles that see audits without editing them
LAST_AUDIT = "gui.last_audit"  # workspace settings: reopen where the team left off,
LAST_STEP = "gui.last_step."  # + audit id: weeks-long work resumes on the step it left
LANGUAGE = "gui.language"  # in the language it last chose (kept in the workspace, not the registry)
RECHECK_DELAY_MS = 300  # idle time before the steps an edit may affect are re-checked,
LARGE_STEP_ROWS = 200  # and the edited step itself when its tables are this long
NAVIGATOR_WIDTH = 330  # px the navigator opens at
NAVIGATOR_WIDTHS = {"en": 420}  # wider for longer titles, as far as the page keeps PAGE_ROOM
PAGE_ROOM = 900  # px
CHECK_SLICE_S = 0.03  # step checks per idle slice stop after this, so input is handled in between


def saved_time(iso_text: str, today: dt.date | None = None) -> str:
    """Local HH:MM:SS of a stored UTC timestamp, with the date when it is not today."""
    try:
        moment = formatting.local_moment(iso_text)
    except ValueError:
        return ""
    if moment.date() != (today or dt.date.today()):
        return f"{formatting.date(moment.date())} {moment:%H:%M:%S}"
    return moment.strftime("%H:%M:%S")


class MainWindow(QMainWindow):
    # For the panels and menus installed below (they never reach into the core on their own):
    audit_opened = Signal()  # a session was opened (or closed: session is None)
    changed = Signal(object)  # the ChangeSet of an edit, undo or redo, after pages refreshed
    page_shown = Signal(object)  # the StepPage now shown
    language_changed = Signal()

    def __init__(self, workspace: Workspace, role: str = "enterprise", parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.workspace, self.role = workspace, role
        self.read_only = role in READ_ONLY_ROLES
        self.session: AuditSession | None = None
        self.nav_model: StepTreeModel | None = None
        self.pages: dict[str, StepPage] = {}
        self._pending_recheck: set[str] = set()  # steps whose navigator state waits for a pause
        self._recheck_timer = QTimer(self, singleShot=True, interval=RECHECK_DELAY_MS)
        self._recheck_timer.timeout.connect(self._check_some)
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("saved_label")
        self.saved_label.linkActivated.connect(self._on_refused_link)
        self.ui.status_bar.addPermanentWidget(self.saved_label)
        self.ui.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.ui.splitter.setSizes([NAVIGATOR_WIDTH, 950])
        self.ui.splitter.setStretchFactor(1, 1)
        self._navigator_dragged = False  # once the user sets its width, the window no longer does
        self.ui.splitter.splitterMoved.connect(self._navigator_moved)
        self._progress_lines = PhraseLines(self.ui.progress_label)  # broken at the " · ", not mid-phrase
        self.ui.audit_title_label.setProperty("role", "audit_title")
        languages = QActionGroup(self)
        for action in (self.ui.action_lang_zh_cn, self.ui.action_lang_en):
            languages.addAction(action)
        self._check_language()
        # connect signals
        self.ui.action_new_audit.triggered.connect(self.new_audit)
        self.ui.action_open_audit.triggered.connect(self.choose_audit)
        self.ui.action_quit.triggered.connect(self.close)
        self.ui.action_undo.triggered.connect(self.undo)
        self.ui.action_redo.triggered.connect(self.redo)
        self.ui.action_lang_zh_cn.triggered.connect(lambda: self.set_language("zh_CN"))
        self.ui.action_lang_en.triggered.connect(lambda: self.set_language("en"))
        self.ui.action_about.triggered.connect(self.about)
        self.ui.action_next_step.triggered.connect(lambda: self.step_by(1))
        self.ui.action_previous_step.triggered.connect(lambda: self.step_by(-1))
        # A stack is as wide as its widest page, shown or not: the start page's row of three buttons
        # must not hold an open audit's page at 330 px (the issues dock could not widen past it).
        self.ui.welcome_page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.ui.welcome_new_button.clicked.connect(self.new_audit)
        self.ui.welcome_open_button.clicked.connect(self.choose_audit)
        self._show_no_audit()
        from cpaudit.gui.training import install_training  # Training: tour, exercises, presentation, sandbox
        install_training(self)
        from cpaudit.gui.report_actions import install_report_actions  # File: report, sign, verify, key
        install_report_actions(self)
        from cpaudit.gui.inspector.enterprise_answers import install_answer_actions  # File: Import bureau answer…
        install_answer_actions(self)
        from cpaudit.gui.workbench import install_workbench  # home, panels, tables export, zoom, backup
        install_workbench(self)

    # -- audits ----------------------------------------------------------------------
    def start(self, audit_id: str | None = None) -> None:
        """Open ``audit_id``, the only audit, or ask: several → list, none → create."""
        audits = self.workspace.audits(include_archived=False)
        if audit_id is None and len(audits) == 1:
            audit_id = audits[0].id
        if audit_id is not None:
            self.open_audit(audit_id)
        elif audits:
            self.choose_audit()
        else:
            self.new_audit()

    def open_audit(self, audit_id: str) -> None:
        self._flush()
        if not self.may_drop_refused(_("open another audit")):
            return
        for page in self.pages.values():
            self.ui.page_stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.session = self.workspace.session(audit_id)
        old_model, old_selection = self.nav_model, self.ui.step_tree.selectionModel()
        self.nav_model = StepTreeModel(self.session.workflow, self)
        self.ui.step_tree.setModel(self.nav_model)
        for stale in (old_selection, old_model):  # the view does not delete what it replaced
            if stale is not None:
                stale.deleteLater()
        self.ui.step_tree.expandAll()
        self.ui.step_tree.selectionModel().currentChanged.connect(self._on_navigated)
        self.workspace.set_setting(LAST_AUDIT, audit_id)
        for action in (self.ui.action_undo, self.ui.action_redo):
            action.setVisible(not self.read_only)
        self._refresh_chrome()
        last = self.workspace.settings().get(LAST_STEP + audit_id)
        wf = self.session.workflow
        self.go_to_step(last if isinstance(last, str) and wf.has_step(last) else next(wf.steps()).id)
        self._update_states()  # after go_to_step: the shown step is checked first
        self.audit_opened.emit()

    def new_audit(self) -> None:
        self.workspace_actions.new_audit()  # the wizard (gui.workspace_actions)

    def choose_audit(self) -> None:
        self.workspace_actions.show_home()

    def open_workspace(self, workspace: Workspace) -> None:
        """Work in another workspace file (one restored from a backup); the current one is released."""
        self._flush()
        self.restore_refused()  # the caller has asked already (may_drop_refused): this audit is left
        for page in self.pages.values():
            self.ui.page_stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.session = None
        self._pending_recheck.clear()
        old, self.workspace = self.workspace, workspace
        old.close()
        self._show_no_audit()
        self.audit_opened.emit()
        self.start()

    # -- navigation ------------------------------------------------------------------
    def current_step(self) -> str | None:
        if self.nav_model is None:
            return None
        return self.nav_model.step_at(self.ui.step_tree.currentIndex())

    def current_page(self) -> StepPage | None:
        widget = self.ui.page_stack.currentWidget()
        return widget if isinstance(widget, StepPage) else None

    def page(self, step_id: str) -> StepPage:
        """The page of ``step_id``, built on first use (35 pages need not exist at start)."""
        if step_id not in self.pages:
            assert self.session is not None
            page = create_page(self.session.workflow.step(step_id), self.session, self.apply, self)
            page.set_read_only(self.read_only)
            page.refusals_changed.connect(lambda s=step_id: self._on_refusals_changed(s))
            self.pages[step_id] = page
            self.ui.page_stack.addWidget(page)
        return self.pages[step_id]

    def go_to_step(self, step_id: str, field_id: str | None = None, row_id: str | None = None) -> None:
        if self.nav_model is None:
            return
        index = self.nav_model.index_of(step_id)
        if self.ui.step_tree.currentIndex() != index:
            self.ui.step_tree.setCurrentIndex(index)  # → _on_navigated shows the page
        self.ui.step_tree.scrollTo(index.parent())  # keep the phase heading in sight
        self.ui.step_tree.scrollTo(index)
        if field_id:
            self.page(step_id).focus_field(field_id, row_id)

    def step_by(self, delta: int) -> None:
        """Next/previous step in workflow order, across phases."""
        if self.session is None:
            return
        order = [s.id for s in self.session.workflow.steps()]
        current = self.current_step()
        position = order.index(current) + delta if current in order else 0
        if 0 <= position < len(order):
            self.go_to_step(order[position])

    def _on_navigated(self, current: QModelIndex, previous: QModelIndex) -> None:
        step_id = self.nav_model.step_at(current) if self.nav_model else None
        if step_id is None:
            return
        self._flush()  # what was typed on the page we leave is committed first
        self._check_now(step_id)
        self.ui.page_stack.setCurrentWidget(self.page(step_id))
        self.page_shown.emit(self.page(step_id))
        if self.session is not None:
            self.workspace.set_setting(LAST_STEP + self.session.audit_id, step_id)

    # -- edits, undo, redo ---------------------------------------------------------------
    def apply(self, changes: Sequence[Change], label: str | None = None) -> ChangeSet:
        """The one path from a widget to the core; raises ``EditRejected`` untouched.
        ``label``: the undo menu's text when the first change alone would mislead."""
        assert self.session is not None
        changeset = self.session.apply(list(changes), label=label)
        self._after_change(changeset)
        return changeset

    def undo(self) -> None:
        if self.session is not None and not self.read_only:
            self._flush()
            self._after_change(self.session.undo(), navigate=True)

    def redo(self) -> None:
        if self.session is not None and not self.read_only:
            self._flush()
            self._after_change(self.session.redo(), navigate=True)

    def _after_change(self, changeset: ChangeSet, navigate: bool = False) -> None:
        if not changeset.empty:
            for page in list(self.pages.values()):
                page.refresh(changeset)
            # A justification names no step; it can settle a warning anywhere.
            self._update_states(None if changeset.justifications else changeset.steps)
            if navigate:
                self._navigate_to(changeset)
        self._refresh_chrome()
        if not changeset.empty:
            self.changed.emit(changeset)

    def _navigate_to(self, changeset: ChangeSet) -> None:
        """After undo/redo, show where the change happened so the user sees what moved."""
        assert self.session is not None
        for step in self.session.workflow.steps():
            if step.id in changeset.steps:
                fields = sorted(f for s, f in changeset.fields if s == step.id)
                rows = sorted(r for s, t, r in changeset.rows if s == step.id)
                self.go_to_step(step.id, fields[0] if fields else None, rows[0] if rows else None)
                return

    def _flush(self) -> None:
        page = self.current_page()
        if page is not None:
            page.flush()

    # -- chrome ------------------------------------------------------------------------
    def _update_states(self, changed: Iterable[str] | None = None) -> None:
        """Re-check the navigator's step states: the ``changed`` steps now, and the steps
        they can affect once the user pauses (``RECHECK_DELAY_MS``): typing through a
        1,000-row table does not re-validate every cross-step rule per cell.

        ``changed`` None (an audit opened, a justification given): every step, in idle
        time, a slice at a time, the shown step first: a large audit is usable at once
        instead of after seconds of checking.
        """
        assert self.session is not None and self.nav_model is not None
        doc, wf = self.session.document, self.session.workflow
        if changed is None:
            self._pending_recheck = {s.id for s in wf.steps()}
            current = self.current_step()
            if current is not None:
                self._check_now(current)  # what the user looks at
            self._recheck_timer.start(0)
            self._show_progress()
            return
        changed = set(changed)
        steps = [s for s in wf.steps() if s.id in changed and table_rows(doc, s) <= LARGE_STEP_ROWS]
        now = {s.id for s in steps}
        self._pending_recheck.update(s.id for s in steps_to_recheck(wf, changed) if s.id not in now)
        if self._pending_recheck:
            self._recheck_timer.start(RECHECK_DELAY_MS)
        for step in steps:
            self.nav_model.set_status(step_status(doc, wf, step))
        self._show_progress()

    def _check_now(self, step_id: str) -> None:
        """A step the user goes to is checked at once if still pending (and not huge)."""
        if self.session is None or self.nav_model is None or step_id not in self._pending_recheck:
            return
        doc, wf = self.session.document, self.session.workflow
        if table_rows(doc, wf.step(step_id)) <= LARGE_STEP_ROWS:
            self.nav_model.set_status(step_status(doc, wf, wf.step(step_id)))
            self._pending_recheck.discard(step_id)

    def _check_some(self, budget: float | None = CHECK_SLICE_S) -> None:
        """One idle-time slice of the pending step checks, the shown step first (``budget``
        seconds; None: all of them)."""
        if self.session is None or self.nav_model is None:
            self._pending_recheck.clear()
            return
        doc, wf = self.session.document, self.session.workflow
        current = self.current_step()
        order = sorted((s for s in wf.steps() if s.id in self._pending_recheck), key=lambda s: s.id != current)
        self._pending_recheck = {s.id for s in order}  # ids of another audit's workflow are dropped
        deadline = None if budget is None else time.perf_counter() + budget
        for step in order:
            self.nav_model.set_status(step_status(doc, wf, step))
            self._pending_recheck.discard(step.id)
            if deadline is not None and time.perf_counter() > deadline:
                break
        if self._pending_recheck:
            self._recheck_timer.start(0)
        self._show_progress()

    def settle(self) -> None:
        """Finish the deferred step checks now (before a report, in tests)."""
        self._recheck_timer.stop()
        page = self.current_page()
        if page is not None:
            page.settle()
        if self._pending_recheck:
            self._check_some(budget=None)

    def _show_progress(self) -> None:
        assert self.session is not None and self.nav_model is not None
        # The count matches the navigator's numbering (steps 1–35); the unnumbered profile pages are
        # counted on their own, not as three more "steps" (38 of 38 beside steps numbered to 35).
        numbered = [s for s in self.session.workflow.steps() if s.number]
        profile = [s for s in self.session.workflow.steps() if not s.number]

        def complete(steps: list) -> int:
            return sum(1 for s in steps if self.nav_model.state_of(s.id) == COMPLETE)

        phrases = [_("{done} of {total} steps complete").format(done=complete(numbered), total=len(numbered))]
        if profile:
            phrases.append(_("audit profile: {done} of {total} pages").format(done=complete(profile), total=len(profile)))
        if self._pending_recheck:
            phrases.append(_("checking…"))
        self._progress_lines.set_phrases(phrases)

    def _refresh_chrome(self) -> None:
        if self.session is None:
            self._show_no_audit()
            return
        self.ui.navigator_panel.show()
        title = self.session.document.meta.title
        self.setWindowTitle(_("{title} — Cleaner production audit").format(title=title))
        self.ui.audit_title_label.setText(title)
        mirror_undo_status(self.session.undo_status(), self.ui.action_undo, self.ui.action_redo)
        refused = len(self.refused_entries())
        if refused:
            self.saved_label.setText(refused_input.status_html(refused))
            return
        when = saved_time(self.session.last_saved)
        self.saved_label.setText(_("All changes saved · {time}").format(time=when) if when else _("All changes saved"))

    # -- refused input ---------------------------------------------------------------------
    def refused_entries(self) -> list[str]:
        """Why each entry on any page was refused: shown in red, not saved."""
        return [m for page in self.pages.values() for m in page.refused_entries()]

    def restore_refused(self) -> None:
        for page in self.pages.values():
            page.restore_refused()

    def may_drop_refused(self, doing: str) -> bool:
        """Before the refused entries would be lost: True when there are none or the user lets
        them go (they are then restored); False: the first one is shown to be corrected."""
        messages = self.refused_entries()
        if not messages:
            return True
        if refused_input.ask_discard(self, messages, doing):
            self.restore_refused()
            return True
        self.show_first_refused()
        return False

    def show_first_refused(self) -> None:
        assert self.session is not None
        for step in self.session.workflow.steps():
            page = self.pages.get(step.id)
            if page is not None and page.refused_entries():
                self.go_to_step(step.id)
                page.focus_first_problem()  # type: ignore[attr-defined]
                return

    def _on_refused_link(self, href: str) -> None:
        if href == refused_input.GO_TO:
            self.show_first_refused()
        elif href == refused_input.DISCARD:
            self.restore_refused()

    def _on_refusals_changed(self, step_id: str) -> None:
        if self.nav_model is not None and step_id in self.pages:
            self.nav_model.set_refused(step_id, bool(self.pages[step_id].refused_entries()))
            self._show_progress()
        self._refresh_chrome()

    def _show_no_audit(self) -> None:
        self.ui.navigator_panel.hide()  # an empty step tree beside the start page says nothing
        self.ui.page_stack.setCurrentWidget(self.ui.welcome_page)
        self.setWindowTitle(_("Cleaner production audit"))
        self.saved_label.setText("")
        for action in (self.ui.action_undo, self.ui.action_redo):
            action.setEnabled(False)

    # -- language ----------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Switch live: every text is re-shown, the current step and all typing stay."""
        step_id = self.current_step()
        self._flush()
        apply_language(lang)
        self.ui.retranslateUi(self)
        self._check_language()
        self.workspace.set_setting(LANGUAGE, current_language())
        if self.nav_model is not None:
            self.nav_model.retranslate()
        for page in self.pages.values():
            page.retranslate()
        self._refresh_chrome()
        self._open_navigator()
        if self.session is not None:
            self._update_states()
        if step_id:
            self.go_to_step(step_id)
        self.language_changed.emit()

    def _open_navigator(self) -> None:
        """The navigator at its width for the language: English step titles are longer ("15. Propose and
        implement more no/low-cost options") and were elided at 330 px, while the page had ~1000. It
        opens wider only as far as the page keeps PAGE_ROOM."""
        wanted = NAVIGATOR_WIDTHS.get(current_language(), NAVIGATOR_WIDTH)
        width = max(NAVIGATOR_WIDTH, min(wanted, self.width() - PAGE_ROOM))
        sizes = self.ui.splitter.sizes()
        if not self._navigator_dragged and sizes and sizes[0] != width:
            self.ui.splitter.setSizes([width, max(sum(sizes) - width, 1)])

    def _navigator_moved(self, _pos: int, _index: int) -> None:
        self._navigator_dragged = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._open_navigator()

    def _check_language(self) -> None:
        self.ui.action_lang_zh_cn.setChecked(current_language() == "zh_CN")
        self.ui.action_lang_en.setChecked(current_language() == "en")

    def about(self) -> None:
        QMessageBox.about(
            self, _("About cpaudit"),
            _("{name} {version}\nOffline workbench for cleaner production audits.").format(name=APP_NAME, version=__version__),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        # Everything accepted is committed as it is typed; a pending paragraph is flushed,
        # and refused entries (not stored) are not dropped without asking.
        self._flush()
        if not self.may_drop_refused(_("close the window")):
            event.ignore()
            return
        super().closeEvent(event)
