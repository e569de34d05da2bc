"""The demo sandbox: ``cpaudit demo``'s entry point (the work is in ``cpaudit.training.sandbox``).

It lives under the user data folder in ``demo/`` and never touches a real
workspace; ``reset`` deletes only the sandbox's own files and rebuilds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cpaudit.domain.document import AuditMeta


def prepare_demo(reset: bool = False, path: Path | None = None, **kw: Any) -> Path:
    """The sandbox's enterprise workspace (built when missing, outdated or ``reset``).

    ``path``: the sandbox folder's enterprise workspace file (tests); its folder is the sandbox.
    """
    from cpaudit.training.sandbox import prepare

    return prepare(reset=reset, root=path.parent if path else None, **kw)


def inspector_sandbox(path: Path | None = None) -> Path:
    """The training inspector workspace of the sandbox (prepared with it)."""
    from cpaudit.training.sandbox import inspector_db

    return inspector_db(path.parent if path else None)


def seed(ws: Any) -> list[str]:
    """Import the sandbox's stage audits into ``ws``; returns their ids."""
    from cpaudit.training.sandbox import seed as seed_stages

    return seed_stages(ws)


def report_watermark(meta: AuditMeta) -> str | None:
    """What every report page of ``meta``'s audit carries: DEMO for sandbox audits, nothing otherwise."""
    if meta.kind != "demo":
        return None
    from cpaudit.bundle.demo_key import WATERMARK

    return WATERMARK
