"""File ▸ Report…: the PDF is built by the background task with progress, previewed, saved, cancellable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QUrl

from cpaudit.gui.dialogs.report_dialog import ReportDialog

from sample_audits import sample_workspace


@pytest.fixture
def sample(tmp_path: Path):
    ws, audit_id = sample_workspace(tmp_path / "ws.db", "electroplating")
    yield ws, audit_id
    ws.close()


def test_report_is_built_in_the_background_and_previewed(sample, qtbot, tmp_path: Path) -> None:
    ws, audit_id = sample
    dialog = ReportDialog(ws.path, audit_id, "电镀 审核", gates={"acceptance": {"ready": False, "steps_incomplete": ["impact"]}})
    qtbot.addWidget(dialog)
    seen: list[float] = []
    dialog.relay.changed.connect(lambda f, _t: seen.append(f))
    dialog.set_options("assessment", "en")
    with qtbot.waitSignal(dialog.generated, timeout=60000):
        dialog.show()  # the first build starts when the dialog is shown
        assert dialog.task is not None and dialog.cancel_button.isVisible()
    assert dialog.pdf is not None and dialog.pdf.startswith(b"%PDF")
    assert seen and max(seen) > 0.5  # progress came from build_report's callback
    assert dialog.preview.page_count() > 10
    assert dialog.preview.current_page() == 0
    page1 = dialog.preview.document.render(0, QSize(300, 424))
    assert not page1.isNull()
    assert len({page1.pixel(x, y) for x in range(0, 300, 7) for y in range(0, 424, 7)}) > 3  # not a blank page
    assert dialog.save_button.isEnabled() and dialog.external_button.isEnabled()
    saved = dialog.save_to(tmp_path / "r.pdf")
    assert saved.read_bytes() == dialog.pdf
    opened: list[QUrl] = []
    dialog.open_url = opened.append
    path = dialog.open_external()
    assert opened == [QUrl.fromLocalFile(str(path))] and path.read_bytes() == dialog.pdf
    # a different stage shows its gate and needs a new build
    dialog.set_options("acceptance", "zh_CN")
    assert dialog.gate_label.isVisibleTo(dialog) and dialog.generate_button.isDefault()


def test_cancel_stops_the_build(sample, qtbot) -> None:
    ws, audit_id = sample
    dialog = ReportDialog(ws.path, audit_id, "T")
    qtbot.addWidget(dialog)
    dialog._started = True  # no build on show: this test starts it
    dialog.show()
    with qtbot.waitSignal(dialog.failed, timeout=60000) as blocker:
        dialog.generate()
        dialog.cancel()
    assert blocker.args == ["cancelled"]
    assert dialog.pdf is None and dialog.task is None
    assert dialog.stage_box.isEnabled() and not dialog.save_button.isEnabled()


def test_closing_while_building_waits_for_the_worker(sample, qtbot) -> None:
    ws, audit_id = sample
    dialog = ReportDialog(ws.path, audit_id, "T")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.task is not None
    with qtbot.waitSignal(dialog.rejected, timeout=60000):
        dialog.reject()
        assert dialog.isVisible()  # still there until the worker has stopped
    assert dialog.task is None
