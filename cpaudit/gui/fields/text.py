# SPDX-License-Identifier: Apache-2.0
"""Text editors: one line, paragraphs, and the unified social credit code (GUI layer)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from cpaudit.gui.fields.base import FieldEditor
from cpaudit.workflow.schema import FieldSpec, Workflow

IDLE_COMMIT_MS = 600  # paragraphs are saved after this much idle time, not only on focus-out


class LineEditor(FieldEditor):
    """A QLineEdit that commits on editingFinished (Enter or focus-out)."""

    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self.line = QLineEdit(self)
        self.line.setObjectName(f"field_{spec.id}")
        if spec.max_length:
            self.line.setMaxLength(spec.max_length)
        self._layout.addWidget(self.line, 1)
        self._dirty = False
        self.setFocusProxy(self.line)
        self.line.installEventFilter(self)
        # connect signals
        self.line.textEdited.connect(self._on_edited)
        self.line.editingFinished.connect(self._commit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Esc takes back what was typed (and a refused entry): the stored value is shown again.
        if (watched is self.line and self._dirty and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Escape):  # type: ignore[attr-defined]
            self.reverted.emit()
            return True
        return False

    def _on_edited(self, text: str) -> None:
        self._dirty = True
        self.edited.emit(text)

    def _commit(self) -> None:
        # editingFinished also fires on focus-out without a change: only real edits commit.
        # The flag is cleared by set_value (the page calls it once the core stored the value);
        # a rejected input stays "dirty", so nothing reformats or overwrites what was typed.
        if self._dirty and not self._read_only:
            self.committed.emit(self.line.text())

    def flush(self) -> None:
        self._commit()

    def display_text(self, value: Any) -> str:
        return "" if value is None else str(value)

    def set_value(self, value: Any) -> None:
        self._dirty = False
        text = self.display_text(value)
        if self.line.text() != text:
            self.line.setText(text)
            self.line.setCursorPosition(0)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.line.setReadOnly(read_only)

    def text(self) -> str:
        return self.line.text()


class UsccEditor(LineEditor):
    """18-character code: typed in upper case, shown in a fixed-width font to spot typos."""

    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self.line.setMaxLength(18)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.0)
        self.line.setFont(font)
        self.line.setFixedWidth(self.line.fontMetrics().horizontalAdvance("W" * 18) + 40)
        self.line.setPlaceholderText("91110000XXXXXXXXXX")
        self._layout.setStretch(0, 0)
        self._layout.addStretch(1)

    def _on_edited(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            pos = self.line.cursorPosition()
            self.line.setText(upper)
            self.line.setCursorPosition(pos)
        super()._on_edited(upper)


class LongTextEditor(FieldEditor):
    """Paragraphs: commits on focus-out and after a short idle pause, so a crash loses seconds at most."""

    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName(f"field_{spec.id}")
        self.edit.setTabChangesFocus(True)
        line = self.edit.fontMetrics().lineSpacing()
        self.edit.setMinimumHeight(line * 5 + 12)
        self.edit.setMaximumHeight(line * 8 + 12)
        self._layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)
        self._dirty = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_COMMIT_MS)
        # connect signals
        self.edit.textChanged.connect(self._on_changed)
        self._timer.timeout.connect(self._commit)
        self.edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self._commit()
        return False

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self._timer.start()

    def _commit(self) -> None:
        self._timer.stop()
        if self._dirty and not self._read_only:  # cleared by set_value once stored
            self.committed.emit(self.edit.toPlainText())

    def flush(self) -> None:
        self._commit()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        # Re-setting identical text would move the cursor while the user keeps typing.
        if self.edit.toPlainText() != text:
            self._loading = True
            try:
                self.edit.setPlainText(text)
            finally:
                self._loading = False
        self._dirty = False

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.edit.setReadOnly(read_only)

    def text(self) -> str:
        return self.edit.toPlainText()
