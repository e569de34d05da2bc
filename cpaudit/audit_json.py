"""The audit as a JSON document: ``cpaudit dump`` / ``load`` / ``schema``.

Loss-less: dump → load → dump gives the same document. The JSON Schema is
generated from the workflow definition, so it can never drift from the forms.

    {"format": "cpaudit.audit/1",
     "workflow": {"id", "version", "hash"},
     "audit": {"id", "title", "round", "kind", "status", "created_at", "updated_at", "previous_audit"},
     "values": {step: {field: value | [row, …]}},   rows carry "_id"
     "justifications": {issue key: text},
     "attachments": [{"id", "step", "field", "row", "sha256", "name", "size", "mime", "added_at"}]}
"""

from __future__ import annotations

from typing import Any

import re

from cpaudit.domain.document import ROUND_FIELD, ROW_ID, Attachment, AuditDocument, AuditMeta
from cpaudit.i18n import _
from cpaudit.workflow.schema import NUMERIC_TYPES, FieldSpec, Workflow
from cpaudit.workflow.values import ValueRejected, coerce

FORMAT = "cpaudit.audit/1"
STATUSES = ("active", "archived")  # the first is the default
KINDS = ("enterprise", "demo")


class DocumentInvalid(Exception):
    """The JSON is not an audit this version can read; ``problems`` are translated."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def dump(doc: AuditDocument) -> dict[str, Any]:
    m = doc.meta
    return {
        "format": FORMAT,
        "workflow": {"id": m.workflow_id, "version": m.workflow_version, "hash": m.workflow_hash},
        "audit": {
            "id": m.id, "title": m.title, "round": m.round, "kind": m.kind, "status": m.status,
            "created_at": m.created_at, "updated_at": m.updated_at, "previous_audit": m.previous_audit,
        },
        "values": {step: dict(sorted(fields.items())) for step, fields in sorted(doc.values.items()) if fields},
        "justifications": dict(sorted(doc.justifications.items())),
        "attachments": [a.as_json() for a in sorted(doc.attachments.values(), key=lambda a: a.id)],
    }


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _parse_attachments(raw: Any, wf: Workflow, problems: list[str]) -> dict[str, Attachment]:
    out: dict[str, Attachment] = {}
    if not isinstance(raw, list):
        problems.append(_("attachments must be a list"))
        return out
    for number, item in enumerate(raw, start=1):
        try:
            a = Attachment.from_json(item)
        except (KeyError, TypeError, ValueError):
            problems.append(_("attachment {n} is incomplete").format(n=number))
            continue
        if not wf.has_step(a.step) or not wf.step(a.step).has_field(a.field):
            problems.append(_("attachment {n} belongs to unknown field '{path}'").format(n=number, path=f"{a.step}.{a.field}"))
        elif not _SHA256.match(a.sha256) or a.size < 0 or a.id in out:
            problems.append(_("attachment {n} has a bad hash, size or id").format(n=number))
        else:
            out[a.id] = a
    return out


def parse(data: Any, wf: Workflow) -> AuditDocument:
    """Check ``data`` against the workflow and return the document it holds.

    Every value is coerced as if typed; anything unknown or unreadable is
    listed with its path. Values must already be canonical (what dump writes)
    or readable input (what a person writes by hand in a sample file).
    """
    problems: list[str] = []
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DocumentInvalid([_("not a cpaudit audit document (format {format} expected)").format(format=FORMAT)])
    ref = _object(data, "workflow", "workflow", problems)
    if ref is not None and not ref.get("id"):
        problems.append(_("{key} is missing").format(key="workflow.id"))
    elif ref is not None and ref.get("id") != wf.id:
        problems.append(_("the audit uses workflow '{id}', not '{expected}'").format(id=ref.get("id"), expected=wf.id))
    audit = _object(data, "audit", "audit", problems)
    if audit is None:
        audit = {}
    else:
        _check_header(audit, problems)
    values: dict[str, dict[str, Any]] = {}
    row_ids: set[str] = set()  # row ids are unique in the whole audit (they key the store)
    raw_values = data.get("values")
    raw_values = {} if raw_values is None else raw_values
    if not isinstance(raw_values, dict):
        raw_values, _unused = {}, problems.append(_("values must be an object"))
    for step_id, fields in raw_values.items():
        if not wf.has_step(step_id):
            problems.append(_("unknown step '{step}'").format(step=step_id))
            continue
        if not isinstance(fields, dict):
            problems.append(_("{key} must be an object").format(key=f"values.{step_id}"))
            continue
        step = wf.step(step_id)
        for field_id, raw in fields.items():
            if not step.has_field(field_id):
                problems.append(_("unknown field '{path}'").format(path=f"{step_id}.{field_id}"))
                continue
            spec = step.field(field_id)
            value = _parse_value(spec, raw, wf, f"{step_id}.{field_id}", problems, row_ids)
            if value is not None:
                values.setdefault(step_id, {})[field_id] = value
    justifications = data.get("justifications") or {}
    if not isinstance(justifications, dict) or not all(isinstance(v, str) for v in justifications.values()):
        problems.append(_("justifications must map issue keys to texts"))
        justifications = {}
    attachments = _parse_attachments(data.get("attachments") or [], wf, problems)
    stated = values.get(ROUND_FIELD[0], {}).get(ROUND_FIELD[1])
    header = audit.get("round")
    valid_header = isinstance(header, int) and not isinstance(header, bool) and header >= 1  # else _check_header said it
    if stated is not None and valid_header and stated != header:
        # A round-2 audit prepared by editing the form's round only was filed in round 1's chain.
        problems.append(_("audit.round is {header} but the audit round entered in the form ({path}) is {stated}: "
                          "make them the same").format(header=audit["round"], path=".".join(ROUND_FIELD), stated=stated))
    if problems:
        raise DocumentInvalid(problems)
    meta = AuditMeta(
        id=audit["id"], title=audit["title"].strip(), workflow_id=wf.id, workflow_version=wf.version,
        workflow_hash=wf.hash, created_at=str(audit.get("created_at") or ""),
        updated_at=str(audit.get("updated_at") or audit.get("created_at") or ""),
        round=audit.get("round") or stated or 1, status=audit.get("status") or STATUSES[0],
        kind=audit.get("kind") or KINDS[0], previous_audit=audit.get("previous_audit"),
    )
    return AuditDocument(meta, values, dict(justifications), attachments)


def _object(data: dict[str, Any], key: str, path: str, problems: list[str]) -> dict[str, Any] | None:
    """``data[key]`` when it is an object (absent or null counts as empty), else a problem and None."""
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(_("{key} must be an object").format(key=path))
        return None
    return value


def _check_header(audit: dict[str, Any], problems: list[str]) -> None:
    """The audit header's keys, one message per key that has the wrong type or value (see json_schema)."""
    if not isinstance(audit.get("id"), str) or not audit.get("id"):
        problems.append(_("audit.id is missing"))
    if not isinstance(audit.get("title"), str) or not audit["title"].strip():
        problems.append(_("audit.title is missing"))
    number = audit.get("round")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 1):
        problems.append(_("{key} must be a whole number of at least 1").format(key="audit.round"))
    for key, allowed in (("status", STATUSES), ("kind", KINDS)):
        if audit.get(key) is not None and audit[key] not in allowed:
            problems.append(_("{key} must be one of: {choices}").format(key=f"audit.{key}", choices=", ".join(allowed)))
    for key in ("created_at", "updated_at", "previous_audit"):
        if audit.get(key) is not None and not isinstance(audit[key], str):
            problems.append(_("{key} must be a text").format(key=f"audit.{key}"))


_ROW_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


def _parse_value(spec: FieldSpec, raw: Any, wf: Workflow, path: str, problems: list[str],
                 row_ids: set[str] | None = None) -> Any:
    if spec.computed is not None:
        return None  # computed values are never stored; recomputed on load
    if spec.is_table:
        if not isinstance(raw, list):
            problems.append(_("{path} must be a list of rows").format(path=path))
            return None
        rows = []
        seen = row_ids if row_ids is not None else set()
        for number, raw_row in enumerate(raw, start=1):
            if not isinstance(raw_row, dict):
                problems.append(_("{path} row {n} must be an object").format(path=path, n=number))
                continue
            row_id = str(raw_row.get(ROW_ID) or f"{path.replace('.', '-')}-{number:04d}")
            if row_id in seen or not _ROW_ID.match(row_id):
                problems.append(_("{path} row {n} repeats the id '{id}' or the id is not usable").format(path=path, n=number, id=row_id[:64]))
            seen.add(row_id)
            row: dict[str, Any] = {ROW_ID: row_id}
            for key, cell in raw_row.items():
                if key == ROW_ID:
                    continue
                try:
                    col = spec.column(key)
                except KeyError:
                    problems.append(_("unknown column '{path}'").format(path=f"{path}.{key}"))
                    continue
                if col.computed is not None:
                    continue  # computed cells are never stored; recomputed on load
                try:  # the cell's path is built only for a message (thousands of cells per file)
                    value = coerce(col, cell, wf, lambda n=number, k=key: f"{path}[{n}].{k}")
                except ValueRejected as exc:
                    problems.append(exc.message)
                    continue
                if value is not None:
                    row[key] = value
            rows.append(row)
        return rows
    try:
        return coerce(spec, raw, wf, path)
    except ValueRejected as exc:
        problems.append(exc.message)
        return None


def json_schema(wf: Workflow) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the document ``dump`` writes."""
    steps = {}
    for step in wf.steps():
        steps[step.id] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.id: _value_schema(f, wf) for f in step.fields if f.computed is None},
        }
    text = {"type": "string"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:cpaudit:audit:{wf.id}:{wf.version}",
        "title": f"cpaudit audit document ({wf.id} {wf.version})",
        "type": "object",
        "required": ["format", "workflow", "audit", "values"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "workflow": {
                "type": "object", "required": ["id", "version"],
                "properties": {"id": {"const": wf.id}, "version": text, "hash": {"type": ["string", "null"]}},
            },
            "audit": {
                "type": "object", "required": ["id", "title"],
                "properties": {
                    "id": text, "title": text, "round": {"type": "integer", "minimum": 1},
                    "kind": {"enum": list(KINDS)}, "status": {"enum": list(STATUSES)},
                    "created_at": text, "updated_at": text,
                    "previous_audit": {"type": ["string", "null"]},
                },
            },
            "values": {"type": "object", "additionalProperties": False, "properties": steps},
            "justifications": {"type": "object", "additionalProperties": text},
            "attachments": {
                "type": "array",
                "items": {
                    "type": "object", "required": ["id", "step", "field", "sha256", "name", "size", "mime"],
                    "properties": {
                        "id": text, "step": text, "field": text, "row": {"type": ["string", "null"]},
                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "name": text,
                        "size": {"type": "integer", "minimum": 0}, "mime": text, "added_at": text,
                    },
                },
            },
        },
    }


_DECIMAL = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}


def _value_schema(spec: FieldSpec, wf: Workflow) -> dict[str, Any]:
    t = spec.type
    if t == "table":
        props = {c.id: _value_schema(c, wf) for c in spec.columns if c.computed is None}
        props[ROW_ID] = {"type": "string"}
        return {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": props}}
    if t == "integer":
        schema: dict[str, Any] = {"type": "integer"}
    elif t in NUMERIC_TYPES:
        schema = dict(_DECIMAL)
    elif t == "date":
        schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif t == "choice":
        schema = {"enum": list(wf.enums[spec.choices].values)}  # type: ignore[index]
    elif t == "multichoice":
        schema = {"type": "array", "items": {"enum": list(wf.enums[spec.choices].values)}, "uniqueItems": True}  # type: ignore[index]
    elif t == "yesno":
        schema = {"type": "boolean"}
    elif t == "uscc":
        schema = {"type": "string", "pattern": "^[0-9A-Z]{1,18}$"}
    else:
        schema = {"type": "string"}
        if spec.pattern:
            schema["pattern"] = f"^(?:{spec.pattern})$"
    schema["description"] = spec.label
    return schema
