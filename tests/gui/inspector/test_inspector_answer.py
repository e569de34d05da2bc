"""The answer file: issued from the review (bureau key created on the way), imported by the enterprise window,
shown there with the comment on its field; and the city dashboard with its totals and export."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import trust_plating, wait_import
from PySide6.QtCore import Qt

from cpaudit import paths
from cpaudit.bundle import format as fmt
from cpaudit.bundle import keys
from cpaudit.bundle.trust import trust_file
from cpaudit.gui.inspector.answer_dialog import AnswerDialog
from cpaudit.gui.inspector.dashboard_view import cell_text
from cpaudit.gui.language import apply_language
from cpaudit.gui.main_window import MainWindow
from cpaudit.review import reviews, scoring, snapshot
from cpaudit.review.dashboard import Filters, dashboard

PASSPHRASE = "bureau passphrase 2026"


def _review_and_pass(page) -> None:
    sheet = page.scoring.sheet
    for item in sheet.scored:
        page.scoring.spins[item.id].setValue(float(item.max))
    page.pick(reviews.Anchor("enterprise", "staff"))
    page.comments.text.setPlainText("请核实职工人数")
    assert page.comments.add() is not None
    assert page.scoring.record_decision(scoring.PASS)


def test_an_issued_answer_shows_in_the_enterprise_window(make_inspector, files, qtbot, tmp_path) -> None:
    window = make_inspector(lang="en")
    trust_plating(window, files)
    wait_import(qtbot, window, [files.r2])
    [r2] = window.submissions.visible_ids()
    page = window.open_review(r2)
    _review_and_pass(page)

    folder = tmp_path / "bureau-key"
    dialog = AnswerDialog(window.workspace, r2, page, key_folder=folder)
    qtbot.addWidget(dialog)
    assert dialog.creating and not dialog.ok.isEnabled()
    dialog.name_edit.setText("Taiyuan Ecology and Environment Bureau")
    dialog.code_edit.setText("11140100MB12345675")
    qtbot.keyClicks(dialog.pair.first, PASSPHRASE)
    qtbot.keyClicks(dialog.pair.second, PASSPHRASE)
    out = tmp_path / "answer.json"
    dialog.out_edit.setText(str(out))
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=60_000)
    assert out.is_file() and str(out) in dialog.message.text()
    page.scoring.answer_done(out)
    assert page.scoring.state.frozen and not any(s.isEnabled() for s in page.scoring.spins.values())
    page.comments.reload()
    assert page.comments.frozen and not page.comments.add_button.isEnabled()

    # the enterprise trusts the bureau key through its trust folder, then imports the answer
    trust_dir = paths.user_data_dir() / "trust"
    trust_dir.mkdir(parents=True, exist_ok=True)
    info = keys.load_info(folder)
    (trust_dir / "bureau.json").write_text(json.dumps(trust_file(roots=[{"name": "bureau", "public_key": fmt.b64(info.public_key)}])),
                                           encoding="utf-8")
    apply_language("en")
    enterprise = MainWindow(files.plating.ws)
    qtbot.addWidget(enterprise)
    enterprise.resize(1280, 800)
    enterprise.show()
    enterprise.open_audit(files.plating.audit_id)
    actions = enterprise.answer_actions
    assert actions.action.text() == "Import &bureau answer…"
    received = actions.import_file(out)
    assert received is not None and received.decision == "pass"
    dock = actions.dock
    assert dock.isVisible()
    received_on = snapshot.get_submission(window.workspace, r2).received_at[:10]
    assert dock.receipt.text().startswith("Received by the bureau") and received_on in dock.receipt.text()
    assert "通过" in dock.receipt.text()
    # the score as the inspector saw it, not the file's canonical "110.0" (found in review)
    assert ".0 " not in dock.score.text() + " " and "pass mark 70)" in dock.score.text()
    enterprise.go_to_step("leadership")
    qtbot.wait(20)
    item = dock.list.topLevelItem(0)
    assert item.text(1) == "请核实职工人数" and item.text(0) == "Enterprise › Number of employees"
    dock.list.itemClicked.emit(item, 0)
    assert enterprise.current_step() == "enterprise"
    qtbot.wait(20)
    label = enterprise.page("enterprise").rows["staff"].label
    assert label.property("bureau_comment") is True and "请核实职工人数" in label.toolTip()


def test_an_answer_from_an_untrusted_bureau_is_refused(make_inspector, files, qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from cpaudit.review.answer import init_bureau_key, issue_answer

    window = make_inspector(lang="en")
    trust_plating(window, files)
    wait_import(qtbot, window, [files.r2])
    [r2] = window.submissions.visible_ids()
    init_bureau_key(PASSPHRASE, bureau_name="x", code="11140100MB12345675", folder=tmp_path / "k")
    out = tmp_path / "receipt.json"
    issue_answer(window.workspace, r2, keys.unlock(PASSPHRASE, tmp_path / "k"), out)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    enterprise = MainWindow(files.plating.ws)
    qtbot.addWidget(enterprise)
    enterprise.open_audit(files.plating.audit_id)
    actions = enterprise.answer_actions
    monkeypatch.setattr(actions, "offer_trust_file", lambda reason: shown.append(reason) or False)  # declined
    assert actions.import_file(out) is None
    assert shown and "does not trust" in shown[0] and "cpaudit trust" not in shown[0]  # no command line in the app

    # Offered the bureau's trust file, the user installs it from the app, and the answer comes in.
    handed_out = tmp_path / "bureau-trust.json"
    root = {"name": "x", "public_key": fmt.b64(keys.load_info(tmp_path / "k").public_key)}
    handed_out.write_text(json.dumps(trust_file(roots=[root])), encoding="utf-8")
    monkeypatch.setattr(actions, "offer_trust_file", lambda reason: actions.install_trust_file(handed_out))
    received = actions.import_file(out)
    assert received is not None and received.audit_id == files.plating.audit_id
    assert list((paths.user_data_dir() / "trust").glob("bureau-trust-*.json"))  # installed where every import reads it


def test_the_trust_file_the_registry_exports_lets_the_enterprise_import_the_answer(make_inspector, files, qtbot, tmp_path,
                                                                                    monkeypatch) -> None:
    """Nothing wrote the trust file the answer dialog told enterprises to use (found in review)."""
    from PySide6.QtWidgets import QMessageBox

    from cpaudit.bundle.trust import load_trust
    from cpaudit.gui.inspector.trust_dialog import TrustDialog
    from cpaudit.review.answer import init_bureau_key, issue_answer

    window = make_inspector(lang="en")
    trust_plating(window, files)
    wait_import(qtbot, window, [files.r2])
    [r2] = window.submissions.visible_ids()
    folder = tmp_path / "bureau-key"
    dialog = TrustDialog(window.workspace, window, bureau_key_folder=folder)
    qtbot.addWidget(dialog)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert dialog.export_trust(tmp_path / "none.json") is False and shown  # no bureau key yet: said, nothing written
    init_bureau_key(PASSPHRASE, bureau_name="太原市生态环境局", code="11140100MB12345675", folder=folder)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    out = tmp_path / "bureau-trust.json"
    assert dialog.export_trust(out) and str(out) in told[0]
    answer = tmp_path / "receipt.json"
    issue_answer(window.workspace, r2, keys.unlock(PASSPHRASE, folder), answer)
    from cpaudit.review.answer import import_answer

    assert import_answer(files.plating.ws, answer, load_trust(out)).audit_id == files.plating.audit_id


def test_dashboard_shows_the_totals_and_exports(make_inspector, files, qtbot, tmp_path) -> None:
    window = make_inspector(lang="en")
    trust_plating(window, files)
    wait_import(qtbot, window, [files.r1, files.r2])
    view = window.dashboard
    qtbot.waitUntil(lambda: view.task is None and view.board is not None and view.board.audits == 1, timeout=30_000)
    expected = dashboard(window.workspace, Filters())
    assert view.headline.text() == "1 audit of 1 enterprise"
    shown = view.section_rows("benefits")
    assert [r[0] for r in shown] == [r[0] for r in expected.tables()[5].rows]
    economic = expected.benefits["economic_benefit"]
    assert economic > 0 and shown[0][1] == cell_text(economic) and shown[0][2] == "10k CNY/a"  # the enterprise side's unit label
    options = view.section_rows("options")
    assert options[0][1] == str(expected.options["no_low"]) and int(options[0][1]) > 0
    chart = view.sections["options"][2]
    assert [b[1] for b in chart.bars][:2] == [float(expected.options["no_low"]), float(expected.options["medium_high"])]
    # the filters offer the values the data has, and a chosen one reaches the query
    box = view.boxes["stage"]
    assert [box.itemData(n) for n in range(box.count())] == ["", "assessment"]
    box.setCurrentIndex(1)
    assert view.filters() == Filters(stage="assessment")
    qtbot.waitUntil(lambda: view.task is None and view.board.filters == Filters(stage="assessment"), timeout=30_000)
    assert view.board.audits == 1
    out = tmp_path / "dash.csv"
    view.export("csv", out)
    qtbot.waitUntil(lambda: view.task is None, timeout=30_000)
    assert out.is_file() and "Annual benefits" in out.read_text(encoding="utf-8-sig")
    assert str(out) in view.message.text()
    xlsx = tmp_path / "dash.xlsx"
    view.export("xlsx", xlsx)
    qtbot.waitUntil(lambda: view.task is None, timeout=30_000)
    assert xlsx.stat().st_size > 0 and isinstance(xlsx, Path)


def test_dashboard_numbers_keep_their_own_places_up_to_two() -> None:
    assert cell_text(Decimal("93.8")) == "93.8"  # the implementation rate, rounded to 0.1 %: not 93.80
    assert cell_text(Decimal("10.9495")) == "10.95"
    assert cell_text(Decimal("23880")) == "23,880" and cell_text(Decimal("1E+2")) == "100"
    assert cell_text(Decimal("171.40")) == "171.4" and cell_text(None) == "" and cell_text(7) == "7"
