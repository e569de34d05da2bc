# SPDX-License-Identifier: Apache-2.0
"""The inspector window: received submissions, import, trust registry, review tabs, city dashboard (GUI layer).

``run_gui(..., role="inspector")`` builds this window (``build_inspector_window``)
instead of the enterprise's main window. Tabs: the submission list (with the
import results under it), the dashboard, and one closable tab per opened
review. Importing runs in the background; when it ends the list and the
dashboard are re-read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import qtawesome
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QToolBar, QWidget

from cpaudit import APP_NAME, __version__
from cpaudit.gui.inspector.dashboard_view import DashboardView
from cpaudit.gui.inspector.import_panel import ImportPanel
from cpaudit.gui.inspector.review_page import ReviewPage
from cpaudit.gui.inspector.submissions import SubmissionsPanel
from cpaudit.gui.language import apply_language
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.i18n import N_, _, current_language
from cpaudit.review.inspector import ReviewError, is_training
from cpaudit.workspace import Workspace

LANGUAGE = "gui.language"  # the same workspace setting the enterprise window uses
ACTIONS = (
    ("import_files", N_("Import &files…"), "fa6s.file-import", "Ctrl+I"),
    ("import_folder", N_("Import a f&older…"), "fa6s.folder-open", "Ctrl+Shift+I"),
    ("trust", N_("&Trust registry…"), "fa6s.key", None),
    ("backup", N_("&Back up the workspace…"), "fa6s.floppy-disk", None),
    ("open_review", N_("&Review the selected submission"), "fa6s.magnifying-glass", None),
    ("submissions", N_("&Submissions"), "fa6s.list", "Ctrl+1"),
    ("dashboard", N_("City &dashboard"), "fa6s.chart-column", "Ctrl+2"),
    ("quit", N_("&Quit"), None, "Ctrl+Q"),
    ("about", N_("&About cpaudit"), None, None),
)


class InspectorWindow(QMainWindow):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None, *, bureau_key_folder: Path | None = None):
        super().__init__(parent)
        self.setObjectName("inspector_window")
        self.workspace, self.role = workspace, "inspector"
        self.bureau_key_folder = bureau_key_folder
        self.reviews: dict[str, ReviewPage] = {}
        self.actions_: dict[str, QAction] = {}
        for name, _text, icon, shortcut in ACTIONS:
            action = QAction(qtawesome.icon(icon) if icon else qtawesome.icon("fa6s.circle", color="transparent"), "", self)
            action.setObjectName(f"action_{name}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            self.actions_[name] = action
        self.lang_zh, self.lang_en = QAction("中文（简体）", self), QAction("English", self)
        group = QActionGroup(self)
        for action in (self.lang_zh, self.lang_en):
            action.setCheckable(True)
            group.addAction(action)
        self._menus()
        self.submissions = SubmissionsPanel(self)
        self.import_panel = ImportPanel(self)
        self.import_panel.hide()
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("submissions_split")
        split.addWidget(self.submissions)
        split.addWidget(self.import_panel)
        split.setSizes([460, 280])
        self.dashboard = DashboardView(workspace, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("inspector_tabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(split, qtawesome.icon("fa6s.inbox"), "")
        self.tabs.addTab(self.dashboard, qtawesome.icon("fa6s.chart-column"), "")
        for fixed in (0, 1):
            self.tabs.tabBar().setTabButton(fixed, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.setCentralWidget(self.tabs)
        self.mode_label = QLabel(self)
        self.mode_label.setObjectName("mode_label")
        self.statusBar().addPermanentWidget(self.mode_label)
        self.setAcceptDrops(True)
        # connect signals
        self.actions_["import_files"].triggered.connect(self.choose_files)
        self.actions_["import_folder"].triggered.connect(self.choose_folder)
        self.actions_["trust"].triggered.connect(self.trust_registry)
        self.actions_["backup"].triggered.connect(lambda: self.back_up())
        self.actions_["open_review"].triggered.connect(self._open_selected)
        self.actions_["submissions"].triggered.connect(lambda: self.tabs.setCurrentIndex(0))
        self.actions_["dashboard"].triggered.connect(lambda: self.tabs.setCurrentWidget(self.dashboard))
        self.actions_["quit"].triggered.connect(self.close)
        self.actions_["about"].triggered.connect(self.about)
        self.lang_zh.triggered.connect(lambda: self.set_language("zh_CN"))
        self.lang_en.triggered.connect(lambda: self.set_language("en"))
        self.submissions.opened.connect(self.open_review)
        self.import_panel.finished.connect(lambda _n: self.reload())
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.retranslate()

    def _menus(self) -> None:
        bar = self.menuBar()
        self.file_menu, self.view_menu, self.lang_menu, self.help_menu = (bar.addMenu("") for _i in range(4))
        a = self.actions_
        for name in ("import_files", "import_folder"):
            self.file_menu.addAction(a[name])
        self.file_menu.addSeparator()
        self.file_menu.addAction(a["trust"])
        self.file_menu.addAction(a["backup"])
        self.file_menu.addSeparator()
        self.file_menu.addAction(a["quit"])
        for name in ("submissions", "dashboard", "open_review"):
            self.view_menu.addAction(a[name])
        self.lang_menu.addActions([self.lang_zh, self.lang_en])
        self.help_menu.addAction(a["about"])
        toolbar = QToolBar(self)
        toolbar.setObjectName("inspector_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name in ("import_files", "import_folder", "trust", "dashboard"):
            toolbar.addAction(a[name])
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self, submission_id: str | None = None) -> None:
        self.reload()
        if submission_id:
            self.open_review(submission_id)

    def reload(self) -> None:
        self.submissions.reload(self.workspace)
        self.dashboard.reload_choices()
        self.dashboard.refresh()

    # -- import ------------------------------------------------------------------------------------
    def _documents(self) -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())

    def choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(self, _("Import submission files"), self._documents(),
                                                      _("Submission files (*.cpaudit);;All files (*)"))
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Import every submission file of a folder"), self._documents())
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        if self.import_panel.running:
            self.statusBar().showMessage(_("An import is running; wait for it or cancel it."), 5000)
            return
        self.tabs.setCurrentIndex(0)
        self.import_panel.show()
        self.import_panel.start(self.workspace.path, paths, clock=self.workspace.clock, user=self.workspace.user)

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        self.import_paths([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])

    def trust_registry(self) -> None:
        from cpaudit.gui.inspector.trust_dialog import TrustDialog

        dialog = TrustDialog(self.workspace, self, bureau_key_folder=self.bureau_key_folder)
        dialog.exec()
        dialog.deleteLater()

    # -- reviews -----------------------------------------------------------------------------------
    def _open_selected(self) -> None:
        submission_id = self.submissions.selected_id()
        if submission_id:
            self.open_review(submission_id)

    def open_review(self, submission_id: str) -> ReviewPage | None:
        if submission_id in self.reviews:
            self.tabs.setCurrentWidget(self.reviews[submission_id])
            return self.reviews[submission_id]
        try:
            page = ReviewPage(self.workspace, submission_id, self, bureau_key_folder=self.bureau_key_folder)
        except ReviewError as exc:
            QMessageBox.warning(self, _("Review"), exc.message)
            return None
        page.review_changed.connect(lambda _sid: self.reload())
        self.reviews[submission_id] = page
        index = self.tabs.addTab(page, qtawesome.icon("fa6s.file-contract"), page.title())
        self.tabs.setTabToolTip(index, page.title())
        self.tabs.setCurrentIndex(index)
        self.reload()  # opening a review marks it "in review": the list and the dashboard both say so
        return page

    def close_tab(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, ReviewPage):
            self.tabs.removeTab(index)
            self.reviews.pop(page.submission_id, None)
            page.deleteLater()

    # -- language ----------------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        apply_language(lang)
        self.workspace.set_setting(LANGUAGE, current_language())
        self.retranslate()

    def back_up(self, target: Path | None = None) -> None:
        """The registry, reviews and every received file in one backup (restore: ``cpaudit restore``)."""
        import datetime as dt

        from cpaudit import backup
        from cpaudit.gui.background import run_with_progress

        if target is None:
            default = self.workspace.path.with_name(f"{self.workspace.path.stem}-backup-{dt.date.today().isoformat()}.zip")
            name, _filter = QFileDialog.getSaveFileName(self, _("Back up the workspace"), str(default), _("cpaudit backup (*.zip)"))
            if not name:
                return
            target = Path(name)
        run_with_progress(self, _("Backing up the workspace…"),
                          lambda progress: backup.backup_workspace(self.workspace.path, target, progress),
                          lambda path: self.statusBar().showMessage(_("Workspace backed up to {path}").format(path=path), 15_000))

    def retranslate(self) -> None:
        for name, text, _icon, _shortcut in ACTIONS:
            self.actions_[name].setText(_(text))
        self.file_menu.setTitle(_("&File"))
        self.view_menu.setTitle(_("&View"))
        self.lang_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.lang_zh.setChecked(current_language() == "zh_CN")
        self.lang_en.setChecked(current_language() == "en")
        self.tabs.setTabText(0, _("Submissions"))
        self.tabs.setTabText(1, _("City dashboard"))
        training = is_training(self.workspace)
        title = _("Inspector — cleaner production audits")
        self.setWindowTitle(f"DEMO 演示 · {title}" if training else title)
        self.mode_label.setText((_("training workspace") + " · " if training else "") + str(self.workspace.path))
        self.mode_label.setStyleSheet("color: #e65100; font-weight: 600;" if training else "color: #607d8b;")
        self.submissions.retranslate()
        self.import_panel.retranslate()
        self.dashboard.retranslate()
        for page in self.reviews.values():
            page.retranslate()
            self.tabs.setTabText(self.tabs.indexOf(page), page.title())

    def about(self) -> None:
        QMessageBox.about(self, _("About cpaudit"), _("{name} {version}\nOffline workbench for cleaner production audits.").format(
            name=APP_NAME, version=__version__))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.import_panel.running:
            self.import_panel.cancel()
        super().closeEvent(event)


def build_inspector_window(db_path: Path, lang: str | None = None, *, training: bool | None = None,
                           bureau_key_folder: Path | None = None) -> InspectorWindow:
    """The inspector window on the inspector workspace ``db_path`` (created when missing)."""
    from cpaudit.i18n import initial_language
    from cpaudit.review.inspector import open_inspector

    if lang:
        apply_language(lang)  # also for the message when the workspace is busy
    try:
        # One writer per workspace, as for the enterprise: a second window is told who has it
        # (WorkspaceBusy, shown by gui.app.run_gui) instead of importing beside the first.
        workspace = open_inspector(db_path, training=training, exclusive=True)
    except ReviewError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        raise SystemExit(2) from None
    apply_language(lang or workspace.settings().get(LANGUAGE) or initial_language())
    window = InspectorWindow(workspace, bureau_key_folder=bureau_key_folder)
    fit_to_screen(window, 1400, 860)
    return window
