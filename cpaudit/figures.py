"""Every computed figure of an audit, as plain JSON-able data (``cpaudit figures``).

Figure sections are pure functions registered by name; the report, the
inspector's recomputation check and the CLI all read them from here, so a
figure is computed in exactly one place.
"""

from __future__ import annotations

from typing import Any, Callable

from cpaudit.domain.document import AuditDocument
from cpaudit.workflow.schema import Workflow

Section = Callable[[AuditDocument, Workflow], Any]
_SECTIONS: dict[str, Section] = {}
_loaded = False


def figure_section(name: str) -> Callable[[Section], Section]:
    def deco(fn: Section) -> Section:
        if name in _SECTIONS and _SECTIONS[name] is not fn:
            raise ValueError(f"figure section {name!r} registered twice")
        _SECTIONS[name] = fn
        return fn

    return deco


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from cpaudit.calc import figures_assessment, figures_options  # noqa: F401


def section_names() -> list[str]:
    _load()
    return sorted(_SECTIONS)


def compute_section(name: str, doc: AuditDocument, wf: Workflow) -> Any:
    """One section by name (KeyError when no such section is registered)."""
    _load()
    return _SECTIONS[name](doc, wf)


def compute_figures(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """All sections; a section that cannot be computed yet reports why instead of failing."""
    _load()
    out: dict[str, Any] = {}
    for name in sorted(_SECTIONS):
        out[name] = _SECTIONS[name](doc, wf)
    return out
