# SPDX-License-Identifier: Apache-2.0
"""Progress and cancel for background tasks (GUI layer; pairs with ``tasks.run_task``).

The worker gets ``relay.callback()``, a plain function ``(fraction, text)``
the core's ``progress=`` arguments accept. Each call posts the progress to
the GUI thread and raises ``Cancelled`` once the user has asked to stop, so a
long report stops at its next progress step without any widget touching the
worker.
"""

from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, Signal


class Cancelled(Exception):
    """The user stopped the task."""


class ProgressRelay(QObject):
    changed = Signal(float, str)  # emitted from the worker; connect with a queued connection

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def reset(self) -> None:
        """For the next task: a new stop flag, so cancelling a task still running (one being replaced)
        does not stop the next one, and resetting does not revive a cancelled one."""
        self._stop = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def callback(self, start: float = 0.0, end: float = 1.0, text: str = "",
                 cancellable_until: float = 1.0) -> Callable[..., None]:
        """``progress(fraction[, text])`` mapped into [start, end] of the bar.

        Cancelling takes effect only while the mapped fraction is below
        ``cancellable_until`` (after that the task is committing its result).
        """
        stop, emit = self._stop, self.changed.emit

        def progress(fraction: float, label: str | None = None) -> None:
            value = start + (end - start) * max(0.0, min(float(fraction), 1.0))
            if stop.is_set() and value < cancellable_until:
                raise Cancelled()
            emit(value, label if label is not None else text)

        return progress
