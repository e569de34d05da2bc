"""One writer per workspace: an OS file lock next to the SQLite file.

SQLite alone would keep the file consistent with two writers, but each app
keeps the open audit in memory; a second window editing the same workspace
would silently work on stale data. So the second one is told plainly who has
it open instead. The OS drops the lock when the process dies (even SIGKILL),
so a crash never leaves a workspace locked.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import IO

if os.name == "nt":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class WorkspaceBusy(Exception):
    def __init__(self, message: str, holder: dict[str, object]):
        self.message, self.holder = message, holder
        super().__init__(message)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class WorkspaceLock:
    def __init__(self, db_path: Path):
        self.path = lock_path(db_path)
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        if not _try_lock(fh):
            fh.seek(0)
            try:
                holder = json.loads(fh.read() or "{}")
            except ValueError:
                holder = {}
            fh.close()
            from cpaudit.i18n import _

            raise WorkspaceBusy(
                _("this workspace is already open in another cpaudit window (process {pid} on {host}); close it there first").format(
                    pid=holder.get("pid", "?"), host=holder.get("host", "?")),
                holder,
            )
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None
