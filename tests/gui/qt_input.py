"""Test helpers for Qt input that pytest-qt cannot do itself (imported by the GUI tests)."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from cpaudit.gui.main_window import MainWindow
from cpaudit.workspace import Workspace


def reopen(window: MainWindow) -> Workspace:
    """A second, independent connection to the window's workspace file: what is really on disk."""
    return Workspace(window.workspace.path)


def commit_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as an input method would (qtbot.keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
