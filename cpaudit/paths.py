"""The one place that knows where files live.

Source checkout, PyInstaller bundle (``sys._MEIPASS``) and the per-user data
directory (platformdirs) are all resolved here; nothing else builds paths to
resources, catalogs or workspaces.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from cpaudit import APP_NAME, ORG


def _bundle_root() -> Path:
    """Top of the source tree, or the unpacked PyInstaller folder."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base)
    return Path(__file__).resolve().parent.parent


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def resource_root() -> Path:
    return _bundle_root() / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def translations_root() -> Path:
    return _bundle_root() / "translations"


def user_data_dir() -> Path:
    """Per-user data folder; ``CPAUDIT_HOME`` overrides it (tests, sandboxes)."""
    override = os.environ.get("CPAUDIT_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, ORG))


_CURRENT = "current-workspace.txt"  # names the workspace chosen in its place (a restored backup)


def default_workspace() -> Path:
    """The workspace the app and the command line open without --db: the user data one, or the one the
    user chose to work in instead (a backup restored on a new computer), while that file exists."""
    pointer = user_data_dir() / _CURRENT
    try:
        chosen = Path(pointer.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        chosen = None
    return chosen if chosen is not None and chosen.is_absolute() and chosen.is_file() else user_data_dir() / "workspace.cpaudit.db"


def set_default_workspace(path: Path) -> None:
    """Open ``path`` from now on when no --db is given (written atomically: a torn pointer names nothing)."""
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (_CURRENT + ".tmp")
    tmp.write_text(str(path.resolve()), encoding="utf-8")
    os.replace(tmp, folder / _CURRENT)


def demo_workspace() -> Path:
    return user_data_dir() / "demo" / "demo-workspace.cpaudit.db"
