# SPDX-License-Identifier: Apache-2.0
"""The scoring sheet of a review, built from its data file, with the live total and the decision (GUI layer).

Veto items are checkboxes, scored and bonus items spin boxes up to their
maximum ("—" = not scored yet) with the guidance under the item. Every
change is stored at once (``reviews.set_points`` / ``set_veto``) and the
total is recomputed by ``scoring.compute``, the same math the answer file
carries. The decision uses the stage's official words: 通过/不通过 (评估),
合格/不合格 (验收), or 退回修改.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import qtawesome
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QDoubleSpinBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QRadioButton,
    QScrollArea, QVBoxLayout, QWidget,
)

from cpaudit import formatting
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import _, current_language, ngettext
from cpaudit.review import reviews, scoring
from cpaudit.review.inspector import ReviewError
from cpaudit.workflow.validate import COMPLETE, ERRORS, INCOMPLETE, WARNINGS
from cpaudit.workspace import Workspace

UNSCORED = Decimal("-0.5")  # the spin box minimum, shown as "—"


def points_text(value: Decimal) -> str:
    return formatting.number(value, 1 if value != value.to_integral_value() else 0)


class PointsBox(QDoubleSpinBox):
    """Points in halves: "4" and "4.5", not "4.0"; the minimum shows as "—" (not scored)."""

    def textFromValue(self, value: float) -> str:
        return points_text(Decimal(str(round(value, 1))))


class ScoringPanel(QWidget):
    changed = Signal()

    def __init__(self, ws: Workspace, submission_id: str, parent: QWidget | None = None, *, bureau_key_folder: Any = None):
        super().__init__(parent)
        self.setObjectName("scoring_panel")
        self.ws, self.submission_id, self.bureau_key_folder = ws, submission_id, bureau_key_folder
        self.state = reviews.open_review(ws, submission_id)
        self.sheet = self.state.sheet
        self.vetoes: dict[str, QCheckBox] = {}
        self.spins: dict[str, QDoubleSpinBox] = {}
        self.texts: list[tuple[QLabel, QLabel, Any]] = []  # item label, guidance label, item / group
        self.answer_path: Any = None
        self.title = QLabel(self)
        self.title.setObjectName("sheet_title")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600; font-size: 11pt;")
        content = QWidget()
        self.grid = QGridLayout(content)
        self.grid.setColumnStretch(0, 1)
        self.grid.setVerticalSpacing(4)
        self._build()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("total_label")
        self.total_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.total_detail = QLabel(self)
        self.total_detail.setObjectName("total_detail")
        self.total_detail.setWordWrap(True)
        self.decision_buttons = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        radios = QHBoxLayout()
        for decision in scoring.DECISION_TERMS_KEYS:
            radio = QRadioButton(self)
            radio.setObjectName(f"decision_{decision}")
            self.radios[decision] = radio
            self.decision_buttons.addButton(radio)
            radios.addWidget(radio)
        radios.addStretch(1)
        self.decide_button = QPushButton(qtawesome.icon("fa6s.gavel"), "", self)
        self.decide_button.setObjectName("decide_button")
        self.answer_button = QPushButton(qtawesome.icon("fa6s.file-signature"), "", self)
        self.answer_button.setObjectName("answer_button")
        self.status = QLabel(self)
        self.status.setObjectName("decision_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.decide_button)
        buttons.addStretch(1)
        buttons.addWidget(self.answer_button)
        footer = QFrame(self)
        footer.setObjectName("scoring_footer")
        footer.setStyleSheet("QFrame#scoring_footer { border-top: 1px solid #cfd8dc; }")
        foot = QVBoxLayout(footer)
        foot.setContentsMargins(0, 6, 0, 0)
        foot.addWidget(self.total_label)
        foot.addWidget(self.total_detail)
        foot.addLayout(radios)
        foot.addLayout(buttons)
        foot.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(footer)
        # connect signals
        self.decide_button.clicked.connect(self.record_decision)
        self.answer_button.clicked.connect(self.issue_answer)
        self.decision_buttons.buttonToggled.connect(lambda *_a: self._update_buttons())
        self.load()

    # -- building -------------------------------------------------------------------------------
    def _heading(self, row: int) -> QLabel:
        label = QLabel()
        label.setStyleSheet("font-weight: 600; padding-top: 8px; color: #37474f;")
        label.setWordWrap(True)
        self.grid.addWidget(label, row, 0, 1, 3)
        return label

    def _item_labels(self, row: int, item: scoring.Item) -> tuple[QLabel, QLabel]:
        text, guide = QLabel(), QLabel()
        text.setWordWrap(True)
        guide.setWordWrap(True)
        guide.setProperty("role", "help")
        guide.setStyleSheet("color: #5f6368; font-size: 9pt;")
        self.grid.addWidget(text, row, 0)
        self.grid.addWidget(guide, row + 1, 0, 1, 3)
        self.texts.append((text, guide, item))
        return text, guide

    def _build(self) -> None:
        row = 0
        self.veto_heading = self._heading(row)
        row += 1
        for item in self.sheet.vetoes:
            box = QCheckBox()
            box.setObjectName(f"veto_{item.id}")
            self.vetoes[item.id] = box
            self._item_labels(row, item)
            self.grid.addWidget(box, row, 1, 1, 2, Qt.AlignmentFlag.AlignRight)
            box.toggled.connect(lambda on, i=item.id: self._veto(i, on))
            row += 2
        self.group_headings: list[tuple[QLabel, scoring.Group]] = []
        for group in self.sheet.groups:
            self.group_headings.append((self._heading(row), group))
            row += 1
            row = self._scored_rows(row, group.items)
        self.bonus_heading = self._heading(row)
        row += 1
        self._scored_rows(row, self.sheet.bonus)

    def _scored_rows(self, row: int, items: tuple[scoring.Item, ...]) -> int:
        for item in items:
            spin = PointsBox()
            spin.setObjectName(f"points_{item.id}")
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setRange(float(UNSCORED), float(item.max))
            spin.setSpecialValueText("—")
            spin.setMinimumWidth(72)
            self.spins[item.id] = spin
            self._item_labels(row, item)
            maximum = QLabel(f"/ {points_text(item.max)}")
            maximum.setMinimumWidth(36)
            self.grid.addWidget(spin, row, 1)
            self.grid.addWidget(maximum, row, 2)
            spin.valueChanged.connect(lambda value, i=item.id: self._points(i, value))
            row += 2
        return row

    # -- state ----------------------------------------------------------------------------------
    def load(self) -> None:
        self.state = reviews.review_state(self.ws, self.submission_id) or self.state
        for item_id, box in self.vetoes.items():
            box.blockSignals(True)
            box.setChecked(item_id in self.state.vetoes)
            box.setEnabled(not self.state.frozen)
            box.blockSignals(False)
        for item_id, spin in self.spins.items():
            value = self.state.points.get(item_id, self.state.bonus.get(item_id))
            spin.blockSignals(True)
            spin.setValue(float(value) if value is not None else float(UNSCORED))
            spin.setEnabled(not self.state.frozen)
            spin.blockSignals(False)
        if self.state.decision in self.radios:
            self.radios[self.state.decision].setChecked(True)
        self._show_total()

    def _veto(self, item_id: str, holds: bool) -> None:
        self._store(lambda: reviews.set_veto(self.ws, self.submission_id, item_id, holds))

    def _points(self, item_id: str, value: float) -> None:
        points = None if value <= float(UNSCORED) + 1e-9 else Decimal(str(round(value, 1)))
        self._store(lambda: reviews.set_points(self.ws, self.submission_id, item_id, points))

    def _store(self, write: Any) -> None:
        before = self.state.decision_label() if self.state.decision else None
        try:
            self.state = write()
        except ReviewError as exc:
            self.status.setText(exc.message)
            self.status.setStyleSheet(f"color: {COLOURS[ERRORS]};")
            self.load()
            return
        self._show_total()
        if before and not self.state.decision:  # the core withdrew a decision the sheet no longer supports
            self.status.setText(_("The decision '{decision}' was withdrawn: the scores no longer support it. "
                                  "Decide again.").format(decision=before))
            self.status.setStyleSheet(f"color: {COLOURS[WARNINGS]};")
        self.changed.emit()

    def _show_total(self) -> None:
        result = self.state.result
        colour = COLOURS[ERRORS] if result.vetoes else COLOURS[COMPLETE] if result.passed else COLOURS[WARNINGS]
        self.total_label.setText(_("Total {total} of {max} · pass mark {mark}").format(
            total=points_text(result.total), max=points_text(self.sheet.total), mark=points_text(result.pass_mark)))
        self.total_label.setStyleSheet(f"font-size: 13pt; font-weight: 600; color: {colour};")
        parts = [_("scored {scored} + bonus {bonus} (at most {cap})").format(
            scored=points_text(result.scored), bonus=points_text(result.bonus), cap=points_text(self.sheet.bonus_cap))]
        if result.vetoes:
            parts.append(_("veto item {items} holds: the result is a fail").format(items=", ".join(result.vetoes)))
        elif result.below_pass_mark:
            parts.append(_("below the pass mark"))
        if result.missing:
            parts.append(ngettext("{n} item not scored yet", "{n} items not scored yet", len(result.missing)).format(n=len(result.missing)))
        self.total_detail.setText(" · ".join(parts))
        self._show_decision()
        self._update_buttons()

    def _show_decision(self) -> None:
        if self.state.frozen:
            text = _("Decision {decision}; the answer was issued, the review is closed.").format(decision=self.state.decision_label())
        elif self.state.decision:
            text = _("Decision recorded: {decision}").format(decision=self.state.decision_label())
        else:
            text = _("No decision yet.")
        if self.answer_path:
            text += "\n" + _("Answer file: {path}").format(path=self.answer_path)
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {COLOURS[INCOMPLETE]};" if not self.state.frozen else "")

    def chosen_decision(self) -> str | None:
        return next((d for d, r in self.radios.items() if r.isChecked()), None)

    def _update_buttons(self) -> None:
        frozen = self.state.frozen
        for radio in self.radios.values():
            radio.setEnabled(not frozen)
        self.decide_button.setEnabled(not frozen and self.chosen_decision() is not None)

    def record_decision(self, decision: str | None = None) -> bool:
        decision = decision if isinstance(decision, str) else self.chosen_decision()
        if decision is None:
            return False
        try:
            self.state = reviews.decide(self.ws, self.submission_id, decision)
        except ReviewError as exc:
            self._show_total()
            self.status.setText(exc.message)
            self.status.setStyleSheet(f"color: {COLOURS[ERRORS]};")
            return False
        self.radios[decision].setChecked(True)
        self._show_total()
        self.changed.emit()
        return True

    def issue_answer(self) -> None:
        from cpaudit.gui.inspector.answer_dialog import AnswerDialog

        dialog = AnswerDialog(self.ws, self.submission_id, self, key_folder=self.bureau_key_folder)
        dialog.exec()
        if dialog.written is not None:
            self.answer_done(dialog.written)
        dialog.deleteLater()

    def answer_done(self, path: Any) -> None:
        self.answer_path = path
        self.load()
        self.changed.emit()

    # -- texts ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        zh = current_language() == "zh_CN"
        self.title.setText(self.sheet.title_zh if zh else self.sheet.title)
        self.title.setToolTip(self.sheet.source)
        self.veto_heading.setText(_("Veto items: any one that holds fails the review"))
        for label, group in self.group_headings:
            maximum = sum((i.max for i in group.items), Decimal(0))
            # "(规范性) (20)" read as two asides: the points follow the title in words
            label.setText(_("{group} · {points} points").format(
                group=group.title_zh if zh else group.title, points=points_text(maximum)))
        self.bonus_heading.setText(_("Bonus points (at most {cap})").format(cap=points_text(self.sheet.bonus_cap)))
        for text, guide, item in self.texts:
            text.setText(f"{item.id}  {item.label(current_language())}")
            guidance = item.guidance_zh if zh and item.guidance_zh else item.guidance
            guide.setText(guidance)
            guide.setVisible(bool(guidance))
        for decision, radio in self.radios.items():
            radio.setText(scoring.decision_label(self.state.stage, decision))
        self.decide_button.setText(_("Record decision"))
        self.answer_button.setText(_("Issue answer file…"))
        self.answer_button.setToolTip(_("Sign the review result with the bureau key for the enterprise to import"))
        self._show_total()
