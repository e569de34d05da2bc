"""Report layout: tables keep every token whole and inside its cell; pages, line breaks, column splits."""

from __future__ import annotations

import io
import re
import subprocess
from functools import lru_cache

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import ActionFlowable, Frame, PageBreak, PageTemplate, Paragraph, Spacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus.doctemplate import BaseDocTemplate

from cpaudit.report import build, build_model, columns, styles
from cpaudit.report.glyphs import markup
from cpaudit.report.linebreak import Text
from cpaudit.report.model import Column, Para, Table

from conftest import SAMPLES, sample_document, sample_pdf

REPORTS = [("coking", "acceptance", "zh_CN"), ("coking", "acceptance", "en"),
           ("electroplating", "assessment", "zh_CN"), ("electroplating", "acceptance", "en")]
TOKEN_END = re.compile(r"[A-Za-z0-9,.]$")
TOKEN_START = re.compile(r"^[A-Za-z0-9]")
UNIT_START = re.compile(r"^(t/a|m³|tce|kg|kWh|%)")


@lru_cache(maxsize=None)
def _model(name: str, stage: str, lang: str):
    doc, wf = sample_document(name)
    return build_model(doc, wf, stage, lang)


def laid_out_tables(name: str, stage: str, lang: str):
    """(table block, reportlab table) for every table of the report, at the width the PDF gives it."""
    model = _model(name, stage, lang)
    st = styles.paragraph_styles(lang)
    portrait = styles.PORTRAIT[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    landscape = styles.LANDSCAPE[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    for chapter, annex in [(c, False) for c in model.chapters] + [(a, True) for a in model.annexes]:
        wide = annex and any(isinstance(b, Table) and b.wide for s in chapter.walk() for b in s.blocks)
        for section in chapter.walk():
            for block in section.blocks:
                if isinstance(block, Table):
                    for flowable in build._table(block, st, model.labels, landscape if wide else portrait):
                        if isinstance(flowable, RLTable):
                            yield block, flowable


def line_texts(p: Paragraph) -> list[tuple[str, float]]:
    """(text, unused width) of each line of a wrapped paragraph."""
    out = []
    for line in p.blPara.lines:
        if isinstance(line, tuple):
            extra, words = line
            out.append((" ".join(w if isinstance(w, str) else w.text for w in words), extra))
        else:
            out.append(("".join(f.text for f in line.words), line.extraSpace))
    return out


def cell_lines(name: str, stage: str, lang: str):
    """(table caption, cell text, its lines with their unused width) of every Paragraph cell;
    asserts that string cells fit."""
    for block, rl in laid_out_tables(name, stage, lang):
        for row in rl._cellvalues:
            for cell, width in zip(row, rl._colWidths):
                inner = width - build.PAD
                if isinstance(cell, str):
                    assert stringWidth(cell, styles.FONT, build.CELL_SIZE) <= inner + 0.01, (block.caption, cell)
                    continue
                cell.wrap(inner, 10_000)
                yield block.caption, " ".join("".join(f.text for f in cell.frags).split()), line_texts(cell)


@pytest.mark.parametrize("report", REPORTS, ids="-".join)
def test_no_cell_text_is_wider_than_its_column_and_no_token_is_split(report):
    splits, overflows = [], []
    for caption, text, lines in cell_lines(*report):
        for line, extra in lines:
            if extra < -0.01:
                overflows.append((caption, line))
        for (a, _), (b, _) in zip(lines, lines[1:]):
            if not (a.strip() and b.strip()):
                continue
            tail, head = a.split()[-1], b.split()[0]
            if TOKEN_END.search(tail) and TOKEN_START.search(head) and tail + head in text:
                splits.append((caption, a, b))  # a word or number cut in two
            elif tail[-1].isdigit() and UNIT_START.search(head) and f"{tail} {head}" in text:
                splits.append((caption, a, b))  # a number without its unit
    assert overflows == []
    assert splits == []


def test_the_reviewed_tokens_stay_on_one_line():
    texts = {("coking", "acceptance", "zh_CN"): ("NPV", "107,000 t/a", "(万元)", "（C-N11）"),
             ("coking", "acceptance", "en"): ("Hazardous", "11,574 tce", "90,000 t/a"),
             ("electroplating", "assessment", "zh_CN"): ("（kgce/单位）",)}
    for report, tokens in texts.items():
        lines = [line for _caption, _text, cell in cell_lines(*report) for line, _extra in cell]
        for token in tokens:
            assert any(token in line for line in lines), (report, token)


def test_empty_columns_give_their_width_to_the_text():
    """Annex A-11 (coking, en): ten columns with no values no longer squeeze "Other effects" to 12 mm."""
    widths = {}
    for block, rl in laid_out_tables("coking", "acceptance", "en"):
        if block.number == "A-11":
            widths.update(zip([c.text if isinstance(c, Paragraph) else c for c in rl._cellvalues[0]], rl._colWidths))
    other = next(w for text, w in widths.items() if "Other effects" in text)
    cod = next(w for text, w in widths.items() if "COD" in text)
    assert other > 3 * cod


# -- pagination ---------------------------------------------------------------------------------

def _pages_text(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


@pytest.mark.parametrize("report", [(n, s, lang) for n in SAMPLES for s in ("assessment", "acceptance")
                                    for lang in ("zh_CN", "en")], ids="-".join)
def test_no_page_carries_only_the_header_and_footer(report, tmp_path):
    pages = _pages_text(sample_pdf(*report), tmp_path)
    for number, text in enumerate(pages[1:], start=2):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) > 2, f"page {number} is blank"


def _story_pages(story: list, height: float) -> tuple[int, set[int]]:
    """(page count, pages where something other than space was drawn) of a story on pages ``height`` high."""
    drawn: set[int] = set()

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802
            if not isinstance(flowable, (Spacer, PageBreak, ActionFlowable)):
                drawn.add(self.page)

    width = styles.PORTRAIT[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    doc = Doc(io.BytesIO(), pagesize=(width, height))
    doc.addPageTemplates([PageTemplate("p", [Frame(0, 0, width, height, 0, 0, 0, 0)])])
    doc.build(story)
    return doc.page, drawn


def test_a_table_that_fills_the_page_exactly_leaves_no_blank_page_before_the_next_annex():
    """Coking zh p49 was blank: the evidence table filled p48, the Spacer after it went onto p49,
    then the annex's page break."""
    st, labels = styles.paragraph_styles("zh_CN"), _model("coking", "acceptance", "zh_CN").labels
    width = styles.PORTRAIT[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    block = Table("证明材料", (Column("编号"), Column("数量", numeric=True)), tuple((f"EV-{i}", str(i)) for i in range(12)))
    caption, table = [f for f in build._table(block, st, labels, width) if isinstance(f, (Paragraph, RLTable))]
    filled = caption.wrap(width, 1000)[1] + caption.getSpaceAfter() + table.wrap(width, 1000)[1]
    for height in range(int(filled), int(filled) + 8):  # filled to the point, or all but a few points
        flowables = build._table(block, st, labels, width)
        pages, drawn = _story_pages([*flowables, PageBreak(), Paragraph("附件 C", st["h0"])], height)
        assert drawn == set(range(1, pages + 1)), f"page {height} pt high: a blank page"


def test_a_row_is_never_cut_at_the_foot_of_a_page_only_when_taller_than_a_page():
    st, labels = styles.paragraph_styles("zh_CN"), _model("coking", "acceptance", "zh_CN").labels
    width = styles.PORTRAIT[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    columns = (Column("类别"), Column("水源和用途", weight=40))
    block = Table("用水情况", columns, (("新鲜水：市政供水", "园区自来水（生产漂洗 72,000）。" * 12),))
    table = next(f for f in build._table(block, st, labels, width) if isinstance(f, RLTable))
    _w, full = table.wrap(width, 10_000)
    assert table.split(width, full - 20) == []  # moves to the next page whole
    tall = Table("用水情况", columns, (("新鲜水", "园区自来水（生产漂洗 72,000）。" * 200),))
    table = next(f for f in build._table(tall, st, labels, width) if isinstance(f, RLTable))
    assert len(table.split(width, 300)) == 2  # a row taller than a page still goes on


def test_a_field_row_after_a_paragraph_is_kept_with_it(tmp_path):
    """Electroplating 2.8 ended with its paragraph at a page foot and one field row alone on the next page."""
    pages = _pages_text(sample_pdf("electroplating", "assessment", "zh_CN"), tmp_path)
    page = next(p for p in pages if "方案汇总表中本阶段提出的方案" in p)
    assert "2.8 无/低费方案" in page


def test_the_publicity_text_is_under_publicity_and_training():
    sections = {s.number: s for s in _model("coking", "acceptance", "zh_CN").sections()}
    text = lambda s: " ".join(getattr(b, "text", "") for b in s.blocks)  # noqa: E731
    assert "厂报专栏" in text(sections["1.4"])
    assert "厂报专栏" not in text(sections["1.5"])


# -- Chinese line breaking (禁则) -----------------------------------------------------------------

NO_START, NO_END = "，。、；：！？）》」』】”%", "（《「『【“"


def _wrapped(text: str, style, width: float) -> list[str]:
    p = Text(markup(text), style)
    p.wrap(width, 10_000)
    return [line for line, _extra in line_texts(p)]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_comma_that_falls_at_a_line_start_takes_the_character_before_it_along(lang):
    style = styles.paragraph_styles(lang)["cell"]
    width = 10 * stringWidth("甲", styles.FONT, style.fontSize)  # ten characters a line
    lines = _wrapped("甲" * 10 + "，乙" + "丙" * 20, style, width)
    assert lines[0] == "甲" * 9 and lines[1].startswith("甲，乙")
    lines = _wrapped("甲" * 9 + "（乙）丙" + "丁" * 20, style, width)
    assert lines[0] == "甲" * 9 and lines[1].startswith("（乙）")  # "（" never ends a line
    lines = _wrapped("甲" * 8 + "乙）。丙" + "丁" * 20, style, width)
    assert all(not line.startswith(tuple(NO_START)) for line in lines), lines
    assert all(stringWidth(line, styles.FONT, style.fontSize) <= width + 0.01 for line in lines)  # nothing hangs


@pytest.mark.parametrize("report", [r for r in REPORTS if r[2] == "zh_CN"], ids="-".join)
def test_no_line_of_the_sample_reports_starts_or_ends_against_the_rules(report):
    st = styles.paragraph_styles(report[2])
    width = styles.PORTRAIT[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    lines = []
    for section in _model(*report).sections():
        for block in section.blocks:
            if isinstance(block, Para):
                lines += _wrapped(block.text, st.get(block.style, st["body"]), width)
    lines += [line for _caption, _text, cell in cell_lines(*report) for line, _extra in cell]
    assert [line for line in lines if line.startswith(tuple(NO_START))] == []
    assert [line for line in lines if line.endswith(tuple(NO_END))] == []


# -- column groups --------------------------------------------------------------------------------

def _split_tables(report):
    model = _model(*report)
    styles.register_fonts()
    portrait = styles.PORTRAIT[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    landscape = styles.LANDSCAPE[0] - styles.MARGIN_LEFT - styles.MARGIN_RIGHT
    for section in model.sections():
        for block in section.blocks:
            if isinstance(block, Table):
                groups = columns.column_groups(block, landscape if block.wide else portrait)
                if len(groups) > 1:
                    yield block, groups


def test_the_continuation_of_table_2_7_repeats_medium_pollutant_and_stage():
    """Coking Table 2-7 (续) repeated only 介质: 17 rows of 废水/废气/危险废物 nobody could tell apart."""
    for lang, names in (("zh_CN", ("介质", "污染物或废物", "阶段")), ("en", ("Medium", "Pollutant or waste", "Stage"))):
        block, groups = next((b, g) for b, g in _split_tables(("coking", "acceptance", lang)) if b.number == "2-7")
        keys = groups[1][:3]
        assert tuple(block.columns[i].label for i in keys) == names
        assert len({tuple(row[i] for i in keys) for row in block.rows}) == len(block.rows)


@pytest.mark.parametrize("report", REPORTS, ids="-".join)
def test_every_continuation_tells_its_rows_apart_as_well_as_the_leading_text_columns_do(report):
    for block, groups in _split_tables(report):
        lead = []
        for i, column in enumerate(block.columns):
            if column.numeric:
                break
            lead.append(i)
        for group in groups[1:]:
            shown = [i for i in group if i in lead]
            assert len({tuple(r[i] for i in shown) for r in block.rows}) == \
                len({tuple(r[i] for i in lead) for r in block.rows}), (block.number, group)


# -- number formats -------------------------------------------------------------------------------

def _tables(report) -> dict[str, Table]:
    return {b.number: b for s in _model(*report).sections() for b in s.blocks if isinstance(b, Table)}


def test_computed_shares_and_rates_print_two_places_like_every_percentage():
    """Coking Table 2-8 printed 占限值比例 "80 / 83.3333 / 73.3333 / 50", Table 2-9 负荷率 "77.9112 / 81 / 84"."""
    tables = _tables(("coking", "acceptance", "zh_CN"))
    share = [row[5] for row in tables["2-8"].rows]
    assert share == ["80.00", "83.33", "73.33", "50.00"]
    load = [row[5] for row in tables["2-9"].rows]
    assert load == ["77.91", "81.00", "84.00"]


def test_the_same_rate_reads_the_same_in_the_body_and_in_the_annex():
    """IRR read "14.62%" in Table 5-6 and "14.6%" in annex Table A-10."""
    tables = _tables(("coking", "acceptance", "zh_CN"))
    irr = next(i for i, c in enumerate(tables["A-10"].columns) if c.label.startswith("内部收益率 IRR"))
    assert tables["A-10"].rows[0][irr] == "14.62%"
    body = next(t for n, t in tables.items() if n.startswith("5-") and any("14.62%" in c for r in t.rows for c in r))
    assert body


def test_each_cover_label_stands_on_the_same_baseline_as_its_value(tmp_path):
    """The labels are smaller than the values; a bottom-aligned row with unequal (leading − size)
    printed every label 4.5 pt below its value."""
    from reportlab.pdfbase.pdfmetrics import getAscentDescent

    path = tmp_path / "cover.pdf"
    path.write_bytes(sample_pdf("coking", "acceptance", "zh_CN"))
    xml = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    ascent, descent = getAscentDescent(styles.register_fonts(), 1)

    def baseline(word: str) -> float:
        y0, y1 = map(float, re.search(rf'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}<', xml).groups())
        size = (y1 - y0) / (ascent - descent)
        return y1 + descent * size  # descent is negative: yMax lies below the baseline

    for label, value in (("阶段", "验收"), ("审核轮次", "第1轮"), ("报告日期", "2027年2月28日")):
        assert abs(baseline(label) - baseline(value)) < 0.8, label
