# SPDX-License-Identifier: Apache-2.0
"""Which page class renders a step (GUI layer).

``page = "schema"`` (the default) uses the generic ``SchemaPage``; a step may
name ``custom:<name>``, registered here. An unknown custom page falls back to
the schema renderer, so any valid workflow definition can be shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cpaudit.gui.models.table_model import Apply
from cpaudit.gui.pages.base import StepPage
from cpaudit.gui.pages.schema_page import SchemaPage
from cpaudit.session import AuditSession
from cpaudit.workflow.schema import StepSpec

CUSTOM_PAGES: dict[str, type[StepPage]] = {}


def create_page(step: StepSpec, session: AuditSession, apply: Apply, parent: QWidget | None = None) -> StepPage:
    cls: type[StepPage] = SchemaPage
    if step.page.startswith("custom:"):
        cls = CUSTOM_PAGES.get(step.page.partition(":")[2], SchemaPage)
    return cls(step, session, apply, parent)
