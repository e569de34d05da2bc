"""Money and physical quantities with explicit units.

Why: audits mix 元 and 万元, kg and t, m³ and L. Summing them silently is the
classic report error (ref §3 "never sum kg and m³"), so every amount carries
its unit and only table-listed conversions are applied.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import Literal

from cpaudit.calc.errors import InvalidInput, UnitMismatch
from cpaudit.domain.decimals import ungrouped

Number = Decimal | int | str

# ---------------------------------------------------------------------------
# Parsing


def parse_decimal(value: object, *, field: str = "value") -> Decimal:
    """Parse user input into a finite Decimal.

    Accepts Decimal, int, float (via ``str``) and strings with full-width
    digits, surrounding blanks and thousands separators (``1,234.5``).
    Rejects NaN, infinities, booleans and empty text with ``InvalidInput``.
    """
    if isinstance(value, bool) or value is None:
        raise InvalidInput("number.invalid", field=field, value=value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, float)):
        result = Decimal(str(value))
    elif isinstance(value, str):
        text = ungrouped(unicodedata.normalize("NFKC", value).strip())
        if text == "":
            raise InvalidInput("number.empty", field=field)
        try:
            result = Decimal(text)  # type: ignore[arg-type]  (None: not a number → TypeError below)
        except (InvalidOperation, TypeError):
            raise InvalidInput("number.invalid", field=field, value=value) from None
    else:
        raise InvalidInput("number.invalid", field=field, value=value)
    if not result.is_finite():
        raise InvalidInput("number.not_finite", field=field, value=str(value))
    return result


# ---------------------------------------------------------------------------
# Money

MoneyUnit = Literal["元", "万元"]
_YUAN_PER: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10000)}


@dataclass(frozen=True)
class Money:
    """An amount in 元 or 万元; arithmetic refuses to mix the two silently."""

    amount: Decimal
    unit: MoneyUnit = "万元"

    def __post_init__(self) -> None:
        if self.unit not in _YUAN_PER:
            raise UnitMismatch("money.unknown_unit", unit=self.unit)
        object.__setattr__(self, "amount", parse_decimal(self.amount, field="amount"))

    @classmethod
    def wan(cls, amount: Number | float) -> Money:
        return cls(parse_decimal(amount), "万元")

    @classmethod
    def yuan(cls, amount: Number | float) -> Money:
        return cls(parse_decimal(amount), "元")

    def to(self, unit: MoneyUnit) -> Money:
        if unit not in _YUAN_PER:
            raise UnitMismatch("money.unknown_unit", unit=unit)
        return Money(self.amount * _YUAN_PER[self.unit] / _YUAN_PER[unit], unit)

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented  # type: ignore[return-value]
        if other.unit != self.unit:
            raise UnitMismatch("money.unit_mismatch", left=self.unit, right=other.unit)
        return other

    def __add__(self, other: Money) -> Money:
        o = self._same(other)
        return o if o is NotImplemented else Money(self.amount + o.amount, self.unit)

    def __sub__(self, other: Money) -> Money:
        o = self._same(other)
        return o if o is NotImplemented else Money(self.amount - o.amount, self.unit)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.unit)

    def __mul__(self, factor: Number) -> Money:
        if isinstance(factor, (Money, Quantity)):
            return NotImplemented
        return Money(self.amount * parse_decimal(factor, field="factor"), self.unit)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


# ---------------------------------------------------------------------------
# Quantities

# unit -> (dimension, factor to the dimension's base unit). Only these are
# converted; anything else must match exactly.
_UNITS: dict[str, tuple[str, Decimal]] = {
    "mg": ("mass", Decimal("0.000001")),
    "g": ("mass", Decimal("0.001")),
    "kg": ("mass", Decimal(1)),
    "t": ("mass", Decimal(1000)),
    "mL": ("volume", Decimal("0.000001")),
    "L": ("volume", Decimal("0.001")),
    "m³": ("volume", Decimal(1)),
    "万m³": ("volume", Decimal(10000)),
    "Nm³": ("normal_volume", Decimal(1)),
    "万Nm³": ("normal_volume", Decimal(10000)),
    "Wh": ("electric_energy", Decimal("0.001")),
    "kWh": ("electric_energy", Decimal(1)),
    "MWh": ("electric_energy", Decimal(1000)),
    "GWh": ("electric_energy", Decimal(1000000)),
    "万kWh": ("electric_energy", Decimal(10000)),
    "kJ": ("heat", Decimal("0.001")),
    "MJ": ("heat", Decimal(1)),
    "GJ": ("heat", Decimal(1000)),
    "kgce": ("coal_equivalent", Decimal(1)),
    "tce": ("coal_equivalent", Decimal(1000)),
    "h": ("time", Decimal(1)),
    "d": ("time", Decimal(24)),
    "a": ("year", Decimal(1)),
    "m²": ("area", Decimal(1)),
}
_ALIASES = {"m3": "m³", "Nm3": "Nm³", "m2": "m²", "l": "L", "ml": "mL", "吨": "t",
            "千克": "kg", "公斤": "kg", "度": "kWh", "万m3": "万m³", "万Nm3": "万Nm³"}


@lru_cache(maxsize=4096)  # a handful of spellings, read for every quantity
def normalize_unit(unit: str) -> str:
    """Canonical spelling of a unit (``m3`` → ``m³``); each part of ``a/b``."""
    parts = [p.strip() for p in unit.strip().split("/")]
    return "/".join(_ALIASES.get(p, p) for p in parts)


def conversion_factor(from_unit: str, to_unit: str) -> Decimal:
    """Factor f with value_in_to = value_in_from × f, or raise ``UnitMismatch``.

    Compound units ``num/den`` convert part by part, e.g. kg/h → t/h, mg/L →
    g/m³. Parts not in the table must be spelled identically.
    """
    a, b = normalize_unit(from_unit), normalize_unit(to_unit)
    if a == b:
        return Decimal(1)
    pa, pb = a.split("/"), b.split("/")
    if len(pa) != len(pb) or len(pa) > 2:
        raise UnitMismatch("unit.mismatch", left=from_unit, right=to_unit)
    factor = Decimal(1)
    for i, (x, y) in enumerate(zip(pa, pb)):
        if x == y:
            continue
        ux, uy = _UNITS.get(x), _UNITS.get(y)
        if ux is None or uy is None or ux[0] != uy[0]:
            raise UnitMismatch("unit.mismatch", left=from_unit, right=to_unit)
        part = ux[1] / uy[1]
        factor = factor * part if i == 0 else factor / part
    return factor


def compatible(a: str, b: str) -> bool:
    try:
        conversion_factor(a, b)
    except UnitMismatch:
        return False
    return True


@dataclass(frozen=True)
class Quantity:
    """A Decimal value with a unit; + and − convert only along the table."""

    value: Decimal
    unit: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", parse_decimal(self.value, field="value"))
        object.__setattr__(self, "unit", normalize_unit(self.unit))
        if not self.unit:
            raise InvalidInput("unit.empty")

    @classmethod
    def of(cls, value: Number | float, unit: str) -> Quantity:
        return cls(parse_decimal(value), unit)

    def to(self, unit: str) -> Quantity:
        return Quantity(self.value * conversion_factor(self.unit, unit), unit)

    def _aligned(self, other: Quantity) -> Decimal:
        try:
            return other.to(self.unit).value
        except UnitMismatch:
            raise UnitMismatch("unit.mismatch", left=self.unit, right=other.unit) from None

    def __add__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return Quantity(self.value + self._aligned(other), self.unit)

    def __sub__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return Quantity(self.value - self._aligned(other), self.unit)

    def __neg__(self) -> Quantity:
        return Quantity(-self.value, self.unit)

    def __mul__(self, factor: Number) -> Quantity:
        if isinstance(factor, (Quantity, Money)):
            return NotImplemented
        return Quantity(self.value * parse_decimal(factor, field="factor"), self.unit)

    __rmul__ = __mul__

    def __str__(self) -> str:
        return f"{self.value} {self.unit}"


def sum_quantities(items: list[Quantity] | tuple[Quantity, ...], unit: str | None = None) -> Quantity:
    """Sum in ``unit`` (default: the first item's); incompatible units raise."""
    if not items:
        if unit is None:
            raise InvalidInput("quantity.empty_sum")
        return Quantity(Decimal(0), unit)
    target = normalize_unit(unit) if unit else items[0].unit
    total = Decimal(0)
    for q in items:
        total += q.to(target).value
    return Quantity(total, target)
