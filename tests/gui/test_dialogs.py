"""Audit dialogs, the start-up choice and the error box."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from cpaudit.gui.dialogs.home_dialog import HomeDialog
from cpaudit.gui.dialogs.new_audit_wizard import NewAuditWizard
from cpaudit.gui.dialogs.error_dialog import error_box, technical_details
from cpaudit.gui.main_window import MainWindow
from cpaudit.workspace import Workspace


def test_start_with_several_audits_shows_home_to_choose(qtbot, tmp_path) -> None:
    with Workspace(tmp_path / "ws.db") as ws:
        ws.create_audit("A")
        chosen = ws.create_audit("B")
        window = MainWindow(ws)
        qtbot.addWidget(window)
        titles = []

        def pick() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, HomeDialog)
            for i in range(dialog.list.topLevelItemCount()):
                item = dialog.list.topLevelItem(i)
                titles.append(item.text(0))
                if item.text(0) == "B":
                    dialog.list.setCurrentItem(item)
            dialog.buttons["open"].click()

        QTimer.singleShot(0, pick)
        window.start()
        assert sorted(titles) == ["A", "B"]
        assert window.session is not None and window.session.audit_id == chosen.id
        assert window.current_step() is not None
        qtbot.wait(1)  # deferred refreshes run while the workspace is still open


def test_start_with_no_audit_runs_the_wizard(qtbot, tmp_path) -> None:
    with Workspace(tmp_path / "ws.db") as ws:
        window = MainWindow(ws)
        qtbot.addWidget(window)

        def create() -> None:
            wizard = QApplication.activeModalWidget()
            assert isinstance(wizard, NewAuditWizard)
            wizard.enterprise_page.name_edit.setText("ACME Paper")
            wizard.next()
            assert wizard.audit_page.title_edit.text()  # suggested from the enterprise name
            wizard.audit_page.title_edit.setText("First audit")
            wizard.accept()

        QTimer.singleShot(0, create)
        window.start()
        assert [m.title for m in ws.audits()] == ["First audit"]
        assert window.session is not None
        assert window.session.document.get("enterprise", "name") == "ACME Paper"
        qtbot.wait(1)


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
