"""The committed forms in cpaudit/gui/forms must be exactly what ui/*.ui compiles to."""

from __future__ import annotations

from pathlib import Path

from cpaudit._dev import build_forms


def test_compiled_forms_match_ui_sources(tmp_path: Path) -> None:
    generated = build_forms.build(tmp_path)
    assert generated, "no .ui sources found"
    for fresh in generated:
        committed = build_forms.FORMS_DIR / fresh.name
        assert committed.exists(), f"{fresh.name} is not committed: run {build_forms.COMMAND}"
        assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
            f"{committed} drifted from ui/: run {build_forms.COMMAND}"
        )
    stale = {p.name for p in build_forms.FORMS_DIR.glob("ui_*.py")} - {p.name for p in generated}
    assert not stale, f"forms without a .ui source: {sorted(stale)}"


def test_forms_use_gettext_not_qt_translate() -> None:
    for form in build_forms.FORMS_DIR.glob("ui_*.py"):
        text = form.read_text(encoding="utf-8")
        assert "QCoreApplication.translate" not in text
        assert "from cpaudit.i18n import _" in text
        assert "do not edit" in text.splitlines()[1]


def test_postprocess_rewrites_split_literals() -> None:
    source = (
        "# -*- coding: utf-8 -*-\n\n" + "#" * 20 + "\n## Form generated\n" + "#" * 20 + "\n\n"
        "from PySide6.QtCore import QCoreApplication\n\nclass Ui_X(object):\n"
        '    x = QCoreApplication.translate("X", u"Long "\n"text", None)\n'
    )
    out = build_forms.postprocess(source, "x.ui")
    assert '_("Long "\n"text")' in out
    assert "Form generated" not in out
