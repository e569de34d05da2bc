"""Energy carriers → standard coal (tce) from a versioned factor table (ref §3, §4.3).

Why a table with an edition: factors change between GB/T 2589 editions and
the bureau may prescribe its own electricity value; every result names the
edition and the electricity factor it used, so a report can be reproduced.

Measured heating values: the table factor of a fuel is its calorific value
÷ the calorific value of standard coal. For fuels whose heating value varies
from plant to plant (coke-oven gas 16 726–17 981 kJ/m³ in ref §4.3) the
enterprise may enter its measured low heating value (LHV) instead; the line
then uses kgce/unit = LHV [kJ/unit] ÷ 29 307.6 kJ/kgce (ref §4.3: 1 tce =
29.3076 GJ = 7000 kcal/kg) and says so (``basis = "measured"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal, Mapping, Sequence

from cpaudit.calc.datafile import check_keys, get_bool, get_decimal, get_str, load_toml
from cpaudit.calc.errors import DataFileError, InvalidInput, UnitMismatch
from cpaudit.domain.units import Quantity, parse_decimal

DEFAULT_FILE = ("factors", "gbt2589-2020.toml")
ElectricityMethod = Literal["equivalent", "equal_value"]
ELECTRICITY = "electricity"
THOUSAND = Decimal(1000)
# ref §4.3: 1 tce = 29.3076 GJ (7000 kcal/kg), so 1 kgce = 29 307.6 kJ.
KJ_PER_KGCE = Decimal("29307.6")
FactorBasis = Literal["table", "measured"]


@dataclass(frozen=True)
class Factor:
    """kgce per ``unit`` of one carrier; ``tag`` 'K' = not checked against the standard.

    ``fuel``: the factor derives from a calorific value, so a measured low
    heating value may replace it (``to_kgce``).
    """

    key: str
    name_zh: str
    unit: str
    kgce_per_unit: Decimal | None  # None: must be supplied (electricity equal value)
    tag: str
    set_by: str = "standard"
    fuel: bool = False


@dataclass(frozen=True)
class FactorTable:
    edition: str
    source: str
    carriers: Mapping[str, Factor]
    electricity: Mapping[str, Factor]


@dataclass(frozen=True)
class EnergyLine:
    """One carrier converted: ``factor`` kgce per ``factor_unit``, from the table or a measured LHV."""

    carrier: str
    quantity: Quantity
    factor: Decimal
    kgce: Decimal
    factor_unit: str = ""
    basis: FactorBasis = "table"
    lhv: Quantity | None = None  # the measured low heating value, when basis == "measured"
    lhv_source: str = ""

    @property
    def tce(self) -> Decimal:
        return self.kgce / THOUSAND


@dataclass(frozen=True)
class EnergyResult:
    """Comprehensive energy use (综合能耗) with its provenance labels."""

    edition: str
    electricity_method: ElectricityMethod
    electricity_factor: Decimal  # kgce/kWh actually used
    lines: tuple[EnergyLine, ...]
    total_tce: Decimal
    per_unit_kgce: Quantity | None  # e.g. kgce/t product


@dataclass(frozen=True)
class Consumption:
    """One annual amount of a carrier, optionally with the plant's measured LHV (kJ/m³, MJ/kg …)."""

    carrier: str
    quantity: Quantity
    lhv: Quantity | None = None
    lhv_source: str = ""


def _factor(key: str, t: dict, path: Path, where: str, electricity: bool) -> Factor:
    check_keys(t, file=path, where=where, required=("name_zh", "unit", "tag"),
               optional=("name_en", "kgce_per_unit", "note", "set_by", "fuel"))
    value = get_decimal(t, "kgce_per_unit", file=path, where=where) if "kgce_per_unit" in t else None
    if value is None and not electricity:
        raise DataFileError("data.missing_key", file=str(path), key=f"{where}.kgce_per_unit")
    if value is not None and value <= 0:
        raise DataFileError("data.bad_value", file=str(path), key=f"{where}.kgce_per_unit")
    return Factor(key, get_str(t, "name_zh", file=path, where=where), get_str(t, "unit", file=path, where=where),
                  value, get_str(t, "tag", file=path, where=where),
                  get_str(t, "set_by", file=path, where=where, default="standard"),
                  get_bool(t, "fuel", file=path, where=where, default=False))


def load_factor_table(path: Path | None = None) -> FactorTable:
    """Strictly load a factor table (default: bundled GB/T 2589-2020 file)."""
    if path is None:
        from cpaudit.paths import resource_path

        path = resource_path(*DEFAULT_FILE)
    data = load_toml(path)
    check_keys(data, file=path, where="", required=("edition", "source", "carriers", "electricity"),
               optional=("tag",))
    elec = data["electricity"]
    check_keys(elec, file=path, where="electricity", required=("equivalent",), optional=("equal_value",))
    electricity = {k: _factor(k, v, path, f"electricity.{k}", True) for k, v in elec.items()}
    if electricity["equivalent"].kgce_per_unit is None:
        raise DataFileError("data.missing_key", file=str(path), key="electricity.equivalent.kgce_per_unit")
    carriers = {k: _factor(k, v, path, f"carriers.{k}", False) for k, v in data["carriers"].items()}
    if ELECTRICITY in carriers:
        raise DataFileError("data.reserved_key", file=str(path), key="carriers.electricity")
    return FactorTable(str(data["edition"]), str(data["source"]), carriers, electricity)


def electricity_factor(
    table: FactorTable, method: ElectricityMethod = "equivalent", equal_value: Decimal | None = None
) -> Decimal:
    """kgce/kWh for the chosen method; the equal value comes from the bureau."""
    if method not in table.electricity:
        raise InvalidInput("energy.unknown_electricity_method", method=method)
    if method == "equal_value" and equal_value is not None:
        return parse_decimal(equal_value, field="equal_value")
    value = table.electricity[method].kgce_per_unit
    if value is None:
        raise InvalidInput("energy.equal_value_not_set", edition=table.edition)
    return value


def measured_factor(lhv: Quantity) -> tuple[Decimal, str]:
    """(kgce per unit, unit) of a measured low heating value: LHV [kJ/unit] ÷ 29 307.6 kJ/kgce (ref §4.3).

    ``lhv`` is an energy per amount, e.g. 17 900 kJ/m³ or 17.9 MJ/m³; the
    unit is the amount it is per (m³, kg …).
    """
    energy, sep, per = lhv.unit.partition("/")
    if not sep or not per:
        raise InvalidInput("energy.lhv_unit", unit=lhv.unit)
    if lhv.value <= 0:
        raise InvalidInput("energy.lhv_not_positive", value=str(lhv.value))
    try:
        kj = lhv.to(f"kJ/{per}").value
    except UnitMismatch:
        raise InvalidInput("energy.lhv_unit", unit=lhv.unit) from None
    return kj / KJ_PER_KGCE, per


def to_kgce(carrier: str, quantity: Quantity, table: FactorTable, elec_factor: Decimal,
            lhv: Quantity | None = None, lhv_source: str = "") -> EnergyLine:
    """One carrier in kgce; the quantity is converted to the factor's unit first.

    With ``lhv`` (a fuel's measured low heating value) the factor is
    LHV ÷ 29 307.6 kJ/kgce instead of the table's, and the quantity is
    converted to the unit the LHV is per.
    """
    if lhv is not None:
        f = table.carriers.get(carrier)
        if f is None or not f.fuel:
            raise InvalidInput("energy.lhv_not_fuel", carrier=carrier)
        factor, unit = measured_factor(lhv)
        native = quantity.to(unit).value
        return EnergyLine(carrier, quantity, factor, native * factor, unit, "measured", lhv, lhv_source)
    if carrier == ELECTRICITY:
        unit, factor = table.electricity["equivalent"].unit, elec_factor
    elif carrier in table.carriers:
        f = table.carriers[carrier]
        unit, factor = f.unit, f.kgce_per_unit  # type: ignore[assignment]
    else:
        raise InvalidInput("energy.unknown_carrier", carrier=carrier, edition=table.edition)
    native = quantity.to(unit).value
    return EnergyLine(carrier, quantity, factor, native * factor, unit)


def comprehensive_energy(
    consumption: Sequence[tuple[str, Quantity] | Consumption],
    table: FactorTable,
    *,
    electricity: ElectricityMethod = "equivalent",
    equal_value: Decimal | None = None,
    output: Quantity | None = None,
) -> EnergyResult:
    """Σ carriers in tce/a and, with ``output``, kgce per unit product (ref §3, §4.3).

    Quantities are annual amounts in any unit convertible to the carrier's
    unit (t of coal, MWh of power …). A ``Consumption`` with a measured LHV
    is converted with it instead of the table factor.
    """
    factor = electricity_factor(table, electricity, equal_value)
    items = [c if isinstance(c, Consumption) else Consumption(*c) for c in consumption]
    lines = tuple(to_kgce(c.carrier, c.quantity, table, factor, c.lhv, c.lhv_source) for c in items)
    total_kgce = sum((line.kgce for line in lines), Decimal(0))
    per_unit = None
    if output is not None:
        if output.value <= 0:
            raise InvalidInput("energy.bad_output", output=str(output))
        per_unit = Quantity(total_kgce / output.value, f"kgce/{output.unit.split('/')[0]}")
    return EnergyResult(table.edition, electricity, factor, lines, total_kgce / THOUSAND, per_unit)
