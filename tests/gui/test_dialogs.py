"""Audit dialogs, the start-up choice and the error box."""

from __future__ import annotations

import sys

import pytest

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cpaudit.gui.dialogs.home_dialog import HomeDialog
from cpaudit.gui.dialogs.new_audit_wizard import NewAuditWizard
from cpaudit.gui.dialogs.error_dialog import error_box, install_excepthook, technical_details
from cpaudit.domain.changes import SetField
from cpaudit.gui.main_window import MainWindow
from cpaudit.i18n import _
from cpaudit.store.errors import StorageError
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


def test_a_full_disk_is_said_plainly_not_as_a_crash(make_window, qtbot, monkeypatch) -> None:
    window = make_window()
    conn = window.session.db.conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(StorageError) as err:
        for i in range(40):
            window.apply([SetField("enterprise", "main_products", f"{i} " + "焦炭、焦油、粗苯" * 2000)])
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_excepthook(lambda: window)
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        shown.extend([box.text(), box.informativeText()])
        box.close()

    QTimer.singleShot(0, read_and_close)
    sys.excepthook(StorageError, err.value, err.value.__traceback__)  # what Qt does with an error in a slot
    assert shown == [err.value.message, _("Everything you entered before it is saved.")]
    assert shown[0].startswith("磁盘已满")


def test_the_suggested_audit_title_follows_the_enterprise_name_until_edited(qtbot) -> None:
    """Back, a renamed enterprise, Next: the title still named the old enterprise."""
    from cpaudit.workflow.loader import load_workflow

    wizard = NewAuditWizard(load_workflow())
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.enterprise_page.name_edit.setText("太原测试化工有限公司")
    wizard.enterprise_page.uscc_edit.setText("91370700MA3C4D5E60")
    wizard.next()
    title = wizard.audit_page.title_edit
    assert "太原测试化工有限公司" in title.text()
    wizard.back()
    wizard.enterprise_page.name_edit.setText("另一家公司")
    wizard.next()
    assert "另一家公司" in title.text()
    title.setText("我的标题")  # once the user writes one, it stays
    wizard.back()
    wizard.next()
    assert title.text() == "我的标题"


def test_the_audit_page_says_nothing_chosen_one_way(qtbot) -> None:
    from cpaudit.workflow.loader import load_workflow

    wizard = NewAuditWizard(load_workflow())
    qtbot.addWidget(wizard)
    page = wizard.audit_page
    assert page.basis_box.itemText(0) == page.system_box.itemText(0) == "— 未选择 —"
