"""Blobs in the vault, the document record and its validation, document text search, migration 8."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from desktop.case import search
from desktop.case.store import CaseStore
from desktop.errors import NotFound, ReceivedMismatch, ValidationError, VaultCorrupt
from desktop.evidence.blobs import CHUNK_SIZE, BlobStore
from desktop.vault import migrations
from desktop.vault.database import create_vault, open_vault, unlock


@pytest.fixture
def blobs(vault):
    return BlobStore(vault)


def _rows(vault, table):
    return vault.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _document(blob, *, title="Constancia de antecedentes policiales", **extra):
    entry = {"sha256": blob.sha256, "size": blob.size, "media": "pdf"}
    return {
        "title": title,
        "kind": "police_clearance",
        "pages": 1,
        "original": entry,
        "revisions": [{**entry, "pages": 1, "made": "import", "at": "2026-12-07T10:00:00.000Z"}],
        "current": 0,
        **extra,
    }


# -- blobs ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * 1024 * 1024, 3 * 1024 * 1024 + 7]
)
def test_blob_round_trip(blobs, vault, size):
    data = os.urandom(size)
    info = blobs.put(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.size == size
    assert blobs.get(info.sha256) == data
    assert b"".join(blobs.iter_chunks(info.sha256)) == data
    assert blobs.has(info.sha256) and blobs.size(info.sha256) == size
    chunks = -(-size // CHUNK_SIZE)
    assert vault.conn.execute("SELECT chunks FROM blobs").fetchone()[0] == chunks
    assert _rows(vault, "blob_chunks") == chunks
    longest = vault.conn.execute("SELECT max(length(data)) FROM blob_chunks").fetchone()[0]
    assert longest is None or longest <= CHUNK_SIZE


def test_put_chunks_streams_any_chunking_to_the_same_blob(blobs, vault):
    data = os.urandom(2 * CHUNK_SIZE + 12345)
    pieces = [data[i : i + 100_001] for i in range(0, len(data), 100_001)]
    info = blobs.put_chunks(iter(pieces))
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.size == len(data)
    assert blobs.get(info.sha256) == data
    assert [len(c) for c in blobs.iter_chunks(info.sha256)] == [CHUNK_SIZE, CHUNK_SIZE, 12345]
    # the same bytes again, by either way: still one blob, no provisional chunks left over
    assert blobs.put_chunks([data[:7], data[7:]]) == info
    assert blobs.put(data) == info
    assert _rows(vault, "blobs") == 1 and _rows(vault, "blob_chunks") == 3


def test_same_bytes_are_stored_once(blobs, vault):
    data = b"%PDF-1.4 fictional " * 1000
    assert blobs.put(data) == blobs.put(bytes(data))
    assert _rows(vault, "blobs") == 1


def test_missing_blob_is_not_found(blobs):
    with pytest.raises(NotFound):
        blobs.get("0" * 64)
    with pytest.raises(NotFound):
        blobs.size("0" * 64)


def test_changed_bytes_are_detected(blobs, vault):
    data = os.urandom(CHUNK_SIZE + 10)
    info = blobs.put(data)
    vault.conn.execute(
        "UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND seq = 1", (b"x" * 10, info.sha256)
    )
    with pytest.raises(VaultCorrupt) as err:
        blobs.get(info.sha256)
    assert info.sha256 in str(err.value) and "damaged" in str(err.value)


def test_missing_or_extra_chunk_is_detected(blobs, vault):
    info = blobs.put(os.urandom(CHUNK_SIZE + 10))
    vault.conn.execute("DELETE FROM blob_chunks WHERE sha256 = ? AND seq = 1", (info.sha256,))
    with pytest.raises(VaultCorrupt):
        blobs.get(info.sha256)
    other = blobs.put(b"short")
    vault.conn.execute("UPDATE blob_chunks SET data = ? WHERE sha256 = ?", (b"shorter", other.sha256))
    with pytest.raises(VaultCorrupt):
        blobs.get(other.sha256)


def test_a_failed_transaction_stores_no_blob(blobs, vault):
    with pytest.raises(RuntimeError), vault.transaction():
        blobs.put(b"a" * 10)
        blobs.put_chunks([b"b" * 10])
        raise RuntimeError
    assert _rows(vault, "blobs") == 0 and _rows(vault, "blob_chunks") == 0


def test_referenced_and_purge(store, blobs, vault):
    client = store.create("client", {"given_names": "Lucía"}).id
    kept, loose, gone = blobs.put(b"kept"), blobs.put(b"loose"), blobs.put(b"of a deleted document")
    store.create("document", _document(kept), client_id=client)
    deleted = store.create("document", _document(gone), client_id=client)
    store.delete(deleted.id)
    assert blobs.referenced() == {kept.sha256}
    # only among candidates: the deleted document's blob stays
    assert blobs.purge_unreferenced([loose.sha256, kept.sha256]) == 1
    assert not blobs.has(loose.sha256) and blobs.has(gone.sha256) and blobs.has(kept.sha256)
    assert blobs.purge_unreferenced() == 1
    assert not blobs.has(gone.sha256) and blobs.get(kept.sha256) == b"kept"
    assert _rows(vault, "blob_chunks") == 1


# -- the document record ------------------------------------------------------------------------------
def test_document_record_validates_and_is_a_tombstone_with_its_client(store, blobs):
    client = store.create("client", {"given_names": "Lucía"}).id
    blob = blobs.put(b"%PDF fictional")
    doc = store.create("document", _document(blob, language="es", date="2026-07-06"), client_id=client)
    assert doc.kind == "document" and doc.parent_id is None and doc.date_lo == "2026-07-06"
    assert [d.id for d in store.children(client, "document")] == [doc.id]
    store.delete(client)
    assert store.get(doc.id).deleted and blobs.has(blob.sha256)


@pytest.mark.parametrize(
    "path, value, fragment",
    [
        ("title", "", "empty"),
        ("title", "x" * 301, "too long"),
        ("kind", "passport", "passport"),
        ("original.sha256", "ABC", "expected form"),
        ("original.sha256", "A" * 64, "expected form"),
        ("original.media", "gif", "gif"),
        ("original.size", -1, "at least 0"),
        ("pages", 0, "at least 1"),
        ("pages", 2001, "at most 2000"),
        ("revisions", [], "must not be empty"),
        ("current", 1, "no revision 1"),
        ("current", -1, "at least 0"),
        ("links.event", "ev-1", "expected form"),
        ("links.witness", None, "Unknown key"),
        ("filename", "../../etc/passwd", "expected form"),
        ("language", "Spanish", "language code"),
        ("date", "July 2026", "July 2026"),
        ("text_source", "typed", "typed"),
        ("issuer", "x" * 301, "too long"),
        ("translation", {"text": ""}, "empty"),
    ],
)
def test_bad_document_fields_are_refused_with_their_path(store, blobs, path, value, fragment):
    client = store.create("client", {"given_names": "Lucía"}).id
    data = _document(blobs.put(b"x"))
    node = data
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    before = store.snapshot()
    with pytest.raises(ValidationError) as err:
        store.create("document", data, client_id=client)
    assert fragment in str(err.value)
    problems = getattr(err.value, "problems", [err.value])
    assert any(p.field.startswith(f"$.{path}") for p in problems), [p.field for p in problems]
    assert store.snapshot() == before


def test_revision_fields_are_checked_too(store, blobs):
    client = store.create("client", {"given_names": "Lucía"}).id
    data = _document(blobs.put(b"x"))
    data["revisions"][0]["made"] = "scribbled"
    with pytest.raises(ValidationError) as err:
        store.create("document", data, client_id=client)
    assert err.value.field == "$.revisions[0].made"


# -- search -----------------------------------------------------------------------------------------
def test_document_text_is_found_without_accents_or_case(store, blobs, vault):
    client = store.create("client", {"given_names": "Lucía", "family_names": "Ávila"}).id
    doc = store.create("document", _document(blobs.put(b"x"), title="PNC"), client_id=client)
    other = store.create("document", _document(blobs.put(b"y"), title="Carta"), client_id=client)
    with vault.transaction() as conn:
        search.set_document_text(conn, doc.id, client, "CONSTANCIA DE SOLVENCÍA\fPolicía Nacional", "ocr")
    for query in ("solvencia", "SOLVENCIA", "Solvencía", "policia nacional", "solv"):
        assert search.search_documents(vault.conn, query) == [(client, doc.id)], query
    assert search.search_documents(vault.conn, "carta") == [(client, other.id)]
    assert search.search_documents(vault.conn, "pasaporte") == []
    store.delete(doc.id)
    assert search.search_documents(vault.conn, "solvencia") == []
    store.undelete(doc.id)
    assert search.search_documents(vault.conn, "solvencia") == [(client, doc.id)]
    store.delete(client)
    assert search.search_documents(vault.conn, "solvencia") == []


@pytest.mark.parametrize(
    "written",
    ["A 201-555-077", "A201555077", "A-201 555 077", "201-555-077", "201555077", "A# 201555077"],
)
@pytest.mark.parametrize("typed", ["A 201-555-077", "A201555077", "201-555-077", "201555077", "555077"])
def test_a_number_in_text_is_found_as_typed(store, blobs, vault, written, typed):
    client = store.create("client", {"given_names": "Lucía"}).id
    doc = store.create("document", _document(blobs.put(b"x"), title="I-213"), client_id=client)
    with vault.transaction() as conn:
        text = f"Record of Deportable Alien {written} EWI"
        search.set_document_text(conn, doc.id, client, text, "embedded")
    assert search.search_documents(vault.conn, typed) == [(client, doc.id)]
    assert search.search_documents(vault.conn, "201-555-078") == []


def test_a_numbers_in_text():
    text = "A 12-345-678 y 201 555 077; fecha 2023-01-15, tel. 2222-3333, A201555077 otra vez"
    assert search.text_a_numbers(text) == ["012345678", "201555077"]


# -- migration 8 ------------------------------------------------------------------------------------
def test_migration_8_on_a_vault_at_version_7(tmp_path, policy, monkeypatch, passphrase):
    path = tmp_path / "v7.declara"
    original = migrations.migrate
    monkeypatch.setattr(migrations, "migrate", lambda conn, **kw: original(conn, **{**kw, "target": 7}))
    with create_vault(path, passphrase, policy) as old:
        assert migrations.current_version(old.conn) == 7
        old.conn.execute(
            "INSERT INTO records (id, kind, client_id, data, created_at, updated_at, origin) "
            "VALUES ('c1', 'client', 'c1', ?, 'x', 'x', 'dev')",
            (json.dumps({"given_names": "Lucía", "family_names": "Ávila"}),),
        )
        tables = {r[0] for r in old.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    monkeypatch.undo()
    assert not {"blobs", "blob_chunks", "document_text", "document_search"} & tables
    with open_vault(path, unlock(path, passphrase, policy)) as new:
        assert migrations.current_version(new.conn) == migrations.LATEST >= 8
        store = CaseStore(new)
        blob = BlobStore(new).put(b"%PDF fictional")
        doc = store.create("document", _document(blob), client_id="c1")
        with new.transaction() as conn:
            search.set_document_text(conn, doc.id, "c1", "solvencia", "embedded")
        assert search.search_documents(new.conn, "SOLVENCIA") == [("c1", doc.id)]
        assert store.get("c1").data["family_names"] == "Ávila"
        assert new.check() == []


def test_put_chunks_with_a_known_sha256(blobs, vault):
    data = os.urandom(CHUNK_SIZE + 3)
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(ReceivedMismatch):
        blobs.put_chunks([data[:-1], b"?"], expected=sha)
    assert not vault.damaged  # bytes received wrong are refused input, not damage: the vault stays open
    assert _rows(vault, "blobs") == 0 and _rows(vault, "blob_chunks") == 0
    assert blobs.put_chunks([data[:10], data[10:]], expected=sha).size == len(data)
    assert blobs.get(sha) == data

    def never():
        raise AssertionError("a stored blob is not read again")
        yield b""

    assert blobs.put_chunks(never(), expected=sha).sha256 == sha
