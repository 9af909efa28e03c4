"""The chronology checks: no source, conflicting dates, paragraphs against their events."""

from __future__ import annotations

import copy
import json

import pytest

from desktop.case import chronology
from desktop.case.casefile import import_case, import_case_file
from desktop.interview.visits import VisitService


@pytest.fixture
def ana(ana_path):
    return json.loads(ana_path.read_text())


def kinds(store, client_id):
    return [(i.kind, i.message()) for i in chronology.check(store, client_id)]


def test_reference_and_demo_cases_have_no_issues(store, ana_path):
    from desktop.demo import demo_case_paths

    for path in [ana_path, *demo_case_paths()]:
        assert kinds(store, import_case_file(store, path)) == [], path.name


def test_event_without_any_source(store, ana):
    ana["events"][1]["sources"] = []  # ev-shop, but paragraph 3 still links it
    ana["events"].append({"id": "ev-lonely", "date": "2019", "text": {"en": "Something happened."}})
    issues = chronology.check(store, import_case(store, ana))
    assert [i.kind for i in issues] == ["no_source"]
    assert "Event 3 (2019) has no source" in issues[0].message()  # numbered in date order


def test_answer_giving_another_date(store, ana):
    client_id = import_case(store, ana)
    from desktop.interview.questionnaire import load_questionnaire

    questionnaire = load_questionnaire()
    visits = VisitService(store)
    visit = visits.start(
        client_id,
        questionnaire,
        facility=None,
        mode="in_person",
        interpreter_name=None,
        interpreter_languages=[],
        client_language="es",
        minutes_allowed=60,
    )
    answer = visits.new_answer(visit, questionnaire.question("border.last_arrival_date"), "2026.1", "es")
    store.set_field(answer.id, "value", "2024-03")
    visits.event_from_answer(answer, date="2024-04-28", category="border", text={"es": "Llegada"}, place=None)
    issues = chronology.check(store, client_id)
    assert [i.kind for i in issues] == ["answer_date"]
    assert "March 2024" in issues[0].message() and "April 28, 2024" in issues[0].message()


def test_last_arrival_outside_the_latest_border_event(store, ana):
    ana["proceedings"]["last_arrival"] = "2024-03-28"
    issues = chronology.check(store, import_case(store, ana))
    assert [i.kind for i in issues] == ["arrival"]
    assert "March 28, 2024" in issues[0].message()


@pytest.mark.parametrize(
    "index, lang, text, kind",
    [
        (
            3,
            "en",
            "In the spring of 2019, members of MS-13 began demanding weekly 'rent' from us.",
            "paragraph_date",
        ),
        (
            3,
            "es",
            "En la primavera de 2019, miembros de la MS-13 empezaron a exigirnos renta.",
            "paragraph_date",
        ),
        (2, "en", "On May 3, 2015 my mother and I opened a small pupusería.", "paragraph_precision"),
        (4, "en", "In March 2022 I reported the extortion to the National Civil Police.", None),
        (6, "en", "Between November 2023 and January 2024 they threatened to take my son.", None),
        (8, "en", "On April 28, 2024, we crossed. The next day the agents took Mateo.", None),
    ],
)
def test_paragraph_date_against_its_events(store, ana, index, lang, text, kind):
    doc = copy.deepcopy(ana)
    doc["declaration"]["paragraphs"][index][lang] = text
    if lang == "es":
        doc["declaration"]["paragraphs"][index].pop("en")
    issues = chronology.check(store, import_case(store, doc))
    assert [i.kind for i in issues] == ([kind] if kind else [])
    if kind:
        assert f"paragraph {index + 1}" in issues[0].message()


def test_date_mentions():
    assert chronology.date_mentions("Around 2015 my mother and I opened a shop.", "en") == ["2015~"]
    assert chronology.date_mentions("Me llamo Ana. Nací el 12 de marzo de 1994 en Usulután.", "es") == [
        "1994-03-12"
    ]
    assert chronology.date_mentions(
        "Between November 2023 and January 2024, gang members told me.", "en"
    ) == ["2023-11/2024-01"]
    assert chronology.date_mentions("I have never belonged to any gang.", "en") == []


def test_messages_follow_the_interface_language(store, ana):
    from desktop.i18n import using_language

    ana["proceedings"]["last_arrival"] = "2024-03-28"
    issues = chronology.check(store, import_case(store, ana))
    with using_language("es"):
        assert "28 de marzo de 2024" in issues[0].message() or "marzo" in issues[0].message()


# -- season_region: a season read with another region's seasons than the client's -------------------
def _seasoned(store, client, seasons, words="verano de 2018"):
    cid = store.create("client", {"given_names": "Marta", "family_names": "Rivas", **client}).id
    store.create(
        "event",
        {
            "date": "2018-06/2018-08",
            "text": {"es": "Nos amenazaron."},
            "sources": ["interview"],
            "date_said": {"text": words, "lang": "es", "seasons": seasons},
        },
        client_id=cid,
    )
    other = {"date": "2019-03", "text": {"es": "Huimos."}, "sources": ["interview"]}
    store.create("event", other, client_id=cid)
    return cid


def test_a_salvadoran_clients_season_read_as_northern_is_flagged(store):
    (issue,) = chronology.check(store, _seasoned(store, {"country_of_birth": "SV"}, "northern"))
    assert issue.kind == "season_region" and issue.msgid == chronology.SEASON_REGION
    message = issue.message()
    assert "Event 1 " in message and "“verano de 2018”" in message and "northern seasons" in message
    assert "from El Salvador," in message and "2018-06" not in message  # the date is phrased
    assert message.endswith("where seasons are named differently. Confirm the months with the client.")


def test_the_clients_own_reading_is_not_flagged(store):
    assert chronology.check(store, _seasoned(store, {"country_of_birth": "SV"}, "central_america")) == []
    # The first nationality speaks when the country of birth is not known.
    assert chronology.check(store, _seasoned(store, {"nationalities": ["HN"]}, "central_america")) == []
    (issue,) = chronology.check(store, _seasoned(store, {"nationalities": ["HN"]}, "southern"))
    assert "from Honduras," in issue.message() and "southern seasons" in issue.message()


def test_a_season_read_for_a_client_of_unknown_country_is_flagged(store):
    for client in ({}, {"country_of_birth": "KE"}):  # no country; a country with no region
        (issue,) = chronology.check(store, _seasoned(store, client, "northern"))
        assert issue.kind == "season_region" and issue.msgid == chronology.SEASON_REGION_UNKNOWN
        assert "the client's country does not tell how they name seasons" in issue.message()


def test_dates_said_without_a_season_are_not_flagged(store):
    assert chronology.check(store, _seasoned(store, {}, None, words="junio a agosto de 2018")) == []
    cid = store.create("client", {"given_names": "Ana", "country_of_birth": "SV"}).id
    store.create("event", {"date": "2018-06", "text": {"es": "x"}, "sources": ["interview"]}, client_id=cid)
    assert chronology.check(store, cid) == []


def test_the_season_message_follows_the_interface_language(store):
    from desktop.i18n import using_language

    (issue,) = chronology.check(store, _seasoned(store, {"country_of_birth": "GT"}, "northern"))
    with using_language("es"):
        message = issue.message()
    assert "Guatemala" in message and "“verano de 2018”" in message and "2018" in message


def test_a_country_outside_the_drafting_table_is_named_too(store):
    (issue,) = chronology.check(store, _seasoned(store, {"country_of_birth": "AR"}, "northern"))
    assert "from Argentina," in issue.message() and "southern" not in issue.message()
