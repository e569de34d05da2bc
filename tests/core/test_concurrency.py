"""Two app instances on one workspace: the second gets a clear message; no corruption."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cpaudit.domain.changes import SetField
from cpaudit.store.db import integrity_ok
from cpaudit.store.lock import WorkspaceBusy
from cpaudit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def test_second_exclusive_open_is_refused_with_who_holds_it(tmp_path: Path):
    path = tmp_path / "w.db"
    first = Workspace(path, exclusive=True)
    code = (
        "import sys; from cpaudit.workspace import Workspace; from cpaudit.store.lock import WorkspaceBusy\n"
        f"try:\n    Workspace({str(path)!r}, exclusive=True)\nexcept WorkspaceBusy as e:\n    print(e.holder['pid']); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 3, result.stderr
    assert result.stdout.strip() == str(__import__("os").getpid())
    first.close()
    Workspace(path, exclusive=True).close()  # free again once the first closed


def test_lock_is_released_when_the_holder_is_killed(tmp_path: Path):
    path = tmp_path / "w.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from cpaudit.workspace import Workspace; import time; w = Workspace({str(path)!r}, exclusive=True); print('ok', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert holder.stdout.readline().strip() == "ok"
    with pytest.raises(WorkspaceBusy):
        Workspace(path, exclusive=True)
    holder.kill()
    holder.wait()
    Workspace(path, exclusive=True).close()


def test_a_reader_and_a_writer_share_the_file_safely(tmp_path: Path):
    path = tmp_path / "w.db"
    writer = Workspace(path, exclusive=True)
    audit = writer.create_audit("Shared")
    session = writer.session(audit.id)
    reader = Workspace(path)  # e.g. `cpaudit dump` while the GUI is open
    for n in range(20):
        session.apply(SetField("enterprise", "name", f"v{n}"))
        assert reader.document(audit.id).get("enterprise", "name") == f"v{n}"
    assert integrity_ok(reader.db)
    reader.close()
    writer.close()
