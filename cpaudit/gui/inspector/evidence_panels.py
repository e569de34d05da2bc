# SPDX-License-Identifier: Apache-2.0
"""Evidence files and the embedded report PDF of a submission, shown in the app (GUI layer).

Both read their bytes through the core (``snapshot.evidence_bytes`` /
``report_pdf``), which checks them against the signed manifest again, so a
copy altered on disk after the import is reported instead of shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import qtawesome
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QScrollArea, QSplitter,
    QStackedWidget, QVBoxLayout, QWidget,
)

from cpaudit.gui.image_preview import upright_image
from cpaudit.gui.inspector.anchors import anchor_from_path, anchor_text
from cpaudit.gui.pdf_preview import PdfPreview
from cpaudit.i18n import _, ngettext
from cpaudit.review import snapshot
from cpaudit.review.inspector import ReviewError
from cpaudit.workspace import Workspace

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp")


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def save_copy(parent: QWidget, name: str, data: bytes, path: Path | None = None) -> Path | None:
    if path is None:
        chosen, _filter = QFileDialog.getSaveFileName(parent, _("Save a copy"), name)
        if not chosen:
            return None
        path = Path(chosen)
    try:
        path.write_bytes(data)
    except OSError as exc:
        QMessageBox.warning(parent, _("Save a copy"), _("cannot write {path}: {error}").format(path=path, error=exc.strerror or exc))
        return None
    return path


class EvidencePanel(QWidget):
    def __init__(self, ws: Workspace, submission_id: str, go_to: Callable[..., None], session: Any,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("evidence_panel")
        self.ws, self.submission_id, self.go_to, self.session = ws, submission_id, go_to, session
        self.items = snapshot.evidence_of(ws, submission_id)
        self.data: bytes | None = None
        self.list = QListWidget(self)
        self.list.setObjectName("evidence_list")
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "help")
        self.image = QLabel(self)
        self.image.setObjectName("evidence_image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.pdf = PdfPreview(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview = QStackedWidget(self)
        for w in (self.message, scroll, self.pdf):
            self.preview.addWidget(w)
        self.save_button = QPushButton(qtawesome.icon("fa6s.floppy-disk"), "", self)
        self.save_button.setObjectName("save_evidence_button")
        self.show_button = QPushButton(qtawesome.icon("fa6s.location-arrow"), "", self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([160, 440])
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(self.show_item)
        self.save_button.clicked.connect(lambda: self.save())
        self.show_button.clicked.connect(self._show_place)

    def show_item(self, row: int) -> None:
        self.data = None
        if not 0 <= row < len(self.items):
            self.preview.setCurrentWidget(self.message)
            self._update_buttons()
            return
        ev = self.items[row]
        try:
            self.data = snapshot.evidence_bytes(self.ws, self.submission_id, ev.entry)
        except ReviewError as exc:
            self.message.setText(exc.message)
            self.preview.setCurrentWidget(self.message)
            self._update_buttons()
            return
        image = upright_image(self.data) if ev.media_type in IMAGE_TYPES else QImage()
        if not image.isNull():
            room = max(self.preview.width() - 24, 200)  # fit the panel; never blown up beyond the original
            pixmap = QPixmap.fromImage(image)
            self.image.setPixmap(pixmap.scaledToWidth(min(pixmap.width(), room), Qt.TransformationMode.SmoothTransformation))
            self.preview.setCurrentWidget(self.image.parentWidget().parentWidget())
        elif ev.media_type == "application/pdf" and self.pdf.load_bytes(self.data):
            self.preview.setCurrentWidget(self.pdf)
        else:
            self.message.setText(_("No preview for {type}; save a copy to open it.").format(type=ev.media_type or "?"))
            self.preview.setCurrentWidget(self.message)
        self._update_buttons()

    def save(self, path: Path | None = None) -> Path | None:
        row = self.list.currentRow()
        if self.data is None or not 0 <= row < len(self.items):
            return None
        return save_copy(self, Path(self.items[row].entry).name, self.data, path)

    def _show_place(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items) and self.items[row].linked_to:
            anchor = anchor_from_path(self.items[row].linked_to)
            self.go_to(anchor.step, anchor.field or None, anchor.row or None)

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.save_button.setEnabled(self.data is not None)
        self.show_button.setEnabled(0 <= row < len(self.items) and bool(self.items[row].linked_to))

    def retranslate(self) -> None:
        self.save_button.setText(_("Save a copy…"))
        self.show_button.setText(_("Show where it belongs"))
        self.empty.setText(_("No evidence files were attached to this submission.") if not self.items else
                           ngettext("{n} evidence file, checked against the signed manifest when opened.",
                                    "{n} evidence files, each checked against the signed manifest when opened.",
                                    len(self.items)).format(n=len(self.items)))
        row = self.list.currentRow()
        self.list.clear()
        wf, doc = self.session.workflow, self.session.document
        for ev in self.items:
            where = anchor_text(wf, doc, anchor_from_path(ev.linked_to)) if ev.linked_to else ""
            item = QListWidgetItem(f"{ev.label or Path(ev.entry).name}  ({_size(ev.size)})" + (f"\n{where}" if where else ""))
            item.setToolTip(f"{ev.entry}\n{ev.media_type}\nSHA-256 {ev.sha256}")
            self.list.addItem(item)
        self.list.setVisible(bool(self.items))
        self.preview.setVisible(bool(self.items))
        if self.items:
            self.list.setCurrentRow(max(row, 0))
        self._update_buttons()


class ReportPanel(QWidget):
    """The signed report PDF embedded in the submission, loaded when first shown."""

    def __init__(self, ws: Workspace, submission_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("report_panel")
        self.ws, self.submission_id = ws, submission_id
        self.data: bytes | None = None
        self.preview = PdfPreview(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.save_button = QPushButton(qtawesome.icon("fa6s.floppy-disk"), "", self)
        self.save_button.setObjectName("save_report_button")
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.preview, 1)
        self.save_button.clicked.connect(lambda: self.save())

    def load(self) -> bool:
        if self.data is not None:
            return True
        try:
            self.data = snapshot.report_pdf(self.ws, self.submission_id)
        except ReviewError as exc:
            self.message.setText(exc.message)
            return False
        ok = self.preview.load_bytes(self.data)
        self.retranslate()
        return ok

    def showEvent(self, event: Any) -> None:
        self.load()
        super().showEvent(event)

    def save(self, path: Path | None = None) -> Path | None:
        if not self.load() or self.data is None:
            return None
        return save_copy(self, "report.pdf", self.data, path)

    def retranslate(self) -> None:
        self.save_button.setText(_("Save a copy…"))
        if self.data is not None:
            self.message.setText(_("The report as signed by the enterprise ({pages} pages), checked against the manifest.").format(
                pages=self.preview.page_count()))
        self.preview.retranslate()
