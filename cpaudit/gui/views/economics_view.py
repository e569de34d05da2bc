# SPDX-License-Identifier: Apache-2.0
"""The economics of each medium/high-cost option: I … IRR, payback against its norm, verdict.

The calculation settings the figures rest on (discount rate, composite tax rate,
depreciation period Y, economic life, benchmark rate of return) are printed above the
table, so nobody reads an IRR without knowing what it was compared with.
Below, a painted chart puts each payback period N next to its norm.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from cpaudit import formatting
from cpaudit.formatting import RATE_PLACES
from cpaudit.gui.views.common import (
    CAUTION, GOOD, INK, MUTED, RULE, FollowsFont, draw_empty, fitted, fmt_number, fmt_percent, line_box, num, small_font,
)
from cpaudit.i18n import N_, _

# (key, header msgid, tooltip msgid, money?)
COLUMNS = (
    ("option", N_("Option"), "", False),
    ("I", N_("I"), N_("Total investment ({unit})"), True),
    ("P", N_("P"), N_("Annual operating saving ({unit})"), True),
    ("D", N_("D"), N_("Annual depreciation = I / Y ({unit})"), True),
    ("T", N_("T"), N_("Increase of taxable profit = P − D ({unit})"), True),
    ("E", N_("E"), N_("Net profit after tax ({unit})"), True),
    ("F", N_("F"), N_("Annual net cash flow = E + D ({unit})"), True),
    ("N", N_("N / norm"), N_("Payback period N = I / F against the norm of the option's cost class (years)"), False),
    ("npv", N_("NPV"), N_("Net present value at the discount rate ({unit})"), True),
    ("npvr", N_("NPVR"), N_("Net present value ratio = NPV / I"), False),
    ("irr", N_("IRR"), N_("Internal rate of return, compared with the benchmark"), False),
    ("verdict", N_("Verdict"), N_("Feasible when N is within the norm, NPV ≥ 0 and IRR ≥ the benchmark"), False),
)


def priced_options(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in (figures.get("economics") or {}).get("options") or [] if "I" in o]


# A payback this many times the longest norm is off the chart's scale: an option that barely
# earns anything (N in the hundreds of years) must not squash every other bar to a sliver.
OFF_SCALE = 2.5


def payback_scale(options: list[dict[str, Any]]) -> float:
    """The years at the right end of the plot: every norm and every N up to OFF_SCALE × the longest norm fit."""
    norms = [v for v in (num(o.get("norm")) for o in options) if v is not None]
    periods = [v for v in (num(o.get("N")) for o in options) if v is not None and v >= 0]
    top = max(periods + norms + [1.0])
    if norms:
        top = min(top, OFF_SCALE * max(norms))
    return top * 1.1


class PaybackChart(FollowsFont, QWidget):
    """One row per option: the bar is N, the tick its norm; a bar past its tick is drawn orange,
    and a bar past the scale (``payback_scale``) ends in a break mark, its value written beside it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("payback_chart")
        self.options: list[dict[str, Any]] = []

    def set_options(self, options: list[dict[str, Any]]) -> None:
        self.options = options
        self.updateGeometry()
        self.update()

    # Heights from the font (20 and 24 px at the normal size): see ``line_box``.
    @property
    def title_h(self) -> float:
        return line_box(self, 20.0, 1.4)

    @property
    def row_h(self) -> float:
        return line_box(self, 24.0, 1.7)

    def rows_top(self) -> float:
        return 2 + self.title_h + 4

    def sizeHint(self) -> QSize:
        return QSize(700, int(self.rows_top() + self.row_h * max(len(self.options), 1) + 14))

    def minimumSizeHint(self) -> QSize:
        return QSize(360, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        p.setFont(small_font(self))
        metrics = QFontMetricsF(p.font())
        if not self.options:
            draw_empty(p, QRectF(self.rect()), _("No option has been priced yet."))
            p.end()
            return
        width = float(self.width())
        p.setPen(INK)
        p.drawText(QRectF(8, 2, width - 16, self.title_h), Qt.AlignmentFlag.AlignVCenter,
                   _("Payback period N against the norm (years)"))
        label_w, right = min(width * 0.28, 240.0), 90.0
        top = payback_scale(self.options)
        plot_w = width - label_w - right - 16

        def x_of(v: float) -> float:
            return label_w + 12 + plot_w * min(v, top) / top

        y, row_h = self.rows_top(), self.row_h
        for o in self.options:
            name = f"{o.get('number')} {o.get('name') or ''}"
            p.setPen(INK)
            p.drawText(QRectF(8, y, label_w, row_h), Qt.AlignmentFlag.AlignVCenter, fitted(metrics, name, label_w))
            n, norm = num(o.get("N")), num(o.get("norm"))
            p.setPen(QPen(RULE))
            p.drawLine(int(label_w + 12), int(y + row_h - 2), int(label_w + 12 + plot_w), int(y + row_h - 2))
            if n is not None and n >= 0:
                within = norm is None or n <= norm
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(GOOD if within else CAUTION)
                p.drawRect(QRectF(label_w + 12, y + 6, max(x_of(n) - label_w - 12, 2.0), row_h - 12))
                if n > top:
                    self._break_mark(p, x_of(top) - 14, y + 4, row_h)
                text = _("{n} yr").format(n=fmt_number(n, 2))
            else:
                text = _("never")
            if norm is not None:
                p.setPen(QPen(INK, 2))
                p.drawLine(int(x_of(norm)), int(y + 2), int(x_of(norm)), int(y + row_h - 2))
            p.setPen(INK if n is not None and n >= 0 else MUTED)
            p.drawText(QRectF(label_w + 16 + plot_w, y, right, row_h), Qt.AlignmentFlag.AlignVCenter, text)
            y += row_h
        p.end()

    def _break_mark(self, p: QPainter, x: float, y: float, row_h: float) -> None:
        """Two white slashes across the bar: it goes on beyond the scale."""
        p.setPen(QPen(QColor("white"), 2.5))
        for dx in (0.0, 5.0):
            p.drawLine(int(x + dx), int(y + row_h - 8), int(x + dx + 5), int(y))


class EconomicsView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("economics_view")
        self.options: list[dict[str, Any]] = []
        self._settings: dict[str, Any] = {}
        self._norms: dict[str, Any] = {}
        self.settings_label = QLabel(self)
        self.settings_label.setObjectName("economics_settings")
        self.settings_label.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setObjectName("economics_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self._normal_row = self.table.verticalHeader().defaultSectionSize()  # the style's, at the normal font
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setColumnCount(len(COLUMNS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for part in (self.table, self.table.horizontalHeader()):
            part.installEventFilter(self)
        # The sideways scroll bar comes and goes with the width: the rows stay whole above it.
        self.table.horizontalScrollBar().rangeChanged.connect(lambda _lo, _hi: self._fit_table())
        self.chart = PaybackChart(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.settings_label)
        layout.addWidget(self.table)
        layout.addWidget(self.chart)
        self.retranslate()

    def set_figures(self, figures: dict[str, Any]) -> None:
        econ = figures.get("economics") or {}
        self._settings = econ.get("settings") or {}
        self._norms = econ.get("payback_norms") or {}
        self.options = priced_options(figures)
        self.chart.set_options(self.options)
        self._fill()

    def verdict_text(self, option: dict[str, Any]) -> str:
        return {"pass": _("feasible"), "fail": _("not feasible")}.get(option.get("verdict") or "", "—")

    def _fill(self) -> None:
        s = self._settings
        # The names and the decimals of the calculation settings page, so the two screens read alike.
        self.settings_label.setText(_(
            "Discount rate {i} · composite tax rate {tax} · depreciation period Y {y} yr · economic life {n} yr · "
            "benchmark rate of return {irr} · payback norms: medium-cost {medium} yr, high-cost {high} yr").format(
            i=fmt_percent(s.get("discount_rate"), RATE_PLACES), tax=fmt_percent(s.get("income_tax_rate"), RATE_PLACES),
            y=fmt_number(s.get("depreciation_years"), 0), n=fmt_number(s.get("economic_life"), 0),
            irr=fmt_percent(s.get("benchmark_irr"), RATE_PLACES), medium=fmt_number(self._norms.get("medium")),
            high=fmt_number(self._norms.get("high"))))
        self.table.setRowCount(len(self.options))
        for row, o in enumerate(self.options):
            for col, (key, _head, _tip, money) in enumerate(COLUMNS):
                item = QTableWidgetItem(self._cell(o, key, money))
                if key != "option":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if key == "option":
                    item.setToolTip(f"{o.get('number')} {o.get('name') or ''}")
                if key == "N":
                    n, norm = num(o.get("N")), num(o.get("norm"))
                    if n is None or (norm is not None and n > norm):
                        item.setForeground(CAUTION)
                if key == "verdict":
                    item.setForeground(GOOD if o.get("verdict") == "pass" else CAUTION)
                    if o.get("decision_reason"):
                        item.setToolTip(_("Decision: {reason}").format(reason=o["decision_reason"]))
                self.table.setItem(row, col, item)
        self.table.setVisible(bool(self.options))
        self._fit_table()

    def _fit_table(self) -> None:
        """Rows, header and the table's fixed height from the current font, room for the sideways
        scroll bar included: set once at the normal size, the 1.6× text of presentation mode showed
        3½ of 4 rows, the last one cut by the scroll bar."""
        row_h = max(self._normal_row, self.table.fontMetrics().height() + 12)
        self.table.verticalHeader().setDefaultSectionSize(row_h)
        header = self.table.horizontalHeader()
        header_h = header.sizeHint().height()
        rows_h = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        bar = self.table.horizontalScrollBar()
        bar_h = bar.sizeHint().height() if bar.maximum() > 0 else 0
        self.table.setFixedHeight(header_h + rows_h + 2 * self.table.frameWidth() + 2 + bar_h)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The table and its header each get the new font on their own, in no fixed order, and the
        # header's size hint follows only once it has handled the event: fit now and after it.
        if event.type() == QEvent.Type.FontChange:
            self._fit_table()
            QTimer.singleShot(0, self, self._fit_table)
        return False

    def _cell(self, o: dict[str, Any], key: str, money: bool) -> str:
        if key == "option":
            return f"{o.get('number')} {o.get('name') or ''}"
        if key == "N":
            n = o.get("N")
            years = fmt_number(n, 2) if n is not None else _("never")
            return f"{years} / {fmt_number(o.get('norm'))}"
        if key == "irr":
            value = o.get("irr") if o.get("irr") is not None else o.get("irr_interpolated")
            return fmt_percent(value, 2)
        if key == "npvr":
            return fmt_percent(o.get("npvr"), 1)
        if key == "verdict":
            return self.verdict_text(o)
        return formatting.number(num(o.get(key)), 2) if num(o.get(key)) is not None else "—"

    def retranslate(self) -> None:
        unit = formatting.unit_label("万元")
        heads = []
        for key, head, _tip, money in COLUMNS:
            heads.append(f"{_(head)} ({unit})" if money and key in ("I", "npv") else _(head))
        self.table.setHorizontalHeaderLabels(heads)
        for col, (key, _head, tip, money) in enumerate(COLUMNS):
            if tip:  # money in the enterprise side's unit label: 万元 / 10k CNY, per year but I and NPV
                per_year = formatting.unit_label("万元" if key in ("I", "npv") else "万元/a")
                self.table.horizontalHeaderItem(col).setToolTip(_(tip).format(unit=per_year) if money else _(tip))
        self._fill()
