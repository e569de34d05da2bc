"""Every computed figure of an audit, as plain JSON-able data (``cpaudit figures``).

Figure sections are pure functions registered by name; the report, the
inspector's recomputation check and the CLI all read them from here, so a
figure is computed in exactly one place.
"""

from __future__ import annotations

from typing import Any, Callable

from cpaudit.domain.document import AuditDocument
from cpaudit.domain.named import Named
from cpaudit.workflow.schema import Workflow

Section = Callable[[AuditDocument, Workflow], Any]


def _register_all() -> None:
    from cpaudit.calc import figures_assessment, figures_options  # noqa: F401  (register on import)


SECTIONS: Named[Section] = Named("figure section", _register_all)
figure_section = SECTIONS.register


def section_names() -> list[str]:
    return SECTIONS.names()


def compute_section(name: str, doc: AuditDocument, wf: Workflow) -> Any:
    """One section by name (KeyError when no such section is registered)."""
    return SECTIONS[name](doc, wf)


def compute_figures(doc: AuditDocument, wf: Workflow) -> dict[str, Any]:
    """All sections; a section that cannot be computed yet reports why instead of failing."""
    return {name: SECTIONS[name](doc, wf) for name in SECTIONS.names()}
