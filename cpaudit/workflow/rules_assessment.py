"""Validation rules of the profile and phases 1–2, registered by name.

A rule yields issues of one kind; the severity comes from the ``[[step.check]]``
entry (``run_rule`` applies it), so a check that mixes errors and warnings is
split into two rules. Messages are translated and name the field and the rule.
The phase 3 rules live in ``rules_balance`` (imported at the end).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from cpaudit import formatting
from cpaudit.calc import assessment_inputs as ai
from cpaudit.calc.errors import CalcError
from cpaudit.calc.targets import evaluate_target, lower_is_better
from cpaudit.domain.document import ROW_ID, AuditDocument
from cpaudit.domain.units import Quantity, compatible
from cpaudit.i18n import _
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.rules import rule
from cpaudit.workflow.schema import StepSpec, Workflow


def label(step: StepSpec, field: str, column: str | None = None) -> str:
    spec = step.field(field)
    return _(spec.column(column).label) if column else _(spec.label)


def cell(step: StepSpec, table: str, n: int, column: str) -> str:
    return _("{table}, row {n}, {column}").format(table=label(step, table), n=n, column=label(step, table, column))


def issue(rule_id: str, step: StepSpec, field: str, message: str, row: dict[str, Any] | None = None,
          column: str | None = None) -> Issue:
    return Issue("error", rule_id, step.id, field, message, row[ROW_ID] if row else None, column)


# --- profile and phase 1 -----------------------------------------------------------------


@rule("team_has_leader")
def team_has_leader(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """WS 1-1 (ref §1): the bureau expects a named team leader."""
    rows = doc.rows(step.id, "members")
    if rows and not any(r.get("role") == "leader" for r in rows):
        yield issue("team.leader", step, "members", _("{table}: name a team leader").format(table=label(step, "members")))


@rule("plan_in_period")
def plan_in_period(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """WS 1-2 (ref §1): completion dates should fall inside the audit period."""
    start, end = doc.get("audit_info", "period_start"), doc.get("audit_info", "period_end")
    for n, r in enumerate(doc.rows(step.id, "plan"), start=1):
        due = r.get("due")
        if due and ((start and due < start) or (end and due > end)):
            yield issue("plan.outside_period", step, "plan", _("{cell}: {date} is outside the audit period {start} – {end}").format(
                cell=cell(step, "plan", n, "due"), date=_shown_date(due), start=_shown_date(start), end=_shown_date(end)), r, "due")


def _shown_date(value: Any) -> str:
    """A date as the cell beside the message shows it (2026年1月15日 / Jan 15, 2026); '…' when unset."""
    if not value:
        return "…"
    try:
        return formatting.date(value)
    except (TypeError, ValueError):  # not a date: the cell's own check says so
        return str(value)


# --- status survey: three years, reference output, energy units (ref §1 phase 2, §3, §4.3) ---


@rule("survey_years")
def survey_years(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """The 3-year tables must cover 3 distinct years, earliest first (ref §1 phase 2)."""
    years = ai.survey_years(doc)
    if None in years:
        return
    if len(set(years)) != 3:
        yield issue("years.distinct", step, "year_3", _("{field}: the three survey years must be three different years").format(
            field=label(step, "year_3")))
    elif not years[0] < years[1] < years[2]:  # type: ignore[operator]
        yield issue("years.order", step, "year_3", _("{field}: enter the survey years earliest first; year 3 is the baseline year").format(
            field=label(step, "year_3")))


@rule("survey_year_gaps")
def survey_year_gaps(doc: AuditDocument, wf: Workflow, step: StepSpec, tables: tuple[str, ...] = ()) -> Iterator[Issue]:
    """Warnings: years not consecutive, baseline after the audit start, rows missing a year."""
    years = ai.survey_years(doc)
    if step.has_field("year_3") and None not in years:
        if years[2] - years[0] != 2:  # type: ignore[operator]
            yield issue("years.consecutive", step, "year_1", _("{field}: the survey normally covers the last three consecutive years").format(
                field=label(step, "year_1")))
        start = doc.get("audit_info", "period_start")
        if start and years[2] > int(start[:4]):  # type: ignore[operator]
            yield issue("years.after_audit", step, "year_3", _("{field}: the baseline year {year} is after the start of the audit").format(
                field=label(step, "year_3"), year=years[2]))
    for table in tables:
        for n, r in enumerate(doc.rows(step.id, table), start=1):
            missing = [y for y, c in zip(years, ai.YEARS) if ai.num(r.get(c)) is None]
            if missing:
                yield issue("years.row_missing", step, table, _("{table}, row {n}: no value for {years}; enter 0 if there was none").format(
                    table=label(step, table), n=n, years=", ".join(str(y or "?") for y in missing)), r)


@rule("reference_output")
def reference_output(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Per-unit indicators need one output basis in one unit (ref §3 rule 1: never sum t and m²)."""
    rows = doc.rows(step.id, "products")
    if not rows:
        return
    flagged = [r for r in rows if r.get("reference") is True]
    if not flagged:
        yield issue("output.no_reference", step, "products", _("{table}: mark the product(s) whose output is the basis of per-unit indicators").format(
            table=label(step, "products")))
        return
    try:
        ai.reference_output(doc)
    except CalcError as exc:
        yield issue("output.units", step, "products", _("{table}: the reference products are in units that cannot be added ({left} and {right})").format(
            table=label(step, "products"), left=exc.params.get("left"), right=exc.params.get("right")))


@rule("energy_units")
def energy_units(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str = "energy") -> Iterator[Issue]:
    """Each carrier's unit must convert to the factor's unit (ref §4.3); equal value needs a number.

    A measured low heating value (columns lhv / lhv_unit) is for fuels only,
    needs its unit, and then the quantity must convert to the unit it is per.
    """
    ft = ai.factors()
    spec = step.field(table)
    has_lhv = any(c.id == "lhv" for c in spec.columns)
    for n, r in enumerate(doc.rows(step.id, table), start=1):
        carrier, unit = r.get("carrier"), ai.text(r.get("unit"))
        if not carrier:
            continue
        native = ft.electricity["equivalent"].unit if carrier == "electricity" else ft.carriers[carrier].unit
        measured = ai.num(r.get("lhv")) if has_lhv else None
        lhv_unit = ai.text(r.get("lhv_unit")) if has_lhv else ""
        if measured is not None:
            if not (carrier in ft.carriers and ft.carriers[carrier].fuel):
                yield issue("energy.lhv_not_fuel", step, table, _("{cell}: a measured heating value applies to fuels only, not to {carrier}").format(
                    cell=cell(step, table, n, "lhv"), carrier=_(wf.enums["energy_carrier"].label_of(carrier) or carrier)), r, "lhv")
            elif not lhv_unit:
                yield issue("energy.lhv_unit", step, table, _("{cell}: give the unit of the measured heating value").format(
                    cell=cell(step, table, n, "lhv_unit")), r, "lhv_unit")
            elif measured <= 0:
                yield issue("energy.lhv_not_positive", step, table, _("{cell}: a heating value must be greater than 0").format(
                    cell=cell(step, table, n, "lhv")), r, "lhv")
            else:
                native = lhv_unit.partition("/")[2]  # the quantity must convert to the unit the LHV is per
        if unit and not compatible(unit, native):
            yield issue("energy.unit", step, table, _("{cell}: '{unit}' cannot be converted to {native}, the unit of the conversion factor").format(
                cell=cell(step, table, n, "unit"), unit=unit, native=native), r, "unit")
    method, value = ai.electricity_choice(doc)
    if method == "equal_value" and value is None and any(r.get("carrier") == "electricity" for r in doc.rows(step.id, table)):
        yield issue("energy.equal_value", step, table, _("{table}: the electricity equal value (kgce/kWh) is not set in the calculation settings").format(
            table=label(step, table)))


@rule("energy_heating_values")
def energy_heating_values(doc: AuditDocument, wf: Workflow, step: StepSpec, table: str = "energy") -> Iterator[Issue]:
    """Warnings on a measured heating value: name its source; far from the table factor (kJ for MJ?).

    "Far" is a measured kgce/unit below half or above twice the table's: the
    GB/T 2589 ranges are much narrower (coke-oven gas 0.5714–0.6143, ref §4.3),
    so such a value is almost always a unit slip, not a different gas.
    """
    from cpaudit.calc.energy import measured_factor

    ft = ai.factors()
    for n, r in enumerate(doc.rows(step.id, table), start=1):
        carrier, lhv = r.get("carrier"), ai.measured_lhv(r)
        f = ft.carriers.get(str(carrier)) if carrier else None
        if lhv is None or f is None or not f.fuel:
            continue  # energy_units reports these
        if not ai.text(r.get("lhv_source")):
            yield issue("energy.lhv_source", step, table, _("{cell}: say where the measured heating value comes from (test report, laboratory, date)").format(
                cell=cell(step, table, n, "lhv_source")), r, "lhv_source")
        try:
            factor, per = measured_factor(lhv)
            table_factor = f.kgce_per_unit * Quantity(Decimal(1), per).to(f.unit).value  # type: ignore[operator]
        except CalcError:
            continue  # no common basis (kJ/kg for a gas listed per m³): nothing to compare
        if not table_factor / 2 <= factor <= table_factor * 2:
            yield issue("energy.lhv_implausible", step, table, _("{cell}: the measured value gives {measured} kgce/{unit}, far from the table's {table_value}; check the unit (kJ or MJ)").format(
                cell=cell(step, table, n, "lhv"), measured=dec_text(factor), unit=per, table_value=dec_text(table_factor)), r, "lhv")


def dec_text(value: Decimal) -> str:
    return f"{value:.4f}"


# --- pollution status (ref §3 rule 4, §4.2, §5) --------------------------------------------


@rule("pollutant_chain")
def pollutant_chain(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Discharged ≤ generated for the same pollutant and unit; hazardous waste carries its HW code."""
    rows = doc.rows(step.id, "pollutants")
    generated = {(r.get("medium"), ai.text(r.get("pollutant")), ai.text(r.get("unit"))): r
                 for r in rows if r.get("stage") == "generated"}
    years = ai.survey_years(doc)
    for n, r in enumerate(rows, start=1):
        if r.get("medium") == "hazardous_waste" and not ai.text(r.get("hw_code")):
            yield issue("pollutant.hw_code", step, "pollutants", _("{cell}: give the HW code of the hazardous waste (国家危险废物名录)").format(
                cell=cell(step, "pollutants", n, "hw_code")), r, "hw_code")
        gen = generated.get((r.get("medium"), ai.text(r.get("pollutant")), ai.text(r.get("unit"))))
        if r.get("stage") != "discharged" or gen is None:
            continue
        for year, c in zip(years, ai.YEARS):
            d, g = ai.num(r.get(c)), ai.num(gen.get(c))
            if d is not None and g is not None and d > g:
                yield issue("pollutant.discharge_exceeds", step, "pollutants", _("{table}, row {n}: {pollutant} discharged in {year} ({d}) exceeds the amount generated ({g})").format(
                    table=label(step, "pollutants"), n=n, pollutant=ai.text(r.get("pollutant")), year=year or "?", d=d, g=g), r, c)


@rule("discharge_limits")
def discharge_limits(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """A measured concentration above its limit makes the plant 双超 (ref §0)."""
    for n, r in enumerate(doc.rows(step.id, "monitoring"), start=1):
        m, lim = ai.num(r.get("measured")), ai.num(r.get("limit"))
        if m is not None and lim is not None and m > lim:
            yield issue("discharge.over_limit", step, "monitoring", _("{table}, row {n}: {pollutant} at {outlet} is {m}, above the limit {lim} {unit}").format(
                table=label(step, "monitoring"), n=n, pollutant=ai.text(r.get("pollutant")), outlet=ai.text(r.get("outlet")),
                m=m, lim=lim, unit=ai.text(r.get("unit"))), r, "measured")


@rule("indicator_rows")
def indicator_rows(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Each row names an indicator of the chosen system once, with a value or a level (ref §5)."""
    system = ai.chosen_system(doc)
    if system is None:
        return
    seen: set[str] = set()
    for n, r in enumerate(doc.rows(step.id, "indicator_values"), start=1):
        key = r.get("indicator")
        if not key:
            continue
        if key not in {i.key for i in system.indicators}:
            yield issue("indicator.not_in_system", step, "indicator_values", _("{cell}: not an indicator of the chosen system {system}").format(
                cell=cell(step, "indicator_values", n, "indicator"), system=system.id), r, "indicator")
            continue
        if key in seen:
            yield issue("indicator.duplicate", step, "indicator_values", _("{cell}: this indicator is entered twice").format(
                cell=cell(step, "indicator_values", n, "indicator")), r, "indicator")
        seen.add(key)
        if r.get("not_applicable") is True:
            continue
        kind = system.indicator(key).kind
        if kind == "qualitative" and not r.get("level"):
            yield issue("indicator.level_missing", step, "indicator_values", _("{cell}: a qualitative indicator needs the level you judged").format(
                cell=cell(step, "indicator_values", n, "level")), r, "level")
        if kind == "quantitative" and ai.num(r.get("value")) is None:
            yield issue("indicator.value_missing", step, "indicator_values", _("{cell}: a quantitative indicator needs the plant's value").format(
                cell=cell(step, "indicator_values", n, "value")), r, "value")


@rule("indicator_coverage")
def indicator_coverage(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Advice: a system is chosen, and every indicator of it is assessed or marked not applicable."""
    system = ai.chosen_system(doc)
    if system is None:
        yield issue("indicator.no_system", step, "indicator_values", _("{table}: choose the sector indicator system in the audit profile to compare the plant with it").format(
            table=label(step, "indicator_values")))
        return
    given = {r.get("indicator") for r in doc.rows(step.id, "indicator_values")}
    missing = [i.name_zh for i in system.indicators if i.key not in given]
    if missing:
        yield issue("indicator.not_assessed", step, "indicator_values", _("{table}: not yet assessed: {names}").format(
            table=label(step, "indicator_values"), names="、".join(missing)))


# --- audit focus (ref §2.1; a wrong focus is a veto item, ref §6) ----------------------------


@rule("focus_chosen")
def focus_chosen(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    chosen = ai.text(doc.get(step.id, "chosen_focus"))
    names = [ai.text(r.get("candidate")) for r in doc.rows(step.id, "candidates")]
    if not chosen:
        yield issue("focus.not_chosen", step, "chosen_focus", _("{field}: the audit focus has not been chosen").format(
            field=label(step, "chosen_focus")))
    elif chosen not in names:
        yield issue("focus.not_candidate", step, "chosen_focus", _("{field}: '{name}' is not one of the candidate focuses").format(
            field=label(step, "chosen_focus"), name=chosen))


@rule("focus_scoring")
def focus_scoring(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Weighted-sum sheet complete: every candidate scored on every factor, names match."""
    if (doc.get(step.id, "method") or "weighted_sum") != "weighted_sum":
        return
    factors = [ai.text(r.get("factor")) for r in doc.rows(step.id, "factors")]
    names = [ai.text(r.get("candidate")) for r in doc.rows(step.id, "candidates")]
    for table, items in (("factors", factors), ("candidates", names)):
        dup = sorted({x for x in items if x and items.count(x) > 1})
        if dup:
            yield issue("focus.duplicate", step, table, _("{table}: '{name}' appears twice").format(table=label(step, table), name=dup[0]))
    seen: set[tuple[str, str]] = set()
    for n, r in enumerate(doc.rows(step.id, "scores"), start=1):
        c, f = ai.text(r.get("candidate")), ai.text(r.get("factor"))
        if c not in names:
            yield issue("focus.unknown_candidate", step, "scores", _("{cell}: '{name}' is not in the candidate list").format(
                cell=cell(step, "scores", n, "candidate"), name=c), r, "candidate")
        if f not in factors:
            yield issue("focus.unknown_factor", step, "scores", _("{cell}: '{name}' is not in the factor list").format(
                cell=cell(step, "scores", n, "factor"), name=f), r, "factor")
        if (c, f) in seen:
            yield issue("focus.duplicate_score", step, "scores", _("{table}, row {n}: {candidate} is scored twice on {factor}").format(
                table=label(step, "scores"), n=n, candidate=c, factor=f), r)
        seen.add((c, f))
    missing = [f"{c} × {f}" for c in names if c for f in factors if f and (c, f) not in seen]
    if missing:
        yield issue("focus.missing_score", step, "scores", _("{table}: no score R for {cells}").format(
            table=label(step, "scores"), cells="; ".join(missing[:6]) + ("; …" if len(missing) > 6 else "")))


@rule("focus_top_ranked")
def focus_top_ranked(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """The chosen focus should be the top Σ W·R; otherwise the team must say why."""
    from cpaudit.calc.computed_assessment import ranking

    chosen, ranked = ai.text(doc.get(step.id, "chosen_focus")), ranking(doc)
    if (doc.get(step.id, "method") or "weighted_sum") != "weighted_sum" or not chosen or not ranked:
        return
    top = [r.key for r in ranked if r.rank == 1]
    if chosen not in top and chosen in [r.key for r in ranked]:
        yield issue("focus.not_top", step, "chosen_focus", _("{field}: '{name}' is not the highest-scoring candidate ({top})").format(
            field=label(step, "chosen_focus"), name=chosen, top=" / ".join(top)))


# --- CP targets (ref §2.2; wrong targets are a veto item, ref §6) ---------------------------


def direction_label(wf: Workflow, row: dict[str, Any]) -> str:
    return wf.enums["target_direction"].label_of(row.get("direction") or "reduce") or "reduce"


@rule("target_baselines")
def target_baselines(doc: AuditDocument, wf: Workflow, step: StepSpec, columns: tuple[str, ...] = ("near", "long")) -> Iterator[Issue]:
    """Errors: a target without baseline, without target value, or pointing the wrong way.

    reduce/increase targets must differ from the baseline; a maintain target
    must equal it (ref §2.2, ``calc.targets``). ``columns`` are the target
    columns: near/long in phase 2, the one reported ``target`` in phase 6.
    """
    messages = {
        "target.baseline_missing": _("{table}, row {n}: {name} has no baseline value"),
        "target.target_missing": _("{table}, row {n}: {name} has no target value"),
        "target.no_change": _("{table}, row {n}: the {term} target of {name} equals the baseline"),
        "target.wrong_direction": _("{table}, row {n}: the {term} target of {name} goes the wrong way for '{direction}'"),
        "target.maintain_changes": _("{table}, row {n}: the {term} target of {name} must equal the baseline for '{direction}'"),
    }
    from cpaudit.calc.computed_assessment import target_of

    terms = {"near": _("near-term"), "long": _("long-term"), "target": _("reported")}
    table = step.field("targets")
    # A required column is already reported empty by the field check; do not say it twice.
    required = {c.id for c in table.columns if c.required}
    for n, r in enumerate(doc.rows(step.id, "targets"), start=1):
        name = ai.text(r.get("indicator")) or "?"
        for column in columns:
            t = target_of(r, column)
            if t is None:
                if column == columns[0] and column not in required:
                    yield issue("target.target_missing", step, "targets", messages["target.target_missing"].format(
                        table=label(step, "targets"), n=n, name=name), r, column)
                continue
            res = evaluate_target(t)
            if res.error == "target.baseline_missing" and "baseline" in required:
                break
            if res.status == "error" and res.error in messages:
                yield issue(res.error, step, "targets", messages[res.error].format(
                    table=label(step, "targets"), n=n, name=name, term=terms.get(column, column),
                    direction=_(direction_label(wf, r))),
                    r, "baseline" if res.error == "target.baseline_missing" else column)
                if res.error == "target.baseline_missing":
                    break
    if not step.has_field("near_year"):
        return
    base, near, long = ai.survey_years(doc)[2], doc.get(step.id, "near_year"), doc.get(step.id, "long_year")
    if base and near and near <= base:
        yield issue("target.year_order", step, "near_year", _("{field}: must be after the baseline year {year}").format(
            field=label(step, "near_year"), year=base))
    if near and long and long < near:
        yield issue("target.year_order", step, "long_year", _("{field}: must not be before the near-term year").format(
            field=label(step, "long_year")))


@rule("target_ambition")
def target_ambition(doc: AuditDocument, wf: Workflow, step: StepSpec) -> Iterator[Issue]:
    """Warnings: long-term target less ambitious than near-term; no basis given."""
    for n, r in enumerate(doc.rows(step.id, "targets"), start=1):
        near, long = ai.num(r.get("near")), ai.num(r.get("long"))
        sign = Decimal(-1) if lower_is_better(r.get("direction") or "reduce") else Decimal(1)
        if near is not None and long is not None and (long - near) * sign < 0:
            yield issue("target.long_weaker", step, "targets", _("{table}, row {n}: the long-term target is less ambitious than the near-term one").format(
                table=label(step, "targets"), n=n), r, "long")
        if not ai.text(r.get("basis")):
            yield issue("target.basis", step, "targets", _("{cell}: say what the target is based on (indicator level, policy or measured potential)").format(
                cell=cell(step, "targets", n, "basis")), r, "basis")


from cpaudit.workflow import rules_balance  # noqa: E402,F401  (registers the phase 3 rules)
