"""Material, pollutant-factor and water balances of an audit focus (ref §3).

Why per unit operation: when the focus does not close, the auditor needs to
know *where* the missing stream is, not only that the total is off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal, Mapping, Sequence

from cpaudit.calc.errors import BalanceError, UnitMismatch
from cpaudit.domain.units import Quantity, compatible, parse_decimal

HUNDRED = Decimal(100)
DEFAULT_TOLERANCE_PCT = Decimal(5)  # ref §3 closure check [K]


class StreamKind(StrEnum):
    INPUT = "input"  # raw/auxiliary material, water, energy carrier
    INTERMEDIATE = "intermediate"  # between two unit operations; not in the focus total
    PRODUCT = "product"
    BY_PRODUCT = "by_product"
    WASTE_WATER = "waste_water"
    WASTE_GAS = "waste_gas"
    SOLID_WASTE = "solid_waste"
    HAZARDOUS_WASTE = "hazardous_waste"
    LOSS = "loss"  # evaporation, leaks, unaccounted
    ACCUMULATION = "accumulation"  # stock change in a batch or tank


Direction = Literal["in", "out"]


@dataclass(frozen=True)
class Stream:
    """One arrow of the balance diagram, seen from ``unit_operation``."""

    name: str
    unit_operation: str
    direction: Direction
    kind: StreamKind
    quantity: Quantity
    measured: bool = True  # False = estimated; the diagram shows it differently

    def __post_init__(self) -> None:
        if self.direction not in ("in", "out"):
            raise BalanceError("balance.bad_direction", stream=self.name, direction=self.direction)
        object.__setattr__(self, "kind", StreamKind(self.kind))


@dataclass(frozen=True)
class BalanceSettings:
    """Closure tolerance in percent: default 5 %, tighter per component (Ni, Cr …)."""

    default_tolerance_pct: Decimal = DEFAULT_TOLERANCE_PCT
    component_tolerance_pct: Mapping[str, Decimal] = field(default_factory=dict)

    def tolerance(self, component: str) -> Decimal:
        return self.component_tolerance_pct.get(component, self.default_tolerance_pct)


@dataclass(frozen=True)
class Closure:
    """Σin, Σout and deviation of one node (a unit operation or the whole focus)."""

    name: str
    total_in: Decimal
    total_out: Decimal
    deviation_pct: Decimal | None  # None when Σin = 0
    closes: bool
    estimated_streams: int


@dataclass(frozen=True)
class BalanceResult:
    component: str
    unit: str
    tolerance_pct: Decimal
    overall: Closure
    unit_operations: tuple[Closure, ...]

    @property
    def closes(self) -> bool:
        return self.overall.closes

    @property
    def breaking(self) -> tuple[str, ...]:
        """Unit operations whose own closure fails: where to look for the gap."""
        return tuple(c.name for c in self.unit_operations if not c.closes)


def deviation_pct(total_in: Decimal, total_out: Decimal) -> Decimal:
    """(Σin − Σout)/Σin × 100 (ref §3); raises when Σin = 0."""
    if total_in == 0:
        raise BalanceError("balance.no_input")
    return (total_in - total_out) / total_in * HUNDRED


def _common_unit(streams: Sequence[Stream]) -> str:
    unit = streams[0].quantity.unit
    for s in streams[1:]:
        if not compatible(s.quantity.unit, unit):
            raise UnitMismatch("balance.mixed_units", left=unit, right=s.quantity.unit,
                               stream=s.name, unit_operation=s.unit_operation)
    return unit


def _closure(name: str, streams: Sequence[Stream], unit: str, tol: Decimal) -> Closure:
    total_in = sum((s.quantity.to(unit).value for s in streams if s.direction == "in"), Decimal(0))
    total_out = sum((s.quantity.to(unit).value for s in streams if s.direction == "out"), Decimal(0))
    estimated = sum(1 for s in streams if not s.measured)
    if total_in == 0:
        return Closure(name, total_in, total_out, None, False, estimated)
    dev = deviation_pct(total_in, total_out)
    return Closure(name, total_in, total_out, dev, abs(dev) <= tol, estimated)


def check_balance(
    streams: Sequence[Stream],
    *,
    component: str = "total",
    settings: BalanceSettings | None = None,
    name: str = "focus",
) -> BalanceResult:
    """Closure of the whole focus and of each unit operation.

    Intermediate streams count inside their unit operations only. Streams in
    compatible units (kg, t) are converted to the first stream's unit;
    incompatible ones (kg, m³) raise ``UnitMismatch`` naming both.
    """
    if not streams:
        raise BalanceError("balance.empty", component=component)
    cfg = settings or BalanceSettings()
    tol = parse_decimal(cfg.tolerance(component), field="tolerance")
    unit = _common_unit(streams)
    external = [s for s in streams if s.kind is not StreamKind.INTERMEDIATE]
    overall = _closure(name, external, unit, tol)
    if overall.deviation_pct is None:
        raise BalanceError("balance.no_input", component=component)
    ops: dict[str, list[Stream]] = {}
    for s in streams:  # dict keeps first-seen order: stable display
        ops.setdefault(s.unit_operation, []).append(s)
    per_op = tuple(_closure(op, members, unit, tol) for op, members in ops.items())
    return BalanceResult(component, unit, tol, overall, per_op)


# --- pollutant loads (ref §3 "Load formulas") -------------------------------


def water_load(concentration: Quantity, volume: Quantity) -> Quantity:
    """kg = mg/L × m³ / 1000."""
    c = concentration.to("mg/L").value
    v = volume.to("m³").value
    return Quantity(c * v / Decimal(1000), "kg")


def air_load(concentration: Quantity, volume: Quantity) -> Quantity:
    """kg = mg/m³ × m³ / 10⁶ (volume in Nm³ when the concentration is per Nm³)."""
    unit = concentration.unit
    denominator = unit.split("/")[-1] if "/" in unit else ""
    if denominator in ("Nm³", "万Nm³"):
        c, v = concentration.to("mg/Nm³").value, volume.to("Nm³").value
    else:
        c, v = concentration.to("mg/m³").value, volume.to("m³").value
    return Quantity(c * v / Decimal(1000000), "kg")


def annual_load(rate: Quantity, hours_per_year: Decimal | int | str) -> Quantity:
    """t/a = kg/h × operating hours / 1000."""
    kg_per_h = rate.to("kg/h").value
    return Quantity(kg_per_h * parse_decimal(hours_per_year, field="hours") / Decimal(1000), "t/a")


# --- water balance (GB/T 12452, ref §3) -------------------------------------


@dataclass(frozen=True)
class WaterBalanceInput:
    """Annual volumes: fresh V_f, recycled V_cy, series/reused V_s, consumed V_co,
    discharged V_d, leakage V_l; ``output`` is the product amount for V_f/output."""

    fresh: Quantity
    consumed: Quantity
    discharged: Quantity
    leakage: Quantity
    recycled: Quantity | None = None
    reused: Quantity | None = None
    output: Quantity | None = None


@dataclass(frozen=True)
class WaterBalanceResult:
    unit: str
    total_use: Decimal  # V_f + V_cy + V_s
    reuse_rate_pct: Decimal  # (V_cy + V_s)/(V_f + V_cy + V_s) × 100
    deviation_pct: Decimal  # (V_f − (V_co + V_d + V_l))/V_f × 100
    closes: bool
    unit_intake: Quantity | None  # V_f / output, e.g. m³/t


def water_balance(inp: WaterBalanceInput, tolerance_pct: Decimal = DEFAULT_TOLERANCE_PCT) -> WaterBalanceResult:
    """Reuse rate, total use and V_f = V_co + V_d + V_l closure (ref §3)."""
    unit = inp.fresh.unit
    zero = Quantity(Decimal(0), unit)
    vf = inp.fresh.value
    vcy = (inp.recycled or zero).to(unit).value
    vs = (inp.reused or zero).to(unit).value
    out = inp.consumed.to(unit).value + inp.discharged.to(unit).value + inp.leakage.to(unit).value
    total = vf + vcy + vs
    if total == 0:
        raise BalanceError("balance.no_input", component="water")
    dev = deviation_pct(vf, out)
    intake = None
    if inp.output is not None:
        if inp.output.value == 0:
            raise BalanceError("balance.zero_output", component="water")
        intake = Quantity(vf / inp.output.value, f"{unit}/{inp.output.unit}")
    return WaterBalanceResult(unit, total, (vcy + vs) / total * HUNDRED, dev,
                              abs(dev) <= parse_decimal(tolerance_pct), intake)
