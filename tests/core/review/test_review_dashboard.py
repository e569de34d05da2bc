"""The city dashboard over the two complete samples equals their hand-summed figures; filters and exports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cpaudit import audit_json
from cpaudit.bundle import format as fmt
from cpaudit.figures import compute_figures
from cpaudit.review import registry
from cpaudit.review.dashboard import Filters, dashboard, export_csv, export_xlsx, filter_choices
from cpaudit.review.importer import IMPORTED, import_paths
from cpaudit.review.inspector import open_inspector
from cpaudit.samples import sample_data
from cpaudit.workflow.loader import load_workflow


def _figures(sample: str) -> dict:
    wf = load_workflow()
    return fmt.jsonable_figures(compute_figures(audit_json.parse(sample_data(sample), wf), wf))


@pytest.fixture(scope="module")
def bureau(plating, coking, tmp_path_factory):
    out = tmp_path_factory.mktemp("dashboard")
    files = [plating.export(out / "plating-assessment.cpaudit"), plating.export(out / "plating-acceptance.cpaudit", "acceptance"),
             coking.export(out / "coking-assessment.cpaudit")]
    ws = open_inspector(out / "bureau.db")
    for e in (plating, coking):
        registry.add_request(ws, e.request(out / f"{e.audit_id}.json"), confirm_fingerprint=e.info.fingerprint)
    assert [o.status for o in import_paths(ws, files)] == [IMPORTED] * 3
    yield ws
    ws.close()


def test_totals_equal_the_hand_summed_sample_figures(bureau):
    board = dashboard(bureau)
    plating, coking = _figures("electroplating"), _figures("coking")
    assert board.audits == 2 and board.enterprises == 2  # plating's acceptance stands for its assessment
    # hand-summed from the two samples' benefit_totals (economic 97.04 + 1916.5 万元/a, …)
    assert board.benefits["economic_benefit"] == Decimal("2013.54")
    # electroplating 16.4592 + coking 13,900 (C-N7 1,600 + C-N8 800 + C-H2 11,500; C-N11's sold gas is no saving)
    assert board.benefits["energy_tce"] == Decimal("13916.4592")
    assert board.benefits["water"] == Decimal("400000")
    assert board.benefits["cod"] == Decimal("10.9495")
    assert board.benefits["hazardous_waste"] == Decimal("46.9")
    for key, value in board.benefits.items():
        expected = sum(Decimal(f["benefit_totals"]["values"][key]) for f in (plating, coking))
        assert value == expected, key
    opts = [o for f in (plating, coking) for o in f["options"]["options"] if o["status"] != "rejected"]
    assert board.options["no_low"] == sum(1 for o in opts if o["class"] in ("none", "low"))
    assert board.options["medium_high"] == sum(1 for o in opts if o["class"] in ("medium", "high"))
    assert board.options["implemented"] == sum(1 for o in opts if o["status"] in ("implemented", "verified"))
    assert board.options["invest_no_low"] == Decimal("15.4") + Decimal("156")
    assert board.options["invest_medium_high"] == Decimal("80") + Decimal("23800")
    assert board.options["implementation_rate"] == (Decimal(board.options["implemented"]) * 100 / len(opts)).quantize(Decimal("0.1"))
    benefits = {row[0]: row[2] for t in board.tables() if t.key == "benefits" for row in t.rows}
    # the report's names: formulas with subscripts, the rest translated (the zh_CN default here)
    assert benefits["SO₂"] == benefits["NH₃-N"] == "t/a" and benefits["经济效益"] == "万元/a"
    assert sorted(board.by_district) == [("晋源区", 1), ("清徐县", 1)]
    assert board.by_year == [(2026, 2)]
    assert sorted(board.by_status) == [("acceptance", "received", 1), ("assessment", "received", 1)]
    assert {s for s, _lv, _n in board.levels} == {"electroplating-2015", "iron-steel-integrated"}
    shown = {row[0] for table in board.tables() if table.key == "levels" for row in table.rows}
    assert not shown & {"electroplating-2015", "iron-steel-integrated"}  # titles, not ids
    assert any(title.startswith("电镀行业清洁生产评价指标体系") for title in shown)


def test_filters_narrow_the_audits(bureau):
    assert dashboard(bureau, Filters(district="清徐县")).audits == 1
    only_assessment = dashboard(bureau, Filters(stage="assessment"))
    assert only_assessment.audits == 2  # plating counts with its assessment now
    assert dashboard(bureau, Filters(year=2020)).audits == 0
    assert dashboard(bureau, Filters(year=2020)).benefits["water"] == 0
    assert filter_choices(bureau)["district"] == sorted(["晋源区", "清徐县"])


def test_exports_write_every_section(bureau, tmp_path):
    from openpyxl import load_workbook

    board = dashboard(bureau)
    text = export_csv(board, tmp_path / "d.csv").read_text(encoding="utf-8-sig")
    assert "2013.54" in text and "13916.4592" in text
    wb = load_workbook(export_xlsx(board, tmp_path / "d.xlsx"))
    assert wb.sheetnames == [t.key for t in board.tables()]
    values = [c.value for row in wb["benefits"].iter_rows() for c in row]
    assert 2013.54 in values


def test_decided_statuses_use_the_official_term_of_their_stage(bureau):
    """验收 ends 合格/不合格 and 评估 通过/不通过 (scoring.decision_term); the dashboard said 已通过/未通过 for both."""
    from cpaudit.i18n import using_language
    from dataclasses import replace

    from cpaudit.review.dashboard import status_label

    with using_language("zh_CN"):
        assert [status_label(s, "acceptance") for s in ("passed", "failed")] == ["合格", "不合格"]
        assert [status_label(s, "assessment") for s in ("passed", "failed")] == ["通过", "不通过"]
        board = replace(dashboard(bureau), by_status=[("acceptance", "passed", 1), ("assessment", "failed", 1)])
        (table,) = [t for t in board.tables() if t.key == "status"]
        assert [row[1] for row in table.rows] == ["合格", "不通过"]
    with using_language("en"):
        assert status_label("passed", "acceptance") == "Pass (合格)"
        assert status_label("received", "acceptance") == "Received"


def test_english_labels_that_stand_alone_start_with_a_capital_and_lower_case_inside_a_sentence():
    """Cells, filters, radio buttons and tab titles said 'assessment (评估)', 'received', 'pass (通过)'."""
    from cpaudit.formatting import stage_label
    from cpaudit.i18n import using_language
    from cpaudit.review.dashboard import status_label
    from cpaudit.review.scoring import decision_label

    with using_language("en"):
        assert stage_label("assessment") == "Assessment (评估)"
        assert stage_label("acceptance", in_sentence=True) == "acceptance (验收)"
        assert [status_label(s) for s in ("received", "in_review", "returned")] == [
            "Received", "In review", "Returned for correction"]
        assert decision_label("assessment", "pass") == "Pass (通过)"
        assert decision_label("assessment", "returned", in_sentence=True) == "returned for correction (退回修改)"
    with using_language("zh_CN"):
        assert stage_label("assessment") == stage_label("assessment", in_sentence=True) == "评估"
        assert status_label("in_review") == "审查中"
def test_english_dashboard_writes_headers_and_labels_in_sentence_case_and_money_as_the_enterprise_does(bureau):
    from cpaudit.formatting import unit_label
    from cpaudit.i18n import using_language

    with using_language("en"):
        tables = dashboard(bureau).tables()
        money = unit_label("万元")
    for table in tables:
        for text in table.headers + [row[0] for row in table.rows if table.key in ("options", "benefits")]:
            assert text[:1].upper() == text[:1], (table.key, text)
        for row in table.rows:
            assert not any("万元" in str(cell) for cell in row), (table.key, row)
    units = {row[0]: row[2] for t in tables if t.key == "options" for row in t.rows}
    assert units["Investment in no/low-cost options"] == money == "10k CNY"
