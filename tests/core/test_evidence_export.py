"""The evidence ZIP: one folder per step, the files as attached, and an index that says where each belongs."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import pytest

from cpaudit.domain.changes import Attach, InsertRow
from cpaudit.evidence import stored_path
from cpaudit.evidence_export import INDEX, export_evidence_zip


@pytest.fixture
def session(make_workspace):
    ws = make_workspace()
    return ws.session(ws.create_audit("Evidence export").id)


def pdf(folder: Path, name: str, body: bytes) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.4\n" + body)
    return path


def test_every_file_is_in_its_steps_folder_with_an_index(session, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    first = pdf(a, "决定文件.pdf", b"one")
    second = pdf(b, "决定文件.pdf", b"two")  # the same name, other content, same step
    session.apply([Attach("leadership", "commitment", str(first)), Attach("leadership", "commitment", str(second))])
    session.apply(InsertRow("team", "members", {"name": "王工", "role": "leader"}))
    row_id = session.document.rows("team", "members")[0]["_id"]
    session.apply(Attach("team", "members", str(pdf(a, "证书.pdf", b"three")), row_id))
    out = tmp_path / "evidence.zip"
    seen: list[float] = []
    assert export_evidence_zip(session.document, session.workflow, session.workspace_path, out, "zh_CN", seen.append) == 3
    assert seen[-1] == 1.0 and not out.with_name("evidence.zip.partial").exists()
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert all(i.compress_type == zipfile.ZIP_STORED and i.date_time[0] >= 2024 for i in zf.infolist() if i.filename != INDEX)
        index = list(csv.reader(io.StringIO(zf.read(INDEX).decode("utf-8-sig"))))
        contents = {n: zf.read(n) for n in names if n != INDEX}
    assert sorted(contents) == ["01 取得领导支持/决定文件 (2).pdf", "01 取得领导支持/决定文件.pdf", "02 组建审核小组/证书.pdf"]
    assert contents["01 取得领导支持/决定文件.pdf"] == first.read_bytes()
    assert contents["01 取得领导支持/决定文件 (2).pdf"] == second.read_bytes()
    header, *rows = index
    assert header[0] == "文件" and len(rows) == 3
    certificate = next(r for r in rows if r[0] == "02 组建审核小组/证书.pdf")
    assert "第 1 行" in certificate[1] and certificate[2] == str(len(b"%PDF-1.4\nthree")) and certificate[5] == "是"


def test_a_changed_stored_copy_is_flagged_and_a_failed_export_leaves_nothing(session, tmp_path):
    source = pdf(tmp_path, "monitoring.pdf", b"report")
    session.apply(Attach("leadership", "commitment", str(source)))
    (a,) = session.document.attachments.values()
    stored = stored_path(session.workspace_path, a.sha256)
    os.chmod(stored, 0o644)
    stored.write_bytes(b"%PDF-1.4\nsomething else")  # changed behind the application's back
    out = tmp_path / "evidence.zip"
    export_evidence_zip(session.document, session.workflow, session.workspace_path, out, "en")
    with zipfile.ZipFile(out) as zf:
        (row,) = list(csv.reader(io.StringIO(zf.read(INDEX).decode("utf-8-sig"))))[1:]
    assert row[5] == "NO: missing or changed"

    def stop(fraction: float) -> None:
        raise KeyboardInterrupt  # as Cancel does

    again = tmp_path / "again.zip"
    with pytest.raises(KeyboardInterrupt):
        export_evidence_zip(session.document, session.workflow, session.workspace_path, again, "en", stop)
    assert list(tmp_path.glob("again.zip*")) == []
