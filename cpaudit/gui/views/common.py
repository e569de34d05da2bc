# SPDX-License-Identifier: Apache-2.0
"""What the figure views share: numbers from figure data, fitted text, the palette (GUI layer).

Closure, verdicts and target status reuse the state colours of ``step_state``
(green = fine, red = fails), so a colour means the same on every screen.
Flow kinds get their own muted palette that never borrows those meanings.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from cpaudit import formatting
from cpaudit.gui.step_state import COLOURS
from cpaudit.workflow.validate import COMPLETE, EMPTY, ERRORS, WARNINGS

GOOD = QColor(COLOURS[COMPLETE])
BAD = QColor(COLOURS[ERRORS])
CAUTION = QColor(COLOURS[WARNINGS])
MUTED = QColor(COLOURS[EMPTY])
INK = QColor("#263238")
RULE = QColor("#cfd8dc")
ACCENT = QColor("#37474f")
# Flow kinds: muted hues that mean nothing else in the application.
KIND_COLOURS = {
    "input": "#5c7cfa", "intermediate": "#9fa8da", "product": "#00897b", "by_product": "#4db6ac",
    "waste_water": "#8d6e63", "waste_gas": "#a1887f", "solid_waste": "#6d4c41", "hazardous_waste": "#8e24aa",
    "loss": "#b0bec5", "accumulation": "#90a4ae", "unaccounted": "#eceff1",
}
SERIES_A = QColor("#90a4ae")  # planned / target
SERIES_B = QColor("#00897b")  # achieved / actual


def num(value: Any) -> float | None:
    """A figure value (Decimal, str, number or None) as float; None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value))
    except ValueError:
        return None


def fmt_number(value: Any, places: int | None = None) -> str:
    """Locale-formatted; without ``places`` as many decimals as the size needs (5,600 · 446.6 · 0.21)."""
    v = num(value)
    if v is None:
        return "—"
    if places is None:
        places = 0 if abs(v) >= 1000 else 1 if abs(v) >= 100 else 2 if abs(v) >= 1 else 3
        text = f"{v:.{places}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        places = len(text.partition(".")[2])
    return formatting.number(round(v, places), places)


def fmt_percent(value: Any, places: int = 1) -> str:
    return formatting.percent(num(value), places) if num(value) is not None else "—"


def fitted(metrics: QFontMetricsF, text: str, width: float) -> str:
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(width, 0.0))


def small_font(widget: QWidget, delta: float = -1.0, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(max(font.pointSizeF() + delta, 7.0))
    font.setBold(bold)
    return font


def line_box(widget: QWidget, floor: float, factor: float, delta: float = -1.0, bold: bool = False) -> float:
    """px of a painted line or row: ``factor`` × the height of ``widget``'s small font (``delta``, ``bold``),
    never below ``floor``, the normal-size design. Constant heights kept the normal geometry when
    presentation mode enlarged the text 1.6×: rows cut, lines running into each other."""
    return max(floor, float(math.ceil(QFontMetricsF(small_font(widget, delta, bold)).height() * factor)))


class FollowsFont:
    """Mixin (before QWidget) for a painted view whose geometry comes from its font: a new font
    (presentation mode, zoom) asks the layout for the new size hint and repaints."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()  # type: ignore[attr-defined]
            self.update()  # type: ignore[attr-defined]
        super().changeEvent(event)  # type: ignore[misc]


def draw_badge(painter: QPainter, rect: QRectF, text: str, colour: QColor) -> None:
    """A rounded label in ``colour`` with white text (closure, verdict)."""
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(rect, 4, 4)
    painter.setPen(QColor("white"))
    painter.drawText(rect.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    painter.restore()


def draw_empty(painter: QPainter, rect: QRectF, text: str) -> None:
    painter.save()
    painter.setPen(MUTED)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.restore()


def render(widget: QWidget, width: int = 900) -> QPixmap:
    """The view painted at ``width`` (tests, screenshots): ``grab`` after a resize."""
    widget.resize(width, max(widget.sizeHint().height(), widget.minimumHeight(), 120))
    return widget.grab()
