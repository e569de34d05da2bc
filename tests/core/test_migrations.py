"""Schema migrations: numbered, atomic, with a backup copy before migrating."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from cpaudit.domain.changes import SetField
from cpaudit.store.db import WorkspaceError, connect
from cpaudit.store.migrations import LATEST, MIGRATIONS, backup_path, migrate, version_of
from cpaudit.workspace import Workspace


def test_new_workspace_is_at_latest_version_with_wal(tmp_path: Path):
    db = connect(tmp_path / "w.db")
    assert version_of(db) == LATEST
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrating_an_older_file_backs_it_up_and_keeps_data(tmp_path: Path):
    path = tmp_path / "w.db"
    with Workspace(path) as ws:
        audit = ws.create_audit("Old")
        ws.session(audit.id).apply(SetField("enterprise", "name", "Kept"))

    def add_notes(db: sqlite_utils.Database) -> None:
        db.execute("ALTER TABLE audits ADD COLUMN notes TEXT")

    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    assert migrate(db, path, migrations=[*MIGRATIONS, add_notes]) == LATEST + 1
    assert backup_path(path, LATEST).exists()
    assert "notes" in db["audits"].columns_dict
    assert db.execute("SELECT value FROM field_values WHERE field = 'name'").fetchone()[0] == '"Kept"'
    backup = sqlite3.connect(backup_path(path, LATEST))
    assert backup.execute("PRAGMA user_version").fetchone()[0] == LATEST
    conn.close()


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path):
    path = tmp_path / "w.db"
    connect(path).conn.close()

    def broken(db: sqlite_utils.Database) -> None:
        db.execute("ALTER TABLE audits ADD COLUMN half TEXT")
        raise RuntimeError("power cut")

    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    with pytest.raises(RuntimeError):
        migrate(db, path, migrations=[*MIGRATIONS, broken])
    assert version_of(db) == LATEST
    assert "half" not in db["audits"].columns_dict


def test_newer_or_foreign_files_get_a_clear_message(tmp_path: Path):
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    with pytest.raises(WorkspaceError, match="newer"):
        connect(newer)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(WorkspaceError):
        connect(junk)


def test_every_earlier_schema_fixture_migrates_with_a_backup_and_keeps_data(tmp_path: Path):
    """Fixture files written by each earlier schema version (tests/core/data/migrations)."""
    import shutil

    fixtures = sorted((Path(__file__).parent / "data" / "migrations").glob("schema-v*.db"))
    assert fixtures, "a fixture per earlier schema version is expected"
    for fixture in fixtures:
        version = int(fixture.stem.split("-v")[1])
        path = tmp_path / fixture.name
        shutil.copy(fixture, path)
        with Workspace(path) as ws:
            assert version_of(ws.db) == LATEST
            doc = ws.document("a1")
            assert doc.get("enterprise", "name") == "太原示例"
            assert doc.rows("team", "members")[0]["name"] == "王"
            assert doc.justifications == {"k": "text"}
            session = ws.session("a1")
            assert session.undo_status().can_undo  # the old journal still drives undo
            session.undo()
            assert ws.document("a1").get("enterprise", "name") is None
        assert backup_path(path, version).exists()
    assert {int(f.stem.split("-v")[1]) for f in fixtures} == set(range(1, LATEST))
