"""Drafting a declaration from a case: structure, dates at their real precision, first person.

The reference cases are Ana (tests/data/case-ana.json) and the three demo files in
resources/examples. Every drafted declaration must validate against the case file schema.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from babel.dates import get_month_names

from desktop.case.dates import parse_edtf, sort_bounds
from desktop.drafting import (
    COMPLETE_MARKER,
    DEFAULT_RELIEF,
    REWRITE_MARKER,
    TRANSLATION_NEEDED,
    Declarant,
    date_opening,
    draft_declaration,
    first_person_or_marked,
    place_of_signing,
    supported_relief,
    to_first_person,
)
from desktop.case.model import schema_errors
from desktop.paths import resource_path

DEMOS = ("case-daniel.json", "case-jose.json", "case-maria.json")
ANA = Declarant("Ana Lucía", "Pérez Gómez", ("Lucy Pérez",), "female", ("Mateo",))
DANIEL = Declarant("Daniel Alejandro", "Castillo Reyes", (), "male", ("Luis Fernando", "Gloria Esperanza"))


@pytest.fixture
def ana(ana_path: Path) -> dict[str, Any]:
    return json.loads(ana_path.read_text(encoding="utf-8"))


@pytest.fixture(params=("ana", *DEMOS))
def any_case(request: pytest.FixtureRequest, ana_path: Path) -> dict[str, Any]:
    path = ana_path if request.param == "ana" else resource_path("examples", request.param)
    return json.loads(Path(path).read_text(encoding="utf-8"))


def paragraph_for(draft: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The event paragraph (not the allegation response) that tells ``event_id``."""
    found = [p for p in draft["paragraphs"][2:-1] if p["events"] == [event_id]]
    assert len(found) >= 1, f"no paragraph for {event_id}"
    return found[0]


def birth_id(case: dict[str, Any]) -> str:
    return next(e["id"] for e in case["events"] if e["id"] == "ev-birth")


# ---------------------------------------------------------------------------------------------
# Structure


def test_paragraph_count_and_order_of_sections(any_case: dict[str, Any]) -> None:
    """Identity, language, one per event (birth excluded), allegations if any, fear of return."""
    draft = draft_declaration(any_case)
    events = [e for e in any_case["events"] if e["id"] != birth_id(any_case)]
    expected = 2 + len(events) + (1 if any_case.get("allegations") else 0) + 1
    assert len(draft["paragraphs"]) == expected
    assert draft["paragraphs"][0]["events"] == ["ev-birth"]
    assert draft["paragraphs"][1]["en"].startswith("My first language is ")
    assert "afraid" in draft["paragraphs"][-1]["en"]
    assert "miedo" in draft["paragraphs"][-1]["es"]


def test_event_paragraphs_follow_the_dates(any_case: dict[str, Any]) -> None:
    """Sorted by earliest then latest day (sort_bounds), ties in file order."""
    draft = draft_declaration(any_case)
    by_id = {e["id"]: e for e in any_case["events"]}
    count = len(any_case["events"]) - 1
    linked = [p["events"][0] for p in draft["paragraphs"][2 : 2 + count]]
    keys = [sort_bounds(by_id[i]["date"]) for i in linked]
    assert keys == sorted(keys)
    assert sorted(linked) == sorted(i for i in by_id if i != "ev-birth")


def test_every_paragraph_has_both_languages_and_links(any_case: dict[str, Any]) -> None:
    draft = draft_declaration(any_case)
    ids = {e["id"] for e in any_case["events"]}
    for paragraph in draft["paragraphs"]:
        assert paragraph["en"].strip() and paragraph["es"].strip()
        assert set(paragraph["events"]) <= ids


def test_draft_validates_against_the_schema(any_case: dict[str, Any]) -> None:
    draft = draft_declaration(any_case)
    assert schema_errors(draft, "declaration") == []
    whole = {**any_case, "declaration": draft}
    assert schema_errors(whole) == []


def test_the_case_is_not_modified(ana: dict[str, Any]) -> None:
    before = copy.deepcopy(ana)
    draft_declaration(ana, [{"id": "x", "question": "fear.return", "language": "es", "text": "Miedo."}])
    assert ana == before


def test_minimal_case_drafts_honest_placeholders() -> None:
    """No events, no visits, no date of birth: identity, language and a fear sentence to complete."""
    client = {"given_names": "Rosa", "country_of_birth": "HN"}
    case = {"format": "declara-case", "version": 1, "client": client}
    draft = draft_declaration(case)
    assert [p["en"] for p in draft["paragraphs"][:1]] == ["My name is Rosa. I was born in Honduras."]
    assert draft["paragraphs"][1]["es"].startswith("Mi idioma es el español.")
    assert draft["paragraphs"][2]["en"] == (
        COMPLETE_MARKER["en"] + "I am afraid that if I am returned to Honduras I will be harmed."
    )
    assert draft["declarant_language"] == "es"
    assert draft["interpreter"] is None
    assert draft["place_of_signing"] == {"city": None, "region": None, "country": None}
    assert schema_errors(draft, "declaration") == []


def test_declaration_fields_for_ana(ana: dict[str, Any]) -> None:
    draft = draft_declaration(ana)
    assert draft["drafted_in"] == "en"
    assert draft["declarant_language"] == "es"
    assert draft["relief"] == ["asylum", "withholding", "cat"] == list(DEFAULT_RELIEF)
    assert draft["in_support_of"] is None  # nothing typed: the relief says it all
    assert draft["place_of_signing"] == {"city": "Pearsall", "region": "Texas", "country": "US"}
    assert draft["interpreter"] == {"name": "Rosa Medina", "languages": ["es", "en"]}
    assert draft["translator"] is None


# ---------------------------------------------------------------------------------------------
# Identity and language


def test_identity_paragraph_of_ana(ana: dict[str, Any]) -> None:
    first = draft_declaration(ana)["paragraphs"][0]
    assert first == {
        "en": "My name is Ana Lucía Pérez Gómez. I was born on March 12, 1994, in Usulután, El Salvador.",
        "es": "Me llamo Ana Lucía Pérez Gómez. Nací el 12 de marzo de 1994 en Usulután, El Salvador.",
        "events": ["ev-birth"],
    }


@pytest.mark.parametrize(
    ("dob", "country", "english", "spanish"),
    [
        ("1994-03", "SV", "in March 1994 in El Salvador.", "en marzo de 1994 en El Salvador."),
        ("1994~", "GT", "around 1994 in Guatemala.", "alrededor de 1994 en Guatemala."),
        ("1994", "MX", "in 1994 in Mexico.", "en 1994 en México."),
        ("1994-03-12", "PA", "on March 12, 1994, in Panama.", "el 12 de marzo de 1994 en Panamá."),
        ("[1990,1991]", "HN", "in 1990 or 1991 in Honduras.", "en 1990 o 1991 en Honduras."),
    ],
)
def test_birth_date_said_at_its_precision(dob: str, country: str, english: str, spanish: str) -> None:
    """Without a birth event the place is the country of birth; the date keeps its precision."""
    client = {"given_names": "Ana", "family_names": "Pérez", "date_of_birth": dob}
    first = draft_declaration({"client": {**client, "country_of_birth": country}})["paragraphs"][0]
    assert first["en"] == f"My name is Ana Pérez. I was born {english}"
    assert first["es"] == f"Me llamo Ana Pérez. Nací {spanish}"
    assert first["events"] == []


def test_language_paragraphs() -> None:
    ana = draft_declaration({"client": {"given_names": "Ana", "languages": ["es"]}})["paragraphs"][1]
    assert ana["en"] == (
        "My first language is Spanish. This declaration was read back to me in Spanish before I signed it."
    )
    assert ana["es"] == "Mi idioma es el español. Esta declaración me fue leída en español antes de firmarla."
    maria = draft_declaration({"client": {"given_names": "María", "languages": ["quc", "es", "en"]}})
    language = maria["paragraphs"][1]
    assert language["en"].startswith("My first language is K'iche'. I also speak Spanish and English.")
    assert language["es"].startswith("Mi idioma es el k'iche'. También hablo español e inglés.")
    assert "leída en k'iche'" in language["es"]
    assert maria["declarant_language"] == "quc"


# ---------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("value", "english", "spanish"),
    [
        ("2015~", "Around 2015", "Alrededor de 2015"),
        ("2021-21", "In the spring of 2021", "En la primavera de 2021"),
        ("2023-22", "In the summer of 2023", "En el verano de 2023"),
        ("2019-23", "In the fall of 2019", "En el otoño de 2019"),
        ("2021-24", "In the winter of 2021–2022", "En el invierno de 2021–2022"),
        ("2023-11/2024-01", "Between November 2023 and January 2024",
         "Entre noviembre de 2023 y enero de 2024"),
        ("2022-06-18", "On June 18, 2022", "El 18 de junio de 2022"),
        ("2022-03", "In March 2022", "En marzo de 2022"),
        ("2015", "In 2015", "En 2015"),
        ("[2009,2010]", "In 2009 or 2010", "En 2009 o 2010"),
        ("2024-06~", "Around June 2024", "Alrededor de junio de 2024"),
        ("2022-06-18~", "Around June 18, 2022", "Alrededor del 18 de junio de 2022"),
        ("201X", "In the 2010s", "En la década de 2010"),
        ("2011/..", "Since 2011", "Desde 2011"),
        (
            "2024-08?",
            "In August 2024 (I am not certain of the exact date)",
            "En agosto de 2024 (no recuerdo la fecha con certeza)",
        ),
    ],
)  # fmt: skip
def test_date_openings(value: str, english: str, spanish: str) -> None:
    assert date_opening(value, "en") == english
    assert date_opening(value, "es") == spanish


@pytest.mark.parametrize(
    ("event_id", "english", "spanish"),
    [
        ("ev-shop", "Around 2015, ", "Alrededor de 2015, "),
        ("ev-rent", "In the spring of 2021, ", "En la primavera de 2021, "),
        ("ev-police", "In March 2022, ", "En marzo de 2022, "),
        ("ev-detained-sweep", "On June 18, 2022, ", "El 18 de junio de 2022, "),
        ("ev-threat", "Between November 2023 and January 2024, ",
         "Entre noviembre de 2023 y enero de 2024, "),
    ],
)  # fmt: skip
def test_ana_paragraphs_open_with_the_date(
    ana: dict[str, Any], event_id: str, english: str, spanish: str
) -> None:
    paragraph = paragraph_for(draft_declaration(ana), event_id)
    assert paragraph["en"].startswith(english)
    assert paragraph["es"].startswith(spanish)


def test_no_day_is_invented(any_case: dict[str, Any]) -> None:
    """An event known to the month, season or year never gets a day in either language."""
    draft = draft_declaration(any_case)
    en_months = "|".join(get_month_names("wide", locale="en").values())
    es_months = "|".join(get_month_names("wide", locale="es").values())
    assert re.search(rf"\b({en_months}) \d{{1,2}}\b", "On June 18, 2022")  # the checks can fail
    assert re.search(rf"\b\d{{1,2}} de ({es_months})", "El 18 de junio de 2022")
    checked = 0
    for event in any_case["events"]:
        if event["id"] == "ev-birth" or parse_edtf(event["date"]).precision == "day":
            continue
        paragraph = paragraph_for(draft, event["id"])
        assert not re.search(rf"\b({en_months}) \d{{1,2}}\b", paragraph["en"]), paragraph["en"]
        assert not re.search(rf"\b\d{{1,2}} de ({es_months})", paragraph["es"]), paragraph["es"]
        checked += 1
    assert checked >= 3


# ---------------------------------------------------------------------------------------------
# First person


@pytest.mark.parametrize(
    ("who", "lang", "text", "expected"),
    [
        (ANA, "en", "Ana is born in Usulután.", "I was born in Usulután."),
        (ANA, "es", "Ana nace en Usulután.", "Nací en Usulután."),
        (ANA, "en", "Ana leaves El Salvador with her son Mateo.", "I left El Salvador with my son Mateo."),
        (ANA, "es", "Ana sale de El Salvador con su hijo Mateo.", "Salí de El Salvador con mi hijo Mateo."),
        (ANA, "en", "Ana and her mother open a small pupusería.",
         "My mother and I opened a small pupusería."),
        (ANA, "es", "Ana y su madre abren una pequeña pupusería.",
         "Mi madre y yo abrimos una pequeña pupusería."),
        (ANA, "en", "Gang members threaten to take her son if she stops paying.",
         "Gang members threatened to take my son if I stopped paying."),
        (ANA, "es", "Pandilleros amenazan con llevarse a su hijo si deja de pagar.",
         "Pandilleros amenazaron con llevarse a mi hijo si dejaba de pagar."),
        (ANA, "en", "Agents separate Mateo from Ana; the record gives 'parent has a record' as the reason.",
         "Agents separated Mateo from me; the record gave 'parent has a record' as the reason."),
        (ANA, "es", "La Patrulla Fronteriza arresta a Ana y a Mateo después de cruzar.",
         "La Patrulla Fronteriza nos arrestó a Mateo y a mí después de cruzar."),
        (ANA, "es", "Ana se muda a San Miguel y trabaja en una maquila.",
         "Me mudé a San Miguel y trabajé en una maquila."),
        (ANA, "es", "Ana le dice a su madre que tiene miedo.", "Le dije a mi madre que tenía miedo."),
        (ANA, "es", "Ana es retenida una noche.", "Fui retenida una noche."),
        (ANA, "en", "Lucy Pérez hides at her aunt's house.", "I hid at my aunt's house."),
        (DANIEL, "en",
         "Border Patrol arrests Daniel after he crosses the border; he tells the agents he is afraid.",
         "Border Patrol arrested me after I crossed the border; I told the agents I was afraid."),
        (DANIEL, "es", "Daniel se va a vivir a La Ceiba para esconderse y consigue trabajo.",
         "Me fui a vivir a La Ceiba para esconderme y conseguí trabajo."),
        (DANIEL, "en", "A note slipped under Daniel's door says he will pay with his life.",
         "A note slipped under my door said I would pay with my life."),
        (DANIEL, "es", "Soldados le dicen que tiene ficha y le advierten que él va a ser el siguiente.",
         "Soldados me dijeron que tenía ficha y me advirtieron que iba a ser el siguiente."),
    ],
)  # fmt: skip
def test_first_person_conversion(who: Declarant, lang: str, text: str, expected: str) -> None:
    assert to_first_person(text, lang, who) == expected


@pytest.mark.parametrize(
    ("who", "lang", "text"),
    [
        # who is "they"?
        (ANA, "en", "Border Patrol arrests Ana and Mateo after they cross and ask for asylum."),
        (ANA, "en", "Ana tells her mother she is afraid."),  # "she": Ana or her mother?
        (ANA, "es", "Ana es gay."),  # "soy" or "era": the attorney's call
        (ANA, "es", "Ana pierde su trabajo."),  # "su" outside the family words
        (ANA, "en", "Ana, then a student, leaves."),  # the name followed by no verb
        (ANA, "es", "Unos hombres le enseñan una foto de Ana."),  # "una foto mía"
        # a series of verbs that would stay in the present
        (DANIEL, "en", "Two officers beat him, insult him and photograph his face."),
        (DANIEL, "es", "Daniel denuncia la nota ante la fiscal; ella le dice que no tiene fondos."),  # "le"?
        (ANA, "en", "A difficult year."),  # no verb: the tense cannot be checked
    ],
)  # fmt: skip
def test_unsure_conversions_are_refused(who: Declarant, lang: str, text: str) -> None:
    assert to_first_person(text, lang, who) is None
    marked, converted = first_person_or_marked(text, lang, who)
    assert not converted
    assert marked == REWRITE_MARKER[lang] + text


def test_unconvertible_event_keeps_its_text_with_the_marker(ana: dict[str, Any]) -> None:
    paragraph = paragraph_for(draft_declaration(ana), "ev-arrival")
    assert paragraph["en"] == (
        REWRITE_MARKER["en"]
        + "On April 28, 2024, Border Patrol arrests Ana and Mateo after they cross and ask for asylum."
    )
    assert paragraph["es"] == (
        "El 28 de abril de 2024, la Patrulla Fronteriza nos arrestó a Mateo y a mí después de cruzar y "
        "pedir asilo."
    )


@pytest.mark.parametrize(
    ("event_id", "english", "spanish"),
    [
        ("ev-shop", "Around 2015, my mother and I opened a small pupusería.",
         "Alrededor de 2015, mi madre y yo abrimos una pequeña pupusería."),
        ("ev-flight", "On March 2, 2024, I left El Salvador with my son Mateo.",
         "El 2 de marzo de 2024, salí de El Salvador con mi hijo Mateo."),
        ("ev-threat",
         "Between November 2023 and January 2024, gang members threatened to take my son if I "
         "stopped paying.",
         "Entre noviembre de 2023 y enero de 2024, pandilleros amenazaron con llevarse a mi "
         "hijo si dejaba de pagar."),
        ("ev-separation",
         "On April 29, 2024, agents separated Mateo from me; the record gave 'parent has a "
         "criminal history (U.S. or home country)' as the reason.",
         "El 29 de abril de 2024, los agentes separaron a Mateo de mí; el registro dio como motivo "
         "'el padre o la madre tiene antecedentes penales (EE. UU. o país de origen)'."),
    ],
)  # fmt: skip
def test_ana_event_paragraphs(ana: dict[str, Any], event_id: str, english: str, spanish: str) -> None:
    """Converted paragraphs of Ana's case; quotations are kept word for word."""
    paragraph = paragraph_for(draft_declaration(ana), event_id)
    assert (paragraph["en"], paragraph["es"]) == (english, spanish)


def test_event_in_one_language_only_needs_a_translation(ana: dict[str, Any]) -> None:
    case = copy.deepcopy(ana)
    shop = next(e for e in case["events"] if e["id"] == "ev-shop")
    shop["text"] = {"en": "Ana and her mother open a small pupusería."}
    paragraph = paragraph_for(draft_declaration(case), "ev-shop")
    assert paragraph["en"] == "Around 2015, my mother and I opened a small pupusería."
    assert paragraph["es"] == (
        TRANSLATION_NEEDED["es"] + "Alrededor de 2015, my mother and I opened a small pupusería."
    )


# ---------------------------------------------------------------------------------------------
# The client's own words


def test_cited_answer_is_preferred_to_the_event_text(ana: dict[str, Any]) -> None:
    case = copy.deepcopy(ana)
    police = next(e for e in case["events"] if e["id"] == "ev-police")
    police["sources"] = ["interview:a-7"]
    answer = {
        "id": "a-7",
        "question": "harm.report_details",
        "language": "es",
        "text": "Fui a la PNC a denunciar la renta.",
        "translation": {"en": "I went to the PNC to report the extortion."},
    }
    paragraph = paragraph_for(draft_declaration(case, [answer]), "ev-police")
    assert paragraph["en"] == "In March 2022, I went to the PNC to report the extortion."
    assert paragraph["es"] == "En marzo de 2022, fui a la PNC a denunciar la renta."
    assert paragraph["events"] == ["ev-police"]


def test_cited_answer_without_translation_is_marked(ana: dict[str, Any]) -> None:
    case = copy.deepcopy(ana)
    next(e for e in case["events"] if e["id"] == "ev-shop")["sources"] = ["interview:b1"]
    text = "Abrimos la pupusería con mi mamá."
    answer = {"id": "b1", "question": "harm.story", "language": "es", "text": text}
    paragraph = paragraph_for(draft_declaration(case, [answer]), "ev-shop")
    assert paragraph["es"] == "Alrededor de 2015, abrimos la pupusería con mi mamá."
    assert paragraph["en"] == TRANSLATION_NEEDED["en"] + "Around 2015, abrimos la pupusería con mi mamá."


def test_stored_answers_passed_again_are_merged(ana: dict[str, Any]) -> None:
    """The vault passes every stored answer again, with its id: no duplicates, citations by id work."""
    case = copy.deepcopy(ana)
    next(e for e in case["events"] if e["id"] == "ev-police")["sources"] = ["interview:u-2"]
    stored = [{**answer, "id": f"u-{n}"} for n, answer in enumerate(case["visits"][0]["answers"], 1)]
    later = {"question": "fear.police", "language": "es", "text": "Otra vez."}
    draft = draft_declaration(case, [*stored, later])
    police = paragraph_for(draft, "ev-police")
    assert police["en"] == (
        "In March 2022, I reported the extortion at the PNC and a few days later the gang members knew "
        "everything I said."
    )
    assert police["es"].startswith("En marzo de 2022, denuncié la renta en la PNC")
    assert draft["paragraphs"][-1]["es"].endswith("El Salvador. Otra vez.")  # the extra one is the latest
    assert draft_declaration(case, stored)["paragraphs"][-1] == draft_declaration(case)["paragraphs"][-1]


def test_fear_paragraph_uses_the_visit_answers(ana: dict[str, Any]) -> None:
    fear = draft_declaration(ana)["paragraphs"][-1]
    assert fear["en"] == (
        "I am afraid of what will happen to me if I am returned to El Salvador. I reported the extortion at "
        "the PNC and a few days later the gang members knew everything I said."
    )
    assert fear["es"].startswith(
        "Tengo miedo de lo que me pase si me regresan a El Salvador. Denuncié la renta en la PNC"
    )


def test_extra_answers_count_as_the_most_recent(ana: dict[str, Any]) -> None:
    extra = {"question": "fear.return", "language": "es", "text": "Me van a matar.",
             "translation": {"en": "They will kill me."}}  # fmt: skip
    fear = draft_declaration(ana, [extra])["paragraphs"][-1]
    assert fear["en"].endswith("El Salvador. They will kill me.")
    assert fear["es"].endswith("El Salvador. Me van a matar.")


def test_fear_without_the_clients_words_is_marked(ana: dict[str, Any]) -> None:
    case = copy.deepcopy(ana)
    case["visits"] = []
    draft = draft_declaration(case)
    assert draft["paragraphs"][-1]["en"] == (
        COMPLETE_MARKER["en"] + "I am afraid that if I am returned to El Salvador I will be harmed."
    )
    assert draft["paragraphs"][-1]["es"] == (
        COMPLETE_MARKER["es"] + "Tengo miedo de que si me regresan a El Salvador me hagan daño."
    )
    assert draft["interpreter"] is None


# ---------------------------------------------------------------------------------------------
# Allegations


def test_gang_allegation_response(ana: dict[str, Any]) -> None:
    paragraph = draft_declaration(ana)["paragraphs"][-2]
    assert paragraph["events"] == ["ev-detained-sweep"]
    assert paragraph["en"].startswith(
        "I have been told that DHS says: “Subject is affiliated with MS-13 (information from Salvadoran PNC "
        "via partner task force).” That is not true. I have never belonged to any gang."
    )
    en, es = paragraph["en"], paragraph["es"]
    assert "I have requested my Solvencia from the Policía Nacional Civil." in en
    assert "I have obtained my Antecedentes Penales from the Dirección General de Centros Penales." in en
    assert "witness" not in en  # the planned witness declaration is not claimed
    assert "Eso no es cierto. Nunca he pertenecido a ninguna pandilla." in es
    assert "He solicitado mi Solvencia a la Policía Nacional Civil." in es
    assert "He obtenido mis Antecedentes Penales de la Dirección General de Centros Penales." in es


def test_criminal_history_allegation_response() -> None:
    maria = json.loads(resource_path("examples", "case-maria.json").read_text(encoding="utf-8"))
    paragraph = draft_declaration(maria)["paragraphs"][-2]
    assert "I have never been charged with or convicted of any crime." in paragraph["en"]
    assert "gang" not in paragraph["en"]
    assert "Nunca se me ha acusado ni condenado por ningún delito." in paragraph["es"]
    assert "DHS has since withdrawn this claim." in paragraph["en"]
    assert (
        "I have obtained my Carencia de Antecedentes Penales from the Organismo Judicial."
        in (paragraph["en"])
    )


def test_no_allegations_no_response(ana: dict[str, Any]) -> None:
    case = copy.deepcopy(ana)
    case["allegations"] = []
    assert len(draft_declaration(case)["paragraphs"]) == len(draft_declaration(ana)["paragraphs"]) - 1


# ---------------------------------------------------------------------------------------------
# Place and relief


@pytest.mark.parametrize(
    ("custody", "expected"),
    [
        ({"status": "detained", "facility": "South Texas ICE Processing Center, Pearsall, TX"},
         {"city": "Pearsall", "region": "Texas", "country": "US"}),
        ({"status": "detained", "facility": "Stewart Detention Center, Lumpkin, GA"},
         {"city": "Lumpkin", "region": "Georgia", "country": "US"}),
        ({"status": "detained", "facility": "Otay Mesa Detention Center, San Diego, California"},
         {"city": "San Diego", "region": "California", "country": "US"}),
        ({"status": "released", "facility": "El Paso Service Processing Center, El Paso, TX"},
         {"city": None, "region": None, "country": None}),
        ({"status": "detained", "facility": "Somewhere"}, {"city": None, "region": None, "country": None}),
        (None, {"city": None, "region": None, "country": None}),
    ],
)  # fmt: skip
def test_place_of_signing(custody: dict[str, Any] | None, expected: dict[str, Any]) -> None:
    assert place_of_signing(custody) == expected


@pytest.mark.parametrize(
    ("relief", "expected"),
    [
        (["asylum", "withholding", "cat"], list(DEFAULT_RELIEF)),
        (["cat", "asylum", "bond"], ["asylum", "cat"]),
        (["withholding"], ["withholding"]),
        (["bond"], list(DEFAULT_RELIEF)),
        (None, list(DEFAULT_RELIEF)),
    ],
)
def test_supported_relief(relief: list[str] | None, expected: list[str]) -> None:
    assert supported_relief(relief) == expected
