"""Exercises: model answers from cpaudit.calc, and the comparison that explains differences."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cpaudit.i18n import translator, using_language
from cpaudit.training.exercises import ExerciseError, exercise_messages, load_exercise, load_exercises
from cpaudit.training.feedback import compare, parse_number


@pytest.fixture(scope="module")
def exercises():
    return {e.id: e for e in load_exercises()}


def by_key(feedback):
    return {f.key: f for f in feedback.findings}


def test_the_three_kinds_are_shipped_with_model_answers_from_calc(exercises):
    assert {e.kind for e in exercises.values()} == {"focus", "balance", "economics"}
    focus = exercises["focus-electroplating"].model()
    # sample-cases.md A.3: 310 / 355 / 263 / 204, L3 Cu/Ni/Cr line is the focus.
    assert [focus[f"total.{k}"] for k in ("zinc", "cu_ni_cr", "hard_chrome", "wwtp")] == [310, 355, 263, 204]
    assert focus["focus"] == "cu_ni_cr"
    nickel = exercises["balance-nickel"].model()
    assert (nickel["total_in"], nickel["total_out"]) == (Decimal("6219.5"), Decimal("6132.8"))
    assert round(nickel["deviation_pct"], 2) == Decimal("1.39") and nickel["closes"] == "yes"
    ro = exercises["economics-ro"].model()
    assert (ro["D"], ro["F"]) == (Decimal("3.2"), Decimal("12.1175")) and ro["feasible"] == "yes"
    evaporator = exercises["economics-evaporator"].model()
    assert evaporator["N"] > evaporator["norm"] and evaporator["NPV"] > 0 and evaporator["feasible"] == "no"


def test_a_correct_answer_is_all_right(exercises):
    ex = exercises["balance-nickel"]
    fb = compare(ex, {"total_in": "6,219.5", "total_out": "6132.8", "deviation_pct": "1.39 %", "closes": "yes"})
    assert fb.all_correct and fb.correct == fb.total == 4


def test_focus_mistakes_are_named(exercises):
    ex = exercises["focus-electroplating"]
    with using_language("en"):
        fb = by_key(compare(ex, {"total.zinc": "42", "total.cu_ni_cr": "345", "total.hard_chrome": "263",
                                 "total.wwtp": "", "focus": "zinc"}))
    assert "without multiplying" in fb["total.zinc"].message  # 9+8+6+6+7+6 = 42: R not weighted
    assert "1 point of R on 'Waste quantity' (W = 10)" in fb["total.cu_ni_cr"].message
    assert fb["total.hard_chrome"].correct
    assert not fb["total.wwtp"].correct and "no answer" in fb["total.wwtp"].message and "204" in fb["total.wwtp"].message
    assert not fb["focus"].correct and "L3 Cu/Ni/Cr line" in fb["focus"].message
    assert "by your own totals that would be L3 Cu/Ni/Cr line" in fb["focus"].message


def test_balance_mistakes_are_named(exercises):
    ex = exercises["balance-nickel"]
    with using_language("en"):
        fb = by_key(compare(ex, {"total_in": "5772.9", "total_out": "6132.8", "deviation_pct": "1.41", "closes": "no"}))
        assert "'Nickel sulphate NiSO₄·6H₂O, 2,000 kg (22.33 % Ni)' (446.6 kg) is missing" in fb["total_in"].message
        assert "divided by Σ outputs" in fb["deviation_pct"].message  # 86.7 / 6132.8 = 1.41 %
        assert not fb["closes"].correct and "within the tolerance of 2 %" in fb["closes"].message
        sign = by_key(compare(ex, {"deviation_pct": "-1.39"}))["deviation_pct"]
        assert "sign is reversed" in sign.message


def test_economics_mistakes_are_named(exercises):
    ex = exercises["economics-ro"]
    with using_language("en"):
        fb = by_key(compare(ex, {"D": "3.2", "F": "11.3175", "N": "2.12", "NPV": "81.31", "IRR": "0.36", "feasible": "yes"}))
    assert fb["D"].correct and fb["feasible"].correct
    assert "not on P" in fb["F"].message  # tax charged on P
    assert "not the saving P" in fb["N"].message  # 32 / 15.09
    assert "Subtract the investment" in fb["NPV"].message
    assert "in percent" in fb["IRR"].message


def test_judging_an_option_that_pays_but_too_slowly(exercises):
    ex = exercises["economics-evaporator"]
    with using_language("en"):
        fb = by_key(compare(ex, {"feasible": "yes"}))["feasible"]
    assert not fb.correct
    assert "longer than the norm of 3 yr" in fb.message and "environmental reason" in fb.message


def test_feedback_speaks_chinese_too(exercises):
    with using_language("zh_CN"):
        fb = compare(exercises["balance-nickel"], {"total_in": "5772.9"})
        text = " ".join(f.message for f in fb.findings) + fb.summary()
    assert "446.6" in text and "缺" in text and "model answer" not in text


def test_every_exercise_text_is_translated():
    tr = translator("zh_CN")
    missing = [m for m, _where in exercise_messages() if tr.gettext(m) == m and any(c.isalpha() and c.isascii() for c in m)]
    assert missing == []


def test_parse_number_takes_what_people_type():
    assert parse_number("１２,３４５.６") == Decimal("12345.6")
    assert parse_number("1.39 %") == Decimal("1.39") and parse_number("32万元") == Decimal("32")
    assert parse_number("abc") is None and parse_number("") is None
    assert parse_number("1,5") is None  # a decimal comma is not an answer of 15
    assert parse_number("1,234 万元") == Decimal("1234")


def test_a_broken_definition_is_refused_at_load(tmp_path: Path):
    bad = tmp_path / "x.toml"
    bad.write_text('[exercise]\nid = "x"\nkind = "balance"\ntitle = "t"\nbrief = "b"\nsource = "s"\nunit = "kg"\n'
                   '[[stream]]\nlabel = "a"\ndirection = "in"\nkind = "input"\nquantity = "1"\n'
                   '[[stream]]\nlabel = "b"\ndirection = "out"\nkind = "product"\nquantity = "1"\n', encoding="utf-8")
    assert load_exercise(bad).model()["closes"] == "yes"
    bad.write_text(bad.read_text(encoding="utf-8").replace('unit = "kg"\n', ""), encoding="utf-8")
    with pytest.raises(ExerciseError):
        load_exercise(bad)
