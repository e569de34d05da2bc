# SPDX-License-Identifier: Apache-2.0
"""One field on a schema page: label (with a red * when required), editor,
help text and the inline message area under the editor (GUI layer)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cpaudit.gui.step_state import COLOURS, severity_colour
from cpaudit.i18n import _
from cpaudit.workflow.schema import FieldSpec

REQUIRED_MARK = f'<span style="color:{COLOURS["errors"]}"> *</span>'


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
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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

    def show_messages(self, messages: list[tuple[str, str]]) -> None:
        """(severity, translated message) pairs; an empty list hides the area."""
        if not messages:
            self.message.clear()
            self.message.hide()
            return
        lines = [
            f'<span style="color:{severity_colour(severity)}">{"✖" if severity == "error" else "▲" if severity == "warning" else "●"} '
            f"{html.escape(text)}</span>"
            for severity, text in messages
        ]
        self.message.setText("<br>".join(lines))
        self.message.show()

    def message_text(self) -> str:
        return self.message.text()

    def set_visible(self, visible: bool) -> None:
        self.label.setVisible(visible)
        self.column.setVisible(visible)
