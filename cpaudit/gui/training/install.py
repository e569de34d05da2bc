# SPDX-License-Identifier: Apache-2.0
"""The Training menu and everything it switches (GUI layer; see the package docstring)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu, QMessageBox, QProgressDialog, QPushButton

from cpaudit.gui.tasks import run_task
from cpaudit.gui.training.presentation import Presentation
from cpaudit.i18n import _, current_language
from cpaudit.training import sandbox

LANGUAGE_SHORTCUTS = ("F12", "Ctrl+Shift+L")
DEMO_MARK = "DEMO 演示"


def demo_title(title: str) -> str:
    """The window title of a sandbox window: the mark first, so it survives a narrow taskbar."""
    return title if title.startswith(f"[{DEMO_MARK}]") else f"[{DEMO_MARK}] {title}"


class TrainingMode(QObject):
    def __init__(self, window: Any):
        super().__init__(window)
        self.window = window
        self.setObjectName("training_mode")
        self.tour: Any = None
        self.exercises: Any = None
        self.presentation = Presentation(QApplication.instance())  # type: ignore[arg-type]
        self.build_options: dict[str, Any] = {}  # for stage_build (tests skip the inspector half)
        self.menu = QMenu(window)
        self.menu.setObjectName("menu_training")
        window.menuBar().insertMenu(window.ui.menu_help.menuAction(), self.menu)
        self.action_tour = self._action("action_tour", checkable=True, shortcut="Ctrl+Shift+T")
        self.action_exercises = self._action("action_exercises", shortcut="Ctrl+Shift+E")
        self.menu.addSeparator()
        self.action_presentation = self._action("action_presentation", checkable=True, shortcut="Ctrl+Shift+P")
        self.action_zoom_in = self._action("action_zoom_in", shortcut="Ctrl+Shift+=")
        self.action_zoom_out = self._action("action_zoom_out", shortcut="Ctrl+Shift+-")
        self.action_language = self._action("action_switch_language")
        self.action_language.setShortcuts([QKeySequence(k) for k in LANGUAGE_SHORTCUTS])
        self.action_language.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.menu.addSeparator()
        self.action_reset = self._action("action_reset_sandbox")
        self.action_open_sandbox = self._action("action_open_sandbox")
        self.action_open_inspector = self._action("action_open_inspector_sandbox")
        # connect signals
        self.action_tour.toggled.connect(self.show_tour)
        self.action_exercises.triggered.connect(self.show_exercises)
        self.action_presentation.toggled.connect(self.presentation.set_active)
        self.action_zoom_in.triggered.connect(lambda: self.presentation.zoom_by(1))
        self.action_zoom_out.triggered.connect(lambda: self.presentation.zoom_by(-1))
        self.action_language.triggered.connect(self.switch_language)
        self.action_reset.triggered.connect(self.confirm_reset)
        self.action_open_sandbox.triggered.connect(lambda: self._launch([]))
        self.action_open_inspector.triggered.connect(lambda: self._launch(["--inspector"]))
        for action in (window.ui.action_lang_zh_cn, window.ui.action_lang_en):
            # toggled: set_language called from code; triggered: a click, after the window's own handler
            action.toggled.connect(lambda checked: checked and self.retranslate())
            action.triggered.connect(self.retranslate)
        window.windowTitleChanged.connect(self._mark_title)
        # The title bar is not on every projector image: the sandbox says so inside the window too.
        self.demo_badge = QLabel(window)
        self.demo_badge.setObjectName("demo_badge")
        self.demo_badge.setStyleSheet("QLabel#demo_badge { background: #e65100; color: white; font-weight: 600;"
                                      " padding: 1px 10px; border-radius: 3px; }")
        window.statusBar().insertPermanentWidget(0, self.demo_badge)
        # The start page offers the sandbox beside new / open: first-time users and trainers look there.
        self.welcome_sandbox = QPushButton(window.ui.welcome_page)
        self.welcome_sandbox.setObjectName("welcome_sandbox_button")
        self.welcome_sandbox.clicked.connect(self.action_open_sandbox.trigger)
        buttons = window.ui.welcome_buttons
        buttons.insertWidget(buttons.count() - 1, self.welcome_sandbox)  # before the right-hand spacer
        self.retranslate()
        self._mark_title(window.windowTitle())

    def _action(self, name: str, checkable: bool = False, shortcut: str | None = None) -> QAction:
        action = QAction(self.window)
        action.setObjectName(name)
        action.setCheckable(checkable)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        self.menu.addAction(action)
        self.window.addAction(action)  # shortcuts work while the menu is closed
        return action

    # -- state ----------------------------------------------------------------------------
    def in_sandbox(self) -> bool:
        return sandbox.is_sandbox(self.window.workspace)

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Training"))
        self.action_tour.setText(_("Guided &tour"))
        self.action_exercises.setText(_("&Exercises…"))
        self.action_presentation.setText(_("&Presentation mode (large, high contrast)"))
        self.action_zoom_in.setText(_("Presentation zoom &in"))  # not the View menu's page zoom
        self.action_zoom_out.setText(_("Presentation zoom &out"))
        self.action_language.setText(_("Switch &language 中文 ⇄ English"))
        self.action_reset.setText(_("&Reset the training sandbox…"))
        self.action_open_sandbox.setText(_("Open the training &sandbox"))
        self.action_open_inspector.setText(_("Open the i&nspector sandbox"))
        sandboxed = self.in_sandbox()
        self.demo_badge.setText(_("DEMO 演示 · training sandbox"))
        self.demo_badge.setToolTip(_("Everything here is a demo: reports carry a DEMO watermark and submissions are "
                                     "signed with the public demo key, which only a training inspector accepts."))
        self.demo_badge.setVisible(sandboxed)
        self.action_reset.setVisible(sandboxed)
        self.action_open_sandbox.setVisible(not sandboxed)
        self.welcome_sandbox.setText(_("Open the training &sandbox"))
        self.welcome_sandbox.setVisible(not sandboxed)
        for child in (self.tour, self.exercises):
            if child is not None:
                child.retranslate()
        self._mark_title(self.window.windowTitle())

    def _mark_title(self, title: str) -> None:
        if self.in_sandbox() and not title.startswith(f"[{DEMO_MARK}]"):
            self.window.setWindowTitle(demo_title(title))  # re-emits once, then the mark is there

    # -- tour and exercises -----------------------------------------------------------------
    def show_tour(self, visible: bool = True) -> None:
        from cpaudit.gui.training.tour_dock import TourDock

        if self.tour is None:
            if not visible:
                return
            self.tour = TourDock(self.window)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.tour)
            self.tour.closed.connect(lambda: self.action_tour.setChecked(False))
            if self.window.current_step():
                self.tour.go_to_step(self.window.current_step())
        else:
            self.tour.reload()
        self.tour.setVisible(visible)
        self.action_tour.setChecked(visible)

    def show_exercises(self) -> None:
        from cpaudit.gui.training.exercise_dialog import ExerciseDialog

        if self.exercises is None:
            self.exercises = ExerciseDialog(self.window)
        self.exercises.show()
        self.exercises.raise_()
        self.exercises.activateWindow()

    def switch_language(self) -> None:
        """zh_CN ⇄ en through the View menu's own actions (the same path as a click there)."""
        target = self.window.ui.action_lang_en if current_language() != "en" else self.window.ui.action_lang_zh_cn
        target.trigger()
        # A dialog open in front (the home page, the new-audit wizard, the report…) follows too: the
        # shortcut reaches the trainer's window even then, and half a screen in each language is no demo.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and callable(getattr(widget, "retranslate", None)):
                widget.retranslate()

    # -- the sandbox --------------------------------------------------------------------------
    def _launch(self, extra: list[str]) -> None:
        """Another window on the sandbox (the sandbox is built on first use)."""
        subprocess.Popen([sys.executable, "-m", "cpaudit", "--lang", current_language(), "demo", *extra])
        self.window.statusBar().showMessage(_("Opening the sandbox in a new window…"), 6000)

    def confirm_reset(self) -> None:
        answer = QMessageBox.question(
            self.window, _("Reset the training sandbox"),
            _("Put every sample audit and the inspector sandbox back to their original state? Everything done in "
              "the sandbox is discarded. Real workspaces are not touched."))
        if answer == QMessageBox.StandardButton.Yes:
            self.reset()

    def reset(self, on_done: Any = None) -> None:
        """Build a fresh sandbox in the background, then swap it in and reopen the audit shown."""
        db = self.window.workspace.path
        root = db.parent
        progress = QProgressDialog(_("Rebuilding the training sandbox…"), "", 0, 0, self.window)
        progress.setObjectName("reset_progress")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()

        def swap(staging: Any) -> None:
            from cpaudit.workspace import Workspace

            audit_id = self.window.session.audit_id if self.window.session else None
            self.window._flush()  # nothing typed may be lost into a closed file
            self.window.workspace.close()
            sandbox.swap_in(staging, root)
            self.window.workspace = Workspace(db)
            self.window.session = None
            audits = [m.id for m in self.window.workspace.audits()]
            self.window.open_audit(audit_id if audit_id in audits else audits[0])
            progress.close()
            self.retranslate()
            self.window.statusBar().showMessage(_("The training sandbox is as new."), 6000)
            if on_done:
                on_done()

        def failed(exc: BaseException) -> None:
            progress.close()
            QMessageBox.warning(self.window, _("Reset the training sandbox"), str(exc))

        run_task(self.window, lambda: sandbox.stage_build(root, **self.build_options)).success(swap).failure(failed).start()


def install_training(window: Any) -> TrainingMode:
    """The one call the main window makes (a second call returns the first one's)."""
    existing = getattr(window, "training", None)
    if isinstance(existing, TrainingMode):
        return existing
    window.training = TrainingMode(window)
    return window.training
