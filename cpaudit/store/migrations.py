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


def _v3(db: sqlite_utils.Database) -> None:
    """Inspector mode (issue 7): received submissions, trust registry, reviews, answer files.

    Received submissions are immutable snapshots apart from the audit tables;
    the large texts live in ``submission_content`` so that the dashboard's
    scans over ``submissions`` never wade through overflow pages. Figures the
    dashboard sums are kept in typed columns, decimals as integer millionths
    (exact sums in SQL, no float drift against hand-summed values).
    """
    _statements(
        db,
        """
        CREATE TABLE submissions (
            submission_id TEXT PRIMARY KEY,
            manifest_sha256 TEXT NOT NULL UNIQUE,
            uscc TEXT NOT NULL,
            enterprise_name TEXT NOT NULL,
            audit_id TEXT NOT NULL,
            round INTEGER NOT NULL,
            stage TEXT NOT NULL,
            revision INTEGER NOT NULL,
            supersedes_id TEXT,
            supersedes_sha256 TEXT,
            predecessor TEXT,        -- submission_id of the held revision this one supersedes
            created_at TEXT NOT NULL, -- enterprise clock, self-asserted
            received_at TEXT NOT NULL,
            key_id TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            trust_state TEXT NOT NULL,
            trust_via TEXT NOT NULL,
            demo INTEGER NOT NULL DEFAULT 0,
            file_name TEXT NOT NULL,
            stored_file TEXT NOT NULL,
            file_size INTEGER NOT NULL,
            chain_state TEXT NOT NULL DEFAULT 'current',  -- current | superseded | stale
            status TEXT NOT NULL DEFAULT 'received',      -- received | in_review | returned | passed | failed
            year INTEGER,
            district TEXT,
            sector_code TEXT,
            sector_name TEXT,
            indicator_system TEXT,
            level TEXT,
            options_no_low INTEGER NOT NULL DEFAULT 0,
            options_medium_high INTEGER NOT NULL DEFAULT 0,
            options_active INTEGER NOT NULL DEFAULT 0,
            options_implemented INTEGER NOT NULL DEFAULT 0,
            invest_no_low INTEGER NOT NULL DEFAULT 0,
            invest_medium_high INTEGER NOT NULL DEFAULT 0,
            economic_benefit INTEGER NOT NULL DEFAULT 0,
            energy_tce INTEGER NOT NULL DEFAULT 0,
            water INTEGER NOT NULL DEFAULT 0,
            cod INTEGER NOT NULL DEFAULT 0,
            nh3n INTEGER NOT NULL DEFAULT 0,
            so2 INTEGER NOT NULL DEFAULT 0,
            nox INTEGER NOT NULL DEFAULT 0,
            particulate INTEGER NOT NULL DEFAULT 0,
            vocs INTEGER NOT NULL DEFAULT 0,
            hazardous_waste INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX submissions_chain ON submissions (uscc, round, stage, revision);
        CREATE INDEX submissions_dashboard ON submissions (chain_state, year, district, sector_code, stage, status);
        CREATE TABLE submission_content (
            submission_id TEXT PRIMARY KEY REFERENCES submissions(submission_id) ON DELETE CASCADE,
            manifest TEXT NOT NULL,
            audit_json TEXT NOT NULL,
            figures_json TEXT NOT NULL,
            verification TEXT NOT NULL
        );
        CREATE TABLE trust_keys (
            key_id TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            uscc TEXT NOT NULL,
            name TEXT NOT NULL,
            signer TEXT NOT NULL,
            state TEXT NOT NULL,      -- pending | trusted | revoked
            registered_at TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            request TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE bureau_roots (
            key_id TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            name TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE TABLE reviews (
            submission_id TEXT PRIMARY KEY REFERENCES submissions(submission_id),
            sheet_id TEXT NOT NULL,
            sheet_version TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            decision TEXT,            -- pass | fail | returned
            decided_at TEXT
        );
        CREATE TABLE review_scores (
            submission_id TEXT NOT NULL REFERENCES reviews(submission_id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            points TEXT,              -- decimal text; NULL for veto items
            veto INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (submission_id, item_id)
        );
        CREATE TABLE review_comments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_id TEXT NOT NULL REFERENCES reviews(submission_id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            field TEXT NOT NULL DEFAULT '',
            row_id TEXT NOT NULL DEFAULT '',
            column_id TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX review_comments_submission ON review_comments (submission_id, step, field);
        CREATE TABLE answers_issued (
            answer_id TEXT PRIMARY KEY,
            submission_id TEXT NOT NULL REFERENCES submissions(submission_id),
            manifest_sha256 TEXT NOT NULL,
            decision TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            bureau_key_id TEXT NOT NULL,
            file_bytes BLOB NOT NULL
        );
        CREATE TABLE answers_received (
            answer_id TEXT PRIMARY KEY,
            audit_id TEXT NOT NULL,
            manifest_sha256 TEXT NOT NULL,
            received_at TEXT NOT NULL,
            decision TEXT NOT NULL,
            bureau_key_id TEXT NOT NULL,
            bureau_name TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            file_bytes BLOB NOT NULL
        );
        CREATE INDEX answers_received_audit ON answers_received (audit_id, received_at)
        """,
    )
    # Triggers hold ';' inside BEGIN…END, which _statements would split.
    db.execute(
        "CREATE TRIGGER submission_content_immutable BEFORE UPDATE ON submission_content "
        "BEGIN SELECT RAISE(ABORT, 'imported submissions are immutable'); END"
    )
    immutable = ("submission_id", "manifest_sha256", "uscc", "audit_id", "round", "stage", "revision",
                 "supersedes_id", "supersedes_sha256", "created_at", "received_at", "key_id", "stored_file")
    db.execute(
        f"CREATE TRIGGER submissions_immutable BEFORE UPDATE OF {', '.join(immutable)} ON submissions "
        "BEGIN SELECT RAISE(ABORT, 'imported submissions are immutable'); END"
    )


MIGRATIONS: list[Migration] = [_v1, _v2, _v3]
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
