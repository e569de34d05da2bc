"""The guided tour: every step of the workflow with its tour text, in order (Qt-free).

The texts live with the workflow definition (``[step.tour]``: purpose, what
the bureau checks, common mistakes) as English message ids translated in the
catalogs, so they stay next to the fields they explain. ``show_me`` names the
place on the step's page the tour points at: the first required field, else
the first table, else the first field.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpaudit.i18n import _
from cpaudit.workflow.schema import StepSpec, Workflow


@dataclass(frozen=True)
class TourStop:
    index: int  # 0-based position in the tour
    phase_number: int  # 0 = the audit profile, 1–7 the phases
    phase_title: str  # msgid
    step_id: str
    step_number: int  # the global step number (1–35), 0 in the profile
    title: str  # msgid
    purpose: str  # msgid
    bureau_checks: str  # msgid
    mistakes: str  # msgid
    target: str | None  # field id that "show me" highlights

    def heading(self) -> str:
        """"Phase 3 · Step 13" / "阶段 3 · 第 13 步", translated now."""
        if self.phase_number == 0:
            return _("Audit profile")
        return _("Phase {phase} · Step {step}").format(phase=self.phase_number, step=self.step_number)


def show_me(step: StepSpec) -> str | None:
    """The field the tour highlights on the step's page."""
    fields = [f for f in step.fields if not getattr(f, "computed", None)]
    for f in fields:
        if f.required:
            return f.id
    for f in fields:
        if f.is_table:
            return f.id
    return step.fields[0].id if step.fields else None


def stops(wf: Workflow) -> list[TourStop]:
    """One stop per step of ``wf``, in workflow order (profile first, then phases 1–7)."""
    out: list[TourStop] = []
    for phase in wf.phases:
        for step in phase.steps:
            out.append(TourStop(len(out), phase.number, phase.title, step.id, step.number, step.title,
                                step.tour.purpose, step.tour.bureau_checks, step.tour.mistakes, show_me(step)))
    return out


def stop_for(wf: Workflow, step_id: str) -> TourStop:
    for stop in stops(wf):
        if stop.step_id == step_id:
            return stop
    raise KeyError(step_id)
