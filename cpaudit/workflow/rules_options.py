"""Validation rules of phases 4–7: option register, feasibility, evidence, gates.

Registered by name and referenced from ``[[step.check]]`` in phase-4 … phase-6.toml.
Each message names the worksheet, the row and the rule broken, in the user's
language. The numbers come from ``calc.option_register`` so the message and
the figure never disagree.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator, Sequence

from cpaudit.calc import option_register as reg
from cpaudit.domain.document import ROW_ID, AuditDocument
from cpaudit.i18n import _
from cpaudit.workflow.gates import FEASIBILITY_TABLES, gate_report
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.rules import rule
from cpaudit.workflow.schema import StepSpec, Workflow
from cpaudit.workflow.values import as_decimal


def _table_label(wf: Workflow, step_id: str, table: str) -> str:
    return _(wf.field(step_id, table).label)


def _split(ref: str, here: str) -> tuple[str, str]:
    step, _sep, table = ref.rpartition(".")
    return step or here, table


def _blank(value: Any) -> bool:
    return not str(value or "").strip()


@rule("option_register")
def option_register(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """ref §2.4–2.5: unique numbers; an overridden class and a rejection each need a reason."""
    table = reg.REGISTER[1]
    label = _table_label(wf, step.id, table)
    rows = doc.rows(step.id, table)
    counts = Counter(reg.number_of(r.get("number")) for r in rows)
    for n, row in enumerate(rows, start=1):
        number = reg.number_of(row.get("number"))
        where = dict(step=step.id, field=table, row=row[ROW_ID])
        if number and counts[number] > 1:
            yield Issue("error", "option.number_duplicate", column="number", message=_(
                "{table}, row {n}: option number {number} is used more than once").format(
                table=label, n=n, number=number), **where)
        if row.get("class_override") and _blank(row.get("override_reason")):
            yield Issue("error", "option.override_reason", column="override_reason", message=_(
                "{table}, row {n}: the cost class of option {number} is overridden; give the reason").format(
                table=label, n=n, number=number), **where)
        if row.get("status") == "rejected" and _blank(row.get("rejection_reason")):
            yield Issue("error", "option.rejected_reason", column="rejection_reason", message=_(
                "{table}, row {n}: option {number} is rejected; the bureau expects the reason").format(
                table=label, n=n, number=number), **where)


@rule("screening_reasons")
def screening_reasons(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str = "screening") -> Iterator[Issue]:
    """ref §2.5: an option screened out is shelved with a reason."""
    label = _table_label(wf, step.id, table)
    for n, row in enumerate(doc.rows(step.id, table), start=1):
        if row.get("bin") == "rejected" and _blank(row.get("reason")):
            yield Issue("error", "option.rejected_reason", step.id, table, _(
                "{table}, row {n}: option {number} is screened out; give the reason").format(
                table=label, n=n, number=reg.number_of(row.get("option_no"))), row=row[ROW_ID], column="reason")


@rule("option_ref")
def option_ref(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str, column: str = "option_no") -> Iterator[Issue]:
    """Every option number used in a worksheet must be in the register (step 17)."""
    known = reg.register(doc)
    label = _table_label(wf, step.id, table)
    for n, row in enumerate(doc.rows(step.id, table), start=1):
        number = reg.number_of(row.get(column))
        if number and number not in known:
            yield Issue("error", "option.unknown_number", step.id, table, _(
                "{table}, row {n}: option {number} is not in the option register").format(
                table=label, n=n, number=number), row=row[ROW_ID], column=column)


@rule("feasibility_complete")
def feasibility_complete(doc: AuditDocument, wf: Workflow, step: StepSpec,
                         tables: Sequence[str] = FEASIBILITY_TABLES) -> Iterator[Issue]:
    """ref §2.4, §6 评估: every live medium/high-cost option has its feasibility analysis."""
    for number, missing in reg.options_lacking_feasibility(doc, tuple(tables)).items():
        names = ", ".join(_table_label(wf, *t.split(".", 1)) for t in missing)
        yield Issue("error", "option.feasibility_missing", step.id, None, _(
            "Medium/high-cost option {number} has no feasibility analysis in: {tables}. "
            "The assessment (评估) needs it for every such option").format(number=number, tables=names))


def _evaluated(doc: AuditDocument) -> Iterator[tuple[int, dict[str, Any], reg.OptionEconomics | None]]:
    for n, row in enumerate(doc.rows(*reg.EVALUATION), start=1):
        yield n, row, reg.option_economics(doc, reg.number_of(row.get("option_no")))


@rule("economic_inputs")
def economic_inputs(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """ref §4.1: I needs investment items; without them nothing can be computed."""
    label = _table_label(wf, *reg.EVALUATION)
    for n, row, econ in _evaluated(doc):
        if econ is None and reg.number_of(row.get("option_no")):
            yield Issue("error", "econ.inputs_missing", step.id, reg.EVALUATION[1], _(
                "{table}, row {n}: option {number} has no investment items, so I … IRR cannot be computed").format(
                table=label, n=n, number=reg.number_of(row.get("option_no"))), row=row[ROW_ID])


@rule("payback_within_norm")
def payback_within_norm(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """ref §4.1: N within the class norm; otherwise only with a stated (e.g. environmental) reason."""
    label = _table_label(wf, *reg.EVALUATION)
    for n, row, econ in _evaluated(doc):
        if econ is None or econ.norm is None or not _blank(row.get("decision_reason")):
            continue
        r = econ.result
        if r.N is None or r.N > econ.norm:
            years = "—" if r.N is None else f"{r.N:.2f}"
            yield Issue("warning", "econ.payback_norm", step.id, reg.EVALUATION[1], _(
                "{table}, row {n}: payback period N of option {number} is {years} yr, beyond the {norm} yr norm "
                "of its cost class; state why it is still recommended").format(
                table=label, n=n, number=econ.number, years=years, norm=f"{econ.norm:g}"),
                row=row[ROW_ID], column="decision_reason")


@rule("npv_non_negative")
def npv_non_negative(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """ref §4.1: NPV ≥ 0; a negative NPV needs a stated reason."""
    label = _table_label(wf, *reg.EVALUATION)
    for n, row, econ in _evaluated(doc):
        if econ is not None and econ.result.npv < 0 and _blank(row.get("decision_reason")):
            yield Issue("warning", "econ.npv_negative", step.id, reg.EVALUATION[1], _(
                "{table}, row {n}: net present value of option {number} is negative ({npv} 万元); "
                "state why it is still recommended").format(
                table=label, n=n, number=econ.number, npv=f"{econ.result.npv:.2f}"),
                row=row[ROW_ID], column="decision_reason")


@rule("implementation_evidence")
def implementation_evidence(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str,
                            classes: Sequence[str]) -> Iterator[Issue]:
    """ref §6 验收, §9.9: every implemented option has verified effects backed by evidence."""
    label = _table_label(wf, step.id, table)
    for n, row in enumerate(doc.rows(step.id, table), start=1):
        if not reg.has_evidence(doc, (step.id, table), row):
            yield Issue("error", "option.evidence_missing", step.id, table, _(
                "{table}, row {n}: no evidence is named for option {number}; the acceptance (验收) needs "
                "invoices, photos or monitoring reports").format(
                table=label, n=n, number=reg.number_of(row.get("option_no"))), row=row[ROW_ID], column="evidence")
    listed = {reg.number_of(r.get("option_no")) for r in doc.rows(step.id, table)}
    for number in reg.options_lacking_evidence(doc, tuple(classes), (step.id, table)):
        if number not in listed:
            yield Issue("error", "option.effects_missing", step.id, table, _(
                "Option {number} is marked implemented but {table} has no verified effects for it").format(
                number=number, table=label))


@rule("gate_ready")
def gate_ready(doc: AuditDocument, wf: Workflow, step: StepSpec, gate: str) -> Iterator[Issue]:
    """ref §6: list what keeps the audit from the gate (the "gates" figure has the detail)."""
    report = gate_report(doc, wf, gate, skip_step=step.id)
    title = _(wf.gate(gate).title)
    for entry in report["steps_incomplete"]:
        yield Issue("info", "gate.step_incomplete", step.id, None, _(
            "{gate}: step '{step}' is not complete").format(gate=title, step=_(wf.step(entry["step"]).title)))
    for number in report["content"].get("options_lacking_feasibility", {}):
        yield Issue("info", "gate.feasibility_missing", step.id, None, _(
            "{gate}: option {number} lacks its feasibility analysis").format(gate=title, number=number))
    for number in report["content"].get("options_lacking_evidence", []):
        yield Issue("info", "gate.evidence_missing", step.id, None, _(
            "{gate}: implemented option {number} lacks verified effects with evidence").format(gate=title, number=number))


@rule("target_traceability")
def target_traceability(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str = "targets") -> Iterator[Issue]:
    """ref §9.9, sample-cases §3.6: an achieved target traces back to implemented options."""
    label = _table_label(wf, step.id, table)
    known = reg.register(doc)
    for n, row in enumerate(doc.rows(step.id, table), start=1):
        numbers = [reg.number_of(x) for x in str(row.get("options") or "").replace("，", ",").split(",") if x.strip()]
        where = dict(step=step.id, field=table, row=row[ROW_ID], column="options")
        if row.get("achieved") is not None and not numbers:
            yield Issue("warning", "target.untraced", message=_(
                "{table}, row {n}: name the options that achieved '{indicator}'").format(
                table=label, n=n, indicator=row.get("indicator") or ""), **where)
        for number in numbers:
            status = known.get(number, {}).get("status")
            if status not in reg.IMPLEMENTED:
                yield Issue("warning", "target.option_not_implemented", message=_(
                    "{table}, row {n}: option {number} is not implemented, so it cannot count towards "
                    "'{indicator}'").format(table=label, n=n, number=number, indicator=row.get("indicator") or ""),
                    **where)


@rule("indicator_keys")
def indicator_keys(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str = "indicators") -> Iterator[Issue]:
    """ref §5: indicator keys must exist in the chosen sector system."""
    from cpaudit.calc import indicators
    from cpaudit.calc.errors import CalcError

    system_id = doc.get(step.id, "indicator_system")
    if not system_id:
        return
    try:
        system = indicators.load_bundled(system_id)
    except CalcError:
        return
    known = {i.key for i in system.indicators}
    label = _table_label(wf, step.id, table)
    for n, row in enumerate(doc.rows(step.id, table), start=1):
        key = str(row.get("indicator") or "").strip()
        if key and key not in known:
            yield Issue("error", "indicator.unknown", step.id, table, _(
                "{table}, row {n}: '{key}' is not an indicator of the system {system}").format(
                table=label, n=n, key=key, system=system_id), row=row[ROW_ID], column="indicator")


@rule("row_date_order")
def row_date_order(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str, start: str, end: str) -> Iterator[Issue]:
    """A planned task cannot end before it starts."""
    spec = wf.field(step.id, table)
    for n, row in enumerate(doc.rows(step.id, table), start=1):
        first, last = row.get(start), row.get(end)
        if first and last and last < first:
            yield Issue("error", "date.order", step.id, table, _(
                "{table}, row {n}: {end} must not be before {start}").format(
                table=_(spec.label), n=n, end=_(spec.column(end).label), start=_(spec.column(start).label)),
                row=row[ROW_ID], column=end)



@rule("targets_from_phase2")
def targets_from_phase2(doc: AuditDocument, wf: Workflow, step: StepSpec, source: str = "cp_targets.targets",
                        table: str = "targets") -> Iterator[Issue]:
    """ref §2.2, §6 验收: every CP target set in phase 2 is reported, with the same baseline and target."""
    src_step, src_table = _split(source, step.id)
    reported = {str(r.get("indicator") or "").strip(): r for r in doc.rows(step.id, table)}
    label = _table_label(wf, step.id, table)
    for planned in doc.rows(src_step, src_table):
        name = str(planned.get("indicator") or "").strip()
        if not name:
            continue
        row = reported.get(name)
        if row is None:
            yield Issue("warning", "target.not_reported", step.id, table, _(
                "{table}: the CP target '{indicator}' of phase 2 is not reported").format(table=label, indicator=name))
            continue
        goals = {as_decimal(planned.get(k)) for k in ("near", "long")} - {None}
        if as_decimal(row.get("baseline")) != as_decimal(planned.get("baseline")) or as_decimal(row.get("target")) not in goals:
            yield Issue("warning", "target.changed", step.id, table, _(
                "{table}: baseline or target of '{indicator}' differ from the CP targets of phase 2").format(
                table=label, indicator=name), row=row[ROW_ID])


@rule("indicators_match_baseline")
def indicators_match_baseline(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str = "indicators") -> Iterator[Issue]:
    """ref §6 Ch.6.4, sample-cases rule 9: the before side is the Ch.2.5.2 evaluation of phase 2.

    A typed before level that differs from it is named (the report uses the phase-2 level),
    and so is every indicator phase 2 assessed that has no before/after row here.
    """
    from cpaudit.calc import impact_indicators as impact

    label = _table_label(wf, step.id, table)
    levels = wf.enums["indicator_level"]

    def level_text(level: str | None) -> str:
        return _("Not applicable") if level is None else _(levels.label_of(level) or level)

    system = impact.impact_system(doc)
    for m in impact.baseline_mismatches(doc):
        yield Issue("warning", "indicator.before_differs", step.id, table, _(
            "{table}, row {n}: the level before implementation of {indicator} is {typed} here but {baseline} in "
            "the phase 2 comparison with the sector system; the report uses the phase 2 level").format(
            table=label, n=m.n, indicator=system.indicator(m.key).name_zh if system else m.key,
            typed=level_text(m.typed), baseline=level_text(m.baseline)), row=m.row[ROW_ID], column="level_before")
    missing = impact.missing_after(doc)
    if missing and system is not None:
        yield Issue("warning", "indicator.after_missing", step.id, table, _(
            "{table}: assessed in phase 2 but without a level after implementation: {names}").format(
            table=label, names="、".join(system.indicator(k).name_zh for k in missing)))
