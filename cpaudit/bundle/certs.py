"""Bureau certificates for enterprise keys (``signatures/signer-cert.json``).

A deliberately tiny format instead of X.509: one canonical JSON object signed
with the bureau's offline Ed25519 root key. A verifier needs only an Ed25519
implementation and a JSON parser, and there are no ASN.1 parsers in the path
of hostile input.

    {"format": "cpaudit-signer-cert", "version": 1,
     "cert": {"serial", "issuer": {"name", "key_id"}, "enterprise": {"uscc", "name"},
              "signer": {"name", "title"}, "alg": "ed25519", "key_id", "public_key",
              "not_before", "not_after"},
     "signature": base64(Ed25519(root, SIGNER_CERT_DOMAIN + canonical(cert)))}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from cpaudit import formatting
from cpaudit.bundle import format as fmt
from cpaudit.i18n import _

CERT_FORMAT = "cpaudit-signer-cert"


class CertificateError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class SignerCert:
    serial: str
    issuer_key_id: str
    uscc: str
    key_id: str
    public_key: bytes
    not_before: str
    not_after: str
    body: dict[str, Any]
    signature: bytes


def issue_certificate(root: ed25519.Ed25519PrivateKey, issuer_name: str, *, serial: str, uscc: str,
                      enterprise_name: str, signer_name: str, signer_title: str, public_key: bytes,
                      not_before: str, not_after: str) -> dict[str, Any]:
    """The bureau side (and tests): sign a certificate for an enterprise key."""
    root_public = root.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    body = {
        "serial": serial, "issuer": {"name": issuer_name, "key_id": fmt.key_id_of(root_public)},
        "enterprise": {"uscc": uscc, "name": enterprise_name}, "signer": {"name": signer_name, "title": signer_title},
        "alg": fmt.SIGNATURE_ALG, "key_id": fmt.key_id_of(public_key), "public_key": fmt.b64(public_key),
        "not_before": not_before, "not_after": not_after,
    }
    signature = root.sign(fmt.SIGNER_CERT_DOMAIN + fmt.canonical_bytes(body))
    return {"format": CERT_FORMAT, "version": 1, "cert": body, "signature": fmt.b64(signature)}


def parse_certificate(data: Any) -> SignerCert:
    """Structure only; ``check_certificate`` decides whether it is trusted."""
    try:
        if data.get("format") != CERT_FORMAT or data.get("version") != 1:
            raise ValueError
        body = data["cert"]
        public = fmt.unb64(body["public_key"], 32)
        fields = (body["serial"], body["issuer"]["key_id"], body["enterprise"]["uscc"], body["key_id"],
                  body["not_before"], body["not_after"])
        if not all(isinstance(f, str) for f in fields) or body.get("alg") != fmt.SIGNATURE_ALG:
            raise ValueError
        if fmt.key_id_of(public) != body["key_id"]:
            raise ValueError
        return SignerCert(body["serial"], body["issuer"]["key_id"], body["enterprise"]["uscc"], body["key_id"], public,
                          body["not_before"], body["not_after"], body, fmt.unb64(data["signature"], 64))
    except (AttributeError, KeyError, TypeError, ValueError):
        raise CertificateError(_("not a cpaudit signer certificate")) from None


def validity_bounds(not_before: str, not_after: str) -> tuple[str, str]:
    """The validity a bureau writes into a certificate, as full ISO times: a date alone runs from the
    start of that day to its end (Beijing time), as a bureau officer reading "valid until 29 Nov"
    means it; a certificate ending at 00:00 refused files signed on its printed last day."""
    def moment(text: str, end: bool, option: str) -> dt.datetime:
        try:
            if len(text.strip()) == 10:
                day = dt.date.fromisoformat(text.strip())
                return _instant((day.isoformat() + ("T23:59:59" if end else "T00:00:00")))
            return _instant(text.strip())
        except ValueError:
            raise CertificateError(_("{option}: '{text}' is not a date (YYYY-MM-DD) or an ISO date and time").format(
                option=option, text=text[:40])) from None

    start, stop = moment(not_before, False, "--not-before"), moment(not_after, True, "--not-after")
    if stop <= start:
        raise CertificateError(_("--not-after ({end}) must be later than --not-before ({start})").format(
            end=not_after, start=not_before))
    return start.isoformat(), stop.isoformat()


def _instant(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))  # bureau dates are Beijing time


def validity_warning(data: dict[str, Any] | None, at: dt.datetime) -> str | None:
    """What the signer should know before signing at ``at`` with the bureau certificate ``data``
    (the stored certificate file): None while it is valid, or when there is none."""
    if data is None:
        return None
    try:
        cert = parse_certificate(data)
        start, end = _instant(cert.not_before), _instant(cert.not_after)
    except (CertificateError, ValueError):
        return _("The bureau's certificate for this key cannot be read; ask the bureau for a new one.")
    if start <= at <= end:
        return None
    return _("The bureau's certificate for this key is valid from {start} to {end}, not now. A bureau that trusts your "
             "key only through the certificate will refuse the file: ask it for a new certificate.").format(
        start=formatting.date(start.date()), end=formatting.date(end.date()))


def issued_by(cert: SignerCert, root: bytes) -> bool:
    """Whether the key ``root`` signed ``cert``."""
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(root).verify(cert.signature, fmt.SIGNER_CERT_DOMAIN + fmt.canonical_bytes(cert.body))
    except (InvalidSignature, fmt.NotCanonical, ValueError):
        return False
    return True


def check_certificate(cert: SignerCert, roots: dict[str, bytes], *, public_key: bytes, uscc: str, at: str) -> str | None:
    """None when a pinned root issued ``cert`` for this key and enterprise at ``at``; else a reason code."""
    root = roots.get(cert.issuer_key_id)
    if root is None:
        return "cert_issuer_unknown"
    if not issued_by(cert, root):
        return "cert_signature_invalid"
    if cert.public_key != public_key:
        return "cert_wrong_key"
    if cert.uscc != uscc:
        return "cert_wrong_enterprise"
    try:
        start, end, signed = _instant(cert.not_before), _instant(cert.not_after), _instant(at)
    except ValueError:
        return "cert_malformed"  # a validity nobody can read is not an expiry
    return None if start <= signed <= end else "cert_expired"
