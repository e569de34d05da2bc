"""Back up a workspace to one file and restore it; start the next audit round.

A backup is a zip holding a consistent copy of the SQLite file (made with
SQLite's online backup, so it is correct even while the app is open) and the
evidence store. Restoring never overwrites: it writes a new workspace file and
refuses a target that exists. Archive members are checked before extraction.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Callable

from cpaudit import __version__
from cpaudit.evidence import store_root
from cpaudit.i18n import _

BACKUP_FORMAT = "cpaudit.workspace-backup/1"
DB_MEMBER = "workspace.db"
MAX_MEMBERS = 200_000
MAX_TOTAL = 20 * 1024 ** 3

Progress = Callable[[float], None]


class BackupError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def backup_workspace(db_path: Path, target: Path, progress: Progress | None = None) -> Path:
    """Write ``target`` (.zip); the live workspace is not locked or changed."""
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / DB_MEMBER
        src = sqlite3.connect(str(db_path))
        dst = sqlite3.connect(str(snapshot))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        files = sorted(p for p in store_root(db_path).rglob("*") if p.is_file() and not p.name.startswith(".")) if store_root(db_path).is_dir() else []
        sent = _submitted_files(db_path)
        manifest = {"format": BACKUP_FORMAT, "app_version": __version__, "files": len(files), "submissions": len(sent)}
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("backup.json", json.dumps(manifest))
            zf.write(snapshot, DB_MEMBER)
            # The signed files kept as the record of what was sent: the revision chain and the answers
            # the bureau sends back hang on them. Without them a restored workspace signed its next
            # correction as revision 1 again, which the bureau files away as stale.
            for f in sent:
                zf.write(f, f"{SUBMISSIONS}/{f.relative_to(_sent_root(db_path)).as_posix()}", compress_type=zipfile.ZIP_STORED)
            for i, f in enumerate(files, start=1):
                zf.write(f, f"files/{f.parent.name}/{f.name}", compress_type=zipfile.ZIP_STORED)
                if progress:
                    progress(i / len(files))
        partial.replace(target)
    if progress:
        progress(1.0)
    return target


SUBMISSIONS = "submissions"
_SUBMITTED_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


def _sent_root(db_path: Path) -> Path:
    """The folder of kept submission files beside a workspace (bundle.export.submissions_dir's parent;
    imported late: the app starts without the signing stack)."""
    from cpaudit.bundle.export import submissions_dir

    return submissions_dir(db_path, "x").parent


def _submitted_files(db_path: Path) -> list[Path]:
    """Signed files kept beside the workspace: an enterprise's per audit (``<audit id>/<name>``), an
    inspector's as received (``<manifest hash>.cpaudit``)."""
    root = _sent_root(db_path)
    if not root.is_dir():
        return []
    return sorted(p for p in [*root.glob("*.cpaudit"), *root.glob("*/*.cpaudit")] if p.is_file())


def restore_workspace(archive: Path, target_db: Path, progress: Progress | None = None) -> Path:
    """Unpack a backup as the new workspace ``target_db``; refuses to overwrite."""
    if target_db.exists():
        raise BackupError(_("{path} already exists; choose a new file name").format(path=target_db))
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError):
        raise BackupError(_("{path} is not a cpaudit backup").format(path=archive)) from None
    with zf:
        infos = zf.infolist()
        _check_members(infos, archive)
        try:
            manifest = json.loads(zf.read("backup.json"))
        except (KeyError, ValueError):
            raise BackupError(_("{path} is not a cpaudit backup").format(path=archive)) from None
        if manifest.get("format") != BACKUP_FORMAT:
            raise BackupError(_("{path} is not a cpaudit backup").format(path=archive))
        target_db.parent.mkdir(parents=True, exist_ok=True)
        files = [i for i in infos if i.filename.startswith("files/")]
        root, sent_root = store_root(target_db), _sent_root(target_db)
        fresh_root, fresh_sent = not root.exists(), not sent_root.exists()
        try:
            for n, info in enumerate(files, start=1):
                _unpack_evidence(zf, info, root)
                if progress:
                    progress(n / max(1, len(files)))
            for info in (i for i in infos if i.filename.startswith(SUBMISSIONS + "/")):
                _unpack_submitted(zf, info, sent_root)
            with zf.open(DB_MEMBER) as src, target_db.open("xb") as dst:
                while chunk := src.read(1024 * 1024):
                    dst.write(chunk)
        except BaseException:  # cancelled or failed: no half-restored workspace or evidence folder is left
            target_db.unlink(missing_ok=True)
            if fresh_root:
                shutil.rmtree(root, ignore_errors=True)
            if fresh_sent:
                shutil.rmtree(sent_root, ignore_errors=True)
            raise
    conn = sqlite3.connect(str(target_db))
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    if not ok:
        target_db.unlink()
        raise BackupError(_("the workspace in {path} is damaged").format(path=archive))
    return target_db


def _check_members(infos: list[zipfile.ZipInfo], archive: Path) -> None:
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_TOTAL:
        raise BackupError(_("{path} is too large to be a cpaudit backup").format(path=archive))
    names = set()
    for info in infos:
        name = PurePosixPath(info.filename)
        if info.filename in names or name.is_absolute() or ".." in name.parts or "\\" in info.filename:
            raise BackupError(_("{path} contains an unsafe entry: {name}").format(path=archive, name=info.filename[:80]))
        names.add(info.filename)
        if info.filename.startswith("files/") and (len(name.parts) != 3 or len(name.parts[2]) != 64):
            raise BackupError(_("{path} contains an unsafe entry: {name}").format(path=archive, name=info.filename[:80]))
        if info.filename.startswith(SUBMISSIONS + "/") and not (
                len(name.parts) in (2, 3) and name.suffix == ".cpaudit" and all(_SUBMITTED_NAME.fullmatch(p) for p in name.parts[1:])):
            raise BackupError(_("{path} contains an unsafe entry: {name}").format(path=archive, name=info.filename[:80]))
    if DB_MEMBER not in names:
        raise BackupError(_("{path} is not a cpaudit backup").format(path=archive))


def _unpack_submitted(zf: zipfile.ZipFile, info: zipfile.ZipInfo, root: Path) -> None:
    """A kept submission file, read-only as export (or import) leaves it; one already there is not replaced."""
    target = root.joinpath(*PurePosixPath(info.filename).parts[1:])
    name = target.name
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name("." + name + ".part")
    with zf.open(info) as src, tmp.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
    tmp.replace(target)
    target.chmod(0o444)


def _unpack_evidence(zf: zipfile.ZipFile, info: zipfile.ZipInfo, root: Path) -> None:
    """Evidence is content-addressed: its name must be its hash, or it is refused."""
    sha = PurePosixPath(info.filename).name
    target = root / sha[:2] / sha
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    tmp = target.with_name("." + sha + ".part")
    with zf.open(info) as src, tmp.open("wb") as dst:
        while chunk := src.read(1024 * 1024):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != sha:
        tmp.unlink()
        raise BackupError(_("evidence file {name} does not match its hash").format(name=sha[:12]))
    tmp.replace(target)
    target.chmod(0o444)
