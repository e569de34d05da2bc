# SPDX-License-Identifier: Apache-2.0
"""One field on a schema page: label (with a red * when required), editor,
help text and the inline message area under the editor (GUI layer)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cpaudit.gui.step_state import COLOURS, severity_colour
from cpaudit.i18n import _
from cpaudit.workflow.schema import FieldSpec

REQUIRED_MARK = f'<span style="color:{COLOURS["errors"]}"> *</span>'
JUSTIFY_SCHEME = "justify:"  # message links "justify:<issue key>" open the justification box
_MARKS = {"error": "✖", "warning": "▲"}


@dataclass(frozen=True)
class Message:
    severity: str  # error | warning | info
    text: str  # translated
    justify_key: str | None = None  # a warning that takes a written justification
    justification: str | None = None  # the one already given


def messages_html(messages: list[Message]) -> str:
    lines = []
    for m in messages:
        colour = severity_colour(m.severity)
        line = f'<span style="color:{colour}">{_MARKS.get(m.severity, "●")} {html.escape(m.text)}</span>'
        if m.justify_key:
            link = _("Edit the justification") if m.justification else _("Justify…")
            line += f' <a href="{JUSTIFY_SCHEME}{html.escape(m.justify_key)}">{html.escape(link)}</a>'
            if m.justification:
                said = html.escape(_("Justification:"))
                line += f'<br><span style="color:#5f6368">{said} {html.escape(m.justification)}</span>'
        lines.append(line)
    return "<br>".join(lines)


class FieldRow:
    """Not a widget: the page lays the label and the editor column out on its grid."""

    def __init__(self, spec: FieldSpec, editor: QWidget, parent: QWidget):
        self.spec, self.editor = spec, editor
        self.label = QLabel(parent)
        self.label.setObjectName(f"label_{spec.id}")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setBuddy(editor)
        self.column = QWidget(parent)
        layout = QVBoxLayout(self.column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        self.help = QLabel(self.column)
        self.help.setObjectName(f"help_{spec.id}")
        self.help.setWordWrap(True)
        self.help.setProperty("role", "help")
        layout.addWidget(self.help)
        self.message = QLabel(self.column)
        self.message.setObjectName(f"message_{spec.id}")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        layout.addWidget(self.message)
        self.message.hide()
        self.retranslate()

    def retranslate(self) -> None:
        spec = self.spec
        label = html.escape(_(spec.label))
        required = spec.required and not spec.computed
        self.label.setText(label + (REQUIRED_MARK if required else ""))
        tip = _("Required") if required else ""
        if spec.computed:
            tip = _("Computed automatically")
        self.label.setToolTip(tip)
        self.help.setText(_(spec.help) if spec.help else "")
        self.help.setVisible(bool(spec.help))

    def show_messages(self, messages: list[Message]) -> None:
        """An empty list hides the area."""
        if not messages:
            self.message.clear()
            self.message.hide()
            return
        self.message.setText(messages_html(messages))
        self.message.show()

    def message_text(self) -> str:
        return self.message.text()

    def set_visible(self, visible: bool) -> None:
        self.label.setVisible(visible)
        self.column.setVisible(visible)
