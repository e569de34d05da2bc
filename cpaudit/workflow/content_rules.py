"""Cross-field rules of the CP audit content, registered by name.

Each returns ``Issue``s with a translated message naming the field and rule.
"""

from __future__ import annotations

from typing import Iterator

from cpaudit.domain.document import AuditDocument
from cpaudit.i18n import _
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.rules import rule
from cpaudit.workflow.schema import StepSpec, Workflow


@rule("date_order")
def date_order(doc: AuditDocument, wf: Workflow, step: StepSpec, start: str, end: str) -> Iterator[Issue]:
    """The audit period (or any start/end pair) must not run backwards."""
    first, last = doc.lookup(start, step.id), doc.lookup(end, step.id)
    if first and last and last < first:
        end_field = end.rpartition(".")[2]
        yield Issue(
            "error", "date.order", step.id, end_field,
            _("{end} must not be before {start}").format(
                end=_(step.field(end_field).label), start=_(step.field(start.rpartition(".")[2]).label)
            ),
        )
