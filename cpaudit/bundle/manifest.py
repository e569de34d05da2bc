"""Building the manifest (export) and reading it back strictly (verify)."""

from __future__ import annotations

from typing import Any

from cpaudit import APP_NAME, __version__
from cpaudit.bundle import format as fmt


class ManifestInvalid(Exception):
    def __init__(self, code: str, detail: str):
        self.code, self.detail = code, detail
        super().__init__(f"{code}: {detail}")


def build_manifest(*, submission_id: str, workflow: dict[str, str], enterprise: dict[str, str],
                   audit: dict[str, Any], stage: str, revision: int, supersedes: fmt.Supersedes | None,
                   created_at: str, signer: dict[str, Any], certification: dict[str, Any],
                   validation: dict[str, Any], files: list[fmt.FileEntry], report: dict[str, Any],
                   demo: bool = False) -> bytes:
    """The exact bytes that are signed (canonical JSON; see docs/submission-format.md).

    ``demo``: adds ``"demo": true`` (training sandbox; production inspectors refuse it).
    """
    manifest = {
        "format": fmt.FORMAT, "format_version": fmt.FORMAT_VERSION, "hash_alg": fmt.HASH_ALG,
        "app": {"name": APP_NAME, "version": __version__},
        "workflow": workflow, "submission_id": submission_id, "enterprise": enterprise, "audit": audit,
        "stage": stage, "revision": revision,
        "supersedes": None if supersedes is None else {"submission_id": supersedes.submission_id,
                                                       "manifest_sha256": supersedes.manifest_sha256},
        "created_at": created_at, "signer": signer, "certification": certification, "validation": validation,
        "report": report, "files": [f.as_json() for f in sorted(files, key=lambda f: f.path)],
    }
    if demo:
        manifest["demo"] = True
    return fmt.canonical_bytes(manifest)


def _need(cond: bool, detail: str) -> None:
    if not cond:
        raise ManifestInvalid("manifest_invalid", detail)


def _str(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    _need(isinstance(value, str) and value != "", f"{where}.{key}")
    return value  # type: ignore[return-value]


def _int(obj: dict[str, Any], key: str, where: str) -> int:
    value = obj.get(key) if isinstance(obj, dict) else None
    _need(isinstance(value, int) and not isinstance(value, bool), f"{where}.{key}")
    return value  # type: ignore[return-value]


def parse_manifest(raw: bytes) -> fmt.ManifestInfo:
    """Strict reading of ``manifest.json``: canonical bytes, known version, every field typed."""
    try:
        data = fmt.loads_strict(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ManifestInvalid("manifest_not_json", "") from None
    try:
        canonical = fmt.canonical_bytes(data) == raw
    except fmt.NotCanonical:
        canonical = False
    if not canonical:
        raise ManifestInvalid("manifest_not_canonical", "")  # one serialisation only: no parser differentials
    _need(isinstance(data, dict), "top level")
    if data.get("format") != fmt.FORMAT or data.get("format_version") != fmt.FORMAT_VERSION:
        raise ManifestInvalid("format_unsupported", f"{data.get('format')} {data.get('format_version')}")
    _need(data.get("hash_alg") == fmt.HASH_ALG, "hash_alg")
    submission_id = _str(data, "submission_id", "manifest")
    _need(fmt.is_uuid4(submission_id), "submission_id")
    enterprise, audit, signer = data.get("enterprise"), data.get("audit"), data.get("signer")
    uscc, name = _str(enterprise, "uscc", "enterprise"), _str(enterprise, "name", "enterprise")
    audit_id, round_ = _str(audit, "id", "audit"), _int(audit, "round", "audit")
    stage = _str(data, "stage", "manifest")
    _need(stage in fmt.STAGES, "stage")
    revision = _int(data, "revision", "manifest")
    sup_raw = data.get("supersedes")
    supersedes = None
    if sup_raw is not None:
        supersedes = fmt.Supersedes(_str(sup_raw, "submission_id", "supersedes"), _str(sup_raw, "manifest_sha256", "supersedes"))
    created_at = _str(data, "created_at", "manifest")
    _need(_str(signer, "alg", "signer") == fmt.SIGNATURE_ALG, "signer.alg")
    key_id = _str(signer, "key_id", "signer")
    try:
        public = fmt.unb64(_str(signer, "public_key", "signer"), 32)
    except ValueError:
        raise ManifestInvalid("manifest_invalid", "signer.public_key") from None
    _need(fmt.KEY_ID_RE.match(key_id) is not None, "signer.key_id")
    workflow = data.get("workflow")
    wf = {k: _str(workflow, k, "workflow") for k in ("id", "version", "sha256")}
    validation = data.get("validation")
    _need(isinstance(validation, dict) and isinstance(validation.get("warnings"), list), "validation")
    _int(validation, "errors", "validation")
    _need(isinstance(data.get("certification"), dict) and isinstance(data.get("report"), dict), "certification")
    files_raw = data.get("files")
    _need(isinstance(files_raw, list) and len(files_raw) <= fmt.MAX_ENTRIES, "files")
    files = []
    for i, f in enumerate(files_raw):
        where = f"files[{i}]"
        entry = fmt.FileEntry(_str(f, "path", where), _str(f, "role", where), _str(f, "sha256", where),
                              _int(f, "size", where), _str(f, "media_type", where))
        _need(fmt.HEX64.match(entry.sha256) is not None and entry.size >= 0, where)
        files.append(entry)
    return fmt.ManifestInfo(
        submission_id=submission_id, uscc=uscc, enterprise_name=name, audit_id=audit_id, round=round_,
        stage=stage, revision=revision, supersedes=supersedes, created_at=created_at, key_id=key_id,
        public_key=public, signer_name=str(signer.get("name") or ""), workflow=wf, files=tuple(files),
        validation=validation, manifest_sha256=fmt.sha256_hex(raw), raw=data,
    )
