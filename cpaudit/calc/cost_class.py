"""Option cost classes (无/低/中/高费) and their payback norms (ref §2.4).

Why settings, not constants: no national threshold exists; each audit or city
sets its own, so thresholds are a dataclass and norms come from a data file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal, Mapping

from cpaudit.calc.datafile import check_keys, get_decimal, load_toml
from cpaudit.calc.errors import DataFileError, InvalidInput
from cpaudit.domain.units import Money, parse_decimal

CostClass = Literal["none", "low", "medium", "high"]
COST_CLASSES: tuple[CostClass, ...] = ("none", "low", "medium", "high")
DEFAULT_FILE = ("factors", "cost-classes.toml")


@dataclass(frozen=True)
class CostThresholds:
    """Upper bounds (exclusive, 万元) of the low and medium classes; ref §2.4 [K]."""

    low_below: Decimal = Decimal(5)
    medium_below: Decimal = Decimal(50)

    def __post_init__(self) -> None:
        low = parse_decimal(self.low_below, field="low_below")
        medium = parse_decimal(self.medium_below, field="medium_below")
        if low <= 0 or medium < low:
            raise InvalidInput("cost_class.bad_thresholds", low_below=str(low), medium_below=str(medium))
        object.__setattr__(self, "low_below", low)
        object.__setattr__(self, "medium_below", medium)


@dataclass(frozen=True)
class PaybackNorms:
    """Maximum static payback N (years) per class; a missing class has no norm."""

    years: Mapping[str, Decimal] = field(default_factory=dict)

    def norm(self, cost_class: str) -> Decimal | None:
        if cost_class not in COST_CLASSES:
            raise InvalidInput("cost_class.unknown", cost_class=cost_class)
        return self.years.get(cost_class)


@dataclass(frozen=True)
class CostClassSettings:
    """Everything the class logic needs, as loaded from the data file."""

    thresholds: CostThresholds
    norms: PaybackNorms
    edition: str
    source: str


def classify(investment: Money | Decimal | int | str, thresholds: CostThresholds | None = None) -> CostClass:
    """Class of an option from its investment (Decimal means 万元)."""
    t = thresholds or CostThresholds()
    if isinstance(investment, Money):
        amount = investment.to("万元").amount
    else:
        amount = parse_decimal(investment, field="investment")
    if amount < 0:
        raise InvalidInput("cost_class.negative_investment", investment=str(amount))
    if amount == 0:
        return "none"
    if amount < t.low_below:
        return "low"
    if amount < t.medium_below:
        return "medium"
    return "high"


def load_settings(path: Path | None = None) -> CostClassSettings:
    """Read thresholds and payback norms (default: bundled cost-classes.toml)."""
    if path is None:
        from cpaudit.paths import resource_path

        path = resource_path(*DEFAULT_FILE)
    data = load_toml(path)
    check_keys(data, file=path, where="", required=("edition", "source", "thresholds", "payback_norms"))
    th = data["thresholds"]
    check_keys(th, file=path, where="thresholds", required=("low_below", "medium_below"))
    try:
        thresholds = CostThresholds(
            get_decimal(th, "low_below", file=path, where="thresholds"),
            get_decimal(th, "medium_below", file=path, where="thresholds"),
        )
    except InvalidInput:
        raise DataFileError("data.bad_value", file=str(path), key="thresholds") from None
    norms_t = data["payback_norms"]
    check_keys(norms_t, file=path, where="payback_norms", optional=COST_CLASSES)
    years: dict[str, Decimal] = {}
    for key in norms_t:
        value = get_decimal(norms_t, key, file=path, where="payback_norms")
        if value <= 0:
            raise DataFileError("data.bad_value", file=str(path), key=f"payback_norms.{key}")
        years[key] = value
    return CostClassSettings(thresholds, PaybackNorms(years), str(data["edition"]), str(data["source"]))
