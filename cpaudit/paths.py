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


def default_workspace() -> Path:
    return user_data_dir() / "workspace.cpaudit.db"


def demo_workspace() -> Path:
    return user_data_dir() / "demo" / "demo-workspace.cpaudit.db"
