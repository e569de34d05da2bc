"""Every evidence file of an audit in one ZIP, with an index a consultant can open in Excel.

The audit team hands its evidence on (to a consultant, to the plant archive)
without the workspace: one folder per step, the files under the names they
were attached with, and ``index.csv`` saying where each one is attached, its
size and SHA-256, and whether the stored copy is still the file that was
attached. Written to a ``.partial`` file first, so a cancelled or failed
export never leaves a half ZIP under the real name.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import zipfile
from pathlib import Path
from typing import Callable

from cpaudit import formatting
from cpaudit.domain.document import Attachment, AuditDocument
from cpaudit.evidence import stored_path
from cpaudit.history_view import place_label
from cpaudit.i18n import _, using_language
from cpaudit.workflow.schema import Workflow

INDEX = "index.csv"
_UNSAFE = str.maketrans({c: "_" for c in '\\/:*?"<>|'})  # names that Windows' Explorer can unpack


def export_evidence_zip(doc: AuditDocument, wf: Workflow, workspace: Path, out: Path, lang: str,
                        progress: Callable[..., None] | None = None) -> int:
    """Write the ZIP to ``out``; returns how many files it holds. ``progress(fraction)`` may raise to stop."""
    attachments = sorted(doc.attachments.values(), key=lambda a: (_step_number(wf, a.step), a.added_at, a.name))
    partial = out.with_name(out.name + ".partial")
    rows: list[list[str]] = []
    used: set[str] = set()
    try:
        with using_language(lang), zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, a in enumerate(attachments):
                if progress is not None:
                    progress(n / max(len(attachments), 1))
                name = _member_name(wf, a, used)
                intact = _copy_checked(stored_path(workspace, a.sha256), zf, _member(name, a), a.sha256)
                rows.append([name, place_label(wf, a.step, a.field, a.row_id, doc), str(a.size), a.sha256,
                             formatting.datetime(a.added_at, lang), _("yes") if intact else _("NO: missing or changed")])
            zf.writestr(INDEX, _index_csv(rows))
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(1.0)
    return len(attachments)


def _step_number(wf: Workflow, step: str) -> int:
    return wf.step(step).number if wf.has_step(step) else 999


def _member_name(wf: Workflow, a: Attachment, used: set[str]) -> str:
    """``NN step title/name``; a second file of the same name in the same step gets `` (2)``."""
    folder = f"{_step_number(wf, a.step):02d} {_(wf.step(a.step).title) if wf.has_step(a.step) else a.step}"
    stem, dot, suffix = a.name.translate(_UNSAFE).rpartition(".")
    stem, suffix = (stem, dot + suffix) if dot else (suffix, "")
    name, k = f"{folder.translate(_UNSAFE)}/{stem}{suffix}", 1
    while name in used:
        k += 1
        name = f"{folder.translate(_UNSAFE)}/{stem} ({k}){suffix}"
    used.add(name)
    return name


# Worth deflating; photos, PDFs and Office files are compressed already (deflating them again only costs time).
_DEFLATE = {"text/csv", "text/plain", "image/bmp", "image/tiff", "application/msword", "application/vnd.ms-excel"}


def _member(name: str, a: Attachment) -> zipfile.ZipInfo:
    """The entry, dated when the file was attached (what an unpacked folder then shows)."""
    try:
        when = max(formatting.local_moment(a.added_at).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    except (ValueError, TypeError):
        when = (1980, 1, 1, 0, 0, 0)
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED if a.mime in _DEFLATE else zipfile.ZIP_STORED
    return info


def _copy_checked(source: Path, zf: zipfile.ZipFile, member: zipfile.ZipInfo, sha256: str) -> bool:
    """Copy the stored file into the ZIP and say whether it still hashes to its name (a missing one is listed only)."""
    if not source.is_file():
        return False
    digest = hashlib.sha256()
    with source.open("rb") as src, zf.open(member, "w", force_zip64=True) as dst:
        while chunk := src.read(1024 * 1024):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest() == sha256


def _index_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([_("File"), _("Attached to"), _("Size (bytes)"), "SHA-256", _("Attached on"), _("Stored copy intact")])
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM: Excel and WPS then read the Chinese right
