"""One name per thing across the catalogs: the terms of the national audit procedure, one name per
calculation setting, and no reference to a document the user cannot see."""

from __future__ import annotations

import re

import pytest

from cpaudit import formatting
from cpaudit._dev.i18n import po_path, read_catalog
from cpaudit.workflow.loader import load_workflow


def _texts(lang: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every message, each plural form on its own."""
    pairs = []
    for message in read_catalog(po_path(lang), lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(ids[0], s) for s in strings]
    return pairs


def _uses(pattern: str, lang: str = "zh_CN", of: str = "msgstr") -> list[str]:
    found = re.compile(pattern)
    return [f"{i!r} → {s!r}" for i, s in _texts(lang) if found.search(s if of == "msgstr" else i)]


def test_phases_2_and_3_are_pre_assessment_and_assessment():
    """审核 names the whole audit: its phases 2 and 3 are 预评估 and 评估, as the navigator says."""
    assert _uses("预审核") == []
    assert _uses(r"审核（第\s*\d\s*阶段）|审核阶段") == []


UNSPACED_ORDINAL = r"第(\d[\d–]*\s*|\s*[\d–]*\d)(阶段|步)"


def test_phase_and_step_numbers_are_spaced_as_in_the_navigator():
    """The navigator writes '第 4 阶段' and '第 17 步'; '（第4阶段）' beside '（第 2 阶段）' looks like a slip."""
    from cpaudit.training.sandbox import STAGES

    assert _uses(UNSPACED_ORDINAL) == []
    assert [s.title_suffix for s in STAGES if re.search(UNSPACED_ORDINAL, s.title_suffix)] == []


@pytest.mark.parametrize("wrong, right", [
    ("贴现率", "折现率"), ("所得税率", "综合税率"), ("寿命期", "经济寿命"), ("计算设置", "计算参数"), ("审核机关", "主管部门"),
    ("从备份恢复", "从工作区备份恢复 / 从密钥备份恢复"), ("导出备份", "导出密钥备份 / 备份工作区"),
    ("回复", "答复 (the bureau's answer, as in the menus)"),
])
def test_one_chinese_name_per_thing(wrong: str, right: str):
    assert _uses(wrong) == [], f"say {right}"


@pytest.mark.parametrize("wrong", [r"(?i)income tax rate", r"(?i)benchmark IRR \{", r"(?i)calculation parameters"])
def test_one_english_name_per_calculation_setting(wrong: str):
    assert _uses(wrong, "en", of="msgid") == []


def test_the_two_backups_are_named_apart():
    """'Restore from a backup…' named the workspace's restore (File menu) and the signing key's (key dialog)."""
    assert _uses(r"(?i)restore from a backup|export backup", "en", of="msgid") == []


def test_no_text_cites_a_section_of_an_unseen_document():
    assert _uses("§", "en", of="msgid") == []
    assert _uses("§") == []


def test_summaries_show_the_rates_with_the_decimals_of_the_settings_page():
    settings = {f.id: f for f in load_workflow().step("settings").fields}
    for rate in ("discount_rate", "income_tax_rate", "benchmark_irr"):
        assert settings[rate].places == formatting.RATE_PLACES


def test_counts_are_said_in_proper_plurals():
    """'0 stale revision(s)', '1 errors': a count on screen, in the report or on the command line is said
    with ngettext, as refused_input does; '(s)' is left only where no number is given ("the product(s)")."""
    counted = re.compile(r"\{\w+\}\s+(\w+\s+)?\w+\(s\)")
    lazy = [m.id for m in read_catalog(po_path("en"), "en") if isinstance(m.id, str) and "(s)" in m.id
            and (counted.search(m.id) or any(where.startswith(("cpaudit/gui", "cpaudit/review"))
                                             for where, _line in m.locations))]
    assert lazy == []
    plain = [m.id for m in read_catalog(po_path("en"), "en") if isinstance(m.id, str)
             and re.search(r"\{(n|errors|warnings|notes|infos)\} (errors|warnings|notes|tables)\b", m.id)]
    assert plain == [], "a count that can be 1 takes ngettext ('1 errors')"


def test_english_reads_as_english():
    """'30万 m²/a' inside an English sentence is an error; a Chinese form name in brackets may help,
    but never two asides in a row ("(规范性) (20)")."""
    assert _uses(r"\d万", "en", of="msgid") == []
    assert _uses(r"[\u4e00-\u9fff]+\)\s*\(", "en", of="msgid") == []


def test_a_menu_item_holds_no_bracket_group_beside_its_access_key():
    """'将表格导出为 Excel (XLSX)(&E)…' read as two asides in a row, '导出证明材料（ZIP）(&D)…' mixed the brackets."""
    assert _uses(r"[)）]\s*\(&\w\)") == []


def test_chinese_ellipsis_is_one_character_as_in_the_menus():
    assert _uses("……") == []
