"""Export an audit's tables to XLSX (one sheet per table) or CSV (one file per table).

Headers are translated; numbers are written as numbers (so Excel/WPS can sum
them), dates as dates, choices as their translated labels; a totals row follows
each table that has totals. The same cell values as the forms and the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable, Iterator

from cpaudit.calc.tables import cell_value, column_totals
from cpaudit.domain.decimals import as_decimal
from cpaudit.domain.document import AuditDocument
from cpaudit.i18n import N_, translator
from cpaudit.workflow.schema import NUMERIC_TYPES, FieldSpec, StepSpec, Workflow


def iter_tables(wf: Workflow, doc: AuditDocument) -> Iterator[tuple[StepSpec, FieldSpec]]:
    for step in wf.steps():
        for f in step.fields:
            if f.is_table:
                yield step, f


def table_grid(doc: AuditDocument, wf: Workflow, step: StepSpec, table: FieldSpec, lang: str) -> list[list[Any]]:
    """Header row, data rows (typed values), and the totals row when the table has totals."""
    tr = translator(lang).gettext
    header = [tr(c.label) + (f" ({c.unit})" if c.unit else "") for c in table.columns]
    grid: list[list[Any]] = [header]
    for row in doc.rows(step.id, table.id):
        grid.append([_typed(c, cell_value(doc, step.id, c, row), wf, tr) for c in table.columns])
    if table.totals and len(grid) > 1:
        totals = column_totals(doc, step.id, table)
        line: list[Any] = [_typed(c, totals.get(c.id), wf, tr) if c.id in totals else "" for c in table.columns]
        line[0] = line[0] or tr(N_("Total"))
        grid.append(line)
    return grid


def _typed(column: FieldSpec, value: Any, wf: Workflow, tr: Callable[[str], str]) -> Any:
    if value is None:
        return None
    if column.type in NUMERIC_TYPES:
        number = as_decimal(value)
        return float(number) if number is not None and column.type != "integer" else (int(number) if number is not None else None)
    if column.type == "date":
        return dt.date.fromisoformat(value)
    if column.type == "choice":
        return tr(wf.enums[column.choices].label_of(value) or value)  # type: ignore[index]
    if column.type == "multichoice":
        enum = wf.enums[column.choices]  # type: ignore[index]
        return "；".join(tr(enum.label_of(v) or v) for v in value)
    if column.type == "yesno":
        return tr("yes") if value else tr("no")
    return str(value)


def _sheet_title(step: StepSpec, table: FieldSpec, tr: Callable[[str], str], used: set[str]) -> str:
    # Excel: ≤ 31 characters, none of []:*?/\ , unique.
    base = re.sub(r"[\[\]:*?/\\]", " ", f"{step.number}-{tr(table.label)}")[:31].strip()
    title, n = base, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def export_xlsx(doc: AuditDocument, wf: Workflow, path: Path, lang: str) -> int:
    """Write every table with rows to ``path``; returns the number of sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tr = translator(lang).gettext
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for step, table in iter_tables(wf, doc):
        if not doc.rows(step.id, table.id):
            continue
        sheet = book.create_sheet(_sheet_title(step, table, tr, used))
        for row in table_grid(doc, wf, step, table, lang):
            sheet.append([_excel_safe(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(10, min(40, (column.width or 12) + 2))
    if not book.sheetnames:
        book.create_sheet(tr(N_("No tables")))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return len(used)


def _excel_safe(value: Any) -> Any:
    """Text starting with = + - @ would run as a formula in Excel/WPS (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export_csv(doc: AuditDocument, wf: Workflow, folder: Path, lang: str) -> list[Path]:
    """One UTF-8 (with BOM, so Excel reads Chinese) CSV per table with rows."""
    tr = translator(lang).gettext
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    used: set[str] = set()
    for step, table in iter_tables(wf, doc):
        if not doc.rows(step.id, table.id):
            continue
        path = folder / f"{_sheet_title(step, table, tr, used)}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            for row in table_grid(doc, wf, step, table, lang):
                writer.writerow(["" if v is None else _excel_safe(v.isoformat() if isinstance(v, dt.date) else v) for v in row])
        written.append(path)
    return written
