"""The words of a date as said, kept beside it (events' ``date_said``), the season reading of answers
and visits (``seasons``), and the rewrite of old EDTF season codes as months (desktop.case.seasoncodes)."""

from __future__ import annotations

import json

import pytest

from desktop.case import seasoncodes
from desktop.case.dates import is_valid_edtf, sort_bounds
from desktop.case.model import DATE_SAID_MAX, case_schema, validate_record
from desktop.errors import ValidationError
from desktop.interview import seasons
from desktop.vault import keyheader as kh

EVENT = {"date": "2018-05/2018-10", "text": {"es": "Nos amenazaron."}}
SAID = {"text": "invierno de 2018", "lang": "es", "seasons": "central_america"}


def problems(kind, data):
    return [(p.field, p.msgid) for p in validate_record(kind, data)]


# -- the model ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "said",
    [
        SAID,
        {"text": "summer 2018", "lang": "en", "seasons": "northern"},
        {"text": "mayo a octubre de 2018", "lang": "es", "seasons": None},  # no season named
        {"text": "2018-22", "lang": "en"},  # seasons may be left out
        {"text": "x" * DATE_SAID_MAX, "lang": "es", "seasons": None},  # the longest kept
        None,
    ],
)
def test_an_event_keeps_the_words_its_date_was_said_in(said):
    assert problems("event", {**EVENT, "date_said": said}) == []


@pytest.mark.parametrize(
    "said, field",
    [
        ({"text": "x" * (DATE_SAID_MAX + 1), "lang": "es"}, "$.date_said.text"),
        ({"text": "", "lang": "es"}, "$.date_said.text"),
        ({"text": "verano", "lang": "fr"}, "$.date_said.lang"),
        ({"text": "verano", "lang": "es", "seasons": "tropical"}, "$.date_said.seasons"),
        # "auto" is a visit's setting, not a reading
        ({"text": "verano", "lang": "es", "seasons": "auto"}, "$.date_said.seasons"),
        ({"text": "verano", "lang": "es", "region": "northern"}, "$.date_said.region"),
        ({"lang": "es"}, "$.date_said"),
        ({"text": 2018, "lang": "es"}, "$.date_said.text"),
        ("verano de 2018", "$.date_said"),
    ],
)
def test_bad_words_as_said_are_refused_with_their_path(said, field):
    found = validate_record("event", {**EVENT, "date_said": said})
    assert found and {p.field for p in found} == {field}


def test_words_too_long_say_the_limit():
    (problem,) = validate_record("event", {**EVENT, "date_said": {"text": "y" * 250, "lang": "es"}})
    assert problem.params["limit"] == DATE_SAID_MAX and problem.params["length"] == 250
    assert "at most 200" in str(problem)


ANSWER = {"question": "border.last_arrival_date", "language": "es", "text": "verano de 2018"}
VISIT = {"date": "2026-11-02"}


@pytest.mark.parametrize("value", [*seasons.REGIONS, None])
def test_an_answer_records_the_season_reading_it_was_read_with(value):
    assert problems("answer", {**ANSWER, "value": "2017-11/2018-04", "seasons": value}) == []


@pytest.mark.parametrize("value", ["auto", "ask", "Northern", "", 3])
def test_an_answer_refuses_anything_but_a_reading(value):
    assert [f for f, _m in problems("answer", {**ANSWER, "seasons": value})] == ["$.seasons"]


@pytest.mark.parametrize("value", ["auto", "ask", *seasons.REGIONS, None])
def test_a_visit_says_how_seasons_are_read(value):
    assert problems("visit", {**VISIT, "seasons": value}) == []


@pytest.mark.parametrize("value", ["central america", "south", "", True])
def test_a_visit_refuses_other_settings(value):
    assert [f for f, _m in problems("visit", {**VISIT, "seasons": value})] == ["$.seasons"]


def test_the_schema_names_the_regions_of_the_seasons_module():
    defs = case_schema()["$defs"]
    readings = [v for v in defs["answer"]["properties"]["seasons"]["enum"] if v]
    assert readings == list(seasons.REGIONS)
    said = defs["event"]["properties"]["date_said"]["properties"]["seasons"]["enum"]
    assert [v for v in said if v] == readings
    settings = [v for v in defs["visit"]["properties"]["seasons"]["enum"] if v]
    assert settings == [seasons.AUTO, *seasons.REGIONS, seasons.ASK]


def test_the_store_keeps_the_new_fields(store):
    client = store.create("client", {"given_names": "Marta", "family_names": "Rivas"})
    event = store.create("event", {**EVENT, "date_said": SAID}, client_id=client.id)
    assert store.get(event.id).data["date_said"] == SAID
    visit = store.create("visit", {**VISIT, "seasons": "ask"}, client_id=client.id)
    answer = store.create(
        "answer", {**ANSWER, "value": "2017-11/2018-04", "seasons": "central_america"},
        client_id=client.id, parent_id=visit.id,
    )
    assert store.get(visit.id).data["seasons"] == "ask"
    assert store.get(answer.id).data["seasons"] == "central_america"
    with pytest.raises(ValidationError):
        store.set_field(event.id, "date_said.lang", "de")


# -- old season codes as months ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "code, months",
    [
        ("2018-22", "2018-06/2018-08"),
        ("2019-24", "2019-12/2020-02"),
        ("2021-21", "2021-03/2021-05"),
        ("2019-23", "2019-09/2019-11"),
        ("2018-22/2019", "2018-06/2019"),
        ("2017/2018-24", "2017/2019-02"),
        ("2018-21/2018-23", "2018-03/2018-11"),
        ("../2018-21", "../2018-05"),
        ("2018-23/..", "2018-09/.."),
    ],
)
def test_a_code_becomes_the_months_it_always_meant(code, months):
    assert seasoncodes.has_season_code(code)
    assert seasoncodes.season_months(code) == months
    assert is_valid_edtf(months) and not seasoncodes.has_season_code(months)
    assert sort_bounds(months) == sort_bounds(code)  # the same first and last day as before


@pytest.mark.parametrize("value", ["2018-06", "2018-02-22", "2018-12-21", "2022", "[2018,2019]", None, 2018])
def test_other_values_are_no_season_codes(value):
    assert not seasoncodes.has_season_code(value)


def test_the_date_fields_come_from_the_schema():
    assert seasoncodes.date_paths("event") == (("date",),)
    assert set(seasoncodes.date_paths("client")) == {
        ("date_of_birth",),
        ("custody", "since"),
        ("proceedings", "last_arrival"),
        ("proceedings", "asylum_filed_on"),
        ("proceedings", "next_hearing"),
        ("custody", "next_deadline", "date"),
    }
    assert seasoncodes.date_paths("custody_event") == (("date",),)
    assert seasoncodes.date_paths("allegation") == (("disclosed_on",),)  # its rebuttals are records
    assert ("separation", "date") in seasoncodes.date_paths("family_member")
    assert seasoncodes.date_paths("answer") == ()  # its value is free text, rewritten when EDTF


def test_client_country_is_the_birth_country_else_the_first_nationality():
    assert seasoncodes.client_country({"country_of_birth": "SV", "nationalities": ["US"]}) == "SV"
    assert seasoncodes.client_country({"nationalities": ["HN", "US"]}) == "HN"
    assert seasoncodes.client_country({"country_of_birth": None, "nationalities": []}) is None
    assert seasoncodes.client_region({"nationalities": ["GT"]}) == "central_america"
    assert seasoncodes.client_region({}) is None


def test_an_event_keeps_the_old_code_as_said_and_a_second_pass_changes_nothing():
    event = {"date": "2018-22", "text": {"en": "x"}, "place": "2019-21 Street"}
    assert seasoncodes.upgrade_record("event", event, region="central_america")
    assert event == {
        "date": "2018-06/2018-08",
        "text": {"en": "x"},
        "place": "2019-21 Street",  # not a date field: left as typed
        "date_said": {"text": "2018-22", "lang": "en", "seasons": "northern"},
    }
    before = json.dumps(event)
    assert not seasoncodes.upgrade_record("event", event, region="central_america")
    assert json.dumps(event) == before
    told = {"date": "2019-24", "text": {"es": "x"}, "date_said": {"text": "invierno de 2019", "lang": "es"}}
    assert seasoncodes.upgrade_record("event", told, region=None)
    assert told["date"] == "2019-12/2020-02"
    assert told["date_said"] == {"text": "invierno de 2019", "lang": "es"}  # already there: kept


def test_a_signed_declaration_keeps_its_sworn_fields():
    signed = {"status": "signed", "signed_on": "2026-21", "version": 1}
    assert not seasoncodes.upgrade_record("declaration", signed, region=None)
    assert signed["signed_on"] == "2026-21"


def test_an_answer_is_read_again_from_its_words_with_the_clients_region():
    answer = {**ANSWER, "value": "2018-22", "recorded_at": "2026-11-02T10:00"}
    assert seasoncodes.upgrade_record("answer", answer, region="central_america")
    # "verano" in Central America is the dry season: November 2017 to April 2018 (resources/seasons.toml).
    assert answer["value"] == "2017-11/2018-04" and answer["seasons"] == "central_america"
    assert not seasoncodes.upgrade_record("answer", answer, region="central_america")


@pytest.mark.parametrize(
    "text, region",
    [
        ("", "central_america"),  # no words kept
        ("verano de 2018", None),  # no region for the client
        ("lo que dijo no se entiende", "central_america"),  # the words are no date
        ("2018-22", "central_america"),  # the code itself, typed as it is
        ("en 2018", "central_america"),  # no season named: the value was made more precise by hand
    ],
)
def test_an_answer_that_cannot_be_read_again_keeps_the_northern_months(text, region):
    answer = {**ANSWER, "text": text, "value": "2018-22"}
    assert seasoncodes.upgrade_record("answer", answer, region=region)
    assert answer["value"] == "2018-06/2018-08" and answer["seasons"] == "northern"


def test_an_answer_that_is_no_date_is_left_alone():
    answer = {**ANSWER, "text": "la calle 2018-22", "value": "la calle 2018-22"}
    assert not seasoncodes.upgrade_record("answer", answer, region="central_america")
    assert "seasons" not in answer


# -- sync carries the new fields unchanged -----------------------------------------------------------
def test_a_sync_carries_the_words_as_said_and_the_readings(tmp_path, passphrase):
    from desktop import sync
    from desktop.case.store import CaseStore
    from desktop.vault.database import create_vault

    def vault(name):
        v = create_vault(tmp_path / name, passphrase, kh.unsafe_test_policy())
        sync.identity(v, name=name)
        return CaseStore(v)

    one, two = vault("one"), vault("two")
    sync.make_office(two.vault)  # a laptop sends sync files to the office only (issue 19)
    try:
        for a, b in ((one, two), (two, one)):
            sync.trust(a.vault, sync.parse_card(json.dumps(sync.identity(b.vault).card()).encode()))
        client = one.create("client", {"given_names": "Marta", "country_of_birth": "SV"})
        event = one.create("event", {**EVENT, "date_said": SAID}, client_id=client.id)
        visit = one.create("visit", {**VISIT, "seasons": "central_america"}, client_id=client.id)
        answer = one.create(
            "answer", {**ANSWER, "value": "2017-11/2018-04", "seasons": "central_america"},
            client_id=client.id, parent_id=visit.id,
        )
        data = sync.export_sync(one.vault, sync.identity(two.vault).device_id).data
        sync.import_sync(two.vault, data, backup=False)
        assert two.get(event.id).data["date_said"] == SAID
        assert two.get(visit.id).data["seasons"] == "central_america"
        assert two.get(answer.id).data["seasons"] == "central_america"
        assert two.snapshot() == one.snapshot()
    finally:
        one.vault.close()
        two.vault.close()
