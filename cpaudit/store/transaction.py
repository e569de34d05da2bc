"""One write transaction: BEGIN IMMEDIATE … COMMIT, or nothing at all.

Every edit, undo and redo, the creation and removal of an audit and every
review action go through it, so a full disk or a read-only file is said the
same way everywhere (``store.errors``).
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from cpaudit.store.errors import storage_error


class write_transaction:
    """BEGIN IMMEDIATE … COMMIT; the edit is acknowledged only after COMMIT returns.

    A refused write (disk full, read-only file …) leaves nothing behind and is
    raised as a ``StorageError``. SQLite may already have rolled the transaction
    back itself on such an error: a second ROLLBACK would hide the cause behind
    "no transaction is active".
    """

    def __init__(self, db: sqlite_utils.Database):
        self.conn = db.conn

    def __enter__(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            refused = storage_error(exc)
            if refused is None:
                raise
            raise refused from exc

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            try:
                self.conn.execute("COMMIT")
                return
            except sqlite3.Error as commit_failed:
                exc = commit_failed
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        refused = storage_error(exc) if isinstance(exc, sqlite3.Error) else None
        if refused is not None:
            raise refused from exc
        if exc_type is None:
            raise exc  # the COMMIT itself failed for another reason
