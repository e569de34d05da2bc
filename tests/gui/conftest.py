"""Qt fixtures (pytest-qt, offscreen). Core fixtures live in ../conftest.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from cpaudit.clock import FixedClock
from cpaudit.gui.app import load_cjk_font
from cpaudit.gui.language import apply_language
from cpaudit.gui.main_window import MainWindow
from cpaudit.workspace import Workspace


@pytest.fixture(autouse=True)
def _ui_language() -> Iterator[None]:
    """Every GUI test starts in the default language and leaves it there."""
    apply_language("zh_CN")
    yield
    apply_language("zh_CN")


class RefusedQuestion:
    """Stands in for the "refused input will be lost" question: records it, answers ``answer``."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []
        self.doing: list[str] = []  # what would happen: the end of the go-on button
        self.answer = True  # "go on without them"; False: "go back and correct"

    def __call__(self, parent: Any, messages: list[str], doing: str) -> bool:
        self.asked.append(list(messages))
        self.doing.append(doing)
        return self.answer


@pytest.fixture(autouse=True)
def refused_question(monkeypatch: pytest.MonkeyPatch) -> RefusedQuestion:
    """Closing a window that holds refused input asks, and a modal box would hang offscreen."""
    from cpaudit.gui import refused_input

    question = RefusedQuestion()
    monkeypatch.setattr(refused_input, "ask_discard", question)
    return question


@pytest.fixture(scope="session", autouse=True)
def _cjk_font(qapp: QApplication) -> None:
    load_cjk_font(qapp)


@pytest.fixture
def make_window(qtbot: Any, tmp_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """``make_window(title=..., lang=..., role=...)`` → a shown MainWindow on a fresh audit."""
    opened: list[Workspace] = []

    def make(title: str = "Test audit", lang: str = "zh_CN", role: str = "enterprise", name: str = "ws.db") -> MainWindow:
        apply_language(lang)
        clock = FixedClock(dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone.utc))
        workspace = Workspace(tmp_path / name, clock=clock, user="tester")
        opened.append(workspace)
        meta = workspace.create_audit(title)
        window = MainWindow(workspace, role=role)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.open_audit(meta.id)
        # Focus-in/out events (commit on leaving a field) need an active window.
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        return window

    yield make
    for workspace in opened:
        workspace.close()
