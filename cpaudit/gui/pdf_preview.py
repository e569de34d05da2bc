# SPDX-License-Identifier: Apache-2.0
"""An in-app PDF preview (QtPdf): page navigation, zoom, and which pages were seen (GUI layer).

Used by the report dialog and by the signing ceremony, whose review step
needs to know that the signer has been shown every page.
"""

from __future__ import annotations

import qtawesome
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QToolButton, QVBoxLayout, QWidget

from cpaudit.i18n import _

ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)


class PdfPreview(QWidget):
    pages_seen_changed = Signal(int, int)  # seen, total

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._data = QByteArray()
        self.seen: set[int] = set()
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.previous_button = self._button("fa6s.chevron-left", "pdf_previous")
        self.next_button = self._button("fa6s.chevron-right", "pdf_next")
        self.page_box = QSpinBox(self)
        self.page_box.setObjectName("pdf_page")
        self.page_box.setMinimum(1)
        self.page_count_label = QLabel(self)
        self.zoom_out_button = self._button("fa6s.magnifying-glass-minus", "pdf_zoom_out")
        self.zoom_in_button = self._button("fa6s.magnifying-glass-plus", "pdf_zoom_in")
        self.fit_width_button = self._button("fa6s.arrows-left-right-to-line", "pdf_fit_width")
        self.fit_page_button = self._button("fa6s.expand", "pdf_fit_page")
        bar = QHBoxLayout()
        for w in (self.previous_button, self.page_box, self.page_count_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out_button, self.zoom_in_button, self.fit_width_button, self.fit_page_button):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        # connect signals
        self.previous_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page_box.valueChanged.connect(lambda n: self.go_to(n - 1) if n - 1 != self.current_page() else None)
        self.zoom_in_button.clicked.connect(lambda: self.zoom(+1))
        self.zoom_out_button.clicked.connect(lambda: self.zoom(-1))
        self.fit_width_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fit_page_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.view.pageNavigator().currentPageChanged.connect(self._on_page)
        self.retranslate()
        self._update_bar()

    def _button(self, icon: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setIcon(qtawesome.icon(icon))
        button.setAutoRaise(True)
        return button

    # -- document --------------------------------------------------------------------------
    def load_bytes(self, data: bytes) -> bool:
        """Show ``data``; False when QtPdf cannot read it."""
        self.document.close()
        self._data = QByteArray(data)
        buffer = QBuffer(self._data, self)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.seen = set()
        ok = self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0
        if ok:
            self.go_to(0)
            self._mark(0)
        self._update_bar()
        return ok

    def clear(self) -> None:
        self.document.close()
        self.seen = set()
        self._update_bar()

    def page_count(self) -> int:
        return self.document.pageCount() if self.document.status() == QPdfDocument.Status.Ready else 0

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        if 0 <= page < self.page_count():
            self.view.pageNavigator().jump(page, QPointF(0, 0), self.view.pageNavigator().currentZoom())
            self._mark(page)
            self._update_bar()

    def zoom(self, direction: int) -> None:
        current = self.view.zoomFactor()
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            current = 1.0
        steps = [z for z in ZOOM_STEPS if (z > current + 1e-3 if direction > 0 else z < current - 1e-3)]
        if steps:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(steps[0] if direction > 0 else steps[-1])

    def all_seen(self) -> bool:
        return self.page_count() > 0 and len(self.seen) >= self.page_count()

    def _on_page(self, page: int) -> None:
        self._mark(page)
        self._update_bar()

    def _mark(self, page: int) -> None:
        if page not in self.seen and 0 <= page < self.page_count():
            self.seen.add(page)
            self.pages_seen_changed.emit(len(self.seen), self.page_count())

    def _update_bar(self) -> None:
        count = self.page_count()
        page = self.current_page()
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(max(count, 1))
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.page_box.setEnabled(count > 0)
        self.page_count_label.setText(_("of {count}").format(count=count))
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < count)
        for w in (self.zoom_in_button, self.zoom_out_button, self.fit_width_button, self.fit_page_button):
            w.setEnabled(count > 0)

    def retranslate(self) -> None:
        self.previous_button.setToolTip(_("Previous page"))
        self.next_button.setToolTip(_("Next page"))
        self.zoom_in_button.setToolTip(_("Zoom in"))
        self.zoom_out_button.setToolTip(_("Zoom out"))
        self.fit_width_button.setToolTip(_("Fit to width"))
        self.fit_page_button.setToolTip(_("Whole page"))
        self._update_bar()
