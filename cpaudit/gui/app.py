# SPDX-License-Identifier: Apache-2.0
"""Application bootstrap: QApplication, CJK font, languages, error hook (GUI layer).

``run_gui`` is what ``cpaudit`` (the CLI) calls; ``main`` is the same for
``python -m cpaudit.gui.app``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cpaudit import APP_NAME, ORG, __version__, paths
from cpaudit.gui.dialogs.error_dialog import install_excepthook
from cpaudit.gui.language import apply_language
from cpaudit.gui.main_window import LANGUAGE, MainWindow
from cpaudit.gui.screen_fit import fit_to_screen, opens_maximised
from cpaudit.gui.style import STYLE_SHEET
from cpaudit.gui.workbench import LAYOUT
from cpaudit.i18n import _, initial_language
from cpaudit.store.lock import WorkspaceBusy
from cpaudit.workspace import Workspace

CJK_FONT = ("fonts", "wqy-microhei.ttc")
DEFAULT_SIZE = (1280, 800)


def load_cjk_font(app: QApplication) -> str | None:
    """Load the bundled CJK font and make it the UI font; a bare Debian shows boxes otherwise."""
    font_id = QFontDatabase.addApplicationFont(str(paths.resource_path(*CJK_FONT)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    font = QFont(families[0])
    font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
    app.setFont(font)
    return families[0]


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scale factors (150 % on plant laptops) rendered as-is, not rounded.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(list(argv or [sys.argv[0]]))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG)
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")  # same look on Windows 7–11 plant PCs and in screenshots
    load_cjk_font(app)
    app.setStyleSheet(STYLE_SHEET)
    return app


def build_window(db_path: Path, role: str = "enterprise", lang: str | None = None) -> MainWindow:
    """The main window on workspace ``db_path`` (tests and screenshots use this too); the inspector's own window for role inspector."""
    if role == "inspector":
        from cpaudit.gui.inspector.window import build_inspector_window

        return build_inspector_window(db_path, lang)  # type: ignore[return-value]
    if lang:
        apply_language(lang)  # also for the message when the workspace is busy
    # One writer per workspace: a second window on the same file is told who has it open.
    workspace = Workspace(db_path, exclusive=True)
    chosen = lang or workspace.settings().get(LANGUAGE) or initial_language()
    apply_language(chosen)
    window = MainWindow(workspace, role=role)
    if first_start(window):  # else the size and place the user left it in
        fit_to_screen(window, *DEFAULT_SIZE)
    return window


def first_start(window: QWidget) -> bool:
    """No size and place saved in the window's workspace yet (the inspector's window saves none)."""
    return LAYOUT not in window.workspace.settings()  # type: ignore[attr-defined]


def show_window(window: QWidget) -> None:
    """Show a freshly built window; on a first start on a low screen (1366×768) maximised, so that
    nothing of it (the status bar with the save state) is below the screen edge or the taskbar."""
    if first_start(window) and opens_maximised(window):
        window.showMaximized()
    else:
        window.show()


def run_gui(db_path: Path, role: str = "enterprise", lang: str | None = None, audit_id: str | None = None) -> int:
    """Show the workbench on ``db_path`` and run until the window closes; returns the exit code.

    ``role``: enterprise or trainer (editing), inspector (read-only); ``lang``: zh_CN, en or
    pseudo (None: the language last chosen in this workspace); ``audit_id``: open this audit
    instead of the only one / asking.
    """
    app = create_application()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        window = build_window(db_path, role, lang)
    except WorkspaceBusy as exc:
        QMessageBox.warning(None, _("The workspace is in use"), exc.message)
        return 2
    install_excepthook(lambda: window)
    show_window(window)
    window.start(audit_id)
    if os.environ.get("CPAUDIT_SMOKE_TEST"):
        # Packaging check (CI): prove a built app gets as far as a shown window, then leave.
        QTimer.singleShot(0, lambda: (print(f"smoke: {type(window).__name__} shown", flush=True), app.quit()))
    try:
        return app.exec()
    finally:
        window.workspace.close()


def main(argv_options: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cpaudit-gui", description="cpaudit workbench")
    parser.add_argument("--db", type=Path, default=None, help="workspace file (default: per-user data folder)")
    parser.add_argument("--role", default="enterprise", choices=("enterprise", "inspector", "trainer"))
    parser.add_argument("--lang", default=os.environ.get("CPAUDIT_LANG"), choices=("zh_CN", "en", "pseudo", None))
    parser.add_argument("--audit", default=None, help="audit id to open")
    args = parser.parse_args(list(argv_options) if argv_options is not None else None)
    return run_gui(args.db or paths.default_workspace(), args.role, args.lang, args.audit)


if __name__ == "__main__":
    sys.exit(main())
