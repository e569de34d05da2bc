"""A write the database refused, said in words a plant user can act on.

SQLite reports a full disk, a read-only file, a failing drive or a busy
workspace as bare error names. Each becomes a ``StorageError`` whose message
says that the change was not saved and what to do; the technical name stays
in ``detail`` for the support person.
"""

from __future__ import annotations

import sqlite3

from cpaudit.i18n import _


class StorageError(Exception):
    def __init__(self, rule: str, message: str, detail: str = ""):
        self.rule, self.message, self.detail = rule, message, detail
        super().__init__(message)


def storage_error(exc: sqlite3.Error) -> StorageError | None:
    """The plain-language error for a refused write; None for anything else (a constraint, a bug)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL":
        rule, text = "storage.full", _("The disk is full: the last change was not saved. Free some disk space, then enter it again.")
    elif name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN")):
        rule, text = "storage.read_only", _(
            "The workspace file cannot be written (read-only, or its drive was removed): the last change was not saved.")
    elif name.startswith("SQLITE_IOERR"):
        rule, text = "storage.io", _(
            "The drive could not be written: the last change was not saved. Check the drive, then enter it again.")
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        rule, text = "storage.busy", _(
            "Another program is writing to the workspace: the last change was not saved. Try again in a moment.")
    else:
        return None
    return StorageError(rule, text, f"{name or type(exc).__name__}: {exc}")
