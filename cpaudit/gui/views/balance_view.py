# SPDX-License-Identifier: Apache-2.0
"""The material, pollutant and water balances of the audit focus as Sankey-style diagrams.

A balance is chosen in a list above the diagram; the diagram carries the
closure badge (green: the deviation is within the tolerance set on the
settings step or on the balance, red: it is not) and, for several unit
operations, the closure of each. Streams are bands as wide as their quantity;
estimated streams are marked "≈"; what does not close is a hatched band.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from cpaudit.gui.views.common import (
    ACCENT, BAD, GOOD, INK, KIND_COLOURS, MUTED, RULE, draw_badge, draw_empty, fitted, fmt_number, fmt_percent, num, small_font,
)
from cpaudit.gui.views.sankey_layout import UNACCOUNTED, Node, SankeyLayout, build_layout
from cpaudit.i18n import N_, _

SECTIONS = (("material_balance", N_("Material balance")), ("pollutant_balance", N_("Pollutant balance")),
            ("water_balance", N_("Water balance")))
KIND_LABELS = {
    "input": N_("Input"), "intermediate": N_("Internal stream"), "product": N_("Product"),
    "by_product": N_("By-product"), "waste_water": N_("Waste water"), "waste_gas": N_("Waste gas"),
    "solid_waste": N_("Solid waste"), "hazardous_waste": N_("Hazardous waste"), "loss": N_("Loss"),
    "accumulation": N_("Stock change"), UNACCOUNTED: N_("Unaccounted"),
}
TOP, BADGE_H, PLOT_H, LEGEND_H = 40.0, 26.0, 260.0, 26.0


def balances_of(figures: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(section label msgid, balance) for every balance that could be computed."""
    out = []
    for section, label in SECTIONS:
        for b in (figures.get(section) or {}).get("balances") or []:
            if b.get("status") == "ok" and b.get("streams"):
                out.append((label, b))
    return out


class SankeyDiagram(QWidget):
    """One balance painted: inputs │ unit operations │ outputs, with the closure badge."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sankey_diagram")
        self.setMouseTracking(True)
        self.balance: dict[str, Any] | None = None
        self.layout_: SankeyLayout | None = None
        self.badge_rect = QRectF()
        self._hits: list[tuple[QRectF, str]] = []
        self.setMinimumHeight(200)

    # -- data ------------------------------------------------------------------------------
    def set_balance(self, balance: dict[str, Any] | None) -> None:
        self.balance = balance
        line = QFontMetricsF(small_font(self)).height() + 2
        self.layout_ = build_layout(balance, PLOT_H, line) if balance else None
        self.updateGeometry()
        self.update()

    @property
    def closes(self) -> bool | None:
        return None if self.balance is None else bool(self.balance.get("closes"))

    def badge_colour(self) -> QColor:
        return GOOD if self.closes else BAD

    def badge_text(self) -> str:
        b = self.balance or {}
        overall = b.get("overall") or {}
        values = {"dev": fmt_percent(overall.get("deviation_pct"), 2), "tol": fmt_percent(b.get("tolerance_pct"), 1)}
        if self.closes:
            return _("Closes · deviation {dev} (tolerance {tol})").format(**values)
        return _("Does not close · deviation {dev} (tolerance {tol})").format(**values)

    def _operations(self) -> list[dict[str, Any]]:
        ops = (self.balance or {}).get("unit_operations") or []
        return ops if len(ops) > 1 else []

    def sizeHint(self) -> QSize:
        plot = self.layout_.height if self.layout_ else PLOT_H
        line = QFontMetricsF(small_font(self)).height() + 4
        return QSize(860, int(TOP + 24 + plot + 16 + LEGEND_H + line * len(self._operations()) + 12))

    def minimumSizeHint(self) -> QSize:
        return QSize(480, self.sizeHint().height())

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        self._hits = []
        if not self.balance or not self.layout_:
            draw_empty(p, QRectF(self.rect()), _("No balance can be drawn yet: enter the streams of the balance below."))
            p.end()
            return
        width = float(self.width())
        b = self.balance
        unit = b.get("unit") or ""
        p.setFont(small_font(self, 1, bold=True))
        p.setPen(INK)
        title = f"{b.get('name') or ''} · {b.get('component') or ''} ({unit})"
        p.setFont(small_font(self))
        badge = self.badge_text()
        badge_w = QFontMetricsF(p.font()).horizontalAdvance(badge) + 20
        self.badge_rect = QRectF(width - badge_w - 12, 8, badge_w, BADGE_H)
        draw_badge(p, self.badge_rect, badge, self.badge_colour())
        p.setFont(small_font(self, 1, bold=True))
        p.setPen(INK)
        p.drawText(QRectF(12, 8, width - badge_w - 36, BADGE_H), Qt.AlignmentFlag.AlignVCenter,
                   fitted(QFontMetricsF(p.font()), title, width - badge_w - 36))
        overall = b.get("overall") or {}
        p.setFont(small_font(self))
        p.setPen(MUTED)
        totals = _("Σ in {total_in} · Σ out {total_out} {unit}").format(
            total_in=fmt_number(overall.get("total_in")), total_out=fmt_number(overall.get("total_out")), unit=unit)
        p.drawText(QRectF(12, TOP - 2, width - 24, 20), Qt.AlignmentFlag.AlignVCenter, totals)
        y0 = TOP + 24
        self._paint_flows(p, self.layout_, y0, width, unit)
        y = y0 + self.layout_.height + 16
        y = self._paint_legend(p, y, width)
        self._paint_operations(p, y, width, unit)
        p.end()

    def _columns_x(self, layout: SankeyLayout, width: float) -> tuple[list[float], float, float]:
        label_l, label_r = width * 0.22, width * 0.25
        span = width - label_l - label_r - 24
        step = span / max(layout.columns - 1, 1)
        return [12 + label_l + c * step for c in range(layout.columns)], label_l, label_r

    def _paint_flows(self, p: QPainter, layout: SankeyLayout, y0: float, width: float, unit: str) -> None:
        xs, label_l, label_r = self._columns_x(layout, width)
        node_w = 10.0
        last = layout.columns - 1
        for lk in layout.links:
            x1 = xs[lk.src.column] + node_w
            x2 = xs[lk.dst.column]
            a, b2 = y0 + lk.y_src, y0 + lk.y_dst
            t = lk.thickness
            mid = (x1 + x2) / 2
            path = QPainterPath(QPointF(x1, a))
            path.cubicTo(QPointF(mid, a), QPointF(mid, b2), QPointF(x2, b2))
            path.lineTo(x2, b2 + t)
            path.cubicTo(QPointF(mid, b2 + t), QPointF(mid, a + t), QPointF(x1, a + t))
            path.closeSubpath()
            colour = QColor(KIND_COLOURS.get(lk.kind, "#b0bec5"))
            colour.setAlpha(150)
            brush = QBrush(colour)
            if lk.kind == UNACCOUNTED:
                brush = QBrush(BAD if not self.closes else MUTED, Qt.BrushStyle.BDiagPattern)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(brush)
            p.drawPath(path)
        metrics = QFontMetricsF(small_font(self))
        p.setFont(small_font(self))
        for n in layout.nodes:
            rect = QRectF(xs[n.column], y0 + n.y, node_w, n.height)
            colour = QColor("#455a64") if n.kind == "operation" else QColor(KIND_COLOURS.get(n.kind, "#b0bec5"))
            p.setPen(Qt.PenStyle.NoPen if n.measured else QPen(INK, 1, Qt.PenStyle.DashLine))
            p.setBrush(colour)
            p.drawRect(rect)
            label, amount = self._node_text(n, unit)
            self._hits.append((rect.adjusted(-4, -4, 4, 4), self._node_tip(n, unit)))
            p.setPen(INK if n.kind != UNACCOUNTED else (BAD if not self.closes else ACCENT))
            if n.column == 0:
                box = QRectF(12, rect.center().y() - 9, label_l - 6, 18)
                p.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self._fit(metrics, label, amount, box.width()))
                self._hits.append((box, self._node_tip(n, unit)))
            elif n.column == last:
                box = QRectF(rect.right() + 6, rect.center().y() - 9, label_r - 4, 18)
                p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self._fit(metrics, label, amount, box.width()))
                self._hits.append((box, self._node_tip(n, unit)))
            else:  # a unit operation: its name above the bar
                step = xs[1] - xs[0] if len(xs) > 1 else 120
                box = QRectF(rect.center().x() - step / 2 + 4, rect.top() - 18, step - 8, 16)
                p.setPen(INK)
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, fitted(metrics, n.label, box.width()))
                self._hits.append((box, self._node_tip(n, unit)))

    def _node_text(self, n: Node, unit: str) -> tuple[str, str]:
        label = _("Unaccounted") if n.kind == UNACCOUNTED else n.label
        mark = "" if n.measured else "≈ "
        return f"{mark}{label}", f"{fmt_number(n.value)} {unit}"

    @staticmethod
    def _fit(metrics: QFontMetricsF, label: str, amount: str, width: float) -> str:
        """Shorten the name, never the quantity: the number is what the diagram is for."""
        room = width - metrics.horizontalAdvance("  " + amount)
        return f"{fitted(metrics, label, room)}  {amount}" if room > 24 else fitted(metrics, amount, width)

    def _node_tip(self, n: Node, unit: str) -> str:
        kind = _(KIND_LABELS.get(n.kind, n.kind)) if n.kind != "operation" else _("Unit operation")
        basis = "" if n.measured else " · " + _("estimated")
        name = _("Unaccounted") if n.kind == UNACCOUNTED else n.label
        return f"{name}\n{kind}: {fmt_number(n.value)} {unit}{basis}"

    def _paint_legend(self, p: QPainter, y: float, width: float) -> float:
        assert self.layout_ is not None
        kinds = []
        for n in self.layout_.nodes:
            if n.kind != "operation" and n.kind not in kinds:
                kinds.append(n.kind)
        entries = [(_(KIND_LABELS.get(k, k)), k) for k in kinds]
        if any(not n.measured for n in self.layout_.nodes):
            entries.append((_("≈ estimated"), ""))
        p.setFont(small_font(self, -0.5))
        metrics = QFontMetricsF(p.font())
        x = 12.0
        for label, kind in entries:
            w = metrics.horizontalAdvance(label) + 30
            if x + w > width - 12:
                break
            if kind:
                brush = QBrush(QColor(KIND_COLOURS.get(kind, "#b0bec5")))
                if kind == UNACCOUNTED:
                    brush = QBrush(BAD if not self.closes else MUTED, Qt.BrushStyle.BDiagPattern)
                p.setPen(QPen(RULE))
                p.setBrush(brush)
                p.drawRect(QRectF(x, y + 5, 12, 12))
            p.setPen(INK)
            p.drawText(QRectF(x + 16, y, w - 16, 22), Qt.AlignmentFlag.AlignVCenter, label)
            x += w
        return y + LEGEND_H

    def _paint_operations(self, p: QPainter, y: float, width: float, unit: str) -> None:
        p.setFont(small_font(self))
        line = QFontMetricsF(p.font()).height() + 4
        for op in self._operations():
            ok = bool(op.get("closes"))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(GOOD if ok else BAD)
            p.drawEllipse(QRectF(14, y + line / 2 - 4, 8, 8))
            p.setPen(INK)
            text = _("{name}: Σ in {total_in} · Σ out {total_out} {unit} · deviation {dev}").format(
                name=op.get("name"), total_in=fmt_number(op.get("total_in")), total_out=fmt_number(op.get("total_out")),
                unit=unit, dev=fmt_percent(op.get("deviation_pct"), 2))
            p.drawText(QRectF(28, y, width - 40, line), Qt.AlignmentFlag.AlignVCenter, text)
            y += line

    def event(self, event: Any) -> bool:
        if event.type() == event.Type.ToolTip:
            tip = next((t for r, t in self._hits if r.contains(event.position() if hasattr(event, "position") else QPointF(event.pos()))), "")
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class BalanceView(QWidget):
    """The list of balances and the diagram of the chosen one."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("balance_view")
        self.balances: list[tuple[str, dict[str, Any]]] = []
        self.chooser_label = QLabel(self)
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("balance_chooser")
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plant_label = QLabel(self)
        self.plant_label.setProperty("role", "help")
        self.diagram = SankeyDiagram(self)
        top = QHBoxLayout()
        top.addWidget(self.chooser_label)
        top.addWidget(self.chooser)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.diagram)
        layout.addWidget(self.plant_label)
        self.chooser.currentIndexChanged.connect(self._show)
        self._plant: dict[str, Any] = {}
        self.retranslate()

    def set_figures(self, figures: dict[str, Any]) -> None:
        chosen = self.chooser.currentText()
        self.balances = balances_of(figures)
        self._plant = (figures.get("water_balance") or {}).get("plant") or {}
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for label, b in self.balances:
            self.chooser.addItem(_("{kind}: {name}").format(kind=_(label), name=b.get("name") or b.get("component")))
        index = self.chooser.findText(chosen)
        self.chooser.setCurrentIndex(index if index >= 0 else 0)
        self.chooser.blockSignals(False)
        self.chooser.setEnabled(bool(self.balances))
        self._show()

    def select(self, index: int) -> None:
        self.chooser.setCurrentIndex(index)

    def _show(self) -> None:
        index = self.chooser.currentIndex()
        self.diagram.set_balance(self.balances[index][1] if 0 <= index < len(self.balances) else None)
        plant = self._plant
        if plant and plant.get("deviation_pct") is not None:
            self.plant_label.setText(_("Whole plant: total water use {total} m³, reuse rate {reuse}, "
                                       "balance deviation {dev}, fresh water per unit product {unit}.").format(
                total=fmt_number(plant.get("total_use")), reuse=fmt_percent(plant.get("reuse_rate_pct"), 2),
                dev=fmt_percent(plant.get("deviation_pct"), 2), unit=plant.get("unit_intake") or "—"))
        water = 0 <= index < len(self.balances) and self.balances[index][1].get("type") == "water"
        self.plant_label.setVisible(water and bool(plant) and num(plant.get("deviation_pct")) is not None)

    def retranslate(self) -> None:
        self.chooser_label.setText(_("Balance:"))
        if self.balances:
            index = self.chooser.currentIndex()
            self.chooser.blockSignals(True)
            for i, (label, b) in enumerate(self.balances):
                self.chooser.setItemText(i, _("{kind}: {name}").format(kind=_(label), name=b.get("name") or b.get("component")))
            self.chooser.setCurrentIndex(index)
            self.chooser.blockSignals(False)
        self._show()
