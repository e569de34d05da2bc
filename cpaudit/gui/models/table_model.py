# SPDX-License-Identifier: Apache-2.0
"""One generic table model for every workflow table (GUI layer).

A ``QAbstractTableModel`` over a table ``FieldSpec`` and the session's
document (Vorta ``ArchiveTableModel`` pattern: column constants come from the
spec, plus sort and row-id roles). Every edit goes through the injected
``apply`` (``session.apply`` or the main window's wrapper); a batch of cell
edits is one apply, hence one undo step. Testable without a view.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from cpaudit import formatting
from cpaudit.calc.tables import cell_value, column_totals
from cpaudit.domain.changes import Change, ChangeSet, DeleteRow, InsertRow, MoveRow, SetCell
from cpaudit.domain.document import ROW_ID
from cpaudit.gui.fields.numeric import format_number, unit_text
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import _
from cpaudit.session import AuditSession, EditRejected
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.schema import NUMERIC_TYPES, FieldSpec, StepSpec
from cpaudit.workflow.values import NEVER, as_decimal, empty_meaning, exceeded_limit, shown_yes_no

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a key that sorts numbers as numbers
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the stable row id behind a view row
VALUE_ROLE = Qt.ItemDataRole.UserRole + 3  # the canonical value itself
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 4  # worst severity on the cell, or None

Apply = Callable[[Sequence[Change]], ChangeSet]
Index = QModelIndex | QPersistentModelIndex
_TINT = {"error": "#fdecea", "warning": "#fff3e0"}
_COMPUTED_BG = "#f3f4f6"


class TableModel(QAbstractTableModel):
    rejections_changed = Signal()  # typed cells were refused or corrected; see rejection_messages()

    def __init__(self, session: AuditSession, step: StepSpec, spec: FieldSpec, apply: Apply | None = None, parent: Any = None):
        super().__init__(parent)
        self.session, self.step, self.spec = session, step, spec
        self.columns: tuple[FieldSpec, ...] = spec.columns
        self._apply: Apply = apply or session.apply
        self._row_ids: list[str] = []
        self._rejected: dict[tuple[str, str], tuple[str, str]] = {}  # (row, col) → (text, message)
        self._issues: dict[tuple[str, str], list[Issue]] = {}
        self._read_only = False
        self._last: ChangeSet | None = None
        self._presets = {c.id: {dict(p).get(c.id) for p in spec.preset_rows} - {None} for c in self.columns}
        self.reload()

    # -- shape ---------------------------------------------------------------------
    @property
    def has_totals(self) -> bool:
        return bool(self.spec.totals)

    def reload(self) -> None:
        self.beginResetModel()
        self._row_ids = [r[ROW_ID] for r in self.session.document.rows(self.step.id, self.spec.id)]
        kept = {k: v for k, v in self._rejected.items() if k[0] in self._row_ids}
        dropped, self._rejected = len(kept) != len(self._rejected), kept
        self.endResetModel()
        if dropped:  # the rows of refused cells were deleted
            self.rejections_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self._row_ids) + (1 if self.has_totals else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data_row_count(self) -> int:
        return len(self._row_ids)

    def is_totals_row(self, row: int) -> bool:
        return self.has_totals and row == len(self._row_ids)

    def row_id(self, row: int) -> str | None:
        return self._row_ids[row] if 0 <= row < len(self._row_ids) else None

    def row_of(self, row_id: str) -> int:
        return self._row_ids.index(row_id)

    def collect_rows(self) -> list[dict[str, Any]]:
        """The rows as shown, with their ids; computed and empty cells left out."""
        typed = [(i, c.id) for i, c in enumerate(self.columns) if c.computed is None]
        rows = []
        for row, row_id in enumerate(self._row_ids):
            cells = {cid: self.data(self.index(row, i), VALUE_ROLE) for i, cid in typed}
            rows.append({ROW_ID: row_id, **{k: v for k, v in cells.items() if v is not None}})
        return rows

    def _row(self, row: int) -> dict[str, Any]:
        row_id = self._row_ids[row]
        return self.session.document.row(self.step.id, self.spec.id, row_id) or {ROW_ID: row_id}

    # -- reading ---------------------------------------------------------------------
    def value(self, row: int, column: int) -> Any:
        col = self.columns[column]
        if self.is_totals_row(row):
            return column_totals(self.session.document, self.step.id, self.spec).get(col.id)
        return cell_value(self.session.document, self.step.id, col, self._row(row))

    def display(self, col: FieldSpec, value: Any) -> str:
        if value is None or value == "" or value == []:
            return ""
        if col.type in NUMERIC_TYPES:
            limit = exceeded_limit(self.session.document, self.session.workflow, col, value)
            return format_number(col, value) if limit is None else "> " + formatting.number(limit, max(0, -int(limit.as_tuple().exponent)))
        if col.type == "choice" and col.choices:
            label = self.session.workflow.enums[col.choices].label_of(str(value))
            return _(label) if label else str(value)
        if col.type == "multichoice" and col.choices:
            enum = self.session.workflow.enums[col.choices]
            return _(", ").join(_(enum.label_of(v) or v) for v in value)
        if col.type == "yesno":
            return _("Yes") if value else _("No")
        if col.type == "date":
            return formatting.date(value)
        if col.computed is not None:  # "1.466667 t/t" as the numbers beside it are shown
            return formatting.computed_text(col.computed.function, str(value))
        # Preset rows are message ids ("Planning and organisation"): show them translated.
        return _(value) if value in self._presets.get(col.id, ()) else str(value)

    def empty_text(self, row: int, col: FieldSpec) -> str:
        """An empty computed cell that means something, as the report prints it: "never", "> n"."""
        ids = [c.id for c in self.columns]
        meaning = empty_meaning(self.session.document, self.session.workflow, col,
                                lambda cid: self.value(row, ids.index(cid)))
        if meaning is None:
            return ""
        return _("never") if meaning == NEVER else "> " + formatting.number(meaning, max(0, -int(meaning.as_tuple().exponent)))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), self.columns[index.column()]
        totals = self.is_totals_row(row)
        key = (self._row_ids[row], col.id) if not totals else None
        rejected = self._rejected.get(key) if key else None
        if role == Qt.ItemDataRole.DisplayRole:
            if rejected:
                return rejected[0]
            if totals and index.column() == 0 and col.id not in self.spec.totals:
                return _("Total")
            text = self.display(col, shown_yes_no(col, self.value(row, index.column())) if not totals else self.value(row, index.column()))
            return text or ("" if totals else self.empty_text(row, col))
        if role == Qt.ItemDataRole.EditRole:
            if rejected:
                return rejected[0]
            value = self.value(row, index.column())
            return "" if value is None else value
        if role == VALUE_ROLE:
            return self.value(row, index.column())
        if role == SORT_ROLE:
            value = self.value(row, index.column())
            number = as_decimal(value) if col.type in NUMERIC_TYPES else None
            return float(number) if number is not None else self.display(col, value)
        if role == ROW_ID_ROLE:
            return None if totals else self._row_ids[row]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.type in NUMERIC_TYPES:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        severity = self._severity(key) if key else None
        if role == ISSUE_ROLE:
            return "error" if rejected else severity
        if role == Qt.ItemDataRole.ToolTipRole:
            if rejected:
                return rejected[1]
            messages = [i.message for i in self._issues.get(key, [])] if key else []
            return "\n".join(messages) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if rejected or severity in _TINT:
                return QBrush(QColor(_TINT["error" if rejected else severity]))
            if col.computed or totals:
                return QBrush(QColor(_COMPUTED_BG))
        if role == Qt.ItemDataRole.ForegroundRole and rejected:
            return QBrush(QColor(COLOURS["errors"]))
        if role == Qt.ItemDataRole.FontRole and totals:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _severity(self, key: tuple[str, str]) -> str | None:
        # Empty required cells are not painted: a freshly added row would be all red.
        issues = [i for i in self._issues.get(key, []) if i.rule != "required"]
        if any(i.severity == "error" for i in issues):
            return "error"
        return "warning" if any(i.severity == "warning" for i in issues) else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                col = self.columns[section]
                unit = unit_text(col)
                star = " *" if col.required and not col.computed else ""
                return f"{_(col.label)}{star}" + (f"\n({unit})" if unit else "")
            return "Σ" if self.is_totals_row(section) else str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            col = self.columns[section]
            tip = _(col.help) if col.help else _(col.label)
            return tip + ("\n" + _("Computed automatically") if col.computed else "")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._read_only or self.is_totals_row(index.row()) or self.columns[index.column()].computed:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    # -- editing ---------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.layoutChanged.emit()

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        return self.set_cells([(index.row(), index.column(), value)])

    def set_cells(self, edits: Iterable[tuple[int, int, Any]]) -> bool:
        """Apply many cell edits as ONE undo step (paste, fill down); all or nothing."""
        changes, keys = [], []
        for row, column, value in edits:
            row_id, col = self._row_ids[row], self.columns[column]
            if col.computed:
                continue
            changes.append(SetCell(self.step.id, self.spec.id, row_id, col.id, value))
            keys.append(((row_id, col.id), value))
        if not changes:
            return False
        try:
            cs = self._apply(changes)
        except EditRejected as exc:
            by_path = {r.path: r.message for r in exc.rejections}
            for (row_id, col_id), value in keys:
                path = f"{self.step.id}/{self.spec.id}/{row_id}/{col_id}"
                if path in by_path:  # keep what the user typed, with the reason beside it
                    self._rejected[(row_id, col_id)] = ("" if value is None else str(value), by_path[path])
            self._emit_all()
            self.rejections_changed.emit()
            return False
        cleared = [self._rejected.pop(key) for key, _value in keys if key in self._rejected]
        self.refresh(cs)
        if cleared:
            self.rejections_changed.emit()
        return True

    def apply_changes(self, changes: Sequence[Change]) -> ChangeSet:
        """A planned batch (paste, fill down, sort) as one undo step; raises ``EditRejected``."""
        cs = self._apply(list(changes))
        self.refresh(cs)
        return cs

    def insert_row(self, position: int | None = None, values: dict[str, Any] | None = None) -> ChangeSet:
        cs = self._apply([InsertRow(self.step.id, self.spec.id, values or {}, position)])
        self.refresh(cs)
        return cs

    def delete_rows(self, rows: Iterable[int]) -> ChangeSet:
        ids = [self._row_ids[r] for r in sorted(set(rows)) if 0 <= r < len(self._row_ids)]
        cs = self._apply([DeleteRow(self.step.id, self.spec.id, row_id) for row_id in ids])
        self.refresh(cs)
        return cs

    def move_row(self, row: int, delta: int) -> ChangeSet | None:
        target = row + delta
        if not (0 <= row < len(self._row_ids) and 0 <= target < len(self._row_ids)):
            return None
        cs = self._apply([MoveRow(self.step.id, self.spec.id, self._row_ids[row], target)])
        self.refresh(cs)
        return cs

    # -- refresh ---------------------------------------------------------------------
    def refresh(self, cs: ChangeSet) -> None:
        """Re-read what the change set names (idempotent: the page may forward the same set)."""
        if cs is self._last or cs.empty:
            return
        self._last = cs
        if (self.step.id, self.spec.id) in cs.structure:
            self.reload()
            return
        touched = [self.row_of(r) for (s, t, r) in cs.rows if s == self.step.id and t == self.spec.id and r in self._row_ids]
        for row in touched:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        if touched and self.has_totals:
            last = self.rowCount() - 1
            self.dataChanged.emit(self.index(last, 0), self.index(last, len(self.columns) - 1))

    def rejection_messages(self) -> list[str]:
        """Why typed cells were refused, in row order (their text stays in the cells)."""
        order = {row_id: i for i, row_id in enumerate(self._row_ids)}
        return [m for _k, (_t, m) in sorted(self._rejected.items(), key=lambda kv: order.get(kv[0][0], 0))]

    def forget_rejections(self) -> None:
        """Show the stored values again in the refused cells."""
        if self._rejected:
            self._rejected.clear()
            self._emit_all()
            self.rejections_changed.emit()

    def set_issues(self, issues: Iterable[Issue]) -> None:
        self._issues = {}
        for issue in issues:
            if issue.field == self.spec.id and issue.row and issue.column:
                self._issues.setdefault((issue.row, issue.column), []).append(issue)
        self._emit_all()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        self._emit_all()

    def _emit_all(self) -> None:
        if self.rowCount() and self.columns:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(self.columns) - 1))
