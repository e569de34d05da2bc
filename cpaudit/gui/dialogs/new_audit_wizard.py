# SPDX-License-Identifier: Apache-2.0
"""The new-audit wizard: enterprise profile, then the audit's basis and sector (GUI layer).

Two short pages. The USCC is checked as it is typed with the same rules as the
form (``audit_list.check_answer``); the workflow version the audit will be
filled in with is shown. Everything can still be changed later in the forms.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget, QWizard, QWizardPage

from cpaudit.audit_list import check_answer
from cpaudit.gui.screen_fit import fit_to_screen
from cpaudit.gui.step_state import COLOURS
from cpaudit.i18n import _
from cpaudit.workflow.schema import Workflow


class NewAuditWizard(QWizard):
    def __init__(self, workflow: Workflow, parent: QWidget | None = None):
        super().__init__(parent)
        self.workflow = workflow
        self.setObjectName("new_audit_wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)  # the same on every Windows version
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        fit_to_screen(self, 620, 420)
        self.enterprise_page = _EnterprisePage(self)
        self.audit_page = _AuditPage(self)
        self.addPage(self.enterprise_page)
        self.addPage(self.audit_page)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language (F12 in a training workshop switches it while this is open)."""
        self.setWindowTitle(_("New audit"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Create the audit"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.enterprise_page.retranslate()
        self.audit_page.retranslate()

    def title(self) -> str:
        return self.audit_page.title_edit.text().strip()

    def answers(self) -> dict[tuple[str, str], Any]:
        e, a = self.enterprise_page, self.audit_page
        return {
            ("enterprise", "name"): e.name_edit.text().strip(),
            ("enterprise", "uscc"): e.uscc_edit.text().strip(),
            ("audit_info", "indicator_system"): a.system_box.currentData(),
            ("audit_info", "basis"): a.basis_box.currentData(),
        }


def _label(wf: Workflow, step: str, field: str) -> str:
    spec = wf.field(step, field)
    return _(spec.label) + (" *" if spec.required else "")


class _EnterprisePage(QWizardPage):
    def __init__(self, wizard: NewAuditWizard):
        super().__init__(wizard)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("wizard_name")
        self.uscc_edit = QLineEdit(self)
        self.uscc_edit.setObjectName("wizard_uscc")
        self.uscc_edit.setMaxLength(18)
        self.uscc_edit.setPlaceholderText("91370700MA3C4D5E6X")
        self.uscc_message = QLabel(self)
        self.uscc_message.setObjectName("wizard_uscc_message")
        self.uscc_message.setWordWrap(True)
        self.name_label, self.uscc_label = QLabel(self), QLabel(self)
        form = QFormLayout(self)
        form.setVerticalSpacing(10)
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.uscc_label, self.uscc_edit)
        form.addRow("", self.uscc_message)
        # connect signals
        self.name_edit.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.uscc_edit.textChanged.connect(self._check_uscc)

    def retranslate(self) -> None:
        wf = self.wizard().workflow  # type: ignore[attr-defined]
        self.setTitle(_("Which enterprise is audited?"))
        self.setSubTitle(_("As on the business licence. You can complete the profile later in step “Enterprise”."))
        self.name_label.setText(_label(wf, "enterprise", "name"))
        self.uscc_label.setText(_label(wf, "enterprise", "uscc"))
        self._check_uscc(self.uscc_edit.text())

    def _check_uscc(self, text: str) -> None:
        upper = text.upper()
        if upper != text:  # typed in lower case: shown as the licence prints it
            position = self.uscc_edit.cursorPosition()
            self.uscc_edit.setText(upper)
            self.uscc_edit.setCursorPosition(position)
            return
        message = check_answer(self.wizard().workflow, "enterprise", "uscc", text) if text.strip() else None  # type: ignore[attr-defined]
        if message:
            self.uscc_message.setText("✖ " + message)
            self.uscc_message.setStyleSheet(f"color: {COLOURS['errors']};")
        elif len(text.strip()) == 18:
            self.uscc_message.setText("✔ " + _("The code is valid."))
            self.uscc_message.setStyleSheet(f"color: {COLOURS['complete']};")
        else:
            self.uscc_message.setText(_("18 characters; may be left empty and completed later."))
            self.uscc_message.setStyleSheet("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        uscc = self.uscc_edit.text().strip()
        wf = self.wizard().workflow  # type: ignore[attr-defined]
        return bool(self.name_edit.text().strip()) and (not uscc or check_answer(wf, "enterprise", "uscc", uscc) is None)

    def initializePage(self) -> None:
        self._check_uscc(self.uscc_edit.text())


class _AuditPage(QWizardPage):
    def __init__(self, wizard: NewAuditWizard):
        super().__init__(wizard)
        wf = wizard.workflow
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("wizard_title")
        self.basis_box = self._choices(wf, "audit_info", "basis")
        self.basis_box.setObjectName("wizard_basis")
        self.system_box = self._choices(wf, "audit_info", "indicator_system")
        self.system_box.setObjectName("wizard_indicator_system")
        self.version = version = QLabel(self)
        version.setObjectName("wizard_workflow")
        version.setProperty("role", "help")
        self.labels = [QLabel(self) for _i in range(4)]
        form = QFormLayout(self)
        form.setVerticalSpacing(10)
        for label, field in zip(self.labels, (self.title_edit, self.basis_box, self.system_box, version)):
            form.addRow(label, field)
        self.title_edit.textChanged.connect(lambda _t: self.completeChanged.emit())

    def retranslate(self) -> None:
        wf = self.wizard().workflow  # type: ignore[attr-defined]
        self.setTitle(_("About this audit"))
        self.setSubTitle(_("The basis and the sector decide which rules and indicators apply."))
        self.version.setText(_("{workflow}, version {version}").format(workflow=_(wf.title), version=wf.version))
        for label, text in zip(self.labels, (_("Audit title") + " *", _label(wf, "audit_info", "basis"),
                                             _label(wf, "audit_info", "indicator_system"), _("Audit procedure"))):
            label.setText(text)
        for box, field in ((self.basis_box, "basis"), (self.system_box, "indicator_system")):
            labels = [_("— not set —")] + [_(c.label) for c in wf.enums[wf.field("audit_info", field).choices].choices]  # type: ignore[index]
            for index, text in enumerate(labels):
                box.setItemText(index, text)

    def _choices(self, wf: Workflow, step: str, field: str) -> QComboBox:
        box = QComboBox(self)
        box.addItem("", None)  # "— not set —", as in the step's own form: a blank box looks broken
        for choice in wf.enums[wf.field(step, field).choices].choices:  # type: ignore[index]
            box.addItem("", choice.value)  # texts: retranslate
        box.setMinimumContentsLength(24)
        return box

    def initializePage(self) -> None:
        # The suggestion follows the enterprise name (Back, rename, Next) until the user writes a title.
        name = self.wizard().enterprise_page.name_edit.text().strip()  # type: ignore[attr-defined]
        suggestion = _("{enterprise} cleaner production audit").format(enterprise=name)
        if self.title_edit.text() in ("", getattr(self, "_suggested", None)):
            self.title_edit.setText(suggestion)
        self._suggested = suggestion

    def isComplete(self) -> bool:
        return bool(self.title_edit.text().strip())
