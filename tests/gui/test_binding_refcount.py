"""The Qt binding's void methods must not wear out ``None`` (see cpaudit.gui._keep_none_alive)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit


def test_a_long_session_of_void_qt_calls_does_not_deallocate_none(qtbot) -> None:
    line = QLineEdit()
    qtbot.addWidget(line)
    before = sys.getrefcount(None)
    for _ in range(50_000):  # many times None's own count on Python 3.11: aborted the process before
        line.update()
    assert sys.getrefcount(None) > 1_000_000 or sys.version_info >= (3, 12)
    assert before > 0
