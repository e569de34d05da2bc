"""Figure presenters of chapters 4–6 and the conclusions (options, economics, results)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cpaudit.formatting import RATE_PLACES
from cpaudit.calc.option_register import BENEFIT_LABELS, benefit_label
from cpaudit.i18n import N_
from cpaudit.report.content import Context
from cpaudit.report.figure_blocks import (
    _level_chart, _table, chart_label, indicator_name, level_label, no_requirement_note, num, planned_change, renders,
)
from cpaudit.report.model import Block, Chart, Fields, Para

CLASSES = ("none", "low", "medium", "high")


def class_label(ctx: Context, klass: str | None) -> str:
    return {"none": ctx.t(N_("no-cost")), "low": ctx.t(N_("low-cost")), "medium": ctx.t(N_("medium-cost")),
            "high": ctx.t(N_("high-cost"))}.get(klass or "", klass or "")


def money(ctx: Context, value: Any) -> str:
    return ctx.number(value, 2) if value not in (None, "") else ""


@renders("options")
def _options(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    if not d.get("count"):
        return []
    by_class = d.get("by_class") or {}
    rows = [(class_label(ctx, k), str(by_class.get(k, 0))) for k in CLASSES if by_class.get(k)]
    inv = d.get("investment") or {}
    text = t(N_("{count} options were proposed; investment of the retained options: no/low-cost {nlc} {unit}, "
                "medium/high-cost {mhc} {unit}, total {total} {unit}.")).format(
        count=d["count"], nlc=money(ctx, inv.get("no_low_cost")), mhc=money(ctx, inv.get("medium_high_cost")),
        total=money(ctx, inv.get("total")), unit=ctx.unit("万元"))
    return [Para(text), _table(ctx, t(N_("Options by cost class")),
                               [(t(N_("Cost class")), 14, False), (t(N_("Number of options")), 10, True)], rows)]


@renders("option_ranking")
def _ranking(ctx: Context, d: dict[str, Any]) -> list[Block]:
    ranking = d.get("ranking") or []
    if not ranking:
        return []
    items = [{"label": str(r["option_no"]), "value": num(r["total"]), "highlight": r.get("rank") == 1} for r in ranking]
    out: list[Block] = [Chart("bars", ctx.t(N_("Weighted-sum ranking of the options")),
                              {"items": items, "unit": ctx.t(N_("Σ W·R"))})]
    if d.get("ties"):
        out.append(Para(ctx.t(N_("Tied options: {options}.")).format(options=ctx.join([str(x) for x in d["ties"]])), "note"))
    return out


@renders("economics")
def _economics(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    options = [o for o in d.get("options") or [] if "I" in o]
    if not options:
        return []
    verdict = {"pass": t(N_("feasible")), "fail": t(N_("not feasible"))}
    s = d.get("settings") or {}
    # Ref §4.1: N = I / F with F the after-tax annual net cash flow (not P, the savings before tax).
    rows = [(f"{o['number']} {o.get('name') or ''}", money(ctx, o["I"]), money(ctx, o["F"]), _payback(ctx, o["N"], s),
             money(ctx, o["npv"]), ctx.percent(o.get("irr") or o.get("irr_interpolated"), 2),
             verdict.get(o.get("verdict") or "", "")) for o in options]
    u = ctx.unit("万元")
    table = _table(ctx, t(N_("Summary of the economic indicators")), [
        (t(N_("Option")), 22, False), (t(N_("Investment I ({unit})")).format(unit=u), 9, True),
        (t(N_("Annual net cash flow F ({unit})")).format(unit=u), 10, True), (t(N_("Payback N ({unit})")).format(unit=ctx.unit("a")), 8, True),
        (t(N_("NPV ({unit})")).format(unit=u), 9, True), (t(N_("IRR")), 7, True), (t(N_("Verdict")), 8, False)], rows)
    note = t(N_("Discount rate {i}, benchmark rate of return {irr}, economic life {n} years.")).format(
        i=ctx.percent(s.get("discount_rate"), RATE_PLACES), irr=ctx.percent(s.get("benchmark_irr"), RATE_PLACES),
        n=ctx.number(s.get("economic_life"), 0))
    npv = [{"label": str(o["number"]), "value": num(o["npv"]), "highlight": o.get("verdict") == "pass"} for o in options]
    irr = [{"label": str(o["number"]), "value": num(o.get("irr") or o.get("irr_interpolated")),
            "highlight": o.get("verdict") == "pass"} for o in options]
    out: list[Block] = [table, Para(note, "note"),
                        Chart("bars", t(N_("Net present value of the options ({unit})")).format(unit=u),
                              {"items": npv, "unit": u})]
    if any(i["value"] is not None for i in irr):
        out.append(Chart("bars", t(N_("Internal rate of return against the benchmark (%)")),
                         {"items": irr, "unit": "%", "reference": num(s.get("benchmark_irr")),
                          "reference_label": t(N_("benchmark"))}))
    return out


def _payback(ctx: Context, years: Any, settings: dict[str, Any]) -> str:
    """N, or "> n" when the investment is not paid back within the economic life n: a printed
    "1,600.00 a" only says the same thing less plainly."""
    n, life = num(years), num(settings.get("economic_life"))
    if n is None:  # F ≤ 0 or no saving at all (P ≤ 0)
        return ctx.t(N_("never"))
    if life is not None and n > life:
        return "> " + ctx.number(life, 0)
    return ctx.number(years, 2)


@renders("target_achievement")
def _achievement(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    rows = d.get("targets") or []
    if not rows:
        return []
    status = {"reached": t(N_("reached")), "not_reached": t(N_("not reached")), "pending": t(N_("pending"))}
    out: list[Block] = [Para(t(N_("{reached} of {total} targets were reached.")).format(
        reached=d.get("reached", 0), total=d.get("total", len(rows))))]
    items = []
    for r in planned_change(rows):
        base, goal, done = num(r.get("baseline")), num(r.get("target")), num(r.get("achieved"))
        if base:
            items.append({"label": str(r.get("indicator") or ""), "a": (goal - base) / base * 100 if goal is not None else None,
                          "b": (done - base) / base * 100 if done is not None else None,
                          "note": status.get(r.get("status") or "", "")})
    if items:
        out.append(Chart("paired", t(N_("Targets against achieved values: change from the baseline (%)")),
                         {"items": items, "a_label": t(N_("target")), "b_label": t(N_("achieved")), "unit": "%"}))
    return out


@renders("implementation")
def _implementation(ctx: Context, d: dict[str, Any]) -> list[Block]:
    t = ctx.t
    options = d.get("options") or []
    if not options:
        return []
    u = ctx.unit("万元")
    rows = [(f"{o['number']} {o.get('name') or ''}", class_label(ctx, o.get("class")), money(ctx, o.get("estimated_investment")),
             money(ctx, o.get("actual_investment")), ctx.date(o.get("completed")), money(ctx, o.get("economic_benefit")))
            for o in options]
    return [_table(ctx, t(N_("Implemented options: estimate against actual")), [
        (t(N_("Option")), 22, False), (t(N_("Cost class")), 9, False),
        (t(N_("Estimated investment ({unit})")).format(unit=u), 10, True),
        (t(N_("Actual investment ({unit})")).format(unit=u), 10, True), (t(N_("Completed")), 10, False),
        (t(N_("Economic benefit ({unit}/a)")).format(unit=u), 10, True)], rows)]


# Places of a verified-benefit total by its unit, like the subtotals above it (16.4592 tce/a stood
# beside 22.60); rounded half up as a Chinese reviewer recomputes (四舍五入: −6.145 → −6.15).
BENEFIT_PLACES = {"万元": 2, "tce": 2, "t": 3, "kg": 0, "m³": 0}


def _benefit_total(ctx: Context, value: Any, unit: str) -> str:
    places = BENEFIT_PLACES.get(unit.split("/")[0], 2)
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{ctx.number(rounded, places)} {ctx.unit(unit)}".strip()


@renders("benefit_totals")
def _benefits(ctx: Context, d: dict[str, Any]) -> list[Block]:
    values, units = d.get("values") or {}, d.get("units") or {}
    labels = {key: benefit_label(key, ctx.t) for key in BENEFIT_LABELS} | {"actual_investment": ctx.t(N_("Investment"))}
    pairs = [(label, _benefit_total(ctx, values[key], units.get(key, ""))) for key, label in labels.items()
             if num(values.get(key))]
    if not pairs:
        return []
    return [Para(ctx.t(N_("Verified benefits of all implemented options, per year:")), "label"), Fields(tuple(pairs))]


TAX_POLLUTANTS = {"COD": "COD", "NH3_N": "NH₃-N", "SO2": "SO₂", "NOx": "NOₓ", "smoke_dust": N_("Smoke and dust"),
                  "hazardous": N_("Hazardous waste")}


def pollutant_label(ctx: Context, key: str) -> str:
    label = TAX_POLLUTANTS.get(key, key)
    return ctx.t(label) if label in (TAX_POLLUTANTS["smoke_dust"], TAX_POLLUTANTS["hazardous"]) else label


@renders("env_benefit")
def _env(ctx: Context, d: dict[str, Any]) -> list[Block]:
    if "lines" not in d or not d["lines"]:
        return []
    t = ctx.t
    # Each rate with its own unit: solid and hazardous waste are taxed per tonne, not per equivalent.
    per_equivalent, per_tonne = t(N_("{rate} yuan per pollution equivalent")), t(N_("{rate} yuan per tonne"))
    rows = [(pollutant_label(ctx, ln["pollutant"]), ctx.number(ln["equivalents"], 2),
             (per_tonne if ln["equivalents"] is None else per_equivalent).format(rate=ctx.number(ln["rate"], 2)),
             ctx.number(ln["yuan_per_year"], 2)) for ln in d["lines"]]
    out: list[Block] = [_table(ctx, t(N_("Environmental-tax value of the reductions")), [
        (t(N_("Pollutant")), 14, False), (t(N_("Pollution equivalents")), 10, True),
        (t(N_("Tax rate")), 12, True), (t(N_("Value (yuan/a)")), 10, True)], rows,
        (t(N_("Total")), "", "", ctx.number(d["total_yuan_per_year"], 2)))]
    if d.get("not_valued"):  # heavy metals were left out of the table without a word
        out.append(Para(t(N_("Not valued: {items}. The tax values them substance by substance, and the verified "
                             "reductions do not split them.")).format(
            items=ctx.join([benefit_label(k, t) for k in d["not_valued"]])), "note"))
    return out


@renders("indicator_after")
def _indicator_after(ctx: Context, d: dict[str, Any]) -> list[Block]:
    before, after = d.get("before"), d.get("after")
    if not after:
        return []
    t = ctx.t
    out: list[Block] = []
    if (before or {}).get("level") or after.get("level"):
        out.append(Para(t(N_("Level before implementation: {before}; after implementation: {after}.")).format(
            before=level_label(ctx, (before or {}).get("level")), after=level_label(ctx, after.get("level")))))
    keys = sorted(set((before or {}).get("indicators", {})) | set(after.get("indicators", {})))
    notes: list[str] = []
    names = {o["key"]: o.get("name_zh") for o in (ctx.figures.get("indicator_evaluation") or {}).get("outcomes", [])}
    rows = []
    for k in keys:
        level_b, level_a = (before or {}).get("indicators", {}).get(k), after["indicators"].get(k)
        unmet = [lv for lv, d_ in ((level_b, before), (level_a, after)) if k in (d_ or {}).get("no_requirement", [])]
        label = indicator_name(ctx, k, names)
        rows.append({"label": chart_label(ctx, label, unmet[0], True) if unmet else label, "before": level_b, "after": level_a})
        for lv in dict.fromkeys(unmet):  # table 6-6 prints the bare level: the note says why it is reached
            notes.append(t(N_("{indicator}: {note}; the level counts as reached.")).format(
                indicator=label, note=no_requirement_note(ctx, lv)))
    out += [Para(n, "note") for n in notes]
    out += _level_chart(ctx, t(N_("Indicator levels before and after implementation")), rows, t(N_("after")))
    return out


@renders("conclusion_figures", "options")
def _conclusions(ctx: Context, d: dict[str, Any]) -> list[Block]:
    """A short numeric summary drawn from the figures already shown in the chapters."""
    t = ctx.t
    figs = ctx.figures
    out: list[Block] = []
    focus = (figs.get("focus_ranking") or {}).get("chosen")
    if focus:
        out.append(Para(t(N_("Audit focus: {focus}.")).format(focus=focus), "bullet"))
    if d.get("count"):
        by_class = d.get("by_class") or {}
        nlc = by_class.get("none", 0) + by_class.get("low", 0)
        mhc = by_class.get("medium", 0) + by_class.get("high", 0)
        said = t(N_("Options: {count} in total, {nlc} no/low-cost and {mhc} medium/high-cost.")).format(
            count=d["count"], nlc=nlc, mhc=mhc)
        rejected = (d.get("by_status") or {}).get("rejected", 0)
        if rejected:  # chapter 4 counts the feasible ones: "3 medium/high-cost, 1 not feasible"
            said = ctx.sentences([said, t(N_("{n} of them rejected as not feasible.")).format(n=rejected)])
        out.append(Para(said, "bullet"))
    level = (figs.get("indicator_evaluation") or {}).get("level")
    if (figs.get("indicator_evaluation") or {}).get("status") == "ok":
        out.append(Para(t(N_("Cleaner production level in the baseline year: {level}.")).format(
            level=level_label(ctx, level)), "bullet"))
    if ctx.stage != "acceptance":  # §6: the 评估 report ends before implementation
        return out
    ach = figs.get("target_achievement") or {}
    if ach.get("total"):
        out.append(Para(t(N_("{reached} of {total} targets were reached.")).format(
            reached=ach.get("reached", 0), total=ach["total"]), "bullet"))
    after = ((figs.get("indicator_after") or {}).get("after") or {})
    if after.get("level"):
        out.append(Para(t(N_("Level after implementation: {level}.")).format(level=level_label(ctx, after["level"])), "bullet"))
    return out
