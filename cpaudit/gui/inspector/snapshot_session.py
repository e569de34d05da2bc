# SPDX-License-Identifier: Apache-2.0
"""A read-only stand-in for ``AuditSession`` over a received snapshot (GUI layer).

Step pages read ``document`` and ``workflow`` and route edits to ``apply``;
a snapshot is immutable, so ``apply`` refuses every edit (the pages are
read-only anyway, this is the second lock).
"""

from __future__ import annotations

from typing import Any

from cpaudit.domain.document import AuditDocument
from cpaudit.i18n import _
from cpaudit.session import EditRejected, Rejection
from cpaudit.workflow.schema import Workflow


class SnapshotSession:
    def __init__(self, document: AuditDocument, workflow: Workflow, submission_id: str):
        self.document, self.workflow, self.audit_id = document, workflow, submission_id
        self.last_saved = ""

    def apply(self, changes: Any, *_args: Any, **_kw: Any) -> Any:
        raise EditRejected([Rejection("", "read_only", _("a received submission cannot be changed"))])
