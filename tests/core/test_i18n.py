"""Catalogs complete and current; pseudo-locale; locale formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cpaudit import formatting, i18n


def test_catalogs_are_current_and_complete():
    from cpaudit._dev.i18n import problems

    found = problems()
    assert found == [], "\n".join(found[:30])


def test_no_message_is_marked_inside_an_f_string():
    """Babel's extractor does not look inside f-strings: ``f"({_('undone')})"`` is never in the
    catalog, so the text stays English in the Chinese UI (found: 'undone', 'tables')."""
    import io
    import re
    import tokenize
    from pathlib import Path

    marked = re.compile(r"(?<![\w.])N?_\(\s*['\"]")  # a literal msgid; _(variable) is fine
    root = Path(i18n.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if token.type == tokenize.STRING and re.match(r"[rbRB]*[fF]", token.string) and marked.search(token.string):
                found.append(f"{path.relative_to(root.parent)}:{token.start[0]}")
    assert not found, found


def test_default_language_is_chinese_and_switching_works():
    assert i18n.normalise_lang(None) == "zh_CN"
    before = i18n.current_language()
    try:
        i18n.set_language("zh_CN")
        assert i18n._("Enterprise name") != "Enterprise name"
        i18n.set_language("en")
        assert i18n._("Enterprise name") == "Enterprise name"
    finally:
        i18n.set_language(before)


def test_pseudo_locale_marks_strings_and_keeps_placeholders():
    before = i18n.current_language()
    try:
        i18n.set_language("pseudo")
        text = i18n._("{field}: a value is required")
        assert text.startswith("⟦") and text.endswith("⟧")
        assert text.format(field="X").startswith("⟦X")
    finally:
        i18n.set_language(before)


def test_numbers_money_dates_per_locale():
    assert formatting.number(Decimal("1234567.891"), 2, "zh_CN") == "1,234,567.89"
    assert formatting.percent(Decimal("98.5"), 1, "en") == "98.5%"
    assert formatting.money(Decimal("12.5"), "万元", 2, "zh_CN") == "12.50 万元"
    assert formatting.date("2025-03-01", "zh_CN") == "2025年3月1日"
    assert formatting.date("2025-03-01", "en") == "Mar 1, 2025"


def test_timestamps_are_shown_on_this_computers_clock(shanghai_clock):
    # Stored in UTC (edits) or with Beijing's offset (samples): the same moment reads the same everywhere.
    assert formatting.datetime("2026-02-01T01:00:00+00:00", "zh_CN") == "2026年2月1日 09:00:00"
    assert formatting.datetime("2026-02-01T09:00:00+08:00", "zh_CN") == "2026年2月1日 09:00:00"
    assert formatting.datetime("2026-02-01T09:00:00", "en") == "Feb 1, 2026, 9:00:00\u202fAM"  # naive: as stored
    assert formatting.local_moment("2026-02-01T01:00:00Z").hour == 9
    assert formatting.datetime("yesterday") == "yesterday" and formatting.datetime(None) == "—"


def test_using_language_is_per_thread():
    import threading

    seen = {}
    before = i18n.current_language()
    i18n.set_language("zh_CN")
    try:
        def worker():
            with i18n.using_language("en"):
                seen["worker"] = i18n._("Enterprise name")

        with i18n.using_language("en"):
            assert i18n._("Enterprise name") == "Enterprise name"
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert seen["worker"] == "Enterprise name"
        assert i18n._("Enterprise name") != "Enterprise name"  # this thread stayed Chinese
    finally:
        i18n.set_language(before)


def test_computed_quantities_read_like_the_numbers_beside_them():
    assert formatting.quantity_text("1000000 t", "zh_CN") == "1,000,000 t"
    assert formatting.quantity_text("1.466667 t/t", "en") == "1.467 t/t"
    assert formatting.quantity_text("138.7313 kgce/t", "en") == "138.7 kgce/t"
    assert formatting.quantity_text("0.007229 t/t", "en") == "0.007229 t/t"
    assert formatting.quantity_text("0 m³/t", "en") == "0 m³/t"
    assert formatting.quantity_text("GB/T 2589-2020；电力", "en") == "GB/T 2589-2020；电力"  # not a quantity


def test_issue_counts_are_said_in_proper_plurals():
    """'1 errors, 1 warnings' in the issues dock and the check command: each count takes its own form."""
    from cpaudit.workflow.issues import counts_text

    with i18n.using_language("en"):
        assert counts_text(1, 1, 3, 0) == "1 error, 1 warning (0 still to justify), 3 notes"
        assert counts_text(2, 0, 1) == "2 errors, 0 warnings, 1 note"
    with i18n.using_language("zh_CN"):
        assert counts_text(1, 2, 3, 1) == "1 个错误，2 个警告（1 个尚待说明），3 条提示"
