"""Open a workspace: one SQLite file, WAL, foreign keys, migrated on open.

A workspace file is opened by one writer at a time; a second process gets a
clear ``WorkspaceBusy`` instead of racing (SQLite's own locking keeps the file
consistent either way; the lock file only makes the refusal explicit).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from cpaudit.store.migrations import SchemaTooNew, migrate


class WorkspaceError(Exception):
    """A workspace cannot be opened; ``message`` is translated."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def connect(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the workspace at ``path``."""
    from cpaudit.i18n import _

    path = Path(path)
    if path.is_dir():
        raise WorkspaceError(_("{path} is a folder, not a workspace file").format(path=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from cpaudit.store.errors import os_reason

        # mkdir says "exists" when a part of the path is a file
        reason = _("a part of the path is not a folder") if isinstance(exc, FileExistsError) else os_reason(exc)
        raise WorkspaceError(_("cannot open the workspace {path}: {reason}").format(path=path, reason=reason)) from None
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed edit survives power loss, not only a process kill.
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(_open_error(path, exc)) from None
    db = sqlite_utils.Database(conn)
    try:
        migrate(db, path)
    except SchemaTooNew as exc:
        conn.close()
        raise WorkspaceError(
            _("{path} was written by a newer cpaudit (schema {version}); update cpaudit to open it").format(path=path, version=exc.args[0])
        ) from None
    return db


def _open_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    """SQLite's reason for not opening ``path``, in words (its own text is English and technical)."""
    from cpaudit.i18n import _

    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_READONLY", "SQLITE_AUTH")):
        return _("cannot open the workspace {path}: the file or its folder cannot be read or written").format(path=path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return _("cannot open the workspace {path}: another program is using it; try again in a moment").format(path=path)
    return _("{path} is not a cpaudit workspace").format(path=path)


def integrity_ok(db: sqlite_utils.Database) -> bool:
    return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def file_size(path: Path) -> int:
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))
