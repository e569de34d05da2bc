"""A workspace: one SQLite file holding any number of audits.

Creates, lists, opens and archives audits; hands out ``AuditSession``s for
editing. Also the loss-less JSON document in and out (``cpaudit load/dump``).
"""

from __future__ import annotations

import getpass
import uuid
from pathlib import Path
from typing import Any

import sqlite_utils

from cpaudit.clock import Clock, SystemClock, iso
from cpaudit.domain.document import ROUND_FIELD, ROW_ID, AuditDocument, AuditMeta
from cpaudit.session import AuditSession, attachment_record
from cpaudit.store import records
from cpaudit.store.db import connect
from cpaudit.store.errors import StorageError
from cpaudit.store.lock import WorkspaceLock
from cpaudit.store.transaction import write_transaction
from cpaudit.workflow.loader import DEFAULT_WORKFLOW, load_workflow
from cpaudit.workflow.schema import Workflow


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers/services
        return "user"


class Workspace:
    """``exclusive``: hold the one-writer lock (the GUI does; read-only CLI commands need not)."""

    def __init__(self, path: Path | str, clock: Clock | None = None, user: str | None = None,
                 exclusive: bool = False):
        self.path = Path(path)
        self._lock = WorkspaceLock(self.path) if exclusive else None
        if self._lock:
            self._lock.acquire()
        try:
            self.db: sqlite_utils.Database = connect(self.path)
        except BaseException:
            if self._lock:
                self._lock.release()
            raise
        self.clock = clock or SystemClock()
        self.user = user or _user()
        self.closed = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True  # deferred GUI work (a timer after a page change) checks this first
        self.db.conn.close()
        if self._lock:
            self._lock.release()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- audits --------------------------------------------------------------------
    def audits(self, include_archived: bool = True) -> list[AuditMeta]:
        metas = records.list_audits(self.db)
        return [m for m in metas if include_archived or m.status != "archived"]

    def meta(self, audit_id: str) -> AuditMeta | None:
        return records.audit_meta(self.db, audit_id)

    def find(self, ref: str) -> AuditMeta | None:
        """By full id or a unique prefix of at least 4 characters (CLI convenience)."""
        meta = self.meta(ref)
        if meta or len(ref) < 4:
            return meta
        matches = [m for m in self.audits() if m.id.startswith(ref)]
        return matches[0] if len(matches) == 1 else None

    def create_audit(self, title: str, workflow: Workflow | None = None, kind: str | None = None,
                     audit_id: str | None = None, round: int = 1, previous: str | None = None,
                     created_at: str | None = None, seed: bool = True) -> AuditMeta:
        wf = workflow or load_workflow(DEFAULT_WORKFLOW)
        if kind is None:  # an audit started in the training sandbox is a demo audit too
            kind = "demo" if self.settings().get("training") is True else "enterprise"
        now = created_at or iso(self.clock.now())
        meta = AuditMeta(
            id=audit_id or uuid.uuid4().hex, title=title, workflow_id=wf.id, workflow_version=wf.version,
            workflow_hash=wf.hash, created_at=now, updated_at=now, round=round, kind=kind, previous_audit=previous,
        )
        with write_transaction(self.db):
            records.insert_audit(self.db, meta)
            if seed:
                self._seed_preset_rows(meta.id, wf)
        return meta

    def _seed_preset_rows(self, audit_id: str, wf: Workflow) -> None:
        """Defaults and preset rows (e.g. the WS 1-2 plan stages) fill a new audit."""
        from cpaudit.session import new_row_id
        from cpaudit.workflow.values import coerce

        for step in wf.steps():
            for f in step.fields:
                if f.default is not None and not f.is_table:
                    records.put_field(self.db, audit_id, step.id, f.id, coerce(f, f.default, wf))
                for position, preset in enumerate(f.preset_rows):
                    data = {k: coerce(f.column(k), v, wf) for k, v in preset}
                    records.insert_row(self.db, audit_id, step.id, f.id, new_row_id(), position,
                                       {k: v for k, v in data.items() if v is not None})

    def session(self, audit_id: str) -> AuditSession:
        meta = self.meta(audit_id)
        if meta is None:
            raise KeyError(audit_id)
        return AuditSession(self.db, audit_id, self._bind(meta), self.clock, self.user, self.path)

    def document(self, audit_id: str) -> AuditDocument:
        meta = self.meta(audit_id)
        if meta is not None:
            self._bind(meta)
        return records.load_document(self.db, audit_id)

    def _bind(self, meta: AuditMeta) -> Workflow:
        """The shipped definition the audit is read with, recorded as its definition.

        An audit begun under an earlier release of the same workflow is read, checked and
        reported with the shipped one (as ``cpaudit load`` binds a JSON file to it); its
        record must say so, or a submission would name the old definition in its data and
        the new one in its manifest, and fail verification.
        """
        wf = workflow_for(meta)
        if (meta.workflow_version, meta.workflow_hash) != (wf.version, wf.hash):
            try:
                with write_transaction(self.db):
                    self.db.execute("UPDATE audits SET workflow_version = ?, workflow_hash = ? WHERE id = ?",
                                    [wf.version, wf.hash, meta.id])
            except StorageError:
                pass  # a read-only copy: read with the shipped definition all the same
        return wf

    def delete_audit(self, audit_id: str) -> None:
        with write_transaction(self.db):
            self.db.execute("DELETE FROM journal WHERE audit_id = ?", [audit_id])
            self.db.execute("DELETE FROM audits WHERE id = ?", [audit_id])

    def settings(self) -> dict[str, Any]:
        return {k: records.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    def set_setting(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, records.dumps(value)],
        )


def workflow_for(meta: AuditMeta) -> Workflow:
    """The definition an audit was filled in with (shipped versions only)."""
    return load_workflow(meta.workflow_id)


def import_document(ws: Workspace, doc: AuditDocument, label: str) -> AuditMeta:
    """Store a parsed audit document as a new audit (one journal group of kind "import", not undoable)."""
    from cpaudit.i18n import _
    from cpaudit.store import journal
    from cpaudit.store.journal import Transition

    if ws.meta(doc.meta.id) is not None:
        raise WorkspaceConflict(_("an audit with id {id} is already in this workspace").format(id=doc.meta.id))
    wf = load_workflow(doc.meta.workflow_id)
    meta = ws.create_audit(
        doc.meta.title, wf, kind=doc.meta.kind, audit_id=doc.meta.id, round=doc.meta.round,
        previous=None, created_at=doc.meta.created_at or None, seed=False,
    )
    transitions: list[Transition] = []
    for step, field, value in doc.iter_values():
        if isinstance(value, list) and wf.field(step, field).is_table:
            for position, row in enumerate(value):
                data = {k: v for k, v in row.items() if k != "_id"}
                transitions.append(Transition("row", f"{step}/{field}/{row['_id']}", None, {"position": position, "data": data}))
        else:
            transitions.append(Transition("set", f"{step}/{field}", None, value))
    for key, text in sorted(doc.justifications.items()):
        transitions.append(Transition("justify", key, None, text))
    for attachment in sorted(doc.attachments.values(), key=lambda a: a.id):
        transitions.append(Transition("attach", attachment.id, None, attachment_record(attachment)))
    at = doc.meta.updated_at or meta.created_at
    journal.commit_edit(ws.db, meta.id, transitions, at, ws.user, label, None, kind="import")
    for key in ("status",):
        if getattr(doc.meta, key) != getattr(meta, key):
            records.set_meta(ws.db, meta.id, key, getattr(doc.meta, key))
    records.set_meta(ws.db, meta.id, "updated_at", at)
    return ws.meta(meta.id)  # type: ignore[return-value]


def update_document(ws: Workspace, doc: AuditDocument, label: str, force: bool = False) -> int:
    """Bring the stored audit ``doc.meta.id`` to the content of ``doc`` as ONE undoable edit of the
    differences (``cpaudit load --update``): the audit keeps its id, journal and submission chain,
    which loading under a new id would restart. Returns the number of recorded changes."""
    from cpaudit.i18n import _
    from cpaudit.store import journal
    from cpaudit.store.journal import Transition

    current = ws.document(doc.meta.id) if ws.meta(doc.meta.id) is not None else None
    if current is None:
        raise WorkspaceConflict(_("no audit with id {id} in this workspace to update").format(id=doc.meta.id))
    if not force and (current.meta.updated_at or "") > (doc.meta.updated_at or ""):
        # The file would silently take back every edit made since it was dumped.
        raise WorkspaceConflict(_("the audit {id} was edited after this file was written (file: {file_at}, last edit: "
                                  "{edit_at}); loading it would undo those edits. Dump it again and make the changes "
                                  "there, or add --force").format(id=doc.meta.id, file_at=doc.meta.updated_at or "—",
                                                                 edit_at=current.meta.updated_at))
    wf = workflow_for(current.meta)
    out: list[Transition] = []
    for step in sorted(set(current.values) | set(doc.values)):
        for field in sorted(set(current.values.get(step, {})) | set(doc.values.get(step, {}))):
            old, new = current.get(step, field), doc.get(step, field)
            if old == new:
                continue
            if wf.field(step, field).is_table:
                out += _table_replaced(step, field, old or [], new or [])
            else:
                out.append(Transition("set", f"{step}/{field}", old, new))
    for key in sorted(set(current.justifications) | set(doc.justifications)):
        if current.justifications.get(key) != doc.justifications.get(key):
            out.append(Transition("justify", key, current.justifications.get(key), doc.justifications.get(key) or ""))
    for aid in sorted(set(current.attachments) | set(doc.attachments)):
        old_a, new_a = current.attachments.get(aid), doc.attachments.get(aid)
        if old_a != new_a:
            out.append(Transition("attach", aid, old_a and attachment_record(old_a), new_a and attachment_record(new_a)))
    for key in ("title", "round"):
        if getattr(current.meta, key) != getattr(doc.meta, key):
            out.append(Transition("meta", key, getattr(current.meta, key), getattr(doc.meta, key)))
    if out:
        journal.commit_edit(ws.db, current.meta.id, out, iso(ws.clock.now()), ws.user, label, None)
    return len(out)


def _table_replaced(step: str, table: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Any]:
    """Cell changes when the rows are the same rows in the same order; else the old rows out (last
    first, so each keeps its position for undo) and the new ones in, keeping the row ids they carry."""
    from cpaudit.store.journal import Transition

    def data(row: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in row.items() if k != ROW_ID}

    if [r[ROW_ID] for r in old] == [r[ROW_ID] for r in new]:
        return [Transition("cell", f"{step}/{table}/{a[ROW_ID]}/{col}", a.get(col), b.get(col))
                for a, b in zip(old, new) for col in sorted((set(a) | set(b)) - {ROW_ID}) if a.get(col) != b.get(col)]
    gone = [Transition("row", f"{step}/{table}/{r[ROW_ID]}", {"position": i, "data": data(r)}, None)
            for i, r in reversed(list(enumerate(old)))]
    return gone + [Transition("row", f"{step}/{table}/{r[ROW_ID]}", None, {"position": i, "data": data(r)})
                   for i, r in enumerate(new)]


class WorkspaceConflict(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# Steps whose content carries over to the next round: who the enterprise is and how
# it calculates. Everything else is the new round's own work.
CARRY_OVER_STEPS = ("enterprise", "settings")


def start_next_round(ws: Workspace, audit_id: str, title: str) -> AuditMeta:
    """A new audit, round + 1, pre-filled from ``audit_id``'s profile and settings."""
    from cpaudit.i18n import _
    from cpaudit.session import new_row_id
    from cpaudit.store import journal
    from cpaudit.store.journal import Transition
    from cpaudit.workflow.values import ValueRejected, coerce

    previous = ws.meta(audit_id)
    if previous is None:
        raise KeyError(audit_id)
    wf = workflow_for(previous)
    old = ws.document(audit_id)
    meta = ws.create_audit(title, wf, kind=previous.kind, round=previous.round + 1, previous=audit_id)
    seeded = ws.document(meta.id)  # defaults and preset rows of the new audit
    transitions = []
    for step_id in (s for s in CARRY_OVER_STEPS if wf.has_step(s)):
        for field_id, value in old.values.get(step_id, {}).items():
            spec = wf.field(step_id, field_id)
            if spec.is_table:
                for position, row in enumerate(value):
                    data = {k: v for k, v in row.items() if k != "_id"}
                    transitions.append(Transition("row", f"{step_id}/{field_id}/{new_row_id()}", None, {"position": position, "data": data}))
                continue
            try:
                transitions.append(Transition("set", f"{step_id}/{field_id}", seeded.get(step_id, field_id), coerce(spec, value, wf)))
            except ValueRejected:
                continue  # a value the current definition no longer accepts is left for the user
    step_id, field_id = ROUND_FIELD
    if wf.has_step(step_id) and wf.step(step_id).has_field(field_id):
        transitions.append(Transition("set", f"{step_id}/{field_id}", seeded.get(step_id, field_id), previous.round + 1))
    journal.commit_edit(ws.db, meta.id, transitions, meta.created_at, ws.user,
                        _("Pre-filled from round {n}").format(n=previous.round), None)
    return ws.meta(meta.id)  # type: ignore[return-value]
