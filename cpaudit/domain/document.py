"""An audit's data in memory: the values of every step, keyed by the workflow.

Values are kept in their canonical JSON form (see ``workflow.values``):
decimals as strings ("12.50"), dates as ISO strings, booleans, lists for
multichoice, and tables as lists of row dicts carrying a stable ``_id``.
The same shape is what ``cpaudit dump`` writes and what calculations read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

ROW_ID = "_id"


# The form field that states the audit round. The round also keys the bureau's revision chains
# (manifest audit.round); the two are kept equal: an edit of the field moves the audit's round with
# it, and an audit document where they differ is refused.
ROUND_FIELD = ("audit_info", "round")


@dataclass
class AuditMeta:
    id: str
    title: str
    workflow_id: str
    workflow_version: str
    workflow_hash: str
    created_at: str
    updated_at: str = ""
    round: int = 1
    status: str = "active"  # active | archived
    kind: str = "enterprise"  # enterprise | demo
    previous_audit: str | None = None


@dataclass(frozen=True)
class Attachment:
    """An evidence file: stored once by content hash, referenced by a field or a row."""

    id: str
    step: str
    field: str
    row_id: str | None
    sha256: str
    name: str
    size: int
    mime: str
    added_at: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "step": self.step, "field": self.field, "row": self.row_id, "sha256": self.sha256,
            "name": self.name, "size": self.size, "mime": self.mime, "added_at": self.added_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Attachment":
        return cls(
            str(data["id"]), str(data["step"]), str(data["field"]), data.get("row"), str(data["sha256"]),
            str(data["name"]), int(data["size"]), str(data["mime"]), str(data.get("added_at") or ""),
        )


@dataclass
class AuditDocument:
    meta: AuditMeta
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    justifications: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, "Attachment"] = field(default_factory=dict)
    # Derived results (validation, economics …) of the document as it is now; every change
    # clears it (``session.apply_transition``), so a cached result is never stale.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.meta.id

    def memoized(self, key: Any, compute: "Callable[[], Any]") -> Any:
        """``compute()`` once per document state."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def get(self, step: str, field_id: str, default: Any = None) -> Any:
        return self.values.get(step, {}).get(field_id, default)

    def rows(self, step: str, table: str) -> list[dict[str, Any]]:
        return self.values.get(step, {}).get(table) or []

    def row(self, step: str, table: str, row_id: str) -> dict[str, Any] | None:
        for r in self.rows(step, table):
            if r[ROW_ID] == row_id:
                return r
        return None

    def lookup(self, ref: str, here: str | None = None) -> Any:
        """Value at ``step.field`` (or ``field`` within step ``here``)."""
        step, _sep, field_id = ref.rpartition(".")
        return self.get(step or (here or ""), field_id)

    def attachments_of(self, step: str, field_id: str, row_id: str | None = None) -> list[Attachment]:
        return sorted(
            (a for a in self.attachments.values() if (a.step, a.field, a.row_id) == (step, field_id, row_id)),
            key=lambda a: (a.added_at, a.name),
        )

    def iter_values(self) -> Iterator[tuple[str, str, Any]]:
        for step, fields in self.values.items():
            for field_id, value in fields.items():
                yield step, field_id, value
