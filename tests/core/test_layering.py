"""The Qt-free core stays Qt-free: contracts, and the core suite run with Qt hidden."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Installs an import hook that makes PySide6 (and friends) unimportable, then runs pytest.
_HIDE_QT = """
import sys, importlib.abc
class HideQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'qtawesome'):
            raise ImportError('Qt is hidden for the headless core run: ' + name)
        return None
sys.meta_path.insert(0, HideQt())
import pytest
sys.exit(pytest.main(sys.argv[1:]))
"""


def test_import_contracts_hold():
    result = subprocess.run(
        [sys.executable, "-m", "importlinter.cli"] if False else [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


@pytest.mark.skipif(os.environ.get("CPAUDIT_HEADLESS_RUN") == "1", reason="already inside the headless run")
def test_core_suite_passes_without_qt(tmp_path: Path):
    # The long crash series proves durability, not Qt independence: a few runs suffice here.
    env = dict(os.environ, CPAUDIT_HEADLESS_RUN="1", CPAUDIT_HYPOTHESIS="headless", CPAUDIT_CRASH_RUNS="3",
               PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", _HIDE_QT, "tests/core", "-q", "-p", "no:pytest-qt", "-p", "no:cacheprovider",
         "--basetemp", str(tmp_path / "headless")],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
