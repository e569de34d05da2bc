"""Enterprises that export real signed submissions, for the inspector tests.

Each enterprise has its own workspace and key folder (export refuses a key of
another USCC); the samples are imported as real (non-demo) audits unless
``demo`` is asked for, because a production inspector refuses demo files.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpaudit import audit_json
from cpaudit._dev.stand_in_report import stand_in_report as mini_report
from cpaudit.bundle import keys
from cpaudit.bundle.export import export_submission
from cpaudit.samples import sample_data
from cpaudit.workflow.loader import load_workflow
from cpaudit.workspace import Workspace, import_document

PASSPHRASE = "correct horse battery"
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@dataclass
class Enterprise:
    home: Path
    ws: Workspace
    audit_id: str
    key_folder: Path
    info: keys.KeyInfo

    def export(self, out: Path, stage: str = "assessment", key_folder: Path | None = None) -> Path:
        out.parent.mkdir(parents=True, exist_ok=True)
        return export_submission(self.ws, self.audit_id, stage, out, PASSPHRASE, certification_accepted=True,
                                 key_folder=key_folder or self.key_folder, render=mini_report, now=NOW)

    def request(self, out: Path, key_folder: Path | None = None) -> Path:
        import json

        from cpaudit.bundle.request import registration_request

        out.write_text(json.dumps(registration_request(keys.unlock(PASSPHRASE, key_folder or self.key_folder), NOW)),
                       encoding="utf-8")
        return out

    def new_key(self, folder: Path) -> keys.KeyInfo:
        return keys.init_key(PASSPHRASE, enterprise_name=self.info.enterprise["name"], uscc=self.info.enterprise["uscc"],
                             signer_name="李四", signer_title="", folder=folder, now=NOW)


def make_enterprise(home: Path, sample: str, demo: bool = False) -> Enterprise:
    home.mkdir(parents=True, exist_ok=True)
    wf = load_workflow()
    doc = audit_json.parse(sample_data(sample), wf)
    doc.meta.kind = "demo" if demo else "enterprise"
    ws = Workspace(home / "enterprise.db", user="tester")
    meta = import_document(ws, doc, f"sample:{sample}")
    folder = home / "keys"
    info = keys.init_key(PASSPHRASE, enterprise_name=doc.get("enterprise", "name"), uscc=doc.get("enterprise", "uscc"),
                         signer_name="张伟", signer_title="法定代表人", folder=folder, now=NOW)
    return Enterprise(home, ws, meta.id, folder, info)


def tamper(src: Path, dst: Path) -> Path:
    """Flip one byte inside the stored report PDF (signature and manifest untouched)."""
    raw = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("report/report.pdf")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    raw[start] ^= 0x01
    dst.write_bytes(bytes(raw))
    return dst


def count_rows(ws: Workspace) -> dict[str, int]:
    tables = ("submissions", "submission_content", "trust_keys", "reviews", "answers_issued")
    return {t: ws.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
