"""Injectable time: the core asks a ``Clock``, tests pass a fixed one."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class FixedClock:
    """Deterministic clock for tests and samples; advances by ``step`` per call."""

    def __init__(self, start: dt.datetime, step: dt.timedelta = dt.timedelta(seconds=1)):
        self._t, self._step = start, step

    def now(self) -> dt.datetime:
        t = self._t
        self._t += self._step
        return t


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")
