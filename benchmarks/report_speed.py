"""The larger sample's full report against raw reportlab for the same pages (issue 5).

    ./uvw run python -m benchmarks.report_speed [--runs 5]

Targets: the full report (model + one layout pass + PDF) ≤ 2.5 × raw reportlab and
≤ 2 s. "Raw" is what reportlab alone takes for the same number of pages holding
tables (plain strings, one pass, no contents, no bookmarks) and the same number of
charts, in the same embedded CJK font: the floor any report on this machine pays.
Medians of ``--runs``; the font is registered before timing in both cases.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from cpaudit import audit_json
from cpaudit.report import build_model, build_report
from cpaudit.report.model import Chart
from cpaudit.report.styles import FONT, paragraph_styles
from cpaudit.samples import sample_data, sample_names
from cpaudit.workflow.loader import load_workflow

STAGE, LANG = "acceptance", "zh_CN"


def page_count(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")


def larger_sample(wf):
    """The sample whose full report has the most pages."""
    best = None
    for name in sample_names():
        if name.endswith("midway"):
            continue
        doc = audit_json.parse(sample_data(name), wf)
        pages = page_count(build_report(doc, wf, STAGE, LANG))
        if best is None or pages > best[2]:
            best = (name, doc, pages)
    return best


def raw_reportlab(pages: int, charts: int) -> bytes:
    """Same page count of tables (30 rows × 6 columns, CJK text and numbers) plus the charts."""
    st = paragraph_styles(LANG)
    story = []
    rows = [["项目", "单位", "第 1 年", "第 2 年", "第 3 年", "备注"]]
    rows += [[f"镀镍漂洗水 {i}", "m³", f"{1000 + i:,}", f"{1100 + i:,}", f"{1200 + i:,}", "实测"] for i in range(30)]
    style = TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9), ("GRID", (0, 0), (-1, -1), 0.4, (0.6, 0.6, 0.6))])
    for page in range(pages):
        story.append(Paragraph(f"表 {page + 1} 测试数据", st["table_caption"]))
        story.append(Table(rows, style=style))
        if page < charts:
            d = Drawing(400, 120)
            d.initialFontName = FONT
            for k in range(12):
                d.add(Rect(10 + k * 32, 10, 20, 10 + k * 8, fillColor=(0.2, 0.3, 0.5)))
                d.add(String(12 + k * 32, 2, str(2023 + k % 3), fontName=FONT, fontSize=7))
            story.append(d)
        story.append(PageBreak())
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1, initialFontName=FONT).build(story)
    return buf.getvalue()


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    wf = load_workflow()
    name, doc, pages = larger_sample(wf)  # also warms the font and the catalogs
    model = build_model(doc, wf, STAGE, LANG)
    charts = sum(1 for s in model.sections() for b in s.blocks if isinstance(b, Chart))
    ours = median_time(lambda: build_report(doc, wf, STAGE, LANG), args.runs)
    raw = median_time(lambda: raw_reportlab(pages, charts), args.runs)
    raw_pages = page_count(raw_reportlab(pages, charts))
    ratio = ours / raw
    print(f"sample {name}: {STAGE} report, {LANG}, {pages} pages, {charts} charts")
    print(f"cpaudit build_report   {ours:6.2f} s  (median of {args.runs})")
    print(f"raw reportlab          {raw:6.2f} s  ({raw_pages} pages of tables, {charts} charts, one pass)")
    print(f"ratio                  {ratio:6.2f} ×   target ≤ 2.5 × and ≤ 2 s: "
          f"{'met' if ratio <= 2.5 and ours <= 2.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
