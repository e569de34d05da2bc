"""Bootstrap: run_gui opens the workspace's audit and returns when the window closes."""

from __future__ import annotations

import sys

import pytest

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from cpaudit.gui.app import load_cjk_font, run_gui
from cpaudit.gui.main_window import MainWindow
from cpaudit.workspace import Workspace


def test_run_gui_opens_the_only_audit_and_returns(qapp, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own; restore it
    with Workspace(tmp_path / "ws.db") as ws:
        meta = ws.create_audit("Only audit")
    seen: dict[str, object] = {}

    def inspect_and_close() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen.update(title=window.windowTitle(), step=window.current_step(), audit=window.session.audit_id,
                    fits=window.screen().availableGeometry().contains(window.frameGeometry()),
                    maximised=window.isMaximized(), menu=window.ui.menu_file.title())
        window.close()

    QTimer.singleShot(50, inspect_and_close)
    assert run_gui(tmp_path / "ws.db", "enterprise", "en", None) == 0
    assert seen["audit"] == meta.id
    assert seen["title"] == "Only audit — Cleaner production audit"
    assert seen["menu"] == "&File"
    assert seen["step"] is not None
    # The offscreen screen is 800 px high: a first start there fits, maximised (1280×800 would not).
    assert seen["fits"] and seen["maximised"]


def test_bundled_cjk_font_is_loaded(qapp) -> None:
    family = load_cjk_font(qapp)
    assert family and "WenQuanYi" in family
    assert qapp.font().family() == family


@pytest.mark.parametrize("role", ["enterprise", "inspector"])
def test_a_second_window_on_the_same_workspace_is_told_who_has_it(qapp, tmp_path, monkeypatch, role) -> None:
    from PySide6.QtWidgets import QMessageBox

    from cpaudit.review.inspector import open_inspector

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    path = tmp_path / "ws.db"
    opener = (lambda: open_inspector(path, exclusive=True)) if role == "inspector" else (lambda: Workspace(path, exclusive=True))
    with opener() as holder:
        if role == "enterprise":
            holder.create_audit("Busy")
        seen: list[str] = []

        def read_and_close() -> None:
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox)
            seen.append(box.text())
            box.close()

        QTimer.singleShot(50, read_and_close)
        assert run_gui(path, role, "en", None) == 2
    assert seen and "already open in another cpaudit window" in seen[0]


def test_window_size_and_zoom_are_remembered_per_workspace(qapp, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with Workspace(tmp_path / "ws.db") as ws:
        ws.create_audit("Only audit")
    sizes: list[tuple[int, int]] = []
    zooms: list[int] = []

    def first() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        window.resize(760, 540)  # within the offscreen screen (restoreGeometry keeps windows on screen)
        window.workbench.actions["zoom_in"].trigger()
        window.close()

    def second() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        sizes.append((window.width(), window.height()))
        zooms.append(window.workbench.zoom_percent)
        window.close()

    QTimer.singleShot(50, first)
    assert run_gui(tmp_path / "ws.db", "enterprise", "en", None) == 0
    QTimer.singleShot(50, second)
    assert run_gui(tmp_path / "ws.db", "enterprise", "en", None) == 0
    assert sizes == [(760, 540)]
    assert zooms == [110]
