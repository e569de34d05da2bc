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
    window.report_actions.update_state()
    assert actions["action_report"].isEnabled() and actions["action_sign"].isEnabled()
    zh = actions["action_report"].text()
    window.ui.action_lang_en.trigger()
    assert actions["action_report"].text() == _("&Report…") != zh
    assert isinstance(window.page("material_balance"), BalancePage)  # custom: figure pages are registered


def test_inspectors_verify_but_do_not_sign(make_window) -> None:
    window = make_window(role="inspector")
    window.report_actions.update_state()
    actions = window.report_actions.actions
    assert actions["action_verify"].isEnabled() and not actions["action_sign"].isEnabled()
    assert not actions["action_signing_key"].isVisible()
