"""Money value of avoided pollution under the Environmental Protection Tax (ref §4.2).

Why a rate table: equivalent values are national but rates are provincial and
change; the numbers live in ``env-tax-rates.toml`` and can be overridden per
audit. The 绩效表 adds this value to the energy/material savings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from cpaudit.calc.datafile import check_keys, get_decimal, get_str, load_toml
from cpaudit.calc.errors import DataFileError, InvalidInput
from cpaudit.domain.units import Money, Quantity, parse_decimal

DEFAULT_FILE = ("factors", "env-tax-rates.toml")


@dataclass(frozen=True)
class Pollutant:
    key: str
    name_zh: str
    medium: str  # 'air' | 'water'
    kg_per_equivalent: Decimal
    tag: str


@dataclass(frozen=True)
class SolidWasteRate:
    key: str
    name_zh: str
    yuan_per_t: Decimal
    tag: str


@dataclass(frozen=True)
class TaxRateTable:
    edition: str
    source: str
    air_rate: Decimal  # 元 per pollution equivalent
    water_rate: Decimal
    pollutants: Mapping[str, Pollutant]
    solid_waste: Mapping[str, SolidWasteRate]


@dataclass(frozen=True)
class BenefitLine:
    key: str
    reduction: Quantity  # as given by the caller
    equivalents: Decimal | None  # None for solid waste (taxed per tonne)
    rate: Decimal  # 元 per equivalent, or 元/t
    yuan_per_year: Decimal


@dataclass(frozen=True)
class EnvBenefit:
    edition: str
    lines: tuple[BenefitLine, ...]
    total: Money  # 元/a

    @property
    def total_wan(self) -> Money:
        return self.total.to("万元")


def load_tax_rates(path: Path | None = None) -> TaxRateTable:
    """Strictly load a rate table (default: bundled env-tax-rates.toml)."""
    return _bundled_tax_rates() if path is None else _load_tax_rates(path)


@lru_cache(maxsize=1)
def _bundled_tax_rates() -> TaxRateTable:
    # The bundled table is read-only at run time; an inspector recomputing figures
    # for a thousand files should parse it once, not once per file.
    from cpaudit.paths import resource_path

    return _load_tax_rates(resource_path(*DEFAULT_FILE))


def _load_tax_rates(path: Path) -> TaxRateTable:
    data = load_toml(path)
    check_keys(data, file=path, where="", required=("edition", "source", "defaults", "pollutants"),
               optional=("tag", "solid_waste"))
    d = data["defaults"]
    check_keys(d, file=path, where="defaults", required=("air_yuan_per_equivalent", "water_yuan_per_equivalent"))
    pollutants: dict[str, Pollutant] = {}
    for key, t in data["pollutants"].items():
        where = f"pollutants.{key}"
        check_keys(t, file=path, where=where, required=("name_zh", "medium", "kg_per_equivalent", "tag"),
                   optional=("note",))
        medium = get_str(t, "medium", file=path, where=where)
        value = get_decimal(t, "kg_per_equivalent", file=path, where=where)
        if medium not in ("air", "water"):
            raise DataFileError("data.bad_value", file=str(path), key=f"{where}.medium")
        if value <= 0:
            raise DataFileError("data.bad_value", file=str(path), key=f"{where}.kg_per_equivalent")
        pollutants[key] = Pollutant(key, get_str(t, "name_zh", file=path, where=where), medium, value,
                                    get_str(t, "tag", file=path, where=where))
    solid: dict[str, SolidWasteRate] = {}
    for key, t in data.get("solid_waste", {}).items():
        where = f"solid_waste.{key}"
        check_keys(t, file=path, where=where, required=("name_zh", "yuan_per_t", "tag"), optional=("note",))
        solid[key] = SolidWasteRate(key, get_str(t, "name_zh", file=path, where=where),
                                    get_decimal(t, "yuan_per_t", file=path, where=where),
                                    get_str(t, "tag", file=path, where=where))
    return TaxRateTable(str(data["edition"]), str(data["source"]),
                        get_decimal(d, "air_yuan_per_equivalent", file=path, where="defaults"),
                        get_decimal(d, "water_yuan_per_equivalent", file=path, where="defaults"),
                        pollutants, solid)


def env_tax_benefit(
    reductions: Mapping[str, Quantity],
    table: TaxRateTable,
    *,
    air_rate: Decimal | None = None,
    water_rate: Decimal | None = None,
) -> EnvBenefit:
    """Tax avoided per year: equivalents = kg/a ÷ kg per equivalent, × rate (ref §4.2).

    ``reductions`` maps a pollutant or solid-waste key to an annual amount
    (t/a or kg/a). Provincial rates override the table defaults.
    """
    rates = {
        "air": table.air_rate if air_rate is None else parse_decimal(air_rate, field="air_rate"),
        "water": table.water_rate if water_rate is None else parse_decimal(water_rate, field="water_rate"),
    }
    lines: list[BenefitLine] = []
    for key, amount in reductions.items():
        if key in table.pollutants:
            p = table.pollutants[key]
            kg = amount.to("kg/a").value
            eq = kg / p.kg_per_equivalent
            lines.append(BenefitLine(key, amount, eq, rates[p.medium], eq * rates[p.medium]))
        elif key in table.solid_waste:
            w = table.solid_waste[key]
            tonnes = amount.to("t/a").value
            lines.append(BenefitLine(key, amount, None, w.yuan_per_t, tonnes * w.yuan_per_t))
        else:
            raise InvalidInput("env_benefit.unknown_pollutant", pollutant=key, edition=table.edition)
    total = sum((line.yuan_per_year for line in lines), Decimal(0))
    return EnvBenefit(table.edition, tuple(lines), Money(total, "元"))
