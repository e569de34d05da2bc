# SPDX-License-Identifier: Apache-2.0
"""Step pages that show a figure view above the step's own form (``custom:<name>`` pages).

The form stays exactly the schema renderer's (same fields, same contract);
a collapsible panel between the page header and the form shows the view of
the figures this step feeds: the balance diagram, the option economics,
targets against results, the indicator-system levels and gaps. Figures are
recomputed from the core after every change, while the page is on screen.
"""

from __future__ import annotations

from typing import Any, Callable

import qtawesome
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTabWidget, QToolButton, QVBoxLayout, QWidget

from cpaudit.domain.changes import ChangeSet
from cpaudit.domain.document import AuditDocument
from cpaudit.figures import compute_figures
from cpaudit.gui.models.table_model import Apply
from cpaudit.gui.pages.registry import CUSTOM_PAGES
from cpaudit.gui.pages.schema_page import SchemaPage
from cpaudit.gui.views.balance_view import BalanceView
from cpaudit.gui.views.economics_view import EconomicsView
from cpaudit.gui.views.indicator_view import IndicatorView
from cpaudit.gui.views.targets_view import TargetsView
from cpaudit.i18n import N_, _, current_language
from cpaudit.session import AuditSession
from cpaudit.workflow.schema import StepSpec, Workflow

ViewFactory = Callable[["FigurePage"], QWidget]


def indicator_names(wf: Workflow) -> Callable[[str, str | None], str]:
    """Indicator labels: the system's Chinese name in zh_CN, the translated enum label otherwise."""
    def name(key: str, name_zh: str | None) -> str:
        if current_language() == "zh_CN" and name_zh:
            return name_zh
        spec = wf.enums.get("sector_indicator")
        label = spec.label_of(key) if spec else None
        return _(label).split(": ", 1)[-1] if label else (name_zh or key)
    return name


class FigurePanel(QFrame):
    """Title, a hide/show toggle, and one view (or several in tabs)."""

    def __init__(self, views: list[tuple[str, QWidget]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("figure_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.views = views
        self.title = QLabel(self)
        self.title.setProperty("role", "panel_title")
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("figure_panel_toggle")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.toggle)
        self.body: QWidget
        if len(views) == 1:
            self.body = views[0][1]
            self.tabs = None
        else:
            self.tabs = QTabWidget(self)
            for _title, view in views:
                self.tabs.addTab(view, "")
            self.body = self.tabs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 10)
        layout.addLayout(head)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._toggled)
        self.retranslate()

    def _toggled(self, shown: bool) -> None:
        self.body.setVisible(shown)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_(self.views[0][0]) if self.tabs is None else _("Figures of this step"))
        if self.tabs is not None:
            for i, (title, _view) in enumerate(self.views):
                self.tabs.setTabText(i, _(title))
        shown = self.toggle.isChecked()
        self.toggle.setText(_("Hide") if shown else _("Show"))
        self.toggle.setIcon(qtawesome.icon("fa6s.chevron-up" if shown else "fa6s.chevron-down"))
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for _title, view in self.views:
            if hasattr(view, "retranslate"):
                view.retranslate()
            view.update()


class FigurePage(SchemaPage):
    """A schema page with ``VIEWS`` (title msgid, factory) shown above the form."""

    VIEWS: tuple[tuple[str, ViewFactory], ...] = ()

    def __init__(self, step: StepSpec, session: AuditSession, apply: Apply, parent: QWidget | None = None):
        self.panel: FigurePanel | None = None
        self._figures_stale = True
        super().__init__(step, session, apply, parent)
        views = [(title, factory(self)) for title, factory in self.VIEWS]
        self.panel = FigurePanel(views, self.scroll.widget())
        layout = self.scroll.widget().layout()
        layout.insertWidget(layout.indexOf(self.banner) + 2, self.panel)  # below the header rule, above the form
        self.update_figures()

    @property
    def views(self) -> list[QWidget]:
        return [view for _title, view in self.panel.views] if self.panel else []

    def update_figures(self) -> dict[str, Any]:
        figures = compute_figures(self.session.document, self.session.workflow)
        for view in self.views:
            view.set_figures(figures)  # type: ignore[attr-defined]
        self._figures_stale = False
        return figures

    def load(self, document: AuditDocument) -> None:
        super().load(document)
        if self.panel is not None:
            self.update_figures()

    def refresh(self, changeset: ChangeSet) -> None:
        super().refresh(changeset)
        if changeset.empty or self.panel is None:
            return
        self._figures_stale = True
        # On a page with long tables the figures wait for the pause in typing, like the checks
        # (``settle``); computing them (gates validate every step) per cell would make typing lag.
        if self.isVisible() and not self._state_timer.isActive():
            self.update_figures()

    def settle(self) -> None:
        super().settle()
        if self._figures_stale and self.panel is not None and self.isVisible():
            self.update_figures()

    def showEvent(self, event: QShowEvent) -> None:
        if self._figures_stale and self.panel is not None:
            self.update_figures()
        super().showEvent(event)

    def retranslate(self) -> None:
        super().retranslate()
        if self.panel is not None:
            self.panel.retranslate()
            self.update_figures()  # labels inside the figures (chooser entries) follow the language


def _indicators(page: FigurePage) -> QWidget:
    return IndicatorView(names=indicator_names(page.session.workflow), show_after=False)


def _indicators_after(page: FigurePage) -> QWidget:
    return IndicatorView(names=indicator_names(page.session.workflow), show_after=True)


class BalancePage(FigurePage):
    VIEWS = ((N_("Balance diagram"), lambda page: BalanceView()),)


class EconomicsPage(FigurePage):
    VIEWS = ((N_("Economic indicators of the options"), lambda page: EconomicsView()),)


class TargetsPage(FigurePage):
    VIEWS = ((N_("Targets"), lambda page: TargetsView(planned_only=True)),)


class IndicatorsPage(FigurePage):
    VIEWS = ((N_("Indicator system result and gaps"), _indicators),)


class ImpactPage(FigurePage):
    VIEWS = ((N_("Targets against achieved values"), lambda page: TargetsView()),
             (N_("Indicator system result and gaps"), _indicators_after))


CUSTOM_PAGES.update({"balance": BalancePage, "economics": EconomicsPage, "targets": TargetsPage,
                     "indicators": IndicatorsPage, "impact": ImpactPage})
