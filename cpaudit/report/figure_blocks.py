"""Computed figure sections (``cpaudit.figures``) → tables and charts of the report.

A figure is computed in exactly one place (``compute_figures``); this module
only presents it. Sections still being built or not computable yet
(``status`` ≠ ok, missing keys) are skipped and noted in the model's
diagnostics, so one half-filled worksheet never stops the report.
"""

from __future__ import annotations

from typing import Any, Callable

from cpaudit.calc.indicators import system_title
from cpaudit.calc.targets import MAINTAIN
from cpaudit.i18n import N_
from cpaudit.report.content import Context
from cpaudit.report.model import Block, Chart, Column, Fields, Para, Table
from cpaudit.workflow.values import as_decimal

Renderer = Callable[[Context, dict[str, Any]], list[Block]]
FIGURES: dict[str, tuple[str, Renderer]] = {}  # report name → (figure section, renderer)
LEVELS = ("I", "II", "III")


def renders(name: str, section: str | None = None) -> Callable[[Renderer], Renderer]:
    def deco(fn: Renderer) -> Renderer:
        FIGURES[name] = (section or name, fn)
        return fn

    return deco


def figure_blocks(ctx: Context, name: str) -> list[Block]:
    section, fn = FIGURES[name]
    data = ctx.figures.get(section)
    if not isinstance(data, dict) or data.get("status") not in (None, "ok"):
        return []
    try:
        return fn(ctx, data)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError, IndexError) as exc:
        ctx.diagnostics.append(f"{name}: {type(exc).__name__}: {exc}")
        return []


def num(value: Any) -> float | None:
    d = as_decimal(value)
    return None if d is None else float(d)


def level_label(ctx: Context, level: str | None) -> str:
    if level is None:
        return ctx.t(N_("not assessed"))
    if level == "below":
        return ctx.t(N_("below level III"))
    return ctx.t(N_("level {level}")).format(level={"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ"}.get(level, level))


def no_requirement_note(ctx: Context, level: str | None) -> str:
    """What stands beside a level granted only because the system sets no requirement there:
    indicator-systems.md ("Consequences" item 3) leaves open whether "--" counts as met."""
    return ctx.t(N_("no requirement at level {level}")).format(level={"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ"}.get(level or "", level))


def noted_level(ctx: Context, level: str | None, no_requirement: bool) -> str:
    text = level_label(ctx, level)
    return ctx.t(N_("{level} ({note})")).format(level=text, note=no_requirement_note(ctx, level)) if no_requirement else text


def _table(ctx: Context, caption: str, heads: list[tuple[str, float, bool]], rows: list[tuple[str, ...]],
           totals: tuple[str, ...] | None = None) -> Table:
    return Table(caption, tuple(Column(h, w, n) for h, w, n in heads), tuple(rows), totals)


# --- chapter 2: baseline, energy, indicator system, focus, targets ------------------------

@renders("baseline_trends")
def _trends(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    series = [
        (t(N_("Reference output")), "", d.get("reference_output")),
        (t(N_("Comprehensive energy")), "tce", d.get("energy_tce")),
        (t(N_("Energy per unit product")), "", d.get("energy_per_unit")),
        (t(N_("Fresh water")), "m³", d.get("fresh_water")),
    ]
    for m in d.get("materials") or []:
        series.append((m["name"], m.get("unit") or "", m.get("values")))
    items = [{"title": name, "unit": unit, "values": [_lead_number(v) for v in values]}
             for name, unit, values in series if values and any(_lead_number(v) is not None for v in values)]
    return _multiples(ctx, t(N_("Consumption over the three survey years")), d["years"], items)


MULTIPLES = 12  # small charts on one figure; more would be too small to read
LEVEL_ROWS = 24  # indicator rows on one level chart


def _multiples(ctx: Context, caption: str, years: list[Any], items: list[dict[str, Any]]) -> list[Block]:
    """Small multiples, the first ``MULTIPLES`` of them, saying so when series are left out. A series
    that is zero every year gets no panel: it took the place of one that says something."""
    drawn = [i for i in items if any(v for v in i["values"])]
    if not drawn:
        return []
    out: list[Block] = [Chart("multiples", caption, {"years": [str(y) for y in years], "series": drawn[:MULTIPLES]})]
    notes = []
    if len(drawn) < len(items):
        notes.append(ctx.t(N_("Series that are zero in every year are not drawn.")))
    if len(drawn) > MULTIPLES:
        notes.append(ctx.t(N_("The figure shows the first {shown} of {total} series; the table gives all of them.")).format(
            shown=MULTIPLES, total=len(drawn)))
    if notes:
        out.append(Para(ctx.sentences(notes), "note"))
    return out


def _lead_number(value: Any) -> float | None:
    """'1234.5 t' (a quantity text) or '1234.5' → 1234.5."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("value")
    return num(str(value).split(" ")[0])


# The stage under a panel's title, short: "排放量或委外处置量" cut the unit off the title line.
STAGE_WORDS = {"generated": N_("generated"), "discharged": N_("discharged/disposed")}


@renders("pollutant_trends", "baseline_trends")
def _pollutant_trends(ctx: Context, d: dict[str, Any]) -> list[Block]:
    # Named with their stage: "COD (t)" twice, 1,149 and 12.8, read as a contradiction.
    items = [{"title": p["pollutant"], "subtitle": ctx.t(STAGE_WORDS[p["stage"]]) if p.get("stage") in STAGE_WORDS else "",
              "unit": p.get("unit") or "", "values": [num(v) for v in p["values"]]}
             for p in d.get("pollutants") or [] if any(num(v) is not None for v in p["values"])]
    return _multiples(ctx, ctx.t(N_("Generation and discharge of pollutants over the three survey years")),
                      d["years"], items)


@renders("energy")
def _energy(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    # The factor with its own unit: it is per kg of steam or per m³ of gas while the quantity is in t
    # or 万m³, and "0.1286" under "kgce per unit" beside "t" misled anyone recomputing the tce.
    # Every place of the factor, as annex A-1: 0.6108 for a measured 0.610763 did not give the tce.
    # Named from the energy_carrier enum: fresh_water is also a steel indicator ("钢铁：生产用新鲜水量").
    rows = [(ctx.enum_label("energy_carrier", ln["carrier"]), ctx.number(ln["quantity"]), ctx.unit(ln["unit"]),
             f"{ctx.number(ln['factor_kgce'], most=None)} kgce/{ctx.unit(ln.get('factor_unit') or ln['unit'])}",
             ctx.number(ln["tce"], 3)) for ln in d["lines"]]
    table = _table(ctx, t(N_("Comprehensive energy consumption of the baseline year")), [
        (t(N_("Energy carrier")), 14, False), (t(N_("Quantity")), 10, True), (t(N_("Unit")), 6, False),
        (t(N_("Conversion factor")), 12, True), (t(N_("Standard coal (tce)")), 10, True)],
        rows, (t(N_("Total")), "", "", "", ctx.number(d["total_tce"], 3)))
    method = d.get("electricity_method") or ""
    label = ctx.enum_label("electricity_basis", method)
    if method != "equivalent":
        label = f"{label} {d.get('electricity_factor_kgce_per_kwh') or ''} kgce/kWh"
    note = t(N_("Conversion factors: {edition}; electricity: {label}.")).format(edition=d.get("edition") or "", label=label)
    out: list[Block] = [table, Para(note, "note")]
    for ln in d["lines"]:  # ref §4.3: a measured factor is named with its value and source
        if ln.get("factor_basis") == "measured":
            out.append(Para(t(N_("{carrier}: factor from the measured low heating value {value} {unit} ({source}).")).format(
                carrier=ctx.enum_label("energy_carrier", ln["carrier"]), value=ctx.number(ln.get("lhv")), unit=ln.get("lhv_unit") or "",
                source=ln.get("lhv_source") or t(N_("source not given"))), "note"))
    return out


@renders("indicator_evaluation")
def _indicators(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    out: list[Block] = []
    title = system_title(str(d.get("system") or ""), ctx.lang, d.get("title_zh"))
    out.append(Para(t(N_("Indicator system: {title} ({edition}). Level reached in the baseline year: {level}.")).format(
        title=title or d.get("system"), edition=d.get("edition") or "", level=level_label(ctx, d.get("level")))))
    if d.get("level") is None:  # "not assessed" beside a table of levels needs its reason
        out.append(Para(_why_no_level(ctx, d), "note"))
    names = {o["key"]: o.get("name_zh") for o in d["outcomes"]}
    rows = []
    for o in d["outcomes"]:
        if not o.get("applicable", True):
            continue
        rows.append((indicator_name(ctx, o["key"], names), ctx.unit(o.get("unit") or ""),
                     ctx.number(o.get("value")) if o.get("value") is not None else "",
                     noted_level(ctx, o.get("level"), bool(o.get("no_requirement"))),
                     t(N_("Yes")) if o.get("limiting") else ""))
    out.append(_table(ctx, t(N_("Indicator levels in the baseline year")), [
        (t(N_("Indicator")), 24, False), (t(N_("Unit")), 8, False), (t(N_("Value")), 10, True),
        (t(N_("Level")), 12, False), (t(N_("Limiting")), 6, False)], rows))
    levels = [{"label": chart_label(ctx, r[0], o.get("level"), bool(o.get("no_requirement"))), "before": o.get("level"),
               "after": None} for r, o in zip(rows, [o for o in d["outcomes"] if o.get("applicable", True)])]
    out += _level_chart(ctx, t(N_("Indicator levels and gaps")), levels, None)
    gaps = [(indicator_name(ctx, g["key"], names), level_label(ctx, g.get("target_level")), ctx.number(g.get("current")),
             ctx.number(g.get("benchmark")), ctx.number(g.get("gap")), ctx.unit(g.get("unit") or ""))
            for g in d.get("gaps") or [] if g.get("gap") is not None]
    if gaps:
        out.append(_table(ctx, t(N_("Gaps to the next level")), [
            (t(N_("Indicator")), 20, False), (t(N_("Target level")), 10, False), (t(N_("Current")), 9, True),
            (t(N_("Benchmark")), 9, True), (t(N_("Gap")), 9, True), (t(N_("Unit")), 8, False)], gaps))
    return out


def _why_no_level(ctx: Context, d: dict[str, Any]) -> str:
    t = ctx.t
    rules = {f.get("rule") for f in d.get("findings") or []}
    if "indicator.system_not_scored" in rules:
        why = t(N_("The indicator system as shipped has no weights, so no composite index or overall level can be "
                   "computed; the table gives each indicator's level."))
    elif d.get("not_assessed"):
        n = len(d["not_assessed"])
        why = ctx.ngettext("{n} indicator could not be assessed, so no overall level is given.",
                           "{n} indicators could not be assessed, so no overall level is given.", n).format(n=n)
    else:
        why = t(N_("The data do not yet allow an overall level."))
    if d.get("uses_unverified"):
        why = ctx.sentences([why, t(N_("Its benchmark values are a transcription not yet checked against the official text."))])
    return why


def indicator_name(ctx: Context, key: str, names: dict[str, Any]) -> str:
    """The indicator as every table names it (the sector_indicator label without the sector); the
    system's own name only for a key the enum lacks: its "锌利用率④" points at footnotes not shipped."""
    label = ctx.indicator_label(key)
    return label if label != key else str(names.get(key) or key)


def chart_label(ctx: Context, name: str, level: str | None, no_requirement: bool) -> str:
    """A level chart shows no text beside its marks, so the note goes with the indicator's name."""
    return ctx.t(N_("{level} ({note})")).format(level=name, note=no_requirement_note(ctx, level)) if no_requirement else name


def _level_chart(ctx: Context, caption: str, rows: list[dict[str, Any]], after_label: str | None) -> list[Block]:
    """The level chart of the rows that have a level (a page of dashes said nothing), the first
    ``LEVEL_ROWS`` of them, saying so when rows are left out."""
    t = ctx.t
    rows = [r for r in rows if r.get("before") or r.get("after")]
    if not rows:
        return []
    out: list[Block] = [Chart("levels", caption, {
        "rows": rows[:LEVEL_ROWS], "columns": [level_label(ctx, lv) for lv in (*LEVELS, "below")],
        "before_label": t(N_("baseline")), "after_label": after_label})]
    if len(rows) > LEVEL_ROWS:
        out.append(Para(t(N_("The figure shows the first {shown} of {total} indicators; the table gives all of them.")).format(
            shown=LEVEL_ROWS, total=len(rows)), "note"))
    return out


@renders("focus_ranking")
def _focus(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    ranking = d.get("ranking") or []
    out: list[Block] = []
    if ranking:
        items = [{"label": r["candidate"], "value": num(r["total"]), "highlight": r["candidate"] == d.get("chosen")}
                 for r in ranking]
        out.append(Chart("bars", t(N_("Weighted-sum scores of the candidate audit focuses")),
                         {"items": items, "unit": t(N_("Σ W·R"))}))
    if d.get("chosen"):
        out.append(Para(t(N_("Audit focus chosen: {focus}.")).format(focus=d["chosen"])))
    return out


def planned_change(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The targets a change chart shows: a maintain target (维持) plans no change, its table row says it all."""
    return [x for x in targets if x.get("direction") not in MAINTAIN]


@renders("targets")
def _targets(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    items = [{"label": f"{x.get('indicator')}", "a": num(x.get("near_change_pct")), "b": num(x.get("long_change_pct"))}
             for x in planned_change(d["targets"])]
    items = [i for i in items if i["a"] is not None or i["b"] is not None]
    if not items:
        return []
    return [Chart("paired", t(N_("Planned change against the baseline year (%)")),
                  {"items": items, "a_label": t(N_("near-term target")), "b_label": t(N_("long-term target")),
                   "unit": "%"})]


# --- chapter 3: balances -----------------------------------------------------------------

def _balance_blocks(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    out: list[Block] = []
    for b in d.get("balances") or []:
        if b.get("status") != "ok":
            continue
        unit = b.get("unit") or ""
        # The overall diagram, as the badge's totals: a flow between unit operations (荒煤气, 带出液) is
        # neither a plant input nor an output, and drawn as both it was counted twice.
        streams = [s for s in b["streams"] if s.get("kind") != "intermediate"]
        ins = [(s["stream"], num(s["quantity"]) or 0.0) for s in streams if s["direction"] == "in"]
        outs = [(s["stream"], num(s["quantity"]) or 0.0) for s in streams if s["direction"] != "in"]
        overall = b["overall"]
        badge = t(N_("Σin {total_in} · Σout {total_out} {unit} · deviation {dev} (tolerance {tol})")).format(
            # the totals as entered (1,466,667, not 1,466,667.0) and the tolerance as the text gives it (5.00%)
            total_in=ctx.number(overall["total_in"], most=2), total_out=ctx.number(overall["total_out"], most=2),
            unit=unit, dev=ctx.percent(overall["deviation_pct"], 2), tol=ctx.percent(b.get("tolerance_pct"), 2))
        verdict = t(N_("closes")) if b.get("closes") else t(N_("does not close"))
        name = b.get("component") or b.get("name")
        out.append(Chart("flow", t(N_("Balance of {name}")).format(name=name),
                         {"inputs": ins, "outputs": outs, "unit": unit, "center": b.get("name") or "",
                          "badge": ("{verdict}：{badge}" if ctx.lang == "zh_CN" else "{verdict}: {badge}").format(verdict=verdict, badge=badge), "ok": bool(b.get("closes"))}))
        ops = b.get("unit_operations") or []
        if ops:
            rows = [(o["name"], ctx.number(o["total_in"], 2), ctx.number(o["total_out"], 2),
                     ctx.percent(o["deviation_pct"], 2), t(N_("Yes")) if o["closes"] else t(N_("No"))) for o in ops]
            out.append(_table(ctx, t(N_("Closure per unit operation: {name}")).format(name=b.get("name")), [
                (t(N_("Unit operation")), 18, False), (t(N_("Σ input ({unit})")).format(unit=unit), 10, True),
                (t(N_("Σ output ({unit})")).format(unit=unit), 10, True), (t(N_("Deviation")), 8, True),
                (t(N_("Closes")), 6, False)], rows))
    return out


renders("material_balance")(_balance_blocks)
renders("pollutant_balance")(_balance_blocks)


@renders("water_balance")
def _water(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    out = _balance_blocks(ctx, d)
    plant = d.get("plant") or {}
    pairs = [(t(N_("Total water use (m³)")), ctx.number(plant.get("total_use"), 1)),
             (t(N_("Water reuse rate")), ctx.percent(plant.get("reuse_rate_pct"), 2)),
             (t(N_("Fresh-water balance deviation (GB/T 12452)")), ctx.percent(plant.get("deviation_pct"), 2)),
             (t(N_("Fresh water per unit product")), str(plant.get("unit_intake") or ""))]
    pairs = [p for p in pairs if p[1]]
    if pairs:
        out.append(Fields(tuple(pairs)))
    if plant.get("deviation_pct") is not None and d.get("balances"):
        # Two deviations on one page read as a contradiction unless their bases are named.
        out.append(Para(t(N_("The balance diagram's deviation counts all water brought in, including water with raw "
                             "materials and water formed in the process; the fresh-water balance (GB/T 12452) counts "
                             "fresh water only.")), "note"))
    return out


from cpaudit.report import figure_results  # noqa: E402,F401  (registers chapters 4–6 and conclusions)
