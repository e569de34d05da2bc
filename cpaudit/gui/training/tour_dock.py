# SPDX-License-Identifier: Apache-2.0
"""The guided tour: a side panel that walks the procedure step by step (GUI layer).

Each stop shows what the step is for, what the bureau checks there and the
common mistakes (``[step.tour]`` of the workflow, translated), with previous /
next and "Show me", which opens the step and flashes the place the stop
talks about. The panel follows the navigator: clicking a step in the tree
moves the tour there too.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from cpaudit.gui.training.highlight import Highlight
from cpaudit.i18n import _
from cpaudit.training.tour import TourStop, stops
from cpaudit.workflow.loader import load_workflow


class TourDock(QDockWidget):
    closed = Signal()  # the panel's own close button (the menu's check mark follows)

    def __init__(self, window: Any):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("tour_dock")
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.stops: list[TourStop] = []
        self.position = 0
        self.highlight: Highlight | None = None
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 8)
        self.counter = QLabel(body)
        self.counter.setObjectName("tour_counter")
        self.counter.setProperty("role", "phase")
        self.heading = QLabel(body)
        self.heading.setObjectName("tour_heading")
        self.heading.setProperty("role", "phase")
        self.heading.setWordWrap(True)
        self.title = QLabel(body)
        self.title.setObjectName("tour_title")
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.text = QLabel(body)
        self.text.setObjectName("tour_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.text)
        buttons = QHBoxLayout()
        self.previous_button = QPushButton(body)
        self.previous_button.setObjectName("tour_previous")
        self.show_button = QPushButton(body)
        self.show_button.setObjectName("tour_show_me")
        self.show_button.setDefault(True)
        self.next_button = QPushButton(body)
        self.next_button.setObjectName("tour_next")
        for b in (self.previous_button, self.show_button, self.next_button):
            buttons.addWidget(b)
        for w in (self.counter, self.heading, self.title):
            layout.addWidget(w)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.setWidget(body)
        self.setMinimumWidth(340)
        # connect signals
        self.previous_button.clicked.connect(lambda: self.go(self.position - 1, show=True))
        self.next_button.clicked.connect(lambda: self.go(self.position + 1, show=True))
        self.show_button.clicked.connect(self.show_me)
        window.ui.page_stack.currentChanged.connect(self._follow_navigator)
        self.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()

    # -- content ----------------------------------------------------------------------
    def workflow(self) -> Any:
        session = getattr(self.window_, "session", None)
        return session.workflow if session is not None else load_workflow()

    def reload(self) -> None:
        current = self.stops[self.position].step_id if self.stops else None
        self.stops = stops(self.workflow())
        ids = [s.step_id for s in self.stops]
        self.position = ids.index(current) if current in ids else 0
        self.retranslate()

    def current(self) -> TourStop:
        return self.stops[self.position]

    def retranslate(self) -> None:
        self.setWindowTitle(_("Guided tour"))
        self.previous_button.setText(_("◀ Previous"))
        self.next_button.setText(_("Next ▶"))
        self.show_button.setText(_("Show me"))
        self.show_button.setToolTip(_("Open this step and point at the place it is about"))
        if not self.stops:
            return
        stop = self.current()
        self.counter.setText(_("Stop {n} of {total}").format(n=self.position + 1, total=len(self.stops)))
        phase = _(stop.phase_title)
        self.heading.setText(f"{stop.heading()} · {phase}" if stop.phase_number else phase)
        self.title.setText(_(stop.title))
        self.text.setText(self._body(stop))
        self.previous_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(self.position < len(self.stops) - 1)

    def _body(self, stop: TourStop) -> str:
        def section(head: str, msgid: str, colour: str) -> str:
            return (f"<p style='margin:10px 0 2px 0'><b style='color:{colour}'>{html.escape(head)}</b></p>"
                    f"<p style='margin:0'>{html.escape(_(msgid))}</p>")

        return (section(_("What this step is for"), stop.purpose, "#1565c0")
                + section(_("What the bureau checks"), stop.bureau_checks, "#2e7d32")
                + section(_("Common mistakes"), stop.mistakes, "#c62828"))

    # -- moving -------------------------------------------------------------------------
    def go(self, position: int, show: bool = False) -> None:
        if not 0 <= position < len(self.stops):
            return
        self.position = position
        self.retranslate()
        if show and getattr(self.window_, "session", None) is not None:
            self.window_.go_to_step(self.current().step_id)

    def go_to_step(self, step_id: str) -> None:
        ids = [s.step_id for s in self.stops]
        if step_id in ids:
            self.go(ids.index(step_id))

    def _follow_navigator(self, _index: int) -> None:
        page = self.window_.ui.page_stack.currentWidget()
        name = page.objectName() if page is not None else ""
        if name.startswith("page_"):
            self.go_to_step(name[len("page_"):])

    def show_me(self) -> QWidget | None:
        """Open the step and flash its first required field (or table); returns what was flashed."""
        stop = self.current()
        if getattr(self.window_, "session", None) is None:
            self.window_.statusBar().showMessage(_("Open an audit first: the tour shows the place in it."), 5000)
            return None
        self.window_.go_to_step(stop.step_id)
        if not stop.target:
            return None
        page = self.window_.page(stop.step_id)
        page.focus_field(stop.target)
        row = getattr(page, "rows", {}).get(stop.target)
        target = getattr(row, "editor", None) or page
        if self.highlight is not None:
            try:
                self.highlight.stop()
            except RuntimeError:  # already deleted after its last blink
                pass
        self.highlight = Highlight(target)
        return target
