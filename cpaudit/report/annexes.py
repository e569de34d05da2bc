"""Annexes (§6 "Conclusions and annexes"; issue 5): A worksheet tables, B evidence list,
C change summary from the journal, D validation warnings with their justifications."""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any, Iterable

from cpaudit.i18n import N_, using_language
from cpaudit.report import outline
from cpaudit.report.content import Context
from cpaudit.report.model import Block, Column, Para, Section, Table

SHA256 = re.compile(r"\b[0-9a-fA-F]{64}\b")
RECENT_GROUPS = 40  # the change summary lists the latest edits; the counts cover all


def build_annexes(ctx: Context, stage: str, wide: list[Table], journal: Iterable[dict[str, Any]] | None) -> list[Section]:
    t = ctx.t
    steps = _included_steps(ctx, stage)
    a = Section("annex.A", "A", t(N_("Worksheet tables")), 0, prefix="A")
    if wide:
        a.blocks.extend(Table(w.caption, w.columns, w.rows, w.totals, wide=True) for w in wide)
    else:
        a.blocks.append(Para(t(N_("Every worksheet fits the chapters; none is repeated here.")), "note"))
    b = Section("annex.B", "B", t(N_("Evidence list")), 0, _evidence(ctx, steps), prefix="B")
    c = Section("annex.C", "C", t(N_("Change summary")), 0, _changes(ctx, steps, journal), prefix="C")
    d = Section("annex.D", "D", t(N_("Validation warnings and justifications")), 0, _issues(ctx, steps), prefix="D")
    return [a, b, c, d]


def _included_steps(ctx: Context, stage: str) -> list[Any]:
    last = outline.LAST_CHAPTER[stage]
    return [s for p in ctx.wf.phases if p.number <= last for s in p.steps]


def _hashes(value: Any) -> tuple[str, str]:
    """(reference text, SHA-256) of an evidence value: text naming files, or {name, sha256}."""
    if isinstance(value, dict):
        return str(value.get("name") or value.get("file") or ""), str(value.get("sha256") or "")
    text = str(value)
    found = SHA256.findall(text)
    return SHA256.sub("", text).strip(" ;,()") or text, " ".join(found)


def _evidence(ctx: Context, steps: list[Any]) -> list[Block]:
    t = ctx.t
    rows: list[tuple[str, ...]] = []
    for step in steps:
        for spec in step.fields:
            if spec.is_table:
                cols = [c for c in spec.columns if c.evidence or c.id == "evidence"]
                key = spec.columns[0] if spec.columns else None
                for n, row in enumerate(ctx.doc.rows(step.id, spec.id), start=1):
                    for col in cols:
                        if row.get(col.id):
                            ref, digest = _hashes(row[col.id])
                            who = f"{row.get(key.id)}" if key is not None and row.get(key.id) else t(N_("row {n}")).format(n=n)
                            rows.append((f"{t(step.title)} · {t(spec.label)} · {who}", ref, digest or "—"))
            elif spec.evidence and ctx.doc.get(step.id, spec.id):
                ref, digest = _hashes(ctx.doc.get(step.id, spec.id))
                rows.append((f"{t(step.title)} · {t(spec.label)}", ref, digest or "—"))
    if not rows:
        return [Para(t(N_("No evidence references are recorded in this audit.")), "note")]
    return [Para(t(N_("Evidence named in the worksheets. A SHA-256 fingerprint is shown where the evidence file "
                      "was recorded with one; attached files are listed with their fingerprints in the submission.")), "note"),
            Table(t(N_("Evidence references")), (Column(t(N_("Where")), 22), Column(t(N_("Evidence")), 22),
                                                 Column("SHA-256", 18)), tuple(rows))]


def _said(stored: Any, lang: str) -> str:
    """An edit's journal label in the report's language (see ``edit_labels``)."""
    from cpaudit.edit_labels import label_text

    with using_language(lang):
        return label_text(str(stored or ""))


def _changes(ctx: Context, steps: list[Any], journal: Iterable[dict[str, Any]] | None) -> list[Block]:
    t = ctx.t
    if journal is None:
        return [Para(t(N_("The change history is kept in the workspace; this report was made from an audit file "
                          "without it.")), "note")]
    groups: OrderedDict[int, dict[str, Any]] = OrderedDict()
    per_step: dict[str, list[str]] = {}
    for rec in journal:
        g = groups.setdefault(rec["group"], {"at": rec["at"], "who": rec["who"], "label": _said(rec["label"], ctx.lang),
                                             "reason": rec.get("reason"), "kind": rec.get("kind"), "n": 0})
        g["n"] += 1
        # A value's path is "step/field/…"; a justification's is its warning key "rule@step/…".
        step = str(rec.get("path") or "").rpartition("@")[2].split("/")[0]
        per_step.setdefault(step, []).append(str(rec["at"]))
    if not groups:
        return [Para(t(N_("No edits are recorded for this audit.")), "note")]
    people = sorted({str(g["who"]) for g in groups.values()})
    dates = sorted(str(g["at"]) for g in groups.values())
    out: list[Block] = [Para(t(N_("{edits} recorded edits ({changes} changed values) by {people} between {first} and {last}.")).format(
        edits=len(groups), changes=sum(g["n"] for g in groups.values()), people=ctx.join(people),
        first=ctx.date(dates[0][:10]), last=ctx.date(dates[-1][:10])))]
    titles = {s.id: t(s.title) for s in ctx.wf.steps()}
    order = [s.id for s in ctx.wf.steps()]
    rows = [(titles.get(step, step or "—"), str(len(ats)), ctx.date(max(ats)[:10]))
            for step, ats in sorted(per_step.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))]
    out.append(Table(t(N_("Changed values per step")), (Column(t(N_("Step")), 26), Column(t(N_("Changes")), 8, True),
                                                       Column(t(N_("Last change")), 12, False, 24.0)), tuple(rows)))
    recent = list(groups.values())[-RECENT_GROUPS:]
    out.append(Table(t(N_("Latest edits")), (
        Column(t(N_("Time")), 14), Column(t(N_("By")), 8), Column(t(N_("Edit")), 24), Column(t(N_("Reason")), 16),
        Column(t(N_("Values")), 6, True)),
        tuple((str(g["at"]).replace("T", " ")[:16], str(g["who"]), str(g["label"] or ""), str(g["reason"] or ""), str(g["n"]))
              for g in recent)))
    return out


def _issues(ctx: Context, steps: list[Any]) -> list[Block]:
    from cpaudit.workflow.validate import validate_step

    t = ctx.t
    warnings, errors = [], []
    with using_language(ctx.lang):  # messages in the report's language, whatever the UI speaks
        issues = [(step, issue) for step in steps for issue in validate_step(ctx.doc, ctx.wf, step)]
    for step, issue in issues:
        where = t(step.title)
        if issue.field and step.has_field(issue.field):
            where = f"{where} · {t(step.field(issue.field).label)}"
        text = issue.message
        if issue.severity == "warning":
            warnings.append((where, text, ctx.doc.justifications.get(issue.key) or t(N_("(not justified)"))))
        elif issue.severity == "error":
            errors.append((where, text))
    out: list[Block] = []
    if warnings:
        out.append(Table(t(N_("Warnings and their justifications")), (
            Column(t(N_("Where")), 18), Column(t(N_("Warning")), 24), Column(t(N_("Justification given")), 26)), tuple(warnings)))
    else:
        out.append(Para(t(N_("No validation warnings.")), "note"))
    if errors:
        out.append(Para(ctx.ngettext("{n} error is still open; the report is a draft until it is corrected.",
                                     "{n} errors are still open; the report is a draft until they are corrected.",
                                     len(errors)).format(n=len(errors)), "label"))
        out.append(Table(t(N_("Open errors")), (Column(t(N_("Where")), 20), Column(t(N_("Error")), 40)), tuple(errors[:200])))
    return out
