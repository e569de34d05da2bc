# SPDX-License-Identifier: Apache-2.0
"""Where something points in a submission, as words: step › field › row › column (GUI layer).

Comments, warnings, figure paths and revision changes all name a place by
ids; the inspector reads them as the titles and labels the enterprise saw.
"""

from __future__ import annotations

from typing import Any

from cpaudit.domain.document import AuditDocument
from cpaudit.i18n import _
from cpaudit.review.reviews import Anchor
from cpaudit.workflow.schema import Workflow


def anchor_from_path(path: str) -> Anchor:
    parts = (path.split("/") + ["", "", "", ""])[:4]
    return Anchor(*parts)


def anchor_text(wf: Workflow, doc: AuditDocument | None, anchor: Anchor) -> str:
    if not anchor.step or not wf.has_step(anchor.step):
        return "/".join(p for p in (anchor.step, anchor.field, anchor.row, anchor.column) if p)
    step = wf.step(anchor.step)
    parts = [_(step.title)]
    spec = step.field(anchor.field) if anchor.field and step.has_field(anchor.field) else None
    if anchor.field:
        parts.append(_(spec.label) if spec is not None else anchor.field)
    if anchor.row:
        number = None
        if doc is not None and spec is not None and spec.is_table:
            ids = [r.get("_id") for r in doc.rows(anchor.step, anchor.field)]
            number = ids.index(anchor.row) + 1 if anchor.row in ids else None
        parts.append(_("row {n}").format(n=number) if number else _("a removed row"))
    if anchor.column:
        column = next((c for c in (spec.columns if spec is not None else ()) if c.id == anchor.column), None)
        parts.append(_(column.label) if column is not None else anchor.column)
    return " › ".join(parts)


def value_text(value: Any) -> str:
    """A stored value, short, for lists of differences."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "; ".join(f"{v}" for k, v in value.items() if k != "_id" and v not in (None, ""))[:120] or "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))[:120]
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"
