# SPDX-License-Identifier: Apache-2.0
"""Cleaner production targets against what was achieved, as change from the baseline year.

Each target is a row: the grey bar is the planned change, the teal bar the
achieved one (at acceptance); before implementation the near- and long-term
targets are shown instead. A status chip says reached / not reached / pending.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from cpaudit.calc.targets import MAINTAIN
from cpaudit.gui.views.common import (
    CAUTION, GOOD, INK, MUTED, RULE, SERIES_A, SERIES_B, FollowsFont, draw_badge, draw_empty, fitted, fmt_number,
    fmt_percent, line_box, num, small_font,
)
from cpaudit.i18n import N_, _

STATUS = {"reached": (N_("reached"), GOOD), "not_reached": (N_("not reached"), CAUTION), "pending": (N_("pending"), MUTED)}


def target_rows(figures: dict[str, Any], planned_only: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """("achieved", rows) when results are in, else ("planned", rows) from the targets step."""
    achieved = (figures.get("target_achievement") or {}).get("targets") or []
    if achieved and not planned_only:
        rows = []
        for r in achieved:
            base, goal, done = num(r.get("baseline")), num(r.get("target")), num(r.get("achieved"))
            rows.append({"label": r.get("indicator") or "", "unit": r.get("unit") or "", "baseline": base,
                         "a": (goal - base) / base * 100 if base and goal is not None else None,
                         "b": (done - base) / base * 100 if base and done is not None else None,
                         "a_value": goal, "b_value": done, "status": r.get("status") or "pending",
                         "maintain": r.get("direction") in MAINTAIN})
        return "achieved", rows
    planned = (figures.get("targets") or {}).get("targets") or []
    return "planned", [{"label": r.get("indicator") or "", "unit": r.get("unit") or "", "baseline": num(r.get("baseline")),
                        "a": num(r.get("near_change_pct")), "b": num(r.get("long_change_pct")),
                        "a_value": num(r.get("near")), "b_value": num(r.get("long")), "status": None,
                        "maintain": r.get("direction") in MAINTAIN} for r in planned]


MIN_VALUE_W = 170.0  # px: the value column ("baseline → target / achieved") at its narrowest
MIN_PLOT_W = 160.0  # px: the bars give room to the values down to this


def detail(row: dict[str, Any]) -> str:
    """The values of a row: baseline → target / achieved (or near / long term)."""
    return f"{fmt_number(row['baseline'])} → {fmt_number(row['a_value'])} / {fmt_number(row['b_value'])}"


class TargetsView(FollowsFont, QWidget):

    def __init__(self, parent: QWidget | None = None, planned_only: bool = False):
        super().__init__(parent)
        self.setObjectName("targets_view")
        self.planned_only = planned_only  # the step that sets the targets shows the plan, not the results
        self.mode, self.rows = "planned", []  # type: tuple[str, list[dict[str, Any]]]
        self.summary: dict[str, Any] = {}

    def set_figures(self, figures: dict[str, Any]) -> None:
        self.mode, self.rows = target_rows(figures, self.planned_only)
        self.summary = figures.get("target_achievement") or {}
        self.updateGeometry()
        self.update()

    # Heights from the font (22, 34 and 20 px at the normal size): see ``line_box``.
    @property
    def title_h(self) -> float:
        return line_box(self, 22.0, 1.25, 1, bold=True)

    @property
    def row_h(self) -> float:
        """Two bars and their percentages."""
        return line_box(self, 34.0, 2.2)

    @property
    def line_h(self) -> float:
        return line_box(self, 20.0, 1.4)

    def rows_top(self) -> float:
        return 4 + self.title_h + 8

    def sizeHint(self) -> QSize:
        return QSize(860, int(self.rows_top() + self.row_h * max(len(self.rows), 2) + self.line_h + 14))

    def minimumSizeHint(self) -> QSize:
        return QSize(480, self.sizeHint().height())

    def labels(self) -> tuple[str, str]:
        if self.mode == "achieved":
            return _("target"), _("achieved")
        return _("near-term target"), _("long-term target")

    def columns(self, width: float) -> tuple[float, float, float, float, float]:
        """label width, plot left and right, value width, chip width. The value column is as wide as
        its widest text and the plot gives way (down to MIN_PLOT_W): at a fixed 170 px the value that
        is the point of a row, '2,600,000 → 2,561,000 / 2,552,000', was cut to '2,55…'."""
        metrics = QFontMetricsF(small_font(self))
        label_w = min(width * 0.30, 280.0)
        chip_w = 96.0 if self.mode == "achieved" else 0.0
        widest = max((metrics.horizontalAdvance(detail(r)) + 4 for r in self.rows), default=0.0)
        room = width - label_w - chip_w - 32 - MIN_PLOT_W
        value_w = max(MIN_VALUE_W, min(widest, room))
        return label_w, label_w + 16, width - value_w - chip_w - 16, value_w, chip_w

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        if not self.rows:
            draw_empty(p, QRectF(self.rect()), _("No targets yet: set them on the step “Set cleaner production targets”."))
            p.end()
            return
        width = float(self.width())
        font = small_font(self)
        p.setFont(font)
        metrics = QFontMetricsF(font)
        p.setPen(INK)
        if self.mode == "achieved":
            title = _("Targets against achieved values: {reached} of {total} reached").format(
                reached=self.summary.get("reached", 0), total=self.summary.get("total", len(self.rows)))
        else:
            title = _("Planned change against the baseline year")
        p.setFont(small_font(self, 1, bold=True))
        title_h, row_h = self.title_h, self.row_h
        p.drawText(QRectF(8, 4, width * 0.6, title_h), Qt.AlignmentFlag.AlignVCenter, title)
        p.setFont(font)
        a_label, b_label = self.labels()
        x = width - 12.0
        for label, colour in ((b_label, SERIES_B), (a_label, SERIES_A)):  # legend, right-aligned
            w = metrics.horizontalAdvance(label)
            x -= w
            p.setPen(INK)
            p.drawText(QRectF(x, 4, w + 2, title_h), Qt.AlignmentFlag.AlignVCenter, label)
            x -= 16
            p.fillRect(QRectF(x, 4 + title_h / 2 - 5.5, 11, 11), colour)
            x -= 14
        label_w, plot_l, plot_r, value_w, chip_w = self.columns(width)
        values = [v for r in self.rows for v in (r["a"], r["b"]) if v is not None] + [0.0]
        lo, hi = min(values), max(values)
        span = (hi - lo) or 1.0
        lo, hi = lo - span * 0.08, hi + span * 0.08

        def x_of(v: float) -> float:
            return plot_l + (v - lo) / (hi - lo) * (plot_r - plot_l)

        top = self.rows_top()
        zero = x_of(0.0)
        p.setPen(QPen(RULE))
        p.drawLine(int(zero), int(top - 2), int(zero), int(top + row_h * len(self.rows)))
        y = top
        for r in self.rows:
            p.setPen(INK)
            name = f"{r['label']} ({r['unit']})" if r["unit"] else r["label"]
            p.drawText(QRectF(8, y, label_w, row_h), Qt.AlignmentFlag.AlignVCenter, fitted(metrics, name, label_w))
            bar_h = (row_h - 10) / 2
            if r["maintain"]:  # no planned change, so no bar: say what the target is, on the roomier side
                p.setPen(MUTED)
                right = plot_r - zero >= zero - plot_l
                room = max((plot_r - zero if right else zero - plot_l) - 6, 40.0)
                box = QRectF(zero + 6, y, room, row_h) if right else QRectF(zero - 6 - room, y, room, row_h)
                align = Qt.AlignmentFlag.AlignLeft if right else Qt.AlignmentFlag.AlignRight
                p.drawText(box, Qt.AlignmentFlag.AlignVCenter | align, fitted(metrics, _("kept at the baseline level"), room))
            for k, (key, colour) in enumerate((("a", SERIES_A), ("b", SERIES_B))):
                v = r[key]
                if v is None or r["maintain"]:
                    continue
                left, right = sorted((zero, x_of(v)))
                p.fillRect(QRectF(left, y + 5 + k * bar_h, max(right - left, 1.5), bar_h - 1), colour)
                p.setPen(MUTED)
                text = fmt_percent(v, 1)
                tw = metrics.horizontalAdvance(text) + 4
                tx = right + 3 if v >= 0 else left - tw - 3
                if tx + tw > plot_r + 4 or tx < plot_l - 4:  # no room outside the bar: print inside, in white
                    tx = right - tw - 2 if v >= 0 else left + 2
                    p.setPen(QColor("white"))
                p.drawText(QRectF(tx, y + 3 + k * bar_h, tw, bar_h + 2), Qt.AlignmentFlag.AlignVCenter, text)
            p.setPen(INK)
            p.drawText(QRectF(plot_r + 8, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter,
                       fitted(metrics, detail(r), value_w))
            if self.mode == "achieved" and r["status"]:
                text, colour = STATUS.get(r["status"], STATUS["pending"])
                draw_badge(p, QRectF(width - chip_w - 8, y + 6, chip_w, row_h - 12), _(text), colour)
            y += row_h
        p.setPen(MUTED)
        note = _("Values: baseline → {a} / {b}").format(a=a_label, b=b_label)
        # Under the whole chart, right-aligned to end under the value column it explains: in that
        # column alone it was cut off at every window size ("Values: baseline → near-ter…").
        p.drawText(QRectF(8, y + 2, width - 16, self.line_h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                   fitted(metrics, note, width - 16))
        p.end()
