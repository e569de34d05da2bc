# SPDX-License-Identifier: Apache-2.0
"""File ▸ Verify submission…: check ``.cpaudit`` files offline, one line per file with its reasons.

The same verification as ``cpaudit verify`` (signature, trust, every hash,
the data against its workflow, figures recomputed, revision chain) runs in the
background on plain paths; trust is the user's trust folder plus their own
key, so an enterprise can re-check exactly what it sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import qtawesome
from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from cpaudit.gui.dialogs.report_dialog import STAGES
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.gui.step_state import COLOURS
from cpaudit.gui.tasks import Task, run_task
from cpaudit.i18n import _, ngettext
from cpaudit.workflow.validate import COMPLETE, ERRORS, WARNINGS


def verify_paths(paths: list[Path], accept_demo: bool = False) -> list[Any]:
    """Worker: verify each file with the default trust (trust folder + own key); ``accept_demo``
    in the training sandbox, whose files are demo files signed with the public demo key."""
    from cpaudit.bundle.verify import verify_files
    from cpaudit.cli_submission import default_trust

    trust = default_trust()
    if accept_demo:
        from cpaudit.bundle.demo_key import accept_demo_files

        accept_demo_files(trust)
    return verify_files(list(paths), trust)


class VerifyDialog(QDialog):
    verified = Signal()

    def __init__(self, parent: QWidget | None = None, accept_demo: bool = False):
        super().__init__(parent)
        self.setObjectName("verify_dialog")
        self.accept_demo = accept_demo
        self.task: Task | None = None
        self.results: list[Any] = []
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.add_button = QPushButton(qtawesome.icon("fa6s.folder-open"), "", self)
        self.add_button.setObjectName("verify_add")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.add_button)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("verify_results")
        self.tree.setColumnCount(3)
        self.tree.setWordWrap(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(True)
        self.tree.setColumnWidth(1, 260)
        self.summary = QLabel(self)
        self.summary.setObjectName("verify_summary")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.add_button.clicked.connect(self.choose)
        self.buttons.rejected.connect(self.reject)
        self.setAcceptDrops(True)
        fit_to_screen(self, 980, 560)
        self.retranslate()

    def choose(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        paths, _f = QFileDialog.getOpenFileNames(self, _("Choose submission files"), folder,
                                                 _("Submission files (*.cpaudit);;All files (*)"))
        if paths:
            self.verify([Path(p) for p in paths])

    def verify(self, paths: list[Path]) -> None:
        if self.task is not None or not paths:
            return
        self.progress.show()
        self.add_button.setEnabled(False)
        self.summary.setText(ngettext("Verifying {n} file…", "Verifying {n} files…", len(paths)).format(n=len(paths)))
        accept_demo = self.accept_demo
        self.task = run_task(self, lambda: verify_paths(paths, accept_demo)).success(self._show).failure(self._failed).start()

    def _show(self, results: list[Any]) -> None:
        self.task = None
        self.results = results
        self.progress.hide()
        self.add_button.setEnabled(True)
        self.tree.clear()
        for r in results:
            item = self._item(r)
            self.tree.addTopLevelItem(item)
            item.setExpanded(not r.valid)  # the reasons of a rejected file are shown at once
        valid = sum(1 for r in results if r.valid)
        self.summary.setText(ngettext("{valid} of {total} file valid.", "{valid} of {total} files valid.", len(results)).format(
            valid=valid, total=len(results)))
        colour = COLOURS[COMPLETE] if valid == len(results) else COLOURS[ERRORS]
        self.summary.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.verified.emit()

    def _item(self, r: Any) -> QTreeWidgetItem:
        from cpaudit.bundle.verify import trust_label

        m = r.manifest
        if r.valid and m is not None:
            what = _("{name} ({uscc}), round {round}, {stage}, revision {revision}; signed by {signer}, {trust}").format(
                name=m.enterprise_name, uscc=m.uscc, round=m.round, stage=_(dict(STAGES).get(m.stage, m.stage)), revision=m.revision,
                signer=m.signer_name, trust=trust_label(r.trust))
        else:
            what = r.reason.message if r.reason else ""
        item = QTreeWidgetItem([_("valid") if r.valid else _("invalid"), r.path.name, what])
        state = COMPLETE if r.valid else ERRORS
        item.setIcon(0, qtawesome.icon("fa6s.circle-check" if r.valid else "fa6s.circle-xmark", color=COLOURS[state]))
        item.setForeground(0, _brush(COLOURS[state]))
        item.setToolTip(1, str(r.path))
        item.setToolTip(2, what)
        for f in r.findings:
            child = QTreeWidgetItem(["", f.code, f.message])
            child.setToolTip(2, f.message)
            child.setForeground(2, _brush(COLOURS[ERRORS] if f.fatal else COLOURS[WARNINGS]))
            item.addChild(child)
        return item

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.progress.hide()
        self.add_button.setEnabled(True)
        self.summary.setText(_("The files could not be verified: {error}").format(error=getattr(exc, "message", exc)))
        self.summary.setStyleSheet(f"color: {COLOURS[ERRORS]};")

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        self.verify([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])

    def reject(self) -> None:
        if self.task is None:  # the worker reports to this dialog; verification is quick
            super().reject()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Verify submission files"))
        intro = _("Choose or drop .cpaudit files. Each is checked offline: signature, signer, every file's "
                  "hash, the audit data and the recomputed figures.")
        if self.accept_demo:
            intro += " " + _("Training sandbox: demo files are accepted here; a bureau refuses them.")
        self.intro.setText(intro)
        self.add_button.setText(_("Choose files…"))
        self.tree.setHeaderLabels([_("Result"), _("File"), _("Details")])


def _brush(colour: str) -> Any:
    from PySide6.QtGui import QBrush, QColor

    return QBrush(QColor(colour))
