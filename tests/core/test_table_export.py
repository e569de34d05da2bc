"""XLSX and CSV export: one sheet/file per table, typed cells, totals, safe text."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from cpaudit.domain.changes import InsertRow
from cpaudit.table_export import export_csv, export_xlsx


def fill(s):
    s.apply([
        InsertRow("s", "rows", {"date": "2025-03-01", "topic": "=cmd|calc", "count": 3, "hours": "1.5", "role": "leader"}),
        InsertRow("s", "rows", {"topic": "B", "count": 4}),
    ])


def test_xlsx_has_typed_cells_and_a_totals_row(mini_session, tmp_path):
    fill(mini_session)
    path = tmp_path / "tables.xlsx"
    assert export_xlsx(mini_session.document, mini_session.workflow, path, "en") == 1
    sheet = load_workbook(path).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Date", "Topic", "Count"]
    assert values[1][2] == 3 and values[1][3] == 1.5 and values[1][4] == 4.5  # computed column exported
    assert values[1][1] == "'=cmd|calc"  # never a formula
    assert values[1][5] == "Team leader"
    assert values[3][0] == "Total" and values[3][2] == 7


def test_csv_in_chinese_with_bom(mini_session, tmp_path):
    fill(mini_session)
    (path,) = export_csv(mini_session.document, mini_session.workflow, tmp_path / "csv", "zh_CN")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[1][0] == "2025-03-01" and rows[2][2] == "4"
    assert rows[-1][2] == "7"
