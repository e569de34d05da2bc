"""Load and strictly validate a workflow definition from ``resources/workflows``.

A definition is a folder with ``workflow.toml`` (id, version, enums, gates and
the ordered list of phase files) and one TOML file per phase. Any unknown key,
missing key, bad type or dangling reference is a ``WorkflowError`` naming the
file and line: a broken definition must never reach a user half-loaded.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cpaudit import paths
from cpaudit.i18n import _
from cpaudit.workflow.schema import (
    FIELD_TYPES,
    MONEY_UNITS,
    NUMERIC_TYPES,
    SEVERITIES,
    Check,
    Choice,
    Computed,
    Condition,
    EnumSpec,
    FieldSpec,
    GateSpec,
    PhaseSpec,
    StepSpec,
    Tour,
    Workflow,
)
from cpaudit.workflow.tomlmap import LineMap

DEFAULT_WORKFLOW = "cn-cp-audit"

_WORKFLOW_KEYS = {"id", "version", "title", "phases"}
_PHASE_KEYS = {"id", "number", "title", "help"}
_STEP_KEYS = {"id", "number", "title", "help", "page", "field", "check", "tour"}
_TOUR_KEYS = {"purpose", "bureau_checks", "mistakes"}
_FIELD_KEYS = {
    "id", "type", "label", "help", "required", "unit", "unit_column", "places", "min", "max",
    "max_length", "choices", "visible_if", "computed", "justify_when", "evidence", "width", "default", "grouping",
    "pattern", "pattern_hint", "column", "min_rows", "max_rows", "totals", "preset_rows",
}
# shown_up_to: a table's display (GUI and report) reads the limit from the document; columns only.
# empty_never_if / empty_beyond_if: what an empty computed cell says, read from another column of the row.
_COLUMN_KEYS = (_FIELD_KEYS - {"column", "min_rows", "max_rows", "totals", "preset_rows"}) | {
    "shown_up_to", "empty_never_if", "empty_beyond_if", "printed", "printed_from"}
_COMPUTED_KEYS = {"function", "params", "depends"}
_CONDITION_KEYS = {"field", "equals", "in", "not_empty"}
_CHECK_KEYS = {"rule", "severity", "params"}
_GATE_KEYS = {"id", "title", "after_phase", "requires"}
_CHOICE_KEYS = {"value", "label"}


class WorkflowError(Exception):
    """A definition error, with the file and line it was found at."""

    def __init__(self, file: Path, line: int, message: str):
        self.file, self.line, self.message = file, line, message
        super().__init__(f"{file}:{line}: {message}")


@dataclass
class _Source:
    path: Path
    data: dict[str, Any]
    lines: LineMap

    def fail(self, where: tuple[object, ...], message: str) -> WorkflowError:
        return WorkflowError(self.path, self.lines.line_of(where), message)


def _read(path: Path) -> _Source:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise WorkflowError(path, line, _("not valid TOML: {error}").format(error=exc)) from None
    return _Source(path, data, LineMap(text))


def _line_from_message(message: str) -> int:
    import re

    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 1


def workflow_dir(workflow_id: str = DEFAULT_WORKFLOW) -> Path:
    return paths.resource_path("workflows", workflow_id)


def load_workflow(workflow_id: str = DEFAULT_WORKFLOW) -> Workflow:
    """The shipped workflow ``workflow_id``: one object however it is asked for (cached: definitions are immutable)."""
    return _load_shipped(workflow_id)


@lru_cache(maxsize=8)  # keyed by the id alone: load_workflow() and load_workflow("cn-cp-audit") are one entry
def _load_shipped(workflow_id: str) -> Workflow:
    return load_workflow_dir(workflow_dir(workflow_id))


# An id or version as a file names it: a plain folder name, never a path.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def releases_dir(workflow_id: str = DEFAULT_WORKFLOW) -> Path:
    """Earlier releases of a workflow, one full copy per version: ``<this>/<version>/workflow.toml …``."""
    return paths.resource_path("workflow-releases", workflow_id)


def find_workflow(workflow_id: str, version: str, sha256: str) -> Workflow | None:
    """The definition a submission file names by id, version and hash: the shipped one, or an
    earlier release kept in ``releases_dir``, so files made before an update still verify.
    None when neither matches (or the names are no plain folder names: they come from the file)."""
    if not (_SAFE_NAME.match(workflow_id) and _SAFE_NAME.match(version) and ".." not in workflow_id + version):
        return None
    candidates = []
    if (workflow_dir(workflow_id) / "workflow.toml").is_file():
        candidates.append(load_workflow(workflow_id))
    release = releases_dir(workflow_id) / version
    if (release / "workflow.toml").is_file():
        candidates.append(_load_release(str(release)))
    return next((wf for wf in candidates if (wf.id, wf.version, wf.hash) == (workflow_id, version, sha256)), None)


@lru_cache(maxsize=8)
def _load_release(folder: str) -> Workflow:
    return load_workflow_dir(Path(folder))


def load_workflow_dir(folder: Path) -> Workflow:
    main = _read(folder / "workflow.toml")
    head = _table(main, ("workflow",), main.data.get("workflow"), _WORKFLOW_KEYS, {"id", "version", "title", "phases"})
    digest = hashlib.sha256()
    digest.update(b"workflow.toml\0" + (folder / "workflow.toml").read_bytes())
    enums = _enums(main)
    gates_raw = main.data.get("gate", [])
    extra = set(main.data) - {"workflow", "enums", "gate"}
    if extra:
        raise main.fail((sorted(extra)[0],), _("unknown key '{key}'").format(key=sorted(extra)[0]))

    phases, sources = [], []
    for name in head["phases"]:
        path = folder / name
        if not path.is_file() or path.parent != folder:
            raise main.fail(("workflow", "phases"), _("phase file '{name}' not found").format(name=name))
        digest.update(name.encode() + b"\0" + path.read_bytes())
        src = _read(path)
        sources.append(src)
        phases.append(_phase(src, enums))

    wf = Workflow(
        id=_str(main, ("workflow", "id"), head["id"]),
        version=_str(main, ("workflow", "version"), head["version"]),
        title=_str(main, ("workflow", "title"), head["title"]),
        hash=digest.hexdigest(),
        phases=tuple(phases),
        enums=enums,
        gates=tuple(_gate(main, i, g) for i, g in enumerate(gates_raw)),
    )
    _check_references(wf, main, sources)
    return wf


def _table(src: _Source, where: tuple[object, ...], raw: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise src.fail(where, _("expected a table"))
    for key in raw:
        if key not in allowed:
            raise src.fail(where + (key,), _("unknown key '{key}'").format(key=key))
    for key in sorted(required):
        if key not in raw:
            raise src.fail(where, _("missing required key '{key}'").format(key=key))
    return raw


def _str(src: _Source, where: tuple[object, ...], value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise src.fail(where, _("expected a non-empty text"))
    return value


def _int(src: _Source, where: tuple[object, ...], value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise src.fail(where, _("expected a whole number"))
    return value


def _enums(src: _Source) -> dict[str, EnumSpec]:
    enums: dict[str, EnumSpec] = {}
    for enum_id, raw in src.data.get("enums", {}).items():
        where = ("enums", enum_id)
        body = _table(src, where, raw, {"choices"}, {"choices"})
        choices = []
        for i, c in enumerate(body["choices"]):
            c = _table(src, where + ("choices",), c, _CHOICE_KEYS, _CHOICE_KEYS)
            choices.append(Choice(str(c["value"]), _str(src, where + ("choices",), c["label"])))
        if len({c.value for c in choices}) != len(choices):
            raise src.fail(where, _("duplicate choice value in '{enum}'").format(enum=enum_id))
        enums[enum_id] = EnumSpec(enum_id, tuple(choices))
    return enums


def _phase(src: _Source, enums: dict[str, EnumSpec]) -> PhaseSpec:
    extra = set(src.data) - {"phase", "step"}
    if extra:
        key = sorted(extra)[0]
        raise src.fail((key,), _("unknown key '{key}'").format(key=key))
    head = _table(src, ("phase",), src.data.get("phase"), _PHASE_KEYS, {"id", "number", "title"})
    phase_id = _str(src, ("phase", "id"), head["id"])
    steps = tuple(_step(src, i, raw, enums, phase_id) for i, raw in enumerate(src.data.get("step", [])))
    return PhaseSpec(
        id=phase_id,
        number=_int(src, ("phase", "number"), head["number"]),
        title=_str(src, ("phase", "title"), head["title"]),
        help=head.get("help", ""),
        steps=steps,
    )


def _step(src: _Source, index: int, raw: Any, enums: dict[str, EnumSpec], phase_id: str) -> StepSpec:
    where: tuple[object, ...] = ("step", index)
    body = _table(src, where, raw, _STEP_KEYS, {"id", "number", "title"})
    fields = tuple(
        _field(src, where + ("field", i), f, enums, _FIELD_KEYS) for i, f in enumerate(body.get("field", []))
    )
    ids = [f.id for f in fields]
    for i, fid in enumerate(ids):
        if fid in ids[:i]:
            raise src.fail(where + ("field", i), _("duplicate field id '{id}'").format(id=fid))
    checks = []
    for i, c in enumerate(body.get("check", [])):
        c = _table(src, where + ("check", i), c, _CHECK_KEYS, {"rule"})
        severity = c.get("severity", "error")
        if severity not in SEVERITIES:
            raise src.fail(where + ("check", i, "severity"), _("unknown severity '{value}'").format(value=severity))
        checks.append(Check(c["rule"], severity, _frozen_params(c.get("params", {}))))
    tour_raw = _table(src, where + ("tour",), body.get("tour", {}), _TOUR_KEYS, set())
    page = body.get("page", "schema")
    if page != "schema" and not str(page).startswith("custom:"):
        raise src.fail(where + ("page",), _("page must be 'schema' or 'custom:<name>'"))
    return StepSpec(
        id=_str(src, where + ("id",), body["id"]),
        number=_int(src, where + ("number",), body["number"]),
        title=_str(src, where + ("title",), body["title"]),
        help=body.get("help", ""),
        page=page,
        fields=fields,
        checks=tuple(checks),
        tour=Tour(**tour_raw),
        phase_id=phase_id,
    )


def _frozen_params(raw: Any) -> tuple[tuple[str, Any], ...]:
    def freeze(v: Any) -> Any:
        if isinstance(v, list):
            return tuple(freeze(x) for x in v)
        if isinstance(v, dict):
            return tuple(sorted((k, freeze(x)) for k, x in v.items()))
        return v

    return tuple(sorted((k, freeze(v)) for k, v in dict(raw).items()))


def _field(src: _Source, where: tuple[object, ...], raw: Any, enums: dict[str, EnumSpec], allowed: set[str]) -> FieldSpec:
    body = _table(src, where, raw, allowed, {"id", "type", "label"})
    ftype = body["type"]
    if ftype not in FIELD_TYPES or (ftype == "table" and allowed is _COLUMN_KEYS):
        raise src.fail(where + ("type",), _("unknown field type '{type}'").format(type=ftype))
    fid = _str(src, where + ("id",), body["id"])
    if not fid.replace("_", "").isalnum() or not fid.isascii() or not fid[0].isalpha():
        raise src.fail(where + ("id",), _("ids use letters, digits and '_' only: '{id}'").format(id=fid))
    choices = body.get("choices")
    if ftype in ("choice", "multichoice"):
        if choices not in enums:
            raise src.fail(where + ("choices",), _("unknown enum '{enum}'").format(enum=choices))
    elif choices is not None:
        raise src.fail(where + ("choices",), _("only choice fields take 'choices'"))
    unit = body.get("unit")
    if ftype == "money" and unit not in MONEY_UNITS:
        raise src.fail(where + ("unit",), _("money needs unit 元, 万元, 元/a or 万元/a"))
    if ftype == "quantity" and not (unit or body.get("unit_column")):
        raise src.fail(where, _("a quantity needs 'unit' or 'unit_column'"))
    for key in ("min", "max", "places"):
        if key in body and ftype not in NUMERIC_TYPES:
            raise src.fail(where + (key,), _("'{key}' applies to numbers only").format(key=key))
    computed = None
    if "computed" in body:
        c = _table(src, where + ("computed",), body["computed"], _COMPUTED_KEYS, {"function"})
        computed = Computed(c["function"], _frozen_params(c.get("params", {})), tuple(c.get("depends", ())))
    condition = None
    if "visible_if" in body:
        c = _table(src, where + ("visible_if",), body["visible_if"], _CONDITION_KEYS, {"field"})
        condition = Condition(
            field=c["field"],
            equals=c.get("equals"),
            any_of=tuple(c["in"]) if "in" in c else None,
            not_empty=bool(c.get("not_empty", False)),
        )
    columns: tuple[FieldSpec, ...] = ()
    if ftype == "table":
        columns = tuple(
            _field(src, where + ("column", i), col, enums, _COLUMN_KEYS) for i, col in enumerate(body.get("column", []))
        )
        if not columns:
            raise src.fail(where, _("a table needs at least one column"))
        col_ids = [c.id for c in columns]
        if len(set(col_ids)) != len(col_ids):
            raise src.fail(where, _("duplicate column id in table '{id}'").format(id=fid))
        for t in body.get("totals", []):
            if t not in col_ids or columns[col_ids.index(t)].type not in NUMERIC_TYPES:
                raise src.fail(where + ("totals",), _("totals column '{id}' is not a numeric column").format(id=t))
        for col in columns:
            if col.unit_column and col.unit_column not in col_ids:
                raise src.fail(where, _("unit_column '{id}' is not a column").format(id=col.unit_column))
            for key in ("empty_never_if", "empty_beyond_if"):
                if getattr(col, key) and getattr(col, key) not in col_ids:
                    raise src.fail(where, _("{key} '{id}' is not a column").format(key=key, id=getattr(col, key)))
            if col.computed:
                for dep in col.computed.depends:
                    if dep not in col_ids:
                        raise src.fail(where, _("computed column depends on unknown column '{id}'").format(id=dep))
        for r, row in enumerate(body.get("preset_rows", [])):
            for key in row:
                if key not in col_ids:
                    raise src.fail(where + ("preset_rows",), _("preset row {n} names unknown column '{id}'").format(n=r + 1, id=key))
    elif any(k in body for k in ("column", "min_rows", "max_rows", "totals", "preset_rows")):
        raise src.fail(where, _("only tables take columns, rows and totals"))
    pattern = body.get("pattern")
    if pattern is not None:
        if ftype != "text" or not body.get("pattern_hint"):
            raise src.fail(where + ("pattern",), _("a pattern belongs to a text field, with a pattern_hint that says it"))
        try:
            re.compile(pattern)
        except re.error as exc:
            raise src.fail(where + ("pattern",), _("the pattern is not a regular expression: {error}").format(error=exc)) from None
    for key in ("shown_up_to", "empty_never_if", "empty_beyond_if"):
        if key in body and (ftype not in NUMERIC_TYPES or "computed" not in body):
            raise src.fail(where + (key,), _("'{key}' applies to computed numbers only").format(key=key))
    if "empty_beyond_if" in body and "shown_up_to" not in body:
        raise src.fail(where + ("empty_beyond_if",), _("'empty_beyond_if' needs the limit of 'shown_up_to'"))
    return FieldSpec(
        id=fid,
        type=ftype,
        label=_str(src, where + ("label",), body["label"]),
        help=body.get("help", ""),
        required=bool(body.get("required", False)),
        unit=unit,
        unit_column=body.get("unit_column"),
        places=body.get("places"),
        min=body.get("min"),
        max=body.get("max"),
        max_length=body.get("max_length"),
        choices=choices,
        visible_if=condition,
        computed=computed,
        justify_when=body.get("justify_when"),
        evidence=bool(body.get("evidence", False)),
        width=body.get("width"),
        default=body.get("default"),
        grouping=bool(body.get("grouping", True)),
        pattern=pattern,
        pattern_hint=body.get("pattern_hint", ""),
        shown_up_to=body.get("shown_up_to"),
        empty_never_if=body.get("empty_never_if"),
        empty_beyond_if=body.get("empty_beyond_if"),
        printed=bool(body.get("printed", True)),
        printed_from=_stage(src, where + ("printed_from",), body.get("printed_from")),
        columns=columns,
        min_rows=body.get("min_rows", 0),
        max_rows=body.get("max_rows"),
        totals=tuple(body.get("totals", ())),
        preset_rows=tuple(tuple(sorted(r.items())) for r in body.get("preset_rows", ())),
    )


REPORT_STAGES = ("assessment", "acceptance")  # cpaudit.report.outline.STAGES, in order


def _stage(src: _Source, where: tuple[object, ...], value: Any) -> str | None:
    if value is not None and value not in REPORT_STAGES:
        raise src.fail(where, _("'{value}' is not a report stage ({stages})").format(
            value=value, stages=", ".join(REPORT_STAGES)))
    return value


def _gate(src: _Source, index: int, raw: Any) -> GateSpec:
    where: tuple[object, ...] = ("gate", index)
    body = _table(src, where, raw, _GATE_KEYS, _GATE_KEYS)
    return GateSpec(body["id"], body["title"], _int(src, where + ("after_phase",), body["after_phase"]), tuple(body["requires"]))


def _check_references(wf: Workflow, main: _Source, sources: list[_Source]) -> None:
    """Every name a definition uses must exist: steps, fields, functions, rules."""
    from cpaudit.calc.registry import known_functions
    from cpaudit.workflow.rules import known_rules

    functions, rules = known_functions(), known_rules()
    seen: dict[str, str] = {}
    for phase, src in zip(wf.phases, sources):
        for si, step in enumerate(phase.steps):
            if step.id in seen:
                raise src.fail(("step", si, "id"), _("duplicate step id '{id}'").format(id=step.id))
            seen[step.id] = phase.id
            for fi, f in enumerate(step.fields):
                where: tuple[object, ...] = ("step", si, "field", fi)
                if f.computed and f.computed.function not in functions:
                    raise src.fail(where + ("computed",), _("unknown function '{name}'").format(name=f.computed.function))
                if f.computed and not f.is_table:
                    for dep in f.computed.depends:
                        _resolve_field_ref(wf, step, dep, src, where + ("computed",))
                for col in f.columns:
                    if col.computed and col.computed.function not in functions:
                        raise src.fail(where, _("unknown function '{name}'").format(name=col.computed.function))
                for col in f.columns:
                    if col.shown_up_to:
                        _resolve_field_ref(wf, step, col.shown_up_to, src, where + ("shown_up_to",))
                if f.visible_if:
                    _resolve_field_ref(wf, step, f.visible_if.field, src, where + ("visible_if",))
            for ci, check in enumerate(step.checks):
                if check.rule not in rules:
                    raise src.fail(("step", si, "check", ci, "rule"), _("unknown rule '{name}'").format(name=check.rule))
    for gi, gate in enumerate(wf.gates):
        for step_id in gate.requires:
            if not wf.has_step(step_id):
                raise main.fail(("gate", gi, "requires"), _("gate requires unknown step '{id}'").format(id=step_id))


def _resolve_field_ref(wf: Workflow, step: StepSpec, ref: str, src: _Source, where: tuple[object, ...]) -> FieldSpec:
    step_id, _sep, field_id = ref.rpartition(".")
    target = wf.step(step_id) if step_id and wf.has_step(step_id) else (step if not step_id else None)
    if target is None or not target.has_field(field_id):
        raise src.fail(where, _("reference to unknown field '{ref}'").format(ref=ref))
    return target.field(field_id)
