"""Windows and dialogs fit a 1366×768 plant PC: their frame stays inside the desktop, their buttons on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget, QWizard

from cpaudit.gui import screen_fit
from cpaudit.gui.app import build_window, show_window
from cpaudit.gui.dialogs.report_dialog import ReportDialog
from cpaudit.gui.dialogs.signing_wizard import SigningWizard
from cpaudit.gui.inspector.window import build_inspector_window
from cpaudit.gui.training.exercise_dialog import ExerciseDialog

from sample_audits import sample_workspace

PLANT_PC = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-px taskbar


@pytest.fixture
def plant_pc(monkeypatch: pytest.MonkeyPatch) -> QRect:
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget: QRect(PLANT_PC))
    return PLANT_PC


@pytest.fixture
def sample(tmp_path: Path):
    ws, audit_id = sample_workspace(tmp_path / "ws.db", "electroplating")
    yield ws, audit_id
    ws.close()


def on_screen(widget: QWidget) -> bool:
    return PLANT_PC.contains(QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size()))


def assert_fits(window: QWidget, buttons: list[QWidget]) -> None:
    assert PLANT_PC.contains(window.frameGeometry()), window.frameGeometry()
    for button in buttons:
        assert button.isVisible() and on_screen(button), button.objectName() or button.text()


def test_report_dialog_and_signing_wizard_keep_their_buttons_on_a_768_px_screen(plant_pc, sample, qtbot) -> None:
    ws, audit_id = sample
    report = ReportDialog(ws.path, audit_id, "T")
    qtbot.addWidget(report)
    report._started = True  # no build: only the frame is under test
    report.show()
    assert_fits(report, [report.close_button, report.save_button])
    wizard = SigningWizard(ws.path, audit_id)
    qtbot.addWidget(wizard)
    wizard.show()
    assert_fits(wizard, [wizard.button(QWizard.WizardButton.NextButton), wizard.button(QWizard.WizardButton.CancelButton)])


def test_exercise_dialog_fits(plant_pc, qtbot) -> None:
    dialog = ExerciseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert_fits(dialog, [dialog.check_button])


def test_main_window_fits_and_first_opens_maximised_on_a_low_screen(plant_pc, tmp_path: Path, qtbot) -> None:
    window = build_window(tmp_path / "ws.db", lang="zh_CN")
    qtbot.addWidget(window)
    try:
        assert window.width() + screen_fit.FRAME.width() <= PLANT_PC.width()
        assert window.height() + screen_fit.FRAME.height() <= PLANT_PC.height()
        show_window(window)
        assert window.isMaximized()
    finally:
        window.workspace.close()


def test_inspector_window_fits(plant_pc, tmp_path: Path, qtbot) -> None:
    window = build_inspector_window(tmp_path / "bureau.db", "zh_CN", training=True)
    qtbot.addWidget(window)
    try:
        window.show()
        assert PLANT_PC.contains(window.frameGeometry()), window.frameGeometry()
    finally:
        window.workspace.close()


def test_a_window_smaller_than_the_screen_keeps_its_size_and_is_centred(plant_pc, qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    screen_fit.fit_to_screen(widget, 600, 400)
    assert (widget.width(), widget.height()) == (600, 400)
    outer = widget.frameGeometry().adjusted(0, 0, screen_fit.FRAME.width(), screen_fit.FRAME.height())
    assert abs(outer.center().x() - PLANT_PC.center().x()) <= 1 and abs(outer.center().y() - PLANT_PC.center().y()) <= 1
