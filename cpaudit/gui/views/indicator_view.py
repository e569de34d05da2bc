# SPDX-License-Identifier: Apache-2.0
"""The plant against the sector indicator system: level per indicator, and the gap list.

A grid shows, per applicable indicator, the level reached (Ⅰ, Ⅱ, Ⅲ, below Ⅲ)
in the baseline year and, once results are in, after the audit (arrow). The
gap list says how far each indicator is from the next level's benchmark.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from cpaudit.gui.views.common import (
    ACCENT, INK, MUTED, RULE, SERIES_A, SERIES_B, FollowsFont, draw_empty, fitted, fmt_number, line_box, small_font,
)
from cpaudit.calc.indicators import system_title
from cpaudit.i18n import _, current_language

LEVELS = ("I", "II", "III", "below")
ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ"}


def level_text(level: str | None) -> str:
    if level is None:
        return _("not assessed")
    if level == "below":
        return _("below level III")
    return _("level {level}").format(level=ROMAN.get(level, level))


GAP_SHARES = (0.40, 0.14, 0.14, 0.16, 0.16)  # of the width: indicator, target level, current, benchmark, gap
NUMERIC_GAP_COLUMNS = (2, 3, 4)


class IndicatorView(FollowsFont, QWidget):

    def __init__(self, parent: QWidget | None = None, names: Callable[[str, str | None], str] | None = None,
                 show_after: bool = True):
        super().__init__(parent)
        self.setObjectName("indicator_view")
        self.names = names  # key, Chinese name → the label in the UI language
        self.show_after = show_after  # False on the baseline step: the result after the audit does not exist yet there
        self.evaluation: dict[str, Any] = {}
        self.rows: list[dict[str, Any]] = []
        self.gaps: list[dict[str, Any]] = []
        self.after: dict[str, str] = {}

    def set_figures(self, figures: dict[str, Any]) -> None:
        ev = figures.get("indicator_evaluation") or {}
        self.evaluation = ev if ev.get("status") == "ok" else {}
        outcomes = self.evaluation.get("outcomes") or []
        self.rows = [o for o in outcomes if o.get("applicable", True)]
        after = (figures.get("indicator_after") or {}).get("after") or {}
        self.after = (after.get("indicators") or {}) if self.show_after else {}
        self.gaps = [g for g in self.evaluation.get("gaps") or [] if g.get("gap") is not None]
        self.updateGeometry()
        self.update()

    def name(self, key: str, name_zh: str | None) -> str:
        if self.names is not None:
            return self.names(key, name_zh)
        return name_zh if (current_language() == "zh_CN" and name_zh) else (name_zh or key)

    # Heights from the font (22, 18, 22 and 20 px at the normal size): see ``line_box``.
    @property
    def title_h(self) -> float:
        return line_box(self, 22.0, 1.25, 1, bold=True)

    @property
    def line_h(self) -> float:
        """The summary and the legend."""
        return line_box(self, 18.0, 1.3)

    @property
    def row_h(self) -> float:
        return line_box(self, 22.0, 1.5)

    @property
    def gap_row_h(self) -> float:
        return line_box(self, 20.0, 1.4)

    def grid_top(self) -> float:
        """y of the level heads, under the title and the summary line."""
        return 2 + self.title_h + self.line_h + 4

    def gaps_top(self) -> float:
        """y of the gap table's rule, under the grid and the legend."""
        return self.grid_top() + self.row_h * (1 + len(self.rows)) + self.line_h + 6

    def sizeHint(self) -> QSize:
        grid = self.grid_top() + self.row_h * (1 + max(len(self.rows), 2)) + self.line_h + 6
        gaps = (len(self.gaps) + 1) * self.gap_row_h if self.gaps else 0
        return QSize(860, int(grid + gaps + 10))

    def minimumSizeHint(self) -> QSize:
        return QSize(480, self.sizeHint().height())

    def title_text(self) -> str:
        """The system in the current language (the evaluation stores its id and Chinese title)."""
        ev = self.evaluation
        return system_title(str(ev.get("system") or ""), current_language(), ev.get("title_zh")) if ev else ""

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        if not self.rows:
            draw_empty(p, QRectF(self.rect()), _("No indicator system result yet: choose the system and enter the indicator values."))
            p.end()
            return
        width = float(self.width())
        font = small_font(self)
        metrics = QFontMetricsF(font)
        ev = self.evaluation
        title = self.title_text()
        counts = ev.get("counts") or {}
        level = level_text(ev.get("level")) if ev.get("scored") else _("not scored (the system is only partly transcribed)")
        p.setFont(small_font(self, 1, bold=True))
        p.setPen(INK)
        row_h, title_h, line_h = self.row_h, self.title_h, self.line_h
        p.drawText(QRectF(8, 2, width - 16, title_h), Qt.AlignmentFlag.AlignVCenter,
                   fitted(QFontMetricsF(p.font()), str(title or ""), width - 16))
        p.setFont(font)
        summary = _("Overall: {level} · Ⅰ {i} · Ⅱ {ii} · Ⅲ {iii} · below Ⅲ {below} · not assessed {na}").format(
            level=level, i=counts.get("I", 0), ii=counts.get("II", 0), iii=counts.get("III", 0),
            below=counts.get("below", 0), na=counts.get("not_assessed", 0))
        p.setPen(MUTED)
        p.drawText(QRectF(8, 2 + title_h, width - 16, line_h), Qt.AlignmentFlag.AlignVCenter, fitted(metrics, summary, width - 16))
        label_w = min(width * 0.38, 330.0)
        col_w = (width - label_w - 24) / len(LEVELS)
        y = self.grid_top()
        p.setPen(INK)
        for k, lv in enumerate(LEVELS):  # column heads
            p.drawText(QRectF(label_w + 12 + k * col_w, y, col_w, row_h), Qt.AlignmentFlag.AlignCenter, level_text(lv))
        y += row_h
        for i, o in enumerate(self.rows):
            if i % 2 == 0:
                p.fillRect(QRectF(4, y, width - 8, row_h), QColor("#f5f7f8"))
            p.setPen(INK if o.get("assessed") else MUTED)
            name = self.name(o["key"], o.get("name_zh")) + (" ★" if o.get("limiting") else "")
            p.drawText(QRectF(8, y, label_w, row_h), Qt.AlignmentFlag.AlignVCenter, fitted(metrics, name, label_w))
            before, after = o.get("level"), self.after.get(o["key"])
            centre = {lv: QPointF(label_w + 12 + (k + 0.5) * col_w, y + row_h / 2) for k, lv in enumerate(LEVELS)}
            if before in centre and after in centre and after != before:
                p.setPen(QPen(SERIES_B, 2))
                p.drawLine(centre[before], centre[after])
            if before in centre:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(SERIES_A)
                p.drawEllipse(centre[before], 6, 6)
            elif not o.get("assessed"):
                p.setPen(MUTED)
                p.drawText(QRectF(label_w + 12, y, col_w * 4, row_h), Qt.AlignmentFlag.AlignCenter, _("not assessed"))
            if after in centre:
                p.setPen(QPen(QColor("white"), 1))
                p.setBrush(SERIES_B)
                p.drawEllipse(centre[after], 6, 6)
            y += row_h
        p.setPen(MUTED)
        legend = _("● grey: baseline year") + ("   " + _("● teal: after the audit") if self.after else "") + "   " + _("★ limiting indicator")
        p.drawText(QRectF(8, y + 2, width - 16, line_h), Qt.AlignmentFlag.AlignVCenter, fitted(metrics, legend, width - 16))
        if self.gaps:
            self._paint_gaps(p, self.gaps_top(), width, metrics)
        p.end()

    @staticmethod
    def gap_columns(width: float) -> list[tuple[float, float, Qt.AlignmentFlag]]:
        """x, width and alignment of each column of the gap table: the numbers (current, benchmark,
        gap) right-aligned, so that their digits line up."""
        columns, x = [], 8.0
        for k, share in enumerate(GAP_SHARES):
            align = Qt.AlignmentFlag.AlignRight if k in NUMERIC_GAP_COLUMNS else Qt.AlignmentFlag.AlignLeft
            columns.append((x, (width - 16) * share - 6, align | Qt.AlignmentFlag.AlignVCenter))
            x += (width - 16) * share
        return columns

    def _paint_gaps(self, p: QPainter, y: float, width: float, metrics: QFontMetricsF) -> None:
        heads = (_("Gap to the next level"), _("Target level"), _("Current"), _("Benchmark"), _("Gap"))
        columns, row_h = self.gap_columns(width), self.gap_row_h
        p.setPen(QPen(RULE))
        p.drawLine(QPointF(8, y), QPointF(width - 8, y))
        p.setPen(ACCENT)
        for (x, w, align), head in zip(columns, heads):
            p.drawText(QRectF(x, y, w, row_h), align, head)
        y += row_h
        names = {o["key"]: o.get("name_zh") for o in self.evaluation.get("outcomes") or []}
        for g in self.gaps:
            unit = g.get("unit") or ""
            cells = (self.name(g["key"], names.get(g["key"])) + (" ★" if g.get("limiting") else ""),
                     level_text(g.get("target_level")), f"{fmt_number(g.get('current'))} {unit}".strip(),
                     f"{fmt_number(g.get('benchmark'))} {unit}".strip(), f"{fmt_number(g.get('gap'))} {unit}".strip())
            p.setPen(INK)
            for (x, w, align), cell in zip(columns, cells):
                p.drawText(QRectF(x, y, w, row_h), align, fitted(metrics, cell, w))
            y += row_h
