"""Balances use the sample A.5 figures of sample-cases.md (hand-summed there)."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpaudit.calc.balance import (BalanceSettings, Stream, StreamKind, WaterBalanceInput, air_load, annual_load,
                                  check_balance, water_balance, water_load)
from cpaudit.calc.errors import BalanceError, UnitMismatch
from cpaudit.domain.units import Quantity

K = StreamKind


def kg(x):
    return Quantity.of(x, "kg")


def ni_streams(rinse_out="662.8"):
    return [
        Stream("Ni anodes", "Ni tank", "in", K.INPUT, kg("5600.0")),
        Stream("NiSO4·6H2O", "Ni tank", "in", K.INPUT, kg("446.6")),
        Stream("NiCl2·6H2O", "Ni tank", "in", K.INPUT, kg("172.9")),
        Stream("Ni in coating", "Ni tank", "out", K.PRODUCT, kg("5340.0")),
        Stream("drag-out", "Ni tank", "out", K.INTERMEDIATE, kg("662.8"), measured=False),
        Stream("filters, bags, sludge", "Ni tank", "out", K.HAZARDOUS_WASTE, kg("80.0")),
        Stream("drips and spills", "Ni tank", "out", K.LOSS, kg("50.0"), measured=False),
        Stream("drag-out", "rinse R1-R3", "in", K.INTERMEDIATE, kg("662.8"), measured=False),
        Stream("Ni WW", "rinse R1-R3", "out", K.WASTE_WATER, kg(rinse_out)),
    ]


def test_ni_balance_sample_a5():
    res = check_balance(ni_streams(), component="Ni", settings=BalanceSettings(component_tolerance_pct={"Ni": D(2)}))
    assert res.overall.total_in == D("6219.5")
    assert res.overall.total_out == D("6132.8")
    assert res.overall.deviation_pct.quantize(D("0.01")) == D("1.39")
    assert res.closes and res.tolerance_pct == D(2) and res.breaking == ()
    tank, rinse = res.unit_operations
    assert tank.name == "Ni tank" and tank.deviation_pct.quantize(D("0.01")) == D("1.39")
    assert tank.estimated_streams == 2
    assert rinse.deviation_pct == 0


def test_ni_balance_tighter_tolerance_fails():
    res = check_balance(ni_streams(), component="Ni", settings=BalanceSettings(component_tolerance_pct={"Ni": D(1)}))
    assert not res.closes and res.breaking == ("Ni tank",)


def test_broken_copy_names_the_unit_operation():
    # Ni WW metered 500 instead of 662.8: overall out 5970.0 → 4.01 %; rinse (662.8−500)/662.8 = 24.56 %
    res = check_balance(ni_streams(rinse_out="500"), component="Ni")
    assert res.overall.deviation_pct.quantize(D("0.01")) == D("4.01")
    assert res.closes  # default 5 %
    assert res.breaking == ("rinse R1-R3",)
    assert res.unit_operations[1].deviation_pct.quantize(D("0.01")) == D("24.56")


def test_water_balance_l3_in_m3():
    ins = [("tap water", "20000"), ("pure water", "1200")]
    outs = [("pretreat", "3950"), ("cu strike", "1980"), ("acid cu", "1970"), ("ni", "7900"), ("cr", "3900"),
            ("evaporation", "900"), ("dumps", "300"), ("film", "6")]
    streams = [Stream(n, "L3", "in", K.INPUT, Quantity.of(v, "m³")) for n, v in ins]
    streams += [Stream(n, "L3", "out", K.WASTE_WATER, Quantity.of(v, "m³")) for n, v in outs]
    res = check_balance(streams, component="water")
    assert (res.overall.total_in, res.overall.total_out) == (D(21200), D(20906))
    assert res.overall.deviation_pct.quantize(D("0.01")) == D("1.39")


def test_mixed_units_refused_and_compatible_converted():
    streams = [Stream("a", "op", "in", K.INPUT, kg(1000)), Stream("b", "op", "out", K.WASTE_WATER,
                                                                   Quantity.of(1, "m³"))]
    with pytest.raises(UnitMismatch) as e:
        check_balance(streams)
    assert e.value.rule == "balance.mixed_units" and e.value.params["left"] == "kg"
    assert e.value.params["right"] == "m³" and e.value.params["stream"] == "b"
    ok = check_balance([Stream("a", "op", "in", K.INPUT, Quantity.of(2, "t")),
                        Stream("b", "op", "out", K.PRODUCT, kg(1900))])
    assert ok.unit == "t" and ok.overall.deviation_pct == D(5) and ok.closes


def test_no_input_raises():
    with pytest.raises(BalanceError):
        check_balance([Stream("b", "op", "out", K.PRODUCT, kg(1))])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.decimals(min_value=D("0.001"), max_value=D(10**6), places=3), min_size=1, max_size=8),
       st.randoms())
def test_equal_sums_close_at_zero(amounts, rnd):
    outs = list(amounts)
    rnd.shuffle(outs)
    streams = [Stream(f"in{i}", "op", "in", K.INPUT, kg(a)) for i, a in enumerate(amounts)]
    streams += [Stream(f"out{i}", "op", "out", K.PRODUCT, kg(a)) for i, a in enumerate(outs)]
    res = check_balance(streams)
    assert res.overall.deviation_pct == 0 and res.closes


def test_loads():
    assert water_load(Quantity.of(50, "mg/L"), Quantity.of(2000, "m³")).value == D(100)
    assert air_load(Quantity.of(30, "mg/m³"), Quantity.of(10**6, "m³")).value == D(30)
    assert air_load(Quantity.of(30, "mg/Nm³"), Quantity.of(2, "万Nm³")).value == D("0.6")
    assert annual_load(Quantity.of("2.5", "kg/h"), 7200) == Quantity.of(18, "t/a")
    with pytest.raises(UnitMismatch):
        air_load(Quantity.of(30, "mg/Nm³"), Quantity.of(1, "m³"))


def test_water_balance_whole_plant_sample_a5():
    m3 = lambda v: Quantity.of(v, "m³")  # noqa: E731
    res = water_balance(WaterBalanceInput(
        fresh=m3(90000), consumed=m3(5030 + 600), discharged=m3(78200 + 5400), leakage=m3(0),
        recycled=m3(10000), output=Quantity.of(300000, "m²")))
    assert res.deviation_pct.quantize(D("0.01")) == D("0.86") and res.closes
    assert res.total_use == D(100000) and res.reuse_rate_pct == D(10)
    assert res.unit_intake == Quantity.of("0.3", "m³/m²")
