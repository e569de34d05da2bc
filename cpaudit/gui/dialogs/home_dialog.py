# SPDX-License-Identifier: Apache-2.0
"""Home: the audits of this workspace and what to do with them (GUI layer).

Lists title, enterprise, round, status and last change; offers new audit
(wizard), open, start the next round, archive / bring back, and backing the
whole workspace up to one file or restoring one. The work itself is the
workbench's (``gui.workbench``) and the core's (``audit_list``, ``backup``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import qtawesome
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from cpaudit import formatting
from cpaudit.audit_list import ARCHIVED, AuditSummary, audit_summaries
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import N_, _

if TYPE_CHECKING:
    from cpaudit.gui.workspace_actions import WorkspaceActions

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ICON = "#455a64"
_BUTTONS = (  # name, icon, text, tooltip
    ("open", "fa6s.folder-open", N_("Open"), ""),
    ("new", "fa6s.plus", N_("New audit…"), ""),
    ("next_round", "fa6s.forward", N_("Start the next round…"),
     N_("A new audit, one round later, pre-filled with the enterprise profile and settings of the selected one")),
    ("archive", "fa6s.box-archive", N_("Archive"), ""),
    ("backup", "fa6s.floppy-disk", N_("Back up the workspace…"), N_("Every audit and evidence file of this workspace in one .zip file")),
    ("restore", "fa6s.clock-rotate-left", N_("Restore a workspace backup…"),
     N_("Unpack a backup as a new workspace file; nothing is overwritten")),
    ("close", "fa6s.xmark", N_("Close"), ""),
)


class HomeDialog(QDialog):
    def __init__(self, workbench: "WorkspaceActions", current: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.workbench = workbench
        self.setObjectName("home_dialog")
        fit_to_screen(self, 900, 480)
        self._current = current
        self.summaries: list[AuditSummary] = []
        self.intro = intro = QLabel(self)
        intro.setObjectName("home_workspace")
        intro.setProperty("role", "help")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.list = QTreeWidget(self)
        self.list.setObjectName("home_audits")
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.show_archived = QCheckBox(self)
        self.show_archived.setObjectName("show_archived")
        self.buttons: dict[str, QPushButton] = {}
        for name, icon, _text, _tip in _BUTTONS:
            button = QPushButton(qtawesome.icon(icon, color=ICON), "", self)
            button.setObjectName(f"home_{name}_button")
            self.buttons[name] = button
        self.buttons["open"].setDefault(True)
        side = QVBoxLayout()
        side.setSpacing(6)
        for name in ("open", "new", "next_round", "archive"):
            side.addWidget(self.buttons[name])
        side.addSpacing(16)
        for name in ("backup", "restore"):
            side.addWidget(self.buttons[name])
        # Two backups, two places: the workspace's .zip holds no signing key (found in review).
        self.key_hint = QLabel(self)
        self.key_hint.setObjectName("home_key_hint")
        self.key_hint.setProperty("role", "help")
        self.key_hint.setWordWrap(True)
        side.addWidget(self.key_hint)
        side.addStretch(1)
        side.addWidget(self.buttons["close"])
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 16, 16, 16)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        grid.addWidget(intro, 0, 0, 1, 2)
        grid.addWidget(self.list, 1, 0)
        grid.addLayout(side, 1, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_archived)
        bottom.addStretch(1)
        grid.addLayout(bottom, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        # connect signals
        self.buttons["open"].clicked.connect(self._open)
        self.buttons["new"].clicked.connect(self._new)
        self.buttons["next_round"].clicked.connect(self._next_round)
        self.buttons["archive"].clicked.connect(self._archive)
        self.buttons["backup"].clicked.connect(lambda: workbench.back_up())
        self.buttons["restore"].clicked.connect(self._restore)
        self.buttons["close"].clicked.connect(self.reject)
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.list.itemDoubleClicked.connect(lambda *_a: self._open())
        self.list.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language (F12 in a training workshop switches it while this is open)."""
        self.setWindowTitle(_("Home: audits in this workspace"))
        self.intro.setText(_("Workspace file: {path}").format(path=self.workbench.window.workspace.path))
        self.list.setHeaderLabels([_("Audit"), _("Enterprise"), _("Round"), _("Status"), _("Last change")])
        self.show_archived.setText(_("Show archived audits"))
        self.key_hint.setText(_("The signing key has its own backup: File ▸ Signing key."))
        for name, _icon, text, tip in _BUTTONS:
            self.buttons[name].setText(_(text))
            self.buttons[name].setToolTip(_(tip) if tip else "")
        self.reload()

    def reload(self, select: str | None = None) -> None:
        selected = select or self.audit_id() or self._current
        self.list.clear()
        ws = self.workbench.window.workspace
        self.summaries = audit_summaries(ws, include_archived=self.show_archived.isChecked())
        statuses = {"active": _("In progress"), ARCHIVED: _("Archived")}
        for s in self.summaries:
            item = QTreeWidgetItem([s.title, s.enterprise, str(s.round), statuses.get(s.status, s.status),
                                    formatting.datetime(s.updated_at)])
            item.setData(0, ID_ROLE, s.id)
            item.setToolTip(0, f"{s.title}\n{s.workflow}")
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignCenter)
            archived = s.status == ARCHIVED
            item.setForeground(3, QBrush(QColor(COLOURS["empty" if archived else "incomplete"])))
            self.list.addTopLevelItem(item)
            if s.id == selected or self.list.currentItem() is None:
                self.list.setCurrentItem(item)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._update_buttons()

    def audit_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(0, ID_ROLE) if item else None

    def _summary(self) -> AuditSummary | None:
        return next((s for s in self.summaries if s.id == self.audit_id()), None)

    def _update_buttons(self) -> None:
        chosen = self._summary()
        editable = not self.workbench.window.read_only
        self.buttons["open"].setEnabled(chosen is not None)
        for name in ("new", "restore"):
            self.buttons[name].setEnabled(editable)
        self.buttons["next_round"].setEnabled(chosen is not None and editable)
        self.buttons["archive"].setEnabled(chosen is not None and editable)
        archived = chosen is not None and chosen.status == ARCHIVED
        self.buttons["archive"].setText(_("Bring back from the archive") if archived else _("Archive"))

    def _open(self) -> None:
        if self.audit_id():
            self.accept()

    def _new(self) -> None:
        meta = self.workbench.create_audit()
        if meta is not None:
            self.reload(select=meta.id)
            self.accept()

    def _next_round(self) -> None:
        chosen = self._summary()
        if chosen is not None:
            meta = self.workbench.start_next_round(chosen.id)
            if meta is not None:
                self.reload(select=meta.id)
                self.accept()

    def _archive(self) -> None:
        chosen = self._summary()
        if chosen is not None:
            self.workbench.set_archived(chosen.id, chosen.status != ARCHIVED)
            if chosen.status != ARCHIVED and not self.show_archived.isChecked():
                self._current = None
            self.reload()

    def _restore(self) -> None:
        if self.workbench.restore():  # the window switches workspace once the restore has finished
            self.reject()  # (a cancelled file choice leaves the home page open, as it was)
