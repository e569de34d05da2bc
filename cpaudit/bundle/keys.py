"""The enterprise signing key: generated locally, encrypted at rest, unlocked only to sign.

One key file ``<user data>/keys/signing-key.json`` holds, in clear, the public
parts (Ed25519 public key, key id, fingerprint, the self-issued P-256
certificate for the PDF signature, who the signer is) and, encrypted under
the passphrase, the Ed25519 seed and the P-256 private key:

    scrypt(passphrase, salt, N=2^15, r=8, p=1) → 32-byte key
    AES-256-GCM(key, 12-byte nonce, plaintext, aad = canonical JSON of the public header)

Our own envelope instead of PKCS#8 ``BestAvailableEncryption`` because the
spec must name the KDF and cipher exactly, and the library's choice is not
documented as stable. The AAD binds the clear header to the secret: editing
the public key or key id in the file makes decryption fail.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from cpaudit import paths
from cpaudit.bundle import format as fmt
from cpaudit.bundle.pdfcert import make_pdf_certificate
from cpaudit.i18n import _

KEY_FILE = "signing-key.json"
CERT_FILE = "signer-cert.json"
KEY_FORMAT = "cpaudit-key"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # ~32 MB, ~0.1 s: slow for guessing, fine for one signature
MIN_PASSPHRASE = 8


class KeyStoreError(Exception):
    """A translated, one-line reason the key cannot be used."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class WrongPassphrase(KeyStoreError):
    pass


@dataclass(frozen=True)
class KeyInfo:
    """The public half, readable without the passphrase."""

    path: Path
    key_id: str
    fingerprint: str
    public_key: bytes
    pdf_cert_pem: bytes
    enterprise: dict[str, str]
    signer: dict[str, str]
    created_at: str
    bureau_cert: dict[str, Any] | None
    role: str = ""  # "enterprise" | "bureau" (the bureau's answer key); "" in key files made before it was written

    @property
    def pdf_cert_sha256(self) -> str:
        from cryptography import x509

        return fmt.sha256_hex(x509.load_pem_x509_certificate(self.pdf_cert_pem).public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class UnlockedKey:
    """Private keys in memory for one signing step; never written anywhere unencrypted."""

    info: KeyInfo
    ed25519: ed25519.Ed25519PrivateKey
    p256: ec.EllipticCurvePrivateKey

    def sign(self, data: bytes) -> bytes:
        return self.ed25519.sign(data)


def key_dir(folder: Path | None = None) -> Path:
    return folder or (paths.user_data_dir() / "keys")


def has_key(folder: Path | None = None) -> bool:
    return (key_dir(folder) / KEY_FILE).is_file()


def _kdf(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode("utf-8"))


def _header(doc: dict[str, Any]) -> bytes:
    """The clear fields bound into the AES-GCM tag."""
    return fmt.canonical_bytes({k: doc[k] for k in ("format", "version", "alg", "key_id", "public_key", "pdf_cert_pem")})


def _seal(doc: dict[str, Any], secret: dict[str, str], passphrase: str) -> dict[str, Any]:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyStoreError(_("the passphrase must have at least {n} characters").format(n=MIN_PASSPHRASE))
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_kdf(passphrase, salt)).encrypt(nonce, fmt.canonical_bytes(secret), _header(doc))
    return dict(doc, kdf={"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": fmt.b64(salt)},
                cipher={"name": "aes-256-gcm", "nonce": fmt.b64(nonce)}, ciphertext=fmt.b64(sealed))


def _open(doc: dict[str, Any], passphrase: str) -> dict[str, str]:
    kdf, cipher = doc["kdf"], doc["cipher"]
    if kdf.get("name") != "scrypt" or cipher.get("name") != "aes-256-gcm":
        raise KeyStoreError(_("the key file uses an encryption this version does not know"))
    if not (2**14 <= int(kdf["n"]) <= 2**20 and int(kdf["r"]) <= 16 and int(kdf["p"]) <= 4):
        raise KeyStoreError(_("the key file asks for unreasonable key derivation parameters"))  # a planted file must not eat all memory
    key = Scrypt(salt=fmt.unb64(kdf["salt"]), length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])).derive(
        passphrase.encode("utf-8"))
    try:
        plain = AESGCM(key).decrypt(fmt.unb64(cipher["nonce"], 12), fmt.unb64(doc["ciphertext"]), _header(doc))
    except InvalidTag:
        raise WrongPassphrase(_("wrong passphrase for the signing key {key_id}").format(key_id=doc.get("key_id"))) from None
    return json.loads(plain)


def _read(folder: Path | None) -> tuple[Path, dict[str, Any]]:
    path = key_dir(folder) / KEY_FILE
    if not path.is_file():
        raise KeyStoreError(_("no signing key on this computer: restore your key's backup with 'cpaudit key restore FILE', "
                              "or create a new key with 'cpaudit key init' (a new key must be registered with the bureau again)"))
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != KEY_FORMAT or doc.get("version") != 1:
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        raise KeyStoreError(_("{path} is not a cpaudit key file").format(path=path)) from None
    return path, doc


def _write_atomic(path: Path, doc: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # owner only, even before the rename
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


MAX_NAME_CHARS = 200


def identity_problem(enterprise_name: str, uscc: str, signer_name: str, signer_title: str = "", *,
                     check_uscc: bool = True) -> str | None:
    """Why the identity a key is made for cannot be used, or None. Checked when the key is made:
    the key's USCC must be the audit's (export refuses another), and a registered key cannot be corrected."""
    if not (enterprise_name.strip() and uscc.strip() and signer_name.strip()):
        return _("enterprise name, unified social credit code and signer name are required")
    if check_uscc:
        from cpaudit.workflow.validate import uscc_problem

        problem = uscc_problem(_("unified social credit code"), uscc)
        if problem:
            return problem
    for label, text in ((_("enterprise name"), enterprise_name), (_("signer name"), signer_name),
                        (_("signer's title"), signer_title)):
        if len(text.strip()) > MAX_NAME_CHARS:
            return _("{field}: at most {n} characters").format(field=label, n=MAX_NAME_CHARS)
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            return _("{field}: contains a control character (a line break or tab, for example)").format(field=label)
    return None


def init_key(passphrase: str, *, enterprise_name: str, uscc: str, signer_name: str, signer_title: str,
             now: dt.datetime | None = None, folder: Path | None = None, force: bool = False,
             check_uscc: bool = True, role: str = "enterprise") -> KeyInfo:
    """Generate the Ed25519 key and the P-256 PDF key, and store them encrypted.

    ``check_uscc``: the code must be a valid unified social credit code (enterprise keys; the
    bureau's answer key names the bureau's code, which is not checked here)."""
    path = key_dir(folder) / KEY_FILE
    if path.exists() and not force:
        raise KeyStoreError(_("a signing key already exists ({path}); use --force to replace it").format(path=path))
    problem = identity_problem(enterprise_name, uscc, signer_name, signer_title, check_uscc=check_uscc)
    if problem:
        raise KeyStoreError(problem)
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    edkey, eckey = ed25519.Ed25519PrivateKey.generate(), ec.generate_private_key(ec.SECP256R1())
    public = edkey.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    code = "".join(uscc.split()).upper() if check_uscc else uscc.strip().upper()
    enterprise = {"name": enterprise_name.strip(), "uscc": code}
    signer = {"name": signer_name.strip(), "title": signer_title.strip()}
    cert = make_pdf_certificate(edkey, eckey, enterprise, signer, now)
    doc = {
        "format": KEY_FORMAT, "version": 1, "alg": fmt.SIGNATURE_ALG, "key_id": fmt.key_id_of(public),
        "public_key": fmt.b64(public), "pdf_cert_pem": cert.decode("ascii"), "enterprise": enterprise,
        "signer": signer, "created_at": now.isoformat(timespec="seconds"),
        # Which kind of key this is, so an enterprise key is never published as a bureau root nor the
        # bureau's key installed as an enterprise's (the two files are otherwise alike).
        "role": role,
    }
    secret = {
        "ed25519_seed": fmt.b64(edkey.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                                    serialization.NoEncryption())),
        "p256_pkcs8": fmt.b64(eckey.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption())),
    }
    sealed = _seal(doc, secret, passphrase)
    if path.exists():  # --force: keep the old key file instead of destroying it
        _retire_current(path)
    _write_atomic(path, sealed)
    return load_info(folder)


def _retire_current(path: Path) -> None:
    """Set the current key file (and its bureau certificate) aside, named after that key itself, never
    over another retired file: a retired private key is the only way to read what it signed."""
    try:
        key_id = str(json.loads(path.read_text(encoding="utf-8")).get("key_id") or "unknown")
    except (OSError, ValueError, AttributeError):
        key_id = "unknown"
    stem, n = f"signing-key.{key_id}", 1
    while path.with_name(f"{stem}.retired.json").exists():
        n += 1
        stem = f"signing-key.{key_id}-{n}"
    os.replace(path, path.with_name(f"{stem}.retired.json"))
    cert = path.parent / CERT_FILE
    if cert.exists():
        os.replace(cert, path.with_name(f"{stem}.{CERT_FILE}"))


def load_info(folder: Path | None = None) -> KeyInfo:
    path, doc = _read(folder)
    return _info(path, doc)


def retired_infos(folder: Path | None = None) -> list[KeyInfo]:
    """The keys ``init_key(force=True)`` set aside (``signing-key.<key id>.retired.json``): still the
    user's own, so files signed with them verify as such. Unreadable ones are skipped."""
    out = []
    for path in sorted(key_dir(folder).glob("signing-key.*.retired.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") == KEY_FORMAT:
                info = _info(path, doc, with_cert=False)
                out.append(info)
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, KeyStoreError):
            continue
    return out


def _info(path: Path, doc: dict[str, Any], with_cert: bool = True) -> KeyInfo:
    public = fmt.unb64(doc["public_key"], 32)
    if fmt.key_id_of(public) != doc["key_id"]:
        raise KeyStoreError(_("{path} is damaged: the key id does not match the public key").format(path=path))
    cert_path = path.parent / CERT_FILE
    bureau = json.loads(cert_path.read_text(encoding="utf-8")) if with_cert and cert_path.is_file() else None
    bureau = bureau if isinstance(bureau, dict) else None  # a file that holds no certificate certifies nothing
    return KeyInfo(path, doc["key_id"], fmt.fingerprint_of(public), public, doc["pdf_cert_pem"].encode("ascii"),
                   doc["enterprise"], doc["signer"], doc["created_at"], bureau, str(doc.get("role") or ""))


def unlock(passphrase: str, folder: Path | None = None) -> UnlockedKey:
    _path, doc = _read(folder)
    secret = _open(doc, passphrase)
    edkey = ed25519.Ed25519PrivateKey.from_private_bytes(fmt.unb64(secret["ed25519_seed"], 32))
    eckey = serialization.load_der_private_key(fmt.unb64(secret["p256_pkcs8"]), password=None)
    info = load_info(folder)
    raw = edkey.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if raw != info.public_key or not isinstance(eckey, ec.EllipticCurvePrivateKey):
        raise KeyStoreError(_("{path} is damaged: the private key does not match the public key").format(path=info.path))
    return UnlockedKey(info, edkey, eckey)


def change_passphrase(old: str, new: str, folder: Path | None = None) -> KeyInfo:
    path, doc = _read(folder)
    secret = _open(doc, old)
    clear = {k: v for k, v in doc.items() if k not in ("kdf", "cipher", "ciphertext")}
    _write_atomic(path, _seal(clear, secret, new))
    return load_info(folder)


def new_key_warning() -> str:
    """Said when the key is made (no backup exists yet: backup_warning would talk of one)."""
    return _("The key is encrypted with your passphrase. Without the passphrase nobody can use it, "
             "not even you: a lost passphrase means a new key and a new registration with the bureau.")


def backup_warning() -> str:
    return _("This backup is encrypted with your passphrase. Without the passphrase nobody can use it, "
             "not even you: a lost passphrase means a new key and a new registration with the bureau.")


BACKUP_CERT = "bureau_certificate"  # the bureau's certificate of the key, carried in the backup (not in the AES-GCM header)


def export_backup(dest: Path, folder: Path | None = None, overwrite: bool = False) -> Path:
    """Copy the encrypted key file (never the decrypted key) to ``dest``, with the bureau's certificate
    of the key when there is one: a key restored on another computer should not need a new one.
    ``overwrite``: the user already agreed to replace ``dest`` (a save dialog asked)."""
    path, doc = _read(folder)
    if dest.exists() and not overwrite:
        raise KeyStoreError(_("{path} already exists").format(path=dest))
    cert_path = path.parent / CERT_FILE
    if cert_path.is_file():
        doc = dict(doc, **{BACKUP_CERT: json.loads(cert_path.read_text(encoding="utf-8"))})
    _write_atomic(dest, doc)
    return dest


def restore_backup(source: Path, passphrase: str, folder: Path | None = None, force: bool = False,
                   role: str | None = None) -> tuple[KeyInfo, bool]:
    """Install a backup made by ``export_backup`` as this computer's signing key (another PC, a lost
    disk). The passphrase must open it first: a backup nobody can unlock is not installed over nothing.
    An existing key is refused unless ``force``; then it is kept aside as ``init_key`` keeps it.
    Returns the key, and whether the backup's certificate was left out (not this key's, or unreadable)."""
    try:
        doc = json.loads(source.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != KEY_FORMAT or doc.get("version") != 1:
            raise ValueError
        cert = doc.pop(BACKUP_CERT, None)
        _info(source, doc, with_cert=False)  # the key id matches the public key
    except FileNotFoundError:
        raise KeyStoreError(_("file not found: {path}").format(path=source)) from None
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise KeyStoreError(_("{path} is not a cpaudit key backup").format(path=source)) from None
    if role and doc.get("role") and doc["role"] != role:
        raise KeyStoreError(role_mismatch(doc["role"], source))
    _open(doc, passphrase)  # WrongPassphrase names the key
    dropped = cert is not None and not _certifies(cert, doc)
    cert = None if dropped else cert  # a damaged or mixed-up certificate is not installed
    path = key_dir(folder) / KEY_FILE
    if path.exists():
        if not force:
            raise KeyStoreError(_("a signing key already exists ({path}); use --force to replace it").format(path=path))
        same = _read(folder)[1].get("key_id") == doc["key_id"]
        if not same:
            _retire_current(path)
        elif cert is None:  # the same key again: a backup without a certificate keeps the one installed
            cert = load_info(folder).bureau_cert
    _write_atomic(path, doc)
    if cert is not None:
        (path.parent / CERT_FILE).write_text(json.dumps(cert, ensure_ascii=False), encoding="utf-8")
    else:
        (path.parent / CERT_FILE).unlink(missing_ok=True)
    return load_info(folder), dropped


def role_mismatch(role: str, where: Path) -> str:
    """Said when a bureau key is offered as an enterprise's signing key, or the other way round."""
    if role == "bureau":
        return _("{path} holds the bureau's answer key, not an enterprise signing key (the bureau's key lives in "
                 "bureau-key: use --key-folder)").format(path=where)
    return _("{path} holds an enterprise signing key, not the bureau's answer key").format(path=where)


def dropped_certificate_note() -> str:
    return _("the backup's bureau certificate is not a certificate of this key, or cannot be read, so it was "
             "not installed: import the certificate the bureau sent with 'key import-cert'")


def _certifies(cert: Any, doc: dict[str, Any]) -> bool:
    """Whether ``cert`` is a readable bureau certificate of the key in ``doc`` (same key, same enterprise)."""
    from cpaudit.bundle.certs import CertificateError, parse_certificate

    if cert is None:
        return False
    try:
        parsed = parse_certificate(cert)
    except CertificateError:
        return False
    return parsed.key_id == doc["key_id"] and parsed.uscc == doc["enterprise"].get("uscc")


def import_certificate(source: Path, folder: Path | None = None, roots: dict[str, bytes] | None = None) -> dict[str, Any]:
    """Store the bureau's certificate for our key after checking it names our key and enterprise, and,
    when bureau ``roots`` are installed, that one of them issued it: the certificate's issuer is the
    bureau whose answers are then trusted, so a self-made "bureau" must not slip in beside a real one."""
    from cpaudit.bundle.certs import CertificateError, issued_by, parse_certificate

    info = load_info(folder)
    try:
        raw = source.read_bytes()[: fmt.MAX_CERT_BYTES + 1]
    except OSError as exc:
        from cpaudit.store.errors import os_reason

        raise KeyStoreError(_("cannot read {path}: {reason}").format(path=source, reason=os_reason(exc, writing=False))) from None
    try:
        data = fmt.loads_strict(raw)
        cert = parse_certificate(data)
    except CertificateError as exc:
        raise KeyStoreError(_("{path} is not a bureau certificate: {error}").format(path=source, error=exc.message)) from None
    except (ValueError, RecursionError):  # the JSON parser's own text is English and technical
        raise KeyStoreError(_("{path} is not a bureau certificate").format(path=source)) from None
    if cert.public_key != info.public_key:
        raise KeyStoreError(_("the certificate is for key {other}, not for this key {key_id}").format(
            other=cert.key_id, key_id=info.key_id))
    if cert.uscc != info.enterprise["uscc"]:
        raise KeyStoreError(_("the certificate names the enterprise {uscc}, not {ours}").format(
            uscc=cert.uscc, ours=info.enterprise["uscc"]))
    if roots and not (cert.issuer_key_id in roots and issued_by(cert, roots[cert.issuer_key_id])):
        raise KeyStoreError(_("the certificate was issued by key {issuer}, which is not a bureau this computer trusts "
                              "(its installed trust files name others)").format(issuer=cert.issuer_key_id))
    _write_atomic(info.path.parent / CERT_FILE, data)
    return data
