"""`cpaudit report` end to end: from the workspace (with the journal) and from a JSON file."""

from __future__ import annotations

import json
import re

from cpaudit.cli import main

from conftest import pdf_text


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_report_from_the_workspace(small_audit, tmp_path, capsys):
    ws, audit_id = small_audit
    out = tmp_path / "r.pdf"
    code = main(["report", audit_id, "--db", str(ws.path), "--stage", "acceptance", "--lang", "en", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert str(out) in capsys.readouterr().out
    text = flat(pdf_text(out.read_bytes(), tmp_path))
    assert flat("Cleaner production audit report (acceptance version)") in text
    assert "Changesummary" in text and "kick-offmeeting" in text


def test_report_from_a_json_file_in_chinese(small_audit, tmp_path, capsys):
    ws, audit_id = small_audit
    dumped = tmp_path / "a.json"
    assert main(["dump", audit_id, "--db", str(ws.path), "--out", str(dumped)]) == 0
    out = tmp_path / "z.pdf"
    assert main(["report", str(dumped), "--lang", "zh_CN", "--out", str(out)]) == 0
    text = flat(pdf_text(out.read_bytes(), tmp_path))
    assert "清洁生产审核报告（评估版）" in text and "第5章" in text and "第6章" not in text
    assert json.loads(dumped.read_text(encoding="utf-8"))["audit"]["id"] == audit_id


def test_report_errors_are_one_line(small_audit, tmp_path, capsys):
    ws, _audit_id = small_audit
    assert main(["--lang", "en", "report", "nope-404", "--db", str(ws.path), "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope-404" in err[0]
    assert main(["--lang", "en", "report", "x.json", "--stage", "final", "--out", "x.pdf"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main(["--lang", "en", "report", str(tmp_path / "missing.json"), "--out", str(tmp_path / "y.pdf")]) == 2
    assert not (tmp_path / "y.pdf").exists()
