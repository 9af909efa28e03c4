"""Seasons as the speaker means them (desktop/interview/seasons.py, phrases.py, dates.py, cli_date.py).

The table of spoken phrases is tests/data/season_phrases.tsv: each row is a phrase, the language
it is typed in, the region its seasons are read with ("-" for none) and the EDTF expected (worked
out by hand from docs/dates.md) or the name of the error. TODAY fixes the accepted years
(1900-2031).
"""

from __future__ import annotations

import csv
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

import desktop.interview.phrases as phrases
import desktop.interview.seasons
from desktop.case.dates import ENDS_BEFORE_START, format_edtf, is_valid_edtf, parse_edtf, sort_bounds
from desktop.errors import ValidationError
from desktop.i18n import using_language
from desktop.interview.seasons import (
    REGION_LABELS,
    REGIONS,
    SEASON_NEEDS_REGION,
    SEASON_NOT_LOCAL,
    SEASON_WORD_AMBIGUOUS,
    code_months,
    read_season,
    region_for_country,
    region_label,
    resolve_seasons,
    season_codes_to_months,
    season_months,
)
from desktop.paths import resource_path

TODAY = date(2026, 11, 25)
TABLE = Path(__file__).resolve().parents[1] / "data" / "season_phrases.tsv"
ERRORS = {
    "SEASON_NEEDS_REGION": SEASON_NEEDS_REGION,
    "SEASON_WORD_AMBIGUOUS": SEASON_WORD_AMBIGUOUS,
    "SEASON_NOT_LOCAL": SEASON_NOT_LOCAL,
    "NOT_UNDERSTOOD": phrases.NOT_UNDERSTOOD,
    "YEAR_OUT_OF_RANGE": phrases.YEAR_OUT_OF_RANGE,
    "ENDS_BEFORE_START": ENDS_BEFORE_START,
}


def _rows() -> list[tuple[str, str, str | None, str]]:
    with open(TABLE, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        (r["phrase"], r["lang"], None if r["seasons"] == "-" else r["seasons"], r["expected"]) for r in rows
    ]


ROWS = _rows()


def test_the_table_has_60_phrases_in_each_language_and_every_region() -> None:
    for lang in ("en", "es"):
        assert sum(1 for row in ROWS if row[1] == lang) >= 60
        assert {row[2] for row in ROWS if row[1] == lang} == {*REGIONS, None}


@pytest.mark.parametrize(
    ("text", "lang", "seasons", "expected"), ROWS, ids=[f"{r[1]}-{r[2]}-{r[0]}" for r in ROWS]
)
def test_spoken_season_phrases(text: str, lang: str, seasons: str | None, expected: str) -> None:
    if expected in ERRORS:
        with pytest.raises(ValidationError) as info:
            phrases.phrase_to_edtf(text, lang, TODAY, seasons=seasons)
        assert info.value.msgid == ERRORS[expected]
        assert info.value.params["value"] == text
        return
    value = phrases.phrase_to_edtf(text, lang, TODAY, seasons=seasons)
    assert value == expected
    assert is_valid_edtf(value)
    assert not re.search(r"\d{4}-2[1-4]\b", value), "a season code was stored"


# ---------------------------------------------------------------------------------------------
# The case of issue 15


def test_invierno_from_el_salvador_is_the_rainy_season() -> None:
    region = resolve_seasons(None, "SV")
    assert region == "central_america"
    value = phrases.phrase_to_edtf("invierno de 2019", "es", TODAY, seasons=region)
    assert value == "2019-05/2019-10"
    assert format_edtf(value, "en") == "between May and October 2019"
    assert format_edtf(value, "es") == "entre mayo y octubre de 2019"


def test_invierno_in_the_north_is_december_to_february() -> None:
    assert phrases.phrase_to_edtf("invierno de 2019", "es", TODAY, seasons="northern") == "2019-12/2020-02"
    assert format_edtf("2019-12/2020-02", "en") == "between December 2019 and February 2020"


def test_verano_and_epoca_seca_name_the_same_dry_season() -> None:
    verano = phrases.phrase_to_edtf("verano de 2019", "es", TODAY, seasons="central_america")
    assert verano == phrases.phrase_to_edtf("época seca de 2019", "es", TODAY, seasons="central_america")
    assert (
        verano == phrases.phrase_to_edtf("época seca de 2019", "es", TODAY, seasons=None) == "2018-11/2019-04"
    )
    assert sort_bounds(verano) == ("2018-11-01", "2019-04-30")


def test_understand_says_the_months_back() -> None:
    assert phrases.understand("verano de 2018", "es", TODAY, seasons="central_america") == (
        "2017-11/2018-04",
        "entre noviembre de 2017 y abril de 2018",
    )
    assert phrases.understand("summer 2018", "en", TODAY, seasons="northern") == (
        "2018-06/2018-08",
        "between June and August 2018",
    )


# ---------------------------------------------------------------------------------------------
# Regions


@pytest.mark.parametrize(
    ("country", "region"),
    [
        ("SV", "central_america"),
        ("HN", "central_america"),
        ("GT", "central_america"),
        ("NI", "central_america"),
        ("sv", "central_america"),
        (" gt ", "central_america"),
        ("US", "northern"),
        ("CA", "northern"),
        ("MX", "northern"),
        ("CU", "northern"),
        ("DO", "northern"),
        ("ES", "northern"),
        ("AR", "southern"),
        ("CL", "southern"),
        ("UY", "southern"),
        ("BR", None),
        ("CO", None),
        ("XX", None),
        ("", None),
        (None, None),
    ],
)
def test_region_for_country(country: str | None, region: str | None) -> None:
    assert region_for_country(country) == region


@pytest.mark.parametrize(
    ("setting", "country", "region"),
    [
        (None, "SV", "central_america"),
        ("auto", "HN", "central_america"),
        ("auto", "US", "northern"),
        ("auto", "BR", None),
        (None, None, None),
        ("northern", "SV", "northern"),  # a region chosen for the visit wins over the country
        ("southern", None, "southern"),
        ("central_america", "US", "central_america"),
        ("ask", "SV", None),
        ("ask", None, None),
    ],
)
def test_resolve_seasons(setting: str | None, country: str | None, region: str | None) -> None:
    assert resolve_seasons(setting, country) == region


def test_regions_and_labels() -> None:
    assert REGIONS == ("northern", "central_america", "southern")
    assert set(REGION_LABELS) == set(REGIONS)
    assert "invierno = rainy season (May–October)" in REGION_LABELS["central_america"]
    assert region_label("central_america") == REGION_LABELS["central_america"]


def test_region_labels_follow_the_interface_language() -> None:
    """The Spanish label comes from the catalog (a new msgid: passes once the catalog is merged)."""
    with using_language("es"):
        label = region_label("central_america")
    assert "época lluviosa (mayo–octubre)" in label and "época seca (noviembre–abril)" in label


def test_every_region_fact_names_a_source_checked_on_a_day() -> None:
    with open(resource_path("seasons.toml"), "rb") as fh:
        doc = tomllib.load(fh)
    assert list(doc["regions"]) == list(REGIONS)
    for key in REGIONS:
        sources = doc["regions"][key]["sources"]
        assert sources, key
        for source in sources:
            assert source["url"].startswith(("https://", "http://")) and source["title"] and source["fact"]
            assert isinstance(source["checked"], date)


def test_countries_belong_to_one_region_at_most() -> None:
    with open(resource_path("seasons.toml"), "rb") as fh:
        doc = tomllib.load(fh)
    countries = [code for key in REGIONS for code in doc["regions"][key]["countries"]]
    assert len(countries) == len(set(countries))
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in countries)


# ---------------------------------------------------------------------------------------------
# The readers


def test_season_months_by_region() -> None:
    assert season_months("invierno", 2019, "central_america") == ((2019, 5), (2019, 10))
    assert season_months("verano", 2019, "central_america") == ((2018, 11), (2019, 4))
    assert season_months("winter", 2019, "northern") == ((2019, 12), (2020, 2))
    assert season_months("summer", 2019, "southern") == ((2018, 12), (2019, 2))
    assert season_months("rainy season", 2019, None) == ((2019, 5), (2019, 10))
    assert season_months("epoca seca", 2019, "southern") == ((2018, 11), (2019, 4))


def test_read_season_with_both_years() -> None:
    assert read_season("winter", 2020, "northern", 2021) == (2020, (2020, 12), (2021, 2))
    assert read_season("summer", 2018, "southern", 2019) == (2019, (2018, 12), (2019, 2))
    assert read_season("verano", 2018, "central_america", 2019) == (2019, (2018, 11), (2019, 4))
    assert read_season("winter", 2020, "northern", 2022) is None
    assert read_season("summer", 2020, "northern", 2021) is None  # summer does not cross the year


@pytest.mark.parametrize(
    ("value", "months"),
    [
        ("2018-21", "2018-03/2018-05"),
        ("2018-22", "2018-06/2018-08"),
        ("2018-23", "2018-09/2018-11"),
        ("2018-24", "2018-12/2019-02"),
        ("2018-22/2019", "2018-06/2019"),
        ("2015/2018-24", "2015/2019-02"),
        ("../2018-23", "../2018-11"),
        ("2018-22/2018-24", "2018-06/2019-02"),
        ("2018-05/2018-10", "2018-05/2018-10"),
        ("2018", "2018"),
    ],
)
def test_season_codes_become_their_months(value: str, months: str) -> None:
    assert season_codes_to_months(value) == months
    assert sort_bounds(value) == sort_bounds(months)  # the same bounds as before


def test_code_months_are_the_northern_seasons() -> None:
    assert code_months(2021, 22) == ((2021, 6), (2021, 8))
    assert code_months(2021, 24) == ((2021, 12), (2022, 2))


# ---------------------------------------------------------------------------------------------
# Refusals


def test_a_season_without_a_region_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValidationError) as info:
        phrases.phrase_to_edtf("verano de 2018", "es", TODAY)
    assert info.value.msgid == SEASON_NEEDS_REGION == phrases.SEASON_NEEDS_REGION
    assert str(info.value) == (
        "“verano de 2018” names a season, and seasons mean different months to different people. "
        "Choose how the client names seasons, or say the months."
    )


def test_an_english_season_word_in_central_america_asks_for_the_months() -> None:
    with pytest.raises(ValidationError) as info:
        phrases.understand("winter 2019", "en", TODAY, seasons="central_america")
    assert info.value.msgid == SEASON_WORD_AMBIGUOUS
    message = str(info.value)
    assert "“winter 2019”" in message and "months" in message and "rainy season" in message


def test_spring_in_central_america_asks_for_the_months() -> None:
    with pytest.raises(ValidationError) as info:
        phrases.phrase_to_edtf("primavera de 2019", "es", TODAY, seasons="central_america")
    assert info.value.msgid == SEASON_NOT_LOCAL
    assert "Say the months" in str(info.value)


def test_season_messages_are_extracted_with_their_placeholder() -> None:
    source = Path(desktop.interview.seasons.__file__)
    msgids = {message for _line, message, _comments, _context in extract_from_file("python", source)}
    assert {SEASON_NEEDS_REGION, SEASON_WORD_AMBIGUOUS, SEASON_NOT_LOCAL, *REGION_LABELS.values()} <= msgids
    for msgid in (SEASON_NEEDS_REGION, SEASON_WORD_AMBIGUOUS, SEASON_NOT_LOCAL):
        assert set(re.findall(r"{(\w+)}", msgid)) == {"value"}


def test_chronology_mentions_read_seasons_only_with_a_region() -> None:
    from desktop.case.chronology import date_mentions

    text = "En el invierno de 2019 nos fuimos de la casa."
    assert date_mentions(text, "es", seasons="central_america") == ["2019-05/2019-10"]
    assert "2019-05/2019-10" not in date_mentions(text, "es")


# ---------------------------------------------------------------------------------------------
# Phrasing: months, not season words


@pytest.mark.parametrize(
    ("value", "english", "spanish"),
    [
        ("2018-05/2018-10", "between May and October 2018", "entre mayo y octubre de 2018"),
        (
            "2018-11/2019-04",
            "between November 2018 and April 2019",
            "entre noviembre de 2018 y abril de 2019",
        ),
        (
            "2018-05?/2018-10?",
            "between May and October 2018 (uncertain)",
            "entre mayo y octubre de 2018 (fecha incierta)",
        ),
        # Legacy season codes say their months, never "summer 2018".
        ("2018-21", "between March and May 2018", "entre marzo y mayo de 2018"),
        ("2018-22", "between June and August 2018", "entre junio y agosto de 2018"),
        ("2018-23", "between September and November 2018", "entre septiembre y noviembre de 2018"),
        (
            "2018-24",
            "between December 2018 and February 2019",
            "entre diciembre de 2018 y febrero de 2019",
        ),
        ("2021-22/2021-23", "between June and November 2021", "entre junio y noviembre de 2021"),
        ("../2018-22", "until August 2018", "hasta agosto de 2018"),
    ],
)
def test_month_intervals_and_legacy_codes_say_their_months(value: str, english: str, spanish: str) -> None:
    assert format_edtf(value, "en") == english
    assert format_edtf(value, "es") == spanish


def test_both_ends_approximate_is_said_once() -> None:
    assert format_edtf("2018-05~/2018-10~", "en") == "approximately between May and October 2018"
    assert format_edtf("2018-11~/2019-04~", "en") == "approximately between November 2018 and April 2019"
    assert format_edtf("2018-05%/2018-10%", "en") == "approximately between May and October 2018 (uncertain)"


def test_both_ends_approximate_in_spanish() -> None:
    """Needs the Spanish of "approximately {period}" (a new msgid, merged into the catalog by the lead)."""
    assert format_edtf("2018-05~/2018-10~", "es") == "aproximadamente entre mayo y octubre de 2018"


def test_one_end_approximate_keeps_each_end() -> None:
    assert format_edtf("2018-05~/2018-10", "en") == "between around May 2018 and October 2018"


@pytest.mark.parametrize(
    "value",
    [
        "2018-05/2018-10",
        "2018-11/2019-04",
        "2018-05~/2018-10~",
        "2018-05?/2018-10?",
        "2018-05%/2018-10%",
        "2018-11~/2019-04~",
    ],
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_month_phrases_read_back(value: str, lang: str) -> None:
    assert phrases.phrase_to_edtf(format_edtf(value, lang), lang, TODAY) == value


@pytest.mark.parametrize(
    ("code", "months"),
    [("2018-21", "2018-03/2018-05"), ("2018-22", "2018-06/2018-08"), ("2018-24", "2018-12/2019-02")],
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_legacy_codes_read_back_to_their_months(code: str, months: str, lang: str) -> None:
    assert phrases.phrase_to_edtf(format_edtf(code, lang), lang, TODAY) == months
    assert parse_edtf(months).lower == parse_edtf(code).lower
    assert parse_edtf(months).upper == parse_edtf(code).upper


# ---------------------------------------------------------------------------------------------
# The command line


def test_cli_date_reads_invierno_from_el_salvador(cli) -> None:
    code, out, err = cli()("date", "invierno de 2019", "--lang", "es", "--country", "SV")
    assert code == 0, err
    assert out.splitlines() == [
        "EDTF: 2019-05/2019-10",
        "English: between May and October 2019",
        "Español: entre mayo y octubre de 2019",
    ]


def test_cli_date_with_a_region_chosen(cli) -> None:
    code, out, _err = cli()(
        "date", "invierno de 2019", "--lang", "es", "--country", "SV", "--seasons", "northern"
    )
    assert code == 0
    assert "EDTF: 2019-12/2020-02" in out.splitlines()


def test_cli_date_refuses_a_season_without_a_region(cli) -> None:
    code, out, err = cli()("date", "verano de 2018", "--lang", "es")
    assert code == 1 and out == ""
    assert "“verano de 2018” names a season" in err and "Traceback" not in err


def test_cli_date_ask_refuses_even_with_a_country(cli) -> None:
    code, _out, err = cli()("date", "winter 2019", "--lang", "en", "--country", "US", "--seasons", "ask")
    assert code == 1 and "names a season" in err


def test_cli_date_explains_in_the_interface_language(cli) -> None:
    code, _out, err = cli(env={"LANGUAGE": "es"})("date", "2015-02-30", "--lang", "en")
    assert code == 1
    assert "“2015-02-30” corresponde a un día que no existe." in err


def test_cli_date_without_seasons(cli) -> None:
    code, out, _err = cli()("date", "alrededor de 2009", "--lang", "es")
    assert code == 0
    assert out.splitlines() == ["EDTF: 2009~", "English: around 2009", "Español: alrededor de 2009"]


# ---------------------------------------------------------------------------------------------
# The done-when of issue 15, end to end: the spoken words, the stored value, the exhibit's pages


@pytest.mark.parametrize(
    ("country", "edtf", "english", "spanish"),
    [
        ("SV", "2019-05/2019-10", "between May and October 2019", "entre mayo y octubre de 2019"),
        (
            "US",
            "2019-12/2020-02",
            "between December 2019 and February 2020",
            "entre diciembre de 2019 y febrero de 2020",
        ),
    ],
)
def test_the_exhibit_states_the_months_the_client_meant(
    country, edtf, english, spanish, tmp_path, pdf
) -> None:
    from desktop.documents.timeline import render_timeline
    from desktop.interview.seasons import region_for_country

    stored = phrases.phrase_to_edtf("invierno de 2019", "es", seasons=region_for_country(country))
    assert stored == edtf
    case = {
        "format": "declara-case",
        "version": 1,
        "client": {"given_names": "Nelson", "family_names": "Prueba Ficticia", "country_of_birth": country},
        "events": [
            {
                "id": "ev-1",
                "date": stored,
                "category": "persecution",
                "status": "client_account",
                "text": {"es": "Lo amenazan cerca de su casa."},
                "sources": ["interview"],
                "date_said": {
                    "text": "invierno de 2019",
                    "lang": "es",
                    "seasons": region_for_country(country),
                },
            }
        ],
    }
    from desktop.documents.layout import MARGIN
    from desktop.documents.timeline_pdf import COLUMN_WIDTHS

    x, width = MARGIN + COLUMN_WIDTHS[0], COLUMN_WIDTHS[1]  # the table's Date column
    for lang, words in (("en", english), ("es", spanish)):
        path = pdf.write(tmp_path, render_timeline(case, lang), f"{lang}.pdf")
        column = pdf.run("pdftotext", "-x", int(x), "-y", 0, "-W", int(width), "-H", 792, path, "-")
        assert words in " ".join(column.split()), (lang, words)
        text = pdf.layout_text(path)
        assert "invierno" not in text and "winter" not in text  # no season word stands for the months
