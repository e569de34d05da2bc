"""The signing ceremony end to end, key management and File ▸ Verify, driven through the widgets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from cpaudit.bundle import keys
from cpaudit.bundle.format import format_fingerprint
from cpaudit.bundle.request import check_request
from cpaudit.bundle.trust import KeyEntry, Trust
from cpaudit.bundle.verify import verify_file
from cpaudit.gui.dialogs.key_dialogs import ChangePassphraseDialog, KeyDialog, passphrase_strength
from cpaudit.gui.dialogs.signing_pages import ISSUE_ROLE
from cpaudit.gui.dialogs.signing_wizard import SigningWizard
from cpaudit.gui.dialogs.verify_dialog import VerifyDialog

from sample_audits import PASSPHRASE, sample_document, sample_workspace


def make_key(doc) -> keys.KeyInfo:
    return keys.init_key(PASSPHRASE, enterprise_name=doc.get("enterprise", "name"), uscc=doc.get("enterprise", "uscc"),
                         signer_name="张伟", signer_title="法定代表人")


def own_trust(info: keys.KeyInfo, uscc: str | None = None, demo: bool = False) -> Trust:
    trust = Trust(accept_demo=demo)  # a demo file is refused [demo_refused] unless demo files are accepted
    trust.add_key(KeyEntry(info.key_id, "trusted", info.public_key, uscc or info.enterprise["uscc"]))
    return trust


def shown_wizard(qtbot, *args, **kwargs) -> SigningWizard:
    wizard = SigningWizard(*args, **kwargs)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def walk_to_signing(wizard: SigningWizard, qtbot) -> None:
    assert wizard.preflight.isComplete(), wizard.preflight.summary.text()
    with qtbot.waitSignal(wizard.review_ready, timeout=60000):
        wizard.next()
    assert wizard.currentPage() is wizard.review
    preview = wizard.review.preview
    assert preview.page_count() > 10 and not wizard.review.isComplete()  # page 1 only: not yet
    for page in range(preview.page_count()):
        preview.go_to(page)
    assert wizard.review.isComplete()
    wizard.next()
    assert wizard.currentPage() is wizard.certification and not wizard.certification.isComplete()
    assert "电子签名" in wizard.certification.text.toPlainText()
    wizard.certification.accept_box.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.sign_page


def test_signing_ceremony_writes_a_file_that_verifies(tmp_path: Path, qtbot) -> None:
    ws, audit_id = sample_workspace(tmp_path / "ws.db", "electroplating")
    try:
        info = make_key(sample_document("electroplating"))
        wizard = shown_wizard(qtbot, ws.path, audit_id)
        # the fingerprint as the printed registration request writes it, in a monospace font, on every page
        shown = wizard.preflight.key_fingerprint
        assert shown.text() == format_fingerprint(info.fingerprint) and shown.font().styleHint() == QFont.StyleHint.Monospace
        assert "张伟（法定代表人）" in wizard.preflight.key_label.text()
        walk_to_signing(wizard, qtbot)
        out = tmp_path / "signed.cpaudit"
        wizard.sign_page.path_edit.setText(str(out))
        assert str(out) in wizard.sign_page.confirm_label.text()  # the final confirmation names the file
        qtbot.keyClicks(wizard.sign_page.passphrase, "not the passphrase")
        with qtbot.waitSignal(wizard.sign_failed, timeout=60000):
            wizard.next()
        assert "passphrase" in wizard.sign_page.message.text().lower() or "口令" in wizard.sign_page.message.text()
        assert wizard.currentPage() is wizard.sign_page and not out.exists()
        wizard.sign_page.passphrase.setText(PASSPHRASE)  # retry
        assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
        with qtbot.waitSignal(wizard.signed, timeout=60000):
            wizard.next()
            assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()  # no way back while writing
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=5000)
        assert out.is_file()
        result = verify_file(out, own_trust(info))
        assert result.valid, result.findings
        assert wizard.result_page.fields["fingerprint"].text() == format_fingerprint(info.fingerprint)
        assert wizard.result_page.fields["file"].text() == str(out)
        # the signed PDF is the reviewed one (plus the PAdES signature appended)
        import zipfile

        with zipfile.ZipFile(out) as zf:
            signed_pdf = zf.read("report/report.pdf")
        assert signed_pdf.startswith(wizard.review.pdf)
    finally:
        ws.close()


def test_preflight_lists_what_blocks_and_clicks_through(tmp_path: Path, qtbot) -> None:
    from cpaudit.domain.changes import SetField

    ws, audit_id = sample_workspace(tmp_path / "ws.db", "electroplating")
    try:
        make_key(sample_document("electroplating"))
        ws.session(audit_id).apply([SetField("enterprise", "name", "")])  # a required field emptied
        went: list[tuple] = []
        wizard = shown_wizard(qtbot, ws.path, audit_id, go_to=lambda *where: went.append(where))
        page = wizard.preflight
        assert not page.isComplete() and page.issue_list.count() >= 1
        item = next(page.issue_list.item(i) for i in range(page.issue_list.count())
                    if page.issue_list.item(i).data(ISSUE_ROLE)[:2] == ("enterprise", "name"))
        page.issue_list.scrollToItem(item)
        qtbot.mouseClick(page.issue_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=page.issue_list.visualItemRect(item).center())
        assert went and went[0][:2] == ("enterprise", "name")
        assert not wizard.isVisible()
    finally:
        ws.close()


def test_demo_audit_is_signed_with_the_demo_key_without_passphrase(tmp_path: Path, qtbot) -> None:
    from cpaudit.bundle.demo_key import demo_key

    ws, audit_id = sample_workspace(tmp_path / "ws.db", "coking", kind="demo")
    try:
        wizard = shown_wizard(qtbot, ws.path, audit_id)
        assert "DEMO" in wizard.preflight.key_label.text()
        walk_to_signing(wizard, qtbot)
        assert not wizard.sign_page.passphrase.isVisibleTo(wizard) and wizard.sign_page.isComplete()
        out = tmp_path / "demo.cpaudit"
        wizard.sign_page.path_edit.setText(str(out))
        with qtbot.waitSignal(wizard.signed, timeout=60000):
            wizard.next()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page, timeout=5000)
        assert "verified" in wizard.result_page.headline.text() or "验证" in wizard.result_page.headline.text()
        uscc = sample_document("coking").get("enterprise", "uscc")
        assert verify_file(out, own_trust(demo_key().info, uscc, demo=True)).valid
        assert verify_file(out, own_trust(demo_key().info, uscc)).reason.code == "demo_refused"
        assert wizard.result_page.fields["key_id"].text() == demo_key().info.key_id
        # File ▸ Verify in the sandbox accepts its own demo files (and says so); elsewhere they are refused.
        from cpaudit.gui.dialogs.verify_dialog import VerifyDialog, verify_paths

        (refused,) = verify_paths([out])
        assert refused.reason.code == "demo_refused"
        dialog = VerifyDialog(accept_demo=True)
        qtbot.addWidget(dialog)
        assert "demo" in dialog.intro.text().lower() or "演示" in dialog.intro.text()
        with qtbot.waitSignal(dialog.verified, timeout=60000):
            dialog.verify([out])
        assert dialog.results[0].valid, dialog.results[0].reason
    finally:
        ws.close()


def test_key_dialog_creates_a_key_and_manages_it(tmp_path: Path, qtbot) -> None:
    doc = sample_document("electroplating")
    dialog = KeyDialog(document=doc)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.stack.currentIndex() == 0 and dialog.uscc_edit.text() == doc.get("enterprise", "uscc")
    assert not dialog.create_button.isEnabled()
    qtbot.keyClicks(dialog.pair.first, "short")
    assert passphrase_strength("short") == 0 and dialog.pair.hint.text()
    dialog.pair.first.setText(PASSPHRASE)
    dialog.pair.second.setText(PASSPHRASE + "x")
    assert not dialog.create_button.isEnabled()  # the two entries differ
    dialog.pair.second.setText(PASSPHRASE)
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.key_created, timeout=30000):
        dialog.create_button.click()
    info = keys.load_info()
    assert dialog.stack.currentIndex() == 1
    assert dialog.info_values["fingerprint"].text() == format_fingerprint(info.fingerprint)
    assert dialog.info_values["signer"].text() == "{name}（{title}）".format(name=info.signer["name"], title=info.signer["title"])
    assert dialog.info_values["enterprise"].text().endswith("（{uscc}）".format(uscc=doc.get("enterprise", "uscc")))
    assert "passphrase" in dialog.info_message.text() or "口令" in dialog.info_message.text()  # the backup warning
    backup = tmp_path / "backup.json"
    dialog.export_backup_to(backup)
    assert json.loads(backup.read_text(encoding="utf-8"))["key_id"] == info.key_id
    backup.write_text("{}", encoding="utf-8")  # a second backup to the same name, which the save dialog agreed to replace
    dialog.export_backup_to(backup)
    assert json.loads(backup.read_text(encoding="utf-8"))["key_id"] == info.key_id
    assert dialog.export_request_to(tmp_path / "req.json", "wrong passphrase") == "wrong"
    assert not (tmp_path / "req.json").exists()
    assert dialog.export_request_to(tmp_path / "req.json", PASSPHRASE) == "ok"
    assert check_request(json.loads((tmp_path / "req.json").read_text(encoding="utf-8")))
    assert (tmp_path / "req.pdf").read_bytes().startswith(b"%PDF")

    # Another computer: the create page restores the key from its backup instead of making a new one.
    elsewhere = KeyDialog(key_folder=tmp_path / "pc2")
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    assert elsewhere.stack.currentIndex() == 0 and elsewhere.restore_button.isVisible()
    assert elsewhere.restore_backup_from(backup, "wrong passphrase") == "wrong" and not keys.has_key(tmp_path / "pc2")
    with qtbot.waitSignal(elsewhere.key_created):
        assert elsewhere.restore_backup_from(backup, PASSPHRASE) == "ok"
    assert elsewhere.stack.currentIndex() == 1 and keys.load_info(tmp_path / "pc2").key_id == info.key_id


def test_change_passphrase_wrong_then_right(qtbot) -> None:
    make_key(sample_document("electroplating"))
    dialog = ChangePassphraseDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.old.setText("not it at all")
    dialog.pair.first.setText("a new long passphrase 2")
    dialog.pair.second.setText("a new long passphrase 2")
    assert ok.isEnabled()
    ok.click()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=30000)
    assert dialog.isVisible()
    dialog.old.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.changed, timeout=30000):
        ok.click()
    keys.unlock("a new long passphrase 2")
    with pytest.raises(keys.WrongPassphrase):
        keys.unlock(PASSPHRASE)


def test_verify_dialog_lists_each_file_with_its_reason(tmp_path: Path, qtbot) -> None:
    from cpaudit.bundle.export import export_submission

    ws, audit_id = sample_workspace(tmp_path / "ws.db", "electroplating")
    try:
        make_key(sample_document("electroplating"))  # the own key is trusted by default
        good = export_submission(ws, audit_id, "assessment", tmp_path / "good.cpaudit", PASSPHRASE,
                                 certification_accepted=True, render=lambda *a, **k: _tiny_pdf())
    finally:
        ws.close()
    bad = tmp_path / "bad.cpaudit"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    junk = tmp_path / "junk.cpaudit"
    junk.write_bytes(b"not a zip")
    dialog = VerifyDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.verified, timeout=60000):
        dialog.verify([good, bad, junk])
    tree = dialog.tree
    assert tree.topLevelItemCount() == 3
    rows = {tree.topLevelItem(i).text(1): tree.topLevelItem(i) for i in range(3)}
    assert dialog.results[0].valid and rows["good.cpaudit"].childCount() == 0
    assert not dialog.results[1].valid and rows["bad.cpaudit"].childCount() >= 1
    assert rows["junk.cpaudit"].text(2) == dialog.results[2].reason.message
    assert "1" in dialog.summary.text() and "3" in dialog.summary.text()


def _tiny_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 760, "report")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_preflight_warns_of_an_expired_bureau_certificate(tmp_path: Path, qtbot) -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from cpaudit.bundle.certs import issue_certificate

    ws, audit_id = sample_workspace(tmp_path / "ws.db", "electroplating")
    try:
        info = make_key(sample_document("electroplating"))
        cert = issue_certificate(ed25519.Ed25519PrivateKey.generate(), "太原市生态环境局", serial="TY-2024-0001",
                                 uscc=info.enterprise["uscc"], enterprise_name=info.enterprise["name"], signer_name="张伟",
                                 signer_title="法定代表人", public_key=info.public_key,
                                 not_before="2024-01-01T00:00:00+08:00", not_after="2024-12-31T23:59:59+08:00")
        source = tmp_path / "cert.json"
        source.write_text(json.dumps(cert, ensure_ascii=False), encoding="utf-8")
        keys.import_certificate(source)
        wizard = shown_wizard(qtbot, ws.path, audit_id)
        text = wizard.preflight.key_label.text()
        assert info.key_id in text and "2024年12月31日" in text and "⚠" in text
        assert wizard.preflight.isComplete()  # a warning, not a block: the bureau may trust the key directly
    finally:
        ws.close()


def test_preflight_follows_the_stage_and_names_a_key_of_another_enterprise(tmp_path: Path, qtbot) -> None:
    """The pre-flight checked all seven phases whatever the stage, so a plant ready for 评估 could not
    sign; a key of another enterprise passed it and was refused only after the 46-page review."""
    from cpaudit.calc.uscc import check_character
    from cpaudit.domain.changes import SetField

    ws, audit_id = sample_workspace(tmp_path / "ws.db", "electroplating")
    try:
        wf = ws.session(audit_id).workflow
        last = next(s for p in wf.phases if p.number == 7 for s in p.steps
                    if any(f.required and not f.is_table and f.computed is None for f in s.fields))
        field = next(f for f in last.fields if f.required and not f.is_table and f.computed is None)
        ws.session(audit_id).apply([SetField(last.id, field.id, None)])  # a phase-7 gap: fine for 评估
        make_key(sample_document("electroplating"))
        wizard = shown_wizard(qtbot, ws.path, audit_id)
        page = wizard.preflight
        page.stage_box.setCurrentIndex(page.stage_box.findData("acceptance"))
        assert not page.isComplete() and any(i.step == last.id for i in page.blocking)
        page.stage_box.setCurrentIndex(page.stage_box.findData("assessment"))
        assert page.isComplete(), page.summary.text()
    finally:
        ws.close()
    other = "91140100MA0X1234" + "5"
    other += check_character(other)
    keys.init_key(PASSPHRASE, enterprise_name="别的企业", uscc=other, signer_name="李四", signer_title="经理",
                  folder=tmp_path / "other-key")
    ws, audit_id = sample_workspace(tmp_path / "ws2.db", "electroplating")
    try:
        wizard = shown_wizard(qtbot, ws.path, audit_id, key_folder=tmp_path / "other-key")
        assert not wizard.preflight.isComplete()
        assert other in wizard.preflight.key_label.text() and wizard.preflight.key_button.isVisible()
        # An audit without a credit code yet: said so, not "…but the audit is for None" (found in review).
        ws.session(audit_id).apply([SetField("enterprise", "uscc", None)])
        wizard = shown_wizard(qtbot, ws.path, audit_id, key_folder=tmp_path / "other-key")
        text = wizard.preflight.key_label.text()
        assert "None" not in text and "统一社会信用代码" in text
    finally:
        ws.close()


def test_going_back_for_another_stage_never_signs_the_first_stage_s_report(tmp_path: Path, qtbot) -> None:
    """验收 chosen, Next, Back, 评估, Next: the 验收 build finished last and was signed as the 评估 file."""
    ws, audit_id = sample_workspace(tmp_path / "ws.db", "electroplating")
    try:
        make_key(sample_document("electroplating"))
        wizard = shown_wizard(qtbot, ws.path, audit_id)
        page = wizard.preflight
        page.stage_box.setCurrentIndex(page.stage_box.findData("acceptance"))
        wizard.next()
        first = wizard.review.task
        wizard.back()
        page.stage_box.setCurrentIndex(page.stage_box.findData("assessment"))
        with qtbot.waitSignal(wizard.review_ready, timeout=60000):
            wizard.next()
        qtbot.waitUntil(lambda: not wizard.running(), timeout=60000)
        assert first is not wizard.review.task or first is None
        assert wizard.review.options[0] == "assessment"
        pages = wizard.review.preview.page_count()
        from cpaudit.gui.dialogs.signing_pages import review_report

        expected, _digest = review_report(ws.path, audit_id, "assessment", wizard.review.options[1], False, lambda *a: None)
        assert wizard.review.pdf == expected and pages > 10
    finally:
        ws.close()


def test_the_strength_verdict_reads_with_one_colon() -> None:
    """'强度：太短：至少 8 个字符' had two colons in a row."""
    from cpaudit.gui.dialogs.key_dialogs import STRENGTH
    from cpaudit.i18n import _

    for verdict, _state in STRENGTH.values():
        text = _("Strength: {verdict}").format(verdict=_(verdict))
        assert text.count("：") == 1, text
