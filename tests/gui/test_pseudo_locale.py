"""Under the pseudo-locale every visible text of every step page is wrapped in ⟦…⟧:
a text without the brackets escaped ``_()``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QPlainTextEdit

from cpaudit.clock import FixedClock
from cpaudit.gui.language import apply_language
from cpaudit.gui.pages.registry import create_page
from cpaudit.workflow.loader import load_workflow
from cpaudit.workspace import Workspace

STEPS = [s.id for s in load_workflow().steps()]
# Not language: numbers, units and symbols ("万元", "%", "Σ", "1", "*").
_DATA = re.compile(r"^[\d\s.,:%()*Σ✖▲●…/+\-—×]*$|^(万元|元|元/a|万元/a)$")


def _plain(text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText().strip() if "<" in text else text.strip()


def visible_texts(page) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for label in page.findChildren(QLabel):
        if label.isVisibleTo(page) and not label.objectName().startswith("unit_"):
            found.append((label.objectName(), _plain(label.text())))
    for button in page.findChildren(QAbstractButton):
        if button.isVisibleTo(page):
            found.append((button.objectName(), button.text().replace("&", "")))
            found.append((button.objectName() + ".tooltip", button.toolTip()))
    for combo in page.findChildren(QComboBox):
        found.extend((combo.objectName(), combo.itemText(i)) for i in range(combo.count()))
    for edit in page.findChildren(QLineEdit) + page.findChildren(QPlainTextEdit):
        if edit.objectName() != "qt_spinbox_lineedit":
            found.append((edit.objectName() + ".placeholder", edit.placeholderText()))
    for table in page.tables.values():
        model = table.model
        for c in range(model.columnCount()):
            found.append((f"{table.objectName()}.header{c}", str(model.headerData(c, Qt.Orientation.Horizontal))))
    return [(name, text) for name, text in found if text and not _DATA.match(text) and not name.startswith("field_uscc")]


@pytest.fixture
def pseudo_session(tmp_path: Path):
    apply_language("pseudo")
    ws = Workspace(tmp_path / "ws.db", clock=FixedClock(dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)), user="t")
    yield ws.session(ws.create_audit("T").id)
    ws.close()


@pytest.mark.parametrize("step_id", STEPS)
def test_no_text_escapes_translation(step_id: str, pseudo_session, qtbot) -> None:
    step = pseudo_session.workflow.step(step_id)
    page = create_page(step, pseudo_session, pseudo_session.apply)
    qtbot.addWidget(page)
    page.show()
    escaped = [(name, text) for name, text in visible_texts(page) if "⟦" not in text]
    assert not escaped, escaped
