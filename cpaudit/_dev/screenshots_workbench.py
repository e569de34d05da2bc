"""Screenshots of every step page of a sample audit and of the workbench's dialogs and docks.

Called by ``python -m cpaudit._dev.screenshots`` (``--sample coking`` by default):
``<lang>-sample-<nn>-<step>.png`` for each step in workflow order, and
``<lang>-ui-<name>.png`` for the home dialog, both wizard pages, the paste
preview and the check-for-errors, history and evidence docks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable


def take_sample(out: Path, languages: list[str], home: Path, sample: str) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from cpaudit import audit_json, samples
    from cpaudit.gui.app import build_window
    from cpaudit.workflow.loader import load_workflow
    from cpaudit.workspace import Workspace, import_document

    app = QApplication.instance()
    path = home / f"sample-{sample}.cpaudit.db"
    with Workspace(path) as ws:
        meta = import_document(ws, audit_json.parse(samples.sample_data(sample), load_workflow()), "sample")
    window = build_window(path, lang=languages[0])
    window.show()
    window.open_audit(meta.id)
    saved: list[Path] = []
    try:
        for lang in languages:
            window.set_language(lang)
            for number, step in enumerate(window.session.workflow.steps(), start=1):  # type: ignore[union-attr]
                window.go_to_step(step.id)
                window.settle()
                app.processEvents()  # type: ignore[union-attr]
                target = out / f"{lang}-sample-{number:02d}-{step.id}.png"
                window.grab().save(str(target))
                saved.append(target)
            saved += _workbench_shots(window, out, lang, home)
    finally:
        window.close()
        app.processEvents()  # type: ignore[union-attr]
        window.workspace.close()
        window.deleteLater()  # with its dialogs and docks, before the interpreter finalises
        app.processEvents()  # type: ignore[union-attr]
    return saved


def _workbench_shots(window: Any, out: Path, lang: str, home: Path) -> list[Path]:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from cpaudit.domain.changes import Attach
    from cpaudit.gui.dialogs.home_dialog import HomeDialog
    from cpaudit.gui.dialogs.new_audit_wizard import NewAuditWizard
    from cpaudit.gui.dialogs.paste_preview import PastePreviewDialog
    from cpaudit.gui.panels.issues_panel import WHOLE_AUDIT
    from cpaudit.tablework import parse_tsv, plan_paste
    from cpaudit.workflow.loader import load_workflow

    app = QApplication.instance()
    saved: list[Path] = []

    def shoot(name: str, widget: Any, prepare: Callable[[], None] | None = None) -> None:
        widget.show()
        if prepare:
            prepare()
        app.processEvents()  # type: ignore[union-attr]
        target = out / f"{lang}-ui-{name}.png"
        widget.grab().save(str(target))
        saved.append(target)

    shoot("home", HomeDialog(window.workspace_actions, window.session.audit_id, window))
    wizard = NewAuditWizard(load_workflow(), window)
    wizard.enterprise_page.name_edit.setText("潍坊绿源造纸有限公司")
    wizard.enterprise_page.uscc_edit.setText("91370700MA3C4D5E60")
    shoot("wizard-1", wizard)
    wizard.next()
    shoot("wizard-2", wizard)
    wizard.close()

    session = window.session
    table = session.workflow.field("status_survey", "materials")
    grid = parse_tsv("废纸\tt\t61000\t63000\t65000\n淀粉\tt\t800\tabc\t850\n助剂\tkg\t-\t12\t13\t14\t15\n")
    plan = plan_paste(session.document, session.workflow, "status_survey", table, grid, 0, 0)
    shoot("paste-preview", PastePreviewDialog(plan, table, 0, 0, window))

    bench = window.workbench
    window.go_to_step("status_survey")
    bench.issues.show_scope(WHOLE_AUDIT)
    shoot("check-for-errors", window)
    bench.history.show()
    bench.history.raise_()
    shoot("history", window)
    photo = home / "licence-photo.png"
    if not photo.exists():
        image = QImage(640, 420, QImage.Format.Format_RGB32)
        image.fill(0x2E7D32)
        image.save(str(photo))
    window.go_to_step("enterprise")
    if not session.document.attachments:
        window.apply([Attach("enterprise", "name", str(photo))])
    bench.evidence.show()
    bench.evidence.raise_()
    bench.evidence.tree.setCurrentItem(bench.evidence.tree.topLevelItem(0))
    shoot("evidence", window)
    for dock in (bench.issues, bench.history, bench.evidence):
        dock.hide()
    return saved
