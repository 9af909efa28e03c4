"""The values the date-phrase parser builds (:mod:`desktop.interview.phrases`): a day, month,
season, year or decade (``_Date``), an interval (``_Span``), one of a set (``_Set``), each with its
EDTF form, and the small operations the parser applies to them (qualify, first and last date, the
part of a year or decade, relative days). No parsing here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal


@dataclass(frozen=True)
class _Date:
    """A day, month, year or decade, with its qualifiers."""

    year: int
    month: int | None = None
    day: int | None = None
    decade: bool = False  # year is the first year of a decade (EDTF 199X)
    approximate: bool = False
    uncertain: bool = False

    def edtf(self) -> str:
        text = f"{self.year // 10:03d}X" if self.decade else f"{self.year:04d}"
        text += "".join(f"-{part:02d}" for part in (self.month, self.day) if part)
        return text + _MARKS[self.approximate, self.uncertain]

    def first(self) -> _Date:
        """The date itself, or the first year of a decade."""
        return replace(self, decade=False) if self.decade else self

    def last(self) -> _Date:
        """The date itself, or the last year of a decade."""
        return replace(self, year=self.year + 9, decade=False) if self.decade else self

    def shifted(self, steps: int) -> _Date:
        """The day, month or year ``steps`` units away, with the same qualifiers."""
        if self.day:
            day = dt.date(self.year, self.month or 1, self.day) + dt.timedelta(days=steps)
            return replace(self, year=day.year, month=day.month, day=day.day)
        if self.month:
            year, index = divmod(self.year * 12 + self.month - 1 + steps, 12)
            return replace(self, year=year, month=index + 1)
        return replace(self, year=self.year + steps, decade=False)


_MARKS = {(False, False): "", (True, False): "~", (False, True): "?", (True, True): "%"}

_Missing = Literal["..", ""]  # an open end, an unknown end


@dataclass(frozen=True)
class _Span:
    """An interval; a missing end is open ('..') or unknown ('')."""

    start: _Date | _Missing
    end: _Date | _Missing

    def edtf(self) -> str:
        return "/".join(side if isinstance(side, str) else side.edtf() for side in (self.start, self.end))


@dataclass(frozen=True)
class _Season(_Span):
    """A season word said with its year ("verano de 2019"), as the months it means in the region."""

    year: int = 0  # the year it was named with


@dataclass(frozen=True)
class _Set:
    """One of a set; ``extent`` makes ``[..X]`` (earlier) or ``[X..]`` (later) of its one member;
    a season member is the range of its months (``[2018-06..2018-08,2019-06..2019-08]``)."""

    members: tuple[_Date | _Season, ...]
    extent: Literal["", "earlier", "later"] = ""

    def edtf(self) -> str:
        items = ",".join(member.edtf().replace("/", "..") for member in self.members)
        return {"earlier": f"[..{items}]", "later": f"[{items}..]"}.get(self.extent, f"[{items}]")


_Value = _Date | _Span | _Set


def _qualify(value: _Value, approximate: bool, uncertain: bool) -> _Value | None:
    """``value`` with the qualifiers added to each of its dates; None when EDTF cannot say it."""
    if not (approximate or uncertain):
        return value
    if isinstance(value, _Date):
        return _mark(value, approximate, uncertain)
    if isinstance(value, _Span):  # a season too: "around summer 2018" is 2018-06~/2018-08~
        start, end = value.start, value.end
        return _Span(
            start if isinstance(start, str) else _mark(start, approximate, uncertain),
            end if isinstance(end, str) else _mark(end, approximate, uncertain),
        )
    if not all(isinstance(member, _Date) for member in value.members):
        return None  # a season in a set: EDTF cannot qualify a range inside a set
    return replace(value, members=tuple(_mark(m, approximate, uncertain) for m in value.members))  # type: ignore[arg-type]


def _mark(date: _Date, approximate: bool, uncertain: bool) -> _Date:
    return replace(date, approximate=date.approximate or approximate, uncertain=date.uncertain or uncertain)


def _lower(value: _Value) -> _Date | _Missing | None:
    """The start of a value used as the start of an interval (None for a set)."""
    if isinstance(value, _Date):
        return value.first()
    return value.start if isinstance(value, _Span) else None


def _upper(value: _Value) -> _Date | _Missing | None:
    """The end of a value used as the end of an interval (None for a set)."""
    if isinstance(value, _Date):
        return value.last()
    return value.end if isinstance(value, _Span) else None


# Parts of a year (months) and of a decade (years from its start).
_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_PART_YEARS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}


def _part(value: _Value | None, part: str) -> _Value | None:
    """Early/mid/late part of a year or decade; a month, season or day is kept as it is."""
    if isinstance(value, _Season):
        return value
    if not isinstance(value, _Date):
        return None
    if value.decade:
        first, last = _PART_YEARS[part]
        return _Span(
            replace(value, year=value.year + first, decade=False),
            replace(value, year=value.year + last, decade=False),
        )
    if value.month is None:
        first, last = _PART_MONTHS[part]
        return _Span(replace(value, month=first), replace(value, month=last))
    return value


def _month_of(day: dt.date, steps: int = 0) -> _Date:
    return _Date(day.year, day.month).shifted(steps)


def _day_of(day: dt.date) -> _Date:
    return _Date(day.year, day.month, day.day)


def _week_before(day: dt.date) -> _Span:
    """The Monday-Sunday week before the one of ``day``."""
    monday = day - dt.timedelta(days=day.weekday() + 7)
    return _Span(_day_of(monday), _day_of(monday + dt.timedelta(days=6)))
