"""The report as data: every text already translated and every number formatted.

``build_model`` turns an audit into a ``ReportModel`` (cover, management block,
chapters and sections of the §6 outline, conclusions, annexes, metadata); the
PDF builder only lays it out. Keeping the content apart from the layout lets
tests read what the report says without parsing a PDF, and keeps the outline
(``report.outline``) the one place that decides what goes where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from cpaudit.domain.document import AuditDocument
from cpaudit.i18n import N_
from cpaudit.workflow.schema import Workflow


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "body"  # body | note | label | subhead | bullet | item


@dataclass(frozen=True)
class Fields:
    """Short scalar fields as a two-column label/value table."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Column:
    label: str
    weight: float = 10.0  # relative width (characters, roughly)
    numeric: bool = False
    min_mm: float = 0.0  # narrowest width that keeps the cell on one line (dates)
    unit: bool = False  # the units of another column: read with it, never what names a row


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...] | None = None
    number: str = ""  # "2-3", "A-1": given when the report is numbered
    wide: bool = False  # printed landscape in annex A


@dataclass(frozen=True)
class Chart:
    kind: str  # a drawing function of report.charts
    caption: str
    data: dict[str, Any]
    number: str = ""


Block = Para | Fields | Table | Chart


@dataclass
class Section:
    key: str  # bookmark key, unique in the report
    number: str
    title: str
    level: int  # 0 chapter, 1 section, 2 subsection
    blocks: list[Block] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    prefix: str = ""  # table/figure numbering prefix of a chapter ("2" → "Table 2-3")

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    def walk(self) -> Iterable["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def has_content(self) -> bool:
        return any(s.blocks for s in self.walk())


@dataclass
class ReportModel:
    lang: str
    stage: str
    title: str  # 清洁生产审核报告（评估版）
    enterprise: str
    audit_id: str
    cover: tuple[tuple[str, str], ...]  # label/value lines under the title
    date_text: str
    iso_date: str  # the report date (YYYY-MM-DD) from the audit: PDF dates, determinism
    management: tuple[tuple[str, str], ...]
    auditors: Table | None
    chapters: list[Section]
    annexes: list[Section]
    labels: dict[str, str]  # fixed layout texts (header, footer, contents …), translated
    metadata: dict[str, str]  # title, author, subject, keywords, lang
    diagnostics: list[str] = field(default_factory=list)  # figures the report could not draw

    def sections(self) -> Iterable[Section]:
        for chapter in self.chapters + self.annexes:
            yield from chapter.walk()


def build_model(doc: AuditDocument, wf: Workflow, stage: str, lang: str, *,
                journal: Iterable[dict[str, Any]] | None = None,
                progress: Callable[[float], None] | None = None) -> ReportModel:
    """Everything the report says, resolved for ``lang`` (zh_CN or en) and ``stage``."""
    from cpaudit.i18n import using_language
    from cpaudit.report import annexes, front
    from cpaudit.report.content import Context
    from cpaudit.report.sections import build_chapters

    # The report's language for everything said on the way (computed texts, rule messages), whatever the UI speaks.
    with using_language(lang):
        ctx = Context.create(doc, wf, lang, stage)
        chapters = build_chapters(ctx, stage, progress)
        wide = _number_blocks(chapters, ctx)
        annex_sections = annexes.build_annexes(ctx, stage, wide, journal)
        _number_blocks(annex_sections, ctx, annex=True)
        return front.assemble(ctx, stage, chapters, annex_sections)


def _number_blocks(chapters: list[Section], ctx: Any, annex: bool = False) -> list[Table]:
    """Number tables and figures per chapter ("Table 2-3"); wide tables move to annex A.

    A worksheet with many columns cannot be read in a portrait column, so the
    body keeps a pointer and annex A prints it landscape (the issue: "wide
    tables must never overflow the page").
    """
    moved: list[Table] = []
    t = ctx.t
    for index, chapter in enumerate(chapters):
        prefix = chapter.prefix or str(index)
        n_table = n_chart = 0
        for section in chapter.walk():
            out: list[Block] = []
            for block in section.blocks:
                if isinstance(block, Table):
                    if block.wide and not annex:
                        moved.append(block)
                        out.append(Para(t(N_("The worksheet “{caption}” is printed in full in annex A.")).format(
                            caption=block.caption), "note"))
                        continue
                    n_table += 1
                    block = Table(block.caption, block.columns, block.rows, block.totals, f"{prefix}-{n_table}", block.wide)
                elif isinstance(block, Chart):
                    n_chart += 1
                    block = Chart(block.kind, block.caption, block.data, f"{prefix}-{n_chart}")
                out.append(block)
            section.blocks = out
    return moved
