"""From an answer to the case: the event or allegation an answer tells, and an event typed by hand."""

from __future__ import annotations

import pytest

from desktop.interview.answers import (
    allegation_data,
    allegation_wording,
    event_data,
    event_proposal,
    typed_event_data,
)
from desktop.interview.questionnaire import load_questionnaire
from desktop.interview.visits import VisitService


@pytest.fixture
def intake():
    return load_questionnaire()


@pytest.fixture
def visit(store, intake):
    client = store.create("client", {"given_names": "Rosa", "family_names": "Pérez"})
    return VisitService(store).start(
        client.id,
        intake,
        facility=None,
        mode="in_person",
        interpreter_name=None,
        interpreter_languages=[],
        client_language="es",
        minutes_allowed=None,
    )


def answer(store, visit, question, **data):
    record = VisitService(store).new_answer(visit, question, "1", data.pop("language", "es"))
    for path, value in data.items():
        record = store.set_field(record.id, path, value)
    return record


def test_a_text_answer_proposes_its_words_and_translations_without_a_date(store, visit, intake):
    question = intake.question("harm.story")
    told = answer(
        store,
        visit,
        question,
        text="Me golpearon en 2009.",
        translation={"en": "They beat me in 2009."},
    )
    proposal = event_proposal(told, question)
    assert proposal.lang == "es"
    assert proposal.text == {"es": "Me golpearon en 2009.", "en": "They beat me in 2009."}
    assert proposal.date_text == ""  # only a date question says the date


def test_a_date_answer_proposes_the_date_as_said(store, visit, intake):
    question = intake.question("identity.birth_date")
    told = answer(store, visit, question, text="marzo de 1990", language="en")
    proposal = event_proposal(told, question)
    assert proposal.date_text == "marzo de 1990"
    assert proposal.lang == "en" and proposal.text == {"en": "marzo de 1990"}


def test_an_answer_without_a_language_is_taken_as_spanish(store, visit, intake):
    question = intake.question("harm.story")
    told = answer(store, visit, question, text="Sí")
    told.data.pop("language")
    assert event_proposal(told, question).lang == "es"
    assert event_proposal(told, question).text == {"es": "Sí"}


def test_the_event_points_back_at_the_answer_and_drops_blank_languages(store, visit, intake):
    told = answer(store, visit, intake.question("harm.story"), text="Me golpearon.")
    data = event_data(
        told, date="2009~", category="persecution", text={"es": "Me golpearon.", "en": "  "}, place=None
    )
    assert data == {
        "date": "2009~",
        "category": "persecution",
        "status": "client_account",
        "text": {"es": "Me golpearon."},
        "sources": [f"interview:{told.id}"],
    }
    with_place = event_data(told, date="2009", category="persecution", text={"es": "x"}, place="Soyapango")
    assert with_place["place"] == "Soyapango"
    stored = VisitService(store).event_from_answer(
        told, date="2009~", category="persecution", text={"es": "Me golpearon."}, place=None
    )
    assert stored.data == data and stored.client_id == told.client_id


def test_an_event_typed_by_hand_has_no_source_and_keeps_an_empty_text_in_the_interface_language():
    data = typed_event_data(
        date="2019-05-04", category="flight", text={"es": "", "en": "Crossed."}, place=None, lang="es"
    )
    assert data == {
        "date": "2019-05-04",
        "category": "flight",
        "status": "client_account",
        "text": {"en": "Crossed."},
        "sources": [],
    }
    empty = typed_event_data(date="2019", category="flight", text={"es": "", "en": ""}, place="X", lang="es")
    assert empty["text"] == {"es": ""} and empty["place"] == "X"


def test_the_allegation_is_unresolved_with_the_words_as_said(store, visit, intake):
    told = answer(store, visit, intake.question("harm.story"), text="Dijeron que soy de la MS-13.")
    assert allegation_wording(told) == "Dijeron que soy de la MS-13."
    assert allegation_wording(None) == ""
    data = allegation_data(kind="gang_affiliation", wording="MS-13", source_program=None, organization=None)
    assert data == {"kind": "gang_affiliation", "wording": "MS-13", "status": "unresolved"}
    full = allegation_data(
        kind="gang_affiliation", wording="MS-13", source_program="ice", organization="MS-13"
    )
    assert full["source_program"] == "ice" and full["organization"] == "MS-13"
    stored = VisitService(store).allegation_from_answer(
        told, kind="gang_affiliation", wording="MS-13", source_program=None, organization="MS-13"
    )
    assert stored.kind == "allegation" and stored.data["organization"] == "MS-13"


def test_an_event_keeps_the_words_its_date_was_said_in(store, visit, intake):
    told = answer(store, visit, intake.question("harm.story"), text="En el invierno de 2019 nos amenazaron.")
    said = {"text": "invierno de 2019", "lang": "es", "seasons": "central_america"}
    data = event_data(
        told, date="2019-05/2019-10", category="persecution", text={"es": "Nos amenazaron."}, place=None,
        date_said=said,
    )
    assert data["date_said"] == said and data["date"] == "2019-05/2019-10"
    assert data["sources"] == [f"interview:{told.id}"]
    stored = store.create("event", data, client_id=told.client_id)
    assert stored.data["date_said"] == said
    # Without words as said (or with none), there is no date_said at all.
    assert "date_said" not in event_data(told, date="2019", category="other", text={"es": "x"}, place=None)
    assert "date_said" not in event_data(
        told, date="2019", category="other", text={"es": "x"}, place=None, date_said=None
    )


def test_an_event_typed_by_hand_keeps_the_words_too():
    said = {"text": "summer 2018", "lang": "en", "seasons": "northern"}
    data = typed_event_data(
        date="2018-06/2018-08", category="flight", text={"en": "Left."}, place=None, lang="en", date_said=said
    )
    assert data["date_said"] == said
    # A season reading left out is stored as null: the words named no season.
    plain = typed_event_data(
        date="2018-06", category="flight", text={"en": "Left."}, place=None, lang="en",
        date_said={"text": "June 2018", "lang": "en"},
    )
    assert plain["date_said"] == {"text": "June 2018", "lang": "en", "seasons": None}
