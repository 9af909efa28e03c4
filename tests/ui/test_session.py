"""The session, the presenter between the views and a real encrypted vault: the autosave queue and
the signals the views refresh from."""

from __future__ import annotations

import pytest

from desktop.case.casefile import export_case
from desktop.errors import DeclaraError, ValidationError
from ui.session import AUTOSAVE_MS, Session
from tests.ui.pages import FullDisk


@pytest.fixture
def session(qapp, vault):
    session = Session(vault)
    yield session
    session.deleteLater()


@pytest.fixture
def heard(session):
    """Every signal the session emits, in order, as (name, arguments)."""
    events: list[tuple] = []
    for name in ("saved", "field_saved", "field_refused", "failed", "records_changed", "vault_changed"):
        getattr(session, name).connect(lambda *args, name=name: events.append((name, args)))
    return events


@pytest.fixture
def client(session):
    return session.create("client", {"given_names": "Rosa", "family_names": "Pérez"})


def names(heard):
    return [name for name, _args in heard]


def test_edits_wait_for_the_last_keystroke_then_are_stored_once(qtbot, session, client, heard):
    heard.clear()
    with qtbot.waitSignal(session.editing):
        session.edit(client.id, "notes", "T")
    session.edit(client.id, "notes", "Tr")
    session.edit(client.id, "notes", "Trae constancia")
    assert session.has_pending and heard == []  # nothing stored while typing
    assert session.get(client.id).data.get("notes") is None
    qtbot.waitUntil(lambda: not session.has_pending, timeout=AUTOSAVE_MS * 4)
    assert session.get(client.id).data["notes"] == "Trae constancia"
    assert names(heard) == ["field_saved", "saved"]  # the last value only, once
    record_id, path, record = heard[0][1]
    assert (record_id, path, record.data["notes"]) == (client.id, "notes", "Trae constancia")


def test_flush_stores_what_is_pending_at_once(session, client, heard):
    session.edit(client.id, "notes", "antes del bloqueo")
    session.edit(client.id, "gender", "female")
    heard.clear()
    assert session.flush() is True
    assert not session.has_pending
    stored = session.get(client.id).data
    assert stored["notes"] == "antes del bloqueo" and stored["gender"] == "female"
    assert names(heard) == ["field_saved", "saved", "field_saved", "saved"]
    assert session.flush() is True and len(heard) == 4  # nothing more to store


def test_an_invalid_value_is_refused_for_its_field_and_nothing_is_stored(session, client, heard):
    heard.clear()
    session.edit(client.id, "a_number", "A 12-34")
    session.edit(client.id, "notes", "ok")
    assert session.flush() is False
    refused = [args for name, args in heard if name == "field_refused"]
    assert len(refused) == 1
    record_id, path, error = refused[0]
    assert (record_id, path) == (client.id, "a_number") and isinstance(error, ValidationError)
    assert "A-number" in error.message()
    assert "a_number" not in session.get(client.id).data
    assert session.get(client.id).data["notes"] == "ok"  # the other edit was stored
    assert "failed" not in names(heard)


def test_a_database_error_is_failed_not_refused(session, client, heard, vault):
    heard.clear()
    real = vault.conn
    vault.conn = FullDisk(real)
    try:
        session.edit(client.id, "notes", "no cabe")
        assert session.flush() is False
    finally:
        vault.conn = real
    assert names(heard) == ["failed"]
    error = heard[0][1][0]
    assert isinstance(error, DeclaraError) and not isinstance(error, ValidationError)
    assert "disk is full" in error.message().lower()
    assert session.get(client.id).data.get("notes") is None


def test_create_delete_and_undelete_tell_the_views_the_client_and_the_kind(session, client, heard):
    heard.clear()
    member = session.create(
        "family_member", {"relationship": "child", "given_names": "Ana"}, client_id=client.id
    )
    assert heard[-1] == ("records_changed", (client.id, "family_member"))
    assert "saved" in names(heard)
    heard.clear()
    deleted = session.delete(member.id)
    assert deleted.deleted and heard[-1] == ("records_changed", (client.id, "family_member"))
    assert session.children(client.id, "family_member") == []
    heard.clear()
    restored = session.undelete(member.id)
    assert not restored.deleted and heard[-1] == ("records_changed", (client.id, "family_member"))
    assert [m.id for m in session.children(client.id, "family_member")] == [member.id]


def test_a_new_client_is_its_own_client(session, heard):
    rosa = session.create("client", {"given_names": "Rosa", "family_names": "Pérez"})
    assert heard[-1] == ("records_changed", (rosa.id, "client"))


def test_create_stores_what_is_pending_first(session, client, heard):
    session.edit(client.id, "notes", "escrito antes")
    heard.clear()
    session.create("foia_request", {"agency": "CBP", "status": "draft"}, client_id=client.id)
    assert names(heard)[:2] == ["field_saved", "saved"]
    assert session.get(client.id).data["notes"] == "escrito antes"


def event(session, client, date):
    data = {"date": date, "category": "flight", "text": {"es": date}, "sources": []}
    return session.create("event", data, client_id=client.id)


def test_duplicating_and_reordering_events_tell_the_views(session, client, heard):
    first = event(session, client, "2019-05")
    heard.clear()
    copy = session.duplicate(first.id)
    assert copy.id != first.id and copy.data == first.data
    assert heard[-1] == ("records_changed", (client.id, "event"))
    heard.clear()
    assert session.move_among_same_date(copy.id, -1) is True
    assert heard[-1] == ("records_changed", (client.id, "event"))
    assert [e.id for e in session.children(client.id, "event")] == [copy.id, first.id]
    later = event(session, client, "2020")
    heard.clear()
    assert session.move_among_same_date(later.id, -1) is False  # another date: not by hand
    assert heard == []


def test_a_change_through_a_service_flushes_then_tells_the_views(session, client, heard):
    session.edit(client.id, "notes", "pendiente")
    heard.clear()
    service = session.declarations
    version = session.change("declaration", client.id, lambda: service.ensure_draft(client.id))
    assert version.number == 1
    assert names(heard) == ["field_saved", "saved", "saved", "records_changed"]
    assert heard[-1] == ("records_changed", (client.id, "declaration"))
    heard.clear()

    def refused() -> None:
        raise DeclaraError("There is no draft to sign.")

    with pytest.raises(DeclaraError):  # a refused change tells nobody
        session.change("declaration", client.id, refused)
    assert "records_changed" not in names(heard)


def test_the_first_edit_after_signing_makes_a_draft_once(session, client, heard):
    service = session.declarations
    draft, made = session.ensure_draft(client.id)
    assert made and draft.number == 1 and heard[-1] == ("records_changed", (client.id, "declaration"))
    heard.clear()
    again, made = session.ensure_draft(client.id)
    assert not made and again.record.id == draft.record.id and heard == []
    interpreter = {"name": "Rosa Medina", "address": "1 Example St.", "phone": "555-0100"}
    service.sign(client.id, interpreter=interpreter)  # declarant_language es: a certificate
    second, made = session.ensure_draft(client.id)
    assert made and second.number == 2 and heard[-1] == ("records_changed", (client.id, "declaration"))


def test_import_of_a_case_file_tells_the_views_of_the_new_client(session, client, heard):
    doc = export_case(session.store, client.id)
    doc["client"]["given_names"] = "Copia"
    doc["client"].pop("id", None)
    heard.clear()
    imported = session.import_case(doc)
    assert imported != client.id and session.get(imported).data["given_names"] == "Copia"
    assert heard[-1] == ("records_changed", (imported, "client"))


def test_reloaded_says_any_client_may_have_changed(session, heard):
    session.reloaded()
    assert heard == [("vault_changed", ())]


def test_close_stores_what_is_pending(session, client, vault_path, policy, passphrase):
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    session.edit(client.id, "notes", "antes de cerrar")
    session.close()
    with open_vault(vault_path, unlock(vault_path, passphrase, policy)) as reopened:
        assert CaseStore(reopened).get(client.id).data["notes"] == "antes de cerrar"
