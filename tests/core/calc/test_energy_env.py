from decimal import Decimal as D

import pytest

from cpaudit.calc.energy import KJ_PER_KGCE, Consumption, comprehensive_energy, load_factor_table, measured_factor
from cpaudit.calc.env_benefit import env_tax_benefit, load_tax_rates
from cpaudit.calc.errors import DataFileError, InvalidInput, UnitMismatch
from cpaudit.domain.units import Money, Quantity


def test_factor_table_is_versioned_and_tagged():
    t = load_factor_table()
    assert t.edition == "GB/T 2589-2020"
    assert t.electricity["equivalent"].kgce_per_unit == D("0.1229")
    assert t.electricity["equal_value"].set_by == "bureau"
    assert t.electricity["equal_value"].kgce_per_unit is None
    assert t.carriers["diesel"].kgce_per_unit == D("1.4571") and t.carriers["diesel"].tag == "K"


def test_comprehensive_energy_equivalent_value():
    # 2 600 000 kWh × 0.1229 = 319 540 kgce; 100 000 m³ × 1.2143 = 121 430; 10 t coal = 7 143
    res = comprehensive_energy(
        [("electricity", Quantity.of(2600, "MWh")), ("natural_gas", Quantity.of(100000, "m³")),
         ("raw_coal", Quantity.of(10, "t"))],
        load_factor_table(), output=Quantity.of(300000, "m²"))
    assert res.electricity_method == "equivalent" and res.electricity_factor == D("0.1229")
    assert [line.kgce for line in res.lines] == [D("319540.0000"), D("121430.0000"), D("7143.0000")]
    assert res.total_tce == D("448.113")
    assert res.per_unit_kgce.unit == "kgce/m²"
    assert res.per_unit_kgce.value.quantize(D("0.0001")) == D("1.4937")


def test_equal_value_must_come_from_bureau():
    table = load_factor_table()
    with pytest.raises(InvalidInput) as e:
        comprehensive_energy([("electricity", Quantity.of(1, "kWh"))], table, electricity="equal_value")
    assert e.value.rule == "energy.equal_value_not_set"
    res = comprehensive_energy([("electricity", Quantity.of(2600000, "kWh"))], table,
                               electricity="equal_value", equal_value=D("0.30"))
    assert res.total_tce == D(780) and res.electricity_method == "equal_value"


def test_measured_heating_value_replaces_the_table_factor():
    """ref §4.3: 1 tce = 29.3076 GJ, so kgce/unit = LHV [kJ/unit] ÷ 29 307.6."""
    assert KJ_PER_KGCE == D("29307.6")
    # coke-oven gas measured at 17 900 kJ/m³: 17 900 / 29 307.6 = 0.610763… kgce/m³ (table: 0.5714)
    factor, unit = measured_factor(Quantity.of("17.9", "MJ/m³"))
    assert unit == "m³" and factor.quantize(D("0.000001")) == D("0.610763")
    assert measured_factor(Quantity.of(17900, "kJ/m³")) == (factor, "m³")
    table = load_factor_table()
    assert table.carriers["coke_oven_gas"].fuel and not table.carriers["steam_low_pressure"].fuel
    # 1 000 000 m³ × 17 900 kJ/m³ = 1.79 × 10¹⁰ kJ ÷ 29 307.6 = 610 763.1 kgce = 610.763 tce;
    # the same gas entered as 100 万m³; plus 100 t coke at the table's 0.9714 kgce/kg = 97.14 tce
    res = comprehensive_energy([
        Consumption("coke_oven_gas", Quantity.of(100, "万m³"), Quantity.of(17900, "kJ/m³"), "lab report 2025-03"),
        ("coke", Quantity.of(100, "t"))], table)
    gas, coke = res.lines
    assert (gas.basis, gas.factor_unit, gas.lhv_source) == ("measured", "m³", "lab report 2025-03")
    assert gas.tce.quantize(D("0.001")) == D("610.763")
    assert (coke.basis, coke.factor, coke.factor_unit, coke.tce) == ("table", D("0.9714"), "kg", D("97.14"))
    assert res.total_tce.quantize(D("0.001")) == D("707.903")
    table_only = comprehensive_energy([("coke_oven_gas", Quantity.of(100, "万m³"))], table)
    assert table_only.total_tce == D("571.4") and table_only.lines[0].basis == "table"
    # per kg: 2 t of coke measured at 28 000 kJ/kg → 2000 × 28 000 / 29 307.6 = 1 910.767 kgce
    solid = comprehensive_energy([Consumption("coke", Quantity.of(2, "t"), Quantity.of(28, "MJ/kg"))], table)
    assert solid.lines[0].kgce.quantize(D("0.001")) == D("1910.767")


def test_measured_heating_value_errors():
    table = load_factor_table()
    lhv = Quantity.of(17900, "kJ/m³")
    for carrier, amount in (("electricity", Quantity.of(1, "kWh")), ("steam_low_pressure", Quantity.of(1, "t"))):
        with pytest.raises(InvalidInput) as e:
            comprehensive_energy([Consumption(carrier, amount, lhv)], table)
        assert e.value.rule == "energy.lhv_not_fuel"
    with pytest.raises(InvalidInput) as e:
        comprehensive_energy([Consumption("coke_oven_gas", Quantity.of(1, "m³"), Quantity.of(17900, "kJ"))], table)
    assert e.value.rule == "energy.lhv_unit"
    with pytest.raises(InvalidInput) as e:
        comprehensive_energy([Consumption("coke_oven_gas", Quantity.of(1, "m³"), Quantity.of(0, "kJ/m³"))], table)
    assert e.value.rule == "energy.lhv_not_positive"
    with pytest.raises(UnitMismatch):  # gas in kg, heating value per m³: no common basis
        comprehensive_energy([Consumption("coke_oven_gas", Quantity.of(1, "kg"), lhv)], table)


def test_unknown_carrier_and_bad_unit():
    table = load_factor_table()
    with pytest.raises(InvalidInput):
        comprehensive_energy([("unobtainium", Quantity.of(1, "kg"))], table)
    with pytest.raises(Exception):
        comprehensive_energy([("natural_gas", Quantity.of(1, "kg"))], table)


def test_factor_table_strict(tmp_path):
    bad = tmp_path / "f.toml"
    bad.write_text('edition = "x"\nsource = "y"\n[electricity.equivalent]\nname_zh = "电"\nunit = "kWh"\n'
                   'kgce_per_unit = 0.1229\ntag = "K"\n[carriers.coal]\nname_zh = "煤"\nunit = "kg"\n'
                   'kgce_per_unit = 0.7\ntag = "K"\nfactr = 1\n', encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_factor_table(bad)
    assert e.value.params["key"] == "carriers.coal.factr" and e.value.params["file"] == str(bad)


def test_env_tax_benefit_hand_worked():
    table = load_tax_rates()
    assert table.pollutants["SO2"].kg_per_equivalent == D("0.95")
    assert table.pollutants["NH3_N"].kg_per_equivalent == D("0.8")
    # SO2 9.5 t → 10 000 eq × 1.2 = 12 000; COD 2 000 kg → 2 000 eq × 1.4 = 2 800; HW 29 t × 1000 = 29 000
    res = env_tax_benefit({"SO2": Quantity.of("9.5", "t/a"), "COD": Quantity.of(2000, "kg/a"),
                           "hazardous": Quantity.of(29, "t/a")}, table)
    assert [line.yuan_per_year for line in res.lines] == [D("12000.0"), D("2800.0"), D(29000)]
    assert res.total == Money.yuan(43800) and res.total_wan == Money.wan("4.38")
    # provincial water rate 2.8 元/eq doubles the COD line
    res = env_tax_benefit({"COD": Quantity.of(2, "t/a")}, table, water_rate=D("2.8"))
    assert res.total == Money.yuan(5600)


def test_env_tax_unknown_pollutant():
    with pytest.raises(InvalidInput):
        env_tax_benefit({"XYZ": Quantity.of(1, "t/a")}, load_tax_rates())
