"""Row-level reads and writes of audit data; no transactions, no journal.

``store.journal`` wraps these in transactions and records every write; nothing
outside the store touches SQL.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from cpaudit.domain.document import ROW_ID, Attachment, AuditDocument, AuditMeta


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


_META_COLUMNS = ("id", "title", "workflow_id", "workflow_version", "workflow_hash", "created_at",
                 "updated_at", "round", "status", "kind", "previous_audit")


def insert_audit(db: sqlite_utils.Database, meta: AuditMeta) -> None:
    db["audits"].insert({c: getattr(meta, c) for c in _META_COLUMNS})


def audit_meta(db: sqlite_utils.Database, audit_id: str) -> AuditMeta | None:
    row = db.execute(f"SELECT {', '.join(_META_COLUMNS)} FROM audits WHERE id = ?", [audit_id]).fetchone()
    return AuditMeta(*row) if row else None


def list_audits(db: sqlite_utils.Database) -> list[AuditMeta]:
    rows = db.execute(f"SELECT {', '.join(_META_COLUMNS)} FROM audits ORDER BY updated_at DESC, id").fetchall()
    return [AuditMeta(*r) for r in rows]


def set_meta(db: sqlite_utils.Database, audit_id: str, key: str, value: Any) -> None:
    if key not in ("title", "status", "updated_at", "round"):
        raise KeyError(key)
    db.execute(f"UPDATE audits SET {key} = ? WHERE id = ?", [value, audit_id])


def load_document(db: sqlite_utils.Database, audit_id: str) -> AuditDocument:
    meta = audit_meta(db, audit_id)
    if meta is None:
        raise KeyError(audit_id)
    values: dict[str, dict[str, Any]] = {}
    for step, field, value in db.execute(
        "SELECT step, field, value FROM field_values WHERE audit_id = ?", [audit_id]
    ):
        values.setdefault(step, {})[field] = loads(value)
    for step, field, row_id, data in db.execute(
        "SELECT step, field, row_id, data FROM table_rows WHERE audit_id = ? ORDER BY step, field, position",
        [audit_id],
    ):
        row = loads(data)
        row[ROW_ID] = row_id
        values.setdefault(step, {}).setdefault(field, []).append(row)
    justifications = dict(db.execute("SELECT key, text FROM justifications WHERE audit_id = ?", [audit_id]).fetchall())
    attachments = {a.id: a for a in list_attachments(db, audit_id)}
    return AuditDocument(meta, values, justifications, attachments)


_ATTACHMENT_COLUMNS = "id, step, field, row_id, sha256, name, size, mime, added_at"


def list_attachments(db: sqlite_utils.Database, audit_id: str) -> list[Attachment]:
    rows = db.execute(f"SELECT {_ATTACHMENT_COLUMNS} FROM attachments WHERE audit_id = ? ORDER BY added_at, id", [audit_id])
    return [Attachment(*r) for r in rows]


def put_attachment(db: sqlite_utils.Database, audit_id: str, attachment_id: str, record: dict[str, Any] | None) -> None:
    """Insert (record given) or remove (None) one attachment reference."""
    db.execute("DELETE FROM attachments WHERE audit_id = ? AND id = ?", [audit_id, attachment_id])
    if record is not None:
        a = Attachment.from_json(dict(record, id=attachment_id))
        db.execute(
            f"INSERT INTO attachments (audit_id, {_ATTACHMENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [audit_id, a.id, a.step, a.field, a.row_id, a.sha256, a.name, a.size, a.mime, a.added_at],
        )


def get_field(db: sqlite_utils.Database, audit_id: str, step: str, field: str) -> Any:
    row = db.execute(
        "SELECT value FROM field_values WHERE audit_id = ? AND step = ? AND field = ?", [audit_id, step, field]
    ).fetchone()
    return loads(row[0]) if row else None


def put_field(db: sqlite_utils.Database, audit_id: str, step: str, field: str, value: Any) -> None:
    if value is None:
        db.execute("DELETE FROM field_values WHERE audit_id = ? AND step = ? AND field = ?", [audit_id, step, field])
    else:
        db.execute(
            "INSERT INTO field_values (audit_id, step, field, value) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (audit_id, step, field) DO UPDATE SET value = excluded.value",
            [audit_id, step, field, dumps(value)],
        )


def get_row(db: sqlite_utils.Database, audit_id: str, row_id: str) -> tuple[str, str, int, dict[str, Any]] | None:
    row = db.execute(
        "SELECT step, field, position, data FROM table_rows WHERE audit_id = ? AND row_id = ?", [audit_id, row_id]
    ).fetchone()
    return (row[0], row[1], row[2], loads(row[3])) if row else None


def put_row_data(db: sqlite_utils.Database, audit_id: str, row_id: str, data: dict[str, Any]) -> None:
    db.execute("UPDATE table_rows SET data = ? WHERE audit_id = ? AND row_id = ?", [dumps(data), audit_id, row_id])


def row_count(db: sqlite_utils.Database, audit_id: str, step: str, field: str) -> int:
    return db.execute(
        "SELECT count(*) FROM table_rows WHERE audit_id = ? AND step = ? AND field = ?", [audit_id, step, field]
    ).fetchone()[0]


def insert_row(db: sqlite_utils.Database, audit_id: str, step: str, field: str, row_id: str, position: int, data: dict[str, Any]) -> None:
    db.execute(
        "UPDATE table_rows SET position = position + 1 WHERE audit_id = ? AND step = ? AND field = ? AND position >= ?",
        [audit_id, step, field, position],
    )
    db.execute(
        "INSERT INTO table_rows (audit_id, step, field, row_id, position, data) VALUES (?, ?, ?, ?, ?, ?)",
        [audit_id, step, field, row_id, position, dumps(data)],
    )


def delete_row(db: sqlite_utils.Database, audit_id: str, row_id: str) -> None:
    found = get_row(db, audit_id, row_id)
    if found is None:
        return
    step, field, position, _data = found
    db.execute("DELETE FROM table_rows WHERE audit_id = ? AND row_id = ?", [audit_id, row_id])
    db.execute(
        "UPDATE table_rows SET position = position - 1 WHERE audit_id = ? AND step = ? AND field = ? AND position > ?",
        [audit_id, step, field, position],
    )


def get_justification(db: sqlite_utils.Database, audit_id: str, key: str) -> str | None:
    row = db.execute("SELECT text FROM justifications WHERE audit_id = ? AND key = ?", [audit_id, key]).fetchone()
    return row[0] if row else None


def put_justification(db: sqlite_utils.Database, audit_id: str, key: str, text: str | None) -> None:
    if not text:
        db.execute("DELETE FROM justifications WHERE audit_id = ? AND key = ?", [audit_id, key])
    else:
        db.execute(
            "INSERT INTO justifications (audit_id, key, text) VALUES (?, ?, ?) "
            "ON CONFLICT (audit_id, key) DO UPDATE SET text = excluded.text",
            [audit_id, key, text],
        )


def reorder_rows(db: sqlite_utils.Database, audit_id: str, order: list[str]) -> None:
    db.conn.executemany(
        "UPDATE table_rows SET position = ? WHERE audit_id = ? AND row_id = ?",
        [(position, audit_id, row_id) for position, row_id in enumerate(order)],
    )
