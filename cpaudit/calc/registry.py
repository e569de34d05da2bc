"""Computed values are pure functions registered here by name.

The workflow names a function (``computed = {function = "sum_column", ...}``);
it is looked up here, never ``eval``-ed. A field function receives the audit
document and its params; a column function also receives the row.
"""

from __future__ import annotations

from typing import Any, Callable

from cpaudit.domain.document import AuditDocument
from cpaudit.domain.named import Named

FieldFunction = Callable[..., Any]


def _register_all() -> None:
    from cpaudit.calc import fields, figures_assessment, figures_options  # noqa: F401  (register on import)


FUNCTIONS: Named[FieldFunction] = Named("computed function", _register_all)
register = FUNCTIONS.register


def known_functions() -> set[str]:
    return set(FUNCTIONS.names())


def compute_field(name: str, doc: AuditDocument, params: dict[str, Any], step: str) -> Any:
    return FUNCTIONS[name](doc, step=step, **params)


def compute_cell(name: str, doc: AuditDocument, row: dict[str, Any], params: dict[str, Any], step: str) -> Any:
    return FUNCTIONS[name](doc, row=row, step=step, **params)
