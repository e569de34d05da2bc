# SPDX-License-Identifier: Apache-2.0
"""A word-wrapped label whose text is a row of phrases: it breaks lines between them (GUI layer).

Qt wraps at any space, so a narrow label read "35 of 35 steps complete · audit / profile: 3 of 3
pages". Here the phrases share a line, joined by " · ", only as far as they fit; a phrase wider
than the label still wraps within itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

SEPARATOR = " · "


def packed(phrases: list[str], metrics: QFontMetrics, width: int) -> str:
    """``phrases`` joined by SEPARATOR, with a line break instead wherever the next one would not fit."""
    lines: list[str] = []
    for phrase in phrases:
        if lines and metrics.horizontalAdvance(lines[-1] + SEPARATOR + phrase) <= width:
            lines[-1] += SEPARATOR + phrase
        else:
            lines.append(phrase)
    return "\n".join(lines)


class PhraseLines(QObject):
    """Keeps ``label``'s phrases packed for its current width and font (presentation mode, a dragged splitter)."""

    def __init__(self, label: QLabel):
        super().__init__(label)
        self.label = label
        self.phrases: list[str] = []
        label.installEventFilter(self)

    def set_phrases(self, phrases: list[str]) -> None:
        self.phrases = list(phrases)
        self._pack()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.label and event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self._pack()
        return False

    def _pack(self) -> None:
        text = packed(self.phrases, self.label.fontMetrics(), self.label.contentsRect().width())
        if text != self.label.text():  # the same text: no new layout, no resize loop
            self.label.setText(text)
