"""The visit clock: elapsed and remaining time of a jail visit, from an injectable clock.

Qt-free: the visit page shows :meth:`VisitClock.text` in its header once a second and warns once
when :meth:`VisitClock.warning` turns true.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from desktop.i18n import _

WARN_MINUTES = 10


class VisitClock:
    """Elapsed and remaining time of a visit, from an injectable clock."""

    def __init__(self, started: datetime, minutes_allowed: int | None, now: Callable[[], datetime]) -> None:
        self.started = started
        self.minutes_allowed = minutes_allowed
        self.now = now

    def elapsed_minutes(self) -> int:
        return max(0, int((self.now() - self.started).total_seconds() // 60))

    def remaining_minutes(self) -> int | None:
        if not self.minutes_allowed:
            return None
        seconds = self.minutes_allowed * 60 - (self.now() - self.started).total_seconds()
        return int(seconds // 60) if seconds >= 0 else -int((-seconds) // 60) - 1

    def warning(self) -> bool:
        remaining = self.remaining_minutes()
        return remaining is not None and remaining < WARN_MINUTES

    def text(self) -> str:
        def hm(minutes: int) -> str:
            return f"{minutes // 60}:{minutes % 60:02d}"

        elapsed = _("{time} elapsed").format(time=hm(self.elapsed_minutes()))
        remaining = self.remaining_minutes()
        if remaining is None:
            return elapsed
        if remaining < 0:
            return elapsed + " · " + _("{time} over time").format(time=hm(-remaining))
        return elapsed + " · " + _("{time} left").format(time=hm(remaining))
