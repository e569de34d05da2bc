# SPDX-License-Identifier: Apache-2.0
"""The phase → step navigator model, with each step's state icon (GUI layer).

States come from ``workflow.validate.step_status``; icon and colour from
``gui.step_state`` so the navigator and the pages agree on what red means.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from cpaudit.gui.step_state import PENDING, state_icon, state_label
from cpaudit.i18n import _
from cpaudit.workflow.schema import PhaseSpec, StepSpec, Workflow
from cpaudit.workflow.validate import ERRORS, StepStatus

STEP_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # step id on step items, None on phases
PHASE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3


def phase_text(phase: PhaseSpec) -> str:
    if phase.number <= 0:
        return _(phase.title)
    return _("Phase {number}: {title}").format(number=phase.number, title=_(phase.title))


def step_text(step: StepSpec) -> str:
    if step.number <= 0:
        return _(step.title)
    return _("{number}. {title}").format(number=step.number, title=_(step.title))


class StepTreeModel(QStandardItemModel):
    def __init__(self, workflow: Workflow, parent: object = None):
        super().__init__(parent)
        self.workflow = workflow
        self._steps: dict[str, QStandardItem] = {}
        self._phases: dict[str, QStandardItem] = {}
        self._checked: dict[str, str] = {}  # step → state of its stored values
        self._refused: set[str] = set()  # steps whose page holds refused input
        root = self.invisibleRootItem()
        bold = QFont()
        bold.setBold(True)
        for phase in workflow.phases:
            phase_item = QStandardItem()
            phase_item.setData(phase.id, PHASE_ID_ROLE)
            phase_item.setFont(bold)
            # Phases only group steps: selecting one would leave the page area blank.
            phase_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self._phases[phase.id] = phase_item
            for step in phase.steps:
                item = QStandardItem()
                item.setData(step.id, STEP_ID_ROLE)
                item.setData(PENDING, STATE_ROLE)
                item.setIcon(state_icon(PENDING))  # same indent as checked steps, and honest about it
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                phase_item.appendRow(item)
                self._steps[step.id] = item
            root.appendRow(phase_item)
        self.retranslate()

    def retranslate(self) -> None:
        for phase in self.workflow.phases:
            self._phases[phase.id].setText(phase_text(phase))
            # The full title first: long ones are elided in a narrow navigator (English "Phase 1: Planning and orga…").
            self._phases[phase.id].setToolTip("\n".join(t for t in (phase_text(phase), _(phase.help) if phase.help else "") if t))
            for step in phase.steps:
                item = self._steps[step.id]
                item.setText(step_text(step))
                self._set_tooltip(item, item.data(STATE_ROLE))

    def _set_tooltip(self, item: QStandardItem, state: str) -> None:
        # The full title too: long titles are elided in a narrow navigator.
        item.setToolTip(f"{item.text()}\n{state_label(state)}")

    def set_status(self, status: StepStatus) -> None:
        self._checked[status.step] = status.state
        self._show(status.step)

    def set_refused(self, step_id: str, refused: bool) -> None:
        """A step holding input the core refused shows as wrong whatever its stored values say."""
        (self._refused.add if refused else self._refused.discard)(step_id)
        self._show(step_id)

    def _show(self, step_id: str) -> None:
        state = ERRORS if step_id in self._refused else self._checked.get(step_id, PENDING)
        item = self._steps[step_id]
        if item.data(STATE_ROLE) == state:
            return
        item.setData(state, STATE_ROLE)
        item.setIcon(state_icon(state))
        self._set_tooltip(item, state)

    def state_of(self, step_id: str) -> str:
        return self._steps[step_id].data(STATE_ROLE)

    def index_of(self, step_id: str) -> QModelIndex:
        return self._steps[step_id].index()

    def step_at(self, index: QModelIndex) -> str | None:
        return index.data(STEP_ID_ROLE) if index.isValid() else None
