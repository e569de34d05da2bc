"""Economic chain against the three test vectors of cp-audit-reference.md §4.1."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpaudit.calc.cost_class import CostThresholds, PaybackNorms, classify, load_settings
from cpaudit.calc.economics import EconomicInput, evaluate, npv, solve_irr, verdict
from cpaudit.calc.errors import InvalidInput

CENT = D("0.01")


def r2(x: D) -> D:
    return x.quantize(CENT)


def test_vector_1_given_cash_flow():
    # I = 150, F = 32.5 (tax 0 so F = P), n = 10, i = 5 %
    res = evaluate(EconomicInput(total_investment=D(150), annual_saving=D("32.5"), tax_rate=D(0),
                                 discount_rate=D("0.05")))
    assert res.F == D("32.5")
    assert r2(res.npv) == D("100.96")
    assert r2(res.N) == D("4.62")
    assert r2(res.irr * 100) == D("17.26")
    interp = res.irr_interpolated
    assert (interp.rate_low, interp.rate_high) == (D("0.17"), D("0.18"))
    assert interp.npv_low.quantize(D("0.0001")) == D("1.4046")
    assert interp.npv_high.quantize(D("0.0001")) == D("-3.9422")
    assert r2(interp.irr * 100) == D("17.26")
    # annuity factor 7.7217: NPV + I = F × 7.7217
    assert ((res.npv + res.I) / res.F).quantize(D("0.0001")) == D("7.7217")


def test_vector_2_full_chain():
    res = evaluate(EconomicInput(total_investment=D(10), annual_saving=D("1.58"), depreciation_years=10,
                                 tax_rate=D("0.25"), discount_rate=D("0.06")))
    assert (res.D, res.T, res.E, res.F) == (D(1), D("0.58"), D("0.435"), D("1.435"))
    assert r2(res.N) == D("6.97")
    assert r2(res.npv) == D("0.56")
    assert r2(res.irr * 100) == D("7.17")
    assert r2(res.npvr) == D("5.62")  # 0.5617 / 10 × 100


def test_vector_3_composite_tax():
    res = evaluate(EconomicInput(total_investment=D(500), annual_saving=D("132.17"), tax_rate=D("0.108"),
                                 discount_rate=D("0.10")))
    assert res.D == D(50)
    assert r2(res.F) == D("123.30")
    assert r2(res.N) == D("4.06")
    assert r2(res.irr * 100) == D("20.99")


def test_subsidy_and_components():
    # P = 1.0 + 0.58; I = 12 − 2 = 10 → identical to vector 2
    res = evaluate(EconomicInput(total_investment=D(12), subsidy=D(2), revenue_increase=D("1.0"),
                                 operating_cost_reduction=D("0.58"), discount_rate=D("0.06")))
    assert res.I == D(10) and res.P == D("1.58") and r2(res.npv) == D("0.56")


def test_dynamic_payback_hand_worked():
    # I = 10, F = 6, i = 0: year 1 → 6, year 2 → 12 ≥ 10; 1 + 4/6 = 1.6667
    res = evaluate(EconomicInput(total_investment=D(10), annual_saving=D(6), tax_rate=D(0),
                                 discount_rate=D(0), depreciation_years=5))
    assert res.dynamic_payback.quantize(D("0.0001")) == D("1.6667")
    # never pays back within the life: I = 10, F = 1, n = 5
    res = evaluate(EconomicInput(total_investment=D(10), annual_saving=D(1), tax_rate=D(0),
                                 discount_rate=D("0.05"), depreciation_years=5))
    assert res.dynamic_payback is None


def test_no_sign_change_gives_no_irr():
    # F = (−2.6 − 0.8)(1 − 0.25) + 0.8 = −1.75 < 0: NPV < 0 at every rate, so no IRR and no payback
    res = evaluate(EconomicInput(total_investment=D(8), annual_saving=D("-2.6"), discount_rate=D("0.08")))
    assert res.F == D("-1.75")
    assert res.irr is None and res.irr_interpolated is None and res.N is None


def test_verdict_rules():
    norms = load_settings().norms
    # sample-cases A.7 H3: I = 28, P = 10.28, tax 25 % → N = 3.33 a > medium norm 3 a
    res = evaluate(EconomicInput(total_investment=D(28), annual_saving=D("10.28"), discount_rate=D("0.08")))
    assert r2(res.N) == D("3.33")
    v = verdict(res, classify(D(28)), norms)
    assert not v.passed and v.reasons == ("econ.payback.within_norm",)
    v = verdict(res, "high", norms)
    assert v.passed
    v = verdict(res, "high", norms, benchmark_rate=D("0.5"))
    assert v.reasons == ("econ.irr.above_benchmark",)
    # a class with no norm skips payback
    assert [c.rule for c in verdict(res, "low", norms).checks] == ["econ.npv.non_negative",
                                                                   "econ.irr.above_benchmark"]


def test_verdict_never_pays_back():
    res = evaluate(EconomicInput(total_investment=D(12), annual_saving=D("-1"), discount_rate=D("0.08")))
    v = verdict(res, "medium", PaybackNorms({"medium": D(3)}))
    assert set(v.reasons) == {"econ.payback.never", "econ.npv.non_negative", "econ.irr.undefined"}


def test_no_saving_never_pays_back_even_when_the_tax_credit_leaves_f_positive():
    """Coking C-H3 (sample-cases B.7: "N: none"): I = 1,600, P = −52 → D = 160, T = −212,
    E = −159 (a tax credit on the loss), F = 1.00. I / F = 1,600 a was printed as its payback."""
    res = evaluate(EconomicInput(total_investment=D(1600), annual_saving=D(-52), discount_rate=D("0.08")))
    assert (res.D, res.T, res.E, res.F) == (D(160), D(-212), D(-159), D(1))
    assert res.N is None and res.dynamic_payback is None
    zero = evaluate(EconomicInput(total_investment=D(10), annual_saving=D(0), discount_rate=D("0.08")))
    assert zero.F == D("0.25") and zero.N is None  # F = 1 × 0.25: the credit, not a return
    # P > 0 keeps the textbook chain even with T < 0 (sample-cases A.7 H4: P = 0.5, N = 17.8 a)
    h4 = evaluate(EconomicInput(total_investment=D(12), annual_saving=D("0.5"), discount_rate=D("0.08")))
    assert h4.T == D("-0.7") and r2(h4.N) == D("17.78")


def test_a_fully_subsidised_option_is_not_failed_for_having_no_irr():
    norms = PaybackNorms({"medium": D(3)})
    res = evaluate(EconomicInput(total_investment=D(20), subsidy=D(20), annual_saving=D(5), discount_rate=D("0.08")))
    assert res.I == 0 and res.N == 0 and res.irr is None and res.dynamic_payback == 0
    v = verdict(res, "medium", norms)
    assert v.passed and "econ.irr.no_investment" in [c.rule for c in v.checks]
    # ... but nothing invested and nothing saved is not a payback of 0 years
    idle = evaluate(EconomicInput(total_investment=D(0), annual_saving=D(-1), discount_rate=D("0.08")))
    assert idle.N is None and idle.dynamic_payback is None
    assert not verdict(idle, "medium", norms).passed


def test_bad_inputs():
    with pytest.raises(InvalidInput) as e:
        EconomicInput(total_investment=D(10))
    assert e.value.rule == "econ.saving_missing"
    with pytest.raises(InvalidInput):
        EconomicInput(total_investment=D(10), annual_saving=D(1), tax_rate=D("1.2"))
    with pytest.raises(InvalidInput):
        EconomicInput(total_investment=D(10), annual_saving="nan")
    with pytest.raises(InvalidInput):
        EconomicInput(total_investment=D(10), annual_saving=D(1), subsidy=D(11))


def test_cost_class_thresholds():
    assert [classify(D(x)) for x in ("0", "4.99", "5", "49.99", "50")] == ["none", "low", "medium", "medium",
                                                                             "high"]
    custom = CostThresholds(low_below=D(1), medium_below=D(100))
    assert [classify(D(x), custom) for x in ("0.5", "1", "99", "100")] == ["low", "medium", "medium", "high"]
    with pytest.raises(InvalidInput):
        classify(D(-1))
    with pytest.raises(InvalidInput):
        CostThresholds(low_below=D(10), medium_below=D(5))
    s = load_settings()
    assert s.norms.norm("medium") == D(3) and s.norms.norm("high") == D(10) and s.norms.norm("low") is None


money = st.decimals(min_value=D("0.5"), max_value=D(1000), places=2)


@settings(max_examples=60, deadline=None)
@given(inv=money, flow=money, years=st.integers(1, 20),
       r1=st.decimals(min_value=D("-0.5"), max_value=D(2), places=3),
       dr=st.decimals(min_value=D("0.001"), max_value=D(1), places=3))
def test_npv_strictly_falls_as_rate_rises(inv, flow, years, r1, dr):
    assert npv(inv, flow, years, r1 + dr) < npv(inv, flow, years, r1)


@settings(max_examples=60, deadline=None)
@given(inv=money, flow=money, years=st.integers(1, 20))
def test_npv_at_irr_is_zero(inv, flow, years):
    irr = solve_irr(inv, flow, years)
    if irr is None:  # only when even −99 % cannot make the flows worth I
        assert npv(inv, flow, years, D("-0.99")) < 0 or npv(inv, flow, years, D(10)) > 0
        return
    assert abs(npv(inv, flow, years, irr)) < D("1e-6") * (inv + flow)


def test_a_payback_beyond_the_economic_life_fails_though_within_the_norm():
    """I = 100, P = 12, Y = 10, n = 5: D = 10, F = (12 − 10)(1 − 0.25) + 10 = 11.5, N = 100 / 11.5 = 8.70 a,
    within the 10 a high-cost norm but beyond the 5 a life; only NPV and IRR failed."""
    norms = PaybackNorms({"high": D(10)})
    res = evaluate(EconomicInput(total_investment=D(100), annual_saving=D(12), depreciation_years=10,
                                 economic_life=5, discount_rate=D("0.08")))
    assert r2(res.N) == D("8.70")
    v = verdict(res, "high", norms)
    assert "econ.payback.beyond_life" in v.reasons and "econ.payback.within_norm" not in v.reasons
    # within the life, no such check
    short = evaluate(EconomicInput(total_investment=D(28), annual_saving=D("10.28"), discount_rate=D("0.08")))
    assert "econ.payback.beyond_life" not in [c.rule for c in verdict(short, "high", norms).checks]
