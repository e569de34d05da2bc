"""Importing submission files into the inspector's workspace.

Per file: copy it beside the workspace under a temporary name, verify that
copy with ``bundle.verify`` (so what is stored is exactly what was verified),
check the revision chain against what the workspace holds (``bundle.revisions``),
then, in one transaction, store the snapshot and rename the copy into place.
A file that fails any check leaves nothing behind: no row, no copy.
"""

from __future__ import annotations

import json
import os
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from cpaudit.bundle import format as fmt
from cpaudit.bundle.manifest import ManifestInvalid, parse_manifest
from cpaudit.bundle.revisions import Ledger, Received
from cpaudit.bundle.safezip import Rejected, SafeArchive
from cpaudit.bundle.trust import TRUSTED, KeyEntry, Trust
from cpaudit.bundle.verify import VerifyResult, verify_file
from cpaudit.clock import iso
from cpaudit.formatting import stage_label
from cpaudit.i18n import _, ngettext
from cpaudit.review.columns import dashboard_columns
from cpaudit.review.inspector import is_training, received_dir, require_inspector
from cpaudit.review.registry import trust_of
from cpaudit.store.errors import os_storage_error
from cpaudit.store.transaction import write_transaction
from cpaudit.workspace import Workspace

IMPORTED, ALREADY, STALE, REJECTED = "imported", "already", "stale", "rejected"
SUFFIX = ".cpaudit"
_CHUNK = 1024 * 1024


@dataclass
class ImportOutcome:
    """What happened to one file. ``status``: imported | already | stale (stored, flagged) | rejected."""

    path: Path
    status: str
    code: str | None = None
    message: str = ""
    submission_id: str | None = None
    manifest_sha256: str | None = None
    predecessor: str | None = None
    warnings: list[str] = field(default_factory=list)
    verification: VerifyResult | None = None

    @property
    def ok(self) -> bool:
        return self.status != REJECTED

    def status_label(self, in_line: bool = False) -> str:
        """"Imported" in the inspector's list; "imported" where it starts the CLI's lower-case line.
        Capitalised here, not by its own msgid: "Rejected" already names a rejected option (已否决)."""
        text = {IMPORTED: _("imported"), ALREADY: _("already imported"), STALE: _("imported, stale revision"),
                REJECTED: _("rejected")}[self.status]
        return text if in_line else text[:1].upper() + text[1:]

    def line(self) -> str:
        """One line per file of ``cpaudit import``."""
        parts = [self.message] if self.message else []
        m = self.verification.manifest if self.verification is not None else None
        if self.status != REJECTED and m is not None and self.submission_id:
            # The id `review answer` asks for (its first 8 characters suffice), and which link of the chain this is.
            parts.insert(0, _("submission {id}: {name}, round {round}, {stage}, revision {revision}").format(
                id=self.submission_id[:8], name=m.enterprise_name, round=m.round, stage=stage_label(m.stage, in_sentence=True),
                revision=m.revision))
        detail = _("; ").join(parts + self.warnings)
        return f"{self.status_label(in_line=True)}\t{self.path}" + (f"\t{detail}" if detail else "")

    def as_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "status": self.status, "code": self.code, "message": self.message,
                "submission_id": self.submission_id, "manifest_sha256": self.manifest_sha256,
                "predecessor": self.predecessor, "warnings": self.warnings}


Progress = Callable[[int, int, ImportOutcome], None]


def collect_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given; folders contribute their ``*.cpaudit`` files (not recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(q for q in p.iterdir() if q.suffix.lower() == SUFFIX and q.is_file()) if p.is_dir() else [p])
    return out


def _chain_order(path: Path) -> tuple[Any, ...]:
    """Sort key only (nothing is believed yet): earlier revisions of a chain first, unreadable files last."""
    try:
        with SafeArchive(path) as archive:
            m = parse_manifest(archive.read(fmt.E_MANIFEST, fmt.MAX_MANIFEST_BYTES))
        return (0, m.uscc, m.round, m.stage, m.revision, str(path))
    except (Rejected, ManifestInvalid, KeyError, OSError):
        return (1, "", 0, "", 0, str(path))


def import_iter(ws: Workspace, paths: Iterable[Path | str], *, trust: Trust | None = None,
                workflows: Any = None) -> Iterator[tuple[int, int, ImportOutcome]]:
    """Import files and folders one by one, yielding ``(done, total, outcome)`` after each (for a progress bar)."""
    require_inspector(ws)
    files = sorted(collect_files(paths), key=_chain_order)
    for number, path in enumerate(files, start=1):
        yield number, len(files), import_file(ws, path, trust=trust, workflows=workflows)


def import_paths(ws: Workspace, paths: Iterable[Path | str], *, trust: Trust | None = None,
                 progress: Progress | None = None, workflows: Any = None) -> list[ImportOutcome]:
    out = []
    for done, total, outcome in import_iter(ws, paths, trust=trust, workflows=workflows):
        out.append(outcome)
        if progress:
            progress(done, total, outcome)
    return out


def _rejected(path: Path, code: str, message: str, result: VerifyResult | None = None) -> ImportOutcome:
    m = result.manifest if result else None
    return ImportOutcome(path, REJECTED, code, message, m.submission_id if m else None,
                         m.manifest_sha256 if m else None, verification=result)


def _copy(src: Path, dest: Path) -> None:
    """Copy with the format's size cap, so a huge file is refused before it fills the disk."""
    written = 0
    with open(src, "rb") as fin, open(dest, "xb") as fout:
        while chunk := fin.read(_CHUNK):
            written += len(chunk)
            if written > fmt.MAX_FILE_BYTES:
                raise Rejected("file_too_large")
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())


def import_file(ws: Workspace, path: Path | str, *, trust: Trust | None = None, workflows: Any = None) -> ImportOutcome:
    """Verify and store one submission file; see the module docstring."""
    require_inspector(ws)
    path = Path(path)
    folder = received_dir(ws)
    folder.mkdir(parents=True, exist_ok=True)
    incoming = folder / f".incoming-{uuid.uuid4().hex}.tmp"
    try:
        try:
            if not path.is_file():
                raise Rejected("file_unreadable")
            _copy(path, incoming)
        except Rejected as exc:
            return _rejected(path, exc.code, _reason(exc.code))
        except OSError as exc:
            refused = os_storage_error(exc)  # our copy could not be written: the file itself is fine
            if refused is not None:
                raise refused from exc
            return _rejected(path, "file_unreadable", _reason("file_unreadable"))
        return _import_verified_copy(ws, path, incoming, trust, workflows)
    finally:
        incoming.unlink(missing_ok=True)


def summary_text(outcomes: list[Any]) -> str:
    """"1 imported, 1 already imported, 0 stale revisions, 2 rejected" (the panel and the CLI)."""
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in (IMPORTED, ALREADY, STALE, REJECTED)}
    stale = ngettext("{n} stale revision", "{n} stale revisions", counts[STALE]).format(n=counts[STALE])
    return _("{imported} imported, {already} already imported, {stale}, {rejected} rejected").format(
        imported=counts[IMPORTED], already=counts[ALREADY], stale=stale, rejected=counts[REJECTED])


def _reason(code: str) -> str:
    from cpaudit.bundle.reasons import reason_text

    return reason_text(code)


def _is_demo_key(public_key: bytes) -> bool:
    try:  # the sandbox's public demo key (bundle.demo_key); absent in builds without the sandbox
        from cpaudit.bundle.demo_key import is_demo_key
    except ImportError:
        return False
    return is_demo_key(public_key)


def _verify(ws: Workspace, incoming: Path, trust: Trust | None, workflows: Any) -> tuple[VerifyResult, str]:
    """Verify; returns the result and how an otherwise unknown signer was let in ("", "demo", "tofu").

    A training workspace accepts the public demo key and, on first sight, an
    unknown signer (TOFU); both are flagged. Production refuses demo files first,
    whatever else is wrong with them, so the inspector reads the real reason.
    """
    trust_all = trust_of(ws, trust)
    trust_all.accept_demo = is_training(ws)  # production: the verifier reports demo_refused first
    result = verify_file(incoming, trust_all, workflows=workflows)
    m = result.manifest
    if m is None or not result.signature_ok:
        return result, ""
    demo_key = _is_demo_key(m.public_key)
    fatal = {f.code for f in result.findings if f.fatal}
    if fatal == {"signer_unknown"} and is_training(ws):
        how = "demo" if demo_key else "tofu"
        tofu = Trust().merge(trust_all)
        tofu.add_key(KeyEntry(m.key_id, TRUSTED, m.public_key, m.uscc, m.signer_name, how))
        return verify_file(incoming, tofu, workflows=workflows), how
    return result, ""


def _read_content(incoming: Path) -> tuple[bytes, bytes]:
    with SafeArchive(incoming) as archive:
        return archive.read(fmt.E_AUDIT, fmt.MAX_JSON_ENTRY_BYTES), archive.read(fmt.E_FIGURES, fmt.MAX_JSON_ENTRY_BYTES)


def _is_demo(m: fmt.ManifestInfo, audit: dict[str, Any]) -> bool:
    """A sample or sandbox audit (audit kind ``demo``), or a manifest that says so."""
    return (audit.get("audit") or {}).get("kind") == "demo" or m.raw.get("demo") is True or (m.raw.get("audit") or {}).get("kind") == "demo"


def ledger_of(ws: Workspace) -> Ledger:
    """Everything received so far, as the revision checker's ledger."""
    return Ledger([Received(*row) for row in ws.db.execute(
        "SELECT uscc, round, stage, revision, submission_id, manifest_sha256 FROM submissions")])


def _import_verified_copy(ws: Workspace, path: Path, incoming: Path, trust: Trust | None, workflows: Any) -> ImportOutcome:
    result, tofu = _verify(ws, incoming, trust, workflows)
    result.path = path
    m = result.manifest
    if not result.valid or m is None:
        reason = result.reason
        message = reason.message if reason else ""
        return _rejected(path, reason.code if reason else "?", message, result)
    if ws.db.execute("SELECT 1 FROM submissions WHERE manifest_sha256 = ?", [m.manifest_sha256]).fetchone():
        return ImportOutcome(path, ALREADY, "revision_replayed", "", m.submission_id, m.manifest_sha256, verification=result)
    audit_raw, figures_raw = _read_content(incoming)
    audit, figures = fmt.loads_strict(audit_raw), fmt.loads_strict(figures_raw)
    demo = _is_demo(m, audit) or tofu == "demo"
    if demo and not is_training(ws):
        return _rejected(path, "demo_refused", _reason("demo_refused"), result)
    warnings = [f.message for f in result.findings if not f.fatal]
    if tofu == "demo":
        warnings.append(_("signed with the public demo key (training workspace only)"))
    elif tofu:
        warnings.append(_("signer accepted on first sight (training workspace only); fingerprint {fp}").format(
            fp=fmt.fingerprint_of(m.public_key)))
    final = received_dir(ws) / f"{m.manifest_sha256}{SUFFIX}"
    created = False
    try:
        with write_transaction(ws.db):  # the chain check and the insert see the same state
            probe = VerifyResult(path, manifest=m, signature_ok=True)
            ledger_of(ws).check(probe)
            codes = {f.code for f in probe.findings}
            if "revision_replayed" in codes:  # nothing written: the empty transaction ends
                return ImportOutcome(path, ALREADY, "revision_replayed", "", m.submission_id, m.manifest_sha256,
                                     verification=result)
            fatal = next((f for f in probe.findings if f.fatal and f.code != "revision_stale"), None)
            if fatal is not None:  # submission_conflict, supersedes_mismatch: another content under a known identity
                return _rejected(path, fatal.code, fatal.message, result)
            stale = "revision_stale" in codes
            warnings += [f.message for f in probe.findings if not f.fatal]
            if m.stage == "acceptance" and not _assessment_passed(ws, m):
                warnings.append(_("the assessment (评估) of this audit round has not been passed here: review it before "
                                  "the acceptance"))
            if not final.exists():
                os.replace(incoming, final)
                os.chmod(final, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # the snapshot's bytes never change
                created = True
            predecessor = _store(ws, m, result, path, final, audit, figures, audit_raw, figures_raw, demo, tofu, stale)
    except BaseException:
        if created:
            os.chmod(final, stat.S_IWUSR | stat.S_IRUSR)
            final.unlink(missing_ok=True)
        raise
    status = STALE if stale else IMPORTED
    message = _reason("revision_stale") if stale else ""
    return ImportOutcome(path, status, "revision_stale" if stale else None, message, m.submission_id, m.manifest_sha256,
                         predecessor, warnings, result)


def _assessment_passed(ws: Workspace, m: fmt.ManifestInfo) -> bool:
    """验收 follows a passed 评估 of the same round (ref §9): an acceptance without one is stored, and said."""
    return ws.db.execute("SELECT 1 FROM submissions WHERE uscc = ? AND round = ? AND stage = 'assessment'"
                         " AND status = 'passed'", [m.uscc, m.round]).fetchone() is not None


def _store(ws: Workspace, m: fmt.ManifestInfo, result: VerifyResult, path: Path, final: Path, audit: dict[str, Any],
           figures: dict[str, Any], audit_raw: bytes, figures_raw: bytes, demo: bool, tofu: str, stale: bool) -> str | None:
    db = ws.db
    held = None
    if m.supersedes is not None:
        row = db.execute("SELECT submission_id FROM submissions WHERE submission_id = ? AND manifest_sha256 = ?",
                         [m.supersedes.submission_id, m.supersedes.manifest_sha256]).fetchone()
        held = row[0] if row else None
    row = {
        "submission_id": m.submission_id, "manifest_sha256": m.manifest_sha256, "uscc": m.uscc,
        "enterprise_name": m.enterprise_name, "audit_id": m.audit_id, "round": m.round, "stage": m.stage,
        "revision": m.revision, "supersedes_id": m.supersedes.submission_id if m.supersedes else None,
        "supersedes_sha256": m.supersedes.manifest_sha256 if m.supersedes else None, "predecessor": held,
        "created_at": m.created_at, "received_at": iso(ws.clock.now()), "key_id": m.key_id,
        "fingerprint": fmt.fingerprint_of(m.public_key), "signer_name": m.signer_name,
        "trust_state": result.trust.state, "trust_via": tofu or result.trust.via, "demo": int(demo),
        "file_name": path.name, "stored_file": final.name, "file_size": final.stat().st_size,
        "chain_state": "stale" if stale else "current", "status": "received",
        **dashboard_columns(audit.get("values") or {}, figures, m.stage, m.created_at),
    }
    names = ", ".join(row)
    db.execute(f"INSERT INTO submissions ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    db.execute("INSERT INTO submission_content (submission_id, manifest, audit_json, figures_json, verification)"
               " VALUES (?, ?, ?, ?, ?)",
               [m.submission_id, fmt.canonical_bytes(m.raw).decode("utf-8"), audit_raw.decode("utf-8"),
                figures_raw.decode("utf-8"), json.dumps(result.as_json(), ensure_ascii=False, sort_keys=True)])
    # A late predecessor: the newer revisions that name it now link to it.
    db.execute("UPDATE submissions SET predecessor = ? WHERE supersedes_id = ? AND supersedes_sha256 = ?",
               [m.submission_id, m.submission_id, m.manifest_sha256])
    if not stale:  # the newest revision of its chain: the others are history now
        db.execute("UPDATE submissions SET chain_state = 'superseded' WHERE uscc = ? AND round = ? AND stage = ?"
                   " AND submission_id != ? AND chain_state = 'current'", [m.uscc, m.round, m.stage, m.submission_id])
    return held
