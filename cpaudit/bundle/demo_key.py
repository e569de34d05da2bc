"""The demo signing key of the training sandbox: deterministic, public, labelled DEMO.

Submissions made in the sandbox are signed with this key instead of an
enterprise key, so a trainee never needs (or risks) a real key and a trainer
can rebuild the sandbox anywhere with the same key id. The seed is derived
from a constant in this file: **anyone can sign with it**, which is exactly
why a production inspector workspace must refuse it (``is_demo_key``), and
only a training workspace accepts it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from cpaudit.bundle import format as fmt
from cpaudit.bundle.keys import KeyInfo, UnlockedKey
from cpaudit.bundle.pdfcert import make_pdf_certificate

if TYPE_CHECKING:
    from cpaudit.bundle.trust import Trust

_SEED_LABEL = b"cpaudit training sandbox demo key v1 - NOT SECRET, NEVER TRUST IN PRODUCTION"
DEMO_ENTERPRISE = {"name": "演示 DEMO（培训沙盒）", "uscc": "DEMO"}
DEMO_SIGNER = {"name": "演示签名人 DEMO", "title": "培训演示 training demo"}
DEMO_CREATED = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.timezone.utc)
WATERMARK = "演示 DEMO"


def _seed(purpose: bytes) -> bytes:
    return hashlib.sha256(_SEED_LABEL + b"\n" + purpose).digest()


def _ed25519() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(_seed(b"ed25519"))


def _public_raw() -> bytes:
    return _ed25519().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


DEMO_KEY_ID = fmt.key_id_of(_public_raw())


def is_demo_key(key_id_or_public: str | bytes) -> bool:
    """True for the sandbox key, given its key id (hex) or raw public key."""
    if isinstance(key_id_or_public, bytes):
        return key_id_or_public == _public_raw()
    return key_id_or_public.upper() == DEMO_KEY_ID


@lru_cache(maxsize=1)
def demo_key() -> UnlockedKey:
    """The sandbox's signing key (Ed25519 for the manifest, P-256 for the PDF), always the same key id."""
    edkey = _ed25519()
    order = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)
    eckey = ec.derive_private_key(int.from_bytes(_seed(b"p256"), "big") % (order - 1) + 1, ec.SECP256R1())
    public = _public_raw()
    cert = make_pdf_certificate(edkey, eckey, DEMO_ENTERPRISE, DEMO_SIGNER, DEMO_CREATED)
    info = KeyInfo(Path("<demo key>"), DEMO_KEY_ID, fmt.fingerprint_of(public), public, cert,
                   dict(DEMO_ENTERPRISE), dict(DEMO_SIGNER), DEMO_CREATED.isoformat(timespec="seconds"), None)
    return UnlockedKey(info, edkey, eckey)


def accept_demo_files(trust: "Trust") -> "Trust":
    """``trust`` as a training workspace has it: demo files pass, signed by the public demo key
    (``cpaudit verify --accept-demo``, File ▸ Verify in the sandbox). Never for a bureau's real work."""
    from cpaudit.bundle.trust import KeyEntry

    info = demo_key().info
    trust.accept_demo = True
    trust.add_key(KeyEntry(info.key_id, "trusted", info.public_key, None, info.signer["name"], "demo"))
    return trust
