# SPDX-License-Identifier: Apache-2.0
"""Exercises with model answers (GUI layer over ``cpaudit.training.exercises``/``feedback``).

Left: the exercises. Right: the task, the given data, one box per answer,
"Check my answer" (every box marked right or wrong with a sentence that says
why) and "Show the model answer". Answers typed survive a language switch.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from cpaudit.formatting import number
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.i18n import _
from cpaudit.training.exercises import Exercise, load_exercises
from cpaudit.training.feedback import compare

RIGHT, WRONG = "#2e7d32", "#c62828"


class ExerciseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, exercises: list[Exercise] | None = None):
        super().__init__(parent)
        self.setObjectName("exercise_dialog")
        self.exercises = exercises if exercises is not None else load_exercises()
        self.answers: dict[str, dict[str, str]] = {}  # exercise id → typed answers (kept across switches)
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.checked = False
        self.list = QListWidget(self)
        self.list.setObjectName("exercise_list")
        self.list.setWordWrap(True)  # whole titles, no sideways scrolling
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(3)
        right = QWidget(self)
        self.title = QLabel(right)
        self.title.setObjectName("exercise_title")
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.brief = QLabel(right)
        self.brief.setObjectName("exercise_brief")
        self.brief.setWordWrap(True)
        self.given = QTableWidget(right)
        self.given.setObjectName("exercise_given")
        self.given.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.given.verticalHeader().hide()
        self.form_box = QWidget(right)
        self.form = QFormLayout(self.form_box)
        self.feedback = QLabel(right)
        self.feedback.setObjectName("exercise_feedback")
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.RichText)
        self.feedback.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.check_button = QPushButton(right)
        self.check_button.setObjectName("exercise_check")
        self.check_button.setDefault(True)
        self.model_button = QPushButton(right)
        self.model_button.setObjectName("exercise_model")
        self.clear_button = QPushButton(right)
        self.clear_button.setObjectName("exercise_clear")
        buttons = QHBoxLayout()
        for b in (self.check_button, self.model_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        column = QVBoxLayout(right)
        for w in (self.title, self.brief, self.given, self.form_box):
            column.addWidget(w)
        column.addLayout(buttons)
        column.addWidget(self.feedback, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([260, 760])
        # A visible way out: only the window's × and Esc closed the dialog.
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.setObjectName("exercise_close")
        self.close_buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)
        outer.addWidget(self.close_buttons)
        fit_to_screen(self, 1100, 760)
        # connect signals
        self.list.currentRowChanged.connect(self._show)
        self.check_button.clicked.connect(self.check)
        self.model_button.clicked.connect(self.show_model)
        self.clear_button.clicked.connect(self.clear)
        self.retranslate()
        if self.exercises:
            self.list.setCurrentRow(0)

    def exercise(self) -> Exercise | None:
        row = self.list.currentRow()
        return self.exercises[row] if 0 <= row < len(self.exercises) else None

    # -- building ---------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Exercises"))
        self.check_button.setText(_("Check my answer"))
        self.model_button.setText(_("Show the model answer"))
        self.clear_button.setText(_("Clear"))
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for number_, ex in enumerate(self.exercises, start=1):
            self.list.addItem(f"{number_}. {_(ex.title)}")
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        if self.exercise() is not None:
            self._show(self.list.currentRow(), keep_feedback=True)

    def _remember(self) -> None:
        ex = getattr(self, "_shown_id", None)
        if ex is not None:
            self.answers[ex] = self.typed()

    def _show(self, row: int, keep_feedback: bool = False) -> None:
        self._remember()
        ex = self.exercise()
        if ex is None:
            return
        self._shown_id = ex.id
        self.title.setText(_(ex.title))
        # Not ex.source: it names the authors' notes (sample-cases.md A.3), a file the trainee never sees.
        self.brief.setText(_(ex.brief))
        self._fill_given(ex)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs.clear()
        saved = self.answers.get(ex.id, {})
        for field in ex.fields():
            if field.kind == "choice":
                box = QComboBox(self.form_box)
                box.addItem("", "")
                for value, label in field.choices:
                    box.addItem(_(label), value)
                box.setCurrentIndex(max(0, box.findData(saved.get(field.key, ""))))
                widget: QWidget = box
            else:
                edit = QLineEdit(saved.get(field.key, ""), self.form_box)
                edit.returnPressed.connect(self.check)
                widget = edit
            widget.setObjectName(f"answer_{field.key.replace('.', '_')}")
            self.inputs[field.key] = widget  # type: ignore[assignment]
            unit = _(field.unit) if field.unit == "points" else field.unit
            self.form.addRow(_(field.label) + (f" ({unit})" if unit else ""), widget)
        if keep_feedback and self.checked:
            self.check()
        else:
            self.checked = False
            self.feedback.setText("")

    def _fill_given(self, ex: Exercise) -> None:
        rows = ex.rows()
        if ex.kind == "focus":
            header, body = [_(h) if h else _("Candidate") for h in rows[0]], rows[1:]
        elif ex.kind == "balance":
            header, body = [_("Stream"), _("Direction"), _("Quantity"), _("Unit")], rows
        else:
            header, body = [_("Item"), _("Value"), _("Unit")], rows
        self.given.clear()
        self.given.setColumnCount(len(header))
        self.given.setRowCount(len(body))
        self.given.setHorizontalHeaderLabels(header)
        for r, cells in enumerate(body):
            for c, text in enumerate(cells):
                shown = _(text) if c == 0 or (ex.kind == "balance" and c == 1) else text
                item = QTableWidgetItem(shown)
                if c > 0 and ex.kind != "balance" or (ex.kind == "balance" and c == 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.given.setItem(r, c, item)
        self.given.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.given.resizeColumnsToContents()
        self.given.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        height = self.given.horizontalHeader().height() + sum(self.given.rowHeight(r) for r in range(len(body))) + 4
        self.given.setFixedHeight(min(height, 320))

    # -- answers --------------------------------------------------------------------------
    def typed(self) -> dict[str, str]:
        out = {}
        for key, widget in self.inputs.items():
            out[key] = widget.currentData() if isinstance(widget, QComboBox) else widget.text()
        return out

    def check(self) -> None:
        ex = self.exercise()
        if ex is None:
            return
        result = compare(ex, self.typed())
        self.checked = True
        lines = [f"<p><b>{html.escape(result.summary())}</b></p>"]
        for finding in result.findings:
            mark, colour = ("✓", RIGHT) if finding.correct else ("✗", WRONG)
            lines.append(f"<p style='margin:4px 0'><span style='color:{colour}'><b>{mark}</b></span> "
                         f"{html.escape(finding.message)}</p>")
        self.feedback.setText("".join(lines))

    def show_model(self) -> None:
        ex = self.exercise()
        if ex is None:
            return
        model = ex.model()
        for field in ex.fields():
            widget, value = self.inputs[field.key], model[field.key]
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            else:
                places = 0 if field.key.startswith("total.") else 2
                widget.setText("" if value is None else number(value, places))
        self.check()

    def clear(self) -> None:
        for widget in self.inputs.values():
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(0)
            else:
                widget.clear()
        self.checked = False
        self.feedback.setText("")
