"""Audit dialogs, the start-up choice and the error box."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from cpaudit.gui.dialogs.audit_dialogs import NEW_AUDIT, NewAuditDialog, OpenAuditDialog
from cpaudit.gui.dialogs.error_dialog import error_box, technical_details
from cpaudit.gui.main_window import MainWindow
from cpaudit.workspace import Workspace


def test_new_audit_dialog_requires_a_title(qtbot) -> None:
    dialog = NewAuditDialog()
    qtbot.addWidget(dialog)
    dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.ui.message_label.text()
    qtbot.keyClicks(dialog.ui.title_edit, "  Round 2  ")
    with qtbot.waitSignal(dialog.accepted):
        dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.title() == "Round 2"


def test_open_audit_dialog_lists_audits(qtbot, tmp_path) -> None:
    with Workspace(tmp_path / "ws.db") as ws:
        first = ws.create_audit("第一轮审核")
        ws.create_audit("Round 2")
        dialog = OpenAuditDialog(ws.audits(), current=first.id)
        qtbot.addWidget(dialog)
        titles = {dialog.ui.audit_list.topLevelItem(i).text(0) for i in range(dialog.ui.audit_list.topLevelItemCount())}
        assert titles == {"第一轮审核", "Round 2"}
        assert dialog.audit_id() == first.id
        with qtbot.waitSignal(dialog.finished) as blocker:
            dialog.ui.new_audit_button.click()
        assert blocker.args == [NEW_AUDIT]


def test_start_with_several_audits_asks_which(qtbot, tmp_path) -> None:
    with Workspace(tmp_path / "ws.db") as ws:
        ws.create_audit("A")
        chosen = ws.create_audit("B")
        window = MainWindow(ws)
        qtbot.addWidget(window)

        def pick() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, OpenAuditDialog)
            for i in range(dialog.ui.audit_list.topLevelItemCount()):
                item = dialog.ui.audit_list.topLevelItem(i)
                if item.text(0) == "B":
                    dialog.ui.audit_list.setCurrentItem(item)
            dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Open).click()

        QTimer.singleShot(0, pick)
        window.start()
        assert window.session is not None and window.session.audit_id == chosen.id
        assert window.current_step() is not None


def test_start_with_no_audit_offers_to_create_one(qtbot, tmp_path) -> None:
    with Workspace(tmp_path / "ws.db") as ws:
        window = MainWindow(ws)
        qtbot.addWidget(window)

        def create() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, NewAuditDialog)
            dialog.ui.title_edit.setText("First audit")
            dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

        QTimer.singleShot(0, create)
        window.start()
        assert [m.title for m in ws.audits()] == ["First audit"]
        assert window.session is not None


def test_error_box_copies_technical_details(qtbot) -> None:
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        details = technical_details(type(exc), exc, sys.exc_info()[2])
    box = error_box(details)
    qtbot.addWidget(box)
    box.show()
    assert "Traceback" not in box.text() + box.informativeText()
    copy = box.findChild(object, "copy_details_button")
    copy.click()
    assert "disk on fire" in QApplication.clipboard().text()
    assert box.isVisible()  # copying does not close the box
