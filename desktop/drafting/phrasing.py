"""How dates are said in a paragraph of the declaration, in English and Spanish.

A date is said at its real precision, never with an invented day: "Around 2015", "Between March
and May 2021" (a season is stored and said as its months), "Between November 2023 and January
2024", "On June 18, 2022"; an uncertain date gets a note in the first person instead of
"(uncertain)". The phrases come from
:func:`desktop.case.dates.format_edtf`; this module adds the prepositions and articles a sentence
needs, the birth phrase of the identity paragraph, and the sort key of the chronology.
"""

from __future__ import annotations

import re
from typing import Final

from desktop.case.dates import format_edtf, parse_edtf, sort_bounds
from desktop.errors import ValidationError


def _spanish_days(text: str) -> str:
    """Add the article Spanish puts before a day: 'entre el 1 de junio…', 'alrededor del 18 de…'."""
    text = re.sub(r"\bde (?=\d{1,2} de [a-z])", "del ", text)
    return re.sub(r"\b(entre|y|o|hasta|desde) (?=\d{1,2} de [a-z])", r"\1 el ", text)


_NO_PREPOSITION_EN = re.compile(r"^(around|between|until|since|from)\b")
_NO_PREPOSITION_ES = re.compile(r"^(alrededor|entre|hasta|desde)\b")
_DAY_EN = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4}")
_DAY_ES = re.compile(r"^(el )?\d{1,2} de ")
_UNCERTAIN_NOTE: Final = {
    "en": " (I am not certain of the exact date)",
    "es": " (no recuerdo la fecha con certeza)",
}


def _date_parts(value: str, lang: str) -> tuple[str, str, str]:
    """(preposition, date phrase, uncertainty note) for ``value`` in ``lang``.

    The phrase comes from :func:`format_edtf` at the value's real precision; the preposition is
    '' for phrases that carry their own ('around …', 'between …'), 'on'/'el' for a day and
    'in'/'en' otherwise. An uncertain date (``?``, ``%``) is said without '(uncertain)' and gets
    a note in the first person instead.
    """
    parsed = parse_edtf(value)
    text = value.strip()
    note = ""
    if parsed.uncertain:
        text = text.replace("%", "~").replace("?", "")
        note = _UNCERTAIN_NOTE[lang]
    phrase = _same_year(format_edtf(text, lang), lang)
    if lang == "en":
        if _NO_PREPOSITION_EN.match(phrase):
            return "", phrase, note
        return ("on" if _DAY_EN.match(phrase) else "in"), phrase, note
    phrase = _spanish_days(phrase)
    if _NO_PREPOSITION_ES.match(phrase):
        return "", phrase, note
    if _DAY_ES.match(phrase):
        return "", phrase if phrase.startswith("el ") else "el " + phrase, note
    return "en", phrase, note


_SAME_YEAR_EN = re.compile(r"\b(between|from) ([A-Z][a-z]+) (\d{4}) (and|to) ([A-Z][a-z]+) \3\b")
_SAME_YEAR_ES = re.compile(r"\b(entre|desde) ([a-záéíóúñ]+) de (\d{4}) (y|hasta|a) ([a-záéíóúñ]+) de \3\b")


def _same_year(phrase: str, lang: str) -> str:
    """Say the year once when both ends share it: 'between May and August 2021', 'entre mayo y
    agosto de 2021' (not 'entre mayo de 2021 y agosto de 2021')."""
    if lang == "en":
        return _SAME_YEAR_EN.sub(r"\1 \2 \4 \5 \3", phrase)
    return _SAME_YEAR_ES.sub(r"\1 \2 \4 \5 de \3", phrase)


def date_phrase(value: str, lang: str) -> str:
    """How a date is said inside a sentence, in lower case: 'in March 2022', 'around 2015',
    'between May and August 2021', 'el 18 de junio de 2022', 'entre mayo y agosto de 2021'. Raises
    :class:`~desktop.errors.ValidationError` for a value that is not a date."""
    preposition, phrase, note = _date_parts(value, lang)
    return f"{preposition} {phrase}".strip() + note


def date_opening(value: str, lang: str) -> str:
    """How a paragraph about an event on ``value`` starts, without the comma.

    'In March 2022', 'Around 2015', 'Between November 2023 and January
    2024', 'Between May and August 2021', 'On June 18, 2022'; Spanish 'En marzo de 2022', 'Alrededor
    de 2015', 'Entre noviembre de 2023 y enero de 2024', 'Entre mayo y
    agosto de 2021', 'El 18 de junio de 2022'. Raises
    :class:`~desktop.errors.ValidationError` for a value that is not a date.
    """
    preposition, phrase, note = _date_parts(value, lang)
    return _capitalize(f"{preposition} {phrase}".strip()) + note


def _birth_phrase(value: str, lang: str) -> str:
    """'on March 12, 1994,' / 'el 12 de marzo de 1994' / 'in March 1994' / 'around 1994'."""
    preposition, phrase, note = _date_parts(value, lang)
    text = f"{preposition} {phrase}".strip() + note
    if lang == "en" and _DAY_EN.match(phrase) and not note:
        text += ","  # "I was born on March 12, 1994, in …"
    return text


def _sort_key(value: str) -> tuple[str, str]:
    """Earliest then latest day of a date, as ``desktop.case.dates.sort_bounds`` gives; bad dates last."""
    try:
        lower, upper = sort_bounds(value)
    except ValidationError:
        return ("9999-99-99", "9999-99-99")
    return (lower or "0000-00-00", upper or "9999-99-99")


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
