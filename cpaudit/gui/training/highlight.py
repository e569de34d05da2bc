# SPDX-License-Identifier: Apache-2.0
"""A flashing frame over a widget: the tour's "show me" (GUI layer).

An overlay on top of the target, never a style change on the target itself,
so nothing of the page's own look (invalid frames, read-only grey) is lost.
It follows the target on each blink (no event filter: a Python filter on a
page that is being destroyed at exit crashes PySide during finalisation).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QFrame, QWidget

COLOUR = "#ff6d00"
FLASHES = 4
PERIOD_MS = 350


class Highlight(QFrame):
    """Frames ``target`` and blinks ``FLASHES`` times, then removes itself."""

    def __init__(self, target: QWidget):
        top = target.window()
        super().__init__(top)
        self.setObjectName("tour_highlight")
        self.setStyleSheet(f"QFrame#tour_highlight {{ border: 4px solid {COLOUR}; border-radius: 6px; background: transparent; }}")
        self.target = target
        self.setAttribute(self.attribute_transparent())
        self._left = FLASHES * 2
        self._timer = QTimer(self, interval=PERIOD_MS)
        self._timer.timeout.connect(self._blink)
        self._place()
        self.show()
        self.raise_()
        self._timer.start()

    @staticmethod
    def attribute_transparent():
        from PySide6.QtCore import Qt

        return Qt.WidgetAttribute.WA_TransparentForMouseEvents

    def _place(self) -> None:
        origin = self.target.mapTo(self.parentWidget(), self.target.rect().topLeft())
        self.setGeometry(QRect(origin, self.target.size()).adjusted(-6, -6, 6, 6))

    def _blink(self) -> None:
        self._left -= 1
        self._place()  # the page may have scrolled or laid itself out since
        if self._left <= 0:
            self.stop()
            return
        self.setVisible(not self.isVisible())

    def stop(self) -> None:
        self._timer.stop()
        self.hide()
        self.deleteLater()
