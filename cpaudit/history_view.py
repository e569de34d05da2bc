"""The journal told in words: what each change did, in the CURRENT language.

A journal group stores the label it was made under, in the language of that
moment ("编辑 企业名称"). A history shown after switching to English must say
"Changed Enterprise name", so the words are derived again from the
transitions' paths and the workflow's labels each time they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cpaudit import formatting
from cpaudit.domain.document import AuditDocument
from cpaudit.edit_labels import label_text
from cpaudit.i18n import _
from cpaudit.store.journal import HistoryEntry, Transition
from cpaudit.workflow.schema import FieldSpec, Workflow

MAX_PARTS = 3  # "Changed A; Changed B; Changed C and 4 more"


@dataclass(frozen=True)
class Target:
    """Where a change happened, for "go there"."""

    step: str
    field: str | None = None
    row: str | None = None


@dataclass(frozen=True)
class HistoryLine:
    group_id: int
    at: str
    who: str
    kind: str  # edit | undo | redo
    what: str
    reason: str | None
    undone: bool  # an edit that is currently undone
    target: Target | None


def describe_entry(entry: HistoryEntry, wf: Workflow, doc: AuditDocument | None = None) -> HistoryLine:
    parts: list[str] = []
    target: Target | None = None
    # An undo group journals the inverse transitions; it is told as the edit it took back.
    transitions = [t.inverse() for t in entry.transitions] if entry.kind == "undo" else entry.transitions
    for t in transitions:
        text, where = describe_transition(t, wf, doc)
        if text not in parts:
            parts.append(text)
        target = target or where
    what = _("; ").join(parts[:MAX_PARTS]) or label_text(entry.label)  # list separator: "；" in Chinese
    if entry.untold:  # only the first transitions were read: say how many there are in all,
        # first, so a narrow history dock that elides the line still shows it
        what = _("{n} changes in all: {changes} and more").format(
            changes=what, n=formatting.number(entry.total, places=0))
    elif len(parts) > MAX_PARTS:
        what = _("{changes} and {n} more").format(changes=what, n=len(parts) - MAX_PARTS)
    if entry.kind == "import":  # the audit's first content, not a list of a thousand values
        source = label_text(entry.label)
        if entry.label.startswith("sample:"):  # the training sandbox's audits (stored language-neutral)
            source = _("sample audit {name}").format(name=entry.label.removeprefix("sample:"))
        what = _("Imported: {source}").format(source=source)
        target = None
    elif entry.kind == "undo":
        what = _("Undone: {what}").format(what=what)
    elif entry.kind == "redo":
        what = _("Redone: {what}").format(what=what)
    return HistoryLine(entry.group_id, entry.at, entry.who, entry.kind, what, entry.reason,
                       entry.kind == "edit" and entry.state == "undone", target)


def describe_transition(t: Transition, wf: Workflow, doc: AuditDocument | None = None) -> tuple[str, Target | None]:
    parts = t.path.split("/")
    if t.op == "meta":
        if t.path == "status":
            return (_("Archived the audit") if t.new == "archived" else _("Took the audit out of the archive")), None
        return _("Renamed the audit to “{title}”").format(title=t.new), None
    if t.op == "attach":
        record: dict[str, Any] = t.new or t.old or {}
        step, field, row = record.get("step", ""), record.get("field", ""), record.get("row")
        where = place_label(wf, step, field, row, doc)
        template = _("Attached {name} to {field}") if t.new else _("Removed {name} from {field}")
        return template.format(name=record.get("name", "?"), field=where), Target(step, field or None, row)
    if t.op == "justify":
        rule_path = t.path.partition("@")[2].split("/")
        step = rule_path[0] if rule_path and wf.has_step(rule_path[0]) else None
        field = rule_path[1] if step and len(rule_path) > 1 else None
        row = rule_path[2] if field and len(rule_path) > 2 else None
        text = _("Justified a warning") if t.new else _("Removed a justification")
        if step:
            text += " · " + place_label(wf, step, field, row, doc)
        return text, Target(step, field, row) if step else None
    step = parts[0]
    field = parts[1] if len(parts) > 1 else None
    if not wf.has_step(step):
        return t.path, None
    if t.op == "set":
        place = place_label(wf, step, field, None, doc)
        spec = wf.field(step, field) if field and wf.step(step).has_field(field) else None
        return _changed(place, spec, t, wf), Target(step, field)
    row = parts[2] if len(parts) > 2 else None
    table = place_label(wf, step, field, None, doc)
    if t.op == "cell":
        cell = place_label(wf, step, field, row, doc, column=parts[3])
        spec = wf.field(step, field) if field and wf.step(step).has_field(field) else None
        column = next((c for c in spec.columns if c.id == parts[3]), None) if spec is not None else None
        return _changed(cell, column, t, wf), Target(step, field, row)
    if t.op == "row":
        text = _("Added a row to {table}") if t.old is None else _("Deleted a row from {table}")
        return text.format(table=table), Target(step, field, row if t.new is not None else None)
    if t.op == "move":
        return _("Moved a row in {table}").format(table=table), Target(step, field, row)
    if t.op == "order":
        return _("Sorted {table}").format(table=table), Target(step, field)
    return t.path, Target(step, field)


VALUE_CHARS = 30  # a value longer than this is cut: the line says what changed, the form has the rest


def _changed(place: str, spec: FieldSpec | None, t: Transition, wf: Workflow) -> str:
    """ "Changed Registered capital (step 1): 3500 → 4200"; paragraphs are named, not quoted."""
    if spec is None or spec.type == "longtext":
        return _("Changed {field}").format(field=place)
    old, new = (_value_text(spec, v, wf) for v in (t.old, t.new))
    if old is None:
        return _("Entered {field}: {new}").format(field=place, new=new)
    if new is None:
        return _("Cleared {field} (was {old})").format(field=place, old=old)
    return _("Changed {field}: {old} → {new}").format(field=place, old=old, new=new)


def _value_text(spec: FieldSpec, value: Any, wf: Workflow) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if spec.choices and spec.choices in wf.enums:
        enum = wf.enums[spec.choices]
        values = value if isinstance(value, list) else [value]
        return _(", ").join(_(enum.label_of(str(v)) or str(v)) for v in values)
    text = " ".join(str(value).split())
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def place_label(wf: Workflow, step: str, field: str | None, row: str | None, doc: AuditDocument | None,
                 column: str | None = None) -> str:
    """"Enterprise name (step 1)", "Training sessions, row 3, Participants (step 6)"."""
    if not wf.has_step(step):
        return step
    spec = wf.step(step)
    where = _("step {number}").format(number=spec.number) if spec.number > 0 else _(spec.title)
    if not field or not spec.has_field(field):
        return _(spec.title)
    table = wf.field(step, field)
    text = _(table.label)
    if row is not None and doc is not None:
        ids = [r["_id"] for r in doc.rows(step, field)]
        if row in ids:
            text = _("{table}, row {n}").format(table=text, n=ids.index(row) + 1)
    if column is not None:
        try:
            text = _("{table}, {column}").format(table=text, column=_(table.column(column).label))
        except KeyError:
            pass
    return _("{place} ({where})").format(place=text, where=where)
