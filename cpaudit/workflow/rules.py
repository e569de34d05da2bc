"""Cross-field rules, registered by name and referenced from ``[[step.check]]``.

A rule receives the document, the workflow, the step and its params and
returns issues. It is pure: no I/O, no Qt. The audit-content rules (balance
closure, feasibility, evidence, gates) register themselves from
``cpaudit.workflow.content_rules``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from cpaudit.domain.document import AuditDocument
from cpaudit.workflow.issues import Issue
from cpaudit.workflow.schema import StepSpec, Workflow

Rule = Callable[..., Iterable[Issue]]
_RULES: dict[str, Rule] = {}
_loaded = False


def rule(name: str) -> Callable[[Rule], Rule]:
    def deco(fn: Rule) -> Rule:
        if name in _RULES and _RULES[name] is not fn:
            raise ValueError(f"rule {name!r} registered twice")
        _RULES[name] = fn
        return fn

    return deco


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from cpaudit.workflow import content_rules, rules_assessment, rules_options  # noqa: F401  (register on import)


def known_rules() -> set[str]:
    _load()
    return set(_RULES)


def run_rule(name: str, doc: AuditDocument, wf: Workflow, step: StepSpec, severity: str, params: dict[str, Any]) -> list[Issue]:
    _load()
    return [issue.with_severity(severity) for issue in _RULES[name](doc, wf, step, **params)]
