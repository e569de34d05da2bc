"""The city dashboard: coverage, options, annual benefits and indicator levels, aggregated in SQL.

The unit is the audit (enterprise × round): of its current submissions the
acceptance one counts if present, else the assessment one, so an audit's
benefits are never counted twice. Stale and superseded revisions never count.
All sums run over the integer-millionth columns filled at import
(``review.columns``), so totals are exact. Indicators are the proposals of
ref §8 (tagged [P] there): coverage, options, benefits per year, levels.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cpaudit.calc.option_register import benefit_label, benefit_unit
from cpaudit.formatting import stage_label, unit_label
from cpaudit.i18n import _, ngettext
from cpaudit.review.columns import BENEFITS, from_micro
from cpaudit.workspace import Workspace

STAGE_RANK = "CASE stage WHEN 'acceptance' THEN 1 ELSE 0 END"
_FILTERS = {"year": "year = ?", "district": "district = ?", "sector": "sector_code = ?", "stage": "stage = ?",
            "status": "status = ?"}


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    district: str | None = None
    sector: str | None = None  # industry code (GB/T 4754)
    stage: str | None = None  # assessment | acceptance
    status: str | None = None  # received | in_review | returned | passed | failed

    def sql(self) -> tuple[str, list[Any]]:
        clauses, params = ["chain_state = 'current'"], []
        for name, clause in _FILTERS.items():
            value = getattr(self, name)
            if value not in (None, ""):
                clauses.append(clause)
                params.append(value)
        return " AND ".join(clauses), params


@dataclass
class Table:
    """One section as a table: what the GUI shows and what CSV/XLSX export write."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Dashboard:
    filters: Filters
    audits: int
    enterprises: int
    by_status: list[tuple[str, str, int]]  # stage, status, audits
    by_sector: list[tuple[str, str, int]]  # code, name, audits
    by_district: list[tuple[str, int]]
    by_year: list[tuple[int | None, int]]
    options: dict[str, Any]
    benefits: dict[str, Decimal]
    levels: list[tuple[str, str, int]]  # indicator system, level, audits

    def headline(self) -> str:
        """"2 audits of 2 enterprises": the line above the tables (GUI and CLI)."""
        audits = ngettext("{n} audit", "{n} audits", self.audits).format(n=self.audits)
        return ngettext("{audits} of {n} enterprise", "{audits} of {n} enterprises", self.enterprises).format(
            audits=audits, n=self.enterprises)

    def tables(self) -> list[Table]:
        none = _("(not stated)")
        money = unit_label("万元")  # as the enterprise side writes it: 万元 / 10k CNY
        t = [
            Table("status", _("Audits by stage and status"), [_("Stage"), _("Status"), _("Audits")],
                  [[stage_label(s), status_label(st, s), n] for s, st, n in self.by_status]),
            Table("sector", _("Audits by sector"), [_("Industry code"), _("Industry"), _("Audits")],
                  [[c or none, name or "", n] for c, name, n in self.by_sector]),
            Table("district", _("Audits by district"), [_("District"), _("Audits")], [[d or none, n] for d, n in self.by_district]),
            Table("year", _("Audits by year"), [_("Year"), _("Audits")], [[y if y is not None else none, n] for y, n in self.by_year]),
            Table("options", _("Options"), [_("Figure"), _("Value"), _("Unit")], [
                [_("No/low-cost options"), self.options["no_low"], ""],
                [_("Medium/high-cost options"), self.options["medium_high"], ""],
                [_("Investment in no/low-cost options"), self.options["invest_no_low"], money],
                [_("Investment in medium/high-cost options"), self.options["invest_medium_high"], money],
                [_("Options implemented"), self.options["implemented"], ""],
                [_("Implementation rate"), self.options["implementation_rate"], "%"]]),
            Table("benefits", _("Annual benefits"), [_("Benefit"), _("Value"), _("Unit")],
                  [[benefit_label(k, _), v, unit_label(benefit_unit(k))] for k, v in self.benefits.items()]),
            Table("levels", _("Indicator-system levels"), [_("Indicator system"), _("Level"), _("Audits")],
                  [[system_title(s) if s else none, level_label(lv), n] for s, lv, n in self.levels]),
        ]
        return t


def system_title(system_id: str) -> str:
    """An indicator system by its title in the current language (the submissions store its id)."""
    from cpaudit.calc.indicators import system_title as title_in
    from cpaudit.i18n import current_language

    return title_in(system_id, current_language())


def status_label(status: str, stage: str | None = None) -> str:
    """A decided status in the official term of its stage: 通过/不通过 for 评估, 合格/不合格 for 验收."""
    decision = {"passed": "pass", "failed": "fail"}.get(status)
    if stage in ("assessment", "acceptance") and decision:
        from cpaudit.review.scoring import decision_label

        return decision_label(stage, decision)
    return {"received": _("Received"), "in_review": _("In review"), "returned": _("Returned for correction"),
            "passed": _("Passed"), "failed": _("Failed")}.get(status, status)


def level_label(level: str) -> str:
    return {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "below": _("below Ⅲ"), "": _("not determined")}.get(level, level)


_BASE_COLUMNS = ("uscc", "stage", "status", "year", "district", "sector_code", "sector_name", "indicator_system", "level",
                 "options_no_low", "options_medium_high", "options_active", "options_implemented", "invest_no_low",
                 "invest_medium_high", *BENEFITS)


def _base_sql(filters: Filters) -> tuple[str, list[Any]]:
    """The audits counted: per (uscc, round) the current submission of the furthest stage."""
    where, params = filters.sql()
    columns = ", ".join(_BASE_COLUMNS)
    return (f"WITH ranked AS (SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY uscc, round ORDER BY {STAGE_RANK} DESC,"
            f" revision DESC) AS rn FROM submissions WHERE {where}) SELECT {columns} FROM ranked WHERE rn = 1"), params


def dashboard(ws: Workspace, filters: Filters | None = None) -> Dashboard:
    """Every section. The counted audits are picked once into a temporary table (the window
    function is the expensive part), then each section is one GROUP BY over it."""
    filters = filters or Filters()
    base, params = _base_sql(filters)
    conn = ws.db.conn
    conn.execute("SAVEPOINT dashboard")  # one snapshot for every section, even while an import commits
    try:
        conn.execute("DROP TABLE IF EXISTS temp.dashboard_base")
        conn.execute(f"CREATE TEMP TABLE dashboard_base AS {base}", params)
        return _sections(conn, filters)
    finally:
        conn.execute("ROLLBACK TO dashboard")  # reads only: the temp table goes with it
        conn.execute("RELEASE dashboard")


def _sections(conn: Any, filters: Filters) -> Dashboard:
    def q(select: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in conn.execute(select.replace("FROM base", "FROM temp.dashboard_base"))]

    # SUM of integers stays an exact integer (TOTAL would turn it into a float); COALESCE for no rows.
    sums = ", ".join(f"COALESCE(SUM({c}), 0)" for c in ("options_no_low", "options_medium_high", "invest_no_low",
                                                         "invest_medium_high", "options_implemented", "options_active", *BENEFITS))
    head = q(f"SELECT count(*), count(DISTINCT uscc), {sums} FROM base")[0]
    audits, enterprises, no_low, mid_high, inv_nl, inv_mh, implemented, active = head[:8]
    rate = (Decimal(int(implemented)) * 100 / Decimal(int(active))).quantize(Decimal("0.1")) if active else Decimal(0)
    options = {"no_low": int(no_low), "medium_high": int(mid_high), "invest_no_low": from_micro(int(inv_nl)),
               "invest_medium_high": from_micro(int(inv_mh)), "implemented": int(implemented), "active": int(active),
               "implementation_rate": rate}
    benefits = {b: from_micro(int(v)) for b, v in zip(BENEFITS, head[8:])}
    return Dashboard(
        filters, audits, enterprises,
        by_status=q("SELECT stage, status, count(*) FROM base GROUP BY stage, status ORDER BY stage, status"),
        by_sector=q("SELECT sector_code, max(sector_name), count(*) FROM base GROUP BY sector_code ORDER BY count(*) DESC, sector_code"),
        by_district=q("SELECT district, count(*) FROM base GROUP BY district ORDER BY count(*) DESC, district"),
        by_year=q("SELECT year, count(*) FROM base GROUP BY year ORDER BY year"),
        options=options, benefits=benefits,
        levels=q("SELECT indicator_system, COALESCE(level, ''), count(*) FROM base GROUP BY indicator_system, level"
                 " ORDER BY indicator_system, level"),
    )


def filter_choices(ws: Workspace) -> dict[str, list[Any]]:
    """The values the filters can take (for the GUI's drop-downs)."""
    def col(name: str) -> list[Any]:
        return [r[0] for r in ws.db.execute(
            f"SELECT DISTINCT {name} FROM submissions WHERE chain_state = 'current' AND {name} IS NOT NULL ORDER BY {name}")]

    return {"year": col("year"), "district": col("district"), "sector": col("sector_code"), "stage": col("stage"),
            "status": col("status")}


def _cell(value: Any) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value


def export_csv(board: Dashboard, path: Path) -> Path:
    """One long table (section, then the section's own columns), UTF-8 with BOM so Excel reads the Chinese."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for table in board.tables():
            writer.writerow([table.title, *table.headers])
            for row in table.rows:
                writer.writerow([table.key, *map(_cell, row)])
            writer.writerow([])
    return path


def export_xlsx(board: Dashboard, path: Path) -> Path:
    """One sheet per section; numbers stay numbers."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for table in board.tables():
        sheet = wb.create_sheet(table.key)
        sheet.append([table.title])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for column, width in zip("ABC", (28, 16, 12)):
            sheet.column_dimensions[column].width = width
    wb.save(path)
    return path
