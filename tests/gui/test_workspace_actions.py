"""Home, next round, archive, table export and backup/restore, as a user reaches them."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from cpaudit.domain.changes import Attach, InsertRow, SetField
from cpaudit.gui.dialogs.home_dialog import HomeDialog
from cpaudit.workspace import Workspace


def _fill(window, tmp_path: Path) -> None:
    window.apply([SetField("enterprise", "name", "潍坊绿源造纸有限公司")])
    window.apply([InsertRow("training", "sessions", {"date": "2025-03-10", "topic": "清洁生产", "participants": "45", "hours": "2"})])
    photo = tmp_path / "photo.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    image.save(str(photo))
    window.apply([Attach("enterprise", "name", str(photo))])


def test_export_tables_to_xlsx_and_csv_in_the_background(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window()
    _fill(window, tmp_path)
    actions = window.workspace_actions
    target = tmp_path / "out" / "tables.xlsx"
    with qtbot.waitSignal(actions.finished, timeout=10_000) as done:
        actions.export_xlsx(target)
    assert done.args[0] == "export_xlsx"
    book = load_workbook(target)
    sheet = next(book[name] for name in book.sheetnames if "培训" in name)
    assert [c.value for c in sheet[2]][:2][1] == "清洁生产"
    with qtbot.waitSignal(actions.finished, timeout=10_000) as done:
        actions.export_csv(tmp_path / "csv")
    files = done.args[1]
    assert files and all(Path(f).suffix == ".csv" for f in files)
    with Path(next(f for f in files if "培训" in Path(f).name)).open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][1] == "清洁生产"
    assert "tables exported" in window.statusBar().currentMessage() or "导出" in window.statusBar().currentMessage()


def test_export_the_evidence_files_from_the_file_menu(make_window, qtbot, tmp_path: Path, monkeypatch) -> None:
    window = make_window()
    _fill(window, tmp_path)
    target = tmp_path / "证明材料.zip"
    monkeypatch.setattr("cpaudit.gui.workspace_actions.QFileDialog.getSaveFileName", lambda *a: (str(target), ""))
    action = window.workbench.actions["export_evidence"]
    assert action.isEnabled() and ("ZIP" in action.text() or "压缩包" in action.text())  # the menu names it an archive
    with qtbot.waitSignal(window.workspace_actions.finished, timeout=10_000) as done:
        action.trigger()
    assert done.args == ["export_evidence", target]
    with zipfile.ZipFile(target) as zf:
        assert sorted(zf.namelist()) == ["00 企业/photo.png", "index.csv"]
        assert zf.read("00 企业/photo.png") == (tmp_path / "photo.png").read_bytes()


def test_backup_and_restore_round_trip_and_switch(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window()
    _fill(window, tmp_path)
    actions = window.workspace_actions
    archive = tmp_path / "backup.zip"
    with qtbot.waitSignal(actions.finished, timeout=10_000):
        actions.back_up(archive)
    assert zipfile.ZipFile(archive).testzip() is None
    window.apply([SetField("enterprise", "name", "changed after the backup")])

    restored = tmp_path / "restored.cpaudit.db"
    actions.ask_switch = lambda path: path == restored  # "work in it now?" → yes
    with qtbot.waitSignal(actions.finished, timeout=10_000):
        actions.restore(archive, restored)
    assert window.workspace.path == restored
    assert window.session is not None
    doc = window.session.document
    assert doc.get("enterprise", "name") == "潍坊绿源造纸有限公司"  # as it was when backed up
    assert len(doc.rows("training", "sessions")) == 1
    (attachment,) = doc.attachments.values()
    from cpaudit import evidence

    assert evidence.verify_stored(restored, attachment.sha256)  # the evidence came back too
    with Workspace(tmp_path / "ws.db") as original:  # the old workspace was released and is intact
        (meta,) = original.audits()
        assert original.document(meta.id).get("enterprise", "name") == "changed after the backup"


def test_restore_never_overwrites(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window()
    actions = window.workspace_actions
    archive = tmp_path / "backup.zip"
    with qtbot.waitSignal(actions.finished, timeout=10_000):
        actions.back_up(archive)
    shown: list[str] = []

    def read_failure() -> None:
        box = window.findChild(QMessageBox, "failure_box")
        shown.append(box.text())
        box.close()

    actions.restore(archive, window.workspace.path)  # the open workspace itself
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "failure_box") is not None, timeout=5000)
    read_failure()
    assert "already exists" in shown[0] or "已存在" in shown[0]
    assert window.session is not None  # still working where it was


def test_home_lists_audits_starts_the_next_round_and_archives(make_window, qtbot) -> None:
    window = make_window(title="2024 审核")
    window.apply([SetField("enterprise", "name", "潍坊纸业"), SetField("audit_info", "round", "1")])
    first = window.session.audit_id
    seen: dict = {}

    def drive() -> None:
        home = QApplication.activeModalWidget()
        assert isinstance(home, HomeDialog)
        item = home.list.topLevelItem(0)
        seen["row"] = [item.text(c) for c in range(5)]
        QTimer.singleShot(0, name_the_round)
        home.buttons["next_round"].click()

    def name_the_round() -> None:
        ask = QApplication.activeModalWidget()
        assert isinstance(ask, QInputDialog)
        seen["suggested"] = ask.textValue()
        ask.setTextValue("2025 审核")
        ask.accept()

    QTimer.singleShot(0, drive)
    window.workbench.actions["home"].trigger()
    assert seen["row"][:3] == ["2024 审核", "潍坊纸业", "1"]
    assert "2024 审核" in seen["suggested"] and "2" in seen["suggested"]
    assert window.session.audit_id != first
    doc = window.session.document
    assert (doc.meta.title, doc.meta.round, doc.get("enterprise", "name"), doc.get("audit_info", "round")) == (
        "2025 审核", 2, "潍坊纸业", 2)

    def archive_first() -> None:
        home = QApplication.activeModalWidget()
        for i in range(home.list.topLevelItemCount()):
            if home.list.topLevelItem(i).text(0) == "2024 审核":
                home.list.setCurrentItem(home.list.topLevelItem(i))
        home.buttons["archive"].click()
        seen["after"] = [home.list.topLevelItem(i).text(0) for i in range(home.list.topLevelItemCount())]
        home.reject()

    QTimer.singleShot(0, archive_first)
    window.workbench.actions["home"].trigger()
    assert seen["after"] == ["2025 审核"]  # archived audits are hidden unless asked for
    assert window.workspace.meta(first).status == "archived"


def test_a_backup_restored_in_place_of_the_default_workspace_is_opened_at_the_next_start(qtbot, tmp_path: Path) -> None:
    """Found in review: on a new PC the restored workspace was open for that session only; the next start
    (and every command) opened the empty default workspace again."""
    from cpaudit import paths
    from cpaudit.gui.main_window import MainWindow

    default = paths.default_workspace()
    default.parent.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(default, user="tester")
    workspace.create_audit("On the new PC")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    actions = window.workspace_actions
    archive = tmp_path / "backup.zip"
    with qtbot.waitSignal(actions.finished, timeout=10_000):
        actions.back_up(archive)
    restored = tmp_path / "restored.cpaudit.db"
    actions.ask_switch = lambda path: True
    with qtbot.waitSignal(actions.finished, timeout=10_000):
        actions.restore(archive, restored)
    assert window.workspace.path == restored and paths.default_workspace() == restored.resolve()
    window.workspace.close()
    restored.unlink()  # a pointer to a file that is gone falls back to the user data workspace
    assert paths.default_workspace() == default
    workspace.close()
