"""The two bureau gates (评估 after phase 5, 验收 after phase 6; ref §0, §6, §9.1).

A gate is ready when every step it requires (``[[gate]] requires`` in
workflow.toml) is complete, and its content conditions hold: for 评估 every
live medium/high-cost option has its feasibility analysis; for 验收, in
addition, every implemented option has verified effects with evidence.
The "gates" figure and the ``gate_ready`` rule both use ``gate_report``.
"""

from __future__ import annotations

from typing import Any

from cpaudit.calc import option_register as reg
from cpaudit.domain.document import AuditDocument
from cpaudit.workflow.schema import Workflow

# The feasibility worksheets a medium/high-cost option needs (ref §1 phase 5, §4.1).
FEASIBILITY_TABLES = (
    "technical.technical_eval", "environmental.environmental_eval", "economic.evaluation",
    "recommendation.recommended",
)
_CONTENT = {"assessment": ("feasibility",), "acceptance": ("feasibility", "evidence")}


def gate_report(doc: AuditDocument, wf: Workflow, gate_id: str, skip_step: str | None = None) -> dict[str, Any]:
    """Steps not complete (with their state and error count) and unmet content conditions.

    ``skip_step`` is the step hosting the gate rule: it cannot judge itself
    without validating itself again.
    """
    from cpaudit.workflow.validate import COMPLETE, step_status

    gate = wf.gate(gate_id)
    steps = []
    for step_id in gate.requires:
        if step_id == skip_step:
            continue
        status = step_status(doc, wf, wf.step(step_id))
        if status.state != COMPLETE:
            errors = [i for i in status.issues if i.severity == "error"]
            warnings = [i for i in status.issues if i.severity == "warning" and not doc.justifications.get(i.key)]
            steps.append({"step": step_id, "state": status.state, "errors": len(errors),
                          "unjustified_warnings": len(warnings), "rules": sorted({i.rule for i in errors})})
    content: dict[str, Any] = {}
    checks = _CONTENT.get(gate_id, ())
    if "feasibility" in checks:
        lacking = reg.options_lacking_feasibility(doc, FEASIBILITY_TABLES)
        if lacking:
            content["options_lacking_feasibility"] = lacking
    if "evidence" in checks:
        lacking_evidence = reg.options_lacking_evidence(doc)
        if lacking_evidence:
            content["options_lacking_evidence"] = lacking_evidence
    return {"title": gate.title, "after_phase": gate.after_phase, "ready": not steps and not content,
            "steps_incomplete": steps, "content": content}
