"""Dates as people say them ("around 2015", "marzo del 2022", "12/3/2024"), turned into EDTF.

Clients in detention remember dates the way they lived them, and interpreters type what they hear,
in English or in Spanish. :func:`phrase_to_edtf` turns such a phrase into the EDTF string Declara
stores (see :mod:`desktop.case.dates`); :func:`understand` also returns how that EDTF is said back in the
interface language, so the interviewer sees what was understood *before* it is saved. That preview
is the safeguard for every ambiguous reading below: the app never saves a phrase silently.

Both languages are accepted whatever ``lang`` is (interpreters mix them); ``lang`` only decides
the order of an all-numeric date. Case, accents, extra spaces, commas and surrounding punctuation
do not matter.

How the parser reads a phrase (each level is a table of regexes compiled once):

1. Valid EDTF typed directly is kept as typed (``2015~``, ``2023-11/2024-01``, ``199x``).
2. Qualifiers, before or after the rest: "around/about/circa/c./más o menos/alrededor de/como/…"
   make it approximate (``~``); "maybe/probably/I think/quizás/tal vez/creo que/…/?" uncertain
   (``?``); both give ``%``.
3. A single date (:data:`_POINTS`), then an open interval ("before/until/after/since X",
   "X or earlier/later"), then a range ("between X and Y", "from X to Y", "X-Y", "entre X y Y",
   "de X a Y", "desde X hasta Y"), then one of a set ("X or Y", "X, Y o Z").

Choices made for ambiguous phrases (all visible in the preview):

- Numeric dates follow ``lang``: en month/day/year, es day/month/year ("12/3/2024" is 2024-12-03
  in English, 2024-03-12 in Spanish). When only the other order gives a real day ("13/3/2024" in
  English), that order is used.
- Two-digit years ("3/12/24", "marzo del 95", "'95") mean 20YY when 20YY is at most next year,
  otherwise 19YY (with today in 2026: 00-27 are 2000-2027, 28-99 are 1928-1999). Two-digit decades
  ("the 90s", "los 20") mean 20Y0s when that decade has started, otherwise 19Y0s.
- Season words ("verano de 2019", "the summer of 2018", "época lluviosa de 2020") mean the months
  the speaker means, by region (:mod:`desktop.interview.seasons`, ``seasons=``; docs/dates.md):
  "invierno de 2019" is ``2019-05/2019-10`` in Central America, ``2019-12/2020-02`` in the north.
  Without a region a season word is refused, never guessed. A season is stored as its months,
  never as an EDTF season code; "around summer 2018" qualifies them (``2018-06~/2018-08~``), and
  EDTF codes typed directly ("2021-22", not 2021 to 2022) are the northern season's months.
- Parts of a year: early = January-April, mid = May-August, late = September-December
  ("a principios de 2019" is ``2019-01/2019-04``). Parts of a decade: early = years 0-3, mid = 4-6,
  late = 7-9 ("early 90s" is ``1990/1993``). Part of a month, season or day ("a principios de marzo
  de 2022") keeps that month, season or day (``2022-03``): inventing day bounds such as
  ``2022-03-01/2022-03-10`` would show more precision than the client gave.
- "before 2011" is strictly before (``../2010``, the unit before at the same precision);
  "until 2011" includes it (``../2011``); "after 2011" is ``2012/..``; "since 2011" is ``2011/..``.
  "X or earlier/later" is the EDTF set ``[..X]``/``[X..]``.
- In a range or set, a missing year (or month) is taken from the last date: "between March and
  May 2022" is ``2022-03/2022-05``, "del 3 al 5 de marzo de 2024" is ``2024-03-03/2024-03-05``,
  "marzo o abril de 2022" is ``[2022-03,2022-04]``; "from December to March 2022" starts in
  December 2021.
- Relative phrases use ``today``: "last year"/"el año pasado" and "this year" are exact years,
  "last month"/"yesterday"/"today"/"last week" exact months, days or the Monday-Sunday week;
  "N years/months/weeks ago" ("hace dos años") is approximate (``~``), since the client counted
  roughly; "N days ago" is an exact day.
- "until now/today", "hasta ahora/hoy/la fecha" at the end of a range leave it open
  ("desde 2015 hasta ahora" is ``2015/..``); "an unknown date"/"una fecha desconocida" is an
  unknown end (``/2011``), so every phrase :func:`desktop.case.dates.format_edtf` produces reads back
  to its value (except "around 2015 or 2016", which reads as ``[2015~,2016~]``).
- Accepted years are 1900 to today's year + 5; "sometime", "I don't remember", "no me acuerdo"
  are not dates and get their own message (:data:`NO_DATE`). Not understood on purpose: years in
  words ("dos mil quince"), a bare two-digit year ("en el 95"; "'95", "1995" and "marzo del 95"
  are understood), abbreviated range ends ("1991/92", "2015-16"), phrases over 200 characters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Literal

from desktop.case.dates import ENDS_BEFORE_START, format_edtf, is_valid_edtf, parse_edtf
from desktop.errors import ValidationError
from desktop.i18n import DEFAULT_LANGUAGE, N_, normalize_language
from desktop.interview import seasons as season_data
from desktop.interview.phrase_values import (
    _Date,
    _day_of,
    _lower,
    _Missing,
    _month_of,
    _part,
    _qualify,
    _Season,
    _Set,
    _Span,
    _upper,
    _Value,
    _week_before,
)
from desktop.interview.phrase_words import (
    _AGO_UNITS,
    _COMMA,
    _DAY,
    _DECADES,
    _DECADE_PATTERNS,
    _EDTF_CHARS,
    _FILLER,
    _MONTH,
    _MONTHS,
    _NOW,
    _NO_DATE,
    _NUMBER,
    _NUMBERS,
    _OPEN,
    _OR,
    _PARTIAL,
    _PART_WORDS,
    _QUALIFIERS,
    _RANGES,
    _SEASON,
    _SEASON_ALONE,
    _UNKNOWN_END,
    _UNSPECIFIED_YEAR,
    _YEAR,
    _normalize,
)
from desktop.interview.seasons import SEASON_NEEDS_REGION, SEASON_NOT_LOCAL, SEASON_WORD_AMBIGUOUS

__all__ = [
    "FIRST_YEAR",
    "IMPOSSIBLE_DATE",
    "NOT_UNDERSTOOD",
    "NO_DATE",
    "SEASON_NEEDS_REGION",
    "SEASON_NOT_LOCAL",
    "SEASON_WORD_AMBIGUOUS",
    "YEAR_OUT_OF_RANGE",
    "phrase_to_edtf",
    "understand",
]

# Error messages (ValidationError msgids), public so callers and tests can tell them apart.
# Translators: {value} is the date phrase exactly as the user typed it.
NOT_UNDERSTOOD = N_(
    "I could not understand “{value}” as a date. Try 2024-04-28, March 2022, around 2015 or summer 2018."
)
# Translators: {value} is what the user typed instead of a date, e.g. "I don't remember".
NO_DATE = N_(
    "No date was given (“{value}”). Leave the date empty, or write what the client remembers: "
    "a year, a season, “around 2015”."
)
IMPOSSIBLE_DATE = N_("“{value}” names a day that does not exist. Check the day and the month.")
# Translators: {first} and {last} are years, e.g. 1900 and 2031.
YEAR_OUT_OF_RANGE = N_("“{value}” is outside the years Declara accepts ({first} to {last}). Check the year.")

FIRST_YEAR = 1900
_YEARS_AHEAD = 5  # latest accepted year: today's year + 5 (hearings are scheduled ahead)
_MAX_LENGTH = 200  # longer text is not a date phrase (and would nest the parser too deep)

# Words and patterns: desktop/interview/phrase_words.py; values: desktop/interview/phrase_values.py


# ---------------------------------------------------------------------------------------------
# The parser


class _Parser:
    """Reads one phrase; remembers if a day that does not exist was named, or a season refused."""

    def __init__(self, lang: str, today: dt.date, seasons: str | None = None) -> None:
        self.lang = lang
        self.today = today
        self.seasons = seasons
        self.impossible = False
        self.refusal: str | None = None
        self.seen: dict[tuple[str, str], _Value | None] = {}

    def phrase(self, text: str) -> _Value | None:
        """A whole phrase: qualifiers around a date, an open interval, a range or a set."""
        return self.qualified(text, self.unqualified)

    def unqualified(self, text: str) -> _Value | None:
        for read in (self.point, self.open, self.range, self.choice):
            value = read(text)
            if value is not None:
                return value
        return None

    def endpoint(self, text: str) -> _Value | None:
        """One date with its qualifiers: an end of a range, an open interval or a set member."""
        return self.qualified(text, self.point)

    def qualified(self, text: str, inner: Callable[[str], _Value | None]) -> _Value | None:
        """``inner(text)`` under any qualifiers around it; memoized, as ranges retry the same parts."""
        key = (inner.__name__, text)
        if key not in self.seen:
            self.seen[key] = self._qualified(text, inner)
        return self.seen[key]

    def _qualified(self, text: str, inner: Callable[[str], _Value | None]) -> _Value | None:
        for pattern, approximate, uncertain in _QUALIFIERS:
            match = pattern.fullmatch(text)
            if match:
                value = self.qualified(match["rest"].strip(" ,"), inner)
                if value is not None:
                    return _qualify(value, approximate, uncertain)
        return inner(text)

    def point(self, text: str) -> _Value | None:
        """One date (which may be a short span: "early 2019", "la época lluviosa de 2020")."""
        text = " ".join(text.replace(",", " ").split())
        for pattern, read in _POINTS:
            match = pattern.fullmatch(text)
            if match:
                value = read(self, match)
                if value is not None:
                    return value
        filler = _FILLER.fullmatch(text)
        return self.point(filler["rest"]) if filler else None

    def open(self, text: str) -> _Value | None:
        for pattern, kind in _OPEN:
            match = pattern.fullmatch(text)
            value = self.endpoint(match["rest"]) if match else None
            if value is not None:
                result = _OPENERS[kind](value)
                if result is not None:
                    return result
        return None

    def range(self, text: str) -> _Span | None:
        for prefix, separator in _RANGES:
            match = prefix.fullmatch(text)
            if not match:
                continue
            rest = match["rest"]
            for sep in separator.finditer(rest):
                left, right = rest[: sep.start()].strip(), rest[sep.end() :].strip()
                span = self.span(left, right) if left and right else None
                if span is not None:
                    return span
        return None

    def span(self, left: str, right: str) -> _Span | None:
        """The interval from ``left`` to ``right``; either may borrow its year from the other."""
        end: _Date | _Missing | None
        right_value = None
        if _NOW.fullmatch(right):
            end = ".."
        elif _UNKNOWN_END.fullmatch(right):
            end = ""
        else:
            right_value = self.endpoint(right)
            end = _upper(right_value) if right_value is not None else None
        if end is None:
            return None
        start: _Date | _Missing | None
        if _UNKNOWN_END.fullmatch(left):
            start = ""
        else:
            value = self.endpoint(left) or self.season_alone(left, right_value, earlier=True)
            if value is None and isinstance(end, _Date):
                value = self.complete(left, end, earlier=True)
            start = _lower(value) if value is not None else None
        if start is None or (isinstance(start, str) and isinstance(end, str)):
            return None
        return _Span(start, end)

    def choice(self, text: str) -> _Set | None:
        """One of a set: "2015 or 2016", "1991, 1992 o 1993", "marzo o abril de 2022"."""
        *firsts, last = _OR.split(text)
        last_value = self.endpoint(last) if firsts else None
        if not (isinstance(last_value, _Date) or type(last_value) is _Season):
            return None
        members: list[_Date | _Season] = []
        for first in firsts:  # "1991, 1992 or 1993": a part that is not one date may be a list
            member = self.member(first, last_value)
            parts = [member] if member else [self.member(part, last_value) for part in _COMMA.split(first)]
            if None in parts:
                return None
            members.extend(part for part in parts if part is not None)
        return _Set((*members, last_value))

    def season(self, word: str, year: int, next_year: int | None = None) -> _Season | None:
        """A season word with its year (or its two years: "winter 2020–2021") in the parser's
        region; None, remembering why, when the region cannot read it."""
        try:
            found = season_data.read_season(word, year, self.seasons, next_year)
        except season_data.SeasonRefused as err:
            self.refusal = self.refusal or err.msgid
            return None
        return _Season(_Date(*found[1]), _Date(*found[2]), year=found[0]) if found else None

    def season_alone(self, text: str, other: _Value | None, earlier: bool) -> _Season | None:
        """A season without its year next to season ``other`` ("entre primavera y verano de 2021");
        starting a range, one that starts after ``other`` is the one of the year before."""
        if not isinstance(other, _Season):
            return None
        match = _SEASON_ALONE.fullmatch(" ".join(text.replace(",", " ").split()))
        value = self.season(match["season"], other.year) if match else None
        if earlier and value and match and value.edtf()[:7] > other.edtf()[:7]:  # YYYY-MM of the starts
            value = self.season(match["season"], other.year - 1)
        return value

    def member(self, text: str, last: _Date | _Season) -> _Date | _Season | None:
        value = self.endpoint(text) or self.season_alone(text, last, earlier=False)
        if value is None and isinstance(last, _Date):
            value = self.complete(text, last, earlier=False)
        return value if isinstance(value, _Date) or type(value) is _Season else None

    def complete(self, text: str, other: _Date, earlier: bool) -> _Date | None:
        """A month or day said without its year, completed from ``other``.

        When ``earlier`` (the start of a range), a month after the other one is in the year before:
        "from December to March 2022" starts in December 2021.
        """
        for pattern, needs in _PARTIAL:
            match = pattern.fullmatch(" ".join(text.replace(",", " ").split()))
            if not match or not needs(other):
                continue
            groups = match.groupdict()
            if groups.get("month"):
                day = _day_number(groups["day"]) if groups.get("day") else None
                date = replace(other, month=_MONTHS[groups["month"]], day=day)
            else:
                date = replace(other, day=_day_number(groups["day"]))
            date = replace(date, approximate=False, uncertain=False, decade=False)
            if earlier and date.day is None and other.month and date.month and date.month > other.month:
                date = replace(date, year=date.year - 1)
            return self.checked(date)
        return None

    # Building blocks for the readers in _POINTS.

    def year(self, text: str) -> int:
        """A year; two digits are 20YY up to next year, else 19YY."""
        digits = text.strip("'")
        if len(digits) == 4:
            return int(digits)
        year = 2000 + int(digits)
        return year if year <= self.today.year + 1 else year - 100

    def decade(self, tens: int) -> int:
        """The first year of a decade said with two digits: 20Y0 once it has started, else 19Y0."""
        if tens >= 100:
            return tens
        start = 2000 + tens
        return start if start <= self.today.year else start - 100

    def checked(self, date: _Date) -> _Date | None:
        """``date`` if its day exists; otherwise None, remembering that an impossible day was named."""
        if date.day is not None and not _exists(date.year, date.month or 0, date.day):
            self.impossible = True
            return None
        return date


def _exists(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _day_number(token: str) -> int:
    return 1 if token in ("primero", "first") else int(token)


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBERS[token]


# ---------------------------------------------------------------------------------------------
# Readers: each takes the parser and a match of its pattern and returns a value or None.

_Reader = Callable[[_Parser, re.Match[str]], "_Value | None"]


def _read_iso_day(p: _Parser, m: re.Match[str]) -> _Value | None:
    return p.checked(_Date(int(m["year"]), int(m["month"]), int(m["day"])))


def _read_numeric_day(p: _Parser, m: re.Match[str]) -> _Value | None:
    """d/m/y in Spanish, m/d/y in English; the other order only when it alone gives a real day."""
    a, b, year = int(m["a"]), int(m["b"]), p.year(m["year"])
    orders = ((b, a), (a, b)) if p.lang == "es" else ((a, b), (b, a))
    for month, day in orders:
        if _exists(year, month, day):
            return _Date(year, month, day)
    p.impossible = True
    return None


def _read_named_day(p: _Parser, m: re.Match[str]) -> _Value | None:
    return p.checked(_Date(p.year(m["year"]), _MONTHS[m["month"]], _day_number(m["day"])))


def _read_iso_month(p: _Parser, m: re.Match[str]) -> _Value | None:
    """'2022-03' (and, as in EDTF, '2021-22' for a season: northern, as its months)."""
    month, year = int(m["month"]), int(m["year"])
    if 21 <= month <= 24 and m["sep"] == "-":
        first, last = season_data.code_months(year, month)
        return _Span(_Date(*first), _Date(*last))
    return _Date(year, month) if 1 <= month <= 12 else None


def _read_numeric_month(p: _Parser, m: re.Match[str]) -> _Value | None:
    month = int(m["month"])
    return _Date(int(m["year"]), month) if 1 <= month <= 12 else None


def _read_named_month(p: _Parser, m: re.Match[str]) -> _Value | None:
    return _Date(p.year(m["year"]), _MONTHS[m["month"]])


def _read_season(p: _Parser, m: re.Match[str]) -> _Value | None:
    return p.season(m["season"], p.year(m["year"]))


def _read_season_years(p: _Parser, m: re.Match[str]) -> _Value | None:
    """'winter 2020–2021', 'verano 2018-2019': a season that crosses the new year, both years said."""
    return p.season(m["season"], int(m["year"]), int(m["next"]))


def _read_year(p: _Parser, m: re.Match[str]) -> _Value | None:
    return _Date(p.year(m["year"]))


def _read_decade(p: _Parser, m: re.Match[str]) -> _Value | None:
    groups = m.groupdict()
    if groups.get("yyyy"):
        return _Date(int(groups["yyyy"]), decade=True)
    if groups.get("yy"):
        tens = int(groups["yy"])
        return _Date(p.decade(tens), decade=True) if tens % 10 == 0 else None
    return _Date(p.decade(_DECADES[groups["word"]]), decade=True)


def _read_ago(unit: str) -> _Reader:
    """'two years ago' / 'hace dos años': approximate, except days (an exact day)."""

    def read(p: _Parser, m: re.Match[str]) -> _Value | None:
        n, today = _number(m["n"]), p.today
        if unit == "year":
            return _Date(today.year - n, approximate=True)
        if unit == "month":
            return replace(_month_of(today, -n), approximate=True)
        if unit == "week":
            return replace(_day_of(today - dt.timedelta(weeks=n)), approximate=True)
        return _day_of(today - dt.timedelta(days=n))

    return read


def _read_relative(when: Callable[[dt.date], _Value]) -> _Reader:
    return lambda p, m: when(p.today)


def _read_part(part: str) -> _Reader:
    return lambda p, m: _part(p.point(m["rest"]), part)


# Fixed relative phrases (the text around them is already normalized: no accents, "año" is "ano").
_RELATIVE: tuple[tuple[str, Callable[[dt.date], _Value]], ...] = (
    (r"(?:this|the current) year|(?:en )?este ano|el ano actual", lambda t: _Date(t.year)),
    (r"(?:last|past|previous) year|(?:el )?ano pasado", lambda t: _Date(t.year - 1)),
    (r"the year before last|(?:el )?ano antepasado", lambda t: _Date(t.year - 2)),
    (r"this month|(?:en )?este mes", lambda t: _month_of(t)),
    (r"(?:last|past|previous) month|(?:el )?mes pasado", lambda t: _month_of(t, -1)),
    (r"(?:last|past|previous) week|(?:la )?semana pasada", _week_before),
    (r"today|hoy", _day_of),
    (r"yesterday|ayer", lambda t: _day_of(t - dt.timedelta(days=1))),
    (
        r"(?:the )?day before yesterday|anteayer|antier|antes de ayer",
        lambda t: _day_of(t - dt.timedelta(days=2)),
    ),
)
# A single date: the first pattern that matches the whole text and reads a value wins.
_POINTS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    *((re.compile(pattern), _read_relative(when)) for pattern, when in _RELATIVE),
    *(
        (re.compile(pattern.format(n=_NUMBER, en=en, es=es)), _read_ago(unit))
        for unit, en, es in _AGO_UNITS
        for pattern in ("{n} {en} ago", "hace {n} {es}")
    ),
    (
        re.compile(r"(?P<year>\d{4}) ?(?P<sep>[-/.]) ?(?P<month>\d{1,2}) ?(?P=sep) ?(?P<day>\d{1,2})"),
        _read_iso_day,
    ),
    (
        re.compile(r"(?P<a>\d{1,2}) ?(?P<sep>[-/.]) ?(?P<b>\d{1,2}) ?(?P=sep) ?(?P<year>\d{4}|\d{2})"),
        _read_numeric_day,
    ),
    (re.compile(rf"{_MONTH} (?:the )?{_DAY} {_YEAR}"), _read_named_day),
    (re.compile(rf"(?:the )?{_DAY} (?:(?:of|de) )?{_MONTH} {_YEAR}"), _read_named_day),
    (re.compile(r"(?P<year>\d{4}) ?(?P<sep>[-/.]) ?(?P<month>\d{1,2})"), _read_iso_month),
    (re.compile(r"(?P<month>\d{1,2}) ?[-/.] ?(?P<year>\d{4})"), _read_numeric_month),
    (re.compile(rf"{_MONTH} {_YEAR}"), _read_named_month),
    (re.compile(rf"{_SEASON} {_YEAR}"), _read_season),
    (
        re.compile(rf"{_SEASON} (?:(?:of|de|del) )?(?P<year>\d{{4}}) ?[-/] ?(?P<next>\d{{4}})"),
        _read_season_years,
    ),
    *((re.compile(pattern), _read_decade) for pattern in _DECADE_PATTERNS),
    (re.compile(r"(?P<year>\d{4}|'\d{2})"), _read_year),
    *(
        (re.compile(rf"(?:(?:a|al) )?(?:{words})(?: ?- ?| )(?P<rest>.+)"), _read_part(part))
        for part, words in _PART_WORDS.items()
    ),
)

def _before(value: _Value) -> _Value | None:
    start = _lower(value)
    return _Span("..", start.shifted(-1)) if isinstance(start, _Date) else None


def _after(value: _Value) -> _Value | None:
    end = _upper(value)
    return _Span(end.shifted(1), "..") if isinstance(end, _Date) else None


def _until(value: _Value) -> _Value | None:
    end = _upper(value)
    return _Span("..", end) if isinstance(end, _Date) else None


def _since(value: _Value) -> _Value | None:
    start = _lower(value)
    return _Span(start, "..") if isinstance(start, _Date) else None


def _one_end(extent: Literal["earlier", "later"]) -> Callable[[_Value], _Value | None]:
    return lambda value: _Set((value,), extent) if isinstance(value, _Date) else None


_OPENERS: dict[str, Callable[[_Value], _Value | None]] = {
    "before": _before,
    "until": _until,
    "after": _after,
    "since": _since,
    "earlier": _one_end("earlier"),
    "later": _one_end("later"),
}

# ---------------------------------------------------------------------------------------------
# API


def phrase_to_edtf(text: str, lang: str, today: dt.date | None = None, *, seasons: str | None = None) -> str:
    """The EDTF value of a date phrase typed in English or Spanish.

    ``lang`` ('en' or 'es') is the language the phrase is typed in; it decides the order of an
    all-numeric date, and phrases in the other language are accepted too. ``today`` (default:
    the current date) anchors relative phrases and the accepted years. See the module docstring
    for what is understood and how ambiguous phrases are read. ``seasons`` is the region season
    words are read with (:func:`desktop.interview.seasons.resolve_seasons`); None refuses them.

    The result is always accepted by :func:`desktop.case.dates.is_valid_edtf`. Raises
    :class:`ValidationError` (with ``value=text``): :data:`NO_DATE` for an empty phrase or one
    saying there is no date, :data:`IMPOSSIBLE_DATE` for a day that does not exist,
    :data:`YEAR_OUT_OF_RANGE` for a year before 1900 or more than 5 years ahead,
    ``dates.ENDS_BEFORE_START`` for a backwards range, ``SEASON_*`` (desktop.interview.seasons)
    for a season word ``seasons`` cannot read, :data:`NOT_UNDERSTOOD` otherwise.
    """
    today = today or dt.date.today()
    raw = text.strip()
    normalized = _normalize(raw)
    if not any(ch.isalnum() for ch in normalized):
        raise ValidationError(NO_DATE, value=raw)
    if len(normalized) > _MAX_LENGTH:
        raise ValidationError(NOT_UNDERSTOOD, value=raw)
    value = _typed_edtf(raw)
    if value is None:
        parser = _Parser(normalize_language(lang) or DEFAULT_LANGUAGE, today, seasons)
        parsed = parser.phrase(normalized)
        if parsed is None:
            if parser.refusal:
                raise ValidationError(parser.refusal, value=raw)
            if parser.impossible:
                raise ValidationError(IMPOSSIBLE_DATE, value=raw)
            if not any(ch.isdigit() for ch in normalized) and _NO_DATE.search(normalized):
                raise ValidationError(NO_DATE, value=raw)
            raise ValidationError(NOT_UNDERSTOOD, value=raw)
        value = parsed.edtf()
    _check(value, raw, today)
    return value


def understand(
    text: str, lang: str, today: dt.date | None = None, *, seasons: str | None = None
) -> tuple[str, str]:
    """``(edtf, phrase)``: the EDTF of ``text`` and how Declara says it back in ``lang``.

    For the "understood as" preview shown before saving, e.g.
    ``understand("alrededor de 2009", "es") == ("2009~", "alrededor de 2009")``.
    Raises the same errors as :func:`phrase_to_edtf`.
    """
    value = phrase_to_edtf(text, lang, today, seasons=seasons)
    return value, format_edtf(value, lang)


def _typed_edtf(raw: str) -> str | None:
    """``raw`` when it is EDTF typed directly ('2015~', '199x', '2023-11/2024-01'), else None; a
    season code is given as its (northern) months, '2021-22' as '2021-06/2021-08'."""
    if not _EDTF_CHARS.fullmatch(raw):
        return None
    candidate = raw.upper()
    if is_valid_edtf(candidate):
        return season_data.season_codes_to_months(candidate)
    try:
        parse_edtf(candidate)
    except ValidationError as err:
        if err.msgid == ENDS_BEFORE_START:
            raise ValidationError(ENDS_BEFORE_START, value=raw) from err
    return None  # '12/3/2024', '2015-2017': read as a phrase


def _check(value: str, raw: str, today: dt.date) -> None:
    """Refuse a value dates.py does not accept, a backwards range, or a year out of range."""
    try:
        parsed = parse_edtf(value)
    except ValidationError as err:
        msgid = ENDS_BEFORE_START if err.msgid == ENDS_BEFORE_START else NOT_UNDERSTOOD
        raise ValidationError(msgid, value=raw) from err
    # A decade counts from its first year (199X as 1990), so the current one is accepted even when
    # it ends more than _YEARS_AHEAD years from now.
    first_years = _UNSPECIFIED_YEAR.sub(lambda m: m[1] + "0" * len(m[2]), value)
    latest = parse_edtf(first_years).upper if first_years != value else parsed.upper
    last_year = today.year + _YEARS_AHEAD
    if (parsed.lower and parsed.lower.year < FIRST_YEAR) or (latest and latest.year > last_year):
        raise ValidationError(YEAR_OUT_OF_RANGE, value=raw, first=FIRST_YEAR, last=last_year)
