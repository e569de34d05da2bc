"""Scoring sheets from data: strict loading, the math (each ≤ max, bonus cap), veto logic, decision terms."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cpaudit.review import scoring
from cpaudit.review.scoring import ScoringError, compute, default_sheet, load_sheet


@pytest.mark.parametrize("stage", ["assessment", "acceptance"])
def test_default_sheets_are_beijing_style(stage):
    sheet = default_sheet(stage)
    assert sheet.stage == stage and sheet.total == 100 and sheet.pass_mark == 70
    assert sum(i.max for i in sheet.scored) == 100 and sheet.vetoes and sheet.bonus
    assert any(i.checked for i in sheet.scored) and not all(i.checked for i in sheet.scored)  # unchecked values are marked


def _full(sheet, minus: Decimal = Decimal(0)) -> dict[str, Decimal]:
    """Full marks less ``minus`` points, taken item by item."""
    points = {}
    for item in sheet.scored:
        take = min(item.max, minus)
        points[item.id], minus = item.max - take, minus - take
    return points


def test_total_is_the_sum_of_scored_points_plus_capped_bonus():
    sheet = default_sheet("acceptance")
    points = {i.id: i.max / 2 for i in sheet.scored}  # 50 of 100
    bonus = {i.id: i.max for i in sheet.bonus}
    result = compute(sheet, points, bonus)
    assert result.scored == 50 and result.bonus == min(sum(i.max for i in sheet.bonus), sheet.bonus_cap)
    assert result.total == result.scored + result.bonus and result.complete
    over_cap = compute(sheet, points, bonus)
    assert over_cap.bonus <= sheet.bonus_cap


def test_pass_mark_comes_from_the_data_file():
    sheet = default_sheet("assessment")
    just = compute(sheet, _full(sheet, sheet.total - sheet.pass_mark))
    below = compute(sheet, _full(sheet, sheet.total - sheet.pass_mark + Decimal("0.5")))
    assert just.total == sheet.pass_mark and just.passed
    assert below.below_pass_mark and not below.passed
    assert scoring.suggested_decision(just) == scoring.PASS and scoring.suggested_decision(below) == scoring.FAIL


def test_bonus_lifts_a_total_over_the_pass_mark():
    sheet = default_sheet("acceptance")
    points = _full(sheet, sheet.total - sheet.pass_mark + 2)  # 68
    assert not compute(sheet, points).passed
    assert compute(sheet, points, {sheet.bonus[0].id: 2}).passed


def test_any_veto_fails_whatever_the_score():
    sheet = default_sheet("acceptance")
    for veto in sheet.vetoes:
        result = compute(sheet, _full(sheet), {b.id: b.max for b in sheet.bonus}, [veto.id])
        assert result.vetoes == (veto.id,) and not result.passed and result.total > sheet.pass_mark


def test_points_above_the_maximum_or_negative_are_refused():
    sheet = default_sheet("assessment")
    item = sheet.scored[0]
    with pytest.raises(ScoringError):
        compute(sheet, {item.id: item.max + 1})
    with pytest.raises(ScoringError):
        compute(sheet, {item.id: -1})
    with pytest.raises(ScoringError):
        compute(sheet, {sheet.vetoes[0].id: 1})  # a veto is not scored
    with pytest.raises(ScoringError):
        compute(sheet, {"nope": 1})


def test_missing_items_count_as_zero_and_are_listed():
    sheet = default_sheet("assessment")
    result = compute(sheet, {sheet.scored[0].id: 3})
    assert result.total == 3 and not result.complete and sheet.scored[0].id not in result.missing


def test_decision_terms_per_stage():
    assert scoring.decision_term("assessment", "pass") == "通过" and scoring.decision_term("assessment", "fail") == "不通过"
    assert scoring.decision_term("acceptance", "pass") == "合格" and scoring.decision_term("acceptance", "fail") == "不合格"
    assert "退回" in scoring.decision_term("acceptance", "returned")


def test_the_loader_names_the_file_and_the_unknown_key(tmp_path: Path):
    source = (scoring.sheets_dir() / "assessment-default.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(source.replace('max = 4\n', 'max = 4\nmaximum = 5\n', 1), encoding="utf-8")
    with pytest.raises(ScoringError) as exc:
        load_sheet(bad)
    assert str(bad) in exc.value.message and "maximum" in exc.value.message
    bad.write_text(source.replace("max = 4\n", "max = 5\n", 1), encoding="utf-8")
    with pytest.raises(ScoringError, match="total"):
        load_sheet(bad)
    bad.write_text(source.replace("pass_mark = 70\n", "", 1), encoding="utf-8")
    with pytest.raises(ScoringError, match="pass_mark"):
        load_sheet(bad)
