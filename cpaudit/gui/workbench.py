# SPDX-License-Identifier: Apache-2.0
"""The data-entry workbench around the main window: panels, menus, zoom, remembered layout (GUI layer).

``install_workbench(window)`` adds the "Check for errors", history and
evidence docks, the File entries for home, next round, table export and
backup/restore, the View entries for the panels and zoom, and remembers the
window's geometry, splitter, docks and zoom in the workspace settings. It
listens to the window's signals; every edit still goes through ``window.apply``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import qtawesome
import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QTabBar, QWidget

from cpaudit.gui.models.step_tree_model import PHASE_ID_ROLE
from cpaudit.gui.panels.evidence_panel import EvidencePanel
from cpaudit.gui.panels.history_panel import HistoryPanel
from cpaudit.gui.panels.issues_panel import WHOLE_AUDIT, IssuesPanel
from cpaudit.gui.workspace_actions import WorkspaceActions
from cpaudit.i18n import _

if TYPE_CHECKING:
    from cpaudit.gui.main_window import MainWindow

ZOOM = "gui.zoom"  # workspace settings: percent of the normal text size
LAYOUT = "gui.layout"  # {"geometry": hex, "state": hex, "splitter": [sizes]}
ZOOM_STEPS = (80, 90, 100, 110, 125, 140, 160, 180, 200)
ICON = "#455a64"


class Workbench(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.zoom_percent = 100
        self._base_point_size = QApplication.font().pointSizeF()
        self.issues = IssuesPanel(window)
        self.history = HistoryPanel(window)
        self.evidence = EvidencePanel(window.apply, window)  # type: ignore[arg-type]
        for dock in (self.issues, self.history, self.evidence):
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.setMinimumWidth(340)
            dock.hide()
        window.tabifyDockWidget(self.issues, self.history)
        window.tabifyDockWidget(self.history, self.evidence)
        for tabs in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            self._no_tab_stop(tabs)
        self._build_menus()
        self.retranslate()
        # connect signals
        window.audit_opened.connect(self._audit_opened)
        window.changed.connect(self._changed)
        window.page_shown.connect(self.evidence.set_page)
        window.language_changed.connect(self.retranslate)
        self.issues.go_to.connect(self.go_to)
        self.history.go_to.connect(self.go_to)
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        window.ui.step_tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        window.ui.step_tree.customContextMenuRequested.connect(self._navigator_menu)
        window.installEventFilter(self)
        self.restore_layout()

    # -- menus -----------------------------------------------------------------------------
    def _action(self, name: str, icon: str | None, slot: Callable[[], Any], keys: str | None = None) -> QAction:
        action = QAction(self.window)
        action.setObjectName(f"action_{name}")
        if icon:
            action.setIcon(qtawesome.icon(icon, color=ICON))
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = action
        return action

    def _build_menus(self) -> None:
        w, ws_actions = self.window, self.window.workspace_actions
        file_menu, quit_action = w.ui.menu_file, w.ui.action_quit
        items = [
            self._action("home", "fa6s.house", ws_actions.show_home, "Ctrl+Shift+H"),
            self._action("next_round", "fa6s.forward", lambda: self._open(ws_actions.start_next_round())),
            None,
            self._action("export_xlsx", "fa6s.file-excel", ws_actions.export_xlsx),
            self._action("export_csv", "fa6s.file-csv", ws_actions.export_csv),
            self._action("export_evidence", "fa6s.file-zipper", ws_actions.export_evidence),
            None,
            self._action("backup", "fa6s.floppy-disk", ws_actions.back_up),
            self._action("restore", "fa6s.clock-rotate-left", ws_actions.restore),
            None,
        ]
        for item in items:
            if item is None:
                file_menu.insertSeparator(quit_action)
            else:
                file_menu.insertAction(quit_action, item)
        view = w.ui.menu_view
        first = view.actions()[0] if view.actions() else None
        check = self._action("check_phase", "fa6s.list-check", self.check_current_phase, "F7")
        check_all = self._action("check_audit", "fa6s.clipboard-check", lambda: self.issues.show_scope(WHOLE_AUDIT), "Shift+F7")
        for action in (check, check_all):
            view.insertAction(first, action)
        for dock, icon, keys in ((self.history, "fa6s.clock-rotate-left", "Ctrl+Shift+Y"),
                                 (self.evidence, "fa6s.paperclip", "Ctrl+Shift+A")):
            toggle = dock.toggleViewAction()
            toggle.setIcon(qtawesome.icon(icon, color=ICON))
            toggle.setShortcut(QKeySequence(keys))
            view.insertAction(first, toggle)
        view.insertSeparator(first)
        for action in (
            self._action("zoom_in", "fa6s.magnifying-glass-plus", lambda: self.zoom(1), "Ctrl+="),
            self._action("zoom_out", "fa6s.magnifying-glass-minus", lambda: self.zoom(-1), "Ctrl+-"),
            self._action("zoom_reset", None, lambda: self.set_zoom(100), "Ctrl+0"),
        ):
            view.insertAction(first, action)
        self.actions["zoom_in"].setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        view.insertSeparator(first)

    def retranslate(self) -> None:
        texts = {
            "home": _("&Home: audits and backups…"), "next_round": _("Start the nex&t round…"),
            "export_xlsx": _("Export tables to &Excel (XLSX)…"), "export_csv": _("Export tables to &CSV…"),
            "export_evidence": _("Export the evi&dence files (ZIP)…"),
            "backup": _("Back up the &workspace…"), "restore": _("Restore a workspace backu&p…"),
            "check_phase": _("&Check this phase for errors"), "check_audit": _("Check the &whole audit"),
            "zoom_in": _("Zoom &in"), "zoom_out": _("Zoom &out"), "zoom_reset": _("&Normal size"),
        }
        for name, text in texts.items():
            self.actions[name].setText(text)
        for panel in (self.issues, self.history, self.evidence):
            panel.retranslate()
        # The docks' menu items take their titles, which carry no access key: set after the titles.
        self.history.toggleViewAction().setText(_("&History"))
        self.evidence.toggleViewAction().setText(_("&Evidence files"))
        self._update_enabled()

    def _update_enabled(self) -> None:
        has_audit = self.window.session is not None
        editable = not self.window.read_only
        for name in ("next_round", "restore"):
            self.actions[name].setEnabled(editable and (has_audit or name == "restore"))
        for name in ("export_xlsx", "export_csv", "export_evidence", "check_phase", "check_audit"):
            self.actions[name].setEnabled(has_audit)

    def _open(self, meta: Any) -> None:
        if meta is not None:
            self.window.open_audit(meta.id)

    def _navigator_menu(self, position: QPoint) -> None:
        index: QModelIndex = self.window.ui.step_tree.indexAt(position)
        if not index.isValid() or self.window.session is None:
            return
        phase_id = index.data(PHASE_ID_ROLE) or (index.parent().data(PHASE_ID_ROLE) if index.parent().isValid() else None)
        menu = QMenu(self.window.ui.step_tree)
        action = menu.addAction(qtawesome.icon("fa6s.list-check", color=ICON), _("Check this phase for errors"))
        action.triggered.connect(lambda: self.issues.show_scope(phase_id or WHOLE_AUDIT))
        self.last_menu = menu
        menu.popup(self.window.ui.step_tree.viewport().mapToGlobal(position))

    # -- panels ------------------------------------------------------------------------------
    def check_current_phase(self) -> None:
        step = self.window.current_step()
        session = self.window.session
        phase = session.workflow.phase_of(step).id if session and step else WHOLE_AUDIT
        self.issues.show_scope(phase)

    def go_to(self, step: str, field: str | None, row: str | None) -> None:
        if self.window.session is not None and self.window.session.workflow.has_step(step):
            self.window.go_to_step(step, field, row)

    def _audit_opened(self) -> None:
        session = self.window.session
        for panel in (self.issues, self.history, self.evidence):
            panel.set_session(session)
        self.evidence.set_read_only(self.window.read_only)
        self.evidence.set_page(self.window.current_page())
        self._update_enabled()

    def _changed(self, _changeset: Any) -> None:
        self.issues.changed()
        self.history.changed()
        self.evidence.changed()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self.window):  # the application outlives this window
            QApplication.instance().focusChanged.disconnect(self._focus_changed)  # type: ignore[union-attr]
            return
        page = self.window.current_page()
        if new is not None and page is not None and page.isAncestorOf(new):
            self.evidence.focus_moved(new)

    # -- zoom and layout -------------------------------------------------------------------------
    def zoom(self, direction: int) -> None:
        steps = ZOOM_STEPS
        position = min(range(len(steps)), key=lambda i: abs(steps[i] - self.zoom_percent))
        self.set_zoom(steps[max(0, min(len(steps) - 1, position + direction))])

    def set_zoom(self, percent: int, remember: bool = True) -> None:
        self.zoom_percent = percent
        font = self.window.font()
        font.setPointSizeF(self._base_point_size * percent / 100)
        self.window.setFont(font)  # every page, table and panel of the window follows
        if remember:
            self.window.workspace.set_setting(ZOOM, percent)
        self.window.statusBar().showMessage(_("Zoom {percent} %").format(percent=percent), 3000)

    def save_layout(self) -> None:
        w = self.window
        self.window.workspace.set_setting(LAYOUT, {
            "geometry": bytes(w.saveGeometry().toHex()).decode(), "state": bytes(w.saveState().toHex()).decode(),
            "splitter": w.ui.splitter.sizes(),
        })

    def restore_layout(self) -> None:
        settings = self.window.workspace.settings()
        zoom = settings.get(ZOOM)
        if isinstance(zoom, int) and zoom in ZOOM_STEPS and zoom != 100:
            self.set_zoom(zoom, remember=False)
        layout = settings.get(LAYOUT)
        if not isinstance(layout, dict):
            return
        try:
            self.window.restoreGeometry(QByteArray.fromHex(layout["geometry"].encode()))
            self.window.restoreState(QByteArray.fromHex(layout["state"].encode()))
            self.window.ui.splitter.setSizes([int(n) for n in layout["splitter"]])
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a layout from another version: the default one is fine

    @staticmethod
    def _no_tab_stop(child: QObject) -> None:
        # The tabs of the tabified panels (an empty bar off-screen while they are closed) took a Tab
        # stop between the navigator and the page; the View menu and a click choose a panel.
        if isinstance(child, QTabBar):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.ChildPolished:
            self._no_tab_stop(event.child())  # type: ignore[attr-defined]  # a tab bar made by a later tabifying
        if watched is self.window and event.type() == QEvent.Type.Close:
            try:
                self.save_layout()
            except Exception:  # noqa: BLE001 - a closed workspace must not stop the window closing
                pass
        return False


def install_workbench(window: "MainWindow") -> Workbench:
    window.workspace_actions = WorkspaceActions(window)  # type: ignore[attr-defined]
    window.workbench = Workbench(window)  # type: ignore[attr-defined]
    return window.workbench  # type: ignore[attr-defined]
