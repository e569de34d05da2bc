"""Validation rules of phase 3 (assessment): measurement, balances, waste causes.

Balance closure is the rule inspectors look at first (ref §3): outside the
tolerance is a warning that needs a written justification; streams in units
that cannot be added (kg and m³) are an error, because no deviation exists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from cpaudit.calc import assessment_inputs as ai
from cpaudit.calc.errors import CalcError, UnitMismatch
from cpaudit.domain.document import AuditDocument
from cpaudit.i18n import _
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.rules import rule
from cpaudit.workflow.rules_assessment import cell, issue, label
from cpaudit.workflow.schema import StepSpec, Workflow


@rule("measurement_points")
def measurement_points(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """WS 3-4 rows should come from a point of the WS 3-3 plan."""
    planned = {ai.text(r.get("point")) for r in doc.rows(step.id, "plan")}
    for n, r in enumerate(doc.rows(step.id, "data"), start=1):
        point = ai.text(r.get("point"))
        if point and point not in planned:
            yield issue("measurement.unplanned", step, "data", _("{cell}: point {point} is not in the measurement plan").format(
                cell=cell(step, "data", n, "point"), point=point), r, "point")


@rule("measurement_units")
def measurement_units(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Loads need a concentration per volume and a flow in volume per period (ref §3 load formulas)."""
    from cpaudit.calc.computed_assessment import row_load

    for n, r in enumerate(doc.rows(step.id, "data"), start=1):
        if ai.num(r.get("flow")) is None or ai.num(r.get("concentration")) is None:
            continue
        try:
            row_load(r)
        except CalcError:
            yield issue("measurement.units", step, "data", _("{table}, row {n}: cannot compute the load from {conc} × {flow}; use mg/L or mg/m³ and m³/h, m³/d or m³/a").format(
                table=label(step, "data"), n=n, conc=ai.text(r.get("conc_unit")) or "?", flow=ai.text(r.get("flow_unit")) or "?"), r, "conc_unit")


@rule("balance_units")
def balance_units(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Errors: streams of an unknown balance, a balance in incompatible units or without input."""
    defs = ai.balance_defs(doc)
    names = [d.name for d in defs]
    for name in sorted({x for x in names if names.count(x) > 1}):
        yield issue("balance.duplicate", step, "balances", _("{table}: the balance name '{name}' is used twice").format(
            table=label(step, "balances"), name=name))
    for n, r in enumerate(doc.rows(step.id, "streams"), start=1):
        if ai.text(r.get("balance")) not in names:
            yield issue("balance.unknown", step, "streams", _("{cell}: '{name}' is not a balance of the balance list").format(
                cell=cell(step, "streams", n, "balance"), name=ai.text(r.get("balance"))), r, "balance")
    rows = {r["_id"]: r for r in doc.rows(step.id, "balances")}
    for bdef in defs:
        try:
            ai.balance_result(doc, bdef)
        except UnitMismatch as exc:
            yield issue("balance.units", step, "balances", _("{table} '{name}': stream '{stream}' is in {right}, which cannot be added to {left}; convert it first").format(
                table=label(step, "balances"), name=bdef.name, stream=exc.params.get("stream"),
                left=exc.params.get("left"), right=exc.params.get("right")), rows[bdef.row_id])
        except CalcError as exc:
            if exc.rule in ("balance.no_input", "balance.empty"):
                yield issue("balance.no_input", step, "balances", _("{table} '{name}': enter at least one input stream").format(
                    table=label(step, "balances"), name=bdef.name), rows[bdef.row_id])


@rule("balance_closure")
def balance_closure(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """|Σin − Σout| / Σin above the tolerance (ref §3): re-measure, find the stream, or justify."""
    rows = {r["_id"]: r for r in doc.rows(step.id, "balances")}
    for bdef in ai.balance_defs(doc):
        try:
            res = ai.balance_result(doc, bdef)
        except CalcError:
            continue  # balance_units reports it
        if res.closes:
            continue
        where = ", ".join(res.breaking) or "—"
        yield issue("balance.closure", step, "balances", _("{table} '{name}': deviation {dev} % exceeds the tolerance {tol} %; unit operations that do not close: {ops}").format(
            table=label(step, "balances"), name=bdef.name, dev=res.overall.deviation_pct.quantize(Decimal("0.01")),  # type: ignore[union-attr]
            tol=res.tolerance_pct, ops=where), rows[bdef.row_id], "deviation")


@rule("water_closure")
def water_closure(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """GB/T 12452: V_f = V_co + V_d + V_l within the tolerance (ref §3 water balance)."""
    from cpaudit.calc.computed_assessment import water_result

    res = water_result(doc)
    if res is not None and not res.closes:
        yield issue("water.closure", step, "water_fresh", _("{field}: V_f differs from V_co + V_d + V_l by {dev} %, above the tolerance").format(
            field=label(step, "water_fresh"), dev=res.deviation_pct.quantize(Decimal("0.01"))))


@rule("cause_aspects")
def cause_aspects(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Advice: WS 3-5 looks at every one of the 8 aspects (ref §2.3)."""
    rows = doc.rows(step.id, "causes")
    if not rows:
        return
    enum = wf.enums["cause_aspect"]
    used = {r.get("aspect") for r in rows}
    missing = [_(c.label) for c in enum.choices if c.value not in used]
    if missing:
        yield issue("causes.aspects", step, "causes", _("{table}: no cause recorded for {aspects}; say so if an aspect plays no part").format(
            table=label(step, "causes"), aspects="、".join(missing)))


@rule("options_registered")
def options_registered(doc: AuditDocument, wf: Workflow, step: StepSpec, phase: str) -> Iterator[Issue]:
    """Advice: the no/low-cost options of this phase are entered in the option register (ref §1: 边审核边实施)."""
    from cpaudit.calc.computed_assessment import options_proposed_in

    if options_proposed_in(doc, step.id, phase) == 0:
        yield issue("options.none_registered", step, "option_count", _("{field}: no option of this phase is in the option register yet").format(
            field=label(step, "option_count")))
