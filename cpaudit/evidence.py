"""Evidence files: copied into the workspace and hashed the moment they are attached.

Content lives in ``<workspace file>.files/<sha256[:2]>/<sha256>``, stored once
however often it is attached, written to a temporary name and renamed so a
crash never leaves a half file under a real hash. The database only references
it (``attachments`` rows, journalled like any edit, so attaching is undoable).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from cpaudit.i18n import _
from cpaudit.store.errors import os_storage_error

MAX_BYTES = 50 * 1024 * 1024

# What a monitoring report, an invoice or a photo arrives as. Anything executable or
# scriptable (exe, js, html, docm …) is refused: the inspector will open these files.
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".bmp": "image/bmp",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".csv": "text/csv",
    ".txt": "text/plain",
}

# Magic numbers for the binary formats, so a renamed executable is not accepted as a PDF.
_MAGIC = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
    "image/bmp": (b"BM",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/ofd": (b"PK\x03\x04",),
    "application/vnd.ms-excel": (b"\xd0\xcf\x11\xe0",),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
}


class EvidenceRejected(Exception):
    def __init__(self, rule: str, message: str):
        self.rule, self.message = rule, message
        super().__init__(message)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    name: str
    size: int
    mime: str


def store_root(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + ".files")


def stored_path(workspace: Path, sha256: str) -> Path:
    return store_root(workspace) / sha256[:2] / sha256


def check_source(source: Path) -> str:
    """The MIME type of an acceptable file; raises ``EvidenceRejected`` naming the rule."""
    name = source.name
    if not source.is_file():
        raise EvidenceRejected("evidence.missing", _("{name}: the file cannot be read").format(name=name))
    mime = ALLOWED_TYPES.get(source.suffix.lower())
    if mime is None:
        allowed = ", ".join(sorted({s.lstrip(".") for s in ALLOWED_TYPES}))
        raise EvidenceRejected(
            "evidence.type", _("{name}: this type of file cannot be attached (allowed: {allowed})").format(name=name, allowed=allowed)
        )
    size = source.stat().st_size
    if size == 0:
        raise EvidenceRejected("evidence.empty", _("{name}: the file is empty").format(name=name))
    if size > MAX_BYTES:
        raise EvidenceRejected(
            "evidence.size", _("{name}: the file is larger than {limit} MB").format(name=name, limit=MAX_BYTES // (1024 * 1024))
        )
    magic = _MAGIC.get(mime)
    if magic:
        with source.open("rb") as fh:
            head = fh.read(8)
        if not head.startswith(magic):
            raise EvidenceRejected(
                "evidence.content", _("{name}: the content does not match its file type").format(name=name)
            )
    return mime


def store_file(workspace: Path, source: Path) -> StoredFile:
    """Copy ``source`` into the workspace's evidence store; returns what was stored."""
    mime = check_source(source)
    root = store_root(workspace)
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".incoming-")
    size = 0
    try:
        with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise EvidenceRejected("evidence.size", _("{name}: the file is larger than {limit} MB").format(
                        name=source.name, limit=MAX_BYTES // (1024 * 1024)))
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        target = stored_path(workspace, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, target)
            os.chmod(target, 0o444)  # evidence is never edited in place
    except BaseException as exc:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        refused = os_storage_error(exc) if isinstance(exc, OSError) else None
        if refused is not None:  # the workspace's disk, not the user's file
            raise refused from exc
        raise
    return StoredFile(sha, source.name, size, mime)


# What the evidence may take of a submission file: the verifier's cap on its unpacked content
# (bundle.format.MAX_TOTAL_BYTES, 512 MB) less room for the report and the data. Kept here, not
# in bundle, so the evidence dock can show it without loading the signing code at start-up.
SUBMISSION_LIMIT = 448 * 1024 * 1024


def evidence_total(attachments: Iterable[Any]) -> int:
    """Bytes of evidence a submission file carries: a file attached at several places is stored once."""
    return sum({a.sha256: a.size for a in attachments}.values())


def verify_stored(workspace: Path, sha256: str) -> bool:
    """True when the stored content still hashes to its name."""
    path = stored_path(workspace, sha256)
    if not path.is_file():
        return False
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest() == sha256


def copy_out(workspace: Path, sha256: str, target: Path) -> Path:
    shutil.copyfile(stored_path(workspace, sha256), target)
    return target
