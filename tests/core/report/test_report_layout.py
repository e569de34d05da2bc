"""Report layout: tables keep every token whole and inside its cell; pages, line breaks, column splits."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus import Table as RLTable

from cpaudit.report import build, build_model, styles
from cpaudit.report.model import Table

from conftest import sample_document

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
