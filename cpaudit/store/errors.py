"""A write the computer refused, said in words a plant user can act on.

SQLite reports a full disk, a read-only file, a failing drive or a busy
workspace as bare error names, the operating system as error numbers. Each
becomes a ``StorageError`` whose message says that the change was not saved
and what to do; the technical name stays in ``detail`` for the support person.
"""

from __future__ import annotations

import errno
import sqlite3

from cpaudit.i18n import _


class StorageError(Exception):
    def __init__(self, rule: str, message: str, detail: str = ""):
        self.rule, self.message, self.detail = rule, message, detail
        super().__init__(message)


def _refused(rule: str, detail: str) -> StorageError:
    text = {
        "storage.full": _("The disk is full: the last change was not saved. Free some disk space, then enter it again."),
        "storage.read_only": _(
            "The workspace file cannot be written (read-only, or its drive was removed): the last change was not saved."),
        "storage.io": _("The drive could not be written: the last change was not saved. Check the drive, then enter it again."),
        "storage.busy": _("Another program is writing to the workspace: the last change was not saved. Try again in a moment."),
    }[rule]
    return StorageError(rule, text, detail)


def storage_error(exc: sqlite3.Error) -> StorageError | None:
    """The plain-language error for a write SQLite refused; None for anything else (a constraint, a bug)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    for prefixes, rule in ((("SQLITE_FULL",), "storage.full"),
                           (("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN"), "storage.read_only"),
                           (("SQLITE_IOERR",), "storage.io"),
                           (("SQLITE_BUSY", "SQLITE_LOCKED"), "storage.busy")):
        if name.startswith(prefixes):
            return _refused(rule, f"{name}: {exc}")
    return None


def os_storage_error(exc: OSError) -> StorageError | None:
    """The same for a file the operating system would not write; None for other OSErrors."""
    rule = {errno.ENOSPC: "storage.full", errno.EROFS: "storage.read_only",
            errno.EIO: "storage.io"}.get(exc.errno or 0)
    return _refused(rule, f"{errno.errorcode.get(exc.errno or 0, '')}: {exc}") if rule else None


def os_reason(exc: OSError, writing: bool = True) -> str:
    """Why the operating system refused a file, in words (its own text is English and names temporary files)."""
    code = exc.errno or 0
    if code == errno.ENOENT:
        return _("the folder does not exist") if writing else _("the file does not exist")
    reasons = {
        errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the drive is read-only"),
        errno.EEXIST: _("it already exists"),
        errno.ENAMETOOLONG: _("the name is too long"),
        errno.EIO: _("the drive could not be read or written"),
    }
    return reasons.get(code) or _("the operating system refused it ({code})").format(code=errno.errorcode.get(code, code))
