"""Writing the signed submission file (the CLI's ``export`` and the GUI's signing ceremony).

``preflight`` → unlock the key → revision chain → audit JSON, journal,
figures → report PDF (PAdES-signed) → manifest → Ed25519 signature → zip
written beside the target and renamed into place → read-only copy in the
workspace's submission folder → verified again from disk.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from cpaudit.bundle import format as fmt
from cpaudit.bundle.keys import UnlockedKey, unlock
from cpaudit.bundle.manifest import build_manifest
from cpaudit.evidence import SUBMISSION_LIMIT, evidence_total
from cpaudit.i18n import _, ngettext
from cpaudit.workflow.issues import Issue

Progress = Callable[[float, str], None]
Renderer = Callable[..., bytes]
STAGE_LABELS = {"assessment": "评估 assessment", "acceptance": "验收 acceptance"}


class ExportRefused(Exception):
    """Export is not possible; ``message`` is one translated line, ``issues`` the blocking ones."""

    def __init__(self, message: str, issues: list[Issue] | None = None):
        self.message, self.issues = message, issues or []
        super().__init__(message)


@dataclass(frozen=True)
class Attachment:
    """Evidence for the bureau; stored as ``attachments/<sha256>.<ext>`` (``evidence_attachments``)."""

    data: bytes
    media_type: str
    extension: str
    label: str = ""
    linked_to: str = ""


_EXTENSION = re.compile(r"[a-z0-9]{1,8}")


def evidence_attachments(workspace_path: Path, doc: Any) -> list[Attachment]:
    """The audit's evidence files as they go into the submission (format §1: named by their hash, so a
    file attached at several places travels once, linked to the first of them). Each is read from the
    workspace's store and checked against its hash: a file changed or lost there is refused by name,
    never signed as something else."""
    from cpaudit.evidence import stored_path

    first: dict[str, Any] = {}
    for a in sorted(doc.attachments.values(), key=lambda a: (a.step, a.field, a.row_id or "", a.added_at, a.id)):
        first.setdefault(a.sha256, a)
    out = []
    for sha, a in first.items():
        try:
            data = stored_path(workspace_path, sha).read_bytes()
        except OSError:
            data = b""
        if fmt.sha256_hex(data) != sha:
            raise ExportRefused(_("the evidence file {name} is missing or damaged in the workspace: attach it again, "
                                  "or remove it, before signing").format(name=a.name))
        ext = Path(a.name).suffix.lstrip(".").lower()
        place = "/".join(p for p in (a.step, a.field, a.row_id) if p)
        out.append(Attachment(data, a.mime, ext if _EXTENSION.fullmatch(ext) else "", a.name, place))
    return out


def preflight(doc: Any, wf: Any, stage: str | None = None) -> list[Issue]:
    """What blocks signing: every error, and every warning without a written justification,
    in the steps the ``stage`` covers (a 评估 submission does not wait for phases 6–7)."""
    from cpaudit.workflow.validate import validate

    blocking = [i for i in validate(doc, wf, stage)
                if i.severity == "error" or (i.severity == "warning" and not (doc.justifications.get(i.key) or "").strip())]
    return blocking + _evidence_too_large(doc)


EVIDENCE_LIMIT = SUBMISSION_LIMIT


def _evidence_too_large(doc: Any) -> list[Issue]:
    """Evidence beyond what a verifier accepts would make a file the bureau refuses: say so before signing."""
    total = evidence_total(doc.attachments.values())
    if total <= EVIDENCE_LIMIT:
        return []
    largest = max(doc.attachments.values(), key=lambda a: a.size)  # the place to start: "Go to" opens its step
    mb = 1024 * 1024
    return [Issue("error", "submission.evidence_too_large", largest.step, largest.field, _(
        "The evidence files come to {total} MB; a submission file holds at most {limit} MB of them. Remove files that "
        "are not needed, or use “Make large photos smaller…” in the evidence files panel (the largest: {name}, "
        "{size} MB).").format(
            total=total // mb, limit=EVIDENCE_LIMIT // mb, name=largest.name, size=largest.size // mb),
        largest.row_id)]


def data_digest(doc: Any) -> str:
    """SHA-256 of the audit data as it goes into the file: what the report prints as its hash.

    The signing ceremony can render the report for review with this value and
    then pass ``render=lambda *a, **k: reviewed_pdf``: the signed PDF is then
    exactly the one the signer read (plus the appended signature page).
    """
    from cpaudit import audit_json

    return fmt.sha256_hex(fmt.canonical_bytes(audit_json.dump(doc)))


def submissions_dir(workspace_path: Path, audit_id: str) -> Path:
    """Where the enterprise keeps what it submitted, next to its workspace file."""
    return workspace_path.parent / f"{workspace_path.name}.submissions" / audit_id


def submitted(workspace_path: Path, audit_id: str) -> list[fmt.ManifestInfo]:
    """The manifests of every file kept for this audit (the revision chain), oldest first."""
    from cpaudit.bundle.manifest import ManifestInvalid, parse_manifest
    from cpaudit.bundle.safezip import Rejected, SafeArchive

    out = []
    folder = submissions_dir(workspace_path, audit_id)
    for path in sorted(folder.glob("*.cpaudit")) if folder.is_dir() else []:
        try:
            with SafeArchive(path) as archive:
                out.append(parse_manifest(archive.read(fmt.E_MANIFEST, fmt.MAX_MANIFEST_BYTES)))
        except (Rejected, ManifestInvalid, KeyError):
            continue  # not ours or damaged: it cannot be a link of the chain
    return sorted(out, key=lambda m: (m.stage, m.revision))


def _default_renderer() -> Renderer:
    try:
        from cpaudit.report.build import build_report
    except ImportError:  # a build without the report module cannot make a copy of record
        raise ExportRefused(_("this version of cpaudit cannot write the report, so it cannot sign")) from None
    return build_report


def export_submission(ws: Any, audit_id: str, stage: str, out: Path, passphrase: str, *,
                      certification_accepted: bool, lang: str = "zh_CN", key_folder: Path | None = None,
                      attachments: list[Attachment] | None = None, render: Renderer | None = None,
                      progress: Progress | None = None, now: dt.datetime | None = None) -> Path:
    """Sign and write the submission of ``audit_id``; returns ``out`` after re-verifying it from disk.
    ``attachments`` None: the audit's own evidence files (``evidence_attachments``)."""
    from cpaudit.store.journal import iter_journal
    from cpaudit.workspace import workflow_for

    step = progress or (lambda fraction, text: None)
    if stage not in fmt.STAGES:
        raise ExportRefused(_("unknown stage '{stage}' (assessment or acceptance)").format(stage=stage))
    meta = ws.meta(audit_id)
    if meta is None:
        raise ExportRefused(_("no audit '{id}' in {path}").format(id=audit_id, path=ws.path))
    doc, wf = ws.document(audit_id), workflow_for(meta)
    step(0.02, _("Checking the audit"))
    blocking = preflight(doc, wf, stage)
    if blocking:
        raise ExportRefused(ngettext("{n} issue blocks signing: fix the errors and justify the warnings first",
                                      "{n} issues block signing: fix the errors and justify the warnings first",
                                      len(blocking)).format(n=len(blocking)), blocking)
    if not certification_accepted:
        raise ExportRefused(_("the certification statement must be accepted before signing"))
    demo = meta.kind == "demo"
    step(0.08, _("Unlocking the signing key"))
    if demo:  # a sandbox audit is signed with the public demo key, never with a real one
        from cpaudit.bundle.demo_key import demo_key

        key = demo_key()
    else:
        key = unlock(passphrase, key_folder)
        if key.info.role == "bureau":  # the bureau's answer key must never sign an enterprise's submission
            from cpaudit.bundle.keys import role_mismatch

            raise ExportRefused(role_mismatch("bureau", key.info.path))
    uscc = doc.get("enterprise", "uscc")
    if not demo and key.info.enterprise.get("uscc") != uscc:
        raise ExportRefused(_("the signing key belongs to {key_uscc}, but the audit is for {uscc}").format(
            key_uscc=key.info.enterprise.get("uscc"), uscc=uscc))
    if attachments is None:
        step(0.1, _("Reading the evidence files"))
        attachments = evidence_attachments(ws.path, doc)
    # Revisions count per round and stage (format §7): a round-2 audit starts at revision 1 even when
    # this audit id sent round-1 files before its round was changed.
    chain = [m for m in submitted(ws.path, audit_id) if m.stage == stage and m.round == doc.meta.round]
    supersedes = fmt.Supersedes(chain[-1].submission_id, chain[-1].manifest_sha256) if chain else None
    journal = list(iter_journal(ws.db, audit_id))
    revision = chain[-1].revision + 1 if chain else 1
    data = write_submission(doc, wf, stage, key, journal=journal, revision=revision,
                            supersedes=supersedes, lang=lang, attachments=attachments, render=render or _default_renderer(),
                            progress=step, now=now, demo=demo)
    step(0.9, _("Writing the file"))
    out = Path(out)
    try:
        _write_file(out, data)
    except OSError as exc:  # its own text names the temporary file
        from cpaudit.store.errors import os_reason

        raise ExportRefused(_("cannot write {path}: {error}").format(path=out, error=os_reason(exc))) from None
    keep = submissions_dir(ws.path, audit_id)
    keep.mkdir(parents=True, exist_ok=True)
    kept = keep / f"{uscc}_{doc.meta.round}_{stage}_r{revision}.cpaudit"
    if not kept.exists():
        _write_file(kept, data)
        os.chmod(kept, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # the record of what was sent: read-only
    step(0.95, _("Verifying the written file"))
    from cpaudit.bundle.trust import KeyEntry, Trust
    from cpaudit.bundle.verify import verify_file

    own = Trust(accept_demo=demo)  # a sandbox checks its own demo file
    own.add_key(KeyEntry(key.info.key_id, "trusted", key.info.public_key, uscc, key.info.signer["name"], "own-key"))
    result = verify_file(out, own)
    if not result.valid:
        raise ExportRefused(_("the written file does not verify: {reason}").format(reason=result.reason.message if result.reason else "?"))
    step(1.0, _("Done"))
    return out


def _demo_watermark() -> str:
    from cpaudit.bundle.demo_key import WATERMARK

    return WATERMARK


def _write_file(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_submission(doc: Any, wf: Any, stage: str, key: UnlockedKey, *, journal: list[dict[str, Any]], revision: int,
                     supersedes: fmt.Supersedes | None, lang: str, render: Renderer, attachments: list[Attachment] = (),  # type: ignore[assignment]
                     progress: Progress | None = None, now: dt.datetime | None = None,
                     certification_accepted: bool = True, demo: bool = False,
                     submission_id: str | None = None) -> bytes:
    """The bytes of a submission file for ``doc`` (pre-flight is the caller's job).

    ``demo``: a training-sandbox submission: ``"demo": true`` in the manifest and a
    DEMO watermark on every report page. ``submission_id``: fixed id (the sandbox
    is rebuilt identically); a new UUID4 otherwise.
    """
    from cpaudit import audit_json
    from cpaudit.bundle import pades
    from cpaudit.figures import compute_figures
    from cpaudit.workflow.validate import validate

    step = progress or (lambda fraction, text: None)
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    created_at = now.isoformat(timespec="seconds")
    submission_id = submission_id or str(uuid.uuid4())
    entries: dict[str, tuple[bytes, str, str]] = {
        fmt.E_AUDIT: (fmt.canonical_bytes(audit_json.dump(doc)), fmt.ROLE_AUDIT, "application/json"),
        fmt.E_JOURNAL: (fmt.canonical_bytes(journal), fmt.ROLE_JOURNAL, "application/json"),
        fmt.E_FIGURES: (fmt.canonical_bytes(fmt.jsonable_figures(compute_figures(doc, wf))), fmt.ROLE_FIGURES, "application/json"),
    }
    digest = fmt.sha256_hex(entries[fmt.E_AUDIT][0])
    step(0.15, _("Writing the report"))
    pdf = render(doc, wf, stage, lang, journal=journal, manifest_hash=digest, watermark=_demo_watermark() if demo else None,
                 progress=lambda f: step(0.15 + 0.55 * f, _("Writing the report")))
    step(0.72, _("Signing the report PDF"))
    info = key.info
    enterprise = {"uscc": doc.get("enterprise", "uscc"), "name": doc.get("enterprise", "name")}
    signer_label = f"{info.signer['name']}（{info.signer['title']}）" if info.signer.get("title") else info.signer["name"]
    pdf = pades.sign_report(pdf, key.p256, info.pdf_cert_pem, pades.StampText(
        signer_label, enterprise["name"], enterprise["uscc"], created_at, submission_id, digest, info.fingerprint,
        STAGE_LABELS[stage]))
    entries[fmt.E_REPORT] = (pdf, fmt.ROLE_REPORT, "application/pdf")
    labels: dict[str, tuple[str, str]] = {}
    for a in attachments:
        name = f"{fmt.ATTACHMENT_DIR}{fmt.sha256_hex(a.data)}" + (f".{a.extension.lower()}" if a.extension else "")
        entries[name] = (a.data, fmt.ROLE_ATTACHMENT, a.media_type)
        labels[name] = (a.label, a.linked_to)
    files = [fmt.FileEntry(p, role, fmt.sha256_hex(b), len(b), mt, *labels.get(p, ("", "")))
             for p, (b, role, mt) in entries.items()]
    issues = validate(doc, wf, stage)
    warnings = [{"key": i.key, "rule": i.rule, "path": i.path, "message": i.message,
                 "justification": doc.justifications.get(i.key, "")} for i in issues if i.severity == "warning"]
    signer = {"name": info.signer["name"], "title": info.signer.get("title", ""), "alg": fmt.SIGNATURE_ALG,
              "key_id": info.key_id, "public_key": fmt.b64(info.public_key), "fingerprint": info.fingerprint,
              "pdf_cert_sha256": info.pdf_cert_sha256,
              "cert_serial": (info.bureau_cert or {}).get("cert", {}).get("serial")}
    manifest = build_manifest(
        submission_id=submission_id, workflow={"id": wf.id, "version": wf.version, "sha256": wf.hash},
        enterprise=enterprise, audit={"id": doc.meta.id, "round": doc.meta.round, "title": doc.meta.title},
        stage=stage, revision=revision, supersedes=supersedes, created_at=created_at, signer=signer,
        certification=fmt.certification_block(lang, certification_accepted),
        validation={"errors": sum(1 for i in issues if i.severity == "error"), "warnings": warnings},
        files=files, report={"lang": lang, "data_sha256": digest, "pades": "B-B"}, demo=demo,
    )
    signature = key.sign(fmt.signature_input(manifest))
    buf = io.BytesIO()
    stamp = now.astimezone(dt.timezone.utc).timetuple()[:6]
    with zipfile.ZipFile(buf, "w") as zf:
        def put(name: str, data: bytes, compress: bool = True) -> None:
            zi = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            zi.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            zi.create_system, zi.external_attr = 3, (stat.S_IFREG | 0o444) << 16
            zf.writestr(zi, data)

        put(fmt.E_MIMETYPE, fmt.MIMETYPE, compress=False)
        put(fmt.E_MANIFEST, manifest)
        put(fmt.E_SIGNATURE, signature, compress=False)
        if info.bureau_cert is not None:
            put(fmt.E_SIGNER_CERT, fmt.canonical_bytes(info.bureau_cert))
        for name in sorted(entries):
            put(name, entries[name][0])
    return buf.getvalue()
