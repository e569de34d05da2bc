"""Validation and completeness of an audit against its workflow definition.

Field rules (required, range, rows, USCC checksum) come from the field specs;
cross-field rules from the step's ``[[step.check]]`` entries. The same code
serves the GUI (issues beside the field), the CLI (``cpaudit check``), the
report (warnings with justifications) and signing (no errors allowed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from cpaudit.domain.document import ROW_ID, AuditDocument
from cpaudit.i18n import _, current_language, ngettext
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.rules import run_rule
from cpaudit.workflow.schema import Condition, FieldSpec, StepSpec, Workflow
from cpaudit.workflow.values import as_decimal

# Step states shown by the navigator, worst first.
ERRORS, WARNINGS, INCOMPLETE, EMPTY, COMPLETE = "errors", "warnings", "incomplete", "empty", "complete"
# Errors that only say something is still missing: they block signing like any error,
# but a step that has them is "incomplete", not "has errors" (red is for wrong values).
MISSING_RULES = frozenset({"required", "table.min_rows"})


def is_visible(spec: FieldSpec, doc: AuditDocument, step: StepSpec) -> bool:
    cond = spec.visible_if
    return cond is None or condition_holds(cond, doc, step.id)


def condition_holds(cond: Condition, doc: AuditDocument, here: str) -> bool:
    value = doc.lookup(cond.field, here)
    if cond.not_empty:
        return value not in (None, "", [])
    if cond.any_of is not None:
        return value in cond.any_of
    return value == cond.equals


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _entered(spec: FieldSpec, value: Any) -> bool:
    """Whether the user has put something in a field, beyond what a new audit starts with: a
    field's default, or a table holding only its preset rows (the nine stages of the work plan,
    the candidate factors and weights). Counting those made an untouched step 'complete'
    or 'has errors' before anyone opened it."""
    if _empty(value):
        return False
    if spec.is_table:
        if not spec.preset_rows:
            return True
        presets = [{k: v for k, v in p if not _empty(v)} for p in spec.preset_rows]
        return any(not any(_same_row(row, p) for p in presets) for row in value)
    return spec.default is None or not _same(value, spec.default)


def _same(a: Any, b: Any) -> bool:
    x, y = as_decimal(a), as_decimal(b)
    return x == y if x is not None and y is not None else a == b


def _same_row(row: dict[str, Any], preset: dict[str, Any]) -> bool:
    cells = {k: v for k, v in row.items() if k != ROW_ID and not _empty(v)}
    return cells.keys() == preset.keys() and all(_same(cells[k], preset[k]) for k in cells)


def _passes(spec: FieldSpec, value: Any) -> bool:
    """True when ``check_value`` has nothing to say: the quick answer for the many good cells."""
    if not spec.has_value_rules:
        return True
    if _empty(value):
        return not spec.required
    if spec.type == "uscc":
        return False  # the checksum is worked out by check_value itself
    low, high = spec.bounds
    number = as_decimal(value) if spec.bounded else None
    return number is None or ((low is None or number >= low) and (high is None or number <= high))


def check_value(spec: FieldSpec, value: Any, step: str, label: str | Callable[[], str], row: str | None = None,
                table: str | None = None) -> list[Issue]:
    """Rules on one stored value (field or cell).

    ``label`` may be a callable: a 1,000-row table has tens of thousands of cells, and a
    translated label is only needed for the few that have an issue.
    """
    issues: list[Issue] = []
    if _passes(spec, value):
        return issues  # most cells: nothing wrong, so no message or place is built

    def name() -> str:
        return label() if callable(label) else label

    where = dict(step=step, field=table or spec.id, row=row, column=spec.id if table else None)
    if _empty(value):
        issues.append(Issue("error", "required", message=_("{field}: a value is required").format(field=name()), **where))
        return issues
    low, high = spec.bounds
    number = as_decimal(value) if spec.bounded else None
    if low is not None and number is not None and number < low:
        issues.append(Issue("error", "number.min", message=_("{field}: must be at least {min}").format(field=name(), min=spec.min), **where))
    if high is not None and number is not None and number > high:
        issues.append(Issue("error", "number.max", message=_("{field}: must be at most {max}").format(field=name(), max=spec.max), **where))
    if spec.type == "uscc":
        from cpaudit.calc.uscc import validate_uscc

        result = validate_uscc(str(value))
        if not result.valid:  # result.rule: "uscc.checksum", "legacy.…"
            kind = (result.rule or "").removeprefix("uscc.")
            kind = "legacy" if kind.startswith("legacy") else kind
            issues.append(Issue("error", f"uscc.{kind}", message=_uscc_message(name(), kind), **where))
    return issues


def uscc_problem(label: str, raw: str) -> str | None:
    """The message the form gives ``raw`` as a unified social credit code (``label`` names the field), or None."""
    from cpaudit.calc.uscc import validate_uscc

    result = validate_uscc(raw)
    if result.valid:
        return None
    kind = (result.rule or "").removeprefix("uscc.")
    return _uscc_message(label, "legacy" if kind.startswith("legacy") else kind)


def _uscc_message(label: str, rule: str | None) -> str:
    messages = {
        "length": _("{field}: a unified social credit code has 18 characters"),
        "charset": _("{field}: only digits and the letters A–Y without I, O, S, V, Z are allowed"),
        "checksum": _("{field}: the check character (18th) does not match; check for a typing error"),
        "legacy": _("{field}: this is an old organisation code or registration number, not the unified social credit code"),
    }
    return messages.get(rule or "", _("{field}: not a valid unified social credit code")).format(field=label)


def validate_step(doc: AuditDocument, wf: Workflow, step: StepSpec) -> list[Issue]:
    # Gate rules validate other steps; the memo keeps that linear instead of exponential.
    # Messages are translated, so the language is part of the key.
    key = ("validate_step", wf.hash, step.id, current_language())
    return list(doc.memoized(key, lambda: _validate_step(doc, wf, step)))


def _validate_step(doc: AuditDocument, wf: Workflow, step: StepSpec) -> list[Issue]:
    issues: list[Issue] = []
    values = doc.values.get(step.id, {})
    for spec in step.fields:
        if not is_visible(spec, doc, step):
            continue
        label = _(spec.label)
        if spec.is_table:
            issues.extend(_validate_table(spec, values.get(spec.id) or [], step.id, label))
        else:
            issues.extend(check_value(spec, values.get(spec.id), step.id, label))
    for check in step.checks:
        issues.extend(run_rule(check.rule, doc, wf, step, check.severity, check.kwargs))
    return issues


# Cell issues of table rows as they were last checked: an edit changes one row of a
# 1,000-row table, so the other 999 rows are not checked (nor their labels translated)
# again. Keyed by the spec (kept alive here, so its id is not reused) and the row's
# position, id, cell values and the language of the messages.
_ROW_ISSUES: dict[int, tuple[FieldSpec, dict[tuple[Any, ...], tuple[Issue, ...]]]] = {}
_ROW_ISSUES_LIMIT = 100_000


def forget_checked_rows() -> None:
    """Drop the remembered row issues (benchmarks: files of different enterprises share no rows)."""
    _ROW_ISSUES.clear()


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _validate_table(spec: FieldSpec, rows: list[dict[str, Any]], step: str, label: str) -> Iterable[Issue]:
    least = max(1, spec.min_rows)
    if spec.required and len(rows) < least:
        yield Issue(
            "error", "table.min_rows", step, spec.id,
            ngettext("{table}: at least {n} row is required", "{table}: at least {n} rows are required",
                     least).format(table=label, n=least),
        )
    cached = _ROW_ISSUES.setdefault(id(spec), (spec, {}))[1]
    if len(cached) > _ROW_ISSUES_LIMIT:
        cached.clear()
    language = current_language()
    ids = [c.id for c in spec.columns]
    lists = any(c.type == "multichoice" for c in spec.columns)  # list values are not hashable
    for number, row in enumerate(rows, start=1):
        cells = tuple(_frozen(row.get(i)) for i in ids) if lists else tuple(map(row.get, ids))
        key = (language, step, label, number, row[ROW_ID], cells)
        issues = cached.get(key)
        if issues is None:
            issues = cached[key] = tuple(_check_row(spec, row, step, label, number))
        yield from issues


def _check_row(spec: FieldSpec, row: dict[str, Any], step: str, label: str, number: int) -> Iterable[Issue]:
    for col in spec.checked_columns:
        if _passes(col, row.get(col.id)):
            continue

        def col_label(col: FieldSpec = col) -> str:
            return _("{table}, row {n}, {column}").format(table=label, n=number, column=_(col.label))

        yield from check_value(col, row.get(col.id), step, col_label, row=row[ROW_ID], table=spec.id)


# The last phase a submission of each stage covers (ref §6: the 评估 report ends at
# chapter 5; the 验收 report is the complete audit, continuous CP included).
STAGE_LAST_PHASE = {"assessment": 5, "acceptance": 7}


def stage_steps(wf: Workflow, stage: str | None) -> list[StepSpec]:
    """The steps a stage's submission is checked on (all steps when ``stage`` is None)."""
    last = STAGE_LAST_PHASE.get(stage or "", 99)
    return [s for p in wf.phases if p.number <= last for s in p.steps]


def validate(doc: AuditDocument, wf: Workflow, stage: str | None = None) -> list[Issue]:
    """Every issue of the audit, or of the steps a ``stage`` submission covers."""
    issues: list[Issue] = []
    for step in stage_steps(wf, stage):
        issues.extend(validate_step(doc, wf, step))
    return issues


@dataclass(frozen=True)
class StepStatus:
    step: str
    state: str
    filled: int
    required: int
    issues: tuple[Issue, ...]


def step_status(doc: AuditDocument, wf: Workflow, step: StepSpec, issues: list[Issue] | None = None) -> StepStatus:
    if issues is None:  # both gates and every gate rule ask for the same steps' states
        key = ("step_status", wf.hash, step.id, current_language())
        return doc.memoized(key, lambda: _step_status(doc, step, validate_step(doc, wf, step)))
    return _step_status(doc, step, issues)


def _step_status(doc: AuditDocument, step: StepSpec, issues: list[Issue]) -> StepStatus:
    values = doc.values.get(step.id, {})
    visible = [f for f in step.fields if f.computed is None and is_visible(f, doc, step)]
    present = [f for f in visible if not _empty(values.get(f.id))]
    entered = [f for f in present if _entered(f, values.get(f.id))]
    required = sum(1 for f in visible if f.required)
    unjustified = [i for i in issues if i.severity == "warning" and not doc.justifications.get(i.key)]
    wrong = [i for i in issues if i.severity == "error" and i.rule not in MISSING_RULES]
    missing = [i for i in issues if i.severity == "error" and i.rule in MISSING_RULES]
    if wrong:
        state = EMPTY if not entered else ERRORS
    elif unjustified:
        state = WARNINGS
    elif not present and visible:
        state = EMPTY
    elif missing or any(f.required and _empty(values.get(f.id)) for f in visible):
        state = EMPTY if not entered else INCOMPLETE
    else:
        state = COMPLETE  # also with only the defaults (calculation settings): nothing is missing
    filled = len(present) if state == COMPLETE else len(entered)
    return StepStatus(step.id, state, filled, required, tuple(issues))


def audit_status(doc: AuditDocument, wf: Workflow) -> dict[str, StepStatus]:
    return {step.id: step_status(doc, wf, step) for step in wf.steps()}


def reads_other_steps(step: StepSpec) -> bool:
    """Whether a step's status can change when ANOTHER step changes.

    Cross-field rules may read anything; ``step.field`` references in visibility
    conditions and computed dependencies read another step. Everything else
    depends on the step's own values only.
    """
    if step.checks:
        return True
    for f in step.fields:
        if f.visible_if is not None and "." in f.visible_if.field:
            return True
        if f.computed is not None and not f.is_table and any("." in d for d in f.computed.depends):
            return True
    return False


def table_rows(doc: AuditDocument, step: StepSpec) -> int:
    """How many table rows a step holds (views check big steps after a pause in typing)."""
    return sum(len(doc.rows(step.id, f.id)) for f in step.fields if f.is_table)


def steps_to_recheck(wf: Workflow, changed: Iterable[str]) -> list[StepSpec]:
    """The steps whose status an edit of the ``changed`` steps may have altered, in order.

    Lets a view refresh step states after each edit without re-validating every
    (possibly long) table of the audit.
    """
    changed = set(changed)
    return [s for s in wf.steps() if s.id in changed or reads_other_steps(s)]
