"""Who the verifier trusts: a trust file, or a folder of them, merged.

    {"format": "cpaudit-trust", "version": 1,
     "keys": [{"key_id", "public_key"?, "status": "trusted" | "untrusted" | "revoked",
               "uscc"?, "name"?, "note"?}],
     "bureau_roots": [{"name", "public_key"}],
     "revoked_certs": ["serial", …]}

A folder is every ``*.json`` in it (not recursive), so a bureau can hand out
its roots, its registry and each new revocation list as separate files. When
entries disagree the most cautious wins: revoked over trusted over untrusted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpaudit.bundle import format as fmt
from cpaudit.i18n import _

TRUST_FORMAT = "cpaudit-trust"
TRUSTED, UNTRUSTED, UNKNOWN, REVOKED = "trusted", "untrusted", "unknown", "revoked"
_RANK = {UNTRUSTED: 0, TRUSTED: 1, REVOKED: 2}
MAX_TRUST_FILES = 1000
MAX_TRUST_BYTES = 16 * 1024 * 1024


class TrustError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class KeyEntry:
    key_id: str
    status: str
    public_key: bytes | None = None
    uscc: str | None = None
    name: str | None = None
    source: str = ""


@dataclass
class Trust:
    keys: dict[str, KeyEntry] = field(default_factory=dict)
    roots: dict[str, bytes] = field(default_factory=dict)
    root_names: dict[str, str] = field(default_factory=dict)
    revoked_certs: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)
    # Demo submissions (training sandbox, public demo key) are refused [demo_refused] unless this is
    # set: a training inspector workspace, a sandbox checking its own export, `verify --accept-demo`.
    # Trusting the demo key is not enough: anyone can sign with it.
    accept_demo: bool = False
    # Bureau certificates of the user's own key (parsed ``certs.SignerCert``): the key that signed one of
    # them is the bureau that certified this enterprise, so its answers are trusted without a trust file.
    own_certs: list[Any] = field(default_factory=list)

    def add_key(self, entry: KeyEntry) -> None:
        old = self.keys.get(entry.key_id)
        if old is None or _RANK[entry.status] > _RANK[old.status]:
            self.keys[entry.key_id] = entry

    def add_root(self, public_key: bytes, name: str) -> None:
        key_id = fmt.key_id_of(public_key)
        self.roots[key_id], self.root_names[key_id] = public_key, name

    def merge(self, other: "Trust") -> "Trust":
        for entry in other.keys.values():
            self.add_key(entry)
        self.roots.update(other.roots)
        self.root_names.update(other.root_names)
        self.revoked_certs |= other.revoked_certs
        self.sources += other.sources
        self.accept_demo = self.accept_demo or other.accept_demo
        self.own_certs += other.own_certs
        return self

    @property
    def empty(self) -> bool:
        return not (self.keys or self.roots)


def parse_trust(data: Any, source: str) -> Trust:
    if not isinstance(data, dict) or data.get("format") != TRUST_FORMAT or data.get("version") != 1:
        raise TrustError(_("{path} is not a cpaudit trust file").format(path=source))
    trust = Trust(sources=[source])
    try:
        for raw in data.get("keys", []):
            status = raw["status"]
            if status not in _RANK or not fmt.KEY_ID_RE.match(raw["key_id"]):
                raise ValueError
            public = fmt.unb64(raw["public_key"], 32) if raw.get("public_key") else None
            if public is not None and fmt.key_id_of(public) != raw["key_id"]:
                raise ValueError
            trust.add_key(KeyEntry(raw["key_id"], status, public, raw.get("uscc"), raw.get("name"), source))
        for raw in data.get("bureau_roots", []):
            trust.add_root(fmt.unb64(raw["public_key"], 32), str(raw.get("name") or ""))
        trust.revoked_certs |= {str(s) for s in data.get("revoked_certs", [])}
    except (KeyError, TypeError, ValueError):
        raise TrustError(_("{path}: a trust entry is malformed").format(path=source)) from None
    return trust


def load_trust(path: Path) -> Trust:
    """A trust file, or every ``*.json`` in a folder."""
    files = sorted(path.glob("*.json"))[: MAX_TRUST_FILES + 1] if path.is_dir() else [path]
    if len(files) > MAX_TRUST_FILES:
        raise TrustError(_("{path} holds more than {n} trust files").format(path=path, n=MAX_TRUST_FILES))
    trust = Trust()
    for f in files:
        try:
            if f.stat().st_size > MAX_TRUST_BYTES:
                raise TrustError(_("{path} is larger than {size} MB").format(path=f, size=MAX_TRUST_BYTES // 2**20))
            data = fmt.loads_strict(f.read_bytes())
        except FileNotFoundError:
            raise TrustError(_("file not found: {path}").format(path=f)) from None
        except ValueError:
            raise TrustError(_("{path} is not a cpaudit trust file").format(path=f)) from None
        trust.merge(parse_trust(data, str(f)))
    return trust


def trust_file(keys: list[dict[str, Any]] = (), roots: list[dict[str, Any]] = (), revoked_certs: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """A trust file's content (bureau tooling, tests, 'cpaudit key show --trust-entry')."""
    return {"format": TRUST_FORMAT, "version": 1, "keys": list(keys), "bureau_roots": list(roots),
            "revoked_certs": list(revoked_certs)}


@dataclass(frozen=True)
class TrustVerdict:
    state: str  # trusted | untrusted | unknown | revoked
    via: str  # registry | certificate | own-key | ""
    problem: str | None  # a reason code that makes the file invalid, or None


def evaluate(trust: Trust, *, key_id: str, public_key: bytes, uscc: str, created_at: str, cert: Any | None) -> TrustVerdict:
    """Trust state of the signer of a submission whose signature already checked out."""
    from cpaudit.bundle.certs import check_certificate

    entry = trust.keys.get(key_id)
    if entry is not None and entry.public_key is not None and entry.public_key != public_key:
        return TrustVerdict(UNKNOWN, "registry", "signer_key_mismatch")  # same id, other key: never trust the id alone
    if entry is not None and entry.status == REVOKED:
        return TrustVerdict(REVOKED, "registry", "signer_revoked")
    if cert is not None and cert.serial in trust.revoked_certs:
        return TrustVerdict(REVOKED, "certificate", "signer_revoked")
    if entry is not None and entry.status == TRUSTED:
        if entry.uscc and entry.uscc != uscc:
            return TrustVerdict(UNTRUSTED, "registry", "signer_wrong_enterprise")
        return TrustVerdict(TRUSTED, entry.source if entry.source in ("own-key", "demo") else "registry", None)
    if cert is not None and trust.roots:
        problem = check_certificate(cert, trust.roots, public_key=public_key, uscc=uscc, at=created_at)
        if problem is None:
            return TrustVerdict(TRUSTED, "certificate", None)
        if problem != "cert_issuer_unknown":
            return TrustVerdict(UNKNOWN, "certificate", problem)
    if entry is not None and entry.status == UNTRUSTED:
        return TrustVerdict(UNTRUSTED, "registry", "signer_untrusted")
    return TrustVerdict(UNKNOWN, "", "signer_unknown")


def own_trust(key_folder: Path | None = None) -> Trust:
    """The user's own signing key and the keys it replaced, as trusted (files this enterprise signed
    verify as its own), and the bureau certificate of the current key (``Trust.own_certs``)."""
    from cpaudit.bundle import keys
    from cpaudit.bundle.certs import CertificateError, parse_certificate

    trust = Trust()
    current = [keys.load_info(key_folder)] if keys.has_key(key_folder) else []
    for info in current + keys.retired_infos(key_folder):
        trust.add_key(KeyEntry(info.key_id, TRUSTED, info.public_key, info.enterprise["uscc"], info.signer["name"], "own-key"))
    if current and current[0].bureau_cert is not None:
        try:
            trust.own_certs.append(parse_certificate(current[0].bureau_cert))
        except CertificateError:
            pass  # an unreadable certificate vouches for nobody; `key show` and export say it cannot be read
    return trust


def install_trust(source: Path, folder: Path | None = None) -> tuple[Path, Trust]:
    """Check a trust file and copy it into the user's trust folder (``<user data>/trust``), which every
    command and the app read: how an enterprise comes to trust its bureau's answers without a
    certificate. Raises TrustError (not a trust file, or a folder) or OSError (cannot write)."""
    import shutil

    from cpaudit import paths

    if source.is_dir():
        raise TrustError(_("{path} is a folder: name one trust file").format(path=source))
    trust = load_trust(source)
    folder = folder or paths.user_data_dir() / "trust"
    raw = source.read_bytes()
    # Named after its content: a second bureau's file called like the first (every export suggests the
    # same name) is installed beside it, not over it; the same file installed twice is one file.
    target = folder / f"{source.stem}-{fmt.sha256_hex(raw)[:12]}.json"
    folder.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copyfile(source, target)
    return target, trust


def trusted_bureaus(trust: Trust) -> str:
    """The bureaus a trust source names, for a confirmation line ("太原市生态环境局")."""
    return _(", ").join(sorted(set(trust.root_names.values()))) or "—"


def installed_trust() -> Trust | None:
    """The user's trust folder (what `trust install` put there), or None when there is none. An
    unreadable file in it raises TrustError: a trust decision is not made on half the files."""
    from cpaudit import paths

    folder = paths.user_data_dir() / "trust"
    return load_trust(folder) if folder.is_dir() else None


def installed_roots() -> dict[str, bytes]:
    """The bureau roots of the user's trust folder ({} when there is none or it cannot be read)."""
    try:
        installed = installed_trust()
    except TrustError:
        return {}
    return dict(installed.roots) if installed is not None else {}
