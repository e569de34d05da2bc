"""Cross-field rules, registered by name and referenced from ``[[step.check]]``.

A rule receives the document, the workflow, the step and its params and
returns issues. It is pure: no I/O, no Qt. The audit-content rules (balance
closure, feasibility, evidence, gates) register themselves from
``cpaudit.workflow.content_rules``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from cpaudit.domain.document import AuditDocument
from cpaudit.domain.named import Named
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.schema import StepSpec, Workflow

Rule = Callable[..., Iterable[Issue]]


def _register_all() -> None:
    from cpaudit.workflow import content_rules, rules_assessment, rules_options  # noqa: F401  (register on import)


RULES: Named[Rule] = Named("rule", _register_all)
rule = RULES.register


def known_rules() -> set[str]:
    return set(RULES.names())


def run_rule(name: str, doc: AuditDocument, wf: Workflow, step: StepSpec, severity: str, params: dict[str, Any]) -> list[Issue]:
    return [issue.with_severity(severity) for issue in RULES[name](doc, wf, step, **params)]
