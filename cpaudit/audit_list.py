"""The audits of a workspace as the home screen lists them, and creating one with its profile.

Qt-free so the home screen, the CLI and the tests share it. Creating an audit
with the wizard's answers is ONE journal entry after the seeded defaults, so
the answers are in the history like every other edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cpaudit.domain.changes import SetField, SetMeta
from cpaudit.domain.document import AuditMeta
from cpaudit.i18n import N_, _
from cpaudit.session import EditRejected, Rejection
from cpaudit.store import records
from cpaudit.workflow.schema import Workflow
from cpaudit.workflow.validate import check_value
from cpaudit.workflow.values import ValueRejected, coerce
from cpaudit.workspace import Workspace

ACTIVE, ARCHIVED = "active", "archived"
# What the new-audit wizard asks, in its order: (step, field).
WIZARD_FIELDS = (
    ("enterprise", "name"), ("enterprise", "uscc"), ("audit_info", "indicator_system"), ("audit_info", "basis"),
)


@dataclass(frozen=True)
class AuditSummary:
    id: str
    title: str
    enterprise: str
    round: int
    status: str
    updated_at: str
    workflow: str  # "cn-cp-audit 1.0"
    previous_audit: str | None


def audit_summaries(ws: Workspace, include_archived: bool = True) -> list[AuditSummary]:
    """Newest change first; the enterprise name is read without loading whole audits."""
    out = []
    for meta in ws.audits(include_archived):
        name = records.get_field(ws.db, meta.id, "enterprise", "name")
        out.append(AuditSummary(
            meta.id, meta.title, str(name or ""), meta.round, meta.status, meta.updated_at or meta.created_at,
            f"{meta.workflow_id} {meta.workflow_version}", meta.previous_audit,
        ))
    return sorted(out, key=lambda s: s.updated_at, reverse=True)


def check_answer(wf: Workflow, step: str, field: str, raw: Any) -> str | None:
    """The message a wizard answer would get (the same rules as the form), or None when fine."""
    spec = wf.field(step, field)
    try:
        value = coerce(spec, raw, wf)
    except ValueRejected as exc:
        value, refused = raw, exc.message  # the rule below may say more precisely what is wrong
    else:
        refused = None
    issues = [i for i in check_value(spec, value, step, _(spec.label)) if i.rule != "required" and i.severity == "error"]
    return issues[0].message if issues else refused


def create_audit_with_profile(ws: Workspace, title: str, answers: dict[tuple[str, str], Any],
                              workflow: Workflow | None = None) -> AuditMeta:
    """A new audit holding the wizard's ``answers``; nothing is created if one is refused."""
    title = title.strip()
    if not title:
        raise EditRejected([Rejection("title", "required", _("{field}: a value is required").format(field=_("Audit title")))])
    meta = ws.create_audit(title, workflow)
    session = ws.session(meta.id)
    changes = [SetField(step, field, value) for (step, field), value in answers.items() if value not in (None, "")]
    try:
        if changes:
            session.apply(changes, label=N_("Answers of the new-audit wizard"))  # said in the language of the moment
    except EditRejected:
        ws.delete_audit(meta.id)
        raise
    return ws.meta(meta.id)  # type: ignore[return-value]


def set_archived(ws: Workspace, audit_id: str, archived: bool) -> AuditMeta:
    """Archive (hidden from the start-up choice, kept whole) or bring back; undoable in the audit."""
    ws.session(audit_id).apply(SetMeta("status", ARCHIVED if archived else ACTIVE))
    return ws.meta(audit_id)  # type: ignore[return-value]
