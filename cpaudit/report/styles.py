"""Fonts, paragraph and table styles, and the page furniture of the report.

Format rules (cp-audit-reference.md §6, local standard after HJ 469-2009):
body 小四 (12 pt) with at least 24 pt line spacing, level-1 headings 三号
(16 pt), lower headings 四号 (14 pt), text in tables and figures 五号 or
smaller. The app ships one CJK font (WenQuanYi Micro Hei, TrueType outlines,
embedded as a subset; Noto CJK's CFF outlines do not work in reportlab, see
setup-facts.md), so the hierarchy is carried by size, weight of colour and
spacing rather than by 黑体/仿宋 faces.
"""

from __future__ import annotations

import threading
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from cpaudit import paths

FONT = "CPAuditSans"
PORTRAIT, LANDSCAPE = A4, landscape(A4)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 28 * mm, 22 * mm, 27 * mm, 27 * mm
INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f4e79")
MUTED = colors.HexColor("#5a5a5a")
RULE = colors.HexColor("#9aa7b4")
HEAD_FILL = colors.HexColor("#dde6ef")
TOTAL_FILL = colors.HexColor("#eef2f6")
GOOD, BAD = colors.HexColor("#2e7d32"), colors.HexColor("#c62828")
SERIES = [colors.HexColor(c) for c in ("#1f4e79", "#e07b24", "#5b9bd5", "#70ad47", "#a5a5a5", "#7e57c2")]

_font_lock = threading.Lock()


def register_fonts() -> str:
    """Register the shipped CJK font once per process (parsing the .ttc costs ~0.4 s)."""
    with _font_lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            path = paths.resource_path("fonts", "wqy-microhei.ttc")
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            # One face only: <b>/<i> map back to it instead of to a non-embedded base-14 font.
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


def paragraph_styles(lang: str = "zh_CN") -> dict[str, ParagraphStyle]:
    """Styles for ``lang``: Chinese wraps between any two characters (CJK rules), English
    between words (long words such as hashes are still split when they cannot fit)."""
    register_fonts()
    wrap = "CJK" if lang == "zh_CN" else None

    def _style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        # No space shrinkage: it lets a left-aligned line run past its width (into a cell's border).
        base = dict(fontName=FONT, fontSize=size, leading=leading, textColor=INK, wordWrap=wrap, splitLongWords=1,
                    spaceShrinkage=0)
        base.update(kw)
        return ParagraphStyle(name, **base)

    styles = {
        "body": _style("body", 12, 24, firstLineIndent=24, spaceAfter=2),
        "bullet": _style("bullet", 12, 24, leftIndent=18, bulletIndent=4, bulletFontName=FONT),
        "note": _style("note", 10, 16, textColor=MUTED, spaceBefore=2, spaceAfter=4),
        "label": _style("label", 12, 20, textColor=ACCENT, spaceBefore=6, spaceAfter=2, keepWithNext=1),
        "subhead": _style("subhead", 12.5, 20, textColor=ACCENT, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "item": _style("item", 10.5, 18, leftIndent=12, spaceAfter=2),
        "h0": _style("h0", 16, 24, textColor=ACCENT, spaceBefore=0, spaceAfter=14, alignment=TA_LEFT, keepWithNext=1),
        "h1": _style("h1", 14, 22, textColor=ACCENT, spaceBefore=14, spaceAfter=6, keepWithNext=1),
        "h2": _style("h2", 12.5, 20, textColor=ACCENT, spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "caption": _style("caption", 10.5, 14, alignment=TA_CENTER, spaceBefore=6, spaceAfter=4),
        "table_caption": _style("table_caption", 10.5, 14, alignment=TA_CENTER, spaceBefore=8, spaceAfter=3),
        "cell": _style("cell", 9, 11.5),
        "cell_num": _style("cell_num", 9, 11.5, alignment=TA_RIGHT),
        "cell_head": _style("cell_head", 9, 11.5, textColor=ACCENT, alignment=TA_CENTER),
        "field_label": _style("field_label", 10.5, 15, textColor=MUTED),
        "field_value": _style("field_value", 10.5, 15),
        "cover_title": _style("cover_title", 26, 36, alignment=TA_CENTER, textColor=ACCENT),
        "cover_sub": _style("cover_sub", 16, 24, alignment=TA_CENTER),
        "cover_line": _style("cover_line", 13, 22, alignment=TA_LEFT),
        # A one-line paragraph's baseline sits (leading − size) above its bottom: 19.5 − 10.5 = 22 − 13,
        # so the bottom-aligned cover labels stand on the same line as their values.
        "cover_label": _style("cover_label", 10.5, 19.5, textColor=MUTED),
        "toc0": _style("toc0", 12, 20, leftIndent=0, textColor=ACCENT),
        "toc1": _style("toc1", 10.5, 16, leftIndent=18),
        "toc2": _style("toc2", 10, 14, leftIndent=36, textColor=MUTED),
        "small": _style("small", 8, 10, textColor=MUTED),
    }
    if wrap != "CJK":  # Chinese data in an English report still wraps between characters
        for style in styles.values():
            style.cjk = ParagraphStyle(style.name + "-cjk", parent=style, wordWrap="CJK")
    return styles


# A table's own cell font defaults to Helvetica (not embedded) even when every cell is
# a Paragraph: name ours in every table, or pdffonts lists a base-14 font.
FONT_CMD = (("FONT", (0, 0), (-1, -1), FONT, 9),)


def table_style(header_rows: int = 1, has_totals: bool = False, n_rows: int = 0) -> list[tuple[Any, ...]]:
    cmds: list[tuple[Any, ...]] = [
        *FONT_CMD,
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        cmds.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL))
    if has_totals:
        cmds.append(("BACKGROUND", (0, n_rows - 1), (-1, n_rows - 1), TOTAL_FILL))
    return cmds


def page_canvas(labels: dict[str, str], manifest_hash: str | None, watermark: str | None, iso_date: str):
    """A canvas class that knows the page count at the end ("page x of y") and draws the
    running header, the footer, the reserved manifest block and the watermark."""
    stamp = "D:" + iso_date.replace("-", "") + "000000+00'00'"

    class ReportCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            kwargs.setdefault("initialFontName", FONT)  # no base-14 font in the page preamble
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.heading_pages: dict[str, int] = {}  # set by the document: bookmark key → page
            self.contents_numbers: dict[str, tuple[str, float, Any]] = {}  # key → font, size, colour
            # The PDF's dates are the report date from the audit, never the clock.
            self._doc.setDateFormatter(lambda *_a: stamp)

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            self._contents_numbers()
            super().save()

        def _contents_numbers(self) -> None:
            # The contents drew each page number as a form referenced before it existed
            # (report.build.Contents); now that every heading has its page, define them.
            from cpaudit.report.build import page_form

            for key, (font, size, color) in sorted(self.contents_numbers.items()):
                self.beginForm(page_form(key), lowerx=-80, lowery=-size, upperx=0, uppery=2 * size)
                self.setFont(font, size)
                self.setFillColor(color)
                self.drawRightString(0, 0, str(self.heading_pages[key]))
                self.endForm()

        def _furniture(self, total: int) -> None:
            page = self.getPageNumber()
            width, height = self._pagesize
            self.saveState()
            if watermark:
                self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.12))
                self.setFont(FONT, 96)
                self.translate(width / 2, height / 2)
                self.rotate(40)
                self.drawCentredString(0, -30, watermark)
                self.rotate(-40)
                self.translate(-width / 2, -height / 2)
            if page > 1:  # the cover carries no running header or footer
                self.setFont(FONT, 8.5)
                self.setFillColor(MUTED)
                self.setStrokeColor(RULE)
                self.setLineWidth(0.5)
                top = height - 16 * mm
                self.drawString(MARGIN_LEFT, top + 2, labels["header"])
                self.drawRightString(width - MARGIN_RIGHT, top + 2, labels["stage"])
                self.line(MARGIN_LEFT, top, width - MARGIN_RIGHT, top)
                bottom = 16 * mm
                self.line(MARGIN_LEFT, bottom + 8, width - MARGIN_RIGHT, bottom + 8)
                self.drawCentredString(width / 2, bottom - 2, labels["footer"].format(page=page, pages=total))
            # Reserved block under the footer: the signed submission prints its manifest hash here.
            if manifest_hash:
                self.setFont(FONT, 7)
                self.setFillColor(MUTED)
                self.drawCentredString(width / 2, 9 * mm, labels["manifest"].format(hash=manifest_hash))
            self.restoreState()

    return ReportCanvas
