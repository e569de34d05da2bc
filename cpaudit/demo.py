"""The demo sandbox: a workspace of its own, seeded from the shipped samples.

It lives under the user data folder in ``demo/`` and never touches a real
workspace; ``reset`` deletes only the sandbox's own files and rebuilds them.
"""

from __future__ import annotations

from pathlib import Path

from cpaudit import audit_json, paths
from cpaudit.samples import sample_data, sample_names
from cpaudit.workflow.loader import load_workflow
from cpaudit.workspace import Workspace, import_document


def _sandbox_files(db: Path) -> list[Path]:
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm")] + list(db.parent.glob(f"{db.name}.v*.bak"))


def prepare_demo(reset: bool = False, path: Path | None = None) -> Path:
    db = path or paths.demo_workspace()
    if reset:
        for f in _sandbox_files(db):
            f.unlink(missing_ok=True)
    fresh = not db.exists()
    with Workspace(db, user="demo") as ws:
        if fresh or not ws.audits():
            seed(ws)
    return db


def seed(ws: Workspace) -> list[str]:
    """Import every shipped sample as a demo audit; returns their ids."""
    wf = load_workflow()
    ids = []
    for name in sample_names():
        doc = audit_json.parse(sample_data(name), wf)
        doc.meta.kind = "demo"
        ids.append(import_document(ws, doc, f"sample:{name}").id)
    return ids
