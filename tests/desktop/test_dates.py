"""EDTF dates: bounds, precision, phrases in English and Spanish, and the edtf 5.0.2 workarounds.

Each test named ``test_workaround_*`` covers something edtf 5.0.2 gets wrong (see the docstrings
in desktop/case/dates.py); the value edtf itself returns is given in the test's docstring.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from babel.dates import get_month_names
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

import desktop.case.dates
from desktop.case.dates import (
    EMPTY_DATE,
    ENDS_BEFORE_START,
    INVALID_DATE,
    TIME_OF_DAY,
    ParsedDate,
    format_edtf,
    is_valid_edtf,
    parse_edtf,
    sort_bounds,
)
from desktop.errors import ValidationError
from desktop.i18n import using_language
from desktop.paths import locale_dir

# ---------------------------------------------------------------------------------------------
# Phrases


@pytest.mark.parametrize(
    ("value", "english", "spanish"),
    [
        # The table in DOMAIN.md, "Dates".
        ("2024-04-28", "April 28, 2024", "28 de abril de 2024"),
        ("2022-03", "March 2022", "marzo de 2022"),
        ("2015", "2015", "2015"),
        ("2015~", "around 2015", "alrededor de 2015"),
        ("2015?", "2015 (uncertain)", "2015 (fecha incierta)"),
        # A season code stored long ago says its months (see test_seasons.py).
        ("2021-21", "between March and May 2021", "entre marzo y mayo de 2021"),
        (
            "2023-11/2024-01",
            "between November 2023 and January 2024",
            "entre noviembre de 2023 y enero de 2024",
        ),
        ("[1991,1992]", "1991 or 1992", "1991 o 1992"),
    ],
)
def test_domain_table_phrases(value: str, english: str, spanish: str) -> None:
    assert format_edtf(value, "en") == english
    assert format_edtf(value, "es") == spanish


@pytest.mark.parametrize(
    ("value", "english", "spanish"),
    [
        ("2021-22", "between June and August 2021", "entre junio y agosto de 2021"),
        ("2021-23", "between September and November 2021", "entre septiembre y noviembre de 2021"),
        ("2021-24", "between December 2021 and February 2022", "entre diciembre de 2021 y febrero de 2022"),
        ("2021-05/2021-10", "between May and October 2021", "entre mayo y octubre de 2021"),
        (
            "2021-05?/2021-10?",
            "between May and October 2021 (uncertain)",
            "entre mayo y octubre de 2021 (fecha incierta)",
        ),
        (
            "2021-05~/2021-10",
            "between around May 2021 and October 2021",
            "entre alrededor de mayo de 2021 y octubre de 2021",
        ),
        ("2022-03~", "around March 2022", "alrededor de marzo de 2022"),
        ("2015%", "around 2015 (uncertain)", "alrededor de 2015 (fecha incierta)"),
        ("201X", "the 2010s", "la década de 2010"),
        ("20XX", "between 2000 and 2099", "entre 2000 y 2099"),
        ("2015-03-XX", "March 2015", "marzo de 2015"),
        ("[1991,1992,1993]", "1991, 1992 or 1993", "1991, 1992 o 1993"),
        ("[1991..1993]", "between 1991 and 1993", "entre 1991 y 1993"),
        ("[1985,1991..1993]", "1985 or between 1991 and 1993", "1985 o entre 1991 y 1993"),
        ("[..1991]", "1991 or earlier", "1991 o antes"),
        ("[1991..]", "1991 or later", "1991 o después"),
        ("../2011", "until 2011", "hasta 2011"),
        ("2011/..", "since 2011", "desde 2011"),
        ("/2011", "from an unknown date until 2011", "desde una fecha desconocida hasta 2011"),
        ("2011/", "from 2011 until an unknown date", "desde 2011 hasta una fecha desconocida"),
        ("2015~/2017", "between around 2015 and 2017", "entre alrededor de 2015 y 2017"),
    ],
)
def test_more_phrases(value: str, english: str, spanish: str) -> None:
    assert format_edtf(value, "en") == english
    assert format_edtf(value, "es") == spanish


@pytest.mark.parametrize("value", ["2015", "2015-XX", "2015-XX-XX", "2015~", "[2014,2015]"])
def test_phrase_is_never_more_precise_than_the_value(value: str) -> None:
    """No month name and no day number appear when the value has neither."""
    phrase = format_edtf(value, "en")
    assert not any(name in phrase for name in get_month_names("wide", locale="en_US").values())
    assert not re.search(r"\b\d{1,2}\b", phrase)


def test_spanish_day_uses_lower_case_month_from_babel() -> None:
    assert format_edtf("2019-01-05", "es") == "5 de enero de 2019"
    assert format_edtf("2019-01-05", "en") == "January 5, 2019"


# ---------------------------------------------------------------------------------------------
# Bounds and precision


@pytest.mark.parametrize(
    ("value", "lower", "upper", "precision"),
    [
        ("2024-04-28", date(2024, 4, 28), date(2024, 4, 28), "day"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2015", date(2015, 1, 1), date(2015, 12, 31), "year"),
        ("2021-21", date(2021, 3, 1), date(2021, 5, 31), "season"),
        ("2021-22", date(2021, 6, 1), date(2021, 8, 31), "season"),
        ("2021-23", date(2021, 9, 1), date(2021, 11, 30), "season"),
        ("201X", date(2010, 1, 1), date(2019, 12, 31), "decade"),
        ("20XX", date(2000, 1, 1), date(2099, 12, 31), "century"),
        ("2023-11/2024-01", date(2023, 11, 1), date(2024, 1, 31), "interval"),
        ("[1991,1992-03]", date(1991, 1, 1), date(1992, 3, 31), "set"),
        ("[1993,1991]", date(1991, 1, 1), date(1993, 12, 31), "set"),
    ],
)
def test_bounds_and_precision(value: str, lower: date, upper: date, precision: str) -> None:
    parsed = parse_edtf(value)
    assert (parsed.lower, parsed.upper, parsed.precision) == (lower, upper, precision)


@pytest.mark.parametrize(
    ("value", "approximate", "uncertain"),
    [
        ("2015", False, False),
        ("2015~", True, False),
        ("2015?", False, True),
        ("2015%", True, True),
        ("2015/2017?", False, True),
        ("[2014~,2016]", True, False),
    ],
)
def test_qualifiers(value: str, approximate: bool, uncertain: bool) -> None:
    parsed = parse_edtf(value)
    assert (parsed.approximate, parsed.uncertain) == (approximate, uncertain)


def test_qualifier_keeps_the_strict_bounds() -> None:
    """'2015~' still sorts within 2015; the fuzziness is in the flag, not in the bounds."""
    assert sort_bounds("2015~") == sort_bounds("2015") == ("2015-01-01", "2015-12-31")


def test_parsed_date_is_frozen_and_keeps_the_stripped_text() -> None:
    parsed = parse_edtf("  2022-03~\t")
    assert parsed == ParsedDate("2022-03~", date(2022, 3, 1), date(2022, 3, 31), "month", True, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.edtf = "2023"  # type: ignore[misc]


def test_mixed_precisions_sort_by_lower_then_upper() -> None:
    values = [
        "2016",
        "2015-03-10",
        "2015-21",
        "2015",
        "2015-03",
        "2014~/2016",
        "[2014,2015]",
        "201X",
    ]
    ordered = sorted(values, key=sort_bounds)
    assert ordered == [
        "201X",
        "[2014,2015]",
        "2014~/2016",
        "2015",
        "2015-03",
        "2015-21",
        "2015-03-10",
        "2016",
    ]


def test_sort_bounds_are_iso_strings_with_none_for_open_ends() -> None:
    assert sort_bounds("2022-03") == ("2022-03-01", "2022-03-31")
    assert sort_bounds("../2011") == (None, "2011-12-31")
    assert sort_bounds("[1991..]") == ("1991-01-01", None)


def test_sort_bounds_rejects_invalid_values() -> None:
    with pytest.raises(ValidationError):
        sort_bounds("2015-13")


# ---------------------------------------------------------------------------------------------
# Workarounds for edtf 5.0.2


@pytest.mark.parametrize(
    ("value", "lower", "upper"),
    [
        ("../2011", None, date(2011, 12, 31)),
        ("2011/..", date(2011, 1, 1), None),
        ("[..1991]", None, date(1991, 12, 31)),
        ("[1991..]", date(1991, 1, 1), None),
        ("2015~/..", date(2015, 1, 1), None),
    ],
)
def test_workaround_open_ends_have_no_bound(value: str, lower: date | None, upper: date | None) -> None:
    """edtf returns the floats -inf / inf as bounds of an open end."""
    parsed = parse_edtf(value)
    assert (parsed.lower, parsed.upper) == (lower, upper)


def test_workaround_unknown_ends_have_no_bound() -> None:
    """edtf invents a bound 10 years away: '/2011' starts 2001-12-31, '2011/' ends 2021-01-01."""
    assert (parse_edtf("/2011").lower, parse_edtf("/2011").upper) == (None, date(2011, 12, 31))
    assert (parse_edtf("2011/").lower, parse_edtf("2011/").upper) == (date(2011, 1, 1), None)


def test_workaround_winter_spans_the_year_end() -> None:
    """edtf ends winter (season 24) on December 31 of the same year."""
    assert sort_bounds("2021-24") == ("2021-12-01", "2022-02-28")
    assert sort_bounds("2023-24") == ("2023-12-01", "2024-02-29")
    assert parse_edtf("2015/2021-24").upper == date(2022, 2, 28)


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        ("2015-03-XX", "month"),
        ("2015-XX-XX", "year"),
        ("2015-XX", "year"),
        ("[2015-03-XX,2016]", "set"),
    ],
)
def test_workaround_unspecified_precision(value: str, precision: str) -> None:
    """edtf reports day precision for '2015-03-XX' and '2015-XX-XX', month for '2015-XX'."""
    assert parse_edtf(value).precision == precision


def test_workaround_unspecified_in_a_set_is_accepted_at_level_1_only() -> None:
    """Inside a set edtf parses '201X' as a level-2 PartialUnspecified, like '2015-XX-15'."""
    assert sort_bounds("[201X,2020]") == ("2010-01-01", "2020-12-31")
    assert not is_valid_edtf("[2015-XX-15,2016]")


@pytest.mark.parametrize(
    "value",
    ["2015-02-29", "2015-02-29~", "2015-02-29/2016", "[2014,2015-02-29,2016]", "2019-02-29?"],
)
def test_workaround_day_that_does_not_exist_is_refused(value: str) -> None:
    """edtf accepts February 29 in any year (it refuses February 30)."""
    with pytest.raises(ValidationError) as info:
        parse_edtf(value, field="events[0].date")
    assert info.value.msgid == INVALID_DATE


def test_leap_day_is_accepted() -> None:
    assert parse_edtf("2016-02-29").lower == date(2016, 2, 29)


@pytest.mark.parametrize("value", ["2017/2015", "2016/2015-03", "[1993..1991]"])
def test_workaround_interval_that_ends_before_it_starts_is_refused(value: str) -> None:
    """edtf accepts '2017/2015' with a lower bound after the upper one."""
    with pytest.raises(ValidationError) as info:
        parse_edtf(value, field="date")
    assert info.value.msgid == ENDS_BEFORE_START
    assert value in str(info.value)


def test_overlapping_interval_ends_are_accepted() -> None:
    assert sort_bounds("2015-06/2015") == ("2015-06-01", "2015-12-31")


def test_workaround_qualifiers_on_interval_ends() -> None:
    """edtf keeps a per-end qualifier; the flags cover the whole value, the bounds stay strict."""
    parsed = parse_edtf("2015~/2017")
    assert (parsed.lower, parsed.upper) == (date(2015, 1, 1), date(2017, 12, 31))
    assert parsed.approximate and not parsed.uncertain


@pytest.mark.parametrize("value", ["../", "/..", "../..", "/"])
def test_workaround_both_ends_missing_is_refused_quietly(value: str, capsys: pytest.CaptureFixture) -> None:
    """edtf raises TypeError and prints to stdout for '../' and '/..', and accepts '../..'."""
    assert not is_valid_edtf(value)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("value", ["2015 / 2017", "[1991, 1992]", "2015 /2017"])
def test_workaround_whitespace_inside_is_refused(value: str) -> None:
    """edtf skips whitespace between tokens; stored values must be canonical EDTF."""
    assert not is_valid_edtf(value)


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_edtf(" \t2015-21\n").edtf == "2015-21"
    assert is_valid_edtf("  [1991,1992]  ")


@pytest.mark.parametrize(
    "value",
    ["2XXX", "2015S2", "{1991,1992}", "2015-25", "2004-06~-11", "201X/2020", "Y170000002"],
)
def test_workaround_level_2_forms_are_refused(value: str) -> None:
    """edtf parses these (3 unspecified digits, significant digits, all-of sets, level-2
    seasons, partial qualifiers, level-2 intervals, long years); Declara keeps to level 1."""
    assert not is_valid_edtf(value)


# ---------------------------------------------------------------------------------------------
# Invalid input


@pytest.mark.parametrize(
    "value",
    [
        "2015-13",
        "2015-02-30",
        "2015-00",
        "hello",
        "-2015",
        "0000",
        "9999-24",
        "2021-24~",
        "15/03/2024",
    ],
)
def test_invalid_value_names_the_field_and_the_value(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_edtf(value, field="client.birth_date")
    assert info.value.field == "client.birth_date"
    assert info.value.msgid == INVALID_DATE
    assert f"“{value}”" in str(info.value)


@pytest.mark.parametrize("value", ["2024-04-28T10:00", "2024-04-28T10:00:00"])
def test_time_of_day_is_refused_with_its_own_message(value: str) -> None:
    """edtf refuses the first and accepts the second; Declara stores dates only."""
    with pytest.raises(ValidationError) as info:
        parse_edtf(value, field="visit.date")
    assert (info.value.field, info.value.msgid) == ("visit.date", TIME_OF_DAY)
    assert value in str(info.value)


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_value_asks_for_a_date(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_edtf(value, field="date")
    assert (info.value.field, info.value.msgid) == ("date", EMPTY_DATE)
    assert not is_valid_edtf(value)


def test_format_refuses_invalid_values() -> None:
    with pytest.raises(ValidationError):
        format_edtf("2015-02-29", "en")


def test_error_message_is_shown_in_spanish() -> None:
    with pytest.raises(ValidationError) as info:
        parse_edtf("2015-13", field="date")
    with using_language("es"):
        assert str(info.value).startswith("“2015-13” no es una fecha válida.")
    assert str(info.value).startswith("“2015-13” is not a valid date.")


# ---------------------------------------------------------------------------------------------
# Catalog


def test_every_message_has_a_spanish_translation_with_the_same_placeholders() -> None:
    with open(locale_dir() / "es" / "LC_MESSAGES" / "declara.po", "rb") as fh:
        catalog = read_po(fh, locale="es")
    source = Path(desktop.case.dates.__file__)
    msgids = [message for _line, message, _comments, _context in extract_from_file("python", source)]
    assert "around {date}" in msgids and INVALID_DATE in msgids
    for msgid in msgids:
        entry = catalog.get(msgid)
        assert entry is not None and entry.string and not entry.fuzzy, msgid
        assert "{}" not in msgid
        assert set(re.findall(r"{(\w+)}", entry.string)) == set(re.findall(r"{(\w+)}", msgid))


def test_fast_path_for_plain_dates_agrees_with_edtf():
    """Plain days, months and years skip edtf's slow parser; the result must be the same."""
    from desktop.case import dates

    values = [
        f"{y}-{m:02d}-{d:02d}{q}" if d else (f"{y}-{m:02d}{q}" if m else f"{y}{q}")
        for y in ("0000", "2023", "2024", "9999")
        for m in (0, 1, 2, 4, 12, 13)
        for d in (0, 1, 29, 30, 31, 32)
        for q in ("", "%")
    ]
    for value in set(values):
        try:
            fast = dates._tree(value)
        except dates._Refused:
            fast = "refused"
        try:
            slow = dates._convert(dates.edtf.parse_edtf(value))
        except Exception:  # noqa: BLE001 - the slow path refuses by raising anything
            slow = "refused"
        assert fast == slow, value


def test_fast_paths_for_seasons_and_simple_intervals_agree_with_edtf():
    import itertools

    from desktop.case import dates

    values = [f"{y}-{s}" for y in ("0000", "1994", "2024", "9999") for s in range(19, 27)]
    simple = ["2023", "2024-02", "2024-02-29", "2023-02-29", "2024-12-31", "1999-13", "2015~", "2020-05-10%"]
    values += [f"{a}/{b}" for a, b in itertools.product(simple, repeat=2)]
    for value in values:
        try:
            fast = dates._tree.__wrapped__(value)
        except dates._Refused as exc:
            fast = ("refused", exc.msgid)
        try:
            slow = dates._convert(dates.edtf.parse_edtf(value))
        except dates._Refused as exc:
            slow = ("refused", exc.msgid)
        except Exception:  # noqa: BLE001 - edtf refuses by raising anything
            slow = ("refused", dates.INVALID_DATE)
        assert fast == slow, value
