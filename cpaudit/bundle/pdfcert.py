"""The self-issued X.509 certificate of the PDF signature, bound to the enterprise key.

Viewers verify PAdES with ECDSA P-256 but not with Ed25519, so the PDF is
signed with a second key. The binding to the enterprise's Ed25519 key has two
halves, so it holds whether the PDF travels inside the submission or alone:

1. inside the submission, ``manifest.signer.pdf_cert_sha256`` (signed with
   Ed25519) names the certificate's DER hash;
2. in the certificate itself, the non-critical extension ``BINDING_OID`` holds
   ``{"key_id", "public_key", "signature"}`` where ``signature`` is the
   Ed25519 signature over ``PDF_KEY_DOMAIN + DER(SubjectPublicKeyInfo of the P-256 key)``.
   Anyone holding the registered Ed25519 key can check that the enterprise
   made this PDF key.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from cpaudit.bundle import format as fmt

# A UUID arc (ITU-T X.667, 2.25.<uuid as integer>) needs no registration and cannot collide.
BINDING_OID = x509.ObjectIdentifier("2.25.239865178431934862017419043905871206721")


def _der_utf8(data: bytes) -> bytes:
    """DER UTF8String around ``data`` (the extension value must itself be DER)."""
    n = len(data)
    if n < 0x80:
        length = bytes([n])
    else:
        body = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(body)]) + body
    return b"\x0c" + length + data


def _undo_der_utf8(data: bytes) -> bytes:
    if not data or data[0] != 0x0C:
        raise ValueError("not a UTF8String")
    first = data[1]
    if first < 0x80:
        return data[2:2 + first]
    size = first & 0x7F
    n = int.from_bytes(data[2:2 + size], "big")
    return data[2 + size:2 + size + n]


def _spki(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def make_pdf_certificate(edkey: ed25519.Ed25519PrivateKey, eckey: ec.EllipticCurvePrivateKey,
                         enterprise: dict[str, str], signer: dict[str, str], now: dt.datetime) -> bytes:
    """PEM of a self-signed P-256 certificate for the signer, carrying the Ed25519 binding."""
    public = edkey.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = fmt.key_id_of(public)
    binding = fmt.canonical_bytes({
        "key_id": key_id, "public_key": fmt.b64(public),
        "signature": fmt.b64(edkey.sign(fmt.PDF_KEY_DOMAIN + _spki(eckey.public_key()))),
    })
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, signer["name"][:64]),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, enterprise["name"][:64]),
             x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, enterprise["uscc"][:64]),
             x509.NameAttribute(NameOID.SERIAL_NUMBER, key_id)]
    if signer.get("title"):
        attrs.insert(1, x509.NameAttribute(NameOID.TITLE, signer["title"][:64]))
    name = x509.Name(attrs)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(eckey.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(eckey.public_key()), critical=False)
        .add_extension(x509.UnrecognizedExtension(BINDING_OID, _der_utf8(binding)), critical=False)
        .sign(eckey, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def binding_of(cert: x509.Certificate) -> dict[str, Any] | None:
    """The binding extension, checked: returns ``{"key_id", "public_key"}`` or None when absent or forged."""
    try:
        ext = cert.extensions.get_extension_for_oid(BINDING_OID).value
        data = json.loads(_undo_der_utf8(ext.value))  # type: ignore[attr-defined]
        public = fmt.unb64(data["public_key"], 32)
        spki = _spki(cert.public_key())  # type: ignore[arg-type]
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(fmt.unb64(data["signature"], 64), fmt.PDF_KEY_DOMAIN + spki)
    except Exception:  # absent, malformed or a bad signature: all mean "not bound"
        return None
    if fmt.key_id_of(public) != data.get("key_id"):
        return None
    return {"key_id": data["key_id"], "public_key": public}


def cert_sha256(pem_or_der: bytes) -> str:
    cert = x509.load_pem_x509_certificate(pem_or_der) if pem_or_der.startswith(b"-----") else x509.load_der_x509_certificate(pem_or_der)
    return fmt.sha256_hex(cert.public_bytes(serialization.Encoding.DER))
