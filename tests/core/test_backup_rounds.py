"""Workspace backup/restore, and the next audit round pre-filled from the last."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cpaudit.backup import BackupError, backup_workspace, restore_workspace
from cpaudit.domain.changes import Attach, SetField
from cpaudit.evidence import verify_stored
from cpaudit.workspace import Workspace, start_next_round


def test_backup_and_restore_keep_audits_journal_and_evidence(make_workspace, tmp_path):
    ws = make_workspace("live.db")
    audit = ws.create_audit("Backed up")
    session = ws.session(audit.id)
    session.apply(SetField("enterprise", "name", "太原示例"))
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(b"%PDF-1.4 invoice")
    session.apply(Attach("enterprise", "name", str(pdf)))
    archive = backup_workspace(ws.path, tmp_path / "backup.zip")

    restored = restore_workspace(archive, tmp_path / "restored" / "w.db")
    with Workspace(restored) as again:
        doc = again.document(audit.id)
        assert doc.get("enterprise", "name") == "太原示例"
        (a,) = doc.attachments.values()
        assert verify_stored(restored, a.sha256)
        s2 = again.session(audit.id)
        s2.undo()  # the journal came along: undo works in the restored copy
        assert again.document(audit.id).attachments == {}
    with pytest.raises(BackupError):
        restore_workspace(archive, restored)  # never overwrites

    # A cancelled restore leaves nothing behind: no half-filled evidence folder, no workspace file.
    from cpaudit.evidence import store_root

    class Stop(Exception):
        pass

    def cancel(_fraction: float) -> None:
        raise Stop

    target = tmp_path / "cancelled" / "w.cpaudit.db"
    with pytest.raises(Stop):
        restore_workspace(archive, target, cancel)
    assert not target.exists() and not store_root(target).exists()


@pytest.mark.parametrize("member", ["../evil.db", "/etc/passwd", "files/aa/" + "0" * 64, "submissions/a/b/c.cpaudit",
                                    "submissions/audit/run.sh", "submissions/.hidden/x.cpaudit"])
def test_restore_refuses_hostile_archives(tmp_path, member):
    archive = tmp_path / "hostile.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("backup.json", '{"format": "cpaudit.workspace-backup/1"}')
        zf.writestr("workspace.db", b"")
        zf.writestr(member, b"payload")
    with pytest.raises(BackupError):
        restore_workspace(archive, tmp_path / "out" / "w.db")
    assert not (tmp_path / "out" / "w.db").exists()


def test_next_round_carries_profile_and_settings_only(make_workspace):
    ws = make_workspace()
    first = ws.create_audit("Round 1")
    s = ws.session(first.id)
    s.apply([SetField("enterprise", "name", "太原示例"), SetField("settings", "discount_rate", "6"),
             SetField("leadership", "commitment", "Round-1 commitment")])
    second = start_next_round(ws, first.id, "Round 2")
    doc = ws.document(second.id)
    assert (second.round, second.previous_audit) == (2, first.id)
    assert doc.get("enterprise", "name") == "太原示例"
    assert doc.get("settings", "discount_rate") == "6"
    assert doc.get("audit_info", "round") == 2
    assert doc.get("leadership", "commitment") is None
    ws.session(second.id).undo()  # the pre-fill is one undoable step
    assert ws.document(second.id).get("enterprise", "name") is None
