"""Numbered schema migrations, with a backup copy of the file before any runs.

``PRAGMA user_version`` holds the schema version. Each migration is a plain
function over raw tables *as of its own version*: it never imports the current
domain classes, so old migrations stay correct when the model changes.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def _statements(db: sqlite_utils.Database, script: str) -> None:
    """Run each statement inside the caller's transaction (executescript would commit)."""
    code = "\n".join(line.split("--")[0] for line in script.splitlines())
    for statement in code.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1(db: sqlite_utils.Database) -> None:
    _statements(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE audits (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            workflow_id TEXT NOT NULL,
            workflow_version TEXT NOT NULL,
            workflow_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            round INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'active',
            kind TEXT NOT NULL DEFAULT 'enterprise',
            previous_audit TEXT REFERENCES audits(id)
        );
        CREATE TABLE field_values (
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (audit_id, step, field)
        );
        CREATE TABLE table_rows (
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            field TEXT NOT NULL,
            row_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (audit_id, row_id)
        );
        CREATE INDEX table_rows_order ON table_rows (audit_id, step, field, position);
        CREATE TABLE justifications (
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (audit_id, key)
        );
        CREATE TABLE change_groups (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            label TEXT NOT NULL,
            reason TEXT,
            kind TEXT NOT NULL,      -- edit | undo | redo
            target INTEGER,          -- for undo/redo: the edit group acted on
            state TEXT NOT NULL      -- edit: done | undone | dropped; undo/redo: trail
        );
        CREATE INDEX change_groups_audit ON change_groups (audit_id, kind, state, id);
        CREATE TABLE journal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            group_id INTEGER NOT NULL REFERENCES change_groups(id) ON DELETE CASCADE,
            audit_id TEXT NOT NULL,
            op TEXT NOT NULL,        -- set | cell | insert | delete | move | justify | meta
            path TEXT NOT NULL,
            old TEXT,
            new TEXT
        );
        CREATE INDEX journal_group ON journal (group_id, seq);
        """
    )


def _v2(db: sqlite_utils.Database) -> None:
    """Evidence files attached to a field or a table row (content in ``<workspace>.files/``)."""
    _statements(
        db,
        """
        CREATE TABLE attachments (
            id TEXT PRIMARY KEY,
            audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            field TEXT NOT NULL,
            row_id TEXT,
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            mime TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX attachments_owner ON attachments (audit_id, step, field, row_id)
        """,
    )


MIGRATIONS: list[Migration] = [_v1, _v2]
LATEST = len(MIGRATIONS)


class SchemaTooNew(Exception):
    pass


def version_of(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.v{version}.bak")


def migrate(db: sqlite_utils.Database, path: Path | None = None, upto: int | None = None,
            migrations: list[Migration] | None = None) -> int:
    """Bring ``db`` to schema ``upto``; copies the file first when it holds data."""
    migrations = MIGRATIONS if migrations is None else migrations
    upto = len(migrations) if upto is None else upto
    current = version_of(db)
    if current > len(migrations):
        raise SchemaTooNew(current)
    if current >= upto:
        return current
    if current > 0 and path is not None:
        _backup(db, path, current)
    for version in range(current + 1, upto + 1):
        # One transaction per migration, version bump included: a crash leaves
        # the file at the previous version, never half-migrated.
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            migrations[version - 1](db)
            db.conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    return upto


def _backup(db: sqlite_utils.Database, path: Path, version: int) -> None:
    """SQLite's online backup gives a consistent copy even with a WAL file."""
    target = backup_path(path, version)
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    shutil.copymode(path, target)
