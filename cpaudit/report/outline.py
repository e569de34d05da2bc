"""Which workflow steps, fields and figure sections feed which report section.

This is the ONE mapping between the audit content and the report outline of
cp-audit-reference.md §6 (provincial report format that follows the 7 phases):
preface 0.1–0.2, chapters 1–7 with their numbered sections, conclusions. The
评估 (assessment) report ends at chapter 5; the 验收 (acceptance) report is
complete (§6 "The 评估-stage report ends at Ch.5").

Sources:
- ``"step"`` — every field of that step not claimed elsewhere by ``"step.field"``;
- ``"step.field"`` — that field only (missing ids are skipped: the workflow grows
  while the outline stays fixed, so a section may name fields that come later).
Figures name renderers in ``report.figure_blocks`` (computed figure sections).

A workflow step that no section names still reaches the report: it is added at
the end of the chapter of its phase (``fallback_section``), so a new step can
never vanish from the submission; a test lists such steps so the mapping gets
updated.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpaudit.i18n import N_

ASSESSMENT, ACCEPTANCE = "assessment", "acceptance"
STAGES = (ASSESSMENT, ACCEPTANCE)
# §6: "The 评估-stage report ends at Ch.5."
LAST_CHAPTER = {ASSESSMENT: 5, ACCEPTANCE: 7}


@dataclass(frozen=True)
class SectionDef:
    number: str  # "2.6", "2.6.1"
    title: str  # msgid
    sources: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    children: tuple["SectionDef", ...] = ()


@dataclass(frozen=True)
class ChapterDef:
    key: str  # "preface", "ch1" … "ch7", "conclusions"
    number: int | None  # chapter number; None for the preface and conclusions
    title: str  # msgid
    phase: int | None  # workflow phase whose unmapped steps land here
    sections: tuple[SectionDef, ...] = ()


S = SectionDef

# §6 "前言 (Preface)", chapters 1–7, "Conclusions and annexes".
OUTLINE: tuple[ChapterDef, ...] = (
    ChapterDef("preface", None, N_("Preface"), 0, (
        S("0.1", N_("Enterprise overview"), ("enterprise",)),
        S("0.2", N_("Why cleaner production is needed"), ("audit_info",)),
    )),
    ChapterDef("ch1", 1, N_("Planning and organisation"), 1, (
        S("1.1", N_("Leadership commitment"), ("leadership",)),
        S("1.2", N_("Audit team"), ("team",)),
        S("1.3", N_("Work plan"), ("work_plan",)),
        S("1.4", N_("Publicity and training"), ("training.sessions", "training.publicity")),
        S("1.5", N_("Overcoming barriers"), ("training.barriers", "training")),
    )),
    ChapterDef("ch2", 2, N_("Pre-assessment"), 2, (
        S("2.1", N_("Enterprise profile"), ("status_survey.products",)),
        S("2.2", N_("Current status"), (), (), (
            S("2.2.1", N_("Process flow"), ("status_survey.process_description", "site_inspection")),
            S("2.2.2", N_("Technology and equipment"), ("status_survey.equipment",)),
            S("2.2.3", N_("Main materials and energy use"),
              ("status_survey", "settings.electricity_basis"), ("baseline_trends", "energy")),
        )),
        S("2.3", N_("Generation and discharge of pollutants"), ("pollution_status",), ("pollutant_trends",)),
        # End-of-pipe facilities and how they are run: the environmental management of §6 2.4.
        S("2.4", N_("Environmental management"), ("pollution_status.facilities",)),
        S("2.5", N_("Cleaner production level"), (), (), (
            S("2.5.1", N_("Measures already taken"), ("status_survey.measures_taken",)),
            S("2.5.2", N_("Comparison with the sector standard or indicator system"),
              ("pollution_status.indicator_values", "pollution_status.y_level_1", "pollution_status.y_level_2",
               "pollution_status.y_level_3", "pollution_status.cp_level"), ("indicator_evaluation",)),
            S("2.5.3", N_("Potential"), ("status_survey.potential",)),
        )),
        S("2.6", N_("Audit focus"), ("audit_focus",), ("focus_ranking",)),
        S("2.7", N_("Cleaner production targets"), ("cp_targets",), ("targets",)),
        S("2.8", N_("No/low-cost options"), ("p2_options",)),
    )),
    ChapterDef("ch3", 3, N_("Assessment"), 3, (
        S("3.1", N_("Audit-focus profile"), ("focus_data",)),
        S("3.2", N_("Material balance"), ("measurement", "material_balance", "settings.balance_tolerance"),
          ("material_balance", "pollutant_balance", "water_balance")),
        S("3.3", N_("Analysis of the causes of waste"), ("waste_causes",)),
        S("3.4", N_("No/low-cost options"), ("p3_options",)),
    )),
    ChapterDef("ch4", 4, N_("Option generation and screening"), 4, (
        S("4.1", N_("Generation of options"), ("option_generation",)),
        S("4.2", N_("Classified list of options"),
          ("option_list", "settings.low_cost_below", "settings.medium_cost_below"), ("options",)),
        S("4.3", N_("Preliminary screening"), ("option_screening.screening",)),
        S("4.4", N_("Screening results"), ("option_screening", "option_development"), ("option_ranking",)),
        S("4.5", N_("Verified effects of no/low-cost options"), ("p4_options", "option_effects", "midterm_report")),
    )),
    ChapterDef("ch5", 5, N_("Feasibility analysis"), 5, (
        S("5.1", N_("Market survey"), ("market",)),
        S("5.2", N_("Technical evaluation"), ("technical",)),
        S("5.3", N_("Environmental evaluation"), ("environmental",)),
        S("5.4", N_("Economic evaluation"), ("economic", "settings"), ("economics",)),
        S("5.5", N_("Recommended options"), ("recommendation",)),
    )),
    ChapterDef("ch6", 6, N_("Implementation of options"), 6, (
        S("6.1", N_("Implementation plan"), ("implementation_org",)),
        S("6.2", N_("Achievement of the targets"), ("impact.targets",), ("target_achievement",)),
        S("6.3", N_("Results of the implemented options"), ("nlc_results", "mhc_verification", "impact"),
          ("implementation", "benefit_totals", "env_benefit")),
        S("6.4", N_("Comparison with the cleaner production standard level"),
          ("impact.indicator_system", "impact.indicators"), ("indicator_after",)),
    )),
    ChapterDef("ch7", 7, N_("Continuous cleaner production"), 7, (
        S("7.1", N_("Cleaner production organisation"), ("cp_organisation",)),
        S("7.2", N_("Cleaner production management rules"), ("cp_rules",)),
        S("7.3", N_("Continuous cleaner production plan"), ("continuous_plan",)),
    )),
    ChapterDef("conclusions", None, N_("Conclusions"), None, (
        S("", "", ("final_report.conclusions",), ("conclusion_figures",)),
    )),
)

# Cover and management block (§6 "Cover and front matter"): the first source that
# holds a value wins. Dates come from the audit, never from the clock.
COVER_DATE = {
    ASSESSMENT: ("recommendation.date", "midterm_report.date", "audit_info.period_end"),
    ACCEPTANCE: ("final_report.report_date", "audit_info.period_end"),
}
MANAGEMENT = (
    (N_("Compiled by"), ("final_report.compiled_by",)),
    (N_("Reviewed by"), ("final_report.reviewed_by", "midterm_report.reviewed_by")),
    (N_("Approved by"), ("final_report.approved_by", "leadership.approved_by")),
    (N_("Consultant"), ("audit_info.consultant",)),
)
AUDITORS = "team.members"  # the audit team table; consultants and certificates shown from it


def chapters_for(stage: str) -> tuple[ChapterDef, ...]:
    last = LAST_CHAPTER[stage]
    return tuple(c for c in OUTLINE if c.number is None or c.number <= last)


def iter_sections(sections: tuple[SectionDef, ...]):
    for s in sections:
        yield s
        yield from iter_sections(s.children)


def claimed_fields() -> set[str]:
    """Every ``step.field`` named explicitly (a whole-step source skips these)."""
    return {src for c in OUTLINE for s in iter_sections(c.sections) for src in s.sources if "." in src}


def mapped_steps() -> set[str]:
    return {src.split(".")[0] for c in OUTLINE for s in iter_sections(c.sections) for src in s.sources}
