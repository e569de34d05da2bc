"""Reading a received submission back: the document, figures, warnings, evidence, report, revision diff.

All read-only. The document is parsed from the stored audit JSON against the
workflow version it names, so the GUI renders it with the same step pages
the enterprise filled in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cpaudit import audit_json
from cpaudit.bundle import format as fmt
from cpaudit.bundle.safezip import SafeArchive
from cpaudit.domain.document import ROW_ID, AuditDocument
from cpaudit.i18n import _
from cpaudit.review.inspector import ReviewError, received_dir
from cpaudit.workflow.schema import Workflow
from cpaudit.workspace import Workspace

_LIST_COLUMNS = ("submission_id", "manifest_sha256", "uscc", "enterprise_name", "audit_id", "round", "stage", "revision",
                 "predecessor", "created_at", "received_at", "key_id", "fingerprint", "signer_name", "trust_state",
                 "trust_via", "demo", "file_name", "chain_state", "status", "year", "district", "sector_code",
                 "sector_name", "indicator_system", "level")


@dataclass(frozen=True)
class Submission:
    """One row of the import list (what the inspector sees before opening it)."""

    submission_id: str
    manifest_sha256: str
    uscc: str
    enterprise_name: str
    audit_id: str
    round: int
    stage: str
    revision: int
    predecessor: str | None
    created_at: str
    received_at: str
    key_id: str
    fingerprint: str
    signer_name: str
    trust_state: str
    trust_via: str
    demo: bool
    file_name: str
    chain_state: str
    status: str
    year: int | None
    district: str | None
    sector_code: str | None
    sector_name: str | None
    indicator_system: str | None
    level: str | None


def list_submissions(ws: Workspace, *, include_history: bool = True) -> list[Submission]:
    """Newest receipt first; ``include_history`` False keeps only the current revision of each chain."""
    where = "" if include_history else "WHERE chain_state = 'current'"
    return [Submission(*row) for row in ws.db.execute(
        f"SELECT {', '.join(_LIST_COLUMNS)} FROM submissions {where} ORDER BY received_at DESC, submission_id")]


def get_submission(ws: Workspace, submission_id: str) -> Submission:
    row = ws.db.execute(f"SELECT {', '.join(_LIST_COLUMNS)} FROM submissions WHERE submission_id = ?", [submission_id]).fetchone()
    if row is None:
        raise ReviewError(_("no received submission {id}").format(id=submission_id))
    return Submission(*row)


def revisions(ws: Workspace, submission_id: str) -> list[Submission]:
    """Every held revision of the submission's chain (same enterprise, round and stage), oldest first."""
    s = get_submission(ws, submission_id)
    return [Submission(*row) for row in ws.db.execute(
        f"SELECT {', '.join(_LIST_COLUMNS)} FROM submissions WHERE uscc = ? AND round = ? AND stage = ? ORDER BY revision, received_at",
        [s.uscc, s.round, s.stage])]


def _content(ws: Workspace, submission_id: str) -> tuple[str, str, str, str]:
    row = ws.db.execute("SELECT manifest, audit_json, figures_json, verification FROM submission_content WHERE submission_id = ?",
                        [submission_id]).fetchone()
    if row is None:
        raise ReviewError(_("no received submission {id}").format(id=submission_id))
    return row


def manifest_of(ws: Workspace, submission_id: str) -> dict[str, Any]:
    return json.loads(_content(ws, submission_id)[0])


def verification_of(ws: Workspace, submission_id: str) -> dict[str, Any]:
    """The verifier's verdict at import time (``VerifyResult.as_json``)."""
    return json.loads(_content(ws, submission_id)[3])


def snapshot_document(ws: Workspace, submission_id: str) -> tuple[AuditDocument, Workflow]:
    """The submitted audit, parsed against the workflow version it was filled in with."""
    from cpaudit.workflow.loader import find_workflow

    manifest, audit_raw, _fig, _ver = _content(ws, submission_id)
    ref = json.loads(manifest)["workflow"]
    wf = find_workflow(ref["id"], ref["version"], ref["sha256"])
    if wf is None:
        raise ReviewError(_("this version of cpaudit does not have the audit's workflow version"))
    return audit_json.parse(json.loads(audit_raw), wf), wf


def stored_figures(ws: Workspace, submission_id: str) -> dict[str, Any]:
    return json.loads(_content(ws, submission_id)[2])


@dataclass(frozen=True)
class FigureMismatch:
    path: str  # section/key/… of the figure
    stored: Any
    recomputed: Any


def _diff_values(path: str, a: Any, b: Any, out: list[FigureMismatch]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            _diff_values(f"{path}/{key}" if path else key, a.get(key), b.get(key), out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            _diff_values(f"{path}/{i}", x, y, out)
    elif a != b:
        out.append(FigureMismatch(path, a, b))


def figure_mismatches(ws: Workspace, submission_id: str) -> list[FigureMismatch]:
    """The stored figures against the figures this cpaudit computes from the submitted data; [] when they agree."""
    from cpaudit.figures import compute_figures

    doc, wf = snapshot_document(ws, submission_id)
    recomputed = fmt.jsonable_figures(compute_figures(doc, wf))
    out: list[FigureMismatch] = []
    _diff_values("", stored_figures(ws, submission_id), recomputed, out)
    return out


@dataclass(frozen=True)
class Warning_:
    key: str
    rule: str
    path: str
    message: str
    justification: str


def warnings_of(ws: Workspace, submission_id: str) -> list[Warning_]:
    """The validation warnings the enterprise signed, each with its written justification."""
    return [Warning_(str(w.get("key", "")), str(w.get("rule", "")), str(w.get("path", "")), str(w.get("message", "")),
                     str(w.get("justification", "")))
            for w in manifest_of(ws, submission_id)["validation"]["warnings"] if isinstance(w, dict)]


@dataclass(frozen=True)
class Evidence:
    entry: str  # path inside the submission file
    sha256: str
    size: int
    media_type: str
    label: str
    linked_to: str


def evidence_of(ws: Workspace, submission_id: str) -> list[Evidence]:
    return [Evidence(f["path"], f["sha256"], int(f["size"]), f.get("media_type", ""), f.get("label", ""), f.get("linked_to", ""))
            for f in manifest_of(ws, submission_id)["files"] if f.get("role") == fmt.ROLE_ATTACHMENT]


def _entry(ws: Workspace, submission_id: str, entry: str) -> bytes:
    stored = ws.db.execute("SELECT stored_file FROM submissions WHERE submission_id = ?", [submission_id]).fetchone()
    if stored is None:
        raise ReviewError(_("no received submission {id}").format(id=submission_id))
    listed = {f["path"]: f["sha256"] for f in manifest_of(ws, submission_id)["files"]}
    if entry not in listed:
        raise ReviewError(_("the submission has no entry {entry}").format(entry=entry))
    with SafeArchive(received_dir(ws) / stored[0]) as archive:
        data = archive.read(entry, fmt.MAX_ENTRY_BYTES)
    if fmt.sha256_hex(data) != listed[entry]:  # the read-only copy was altered on disk after import
        raise ReviewError(_("the stored copy of the submission was altered: {entry} no longer matches its hash").format(entry=entry))
    return data


def evidence_bytes(ws: Workspace, submission_id: str, entry: str) -> bytes:
    return _entry(ws, submission_id, entry)


def report_pdf(ws: Workspace, submission_id: str) -> bytes:
    """The signed report PDF embedded in the submission (checked against the manifest hash again)."""
    return _entry(ws, submission_id, fmt.E_REPORT)


@dataclass(frozen=True)
class FieldChange:
    """One difference between two revisions. ``kind``: changed | added | removed (a row when ``column`` is empty)."""

    step: str
    field: str
    row: str
    column: str
    old: Any
    new: Any
    kind: str


def _rows(value: Any) -> dict[str, dict[str, Any]]:
    return {r[ROW_ID]: r for r in value if isinstance(r, dict) and ROW_ID in r} if isinstance(value, list) else {}


def diff_documents(old: AuditDocument, new: AuditDocument, wf: Workflow | None = None) -> list[FieldChange]:
    """Field-level differences, rows matched by ``_id``; in workflow order when ``wf`` is given."""
    order = {s.id: n for n, s in enumerate(wf.steps())} if wf is not None else {}
    out: list[FieldChange] = []
    for step in sorted(set(old.values) | set(new.values), key=lambda s: (order.get(s, len(order)), s)):
        a_fields, b_fields = old.values.get(step, {}), new.values.get(step, {})
        for field_id in sorted(set(a_fields) | set(b_fields)):
            a, b = a_fields.get(field_id), b_fields.get(field_id)
            if a == b:
                continue
            if isinstance(a, list) or isinstance(b, list):
                _diff_table(step, field_id, _rows(a), _rows(b), a, b, out)
            else:
                out.append(FieldChange(step, field_id, "", "", a, b, "added" if a is None else "removed" if b is None else "changed"))
    return out


def _diff_table(step: str, field_id: str, a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]], a_raw: Any, b_raw: Any,
                out: list[FieldChange]) -> None:
    if not a and not b:  # a multichoice (a plain list), not a table
        out.append(FieldChange(step, field_id, "", "", a_raw, b_raw, "changed"))
        return
    order = list(a) + [r for r in b if r not in a]
    for row_id in order:
        if row_id not in b:
            out.append(FieldChange(step, field_id, row_id, "", a[row_id], None, "removed"))
        elif row_id not in a:
            out.append(FieldChange(step, field_id, row_id, "", None, b[row_id], "added"))
        else:
            for column in sorted((set(a[row_id]) | set(b[row_id])) - {ROW_ID}):
                x, y = a[row_id].get(column), b[row_id].get(column)
                if x != y:
                    out.append(FieldChange(step, field_id, row_id, column, x, y, "changed"))


def diff_submissions(ws: Workspace, old_id: str, new_id: str) -> list[FieldChange]:
    old, wf = snapshot_document(ws, old_id)
    new, _wf = snapshot_document(ws, new_id)
    return diff_documents(old, new, wf)
