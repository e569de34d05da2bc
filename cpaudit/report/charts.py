"""Charts and diagrams drawn from the audit's figures (reportlab.graphics).

Every chart takes plain data prepared by ``report.figure_blocks`` (already
translated) and a width in points, and returns a ``Drawing``. Shapes are drawn
directly rather than through reportlab's chart widgets: the layouts here (small
multiples, a Sankey-style balance, level grids) are not widget types, and
direct drawing keeps every string in the embedded CJK font.
"""

from __future__ import annotations

from typing import Any, Callable

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from cpaudit.report.glyphs import drawable
from cpaudit.report.styles import ACCENT, BAD, FONT, GOOD, INK, MUTED, RULE, SERIES

Chart = Callable[[dict[str, Any], float], Drawing]
CHARTS: dict[str, Chart] = {}


def chart(name: str) -> Callable[[Chart], Chart]:
    def deco(fn: Chart) -> Chart:
        CHARTS[name] = fn
        return fn

    return deco


def draw(kind: str, data: dict[str, Any], width: float) -> Drawing:
    return CHARTS[kind](data, width)


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = FONT  # else the renderer's initial state selects Helvetica (not embedded)
    return d


def short(value: float | None) -> str:
    """Compact number for a chart label: 1,234 / 12.3 / 0.123."""
    if value is None:
        return "–"
    a = abs(value)
    if a >= 1000:
        return f"{value:,.0f}"
    if a >= 100:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    if a >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def text(x: float, y: float, s: str, size: float = 7.5, anchor: str = "start", color: Any = INK) -> String:
    return String(x, y, drawable(s), fontName=FONT, fontSize=size, fillColor=color, textAnchor=anchor)


def fit(s: str, width: float, size: float) -> str:
    """Cut ``s`` with an ellipsis so it fits ``width`` (labels never run into the bars)."""
    if stringWidth(s, FONT, size) <= width:
        return s
    while s and stringWidth(s + "…", FONT, size) > width:
        s = s[:-1]
    return s + "…"


def named_value(name: str, value: str, width: float, size: float) -> str:
    """``name value`` in ``width``: a long name is shortened, the quantity is always read in full."""
    room = width - stringWidth(f" {value}", FONT, size)
    return f"{fit(name, room, size)} {value}"


@chart("multiples")
def multiples(data: dict[str, Any], width: float) -> Drawing:
    """3-year trends as small multiples: one mini bar chart per series (units differ)."""
    series, years = data["series"], data["years"]
    per_row, cell_h = 3, 112.0
    rows = (len(series) + per_row - 1) // per_row
    d = _drawing(width, rows * cell_h)
    cell_w = width / per_row
    for i, s in enumerate(series):
        col, row = i % per_row, i // per_row
        x0, y0 = col * cell_w, (rows - row - 1) * cell_h
        # The unit is never cut: the name gives way ("COD · Discharged or disposed of off-s…" lost it).
        title = named_value(s["title"], f"({s['unit']})", cell_w - 8, 8) if s.get("unit") else fit(s["title"], cell_w - 8, 8)
        d.add(text(x0 + cell_w / 2, y0 + cell_h - 12, title, 8, "middle", ACCENT))
        if s.get("subtitle"):
            d.add(text(x0 + cell_w / 2, y0 + cell_h - 22, fit(s["subtitle"], cell_w - 8, 7), 7, "middle", MUTED))
        values = s["values"]
        top = max([v for v in values if v is not None] + [0.0]) or 1.0
        plot_h, base = cell_h - (54 if s.get("subtitle") else 44), y0 + 18
        bar_w = (cell_w - 30) / max(len(values), 1) * 0.6
        d.add(Line(x0 + 8, base, x0 + cell_w - 8, base, strokeColor=RULE, strokeWidth=0.6))
        for k, v in enumerate(values):
            cx = x0 + 15 + (k + 0.5) * (cell_w - 30) / len(values)
            if v is not None and v > 0:
                h = plot_h * v / top
                color = SERIES[0] if k == len(values) - 1 else SERIES[2]
                d.add(Rect(cx - bar_w / 2, base, bar_w, h, fillColor=color, strokeColor=None))
                d.add(text(cx, base + h + 3, short(v), 7, "middle"))
            else:
                d.add(text(cx, base + 3, short(v), 7, "middle", MUTED))
            d.add(text(cx, base - 10, str(years[k]) if k < len(years) else "", 7, "middle", MUTED))
    return d


def _axis_range(values: list[float], reference: float | None = None) -> tuple[float, float]:
    lo = min(values + [0.0] + ([reference] if reference is not None else []))
    hi = max(values + [0.0] + ([reference] if reference is not None else []))
    if hi == lo:
        hi = lo + 1
    return lo, hi


@chart("bars")
def bars(data: dict[str, Any], width: float) -> Drawing:
    """Horizontal bars (weighted-sum ranking, NPV, IRR): highlighted items in the accent colour."""
    items = [i for i in data["items"] if i.get("value") is not None]
    row_h, label_w, right_pad = 16.0, width * 0.30, 46.0
    height = len(items) * row_h + 30
    d = _drawing(width, height)
    lo, hi = _axis_range([i["value"] for i in items], data.get("reference"))
    plot_w = width - label_w - right_pad - 10

    def x_of(v: float) -> float:
        return label_w + 10 + (v - lo) / (hi - lo) * plot_w

    zero = x_of(0.0)
    for n, item in enumerate(items):
        y = height - 14 - (n + 1) * row_h
        d.add(text(label_w, y + 4, fit(str(item["label"]), label_w - 4, 8), 8, "end"))
        x1 = x_of(item["value"])
        color = ACCENT if item.get("highlight") else SERIES[2]
        d.add(Rect(min(zero, x1), y + 1, abs(x1 - zero), row_h - 4, fillColor=color, strokeColor=None))
        # Values sit right of the bar end, or right of the zero line for negative bars,
        # so they never run into the labels on the left.
        d.add(text(max(x1, zero) + 3, y + 4, short(item["value"]), 7.5))
    d.add(Line(zero, 14, zero, height - 12, strokeColor=INK, strokeWidth=0.6))
    ref = data.get("reference")
    if ref is not None:
        xr = x_of(ref)
        d.add(Line(xr, 14, xr, height - 12, strokeColor=BAD, strokeWidth=0.8, strokeDashArray=[3, 2]))
        d.add(text(xr, height - 10, f"{data.get('reference_label', '')} {short(ref)}", 7.5, "middle", BAD))
    d.add(text(width - 4, 2, str(data.get("unit") or ""), 7.5, "end", MUTED))
    return d


@chart("paired")
def paired(data: dict[str, Any], width: float) -> Drawing:
    """Two bars per item (planned against achieved, near against long term), zero axis shared."""
    items = data["items"]
    row_h, label_w = 26.0, width * 0.28
    note_w = max([stringWidth(str(i.get("note") or ""), FONT, 7) for i in items] + [0.0]) + 6
    height = len(items) * row_h + 40
    d = _drawing(width, height)
    values = [v for i in items for v in (i.get("a"), i.get("b")) if v is not None]
    lo, hi = _axis_range(values)
    plot_w = width - label_w - 30 - note_w - 34  # room for the value labels and the notes

    def x_of(v: float) -> float:
        return label_w + 30 + (v - lo) / (hi - lo) * plot_w

    zero = x_of(0.0)
    for n, item in enumerate(items):
        y = height - 26 - (n + 1) * row_h
        label = fit(str(item["label"]), label_w - 8, 8)
        d.add(text(label_w - 4, y + row_h / 2 - 2, label, 8, "end"))
        for k, key in enumerate(("a", "b")):
            v = item.get(key)
            if v is None:
                continue
            yy = y + row_h / 2 - (k * 10) + 1
            x1 = x_of(v)
            d.add(Rect(min(zero, x1), yy, abs(x1 - zero), 8, fillColor=SERIES[0] if k == 0 else SERIES[1], strokeColor=None))
            if v >= 0:
                d.add(text(x1 + 3, yy + 1, short(v), 7))
            else:  # left of a negative bar, clear of the labels (the axis starts 30 pt in)
                d.add(text(x1 - 3, yy + 1, short(v), 7, "end"))
        if item.get("note"):
            d.add(text(width - 2, y + row_h / 2 - 2, item["note"], 7, "end", MUTED))
    d.add(Line(zero, 10, zero, height - 24, strokeColor=INK, strokeWidth=0.6))
    for k, key in enumerate(("a_label", "b_label")):
        x = label_w + 30 + k * 110
        d.add(Rect(x, height - 14, 9, 7, fillColor=SERIES[0] if k == 0 else SERIES[1], strokeColor=None))
        d.add(text(x + 12, height - 13, str(data.get(key) or ""), 7.5))
    d.add(text(width - 2, 0, str(data.get("unit") or ""), 7.5, "end", MUTED))
    return d


def _band(x0: float, y0a: float, y0b: float, x1: float, y1a: float, y1b: float, color: Any) -> Polygon:
    """A Sankey band: two cubic curves from (x0, y0a..y0b) to (x1, y1a..y1b)."""
    steps = 14
    top, bottom = [], []
    for s in range(steps + 1):
        t = s / steps
        ease = t * t * (3 - 2 * t)  # smoothstep: the shape of a horizontal-tangent Bézier
        x = x0 + (x1 - x0) * t
        top += [x, y0a + (y1a - y0a) * ease]
        bottom += [x, y0b + (y1b - y0b) * ease]
    points = top + [c for i in range(len(bottom) - 2, -1, -2) for c in (bottom[i], bottom[i + 1])]
    return Polygon(points, fillColor=color, strokeColor=None)


@chart("flow")
def flow(data: dict[str, Any], width: float) -> Drawing:
    """Material/water balance as a Sankey-style diagram: inputs → unit → outputs, with the
    closure badge (Σin, Σout, deviation against the tolerance; ref §3 closure check)."""
    ins = [(n, v) for n, v in data["inputs"] if v > 0]
    outs = [(n, v) for n, v in data["outputs"] if v > 0]
    total = max(sum(v for _n, v in ins), sum(v for _n, v in outs), 1e-9)
    slot_min, gap = 13.0, 4.0
    band_h = 150.0

    def layout(streams: list[tuple[str, float]]) -> list[tuple[str, float, float, float]]:
        heights = [max(v / total * band_h, 1.5) for _n, v in streams]
        slots = [max(h, slot_min) + gap for h in heights]
        out, y = [], sum(slots)
        for (name, v), h, slot in zip(streams, heights, slots):
            out.append((name, v, y - slot / 2 - h / 2, h))
            y -= slot
        return out

    left, right = layout(ins), layout(outs)
    body = max(sum(max(h, slot_min) + gap for _n, _v, _y, h in side) for side in (left, right)) if (left or right) else 40
    height = body + 44
    d = _drawing(width, height)
    col_w, box_w = width * 0.27, 56.0
    x_in, x_out = col_w, width - col_w
    cx0, cx1 = width / 2 - box_w / 2, width / 2 + box_w / 2
    center_h = max(sum(h for *_r, h in left), sum(h for *_r, h in right), 30)
    cy = body / 2 - center_h / 2 + 4
    unit = data.get("unit") or ""

    def side(streams: list[tuple[str, float, float, float]], incoming: bool) -> None:
        stack = cy + center_h
        for k, (name, v, y, h) in enumerate(streams):
            color = colors.Color(*SERIES[k % len(SERIES)].rgb(), alpha=0.45)
            share = h if center_h else 0
            if incoming:
                d.add(Rect(x_in - 6, y + 4, 6, h, fillColor=SERIES[k % len(SERIES)], strokeColor=None))
                d.add(_band(x_in, y + 4 + h, y + 4, cx0, stack, stack - share, color))
                d.add(text(x_in - 9, y + 4 + h / 2 - 2.5, named_value(name, short(v), col_w - 12, 7.5), 7.5, "end"))
            else:
                d.add(Rect(x_out, y + 4, 6, h, fillColor=SERIES[k % len(SERIES)], strokeColor=None))
                d.add(_band(cx1, stack, stack - share, x_out, y + 4 + h, y + 4, color))
                d.add(text(x_out + 9, y + 4 + h / 2 - 2.5, named_value(name, short(v), col_w - 12, 7.5), 7.5))
            stack -= share

    side(left, True)
    side(right, False)
    d.add(Rect(cx0, cy, box_w, center_h, fillColor=colors.HexColor("#f4f6f8"), strokeColor=ACCENT, strokeWidth=0.8))
    d.add(text(width / 2, cy + center_h / 2 - 3, fit(str(data.get("center") or ""), box_w + 40, 8), 8, "middle", ACCENT))
    if unit:
        d.add(text(width / 2, cy - 11, unit, 7.5, "middle", MUTED))
    ok = data.get("ok")
    badge = str(data.get("badge") or "")
    bw = min(stringWidth(badge, FONT, 8) + 14, width)
    d.add(Rect(width / 2 - bw / 2, height - 20, bw, 15, rx=4, ry=4, fillColor=GOOD if ok else BAD, strokeColor=None))
    d.add(String(width / 2, height - 15.5, drawable(fit(badge, bw - 8, 8)), fontName=FONT, fontSize=8,
                 fillColor=colors.white, textAnchor="middle"))
    return d


@chart("levels")
def levels(data: dict[str, Any], width: float) -> Drawing:
    """Indicator levels as a grid (Ⅰ, Ⅱ, Ⅲ, below): where each indicator stands, and after
    implementation where it moved; the distance to the left is the gap to close."""
    rows, columns = data["rows"], data["columns"]
    row_h, label_w = 15.0, width * 0.38
    height = len(rows) * row_h + 34
    d = _drawing(width, height)
    col_w = (width - label_w - 10) / len(columns)
    keys = ("I", "II", "III", "below")
    for k, name in enumerate(columns):
        x = label_w + 10 + (k + 0.5) * col_w
        d.add(text(x, height - 12, name, 8, "middle", ACCENT))
        d.add(Line(x, 10, x, height - 18, strokeColor=RULE, strokeWidth=0.4, strokeDashArray=[1, 2]))
    for n, row in enumerate(rows):
        y = height - 20 - (n + 1) * row_h + row_h / 2
        d.add(text(label_w, y - 2.5, fit(str(row["label"]), label_w - 4, 8), 8, "end"))
        before, after = row.get("before"), row.get("after")
        xb = label_w + 10 + (keys.index(before) + 0.5) * col_w if before in keys else None
        xa = label_w + 10 + (keys.index(after) + 0.5) * col_w if after in keys else None
        if xb is not None and xa is not None and xa != xb:
            d.add(Line(xb, y, xa, y, strokeColor=GOOD if xa < xb else BAD, strokeWidth=1.2))
        if xb is not None:
            d.add(Circle(xb, y, 4, fillColor=colors.white if data.get("after_label") else ACCENT, strokeColor=ACCENT,
                         strokeWidth=1))
        if xa is not None:
            d.add(Circle(xa, y, 4, fillColor=GOOD, strokeColor=GOOD))
        if xb is None and xa is None:
            d.add(text(label_w + 14, y - 2.5, "–", 8, "start", MUTED))
    legend = [(data.get("before_label"), ACCENT, colors.white if data.get("after_label") else ACCENT)]
    if data.get("after_label"):
        legend.append((data["after_label"], GOOD, GOOD))
    x = 4.0
    for label, stroke, fill in legend:
        d.add(Circle(x + 4, 4, 3.5, fillColor=fill, strokeColor=stroke))
        d.add(text(x + 11, 1.5, str(label or ""), 7.5))
        x += 20 + stringWidth(str(label or ""), FONT, 7.5)
    return d
