# SPDX-License-Identifier: Apache-2.0
"""Window and dialog sizes that fit the screen they open on (GUI layer).

Plant PCs often have 1366×768 screens with a 40-px taskbar: a dialog sized for a
1080-px monitor put its buttons below the edge, where a user could not reach them.
Every window asks for its preferred size through ``fit_to_screen``, which caps it
to the screen's available area and centres it (over its parent window if it has one).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

MARGIN = 16  # px of desktop left visible on every side
FRAME = QSize(16, 40)  # title bar and borders, before the window manager has drawn them
MAXIMISE_BELOW = 850  # px of available height: the main window opens maximised on smaller screens


def available_geometry(widget: QWidget) -> QRect:
    """The desktop area (without taskbars) of the screen ``widget`` is, or will be, shown on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _frame(widget: QWidget) -> QSize:
    """The size the window's frame adds; estimated until the window has been shown."""
    if widget.isVisible():
        frame, inner = widget.frameGeometry(), widget.geometry()
        if frame.size() != inner.size():
            return frame.size() - inner.size()
    return FRAME


def fitted_size(widget: QWidget, width: int, height: int) -> QSize:
    """``width`` × ``height``, made smaller where the frame would not fit inside the available area."""
    area, frame = available_geometry(widget), _frame(widget)
    return QSize(
        max(1, min(width, area.width() - 2 * MARGIN - frame.width())),
        max(1, min(height, area.height() - 2 * MARGIN - frame.height())),
    )


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize the window ``widget`` to at most ``width`` × ``height`` and centre it on its parent or screen."""
    widget.resize(fitted_size(widget, width, height))
    area, frame = available_geometry(widget), _frame(widget)
    outer = QSize(widget.width() + frame.width(), widget.height() + frame.height())
    parent = widget.parentWidget()
    over = parent.window().frameGeometry() if parent is not None and parent.window().isVisible() else area
    top_left = over.center() - QPoint(outer.width() // 2, outer.height() // 2)
    # Keep the whole frame on the screen, even when the parent window is partly off it.
    x = max(area.left(), min(top_left.x(), area.right() + 1 - outer.width()))
    y = max(area.top(), min(top_left.y(), area.bottom() + 1 - outer.height()))
    widget.move(x, y)


def opens_maximised(widget: QWidget) -> bool:
    """The main window's first start on a low screen: maximised uses every pixel of it."""
    return available_geometry(widget).height() < MAXIMISE_BELOW
