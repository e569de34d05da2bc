# SPDX-License-Identifier: Apache-2.0
"""Import submission files in the background: progress, cancel, one result line per file (GUI layer).

The worker opens its OWN workspace connection (SQLite connections are not
shared across threads) and runs ``importer.import_iter``; after each file it
posts the ``ImportOutcome`` (plain data) through a relay signal. Cancel takes
effect between files: the file being verified is finished (its transaction
is all or nothing) and the rest are left alone.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

import qtawesome
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from cpaudit.gui.inspector import labels
from cpaudit.gui.tasks import Task, run_task
from cpaudit.i18n import _, ngettext
from cpaudit.review.importer import ALREADY, IMPORTED, REJECTED, STALE, ImportOutcome, import_iter, summary_text

_ICONS = {IMPORTED: "fa6s.circle-check", ALREADY: "fa6s.clone", STALE: "fa6s.clock-rotate-left", REJECTED: "fa6s.circle-xmark"}


class _Relay(QObject):
    progressed = Signal(int, int, object)  # done, total, ImportOutcome; emitted from the worker


def import_job(db_path: Path, paths: list[Path], stop: threading.Event, emit: Callable[[int, int, Any], None],
               clock: Any = None, user: str | None = None) -> tuple[list[ImportOutcome], int]:
    """Worker: import ``paths``; returns the outcomes and how many files were left when cancelled."""
    from cpaudit.bundle.trust import installed_trust
    from cpaudit.workspace import Workspace

    extra = installed_trust()  # trust files installed on this computer count, as in `cpaudit import`
    ws = Workspace(db_path, clock=clock, user=user)
    outcomes: list[ImportOutcome] = []
    left = 0
    try:
        for done, total, outcome in import_iter(ws, paths, trust=extra):
            outcomes.append(outcome)
            emit(done, total, outcome)
            if stop.is_set():
                left = total - done
                break
    finally:
        ws.close()
    return outcomes, left


def reason_of(outcome: ImportOutcome) -> str:
    parts = [outcome.message] if outcome.message else []
    if outcome.status == ALREADY and not parts:
        parts.append(_("the same file was imported before; nothing changed"))
    if outcome.predecessor:
        parts.append(_("newer revision, linked to its predecessor"))
    return "; ".join(parts + list(outcome.warnings))


class ImportPanel(QWidget):
    finished = Signal(int)  # files that entered the database (imported or stale)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import_panel")
        self.task: Task | None = None
        self.outcomes: list[ImportOutcome] = []
        self._stop = threading.Event()
        self._relay = _Relay(self)
        self.title = QLabel(self)
        self.title.setProperty("role", "panel_title")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("import_progress")
        self.cancel_button = QPushButton(qtawesome.icon("fa6s.stop"), "", self)
        self.cancel_button.setObjectName("import_cancel")
        self.summary = QLabel(self)
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.results = QTreeWidget(self)
        self.results.setObjectName("import_results")
        self.results.setRootIsDecorated(False)
        self.results.setAlternatingRowColors(True)
        self.results.setWordWrap(True)
        self.results.setColumnCount(3)
        header = self.results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.cancel_button.setEnabled(False)
        self.retranslate()
        # connect signals
        self._relay.progressed.connect(self._on_progress)
        self.cancel_button.clicked.connect(self.cancel)

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, db_path: Path, paths: list[Path], clock: Any = None, user: str | None = None) -> None:
        if self.running:
            return
        self.outcomes = []
        self.results.clear()
        self._stop.clear()
        self.progress.setRange(0, 0)  # busy until the first file is done (the files are sorted first)
        self.summary.setText(ngettext("Verifying {n} file…", "Verifying {n} files…", len(paths)).format(n=len(paths)))
        self.cancel_button.setEnabled(True)
        emit = self._relay.progressed.emit
        self.task = run_task(self, lambda: import_job(db_path, paths, self._stop, emit, clock, user))
        self.task.success(self._done).failure(self._failed).start()

    def cancel(self) -> None:
        self._stop.set()
        self.cancel_button.setEnabled(False)
        self.summary.setText(_("Stopping after the current file…"))

    def _on_progress(self, done: int, total: int, outcome: ImportOutcome) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.outcomes.append(outcome)
        self.results.addTopLevelItem(self._item(outcome))
        self.results.scrollToBottom()

    def _item(self, outcome: ImportOutcome) -> QTreeWidgetItem:
        item = QTreeWidgetItem([outcome.status_label(), outcome.path.name, reason_of(outcome)])
        item.setIcon(0, qtawesome.icon(_ICONS[outcome.status], color=labels.import_colour(outcome.status)))
        item.setForeground(0, QColor(labels.import_colour(outcome.status)))
        item.setToolTip(1, str(outcome.path))
        item.setToolTip(2, reason_of(outcome))
        item.setData(0, Qt.ItemDataRole.UserRole, outcome.status)
        return item

    def _done(self, result: tuple[list[ImportOutcome], int]) -> None:
        self.task = None
        outcomes, left = result
        self.progress.setRange(0, max(len(outcomes) + left, 1))
        self.progress.setValue(len(outcomes))
        self.cancel_button.setEnabled(False)
        text = summary_text(outcomes)
        if not outcomes and not left:
            text = _("No submission files (*.cpaudit) found.")
        if left:
            text += " · " + ngettext("cancelled: {n} file not imported", "cancelled: {n} files not imported", left).format(n=left)
        self.summary.setText(text)
        self.finished.emit(sum(1 for o in outcomes if o.status in (IMPORTED, STALE)))

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.cancel_button.setEnabled(False)
        self.summary.setText(_("The import stopped: {error}").format(error=getattr(exc, "message", None) or exc))
        self.finished.emit(0)

    def statuses(self) -> dict[str, str]:
        """File name → status, as listed (tests, screenshots)."""
        return {o.path.name: o.status for o in self.outcomes}

    def retranslate(self) -> None:
        self.title.setText(_("Import"))
        self.cancel_button.setText(_("Cancel"))
        self.results.setHeaderLabels([_("Import result"), _("File"), _("Reason")])
        for n, outcome in enumerate(self.outcomes):
            item = self.results.topLevelItem(n)
            if item is not None:
                item.setText(0, outcome.status_label())
                item.setText(2, reason_of(outcome))
