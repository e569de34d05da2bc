"""Table column widths from the content: what a column needs, where a wide table is split.

A column is never narrower than its widest unbreakable token (report.linebreak), numbers and
dates never wrap, a column with no values shrinks to its header's longest word, and a table
whose columns cannot all be read on one page is split into column groups.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from cpaudit.report import styles
from cpaudit.report.linebreak import longest_token
from cpaudit.report.model import Table

MIN_COL = {False: 15 * mm, True: 14 * mm}  # narrowest readable text / number column
CELL_SIZE = 9  # styles "cell" and FONT_CMD
PAD = 6.0  # left + right cell padding (styles.table_style)


def _min(column: Any) -> float:
    return max(MIN_COL[column.numeric], column.min_mm * mm)


def _sizes(table: Table, i: int, width: float) -> tuple[float, float]:
    """(natural, minimum) width of column ``i``, padding included. Natural: its longest cell on
    one line, its header on two. Minimum: its widest unbreakable token (a number with its
    unit, a Latin word, a bracketed code), so that no token is ever cut; numbers never wrap;
    a column with no values is only as wide as its header's longest word."""
    column = table.columns[i]
    texts = [row[i] for row in table.rows if i < len(row)] + ([table.totals[i]] if table.totals else [])
    lines = [line for x in texts if x for line in x.split("\n")]
    longest = max((stringWidth(x, styles.FONT, CELL_SIZE) for x in lines), default=0.0)
    token = max((longest_token(x, styles.FONT, CELL_SIZE) for x in [*lines, column.label]), default=0.0)
    cap = width * 0.42
    label = stringWidth(column.label, styles.FONT, CELL_SIZE)
    # A header on up to ~3 lines of 3 characters or more; a short one (方案编号) on one line.
    head = label if label <= 4.5 * CELL_SIZE else max(min(label / 3, 14 * mm), 3 * CELL_SIZE)
    least = min(max(token, head) + PAD + 1, cap)
    if not lines:
        return least, least
    longest = min(longest + PAD + 2, cap)
    natural = max(longest, min(max(label / 2, 8.0) + PAD + 2, cap), least)
    keep = longest if column.numeric or column.min_mm else 0.0  # numbers and dates never wrap
    return natural, max(min(_min(column), natural), least, keep)


def _mins(table: Table, width: float) -> tuple[list[float], list[float]]:
    """(natural, minimum) width per column. A number never wraps; short texts (dates,
    codes) stay on one line while the page allows it."""
    styles.register_fonts()  # the widths are the report font's
    natural, mins = (list(x) for x in zip(*(_sizes(table, i, width) for i in range(len(table.columns)))))
    for i in sorted(range(len(natural)), key=natural.__getitem__):
        if natural[i] <= 28 * mm and sum(mins) - mins[i] + natural[i] <= width * 0.8:
            mins[i] = max(mins[i], natural[i])
    return natural, mins


def column_groups(table: Table, width: float) -> list[list[int]]:
    """Split columns into groups that fit ``width``; the row's key columns repeat in each.
    Each text column needs room to be read: up to 18 mm of its natural width."""
    n = len(table.columns)
    natural, mins = _mins(table, width)
    mins = [min(max(m, min(w, 18 * mm)), width * 0.42) for m, w in zip(mins, natural)]
    if sum(mins) <= width or n <= 2:
        return [list(range(n))]
    keys = key_columns(table, mins, width)
    groups: list[list[int]] = []
    current: list[int] = []
    for i in range(n):
        if i in current:
            continue
        if any(j not in keys for j in current) and sum(mins[j] for j in current) + mins[i] > width:
            groups.append(current)
            current = list(keys)
        current.append(i)
    groups.append(current)
    return groups


def key_columns(table: Table, mins: list[float], width: float) -> list[int]:
    """The columns that name a row (介质 + 污染物 + 阶段), repeated in a continuation so that its
    rows can be told apart: the first column, and the text columns after it up to the first
    number that are filled in at least half the rows and are not units; at most three, within
    40 % of the width."""
    keys, used = [0], mins[0]
    for i, column in enumerate(table.columns[1:], start=1):
        if column.numeric or len(keys) == 3 or used + mins[i] > width * 0.4:
            break
        filled = sum(1 for row in table.rows if i < len(row) and row[i])
        if not column.unit and 2 * filled >= len(table.rows):
            keys.append(i)
            used += mins[i]
    return keys


def widths(table: Table, cols: list[int], width: float) -> list[float]:
    """Column widths from the content: natural widths scaled to the page; columns squeezed
    below their minimum take it and the others give back the difference."""
    natural_all, mins_all = _mins(table, width)
    natural = [natural_all[i] for i in cols]
    mins = [mins_all[i] for i in cols]
    if sum(mins) > width:  # cannot honour every minimum: share by need
        mins = [m * width / sum(mins) for m in mins]
    total = sum(natural)
    if total <= width:  # everything fits on one line: columns with values share the spare room by need
        grow = [n if any(row[i] for row in table.rows if i < len(row)) else 0.0 for i, n in zip(cols, natural)]
        return [n + (width - total) * g / (sum(grow) or total) for n, g in zip(natural, grow)]
    widths = [max(m, n * width / total) for n, m in zip(natural, mins)]
    excess = sum(widths) - width
    if excess > 0.01:
        room = sum(w - m for w, m in zip(widths, mins)) or 1.0
        widths = [w - excess * (w - m) / room for w, m in zip(widths, mins)]
    return widths
