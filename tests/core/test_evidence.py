"""Evidence: copied and hashed at once, limited by size and type, undoable, in the dump."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from cpaudit import audit_json, evidence
from cpaudit.domain.changes import Attach, DeleteRow, Detach, InsertRow
from cpaudit.evidence import MAX_BYTES, stored_path, verify_stored
from cpaudit.session import EditRejected
from cpaudit.store import records
from cpaudit.store.errors import StorageError


@pytest.fixture
def session(make_workspace):
    ws = make_workspace()
    return ws.session(ws.create_audit("Evidence").id)


def pdf(tmp_path: Path, name: str = "monitoring.pdf", body: bytes = b"report") -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n" + body)
    return path


def test_attach_copies_hashes_and_survives_the_source_changing(session, tmp_path):
    source = pdf(tmp_path)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    cs = session.apply(Attach("leadership", "commitment", str(source)))
    assert cs.attachments == {("leadership", "commitment")}
    (a,) = session.document.attachments_of("leadership", "commitment")
    assert (a.sha256, a.name, a.mime, a.size) == (digest, "monitoring.pdf", "application/pdf", source.stat().st_size)
    source.write_bytes(b"%PDF-1.4 changed afterwards")
    assert verify_stored(session.workspace_path, digest)
    assert records.load_document(session.db, session.audit_id).attachments == session.document.attachments


def test_undo_and_redo_attach_and_detach(session, tmp_path):
    session.apply(Attach("leadership", "commitment", str(pdf(tmp_path))))
    (a,) = session.document.attachments_of("leadership", "commitment")
    session.apply(Detach(a.id))
    assert session.document.attachments == {}
    session.undo()
    assert list(session.document.attachments) == [a.id]
    session.undo()
    assert records.load_document(session.db, session.audit_id).attachments == {}
    session.redo()
    assert list(records.load_document(session.db, session.audit_id).attachments) == [a.id]


def test_row_evidence_goes_and_returns_with_its_row(session, tmp_path):
    session.apply(InsertRow("team", "members", {"name": "Wang", "role": "leader"}))
    row = session.document.rows("team", "members")[0]["_id"]
    session.apply(Attach("team", "members", str(pdf(tmp_path, "certificate.pdf")), row_id=row))
    session.apply(DeleteRow("team", "members", row))
    assert records.load_document(session.db, session.audit_id).attachments == {}
    session.undo()
    assert len(session.document.attachments_of("team", "members", row)) == 1


@pytest.mark.parametrize(
    "name, content, rule",
    [
        ("virus.exe", b"MZ\x90\x00", "evidence.type"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "evidence.content"),
        ("empty.pdf", b"", "evidence.empty"),
    ],
)
def test_bad_files_are_refused_with_a_named_rule(session, tmp_path, name, content, rule):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EditRejected) as err:
        session.apply(Attach("leadership", "commitment", str(path)))
    assert err.value.rejections[0].rule == rule
    assert name in err.value.rejections[0].message
    assert session.document.attachments == {}


def test_oversized_file_is_refused(session, tmp_path):
    big = tmp_path / "huge.pdf"
    with big.open("wb") as fh:
        fh.write(b"%PDF")
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(EditRejected) as err:
        session.apply(Attach("leadership", "commitment", str(big)))
    assert err.value.rejections[0].rule == "evidence.size"


def test_stored_evidence_is_read_only_and_deduplicated(session, tmp_path):
    first = pdf(tmp_path, "a.pdf")
    second = pdf(tmp_path, "b.pdf")  # same bytes, other name
    session.apply(Attach("leadership", "commitment", str(first)))
    session.apply(Attach("leadership", "decision_date", str(second)))
    shas = {a.sha256 for a in session.document.attachments.values()}
    assert len(shas) == 1 and len(session.document.attachments) == 2
    path = stored_path(session.workspace_path, shas.pop())
    assert not path.stat().st_mode & 0o222


def test_attachments_round_trip_through_the_json_document(session, tmp_path, workflow):
    session.apply(Attach("leadership", "commitment", str(pdf(tmp_path))))
    data = audit_json.dump(session.document)
    assert data["attachments"][0]["sha256"] == next(iter(session.document.attachments.values())).sha256
    assert audit_json.dump(audit_json.parse(data, workflow)) == data
    data["attachments"][0]["sha256"] = "not-a-hash"
    with pytest.raises(audit_json.DocumentInvalid):
        audit_json.parse(data, workflow)


def test_a_full_disk_while_copying_evidence_is_said_plainly(session, tmp_path, monkeypatch):
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, _data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(evidence.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(StorageError) as err:
        session.apply(Attach("leadership", "commitment", str(pdf(tmp_path))))
    assert err.value.rule == "storage.full"
    assert session.document.attachments == {} and not list(evidence.store_root(session.workspace_path).glob(".incoming-*"))
