"""The audit procedure as data: phases → steps → fields (and tables).

Frozen dataclasses built by ``workflow.loader`` from ``resources/workflows``.
Labels and help texts are English message ids, translated where shown.
One definition drives the forms, validation, completeness, the report and the
JSON Schema of the export: a new field is one edit in a TOML file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Iterator

# Value types a field (or table column) may have. "table" only for fields.
SCALAR_TYPES = (
    "text",        # one line
    "longtext",    # paragraphs
    "integer",
    "decimal",     # with `places`, optional `unit`
    "money",       # Decimal in `unit` 万元 or 元
    "percent",     # Decimal percentage 0..100 unless min/max say otherwise
    "quantity",    # Decimal with a fixed `unit` or a `unit_column` in the same row
    "date",        # ISO date
    "choice",      # one value of `choices` (an enum id)
    "multichoice", # several values of `choices`
    "yesno",       # bool, with an optional justification required on `justify_when`
    "uscc",        # 统一社会信用代码 (GB 32100-2015)
)
FIELD_TYPES = SCALAR_TYPES + ("table",)
NUMERIC_TYPES = ("integer", "decimal", "money", "percent", "quantity")
MONEY_UNITS = ("元", "万元", "元/a", "万元/a")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class EnumSpec:
    id: str
    choices: tuple[Choice, ...]

    def label_of(self, value: str) -> str | None:
        for c in self.choices:
            if c.value == value:
                return c.label
        return None

    @cached_property
    def values(self) -> tuple[str, ...]:
        # Read for every choice value parsed (thousands per audit file): built once.
        return tuple(c.value for c in self.choices)

    @cached_property
    def value_set(self) -> frozenset[str]:
        return frozenset(self.values)


@dataclass(frozen=True)
class Condition:
    """Declarative visibility rule: ``{field = "x", equals = v}`` / ``in`` / ``not_empty``.

    ``field`` is a field id of the same step or ``step_id.field_id``.
    """

    field: str
    equals: Any = None
    any_of: tuple[Any, ...] | None = None
    not_empty: bool = False


@dataclass(frozen=True)
class Computed:
    """A value computed by the registered pure function ``function``."""

    function: str
    params: tuple[tuple[str, Any], ...] = ()
    depends: tuple[str, ...] = ()  # paths (or column ids, for columns) it reads

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class FieldSpec:
    id: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    unit: str | None = None
    unit_column: str | None = None
    places: int | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    choices: str | None = None  # enum id
    visible_if: Condition | None = None
    computed: Computed | None = None
    justify_when: bool | None = None  # yesno: a justification is required when value == this
    evidence: bool = False  # attachments allowed
    width: int | None = None  # table column hint, characters
    default: Any = None  # value a new audit starts with (coerced like user input)
    grouping: bool = True  # thousands separators when shown; off for years ("2025", not "2,025")
    pattern: str | None = None  # text: the whole value must match (Python re, fullmatch)
    pattern_hint: str = ""  # text: what the pattern asks for, said when a value does not match
    # computed numbers: "step.field" of a limit; a value above it is shown as "> limit" (a payback
    # of 1,600 years beside an economic life of 10 says "never" less plainly than "> 10")
    shown_up_to: str | None = None
    # computed numbers in a table: an empty cell is not "not filled in" when the row's computation ran.
    # It reads "never" when the row's column ``empty_never_if`` has a value (N of an option whose
    # F ≤ 0 or without a saving), and "> limit" of ``shown_up_to`` when ``empty_beyond_if`` has one
    # (a dynamic payback not reached within the economic life while N is)
    empty_never_if: str | None = None
    empty_beyond_if: str | None = None
    printed: bool = True  # a table column the report leaves out (an input another column shows)
    printed_from: str | None = None  # the first report stage that prints the column ("acceptance")
    # tables only
    columns: tuple["FieldSpec", ...] = ()
    min_rows: int = 0
    max_rows: int | None = None
    totals: tuple[str, ...] = ()
    preset_rows: tuple[tuple[tuple[str, Any], ...], ...] = ()

    @property
    def is_table(self) -> bool:
        return self.type == "table"

    @property
    def read_only(self) -> bool:
        return self.computed is not None

    def column(self, column_id: str) -> "FieldSpec":
        try:
            return self._columns_by_id[column_id]
        except KeyError:
            raise KeyError(f"{self.id}.{column_id}") from None

    @property
    def bounded(self) -> bool:
        return self.type in NUMERIC_TYPES and (self.min is not None or self.max is not None)

    @cached_property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """``min`` and ``max`` as Decimals, compared with every value of a numeric column."""
        return tuple(None if b is None else Decimal(str(b)) for b in (self.min, self.max))  # type: ignore[return-value]

    @property
    def has_value_rules(self) -> bool:
        """Whether ``validate.check_value`` can find anything: required, a range, or a USCC checksum."""
        return self.computed is None and (self.required or self.bounded or self.type == "uscc")

    @cached_property
    def checked_columns(self) -> tuple["FieldSpec", ...]:
        """The columns whose cells have rules of their own (most have none: skipped per row)."""
        return tuple(c for c in self.columns if c.has_value_rules)

    @cached_property
    def _columns_by_id(self) -> dict[str, "FieldSpec"]:  # every cell read looks its column up
        return {c.id: c for c in self.columns}


@dataclass(frozen=True)
class Check:
    """A cross-field rule registered by name (see ``workflow.rules``)."""

    rule: str
    severity: str = "error"
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class Tour:
    """Trainer text kept next to the step it explains."""

    purpose: str = ""
    bureau_checks: str = ""
    mistakes: str = ""


@dataclass(frozen=True)
class StepSpec:
    id: str
    number: int
    title: str
    help: str = ""
    page: str = "schema"  # or "custom:<name>"
    fields: tuple[FieldSpec, ...] = ()
    checks: tuple[Check, ...] = ()
    tour: Tour = field(default_factory=Tour)
    phase_id: str = ""

    def field(self, field_id: str) -> FieldSpec:
        try:
            return self._fields_by_id[field_id]
        except KeyError:
            raise KeyError(f"{self.id}.{field_id}") from None

    def has_field(self, field_id: str) -> bool:
        return field_id in self._fields_by_id

    @cached_property
    def _fields_by_id(self) -> dict[str, FieldSpec]:
        return {f.id: f for f in self.fields}


@dataclass(frozen=True)
class PhaseSpec:
    id: str
    number: int
    title: str
    help: str = ""
    steps: tuple[StepSpec, ...] = ()


@dataclass(frozen=True)
class GateSpec:
    """A bureau gate (评估 / 验收) and the steps it needs complete."""

    id: str
    title: str
    after_phase: int
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Workflow:
    id: str
    version: str
    title: str
    hash: str
    phases: tuple[PhaseSpec, ...]
    enums: dict[str, EnumSpec]
    gates: tuple[GateSpec, ...] = ()

    def steps(self) -> Iterator[StepSpec]:
        for phase in self.phases:
            yield from phase.steps

    def step(self, step_id: str) -> StepSpec:
        try:
            return self._step_index()[step_id]
        except KeyError:
            raise KeyError(step_id) from None

    def has_step(self, step_id: str) -> bool:
        return step_id in self._step_index()

    def phase_of(self, step_id: str) -> PhaseSpec:
        for phase in self.phases:
            if any(s.id == step_id for s in phase.steps):
                return phase
        raise KeyError(step_id)

    def field(self, step_id: str, field_id: str) -> FieldSpec:
        return self.step(step_id).field(field_id)

    def gate(self, gate_id: str) -> GateSpec:
        for g in self.gates:
            if g.id == gate_id:
                return g
        raise KeyError(gate_id)

    def _step_index(self) -> dict[str, StepSpec]:
        index = self.__dict__.get("_steps")
        if index is None:
            index = {s.id: s for s in self.steps()}
            object.__setattr__(self, "_steps", index)
        return index

    @property
    def ref(self) -> dict[str, str]:
        """What every audit records about the definition it was filled in with."""
        return {"id": self.id, "version": self.version, "hash": self.hash}
