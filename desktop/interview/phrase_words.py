"""The words and patterns of the date-phrase parser (:mod:`desktop.interview.phrases`), in English
and Spanish: month, number and decade words, the tokens the patterns are made of, the qualifiers,
open intervals, ranges, sets and "no date" phrases, and how a phrase is normalized before any of
them is tried (lower case, no accents, ASCII dashes). Tables only: the readers that turn a match
into a value, and the parser, are in :mod:`desktop.interview.phrases`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from desktop.interview import seasons as season_data

if TYPE_CHECKING:
    from desktop.interview.phrase_values import _Date

# ---------------------------------------------------------------------------------------------
# Words (accents removed, lower case: see _normalize)

_MONTH_WORDS = (
    (1, "january jan enero ene"),
    (2, "february feb febrero"),
    (3, "march mar marzo"),
    (4, "april apr abril abr"),
    (5, "may mayo"),
    (6, "june jun junio"),
    (7, "july jul julio"),
    (8, "august aug agosto ago"),
    (9, "september sept sep septiembre setiembre set"),
    (10, "october oct octubre"),
    (11, "november nov noviembre"),
    (12, "december dec diciembre dic"),
)
_NUMBER_WORDS = (
    (1, "one a an uno un una"),
    (2, "two dos"),
    (3, "three tres"),
    (4, "four cuatro"),
    (5, "five cinco"),
    (6, "six seis"),
    (7, "seven siete"),
    (8, "eight ocho"),
    (9, "nine nueve"),
    (10, "ten diez"),
)
_DECADE_WORDS = (
    (20, "twenties veinte"),
    (30, "thirties treinta"),
    (40, "forties cuarenta"),
    (50, "fifties cincuenta"),
    (60, "sixties sesenta"),
    (70, "seventies setenta"),
    (80, "eighties ochenta"),
    (90, "nineties noventa"),
    (2000, "dos_mil"),  # "los dos mil": the underscore stands for the space (see _lookup)
)


def _lookup(table: Iterable[tuple[int, str]]) -> dict[str, int]:
    """{word: number} from rows of (number, "space separated words"); '_' is a space in a word."""
    return {word.replace("_", " "): number for number, words in table for word in words.split()}


_MONTHS = _lookup(_MONTH_WORDS)
_NUMBERS = _lookup(_NUMBER_WORDS)
_DECADES = _lookup(_DECADE_WORDS)


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so 'marzo' wins over 'mar'."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# Tokens of the patterns below; the text they run on has single spaces and no commas.
_MONTH = rf"(?P<month>{_alt(_MONTHS)})\.?"
_DAY = r"(?P<day>\d{1,2}|primero|first)(?:st|nd|rd|th|ero|ro|er|o|°)?"
# A 4-digit year, '95, or "del 95" (Spanish speakers say "marzo del 95").
_YEAR = r"(?:(?:of|de|del|in) )?(?:el )?(?P<year>\d{4}|'\d{2}|(?<=del )\d{2})"
_SEASON = rf"(?P<season>{_alt(season_data.season_words())})"
_NUMBER = rf"(?P<n>\d{{1,2}}|{_alt(_NUMBERS)})"
_DECADE_WORD = rf"(?P<word>{_alt(_DECADES)})"


_AGO_UNITS = (
    ("year", r"years?", r"anos?"),
    ("month", r"months?", r"mes(?:es)?"),
    ("week", r"weeks?", r"semanas?"),
    ("day", r"days?", r"dias?"),
)
_PART_WORDS = {
    "early": r"early|(?:the )?(?:beginning|start) of|(?:principios?|comienzos?|inicios?) del?",
    "mid": r"mid|(?:the )?middle of|mediados del?|(?:la )?mitad del?",
    "late": r"late|(?:the )?end of|finales del?|fines del?|(?:el )?final del?|fin del?",
}
_LOS = r"los (?:anos )?"
_DECADE_PATTERNS = (
    r"'?(?P<yy>\d{2})'?s",  # 90s, '90s, 90's
    r"(?P<yyyy>\d{3}0)'?s",  # 1990s
    rf"(?:{_LOS})?{_DECADE_WORD}",  # nineties, los noventa, los años noventa, los dos mil
    rf"{_LOS}(?:'?(?P<yy>\d{{2}})|(?P<yyyy>\d{{3}}0))'?s?",  # los 90, los años 90, los 2000
    rf"decada (?:de |del )?(?:{_LOS})?(?:(?P<yy>\d{{2}})|(?P<yyyy>\d{{3}}0)|{_DECADE_WORD})s?",
)

# Words that only introduce a date: "in 2015", "el año 2015", "the summer of 2018", "fue en 2015".
_FILLER = re.compile(
    r"(?:in|on|at|during|the|year|it was|was|sometime in|sometime during|some time in|at some point in"
    r"|en|el|la|ano|de|del|durante|fue|era|en algun momento del?) (?P<rest>.+)"
)

# Qualifiers before or after the rest of the phrase: (pattern, approximate, uncertain).
_APPROX_BEFORE = (
    r"around|about|circa|ca|approximately|roughly|more or less|sometime around|somewhere around|close to"
    r"|alrededor del?|como|mas o menos|aproximadamente|por ahi del?|por el|cerca del?|hacia"
)
_APPROX_AFTER = (
    r"~|or so|or thereabouts|more or less|approximately|approx\.?|roughly|mas o menos|aproximadamente"
    r"|aprox\.?|o por ahi|o algo asi|\(approximate\)|\(aproximad[ao]\)"
)
_UNCERTAIN_BEFORE = (
    r"maybe|perhaps|probably|possibly|i think|i believe|quizas?|tal vez|talvez|a lo mejor|creo que"
    r"|pienso que|me parece que|probablemente|posiblemente|puede que sea|capaz que"
)
_UNCERTAIN_AFTER = (
    r"\?|i think|i believe|maybe|probably|perhaps|not sure|i'm not sure|creo|pienso|me parece|tal vez"
    r"|quizas?|probablemente|no estoy segur[ao]|\(uncertain\)|\(fecha incierta\)"
)
_QUALIFIERS: tuple[tuple[re.Pattern[str], bool, bool], ...] = (
    (re.compile(r"(?:it was|it's|was|fue|era) (?P<rest>.+)"), False, False),  # "it was probably 2015"
    (re.compile(rf"(?:(?:{_APPROX_BEFORE}) |(?:c|ca|circa|approx|aprox)\. ?|~ ?)(?P<rest>.+)"), True, False),
    (re.compile(rf"(?P<rest>.+?)[ ,]*(?:{_APPROX_AFTER})"), True, False),
    (re.compile(rf"(?:{_UNCERTAIN_BEFORE}) (?P<rest>.+)"), False, True),
    (re.compile(rf"(?P<rest>.+?)[ ,]*(?:{_UNCERTAIN_AFTER})"), False, True),
)

# Open intervals and open sets: (pattern, kind); "before" is strictly before.
_OPEN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:before|prior to|earlier than|antes del?|previo a|anterior a) (?P<rest>.+)"), "before"),
    (
        re.compile(
            r"(?:until|till|up to|up until|through|no later than|not later than|hasta|no despues del?"
            r"|a mas tardar en) (?P<rest>.+)"
        ),
        "until",
    ),
    (re.compile(r"(?:after|later than|despues del?|luego del?|posterior a) (?P<rest>.+)"), "after"),
    (
        re.compile(
            r"(?:since|from|starting(?: in| from)?|no earlier than|not earlier than|desde|a partir del?"
            r"|no antes del?) (?P<rest>.+)"
        ),
        "since",
    ),
    (
        re.compile(r"(?:(?:from|de|del|desde) )?(?P<rest>.+?) (?:on|onwards?|en adelante|para adelante)"),
        "since",
    ),
    (re.compile(r"(?P<rest>.+?) (?:or earlier|or before|o antes|o anterior)"), "earlier"),
    (re.compile(r"(?P<rest>.+?) (?:or later|or after|o despues|o mas tarde)"), "later"),
)


# Ranges: (prefix, separator between the two dates); each separator is tried in turn.
_TO = r" (?:to|until|till|through|thru|a|al|hasta) | ?- ?"
_RANGES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"(?:between|entre) (?P<rest>.+)"), re.compile(r" (?:and|y|e|a|to) | ?- ?")),
    (re.compile(r"(?:from|since|de|del|desde) (?P<rest>.+)"), re.compile(_TO)),
    (re.compile(r"(?P<rest>.+)"), re.compile(_TO)),
)
_NOW = re.compile(
    r"now|the present|present|today|nowadays|ahora|el presente|la fecha|hoy|hoy en dia|la actualidad"
)
_UNKNOWN_END = re.compile(r"(?:an )?unknown(?: date)?|(?:una )?fecha desconocida|desconocido")

# A month, season or day said without its year, inside a range or set: (pattern, what the other date needs).
_PARTIAL: tuple[tuple[re.Pattern[str], Callable[[_Date], bool]], ...] = (
    (re.compile(_MONTH), lambda other: other.month is not None),
    (re.compile(rf"{_MONTH} (?:the )?{_DAY}"), lambda other: True),
    (re.compile(rf"(?:the )?{_DAY} (?:(?:of|de) )?{_MONTH}"), lambda other: True),
    (re.compile(rf"(?:the )?{_DAY}"), lambda other: other.day is not None),
)
_SEASON_ALONE = re.compile(rf"(?:(?:the|el|la) )?{_SEASON}")
_OR = re.compile(r" (?:or|o|u) ")
_COMMA = re.compile(r" ?, ?")

# Text that says there is no date (checked only when nothing was understood and there is no digit).
_NO_DATE = re.compile(
    r"\b(?:remember|recall|know|sure|unknown|idk|n/?a|none|sometime|some ?time|some point|long ago|a while"
    r"|recuerd\w*|acuerd\w*|se|sabe|segur[ao]|desconocid\w*|algun momento|alguna vez|tiempo|mucho|nunca"
    r"|no aplica)\b"
)
# Characters of an EDTF value, to try a phrase as EDTF typed directly.
_UNSPECIFIED_YEAR = re.compile(r"\b(\d\d\d?)(XX?)\b")  # 199X, 20XX (not 2015-XX)
_EDTF_CHARS = re.compile(r"[\dXx.~?%/,\[\]-]+")
_DASHES = str.maketrans(
    {"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "’": "'", "‘": "'", "´": "'", "`": "'"}
)
_EDGES = ' .,;:!¡¿"“”«»'


def _normalize(text: str) -> str:
    """Lower case, no accents (año → ano, ó → o), ASCII dashes and apostrophes, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().translate(_DASHES)
    for quote in '“”«»"':
        text = text.replace(quote, "")
    return " ".join(text.split()).strip(_EDGES)
