"""Wrong key, unknown / untrusted / revoked signer, bureau certificates, stale and replayed revisions."""

from __future__ import annotations

import json
import zipfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from cpaudit.bundle import format as fmt
from cpaudit.bundle.certs import issue_certificate
from cpaudit.bundle.revisions import Ledger
from cpaudit.bundle.trust import KeyEntry, Trust, load_trust, trust_file
from cpaudit.bundle.verify import verify_file, verify_files


def _raw(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _replace(src, dst, changes: dict[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, changes.get(info.filename, zin.read(info)))
        for name, data in changes.items():
            if name not in zin.namelist():
                zout.writestr(name, data)


def test_signature_by_another_key_is_rejected(setup, bundle, tmp_path):
    """A thief swaps in his own signature over the same manifest: it does not match the key the manifest names."""
    with zipfile.ZipFile(bundle) as zf:
        manifest = zf.read(fmt.E_MANIFEST)
    forged = tmp_path / "wrong-key.cpaudit"
    _replace(bundle, forged, {fmt.E_SIGNATURE: ed25519.Ed25519PrivateKey.generate().sign(fmt.signature_input(manifest))})
    assert verify_file(forged, setup.trust()).reason.code == "signature_invalid"


def test_manifest_naming_another_key_is_an_unknown_signer(setup, bundle, tmp_path):
    """Re-signing everything with a fresh key works mathematically, but nobody trusts that key."""
    other = ed25519.Ed25519PrivateKey.generate()
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read(fmt.E_MANIFEST))
    manifest["signer"].update(public_key=fmt.b64(_raw(other)), key_id=fmt.key_id_of(_raw(other)))
    raw = fmt.canonical_bytes(manifest)
    forged = tmp_path / "other-signer.cpaudit"
    _replace(bundle, forged, {fmt.E_MANIFEST: raw, fmt.E_SIGNATURE: other.sign(fmt.signature_input(raw))})
    result = verify_file(forged, setup.trust())
    assert result.signature_ok and result.trust.state == "unknown" and result.reason.code == "signer_unknown"


def test_trust_states(setup, bundle, tmp_path):
    assert verify_file(bundle, Trust()).reason.code == "signer_unknown"
    untrusted = verify_file(bundle, setup.trust("untrusted"))
    assert untrusted.trust.state == "untrusted" and untrusted.reason.code == "signer_untrusted"
    revoked = verify_file(bundle, setup.trust("revoked"))
    assert revoked.trust.state == "revoked" and revoked.reason.code == "signer_revoked"
    # A registry entry with the same key id but another public key: never trust the id alone.
    impostor = Trust()
    impostor.add_key(KeyEntry(setup.info.key_id, "trusted", _raw(ed25519.Ed25519PrivateKey.generate())))
    assert verify_file(bundle, impostor).reason.code == "signer_key_mismatch"
    # Registered for another enterprise.
    elsewhere = Trust()
    elsewhere.add_key(KeyEntry(setup.info.key_id, "trusted", setup.info.public_key, "91110000000000000X"))
    assert verify_file(bundle, elsewhere).reason.code == "signer_wrong_enterprise"


def test_trust_folder_merges_and_revocation_wins(setup, bundle, tmp_path):
    entry = {"key_id": setup.info.key_id, "public_key": fmt.b64(setup.info.public_key), "uscc": setup.info.enterprise["uscc"]}
    (tmp_path / "registry.json").write_text(json.dumps(trust_file(keys=[dict(entry, status="trusted")])), encoding="utf-8")
    assert verify_file(bundle, load_trust(tmp_path)).valid
    (tmp_path / "revocations-2026-12.json").write_text(json.dumps(trust_file(keys=[dict(entry, status="revoked")])), encoding="utf-8")
    assert verify_file(bundle, load_trust(tmp_path)).reason.code == "signer_revoked"


def test_bureau_certificate_makes_the_signer_trusted_and_its_revocation_revokes(setup, tmp_path):
    from bundle_helpers import make_setup

    from cpaudit.bundle import keys

    s = make_setup(tmp_path)
    try:
        root = ed25519.Ed25519PrivateKey.generate()
        cert = issue_certificate(root, "太原市生态环境局", serial="TY-2026-0042", uscc=s.info.enterprise["uscc"],
                                 enterprise_name=s.info.enterprise["name"], signer_name="张伟", signer_title="法定代表人",
                                 public_key=s.info.public_key, not_before="2026-01-01T00:00:00+08:00",
                                 not_after="2028-12-31T23:59:59+08:00")
        (tmp_path / "cert.json").write_text(json.dumps(cert, ensure_ascii=False), encoding="utf-8")
        keys.import_certificate(tmp_path / "cert.json", s.key_folder)
        out = s.export(tmp_path / "with-cert.cpaudit")
        with zipfile.ZipFile(out) as zf:
            assert fmt.E_SIGNER_CERT in zf.namelist()
        inspector = Trust()
        inspector.add_root(_raw(root), "太原市生态环境局")
        result = verify_file(out, inspector)
        assert result.valid and result.trust.state == "trusted" and result.trust.via == "certificate"
        inspector.revoked_certs.add("TY-2026-0042")
        assert verify_file(out, inspector).reason.code == "signer_revoked"
        # A certificate from a root the inspector does not pin: unknown.
        stranger = Trust()
        stranger.add_root(_raw(ed25519.Ed25519PrivateKey.generate()), "elsewhere")
        assert verify_file(out, stranger).reason.code == "signer_unknown"
    finally:
        s.ws.close()


def test_stale_replayed_and_conflicting_revisions(setup, tmp_path):
    from bundle_helpers import make_setup

    s = make_setup(tmp_path)
    try:
        r1, r2 = s.export(tmp_path / "r1.cpaudit"), s.export(tmp_path / "r2.cpaudit")
        trust = s.trust()
        # Given together in any order: checked in revision order, both valid.
        assert [r.valid for r in verify_files([r2, r1], trust)] == [True, True]
        # The same file twice in one run: the second is a replay.
        results = verify_files([r1, r1], trust)
        assert [r.reason.code if r.reason else None for r in results].count("revision_replayed") == 1
        # Against a ledger that already holds r2: r1 arriving now is stale, r2 again a replay.
        ledger = Ledger()
        ledger.record(verify_file(r2, trust).manifest)
        assert verify_file(r1, trust, ledger=ledger.copy()).reason.code == "revision_stale"
        assert verify_file(r2, trust, ledger=ledger.copy()).reason.code == "revision_replayed"
        # The ledger file round-trips through JSON (cpaudit verify --ledger).
        (tmp_path / "ledger.json").write_text(json.dumps(ledger.as_json()), encoding="utf-8")
        assert Ledger.load(tmp_path / "ledger.json").records == ledger.records
        # r3 skipping r2: valid, with a non-fatal gap note, when only r1 is known.
        r3 = s.export(tmp_path / "r3.cpaudit")
        known = Ledger()
        known.record(verify_file(r1, trust).manifest)
        gap = verify_file(r3, trust, ledger=known)
        assert gap.valid and [f.code for f in gap.findings] == ["revision_gap"]
    finally:
        s.ws.close()


def test_the_signer_is_warned_of_a_bureau_certificate_not_valid_today():
    import datetime as dt

    from cpaudit.bundle.certs import validity_warning

    root = ed25519.Ed25519PrivateKey.generate()
    public = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    cert = issue_certificate(root, "太原市生态环境局", serial="TY-2025-0007", uscc="91140121MA0L2P8D54",
                             enterprise_name="示例", signer_name="张伟", signer_title="", public_key=public,
                             not_before="2025-01-01T00:00:00+08:00", not_after="2025-12-31T23:59:59+08:00")
    inside = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
    after = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    assert validity_warning(None, after) is None and validity_warning(cert, inside) is None
    warning = validity_warning(cert, after)
    assert warning is not None and "2025年1月1日" in warning and "2025年12月31日" in warning
    assert validity_warning({"format": "something else"}, after) is not None  # unreadable: said, not ignored


def test_a_certificate_dated_by_days_runs_to_the_end_of_its_last_day_and_bad_dates_are_refused():
    """Found in review: `trust certify --not-before yesterday` and an end before the start were signed,
    and a date-only end stopped at 00:00, so a file signed on the printed last day was cert_expired."""
    import pytest

    from cpaudit.bundle.certs import CertificateError, check_certificate, parse_certificate, validity_bounds

    assert validity_bounds("2026-01-01", "2026-11-29") == ("2026-01-01T00:00:00+08:00", "2026-11-29T23:59:59+08:00")
    assert validity_bounds("2026-01-01T08:00:00+08:00", "2026-11-29T12:00:00Z")[1] == "2026-11-29T12:00:00+00:00"
    for start, end, named in (("yesterday", "2027-01-01", "--not-before"), ("2026-12-01", "2026-01-01", "--not-after"),
                              ("2026-01-01", "2026-13-01", "--not-after")):
        with pytest.raises(CertificateError, match=named):
            validity_bounds(start, end)

    root, signer = ed25519.Ed25519PrivateKey.generate(), _raw(ed25519.Ed25519PrivateKey.generate())
    start, end = validity_bounds("2026-01-01", "2026-11-29")
    cert = parse_certificate(issue_certificate(root, "局", serial="1", uscc="91140121MA0L2P8D54", enterprise_name="示例",
                                               signer_name="张伟", signer_title="", public_key=signer,
                                               not_before=start, not_after=end))
    roots = {fmt.key_id_of(_raw(root)): _raw(root)}
    last_day_evening = "2026-11-29T18:00:00+08:00"
    assert check_certificate(cert, roots, public_key=signer, uscc="91140121MA0L2P8D54", at=last_day_evening) is None
    assert check_certificate(cert, roots, public_key=signer, uscc="91140121MA0L2P8D54",
                             at="2026-11-30T00:00:01+08:00") == "cert_expired"
    assert check_certificate(cert, roots, public_key=signer, uscc="91140121MA0L2P8D54", at="soon") == "cert_malformed"
