# SPDX-License-Identifier: Apache-2.0
"""Date editor: a line to type the date in, a calendar button and a clear button (GUI layer).

A QDateEdit was used first. It cannot be empty (a 1900 sentinel stood for "no date"),
typing into it lost the first digit, a typed date vanished on leaving the field
without a word, and Tab stepped through year, month and day. Now the date is typed
like any other value, in the forms table cells accept (2025-03-10, 2025/3/10,
2025年3月10日, 20250310), and read by the core, which refuses what is not a date
with a message beside the field. It is shown in the UI language's format when the
field is not being edited, and as YYYY-MM-DD while it is.
"""

from __future__ import annotations

from typing import Any

import qtawesome
from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtWidgets import QCalendarWidget, QMenu, QToolButton, QWidget, QWidgetAction

from cpaudit.gui.fields.text import LineEditor
from cpaudit.gui.language import qt_locale
from cpaudit.i18n import _, current_language
from cpaudit.workflow.schema import FieldSpec, Workflow

DISPLAY_FORMATS = {"zh_CN": "yyyy年M月d日", "en": "d MMM yyyy"}
ISO = "yyyy-MM-dd"


def display_format() -> str:
    return DISPLAY_FORMATS.get(current_language(), ISO)


class DateEditor(LineEditor):
    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self._value: str | None = None
        self.line.setMaximumWidth(180)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        picker = QWidgetAction(self)
        picker.setDefaultWidget(self.calendar)
        self.calendar_menu = QMenu(self)
        self.calendar_menu.addAction(picker)
        self.calendar_button = self._button(f"calendar_{spec.id}", "fa6s.calendar-days")
        self.calendar_button.setMenu(self.calendar_menu)
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")  # the icon says it
        self.clear_button = self._button(f"clear_{spec.id}", "fa6s.xmark")
        self._layout.setStretch(0, 0)
        self._layout.addStretch(1)
        self.retranslate()
        # connect signals
        self.calendar_menu.aboutToShow.connect(self._open_calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.clear_button.clicked.connect(self._clear)

    def _button(self, name: str, icon: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setIcon(qtawesome.icon(icon, color="#757575"))
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from date field to the next field
        self._layout.addWidget(button)
        return button

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # YYYY-MM-DD while editing, the language's own format otherwise; refused text is left alone.
        if watched is self.line and not self._dirty:
            if event.type() == QEvent.Type.FocusIn and self._value:
                self.line.setText(self._value)
            elif event.type() == QEvent.Type.FocusOut:
                self._show_value()
        return super().eventFilter(watched, event)

    def _show_value(self) -> None:
        text = self.display_text(self._value)
        if self.line.text() != text:
            self.line.setText(text)

    def display_text(self, value: Any) -> str:
        date = QDate.fromString(str(value), ISO) if value else QDate()
        if not date.isValid():
            return "" if value is None else str(value)
        return qt_locale(current_language()).toString(date, display_format())

    def _open_calendar(self) -> None:
        shown = QDate.fromString(self._value or "", ISO)
        self.calendar.setSelectedDate(shown if shown.isValid() else QDate.currentDate())

    def _picked(self, date: QDate) -> None:
        self.calendar_menu.close()
        if self._read_only:
            return
        self.line.setText(date.toString(ISO))
        self._dirty = True
        self._commit()

    def _clear(self) -> None:
        if self._read_only:
            return
        self.line.clear()
        self._dirty = True
        self._commit()

    def value(self) -> str | None:
        """What ``collect`` reads: the typed text while it is not committed, else the stored date."""
        return self.line.text() if self._dirty else self._value

    def set_value(self, value: Any) -> None:
        self._value = str(value) if value else None
        self._dirty = False
        text = self._value or "" if self.line.hasFocus() else self.display_text(self._value)
        if self.line.text() != text:
            self.line.setText(text)
            self.line.setCursorPosition(0)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.calendar_button.setEnabled(not read_only)
        self.clear_button.setEnabled(not read_only)

    def retranslate(self) -> None:
        # Month names follow the UI language, not the locale the widget was created in.
        self.calendar.setLocale(qt_locale(current_language()))
        self.line.setPlaceholderText(_("YYYY-MM-DD"))
        self.calendar_button.setToolTip(_("Pick the date in a calendar"))
        self.clear_button.setToolTip(_("Clear the date"))
        if not self._dirty and not self.line.hasFocus():
            self._show_value()
