"""The inspector half of the sandbox: a training inspector workspace with demo submissions.

The complete samples are exported as demo submissions (public demo key,
``"demo": true``, DEMO watermark on the report; a 评估 file holds phases 1–5
only) into ``outbox/``; a training inspector workspace registers the demo key,
imports them, and one of them is scored and passed so the trainer can show a
finished review next to open ones.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from cpaudit.i18n import N_
from cpaudit.samples import sample_data
from cpaudit.workflow.schema import Workflow

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class DemoSubmission:
    sample: str
    stage: str  # assessment | acceptance

    @property
    def file_name(self) -> str:
        return f"{self.sample}_{self.stage}_r1.cpaudit"

    @property
    def submission_id(self) -> str:
        from cpaudit.training.sandbox import fixed_uuid

        return fixed_uuid(f"cpaudit-demo-submission/{self.sample}/{self.stage}/1")


SUBMISSIONS = (
    DemoSubmission("electroplating", "assessment"),
    DemoSubmission("coking", "assessment"),
    DemoSubmission("coking", "acceptance"),
)
SCORED = SUBMISSIONS[0]  # the electroplating 评估: scored and passed
SCORE_NOTES = {  # item id → the inspector's note (data of the demo; Chinese like a real review)
    "B2": "物料平衡偏差 1.39 %，镍平衡按 2 % 从严控制，但未附实测记录原件。",
    "C3": "H2 逆流漂洗的投资估算依据偏少，建议补充报价单。",
}


def _render() -> Any:
    from cpaudit.report.build import build_report

    return build_report


def export_demo_submissions(root: Path, wf: Workflow, *, render: Any = None,
                            progress: Progress | None = None) -> list[Path]:
    """Write the demo submissions of the complete samples into ``root/outbox``."""
    from cpaudit import audit_json
    from cpaudit.bundle.demo_key import demo_key
    from cpaudit.bundle.export import write_submission
    from cpaudit.store.journal import iter_journal
    from cpaudit.training.sandbox import OUTBOX, SANDBOX_TIME, SANDBOX_USER, cut_after_phase, sandbox_clock
    from cpaudit.workflow.validate import STAGE_LAST_PHASE
    from cpaudit.workspace import Workspace, import_document

    step = progress or (lambda fraction, text: None)
    outbox = root / OUTBOX
    outbox.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for number, sub in enumerate(SUBMISSIONS):
        step(number / len(SUBMISSIONS), N_("Signing the demo submissions"))
        # A 评估 file holds what the plant had then (phases 1–5, medium/high-cost options
        # planned), not the implementation results of the finished sample.
        data = copy.deepcopy(sample_data(sub.sample))
        if sub.stage == "assessment":
            cut_after_phase(data, wf, STAGE_LAST_PHASE["assessment"])
        doc = audit_json.parse(data, wf)
        doc.meta.kind = "demo"
        scratch = root / f"scratch-{number}.cpaudit.db"  # the audit as the enterprise holds it (for the journal)
        try:
            with Workspace(scratch, clock=sandbox_clock(), user=SANDBOX_USER) as ws:
                audit_id = import_document(ws, doc, f"sample:{sub.sample}").id
                payload = write_submission(
                    ws.document(audit_id), wf, sub.stage, demo_key(), journal=list(iter_journal(ws.db, audit_id)),
                    revision=1, supersedes=None, lang="zh_CN", render=render or _render(),
                    now=SANDBOX_TIME.replace(day=SANDBOX_TIME.day + number), demo=True,
                    submission_id=sub.submission_id)
        finally:
            for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
                leftover.unlink(missing_ok=True)
        path = outbox / sub.file_name
        path.write_bytes(payload)
        out.append(path)
    return out


def _score(ws: Any, submission_id: str) -> None:
    """Score every item of the default sheet (a realistic, not perfect, review) and pass it."""
    from cpaudit.review import reviews

    state = reviews.open_review(ws, submission_id)
    for number, item in enumerate(state.sheet.scored):
        full = Decimal(item.max)
        points = full - 1 if item.id in SCORE_NOTES or number % 5 == 4 else full
        reviews.set_points(ws, submission_id, item.id, max(points, Decimal(0)), SCORE_NOTES.get(item.id))
    for item in state.sheet.vetoes:
        reviews.set_veto(ws, submission_id, item.id, False)
    reviews.add_comment(ws, submission_id, reviews.Anchor("material_balance"),
                        "请补充镍平衡实测记录原件（采样时间、流量计读数）。")
    reviews.decide(ws, submission_id, "pass")


def build(root: Path, wf: Workflow, *, render: Any = None, progress: Progress | None = None) -> Path:
    """Export the demo submissions, import them into a training inspector workspace, score one."""
    from cpaudit.review.importer import import_paths
    from cpaudit.review.inspector import open_inspector
    from cpaudit.training.sandbox import SANDBOX_USER, inspector_db, sandbox_clock

    step = progress or (lambda fraction, text: None)
    files = export_demo_submissions(root, wf, render=render, progress=lambda f, t: step(0.85 * f, t))
    step(0.88, N_("Importing them into the training inspector workspace"))
    db = inspector_db(root)
    ws = open_inspector(db, training=True, clock=sandbox_clock(), user=SANDBOX_USER)
    try:  # a training workspace takes the public demo key without registration (flagged)
        outcomes = import_paths(ws, files)
        refused = [o for o in outcomes if not o.ok]
        if refused:
            raise RuntimeError("; ".join(o.line() for o in refused))
        step(0.95, N_("Scoring one submission"))
        _score(ws, SCORED.submission_id)
    finally:
        ws.close()
    return db
