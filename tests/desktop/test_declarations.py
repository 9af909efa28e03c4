"""Declaration versions: signing freezes, a later edit starts a new draft, every version stays."""

from __future__ import annotations

import json

import pytest

from desktop.case.casefile import export_case, import_case, import_case_file
from desktop.drafting.declarations import DeclarationService, consistency
from desktop.errors import SignedVersion


@pytest.fixture
def ana_id(store, ana_path):
    return import_case_file(store, ana_path)


def test_signing_freezes_text_and_keeps_a_sha256(store, ana_id):
    service = DeclarationService(store)
    signed = service.sign(ana_id)
    assert signed.signed and signed.number == 1 and len(signed.record.data["sha256"]) == 64
    assert service.verify(signed)
    with pytest.raises(SignedVersion):
        store.set_field(signed.paragraphs[0].id, "en", "Changed after signing")
    with pytest.raises(SignedVersion):
        store.delete(signed.paragraphs[1].id)
    with pytest.raises(SignedVersion):
        store.set_field(signed.record.id, "in_support_of", "asylum")
    assert service.verify(service.versions(ana_id)[0])


def test_a_later_edit_starts_a_new_draft_and_old_versions_stay(store, ana_id):
    service = DeclarationService(store)
    service.sign(ana_id)
    service.set_paragraph(ana_id, 0, "en", "My name is Ana Lucía Pérez Gómez. People call me Lucy.")
    versions = service.versions(ana_id)
    assert [(v.number, v.signed) for v in versions] == [(1, True), (2, False)]
    assert versions[0].paragraphs[0].data["en"].startswith("My name is Ana Lucía Pérez Gómez. I was born")
    assert versions[1].paragraphs[0].data["en"].endswith("People call me Lucy.")
    assert len(versions[1].paragraphs) == len(versions[0].paragraphs)
    assert service.verify(versions[0])
    exported = export_case(store, ana_id)["declaration"]
    assert exported["version"] == 2 and exported["status"] == "draft"
    service.sign(ana_id)
    assert [v.signed for v in service.versions(ana_id)] == [True, True]


def test_signed_version_round_trips_through_a_case_file(store, ana_id, tmp_path, policy, passphrase):
    from desktop.case.store import CaseStore
    from desktop.vault.database import create_vault

    DeclarationService(store).sign(ana_id)
    doc = export_case(store, ana_id)
    with create_vault(tmp_path / "other", passphrase, policy) as other:
        other_store = CaseStore(other)
        cid = import_case(other_store, json.loads(json.dumps(doc)))
        version = DeclarationService(other_store).current(cid)
        assert version.signed and DeclarationService(other_store).verify(version)
        assert export_case(other_store, cid) == doc


def test_split_merge_move_add_delete_link(store, ana_id):
    service = DeclarationService(store)
    text = service.current(ana_id).paragraphs[4].data["en"]
    cut = text.index("A few days later")
    service.split_paragraph(ana_id, 4, "en", cut)
    paragraphs = service.current(ana_id).paragraphs
    assert len(paragraphs) == 11
    assert paragraphs[4].data["en"].endswith("National Civil Police.")
    assert paragraphs[5].data["en"].startswith("A few days later") and paragraphs[5].data["es"] == ""
    assert paragraphs[5].data["events"] == paragraphs[4].data["events"]
    service.merge_with_next(ana_id, 4)
    paragraphs = service.current(ana_id).paragraphs
    assert len(paragraphs) == 10 and paragraphs[4].data["en"] == text
    service.move_paragraph(ana_id, 9, 0)
    assert service.current(ana_id).paragraphs[0].data["en"].startswith("I am afraid")
    service.add_paragraph(
        ana_id, 10, {"en": "I have nothing more to add.", "es": "No tengo nada más que agregar."}
    )
    assert service.current(ana_id).paragraphs[-1].data["en"] == "I have nothing more to add."
    service.delete_paragraph(ana_id, 0)
    assert service.current(ana_id).paragraphs[0].data["en"].startswith("My name is")
    events = [e.id for e in store.children(ana_id, "event")][:2]
    service.link_events(ana_id, 1, events)
    assert service.current(ana_id).paragraphs[1].data["events"] == events
    assert [p.position for p in service.current(ana_id).paragraphs] == list(range(10))


def test_consistency_panel(store, ana_path):
    doc = json.loads(ana_path.read_text())
    doc["declaration"]["paragraphs"][3]["en"] = (
        "In the spring of 2019, members of MS-13 began demanding rent."
    )
    doc["declaration"]["paragraphs"][6]["es"] = ""
    client_id = import_case(store, doc)
    kinds = sorted(i.kind for i in consistency(store, client_id))
    # ev-detention and ev-bond are told in no paragraph; paragraph 4's date disagrees; 7 lacks Spanish
    assert kinds == ["paragraph_date", "uncovered", "uncovered", "untranslated"]
    messages = [i.message() for i in consistency(store, client_id)]
    assert any("Paragraph 7 has no Spanish text yet." == m for m in messages)


def test_split_and_merge_keep_the_paragraphs_sources(store, ana_path):
    """A drafted paragraph's sources go with both halves of a split, and a merge lists the sources
    of both paragraphs once each: otherwise the editor would call drafted text "written by hand"."""
    doc = json.loads(ana_path.read_text())
    paragraphs = doc["declaration"]["paragraphs"]
    paragraphs[4]["sources"] = [{"kind": "event", "id": "ev-a"}, {"kind": "clause", "id": "c"}]
    paragraphs[5]["sources"] = [{"kind": "event", "id": "ev-b"}, {"kind": "clause", "id": "c"}]
    client_id = import_case(store, doc)
    service = DeclarationService(store)
    text = service.current(client_id).paragraphs[4].data["en"]
    service.split_paragraph(client_id, 4, "en", text.index("A few days later"))
    halves = service.current(client_id).paragraphs[4:6]
    assert [h.data["sources"] for h in halves] == [paragraphs[4]["sources"]] * 2
    service.merge_with_next(client_id, 4)
    service.merge_with_next(client_id, 4)  # the original paragraph 5, with sources of its own
    merged = service.current(client_id).paragraphs[4].data["sources"]
    assert merged == [
        {"kind": "event", "id": "ev-a"},
        {"kind": "clause", "id": "c"},
        {"kind": "event", "id": "ev-b"},
    ]
