# SPDX-License-Identifier: Apache-2.0
"""Date editor: a QDateEdit with a calendar popup and a clear button (GUI layer).

QDateEdit cannot be empty, so its minimum date is a sentinel shown as blank
(``specialValueText``); the stored value is the ISO date or nothing.
"""

from __future__ import annotations

from typing import Any

import qtawesome
from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtWidgets import QDateEdit, QToolButton, QWidget

from cpaudit.gui.fields.base import FieldEditor
from cpaudit.gui.language import qt_locale
from cpaudit.i18n import _, current_language
from cpaudit.workflow.schema import FieldSpec, Workflow

EMPTY_DATE = QDate(1900, 1, 1)
DISPLAY_FORMATS = {"zh_CN": "yyyy年M月d日", "en": "d MMM yyyy"}


def display_format() -> str:
    return DISPLAY_FORMATS.get(current_language(), "yyyy-MM-dd")


class DateEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(spec, workflow, parent)
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName(f"field_{spec.id}")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(EMPTY_DATE)
        self.date_edit.setSpecialValueText(" ")
        self.date_edit.setMinimumWidth(160)
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName(f"clear_{spec.id}")
        self.clear_button.setIcon(qtawesome.icon("fa6s.xmark", color="#757575"))
        self.clear_button.setAutoRaise(True)
        self._layout.addWidget(self.date_edit)
        self._layout.addWidget(self.clear_button)
        self._layout.addStretch(1)
        self.setFocusProxy(self.date_edit)
        self._loading = False
        self._dirty = False
        self.set_value(None)
        self.retranslate()
        # connect signals: commit when the user is done, not at every spin of a section
        self.date_edit.dateChanged.connect(self._on_changed)
        self.date_edit.editingFinished.connect(self._commit)
        self.date_edit.calendarWidget().clicked.connect(lambda _d: self._commit())
        self.clear_button.clicked.connect(self._clear)
        self.date_edit.calendarWidget().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An empty field opens its calendar on today, not on the 1900 sentinel.
        if event.type() == QEvent.Type.Show and self.date_edit.date() == EMPTY_DATE:
            self.date_edit.calendarWidget().setSelectedDate(QDate.currentDate())
        return False

    def _on_changed(self, _date: QDate) -> None:
        if not self._loading:
            self._dirty = True

    def _commit(self) -> None:
        if self._dirty and not self._read_only:  # cleared by set_value once stored
            self.committed.emit(self.value())

    def flush(self) -> None:
        self._commit()

    def _clear(self) -> None:
        if self._read_only:
            return
        self.set_value(None)
        self.committed.emit(None)

    def value(self) -> str | None:
        date = self.date_edit.date()
        return None if date == EMPTY_DATE else date.toString("yyyy-MM-dd")

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            date = QDate.fromString(str(value), "yyyy-MM-dd") if value else EMPTY_DATE
            self.date_edit.setDate(date if date.isValid() else EMPTY_DATE)
        finally:
            self._loading = False
        self._dirty = False

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.date_edit.setReadOnly(read_only)
        self.clear_button.setEnabled(not read_only)

    def retranslate(self) -> None:
        # Month names follow the UI language, not the locale the widget was created in.
        self.date_edit.setLocale(qt_locale(current_language()))
        self.date_edit.calendarWidget().setLocale(qt_locale(current_language()))
        self.date_edit.setDisplayFormat(display_format())
        self.clear_button.setToolTip(_("Clear the date"))
