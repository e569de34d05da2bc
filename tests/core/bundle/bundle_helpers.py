"""Helpers for the submission tests: a key, a workspace holding a sample, a stand-in report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpaudit import audit_json
from cpaudit._dev.stand_in_report import stand_in_report as mini_report
from cpaudit.bundle import keys
from cpaudit.bundle.export import export_submission, preflight
from cpaudit.bundle.trust import KeyEntry, Trust
from cpaudit.samples import sample_data, sample_names
from cpaudit.workflow.loader import load_workflow
from cpaudit.workspace import Workspace, import_document

PASSPHRASE = "correct horse battery"
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def complete_samples() -> list[str]:
    """Shipped samples that pass pre-flight (0 errors, every warning justified)."""
    wf = load_workflow()
    return [n for n in sample_names() if not preflight(audit_json.parse(sample_data(n), wf), wf)]


@dataclass
class Setup:
    home: Path
    key_folder: Path
    ws: Workspace
    audit_id: str
    info: keys.KeyInfo

    def trust(self, status: str = "trusted") -> Trust:
        t = Trust()
        t.add_key(KeyEntry(self.info.key_id, status, self.info.public_key, self.info.enterprise["uscc"]))
        return t

    def export(self, out: Path, stage: str = "assessment", render: Any = mini_report, **kw: Any) -> Path:
        return export_submission(self.ws, self.audit_id, stage, out, PASSPHRASE, certification_accepted=True,
                                 key_folder=self.key_folder, render=render, now=NOW, **kw)


def make_setup(home: Path, sample: str = "electroplating") -> Setup:
    wf = load_workflow()
    doc = audit_json.parse(sample_data(sample), wf)
    doc.meta.kind = "enterprise"  # a sample is a demo audit, and demo audits sign with the demo key
    ws = Workspace(home / "workspace.db", user="tester")
    meta = import_document(ws, doc, f"sample:{sample}")
    key_folder = home / "keys"
    info = keys.init_key(PASSPHRASE, enterprise_name=doc.get("enterprise", "name"), uscc=doc.get("enterprise", "uscc"),
                         signer_name="张伟", signer_title="法定代表人", folder=key_folder, now=NOW)
    return Setup(home, key_folder, ws, meta.id, info)
