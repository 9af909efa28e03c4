"""Dates with their real precision: EDTF strings, their bounds, and how to say them.

Every date in Declara is stored as an EDTF string (Library of Congress Extended Date/Time Format)
because clients rarely remember exact days and an invented day damages credibility. Accepted are
EDTF level 1 and the level-2 "one of a set" form:

- ``2024-04-28`` (day), ``2022-03`` (month), ``2015`` (year), ``2021-21`` … ``2021-24`` (seasons,
  kept readable for values stored long ago: see below);
- qualifiers ``~`` (approximate), ``?`` (uncertain) and ``%`` (both): ``2015~``, ``2022-03?``;
- unspecified digits ``201X`` (decade), ``20XX`` (century), ``2015-XX``, ``2015-03-XX``;
- intervals ``2023-11/2024-01``, with open (``../2011``, ``2011/..``) or unknown (``/2011``,
  ``2011/``) ends and qualified ends (``2015~/2017``);
- one of a set ``[1991,1992]``, ``[1991..1993]``, ``[..1991]`` (1991 or earlier), ``[1991..]``.

Refused, with a translatable :class:`~desktop.errors.ValidationError`: everything else, including
times of day (Declara records dates; a visit's times are separate fields), years outside 1–9999,
days that do not exist (``2015-02-29``), intervals that end before they start, the other level-2
features, and whitespace inside the value. The empty string is not a date: an optional field with
no date holds ``None``, decided by the caller.

A season means different months to different people ("invierno" is the rainy season, May to
October, in Central America), so Declara now stores what a client calls a season as its months
(``2019-05/2019-10``, see :mod:`desktop.interview.seasons`). An old season code keeps the bounds of
the northern meteorological season it was stored with, and :func:`format_edtf` says its months
("between June and August 2018"), never a season word. A month interval is said with its months:
"between May and October 2018", "approximately between November 2018 and April 2019".

Parsing uses the ``edtf`` package; the corrections made to what edtf 5.0.2 returns are listed in
:func:`_point` and :func:`_side` and each has a test in ``tests/desktop/test_dates.py``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final, Literal, TypeGuard, TypeVar

from babel.dates import format_date, format_skeleton, get_month_names

from desktop.errors import ValidationError
from desktop.i18n import N_, babel_locale, translator

if TYPE_CHECKING:
    import edtf
else:

    class _Edtf:
        """The edtf package, imported the first time a value needs its parser (most dates do not:
        a plain day, month, year or season is read here). Importing it takes 65 ms (pyparsing),
        which the window's start-up does not pay."""

        def __getattr__(self, name: str) -> object:
            import edtf as module

            globals()["edtf"] = module
            return getattr(module, name)

    edtf = _Edtf()

__all__ = [
    "EMPTY_DATE",
    "ENDS_BEFORE_START",
    "INVALID_DATE",
    "TIME_OF_DAY",
    "ParsedDate",
    "Precision",
    "format_edtf",
    "is_valid_edtf",
    "parse_edtf",
    "sort_bounds",
]

Precision = Literal["day", "month", "season", "year", "decade", "century", "interval", "set"]

# Error messages (ValidationError msgids), public so callers can tell them apart.
INVALID_DATE = N_(
    "“{value}” is not a valid date. Use a form like 2024-04-28, 2022-03, 2015~ or 2023-11/2024-01."
)
EMPTY_DATE = N_("Enter a date, for example 2024-04-28, 2022-03 or 2015~.")
TIME_OF_DAY = N_("“{value}” includes a time of day. Enter only the date, for example 2024-04-28.")
ENDS_BEFORE_START = N_("“{value}” ends before it starts. Put the earlier date first.")

# Phrase templates; the date words inside them come from Babel.
# Translators: {date} is a date phrase such as "2015" or "March 2022".
_AROUND = N_("around {date}")
# Translators: {date} is a date phrase such as "2015" or "March 2022".
_UNCERTAIN = N_("{date} (uncertain)")
# Translators: {decade} is the first year of a decade, e.g. "the 2010s".
_DECADE = N_("the {decade}s")
# Translators: {start} and {end} are date phrases such as "November 2023" or "2015".
_BETWEEN = N_("between {start} and {end}")
# Translators: an interval that runs until {date}, e.g. "until 2011".
_UNTIL = N_("until {date}")
# Translators: an interval that started at {date} and is still going on, e.g. "since 2011".
_SINCE = N_("since {date}")
_UNKNOWN_START = N_("from an unknown date until {date}")
_UNKNOWN_END = N_("from {date} until an unknown date")
# Translators: one of a set of dates, "on or before {date}".
_OR_EARLIER = N_("{date} or earlier")
# Translators: one of a set of dates, "on or after {date}".
_OR_LATER = N_("{date} or later")
# Translators: the last choice of a list, e.g. "1991, 1992 or 1993"; {items} is "1991, 1992".
_ONE_OF = N_("{items} or {last}")
# Translators: {period} is a phrase such as "between May and October 2018" whose two ends are
# both approximate.
_APPROXIMATELY = N_("approximately {period}")

_WINTER = 24
# Level-1 unspecified digits: one or two final year digits, the month, or the day.
_LEVEL1_UNSPECIFIED = re.compile(r"\d{3}X|\d{2}XX|\d{4}-XX|\d{4}-XX-XX|\d{4}-\d{2}-XX")
_TIME_OF_DAY = re.compile(r"\dT\d")
_OPEN: Final = ".."
_UNKNOWN: Final = ""
_Missing = Literal["..", ""]
_T = TypeVar("_T")


@dataclass(frozen=True)
class ParsedDate:
    """An EDTF value with the earliest and latest day it can mean.

    ``lower``/``upper`` are ``None`` for an open (``..``) or unknown (empty) end of an interval
    or set. ``approximate`` and ``uncertain`` are true when any part of the value carries the
    qualifier (``%`` sets both).
    """

    edtf: str
    lower: dt.date | None
    upper: dt.date | None
    precision: Precision
    approximate: bool
    uncertain: bool


@dataclass(frozen=True)
class _Point:
    """One day, month, season, year, decade or century, with its qualifiers."""

    lower: dt.date
    upper: dt.date
    precision: Precision
    approximate: bool = False
    uncertain: bool = False
    season: int | None = None  # 21-24 when precision is "season"


@dataclass(frozen=True)
class _Span:
    """An interval, or a range inside a set; a side is a point, ``_OPEN`` or ``_UNKNOWN``."""

    start: _Point | _Missing
    end: _Point | _Missing


@dataclass(frozen=True)
class _Choice:
    """One of a set: single dates and ranges."""

    members: tuple[_Point | _Span, ...]


_Node = _Point | _Span | _Choice


class _Refused(Exception):
    """Internal: a refused value, with the msgid of the ValidationError to raise for it."""

    def __init__(self, msgid: str) -> None:
        super().__init__(msgid)
        self.msgid = msgid


def parse_edtf(value: str, field: str | None = None) -> ParsedDate:
    """Parse an EDTF string into its bounds, precision and qualifiers.

    Leading and trailing whitespace is ignored; ``ParsedDate.edtf`` is the stripped value.
    Raises :class:`ValidationError` (with ``field``) when the value is not an accepted date.
    """
    text, node = _parse(value, field)
    lower, upper = _bounds(node)
    approximate, uncertain = _qualifiers(node)
    return ParsedDate(text, lower, upper, _precision(node), approximate, uncertain)


def is_valid_edtf(value: str) -> bool:
    """True when :func:`parse_edtf` accepts ``value``."""
    try:
        _parse(value, None)
    except ValidationError:
        return False
    return True


def sort_bounds(value: str) -> tuple[str | None, str | None]:
    """The earliest and latest day of ``value`` as ISO strings (``None`` for an open end).

    ISO ``YYYY-MM-DD`` strings sort like the dates they name, so they can be stored next to the
    EDTF string and used in SQL ``ORDER BY``.
    """
    lower, upper = _bounds(_parse(value, None)[1])
    return (
        lower.isoformat() if lower else None,
        upper.isoformat() if upper else None,
    )


def format_edtf(value: str, lang: str) -> str:
    """Say ``value`` in ``lang`` ('en' or 'es'), never more precisely than it is.

    '2022-03~' gives 'around March 2022' / 'alrededor de marzo de 2022'. Month and day names come
    from Babel; the surrounding words from the gettext catalog of ``lang``.
    """
    return _Phrasing(lang).say(_parse(value, None)[1])


def _parse(value: str, field: str | None) -> tuple[str, _Node]:
    """Check and parse ``value``; return the stripped text and its tree."""
    text = value.strip()
    try:
        return text, _tree(text)
    except _Refused as err:
        raise ValidationError(err.msgid, field=field, value=text) from err


@lru_cache(maxsize=1024)
def _tree(text: str) -> _Node:
    """Parse a stripped value; cached because edtf takes 2-30 ms a value and views repaint."""
    if not text:
        raise _Refused(EMPTY_DATE)
    if _TIME_OF_DAY.search(text):
        raise _Refused(TIME_OF_DAY)
    # edtf skips whitespace between tokens ("2015 / 2017"), but a stored value must be canonical.
    # Both ends missing ("/", "../..", "../") carries no date; edtf 5.0.2 even raises TypeError
    # and prints to stdout for "../" and "/..".
    if any(ch.isspace() for ch in text) or set(text.split("/")) <= {_OPEN, _UNKNOWN}:
        raise _Refused(INVALID_DATE)
    simple = _SIMPLE.fullmatch(text)
    if simple:  # a plain day, month or year (most dates): no need for edtf's slow parser
        return _simple_point(*simple.groups())
    season = _SEASON.fullmatch(text)
    if season:
        return _season_point(int(season.group(1)), int(season.group(2)))
    ends = text.split("/")
    if len(ends) == 2 and all(_SIMPLE.fullmatch(end) for end in ends):  # '2023-11/2024-01'
        start, end = (_simple_point(*_SIMPLE.fullmatch(e).groups()) for e in ends)  # type: ignore[union-attr]
        if end.upper < start.lower:
            raise _Refused(ENDS_BEFORE_START)
        return _Span(start, end)
    try:
        return _convert(edtf.parse_edtf(text))
    except _Refused:
        raise
    # Any failure of the parser on user input, or a bound outside datetime.date, is a bad value.
    except Exception as err:
        raise _Refused(INVALID_DATE) from err


_SIMPLE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(\d{2}))?)?([~?%])?")


_SEASON = re.compile(r"(\d{4})-(2[1-4])")
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}


def _season_point(year: int, season: int) -> _Point:
    """The same result edtf gives (with the winter correction) for 'YYYY-21' … 'YYYY-24'."""
    first, last = _SEASON_MONTHS[season]
    try:
        lower = dt.date(year, first, 1)
        end_year = year + 1 if season == _WINTER else year
        upper = dt.date(end_year, last, calendar.monthrange(end_year, last)[1])
    except ValueError as err:
        raise _Refused(INVALID_DATE) from err
    return _Point(lower, upper, "season", season=season)


def _simple_point(year: str, month: str | None, day: str | None, qualifier: str | None) -> _Point:
    """The same result edtf gives for 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' with an optional qualifier."""
    y = int(year)
    try:
        if day:
            lower = upper = dt.date(y, int(month or 1), int(day))
        elif month:
            lower = dt.date(y, int(month), 1)
            upper = dt.date(y, int(month), calendar.monthrange(y, int(month))[1])
        else:
            lower, upper = dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError as err:
        raise _Refused(INVALID_DATE) from err
    precision: Precision = "day" if day else "month" if month else "year"
    return _Point(lower, upper, precision, qualifier in ("~", "%"), qualifier in ("?", "%"))


def _is(obj: object, *kinds: type[_T]) -> TypeGuard[_T]:
    """``isinstance`` without subclasses: edtf's level-2 classes subclass the level-1 ones."""
    return type(obj) in kinds


def _convert(obj: edtf.EDTFObject) -> _Node:
    """Turn an edtf object into a tree; raise ValueError for a form Declara does not accept."""
    if _is(obj, edtf.Interval, edtf.Level1Interval):
        return _span(obj.lower, obj.upper)
    if _is(obj, edtf.OneOfASet):
        return _Choice(tuple(_member(item) for item in obj.objects))
    return _point(obj)


def _member(obj: edtf.EDTFObject) -> _Point | _Span:
    """One member of a set: a date, or a range ``a..b``, ``..b`` or ``a..``."""
    if _is(obj, edtf.Consecutives, edtf.EarlierConsecutives, edtf.LaterConsecutives):
        return _span(obj.lower, obj.upper)
    return _point(obj)


def _span(lower: edtf.EDTFObject, upper: edtf.EDTFObject) -> _Span:
    """An interval or range; refused if it ends before it starts (edtf 5.0.2 accepts that)."""
    span = _Span(_side(lower), _side(upper))
    if isinstance(span.start, _Point) and isinstance(span.end, _Point):
        if span.end.upper < span.start.lower:
            raise _Refused(ENDS_BEFORE_START)
    return span


def _side(obj: edtf.EDTFObject) -> _Point | _Missing:
    """One end of an interval.

    edtf 5.0.2 gives an open end (``..``) the bound ±inf (a float, not a struct_time) and invents
    an unknown end 10 years away from the other one (``/2011`` starts on 2001-12-31); both are
    kept here as "no bound" instead.
    """
    if _is(obj, edtf.UnspecifiedIntervalSection):
        return _OPEN if obj.is_open else _UNKNOWN
    return _point(obj)


def _point(obj: edtf.EDTFObject) -> _Point:
    """A single date with its qualifiers, its precision and its bounds.

    Corrections to edtf 5.0.2, which: ends winter (season 24) on December 31 instead of at the
    end of February of the next year; gives '2015-03-XX' and '2015-XX-XX' day precision and
    '2015-XX' month precision; accepts '2XXX' as level 1 and lets level-2 forms through inside a
    set ('[2015-XX-15,2016]') or as a plain year ('2015S2'), all refused here; accepts days that
    do not exist ('2015-02-29'), refused here when the bound becomes a ``datetime.date``.
    Raises ValueError for a refused form.
    """
    approximate = uncertain = False
    ua = getattr(obj, "ua", None)
    if ua is not None:
        approximate = ua.is_approximate or ua.is_uncertain_and_approximate
        uncertain = ua.is_uncertain or ua.is_uncertain_and_approximate
    if _is(obj, edtf.UncertainOrApproximate):
        obj = obj.date
    season = None
    precision: Precision
    if _is(obj, edtf.Date) and not obj.significant_digits:
        precision = "day" if obj.day else "month" if obj.month else "year"
    elif _is(obj, edtf.Unspecified, edtf.PartialUnspecified):
        precision = _unspecified_precision(obj)
    elif _is(obj, edtf.Season):
        precision, season = "season", int(obj.season)
    else:
        raise ValueError(f"unsupported EDTF form {type(obj).__name__}")
    lower = _day(obj.lower_strict())
    upper = _day(obj.upper_strict())
    if season == _WINTER:
        upper = dt.date(lower.year + 1, 3, 1) - dt.timedelta(days=1)
    return _Point(lower, upper, precision, approximate, uncertain, season)


def _unspecified_precision(obj: edtf.Unspecified) -> Precision:
    """The precision of a level-1 value with X digits; ValueError for any other shape."""
    shape = "-".join(part for part in (obj.year, obj.month, obj.day) if part)
    if not _LEVEL1_UNSPECIFIED.fullmatch(shape):
        raise ValueError(f"unsupported unspecified digits {shape}")
    if obj.day:
        return "year" if obj.month == "XX" else "month"
    if obj.month:
        return "year"
    return "century" if obj.year.endswith("XX") else "decade"


def _day(bound: time.struct_time) -> dt.date:
    """A struct_time bound as a date; ValueError for days that do not exist or years <1, >9999."""
    return dt.date(bound.tm_year, bound.tm_mon, bound.tm_mday)


def _bounds(node: _Node) -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest day of a tree; None where an end is open or unknown."""
    if isinstance(node, _Point):
        return node.lower, node.upper
    if isinstance(node, _Span):
        return (
            node.start.lower if isinstance(node.start, _Point) else None,
            node.end.upper if isinstance(node.end, _Point) else None,
        )
    lowers, uppers = zip(*(_bounds(member) for member in node.members), strict=True)
    return (
        None if None in lowers else min(lowers),
        None if None in uppers else max(uppers),
    )


def _points(node: _Node) -> list[_Point]:
    """Every single date in a tree."""
    if isinstance(node, _Point):
        return [node]
    if isinstance(node, _Span):
        return [side for side in (node.start, node.end) if isinstance(side, _Point)]
    return [point for member in node.members for point in _points(member)]


def _qualifiers(node: _Node) -> tuple[bool, bool]:
    """(approximate, uncertain): whether any date in the tree carries the qualifier."""
    points = _points(node)
    return any(p.approximate for p in points), any(p.uncertain for p in points)


def _precision(node: _Node) -> Precision:
    if isinstance(node, _Point):
        return node.precision
    return "interval" if isinstance(node, _Span) else "set"


class _Phrasing:
    """Builds the phrase for a tree in one language."""

    def __init__(self, lang: str) -> None:
        self.t = translator(lang)
        self.locale = babel_locale(lang)

    def say(self, node: _Node) -> str:
        if isinstance(node, _Point):
            return self.span(_Span(node, node), in_set=False) if node.season else self.point(node)
        if isinstance(node, _Span):
            return self.span(node, in_set=False)
        items = [
            self.point(m) if isinstance(m, _Point) and not m.season else self.span(_as_span(m), in_set=True)
            for m in node.members
        ]
        if len(items) == 1:  # a set holding one range: [1991..1993], [..1991]
            return items[0]
        return self.t(_ONE_OF).format(items=", ".join(items[:-1]), last=items[-1])

    def point(self, point: _Point) -> str:
        text = self.bare(point)
        if point.approximate:
            text = self.t(_AROUND).format(date=text)
        if point.uncertain:
            text = self.t(_UNCERTAIN).format(date=text)
        return text

    def bare(self, point: _Point) -> str:
        """The date without qualifiers, at its own precision."""
        lower = point.lower
        if point.precision == "day":
            return format_date(lower, "long", locale=self.locale)
        if point.precision == "month":
            return format_skeleton("yMMMM", lower, locale=self.locale)
        if point.precision == "decade":
            return self.t(_DECADE).format(decade=lower.year)
        if point.precision == "century":
            return self.t(_BETWEEN).format(start=lower.year, end=point.upper.year)
        return str(lower.year)

    def span(self, span: _Span, in_set: bool) -> str:
        start, end = _month_of(span.start, first=True), _month_of(span.end, first=False)
        if isinstance(start, _Point) and isinstance(end, _Point):
            return self.months(start, end) or self.t(_BETWEEN).format(
                start=self.point(start), end=self.point(end)
            )
        if isinstance(start, _Point):
            template = _UNKNOWN_END if end == _UNKNOWN else _OR_LATER if in_set else _SINCE
            return self.t(template).format(date=self.point(start))
        assert isinstance(end, _Point), "_tree refuses values with both ends missing"
        template = _UNKNOWN_START if start == _UNKNOWN else _OR_EARLIER if in_set else _UNTIL
        return self.t(template).format(date=self.point(end))

    def months(self, start: _Point, end: _Point) -> str | None:
        """ "between May and October 2018", "approximately between November 2018 and April 2019":
        two months with the same qualifiers; None for any other interval."""
        qualifiers = (start.approximate, start.uncertain)
        if (
            start.precision != "month"
            or end.precision != "month"
            or qualifiers != (end.approximate, end.uncertain)
        ):
            return None
        first = self.bare(start)
        if start.lower.year == end.lower.year and start.lower.month != end.lower.month:
            first = get_month_names("wide", locale=self.locale)[start.lower.month]
        text = self.t(_BETWEEN).format(start=first, end=self.bare(end))
        if start.approximate:
            text = self.t(_APPROXIMATELY).format(period=text)
        return self.t(_UNCERTAIN).format(date=text) if start.uncertain else text


def _as_span(member: _Point | _Span) -> _Span:
    return member if isinstance(member, _Span) else _Span(member, member)


def _month_of(side: _Point | _Missing, first: bool) -> _Point | _Missing:
    """An old season code at an end of an interval as its first (start) or last (end) month."""
    if not isinstance(side, _Point) or side.season is None:
        return side
    day = side.lower if first else side.upper.replace(day=1)
    return _Point(day, day.replace(day=calendar.monthrange(day.year, day.month)[1]), "month")
