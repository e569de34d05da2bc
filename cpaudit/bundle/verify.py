"""Offline verification of a ``.cpaudit`` file: one verdict with precise reasons.

Order (docs/submission-format.md, "Verification"): safe archive → mimetype →
manifest → signature → entries vs manifest → trust → hashes → audit data
against the workflow → figures recomputed → policy (validation, certification)
→ revision chain. The first failure of the structure or the signature stops
everything: content that is not proven to come from the signer is never
parsed further. Nothing is executed and nothing is written: entries are
streamed into hashes or read into memory under caps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from cpaudit.bundle import format as fmt
from cpaudit.bundle.manifest import ManifestInvalid, parse_manifest
from cpaudit.bundle.reasons import finding_text
from cpaudit.bundle.revisions import Ledger
from cpaudit.bundle.safezip import Rejected, SafeArchive
from cpaudit.bundle.trust import UNKNOWN, Trust, TrustVerdict, evaluate
from cpaudit.formatting import stage_label
from cpaudit.i18n import _


@dataclass(frozen=True)
class Finding:
    code: str
    entry: str | None = None
    detail: str = ""
    fatal: bool = True

    @property
    def message(self) -> str:
        return finding_text(self.code, self.entry, self.detail)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "entry": self.entry, "detail": self.detail, "fatal": self.fatal, "message": self.message}


@dataclass
class VerifyResult:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    manifest: fmt.ManifestInfo | None = None
    trust: TrustVerdict = TrustVerdict(UNKNOWN, "", None)
    signature_ok: bool = False

    @property
    def valid(self) -> bool:
        return not any(f.fatal for f in self.findings)

    @property
    def reason(self) -> Finding | None:
        return next((f for f in self.findings if f.fatal), None)

    def fail(self, code: str, entry: str | None = None, detail: str = "", fatal: bool = True) -> None:
        self.findings.append(Finding(code, entry, detail, fatal))

    def line(self) -> str:
        """The one line per file of ``cpaudit verify``."""
        m = self.manifest
        if self.valid and m is not None:
            return _("VALID\t{path}\t{name} ({uscc}), round {round}, {stage}, revision {revision}; signed by {signer}, key {key_id}, {trust}").format(
                path=self.path, name=m.enterprise_name, uscc=m.uscc, round=m.round, stage=stage_label(m.stage, in_sentence=True), revision=m.revision,
                signer=m.signer_name, key_id=m.key_id, trust=trust_label(self.trust)) + "".join(
                _("; note: {message}").format(message=f.message) for f in self.findings if not f.fatal)
        reason = self.reason
        return _("INVALID\t{path}\t{code}: {message}").format(
            path=self.path, code=reason.code if reason else "?", message=reason.message if reason else "")

    def as_json(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "path": str(self.path), "valid": self.valid, "reason": self.reason.code if self.reason else None,
            "findings": [f.as_json() for f in self.findings], "signature_ok": self.signature_ok,
            "trust": {"state": self.trust.state, "via": self.trust.via},
            "manifest": None if m is None else {
                "submission_id": m.submission_id, "manifest_sha256": m.manifest_sha256, "uscc": m.uscc,
                "enterprise": m.enterprise_name, "audit_id": m.audit_id, "round": m.round, "stage": m.stage,
                "revision": m.revision, "created_at": m.created_at, "key_id": m.key_id,
                "fingerprint": fmt.fingerprint_of(m.public_key), "signer": m.signer_name,
            },
        }


def trust_label(v: TrustVerdict) -> str:
    labels = {"trusted": _("trusted"), "untrusted": _("known but untrusted"), "unknown": _("unknown signer"),
              "revoked": _("revoked")}
    via = {"registry": _("registry"), "certificate": _("bureau certificate"), "own-key": _("your own key"),
           "demo": _("the public demo key")}.get(v.via)
    state = labels.get(v.state, v.state)
    return _("{state} (via {via})").format(state=state, via=via) if via else state


WorkflowLookup = Callable[[str], Any]


def verify_file(path: Path | str, trust: Trust | None = None, *, ledger: Ledger | None = None,
                workflows: WorkflowLookup | None = None, depth: str = "full") -> VerifyResult:
    """Verify one submission file. ``trust`` None or empty: every signer is unknown (and the file invalid).

    ``depth``: ``full`` (everything); ``schema`` skips recomputing the figures
    (by far the slowest step); ``integrity`` stops after signature, trust and
    hashes. Skipped steps leave a non-fatal finding naming what was not checked.
    """
    result = VerifyResult(Path(path))
    try:
        with SafeArchive(Path(path)) as archive:
            _verify(archive, result, trust or Trust(), workflows, depth)
    except Rejected as exc:
        result.fail(exc.code, exc.entry, exc.detail)
    if result.manifest is not None and result.signature_ok and ledger is not None:
        ledger.check(result)
    return result


def _verify(archive: SafeArchive, r: VerifyResult, trust: Trust, workflows: WorkflowLookup | None, depth: str) -> None:
    names = archive.names
    if fmt.E_MIMETYPE not in names:
        raise Rejected("mimetype_missing")
    if names[0] != fmt.E_MIMETYPE or archive.info(fmt.E_MIMETYPE).header_offset != 0:
        raise Rejected("mimetype_not_first")
    if archive.info(fmt.E_MIMETYPE).compress_type != 0:
        raise Rejected("mimetype_compressed")
    if archive.read(fmt.E_MIMETYPE, 256) != fmt.MIMETYPE:
        raise Rejected("mimetype_wrong")
    if fmt.E_MANIFEST not in names:
        raise Rejected("manifest_missing")
    if archive.info(fmt.E_MANIFEST).file_size > fmt.MAX_MANIFEST_BYTES:
        raise Rejected("manifest_too_large", fmt.E_MANIFEST)
    raw = archive.read(fmt.E_MANIFEST, fmt.MAX_MANIFEST_BYTES)
    try:
        m = parse_manifest(raw)
    except ManifestInvalid as exc:
        raise Rejected(exc.code, fmt.E_MANIFEST, exc.detail) from None
    # -- signature: before anything else of the content is believed ---------------------
    if fmt.E_SIGNATURE not in names:
        raise Rejected("signature_missing")
    sig = archive.read(fmt.E_SIGNATURE, 1024)
    if len(sig) != 64:
        raise Rejected("signature_malformed", fmt.E_SIGNATURE)
    if fmt.key_id_of(m.public_key) != m.key_id:
        raise Rejected("key_id_mismatch", fmt.E_MANIFEST)
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(m.public_key).verify(sig, fmt.signature_input(raw))
    except InvalidSignature:
        raise Rejected("signature_invalid", fmt.E_SIGNATURE) from None
    r.manifest, r.signature_ok = m, True
    if not trust.accept_demo and is_demo_manifest(m):
        r.fail("demo_refused")  # first: the inspector must not be told to register the public demo key
    _check_listing(archive, m)
    cert = None
    if fmt.E_SIGNER_CERT in names:
        from cpaudit.bundle.certs import CertificateError, parse_certificate

        try:
            cert = parse_certificate(fmt.loads_strict(archive.read(fmt.E_SIGNER_CERT, fmt.MAX_CERT_BYTES)))
        except (CertificateError, ValueError, UnicodeDecodeError):
            raise Rejected("cert_malformed", fmt.E_SIGNER_CERT) from None
    r.trust = evaluate(trust, key_id=m.key_id, public_key=m.public_key, uscc=m.uscc, created_at=m.created_at, cert=cert)
    if r.trust.problem:
        r.fail(r.trust.problem, fmt.E_SIGNER_CERT if r.trust.via == "certificate" else None)
    hashes_ok = True
    for entry in m.files:
        keep = (depth != "integrity" and entry.path in _READ_AFTER_HASHING
                and archive.info(entry.path).file_size <= fmt.MAX_JSON_ENTRY_BYTES)
        digest, size = archive.digest(entry.path, keep=keep)
        if size != entry.size:
            r.fail("size_mismatch", entry.path)
            hashes_ok = False
        elif digest != entry.sha256:
            r.fail("hash_mismatch", entry.path)
            hashes_ok = False
        elif entry.role == fmt.ROLE_ATTACHMENT and not entry.path.startswith(f"{fmt.ATTACHMENT_DIR}{digest}"):
            r.fail("hash_mismatch", entry.path, "name")
            hashes_ok = False
    if not hashes_ok:
        return  # a byte changed after signing: the content checks below would only repeat it
    _check_policy(m, r)
    if depth == "integrity":
        r.fail("content_not_checked", None, fatal=False)
        return
    _check_content(archive, m, r, workflows, depth == "full", trust.accept_demo)


# The data entries the content checks read whole (under their caps) right after the hashes.
_READ_AFTER_HASHING = frozenset({fmt.E_AUDIT, fmt.E_JOURNAL, fmt.E_FIGURES})


def _check_listing(archive: SafeArchive, m: fmt.ManifestInfo) -> None:
    listed = {f.path for f in m.files}
    if len(listed) != len(m.files):
        raise Rejected("manifest_invalid", fmt.E_MANIFEST, "files repeats a path")
    present = set(archive.names) - set(fmt.UNLISTED)
    for name in archive.names:
        if name not in listed and name not in fmt.UNLISTED:
            raise Rejected("entry_unlisted", name)
    for path in sorted(listed - present):
        raise Rejected("entry_missing", path)
    roles: dict[str, int] = {}
    for f in m.files:
        roles[f.role] = roles.get(f.role, 0) + 1
        allowed = fmt.ATTACHMENT_RE.match(f.path) if f.role == fmt.ROLE_ATTACHMENT else fmt.ROLE_PATHS.get(f.role) == f.path
        if not allowed:
            raise Rejected("entry_role_invalid", f.path, f.role)
    for role in fmt.REQUIRED_ROLES:
        if roles.get(role) != 1:
            raise Rejected("entry_missing", fmt.ROLE_PATHS[role])


def is_demo_manifest(m: fmt.ManifestInfo) -> bool:
    """Marked demo, of a demo audit, or signed with the public demo key (docs/submission-format.md §4)."""
    if m.raw.get("demo") is True or (m.raw.get("audit") or {}).get("kind") == "demo":
        return True
    try:  # the sandbox's public demo key; absent in builds without the sandbox
        from cpaudit.bundle.demo_key import is_demo_key
    except ImportError:
        return False
    return is_demo_key(m.public_key)


def _check_content(archive: SafeArchive, m: fmt.ManifestInfo, r: VerifyResult, workflows: WorkflowLookup | None,
                   recompute: bool, accept_demo: bool = False) -> None:
    from cpaudit import audit_json
    from cpaudit.figures import compute_figures

    if archive.head(fmt.E_REPORT, 5) != b"%PDF-":
        r.fail("report_not_pdf", fmt.E_REPORT)
    try:
        audit_raw = archive.read(fmt.E_AUDIT, fmt.MAX_JSON_ENTRY_BYTES)
        data = fmt.loads_strict(audit_raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        r.fail("audit_not_json", fmt.E_AUDIT)
        return
    ref = data.get("workflow") if isinstance(data, dict) else None
    if not isinstance(ref, dict) or [ref.get("id"), ref.get("version"), ref.get("hash")] != [
            m.workflow["id"], m.workflow["version"], m.workflow["sha256"]]:
        r.fail("workflow_mismatch", fmt.E_AUDIT)
        return
    wf = _workflow(m.workflow, workflows)
    if wf is None:
        r.fail("workflow_unknown", fmt.E_AUDIT, f"{m.workflow['id']} {m.workflow['version']}")
        return
    try:
        doc = audit_json.parse(data, wf)
    except audit_json.DocumentInvalid as exc:
        r.fail("audit_invalid", fmt.E_AUDIT, "; ".join(exc.problems[:3]))
        return
    if doc.meta.kind == "demo" and not accept_demo and not any(f.code == "demo_refused" for f in r.findings):
        r.findings.insert(0, Finding("demo_refused", fmt.E_AUDIT))  # a demo audit in a file not marked demo
    if fmt.own_canonical_bytes(audit_json.dump(doc)) != audit_raw:
        r.fail("audit_not_canonical", fmt.E_AUDIT)
    enterprise = doc.values.get("enterprise", {})
    if (enterprise.get("uscc"), enterprise.get("name"), doc.meta.id, doc.meta.round) != (
            m.uscc, m.enterprise_name, m.audit_id, m.round):
        r.fail("enterprise_mismatch", fmt.E_AUDIT)
    try:
        journal = fmt.loads_strict(archive.read(fmt.E_JOURNAL, fmt.MAX_JSON_ENTRY_BYTES))
        if not isinstance(journal, list) or not all(isinstance(e, dict) for e in journal):
            raise ValueError
    except (ValueError, UnicodeDecodeError, RecursionError):
        r.fail("journal_invalid", fmt.E_JOURNAL)
    stored_raw = archive.read(fmt.E_FIGURES, fmt.MAX_JSON_ENTRY_BYTES)
    recomputed = fmt.jsonable_figures(compute_figures(doc, wf)) if recompute else None
    # Equal to our own canonical figures: valid JSON by construction, so parsing it is skipped.
    identical = recomputed is not None and fmt.own_canonical_bytes(recomputed) == stored_raw
    try:
        stored = recomputed if identical else fmt.loads_strict(stored_raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        r.fail("figures_invalid", fmt.E_FIGURES)
        return
    _justifications_match(m, doc.justifications, r)
    if not isinstance(stored, dict):
        r.fail("figures_invalid", fmt.E_FIGURES)
        return
    if recomputed is None:
        r.fail("figures_not_recomputed", fmt.E_FIGURES, fatal=False)
    elif not identical:
        differ = sorted(k for k in set(recomputed) | set(stored) if recomputed.get(k) != stored.get(k))
        r.fail("figures_mismatch", fmt.E_FIGURES, ", ".join(differ[:5]))


def _workflow(ref: dict[str, str], workflows: WorkflowLookup | None) -> Any:
    """The definition the file names: the shipped one or a kept earlier release (``find_workflow``)."""
    from cpaudit.workflow.loader import find_workflow

    try:
        if workflows is None:
            return find_workflow(ref["id"], ref["version"], ref["sha256"])
        wf = workflows(ref["id"])
    except Exception:  # an unknown id must not look like a crash of the verifier
        return None
    return wf if (wf.version, wf.hash) == (ref["version"], ref["sha256"]) else None


def _justifications_match(m: fmt.ManifestInfo, justifications: dict[str, str], r: VerifyResult) -> None:
    for w in m.validation["warnings"]:
        if not isinstance(w, dict) or justifications.get(w.get("key")) != w.get("justification"):
            r.fail("validation_incomplete", fmt.E_MANIFEST, str(w.get("key") if isinstance(w, dict) else w))
            return


def _check_policy(m: fmt.ManifestInfo, r: VerifyResult) -> None:
    v = m.validation
    if v["errors"] != 0 or not all(isinstance(w, dict) and isinstance(w.get("justification"), str)
                                   and w["justification"].strip() for w in v["warnings"]):
        r.fail("validation_incomplete", fmt.E_MANIFEST)
    c = m.raw["certification"]
    text = c.get("text")
    if c.get("accepted") is not True or not isinstance(text, str) or c.get("text_sha256") != fmt.sha256_hex(text.encode("utf-8")):
        r.fail("certification_missing", fmt.E_MANIFEST)
    if m.revision < 1 or (m.revision == 1) != (m.supersedes is None) or (
            m.supersedes is not None and not (fmt.is_uuid4(m.supersedes.submission_id)
                                              and fmt.HEX64.match(m.supersedes.manifest_sha256)
                                              and m.supersedes.submission_id != m.submission_id)):
        r.fail("revision_invalid", fmt.E_MANIFEST)


def verify_files(paths: list[Path], trust: Trust | None = None, *, ledger: Ledger | None = None,
                 workflows: WorkflowLookup | None = None, depth: str = "full") -> list[VerifyResult]:
    """Several files: each alone, then the revision chain across them (in revision order) and the ledger."""
    results = [verify_file(p, trust, workflows=workflows, depth=depth) for p in paths]
    ledger = ledger.copy() if ledger is not None else Ledger()
    ordered = sorted((r for r in results if r.manifest is not None and r.signature_ok),
                     key=lambda r: (r.manifest.chain_key, r.manifest.revision, str(r.path)))  # type: ignore[union-attr]
    for r in ordered:
        ledger.check(r)
    return results
