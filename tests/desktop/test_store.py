"""Records: UUIDs, timestamps, revisions, tombstones, validation, all-or-nothing writes."""

import re
import uuid

import pytest

from desktop.errors import ValidationError


def test_record_has_uuid_timestamps_revision_and_origin(store, vault):
    rec = store.create("client", {"given_names": "Inés"})
    uuid.UUID(rec.id)
    assert rec.rev == 1 and rec.created_at == rec.updated_at
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", rec.created_at)
    assert rec.origin == vault.device_id
    updated = store.set_field(rec.id, "custody.status", "detained")
    assert updated.rev == 2 and updated.get("custody.status") == "detained"
    assert updated.updated_at >= rec.updated_at and updated.created_at == rec.created_at


def test_unchanged_update_is_a_no_op(store):
    rec = store.create("client", {"given_names": "Inés"})
    assert store.update(rec.id, {"given_names": "Inés"}).rev == 1


def test_a_number_is_stored_as_nine_digits(store):
    rec = store.create("client", {"given_names": "X", "a_number": "A 12-345-678"})
    assert rec.data["a_number"] == "012345678"


@pytest.mark.parametrize(
    "path, value, fragment",
    [
        ("a_number", "A 12-34", "A-number"),
        ("date_of_birth", "1994-13-01", "1994-13-01"),
        ("custody.status", "jailed", "jailed"),
        ("country_of_birth", "El Salvador", "country code"),
        ("given_names", "", "empty"),
    ],
)
def test_invalid_fields_are_refused_and_nothing_written(store, path, value, fragment):
    rec = store.create("client", {"given_names": "Inés"})
    before = store.snapshot()
    with pytest.raises(ValidationError) as err:
        store.set_field(rec.id, path, value)
    assert err.value.field == path
    assert fragment in str(err.value)
    assert store.snapshot() == before


def test_events_sort_by_bounds_then_position(store):
    client = store.create("client", {"given_names": "Ana"}).id
    for date in ["2024-04-29", "2015~", "2022-03", "[1991,1992]", "2022", "2022-03-05", "2021-21"]:
        store.create("event", {"date": date, "text": {"en": date}}, client_id=client)
    order = [e.data["date"] for e in store.children(client, "event")]
    assert order == ["[1991,1992]", "2015~", "2021-21", "2022", "2022-03", "2022-03-05", "2024-04-29"]


def test_delete_is_a_tombstone_carried_to_children_and_undone(store):
    client = store.create("client", {"given_names": "Ana"}).id
    allegation = store.create("allegation", {"kind": "gang_affiliation"}, client_id=client)
    item = store.create(
        "rebuttal", {"kind": "clearance_certificate"}, client_id=client, parent_id=allegation.id
    )
    store.delete(allegation.id)
    assert store.children(client, "allegation") == []
    gone = store.get(item.id)
    assert gone.deleted and gone.rev == 2
    store.undelete(allegation.id)
    assert [a.id for a in store.children(client, "allegation")] == [allegation.id]
    assert not store.get(item.id).deleted and store.get(item.id).rev == 3


def test_deleting_a_client_hides_it_everywhere(store):
    client = store.create("client", {"given_names": "Ana", "a_number": "201555014"}).id
    store.create("event", {"date": "2020", "text": {"en": "x"}}, client_id=client)
    store.delete(client)
    assert store.clients() == []
    assert store.search("ana") == []
    assert all(r.deleted for r in store.children(client, "event", include_deleted=True))


def test_a_failure_inside_a_transaction_writes_nothing(store, vault):
    client = store.create("client", {"given_names": "Ana"}).id
    before = store.snapshot()
    with pytest.raises(ValidationError):
        with vault.transaction():
            store.create("event", {"date": "2020", "text": {"en": "kept?"}}, client_id=client)
            store.create("event", {"date": "not a date", "text": {"en": "bad"}}, client_id=client)
    assert store.snapshot() == before


def test_resolve_client_by_id_or_any_a_number_spelling(store):
    rec = store.create("client", {"given_names": "Ana", "a_number": "A 201-555-014"})
    for token in (rec.id, "201555014", "A201-555-014", "a 201 555 014"):
        assert store.resolve_client(token).id == rec.id
    from desktop.errors import NotFound

    with pytest.raises(NotFound):
        store.resolve_client("A 999-555-999")
