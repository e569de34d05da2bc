"""The figure views render for both complete samples; the closure badge is green or red as it should be."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from PySide6.QtGui import QColor, QFontMetricsF, QImage

from cpaudit.figures import compute_figures
from cpaudit.gui.pages.figure_pages import BalancePage, EconomicsPage, ImpactPage, IndicatorsPage, TargetsPage
from cpaudit.gui.pages.registry import create_page
from cpaudit.gui.views.balance_view import BalanceView, balances_of
from cpaudit.gui.views.common import BAD, GOOD, render
from cpaudit.gui.views.economics_view import EconomicsView, PaybackChart, payback_scale
from cpaudit.gui.views.indicator_view import IndicatorView
from cpaudit.gui.views.targets_view import TargetsView
from cpaudit.workflow.loader import load_workflow

from sample_audits import COMPLETE_SAMPLES, sample_document, sample_workspace

WF = load_workflow()


def figures_of(name: str):
    return compute_figures(sample_document(name), WF)


def painted_colours(image: QImage) -> set[int]:
    step = max(image.width() // 60, 1)
    return {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}


def badge_pixel(view: BalanceView) -> QColor:
    image = view.diagram.grab().toImage()
    rect = view.diagram.badge_rect
    assert rect.width() > 40, "the badge was not painted"
    return QColor(image.pixel(int(rect.left()) + 3, int(rect.center().y())))


@pytest.mark.parametrize("sample", COMPLETE_SAMPLES)
def test_balance_diagram_and_badge(sample: str, qtbot) -> None:
    figures = figures_of(sample)
    view = BalanceView()
    qtbot.addWidget(view)
    view.set_figures(figures)
    assert len(view.balances) >= 2  # material or pollutant, and water
    for index, (_label, balance) in enumerate(view.balances):
        view.select(index)
        pixmap = render(view, 1000)
        assert not pixmap.isNull() and len(painted_colours(pixmap.toImage())) > 8
        assert view.diagram.layout_ is not None and len(view.diagram.layout_.links) >= 2
        expected = GOOD if balance["closes"] else BAD
        assert badge_pixel(view).name() == expected.name(), balance["name"]


def test_a_balance_that_does_not_close_has_a_red_badge(qtbot) -> None:
    doc = sample_document("coking")
    rows = doc.rows("material_balance", "streams")
    first_in = next(r for r in rows if r.get("direction") == "in")
    first_in["quantity"] = Decimal(str(first_in["quantity"])) * Decimal("1.3")  # 30 % more coal than comes out
    figures = compute_figures(doc, WF)
    view = BalanceView()
    qtbot.addWidget(view)
    view.set_figures(figures)
    index = next(i for i, (label, b) in enumerate(view.balances) if b["type"] == "material")
    view.select(index)
    render(view, 1000)
    assert view.diagram.closes is False
    assert badge_pixel(view).name() == BAD.name()
    assert "deviation" in view.diagram.badge_text() or "偏差" in view.diagram.badge_text()


@pytest.mark.parametrize("sample", COMPLETE_SAMPLES)
@pytest.mark.parametrize("cls", [EconomicsView, TargetsView, IndicatorView])
def test_views_render_the_samples(sample: str, cls, qtbot) -> None:
    view = cls()
    qtbot.addWidget(view)
    view.set_figures(figures_of(sample))
    pixmap = render(view, 1000)
    assert not pixmap.isNull()
    assert len(painted_colours(pixmap.toImage())) > 8  # more than an empty placeholder


def test_economics_shows_every_priced_option_with_its_verdict(qtbot) -> None:
    figures = figures_of("electroplating")
    view = EconomicsView()
    qtbot.addWidget(view)
    view.set_figures(figures)
    options = [o for o in figures["economics"]["options"] if "I" in o]
    assert view.table.rowCount() == len(options) > 0
    verdicts = [view.table.item(r, view.table.columnCount() - 1).text() for r in range(view.table.rowCount())]
    assert verdicts == [view.verdict_text(o) for o in options]
    assert "8" in view.settings_label.text()  # the discount rate the figures rest on


def test_a_payback_of_centuries_does_not_squash_the_other_bars(qtbot) -> None:
    options = [o for o in figures_of("coking")["economics"]["options"] if "I" in o]
    assert [o["N"] and round(float(o["N"]), 2) for o in options] == [5.09, 2.44, None]  # C-H3 saves nothing
    # An option earning 1.00 万元/a on 1,600 万元: N = 1,600 a against norms of 3 and 10 a.
    options[2] = {**options[2], "N": "1600"}
    assert payback_scale(options) == pytest.approx(2.5 * 10 * 1.1)  # the off-scale cap, not 1,600 × 1.1
    assert payback_scale([{"N": "4", "norm": "3"}]) == pytest.approx(4.4)  # within the cap: the longest bar
    assert payback_scale([{"N": "40"}]) == pytest.approx(44.0)  # no norm, no cap
    chart = PaybackChart()
    qtbot.addWidget(chart)
    chart.set_options(options)
    chart.resize(800, chart.sizeHint().height())
    image = chart.grab().toImage()
    row_y = int(chart.rows_top() + chart.row_h / 2)  # the middle of the first option's row
    green = sum(1 for x in range(image.width()) if QColor(image.pixel(x, row_y)) == QColor(GOOD))
    # 5.09 of 27.5 years of a 470-pixel plot: ≈ 87 pixels (it was 2, a sliver, on a 1,760-year scale).
    assert green > 80


def test_targets_switch_from_planned_to_achieved(qtbot) -> None:
    view = TargetsView()
    qtbot.addWidget(view)
    figures = copy.deepcopy(figures_of("electroplating"))
    view.set_figures(figures)
    assert view.mode == "achieved" and all(r["status"] for r in view.rows)
    figures["target_achievement"] = {"targets": [], "reached": 0, "total": 0}
    view.set_figures(figures)
    assert view.mode == "planned" and len(view.rows) == len(figures["targets"]["targets"])


def test_empty_audit_views_show_a_hint_not_a_crash(qtbot) -> None:
    figures = compute_figures(sample_document("electroplating-midway"), WF)
    for cls in (BalanceView, EconomicsView, TargetsView, IndicatorView):
        view = cls()
        qtbot.addWidget(view)
        view.set_figures({})
        assert not render(view, 700).isNull()
        view.set_figures(figures)
        assert not render(view, 700).isNull()


@pytest.mark.parametrize("step_id, cls", [("material_balance", BalancePage), ("economic", EconomicsPage),
                                          ("cp_targets", TargetsPage), ("pollution_status", IndicatorsPage),
                                          ("impact", ImpactPage)])
def test_figure_pages_keep_the_form_and_follow_edits(step_id: str, cls, tmp_path, qtbot) -> None:
    ws, audit_id = sample_workspace(tmp_path / "ws.db", "coking")
    try:
        session = ws.session(audit_id)
        step = session.workflow.step(step_id)
        page = create_page(step, session, session.apply)
        qtbot.addWidget(page)
        assert type(page) is cls
        assert set(page.rows) == {f.id for f in step.fields}  # the schema form is all there
        assert page.views and page.panel is not None
        page.resize(1000, 900)
        page.show()
        page.retranslate()
        page.panel.toggle.setChecked(False)
        assert not page.panel.body.isVisible()
        page.panel.toggle.setChecked(True)
        assert page.panel.body.isVisible()
    finally:
        ws.close()


def test_balance_page_redraws_after_an_edit(tmp_path, qtbot) -> None:
    from cpaudit.domain.changes import SetCell

    ws, audit_id = sample_workspace(tmp_path / "ws.db", "coking")
    try:
        session = ws.session(audit_id)
        page = create_page(session.workflow.step("material_balance"), session, session.apply)
        qtbot.addWidget(page)
        page.show()
        view = page.views[0]
        index = next(i for i, (label, b) in enumerate(view.balances) if b["type"] == "material")
        view.select(index)
        assert view.diagram.closes is True
        row = next(r for r in session.document.rows("material_balance", "streams") if r.get("direction") == "in")
        changeset = session.apply([SetCell("material_balance", "streams", row["_id"], "quantity",
                                           str(Decimal(str(row["quantity"])) * 2))])
        page.refresh(changeset)
        assert view.diagram.closes is False
        assert balances_of(compute_figures(session.document, session.workflow))
    finally:
        ws.close()


def test_the_targets_step_shows_the_plan_even_after_implementation(qtbot) -> None:
    view = TargetsView(planned_only=True)
    qtbot.addWidget(view)
    view.set_figures(figures_of("coking"))
    results = TargetsView()
    qtbot.addWidget(results)
    results.set_figures(figures_of("coking"))
    assert view.mode == "planned" and results.mode == "achieved"
    assert view.labels() != results.labels()


def test_maintain_targets_are_said_not_drawn_as_bars(qtbot) -> None:
    """维持 targets plan no change: their rows carry the flag the painter writes a note for."""
    for planned_only in (True, False):
        view = TargetsView(planned_only=planned_only)
        qtbot.addWidget(view)
        view.set_figures(figures_of("coking"))
        kept = [r["label"] for r in view.rows if r["maintain"]]
        assert kept == ["焦化废物厂内回用率", "熄焦废水外排量"], view.mode
        view.resize(view.sizeHint())
        assert not view.grab().isNull()


def test_the_numbers_of_the_indicator_gap_table_are_right_aligned(qtbot) -> None:
    """They were flush left, so the digits of '36 L/m²' and '4 %' did not line up."""
    view = IndicatorView()
    qtbot.addWidget(view)
    view.set_figures(figures_of("electroplating"))
    assert view.gaps
    image = render(view, 1000).toImage()
    first = view.gaps_top() + view.gap_row_h  # under the gap table's heads
    for n in range(len(view.gaps)):
        top = int(first + n * view.gap_row_h)
        for x, w, _align in view.gap_columns(image.width())[2:]:
            inked = [px for px in range(int(x), int(x + w)) for py in range(top + 2, top + int(view.gap_row_h) - 2)
                     if QColor(image.pixel(px, py)).lightness() < 128]
            assert inked and max(inked) >= x + w - 4, (n, x, w)


def test_the_target_values_are_not_cut_the_plot_gives_way(qtbot) -> None:
    """The value column was 170 px at every width: '2,600,000 → 2,561,000 / 2,55…' hid the achieved value."""
    from cpaudit.gui.views.common import small_font
    from cpaudit.gui.views.targets_view import detail

    view = TargetsView()
    qtbot.addWidget(view)
    view.set_figures(figures_of("electroplating"))
    metrics = QFontMetricsF(small_font(view))
    widest = max(metrics.horizontalAdvance(detail(r)) for r in view.rows)
    assert widest > 170  # the case: a large value
    _label, plot_l, plot_r, value_w, _chip = view.columns(900.0)
    assert value_w >= widest and plot_r - plot_l >= 160
    assert not render(view, 900).isNull()
def test_economics_summary_names_the_settings_as_the_settings_page_does(qtbot) -> None:
    """Same decimals as the settings page (8.00, not 8.0); English durations in years, not 'a'."""
    import re

    from cpaudit import formatting, i18n

    figures = figures_of("electroplating")
    for lang in ("zh_CN", "en"):
        with i18n.using_language(lang):
            view = EconomicsView()
            qtbot.addWidget(view)
            view.set_figures(figures)
            summary = view.settings_label.text()
            assert formatting.percent(Decimal(8), formatting.RATE_PLACES) in summary
            if lang == "en":
                assert not re.search(r"\d a\b", summary), summary
                assert "yr" in summary
                tips = [view.table.horizontalHeaderItem(c).toolTip() for c in range(view.table.columnCount())]
                assert "Total investment (10k CNY)" in tips and not any("万元" in t for t in tips), tips
            else:
                assert "折现率" in summary and "综合税率" in summary


def test_the_indicator_system_is_named_by_its_title_in_each_language(qtbot) -> None:
    from cpaudit import i18n

    figures = figures_of("electroplating")
    titles = {}
    for lang in ("zh_CN", "en"):
        with i18n.using_language(lang):
            view = IndicatorView()
            qtbot.addWidget(view)
            view.set_figures(figures)
            titles[lang] = view.title_text()
    assert titles["zh_CN"].startswith("电镀行业清洁生产评价指标体系")
    assert titles["en"].startswith("Electroplating CP evaluation indicator system"), titles["en"]


def test_presentation_mode_grows_the_painted_rows_and_the_economics_table_and_off_restores_them(qtbot) -> None:
    """At 1.6× the economics table kept its normal-size fixed height (3½ of 4 rows, the last cut by the
    sideways scroll bar), and the indicator figure, payback chart and targets chart painted the text
    in rows and title boxes of their normal size."""
    from PySide6.QtWidgets import QApplication

    from cpaudit.gui.training.presentation import Presentation
    from cpaudit.gui.views.common import small_font

    figures = figures_of("electroplating")
    indicator, economics, targets = IndicatorView(), EconomicsView(), TargetsView()
    for view in (indicator, economics, targets):
        qtbot.addWidget(view)
        view.set_figures(figures)
        view.resize(1000, 700)
        view.show()
    table, chart = economics.table, economics.chart
    assert indicator.rows and indicator.gaps and table.rowCount() == 4

    def sizes() -> tuple[float, ...]:
        return (indicator.title_h, indicator.line_h, indicator.row_h, indicator.gap_row_h, indicator.sizeHint().height(),
                chart.title_h, chart.row_h, chart.sizeHint().height(), table.rowHeight(0), table.height(),
                targets.title_h, targets.row_h, targets.sizeHint().height())

    def rows_whole() -> bool:
        QApplication.processEvents()  # the table fits again once its header has the new font
        return table.viewport().height() >= sum(table.rowHeight(r) for r in range(table.rowCount()))

    before = sizes()
    assert rows_whole()
    presentation = Presentation(QApplication.instance())
    presentation.set_active(True)
    try:
        assert rows_whole()
        on = sizes()
        line = QFontMetricsF(small_font(indicator)).height()
        assert indicator.row_h >= line * 1.5 and indicator.gap_row_h >= line * 1.4 and chart.row_h >= line * 1.7
        assert targets.row_h >= line * 2.2
        assert all(big > small for big, small in zip(on, before)), (on, before)
    finally:
        presentation.set_active(False)
    assert rows_whole()
    assert sizes() == before
