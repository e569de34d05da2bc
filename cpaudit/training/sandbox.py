"""The training sandbox: an enterprise workspace with audits at four stages, and an inspector one.

Everything lives in one folder (``<user data>/demo/``); nothing outside it is
ever read for writing, moved or deleted. The build is deterministic: fixed
clock, fixed user, fixed audit and submission ids, so a reset gives the same
audits (``audit_json.dump``) as any fresh ``cpaudit demo --reset``.

Reset builds the new sandbox in a staging folder inside the sandbox folder
and swaps it in at the end, so the slow part (report PDFs for the demo
submissions) can run while the old sandbox is still open in the window.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from cpaudit import audit_json, paths
from cpaudit.clock import FixedClock
from cpaudit.i18n import N_
from cpaudit.samples import sample_data
from cpaudit.workflow.loader import load_workflow
from cpaudit.workflow.schema import Workflow
from cpaudit.workspace import Workspace, import_document

TRAINING_KEY = "training"  # workspace setting: the window marks it DEMO / 演示
SANDBOX_VERSION_KEY = "training.sandbox_version"
SANDBOX_VERSION = 4  # 2: 评估 demo submissions hold phases 1–5 only; 3: coking keeps two maintain targets (B.4);
# 4: the definition changed (payback columns with two places, the fresh-water balance named as such).
# A later change of the definition rebuilds it by itself (SANDBOX_WORKFLOW_KEY): its demo submissions
# must name the definition the app ships.
SANDBOX_WORKFLOW_KEY = "training.sandbox_workflow"
SANDBOX_USER = "trainer"
SANDBOX_TIME = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
INSPECTOR_DB = "inspector-training.cpaudit.db"
OUTBOX = "outbox"
STAGING_PREFIX = ".staging-"

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Stage:
    """One sandbox audit: a sample, cut after phase ``last_phase`` (None: as shipped)."""

    key: str
    label: str  # N_() msgid, for the GUI's list
    sample: str
    audit_id: str
    title_suffix: str  # the data are Chinese, so is the title
    last_phase: int | None = None


STAGES: tuple[Stage, ...] = (
    Stage("started", N_("Just started: only the profile is filled in"), "coking", "demo-coking-started",
          "（演示：刚开始）", last_phase=0),
    Stage("phase3", N_("Mid-audit: working on phase 3 (assessment)"), "electroplating-midway",
          "sample-electroplating-midway", "（演示：第 3 阶段）"),
    Stage("assessment", N_("Ready for 评估: phases 1–5 done, options planned"), "electroplating",
          "demo-electroplating-assessment", "（演示：待评估）", last_phase=5),
    Stage("acceptance", N_("Accepted at 验收: all 7 phases done and verified"), "coking", "sample-coking",
          "（演示：已通过验收）"),
)


def sandbox_dir(root: Path | None = None) -> Path:
    return root or paths.demo_workspace().parent


def enterprise_db(root: Path | None = None) -> Path:
    return sandbox_dir(root) / paths.demo_workspace().name


def inspector_db(root: Path | None = None) -> Path:
    return sandbox_dir(root) / INSPECTOR_DB


def sandbox_clock() -> FixedClock:
    return FixedClock(SANDBOX_TIME)


def fixed_uuid(name: str) -> str:
    """A UUID4-shaped id derived from ``name`` (submission ids must look like UUID4)."""
    import hashlib

    return str(uuid.UUID(bytes=hashlib.sha256(name.encode("utf-8")).digest()[:16], version=4))


def is_sandbox(ws: Workspace) -> bool:
    return ws.settings().get(TRAINING_KEY) is True


def stage_document(stage: Stage, wf: Workflow) -> Any:
    """The audit document of ``stage``: the sample, cut and re-titled, kind ``demo``."""
    data = copy.deepcopy(sample_data(stage.sample))
    if stage.last_phase is not None:
        cut_after_phase(data, wf, stage.last_phase)
    audit = data["audit"]
    audit["id"], audit["kind"] = stage.audit_id, "demo"
    audit["title"] = audit["title"] + stage.title_suffix
    return audit_json.parse(data, wf)


def cut_after_phase(data: dict[str, Any], wf: Workflow, last_phase: int) -> None:
    """Make audit JSON ``data`` what it held when phase ``last_phase`` was done (in place)."""
    keep = {s.id for p in wf.phases if p.number <= last_phase for s in p.steps}
    data["values"] = {k: v for k, v in data.get("values", {}).items() if k in keep}
    data["justifications"] = {k: v for k, v in data.get("justifications", {}).items()
                              if k.split("@", 1)[-1].split("/", 1)[0] in keep}
    if last_phase >= 4:
        _plan_medium_high_options(data["values"])


def _plan_medium_high_options(values: dict[str, Any]) -> None:
    """At 评估 the medium/high-cost options are planned, not yet implemented (ref §6)."""
    for row in (values.get("option_list") or {}).get("options") or []:
        if str(row.get("number", "")).upper().startswith("H") and row.get("status") in ("implemented", "verified"):
            row["status"] = "planned"


def seed(ws: Workspace, wf: Workflow | None = None) -> list[str]:
    """Import the four stage audits into ``ws`` and mark it as a training workspace."""
    wf = wf or load_workflow()
    ws.set_setting(TRAINING_KEY, True)
    ws.set_setting(SANDBOX_VERSION_KEY, SANDBOX_VERSION)
    ws.set_setting(SANDBOX_WORKFLOW_KEY, wf.hash)
    return [import_document(ws, stage_document(stage, wf), f"sample:{stage.sample}").id for stage in STAGES]


def _open(db: Path) -> Workspace:
    return Workspace(db, clock=sandbox_clock(), user=SANDBOX_USER)


def build(root: Path, *, with_inspector: bool = True, render: Any = None, progress: Progress | None = None) -> None:
    """Build a complete sandbox in the empty folder ``root``."""
    from cpaudit.training import inspector_sandbox

    step = progress or (lambda fraction, text: None)
    root.mkdir(parents=True, exist_ok=True)
    wf = load_workflow()
    step(0.02, N_("Seeding the sample audits"))
    with _open(enterprise_db(root)) as ws:
        seed(ws, wf)
    if with_inspector:
        inspector_sandbox.build(root, wf, render=render,
                                progress=lambda f, text: step(0.1 + 0.88 * f, text))
    step(1.0, N_("Done"))


def _owned(root: Path) -> list[Path]:
    """Every path the sandbox owns in its folder (nothing else is ever deleted)."""
    out: list[Path] = []
    for db in (enterprise_db(root), inspector_db(root)):
        out += [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.lock"), Path(f"{db}.submissions")]
        out += list(db.parent.glob(f"{db.name}.v*.bak"))
    out.append(root / OUTBOX)
    out += [p for p in root.glob(STAGING_PREFIX + "*") if p.is_dir()]
    return out


def _remove(path: Path) -> None:
    def writable(func: Any, target: str, _exc: Any) -> None:  # kept copies are read-only (Windows refuses)
        os.chmod(target, stat.S_IWUSR | stat.S_IRUSR | stat.S_IXUSR)
        func(target)

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=writable)
    elif path.exists() or path.is_symlink():
        try:
            path.unlink()
        except PermissionError:
            os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
            path.unlink()


def stage_build(root: Path | None = None, **kw: Any) -> Path:
    """Build a fresh sandbox in a staging folder inside the sandbox folder; returns it."""
    base = sandbox_dir(root)
    base.mkdir(parents=True, exist_ok=True)
    staging = base / f"{STAGING_PREFIX}{uuid.uuid4().hex[:8]}"
    try:
        build(staging, **kw)
    except BaseException:
        _remove(staging)
        raise
    return staging


def swap_in(staging: Path, root: Path | None = None) -> None:
    """Replace the sandbox by the staged one (the caller has closed the sandbox workspaces)."""
    base = sandbox_dir(root)
    for path in _owned(base):
        if path != staging:
            _remove(path)
    for item in sorted(staging.iterdir()):
        os.replace(item, base / item.name)
    staging.rmdir()


def needs_build(root: Path | None = None) -> bool:
    db = enterprise_db(root)
    if not db.exists():
        return True
    with Workspace(db) as ws:
        settings = ws.settings()
        return (settings.get(SANDBOX_VERSION_KEY) != SANDBOX_VERSION or not ws.audits()
                or settings.get(SANDBOX_WORKFLOW_KEY) != load_workflow().hash)


def prepare(reset: bool = False, root: Path | None = None, **kw: Any) -> Path:
    """The sandbox's enterprise workspace, (re)built when asked, missing or from an older version."""
    if reset or needs_build(root):
        swap_in(stage_build(root, **kw), root)
    return enterprise_db(root)
