"""Signing as it happens: what blocks it, what is stored with the fingerprint, what is refused."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from desktop.case.casefile import import_case_file
from desktop.drafting.declarations import DeclarationService, canonical_text
from desktop.drafting.locales import BLOCKING_MARKERS
from desktop.drafting.signing import (
    INTERPRETER,
    MARKER,
    TRANSLATOR,
    SigningRefused,
    default_place,
    default_signing_date,
    parse_place,
    parse_signing_date,
    signing_blockers,
    version_blockers,
)
from desktop.errors import ValidationError
from desktop.i18n import set_language

NOV_2 = dt.date(2026, 11, 2)
PEARSALL = {"city": "Pearsall", "region": "Texas", "country": "US"}


@pytest.fixture
def ana_id(store, ana_path):
    return import_case_file(store, ana_path)


@pytest.fixture
def service(store):
    return DeclarationService(store)


def _fields(**changes):
    base = {
        "drafted_in": "en",
        "declarant_language": "es",
        "place_of_signing": PEARSALL,
        "interpreter": {"name": "Rosa Medina", "address": "100 Example St.", "phone": "(210) 555-0134"},
    }
    return {**base, **changes}


def test_ana_as_imported_can_be_signed(service, ana_id):
    assert version_blockers(service.current(ana_id)) == []


@pytest.mark.parametrize("marker", BLOCKING_MARKERS, ids=lambda m: m["en"][:12])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_blocking_marker_blocks_with_paragraph_and_language(marker, lang):
    paragraphs = [{"en": "I was born.", "es": "Nací."}, {"en": "Fine.", "es": "Bien."}]
    paragraphs[1][lang] = f"{marker[lang]}They took him."
    blockers = signing_blockers(_fields(), paragraphs, ids=["p1", "p2"])
    assert [(b.kind, b.paragraph, b.paragraph_id, b.lang) for b in blockers] == [(MARKER, 2, "p2", lang)]
    set_language("en")
    language = {"en": "English", "es": "Spanish"}[lang]
    assert blockers[0].message() == f"Paragraph 2 ({language}) still holds “{marker[lang].strip()}”."


def test_marker_message_in_spanish():
    paragraphs = [{"en": "[translation needed] Nací.", "es": "Nací."}]
    (blocker,) = signing_blockers(_fields(), paragraphs)
    set_language("es")
    try:
        assert blocker.message() == "El párrafo 1 (inglés) todavía contiene “[translation needed]”."
    finally:
        set_language("en")


def test_interpreter_certificate_needs_name_address_and_phone():
    paragraphs = [{"en": "I was born.", "es": "Nací."}]
    blockers = signing_blockers(_fields(interpreter=None), paragraphs)
    assert [(b.kind, b.field) for b in blockers] == [
        (INTERPRETER, "interpreter.name"),
        (INTERPRETER, "interpreter.address"),
        (INTERPRETER, "interpreter.phone"),
    ]
    set_language("en")
    assert blockers[0].message() == "The certificate of interpretation needs the interpreter's name."
    # A declarant who reads English signs the English text: no certificate, no interpreter needed.
    assert signing_blockers(_fields(interpreter=None, declarant_language="en"), paragraphs) == []


def test_translator_certificate_for_a_declaration_drafted_in_spanish():
    paragraphs = [{"en": "I was born.", "es": "Nací."}]
    fields = _fields(drafted_in="es", translator={"name": "Marta Villeda", "address": None, "phone": "1"})
    blockers = signing_blockers(fields, paragraphs)
    assert [(b.kind, b.field) for b in blockers] == [(TRANSLATOR, "translator.address")]


def test_a_day_to_come_is_refused():
    paragraphs = [{"en": "I was born.", "es": "Nací."}]
    blockers = signing_blockers(_fields(), paragraphs, signed_on=NOV_2, today=dt.date(2026, 11, 1))
    assert [b.kind for b in blockers] == ["date"]
    assert signing_blockers(_fields(), paragraphs, signed_on=NOV_2, today=NOV_2) == []


def test_sign_stores_date_place_and_interpreter_under_the_fingerprint(store, service, ana_id):
    place = {"city": "Dilley", "region": "Texas", "country": "US"}
    signed = service.sign(ana_id, NOV_2, place=place, interpreter="Luis Ortega", translator=None)
    data = signed.record.data
    assert data["status"] == "signed" and data["signed_on"] == "2026-11-02"
    assert data["place_of_signing"] == place
    # The name replaces only the name: the address and telephone stay for the certificate.
    assert data["interpreter"] == {
        "name": "Luis Ortega",
        "address": "100 Example St., San Antonio, TX 78205",
        "phone": "(210) 555-0134",
    }
    text = canonical_text(data, [p.data for p in signed.paragraphs])
    assert b"Luis Ortega" in text and b"Dilley" in text  # hashed with the signature, not after it
    assert data["sha256"] == hashlib.sha256(text).hexdigest()
    assert service.verify(signed)
    reread = service.current(ana_id)
    assert service.verify(reread) and reread.record.data == data


def test_refusal_lists_the_reasons_and_changes_nothing(store, service, ana_id):
    current = service.current(ana_id)
    store.set_field(current.paragraphs[2].id, "es", "[traducción pendiente] Me fui.")
    before = service.current(ana_id)
    with pytest.raises(SigningRefused) as refused:
        service.sign(ana_id, NOV_2, place=PEARSALL, interpreter="")
    set_language("en")
    assert refused.value.message() == (
        "Version 1 cannot be signed yet:\n"
        "• Paragraph 3 (Spanish) still holds “[traducción pendiente]”.\n"
        "• The certificate of interpretation needs the interpreter's name."
    )
    after = service.current(ana_id)
    assert not after.signed and after.record.data == before.record.data
    assert after.record.rev == before.record.rev


def test_a_version_signed_before_the_signing_fields_still_verifies(store, service, ana_id):
    """A version signed with only a date (the old way) keeps its fingerprint and verifies."""
    current = service.current(ana_id)
    old = {k: v for k, v in current.record.data.items() if k not in ("interpreter", "translator")}
    text = canonical_text(old, [p.data for p in current.paragraphs])
    store.update(
        current.record.id,
        {**old, "status": "signed", "signed_on": "2024-07-20", "sha256": hashlib.sha256(text).hexdigest()},
    )
    assert service.verify(service.current(ana_id))


def test_no_draft_to_sign(service, ana_id):
    from desktop.errors import SignedVersion

    service.sign(ana_id, NOV_2)
    with pytest.raises(SignedVersion):
        service.sign(ana_id, NOV_2)


@pytest.mark.parametrize(
    ("typed", "lang", "day"),
    [
        ("2026-11-02", "en", NOV_2),
        ("November 2, 2026", "en", NOV_2),
        ("2 de noviembre de 2026", "es", NOV_2),
        ("11/2/2026", "en", NOV_2),
        ("2/11/2026", "es", NOV_2),
    ],
)
def test_the_signing_day_is_typed_as_dates_are_everywhere(typed, lang, day):
    assert parse_signing_date(typed, lang) == day


@pytest.mark.parametrize("typed", ["", "marzo 2022", "around 2015", "nonsense"])
def test_anything_but_one_day_is_refused(typed):
    with pytest.raises(ValidationError):
        parse_signing_date(typed, "en")


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("Pearsall, TX", PEARSALL),
        ("Pearsall, texas", PEARSALL),
        ("Pearsall, Texas, US", PEARSALL),
        ("Tapachula, MX", {"city": "Tapachula", "region": None, "country": "MX"}),
        ("Tapachula, Chiapas, mx", {"city": "Tapachula", "region": "Chiapas", "country": "MX"}),
        ("Tapachula, Chiapas, México", {"city": "Tapachula", "region": "Chiapas", "country": "MX"}),
        ("San Salvador, el salvador", {"city": "San Salvador", "region": None, "country": "SV"}),
        ("Pearsall, Texas, Estados Unidos", PEARSALL),
        ("Pearsall, Texas, United States", PEARSALL),
    ],
)
def test_places_of_signing(typed, place):
    assert parse_place(typed) == place


@pytest.mark.parametrize("typed", ["Pearsall", "Pearsall, Tejas", "a, b, c, d", ""])
def test_places_refused(typed):
    with pytest.raises(ValidationError):
        parse_place(typed)


def test_defaults_are_the_last_visit_and_the_facility(store, ana_id):
    today = dt.date(2026, 12, 1)
    assert default_signing_date(store, ana_id, today) == dt.date(2024, 5, 14)  # Ana's visit
    for day in ("2026-10-30", "2026-11-20", "2027-01-05"):  # a visit on a later day is ignored
        store.create("visit", {"date": day, "mode": "in_person"}, client_id=ana_id)
    assert default_signing_date(store, ana_id, today) == dt.date(2026, 11, 20)
    assert default_signing_date(store, ana_id, dt.date(2024, 1, 1)) == dt.date(2024, 1, 1)  # none yet
    client = store.get(ana_id)
    custody = {**(client.data.get("custody") or {}), "status": "detained"}
    store.set_field(ana_id, "custody", {**custody, "facility": "Stewart Detention Center"})
    assert default_place(store, ana_id) == {"city": "Lumpkin", "region": "Georgia", "country": "US"}
    store.set_field(ana_id, "custody", {**custody, "facility": "Dilley Center, Dilley, TX"})
    assert default_place(store, ana_id) == {"city": "Dilley", "region": "Texas", "country": "US"}
    # A place already on the declaration wins.
    assert default_place(store, ana_id, {"place_of_signing": PEARSALL}) == PEARSALL


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_place_is_typed_back_with_the_countrys_name_and_read_again(lang):
    """The sign dialog shows the place in the interface language, never a country code (issue 21)."""
    from desktop.drafting.signing import place_text

    tapachula = {"city": "Tapachula", "region": "Chiapas", "country": "MX"}
    text = place_text(tapachula, lang)
    assert text == ("Tapachula, Chiapas, Mexico" if lang == "en" else "Tapachula, Chiapas, México")
    assert parse_place(text) == tapachula
    assert parse_place(place_text(PEARSALL, lang)) == PEARSALL
    assert place_text(PEARSALL, lang).endswith("Estados Unidos" if lang == "es" else "United States")
