"""Sector indicator systems as data: model and strict TOML loader (ref §5).

Why strict: these files carry official benchmark numbers with provenance.
A misspelt key or weights that do not add up must stop the load with the
file and key named, never be guessed around. File format: see
``resources/indicator-systems/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Mapping

from cpaudit.calc.datafile import check_keys, get_bool, get_decimal, get_str, load_toml
from cpaudit.calc.errors import DataFileError

LEVELS: tuple[str, ...] = ("I", "II", "III")
Level = Literal["I", "II", "III"]
PROVENANCE = ("verified", "transcription", "recalled", "missing")
STATUSES = ("complete", "partial", "training")
WEIGHT_EPS = Decimal("1e-9")


@dataclass(frozen=True)
class RuleSet:
    """Level rule of a system generation; None thresholds = no composite score."""

    key: str
    level_i_min: Decimal | None
    level_ii_min: Decimal | None
    i_requires_non_limiting_ii: bool = False  # PCB-style extra condition (ref §5)


RULE_SETS: Mapping[str, RuleSet] = {
    "joint-2014": RuleSet("joint-2014", Decimal(85), Decimal(85)),
    "joint-2014-pcb": RuleSet("joint-2014-pcb", Decimal(85), Decimal(85), True),
    "count-only": RuleSet("count-only", None, None),  # HJ/T style: count per level
}


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    name_zh: str
    kind: Literal["quantitative", "qualitative"]
    unit: str
    direction: Literal["<=", ">="] | None
    benchmarks: Mapping[str, Decimal]  # level → value; a missing level is unknown
    variants: Mapping[str, Mapping[str, Decimal]]  # variant → level → value
    no_requirement: tuple[str, ...]  # levels whose requirement is "--": always met
    texts: Mapping[str, str]
    weight: Decimal | None
    weight_share: str | None
    limiting: bool
    verified: bool
    provenance: str
    name_en: str = ""
    source: str = ""
    note: str = ""
    unverified_levels: tuple[str, ...] = ()  # e.g. a merged Ⅲ cell read as "probably as Ⅱ"

    @property
    def fully_verified(self) -> bool:
        return self.verified and not self.unverified_levels


@dataclass(frozen=True)
class Group:
    key: str
    name_zh: str
    weight: Decimal | None
    weight_verified: bool
    complete: bool
    shares: Mapping[str, Decimal]
    indicators: tuple[Indicator, ...]
    name_en: str = ""


@dataclass(frozen=True)
class IndicatorSystem:
    id: str
    title_zh: str
    sector: str
    source: str
    edition: str
    rule_set: RuleSet
    status: str
    groups: tuple[Group, ...]
    title_en: str = ""
    note: str = ""
    path: str = ""
    _index: Mapping[str, Indicator] = field(default_factory=dict, repr=False, compare=False)

    def indicator(self, key: str) -> Indicator:
        return self._index[key]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for g in self.groups for i in g.indicators)

    @property
    def scorable(self) -> bool:
        """Only a system with every weight present may produce Y scores."""
        return (
            self.rule_set.level_i_min is not None
            and all(g.weight is not None and g.complete for g in self.groups)
            and all(i.weight is not None or i.weight_share is not None for i in self.indicators)
        )


def _err(rule: str, path: Path, key: str) -> DataFileError:
    return DataFileError(rule, file=str(path), key=key)


def _levels(table: Any, path: Path, where: str, *, numbers: bool) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise _err("data.bad_table", path, where)
    check_keys(table, file=path, where=where, optional=LEVELS)
    if numbers:
        return {k: get_decimal(table, k, file=path, where=where) for k in LEVELS if k in table}
    return {k: get_str(table, k, file=path, where=where) for k in LEVELS if k in table}


def _check_monotonic(bench: Mapping[str, Decimal], direction: str, path: Path, where: str) -> None:
    """Ⅰ is the strictest: ≤ needs Ⅰ ≤ Ⅱ ≤ Ⅲ, ≥ needs Ⅰ ≥ Ⅱ ≥ Ⅲ."""
    values = [bench[k] for k in LEVELS if k in bench]
    pairs = zip(values, values[1:])
    ok = all(a <= b for a, b in pairs) if direction == "<=" else all(a >= b for a, b in pairs)
    if not ok:
        raise _err("data.benchmarks_not_monotonic", path, where)


_IND_KEYS = ("key", "name_zh", "kind", "verified", "provenance")
_IND_OPT = ("name_en", "unit", "direction", "benchmarks", "variants", "no_requirement", "texts",
            "weight", "weight_share", "limiting", "source", "note", "unverified_levels")


def _indicator(t: dict, group: str, shares: Mapping[str, Decimal], path: Path, where: str) -> Indicator:
    check_keys(t, file=path, where=where, required=_IND_KEYS, optional=_IND_OPT)
    kind = get_str(t, "kind", file=path, where=where)
    if kind not in ("quantitative", "qualitative"):
        raise _err("data.bad_value", path, f"{where}.kind")
    provenance = get_str(t, "provenance", file=path, where=where)
    verified = get_bool(t, "verified", file=path, where=where, default=False)
    if provenance not in PROVENANCE:
        raise _err("data.bad_value", path, f"{where}.provenance")
    if verified and provenance != "verified":
        raise _err("data.verified_conflict", path, f"{where}.verified")
    direction = t.get("direction")
    bench: dict[str, Decimal] = {}
    variants: dict[str, dict[str, Decimal]] = {}
    if kind == "quantitative":
        if direction not in ("<=", ">="):
            raise _err("data.bad_value", path, f"{where}.direction")
        if "unit" not in t:
            raise _err("data.missing_key", path, f"{where}.unit")
        bench = _levels(t.get("benchmarks", {}), path, f"{where}.benchmarks", numbers=True)
        _check_monotonic(bench, direction, path, f"{where}.benchmarks")
        for vkey, vt in t.get("variants", {}).items():
            variants[vkey] = _levels(vt, path, f"{where}.variants.{vkey}", numbers=True)
            _check_monotonic(variants[vkey], direction, path, f"{where}.variants.{vkey}")
        if bench and variants:
            raise _err("data.benchmarks_and_variants", path, where)
    elif direction is not None or "benchmarks" in t or "variants" in t:
        raise _err("data.qualitative_with_benchmarks", path, where)
    no_req = t.get("no_requirement", [])
    if not isinstance(no_req, list) or any(x not in LEVELS for x in no_req):
        raise _err("data.bad_value", path, f"{where}.no_requirement")
    unverified = t.get("unverified_levels", [])
    if not isinstance(unverified, list) or any(x not in LEVELS for x in unverified):
        raise _err("data.bad_value", path, f"{where}.unverified_levels")
    weight = None
    if "weight" in t:
        if "weight_share" in t:
            raise _err("data.weight_and_share", path, where)
        weight = get_decimal(t, "weight", file=path, where=where)
        if not 0 < weight <= 1:
            raise _err("data.bad_weight", path, f"{where}.weight")
    share = t.get("weight_share")
    if share is not None and share not in shares:
        raise _err("data.unknown_share", path, f"{where}.weight_share")
    return Indicator(
        key=get_str(t, "key", file=path, where=where), group=group,
        name_zh=get_str(t, "name_zh", file=path, where=where), kind=kind,  # type: ignore[arg-type]
        unit=get_str(t, "unit", file=path, where=where, default=""), direction=direction,
        benchmarks=bench, variants=variants, no_requirement=tuple(no_req),
        texts=_levels(t.get("texts", {}), path, f"{where}.texts", numbers=False),
        weight=weight, weight_share=share,
        limiting=get_bool(t, "limiting", file=path, where=where, default=False),
        verified=verified, provenance=provenance,
        name_en=get_str(t, "name_en", file=path, where=where, default=""),
        source=get_str(t, "source", file=path, where=where, default=""),
        note=get_str(t, "note", file=path, where=where, default=""),
        unverified_levels=tuple(unverified),
    )


_GROUP_KEYS = ("key", "name_zh")
_GROUP_OPT = ("name_en", "weight", "weight_verified", "complete", "shares", "indicators", "note")


def _group(t: dict, path: Path, where: str) -> Group:
    check_keys(t, file=path, where=where, required=_GROUP_KEYS, optional=_GROUP_OPT)
    key = get_str(t, "key", file=path, where=where)
    weight = get_decimal(t, "weight", file=path, where=where) if "weight" in t else None
    if weight is not None and not 0 < weight <= 1:
        raise _err("data.bad_weight", path, f"{where}.weight")
    shares_t = t.get("shares", {})
    shares = {k: get_decimal(shares_t, k, file=path, where=f"{where}.shares") for k in shares_t}
    rows = tuple(_indicator(it, key, shares, path, f"{where}.indicators[{n}]")
                 for n, it in enumerate(t.get("indicators", [])))
    complete = get_bool(t, "complete", file=path, where=where, default=True)
    fixed = [i.weight for i in rows if i.weight is not None]
    used_shares = {i.weight_share for i in rows if i.weight_share is not None}
    if rows and complete and all(i.weight is not None or i.weight_share for i in rows):
        total = sum(fixed, Decimal(0)) + sum((shares[s] for s in used_shares), Decimal(0))
        if abs(total - 1) > WEIGHT_EPS:
            raise _err("data.bad_weights", path, f"{where}.indicators")
    return Group(key, get_str(t, "name_zh", file=path, where=where), weight,
                 get_bool(t, "weight_verified", file=path, where=where, default=False),
                 complete, shares, rows, get_str(t, "name_en", file=path, where=where, default=""))


_TOP_KEYS = ("schema", "id", "title_zh", "sector", "source", "edition", "rule_set", "status", "groups")


def load_system(path: Path) -> IndicatorSystem:
    """Load one system file; every problem raises DataFileError(file, key)."""
    data = load_toml(path)
    check_keys(data, file=path, where="", required=_TOP_KEYS, optional=("title_en", "note"))
    if data["schema"] != 1:
        raise _err("data.bad_schema", path, "schema")
    if get_str(data, "id", file=path, where="") != path.stem:
        raise _err("data.id_not_file_name", path, "id")
    rule_key = get_str(data, "rule_set", file=path, where="")
    if rule_key not in RULE_SETS:
        raise _err("data.bad_value", path, "rule_set")
    status = get_str(data, "status", file=path, where="")
    if status not in STATUSES:
        raise _err("data.bad_value", path, "status")
    groups = tuple(_group(g, path, f"groups[{n}]") for n, g in enumerate(data["groups"]))
    weights = [g.weight for g in groups]
    if groups and all(w is not None for w in weights):
        if abs(sum(weights, Decimal(0)) - 1) > WEIGHT_EPS:  # type: ignore[arg-type]
            raise _err("data.bad_weights", path, "groups")
    index: dict[str, Indicator] = {}
    for g in groups:
        for i in g.indicators:
            if i.key in index:
                raise _err("data.duplicate_key", path, f"indicator {i.key}")
            index[i.key] = i
    if len({g.key for g in groups}) != len(groups):
        raise _err("data.duplicate_key", path, "groups")
    system = IndicatorSystem(
        id=get_str(data, "id", file=path, where=""), title_zh=get_str(data, "title_zh", file=path, where=""),
        sector=get_str(data, "sector", file=path, where=""), source=get_str(data, "source", file=path, where=""),
        edition=str(data["edition"]), rule_set=RULE_SETS[rule_key], status=status, groups=groups,
        title_en=get_str(data, "title_en", file=path, where="", default=""),
        note=get_str(data, "note", file=path, where="", default=""), path=str(path), _index=index,
    )
    if status == "complete" and not system.scorable:
        raise _err("data.complete_without_weights", path, "status")
    return system


def bundled_system_path(system_id: str) -> Path:
    from cpaudit.paths import resource_path

    return resource_path("indicator-systems", f"{system_id}.toml")


def list_bundled_systems() -> tuple[str, ...]:
    from cpaudit.paths import resource_path

    folder = resource_path("indicator-systems")
    return tuple(sorted(p.stem for p in folder.glob("*.toml")))
