"""Validation issues: what is wrong, where, under which rule, how serious.

``error`` blocks signing; ``warning`` needs a written justification (which
travels into the report and the export); ``info`` is advice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cpaudit.i18n import _, ngettext


@dataclass(frozen=True)
class Issue:
    severity: str  # error | warning | info
    rule: str  # stable id, e.g. "required", "number.max", "balance.closure"
    step: str
    field: str | None  # field or table id within the step
    message: str  # translated, names the field and the rule
    row: str | None = None
    column: str | None = None

    @property
    def path(self) -> str:
        parts = [self.step, self.field or "", self.row or "", self.column or ""]
        return "/".join(p for p in parts if p)

    @property
    def key(self) -> str:
        """Stable key under which a warning's justification is stored."""
        return f"{self.rule}@{self.path}"

    def with_severity(self, severity: str) -> "Issue":
        return replace(self, severity=severity)

    def as_json(self) -> dict[str, str | None]:
        return {
            "severity": self.severity,
            "rule": self.rule,
            "path": self.path,
            "key": self.key,  # where a justification goes: the audit JSON's "justifications" object
            "message": self.message,
        }


def counts_text(errors: int, warnings: int, notes: int, open_warnings: int | None = None) -> str:
    """'1 error, 2 warnings (1 still to justify), 3 notes': each count in its own plural form."""
    parts = {"errors": ngettext("{n} error", "{n} errors", errors).format(n=errors),
             "warnings": ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
             "notes": ngettext("{n} note", "{n} notes", notes).format(n=notes)}
    if open_warnings is None:
        return _("{errors}, {warnings}, {notes}").format(**parts)
    return _("{errors}, {warnings} ({open} still to justify), {notes}").format(open=open_warnings, **parts)
