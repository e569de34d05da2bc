"""Workflow values → report blocks, translated and formatted for one language.

The report never calls the global ``_``: ``Context.t`` is ``translator(lang)``
so the report language can differ from the UI language (issue 5). Numbers,
dates and money go through ``cpaudit.formatting`` with the same explicit lang.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from cpaudit import formatting as fmt
from cpaudit.calc.tables import cell_value, column_totals, field_value
from cpaudit.domain.document import AuditDocument
from cpaudit.i18n import N_, translator
from cpaudit.report.model import Block, Column, Fields, Para, Table
from cpaudit.report.outline import STAGES
from cpaudit.workflow.schema import NUMERIC_TYPES, FieldSpec, StepSpec, Workflow
from cpaudit.workflow.validate import is_visible
from cpaudit.workflow.values import NEVER, as_decimal, empty_meaning, exceeded_limit, shown_yes_no

# Columns beyond this do not fit a portrait page at the table font size: the
# worksheet goes to annex A, landscape (issue 5: wide tables never overflow).
BODY_MAX_COLUMNS = 9
BODY_MAX_WEIGHT = 110
_TYPE_WEIGHT = {"longtext": 28, "text": 12, "date": 10, "choice": 12, "multichoice": 16, "yesno": 6,
                "integer": 7, "decimal": 9, "money": 9, "percent": 7, "quantity": 9, "uscc": 16}


@dataclass
class Context:
    doc: AuditDocument
    wf: Workflow
    lang: str
    t: Callable[[str], str]
    figures: dict[str, Any]
    diagnostics: list[str]
    stage: str = "acceptance"
    preset_texts: frozenset[str] = frozenset()

    @classmethod
    def create(cls, doc: AuditDocument, wf: Workflow, lang: str, stage: str = "acceptance") -> "Context":
        diagnostics: list[str] = []
        figures = report_figures(doc, wf, diagnostics)
        return cls(doc, wf, lang, translator(lang).gettext, figures, diagnostics, stage, preset_texts(wf))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """``t`` for a count: the form of ``n`` in the report's language (extracted as ngettext)."""
        return translator(self.lang).ngettext(singular, plural, n)

    # -- numbers, dates, enums ------------------------------------------------------
    def number(self, value: Any, places: int | None = None, most: int | None = 4) -> str:
        """``value`` with ``places`` decimals, or the places it was entered with (up to ``most``,
        every one when ``most`` is None); grouped."""
        d = as_decimal(value)
        if d is None:
            return "" if value in (None, "") else str(value)
        if places is None:
            exponent = d.as_tuple().exponent  # keep the places the value was entered with
            places = max(-exponent, 0) if isinstance(exponent, int) else 2
            places = places if most is None else min(places, most)
        return fmt.number(d, places, self.lang)

    def percent(self, value: Any, places: int = 2) -> str:
        d = as_decimal(value)
        return "" if d is None else fmt.percent(d, places, self.lang)

    def date(self, value: Any) -> str:
        try:
            return fmt.date(value, self.lang) if value else ""
        except (TypeError, ValueError):
            return str(value)

    def indicator_label(self, key: Any) -> str:
        """A sector indicator by its label without the sector ("钢铁：炼焦工序能耗" → "炼焦工序能耗"):
        each table is about the one system named above it, and table 2-10 and the charts said it so."""
        label = self.enum_label("sector_indicator", key)
        for sep in ("：", ": "):
            if sep in label:
                return label.split(sep, 1)[1]
        return label

    def unit(self, unit: str | None) -> str:
        return fmt.unit_label(unit, self.lang) if unit else ""

    def enum_label(self, enum_id: str | None, value: Any) -> str:
        spec = self.wf.enums.get(enum_id or "")
        label = spec.label_of(value) if spec and value is not None else None
        return self.t(label) if label else ("" if value is None else str(value))

    def yes_no(self, value: Any) -> str:
        if value is None:
            return ""
        return self.t(N_("Yes")) if value else self.t(N_("No"))

    def sentences(self, parts: list[str]) -> str:
        """Sentences run on: with a space in English, none after a Chinese full stop (。 其中)."""
        return ("" if self.lang == "zh_CN" else " ").join(p for p in parts if p)

    def join(self, items: list[str]) -> str:
        return ("、" if self.lang == "zh_CN" else ", ").join(i for i in items if i)

    # -- one value --------------------------------------------------------------------
    def value(self, spec: FieldSpec, value: Any, row: dict[str, Any] | None = None, with_unit: bool = True) -> str:
        if value is None or value == "" or value == []:
            return ""
        t = spec.type
        if isinstance(value, dict):  # a structured computed value: show its parts
            return "; ".join(f"{k}: {v}" for k, v in value.items())
        if t in ("choice",):
            return self.indicator_label(value) if spec.choices == "sector_indicator" else self.enum_label(spec.choices, value)
        if t == "multichoice":
            return self.join([self.enum_label(spec.choices, v) for v in (value if isinstance(value, list) else [value])])
        if t == "yesno":
            return self.yes_no(value)
        if t == "date":
            return self.date(value)
        if t == "percent":
            return self.percent(value, spec.places if spec.places is not None else 2)
        if t == "integer" and not spec.grouping:
            return str(value)  # a year, not a quantity: the definition turns digit grouping off
        if t in NUMERIC_TYPES:
            limit = exceeded_limit(self.doc, self.wf, spec, value)
            text = "> " + self.number(limit) if limit is not None else self.number(value, _places(spec), most=2 if spec.computed else 4)
            unit = spec.unit or (row.get(spec.unit_column) if row and spec.unit_column else None)
            return f"{text} {self.unit(unit)}".strip() if with_unit and unit else text
        if t == "text" and value in self.preset_texts:
            return self.t(value)  # a row the app preset (an English msgid), e.g. the WS 1-2 stages
        if spec.computed is not None:  # "1000000 t" printed as the tables beside it: "1,000,000 t"
            return fmt.computed_text(spec.computed.function, str(value), self.lang)
        return str(value)

    def empty_cell(self, spec: FieldSpec, sibling: Callable[[str], Any]) -> str:
        """An empty computed cell that means something: "never", "> n" (values.empty_meaning)."""
        meaning = empty_meaning(self.doc, self.wf, spec, sibling)
        if meaning is None:
            return ""
        return self.t(N_("never")) if meaning == NEVER else "> " + self.number(meaning)

    def label(self, spec: FieldSpec, with_unit: bool = False) -> str:
        label = self.t(spec.label)
        if with_unit and spec.unit and spec.type in NUMERIC_TYPES and spec.type != "percent":
            return f"{label} ({self.unit(spec.unit)})"
        return label


# The figure sections the report presents (report.figure_blocks). Computed one by one:
# a section that fails (they are being extended in parallel) is noted, not fatal,
# and sections the report does not show (e.g. the gate check) cost nothing.
REPORT_FIGURES = ("baseline_trends", "energy", "indicator_evaluation", "focus_ranking", "targets",
                  "material_balance", "pollutant_balance", "water_balance", "options", "option_ranking",
                  "economics", "target_achievement", "implementation", "benefit_totals", "env_benefit",
                  "indicator_after")


# Computed shares and changes, printed with two places like every percentage ("83.33" beside
# "80.00", not "83.3333" beside "80"); other computed values keep at most two places.
RATIO_FUNCTIONS = frozenset({"row_ratio", "target_change_pct", "row_change_pct"})


def _places(spec: FieldSpec) -> int | None:
    """Decimal places of a numeric field: the definition's, else 0 for integers, 2 for money and
    for computed percentages and ratios; None keeps the places of the value."""
    if spec.places is not None:
        return spec.places
    if spec.type == "integer":
        return 0
    ratio = spec.computed is not None and (spec.computed.function in RATIO_FUNCTIONS or "%" in (spec.unit or spec.label))
    return 2 if spec.type == "money" or ratio else None


def preset_texts(wf: Workflow) -> frozenset[str]:
    """Texts the workflow presets in table rows: message ids, translated when shown."""
    return frozenset(v for step in wf.steps() for f in step.fields for row in f.preset_rows
                     for _k, v in row if isinstance(v, str))


def report_figures(doc: AuditDocument, wf: Workflow, diagnostics: list[str]) -> dict[str, Any]:
    from cpaudit import figures

    available = set(figures.section_names())
    out: dict[str, Any] = {}
    for name in REPORT_FIGURES:
        if name not in available:
            continue
        try:
            out[name] = figures.compute_section(name, doc, wf)
        except Exception as exc:  # noqa: BLE001  (one broken section must not stop the report)
            diagnostics.append(f"figure {name}: {type(exc).__name__}: {exc}")
    return out


def step_fields(ctx: Context, step: StepSpec, only: set[str] | None, skip: set[str]) -> list[FieldSpec]:
    """Visible fields of ``step`` in definition order: ``only`` those, or all but ``skip``."""
    out = []
    for spec in step.fields:
        name = f"{step.id}.{spec.id}"
        if only is not None and name not in only:
            continue
        if only is None and name in skip:
            continue
        if is_visible(spec, ctx.doc, step):
            out.append(spec)
    return out


def field_blocks(ctx: Context, step: StepSpec, specs: list[FieldSpec]) -> list[Block]:
    """Scalars gathered into label/value tables, long texts as paragraphs, tables as tables."""
    blocks: list[Block] = []
    pending: list[tuple[str, str]] = []
    long_count = sum(1 for s in specs if s.type == "longtext")

    def flush() -> None:
        if pending:
            blocks.append(Fields(tuple(pending)))
            pending.clear()

    for spec in specs:
        if spec.is_table:
            flush()
            blocks.extend(table_blocks(ctx, step, spec))
            continue
        value = field_value(ctx.doc, step.id, spec)
        text = ctx.value(spec, value)
        if not text:
            continue
        if spec.type == "longtext":
            flush()
            if long_count > 1:
                blocks.append(Para(ctx.label(spec), "label"))
            blocks.extend(Para(p.strip()) for p in text.split("\n") if p.strip())
        else:
            pending.append((ctx.label(spec), text))
    flush()
    return blocks


def _cell_text(ctx: Context, c: FieldSpec, cells: dict[str, Any], row: dict[str, Any], units: set[str]) -> str:
    text = ctx.value(c, cells[c.id], row, with_unit=c.unit is None) or ctx.empty_cell(c, cells.get)
    if text and c.type == "text" and (c.id == "unit" or c.id in units):
        return ctx.unit(text)  # "kgce/t焦" is "kgce/t coke" in English, as in chapter 2
    return text


def table_blocks(ctx: Context, step: StepSpec, spec: FieldSpec) -> list[Block]:
    rows = ctx.doc.rows(step.id, spec.id)
    if not rows:
        return []
    # Long texts in a grid make rows taller than a page: they follow the table as
    # paragraphs keyed by the row's first cell (like 方案简述 after 方案汇总表).
    printed = [c for c in spec.columns if c.printed and (c.printed_from is None or
                                                         STAGES.index(ctx.stage) >= STAGES.index(c.printed_from))]
    columns = [c for c in printed if c.type != "longtext"]
    long_columns = [c for c in printed if c.type == "longtext"]
    # A column of units is read with its quantity; fixed units go in the header.
    units = {c.unit_column for c in columns if c.unit_column}
    head = tuple(Column(ctx.label(c, with_unit=True), float(c.width or _TYPE_WEIGHT.get(c.type, 10)),
                        c.type in NUMERIC_TYPES, 24.0 if c.type == "date" else 0.0, c.id in units) for c in columns)
    body = []
    for row in rows:
        cells = {c.id: shown_yes_no(c, cell_value(ctx.doc, step.id, c, row)) for c in spec.columns}
        body.append(tuple(_cell_text(ctx, c, cells, row, units) for c in columns))
    totals = None
    if spec.totals:
        sums = column_totals(ctx.doc, step.id, spec)
        cells = []
        for i, c in enumerate(columns):
            if c.id in sums:
                cells.append(ctx.value(c, sums[c.id], None, with_unit=False))
            else:
                cells.append(ctx.t(N_("Total")) if i == 0 else "")
        totals = tuple(cells)
    weight = sum(c.weight for c in head)
    wide = len(head) > BODY_MAX_COLUMNS or weight > BODY_MAX_WEIGHT
    table = Table(ctx.label(spec), head, tuple(body), totals, wide=wide)
    if not long_columns:
        return [table]
    out: list[Block] = [table]
    key = spec.columns[0]
    for col in long_columns:
        texts = [(ctx.value(key, r.get(key.id), r), str(r.get(col.id)).strip()) for r in rows if r.get(col.id)]
        if texts:
            out.append(Para(f"{ctx.label(spec)} · {ctx.label(col)}", "label"))
            out.extend(Para(f"{k}：{v}" if ctx.lang == "zh_CN" else f"{k}: {v}", "item") for k, v in texts)
    return out

