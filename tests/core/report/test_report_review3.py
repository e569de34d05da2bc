"""What a bureau reviewer checks in the printed report: totals that add up, numbers that recompute,
labels that name the right thing (review 3 of the report PDFs)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from cpaudit.report import build_model
from cpaudit.report.model import Para, Table

from conftest import SAMPLES, pdf_text, sample_document, sample_pdf


@lru_cache(maxsize=None)
def model(name: str, stage: str, lang: str):
    doc, wf = sample_document(name)
    return build_model(doc, wf, stage, lang)


def chapter(m, key: str):
    return next(c for c in m.chapters if c.key == key)


def tables(m, caption_part: str) -> list[Table]:
    return [b for s in m.sections() for b in s.blocks if isinstance(b, Table) and caption_part in b.caption]


@pytest.mark.parametrize("name", SAMPLES)
def test_assessment_conclusions_never_print_the_final_report(name):
    """The 评估版 is dated before implementation: the phase-7 conclusions ("实施…方案…项，投资…") are
    not its conclusions; only the computed bullets of phases 1–5 are."""
    doc, _wf = sample_document(name)
    final = str(doc.get("final_report", "conclusions") or "")
    assert final  # the samples have phase-7 conclusions to leave out
    text = [b.text for s in chapter(model(name, "assessment", "zh_CN"), "conclusions").walk() for b in s.blocks
            if isinstance(b, Para)]
    assert text and all(b.style == "bullet" for s in chapter(model(name, "assessment", "zh_CN"), "conclusions").walk()
                        for b in s.blocks)
    assert not any(final.split("\n")[0].strip()[:20] in t for t in text)
    accepted = [b.text for s in chapter(model(name, "acceptance", "zh_CN"), "conclusions").walk() for b in s.blocks
                if isinstance(b, Para)]
    assert any(final.split("\n")[0].strip()[:20] in t for t in accepted)


def _dec(text: str):
    from decimal import Decimal

    return Decimal(text.replace(",", "").replace(" ", ""))


@pytest.mark.parametrize("name", SAMPLES)
def test_env_tax_total_is_the_sum_of_its_rows(name):
    """Table 6-5 printed a one-row total of 13,042.00 under a row of 13,042.40 (万元 at 4 places × 10,000)."""
    (table,) = tables(model(name, "acceptance", "en"), "Environmental-tax value")
    assert table.totals is not None
    assert _dec(table.totals[-1]) == sum(_dec(r[-1]) for r in table.rows)


@pytest.mark.parametrize("name", SAMPLES)
def test_completion_rates_recompute_to_the_places_printed(name):
    """Table 6-2 printed 102.80 % for (2.41 − 2.04) / (2.41 − 2.05) = 102.78 %: rounded to one place,
    shown with two."""
    from decimal import ROUND_HALF_UP, Decimal

    (table,) = tables(model(name, "acceptance", "en"), "Achievement of the CP targets")
    heads = [c.label for c in table.columns]
    col = {k: heads.index(k) for k in ("Baseline", "Target", "Achieved", "Achievement")}
    checked = 0
    for row in table.rows:
        if not row[col["Achievement"]]:
            continue
        b, t, a = (_dec(row[col[k]]) for k in ("Baseline", "Target", "Achieved"))
        expected = ((a - b) / (t - b) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert _dec(row[col["Achievement"]].rstrip("%")) == expected, row
        checked += 1
    assert checked >= 3


def energy_table(name: str, lang: str) -> Table:
    (table,) = tables(model(name, "acceptance", lang),
                      "基准年综合能源消费量" if lang == "zh_CN" else "Comprehensive energy consumption")
    return table


@pytest.mark.parametrize("name", SAMPLES)
def test_energy_table_prints_factors_with_all_their_places(name):
    """Table 2-6 cut the measured coke-oven-gas factor 0.610763 to 0.6108 while annex A-1 printed it whole:
    17,615 万m³ × 0.6108 does not give the 107,585.916 tce beside it."""
    from cpaudit.figures import compute_section

    doc, wf = sample_document(name)
    factors = [ln["factor_kgce"] for ln in compute_section("energy", doc, wf)["lines"]]
    printed = [row[3].split(" ")[0] for row in energy_table(name, "zh_CN").rows]
    assert [_dec(p) for p in printed] == [_dec(f) for f in factors]
    if name == "coking":
        assert printed[0] == "0.610763"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_energy_table_names_fresh_water_as_an_energy_carrier(lang):
    """fresh_water is also an id of the steel indicator enum: table 2-6 of a coking plant read
    "钢铁：生产用新鲜水量" / "Steel: Fresh water for production" for its 新水 line."""
    doc, wf = sample_document("coking")
    from cpaudit.i18n import translator

    expected = translator(lang).gettext(wf.enums["energy_carrier"].label_of("fresh_water"))
    names = [row[0] for row in energy_table("coking", lang).rows]
    assert expected in names
    assert not any("钢铁" in n or "Steel" in n for n in names)


@pytest.mark.parametrize("name,option,n,dynamic", [("coking", "C-H3", "never", "never"),
                                                   ("electroplating", "H2", "never", "never"),
                                                   ("electroplating", "H4", "> 10", "> 10")])
def test_annex_worksheet_says_never_where_chapter_5_does(name, option, n, dynamic):
    """Annex A-10 left N and the dynamic payback blank where table 5-6 says 无法回收 / never: the
    worksheet looked not filled in for exactly the option whose economics need justifying."""
    (table,) = [t for t in tables(model(name, "acceptance", "en"), "") if t.number == "A-10"]
    heads = [c.label for c in table.columns]
    row = next(r for r in table.rows if r[0] == option)
    assert (row[heads.index("N: payback period (a)")], row[heads.index("Dynamic payback (a)")]) == (n, dynamic)
    (summary,) = tables(model(name, "acceptance", "en"), "Summary of the economic indicators")
    assert next(r for r in summary.rows if r[0].startswith(option + " "))[3] == n


def test_env_tax_rates_carry_their_own_unit_and_unvalued_reductions_are_named():
    """Electroplating's table 6-5 priced hazardous waste "1,000.00" under 税额（元/污染当量） (it is
    元/t), and its 1,974 kg/a of heavy metals were left out without a word."""
    m = model("electroplating", "acceptance", "zh_CN")
    (table,) = [t for t in tables(m, "") if t.number == "6-5"]
    rates = {r[0]: r[2] for r in table.rows}
    assert rates["危险废物"] == "1,000.00 元/t"
    assert rates["COD"].endswith("元/污染当量")
    section = next(s for s in m.sections() if table in s.blocks)
    notes = [b.text for b in section.blocks if isinstance(b, Para) and b.style == "note"]
    assert any("未计价" in n and "重金属" in n for n in notes)


@pytest.mark.parametrize("name", SAMPLES)
def test_balance_diagrams_draw_what_their_badge_sums(name):
    """The coking 总物料平衡图 drew the raw gas between carbonisation and gas cleaning as a plant input and
    an output (inputs 1,902,282 t under a badge of 1,466,667 t); electroplating's 带出液 likewise."""
    from cpaudit.report.model import Chart

    doc, wf = sample_document(name)
    from cpaudit.figures import compute_section

    overall = {b["name"]: b["overall"] for sec in ("material_balance", "pollutant_balance", "water_balance")
               for b in compute_section(sec, doc, wf).get("balances") or [] if b.get("status") == "ok"}
    charts = [b for s in model(name, "acceptance", "en").sections() for b in s.blocks
              if isinstance(b, Chart) and b.kind == "flow"]
    assert len(charts) == len(overall) >= 2
    for chart in charts:
        totals = overall[chart.data["center"]]
        assert sum(q for _n, q in chart.data["inputs"]) == pytest.approx(float(totals["total_in"]))
        assert sum(q for _n, q in chart.data["outputs"]) == pytest.approx(float(totals["total_out"]))


@pytest.mark.parametrize("name", SAMPLES)
def test_verified_benefit_totals_have_fixed_places_by_unit(name):
    """电镀 6.3 printed 节能量 16.4592 tce/a under subtotals of 22.60 and −6.14, and COD 1.6335 t/a."""
    import re

    section = next(s for s in model(name, "acceptance", "zh_CN").sections() if s.number == "6.3")
    from cpaudit.report.model import Fields

    places = {"万元": 2, "tce": 2, "t": 3}
    checked = 0
    for block in section.blocks:
        if not isinstance(block, Fields):
            continue
        for _label, text in block.rows:
            m = re.fullmatch(r"-?[\d,]+(?:\.(\d+))? (\S+?)(?:/a)?", text)
            if m and m.group(2) in places:
                assert len(m.group(1) or "") == places[m.group(2)], text
                checked += 1
    assert checked >= 6


def test_benefit_totals_round_half_up():
    from decimal import Decimal

    from cpaudit.report.content import Context
    from cpaudit.report.figure_results import _benefit_total

    doc, wf = sample_document("electroplating")
    ctx = Context.create(doc, wf, "en")
    assert _benefit_total(ctx, Decimal("-6.145"), "tce/a") == "-6.15 tce/a"
    assert _benefit_total(ctx, "1.6335", "t/a") == "1.634 t/a"


@pytest.mark.parametrize("name", SAMPLES)
def test_small_multiples_keep_the_unit_and_leave_out_all_zero_series(name):
    """Fig. 2-2 titles "COD · Discharged or disposed of off-s…" lost their unit, and an all-zero
    酚氰废水排放量 panel took the place of a hazardous waste."""
    from reportlab.graphics.shapes import String

    from cpaudit.report.charts import draw
    from cpaudit.report.model import Chart
    from cpaudit.report.styles import register_fonts

    register_fonts()
    charts = [b for s in model(name, "acceptance", "en").sections() for b in s.blocks
              if isinstance(b, Chart) and b.kind == "multiples"]
    assert len(charts) == 2
    for chart in charts:
        series = chart.data["series"]
        assert all(any(v for v in s["values"]) for s in series)
        texts = [s.text for s in draw("multiples", chart.data, 420).contents if isinstance(s, String)]
        for s in series:
            if s["unit"]:
                assert any(t.endswith(f"({s['unit']})") and t.startswith(s["title"][:2]) for t in texts), s["title"]


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("stage", ["assessment", "acceptance"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_no_section_heading_ends_a_page(name, stage, lang, tmp_path):
    """"5.5 推荐实施的方案" stood alone at the foot of p.30 with its table on p.31 (and en 4.3 before
    table 4-2): a heading kept room for a paragraph, not for a caption and the first rows."""
    import re


    heading = re.compile(r"^\s*\d+(?:\.\d+)+ \S")
    for number, page in enumerate(pdf_text(sample_pdf(name, stage, lang), tmp_path).split("\f"), 1):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        body = lines[:-1]  # the last line is the page footer
        if body and "." * 5 not in page.replace(" ", ""):  # not a contents page
            assert not heading.match(body[-1]), (number, body[-1])


@pytest.mark.parametrize("name", SAMPLES)
def test_chinese_sentences_run_on_without_an_ascii_space(name):
    """"中/高费方案4项。 其中 1 项经论证不可行" and "……级别。 其基准值为转录数据": a space after 。 is
    English typesetting."""
    texts = [b.text for s in model(name, "acceptance", "zh_CN").sections() for b in s.blocks if isinstance(b, Para)]
    assert not [t for t in texts if "。 " in t]


def test_english_unit_columns_carry_the_product_basis_in_english():
    """Ch.2.5 printed "kgce/t coke" while tables 6-2, 6-3 and annexes A-2/A-3 kept "kgce/t焦"."""
    m = model("coking", "acceptance", "en")
    checked = 0
    for number in ("6-2", "6-3", "A-2", "A-3"):
        (table,) = [t for t in tables(m, "") if t.number == number]
        col = [c.label for c in table.columns].index("Unit")
        units = {r[col] for r in table.rows}
        assert not [u for u in units if u and u[-1] in "焦矿铁钢"], (number, units)
        checked += "kgce/t coke" in units
    assert checked == 4


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_applicable_column_shows_its_default_for_rows_that_do_not_store_it(lang):
    """Table 6-6's 适用 column was empty for every applicable indicator: the rows omit the key and
    the column's default (yes) is what the calculation reads."""
    from cpaudit.i18n import translator

    yes = translator(lang).gettext("Yes")
    (table,) = [t for t in tables(model("coking", "acceptance", lang), "") if t.number == "6-6"]
    col = [c.label for c in table.columns].index(translator(lang).gettext("Applicable"))
    assert {r[col] for r in table.rows} == {yes}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_indicator_table_after_implementation_gives_one_level_per_stage_and_the_unit(lang):
    """Table 6-6 printed 实施前评定级别 … 实施前级别 side by side (one mostly empty) and "138.7 → 124.8"
    without a unit."""
    from cpaudit.i18n import translator

    t = translator(lang).gettext
    (table,) = [x for x in tables(model("coking", "acceptance", lang), "") if x.number == "6-6"]
    heads = [c.label for c in table.columns]
    assert t("Judged level before") not in heads and t("Judged level after") not in heads
    assert heads.count(t("Level before")) == heads.count(t("Level after")) == 1
    energy = next(r for r in table.rows if r[heads.index(t("Value before"))] == "138.7")
    assert energy[heads.index(t("Unit"))] == ("kgce/t焦" if lang == "zh_CN" else "kgce/t coke")
    assert all(r[heads.index(t("Level before"))] for r in table.rows)


def test_one_wording_per_level_and_target_status():
    """未达Ⅲ级 (2-10), 未达到Ⅲ级 (6-6) and "<Ⅲ" (A-2) for one level; 已完成 in table 6-2 under a
    sentence and chart saying 已达到."""
    m = model("coking", "acceptance", "zh_CN")
    cells = {c for t in tables(m, "") for r in t.rows for c in r}
    assert "<Ⅲ" not in cells and "Ⅱ" not in cells and "未达到Ⅲ级" not in cells
    assert "未达Ⅲ级" in cells
    (a2,) = [t for t in tables(m, "") if t.number == "A-2"]
    assert "Ⅱ级（国内清洁生产先进水平）" in {r[[c.label for c in a2.columns].index("达到级别")] for r in a2.rows}
    (t62,) = [t for t in tables(m, "") if t.number == "6-2"]
    assert {r[-1] for r in t62.rows} == {"已达到"}


def test_balance_badge_reads_like_the_text_around_it():
    """The badge said "平衡: 输入 1,466,667.0 … （允许 5.0%）" under a text giving 5.00% and 1,466,667 t."""
    from cpaudit.report.model import Chart

    (chart, *_rest) = [b for s in model("coking", "acceptance", "zh_CN").sections() for b in s.blocks
                       if isinstance(b, Chart) and b.kind == "flow"]
    badge = chart.data["badge"]
    assert ": " not in badge and "：" in badge
    assert "1,466,667.0" not in badge and "1,466,667" in badge and "5.00%" in badge


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_an_indicator_has_one_name_in_the_report(name, lang):
    """Table 2-10 "炼焦工序能耗", table 6-6 and A-2 "钢铁：炼焦工序能耗"; electroplating "锌利用率④" with a
    footnote mark pointing at footnotes the report does not have."""
    import re

    m = model(name, "acceptance", lang)
    by_number = {t.number: {r[0] for r in t.rows} for t in tables(m, "") if t.number in ("2-10", "6-6", "A-2")}
    assert by_number["6-6"] <= by_number["2-10"] | by_number["A-2"]
    for names in by_number.values():
        assert not [n for n in names if re.search(r"[①-⑨]|^(钢铁|电镀)：|^(Steel|Plating): ", n)], names


def test_payback_is_headed_with_the_unit_the_annex_uses():
    """Table 5-6 headed the payback （年） while A-10 and table 5-7 say (a)."""
    (table,) = tables(model("coking", "acceptance", "en"), "Summary of the economic indicators")
    assert table.columns[3].label == "Payback N (a)"


@pytest.mark.parametrize("name", SAMPLES)
def test_assessment_register_does_not_print_todays_status(name):
    """The 评估版's annex A-8 read 已核定 (verified, a phase-6 state) for C-H2, commissioned months after
    the report date; the status is the register's as it is now, so only the 验收 report prints it."""
    from cpaudit.i18n import translator
    from cpaudit.report.outline import STAGES
    from cpaudit.workflow.loader import REPORT_STAGES

    assert REPORT_STAGES == STAGES
    status = translator("zh_CN").gettext("Status")
    heads = {stage: [c.label for t in tables(model(name, stage, "zh_CN"), "") if t.number == "A-8" for c in t.columns]
             for stage in STAGES}
    assert heads["assessment"] and status not in heads["assessment"]
    assert status in heads["acceptance"]
