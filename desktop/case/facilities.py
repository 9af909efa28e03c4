"""ICE detention facilities: the list shipped in ``resources/data/ice-detention-facilities.csv``.

The list (see ``resources/data/README.md`` for its source and license) keeps names as ICE
publishes them, some in capitals ("SOUTH TEXAS ICE PROCESSING CENTER"), some not. A
:class:`Facility` holds the row verbatim; its ``display_*`` properties turn text written all in
capitals into title case for the screen, keeping acronyms (ICE, CDF, USP, ...) and a trailing
state code ("CASCADE COUNTY JAIL, MT") in capitals. Text with any lower-case letter is shown as
written: ICE's own mixed case ("McCook", "MacClenny") is better than any guess.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Final

from desktop.case.states import STATE_CODES
from desktop.paths import resource_path
from desktop.case.search import fold

__all__ = ["COLUMNS", "Facility", "load_facilities", "search_facilities", "title_case"]

COLUMNS: Final = (
    "name",
    "street",
    "city",
    "state",
    "postal_code",
    "field_office",
    "facility_type",
    "latitude",
    "longitude",
)

# Kept in capitals: agencies, facility types and abbreviations found in the list, and Roman
# numerals. "IAM" is ICE's spelling of the IAH Secure Adult Detention Facility.
_ACRONYMS: Final = frozenset(
    {
        "CCA", "CCNO", "CDF", "CLIPC", "DOD", "ERO", "FCI", "FDC", "FPO", "GEO", "IAH", "IAM",
        "ICE", "IPC", "JTF", "LLC", "MCF", "MDC", "SPC", "SSM", "TGK", "US", "USA", "USMS",
        "USP", "II", "III", "IV", "VI",
    }
)  # fmt: skip
# Lower-case inside a name ("Corrections Center of Northwest Ohio").
_SMALL_WORDS: Final = frozenset({"and", "at", "for", "of", "on", "the"})
_WORD = re.compile(r"[A-Z0-9']+")


@dataclass(frozen=True)
class Facility:
    """One row of the facility list, every column verbatim as a string ('' when empty)."""

    name: str
    street: str
    city: str
    state: str
    postal_code: str
    field_office: str
    facility_type: str
    latitude: str
    longitude: str

    @cached_property
    def display_name(self) -> str:
        """The name for the screen: 'SOUTH TEXAS ICE PROCESSING CENTER' -> 'South Texas ICE ...'."""
        return title_case(self.name)

    @cached_property
    def display_city(self) -> str:
        """The city for the screen: 'FT.LAUDERDALE' -> 'Ft.Lauderdale'."""
        return title_case(self.city)

    @cached_property
    def display(self) -> str:
        """'South Texas ICE Processing Center, Pearsall, TX'.

        Empty parts are left out, and so is a part that repeats the one before it (the
        Guantánamo row has 'FPO' as both city and state).
        """
        parts: list[str] = []
        for part in (self.display_name, self.display_city, self.state.strip()):
            if part and (not parts or part != parts[-1]):
                parts.append(part)
        return ", ".join(parts)

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """(latitude, longitude) in degrees, or None when the row has none."""
        try:
            return float(self.latitude), float(self.longitude)
        except ValueError:
            return None

    @cached_property
    def _search_text(self) -> str:
        """Name and city, folded for :func:`search_facilities`."""
        return fold(f"{self.name} {self.city}")


def title_case(text: str) -> str:
    """Title case for text written all in capitals; anything else is returned unchanged.

    Acronyms stay in capitals, 'of', 'and' and the like are lower-cased inside the text, 'MC'
    names become 'Mc' names ('MCCOOK' -> 'McCook'), an apostrophe does not start a word
    ("SHERIFF'S" -> "Sheriff's"), and a state code ending the text after a comma stays in
    capitals ('TORRANCE/ESTANCIA, NM' -> 'Torrance/Estancia, NM').
    """
    if text != text.upper():
        return text

    def word(match: re.Match[str]) -> str:
        token = match.group()
        if token in _ACRONYMS:
            return token
        if token in STATE_CODES and match.end() == len(text) and text[: match.start()].endswith(", "):
            return token
        if token.lower() in _SMALL_WORDS and match.start() > 0:
            return token.lower()
        if token.startswith("MC") and len(token) > 3:
            return "Mc" + token[2:].capitalize()
        return token.capitalize()

    return _WORD.sub(word, text)


def load_facilities(path: str | os.PathLike[str] | None = None) -> list[Facility]:
    """The facilities in ``path`` (default: the bundled list), sorted by display name.

    The file is read once per path; every call returns a new list. Raises ValueError when the
    header is not :data:`COLUMNS`, OSError when the file cannot be read.
    """
    source = Path(path) if path is not None else resource_path("data", "ice-detention-facilities.csv")
    return list(_load(source.resolve()))


def listed_facility(facility: str | None) -> Facility | None:
    """The row of the ICE list a facility recorded by name stands for (the list's name or its
    display form, with or without the city or a "(CLIPC)"); None when it is not listed."""
    if not facility:
        return None
    from desktop.case.search import fold

    def key(text: str) -> str:  # "… Center (CLIPC), Jena, LA" is the same place as "… Center, Jena, LA"
        return fold(re.sub(r"\s*\([^)]*\)", "", text))

    wanted = key(facility)
    for item in load_facilities():
        if wanted in (key(item.name), key(item.display_name), key(item.display)):
            return item
    return None


def search_facilities(
    query: str, limit: int = 20, *, facilities: Iterable[Facility] | None = None
) -> list[Facility]:
    """Facilities where every word of ``query`` appears in the name or the city.

    Matching ignores case and accents ('pearsall', 'ADELANTO'). Facilities whose display name
    starts with the query come first, then the others, each group in the order given (display
    order for the bundled list). ``facilities`` defaults to :func:`load_facilities`; pass the
    user's own list merged with it to search both. An empty query, or ``limit`` below 1, finds
    nothing.
    """
    words = fold(query).split()
    needle = " ".join(words)
    if not words or limit < 1:
        return []
    pool = load_facilities() if facilities is None else facilities
    found = [f for f in pool if all(w in f._search_text for w in words)]
    found.sort(key=lambda f: not fold(f.display_name).startswith(needle))
    return found[:limit]


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Facility, ...]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = tuple(next(reader, ()))
        if header != COLUMNS:
            raise ValueError(f"{path}: expected columns {','.join(COLUMNS)}, got {header}")
        rows = []
        for row in reader:
            if not any(row):
                continue
            if len(row) != len(COLUMNS):
                raise ValueError(f"{path}, line {reader.line_num}: {len(row)} columns")
            rows.append(Facility(*row))
    return tuple(sorted(rows, key=_sort_key))


def _sort_key(facility: Facility) -> tuple[str, str, str]:
    return fold(facility.display_name), fold(facility.display_city), facility.state
