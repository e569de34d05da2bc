# SPDX-License-Identifier: Apache-2.0
"""The enterprise side of the bureau's answer: File ▸ Import bureau answer…, and a dock with the result (GUI layer).

``install_answer_actions(window)`` is the main window's one hook. The answer
file is verified against the user's trust folder (the bureau's key must be
there, ``cli_submission.default_trust``) and tied to a file this workspace
submitted (``review.answer.import_answer``). The dock shows "received by the
bureau on …", the decision and the score, and the comments: a click goes to
the step and field a comment concerns; the comments on the current step are
listed first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import qtawesome
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from cpaudit.gui.inspector.anchors import anchor_text
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import _
from cpaudit.review.answer import AnswerError, ReceivedAnswer, UntrustedBureau, answers_for, import_answer
from cpaudit.workflow.validate import COMPLETE, ERRORS, WARNINGS

ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


class AnswerDock(QDockWidget):
    def __init__(self, window: Any):
        super().__init__(window)
        self.setObjectName("answer_dock")
        self.window_ = window
        self.answers: list[ReceivedAnswer] = []
        body = QWidget(self)
        self.receipt = QLabel(body)
        self.receipt.setObjectName("answer_receipt")
        self.receipt.setWordWrap(True)
        self.receipt.setStyleSheet("font-weight: 600;")
        self.score = QLabel(body)
        self.score.setObjectName("answer_score")
        self.score.setWordWrap(True)
        self.list = QTreeWidget(body)
        self.list.setObjectName("answer_comments")
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setColumnCount(2)
        self.list.setColumnWidth(0, 170)
        layout = QVBoxLayout(body)
        layout.addWidget(self.receipt)
        layout.addWidget(self.score)
        layout.addWidget(self.list, 1)
        self.setWidget(body)
        self.list.itemClicked.connect(self._jump)
        self.list.itemActivated.connect(self._jump)

    def refresh(self) -> None:
        session = self.window_.session
        self.answers = answers_for(self.window_.workspace, session.audit_id) if session is not None else []
        self.setVisible(bool(self.answers))
        if not self.answers:
            return
        latest = self.answers[0]
        self.receipt.setText(latest.receipt_line())
        colour = {"pass": COLOURS[COMPLETE], "fail": COLOURS[ERRORS], "returned": COLOURS[WARNINGS]}.get(latest.decision, "")
        self.receipt.setStyleSheet(f"font-weight: 600; color: {colour};" if colour else "font-weight: 600;")
        scores = latest.body.get("scores") or {}
        parts = [_("revision {n}").format(n=latest.revision)]
        if scores:  # canonical strings in the file ("110.0"): shown as the inspector saw them ("110")
            parts.append(_("score {total} (pass mark {mark})").format(total=_points(scores.get("total")),
                                                                       mark=_points(scores.get("pass_mark"))))
        self.score.setText(" · ".join(parts))
        self._fill(latest)
        self.mark_page()

    def mark_page(self) -> None:
        """On the step page shown, fields the bureau commented on get a tint and the comments as tooltip."""
        page = self.window_.current_page()
        answer = self.answers[0] if self.answers else None
        for field_id, row in getattr(page, "rows", {}).items():
            comments = answer.comments_for(page.step.id, field_id) if answer else []
            if comments:
                row.label.setStyleSheet(f"background: #fff3e0; border-left: 4px solid {COLOURS[WARNINGS]}; padding-left: 4px;")
                row.label.setToolTip(_("Bureau's comment:") + "\n" + "\n".join(c.text for c in comments))
                row.label.setProperty("bureau_comment", True)
            elif row.label.property("bureau_comment"):
                row.label.setStyleSheet("")
                row.label.setProperty("bureau_comment", False)
                row.retranslate()

    def _fill(self, answer: ReceivedAnswer) -> None:
        self.list.clear()
        session = self.window_.session
        wf, doc = session.workflow, session.document
        here = self.window_.current_step()
        ordered = sorted(answer.comments, key=lambda c: c.anchor.step != here)
        for c in ordered:
            item = QTreeWidgetItem([anchor_text(wf, doc, c.anchor), c.text])
            item.setData(0, ANCHOR_ROLE, c.anchor)
            item.setToolTip(1, c.text)
            if c.anchor.step == here:
                item.setForeground(1, QColor(COLOURS[WARNINGS]))
            self.list.addTopLevelItem(item)
        if not answer.comments:
            self.list.addTopLevelItem(QTreeWidgetItem(["", _("The bureau made no comments.")]))

    def comments_on(self, step: str, field: str | None = None) -> list[str]:
        return [c.text for c in self.answers[0].comments_for(step, field)] if self.answers else []

    def _jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        anchor = item.data(0, ANCHOR_ROLE)
        if anchor is not None and anchor.step:
            self.window_.go_to_step(anchor.step, anchor.field or None, anchor.row or None)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Bureau's answer"))
        self.list.setHeaderLabels([_("Where"), _("Comment")])
        if self.window_.session is not None:
            self.refresh()


class AnswerActions:
    def __init__(self, window: Any):
        self.window = window
        self.action = QAction(qtawesome.icon("fa6s.envelope-open-text"), "", window)
        self.action.setObjectName("action_import_answer")
        window.ui.menu_file.insertAction(window.ui.action_quit, self.action)
        window.ui.menu_file.insertSeparator(window.ui.action_quit)
        self.dock = AnswerDock(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        # connect signals
        self.action.triggered.connect(self.choose)
        # deferred: a click in the dock's list moves to another page, which refreshes that list
        window.ui.page_stack.currentChanged.connect(lambda _i: QTimer.singleShot(0, self.refresh))
        window.ui.menu_file.aboutToShow.connect(self._update_state)
        window.audit_opened.connect(self._update_state)  # its shortcut works without the menu opened first
        for lang_action in (window.ui.action_lang_zh_cn, window.ui.action_lang_en):
            lang_action.triggered.connect(self.retranslate)
        self.retranslate()

    def _update_state(self) -> None:
        self.action.setEnabled(self.window.session is not None)

    def refresh(self) -> None:
        if self.window.workspace.closed:  # a refresh queued while the window was closing
            return
        if self.window.session is not None:
            self.dock.refresh()
        else:
            self.dock.hide()

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self.window, _("Import the bureau's answer"), "",
                                                   _("Answer files (*.json);;All files (*)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, trust: Any = None) -> ReceivedAnswer | None:
        from cpaudit.cli_submission import default_trust

        try:
            received = import_answer(self.window.workspace, path, trust if trust is not None else default_trust())
        except UntrustedBureau as exc:
            reason = _("The answer is signed by {name} (key {key_id}), which this computer does not trust as a bureau yet.").format(
                name=getattr(exc, "bureau_name", ""), key_id=getattr(exc, "key_id", ""))  # the command-line advice is not for here
            if trust is None and self.offer_trust_file(reason):
                return self.import_file(path)  # the installed file is in the trust folder now
            return None
        except AnswerError as exc:
            QMessageBox.warning(self.window, _("Import the bureau's answer"), exc.message)
            return None
        if self.window.session is None or self.window.session.audit_id != received.audit_id:
            self.window.open_audit(received.audit_id)
        self.dock.refresh()
        self.dock.show()
        self.dock.raise_()
        self.window.statusBar().showMessage(received.receipt_line(), 10000)
        return received

    def offer_trust_file(self, reason: str) -> bool:
        """The bureau is not trusted yet: offer to install the trust file it handed out. True when installed."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Import the bureau's answer"), reason, QMessageBox.StandardButton.Cancel,
                          self.window)
        box.setInformativeText(_("If the bureau gave you its trust file, install it now and the answer is imported."))
        install = box.addButton(_("Install the bureau's trust file…"), QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        if box.clickedButton() is not install:
            return False
        path, _filter = QFileDialog.getOpenFileName(self.window, _("Install the bureau's trust file"), "",
                                                   _("Trust files (*.json);;All files (*)"))
        return bool(path) and self.install_trust_file(Path(path))

    def install_trust_file(self, path: Path) -> bool:
        from cpaudit.bundle.trust import TrustError, install_trust, trusted_bureaus

        try:
            _target, trust = install_trust(path)
        except (TrustError, OSError) as exc:
            QMessageBox.warning(self.window, _("Install the bureau's trust file"), getattr(exc, "message", None) or str(exc))
            return False
        self.window.statusBar().showMessage(_("Trust file installed: {names}").format(names=trusted_bureaus(trust)), 10000)
        return True

    def retranslate(self) -> None:
        self.action.setText(_("Import &bureau answer…"))
        self.action.setToolTip(_("Import the review result the bureau sent back"))
        self.dock.retranslate()
        self._update_state()


def install_answer_actions(window: QMainWindow) -> AnswerActions:
    """Add File ▸ Import bureau answer… and the answer dock to the enterprise window."""
    actions = AnswerActions(window)
    window.answer_actions = actions  # type: ignore[attr-defined]
    return actions


def _points(value: Any) -> str:
    from decimal import Decimal, InvalidOperation

    from cpaudit.gui.inspector.scoring_panel import points_text

    try:
        return points_text(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value or "—")
