"""Importing a folder: every kind of file gets its status, and a rejected file leaves nothing behind."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from review_helpers import count_rows, make_enterprise, tamper

from cpaudit.review import importer, registry
from cpaudit.review.importer import ALREADY, IMPORTED, REJECTED, STALE, import_paths
from cpaudit.review.inspector import ReviewError, open_inspector, received_dir
from cpaudit.store.errors import StorageError


@pytest.fixture(scope="module")
def files(plating, coking, tmp_path_factory):
    out = tmp_path_factory.mktemp("files")
    r1, r2, r3 = (plating.export(out / f"plating-r{n}.cpaudit") for n in (1, 2, 3))
    stranger = out / "stranger-keys"
    plating.new_key(stranger)
    unknown = plating.export(out / "plating-unknown.cpaudit", key_folder=stranger)
    c1 = coking.export(out / "coking-r1.cpaudit")
    return {"r1": r1, "r2": r2, "r3": r3, "unknown": unknown, "c1": c1,
            "requests": [plating.request(out / "plating-request.json"), coking.request(out / "coking-request.json")]}


def _inspector(path: Path, files, plating, coking, training: bool = False):
    ws = open_inspector(path, training=training)
    for request, e in zip(files["requests"], (plating, coking)):
        registry.add_request(ws, request, confirm_fingerprint=e.info.fingerprint)
    return ws


def test_a_folder_gives_each_file_its_status_and_rejected_files_leave_nothing(files, plating, coking, tmp_path):
    ws = _inspector(tmp_path / "bureau.db", files, plating, coking)
    assert [o.status for o in import_paths(ws, [files["r2"]])] == [IMPORTED]
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(files["r1"], folder / "a-stale.cpaudit")
    shutil.copy(files["r2"], folder / "b-duplicate.cpaudit")
    shutil.copy(files["r3"], folder / "c-newer.cpaudit")
    shutil.copy(files["unknown"], folder / "d-unknown.cpaudit")
    tamper(files["c1"], folder / "e-tampered.cpaudit")
    shutil.copy(files["c1"], folder / "f-valid.cpaudit")
    before = count_rows(ws)
    stored_before = sorted(p.name for p in received_dir(ws).iterdir())
    outcomes = {o.path.name: o for o in import_paths(ws, [folder])}
    status = {name: o.status for name, o in outcomes.items()}
    assert status == {"a-stale.cpaudit": STALE, "b-duplicate.cpaudit": ALREADY, "c-newer.cpaudit": IMPORTED,
                      "d-unknown.cpaudit": REJECTED, "e-tampered.cpaudit": REJECTED, "f-valid.cpaudit": IMPORTED}
    assert outcomes["d-unknown.cpaudit"].code == "signer_unknown"
    assert outcomes["e-tampered.cpaudit"].code in ("hash_mismatch", "entry_corrupt")
    # the newer revision links to the one it supersedes; the older one is history now
    r2_id = next(o for o in import_paths(ws, [files["r2"]])).submission_id
    assert outcomes["c-newer.cpaudit"].predecessor == r2_id
    states = dict(ws.db.execute("SELECT revision, chain_state FROM submissions WHERE uscc = ?", [plating.info.enterprise["uscc"]]))
    assert states == {1: "stale", 2: "superseded", 3: "current"}
    after = count_rows(ws)
    assert after["submissions"] - before["submissions"] == 3  # stale, newer, valid: nothing of the two rejected
    assert after["submission_content"] - before["submission_content"] == 3
    stored = sorted(p.name for p in received_dir(ws).iterdir())
    assert len(stored) - len(stored_before) == 3 and not any(n.startswith(".") for n in stored)
    # (the tampered file keeps the valid file's manifest, so only the unknown signer's hash is its own)
    unknown_hash = outcomes["d-unknown.cpaudit"].manifest_sha256
    assert not ws.db.execute("SELECT 1 FROM submissions WHERE manifest_sha256 = ?", [unknown_hash]).fetchone()
    # No answer for the stale revision: the enterprise would read "received" for a file nobody reviews.
    from review_helpers import NOW, PASSPHRASE

    from cpaudit.bundle.keys import unlock
    from cpaudit.review.answer import answer_body, init_bureau_key

    init_bureau_key(PASSPHRASE, bureau_name="局", code="11140100MB12345675", folder=tmp_path / "bk", now=NOW)
    with pytest.raises(ReviewError, match="stale|过期"):
        answer_body(ws, outcomes["a-stale.cpaudit"].submission_id, unlock(PASSPHRASE, tmp_path / "bk"))
    ws.close()


def test_a_conflicting_file_with_a_known_submission_id_is_rejected(files, plating, coking, tmp_path):
    import io
    import zipfile

    ws = _inspector(tmp_path / "bureau.db", files, plating, coking)
    import_paths(ws, [files["c1"]])
    # Same submission id, other content: rebuild the zip with a re-signed manifest under another (trusted) key.
    from cpaudit.bundle import format as fmt
    from cpaudit.bundle.keys import unlock
    from review_helpers import PASSPHRASE

    key = unlock(PASSPHRASE, coking.key_folder)
    with zipfile.ZipFile(files["c1"]) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = fmt.loads_strict(entries[fmt.E_MANIFEST])
    manifest["created_at"] = "2026-11-28T10:00:01+08:00"
    entries[fmt.E_MANIFEST] = fmt.canonical_bytes(manifest)
    entries[fmt.E_SIGNATURE] = key.sign(fmt.signature_input(entries[fmt.E_MANIFEST]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for name, data in entries.items():
            zout.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 28, 10, 0, 0)), data,
                          compress_type=zipfile.ZIP_STORED if name in (fmt.E_MIMETYPE, fmt.E_SIGNATURE) else zipfile.ZIP_DEFLATED)
    conflict = tmp_path / "conflict.cpaudit"
    conflict.write_bytes(buf.getvalue())
    before = count_rows(ws)
    [outcome] = import_paths(ws, [conflict])
    assert (outcome.status, outcome.code) == (REJECTED, "submission_conflict")
    assert count_rows(ws) == before
    ws.close()


def test_demo_submissions_only_enter_a_training_workspace(tmp_path_factory, files, plating, coking, tmp_path):
    demo = make_enterprise(tmp_path_factory.mktemp("demo"), "electroplating", demo=True)
    try:
        demo_file = demo.export(tmp_path / "demo.cpaudit")
        production = open_inspector(tmp_path / "bureau.db")
        before = count_rows(production)
        [refused] = import_paths(production, [demo_file])
        assert (refused.status, refused.code) == (REJECTED, "demo_refused")
        assert count_rows(production) == before and not list(received_dir(production).iterdir())
        production.close()
        training = open_inspector(tmp_path / "training.db", training=True)
        [accepted] = import_paths(training, [demo_file])  # the public demo key needs no registration there
        assert accepted.status == IMPORTED and accepted.warnings
        assert training.db.execute("SELECT demo FROM submissions").fetchone()[0] == 1
        training.close()
        with pytest.raises(ReviewError):
            open_inspector(tmp_path / "training.db", training=False)
    finally:
        demo.ws.close()


def test_a_revoked_key_is_refused_and_a_pending_one_is_not_trusted(files, plating, coking, tmp_path):
    ws = open_inspector(tmp_path / "bureau.db")
    key = registry.add_request(ws, files["requests"][1])
    assert key.state == registry.PENDING and key.fingerprint == coking.info.fingerprint
    [pending] = import_paths(ws, [files["c1"]])
    assert (pending.status, pending.code) == (REJECTED, "signer_untrusted")
    with pytest.raises(ReviewError):
        registry.trust_key(ws, key.key_id, "AAAA-BBBB")
    registry.trust_key(ws, key.key_id, coking.info.fingerprint.lower())
    registry.revoke_key(ws, key.key_id, "key lost")
    [revoked] = import_paths(ws, [files["c1"]])
    assert (revoked.status, revoked.code) == (REJECTED, "signer_revoked")
    with pytest.raises(ReviewError):  # a revoked key stays revoked
        registry.trust_key(ws, key.key_id, coking.info.fingerprint)
    assert count_rows(ws)["submissions"] == 0
    ws.close()


def test_a_bureau_certificate_lets_an_enterprise_key_in_without_a_registry_entry(plating, tmp_path):
    from review_helpers import NOW, PASSPHRASE

    from cpaudit.bundle.keys import import_certificate, unlock
    from cpaudit.review.answer import init_bureau_key

    bureau_keys = tmp_path / "bureau"
    init_bureau_key(PASSPHRASE, bureau_name="太原市生态环境局", code="11140100MB12345675", folder=bureau_keys, now=NOW)
    issuing = open_inspector(tmp_path / "issuing.db")
    key = registry.add_request(issuing, plating.request(tmp_path / "request.json"), confirm_fingerprint=plating.info.fingerprint)
    cert = registry.certify_key(issuing, key.key_id, unlock(PASSPHRASE, bureau_keys),
                                not_before="2026-01-01T00:00:00+08:00", not_after="2028-12-31T23:59:59+08:00")
    cert_file = tmp_path / "cert.json"
    import json

    cert_file.write_text(json.dumps(cert, ensure_ascii=False), encoding="utf-8")
    import_certificate(cert_file, plating.key_folder)
    try:
        submission = plating.export(tmp_path / "certified.cpaudit")
    finally:
        (plating.key_folder / "signer-cert.json").unlink()  # the other tests' exports stay without it
    other = open_inspector(tmp_path / "other.db")  # knows only the bureau root, no registry entry
    root = registry.bureau_roots(issuing)
    for public, name in root.values():
        registry.add_bureau_root(other, public, name)
    [outcome] = import_paths(other, [submission])
    assert outcome.status == IMPORTED
    assert other.db.execute("SELECT trust_via FROM submissions").fetchone()[0] == "certificate"
    issuing.close()
    other.close()


def test_a_full_disk_stops_the_import_with_a_plain_message_and_leaves_nothing(files, plating, coking, tmp_path, monkeypatch):
    ws = _inspector(tmp_path / "bureau.db", files, plating, coking)
    def stored() -> list[str]:
        return sorted(p.name for p in received_dir(ws).glob("*"))

    before, stored_before = count_rows(ws), stored()
    conn = ws.db.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(StorageError) as err:
        import_paths(ws, [files["c1"]])
    assert err.value.rule == "storage.full"
    assert count_rows(ws) == before and stored() == stored_before == []
    conn.execute("PRAGMA max_page_count = 1073741823")
    # the copy into the workspace's folder fails the same way when the disk itself is full
    monkeypatch.setattr(importer, "_copy", lambda src, dest: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left")))
    with pytest.raises(StorageError) as err:
        import_paths(ws, [files["c1"]])
    assert err.value.rule == "storage.full"  # not "the file cannot be read": the file is fine
    monkeypatch.undo()
    assert [o.status for o in import_paths(ws, [files["c1"]])] == [IMPORTED]


def test_an_acceptance_without_a_passed_assessment_is_stored_and_said(plating, tmp_path):
    """Found in review: an acceptance of an audit whose assessment was never reviewed came in without a
    word (ref §9: 验收 follows a passed 评估)."""
    ws = open_inspector(tmp_path / "bureau.db")
    registry.add_request(ws, plating.request(tmp_path / "request.json"), confirm_fingerprint=plating.info.fingerprint)
    [assessment] = import_paths(ws, [plating.export(tmp_path / "a.cpaudit")])
    [acceptance] = import_paths(ws, [plating.export(tmp_path / "b.cpaudit", stage="acceptance")])
    assert acceptance.status == IMPORTED and any("评估" in w for w in acceptance.warnings)
    assert "评估" in acceptance.line()
    ws.db.execute("UPDATE submissions SET status = 'passed' WHERE submission_id = ?", [assessment.submission_id])
    [again] = import_paths(ws, [plating.export(tmp_path / "c.cpaudit", stage="acceptance")])
    assert again.status == IMPORTED and not any("评估" in w for w in again.warnings)
    ws.close()
