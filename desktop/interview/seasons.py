"""Seasons as the speaker means them: which months "verano de 2018" names depends on who says it.

To someone from the United States or Spain "verano" is June to August; to a client from El
Salvador, Honduras, Guatemala or Nicaragua "invierno" is the rainy season (about May to October)
and "verano" the dry season (about November to April); in Argentina "verano" is December to
February. Declara never guesses: a season word is read only with a *region*
(:data:`REGIONS`), chosen per visit or taken from the client's country, and is stored as the
months it means (``2019-05/2019-10``), never as an EDTF season code.

The regions, their countries, the months of each season word and the public sources for each
fact are data, in ``resources/seasons.toml``; docs/dates.md explains them. This module reads that
file and gives :mod:`desktop.interview.phrases` its season readers:

- :func:`season_months` — the first and last month of a season word said with a year, in a
  region; raises :class:`SeasonRefused` (with the msgid to show) when the region is unknown, the
  word has no meaning there, or the word is ambiguous there;
- :func:`read_season` — the same with the year it was named with, or for a season said with
  both years ("winter 2020–2021", "verano 2018-2019");
- :func:`code_months` and :func:`season_codes_to_months` — EDTF season codes (``2021-22``)
  typed directly or stored long ago, read as the northern meteorological seasons Declara has
  always used, as months.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from desktop.i18n import N_, _
from desktop.paths import resource_path

__all__ = [
    "REGIONS",
    "REGION_LABELS",
    "SEASON_NEEDS_REGION",
    "SEASON_NOT_LOCAL",
    "SEASON_WORD_AMBIGUOUS",
    "SeasonRefused",
    "code_months",
    "region_for_country",
    "region_label",
    "resolve_seasons",
    "season_codes_to_months",
    "season_months",
    "read_season",
]

REGIONS: tuple[str, ...] = ("northern", "central_america", "southern")
AUTO: Final = "auto"
ASK: Final = "ask"

# Labels for the settings (msgids; region_label translates them).
REGION_LABELS: dict[str, str] = {
    "northern": N_(
        "Northern: spring = March–May, summer = June–August, fall = September–November, "
        "winter = December–February"
    ),
    "central_america": N_(
        "Central American: invierno = rainy season (May–October), verano = dry season (November–April)"
    ),
    "southern": N_(
        "Southern: summer = December–February, fall = March–May, winter = June–August, "
        "spring = September–November"
    ),
}

# Error messages (ValidationError msgids). Translators: {value} is the date phrase as typed.
SEASON_NEEDS_REGION = N_(
    "“{value}” names a season, and seasons mean different months to different people. "
    "Choose how the client names seasons, or say the months."
)
# Translators: {value} is the date phrase as typed, e.g. "winter 2019".
SEASON_WORD_AMBIGUOUS = N_(
    "“{value}” uses an English season word, which may be a word-for-word rendering of "
    "“invierno” or “verano”: in Central America those are the rainy and the dry season. "
    "Say the months, or “rainy season” or “dry season”."
)
# Translators: {value} is the date phrase as typed, e.g. "primavera de 2019".
SEASON_NOT_LOCAL = N_(
    "“{value}” names a season that has no local meaning where the client is from: Central America "
    "has a rainy season (invierno) and a dry season (verano). Say the months."
)

Month = tuple[int, int]  # (year, month)

# EDTF season codes, read as the northern seasons: code -> season name.
_CODES: Final = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_CODE = re.compile(r"(\d{4})-(2[1-4])")


class SeasonRefused(Exception):
    """A season word that cannot be read in the region; ``msgid`` is the message to show."""

    def __init__(self, msgid: str) -> None:
        super().__init__(msgid)
        self.msgid = msgid


@dataclass(frozen=True)
class _Season:
    first: int
    last: int
    years: tuple[int, int] = (0, 0)

    def months(self, year: int) -> tuple[Month, Month]:
        return (year + self.years[0], self.first), (year + self.years[1], self.last)


@dataclass(frozen=True)
class _Region:
    countries: frozenset[str]
    seasons: dict[str, _Season]
    english_words_ambiguous: bool


@dataclass(frozen=True)
class _Data:
    words: dict[str, tuple[str, str]]  # word -> (season name, "en" | "es")
    everywhere: dict[str, _Season]
    regions: dict[str, _Region]


def _season(entry: dict[str, Any]) -> _Season:
    first, last = entry["months"]
    years = tuple(entry.get("years", (0, 0)))
    return _Season(int(first), int(last), (int(years[0]), int(years[1])))


@cache
def _data() -> _Data:
    with open(resource_path("seasons.toml"), "rb") as fh:
        doc = tomllib.load(fh)
    words = {
        word: (name, lang)
        for name, langs in doc["words"].items()
        for lang, spelled in langs.items()
        for word in spelled
    }
    regions = {}
    for key in REGIONS:
        table = doc["regions"][key]
        regions[key] = _Region(
            frozenset(table["countries"]),
            {name: _season(table[name]) for name in doc["words"] if isinstance(table.get(name), dict)},
            bool(table.get("english_words_ambiguous", False)),
        )
    everywhere = {name: _season(entry) for name, entry in doc["everywhere"].items()}
    return _Data(words, everywhere, regions)


# ---------------------------------------------------------------------------------------------
# Regions


def region_for_country(country: str | None) -> str | None:
    """The region of an ISO 3166 alpha-2 country code ('SV' -> 'central_america'); None if unknown."""
    code = (country or "").strip().upper()
    for key, region in _data().regions.items():
        if code in region.countries:
            return key
    return None


def resolve_seasons(setting: str | None, country: str | None) -> str | None:
    """The region to read season words with, from a visit's setting and the client's country.

    A region key wins; ``None`` or ``"auto"`` means the client's country's region (None when the
    country is unknown or has none); ``"ask"`` (or anything else) means no region: season words
    are then refused with :data:`SEASON_NEEDS_REGION`.
    """
    if setting in REGIONS:
        return setting
    if setting is None or setting == AUTO:
        return region_for_country(country)
    return None


def region_label(region: str) -> str:
    """The label of a region in the current interface language."""
    return _(REGION_LABELS[region])


# ---------------------------------------------------------------------------------------------
# Season readers (for desktop.interview.phrases)


def season_words() -> tuple[str, ...]:
    """Every season word ("verano", "winter", "época lluviosa" as "epoca lluviosa"), longest first."""
    return tuple(sorted(_data().words, key=len, reverse=True))


def _lookup(word: str, region: str | None) -> _Season:
    data = _data()
    name, lang = data.words[word]
    if name in data.everywhere:  # rainy and dry season: the same months in every region
        return data.everywhere[name]
    if region is None or region not in data.regions:
        raise SeasonRefused(SEASON_NEEDS_REGION)
    place = data.regions[region]
    if place.english_words_ambiguous and lang == "en":
        raise SeasonRefused(SEASON_WORD_AMBIGUOUS)
    if name not in place.seasons:
        raise SeasonRefused(SEASON_NOT_LOCAL)
    return place.seasons[name]


def season_months(word: str, year: int, region: str | None) -> tuple[Month, Month]:
    """The first and last month of the season ``word`` (normalized) named with ``year`` in ``region``.

    ``season_months("invierno", 2019, "central_america") == ((2019, 5), (2019, 10))``. Raises
    :class:`SeasonRefused` when the word cannot be read there.
    """
    return _lookup(word, region).months(year)


def read_season(
    word: str, year: int, region: str | None, next_year: int | None = None
) -> tuple[int, Month, Month] | None:
    """``(named year, first month, last month)`` of a season word said with ``year``, or with two
    years ("winter 2020–2021", "verano 2018-2019": None unless the season runs from ``year`` into
    ``next_year`` in that region). Raises :class:`SeasonRefused` like :func:`season_months`."""
    season = _lookup(word, region)
    if next_year is None:
        return (year, *season.months(year))
    named = year - season.years[0]
    if season.years[0] == season.years[1] or named + season.years[1] != next_year:
        return None
    return (named, *season.months(named))


def code_months(year: int, code: int) -> tuple[Month, Month]:
    """An EDTF season code (21-24) as the northern meteorological season Declara always meant."""
    return _data().regions["northern"].seasons[_CODES[code]].months(year)


def season_codes_to_months(value: str) -> str:
    """A valid EDTF value with its season codes written as months, the same bounds as before.

    ``2021-22`` -> ``2021-06/2021-08``; an interval end takes the season's first month (start) or
    last month (end): ``2021-22/2021-23`` -> ``2021-06/2021-11``. EDTF cannot qualify a season, and
    Declara's dates refuse one inside a set, so these are the only places a code can be.
    """

    def month(point: Month) -> str:
        return f"{point[0]:04d}-{point[1]:02d}"

    whole = _CODE.fullmatch(value)
    if whole:
        first, last = code_months(int(whole[1]), int(whole[2]))
        return f"{month(first)}/{month(last)}"
    if "/" not in value:
        return value
    start, end = value.split("/", 1)
    if m := _CODE.fullmatch(start):
        start = month(code_months(int(m[1]), int(m[2]))[0])
    if m := _CODE.fullmatch(end):
        end = month(code_months(int(m[1]), int(m[2]))[1])
    return f"{start}/{end}"
