"""Collect the translatable texts of workflow definitions for the .pot file.

Titles, labels, help, tour texts, choice labels and preset row texts are
message ids; this walks the parsed definition (not the TOML syntax), so every
text the loader accepts is extracted and nothing else.
"""

from __future__ import annotations

from typing import Iterator

from cpaudit.workflow.schema import FieldSpec, Workflow


def workflow_messages(wf: Workflow) -> Iterator[tuple[str, str]]:
    """(message, context comment) pairs, in definition order."""
    yield wf.title, "workflow"
    for enum in wf.enums.values():
        for choice in enum.choices:
            yield choice.label, f"choice {enum.id}.{choice.value}"
    for gate in wf.gates:
        yield gate.title, f"gate {gate.id}"
    for phase in wf.phases:
        yield phase.title, f"phase {phase.id}"
        yield phase.help, f"phase {phase.id} help"
        for step in phase.steps:
            where = f"step {step.id}"
            yield step.title, where
            yield step.help, where + " help"
            yield step.tour.purpose, where + " tour purpose"
            yield step.tour.bureau_checks, where + " tour bureau checks"
            yield step.tour.mistakes, where + " tour mistakes"
            for f in step.fields:
                yield from _field_messages(f, f"{step.id}.{f.id}")


def _field_messages(f: FieldSpec, where: str) -> Iterator[tuple[str, str]]:
    yield f.label, where
    yield f.help, where + " help"
    yield f.pattern_hint, where + " pattern hint"
    for col in f.columns:
        yield from _field_messages(col, f"{where}.{col.id}")
    for row in f.preset_rows:
        for _key, value in row:
            if isinstance(value, str):
                yield value, where + " preset"
