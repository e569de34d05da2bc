"""Check for errors, history and evidence docks: what they list and where a click leads."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cpaudit import evidence
from cpaudit.domain.changes import Detach, InsertRow, SetField
from cpaudit.gui.panels.evidence_panel import ORIGINALS, file_size
from cpaudit.gui.panels.issues_panel import WHOLE_AUDIT
from cpaudit.i18n import _

from qt_input import reopen



def _items(tree) -> list[list[str]]:
    return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())] for i in range(tree.topLevelItemCount())]


def test_check_this_phase_lists_issues_and_a_click_goes_to_the_field(make_window, qtbot) -> None:
    window = make_window()
    window.apply([SetField("audit_info", "round", "25")])  # at most 20
    window.go_to_step("audit_info")
    window.workbench.actions["check_phase"].trigger()
    panel = window.workbench.issues
    assert panel.isVisible() and panel.scope.currentData() == window.session.workflow.phase_of("audit_info").id
    rows = _items(panel.tree)
    wrong = next(i for i, row in enumerate(rows) if "20" in row[0])  # the problem first: it is what is read
    assert rows[wrong][3] == "错误" and rows[wrong][1]  # severity in words, the field named
    assert panel.summary.text()
    window.go_to_step("enterprise")
    panel.tree.itemClicked.emit(panel.tree.topLevelItem(wrong), 0)
    assert window.current_step() == "audit_info"
    page = window.page("audit_info")
    assert page.editors["round"].isAncestorOf(QApplication.focusWidget()) or page.editors["round"].hasFocus()


def test_the_whole_audit_is_checked_and_fixing_clears_the_line(make_window, qtbot) -> None:
    window = make_window()
    window.apply([SetField("audit_info", "round", "25")])
    panel = window.workbench.issues
    panel.show_scope(WHOLE_AUDIT)
    steps = {i.step for i in panel.issues}
    assert {"enterprise", "audit_info", "training"} <= steps  # every phase is in the list
    assert any(i.rule == "number.max" for i in panel.issues)
    window.apply([SetField("audit_info", "round", "2")])
    panel.check()
    assert not any(i.rule == "number.max" for i in panel.issues)


def test_history_tells_each_edit_in_the_current_language_and_goes_there(make_window, qtbot) -> None:
    window = make_window()
    window.apply([SetField("enterprise", "name", "潍坊纸业")], )
    window.apply([InsertRow("training", "sessions", {"topic": "消防"})])
    window.undo()
    panel = window.workbench.history
    window.workbench.history.show()
    rows = _items(panel.tree)
    assert len(rows) == 3
    assert rows[0][0].startswith("已撤销")
    assert "企业名称" in rows[2][0] and rows[2][2] == "tester"
    window.set_language("en")
    rows = _items(panel.tree)
    assert rows[2][0] == "Entered Enterprise name (Enterprise): 潍坊纸业"
    assert "(undone)" in rows[1][0]
    window.go_to_step("training")
    panel.tree.itemDoubleClicked.emit(panel.tree.topLevelItem(2), 0)
    assert window.current_step() == "enterprise"


def test_attach_preview_open_and_remove_evidence(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window()
    window.go_to_step("enterprise")
    panel = window.workbench.evidence
    panel.show()
    window.page("enterprise").editors["address"].focus_editor()
    photo = tmp_path / "licence.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    assert image.save(str(photo))
    fake = tmp_path / "virus.pdf"
    fake.write_bytes(b"MZ not a pdf")
    panel.choose_files = lambda: [str(photo), str(fake)]
    panel.attach_button.click()
    (attachment,) = window.session.document.attachments.values()
    assert (attachment.step, attachment.field, attachment.name) == ("enterprise", "address", "licence.png")
    assert evidence.verify_stored(window.workspace.path, attachment.sha256)
    assert "virus.pdf" in panel.last_refusal.informativeText()  # refused, with the reason
    rows = _items(panel.tree)
    assert rows[0][0] == "licence.png" and rows[0][3] == attachment.sha256[:8]
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    assert panel.image.pixmap() is not None and not panel.image.pixmap().isNull()  # a thumbnail
    opened: list[QUrl] = []
    panel.open_url = lambda url: opened.append(url) or True
    panel.open_button.click()
    assert Path(opened[0].toLocalFile()).read_bytes() == photo.read_bytes()  # a copy, not the stored file
    assert Path(opened[0].toLocalFile()) != evidence.stored_path(window.workspace.path, attachment.sha256)
    panel.remove_button.click()
    assert window.session.document.attachments == {} and panel.tree.topLevelItemCount() == 0
    window.undo()  # removing can be undone
    assert len(window.session.document.attachments) == 1
    with reopen(window) as other:
        assert len(other.document(window.session.audit_id).attachments) == 1


def test_a_file_dropped_on_a_table_row_is_attached_to_that_row(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window()
    window.apply([InsertRow("training", "sessions", {"topic": "A"}), InsertRow("training", "sessions", {"topic": "B"})])
    window.go_to_step("training")
    table = window.page("training").tables["sessions"]
    qtbot.wait(1)
    scan = tmp_path / "sign-in.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(scan))])
    viewport = table.view.viewport()
    second = table.view.visualRect(table.model.index(1, 1)).center()
    enter = QDragEnterEvent(QPointF(second), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()  # the row shows it takes files
    drop = QDropEvent(QPointF(second), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    qtbot.waitUntil(lambda: bool(window.session.document.attachments))  # attached once the drop has returned
    (attachment,) = window.session.document.attachments.values()
    assert attachment.row_id == window.session.document.rows("training", "sessions")[1]["_id"]
    assert attachment.mime == "application/pdf"


def _attaching_to_the_address(make_window):
    window = make_window()
    window.go_to_step("enterprise")
    window.page("enterprise").editors["address"].focus_editor()
    return window, window.workbench.evidence


def _answer_reduce_box(role: QMessageBox.ButtonRole) -> list[str]:
    """Click the button of ``role`` in the "attach smaller copies?" box once it is up; returns its texts."""
    seen: list[str] = []

    def click() -> None:
        box = next((w for w in QApplication.topLevelWidgets() if w.objectName() == "reduce_photos_box" and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(10, click)
            return
        seen.extend([box.text(), box.informativeText()])
        next(b for b in box.buttons() if box.buttonRole(b) == role).click()

    QTimer.singleShot(0, click)
    return seen


def test_a_large_photo_is_attached_as_a_smaller_copy_when_the_user_agrees(make_window, qtbot, tmp_path: Path) -> None:
    window, panel = _attaching_to_the_address(make_window)
    photo = tmp_path / "meter.jpg"
    Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3)).save(photo, "JPEG", quality=95)
    seen = _answer_reduce_box(QMessageBox.ButtonRole.AcceptRole)  # "Attach smaller copies"
    panel.choose_files = lambda: [str(photo)]
    panel.attach_button.click()
    qtbot.waitUntil(lambda: bool(window.session.document.attachments), timeout=20000)
    (attachment,) = window.session.document.attachments.values()
    stored = evidence.stored_path(window.workspace.path, attachment.sha256)
    with Image.open(stored) as img:
        assert img.size == (2560, 1920) and attachment.name == "meter.jpg"
    assert attachment.size < photo.stat().st_size / 2 and photo.stat().st_size > 5 * 1024 * 1024  # the original is untouched
    assert seen[0] == _("Large photos or scans: {count}, {size} in all.").format(count=1, size=file_size(photo.stat().st_size))
    assert "2560" in seen[1]
    window.undo()  # one undo step, like any attachment
    assert window.session.document.attachments == {}


def test_the_original_is_attached_when_the_user_asks_for_it(make_window, qtbot, tmp_path: Path) -> None:
    window, panel = _attaching_to_the_address(make_window)
    scan = tmp_path / "invoice.bmp"
    Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3)).save(scan)
    _answer_reduce_box(QMessageBox.ButtonRole.ActionRole)  # "Attach originals"
    panel.choose_files = lambda: [str(scan)]
    panel.attach_button.click()
    (attachment,) = window.session.document.attachments.values()
    assert attachment.name == "invoice.bmp" and attachment.size == scan.stat().st_size


def test_photos_already_attached_are_made_smaller_in_place_and_undo_brings_them_back(make_window, qtbot, tmp_path: Path) -> None:
    window, panel = _attaching_to_the_address(make_window)
    photo = tmp_path / "boiler.jpg"
    Image.frombytes("RGB", (3600, 2400), os.urandom(3600 * 2400 * 3)).save(photo, "JPEG", quality=95)
    panel.ask_reduce = lambda photos: ORIGINALS  # attached as it is, weeks ago
    panel.choose_files = lambda: [str(photo)]
    panel.attach_button.click()
    (original,) = window.session.document.attachments.values()
    asked: list[int] = []
    panel.confirm_shrink = lambda photos: asked.append(len(photos)) or True
    assert panel.shrink_button.isEnabled()
    panel.shrink_button.click()
    qtbot.waitUntil(lambda: next(iter(window.session.document.attachments.values())).sha256 != original.sha256, timeout=20000)
    (smaller,) = window.session.document.attachments.values()
    assert asked == [1] and (smaller.step, smaller.field, smaller.name) == ("enterprise", "address", "boiler.jpg")
    assert smaller.size < original.size / 2 and _items(panel.tree)[0][0] == "boiler.jpg"
    assert file_size(smaller.size) in panel.total_label.text() and "448" in panel.total_label.text()  # what a file can hold
    assert window.session.undo_status().undo_label == _("Replace large photos by smaller copies")  # not "remove an attachment"
    panel.shrink_button.click()  # nothing left to make smaller: it says so
    assert panel.findChild(QMessageBox, "nothing_to_shrink_box").isVisible()
    window.undo()
    assert list(window.session.document.attachments.values()) == [original]


def test_a_photo_removed_while_its_copy_is_made_is_reported_not_crashed_on(make_window, qtbot, tmp_path: Path) -> None:
    window, panel = _attaching_to_the_address(make_window)
    photo = tmp_path / "flange.jpg"
    Image.frombytes("RGB", (3000, 2600), os.urandom(3000 * 2600 * 3)).save(photo, "JPEG", quality=95)
    panel.ask_reduce = lambda photos: ORIGINALS
    panel.choose_files = lambda: [str(photo)]
    panel.attach_button.click()
    (original,) = window.session.document.attachments.values()

    def remove_it_meanwhile(photos) -> bool:
        window.apply([Detach(original.id)])  # as if removed while the background work ran
        return True

    panel.confirm_shrink = remove_it_meanwhile
    panel.shrink_button.click()
    qtbot.waitUntil(lambda: getattr(panel, "last_refusal", None) is not None, timeout=20000)
    assert window.session.document.attachments == {}  # nothing half-applied


def test_the_docked_issue_list_fits_its_width_and_wraps(make_window, qtbot) -> None:
    """Docked at 1280 px the list scrolled sideways and the place of each problem was cut off."""
    window = make_window()
    panel = window.workbench.issues
    panel.show_scope(WHOLE_AUDIT)
    tree = panel.tree
    QApplication.processEvents()
    assert tree.viewport().width() < 400
    assert tree.horizontalScrollBar().maximum() == 0
    assert not tree.isColumnHidden(1) and tree.columnWidth(1) > 60  # where it is, beside the problem
    longest = max(range(tree.topLevelItemCount()), key=lambda i: len(tree.topLevelItem(i).text(0)))
    assert tree.visualItemRect(tree.topLevelItem(longest)).height() > 2 * tree.fontMetrics().height()  # wrapped
    window.resizeDocks([panel], [1000], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    assert tree.viewport().width() > 800
    assert not any(tree.isColumnHidden(c) for c in range(5))
    assert tree.horizontalScrollBar().maximum() == 0


def test_an_empty_issue_list_fits_its_width_with_the_where_header_whole(qtbot, tmp_path) -> None:
    """With no issues (the coking sample) the list scrolled sideways and cut the 所在位置 header: the
    hidden columns' size hints were stubs, so every column was judged to fit."""
    from sample_audits import sample_window

    with sample_window(qtbot, tmp_path / "ws.db", "coking", (1280, 720)) as window:
        panel = window.workbench.issues
        panel.show_scope(WHOLE_AUDIT)
        QApplication.processEvents()
        tree = panel.tree
        assert tree.topLevelItemCount() == 0 and tree.viewport().width() < 400
        assert tree.horizontalScrollBar().maximum() == 0
        where = tree.header().fontMetrics().horizontalAdvance(tree.headerItem().text(1))
        assert not tree.isColumnHidden(1) and tree.columnWidth(1) >= where
        assert tree.columnWidth(0) + tree.columnWidth(1) <= tree.viewport().width()


def test_after_undo_the_evidence_target_is_the_field_the_cursor_is_in(make_window, qtbot) -> None:
    """Found in review: undo went back to 地址 on the Enterprise page with the cursor there, but the evidence
    dock said new files attach to 企业名称 (the page's first field), so a file could be filed at the wrong place."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.workbench.evidence.show()
    window.go_to_step("enterprise")
    editor = window.page("enterprise").findChild(QWidget, "field_address")
    editor.setFocus()
    QTest.keyClicks(editor, "abc")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    window.go_to_step("leadership")
    window.page("leadership").findChild(QWidget, "field_decision_document").setFocus()
    QApplication.processEvents()
    window.ui.action_undo.trigger()
    QApplication.processEvents()
    assert window.current_step() == "enterprise"
    assert window.workbench.evidence.target == ("enterprise", "address", None)
