"""Review a received submission, sign the answer with the bureau key, and see it in the enterprise workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import PASSPHRASE, NOW

from cpaudit.bundle.keys import unlock
from cpaudit.bundle.trust import Trust
from cpaudit.domain.changes import SetCell, SetField
from cpaudit.review import registry, reviews, scoring, snapshot
from cpaudit.review.answer import AnswerError, answers_for, import_answer, init_bureau_key, issue_answer
from cpaudit.review.importer import IMPORTED, import_paths
from cpaudit.review.inspector import ReviewError, open_inspector


@pytest.fixture(scope="module")
def received(plating, tmp_path_factory):
    """Revision 1, an edit (a field and a table cell), revision 2; both imported by the bureau."""
    out = tmp_path_factory.mktemp("answer")
    r1 = plating.export(out / "r1.cpaudit")
    contact = plating.ws.document(plating.audit_id).rows("enterprise", "contacts")[0]["_id"]
    session = plating.ws.session(plating.audit_id)
    session.apply(SetField("enterprise", "staff", 131))
    session.apply(SetCell("enterprise", "contacts", contact, "phone", "0351-0000009"))
    r2 = plating.export(out / "r2.cpaudit")
    ws = open_inspector(out / "bureau.db")
    registry.add_request(ws, plating.request(out / "request.json"), confirm_fingerprint=plating.info.fingerprint)
    outcomes = import_paths(ws, [r1, r2])
    assert [o.status for o in outcomes] == [IMPORTED, IMPORTED]
    yield ws, outcomes[0].submission_id, outcomes[1].submission_id, contact, out
    ws.close()


def test_the_snapshot_reads_back_with_figures_warnings_and_report(received):
    ws, _r1, r2, _contact, _out = received
    doc, wf = snapshot.snapshot_document(ws, r2)
    assert doc.get("enterprise", "staff") == 131 and wf.id == "cn-cp-audit"
    assert snapshot.figure_mismatches(ws, r2) == []
    assert all(w.justification for w in snapshot.warnings_of(ws, r2))
    assert snapshot.report_pdf(ws, r2).startswith(b"%PDF-")
    assert snapshot.evidence_of(ws, r2) == []
    assert [s.revision for s in snapshot.revisions(ws, r2)] == [1, 2]


def test_the_diff_between_revisions_names_field_row_and_column(received):
    ws, r1, r2, contact, _out = received
    changes = snapshot.diff_submissions(ws, r1, r2)
    assert [(c.step, c.field, c.row, c.column, c.old, c.new) for c in changes] == [
        ("enterprise", "contacts", contact, "phone", "0351-0000001", "0351-0000009"),
        ("enterprise", "staff", "", "", 130, 131),
    ]


def test_the_stored_snapshot_cannot_be_changed(received):
    import sqlite3

    ws, _r1, r2, _contact, _out = received
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        ws.db.execute("UPDATE submission_content SET audit_json = '{}' WHERE submission_id = ?", [r2])
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        ws.db.execute("UPDATE submissions SET manifest_sha256 = 'x' WHERE submission_id = ?", [r2])


def test_an_answer_round_trips_into_the_enterprise_workspace(received, plating):
    ws, r1, r2, contact, out = received
    sheet = scoring.default_sheet("assessment")
    reviews.open_review(ws, r2)
    for item in sheet.scored:
        reviews.set_points(ws, r2, item.id, item.max - (1 if item.max >= 5 else 0))
    reviews.set_points(ws, r2, sheet.bonus[0].id, 2)
    with pytest.raises(ReviewError):
        reviews.set_points(ws, r2, sheet.scored[0].id, sheet.scored[0].max + 1)
    comment = reviews.add_comment(ws, r2, reviews.Anchor("enterprise", "contacts", contact, "phone"), "请核实联系电话")
    with pytest.raises(ReviewError):
        reviews.add_comment(ws, r2, reviews.Anchor("enterprise", "contacts", "no-such-row"), "x")
    state = reviews.decide(ws, r2, scoring.PASS)
    assert state.result.passed and state.decision == "pass"
    assert snapshot.get_submission(ws, r2).status == "passed"

    bureau_keys = out / "bureau-keys"
    info = init_bureau_key(PASSPHRASE, bureau_name="太原市生态环境局", code="11140100MB12345675", folder=bureau_keys, now=NOW)
    answer = out / "answer.json"
    issue_answer(ws, r2, unlock(PASSPHRASE, bureau_keys), answer)
    with pytest.raises(ReviewError):  # frozen once the enterprise was told
        reviews.set_points(ws, r2, sheet.scored[0].id, 0)

    with pytest.raises(AnswerError):  # a bureau the enterprise does not trust
        import_answer(plating.ws, answer, Trust())
    trust = Trust()
    trust.add_root(info.public_key, "太原市生态环境局")
    received_answer = import_answer(plating.ws, answer, trust)
    import_answer(plating.ws, answer, trust)  # idempotent
    [shown] = answers_for(plating.ws, plating.audit_id)
    assert shown.answer_id == received_answer.answer_id and shown.decision == "pass"
    assert shown.received_at == snapshot.get_submission(ws, r2).received_at
    assert shown.received_at[:10] in shown.receipt_line() and "通过" in shown.receipt_line()
    [on_phone] = shown.comments_for("enterprise", "contacts", contact)
    assert on_phone.text == comment.text and on_phone.anchor.column == "phone"
    assert shown.body["scores"]["total"] == str(state.result.total)

    tampered = out / "tampered.json"
    tampered.write_bytes(answer.read_bytes().replace("请核实".encode(), "已核实".encode()))
    with pytest.raises(AnswerError):
        import_answer(plating.ws, tampered, trust)


def test_an_answer_for_a_file_the_enterprise_did_not_send_is_refused(received, coking, tmp_path):
    ws, _r1, r2, _contact, out = received
    bureau_keys = tmp_path / "bureau"
    info = init_bureau_key(PASSPHRASE, bureau_name="局", code="11140100MB12345675", folder=bureau_keys, now=NOW)
    answer = tmp_path / "receipt.json"
    issue_answer(ws, r2, unlock(PASSPHRASE, bureau_keys), answer)
    trust = Trust()
    trust.add_root(info.public_key, "局")
    with pytest.raises(AnswerError):
        import_answer(coking.ws, answer, trust)


def test_a_decision_the_changed_sheet_no_longer_supports_is_withdrawn(received, tmp_path):
    """A pass recorded at full points stayed 'pass' after items were set to 0 and a veto ticked,
    and the signed answer then said "pass" beside 52 points and the veto."""
    ws, r1, _r2, _contact, _out = received
    sheet = scoring.default_sheet("assessment")
    reviews.open_review(ws, r1)

    def full_marks() -> None:
        for item in sheet.scored:
            reviews.set_points(ws, r1, item.id, item.max)

    full_marks()
    assert reviews.decide(ws, r1, scoring.PASS).decision == "pass"
    state = reviews.set_points(ws, r1, sheet.scored[0].id, sheet.scored[0].max)  # the same: still supported
    assert state.decision == "pass"
    for item in sheet.scored[: len(sheet.scored) // 2]:
        state = reviews.set_points(ws, r1, item.id, 0)
    assert not state.result.passed and state.decision is None
    assert snapshot.get_submission(ws, r1).status == "in_review"

    full_marks()
    reviews.decide(ws, r1, scoring.PASS)
    state = reviews.set_veto(ws, r1, sheet.vetoes[0].id, True)
    assert state.decision is None and snapshot.get_submission(ws, r1).status == "in_review"
    with pytest.raises(ReviewError):
        reviews.decide(ws, r1, scoring.PASS)

    # A decision stored before this check (an older database) is not signed either.
    ws.db.execute("UPDATE reviews SET decision = 'pass' WHERE submission_id = ?", [r1])
    keys = tmp_path / "bureau-keys"
    init_bureau_key(PASSPHRASE, bureau_name="太原市生态环境局", code="11140100MB12345675", folder=keys, now=NOW)
    with pytest.raises(ReviewError, match="否定项"):
        issue_answer(ws, r1, unlock(PASSPHRASE, keys), tmp_path / "answer.json")
    assert not (tmp_path / "answer.json").exists()
    reviews.set_veto(ws, r1, sheet.vetoes[0].id, False)


def test_the_bureau_key_checks_the_bureau_s_code(tmp_path):
    """`review bureau-key --code` took any text; the code is the bureau's own unified social credit code."""
    from cpaudit.bundle.keys import KeyStoreError, has_key

    with pytest.raises(KeyStoreError):
        init_bureau_key(PASSPHRASE, bureau_name="太原市生态环境局", code="123", folder=tmp_path / "k", now=NOW)
    assert not has_key(tmp_path / "k")
    init_bureau_key(PASSPHRASE, bureau_name="太原市生态环境局", code="11140100MB12345675", folder=tmp_path / "k", now=NOW)
    assert has_key(tmp_path / "k")


def test_only_a_bureau_root_or_the_bureau_that_certified_our_key_may_answer(received, plating, tmp_path):
    """Found in review: an answer signed with the enterprise's own key (`review answer --key-folder`
    pointed at it) was imported as the bureau's "pass", because the user's own key is a trusted entry."""
    import json
    import shutil

    from cpaudit.bundle.keys import import_certificate
    from cpaudit.bundle.trust import TRUSTED, KeyEntry, own_trust

    ws, r1, _r2, _contact, _out = received
    forged = tmp_path / "forged.json"
    issue_answer(ws, r1, unlock(PASSPHRASE, plating.key_folder), forged)
    registry_copy = Trust()  # a registry handed out: enterprise keys marked trusted
    registry_copy.add_key(KeyEntry(plating.info.key_id, TRUSTED, plating.info.public_key))
    for trust in (own_trust(plating.key_folder), registry_copy):
        with pytest.raises(AnswerError, match="未将其作为主管部门信任"):
            import_answer(plating.ws, forged, trust)

    # The bureau that certified this enterprise's key needs no trust file: its certificate names it.
    bureau_keys, own_keys = tmp_path / "bureau", tmp_path / "keys"
    init_bureau_key(PASSPHRASE, bureau_name="太原市生态环境局", code="11140100MB12345675", folder=bureau_keys, now=NOW)
    bureau = unlock(PASSPHRASE, bureau_keys)
    registry.trust_key(ws, plating.info.key_id, plating.info.fingerprint)
    cert = registry.certify_key(ws, plating.info.key_id, bureau, not_before="2026-01-01", not_after="2027-12-31")
    shutil.copytree(plating.key_folder, own_keys)
    (tmp_path / "cert.json").write_text(json.dumps(cert), encoding="utf-8")
    import_certificate(tmp_path / "cert.json", own_keys)
    answer = tmp_path / "answer.json"
    issue_answer(ws, r1, bureau, answer)
    assert import_answer(plating.ws, answer, own_trust(own_keys)).audit_id == plating.audit_id
    other = tmp_path / "other"  # ... but only that bureau: another key claiming its name is refused
    init_bureau_key(PASSPHRASE, bureau_name="太原市生态环境局", code="11140100MB12345675", folder=other, now=NOW)
    issue_answer(ws, r1, unlock(PASSPHRASE, other), tmp_path / "impostor.json")
    with pytest.raises(AnswerError, match="未将其作为主管部门信任"):
        import_answer(plating.ws, tmp_path / "impostor.json", own_trust(own_keys))
    # Once a bureau root is installed it decides alone (found in review: a self-made "bureau" that certified the
    # enterprise's key could still answer), and import-cert refuses a certificate no installed root issued.
    real = Trust()
    real.add_root(unlock(PASSPHRASE, other).info.public_key, "太原市生态环境局")
    with pytest.raises(AnswerError, match="未将其作为主管部门信任"):
        import_answer(plating.ws, answer, real.merge(own_trust(own_keys)))
    from cpaudit.bundle.keys import KeyStoreError

    with pytest.raises(KeyStoreError, match="not a bureau this computer trusts|不是本机信任的主管部门"):
        import_certificate(tmp_path / "cert.json", own_keys, roots=real.roots)


def test_files_signed_with_a_replaced_key_still_verify_as_our_own(plating, tmp_path):
    import shutil

    from cpaudit.bundle import keys
    from cpaudit.bundle.trust import TRUSTED, own_trust
    from cpaudit.bundle.verify import verify_file

    folder = tmp_path / "keys"
    shutil.copytree(plating.key_folder, folder)
    old = plating.export(tmp_path / "old.cpaudit", key_folder=folder)
    keys.init_key(PASSPHRASE, enterprise_name=plating.info.enterprise["name"], uscc=plating.info.enterprise["uscc"],
                  signer_name="李四", signer_title="", folder=folder, force=True, now=NOW)
    trust = own_trust(folder)
    assert trust.keys[plating.info.key_id].status == TRUSTED
    assert verify_file(old, trust).valid
