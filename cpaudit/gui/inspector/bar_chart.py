# SPDX-License-Identifier: Apache-2.0
"""A small horizontal bar chart painted with QPainter (GUI layer; no QtCharts).

Label left (elided when long, full text in the tooltip), bar, value at the
bar's end. Bars share one scale per chart; the chart is as tall as its bars.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from cpaudit import formatting

BAR_HEIGHT, GAP, PAD = 18, 6, 6
COLOUR = QColor("#1565c0")


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None, colour: QColor = COLOUR):
        super().__init__(parent)
        self.bars: list[tuple[str, float, str]] = []  # label, value, value text
        self.colour = colour
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[tuple[str, Any]]) -> None:
        self.bars = [(str(label), float(value or 0), _text(value)) for label, value in bars]
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, max(1, len(self.bars)) * (BAR_HEIGHT + GAP) + 2 * PAD)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(label) for label, _v, _t in self.bars), default=0)
        return min(widest + 20, int(self.width() * 0.45))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        label_w = self._label_width()
        value_w = max((metrics.horizontalAdvance(t) for _l, _v, t in self.bars), default=0) + 8
        room = max(self.width() - label_w - value_w - 2 * PAD, 10)
        top = max((v for _l, v, _t in self.bars), default=0) or 1.0
        for n, (label, value, text) in enumerate(self.bars):
            y = PAD + n * (BAR_HEIGHT + GAP)
            painter.setPen(self.palette().text().color())
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 8)
            painter.drawText(QRectF(PAD, y, label_w - 8, BAR_HEIGHT), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, shown)
            width = room * max(value, 0) / top
            painter.fillRect(QRectF(PAD + label_w, y + 2, max(width, 1 if value else 0), BAR_HEIGHT - 4), self.colour)
            painter.drawText(QRectF(PAD + label_w + width + 4, y, value_w, BAR_HEIGHT), Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

    def event(self, e: Any) -> bool:
        if e.type() == e.Type.ToolTip:
            n = int((e.pos().y() - PAD) // (BAR_HEIGHT + GAP))
            if 0 <= n < len(self.bars):
                label, _v, text = self.bars[n]
                QToolTip.showText(e.globalPos(), f"{label}: {text}", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(e)


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return formatting.number(value, 0 if value == value.to_integral_value() else 2)
    if isinstance(value, float):
        return formatting.number(Decimal(str(value)), 2)
    return str(value)
