"""The one mapping from workflow steps to the §6 outline stays complete."""

from __future__ import annotations

from conftest import sample_document

from cpaudit.report import outline
from cpaudit.report.figure_blocks import FIGURES
from cpaudit.report.charts import CHARTS


def test_every_workflow_step_has_a_place_in_the_outline(workflow):
    unmapped = [s.id for s in workflow.steps() if s.id not in outline.mapped_steps()]
    # A new step still reaches the report (end of its phase's chapter); name it in outline.OUTLINE.
    assert unmapped == []


def test_every_outline_figure_has_a_presenter():
    names = {f for c in outline.OUTLINE for s in outline.iter_sections(c.sections) for f in s.figures}
    assert names <= set(FIGURES)


def test_chart_kinds_used_exist():
    import inspect

    from cpaudit.report import figure_blocks, figure_results

    source = inspect.getsource(figure_blocks) + inspect.getsource(figure_results)
    import re

    kinds = set(re.findall(r'Chart\("(\w+)"', source))
    assert kinds and kinds <= set(CHARTS)


def test_report_package_never_imports_qt():
    import pathlib

    import cpaudit.report as pkg

    for path in pathlib.Path(pkg.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "PySide6" not in text and "from cpaudit.i18n import _" not in text, path.name
        assert len(text.splitlines()) < 400, path.name


def test_change_charts_leave_out_maintain_targets():
    """The coking sample keeps 100 % waste reuse and zero quench discharge (维持): a 0 % bar says
    nothing, and a zero baseline has no % change; the target tables list them."""
    from cpaudit.report import build_model
    from cpaudit.report.model import Chart

    doc, wf = sample_document("coking")
    model = build_model(doc, wf, "acceptance", "en")
    charts = [b for s in model.sections() for b in s.blocks if isinstance(b, Chart) and b.kind == "paired"]
    target_charts = [c for c in charts if "baseline" in c.caption]
    assert len(target_charts) == 2  # planned change (chapter 2) and achieved (chapter 6)
    for chart in target_charts:
        labels = [i["label"] for i in chart.data["items"]]
        assert labels == ["单位焦炭新鲜水耗", "炼焦工序能耗", "焦炉煤气放散率"], chart.caption


def test_balance_diagram_labels_keep_the_quantity_when_the_name_is_long():
    from reportlab.graphics.shapes import String

    from cpaudit.report.charts import draw
    from cpaudit.report.styles import register_fonts

    register_fonts()
    data = {"inputs": [("新水：循环冷却补水", 1_960_000.0)],
            "outputs": [("冷却塔蒸发和风吹（实测）及循环水系统的其他损失", 1_300_000.0), ("净焦炉煤气", 660_000.0)],
            "unit": "m³", "center": "全厂水平衡", "ok": True, "badge": "ok"}
    labels = [s.text for s in draw("flow", data, 420).contents if isinstance(s, String)]
    long_label = next(t for t in labels if t.startswith("冷却塔"))
    assert long_label.startswith("冷却塔蒸发") and long_label.endswith("… 1,300,000"), long_label  # the name gave way
    assert "净焦炉煤气 660,000" in labels  # a short name stays whole
    assert next(t for t in labels if t.startswith("新水")).endswith(" 1,960,000")


def test_payback_periods_read_with_two_places_in_every_table():
    """The economics table read 5.09 / 2.44 / 1,600 and 6.8 / 2.83 before the columns had places."""
    from cpaudit.report.content import Context

    doc, wf = sample_document("coking")
    ctx = Context.create(doc, wf, "zh_CN")
    column = wf.field("economic", "evaluation").column
    assert ctx.value(column("N"), "5.1", with_unit=False) == "5.10"
    # Beyond the economic life (10 a) the worksheet (annex A-10) says so, as the summary table does.
    assert ctx.value(column("N"), "1600", with_unit=False) == "> 10"
    assert ctx.value(column("N"), "10", with_unit=False) == "10.00"
    assert ctx.value(column("dynamic_payback"), "6.8", with_unit=False) == "6.80"


def test_economics_summary_shows_f_and_says_when_payback_exceeds_the_life():
    """Its 'F' column printed P (savings before tax), so payback = I / F did not check out
    (19,800 / 4,525 = 4.38, printed 5.09); and 1,600 years read as a figure, not as 'never'."""
    from cpaudit.figures import compute_figures
    from cpaudit.report import build_model
    from cpaudit.report.model import Table

    doc, wf = sample_document("coking")
    econ = compute_figures(doc, wf)["economics"]
    model = build_model(doc, wf, "acceptance", "en")
    (table,) = [b for s in model.sections() for b in s.blocks
                if isinstance(b, Table) and b.caption.startswith("Summary of the economic indicators")]
    life = float(econ["settings"]["economic_life"])
    priced = [o for o in econ["options"] if "I" in o]
    assert len(table.rows) == len(priced) >= 3
    for row, option in zip(table.rows, priced):
        investment, flow, payback = (float(c.replace(",", "")) if c[:1].isdigit() else c for c in row[1:4])
        assert flow == float(option["F"]) != float(option["P"])
        if option["N"] is None:
            assert payback == "never"
        elif float(option["N"]) > life:
            assert payback == f"> {life:.0f}"
        else:
            assert abs(investment / flow - payback) < 0.01  # the reader's check: N = I / F
    # The sample's C-H3 saves nothing (P = −52): F = 1.00 is the tax credit, and it never pays back.
    assert [o["number"] for o in priced if o["N"] is None] == ["C-H3"]


def test_changes_annex_names_the_step_of_a_justification_and_english_system_titles():
    """Annex C printed 'target.long_weaker@cp_targets' as a step; the English report printed the
    indicator system's id ('iron-steel-integrated') as its title."""
    from cpaudit.report import build_model
    from cpaudit.report.model import Para, Table

    doc, wf = sample_document("coking")
    journal = [{"group": 1, "at": "2026-03-02T09:00:00", "who": "a", "label": "x", "path": "target.long_weaker@cp_targets"},
               {"group": 2, "at": "2026-03-03T09:00:00", "who": "a", "label": "y", "path": "enterprise/name"}]
    model = build_model(doc, wf, "acceptance", "en", journal=journal)
    blocks = [b for s in model.sections() for b in s.blocks]
    (per_step,) = [b for b in blocks if isinstance(b, Table) and b.caption.startswith("Changed values per step")]
    assert [r[0] for r in per_step.rows] == ["Enterprise", "Set cleaner production targets"]
    said = " ".join(b.text for b in blocks if isinstance(b, Para))
    assert "Indicator system: Iron and steel (integrated plant) CP indicator system" in said
    assert "iron-steel-integrated" not in said


def test_energy_factors_carry_their_own_unit():
    """'0.1286' under 'kgce per unit' beside 't' read as kgce per t; it is kgce per kg of steam."""
    from cpaudit.report import build_model
    from cpaudit.report.model import Table

    doc, wf = sample_document("coking")
    model = build_model(doc, wf, "assessment", "en")
    (table,) = [b for s in model.sections() for b in s.blocks
                if isinstance(b, Table) and b.caption.startswith("Comprehensive energy consumption")]
    factors = {row[0]: (row[2], row[3]) for row in table.rows}
    assert any(unit == "t" and factor.endswith("kgce/kg") for unit, factor in factors.values())  # steam
    assert any(unit == "万m³" and factor.endswith("kgce/m³") for unit, factor in factors.values())  # gas


def test_a_level_not_assessed_says_why():
    """'Level reached: not assessed' stood above a table of per-indicator levels with no reason."""
    from cpaudit.report import build_model
    from cpaudit.report.model import Para

    doc, wf = sample_document("coking")
    said = [b.text for s in build_model(doc, wf, "assessment", "en").sections() for b in s.blocks if isinstance(b, Para)]
    level = next(i for i, text in enumerate(said) if text.startswith("Indicator system:"))
    assert "no weights" in said[level + 1] and "transcription" in said[level + 1]


def test_pollutant_charts_name_their_stage_and_say_what_they_leave_out():
    """Two panels titled 'COD (t)' (1,149 and 12.8) read as a contradiction; 5 of 17 series were
    dropped without a word; an audit with no levels got a full page of dashes."""
    from cpaudit.report import build_model
    from cpaudit.report.model import Chart, Para

    doc, wf = sample_document("coking")
    blocks = [b for s in build_model(doc, wf, "assessment", "en").sections() for b in s.blocks]
    (chart,) = [b for b in blocks if isinstance(b, Chart) and b.caption.startswith("Generation and discharge")]
    titles = [(s["title"], s["subtitle"]) for s in chart.data["series"]]
    assert len(titles) == len(set(titles)) and ("COD", "generated") in titles
    after = blocks[blocks.index(chart) + 1]  # 17 series, 2 of them zero every year
    assert isinstance(after, Para) and "zero in every year" in after.text and "first 12 of 15" in after.text

    from cpaudit.workspace import Workspace  # a new audit: no level chart at all
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp) / "w.db") as ws:
        empty = ws.document(ws.create_audit("x").id)
        charts = [b for s in build_model(empty, wf, "assessment", "en").sections() for b in s.blocks if isinstance(b, Chart)]
        assert not [c for c in charts if c.kind == "levels"]


def test_computed_quantities_are_printed_like_the_tables():
    """'基准产量 1000000 t' stood under a table printing 1,000,000; '1.466667 t/t' had six places."""
    from cpaudit.report.content import Context

    doc, wf = sample_document("coking")
    ctx = Context.create(doc, wf, "zh_CN")
    spec = wf.field("status_survey", "reference_output")
    assert ctx.value(spec, "1000000 t") == "1,000,000 t"
    assert ctx.value(spec, "1.466667 t/t") == "1.467 t/t"


def test_counts_and_deviations_that_looked_contradictory_are_explained():
    from cpaudit.report import build_model
    from cpaudit.report.model import Para

    doc, wf = sample_document("coking")
    said = " ".join(b.text for s in build_model(doc, wf, "acceptance", "en").sections() for b in s.blocks
                    if isinstance(b, Para))
    assert "1 of them rejected as not feasible" in said  # chapter 4 says "3 medium/high-cost, 1 not feasible"
    assert "fresh-water balance (GB/T 12452) counts fresh water only" in said  # 1.08 % beside 1.16 %


def test_a_level_reached_because_nothing_is_required_says_so():
    """0 % coal-moisture control read 'level III' like an achievement: level III sets no requirement
    ("--"), which counts as met (indicator-systems.md, Consequences item 3); the note says it."""
    from cpaudit.report import build_model
    from cpaudit.report.model import Chart, Para, Table

    doc, wf = sample_document("coking")
    blocks = [b for s in build_model(doc, wf, "acceptance", "zh_CN").sections() for b in s.blocks]
    (baseline,) = [b for b in blocks if isinstance(b, Table) and any("煤调湿" in r[0] for r in b.rows)
                   and len(b.columns) == 5]
    row = next(r for r in baseline.rows if "煤调湿" in r[0])
    assert "Ⅲ级无要求" in row[3]
    assert any(isinstance(b, Para) and "煤调湿" in b.text and "Ⅲ级无要求" in b.text for b in blocks)  # beside table 6-6
    labels = [r["label"] for b in blocks if isinstance(b, Chart) and b.kind == "levels" for r in b.data["rows"]]
    assert sum("煤调湿" in lb and "Ⅲ级无要求" in lb for lb in labels) == 2  # figures 2-x and 6-2
    # an indicator whose level is met on a real benchmark carries no note
    assert not any("焦炉" in r[0] and "无要求" in r[3] for r in baseline.rows)


def test_conversion_factors_keep_all_their_places_in_the_annex():
    """Table 2-6 printed 1.2143 kgce/m³ and annex A-1 1.214, with 145.72 tce that 1.214 × 120,000 (= 145.68)
    does not reproduce. Both now print 1.2143 and 120,000 m³ × 1.2143 kgce/m³ = 145.716 tce."""
    from cpaudit import formatting
    from cpaudit.report import build_model
    from cpaudit.report.model import Table

    doc, wf = sample_document("electroplating")
    tables = [b for s in build_model(doc, wf, "acceptance", "zh_CN").sections() for b in s.blocks if isinstance(b, Table)]
    gas = [r for t in tables for r in t.rows if r[0].startswith("天然气")]
    assert len(gas) == 2 and all("1.2143 kgce/m³" in r and "145.716" in r for r in gas)
    assert formatting.computed_text("energy_row_factor", "0.610763 kgce/m³") == "0.610763 kgce/m³"
    assert formatting.computed_text("row_ratio", "1.466667 t/t") == "1.467 t/t"


def test_steel_indicator_units_keep_their_product_basis():
    """炼焦工序能耗 printed 'kgce/t'; the source gives kgce/t焦, t矿, t铁, t钢 (indicator-systems.md Groups 3, 5)."""
    from cpaudit.calc.indicators import load_bundled
    from cpaudit.report import build_model
    from cpaudit.report.model import Table

    steel = load_bundled("iron-steel-integrated")
    assert [steel.indicator(k).unit for k in ("coking_energy", "sintering_energy", "ironmaking_energy", "bof_energy",
                                             "fresh_water", "cod")] == ["kgce/t焦", "kgce/t矿", "kgce/t铁", "kgce/t钢",
                                                                        "m³/t钢", "kg/t钢"]
    doc, wf = sample_document("coking")
    for lang, unit in (("zh_CN", "kgce/t焦"), ("en", "kgce/t coke")):
        tables = [b for s in build_model(doc, wf, "assessment", lang).sections() for b in s.blocks if isinstance(b, Table)]
        row = next(r for t in tables if len(t.columns) == 5 for r in t.rows if r[2] == "138.7")
        assert row[1] == unit, lang
