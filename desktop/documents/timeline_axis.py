"""The time axis of the exhibit's drawings: which periods are drawn, where a day falls, the ticks.

No reportlab here: this is arithmetic on dates, shared by the overview and the detail strips of
:mod:`desktop.documents.timeline_chart` and checked on its own by the tests.

A drawing covers one or more *segments* of time, all at the same scale (points per day). Between
two segments the axis is broken: the empty years between them are left out and the axis carries
the standard break mark (two short slanted strokes). Days inside a left-out gap (the middle of a
bar that crosses it) fall inside the break's few points, in order, so a bar stays continuous.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["BREAK_WIDTH", "Scale", "Segment", "Tick", "detail_segments", "overview_segments", "ticks"]

#: Width of a break in the axis, in points.
BREAK_WIDTH = 12.0
#: The overview leaves out an empty gap of at least this many years…
_MIN_GAP_YEARS = 3
#: …that is also at least this share of everything it would otherwise draw.
_GAP_SHARE = 0.2
#: A detail strip leaves out an empty gap of at least this many days and share of its period.
_DETAIL_GAP_DAYS = 7
_DETAIL_GAP_SHARE = 0.25
_ONE_DAY = dt.timedelta(days=1)

Span = tuple[dt.date, dt.date]  # the first and the last day of something to draw


@dataclass(frozen=True)
class Segment:
    """A drawn period, from ``start`` (its first day) to ``end`` (the day after its last), at x0..x1."""

    start: dt.date
    end: dt.date
    x0: float
    x1: float


class Scale:
    """Where days fall on an axis made of ``periods`` (first day, day after the last), left to right."""

    def __init__(self, periods: Sequence[tuple[dt.date, dt.date]], left: float, right: float) -> None:
        days = sum((end - start).days for start, end in periods)
        self.per_day = (right - left - BREAK_WIDTH * (len(periods) - 1)) / days
        segments = []
        x = left
        for start, end in periods:
            width = (end - start).days * self.per_day
            segments.append(Segment(start, end, x, x + width))
            x += width + BREAK_WIDTH
        self.segments: tuple[Segment, ...] = tuple(segments)
        self.left, self.right = left, right
        self._starts = [s.start for s in segments]

    @property
    def start(self) -> dt.date:
        return self.segments[0].start

    @property
    def end(self) -> dt.date:
        return self.segments[-1].end

    @property
    def breaks(self) -> list[float]:
        """The x of the middle of each break."""
        return [a.x1 + BREAK_WIDTH / 2 for a in self.segments[:-1]]

    def x(self, day: dt.date) -> float:
        """Where ``day`` starts; clamped to the ends of the axis."""
        i = bisect.bisect_right(self._starts, day) - 1
        if i < 0:
            return self.left
        seg = self.segments[i]
        if day < seg.end:
            return seg.x0 + (day - seg.start).days * self.per_day
        if i + 1 == len(self.segments):
            return self.right
        following = self.segments[i + 1]
        share = (day - seg.end).days / max(1, (following.start - seg.end).days)
        return seg.x1 + share * BREAK_WIDTH

    def segment_of(self, day: dt.date) -> Segment:
        """The segment ``day`` falls in (or the last one before it)."""
        return self.segments[max(0, bisect.bisect_right(self._starts, day) - 1)]

    def x_after(self, day: dt.date) -> float:
        """Where ``day`` ends."""
        return self.x(day + _ONE_DAY) if day < dt.date.max else self.right

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def _merge(spans: Iterable[Span], gap: dt.timedelta) -> list[Span]:
    """The spans joined wherever less than ``gap`` separates them."""
    merged: list[list[dt.date]] = []
    for first, last in sorted(spans):
        if merged and first - merged[-1][1] <= gap:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(a, b) for a, b in merged]


def overview_segments(spans: Iterable[Span]) -> list[tuple[dt.date, dt.date]]:
    """The periods of the overview: whole years, leaving out long empty stretches.

    A stretch of whole years that no event touches is left out when it is at least
    :data:`_MIN_GAP_YEARS` years long and at least :data:`_GAP_SHARE` of the years drawn otherwise.
    """
    years = _merge(((dt.date(a.year, 1, 1), dt.date(b.year, 12, 31)) for a, b in spans), gap=_ONE_DAY)
    if not years:
        raise ValueError("nothing to draw")
    total = years[-1][1].year - years[0][0].year + 1
    gaps = [(years[i + 1][0].year - years[i][1].year - 1) for i in range(len(years) - 1)]
    drawn = total - sum(g for g in gaps if g >= _MIN_GAP_YEARS)
    periods: list[list[dt.date]] = [[years[0][0], years[0][1]]]
    for (first, last), gap in zip(years[1:], gaps, strict=True):
        if gap >= _MIN_GAP_YEARS and gap >= _GAP_SHARE * drawn:
            periods.append([first, last])
        else:
            periods[-1][1] = last
    return [(a, dt.date(b.year + 1, 1, 1)) for a, b in periods]


def detail_segments(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """The periods of a detail strip around ``days`` (its markers): a little room on each side,
    long empty stretches left out."""
    ordered = sorted(days)
    if not ordered:
        raise ValueError("nothing to draw")
    whole = (ordered[-1] - ordered[0]).days + 1
    gap = dt.timedelta(days=max(_DETAIL_GAP_DAYS, int(_DETAIL_GAP_SHARE * whole)))
    blocks = _merge(((d, d) for d in ordered), gap)
    periods = []
    for first, last in blocks:
        pad = dt.timedelta(days=max(1, ((last - first).days + 1) // 12))
        periods.append((first - pad, last + pad + _ONE_DAY))
    return periods


Level = Literal["day", "week", "month", "quarter", "year"]


@dataclass(frozen=True)
class Tick:
    day: dt.date
    level: Level
    labelled: bool


_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
_LEVEL_DAYS: dict[str, float] = {"day": 1, "week": 7, "month": 30.44, "quarter": 91.3, "year": 365.25}


def ticks(scale: Scale, min_label_gap: float) -> list[Tick]:
    """Major (labelled) and minor ticks of every segment of ``scale``.

    The labelled unit is the finest of day, week, month, quarter, year (or a step of years)
    whose labels are at least ``min_label_gap`` points apart; minor ticks mark the next finer
    unit when it is at least 3 points wide.
    """
    per_day = scale.per_day
    order: list[tuple[Level, int]] = [("day", 1), ("week", 1), ("month", 1), ("quarter", 1)]
    order += [("year", step) for step in _YEAR_STEPS]
    major = next(
        ((level, step) for level, step in order if _LEVEL_DAYS[level] * step * per_day >= min_label_gap),
        order[-1],
    )
    index = order.index(major)
    minor = next(
        ((lvl, step) for lvl, step in reversed(order[:index]) if _LEVEL_DAYS[lvl] * step * per_day >= 3),
        None,
    )
    found: dict[dt.date, Tick] = {}
    for seg in scale.segments:
        if minor:
            for day in _days(seg, *minor):
                found[day] = Tick(day, minor[0], False)
        majors = [d for d in _days(seg, *major) if d < seg.end or seg is scale.segments[-1]]
        # every segment says where it is, even one narrower than the step (a lone birth year)
        for day in majors or [seg.start]:
            found[day] = Tick(day, major[0], True)
    out: list[Tick] = []
    last_x = -1e9
    for day in sorted(found):
        tick = found[day]
        x = scale.x(day)
        if tick.labelled and x - last_x < min_label_gap:  # too close to the label before (a break)
            tick = Tick(day, tick.level, False)
        if tick.labelled:
            last_x = x
        out.append(tick)
    return out


def _days(seg: Segment, level: Level, step: int) -> list[dt.date]:
    """The days of ``seg`` (end included) that start a ``level`` unit (``step`` years apart for years)."""
    out: list[dt.date] = []
    if level in ("day", "week"):
        day = seg.start
        if level == "week":
            day += dt.timedelta(days=(7 - day.weekday()) % 7)  # Mondays
        while day <= seg.end:
            out.append(day)
            day += dt.timedelta(days=1 if level == "day" else 7)
    elif level in ("month", "quarter"):
        year, month = seg.start.year, seg.start.month
        while (day := dt.date(year, month, 1)) <= seg.end:
            if day >= seg.start and (level == "month" or month % 3 == 1):
                out.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        out = [
            dt.date(y, 1, 1)
            for y in range(seg.start.year, seg.end.year + 1)
            if y % step == 0 and seg.start <= dt.date(y, 1, 1) <= seg.end
        ]
    return out
