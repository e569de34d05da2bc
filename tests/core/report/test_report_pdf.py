"""The audit report PDF (issue 5): outline, pages, figures in the text, fonts, determinism."""

from __future__ import annotations

import re
import subprocess

import pytest

from cpaudit.report import build_model, build_report
from cpaudit.report.model import Fields
from cpaudit.report.outline import chapters_for

from conftest import SAMPLES, outline_titles, pdf_pages, pdf_text, sample_document, sample_pdf

STAGES_LANGS = [(s, lang) for s in ("assessment", "acceptance") for lang in ("zh_CN", "en")]


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("stage,lang", STAGES_LANGS)
def test_every_chapter_and_section_has_a_bookmark(name, stage, lang):
    doc, wf = sample_document(name)
    pdf = sample_pdf(name, stage, lang)
    model = build_model(doc, wf, stage, lang)
    assert b"/Outlines" in pdf
    titles = set(outline_titles(pdf))
    for section in model.sections():
        if section.title:
            assert any(t.endswith(section.title) for t in titles), section.heading
    assert not model.diagnostics  # every figure section the report presents could be drawn


@pytest.mark.parametrize("name", SAMPLES)
def test_page_counts_and_stage_extent(name, tmp_path):
    assessment = pdf_pages(sample_pdf(name, "assessment", "zh_CN"), tmp_path)
    acceptance = pdf_pages(sample_pdf(name, "acceptance", "zh_CN"), tmp_path)
    assert 20 <= assessment < acceptance <= 90
    text_a = pdf_text(sample_pdf(name, "assessment", "zh_CN"), tmp_path)
    text_b = pdf_text(sample_pdf(name, "acceptance", "zh_CN"), tmp_path)
    # §6: the 评估 report ends at chapter 5; the 验收 report is complete
    text_a, text_b = re.sub(r"\s+", "", text_a), re.sub(r"\s+", "", text_b)
    assert "第5章" in text_a and "第6章" not in text_a and "第7章" not in text_a
    assert "第6章" in text_b and "第7章" in text_b and "清洁生产目标完成情况" in text_b


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_contents_page_numbers_point_at_their_headings(lang, tmp_path):
    # One layout pass: the numbers are PDF forms written at save time (report.build.Contents).
    pages = pdf_text(sample_pdf("electroplating", "acceptance", lang), tmp_path).split("\f")
    entry = re.compile(r"^\s*(\S.*?)\s*(?:\. ?){3,}\s*(\d+)\s*$")
    contents = next(i for i, p in enumerate(pages) if sum(bool(entry.match(x)) for x in p.splitlines()) > 5)
    flat = [re.sub(r"\s+", "", p) for p in pages]
    checked = 0
    for line in pages[contents].splitlines() + pages[contents + 1].splitlines():
        m = entry.match(line)
        if m:
            number, title = int(m.group(2)), re.sub(r"\s+", "", m.group(1))
            assert number > contents + 1 and title in flat[number - 1], (title, number)
            checked += 1
    assert checked >= 30


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_key_figures_are_in_the_text(name, lang, tmp_path):
    from cpaudit.figures import compute_figures
    from cpaudit.report.content import Context

    doc, wf = sample_document(name)
    text = pdf_text(sample_pdf(name, "acceptance", lang), tmp_path)
    flat = re.sub(r"\s+", "", text)
    ctx = Context.create(doc, wf, lang)
    figures = compute_figures(doc, wf)
    assert re.sub(r"\s+", "", str(doc.get("enterprise", "name"))) in flat
    assert doc.id in text
    assert "DRAFT" not in flat and "草稿" not in flat  # a complete sample is no draft
    expected = [ctx.number(figures["energy"]["total_tce"], 3)] if figures["energy"].get("status") == "ok" else []
    chosen = figures["focus_ranking"].get("chosen")
    if chosen:
        expected.append(re.sub(r"\s+", "", chosen))
    for option in figures["economics"]["options"]:
        if option.get("npv"):
            expected.append(ctx.number(option["npv"], 2))
    for balance in figures["material_balance"].get("balances", []):
        expected.append(ctx.percent(balance["overall"]["deviation_pct"], 2))
    assert expected
    for value in expected:
        assert value in flat, value
    pages = pdf_pages(sample_pdf(name, "acceptance", lang), tmp_path)
    footer = f"第{pages}页，共{pages}页" if lang == "zh_CN" else f"Page{pages}of{pages}"
    assert footer in flat


@pytest.mark.parametrize("stage,lang", STAGES_LANGS)
def test_every_font_is_embedded(stage, lang, tmp_path):
    path = tmp_path / "f.pdf"
    path.write_bytes(sample_pdf("electroplating", stage, lang))
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        # name type encoding emb sub uni object-id: "emb" is the 4th field from the right
        assert row.split()[-5] == "yes", row
        assert "Helvetica" not in row and "Times" not in row


def test_the_zh_report_shows_no_english_outline_titles(tmp_path):
    doc, wf = sample_document("electroplating")
    model = build_model(doc, wf, "acceptance", "zh_CN")
    for section in model.sections():
        assert not re.search(r"[A-Za-z]{4,}", section.title), section.title
    for label, _value in model.cover + model.management:
        assert not re.search(r"[A-Za-z]{4,}", label), label
    # Computed texts too: the electricity factor line read "GB/T 2589-2020; electricity equivalent …".
    said = " ".join(v for s in model.sections() for b in s.blocks if isinstance(b, Fields) for _k, v in b.rows)
    assert "电力折标：当量值，0.1229 kgce/kWh" in said and "electricity" not in said


def test_same_audit_same_bytes(small_audit):
    ws, audit_id = small_audit
    from cpaudit.store.journal import iter_journal
    from cpaudit.workflow.loader import load_workflow

    wf = load_workflow()
    for lang in ("zh_CN", "en"):
        first = build_report(ws.document(audit_id), wf, "acceptance", lang, journal=list(iter_journal(ws.db, audit_id)))
        second = build_report(ws.document(audit_id), wf, "acceptance", lang, journal=list(iter_journal(ws.db, audit_id)))
        assert first == second
        assert first.startswith(b"%PDF")


def test_samples_are_deterministic_too():
    doc, wf = sample_document("coking")
    assert build_report(doc, wf, "assessment", "en") == sample_pdf("coking", "assessment", "en")


def test_small_audit_report_names_what_is_missing(small_audit, tmp_path):
    ws, audit_id = small_audit
    from cpaudit.store.journal import iter_journal
    from cpaudit.workflow.loader import load_workflow

    seen: list[float] = []
    pdf = build_report(ws.document(audit_id), load_workflow(), "assessment", "en",
                       journal=list(iter_journal(ws.db, audit_id)), progress=seen.append,
                       manifest_hash="ab" * 32, watermark="DEMO")
    text = re.sub(r"\s+", "", pdf_text(pdf, tmp_path))
    assert "太原示例报告测试有限公司" in text
    assert "Round2" in text
    assert "Notrecordedinthisaudit." in text
    assert "kick-offmeeting" in text  # annex C: the journal's reasons
    assert "ab" * 32 in text  # the reserved manifest block
    # Open errors: a draft on the cover and in every running header, not only in annex D.
    assert "(assessmentversion)—DRAFT" in text
    draft = re.search(r"Draft:(\d+)(errors?)stillopen", text)  # '1 error', '2 errors', never 'error(s)'
    assert draft and (draft[2] == "error") == (draft[1] == "1")
    annex = re.search(r"(\d+)(errorsare|erroris)stillopen", text)
    assert annex and (annex[2] == "erroris") == (annex[1] == "1")
    assert text.count("Assessment(评估)·DRAFT") >= 5
    assert watermark_letters(pdf, tmp_path) == "DEMO"
    assert seen == sorted(seen) and seen[-1] == 1.0


def watermark_letters(pdf: bytes, tmp) -> str:
    """The rotated watermark comes out of pdftotext as large single letters; read them left to right."""
    path = tmp / "w.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    big = [(float(x0), w) for x0, y0, y1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(\w)</word>', xml)
        if float(y1) - float(y0) > 50]
    return "".join(w for _x, w in sorted(big))


def test_pdf_metadata_comes_from_the_audit(tmp_path):
    path = tmp_path / "m.pdf"
    path.write_bytes(sample_pdf("electroplating", "acceptance", "zh_CN"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    doc, _wf = sample_document("electroplating")
    assert str(doc.get("enterprise", "name")) in info
    assert "清洁生产审核报告（验收版）" in info
    assert "cpaudit" in info
    model = build_model(doc, _wf, "acceptance", "zh_CN")
    year = model.iso_date[:4]
    assert re.search(rf"CreationDate:.*{year}", info)


def test_outline_covers_chapters_for_each_stage():
    assert [c.number for c in chapters_for("assessment") if c.number] == [1, 2, 3, 4, 5]
    assert [c.number for c in chapters_for("acceptance") if c.number] == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("lang,expected", [("zh_CN", "实测低位发热量17.9MJ/m³"), ("en", "measuredlowheatingvalue17.9MJ/m³")])
def test_a_measured_heating_value_is_named_under_the_energy_table(lang, expected, tmp_path):
    # ref §4.3: a figure must say which factor it used; the coking plant measures its coke-oven gas
    text = re.sub(r"\s+", "", pdf_text(sample_pdf("coking", "acceptance", lang), tmp_path))
    assert expected in text


def test_ions_and_powers_keep_their_superscripts(tmp_path):
    """The font has no ⁶, ⁺ or ⁷: "Cr⁶⁺" printed as "Cr" and a gap, "8.0×10⁷" as "8.0×10"."""
    from cpaudit.report.glyphs import drawable, markup

    assert markup("Cr⁶⁺ < 0.1") == "Cr<super>6+</super> &lt; 0.1"
    assert markup("Ni²⁺、NOₓ、m³、CO₂") == "Ni<super>2+</super>、NO<sub>x</sub>、m³、CO₂"  # ³ and ₂ exist: kept
    assert drawable("8.0×10⁷ kWh/a") == "8.0×107 kWh/a"
    flat = re.sub(r"\s+", "", pdf_text(sample_pdf("electroplating", "acceptance", "zh_CN"), tmp_path))
    assert "Cr6+" in flat and "Ni2+" in flat  # in the text layer too (a raised "7" in a table cell
    # is read out of line by pdftotext, so the power of ten is checked on the markup above)
