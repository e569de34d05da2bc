"""Core fixtures. This file must never import PySide6: core tests run without Qt."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Callable

import pytest

from cpaudit.clock import FixedClock


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test may touch the real per-user data folder."""
    home = tmp_path_factory.mktemp("cpaudit-home")
    monkeypatch.setenv("CPAUDIT_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _restore_language():
    """A test that switches the UI language must not change the next test's."""
    from cpaudit import i18n

    before = i18n.current_language()
    yield
    i18n.set_language(before)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone.utc))


@pytest.fixture
def make_workspace(tmp_path: Path, clock: FixedClock) -> Callable[..., "object"]:
    from cpaudit.workspace import Workspace

    opened = []

    def make(name: str = "workspace.db") -> Workspace:
        ws = Workspace(tmp_path / name, clock=clock, user="tester")
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        try:
            ws.close()
        except Exception:
            pass


@pytest.fixture
def workflow():
    from cpaudit.workflow.loader import load_workflow

    return load_workflow()


def pytest_configure(config: pytest.Config) -> None:
    from hypothesis import settings

    settings.register_profile("headless", max_examples=15, deadline=None)
    settings.register_profile("default", deadline=None)
    settings.load_profile(os.environ.get("CPAUDIT_HYPOTHESIS", "default"))


@pytest.fixture
def mini_session(tmp_path: Path, clock: FixedClock):
    """A session over the tiny test workflow in tests/core/data/wf-mini."""
    from cpaudit.session import AuditSession
    from cpaudit.workflow.loader import load_workflow_dir
    from cpaudit.workspace import Workspace

    wf = load_workflow_dir(Path(__file__).parent / "core" / "data" / "wf-mini")
    ws = Workspace(tmp_path / "mini.db", clock=clock, user="tester")
    meta = ws.create_audit("Mini", workflow=wf)
    yield AuditSession(ws.db, meta.id, wf, clock, "tester", ws.path)
    ws.close()


@pytest.fixture
def shanghai_clock(monkeypatch):
    """This computer's clock on Beijing time, whatever the machine running the tests uses."""
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
