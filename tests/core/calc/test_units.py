from decimal import Decimal as D

import pytest

from cpaudit.calc.errors import InvalidInput, UnitMismatch
from cpaudit.domain.units import Money, Quantity, parse_decimal, sum_quantities


def test_parse_decimal_accepts_user_text():
    assert parse_decimal(" 1,234.50 ") == D("1234.50")
    assert parse_decimal("１２.５") == D("12.5")  # full-width digits
    assert parse_decimal(3) == D(3)
    assert parse_decimal(0.1) == D("0.1")


@pytest.mark.parametrize("bad", ["NaN", "inf", "-Infinity", "", "  ", "abc", True, None, float("nan")])
def test_parse_decimal_rejects(bad):
    with pytest.raises(InvalidInput):
        parse_decimal(bad)


def test_money_units():
    assert Money.yuan(43800).to("万元") == Money.wan("4.38")
    assert Money.wan("1.5") + Money.wan("0.25") == Money.wan("1.75")
    with pytest.raises(UnitMismatch) as e:
        Money.wan(1) + Money.yuan(1)
    assert e.value.params == {"left": "万元", "right": "元"}
    assert Money.wan(1) + Money.yuan(5000).to("万元") == Money.wan("1.5")


def test_quantity_conversion_table():
    assert (Quantity.of(1, "t") + Quantity.of(250, "kg")).value == D("1.25")
    assert Quantity.of("2.5", "kg/h").to("t/h").value == D("0.0025")
    assert Quantity.of(1, "MWh").to("kWh").value == D(1000)
    assert Quantity.of(3, "L").to("m3").value == D("0.003")
    assert Quantity.of(1, "m3").unit == "m³"


def test_incompatible_units_raise_naming_both():
    with pytest.raises(UnitMismatch) as e:
        Quantity.of(1, "kg") + Quantity.of(1, "m³")
    assert e.value.params == {"left": "kg", "right": "m³"}
    with pytest.raises(UnitMismatch):
        Quantity.of(1, "m³").to("Nm³")  # normal and actual volume are not interchangeable
    with pytest.raises(UnitMismatch):
        sum_quantities([Quantity.of(1, "kWh"), Quantity.of(1, "kgce")])
