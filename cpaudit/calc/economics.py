"""Economic feasibility of an option: the I, P, D, T, E, F, N chain (ref §4.1).

Why Decimal: the results go into bureau tables in 万元 with two decimals and
must reproduce hand calculations exactly; floats drift in the last digit.
IRR is solved by bisection and also shown the "textbook" way (linear
interpolation between whole-percent rates), since inspectors check that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from cpaudit.calc.cost_class import PaybackNorms
from cpaudit.calc.errors import InvalidInput
from cpaudit.domain.units import parse_decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
_IRR_LOW = Decimal("-0.99")  # search range for the IRR bracket
_IRR_HIGH = Decimal(10)  # 1000 %
_IRR_TOL = Decimal("1e-12")


@dataclass(frozen=True)
class EconomicInput:
    """Option economics in 万元 per year; rates as fractions (0.25 = 25 %).

    Give either ``annual_saving`` (P) or its components ``revenue_increase``
    and ``operating_cost_reduction`` (P = sum). ``economic_life`` n defaults
    to the depreciation period Y; ``benchmark_rate`` (基准收益率) to ``discount_rate``.
    """

    total_investment: Decimal
    subsidy: Decimal = ZERO
    annual_saving: Decimal | None = None
    revenue_increase: Decimal | None = None
    operating_cost_reduction: Decimal | None = None
    depreciation_years: int = 10
    tax_rate: Decimal = Decimal("0.25")
    discount_rate: Decimal = Decimal("0.08")
    economic_life: int | None = None
    benchmark_rate: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("total_investment", "subsidy", "tax_rate", "discount_rate"):
            object.__setattr__(self, name, parse_decimal(getattr(self, name), field=name))
        for name in ("annual_saving", "revenue_increase", "operating_cost_reduction", "benchmark_rate"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, parse_decimal(value, field=name))
        if self.annual_saving is None and self.revenue_increase is None and self.operating_cost_reduction is None:
            raise InvalidInput("econ.saving_missing")
        if self.annual_saving is not None and (
            self.revenue_increase is not None or self.operating_cost_reduction is not None
        ):
            raise InvalidInput("econ.saving_ambiguous")
        if self.total_investment < 0 or self.subsidy < 0 or self.subsidy > self.total_investment:
            raise InvalidInput("econ.bad_investment", investment=str(self.total_investment), subsidy=str(self.subsidy))
        if not isinstance(self.depreciation_years, int) or self.depreciation_years <= 0:
            raise InvalidInput("econ.bad_depreciation_years", years=self.depreciation_years)
        life = self.economic_life
        if life is not None and (not isinstance(life, int) or life <= 0):
            raise InvalidInput("econ.bad_economic_life", years=life)
        if not ZERO <= self.tax_rate < ONE:
            raise InvalidInput("econ.bad_tax_rate", tax_rate=str(self.tax_rate))
        if self.discount_rate <= -ONE:
            raise InvalidInput("econ.bad_discount_rate", discount_rate=str(self.discount_rate))

    @property
    def saving(self) -> Decimal:
        if self.annual_saving is not None:
            return self.annual_saving
        return (self.revenue_increase or ZERO) + (self.operating_cost_reduction or ZERO)

    @property
    def life(self) -> int:
        return self.economic_life if self.economic_life is not None else self.depreciation_years


@dataclass(frozen=True)
class IrrInterpolation:
    """Textbook IRR = i₁ + NPV₁(i₂ − i₁)/(NPV₁ + |NPV₂|) between whole percents."""

    rate_low: Decimal
    rate_high: Decimal
    npv_low: Decimal
    npv_high: Decimal
    irr: Decimal


@dataclass(frozen=True)
class EconomicResult:
    """All indicators of the 经济评估指标汇总表, unrounded (万元, a, fractions)."""

    I: Decimal
    P: Decimal
    D: Decimal
    T: Decimal
    E: Decimal
    F: Decimal
    N: Decimal | None  # None when F ≤ 0 or P ≤ 0 (never pays back)
    npv: Decimal
    npvr: Decimal | None  # percent; None when I = 0
    irr: Decimal | None  # fraction; None when NPV has no sign change
    irr_interpolated: IrrInterpolation | None
    dynamic_payback: Decimal | None
    discount_rate: Decimal
    economic_life: int
    tax_rate: Decimal


def npv(investment: Decimal, cash_flow: Decimal, years: int, rate: Decimal) -> Decimal:
    """NPV = Σ_{j=1..n} F/(1+i)^j − I (ref §4.1)."""
    if rate <= -ONE:
        raise InvalidInput("econ.bad_discount_rate", discount_rate=str(rate))
    with localcontext() as ctx:
        ctx.prec = 40
        if rate == ZERO:
            return +(cash_flow * years - investment)
        # The cash flow is the same every year, so Σ F/(1+i)^j is the annuity
        # F·(1 − (1+i)^−n)/i: exact, and O(1) instead of O(n) inside the IRR search.
        total = cash_flow * (ONE - (ONE + rate) ** -years) / rate
        return +(total - investment)


def solve_irr(investment: Decimal, cash_flow: Decimal, years: int) -> Decimal | None:
    """Rate with NPV = 0 by bisection; None when the NPV never changes sign."""
    if investment <= 0:
        return None
    lo, hi = _IRR_LOW, _IRR_HIGH
    f_lo, f_hi = npv(investment, cash_flow, years, lo), npv(investment, cash_flow, years, hi)
    if f_lo == 0:
        return lo
    if f_hi == 0:
        return hi
    if (f_lo > 0) == (f_hi > 0):
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        while hi - lo > _IRR_TOL:
            mid = (lo + hi) / 2
            f_mid = npv(investment, cash_flow, years, mid)
            if f_mid == 0:
                return mid
            if (f_mid > 0) == (f_lo > 0):
                lo, f_lo = mid, f_mid
            else:
                hi = mid
        return +((lo + hi) / 2)


def interpolate_irr(investment: Decimal, cash_flow: Decimal, years: int) -> IrrInterpolation | None:
    """Find whole percents i₁, i₂ = i₁ + 1 % with NPV₁ ≥ 0 > NPV₂ and interpolate."""
    exact = solve_irr(investment, cash_flow, years)
    if exact is None:
        return None
    pct = int((exact * HUNDRED).to_integral_value(rounding="ROUND_FLOOR"))
    for low_pct in (pct - 1, pct, pct + 1):  # guard against a rate sitting on a whole percent
        i1, i2 = Decimal(low_pct) / HUNDRED, Decimal(low_pct + 1) / HUNDRED
        if i1 <= _IRR_LOW:
            continue
        n1, n2 = npv(investment, cash_flow, years, i1), npv(investment, cash_flow, years, i2)
        if n1 >= 0 > n2:
            irr = i1 + n1 * (i2 - i1) / (n1 + abs(n2))
            return IrrInterpolation(i1, i2, n1, n2, irr)
    return None


def dynamic_payback(investment: Decimal, cash_flow: Decimal, years: int, rate: Decimal) -> Decimal | None:
    """Smallest t with Σ_{j≤t} F/(1+i)^j ≥ I, interpolated within the year (ref §4.1)."""
    if investment <= 0:
        return ZERO if cash_flow > 0 else None
    cumulative = ZERO
    for j in range(1, years + 1):
        discounted = cash_flow / (ONE + rate) ** j
        if discounted > 0 and cumulative + discounted >= investment:
            return Decimal(j - 1) + (investment - cumulative) / discounted
        cumulative += discounted
    return None


def evaluate(inp: EconomicInput) -> EconomicResult:
    """Run the §4.1 chain: I, P, D = I/Y, T = P − D, E = T(1 − t), F = E + D, N = I/F."""
    i_ = inp.total_investment - inp.subsidy
    p = inp.saving
    d = i_ / inp.depreciation_years
    t = p - d
    e = t * (ONE - inp.tax_rate)
    f = e + d
    # No saving (P ≤ 0) means no payback (sample-cases rule 7; C-H3 "N: none"), even when the tax
    # credit on a negative T leaves F slightly positive: "1,600 a" would be that credit, not a return.
    pays_back = f > 0 and p > 0
    n_static = i_ / f if pays_back else None
    n = inp.life
    value = npv(i_, f, n, inp.discount_rate)
    return EconomicResult(
        I=i_, P=p, D=d, T=t, E=e, F=f, N=n_static,
        npv=value,
        npvr=value / i_ * HUNDRED if i_ > 0 else None,
        irr=solve_irr(i_, f, n),
        irr_interpolated=interpolate_irr(i_, f, n),
        dynamic_payback=dynamic_payback(i_, f, n, inp.discount_rate) if pays_back else None,
        discount_rate=inp.discount_rate,
        economic_life=n,
        tax_rate=inp.tax_rate,
    )


@dataclass(frozen=True)
class Check:
    """One decision rule: its id, whether it passed, and the numbers involved."""

    rule: str
    passed: bool
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Verdict:
    """Feasibility verdict; ``reasons`` lists the rule ids that failed."""

    passed: bool
    checks: tuple[Check, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(c.rule for c in self.checks if not c.passed)


def verdict(
    result: EconomicResult,
    cost_class: str,
    norms: PaybackNorms,
    benchmark_rate: Decimal | None = None,
) -> Verdict:
    """Decision rules of ref §4.1: N within the class norm and the economic life, NPV ≥ 0, IRR ≥ benchmark.

    ``benchmark_rate`` defaults to the discount rate used for the NPV.
    A class without a norm skips the payback rule.
    """
    bench = result.discount_rate if benchmark_rate is None else parse_decimal(benchmark_rate)
    checks: list[Check] = []
    norm = norms.norm(cost_class)
    if norm is not None:
        if result.N is None:
            checks.append(Check("econ.payback.never", False, (("norm", str(norm)),)))
        else:
            checks.append(Check("econ.payback.within_norm", result.N <= norm,
                                (("N", str(result.N)), ("norm", str(norm)), ("cost_class", cost_class))))
    if result.N is not None and result.N > result.economic_life:
        # A class norm longer than the life (or none) must not let an option pass that has not paid
        # back when it is worn out: N = 8.7 a within the 10 a high-cost norm, but n = 5 a.
        checks.append(Check("econ.payback.beyond_life", False,
                            (("N", str(result.N)), ("life", str(result.economic_life)))))
    checks.append(Check("econ.npv.non_negative", result.npv >= 0, (("npv", str(result.npv)),)))
    if result.I <= 0 and result.F > 0:
        # Nothing invested (fully subsidised): no rate makes NPV = 0, and none needs to; not a failure.
        checks.append(Check("econ.irr.no_investment", True))
    elif result.irr is None:
        checks.append(Check("econ.irr.undefined", False))
    else:
        checks.append(Check("econ.irr.above_benchmark", result.irr >= bench,
                            (("irr", str(result.irr)), ("benchmark", str(bench)))))
    return Verdict(all(c.passed for c in checks), tuple(checks))
