# SPDX-License-Identifier: Apache-2.0
"""Run slow work (reports, export, import, verification) off the GUI thread (GUI layer).

Anki ``QueryOp``-sized: ``run_task(parent, fn).success(cb).failure(cb).start()``.
The rule that keeps it safe: ``fn`` receives plain data and never touches a
widget; ``success``/``failure`` run back on the GUI thread with its result or
exception. A task keeps itself referenced until it has reported.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_running: set["Task"] = set()  # Qt holds only the runnable; this keeps the reporter alive


class _Reporter(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], reporter: _Reporter):
        super().__init__()
        self.fn, self.reporter = fn, reporter

    def run(self) -> None:  # worker thread
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - every failure is reported, none is lost
            self.reporter.failed.emit(exc)
        else:
            self.reporter.done.emit(result)


class Task:
    def __init__(self, parent: QObject | None, fn: Callable[[], Any]):
        self.fn = fn
        # Living in the GUI thread makes the queued signals call back on the GUI thread.
        self.reporter = _Reporter(parent)
        self._on_success: Callable[[Any], None] = lambda _result: None
        self._on_failure: Callable[[BaseException], None] | None = None
        # connect signals (before anyone else listens, so callbacks run first)
        self.reporter.done.connect(self._succeeded)
        self.reporter.failed.connect(self._failed)

    def success(self, callback: Callable[[Any], None]) -> "Task":
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> "Task":
        self._on_failure = callback
        return self

    def start(self, pool: QThreadPool | None = None) -> "Task":
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self.fn, self.reporter))
        return self

    def _succeeded(self, result: Any) -> None:
        _running.discard(self)
        self._on_success(result)

    def _failed(self, exc: BaseException) -> None:
        _running.discard(self)
        if self._on_failure is None:
            raise exc  # → the application's excepthook: a plain message, details to copy
        self._on_failure(exc)


def run_task(parent: QObject | None, fn: Callable[[], Any]) -> Task:
    return Task(parent, fn)
