"""The change journal: every committed edit, and undo/redo over it.

An edit batch is one ``change_groups`` row (kind ``edit``) with one journal
entry per primitive transition ``op path: old → new``. Undo writes the
transitions back (new → old) in reverse order and records that as a ``undo``
group in the trail; redo writes them forward again. Because the state lives in
SQLite, undo and redo survive a restart, and the journal is the audit trail.

Primitive ops: ``set`` (step/field), ``cell`` (step/table/row/column),
``row`` (step/table/row; value = {"position", "data"} or None for absent),
``move`` (step/table/row; value = position), ``justify`` (key), ``meta`` (key),
``order`` (step/table; value = the list of row ids), ``attach`` (attachment id;
value = its record or None).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import sqlite_utils

from cpaudit.store import records
from cpaudit.store.transaction import write_transaction
from cpaudit.store.records import dumps, loads


@dataclass(frozen=True)
class Transition:
    op: str
    path: str
    old: Any
    new: Any

    def inverse(self) -> "Transition":
        return Transition(self.op, self.path, self.new, self.old)


@dataclass(frozen=True)
class HistoryEntry:
    group_id: int
    at: str
    who: str
    label: str
    reason: str | None
    kind: str
    state: str
    transitions: tuple[Transition, ...]  # the first ``HISTORY_TRANSITIONS`` of the group
    total: int  # transitions in the group

    @property
    def untold(self) -> int:
        """Transitions of the group not loaded (an import or a paste of thousands of cells)."""
        return max(0, self.total - len(self.transitions))


def write(db: sqlite_utils.Database, audit_id: str, t: Transition) -> None:
    """Make the stored state go from ``t.old`` to ``t.new`` at ``t.path``."""
    if t.op == "set":
        step, field = t.path.split("/")
        records.put_field(db, audit_id, step, field, t.new)
    elif t.op == "cell":
        _step, _table, row_id, column = t.path.split("/")
        found = records.get_row(db, audit_id, row_id)
        if found is None:
            raise LookupError(t.path)
        data = found[3]
        if t.new is None:
            data.pop(column, None)
        else:
            data[column] = t.new
        records.put_row_data(db, audit_id, row_id, data)
    elif t.op == "row":
        step, table, row_id = t.path.split("/")
        if t.new is None:
            records.delete_row(db, audit_id, row_id)
        else:
            records.insert_row(db, audit_id, step, table, row_id, int(t.new["position"]), t.new["data"])
    elif t.op == "move":
        step, table, row_id = t.path.split("/")
        found = records.get_row(db, audit_id, row_id)
        if found is None:
            raise LookupError(t.path)
        records.delete_row(db, audit_id, row_id)
        records.insert_row(db, audit_id, step, table, row_id, int(t.new), found[3])
    elif t.op == "order":
        records.reorder_rows(db, audit_id, list(t.new))
    elif t.op == "justify":
        records.put_justification(db, audit_id, t.path, t.new)
    elif t.op == "meta":
        records.set_meta(db, audit_id, t.path, t.new)
    elif t.op == "attach":
        records.put_attachment(db, audit_id, t.path, t.new)
    else:
        raise ValueError(t.op)


def _group(db: sqlite_utils.Database, audit_id: str, at: str, who: str, label: str, reason: str | None,
           kind: str, target: int | None, state: str) -> int:
    cur = db.execute(
        "INSERT INTO change_groups (audit_id, at, who, label, reason, kind, target, state) VALUES (?,?,?,?,?,?,?,?)",
        [audit_id, at, who, label, reason, kind, target, state],
    )
    return int(cur.lastrowid)


def _record(db: sqlite_utils.Database, group_id: int, audit_id: str, transitions: list[Transition]) -> None:
    db.conn.executemany(
        "INSERT INTO journal (group_id, audit_id, op, path, old, new) VALUES (?,?,?,?,?,?)",
        [(group_id, audit_id, t.op, t.path, dumps(t.old), dumps(t.new)) for t in transitions],
    )


def commit_edit(db: sqlite_utils.Database, audit_id: str, transitions: list[Transition], at: str, who: str,
                label: str, reason: str | None, kind: str = "edit") -> int:
    """Write and journal one edit batch in one transaction; returns its group id.

    A new edit ends the redo chain: groups undone before it can no longer be redone.
    ``kind`` "import": the audit's first content, read from a file; journalled, never undone
    (undoing it emptied a sample audit at the first Ctrl+Z).
    """
    with write_transaction(db):
        for t in transitions:
            write(db, audit_id, t)
        db.execute(
            "UPDATE change_groups SET state = 'dropped' WHERE audit_id = ? AND kind = 'edit' AND state = 'undone'",
            [audit_id],
        )
        group_id = _group(db, audit_id, at, who, label, reason, kind, None, "done")
        _record(db, group_id, audit_id, transitions)
        records.set_meta(db, audit_id, "updated_at", at)
    return group_id


def group_transitions(db: sqlite_utils.Database, group_id: int, limit: int = -1) -> list[Transition]:
    return [
        Transition(op, path, loads(old), loads(new))
        for op, path, old, new in db.execute(
            "SELECT op, path, old, new FROM journal WHERE group_id = ? ORDER BY seq LIMIT ?", [group_id, limit]
        )
    ]


# A history line names at most a few places ("… and 4,998 more"); reading every
# transition of a 50,000-cell import to say so would stall opening the audit.
HISTORY_TRANSITIONS = 50


def undo_target(db: sqlite_utils.Database, audit_id: str) -> tuple[int, str] | None:
    row = db.execute(
        "SELECT id, label FROM change_groups WHERE audit_id = ? AND kind = 'edit' AND state = 'done' ORDER BY id DESC LIMIT 1",
        [audit_id],
    ).fetchone()
    return (row[0], row[1]) if row else None


def redo_target(db: sqlite_utils.Database, audit_id: str) -> tuple[int, str] | None:
    row = db.execute(
        "SELECT id, label FROM change_groups WHERE audit_id = ? AND kind = 'edit' AND state = 'undone' ORDER BY id ASC LIMIT 1",
        [audit_id],
    ).fetchone()
    return (row[0], row[1]) if row else None


def undo(db: sqlite_utils.Database, audit_id: str, at: str, who: str) -> tuple[int, list[Transition]] | None:
    target = undo_target(db, audit_id)
    if target is None:
        return None
    group_id, label = target
    back = [t.inverse() for t in reversed(group_transitions(db, group_id))]
    return _replay(db, audit_id, at, who, group_id, label, back, "undo")


def redo(db: sqlite_utils.Database, audit_id: str, at: str, who: str) -> tuple[int, list[Transition]] | None:
    target = redo_target(db, audit_id)
    if target is None:
        return None
    group_id, label = target
    return _replay(db, audit_id, at, who, group_id, label, group_transitions(db, group_id), "redo")


def _replay(db: sqlite_utils.Database, audit_id: str, at: str, who: str, group_id: int, label: str,
            transitions: list[Transition], kind: str) -> tuple[int, list[Transition]]:
    """Write an undo's inverse or a redo's transitions, flip the group's state and leave a trail entry: one transaction."""
    with write_transaction(db):
        for t in transitions:
            write(db, audit_id, t)
        db.execute("UPDATE change_groups SET state = ? WHERE id = ?", ["undone" if kind == "undo" else "done", group_id])
        trail = _group(db, audit_id, at, who, label, None, kind, group_id, "trail")
        _record(db, trail, audit_id, transitions)
        records.set_meta(db, audit_id, "updated_at", at)
    return group_id, transitions


def history(db: sqlite_utils.Database, audit_id: str, limit: int = 500) -> list[HistoryEntry]:
    """Newest first: every edit, undo and redo with its transitions."""
    groups = db.execute(
        "SELECT id, at, who, label, reason, kind, state FROM change_groups WHERE audit_id = ? ORDER BY id DESC LIMIT ?",
        [audit_id, limit],
    ).fetchall()
    out = []
    for g in groups:
        transitions = tuple(group_transitions(db, g[0], HISTORY_TRANSITIONS))
        total = len(transitions) if len(transitions) < HISTORY_TRANSITIONS else \
            db.execute("SELECT COUNT(*) FROM journal WHERE group_id = ?", [g[0]]).fetchone()[0]
        out.append(HistoryEntry(g[0], g[1], g[2], g[3], g[4], g[5], g[6], transitions, total))
    return out


def iter_journal(db: sqlite_utils.Database, audit_id: str) -> Iterator[dict[str, Any]]:
    """The whole journal in order, as plain records (for export)."""
    for row in db.execute(
        "SELECT j.seq, g.id, g.at, g.who, g.kind, g.label, g.reason, j.op, j.path, j.old, j.new "
        "FROM journal j JOIN change_groups g ON g.id = j.group_id WHERE j.audit_id = ? ORDER BY j.seq",
        [audit_id],
    ):
        yield {
            "seq": row[0], "group": row[1], "at": row[2], "who": row[3], "kind": row[4], "label": row[5],
            "reason": row[6], "op": row[7], "path": row[8], "old": loads(row[9]), "new": loads(row[10]),
        }
