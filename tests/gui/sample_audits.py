"""A workspace holding a shipped sample audit, for the figure-view, report and signing tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from cpaudit.clock import FixedClock
from cpaudit.workspace import Workspace, import_document

COMPLETE_SAMPLES = ("electroplating", "coking")
PASSPHRASE = "correct horse battery"


@lru_cache(maxsize=None)
def sample_json(name: str) -> dict[str, Any]:
    from cpaudit.samples import sample_data

    return sample_data(name)


def sample_document(name: str, kind: str | None = None) -> Any:
    import copy

    from cpaudit import audit_json
    from cpaudit.workflow.loader import load_workflow

    doc = audit_json.parse(copy.deepcopy(sample_json(name)), load_workflow())
    if kind is not None:
        doc.meta = dataclasses.replace(doc.meta, kind=kind)
    return doc


def sample_workspace(path: Path, name: str = "electroplating", kind: str | None = "enterprise") -> tuple[Workspace, str]:
    """``kind``: "enterprise" (signed with the user's key), "demo" (the sandbox key) or None (as shipped)."""
    ws = Workspace(path, clock=FixedClock(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)), user="tester")
    meta = import_document(ws, sample_document(name, kind), f"sample:{name}")
    return ws, meta.id


@contextmanager
def sample_window(qtbot: Any, path: Path, name: str = "electroplating", size: tuple[int, int] = (1366, 768)) -> Iterator[Any]:
    """A shown main window on a sample audit at a plant PC's size; the workspace closes afterwards."""
    from cpaudit.gui.main_window import MainWindow

    ws, audit_id = sample_workspace(path, name)
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.open_audit(audit_id)
    try:
        yield window
    finally:
        ws.close()
