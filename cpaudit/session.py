"""The application service: the only way the GUI and the CLI change an audit.

``AuditSession.apply(changes)`` coerces every value (rejecting unreadable
input with a translated message, writing nothing), turns the changes into
journal transitions, commits them in one transaction and returns a
``ChangeSet`` naming what changed. Undo and redo are operations over the
journal, so they work without Qt and survive a restart.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import sqlite_utils

from cpaudit.clock import Clock, SystemClock, iso
from cpaudit.domain.changes import (
    Attach, Change, ChangeSet, DeleteRow, Detach, InsertRow, Justify, MoveRow, ReorderRows, SetCell, SetField, SetMeta,
    UndoStatus,
)
from cpaudit.domain.document import ROUND_FIELD, ROW_ID, Attachment, AuditDocument
from cpaudit.evidence import EvidenceRejected, store_file
from cpaudit.edit_labels import label as edit_label, label_text
from cpaudit.i18n import N_, _
from cpaudit.store import journal, records
from cpaudit.store.journal import Transition
from cpaudit.workflow.schema import FieldSpec, Workflow
from cpaudit.workflow.values import ValueRejected, coerce


@dataclass(frozen=True)
class Rejection:
    path: str
    rule: str
    message: str


class EditRejected(Exception):
    """Nothing was written: at least one value could not be read."""

    def __init__(self, rejections: Sequence[Rejection]):
        self.rejections = tuple(rejections)
        super().__init__("; ".join(r.message for r in rejections))


def new_row_id() -> str:
    return uuid.uuid4().hex[:12]


class AuditSession:
    def __init__(self, db: sqlite_utils.Database, audit_id: str, workflow: Workflow,
                 clock: Clock | None = None, user: str = "user", workspace_path: Path | None = None):
        self.db, self.audit_id, self.workflow = db, audit_id, workflow
        self.workspace_path = workspace_path
        self.clock = clock or SystemClock()
        self.user = user
        self.document: AuditDocument = records.load_document(db, audit_id)
        self._dependents = _dependents_index(workflow)
        self.last_saved: str = self.document.meta.updated_at

    # -- edits -----------------------------------------------------------------
    def apply(self, changes: Change | Iterable[Change], label: str | None = None, reason: str | None = None) -> ChangeSet:
        batch = [changes] if not isinstance(changes, Iterable) else list(changes)
        transitions = self._transitions(batch)
        if not transitions:
            return ChangeSet(group_id=None)
        label = label or _describe(batch[0], self.workflow)
        at = iso(self.clock.now())
        group_id = journal.commit_edit(self.db, self.audit_id, transitions, at, self.user, label, reason)
        return self._after(group_id, transitions, at, label)

    def undo(self) -> ChangeSet:
        return self._replay(journal.undo)

    def redo(self) -> ChangeSet:
        return self._replay(journal.redo)

    def _replay(self, action: Any) -> ChangeSet:
        at = iso(self.clock.now())
        done = action(self.db, self.audit_id, at, self.user)
        if done is None:
            return ChangeSet(group_id=None)
        group_id, transitions = done
        label = self.db.execute("SELECT label FROM change_groups WHERE id = ?", [group_id]).fetchone()[0]
        return self._after(group_id, transitions, at, label)

    def undo_status(self) -> UndoStatus:
        u = journal.undo_target(self.db, self.audit_id)
        r = journal.redo_target(self.db, self.audit_id)
        return UndoStatus(label_text(u[1]) if u else None, label_text(r[1]) if r else None)

    def history(self, limit: int = 500) -> list[journal.HistoryEntry]:
        return journal.history(self.db, self.audit_id, limit)

    # -- internals ---------------------------------------------------------------
    def _transitions(self, batch: list[Change]) -> list[Transition]:
        """Coerce every value first: one unreadable value rejects the whole batch."""
        rejections: list[Rejection] = []
        out: list[Transition] = []
        shadow = _Shadow(self.document)
        for change in batch:
            try:
                out.extend(t for t in self._to_transitions(change, shadow) if t.old != t.new)
            except (ValueRejected, EvidenceRejected) as exc:
                rejections.append(Rejection(_change_path(change), exc.rule, exc.message))
        if rejections:
            raise EditRejected(rejections)
        return out

    def _to_transitions(self, change: Change, shadow: "_Shadow") -> list[Transition]:
        wf = self.workflow
        if isinstance(change, SetField):
            spec = _spec(wf, change.step, change.field)
            if spec.is_table or spec.computed:
                raise ValueRejected("field.read_only", _("{field}: this value cannot be typed in").format(field=_(spec.label)))
            value = coerce(spec, change.value, wf)
            old = shadow.field(change.step, change.field)
            shadow.set_field(change.step, change.field, value)
            out = [Transition("set", f"{change.step}/{change.field}", old, value)]
            if (change.step, change.field) == ROUND_FIELD and isinstance(value, int) and value != shadow.doc.meta.round:
                out.append(Transition("meta", "round", shadow.doc.meta.round, value))  # see ROUND_FIELD
            return out
        if isinstance(change, SetCell):
            table = _spec(wf, change.step, change.table)
            col = _column(table, change.column)
            if col.computed:
                raise ValueRejected("field.read_only", _("{field}: this value is computed").format(field=_(col.label)))
            rows = shadow.rows(change.step, change.table)
            value = coerce(col, change.value, wf, lambda: _cell_label(
                table, col, _row_index(rows, change.row_id) + 1))  # the row named: a long table has many alike
            row = shadow.row(change.step, change.table, change.row_id)
            old = row.get(change.column)
            row[change.column] = value
            return [Transition("cell", f"{change.step}/{change.table}/{change.row_id}/{change.column}", old, value)]
        if isinstance(change, InsertRow):
            table = _spec(wf, change.step, change.table)
            rows = shadow.rows(change.step, change.table)
            number = len(rows) + 1 if change.position is None else max(0, min(change.position, len(rows))) + 1
            data = {}
            for key, raw in change.values.items():
                col = _column(table, key)
                if col.computed:
                    continue
                value = coerce(col, raw, wf, lambda c=col: _cell_label(table, c, number))  # type: ignore[misc]
                if value is not None:
                    data[key] = value
            if table.max_rows is not None and len(rows) >= table.max_rows:
                raise ValueRejected("table.max_rows", _("{table}: at most {n} rows").format(table=_(table.label), n=table.max_rows))
            position = len(rows) if change.position is None else max(0, min(change.position, len(rows)))
            row_id = change.row_id or new_row_id()
            rows.insert(position, dict(data, **{ROW_ID: row_id}))
            return [Transition("row", f"{change.step}/{change.table}/{row_id}", None, {"position": position, "data": data})]
        if isinstance(change, DeleteRow):
            rows = shadow.rows(change.step, change.table)
            index = _row_index(rows, change.row_id)
            row = rows.pop(index)
            data = {k: v for k, v in row.items() if k != ROW_ID}
            # The row's evidence goes with it (and comes back with an undo).
            detach = [
                Transition("attach", a.id, attachment_record(a), None)
                for a in shadow.doc.attachments_of(change.step, change.table, change.row_id)
            ]
            return detach + [Transition("row", f"{change.step}/{change.table}/{change.row_id}", {"position": index, "data": data}, None)]
        if isinstance(change, MoveRow):
            rows = shadow.rows(change.step, change.table)
            index = _row_index(rows, change.row_id)
            target = max(0, min(change.position, len(rows) - 1))
            rows.insert(target, rows.pop(index))
            return [Transition("move", f"{change.step}/{change.table}/{change.row_id}", index, target)]
        if isinstance(change, ReorderRows):
            rows = shadow.rows(change.step, change.table)
            old = [r[ROW_ID] for r in rows]
            if sorted(old) != sorted(change.order):
                raise ValueRejected("row.unknown", _("the rows changed while sorting; try again"))
            by_id = {r[ROW_ID]: r for r in rows}
            rows[:] = [by_id[i] for i in change.order]
            return [Transition("order", f"{change.step}/{change.table}", old, list(change.order))]
        if isinstance(change, Justify):
            text = (change.text or "").strip() or None
            old = shadow.doc.justifications.get(change.key)
            return [Transition("justify", change.key, old, text)]
        if isinstance(change, SetMeta):
            if change.key not in ("title", "status"):
                raise ValueRejected("meta.unknown", _("'{key}' cannot be changed").format(key=change.key))
            value = str(change.value).strip()
            if change.key == "title" and not value:
                raise ValueRejected("required", _("{field}: a value is required").format(field=_("Audit title")))
            old = getattr(shadow.doc.meta, change.key)
            return [Transition("meta", change.key, old, value)]
        if isinstance(change, Attach):
            return [self._attach(change)]
        if isinstance(change, Detach):
            old = shadow.doc.attachments.get(change.attachment_id)
            if old is None:
                raise ValueRejected("evidence.unknown", _("that attachment no longer exists"))
            return [Transition("attach", old.id, attachment_record(old), None)]
        raise TypeError(change)

    def _attach(self, change: Attach) -> Transition:
        """Copy and hash the file first; the journalled edit only references it."""
        spec = _spec(self.workflow, change.step, change.field)
        if change.row_id is not None:
            if not spec.is_table or self.document.row(change.step, change.field, change.row_id) is None:
                raise ValueRejected("row.unknown", _("that row no longer exists"))
        if self.workspace_path is None:
            raise ValueRejected("evidence.no_workspace", _("evidence can only be attached in a workspace"))
        stored = store_file(self.workspace_path, Path(change.source))
        attachment = Attachment(
            id=uuid.uuid4().hex[:16], step=change.step, field=change.field, row_id=change.row_id,
            sha256=stored.sha256, name=stored.name, size=stored.size, mime=stored.mime,
            added_at=iso(self.clock.now()),
        )
        return Transition("attach", attachment.id, None, attachment_record(attachment))

    def _after(self, group_id: int, transitions: list[Transition], at: str, label: str) -> ChangeSet:
        steps, fields, rows, structure = set(), set(), set(), set()
        justified = meta = False
        evidence: set[tuple[str, str]] = set()
        for t in transitions:
            apply_transition(self.document, t)
            parts = t.path.split("/")
            if t.op == "attach":
                record = t.new or t.old
                evidence.add((record["step"], record["field"]))
                steps.add(record["step"])
            if t.op in ("set", "cell", "row", "move", "order"):
                steps.add(parts[0])
                fields.add((parts[0], parts[1]))
            if t.op == "cell":
                rows.add((parts[0], parts[1], parts[2]))
            if t.op in ("row", "move", "order"):
                structure.add((parts[0], parts[1]))
            justified |= t.op == "justify"
            meta |= t.op == "meta"
        self.document.meta.updated_at = at
        self.last_saved = at
        computed = set()
        for key in fields:
            computed |= self._dependents.get(f"{key[0]}.{key[1]}", set())
        return ChangeSet(
            group_id=group_id, steps=frozenset(steps), fields=frozenset(fields), rows=frozenset(rows),
            structure=frozenset(structure), computed=frozenset(computed), justifications=justified,
            meta=meta, saved_at=at, label=label, attachments=frozenset(evidence),
        )


def apply_transition(doc: AuditDocument, t: Transition) -> None:
    """Mirror a committed transition into the in-memory document."""
    doc.memo.clear()
    parts = t.path.split("/")
    if t.op == "set":
        step = doc.values.setdefault(parts[0], {})
        if t.new is None:
            step.pop(parts[1], None)
        else:
            step[parts[1]] = t.new
    elif t.op == "cell":
        row = doc.row(parts[0], parts[1], parts[2])
        if row is not None:
            if t.new is None:
                row.pop(parts[3], None)
            else:
                row[parts[3]] = t.new
    elif t.op in ("row", "move"):
        rows = doc.values.setdefault(parts[0], {}).setdefault(parts[1], [])
        index = _row_index(rows, parts[2]) if any(r[ROW_ID] == parts[2] for r in rows) else None
        current = rows.pop(index) if index is not None else None
        if t.op == "row" and t.new is not None:
            rows.insert(int(t.new["position"]), dict(t.new["data"], **{ROW_ID: parts[2]}))
        elif t.op == "move" and current is not None:
            rows.insert(int(t.new), current)
        if not rows:  # keep the same shape as a document loaded from the store
            del doc.values[parts[0]][parts[1]]
    elif t.op == "order":
        rows = doc.values.get(parts[0], {}).get(parts[1], [])
        by_id = {r[ROW_ID]: r for r in rows}
        rows[:] = [by_id[i] for i in t.new if i in by_id]
    if parts[0] in doc.values and not doc.values[parts[0]] and t.op in ("set", "row", "move"):
        del doc.values[parts[0]]
    if t.op == "justify":
        if t.new:
            doc.justifications[t.path] = t.new
        else:
            doc.justifications.pop(t.path, None)
    elif t.op == "meta":
        setattr(doc.meta, t.path, t.new)
    elif t.op == "attach":
        if t.new is None:
            doc.attachments.pop(t.path, None)
        else:
            doc.attachments[t.path] = Attachment.from_json(dict(t.new, id=t.path))


def attachment_record(a: Attachment) -> dict[str, Any]:
    record = a.as_json()
    del record["id"]  # the journal path carries it
    return record


class _Shadow:
    """Copy-on-write view of the document while a batch is being converted,
    so later changes in a batch see the effect of earlier ones."""

    def __init__(self, doc: AuditDocument):
        self.doc = doc
        self._fields: dict[tuple[str, str], Any] = {}
        self._tables: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def field(self, step: str, field: str) -> Any:
        return self._fields.get((step, field), self.doc.get(step, field))

    def set_field(self, step: str, field: str, value: Any) -> None:
        self._fields[(step, field)] = value

    def rows(self, step: str, table: str) -> list[dict[str, Any]]:
        key = (step, table)
        if key not in self._tables:
            self._tables[key] = [dict(r) for r in self.doc.rows(step, table)]
        return self._tables[key]

    def row(self, step: str, table: str, row_id: str) -> dict[str, Any]:
        rows = self.rows(step, table)
        return rows[_row_index(rows, row_id)]


def _cell_label(table: FieldSpec, column: FieldSpec, number: int) -> str:
    return _("{table}, row {n}, {column}").format(table=_(table.label), n=number, column=_(column.label))


def _row_index(rows: list[dict[str, Any]], row_id: str) -> int:
    for i, r in enumerate(rows):
        if r[ROW_ID] == row_id:
            return i
    raise ValueRejected("row.unknown", _("that row no longer exists"))


def _spec(wf: Workflow, step: str, field: str) -> FieldSpec:
    try:
        return wf.field(step, field)
    except KeyError:
        raise ValueRejected("field.unknown", _("unknown field '{path}'").format(path=f"{step}.{field}")) from None


def _column(table: FieldSpec, column: str) -> FieldSpec:
    try:
        return table.column(column)
    except KeyError:
        raise ValueRejected("field.unknown", _("unknown column '{path}'").format(path=f"{table.id}.{column}")) from None


def _change_path(change: Change) -> str:
    if isinstance(change, SetField):
        return f"{change.step}/{change.field}"
    if isinstance(change, SetCell):
        return f"{change.step}/{change.table}/{change.row_id}/{change.column}"
    if isinstance(change, (InsertRow, DeleteRow, MoveRow, ReorderRows)):
        return f"{change.step}/{change.table}"
    if isinstance(change, Attach):
        return "/".join(p for p in (change.step, change.field, change.row_id) if p)
    return getattr(change, "key", "")


def _describe(change: Change, wf: Workflow) -> str:
    """Undo menu text: "Edit Enterprise name", "Add row to Audit team members"… (stored language-neutral:
    ``edit_labels``)."""
    try:
        if isinstance(change, SetField):
            return edit_label(N_("Edit {field}"), field=wf.field(change.step, change.field).label)
        if isinstance(change, SetCell):
            return edit_label(N_("Edit {field}"), field=wf.field(change.step, change.table).label)
        if isinstance(change, InsertRow):
            return edit_label(N_("Add row to {table}"), table=wf.field(change.step, change.table).label)
        if isinstance(change, DeleteRow):
            return edit_label(N_("Delete row from {table}"), table=wf.field(change.step, change.table).label)
        if isinstance(change, MoveRow):
            return edit_label(N_("Move row in {table}"), table=wf.field(change.step, change.table).label)
        if isinstance(change, ReorderRows):
            return edit_label(N_("Sort {table}"), table=wf.field(change.step, change.table).label)
    except KeyError:
        pass
    if isinstance(change, Justify):
        return N_("Justify a warning")
    if isinstance(change, Attach):
        return edit_label(N_("Attach {name}"), name=Path(change.source).name)
    if isinstance(change, Detach):
        return N_("Remove an attachment")
    return N_("Edit audit details")


def _dependents_index(wf: Workflow) -> dict[str, set[tuple[str, str]]]:
    index: dict[str, set[tuple[str, str]]] = {}
    for step in wf.steps():
        for f in step.fields:
            if f.computed and not f.is_table:
                for dep in f.computed.depends:
                    ref = dep if "." in dep else f"{step.id}.{dep}"
                    index.setdefault(ref, set()).add((step.id, f.id))
    return index
