# SPDX-License-Identifier: Apache-2.0
"""Audits and files of the workspace: create, next round, archive, export tables, back up, restore (GUI layer).

Each action is a thin wrapper over a core call (``audit_list``,
``workspace.start_next_round``, ``table_export``, ``backup``); file work runs in
the background with progress and Cancel (``gui.background``). ``finished``
reports each completed background job (tests wait on it).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from cpaudit import backup, table_export
from cpaudit.audit_list import create_audit_with_profile, set_archived
from cpaudit.domain.document import AuditMeta
from cpaudit.evidence_export import export_evidence_zip
from cpaudit.gui.background import run_with_progress, show_failure
from cpaudit.gui.dialogs.home_dialog import HomeDialog
from cpaudit.gui.dialogs.new_audit_wizard import NewAuditWizard
from cpaudit.i18n import _, current_language, ngettext
from cpaudit.session import EditRejected
from cpaudit.store.lock import WorkspaceBusy
from cpaudit.workflow.loader import DEFAULT_WORKFLOW, load_workflow
from cpaudit.workspace import Workspace, start_next_round

if TYPE_CHECKING:
    from cpaudit.gui.main_window import MainWindow


def _tables_exported(n: int, where: Path) -> str:
    return ngettext("{n} table exported to {path}", "{n} tables exported to {path}", n).format(n=n, path=where)


class WorkspaceActions(QObject):
    finished = Signal(str, object)  # job name (export_xlsx, export_csv, export_evidence, backup, restore), its result

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.ask_switch = self._ask_switch  # tests answer for the user

    # -- audits ------------------------------------------------------------------------
    def show_home(self) -> None:
        current = self.window.session.audit_id if self.window.session else self.window.workspace.settings().get("gui.last_audit")
        dialog = HomeDialog(self, current, self.window)  # type: ignore[arg-type]
        self.home = dialog  # tests drive it
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.audit_id():
            self.window.open_audit(dialog.audit_id())  # type: ignore[arg-type]

    def create_audit(self) -> AuditMeta | None:
        """The wizard; the audit is created (and its answers saved) only when it is finished."""
        wizard = NewAuditWizard(load_workflow(DEFAULT_WORKFLOW), self.window)
        self.wizard = wizard  # tests drive it
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return None
        try:
            return create_audit_with_profile(self.window.workspace, wizard.title(), wizard.answers())
        except EditRejected as exc:
            QMessageBox.warning(self.window, _("The audit was not created"), "\n".join(r.message for r in exc.rejections))
            return None

    def new_audit(self) -> None:
        meta = self.create_audit()
        if meta is not None:
            self.window.open_audit(meta.id)

    def start_next_round(self, audit_id: str | None = None) -> AuditMeta | None:
        audit_id = audit_id or (self.window.session.audit_id if self.window.session else None)
        previous = self.window.workspace.meta(audit_id) if audit_id else None
        if previous is None:
            return None
        self.window._flush()
        suggestion = _("{title} (round {n})").format(title=previous.title, n=previous.round + 1)
        title, ok = QInputDialog.getText(
            self.window, _("Start the next round"),
            _("Title of the new audit (the enterprise profile and settings are copied from “{title}”):").format(
                title=previous.title), text=suggestion)
        if not ok or not title.strip():
            return None
        return start_next_round(self.window.workspace, previous.id, title.strip())

    def set_archived(self, audit_id: str, archived: bool) -> None:
        session = self.window.session
        if session is not None and session.audit_id == audit_id:
            from cpaudit.domain.changes import SetMeta

            self.window.apply([SetMeta("status", "archived" if archived else "active")])  # undoable here
        else:
            set_archived(self.window.workspace, audit_id, archived)

    # -- exporting tables ------------------------------------------------------------------
    def _snapshot(self) -> tuple[Any, Any, str] | None:
        """What a background export reads: a copy, so typing meanwhile cannot tear it."""
        session = self.window.session
        if session is None:
            return None
        self.window._flush()
        return copy.deepcopy(session.document), session.workflow, current_language()

    def _default_name(self, suffix: str, what: str | None = None) -> str:
        title = self.window.session.document.meta.title if self.window.session else "cpaudit"
        safe = "".join(c for c in title if c not in '\\/:*?"<>|').strip() or "cpaudit"
        what = what or _("tables")
        return str(Path.home() / f"{safe} - {what}{suffix}")

    def _prepared(self, target: Path | None) -> tuple[Path, Any, Any, str] | None:
        """The export's target and a snapshot of the audit; None when the user cancelled or no audit is open."""
        snapshot = self._snapshot() if target is not None else None
        return None if target is None or snapshot is None else (target, *snapshot)

    def _save_path(self, title: str, suffix: str, file_filter: str, what: str | None = None) -> Path | None:
        """Where to write an export (the extension added when the user left it out); None: cancelled."""
        name, _filter = QFileDialog.getSaveFileName(self.window, title, self._default_name(suffix, what), file_filter)
        if not name:
            return None
        return Path(name if name.lower().endswith(suffix) else name + suffix)

    def export_xlsx(self, path: Path | None = None) -> None:
        prepared = self._prepared(path or self._save_path(_("Export tables to Excel"), ".xlsx", _("Excel workbook (*.xlsx)")))
        if prepared is None:
            return
        path, doc, wf, lang = prepared

        def work(progress: Any) -> int:
            progress(0.1)
            return table_export.export_xlsx(doc, wf, path, lang)

        run_with_progress(self.window, _("Exporting the tables…"), work,
                          lambda sheets: self._done("export_xlsx", path, _tables_exported(sheets, path)))

    def export_csv(self, folder: Path | None = None) -> None:
        if folder is None:
            name = QFileDialog.getExistingDirectory(self.window, _("Export tables to CSV files in a folder"), str(Path.home()))
            if not name:
                return
            folder = Path(name)
        prepared = self._prepared(folder)
        if prepared is None:
            return
        folder, doc, wf, lang = prepared

        def work(progress: Any) -> list[Path]:
            progress(0.1)
            return table_export.export_csv(doc, wf, folder, lang)

        run_with_progress(self.window, _("Exporting the tables…"), work,
                          lambda files: self._done("export_csv", files, _tables_exported(len(files), folder)))

    def export_evidence(self, path: Path | None = None) -> None:
        session = self.window.session
        if session is None or session.workspace_path is None:
            return
        prepared = self._prepared(path or self._save_path(_("Export the evidence files"), ".zip", _("ZIP archive (*.zip)"),
                                                          _("evidence")))
        if prepared is None:
            return
        path, doc, wf, lang = prepared
        workspace = session.workspace_path
        run_with_progress(self.window, _("Exporting the evidence files…"),
                          lambda progress: export_evidence_zip(doc, wf, workspace, path, lang, progress),
                          lambda n: self._done("export_evidence", path, _("{n} evidence files exported to {path}").format(n=n, path=path)))

    # -- backup and restore --------------------------------------------------------------------
    def back_up(self, target: Path | None = None) -> None:
        source = self.window.workspace.path
        if target is None:
            stamp = dt.date.today().isoformat()
            default = str(Path.home() / f"cpaudit-backup-{stamp}.zip")
            name, _filter = QFileDialog.getSaveFileName(self.window, _("Back up the workspace"), default,
                                                        _("cpaudit backup (*.zip)"))
            if not name:
                return
            target = Path(name if name.lower().endswith(".zip") else name + ".zip")
        self.window._flush()

        def work(progress: Any) -> Path:
            try:
                return backup.backup_workspace(source, target, progress)
            except BaseException:
                target.with_name(target.name + ".partial").unlink(missing_ok=True)  # cancelled or failed
                raise

        run_with_progress(self.window, _("Backing up the workspace…"), work,
                          lambda path: self._done("backup", path, _("Workspace backed up to {path}").format(path=path)))

    def restore(self, archive: Path | None = None, target: Path | None = None) -> bool:
        """Restore a backup into a new workspace file; False when the user cancelled a file choice."""
        if archive is None:
            name, _filter = QFileDialog.getOpenFileName(self.window, _("Restore a workspace backup"), str(Path.home()),
                                                        _("cpaudit backup (*.zip)"))
            if not name:
                return False
            archive = Path(name)
        if target is None:
            default = self.window.workspace.path.with_name(f"restored-{dt.date.today().isoformat()}.cpaudit.db")
            name, _filter = QFileDialog.getSaveFileName(
                self.window, _("Save the restored workspace as (a new file)"), str(default), _("cpaudit workspace (*.cpaudit.db)"))
            if not name:
                return False
            if not name.endswith(".db"):  # a name typed without it: the open dialog's filter would hide the file
                name += ".cpaudit.db"
            target = Path(name)

        run_with_progress(self.window, _("Restoring the backup…"),
                          lambda progress: backup.restore_workspace(archive, target, progress), self._restored)
        return True

    def _restored(self, path: Path) -> None:
        from cpaudit import paths

        was_default = self.window.workspace.path.resolve() == paths.default_workspace().resolve()
        if self.ask_switch(path) and self.switch_workspace(path) and was_default:
            # Work goes on there: the next start (and the command line) opens it, not the empty default.
            paths.set_default_workspace(path)
        self._done("restore", path, _("Backup restored to {path}").format(path=path))

    def _ask_switch(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.window, _("Backup restored"),
            _("The backup was restored to a new workspace file:\n{path}\n\nWork in it from now on? The app will open it "
              "at every start; the current workspace stays as it is.").format(path=path))
        return answer == QMessageBox.StandardButton.Yes

    def switch_workspace(self, path: Path) -> bool:
        if not self.window.may_drop_refused(_("work in the restored workspace")):
            return False
        try:
            workspace = Workspace(path, exclusive=True)
        except WorkspaceBusy as exc:
            QMessageBox.warning(self.window, _("The workspace is in use"), exc.message)
            return False
        except Exception as exc:  # noqa: BLE001 - a damaged file is reported, the current one stays open
            show_failure(self.window, exc)
            return False
        self.window.open_workspace(workspace)
        return True

    def _done(self, job: str, result: Any, message: str) -> None:
        self.window.statusBar().showMessage(message, 15_000)
        self.finished.emit(job, result)
