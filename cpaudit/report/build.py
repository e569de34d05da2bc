"""ReportModel → PDF bytes (reportlab platypus), deterministically.

Cover, management block, contents with PDF bookmarks, preface, chapters,
conclusions and annexes (§6 outline; issue 5). The same audit and app
version give the same bytes: reportlab's invariant mode fixes the document
id, and every date printed or stored comes from the audit, never the clock.
"""

from __future__ import annotations

import io
from ast import literal_eval
from typing import Any, Callable, Iterable

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak, Flowable, Frame, KeepTogether, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from cpaudit.domain.document import AuditDocument
from cpaudit.report import charts, styles
from cpaudit.report.glyphs import lacks_glyphs, markup
from cpaudit.report.columns import CELL_SIZE, PAD, column_groups, widths as _widths
from cpaudit.report.linebreak import Text
from cpaudit.report.model import Chart, Fields, Para, ReportModel, Section, Table, build_model
from cpaudit.workflow.schema import Workflow

Progress = Callable[[float], None]
def build_report(doc: AuditDocument, wf: Workflow, stage: str, lang: str, *,
                 journal: Iterable[dict[str, Any]] | None = None, manifest_hash: str | None = None,
                 watermark: str | None = None, progress: Progress | None = None) -> bytes:
    """The audit report PDF for ``stage`` ("assessment" | "acceptance") in ``lang`` ("zh_CN" | "en").

    ``journal``: records of ``store.journal.iter_journal`` for the change summary (annex C);
    ``manifest_hash``: printed in the reserved footer block (signed submission);
    ``watermark``: e.g. "DEMO"/"演示" across every page; ``progress``: called with 0…1.
    Safe to call from a worker thread: no Qt, no global language switch.
    """
    model = build_model(doc, wf, stage, lang, journal=journal, progress=progress)
    return render(model, manifest_hash=manifest_hash, watermark=watermark, progress=progress)


class Grid(RLTable):
    """A table that splits between rows; a row is cut across pages only when it is taller than
    a (landscape) page could ever hold, never just because it fell at the foot of a page."""

    TALL_ROW = 140 * mm

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 (reportlab's names)
        self._calc(availWidth, availHeight)
        self.splitInRow = int(max(self._rowHeights, default=0) > self.TALL_ROW)
        return super().split(availWidth, availHeight)


class Figure(Flowable):
    """A chart drawing (reportlab.graphics) as a flowable."""

    def __init__(self, drawing: Any):
        super().__init__()
        self.drawing, self.width, self.height = drawing, drawing.width, drawing.height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)


class Heading(Text):
    """A heading that becomes a bookmark, an outline entry and a contents line."""

    def __init__(self, text: str, style: Any, key: str, level: int, toc: bool = True):
        super().__init__(markup(text), style)
        self.key, self.level, self.plain, self.toc = key, level, text, toc


class ReportDoc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, model: ReportModel, progress: Progress | None, **kw: Any):
        super().__init__(buffer, pagesize=styles.PORTRAIT, leftMargin=styles.MARGIN_LEFT,
                         rightMargin=styles.MARGIN_RIGHT, topMargin=styles.MARGIN_TOP,
                         bottomMargin=styles.MARGIN_BOTTOM, invariant=1, **kw)
        self.progress, self._done, self._reported = progress, 0, 0.3
        self._chapters = max(1, len(model.chapters) + len(model.annexes))
        self.addPageTemplates([self._template("portrait", styles.PORTRAIT),
                               self._template("landscape", styles.LANDSCAPE)])
        self.heading_pages: dict[str, int] = {}  # bookmark key → page, for the contents

    def _startBuild(self, filename: Any = None, canvasmaker: Any = None) -> None:
        super()._startBuild(filename, canvasmaker)
        self.canv.heading_pages = self.heading_pages  # the canvas writes the contents' numbers at save

    def _template(self, name: str, size: tuple[float, float]) -> PageTemplate:
        frame = Frame(self.leftMargin, self.bottomMargin, size[0] - self.leftMargin - self.rightMargin,
                      size[1] - self.topMargin - self.bottomMargin, id=name, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        return PageTemplate(id=name, frames=[frame], pagesize=size)

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Heading):
            return
        self.canv.bookmarkPage(flowable.key)
        self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level, closed=flowable.level > 0)
        self.heading_pages[flowable.key] = self.page
        if flowable.level == 0 and self.progress:
            self._done += 1
            fraction = 0.3 + 0.69 * min(1.0, self._done / self._chapters)
            if fraction > self._reported:
                self._reported = fraction
                self.progress(fraction)


def render(model: ReportModel, *, manifest_hash: str | None = None, watermark: str | None = None,
           progress: Progress | None = None) -> bytes:
    st = styles.paragraph_styles(model.lang)
    buffer = io.BytesIO()
    meta = model.metadata
    doc = ReportDoc(buffer, model, progress, title=meta["title"], author=meta["author"], subject=meta["subject"],
                    keywords=meta["keywords"], creator=meta["creator"], producer=meta["creator"], lang=meta["lang"],
                    displayDocTitle=1, initialFontName=styles.FONT)
    story = _front(model, st)
    width = styles.PORTRAIT[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    wide_width = styles.LANDSCAPE[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    for chapter in model.chapters:
        story.append(PageBreak())
        story.extend(_section(chapter, st, model.labels, width))
    for annex in model.annexes:
        landscape = any(isinstance(b, Table) and b.wide for b in annex.blocks)
        story.append(NextPageTemplate("landscape" if landscape else "portrait"))
        story.append(PageBreak())
        story.extend(_section(annex, st, model.labels, wide_width if landscape else width, annex=True))
    _preset_contents(story)
    canvas = styles.page_canvas(model.labels, manifest_hash, watermark, model.iso_date)
    doc.build(story, canvasmaker=canvas)
    if progress:
        progress(1.0)
    return buffer.getvalue()


def _preset_contents(story: list[Flowable]) -> None:
    """Give the contents its final entries before the layout (one pass, no page numbers yet).

    Its size is then final, and each page number is a PDF form drawn where it belongs
    and written when the canvas is saved (``Contents``): one layout pass instead of
    reportlab's usual two or three.
    """
    toc = next(f for f in story if isinstance(f, Contents))
    toc._entries = toc._lastEntries = [(f.level, markup(f.plain), 0, f.key) for f in story
                                       if isinstance(f, Heading) and f.toc]


class Contents(TableOfContents):
    """Contents whose page numbers are forward references (PDF form XObjects).

    Dots run up to a slot for the number; the number itself is ``page_form(key)``,
    defined by the canvas at save time, when every heading's page is known.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)

        def entry_end(canvas: Any, kind: str, label: str) -> None:
            page, level, key = label.split(",", 2)
            style = self.getLevelStyle(int(level))
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            slot = stringWidth(PAGE_SLOT, style.fontName, style.fontSize)
            dot = " . "
            dots = int(max(0.0, availWidth - x - slot) / stringWidth(dot, style.fontName, style.fontSize))
            text = canvas.beginText(availWidth - slot - dots * stringWidth(dot, style.fontName, style.fontSize), y)
            text.setFont(style.fontName, style.fontSize)
            text.textLine(dot * dots)
            canvas.drawText(text)
            key = literal_eval(key)
            canvas.contents_numbers[key] = (style.fontName, style.fontSize, style.textColor)
            canvas.saveState()
            canvas.translate(availWidth, y)
            canvas.doForm(page_form(key))
            canvas.restoreState()

        self.canv.setNamedCB("drawTOCEntryEnd", entry_end)
        return size


PAGE_SLOT = " 888"  # room kept free of dots for a page number of up to three digits


def page_form(key: str) -> str:
    return "tocpage_" + key.encode("utf-8").hex()  # a PDF name, unique per key


def _front(model: ReportModel, st: dict[str, Any]) -> list[Flowable]:
    """Cover, management block and contents (§6 "Cover and front matter")."""
    labels = model.labels
    story: list[Flowable] = [Spacer(1, 40 * mm), Heading(model.enterprise, st["cover_sub"], "cover", 0, toc=False),
                             Spacer(1, 12 * mm), Text(markup(model.title), st["cover_title"]), Spacer(1, 30 * mm)]
    rows = [[Text(markup(k), st["cover_label"]), Text(markup(v), st["cover_line"])] for k, v in model.cover]
    cover = RLTable(rows, colWidths=[45 * mm, 95 * mm])
    cover.setStyle(TableStyle([*styles.FONT_CMD, ("LINEBELOW", (1, 0), (1, -1), 0.4, styles.RULE), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    story += [cover, Spacer(1, 40 * mm), Paragraph(markup(labels["generated"]), st["small"]), PageBreak()]
    story.append(Heading(labels["management"], st["h0"], "management", 0, toc=False))
    story.append(_fields(model.management, st, 120 * mm))
    if model.auditors is not None:
        story += [Spacer(1, 8 * mm), Paragraph(markup(labels["auditors"]), st["h2"])]
        story += _table(model.auditors, st, labels, styles.PORTRAIT[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT)
    toc = Contents(levelStyles=[st["toc0"], st["toc1"], st["toc2"]], dotsMinLevel=0,
                          tableStyle=TableStyle([*styles.FONT_CMD, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                                 ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    story += [PageBreak(), Heading(labels["contents"], st["h0"], "contents", 0, toc=False), toc]
    return story


def _section(section: Section, st: dict[str, Any], labels: dict[str, str], width: float,
             annex: bool = False, follows_heading: bool = False) -> list[Flowable]:
    out: list[Flowable] = []
    if section.title:
        level = min(section.level, 2)
        style = st[f"h{level}"]
        title = section.heading
        if annex and level == 0:
            title = f"{labels['annex'].format(number=section.number)} {section.title}"
        if level > 0 and not follows_heading:
            # Never a heading alone at the foot of a page: room for what it heads.
            out.append(CondPageBreak((HEADING_MM + _lead_room(section)) * mm))
        out.append(Heading(title, style, section.key, level))
        if section.blocks and isinstance(section.blocks[0], Chart):
            out[-1].keepWithNext = 1  # a chart that moves to the next page takes its heading along
    for n, block in enumerate(section.blocks):
        flowables = _block(block, st, labels, width, after_heading=n == 0 and bool(section.title))
        if isinstance(block, Fields) and out and isinstance(out[-1], Paragraph):
            out[-1].keepWithNext = 1  # a field row never sits alone at the top of a page
        out.extend(flowables)
    for n, child in enumerate(section.children):
        out.extend(_section(child, st, labels, width, annex, follows_heading=n == 0 and not section.blocks))
    return out


HEADING_MM = 12  # a section heading with the space around it


def _lead_room(section: Section) -> float:
    """Room (mm) below a heading for what it heads first: a paragraph's lines; a table's caption,
    head and first rows (its own CondPageBreak would otherwise leave the heading behind); a
    sub-heading and what that heads."""
    if section.blocks:
        return TABLE_LEAD_MM + 12 if isinstance(section.blocks[0], Table) else 28
    if section.children:
        return HEADING_MM + 2 + _lead_room(section.children[0])
    return 28


def _block(block: Any, st: dict[str, Any], labels: dict[str, str], width: float,
           after_heading: bool = False) -> list[Flowable]:
    if isinstance(block, Para):
        if block.style in ("label", "subhead") and not after_heading:  # keeps room for what it heads
            return [CondPageBreak(35 * mm), Text(markup(block.text), st[block.style])]
        if block.style == "bullet":
            return [Text(markup(block.text), st["bullet"], bulletText="•")]
        return [Text(markup(block.text), st.get(block.style, st["body"]))]
    if isinstance(block, Fields):
        return [_fields(block.rows, st, width)]
    if isinstance(block, Table):
        return _table(block, st, labels, width)
    if isinstance(block, Chart):
        drawing = charts.draw(block.kind, block.data, width)
        caption = f"{labels['figure'].format(number=block.number)} {block.caption}" if block.number else block.caption
        return [KeepTogether([Spacer(1, 4), Figure(drawing), Text(markup(caption), st["caption"])])]
    raise TypeError(type(block).__name__)


def _fields(rows: Iterable[tuple[str, str]], st: dict[str, Any], width: float) -> RLTable:
    data = [[Text(markup(k), st["field_label"]), Text(markup(v).replace("\n", "<br/>"), st["field_value"])]
            for k, v in rows]
    # Space as the table's own (dropped at a page end), never a Spacer that can spill onto a page alone.
    table = Grid(data, colWidths=[width * 0.36, width * 0.64], hAlign="LEFT", spaceBefore=4, spaceAfter=4)
    table.setStyle(TableStyle([*styles.FONT_CMD, ("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


TABLE_LEAD_MM = 30


def _table(table: Table, st: dict[str, Any], labels: dict[str, str], width: float) -> list[Flowable]:
    out: list[Flowable] = []
    groups = column_groups(table, width)
    base_caption = f"{labels['table'].format(number=table.number)} {table.caption}" if table.number else table.caption
    for g, cols in enumerate(groups):
        caption = base_caption if g == 0 else f"{base_caption} {labels['continued']}"
        widths = _widths(table, cols, width)
        head = [Text(markup(table.columns[i].label), st["cell_head"]) for i in cols]
        data = [head]
        for row in table.rows:
            data.append([_cell(row[i] if i < len(row) else "", table.columns[i].numeric, st, w)
                         for i, w in zip(cols, widths)])
        if table.totals:
            data.append([_cell(table.totals[i], table.columns[i].numeric, st, w) for i, w in zip(cols, widths)])
        rl = Grid(data, colWidths=widths, repeatRows=1, hAlign="CENTER", spaceAfter=6)
        cmds = styles.table_style(1, bool(table.totals), len(data))
        cmds += [("ALIGN", (k, 1), (k, -1), "RIGHT") for k, i in enumerate(cols) if table.columns[i].numeric]
        rl.setStyle(TableStyle(cmds))
        out.append(CondPageBreak(TABLE_LEAD_MM * mm))  # a caption never ends a page without its table
        out.append(Text(markup(caption), st["table_caption"]))
        out.append(rl)
    return out


def _cell(text: str, numeric: bool, st: dict[str, Any], width: float) -> Paragraph | str:
    """A plain string when it fits on one line (drawn far faster), else a wrapping Paragraph."""
    if "\n" not in text and not lacks_glyphs(text) and stringWidth(text, styles.FONT, CELL_SIZE) <= width - PAD - 1:
        return text
    return Text(markup(text).replace("\n", "<br/>"), st["cell_num" if numeric else "cell"])
