"""The inspector's review of one received submission: scores, vetoes, anchored comments, decision.

Everything references the snapshot by ``submission_id``; the snapshot itself
is never touched (the store's triggers refuse it). Once an answer file has
been issued for a submission its review is frozen: what the enterprise was
told must stay what the workspace shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cpaudit.clock import iso
from cpaudit.i18n import _, ngettext
from cpaudit.review import scoring
from cpaudit.review.inspector import ReviewError, require_inspector
from cpaudit.store.transaction import write_transaction
from cpaudit.workspace import Workspace

STATUS_FOR = {scoring.PASS: "passed", scoring.FAIL: "failed", scoring.RETURNED: "returned"}


@dataclass(frozen=True)
class Anchor:
    """Where a comment points: a step, optionally a field, a table row (``_id``) and a column."""

    step: str
    field: str = ""
    row: str = ""
    column: str = ""

    def as_json(self) -> dict[str, str]:
        return {"step": self.step, "field": self.field, "row": self.row, "column": self.column}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Anchor":
        return cls(str(data.get("step") or ""), str(data.get("field") or ""), str(data.get("row") or ""),
                   str(data.get("column") or ""))


@dataclass(frozen=True)
class Comment:
    id: int
    anchor: Anchor
    text: str
    created_at: str


@dataclass
class ReviewState:
    submission_id: str
    stage: str
    sheet: scoring.Sheet
    reviewer: str
    points: dict[str, Decimal] = field(default_factory=dict)
    bonus: dict[str, Decimal] = field(default_factory=dict)
    vetoes: set[str] = field(default_factory=set)
    notes: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    decision: str | None = None
    decided_at: str | None = None
    frozen: bool = False

    @property
    def result(self) -> scoring.Result:
        return scoring.compute(self.sheet, self.points, self.bonus, self.vetoes)

    def decision_label(self) -> str:
        """The decision inside a sentence ("Decision recorded: pass (通过)")."""
        return scoring.decision_label(self.stage, self.decision, in_sentence=True) if self.decision else _("not decided")


def _stage(ws: Workspace, submission_id: str) -> str:
    row = ws.db.execute("SELECT stage FROM submissions WHERE submission_id = ?", [submission_id]).fetchone()
    if row is None:
        raise ReviewError(_("no received submission {id}").format(id=submission_id))
    return row[0]


def open_review(ws: Workspace, submission_id: str, sheet_id: str | None = None) -> ReviewState:
    """The review of a submission, started with the stage's default sheet (or ``sheet_id``) when new."""
    require_inspector(ws)
    stage = _stage(ws, submission_id)
    if review_state(ws, submission_id) is None:
        sheet = scoring.get_sheet(sheet_id) if sheet_id else scoring.default_sheet(stage)
        if sheet.stage != stage:
            raise ReviewError(_("the scoring sheet {sheet} is for another stage").format(sheet=sheet.id))
        now = iso(ws.clock.now())
        with write_transaction(ws.db):
            ws.db.execute("INSERT INTO reviews (submission_id, sheet_id, sheet_version, reviewer, created_at, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?)", [submission_id, sheet.id, sheet.version, ws.user, now, now])
            ws.db.execute("UPDATE submissions SET status = 'in_review' WHERE submission_id = ? AND status = 'received'",
                          [submission_id])
    return review_state(ws, submission_id)  # type: ignore[return-value]


def review_state(ws: Workspace, submission_id: str) -> ReviewState | None:
    row = ws.db.execute("SELECT sheet_id, reviewer, decision, decided_at FROM reviews WHERE submission_id = ?",
                        [submission_id]).fetchone()
    if row is None:
        return None
    sheet = scoring.get_sheet(row[0])
    state = ReviewState(submission_id, sheet.stage, sheet, row[1], decision=row[2], decided_at=row[3])
    kinds = {i.id: i.kind for i in (*sheet.vetoes, *sheet.scored, *sheet.bonus)}
    for item_id, points, veto, note in ws.db.execute(
            "SELECT item_id, points, veto, note FROM review_scores WHERE submission_id = ?", [submission_id]):
        kind = kinds.get(item_id)
        if kind == "veto" and veto:
            state.vetoes.add(item_id)
        elif kind in ("scored", "bonus") and points is not None:
            (state.points if kind == "scored" else state.bonus)[item_id] = Decimal(points)
        if note:
            state.notes[item_id] = note
    state.comments = [Comment(i, Anchor(s, f, r, c), t, at) for i, s, f, r, c, t, at in ws.db.execute(
        "SELECT id, step, field, row_id, column_id, text, created_at FROM review_comments WHERE submission_id = ? ORDER BY id",
        [submission_id])]
    state.frozen = ws.db.execute("SELECT 1 FROM answers_issued WHERE submission_id = ?", [submission_id]).fetchone() is not None
    return state


def _editable(ws: Workspace, submission_id: str) -> ReviewState:
    state = open_review(ws, submission_id)
    if state.frozen:
        raise ReviewError(_("an answer was already issued for this submission; its review can no longer change"))
    return state


def _touch(ws: Workspace, submission_id: str) -> None:
    ws.db.execute("UPDATE reviews SET updated_at = ? WHERE submission_id = ?", [iso(ws.clock.now()), submission_id])


def set_points(ws: Workspace, submission_id: str, item_id: str, points: Any, note: str | None = None) -> ReviewState:
    """Points of a scored or bonus item (None clears them); checked against the item's maximum."""
    state = _editable(ws, submission_id)
    item = state.sheet.item(item_id)
    if item.kind == "veto":
        raise ReviewError(_("{item} is a veto item: mark it, do not score it").format(item=item_id))
    value = None if points in (None, "") else scoring._points(points, item)
    with write_transaction(ws.db):
        ws.db.execute("INSERT INTO review_scores (submission_id, item_id, points, veto, note) VALUES (?, ?, ?, 0, ?)"
                      " ON CONFLICT (submission_id, item_id) DO UPDATE SET points = excluded.points,"
                      " note = CASE WHEN ? IS NULL THEN note ELSE excluded.note END",
                      [submission_id, item_id, None if value is None else str(value), note or "", note])
        _touch(ws, submission_id)
        _withdraw_unsupported(ws, submission_id)
    return review_state(ws, submission_id)  # type: ignore[return-value]


def set_veto(ws: Workspace, submission_id: str, item_id: str, holds: bool, note: str | None = None) -> ReviewState:
    state = _editable(ws, submission_id)
    if state.sheet.item(item_id).kind != "veto":
        raise ReviewError(_("{item} is not a veto item").format(item=item_id))
    with write_transaction(ws.db):
        ws.db.execute("INSERT INTO review_scores (submission_id, item_id, points, veto, note) VALUES (?, ?, NULL, ?, ?)"
                      " ON CONFLICT (submission_id, item_id) DO UPDATE SET veto = excluded.veto,"
                      " note = CASE WHEN ? IS NULL THEN note ELSE excluded.note END",
                      [submission_id, item_id, int(bool(holds)), note or "", note])
        _touch(ws, submission_id)
        _withdraw_unsupported(ws, submission_id)
    return review_state(ws, submission_id)  # type: ignore[return-value]


def _check_anchor(ws: Workspace, submission_id: str, anchor: Anchor) -> None:
    """The anchor names a step, field, row and column of the snapshot's own workflow and data."""
    from cpaudit.review.snapshot import snapshot_document

    doc, wf = snapshot_document(ws, submission_id)
    bad = _("the comment points to '{where}', which the submission does not have").format(
        where="/".join(p for p in (anchor.step, anchor.field, anchor.row, anchor.column) if p))
    if not wf.has_step(anchor.step) or (anchor.field and not wf.step(anchor.step).has_field(anchor.field)):
        raise ReviewError(bad)
    if anchor.row or anchor.column:
        spec = wf.field(anchor.step, anchor.field) if anchor.field else None
        if spec is None or not spec.is_table:
            raise ReviewError(bad)
        if anchor.row and doc.row(anchor.step, anchor.field, anchor.row) is None:
            raise ReviewError(bad)
        if anchor.column and anchor.column not in {c.id for c in spec.columns}:
            raise ReviewError(bad)


def add_comment(ws: Workspace, submission_id: str, anchor: Anchor, text: str) -> Comment:
    _editable(ws, submission_id)
    if not text.strip():
        raise ReviewError(_("a comment needs a text"))
    _check_anchor(ws, submission_id, anchor)
    now = iso(ws.clock.now())
    with write_transaction(ws.db):
        cursor = ws.db.execute("INSERT INTO review_comments (submission_id, step, field, row_id, column_id, text, created_at)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               [submission_id, anchor.step, anchor.field, anchor.row, anchor.column, text.strip(), now])
        _touch(ws, submission_id)
    return Comment(cursor.lastrowid, anchor, text.strip(), now)


def remove_comment(ws: Workspace, submission_id: str, comment_id: int) -> None:
    _editable(ws, submission_id)
    with write_transaction(ws.db):
        ws.db.execute("DELETE FROM review_comments WHERE submission_id = ? AND id = ?", [submission_id, comment_id])
        _withdraw_unsupported(ws, submission_id)


def unsupported_decision(state: ReviewState) -> str | None:
    """Why the recorded decision no longer follows from the sheet (None: it does, or there is none).

    A pass recorded at 100 points stayed a pass after items were set to 0 or a veto was ticked,
    and the signed answer then said "pass" beside 52 points and a veto."""
    result = state.result
    if state.decision == scoring.PASS and not result.complete:
        return ngettext("{n} item of the scoring sheet has no points yet", "{n} items of the scoring sheet have no points yet",
                        len(result.missing)).format(n=len(result.missing))
    if state.decision == scoring.PASS and not result.passed:
        return _("a veto item holds or the total {total} is below the pass mark {mark}").format(
            total=result.total, mark=result.pass_mark)
    if state.decision == scoring.RETURNED and not state.comments:
        return _("say what to correct: add at least one comment before returning the submission")
    return None


def _withdraw_unsupported(ws: Workspace, submission_id: str) -> None:
    """Inside the change's transaction: a decision the changed sheet no longer supports is withdrawn
    (the submission is back in review) rather than left standing beside scores that contradict it."""
    state = review_state(ws, submission_id)
    if state is not None and state.decision and unsupported_decision(state):
        ws.db.execute("UPDATE reviews SET decision = NULL, decided_at = NULL WHERE submission_id = ?", [submission_id])
        ws.db.execute("UPDATE submissions SET status = 'in_review' WHERE submission_id = ?", [submission_id])


def decide(ws: Workspace, submission_id: str, decision: str) -> ReviewState:
    """Record pass / fail / returned. Pass needs a complete sheet that passes; returned needs comments."""
    state = _editable(ws, submission_id)
    if decision not in STATUS_FOR:
        raise ValueError(decision)
    state.decision = decision
    why = unsupported_decision(state)
    if why:
        raise ReviewError(why)
    now = iso(ws.clock.now())
    with write_transaction(ws.db):
        ws.db.execute("UPDATE reviews SET decision = ?, decided_at = ?, updated_at = ? WHERE submission_id = ?",
                      [decision, now, now, submission_id])
        ws.db.execute("UPDATE submissions SET status = ? WHERE submission_id = ?", [STATUS_FOR[decision], submission_id])
    return review_state(ws, submission_id)  # type: ignore[return-value]
