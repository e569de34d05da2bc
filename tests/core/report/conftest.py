"""Report fixtures: PDFs are built once per session (a full report takes a second or two)."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from cpaudit.domain.changes import InsertRow, Justify, SetField

SAMPLES = ("electroplating", "coking")


@lru_cache(maxsize=None)
def sample_document(name: str):
    from cpaudit import audit_json
    from cpaudit.samples import sample_data, sample_names
    from cpaudit.workflow.loader import load_workflow

    if name not in sample_names():
        pytest.skip(f"sample {name!r} is not shipped yet")
    wf = load_workflow()
    return audit_json.parse(sample_data(name), wf), wf


@lru_cache(maxsize=None)
def sample_pdf(name: str, stage: str, lang: str) -> bytes:
    from cpaudit.report import build_report

    doc, wf = sample_document(name)
    return build_report(doc, wf, stage, lang)


def _pdf_string(raw: bytes) -> str:
    out, i = bytearray(), 0
    while i < len(raw):
        c = raw[i]
        if c == 0x5C:  # backslash escape: octal or a literal character
            nxt = raw[i + 1:i + 4]
            digits = re.match(rb"[0-7]{1,3}", nxt)
            if digits:
                out.append(int(digits.group(), 8))
                i += 1 + len(digits.group())
                continue
            out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9}.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        out.append(c)
        i += 1
    data = bytes(out)
    return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")


def outline_titles(pdf: bytes) -> list[str]:
    """Titles of the PDF outline (bookmarks): items are the dictionaries with /Parent."""
    titles = []
    for obj in re.finditer(rb"<<((?:(?!>>).)*?/Parent(?:(?!>>).)*?)>>", pdf, re.S):
        m = re.search(rb"/Title \(((?:\\.|[^\\)])*)\)", obj.group(1), re.S)
        if m:
            titles.append(_pdf_string(m.group(1)))
    return titles


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "r.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def pdf_pages(pdf: bytes, tmp: Path) -> int:
    path = tmp / "p.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(autouse=True)
def _poppler() -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext, pdffonts) is not installed")


@pytest.fixture
def small_audit(make_workspace):
    """An audit edited through the session API (the journal feeds annex C)."""
    ws = make_workspace()
    meta = ws.create_audit("报告测试", audit_id="report-test-0001")
    session = ws.session(meta.id)
    session.apply([SetField("enterprise", "name", "太原示例报告测试有限公司"),
                   SetField("audit_info", "round", 2),
                   SetField("audit_info", "period_start", "2025-01-10"),
                   SetField("audit_info", "period_end", "2025-11-30"),
                   SetField("leadership", "commitment", "总经理承诺提供人员、时间和资金。"),
                   SetField("leadership", "decision_date", "2025-01-10")], label="profile")
    session.apply([InsertRow("team", "members", {"name": "刘示例", "role": "leader", "department": "总经理"}),
                   InsertRow("team", "members", {"name": "Wang Example", "role": "consultant", "department": "Consultant"})],
                  label="team", reason="kick-off meeting")
    session.apply(Justify("demo.warning@team", "justified"))
    return ws, meta.id
