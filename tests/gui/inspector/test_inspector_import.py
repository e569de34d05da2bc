"""The inspector window: import a folder in the background, statuses per file, the trust registry, the list."""

from __future__ import annotations

from conftest import trust_plating, wait_import
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from cpaudit.bundle.format import format_fingerprint
from cpaudit.gui.app import build_window
from cpaudit.gui.inspector.submissions import STATUS, TRUST
from cpaudit.gui.inspector.window import InspectorWindow
from cpaudit.review import registry


def test_importing_a_folder_lists_each_file_with_its_status_and_reason(make_inspector, files, qtbot) -> None:
    window = make_inspector(lang="en")
    trust_plating(window, files)
    statuses = wait_import(qtbot, window, [files.folder])
    assert statuses == {"a_plating_r2.cpaudit": "imported", "b_tampered.cpaudit": "rejected",
                        "c_duplicate.cpaudit": "already", "d_coking.cpaudit": "rejected"}
    tree = window.import_panel.results
    rows = {tree.topLevelItem(n).text(1): (tree.topLevelItem(n).text(0), tree.topLevelItem(n).text(2))
            for n in range(tree.topLevelItemCount())}
    assert rows["b_tampered.cpaudit"][0] == "Rejected" and "damaged" in rows["b_tampered.cpaudit"][1]
    assert rows["d_coking.cpaudit"][0] == "Rejected" and rows["d_coking.cpaudit"][1]  # the precise reason, not empty
    assert rows["c_duplicate.cpaudit"][0] == "Already imported"
    assert "1 imported, 1 already imported, 0 stale revisions, 2 rejected" in window.import_panel.summary.text()
    # nothing of a rejected file entered the database; the list shows the one imported submission
    assert window.workspace.db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 1
    assert window.submissions.model.rowCount() == 1

    # the older revision arriving later is stored but flagged stale
    assert wait_import(qtbot, window, [files.r1]) == {"plating_r1.cpaudit": "stale"}
    model = window.submissions.model
    texts = [model.index(r, STATUS).data() for r in range(model.rowCount())]
    assert sorted(texts) == ["Received", "Received · stale revision"]
    assert all(model.index(r, TRUST).data() == "Trusted (registry)" for r in range(model.rowCount()))
    assert model.headerData(TRUST, Qt.Orientation.Horizontal) == "Signature"  # it shows the trust, not the signer
    boxes = (window.submissions.stage_box, window.submissions.status_box)
    assert [box.itemText(0) for box in boxes] == ["All", "All"]
    assert [window.submissions.stage_box.itemText(n) for n in (1, 2)] == ["Assessment (评估)", "Acceptance (验收)"]
    window.submissions.history_box.setChecked(False)
    assert len(window.submissions.visible_ids()) == 1


def test_cancel_stops_between_files(make_inspector, files, qtbot) -> None:
    window = make_inspector()
    trust_plating(window, files)
    panel = window.import_panel
    with qtbot.waitSignal(panel.finished, timeout=60_000):
        window.import_paths([files.folder])
        panel.cancel()  # before the first file is done: that file finishes, the rest are left
    assert len(panel.outcomes) == 1
    assert "not imported" in panel.summary.text() or "未导入" in panel.summary.text()


def test_trust_registry_needs_the_typed_fingerprint(make_inspector, files, qtbot) -> None:
    from cpaudit.gui.inspector.trust_dialog import TrustDialog

    window = make_inspector(lang="en")
    dialog = TrustDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    key = dialog.add_request(files.request)
    assert key is not None and key.state == registry.PENDING
    groups = key.fingerprint.split("-")
    assert len(groups) == 8 and all(g in dialog.fingerprint_label.text() for g in groups)  # shown for comparison
    shown = QTextDocument()
    shown.setHtml(dialog.fingerprint_label.text())
    assert shown.toPlainText().replace("\xa0", " ") == format_fingerprint(key.fingerprint)  # as printed and as the enterprise sees it
    assert not dialog.trust_button.isEnabled()
    qtbot.keyClicks(dialog.typed, "-".join(groups[:7] + ["AAAA" if groups[7] != "AAAA" else "BBBB"]))
    assert not dialog.trust_button.isEnabled()
    dialog.typed.clear()
    qtbot.keyClicks(dialog.typed, " ".join(groups).lower())  # spaces and lower case as people type them
    assert dialog.trust_button.isEnabled()
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
    assert registry.get_key(window.workspace, key.key_id).state == registry.TRUSTED
    dialog.revoke_current("lost laptop")
    assert registry.get_key(window.workspace, key.key_id).state == registry.REVOKED
    assert not dialog.revoke_button.isEnabled() and not dialog.trust_button.isEnabled()


def test_run_gui_builds_the_inspector_window_for_the_inspector_role(tmp_path, qtbot) -> None:
    window = build_window(tmp_path / "bureau.db", "inspector", "en")
    qtbot.addWidget(window)
    try:
        assert isinstance(window, InspectorWindow)
        assert window.tabs.tabText(0) == "Submissions"
    finally:
        window.workspace.close()


def test_the_trust_state_takes_the_brackets_of_its_language() -> None:
    """'受信任 (备案名录)' put half-width brackets into a Chinese line."""
    from cpaudit.gui.inspector.labels import trust_label
    from cpaudit.i18n import using_language

    with using_language("zh_CN"):
        assert trust_label("trusted", "registry") == "受信任（备案名录）"
    with using_language("en"):
        assert trust_label("untrusted", "tofu") == "Not trusted (first sight)"


def test_the_inspector_backs_up_its_workspace_with_the_received_files(make_inspector, files, qtbot, tmp_path) -> None:
    """The inspector window had no backup at all: a bureau PC that died took the registry and reviews along."""
    import zipfile

    window = make_inspector(lang="en")
    trust_plating(window, files)
    wait_import(qtbot, window, [files.r2])
    assert window.actions_["backup"] in window.file_menu.actions()
    target = tmp_path / "bureau-backup.zip"
    window.back_up(target)
    qtbot.waitUntil(target.exists, timeout=30_000)
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
    assert "workspace.db" in names and [n for n in names if n.startswith("submissions/") and n.endswith(".cpaudit")]
