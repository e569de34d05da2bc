"""SIGKILL in the middle of editing loses no acknowledged edit and never corrupts the file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cpaudit.store.db import integrity_ok
from cpaudit.workspace import Workspace

EDITOR = Path(__file__).with_name("crash_editor.py")


def run_and_kill(path: Path, audit_id: str, acks_before_kill: int) -> int:
    proc = subprocess.Popen(
        [sys.executable, str(EDITOR), str(path), audit_id],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])),
    )
    last = -1
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("ACK "):
            last = int(line.split()[1])
            if last + 1 >= acks_before_kill:
                break
    proc.send_signal(signal.SIGKILL)  # mid-flight: the next edit is already under way
    proc.wait(timeout=10)
    assert last >= 0, proc.stderr.read() if proc.stderr else ""
    return last


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_loses_no_acknowledged_edit(tmp_path: Path, seed: int):
    path = tmp_path / "crash.db"
    with Workspace(path) as ws:
        audit_id = ws.create_audit("Crash").id
    last = run_and_kill(path, audit_id, random.Random(seed).randint(5, 60))

    with Workspace(path) as ws:
        assert integrity_ok(ws.db)
        doc = ws.document(audit_id)
        topics = [r["topic"] for r in doc.rows("training", "sessions")]
        # Every acknowledged edit is there; the child may have run ahead of what we read,
        # but whatever it committed is whole and in order.
        assert len(topics) >= last + 1
        assert topics == [f"edit {n}" for n in range(len(topics))]
        assert doc.get("enterprise", "name") in (f"name {len(topics) - 1}", f"name {len(topics) - 2}")
        # The journal agrees with the data: one edit group per committed change.
        groups = ws.db.execute("SELECT count(*) FROM change_groups WHERE audit_id = ? AND kind = 'edit'", [audit_id]).fetchone()[0]
        name_done = doc.get("enterprise", "name") == f"name {len(topics) - 1}"
        assert groups == 2 * len(topics) - (0 if name_done else 1)
        session = ws.session(audit_id)
        session.undo()  # the journal is usable after the crash
        assert session.undo_status().can_redo


def kill_at_random_moment(path: Path, audit_id: str, rnd: random.Random) -> int:
    """Start the editor, wait for its first acknowledgement, then SIGKILL after a random delay."""
    import selectors
    import time

    proc = subprocess.Popen(
        [sys.executable, str(EDITOR), str(path), audit_id],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])),
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("ACK "), first
    last = int(first.split()[1])
    deadline = time.monotonic() + rnd.uniform(0, 0.25)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    while time.monotonic() < deadline:
        if sel.select(timeout=max(0, deadline - time.monotonic())):
            line = proc.stdout.readline()
            if line.startswith("ACK "):
                last = int(line.split()[1])
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    return last


def test_two_hundred_kills_at_random_moments(tmp_path: Path):
    """Issue 9: 200 SIGKILLs at random moments of one long editing history."""
    runs = int(os.environ.get("CPAUDIT_CRASH_RUNS", "200"))
    rnd = random.Random(2026)
    path = tmp_path / "crash.db"
    with Workspace(path) as ws:
        audit_id = ws.create_audit("Crash").id
    # Each run resumes on the same file (the editor appends from where the data stands), so
    # later runs stress a workspace that has been killed many times already.
    for run in range(runs):
        with Workspace(path) as ws:
            before = len(ws.document(audit_id).rows("training", "sessions"))
        last_ack = kill_at_random_moment(path, audit_id, rnd)
        with Workspace(path) as ws:
            assert integrity_ok(ws.db), f"run {run}"
            topics = [r["topic"] for r in ws.document(audit_id).rows("training", "sessions")]
            assert topics == [f"edit {n}" for n in range(len(topics))], f"run {run}"
            assert len(topics) >= before + last_ack + 1, f"run {run}: acknowledged edit lost"
