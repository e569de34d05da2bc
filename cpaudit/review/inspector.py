"""The inspector's workspace: an ordinary workspace file whose settings say ``role = inspector``.

Same SQLite file format and migrations as the enterprise's, so backups, locks
and upgrades work unchanged; the role keeps a bureau's database from being
mistaken for an enterprise's (and the other way round). ``training = true``
marks a training workspace: the only kind that accepts demo submissions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cpaudit.i18n import _
from cpaudit.workspace import Workspace

ROLE_KEY, TRAINING_KEY = "role", "training"
INSPECTOR, ENTERPRISE = "inspector", "enterprise"


class ReviewError(Exception):
    """A translated one-line reason an inspector operation cannot be done."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def role_of(ws: Workspace) -> str:
    return str(ws.settings().get(ROLE_KEY) or ENTERPRISE)


def is_training(ws: Workspace) -> bool:
    return ws.settings().get(TRAINING_KEY) is True


def make_inspector(ws: Workspace, training: bool = False) -> None:
    """Mark ``ws`` as an inspector workspace; refuses a workspace that already holds enterprise audits."""
    if role_of(ws) != INSPECTOR and ws.audits():
        raise ReviewError(_("{path} holds enterprise audits; use a separate file for the inspector").format(path=ws.path))
    ws.set_setting(ROLE_KEY, INSPECTOR)
    ws.set_setting(TRAINING_KEY, bool(training))


def open_inspector(path: Path | str, *, training: bool | None = None, **kw: Any) -> Workspace:
    """Open (or create) an inspector workspace; ``training`` is fixed when the file is created."""
    ws = Workspace(path, **kw)
    try:
        if role_of(ws) != INSPECTOR:
            make_inspector(ws, bool(training))
        elif training is not None and training != is_training(ws):
            # Switching would mix demo submissions into production figures (or the reverse).
            raise ReviewError(_("{path} is a training workspace").format(path=ws.path) if is_training(ws)
                              else _("{path} is not a training workspace").format(path=ws.path))
    except BaseException:
        ws.close()
        raise
    return ws


def require_inspector(ws: Workspace) -> None:
    if role_of(ws) != INSPECTOR:
        raise ReviewError(_("{path} is not an inspector workspace").format(path=ws.path))


def received_dir(ws: Workspace) -> Path:
    """Read-only copies of every accepted submission file, named by manifest hash."""
    return ws.path.parent / f"{ws.path.name}.submissions"
