"""Computed values are pure functions registered here by name.

The workflow names a function (``computed = {function = "sum_column", ...}``);
it is looked up here, never ``eval``-ed. A field function receives the audit
document and its params; a column function also receives the row.
"""

from __future__ import annotations

from typing import Any, Callable

from cpaudit.domain.document import AuditDocument

FieldFunction = Callable[..., Any]
_FUNCTIONS: dict[str, FieldFunction] = {}
_loaded = False


def register(name: str) -> Callable[[FieldFunction], FieldFunction]:
    def deco(fn: FieldFunction) -> FieldFunction:
        if name in _FUNCTIONS and _FUNCTIONS[name] is not fn:
            raise ValueError(f"computed function {name!r} registered twice")
        _FUNCTIONS[name] = fn
        return fn

    return deco


def _load() -> None:
    """Import the modules that register functions (explicit: no plugin magic)."""
    global _loaded
    if not _loaded:
        _loaded = True
        from cpaudit.calc import fields, figures_assessment, figures_options  # noqa: F401  (register on import)


def known_functions() -> set[str]:
    _load()
    return set(_FUNCTIONS)


def function(name: str) -> FieldFunction:
    _load()
    return _FUNCTIONS[name]


def compute_field(name: str, doc: AuditDocument, params: dict[str, Any], step: str) -> Any:
    return function(name)(doc, step=step, **params)


def compute_cell(name: str, doc: AuditDocument, row: dict[str, Any], params: dict[str, Any], step: str) -> Any:
    return function(name)(doc, row=row, step=step, **params)
