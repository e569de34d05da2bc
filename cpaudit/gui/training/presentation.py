# SPDX-License-Identifier: Apache-2.0
"""Presentation mode for a projector: large fonts, zoom, high contrast (GUI layer).

It scales the application font and every point size of the style sheet, and
adds a high-contrast layer (black on white, thick focus and selection). Off
restores the exact font and style sheet that were there before.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

DEFAULT_ZOOM = 1.6
ZOOM_STEPS = (1.25, 1.4, 1.6, 1.8, 2.0, 2.3, 2.6)

HIGH_CONTRAST = """
QWidget { color: #000000; }
QMainWindow, QDialog, QScrollArea, QWidget#page_content { background: #ffffff; }
QLabel[role="help"], QLabel[role="phase"] { color: #202020; }
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QTableView, QTreeView, QListWidget {
    border: 2px solid #000000; background: #ffffff; selection-background-color: #ffd600; selection-color: #000000;
}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QTableView:focus { border: 3px solid #0047ab; }
QTreeView::item:selected, QListWidget::item:selected { background: #ffd600; color: #000000; }
QPushButton { border: 2px solid #000000; padding: 4px 12px; background: #f0f0f0; }
QPushButton:default { border: 3px solid #0047ab; }
QHeaderView::section { background: #e0e0e0; color: #000000; border: 1px solid #000000; font-weight: 600; }
QMenuBar, QMenu { color: #000000; background: #ffffff; }
"""

_PT = re.compile(r"(\d+(?:\.\d+)?)pt")


def scaled_sheet(sheet: str, zoom: float) -> str:
    """Every ``Npt`` of ``sheet`` multiplied by ``zoom`` (titles stay larger than body text)."""
    return _PT.sub(lambda m: f"{float(m.group(1)) * zoom:.1f}pt", sheet)


class Presentation:
    """Owns the application's font and style sheet while presentation mode is on."""

    def __init__(self, app: QApplication):
        self.app = app
        self.active = False
        self.zoom = DEFAULT_ZOOM
        self._font: QFont | None = None
        self._sheet = ""

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        if on:
            self._font, self._sheet = QFont(self.app.font()), self.app.styleSheet()
            self.active = True
            self._apply()
        else:
            self.active = False
            assert self._font is not None
            self.app.setFont(self._font)
            self.app.setStyleSheet(self._sheet)

    def zoom_by(self, steps: int) -> float:
        """One step larger (+1) or smaller (−1) on ``ZOOM_STEPS``; returns the zoom now."""
        nearest = min(range(len(ZOOM_STEPS)), key=lambda i: abs(ZOOM_STEPS[i] - self.zoom))
        self.zoom = ZOOM_STEPS[max(0, min(len(ZOOM_STEPS) - 1, nearest + steps))]
        if self.active:
            self._apply()
        return self.zoom

    def _apply(self) -> None:
        assert self._font is not None
        font = QFont(self._font)
        font.setPointSizeF(max(self._font.pointSizeF(), 10.0) * self.zoom)
        self.app.setFont(font)
        base = f"QWidget {{ font-size: {font.pointSizeF():.1f}pt; }}\n"
        self.app.setStyleSheet(base + scaled_sheet(self._sheet, self.zoom) + HIGH_CONTRAST)
