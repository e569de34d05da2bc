# SPDX-License-Identifier: Apache-2.0
"""Mirror the session's undo status onto the Edit menu actions (Anki ``aqt/undo.py`` idea).

The journal owns undo; Qt only shows it: "撤销 编辑 企业名称" / "Undo Edit Enterprise name".
"""

from __future__ import annotations

from PySide6.QtGui import QAction

from cpaudit.domain.changes import UndoStatus
from cpaudit.i18n import _


def undo_text(status: UndoStatus) -> str:
    return _("&Undo {action}").format(action=status.undo_label) if status.can_undo else _("&Undo")


def redo_text(status: UndoStatus) -> str:
    return _("&Redo {action}").format(action=status.redo_label) if status.can_redo else _("&Redo")


def mirror_undo_status(status: UndoStatus, undo: QAction, redo: QAction) -> None:
    undo.setText(undo_text(status))
    undo.setEnabled(status.can_undo)
    redo.setText(redo_text(status))
    redo.setEnabled(status.can_redo)
