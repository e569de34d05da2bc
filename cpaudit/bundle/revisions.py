"""Revision chains: replay, stale revisions, conflicts (format spec, "Revisions").

A ``Ledger`` is what a receiver already holds: one record per received
submission. ``check`` compares a freshly verified file with it and, when the
file is still valid afterwards, records it, so one run over several files
also catches a file given twice. The inspector's import (issue 7) keeps its
ledger in its database; ``cpaudit verify --ledger FILE`` reads one from a
JSON file: ``{"format": "cpaudit-ledger", "version": 1, "received": [records]}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpaudit.i18n import _

if TYPE_CHECKING:
    from cpaudit.bundle.verify import VerifyResult

LEDGER_FORMAT = "cpaudit-ledger"


class LedgerError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Received:
    uscc: str
    round: int
    stage: str
    revision: int
    submission_id: str
    manifest_sha256: str

    @property
    def chain_key(self) -> tuple[str, int, str]:
        return (self.uscc, self.round, self.stage)

    def as_json(self) -> dict[str, Any]:
        return {"uscc": self.uscc, "round": self.round, "stage": self.stage, "revision": self.revision,
                "submission_id": self.submission_id, "manifest_sha256": self.manifest_sha256}


class Ledger:
    def __init__(self, records: list[Received] | None = None):
        self.records: list[Received] = list(records or [])

    def copy(self) -> "Ledger":
        return Ledger(self.records)

    @classmethod
    def load(cls, path: Path) -> "Ledger":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != LEDGER_FORMAT or data.get("version") != 1:
                raise ValueError
            return cls([Received(str(d["uscc"]), int(d["round"]), str(d["stage"]), int(d["revision"]),
                                 str(d["submission_id"]), str(d["manifest_sha256"])) for d in data["received"]])
        except FileNotFoundError:
            raise LedgerError(_("file not found: {path}").format(path=path)) from None
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise LedgerError(_("{path} is not a cpaudit ledger").format(path=path)) from None

    def as_json(self) -> dict[str, Any]:
        return {"format": LEDGER_FORMAT, "version": 1, "received": [r.as_json() for r in self.records]}

    def record(self, m: Any) -> Received:
        rec = Received(m.uscc, m.round, m.stage, m.revision, m.submission_id, m.manifest_sha256)
        self.records.append(rec)
        return rec

    def check(self, result: "VerifyResult") -> None:
        """Add revision findings to ``result``; record it when it stays valid."""
        m = result.manifest
        if m is None:
            return
        if any(r.manifest_sha256 == m.manifest_sha256 for r in self.records):
            result.fail("revision_replayed", None, m.submission_id)
            return
        if any(r.submission_id == m.submission_id for r in self.records):
            result.fail("submission_conflict", None, m.submission_id)
            return
        chain = [r for r in self.records if r.chain_key == m.chain_key]
        latest = max(chain, key=lambda r: r.revision, default=None)
        if latest is not None and m.revision <= latest.revision:
            result.fail("revision_stale", None, _("revision {rev} ≤ {latest}").format(rev=m.revision, latest=latest.revision))
            return
        if m.supersedes is not None:
            prior = next((r for r in chain if r.submission_id == m.supersedes.submission_id), None)
            if prior is not None and (prior.manifest_sha256 != m.supersedes.manifest_sha256 or prior.revision >= m.revision):
                result.fail("supersedes_mismatch", None, m.supersedes.submission_id)
                return
        if latest is not None and m.revision > latest.revision + 1:
            result.fail("revision_gap", None, _("revision {rev} after {latest}").format(rev=m.revision, latest=latest.revision),
                        fatal=False)
        if result.valid:
            self.record(m)
