"""The ``.cpaudit`` submission file: constants, canonical JSON, the manifest model.

``docs/submission-format.md`` is the normative description; this module is
its executable half. Everything a verifier must agree on byte for byte lives
here, so the writer (``export``) and the reader (``verify``) cannot drift.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MIMETYPE = b"application/vnd.cpaudit.submission+zip;v=1"
FORMAT = "cpaudit-submission"
FORMAT_VERSION = 1
HASH_ALG = "sha256"
SIGNATURE_ALG = "ed25519"

# Domain prefixes: a signature made for one purpose can never be replayed as another.
MANIFEST_DOMAIN = b"CPAUDIT-MANIFEST-V1\n"
KEY_REQUEST_DOMAIN = b"CPAUDIT-KEY-REQUEST-V1\n"
SIGNER_CERT_DOMAIN = b"CPAUDIT-SIGNER-CERT-V1\n"
PDF_KEY_DOMAIN = b"CPAUDIT-PDF-KEY-V1\n"

# Entry names. Fixed names (no user input ever reaches a path inside the zip).
E_MIMETYPE = "mimetype"
E_MANIFEST = "manifest.json"
E_SIGNATURE = "signatures/manifest.sig"
E_SIGNER_CERT = "signatures/signer-cert.json"
E_AUDIT = "data/audit.json"
E_JOURNAL = "data/journal.json"
E_FIGURES = "data/figures.json"
E_REPORT = "report/report.pdf"
ATTACHMENT_DIR = "attachments/"
UNLISTED = (E_MIMETYPE, E_MANIFEST, E_SIGNATURE, E_SIGNER_CERT)  # the only entries not in files[]

# Roles of the entries listed in manifest.files (the verifier knows what to check per role).
ROLE_AUDIT, ROLE_JOURNAL, ROLE_FIGURES, ROLE_REPORT, ROLE_ATTACHMENT = "audit", "journal", "figures", "report", "attachment"
ROLE_PATHS = {ROLE_AUDIT: E_AUDIT, ROLE_JOURNAL: E_JOURNAL, ROLE_FIGURES: E_FIGURES, ROLE_REPORT: E_REPORT}
REQUIRED_ROLES = (ROLE_AUDIT, ROLE_JOURNAL, ROLE_FIGURES, ROLE_REPORT)

STAGES = ("assessment", "acceptance")  # 评估 / 验收

# Limits of the safe reader. Generous for real audits (a report is a few MB), tiny for bombs.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_JSON_ENTRY_BYTES = 64 * 1024 * 1024
MAX_CERT_BYTES = 64 * 1024
MAX_RATIO = 200  # uncompressed / compressed; JSON deflates ~10×, bombs ~1000×
MAX_NAME_LENGTH = 200
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
ATTACHMENT_RE = re.compile(r"^attachments/[0-9a-f]{64}(\.[a-z0-9]{1,8})?$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
KEY_ID_RE = re.compile(r"^[0-9A-F]{16}$")

# Integers beyond ±2^53 do not survive a JavaScript or JCS round trip.
_SAFE_INT = 2**53 - 1


class NotCanonical(ValueError):
    pass


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON of ``value`` (RFC 8785 JCS for our restricted value set).

    Objects with sorted ASCII keys, no whitespace, UTF-8, strings escaped as
    JCS does (Python's escaping with ``ensure_ascii=False`` is identical for
    these), integers only: floats are refused because their text form differs
    between languages. Decimals become strings, the way the audit stores them.
    """
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def own_canonical_bytes(value: Any) -> bytes:
    """``canonical_bytes`` of a value this program built from JSON-native parts.

    For the verifier's comparisons (the audit as ``dump`` writes it, figures as
    ``jsonable_figures`` writes them): those never hold floats, Decimals or
    non-ASCII keys, so the per-node checks of ``canonical_bytes`` (most of its
    time) are skipped and the bytes are the same.
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str) or not k.isascii():
                raise NotCanonical(f"object key {k!r} is not an ASCII string")
            out[k] = _plain(v)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        if abs(value) > _SAFE_INT:
            raise NotCanonical(f"integer {value} is outside ±2^53")
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        raise NotCanonical("floats are not allowed in canonical JSON")
    raise NotCanonical(f"{type(value).__name__} cannot be written as JSON")


def loads_strict(data: bytes) -> Any:
    """Parse JSON, refusing duplicate keys and non-finite numbers (parser-differential attacks)."""
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):  # a key came twice (dict() in C is the fast check)
            keys = [k for k, _v in items]
            raise ValueError(f"duplicate key {next(k for i, k in enumerate(keys) if k in keys[:i])!r}")
        return out

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(data.decode("utf-8"), object_pairs_hook=pairs, parse_constant=no_constant)


def jsonable_figures(figures: Any) -> Any:
    """Figures as stored in ``data/figures.json``: Decimals as strings, floats as their repr.

    A float in a figure is turned into text because canonical JSON has no
    floats; recomputation goes through the same function, so the two compare.
    """
    kind = type(figures)
    if kind is str or kind is bool or figures is None:  # most leaves: checked first
        return figures
    if isinstance(figures, dict):
        return {str(k): jsonable_figures(v) for k, v in figures.items()}
    if isinstance(figures, (list, tuple)):
        return [jsonable_figures(v) for v in figures]
    if isinstance(figures, float):
        return repr(figures)
    if isinstance(figures, int) and not isinstance(figures, bool) and abs(figures) > _SAFE_INT:
        return str(figures)
    if isinstance(figures, (Decimal,)) or not isinstance(figures, (str, int, bool)):
        return str(figures)
    return figures


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, length: int | None = None) -> bytes:
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if length is not None and len(raw) != length:
        raise ValueError(f"expected {length} bytes, got {len(raw)}")
    return raw


def key_id_of(public_raw: bytes) -> str:
    """First 8 bytes of SHA-256(raw public key), upper-case hex (as minisign does)."""
    return hashlib.sha256(public_raw).digest()[:8].hex().upper()


def fingerprint_of(public_raw: bytes) -> str:
    """SHA-256(raw public key), first 20 bytes in base32: 8 groups of 4, read aloud over a phone."""
    text = base64.b32encode(hashlib.sha256(public_raw).digest()[:20]).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, 32, 4))


FINGERPRINT_GROUPS_PER_LINE = 4


def fingerprint_lines(fingerprint: str) -> list[list[str]]:
    """The groups as the registration request prints them: two lines of four."""
    groups = fingerprint.split("-")
    return [groups[i:i + FINGERPRINT_GROUPS_PER_LINE] for i in range(0, len(groups), FINGERPRINT_GROUPS_PER_LINE)]


def format_fingerprint(fingerprint: str) -> str:
    """The one way screens write a fingerprint: the printout's lines, groups two spaces apart,
    so whoever compares it with the sealed printout reads the same shape group by group."""
    return "\n".join("  ".join(line) for line in fingerprint_lines(fingerprint))


def signature_input(manifest_bytes: bytes) -> bytes:
    return MANIFEST_DOMAIN + manifest_bytes


def is_uuid4(text: Any) -> bool:
    try:
        return isinstance(text, str) and str(uuid.UUID(text)) == text and uuid.UUID(text).version == 4
    except ValueError:
        return False


# -- the certification statement ----------------------------------------------------------
# Legal text, fixed per version and NOT run through gettext: the signed text must not
# change when a translator edits a catalog. A new wording is a new id.
CERTIFICATION_ID = "cpaudit-certification-1"
CERTIFICATION_TEXTS = {
    "zh_CN": (
        "本人代表上述企业承诺：本次提交的清洁生产审核数据、计算结果和审核报告真实、准确、完整，"
        "本人已逐页审阅报告，了解提供虚假材料须承担的法律责任，并确认本电子签名由本人亲自作出、"
        "与手写签名或盖章具有同等法律效力（《中华人民共和国电子签名法》第十四条）。"
    ),
    "en": (
        "On behalf of the enterprise named above I certify that the cleaner production audit data, "
        "calculations and report submitted here are true, accurate and complete; that I have reviewed "
        "the report page by page; that I know the legal consequences of submitting false information; "
        "and that I made this electronic signature myself, with the same legal effect as a handwritten "
        "signature or seal (Electronic Signature Law of the PRC, art. 14)."
    ),
}


def certification_block(lang: str, accepted: bool) -> dict[str, Any]:
    text = CERTIFICATION_TEXTS.get(lang) or CERTIFICATION_TEXTS["zh_CN"]
    return {"id": CERTIFICATION_ID, "lang": lang if lang in CERTIFICATION_TEXTS else "zh_CN", "text": text,
            "text_sha256": sha256_hex(text.encode("utf-8")), "accepted": bool(accepted)}


@dataclass(frozen=True)
class FileEntry:
    path: str
    role: str
    sha256: str
    size: int
    media_type: str
    label: str = ""  # attachments only: what the evidence shows
    linked_to: str = ""  # attachments only: the field or row it supports

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "role": self.role, "sha256": self.sha256, "size": self.size,
                               "media_type": self.media_type}
        if self.role == ROLE_ATTACHMENT:
            out.update(label=self.label, linked_to=self.linked_to)
        return out


@dataclass(frozen=True)
class Supersedes:
    submission_id: str
    manifest_sha256: str


@dataclass(frozen=True)
class ManifestInfo:
    """The fields of a parsed, structurally checked manifest that the rest of the code reads."""

    submission_id: str
    uscc: str
    enterprise_name: str
    audit_id: str
    round: int
    stage: str
    revision: int
    supersedes: Supersedes | None
    created_at: str
    key_id: str
    public_key: bytes
    signer_name: str
    workflow: dict[str, str]
    files: tuple[FileEntry, ...]
    validation: dict[str, Any]
    manifest_sha256: str
    raw: dict[str, Any]

    @property
    def chain_key(self) -> tuple[str, int, str]:
        """Revisions are numbered per enterprise, audit round and stage."""
        return (self.uscc, self.round, self.stage)
