# SPDX-License-Identifier: Apache-2.0
"""File ▸ Report…: the audit report PDF, built in the background and previewed in-app (issue 5).

Stage (评估/验收) and report language are chosen here, independently of the
UI language. The report is built by a worker that gets plain data (workspace
path, audit id, stage, language) and reads the audit from its own database
connection; progress comes from ``build_report``'s callback and Cancel stops
it at its next step. The result can be saved or opened in the system viewer.
"""

from __future__ import annotations

import re
import tempfile
import traceback
from pathlib import Path
from typing import Any, Callable

import qtawesome
from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget,
)

from cpaudit.gui.dialogs.error_dialog import error_box
from cpaudit.gui.pdf_preview import PdfPreview
from cpaudit.gui.progress import Cancelled, ProgressRelay
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.gui.tasks import Task, run_task
from cpaudit.i18n import N_, _, current_language, ngettext

STAGES = (("assessment", N_("Assessment (评估)")), ("acceptance", N_("Acceptance (验收)")))
REPORT_LANGUAGES = (("zh_CN", "中文"), ("en", "English"))  # each named in its own language


def build_audit_report(db_path: Path, audit_id: str, stage: str, lang: str, *, manifest_hash: str | None = None,
                       watermark: str | None = None, progress: Callable[[float], None] | None = None) -> bytes:
    """Worker: the report of ``audit_id`` as stored in ``db_path`` (journal included for annex C)."""
    from cpaudit.report.build import build_report
    from cpaudit.store.journal import iter_journal
    from cpaudit.workspace import Workspace, workflow_for

    with Workspace(db_path) as ws:
        meta = ws.meta(audit_id)
        if meta is None:
            raise KeyError(audit_id)
        doc, wf = ws.document(audit_id), workflow_for(meta)
        journal = list(iter_journal(ws.db, audit_id))
    if watermark is None:  # a sandbox (demo) audit's report is marked DEMO on every page
        from cpaudit.demo import report_watermark

        watermark = report_watermark(meta)
    return build_report(doc, wf, stage, lang, journal=journal, manifest_hash=manifest_hash, watermark=watermark,
                        progress=progress)


def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:80] or "report"


class ReportDialog(QDialog):
    generated = Signal()
    failed = Signal(str)

    def __init__(self, db_path: Path, audit_id: str, title: str, parent: QWidget | None = None,
                 gates: dict[str, Any] | None = None):
        super().__init__(parent)
        self.setObjectName("report_dialog")
        self.db_path, self.audit_id, self.audit_title = Path(db_path), audit_id, title
        self.gates = gates or {}
        self.pdf: bytes | None = None
        self.pdf_options: tuple[str, str] | None = None
        self.task: Task | None = None
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl  # replaced in tests
        self._close_when_done = False
        self._started = False
        self.relay = ProgressRelay(self)
        self.relay.changed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

        self.stage_label, self.lang_label = QLabel(self), QLabel(self)
        self.stage_box, self.lang_box = QComboBox(self), QComboBox(self)
        self.stage_box.setObjectName("report_stage")
        self.lang_box.setObjectName("report_language")
        for code, _label in STAGES:
            self.stage_box.addItem("", code)
        for code, label in REPORT_LANGUAGES:
            self.lang_box.addItem(label, code)
        self.lang_box.setCurrentIndex(max(self.lang_box.findData(current_language()), 0))
        self.generate_button = QPushButton(qtawesome.icon("fa6s.file-pdf"), "", self)
        self.generate_button.setObjectName("report_generate")
        self.gate_label = QLabel(self)
        self.gate_label.setObjectName("report_gate")
        self.gate_label.setWordWrap(True)
        self.gate_label.setProperty("role", "help")
        options = QHBoxLayout()
        for w in (self.stage_label, self.stage_box, self.lang_label, self.lang_box, self.generate_button):
            options.addWidget(w)
        options.addStretch(1)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("report_progress")
        self.progress.setRange(0, 1000)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("report_status")
        self.cancel_button = QPushButton(qtawesome.icon("fa6s.stop"), "", self)
        self.cancel_button.setObjectName("report_cancel")
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.status_label)
        running.addWidget(self.cancel_button)
        self.preview = PdfPreview(self)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setObjectName("report_save")
        self.save_button.setIcon(qtawesome.icon("fa6s.floppy-disk"))
        self.external_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.external_button.setObjectName("report_open_external")
        self.external_button.setIcon(qtawesome.icon("fa6s.arrow-up-right-from-square"))
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.gate_label)
        layout.addLayout(running)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)
        # connect signals
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self.save_as)
        self.external_button.clicked.connect(self.open_external)
        self.close_button.clicked.connect(self.reject)
        self.stage_box.currentIndexChanged.connect(self._options_changed)
        self.lang_box.currentIndexChanged.connect(self._options_changed)
        fit_to_screen(self, 980, 860)
        self.retranslate()
        self._set_running(False)

    # -- options -----------------------------------------------------------------------------
    def stage(self) -> str:
        return self.stage_box.currentData()

    def report_language(self) -> str:
        return self.lang_box.currentData()

    def set_options(self, stage: str, lang: str) -> None:
        self.stage_box.setCurrentIndex(max(self.stage_box.findData(stage), 0))
        self.lang_box.setCurrentIndex(max(self.lang_box.findData(lang), 0))

    def _options_changed(self) -> None:
        self._show_gate()
        fresh = self.pdf is not None and self.pdf_options == (self.stage(), self.report_language())
        self.generate_button.setDefault(not fresh)
        self._update_buttons()

    def _show_gate(self) -> None:
        gate = self.gates.get(self.stage()) or {}
        missing = gate.get("steps_incomplete") or []
        self.gate_label.setText(ngettext(
            "{n} step needed for this stage is not complete yet: the report will show gaps.",
            "{n} steps needed for this stage are not complete yet: the report will show gaps.", len(missing)).format(
            n=len(missing)) if gate and not gate.get("ready", True) else "")
        self.gate_label.setVisible(bool(self.gate_label.text()))

    # -- the background build ------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.generate()

    def generate(self) -> None:
        if self.task is not None:
            return
        self._started = True
        stage, lang = self.stage(), self.report_language()
        db_path, audit_id = self.db_path, self.audit_id
        self.relay.reset()
        progress = self.relay.callback(text=_("Writing the report"))
        self._set_running(True)
        self._on_progress(0.0, _("Reading the audit"))
        self.task = run_task(self, lambda: build_audit_report(db_path, audit_id, stage, lang, progress=progress))
        self.task.success(lambda pdf: self._done(pdf, (stage, lang))).failure(self._failed).start()

    def cancel(self) -> None:
        if self.task is not None:
            self.relay.cancel()
            self.status_label.setText(_("Stopping…"))

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        if text and not self.relay.cancelled:
            self.status_label.setText(text)

    def _done(self, pdf: bytes, options: tuple[str, str]) -> None:
        self.task = None
        self._set_running(False)
        self.pdf, self.pdf_options = pdf, options
        if not self.preview.load_bytes(pdf):
            self.status_label.setText(_("The report was written but cannot be shown here; open it in the system viewer."))
        else:
            self.status_label.setText(_("{pages} pages · {size} KB").format(
                pages=self.preview.page_count(), size=(len(pdf) + 1023) // 1024))
        self._options_changed()
        self.generated.emit()
        if self._close_when_done:
            self.reject()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._set_running(False)
        if isinstance(exc, Cancelled):
            self.status_label.setText(_("Cancelled."))
            self.failed.emit("cancelled")
        else:
            self.status_label.setText(_("The report could not be written."))
            self.failed.emit(str(exc))
            if not self._close_when_done:
                details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                error_box(details, self).exec()
        if self._close_when_done:
            self.reject()

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        for w in (self.stage_box, self.lang_box, self.generate_button):
            w.setEnabled(not running)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.pdf is not None and self.task is None
        self.save_button.setEnabled(ready)
        self.external_button.setEnabled(ready)

    # -- using the result --------------------------------------------------------------------------
    def default_name(self) -> str:
        stage, lang = self.pdf_options or (self.stage(), self.report_language())
        return f"{safe_name(self.audit_title)}-{stage}-{lang}.pdf"

    def save_as(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the report"), str(Path(folder) / self.default_name()),
                                                    _("PDF files (*.pdf)"))
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> Path:
        assert self.pdf is not None
        path.write_bytes(self.pdf)
        self.status_label.setText(_("Saved to {path}").format(path=path))
        return path

    def open_external(self) -> Path:
        assert self.pdf is not None
        folder = Path(tempfile.gettempdir()) / "cpaudit-reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = self.save_to(folder / self.default_name())
        self.open_url(QUrl.fromLocalFile(str(path)))
        return path

    # -- closing and language ------------------------------------------------------------------------
    def reject(self) -> None:
        if self.task is not None:  # let the worker stop first: it reports to this dialog
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task is not None:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Audit report"))
        self.stage_label.setText(_("Stage:"))
        self.lang_label.setText(_("Report language:"))
        for i, (_code, label) in enumerate(STAGES):
            self.stage_box.setItemText(i, _(label))
        self.generate_button.setText(_("Generate"))
        self.cancel_button.setText(_("Cancel"))
        self.save_button.setText(_("Save as…"))
        self.external_button.setText(_("Open in system viewer"))
        self.preview.retranslate()
        self._show_gate()
