"""The main window's File menu carries the report, signing, verification and key actions."""

from __future__ import annotations

from cpaudit.gui.pages.figure_pages import BalancePage
from cpaudit.i18n import _


def test_file_menu_actions_follow_the_audit_and_the_language(make_window) -> None:
    window = make_window()
    actions = window.report_actions.actions
    menu = window.ui.menu_file.actions()
    for name in ("action_report", "action_sign", "action_verify", "action_signing_key"):
        assert actions[name] in menu
    # Enabled once the audit is open, without the File menu opened first (found in review: Ctrl+P did nothing).
    assert actions["action_report"].isEnabled() and actions["action_sign"].isEnabled()
    assert window.answer_actions.action.isEnabled()
    zh = actions["action_report"].text()
    window.ui.action_lang_en.trigger()
    assert actions["action_report"].text() == _("Preview and generate the &report…") != zh
    assert isinstance(window.page("material_balance"), BalancePage)  # custom: figure pages are registered


def test_inspectors_verify_but_do_not_sign(make_window) -> None:
    window = make_window(role="inspector")
    window.report_actions.update_state()
    actions = window.report_actions.actions
    assert actions["action_verify"].isEnabled() and not actions["action_sign"].isEnabled()
    assert not actions["action_signing_key"].isVisible()


def test_the_report_steps_lead_on_to_the_report_and_signing(make_window, monkeypatch) -> None:
    """Step 35 (and the mid-term report, step 22) ended with the conclusions box: the report and
    signing were only in the File menu."""
    from cpaudit.gui.report_actions import ReportActions, ReportLinks

    called: list[str] = []
    monkeypatch.setattr(ReportActions, "report", lambda self: called.append("report"))
    monkeypatch.setattr(ReportActions, "sign", lambda self: called.append("sign"))
    window = make_window()
    for step in ("final_report", "midterm_report"):
        window.go_to_step(step)
        links = window.page(step).findChild(ReportLinks)
        assert links is not None, step
        assert (links.report_button.text(), links.sign_button.text()) == ("预览并生成报告…", "签名并提交…")
        # one name for one action: the File menu said 审核报告(&R)…
        assert window.report_actions.actions["action_report"].text() == "预览并生成报告(&R)…"
        links.report_button.click()
        links.sign_button.click()
    assert called == ["report", "sign"] * 2
    window.go_to_step("option_list")
    assert window.page("option_list").findChild(ReportLinks) is None
    window.ui.action_lang_en.trigger()
    assert links.report_button.text() == "Preview and generate the report…"
