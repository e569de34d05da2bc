# SPDX-License-Identifier: Apache-2.0
"""The first pages of the signing ceremony: pre-flight and the page-by-page review (issue 6, §3.8).

Pre-flight lists every error and every warning without a justification; a
click on one closes the ceremony and shows the field. The review page builds
the report exactly as it will be signed (same journal, the data hash in the
footer) and only lets the signer go on once every page has been shown.
"""

from __future__ import annotations

import datetime as dt

from pathlib import Path
from typing import Any, Callable

import qtawesome
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QVBoxLayout,
    QWizardPage,
)

from cpaudit.bundle.certs import validity_warning
from cpaudit.bundle.format import format_fingerprint
from cpaudit.gui.dialogs.report_dialog import REPORT_LANGUAGES, STAGES
from cpaudit.formatting import signer_text
from cpaudit.gui.dialogs.signing_steps import mono, value_label
from cpaudit.gui.pdf_preview import PdfPreview
from cpaudit.gui.progress import Cancelled
from cpaudit.gui.step_state import COLOURS, severity_colour, severity_icon
from cpaudit.gui.tasks import run_task
from cpaudit.i18n import _, current_language, ngettext
from cpaudit.workflow.validate import COMPLETE

ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1


def preflight_state(db_path: Path, audit_id: str, stage: str | None = None
                    ) -> tuple[list[Any], list[tuple[Any, str]], dict[str, str], Any]:
    """(blocking issues, justified warnings with their text, step titles, the enterprise's USCC) of
    the stored audit, in the steps ``stage`` covers: a 评估 submission does not wait for phases 6–7."""
    from cpaudit.bundle.export import preflight
    from cpaudit.workflow.validate import validate
    from cpaudit.workspace import Workspace, workflow_for

    with Workspace(db_path) as ws:
        meta = ws.meta(audit_id)
        doc, wf = ws.document(audit_id), workflow_for(meta)
    blocking = preflight(doc, wf, stage)
    blocked = {i.key for i in blocking}
    justified = [(i, doc.justifications.get(i.key, "")) for i in validate(doc, wf, stage)
                 if i.severity == "warning" and i.key not in blocked]
    return blocking, justified, {s.id: s.title for s in wf.steps()}, doc.get("enterprise", "uscc")


def review_report(db_path: Path, audit_id: str, stage: str, lang: str, demo: bool,
                  progress: Callable[..., None]) -> tuple[bytes, str]:
    """Worker: the report exactly as it goes into the file (data hash in the footer, DEMO watermark
    for a sandbox audit, as ``export_submission`` renders it), and that data hash."""
    from cpaudit.bundle.demo_key import WATERMARK
    from cpaudit.bundle.export import data_digest
    from cpaudit.gui.dialogs.report_dialog import build_audit_report
    from cpaudit.workspace import Workspace

    with Workspace(db_path) as ws:
        digest = data_digest(ws.document(audit_id))
    pdf = build_audit_report(db_path, audit_id, stage, lang, manifest_hash=digest, watermark=WATERMARK if demo else None,
                             progress=progress)
    return pdf, digest


class PreflightPage(QWizardPage):
    def __init__(self, wizard: Any):
        super().__init__(wizard)
        self.setObjectName("preflight_page")
        self.ceremony = wizard
        self.blocking: list[Any] = []
        self.uscc: str | None = None  # the audit's enterprise, which the signing key must belong to
        self.stage_box, self.lang_box = QComboBox(self), QComboBox(self)
        self.stage_box.setObjectName("sign_stage")
        self.lang_box.setObjectName("sign_language")
        for code, _label in STAGES:
            self.stage_box.addItem("", code)
        for code, label in REPORT_LANGUAGES:
            self.lang_box.addItem(label, code)
        self.lang_box.setCurrentIndex(max(self.lang_box.findData(current_language()), 0))
        self.options = QFormLayout()
        self.stage_label, self.lang_label = QLabel(self), QLabel(self)
        self.options.addRow(self.stage_label, self.stage_box)
        self.options.addRow(self.lang_label, self.lang_box)
        self.key_label = QLabel(self)
        self.key_label.setObjectName("preflight_key")
        self.key_label.setWordWrap(True)
        self.key_button = QPushButton(qtawesome.icon("fa6s.key"), "", self)
        self.key_button.setObjectName("preflight_create_key")
        self.key_fingerprint = value_label(self, "preflight_fingerprint")
        self.key_fingerprint.setFont(mono(1))
        key_text = QVBoxLayout()
        key_text.addWidget(self.key_label)
        key_text.addWidget(self.key_fingerprint)
        key_row = QHBoxLayout()
        key_row.addLayout(key_text, 1)
        key_row.addWidget(self.key_button)
        self.summary = QLabel(self)
        self.summary.setObjectName("preflight_summary")
        self.summary.setWordWrap(True)
        self.issue_list = QListWidget(self)
        self.issue_list.setObjectName("preflight_issues")
        self.issue_list.setWordWrap(True)
        self.justified_label = QLabel(self)
        self.justified_list = QListWidget(self)
        self.justified_list.setObjectName("preflight_justified")
        self.justified_list.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.options)
        layout.addLayout(key_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.issue_list, 2)
        layout.addWidget(self.justified_label)
        layout.addWidget(self.justified_list, 1)
        # connect signals
        self.issue_list.itemActivated.connect(self._go_to)
        self.issue_list.itemClicked.connect(self._go_to)
        self.key_button.clicked.connect(self._manage_key)
        self.stage_box.currentIndexChanged.connect(lambda _i: self.check())  # each stage covers other phases

    def initializePage(self) -> None:
        self.retranslate()
        self.check()

    def check(self) -> None:
        self.blocking, justified, titles, self.uscc = preflight_state(
            self.ceremony.db_path, self.ceremony.audit_id, self.stage())
        self.issue_list.clear()
        for issue in self.blocking:
            item = QListWidgetItem(severity_icon(issue.severity), f"{_(titles.get(issue.step, issue.step))} — {issue.message}")
            item.setData(ISSUE_ROLE, (issue.step, issue.field, issue.row))
            item.setForeground(QBrush(QColor(severity_colour(issue.severity))))
            item.setToolTip(_("Click to go to this field; the ceremony closes."))
            self.issue_list.addItem(item)
        self.issue_list.setVisible(bool(self.blocking))
        self.justified_list.clear()
        for issue, text in justified:
            said = _("Justification:")
            item = QListWidgetItem(severity_icon("warning"), f"{issue.message}\n    {said} {text}")
            item.setData(ISSUE_ROLE, (issue.step, issue.field, issue.row))
            self.justified_list.addItem(item)
        self.justified_list.setVisible(bool(justified))
        self.justified_label.setVisible(bool(justified))
        errors = sum(1 for i in self.blocking if i.severity == "error")
        open_warnings = len(self.blocking) - errors
        if self.blocking:
            self.summary.setText(_("Signing is blocked: {errors} and {warnings} without a justification. "
                                   "Click one to go to it.").format(
                errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
                warnings=ngettext("{n} warning", "{n} warnings", open_warnings).format(n=open_warnings)))
            self.summary.setStyleSheet(f"color: {severity_colour('error')};")
        else:
            self.summary.setText(_("No errors, and every warning is justified ({n}).").format(n=len(justified)))
            self.summary.setStyleSheet(f"color: {COLOURS[COMPLETE]};")
        self._show_key()
        self.completeChanged.emit()

    def _show_key(self) -> None:
        from cpaudit.bundle import keys

        self.has_key = keys.has_key(self.ceremony.key_folder)
        self.key_fingerprint.hide()
        if self.ceremony.demo:  # export_submission signs sandbox audits with the public demo key
            self.has_key = True
            self.key_label.setText(_("Training audit: it is signed with the public DEMO key, which no bureau trusts. "
                                     "No passphrase is needed."))
        elif self.has_key:
            info = keys.load_info(self.ceremony.key_folder)
            text = _("Signing key {key_id} of {signer}; its fingerprint:").format(
                key_id=info.key_id, signer=signer_text(info.signer))
            self.key_fingerprint.setText(format_fingerprint(info.fingerprint))
            self.key_fingerprint.show()
            warning = validity_warning(info.bureau_cert, dt.datetime.now(dt.timezone.utc))
            if info.enterprise.get("uscc") != self.uscc:
                # Said here, not after reading the whole report: export refuses it at the last step.
                self.has_key = False
                if not self.uscc:  # "…but the audit is for None"
                    warning = _("The audit has no unified social credit code yet: fill it in on the Enterprise page.")
                else:
                    warning = _("This key belongs to {name} ({key_uscc}), but the audit is for {uscc}. Sign on the "
                                "computer that holds this enterprise's key, or create one for it.").format(
                        name=info.enterprise.get("name"), key_uscc=info.enterprise.get("uscc"), uscc=self.uscc)
                self.key_label.setText(text + f"\n✖ {warning}")
                self.key_label.setStyleSheet(f"color: {severity_colour('error')};")
            else:
                self.key_label.setText(text + (f"\n⚠ {warning}" if warning else ""))
                self.key_label.setStyleSheet(f"color: {severity_colour('warning')};" if warning else "")
        else:
            self.key_label.setText(_("There is no signing key on this computer yet. Create one first."))
        self.key_button.setVisible(not self.has_key)
        self.key_button.setText(_("Signing key…") if keys.has_key(self.ceremony.key_folder) else _("Create signing key…"))

    def _manage_key(self) -> None:
        self.ceremony.manage_key()
        self._show_key()
        self.completeChanged.emit()

    def _go_to(self, item: QListWidgetItem) -> None:
        step, field, row = item.data(ISSUE_ROLE)
        self.ceremony.go_to_issue(step, field, row)

    def isComplete(self) -> bool:
        return not self.blocking and getattr(self, "has_key", False)

    def stage(self) -> str:
        return self.stage_box.currentData()

    def report_language(self) -> str:
        return self.lang_box.currentData()

    def retranslate(self) -> None:
        self.setTitle(_("1 · Pre-flight check"))
        self.setSubTitle(_("Only a complete audit can be signed: no errors, and a written justification for every warning."))
        self.stage_label.setText(_("Stage:"))
        self.lang_label.setText(_("Report language:"))
        for i, (_code, label) in enumerate(STAGES):
            self.stage_box.setItemText(i, _(label))
        self.key_button.setText(_("Create signing key…"))
        self.justified_label.setText(_("Justified warnings (they go into the file with their justification):"))


class ReviewPage(QWizardPage):
    def __init__(self, wizard: Any):
        super().__init__(wizard)
        self.setObjectName("review_page")
        self.ceremony = wizard
        self.pdf: bytes | None = None
        self.digest: str | None = None
        self.options: tuple[str, str] | None = None
        self.task: Any = None
        self._build = 0  # the report build whose result counts: an older one (stage changed) is dropped
        self.notice = QLabel(self)
        self.notice.setObjectName("review_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff3e0; border: 1px solid #e65100; padding: 6px; font-weight: 600;")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.seen_label = QLabel(self)
        self.seen_label.setObjectName("review_seen")
        self.preview = PdfPreview(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.progress)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.seen_label)
        self.preview.pages_seen_changed.connect(self._seen)

    def initializePage(self) -> None:
        self.retranslate()
        options = (self.ceremony.preflight.stage(), self.ceremony.preflight.report_language())
        if self.pdf is not None and options == self.options:
            return
        self.pdf, self.options = None, options
        self.preview.clear()
        self.progress.setValue(0)
        self.progress.show()
        relay = self.ceremony.relay
        if self.task is not None:  # Back, another stage, Next: the report being built is not the one wanted
            relay.cancel()
        relay.reset()
        progress = relay.callback()
        db_path, audit_id = self.ceremony.db_path, self.ceremony.audit_id
        stage, lang = options
        demo = self.ceremony.demo
        self._build += 1
        build = self._build
        self.task = run_task(self, lambda: review_report(db_path, audit_id, stage, lang, demo, progress))
        self.task.success(lambda result: self._built(result, build)).failure(lambda exc: self._failed(exc, build)).start()
        self._seen(0, 0)

    def on_progress(self, fraction: float, _text: str) -> None:
        self.progress.setValue(int(fraction * 1000))

    def _built(self, result: tuple[bytes, str], build: int) -> None:
        if build != self._build:  # an earlier stage's report: signing it would sign the wrong document
            return
        self.task = None
        self.pdf, self.digest = result
        self.progress.hide()
        self.preview.load_bytes(self.pdf)
        self._seen(len(self.preview.seen), self.preview.page_count())
        self.ceremony.review_ready.emit()

    def _failed(self, exc: BaseException, build: int) -> None:
        if build != self._build:
            return
        self.task = None
        self.progress.hide()
        if not isinstance(exc, Cancelled):
            self.seen_label.setText(_("The report could not be written: {error}").format(error=exc))
        self.ceremony.task_finished()

    def _seen(self, seen: int, total: int) -> None:
        if total:
            self.seen_label.setText(_("Pages shown: {seen} of {total}. Go through every page to continue.").format(seen=seen, total=total)
                                    if seen < total else _("All {total} pages shown.").format(total=total))
        else:
            self.seen_label.setText(_("Writing the report for review…"))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.pdf is not None and self.preview.all_seen()

    def retranslate(self) -> None:
        self.setTitle(_("2 · Review the report"))
        self.setSubTitle(_("This is the copy of record that will be signed. Read it page by page."))
        self.notice.setText(_("You are about to sign this document."))
        self.preview.retranslate()
