"""Date phrases typed in English or Spanish, turned into EDTF (desktop/interview/phrases.py).

Every case asserts the exact EDTF and that it is a value desktop.case.dates accepts. Relative phrases
use a fixed day, TODAY (a Wednesday); with it the accepted years are 1900-2031 and two-digit
years 00-27 mean 2000-2027.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

import desktop.interview.phrases
from desktop.case.dates import ENDS_BEFORE_START, format_edtf, is_valid_edtf
from desktop.errors import ValidationError
from desktop.interview.phrases import (
    IMPOSSIBLE_DATE,
    NO_DATE,
    NOT_UNDERSTOOD,
    SEASON_NEEDS_REGION,
    YEAR_OUT_OF_RANGE,
    phrase_to_edtf,
    understand,
)

TODAY = date(2026, 11, 25)


def _edtf(text: str, lang: str, today: date = TODAY) -> str:
    value = phrase_to_edtf(text, lang, today)
    assert is_valid_edtf(value), value
    return value


# ---------------------------------------------------------------------------------------------
# English phrases (typed with lang="en")

ENGLISH = [
    # EDTF typed directly
    ("2015~", "2015~"),
    ("2021-22", "2021-06/2021-08"),  # EDTF summer 2021 (as its months), not 2021 to 2022
    ("2023-11/2024-01", "2023-11/2024-01"),
    ("199x", "199X"),
    ("2015-XX", "2015-XX"),
    ("[1991,1992]", "[1991,1992]"),
    # full dates
    ("March 12, 2024", "2024-03-12"),
    ("12 March 2024", "2024-03-12"),
    ("March 12th, 2024.", "2024-03-12"),
    ("the 1st of May 2020", "2020-05-01"),
    ("2024-03-12", "2024-03-12"),
    ("2024/03/12", "2024-03-12"),
    # month and year
    ("March 2022", "2022-03"),
    ("mar 2022", "2022-03"),
    ("Sept. 2020", "2020-09"),
    ("march of 2022", "2022-03"),
    ("3/2022", "2022-03"),
    ("march '95", "1995-03"),
    # year
    ("2015", "2015"),
    ("in 2015", "2015"),
    ("in the year 2015", "2015"),
    ("sometime in 2015", "2015"),
    # approximate
    ("around 2015", "2015~"),
    ("about 2015", "2015~"),
    ("circa 2015", "2015~"),
    ("c. 2015", "2015~"),
    ("ca. 2015", "2015~"),
    ("approximately 2015", "2015~"),
    ("2015 or so", "2015~"),
    ("around March 2022", "2022-03~"),
    # uncertain
    ("maybe 2015", "2015?"),
    ("2015 I think", "2015?"),
    ("2015, I think", "2015?"),
    ("probably 2015", "2015?"),
    ("it was probably 2015", "2015?"),
    ("2015?", "2015?"),
    ("maybe around 2015", "2015%"),
    # seasons need a region: see test_seasons below and tests/desktop/test_seasons.py
    # parts of a year or month
    ("early 2019", "2019-01/2019-04"),
    ("at the beginning of 2019", "2019-01/2019-04"),
    ("mid 2019", "2019-05/2019-08"),
    ("mid-2019", "2019-05/2019-08"),
    ("late 2019", "2019-09/2019-12"),
    ("the end of 2019", "2019-09/2019-12"),
    ("beginning of March 2022", "2022-03"),  # month precision: no invented day bounds
    ("late March 2022", "2022-03"),
    # ranges
    ("between 2015 and 2017", "2015/2017"),
    ("from 2015 to 2017", "2015/2017"),
    ("2015-2017", "2015/2017"),
    ("2015 – 2017", "2015/2017"),
    ("2015 to 2017", "2015/2017"),
    ("between November 2023 and January 2024", "2023-11/2024-01"),
    ("between March and May 2022", "2022-03/2022-05"),  # the year is borrowed
    ("from December to March 2022", "2021-12/2022-03"),  # ... and December is the one before
    ("from March 3 to March 5, 2024", "2024-03-03/2024-03-05"),
    ("from early 2019 to late 2020", "2019-01/2020-12"),
    ("from the 80s to the 90s", "1980/1999"),
    ("from 2015 until now", "2015/.."),
    ("around 2015 to 2017", "2015~/2017~"),
    # open
    ("before 2011", "../2010"),
    ("before March 2011", "../2011-02"),
    ("before the 90s", "../1989"),
    ("until 2011", "../2011"),
    ("up to 2011", "../2011"),
    ("after 2011", "2012/.."),
    ("after March 12, 2024", "2024-03-13/.."),
    ("since 2011", "2011/.."),
    ("from 2011 on", "2011/.."),
    ("1991 or earlier", "[..1991]"),
    ("1991 or later", "[1991..]"),
    # one of a set
    ("2015 or 2016", "[2015,2016]"),
    ("2015 or 2016 or 2017", "[2015,2016,2017]"),
    ("1991, 1992 or 1993", "[1991,1992,1993]"),
    ("maybe 2015 or 2016", "[2015?,2016?]"),
    ("March or April 2022", "[2022-03,2022-04]"),
    # decades
    ("the 90s", "199X"),
    ("the '90s", "199X"),
    ("in the nineties", "199X"),
    ("the 1990s", "199X"),
    ("the 2010s", "201X"),
    ("early 90s", "1990/1993"),
    ("in the mid-90s", "1994/1996"),
    ("late 1990s", "1997/1999"),
    ("around the 1990s", "199X~"),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_phrases(text: str, expected: str) -> None:
    assert _edtf(text, "en") == expected


# ---------------------------------------------------------------------------------------------
# Spanish phrases (typed with lang="es")

SPANISH = [
    # full dates
    ("12 de marzo de 2024", "2024-03-12"),
    ("12 de marzo del 2024", "2024-03-12"),
    ("marzo 12 2024", "2024-03-12"),
    ("el 12 de marzo, 2024", "2024-03-12"),
    ("primero de mayo de 2020", "2020-05-01"),
    ("1º de mayo de 2020", "2020-05-01"),
    ("12 de marzo del 24", "2024-03-12"),
    # month and year
    ("marzo 2022", "2022-03"),
    ("marzo de 2022", "2022-03"),
    ("marzo del 2022", "2022-03"),
    ("  MARZO   DEL   2022  ", "2022-03"),
    ("setiembre de 2020", "2020-09"),
    ("septiembre de 2020", "2020-09"),
    ("set 2020", "2020-09"),
    ("ago 2019", "2019-08"),
    ("dic. 2020", "2020-12"),
    ("ene 2021", "2021-01"),
    ("abr 2021", "2021-04"),
    ("marzo del 95", "1995-03"),
    # year
    ("en 2015", "2015"),
    ("el año 2015", "2015"),
    ("en el año 2015", "2015"),
    ("fue en el 2015", "2015"),
    # approximate
    ("alrededor de 2009", "2009~"),
    ("alrededor del 2009", "2009~"),
    ("como en 2009", "2009~"),
    ("más o menos en 2009", "2009~"),
    ("mas o menos 2009", "2009~"),
    ("2009 más o menos", "2009~"),
    ("aproximadamente 2009", "2009~"),
    ("por ahí de 2009", "2009~"),
    ("por ahí del 2009", "2009~"),
    ("Alrededor de Marzo de 2022", "2022-03~"),
    # uncertain
    ("quizás 2015", "2015?"),
    ("quizá 2015", "2015?"),
    ("tal vez 2015", "2015?"),
    ("creo que 2015", "2015?"),
    ("creo que fue en 2015", "2015?"),
    ("2015, creo", "2015?"),
    ("¿2015?", "2015?"),
    ("marzo de 2022?", "2022-03?"),
    # parts of a year or month
    ("a principios de 2019", "2019-01/2019-04"),
    ("a comienzos del 2019", "2019-01/2019-04"),
    ("a mediados de 2019", "2019-05/2019-08"),
    ("a finales de 2019", "2019-09/2019-12"),
    ("a fines de 2019", "2019-09/2019-12"),
    ("a finales del 2019", "2019-09/2019-12"),
    ("a principios de marzo de 2022", "2022-03"),
    # ranges
    ("entre 2015 y 2017", "2015/2017"),
    ("entre el 2015 y el 2017", "2015/2017"),
    ("de 2015 a 2017", "2015/2017"),
    ("desde 2015 hasta 2017", "2015/2017"),
    ("entre noviembre de 2023 y enero de 2024", "2023-11/2024-01"),
    ("noviembre 2023 - enero 2024", "2023-11/2024-01"),
    ("del 3 al 5 de marzo de 2024", "2024-03-03/2024-03-05"),
    ("del 28 de febrero al 3 de marzo de 2024", "2024-02-28/2024-03-03"),
    ("de diciembre a marzo de 2022", "2021-12/2022-03"),
    ("desde 2015 hasta ahora", "2015/.."),
    ("desde principios de 2019 hasta finales de 2020", "2019-01/2020-12"),
    # open
    ("antes de 2011", "../2010"),
    ("antes del 2011", "../2010"),
    ("antes de los 90", "../1989"),
    ("hasta 2011", "../2011"),
    ("hasta el 2011", "../2011"),
    ("después de 2011", "2012/.."),
    ("despues del 2011", "2012/.."),
    ("desde 2011", "2011/.."),
    ("desde el 2011", "2011/.."),
    ("a partir de 2011", "2011/.."),
    ("de 2011 en adelante", "2011/.."),
    ("1991 o antes", "[..1991]"),
    ("1991 o después", "[1991..]"),
    # one of a set
    ("1991 o 1992", "[1991,1992]"),
    ("1991 ó 1992", "[1991,1992]"),
    ("1991, 1992 o 1993", "[1991,1992,1993]"),
    ("marzo o abril de 2022", "[2022-03,2022-04]"),
    ("12 o 13 de marzo de 2024", "[2024-03-12,2024-03-13]"),
    # decades
    ("los 90", "199X"),
    ("en los 90", "199X"),
    ("los años 90", "199X"),
    ("los años noventa", "199X"),
    ("los noventa", "199X"),
    ("la década de 1990", "199X"),
    ("la década de los 80", "198X"),
    ("los dos mil", "200X"),
    ("a principios de los 90", "1990/1993"),
    ("a mediados de los noventa", "1994/1996"),
    ("a finales de los años 90", "1997/1999"),
]


@pytest.mark.parametrize(("text", "expected"), SPANISH)
def test_spanish_phrases(text: str, expected: str) -> None:
    assert _edtf(text, "es") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH + SPANISH)
def test_phrases_of_the_other_language_are_accepted(text: str, expected: str) -> None:
    """Interpreters mix languages: apart from all-numeric dates, ``lang`` changes nothing."""
    assert _edtf(text, "es") == _edtf(text, "en") == expected


# ---------------------------------------------------------------------------------------------
# Numeric dates: the order follows the language


@pytest.mark.parametrize(
    ("text", "english", "spanish"),
    [
        ("12/3/2024", "2024-12-03", "2024-03-12"),
        ("12-3-2024", "2024-12-03", "2024-03-12"),
        ("12.3.2024", "2024-12-03", "2024-03-12"),
        ("12 / 3 / 2024", "2024-12-03", "2024-03-12"),
        ("3/12/24", "2024-03-12", "2024-12-03"),
        ("1/2/85", "1985-01-02", "1985-02-01"),
        # Only one order gives a real day: that one, whatever the language.
        ("13/3/2024", "2024-03-13", "2024-03-13"),
        ("3/13/2024", "2024-03-13", "2024-03-13"),
        # ISO and month/year have one reading.
        ("2024-03-12", "2024-03-12", "2024-03-12"),
        ("03/2022", "2022-03", "2022-03"),
    ],
)
def test_numeric_dates_follow_the_language(text: str, english: str, spanish: str) -> None:
    assert _edtf(text, "en") == english
    assert _edtf(text, "es") == spanish


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("3/12/27", date(2026, 11, 25), "2027-03-12"),  # up to next year: 20YY
        ("3/12/28", date(2026, 11, 25), "1928-03-12"),  # beyond: 19YY
        ("3/12/28", date(2027, 1, 1), "2028-03-12"),
        ("in '99", date(2026, 11, 25), "1999"),
        ("the 20s", date(2026, 11, 25), "202X"),  # a two-digit decade that has started: 20Y0s
        ("the 30s", date(2026, 11, 25), "193X"),
        ("the 30s", date(2030, 1, 1), "203X"),
    ],
)
def test_two_digit_years_depend_on_today(text: str, today: date, expected: str) -> None:
    assert _edtf(text, "en", today) == expected


# ---------------------------------------------------------------------------------------------
# Relative phrases (TODAY is Wednesday 2026-11-25)

RELATIVE = [
    ("last year", "2025"),
    ("el año pasado", "2025"),
    ("this year", "2026"),
    ("este año", "2026"),
    ("el año antepasado", "2024"),
    ("two years ago", "2024~"),
    ("hace dos años", "2024~"),
    ("hace 2 años", "2024~"),
    ("a year ago", "2025~"),
    ("hace un año", "2025~"),
    ("ten years ago", "2016~"),
    ("hace diez años", "2016~"),
    ("about five years ago", "2021~"),
    ("last month", "2026-10"),
    ("el mes pasado", "2026-10"),
    ("this month", "2026-11"),
    ("hace tres meses", "2026-08~"),
    ("last week", "2026-11-16/2026-11-22"),
    ("la semana pasada", "2026-11-16/2026-11-22"),
    ("yesterday", "2026-11-24"),
    ("ayer", "2026-11-24"),
    ("antier", "2026-11-23"),
    ("antes de ayer", "2026-11-23"),  # the idiom, not "before yesterday"
    ("today", "2026-11-25"),
    ("hoy", "2026-11-25"),
    ("hace 3 días", "2026-11-22"),
    ("since last year", "2025/.."),
    ("desde hace dos años", "2024~/.."),
    ("a principios del año pasado", "2025-01/2025-04"),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_phrases_use_today(text: str, expected: str) -> None:
    assert _edtf(text, "en") == _edtf(text, "es") == expected


def test_month_arithmetic_crosses_the_year() -> None:
    assert _edtf("last month", "en", date(2027, 1, 10)) == "2026-12"
    assert _edtf("hace 2 meses", "es", date(2027, 1, 10)) == "2026-11~"
    assert _edtf("yesterday", "en", date(2027, 1, 1)) == "2026-12-31"


def test_today_defaults_to_the_current_date() -> None:
    assert phrase_to_edtf("this year", "en") == str(date.today().year)


# ---------------------------------------------------------------------------------------------
# Seasons: the months the speaker means, by region (many more in tests/desktop/test_seasons.py)


@pytest.mark.parametrize(
    ("text", "seasons", "expected"),
    [
        ("invierno de 2020", "central_america", "2020-05/2020-10"),
        ("invierno de 2020", "northern", "2020-12/2021-02"),
        ("verano de 2018", "central_america", "2017-11/2018-04"),
        ("verano de 2018", "northern", "2018-06/2018-08"),
        ("verano de 2018", "southern", "2017-12/2018-02"),
        ("winter 2020–2021", "northern", "2020-12/2021-02"),  # the way format_edtf once said it
        # The tropical seasons mean the Central American months in any region, or none.
        ("época lluviosa 2020", None, "2020-05/2020-10"),
        ("la época lluviosa de 2020", "northern", "2020-05/2020-10"),
        ("temporada de lluvias de 2020", None, "2020-05/2020-10"),
        ("la época de lluvia del 2020", None, "2020-05/2020-10"),
        ("rainy season 2020", None, "2020-05/2020-10"),
        ("the rainy season of 2020", None, "2020-05/2020-10"),
        ("época seca 2020", None, "2019-11/2020-04"),  # the dry season mostly in 2020
        ("la temporada seca del 2019", None, "2018-11/2019-04"),
        ("dry season 2020", "southern", "2019-11/2020-04"),
        ("alrededor de la época lluviosa de 2020", None, "2020-05~/2020-10~"),
        # EDTF cannot qualify a season: its months are qualified instead.
        ("around summer 2018", "northern", "2018-06~/2018-08~"),
        ("tal vez invierno de 2020", "northern", "2020-12?/2021-02?"),
    ],
)
def test_seasons(text: str, seasons: str | None, expected: str) -> None:
    value = phrase_to_edtf(text, "es", TODAY, seasons=seasons)
    assert value == expected and is_valid_edtf(value)


def test_season_words_are_refused_without_a_region() -> None:
    for text in ("invierno de 2020", "summer 2018", "the summer of 2018", "around fall 2019"):
        with pytest.raises(ValidationError) as info:
            phrase_to_edtf(text, "en", TODAY)
        assert info.value.msgid == SEASON_NEEDS_REGION


def test_rainy_season_preview_names_the_months() -> None:
    assert understand("época lluviosa 2020", "es", TODAY) == (
        "2020-05/2020-10",
        "entre mayo y octubre de 2020",
    )
    assert understand("invierno de 2020", "es", TODAY, seasons="northern") == (
        "2020-12/2021-02",
        "entre diciembre de 2020 y febrero de 2021",
    )
    assert understand("invierno de 2020", "en", TODAY, seasons="central_america") == (
        "2020-05/2020-10",
        "between May and October 2020",
    )


# ---------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("", NO_DATE),
        ("   ", NO_DATE),
        ("?", NO_DATE),
        ("—", NO_DATE),
        ("sometime", NO_DATE),
        ("I don't remember", NO_DATE),
        ("She doesn't remember", NO_DATE),
        ("no me acuerdo", NO_DATE),
        ("No recuerda", NO_DATE),
        ("no sé", NO_DATE),
        ("n/a", NO_DATE),
        ("hace tiempo", NO_DATE),
        ("30 de febrero de 2020", IMPOSSIBLE_DATE),
        ("13/13/2020", IMPOSSIBLE_DATE),
        ("31/2/2020", IMPOSSIBLE_DATE),
        ("2015-02-29", IMPOSSIBLE_DATE),
        ("February 30, 2021", IMPOSSIBLE_DATE),
        ("1850", YEAR_OUT_OF_RANGE),
        ("around 1899", YEAR_OUT_OF_RANGE),
        ("2032", YEAR_OUT_OF_RANGE),
        ("between 2015 and 2099", YEAR_OUT_OF_RANGE),
        ("hace 200 años", NOT_UNDERSTOOD),
        ("between 2017 and 2015", ENDS_BEFORE_START),
        ("2017/2015", ENDS_BEFORE_START),
        ("blah", NOT_UNDERSTOOD),
        ("March", NOT_UNDERSTOOD),
        ("13 de marzo", NOT_UNDERSTOOD),
        ("summer", NOT_UNDERSTOOD),
        ("2015-16", NOT_UNDERSTOOD),
        ("dos mil quince", NOT_UNDERSTOOD),
        ("2015 " * 60, NOT_UNDERSTOOD),
    ],
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_refusals_name_the_value(text: str, msgid: str, lang: str) -> None:
    with pytest.raises(ValidationError) as info:
        phrase_to_edtf(text, lang, TODAY)
    assert info.value.msgid == msgid
    assert info.value.params["value"] == text.strip()
    assert f"“{text.strip()}”" in str(info.value)


def test_messages_read_as_specified() -> None:
    with pytest.raises(ValidationError) as info:
        phrase_to_edtf("blah", "en", TODAY)
    assert str(info.value) == (
        "I could not understand “blah” as a date. Try 2024-04-28, March 2022, around 2015 or summer 2018."
    )
    with pytest.raises(ValidationError) as info:
        phrase_to_edtf("no me acuerdo", "es", TODAY)
    assert str(info.value) == (
        "No date was given (“no me acuerdo”). Leave the date empty, or write what the client remembers: "
        "a year, a season, “around 2015”."
    )
    with pytest.raises(ValidationError) as info:
        phrase_to_edtf("2040", "en", TODAY)
    assert str(info.value) == "“2040” is outside the years Declara accepts (1900 to 2031). Check the year."


def test_latest_accepted_year_is_five_years_ahead() -> None:
    assert _edtf("2031", "en") == "2031"
    assert _edtf("after 2030", "en") == "2031/.."


def test_messages_are_extracted_for_translation() -> None:
    """The msgids are marked with N_() and use only the named placeholders passed to them."""
    source = Path(desktop.interview.phrases.__file__)
    msgids = [message for _line, message, _comments, _context in extract_from_file("python", source)]
    assert {NOT_UNDERSTOOD, NO_DATE, IMPOSSIBLE_DATE, YEAR_OUT_OF_RANGE} <= set(msgids)
    for msgid in msgids:
        assert "{}" not in msgid
        assert set(re.findall(r"{(\w+)}", msgid)) <= {"value", "first", "last"}


# ---------------------------------------------------------------------------------------------
# The "understood as" preview


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("alrededor de 2009", "es", ("2009~", "alrededor de 2009")),
        ("alrededor de 2009", "en", ("2009~", "around 2009")),
        ("12/3/2024", "es", ("2024-03-12", "12 de marzo de 2024")),
        ("12/3/2024", "en", ("2024-12-03", "December 3, 2024")),
        ("marzo del 2022", "en", ("2022-03", "March 2022")),
        ("maybe 2015", "es", ("2015?", "2015 (fecha incierta)")),
        ("2018-22", "es", ("2018-06/2018-08", "entre junio y agosto de 2018")),
        ("2020-24", "en", ("2020-12/2021-02", "between December 2020 and February 2021")),
        ("entre 2015 y 2017", "en", ("2015/2017", "between 2015 and 2017")),
        ("1991 ó 1992", "en", ("[1991,1992]", "1991 or 1992")),
        ("los noventa", "en", ("199X", "the 1990s")),
        ("before 2011", "es", ("../2010", "hasta 2010")),
        ("después de 2011", "en", ("2012/..", "since 2012")),
        ("a principios de marzo de 2022", "es", ("2022-03", "marzo de 2022")),
        ("early 2019", "es", ("2019-01/2019-04", "entre enero y abril de 2019")),
        ("early 2019", "en", ("2019-01/2019-04", "between January and April 2019")),
        ("hace dos años", "en", ("2024~", "around 2024")),
    ],
)
def test_understand_says_it_back_in_the_language(text: str, lang: str, expected: tuple[str, str]) -> None:
    assert understand(text, lang, TODAY) == expected


ROUND_TRIP = [
    "2024-04-28",
    "2022-03",
    "2015",
    "2015~",
    "2015?",
    "2015%",
    "2022-03~",
    "2024-03-12?",
    "199X",
    "199X~",
    "2023-11/2024-01",
    "2015~/2017~",
    "2020-05/2020-10",
    "2018-11/2019-04",
    "2020-05~/2020-10~",
    "2020-05?/2020-10?",
    "2020-05%/2020-10%",
    "../2011",
    "2011/..",
    "/2011",
    "2011/",
    "[1991,1992]",
    "[1991,1992,1993]",
    "[2022-03,2022-04]",
    "[..1991]",
    "[1991..]",
]


@pytest.mark.parametrize("value", ROUND_TRIP)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_preview_phrase_reads_back_to_the_same_value(value: str, lang: str) -> None:
    """Whatever the app says back, typed again, means the same date."""
    assert _edtf(format_edtf(value, lang), lang) == value


@pytest.mark.parametrize(
    ("code", "months"),
    [
        ("2021-21", "2021-03/2021-05"),
        ("2021-22", "2021-06/2021-08"),
        ("2021-23", "2021-09/2021-11"),
        ("2021-24", "2021-12/2022-02"),
        ("2021-22/2021-23", "2021-06/2021-11"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_legacy_season_code_reads_back_to_its_months(code: str, months: str, lang: str) -> None:
    """An old season code is said as its months; typed again, it is that month interval."""
    assert _edtf(format_edtf(code, lang), lang) == months
