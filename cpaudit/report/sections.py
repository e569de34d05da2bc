"""Chapters 0–7 and the conclusions, filled from the outline mapping (§6)."""

from __future__ import annotations

from typing import Callable

from cpaudit.i18n import N_
from cpaudit.report import outline
from cpaudit.report.content import Context, field_blocks, step_fields
from cpaudit.report.model import Block, Para, Section


def build_chapters(ctx: Context, stage: str, progress: Callable[[float], None] | None = None) -> list[Section]:
    from cpaudit.report.figure_blocks import figure_blocks

    claimed = outline.claimed_fields()
    mapped = outline.mapped_steps()
    chapters = []
    defs = outline.chapters_for(stage)
    for index, cdef in enumerate(defs):
        number = str(cdef.number) if cdef.number is not None else ""
        title = ctx.t(cdef.title)
        if cdef.number is not None and ctx.lang == "zh_CN":
            heading_number = f"第{cdef.number}章"
        elif cdef.number is not None:
            heading_number = ctx.t(N_("Chapter {n}")).format(n=cdef.number)
        else:
            heading_number = ""
        chapter = Section(cdef.key, heading_number, title, 0, prefix=number or ("0" if cdef.key == "preface" else "C"))
        for sdef in cdef.sections:
            section = _section(ctx, sdef, claimed, 1, cdef.key, figure_blocks)
            if sdef.title:
                chapter.children.append(section)
            else:  # the conclusions: content straight under the chapter heading
                chapter.blocks.extend(section.blocks)
        chapter.children.extend(_unmapped(ctx, cdef, mapped, number, claimed, len(cdef.sections)))
        if not chapter.has_content():
            chapter.blocks.append(Para(ctx.t(N_("Not recorded in this audit.")), "note"))
        chapters.append(chapter)
        if progress:
            progress(0.3 * (index + 1) / len(defs))
    return chapters


def _section(ctx: Context, sdef: outline.SectionDef, claimed: set[str], level: int, chapter_key: str,
             figure_blocks: Callable[[Context, str], list[Block]]) -> Section:
    section = Section(f"{chapter_key}.{sdef.number}", sdef.number, ctx.t(sdef.title) if sdef.title else "", level)
    section.blocks = source_blocks(ctx, sdef.sources, claimed)
    for name in sdef.figures:
        section.blocks.extend(figure_blocks(ctx, name))
    for child in sdef.children:
        section.children.append(_section(ctx, child, claimed, level + 1, chapter_key, figure_blocks))
    if not section.blocks and not section.children:
        section.blocks.append(Para(ctx.t(N_("Not recorded in this audit.")), "note"))
    return section


def source_blocks(ctx: Context, sources: tuple[str, ...], claimed: set[str]) -> list[Block]:
    """Blocks of the steps/fields named by ``sources``; a step title heads each step's part
    when the section draws on several steps (e.g. 3.2: measurement and balance)."""
    parts: list[tuple[str, list[Block]]] = []
    last_phase = outline.LAST_CHAPTER[ctx.stage]
    for src in sources:
        step_id, _sep, field_id = src.partition(".")
        if not ctx.wf.has_step(step_id):
            continue
        if ctx.wf.phase_of(step_id).number > last_phase:
            continue  # the 评估 report, dated before implementation, never says what phase 7 concluded
        step = ctx.wf.step(step_id)
        if field_id:
            specs = step_fields(ctx, step, {src}, set())
        else:
            specs = step_fields(ctx, step, None, claimed)
        blocks = field_blocks(ctx, step, specs)
        if blocks and parts and parts[-1][0] == ctx.t(step.title):
            parts[-1][1].extend(blocks)  # two fields of one step: one part, one sub-heading
        elif blocks:
            parts.append((ctx.t(step.title), blocks))
    titles = {title for title, _b in parts}
    out: list[Block] = []
    for title, blocks in parts:
        if len(titles) > 1:
            out.append(Para(title, "subhead"))
        out.extend(blocks)
    return out


def _unmapped(ctx: Context, cdef: outline.ChapterDef, mapped: set[str], number: str, claimed: set[str],
              count: int) -> list[Section]:
    """Steps of this chapter's phase that the outline does not name yet (never dropped)."""
    if cdef.phase is None:
        return []
    out = []
    for phase in ctx.wf.phases:
        if phase.number != cdef.phase:
            continue
        for step in phase.steps:
            if step.id in mapped:
                continue
            blocks = field_blocks(ctx, step, step_fields(ctx, step, None, claimed))
            if not blocks:
                continue
            count += 1
            sec_number = f"{number}.{count}" if number else f"0.{count}"
            out.append(Section(f"{cdef.key}.{step.id}", sec_number, ctx.t(step.title), 1, blocks))
    return out
