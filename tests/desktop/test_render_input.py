"""One declaration render input for the window and the command line: a version's fields, its number
and its paragraphs as stored now, events named by their chronology reference."""

from __future__ import annotations

import pytest

from desktop.case.casefile import import_case_file
from desktop.drafting.declarations import DeclarationService, event_ref


@pytest.fixture
def ana_id(store, ana_path):
    return import_case_file(store, ana_path)


def test_the_current_version_with_event_references_in_paragraph_order(store, ana_id):
    service = DeclarationService(store)
    current = service.current(ana_id)
    declaration = service.render_input(ana_id)
    assert declaration["version"] == current.number == 1  # the case file's declaration does not say
    assert declaration["drafted_in"] == "en" and declaration["place_of_signing"]["city"] == "Pearsall"
    assert [p["en"] for p in declaration["paragraphs"]] == [p.data["en"] for p in current.paragraphs]
    assert declaration["paragraphs"][0]["events"] == ["ev-birth"]
    assert declaration["paragraphs"][1]["events"] == []
    assert declaration["paragraphs"][8]["events"] == ["ev-arrival", "ev-separation"]


def test_what_is_stored_now_not_what_was_read_before(store, ana_id):
    service = DeclarationService(store)
    service.set_field(ana_id, "in_support_of", "asylum")
    service.set_paragraph(ana_id, 0, "en", "My name is Ana.")
    declaration = service.render_input(ana_id)
    assert declaration["in_support_of"] == "asylum"
    assert declaration["paragraphs"][0]["en"] == "My name is Ana."


def test_an_older_version_by_its_number_and_none_for_a_missing_one(store, ana_id):
    service = DeclarationService(store)
    service.sign(ana_id)
    service.set_paragraph(ana_id, 0, "en", "Changed in version 2.")
    first, second = service.render_input(ana_id, 1), service.render_input(ana_id)
    assert first["version"] == 1 and first["status"] == "signed" and len(first["sha256"]) == 64
    assert first["paragraphs"][0]["en"].startswith("My name is Ana Lucía Pérez Gómez")
    assert second["version"] == 2 and second["paragraphs"][0]["en"] == "Changed in version 2."
    assert service.version(ana_id, 2).record.id == service.current(ana_id).record.id
    assert service.render_input(ana_id, 7) is None and service.version(ana_id, 7) is None


def test_a_client_without_a_declaration(store):
    client = store.create("client", {"given_names": "Rosa", "family_names": "Pérez"})
    assert DeclarationService(store).render_input(client.id) is None


def test_events_without_a_reference_and_links_to_deleted_events(store, ana_id):
    service = DeclarationService(store)
    event = store.create(
        "event", {"date": "2020", "category": "flight", "text": {"en": "x"}, "sources": []}, client_id=ana_id
    )
    assert event_ref(event) == "ev-" + event.id.replace("-", "")[-8:]
    shop = next(e for e in store.children(ana_id, "event") if e.ref == "ev-shop")
    service.link_events(ana_id, 1, [event.id, shop.id])
    assert service.render_input(ana_id)["paragraphs"][1]["events"] == [event_ref(event), "ev-shop"]
    store.delete(shop.id)
    assert service.render_input(ana_id)["paragraphs"][1]["events"] == [event_ref(event)]


def test_it_renders(store, ana_id):
    from desktop.case.casefile import export_case
    from desktop.documents.declaration import render_declaration

    service = DeclarationService(store)
    pdf = render_declaration(export_case(store, ana_id), "en", declaration=service.render_input(ana_id))
    assert pdf.startswith(b"%PDF")
