"""Assignments (issue 19): a laptop carries only the clients the office assigned to it, by every path
a record can travel; unassigned or handed-back clients are removed from the laptop once the office
holds everything the laptop sent. Fictional people only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop import sync
from desktop.case.store import CaseStore
from desktop.errors import DeclaraError, NotFound
from desktop.evidence.service import DocumentService
from desktop.sync import assignments, fileformat
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault, open_vault, unlock

from tests.desktop.test_sync_documents import BIRTH, CLEARANCE, PHOTO


TABLES = ("sync_assignments", "sync_removals", "sync_client_sent", "sync_removal_state", "sync_hand_back")


def _vault(passphrase, path: Path, *, office: bool = False, name: str | None = None) -> CaseStore:
    vault = create_vault(path, passphrase, kh.unsafe_test_policy())
    if office:
        sync.make_office(vault, name=name or "Office")
    else:
        sync.identity(vault, name=name or path.name)
    return CaseStore(vault)


def _pair(a: CaseStore, b: CaseStore) -> None:
    sync.trust(a.vault, sync.parse_card(json.dumps(sync.identity(b.vault).card()).encode()))
    sync.trust(b.vault, sync.parse_card(json.dumps(sync.identity(a.vault).card()).encode()))


def _id(store: CaseStore) -> str:
    return sync.identity(store.vault).device_id


def _export(src: CaseStore, dst: CaseStore, **kw) -> bytes:
    return sync.export_sync(src.vault, _id(dst), **kw).data


def _send(src: CaseStore, dst: CaseStore, **kw) -> sync.ImportResult:
    return sync.import_sync(dst.vault, _export(src, dst, **kw), backup=False)


def _client(store: CaseStore, given: str, events: int = 3) -> str:
    cid = store.create("client", {"given_names": given, "family_names": "Prueba"}).id
    for i in range(events):
        store.create("event", {"date": f"20{10 + i}", "text": {"en": f"{given} event {i}"}}, client_id=cid)
    return cid


def _held(store: CaseStore) -> set[str]:
    """The clients whose records are in the records table (read directly)."""
    return {r[0] for r in store.conn.execute("SELECT DISTINCT client_id FROM records")}


def _manifest(dst: CaseStore, data: bytes) -> dict:
    return fileformat.read_sync_file(dst.vault, data).manifest


@pytest.fixture
def office_set(tmp_path, passphrase):
    """An office with clients Ana, Beto and Carla, and two laptops (nothing assigned yet)."""
    office = _vault(passphrase, tmp_path / "office", office=True)
    one = _vault(passphrase, tmp_path / "one", name="Laptop One")
    two = _vault(passphrase, tmp_path / "two", name="Laptop Two")
    _pair(office, one)
    _pair(office, two)
    ids = {name: _client(office, name) for name in ("Ana", "Beto", "Carla")}
    yield office, one, two, ids
    for s in (office, one, two):
        s.vault.close()


# -- the schema ------------------------------------------------------------------------------------
def test_migration_9_tables_are_without_rowid(vault):
    for table in TABLES:
        sql = vault.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert "WITHOUT ROWID" in sql, table


def test_an_office_that_synced_before_keeps_each_laptops_own_clients(tmp_path, passphrase):
    """Upgrading: a laptop keeps the clients it sent records of; the others it was sent are listed
    for removal."""
    office = _vault(passphrase, tmp_path / "office", office=True)
    one = _vault(passphrase, tmp_path / "one", name="Laptop One")
    _pair(office, one)
    mine = _client(one, "Dora")
    _send(one, office)
    theirs = _client(office, "Elsa")
    assignments.assign(office.vault, "Laptop One", [theirs])
    _send(office, one)
    assert _held(one) == {mine, theirs}
    # As the office was before migration 9: no assignments kept anywhere.
    conn = office.vault.conn
    for table in TABLES:
        conn.execute(f"DROP TABLE {table}")
    # and its bookkeeping in the two tables of before migration 10
    for sql in (
        "CREATE TABLE sync_sent (peer TEXT NOT NULL, record_id TEXT NOT NULL, rev INTEGER NOT NULL, "
        "PRIMARY KEY (peer, record_id)) STRICT, WITHOUT ROWID",
        "INSERT INTO sync_sent SELECT peer, record_id, sent_rev FROM sync_state WHERE sent_rev IS NOT NULL",
        "CREATE TABLE sync_base (peer TEXT NOT NULL, record_id TEXT NOT NULL, their_rev INTEGER NOT NULL, "
        "data TEXT, PRIMARY KEY (peer, record_id)) STRICT, WITHOUT ROWID",
        "INSERT INTO sync_base SELECT peer, record_id, their_rev, base FROM sync_state "
        "WHERE their_rev IS NOT NULL",
        "DROP TRIGGER sync_state_keep",
        "DROP TABLE sync_state",
    ):
        conn.execute(sql)
    conn.execute("PRAGMA user_version = 8")
    path = office.vault.path
    office.vault.close()
    vault = open_vault(path, unlock(path, passphrase, kh.unsafe_test_policy()))
    try:
        laptop = sync.find_peer(vault, "Laptop One").device_id
        assert assignments.assignments(vault) == {mine: [laptop]}
        assert assignments.holders(vault) == {mine: [laptop], theirs: [laptop]}
        assert assignments.pending_removals(vault) == {laptop: [theirs]}
    finally:
        vault.close()
    one.vault.close()


# -- the API -------------------------------------------------------------------------------------------
def test_assign_unassign_assigned_assignments_holders(office_set):
    office, one, two, ids = office_set
    v = office.vault
    a, b, c = ids["Ana"], ids["Beto"], ids["Carla"]
    assert assignments.assign(v, "Laptop One", [a, b]) == 2
    assert assignments.assign(v, sync.find_peer(v, "laptop one"), [a]) == 0  # already
    assert assignments.assign(v, _id(two), [b]) == 1  # by device id; overlapping
    assert assignments.assigned(v, "Laptop One") == {a, b}
    assert assignments.assignments(v) == {a: [_id(one)], b: sorted([_id(one), _id(two)])}
    assert assignments.unassign(v, "Laptop One", [b, c]) == 1  # Carla was not assigned
    assert assignments.assigned(v, "Laptop One") == {a}
    # Beto is still held by laptop one until it acknowledges the removal.
    assert assignments.holders(v) == {a: [_id(one)], b: sorted([_id(one), _id(two)])}
    assert assignments.assignments(v) == {a: [_id(one)], b: [_id(two)]}


def test_refusals(office_set):
    office, one, _two, ids = office_set
    with pytest.raises(NotFound) as err:
        assignments.assign(office.vault, "Laptop One", ["0b6c0f9e-0000-4000-8000-000000000000"])
    assert "0b6c0f9e-0000-4000-8000-000000000000" in err.value.message()
    assert assignments.assignments(office.vault) == {}
    with pytest.raises(DeclaraError, match="No trusted device"):
        assignments.assign(office.vault, "Laptop Nine", [ids["Ana"]])
    with pytest.raises(DeclaraError, match="not the office"):
        assignments.assign(one.vault, "Office", [ids["Ana"]])
    with pytest.raises(DeclaraError, match="Only a laptop"):
        assignments.hand_back(office.vault, [ids["Ana"]])


def test_only_laptops_are_assigned(tmp_path, passphrase):
    office = _vault(passphrase, tmp_path / "office", office=True)
    other = _vault(passphrase, tmp_path / "other", office=True, name="Annex")
    _pair(office, other)
    cid = _client(office, "Ana")
    with pytest.raises(DeclaraError, match="not a laptop"):
        assignments.assign(office.vault, "Annex", [cid])
    # An office exporting to another office is unchanged: everything goes.
    result = _send(office, other)
    assert result.added == len(office.snapshot()) and _held(other) == {cid}
    for s in (office, other):
        s.vault.close()


# -- what an export carries ------------------------------------------------------------------------
def test_an_export_to_a_laptop_carries_its_assigned_clients_only_whatever_the_flags(office_set, tmp_path):
    office, one, _two, ids = office_set
    a, b = ids["Ana"], ids["Beto"]
    # Nothing assigned: nothing goes, even with full=True.
    assert sync.export_sync(office.vault, "Laptop One", full=True).records == 0
    assignments.assign(office.vault, "Laptop One", [a])
    assert _send(office, one).added == 4 and _held(one) == {a}
    assert _send(office, one, full=True).added == 0 and _held(one) == {a}
    # A case packet for an unassigned client is refused, naming it; nothing is written.
    seq = sync.identity(office.vault).last_seq
    out = tmp_path / "packet.age"
    with pytest.raises(DeclaraError) as err:
        sync.export_sync(office.vault, "Laptop One", clients=[b], out=out)
    assert b in err.value.message() and "not assigned" in err.value.message()
    with pytest.raises(DeclaraError):
        sync.export_sync(office.vault, "Laptop One", clients=[a, b], full=True)
    assert not out.exists() and sync.identity(office.vault).last_seq == seq
    # clients= narrows: Carla assigned too, a packet of Ana carries Ana only.
    assignments.assign(office.vault, "Laptop One", [ids["Carla"]])
    office.set_field(a, "notes", "office note")
    packet = _send(office, one, clients=[a], full=True)
    assert packet.added == 0 and _held(one) == {a}
    assert one.get(a).data["notes"] == "office note"
    assert _send(office, one).added == 4 and _held(one) == {a, ids["Carla"]}


def test_an_export_from_a_laptop_is_unchanged(office_set):
    office, one, _two, _ids = office_set
    mine = _client(one, "Flor")
    result = _send(one, office)
    assert result.added == 4
    # A client created on a laptop is assigned to it.
    assert assignments.assigned(office.vault, "Laptop One") == {mine}


def test_a_laptop_never_sends_to_another_laptop(office_set, monkeypatch):
    office, one, two, ids = office_set
    _pair(one, two)
    mine = _client(one, "Iris")
    with pytest.raises(DeclaraError, match="sends sync files to the office only"):
        sync.export_sync(one.vault, "Laptop Two")
    assert sync.identity(one.vault).last_seq == 0
    # A file an older Declara wrote between two laptops is refused whole at the laptop.
    monkeypatch.setattr(assignments, "check_route", lambda *_a: None)
    raw = sync.export_sync(one.vault, "Laptop Two").data
    with pytest.raises(DeclaraError, match="from another laptop"):
        sync.import_sync(two.vault, raw, backup=False)
    assert mine not in _held(two) and two.snapshot() == []


def test_a_resolved_conflict_reaches_only_the_laptops_of_that_client(office_set):
    office, one, two, ids = office_set
    a, b = ids["Ana"], ids["Beto"]
    assignments.assign(office.vault, "Laptop One", [a])
    assignments.assign(office.vault, "Laptop Two", [b])
    _send(office, one)
    _send(office, two)
    two.set_field(b, "notes", "laptop two")
    office.set_field(b, "notes", "office")
    assert _send(two, office).conflicts == 1
    (conflict,) = sync.list_conflicts(office.vault)
    sync.resolve_conflict(office.vault, conflict.id, "theirs")
    to_one = _send(office, one, full=True)
    assert to_one.updated == 0 and _held(one) == {a}
    _send(office, two)
    assert two.get(b).data["notes"] == "laptop two" and _held(two) == {b}


def test_a_resend_after_a_failed_import_carries_assigned_clients_only(office_set):
    office, one, _two, ids = office_set
    a = ids["Ana"]
    assignments.assign(office.vault, "Laptop One", [a])
    data = bytearray(_export(office, one))
    data[-40] ^= 1  # damaged on the way: the import fails, nothing changes
    with pytest.raises(DeclaraError):
        sync.import_sync(one.vault, bytes(data), backup=False)
    assert _held(one) == set()
    # The office sends again: everything (full), still only Ana.
    result = _send(office, one, full=True)
    assert result.added == 4 and _held(one) == {a}


# -- removal ---------------------------------------------------------------------------------------
def _docs_client(store: CaseStore, given: str) -> tuple[str, str]:
    cid = store.create("client", {"given_names": given, "family_names": "Prueba"}).id
    docs = DocumentService(store)
    docs.add(cid, CLEARANCE, filename="solvencia.pdf", kind="police_clearance")
    photo = docs.add(cid, PHOTO, filename="foto.png", kind="photo")
    return cid, photo.data["original"]["sha256"]


def _blobs(store: CaseStore) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT sha256 FROM blobs")}


def test_unassigning_removes_the_client_after_the_office_confirms_and_the_ack_clears_it(office_set):
    office, one, _two, ids = office_set
    keep, shared = _docs_client(office, "Gabi")
    gone, _photo = _docs_client(office, "Hugo")  # the same photo: its file stays for Gabi
    DocumentService(office).add(gone, BIRTH, filename="partida.pdf", kind="birth_certificate")
    assignments.assign(office.vault, "Laptop One", [keep, gone, ids["Ana"]])
    _send(office, one)
    assert _held(one) == {keep, gone, ids["Ana"]}
    before = _blobs(one)
    assert one.search("Hugo") == [gone]
    # The laptop has sent its (empty) file, which the office applied: nothing waits.
    _send(one, office)
    assignments.unassign(office.vault, "Laptop One", [gone])
    data = _export(office, one)
    section = _manifest(one, data)["assignments"]
    assert section["remove"] == [gone] and section["applied"] == [[1, 1]]
    result = sync.import_sync(one.vault, data, backup=False)
    assert result.removed == {gone} and result.kept == set()
    assert _held(one) == {keep, ids["Ana"]}
    conn = one.conn
    for sql in (
        "SELECT count(*) FROM records WHERE client_id = ?",
        "SELECT count(*) FROM client_summary WHERE client_id = ?",
        "SELECT count(*) FROM document_text WHERE client_id = ?",
    ):
        assert conn.execute(sql, (gone,)).fetchone()[0] == 0, sql
    assert one.search("Hugo") == [] and one.search("Gabi") == [keep]
    assert shared in _blobs(one) and len(_blobs(one)) < len(before)
    found = DocumentService(one).search("solvencia")
    assert found and {c for c, _doc in found} == {keep}
    laptop = _id(one)
    assert assignments.holders(office.vault)[gone] == [laptop]
    # The laptop's next file acknowledges; the office no longer lists it as a holder.
    ack = _export(one, office)
    assert _manifest(office, ack)["assignments"] == {"removed": [gone], "hand_back": []}
    sync.import_sync(office.vault, ack, backup=False)
    assert gone not in assignments.holders(office.vault)
    assert assignments.pending_removals(office.vault) == {}
    assert (
        office.conn.execute(
            "SELECT count(*) FROM sync_state WHERE peer = ? AND record_id IN "
            "(SELECT id FROM records WHERE client_id = ?)",
            (laptop, gone),
        ).fetchone()[0]
        == 0
    )
    # Nothing more to acknowledge once the office stopped asking.
    _send(office, one)
    assert _manifest(office, _export(one, office))["assignments"]["removed"] == []
    # Assigned again later: the whole client goes again, with its files.
    assignments.assign(office.vault, "Laptop One", [gone])
    again = sync.export_sync(office.vault, "Laptop One")
    assert again.records == len(office.children(gone, "document")) + 1 and again.documents >= 1
    sync.import_sync(one.vault, again.data, backup=False)
    assert gone in _held(one) and DocumentService(one).current(DocumentService(one).documents(gone)[0])


def test_a_client_with_changes_the_office_lacks_is_kept_until_they_arrive(office_set):
    office, one, _two, ids = office_set
    a, b = ids["Ana"], ids["Beto"]
    assignments.assign(office.vault, "Laptop One", [a, b])
    _send(office, one)
    _send(one, office)
    # The laptop edits Beto and sends it; the office has not imported that file yet.
    one.set_field(b, "notes", "last visit")
    in_transit = _export(one, office)
    assignments.unassign(office.vault, "Laptop One", [b])
    first = _send(office, one)
    assert first.kept == {b} and first.removed == set() and b in _held(one)
    assert assignments.removal_state(one.vault) == {b: "kept"}
    # An edit not sent at all also keeps it.
    one.set_field(b, "aliases", ["Betito"])
    sync.import_sync(office.vault, in_transit, backup=False)
    assert _send(office, one).kept == {b}
    # Once the office has everything the laptop sent, the client is removed.
    _send(one, office)
    assert office.get(b).data["notes"] == "last visit" and office.get(b).data["aliases"] == ["Betito"]
    final = _send(office, one)
    assert final.removed == {b} and _held(one) == {a}
    _send(one, office)
    assert assignments.holders(office.vault) == {a: [_id(one)]}


def test_hand_back_follows_the_same_path(office_set):
    office, one, _two, ids = office_set
    a, b = ids["Ana"], ids["Beto"]
    assignments.assign(office.vault, "Laptop One", [a, b])
    _send(office, one)
    one.set_field(a, "notes", "handing back")
    assert assignments.hand_back(one.vault, [a]) == 1
    assert assignments.hand_back(one.vault, [a]) == 0
    ask = _export(one, office)
    assert _manifest(office, ask)["assignments"]["hand_back"] == [a]
    sync.import_sync(office.vault, ask, backup=False)
    assert assignments.assigned(office.vault, "Laptop One") == {b}
    assert office.get(a).data["notes"] == "handing back"
    result = _send(office, one)
    assert result.removed == {a} and _held(one) == {b} and assignments.handed_back(one.vault) == set()
    _send(one, office)
    assert a not in assignments.holders(office.vault)


def test_a_client_handed_back_and_assigned_again_stays(office_set):
    office, one, _two, ids = office_set
    a = ids["Ana"]
    assignments.assign(office.vault, "Laptop One", [a])
    _send(office, one)
    assignments.hand_back(one.vault, [a])
    _send(one, office)
    assert assignments.assigned(office.vault, "Laptop One") == set()
    assignments.assign(office.vault, "Laptop One", [a])  # the office changes its mind
    assert _send(office, one).removed == set() and assignments.handed_back(one.vault) == set()
    _send(one, office)  # the hand-back is not asked again
    assert assignments.assigned(office.vault, "Laptop One") == {a}
    assert _send(office, one).removed == set() and _held(one) == {a}


def test_reassigned_before_the_removal_the_laptop_keeps_or_gets_it_whole(office_set):
    office, one, _two, ids = office_set
    a = ids["Ana"]
    assignments.assign(office.vault, "Laptop One", [a])
    _send(office, one)
    _send(one, office)
    # Unassigned and assigned again before any file: nothing to remove.
    assignments.unassign(office.vault, "Laptop One", [a])
    assignments.assign(office.vault, "Laptop One", [a])
    assert _manifest(one, data := _export(office, one))["assignments"]["remove"] == []
    sync.import_sync(one.vault, data, backup=False)
    assert _held(one) == {a}
    # Removed at the laptop, then assigned again before the acknowledgement arrives.
    assignments.unassign(office.vault, "Laptop One", [a])
    _send(one, office)  # confirms the laptop's files
    assert _send(office, one).removed == {a} and _held(one) == set()
    assignments.assign(office.vault, "Laptop One", [a])
    back = _send(office, one)
    assert back.added == 4 and _held(one) == {a}
    _send(one, office)  # its acknowledgement arrives late: ignored, Ana stays assigned
    assert assignments.assigned(office.vault, "Laptop One") == {a}
    assert _manifest(one, _export(office, one))["assignments"]["remove"] == []


def test_an_older_office_file_arriving_late_removes_nothing(office_set):
    office, one, _two, ids = office_set
    a = ids["Ana"]
    assignments.assign(office.vault, "Laptop One", [a])
    _send(office, one)
    _send(one, office)
    assignments.unassign(office.vault, "Laptop One", [a])
    old = _export(office, one)
    assignments.assign(office.vault, "Laptop One", [a])
    new = _export(office, one)
    sync.import_sync(one.vault, new, backup=False)
    late = sync.import_sync(one.vault, old, backup=False)
    assert late.removed == set() and _held(one) == {a}


@pytest.mark.parametrize("threshold", [0.0, 1.0])
def test_vacuum_after_removal_when_worth_it(office_set, monkeypatch, threshold):
    office, one, _two, ids = office_set
    a, b = ids["Ana"], ids["Beto"]
    for i in range(150):  # Beto's records fill pages that his removal frees
        office.create("event", {"date": "2019", "text": {"en": f"visit {i} " + "x" * 2000}}, client_id=b)
    assignments.assign(office.vault, "Laptop One", [a, b])
    _send(office, one)
    _send(one, office)
    monkeypatch.setattr(assignments, "VACUUM_ABOVE", threshold)
    assignments.unassign(office.vault, "Laptop One", [b])
    data = _export(office, one)
    calls = []
    real = assignments.after_import

    def spy(vault, done):
        assert not vault.conn.in_transaction  # after the commit, never inside the import
        real(vault, done)
        calls.append(done.vacuumed)

    monkeypatch.setattr(assignments, "after_import", spy)
    assert sync.import_sync(one.vault, data, backup=False).removed == {b}
    assert calls == [threshold == 0.0]
    if threshold == 0.0:
        assert one.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert one.search("Ana") == [a] and one.search("Beto") == []  # the index survives VACUUM


def test_a_failed_import_removes_nothing(office_set, monkeypatch):
    office, one, _two, ids = office_set
    a, b = ids["Ana"], ids["Beto"]
    assignments.assign(office.vault, "Laptop One", [a, b])
    _send(office, one)
    _send(one, office)
    assignments.unassign(office.vault, "Laptop One", [b])
    data = _export(office, one)
    before = one.snapshot()

    def boom(*_a, **_k):
        raise OSError(28, "No space left on device")

    from desktop.case import codec

    monkeypatch.setattr(codec, "refresh_clients", boom)
    with pytest.raises((DeclaraError, OSError)):
        sync.import_sync(one.vault, data, backup=False)
    assert one.snapshot() == before and assignments.removal_state(one.vault) == {}
    monkeypatch.undo()
    assert sync.import_sync(one.vault, data, backup=False).removed == {b}


def test_a_section_of_the_wrong_shape_is_damage():
    good = {"assignments": {"remove": [], "applied": [[1, 3]]}}
    assert assignments.parse_section(good, "office") == {"remove": [], "applied": [[1, 3]]}
    assert assignments.parse_section({}, "office") is None
    for bad in (
        {"remove": ["x"], "applied": []},
        {"remove": [], "applied": [[3, 1]]},
        {"remove": [], "applied": [[0, 1]]},
        {"remove": [], "applied": [[1, True]]},
        {"remove": []},
        [],
    ):
        with pytest.raises(DeclaraError, match="damaged"):
            assignments.parse_section({"assignments": bad}, "office")
    with pytest.raises(DeclaraError, match="damaged"):
        assignments.parse_section({"assignments": {"removed": [], "hand_back": [1]}}, "laptop")


# -- command line ----------------------------------------------------------------------------------
def test_cli_assign_unassign_assignments_hand_back(run, tmp_path, passphrase, capsys):
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    for path in (office, laptop):
        assert run("vault", "init", path)[0] == 0
    assert run("office", "init", office)[0] == 0
    assert run("sync", "card", office, "--out", tmp_path / "office.card")[0] == 0
    assert run("sync", "card", laptop, "--out", tmp_path / "laptop.card", "--name", "Rosa")[0] == 0
    assert run("sync", "trust", laptop, tmp_path / "office.card")[0] == 0
    assert run("sync", "trust", office, tmp_path / "laptop.card")[0] == 0
    store = CaseStore(open_vault(office, unlock(office, passphrase, kh.unsafe_test_policy())))
    a, b = _client(store, "Ana"), _client(store, "Beto")
    store.vault.close()
    code, out, err = run("office", "assign", office, "Rosa", a, b)
    assert code == 0 and "Assigned 2 clients" in out, err
    code, out, err = run("office", "assign", office, "Rosa", "A999999999")
    assert code == 1 and "A999999999" in err
    code, out, _err = run("office", "assignments", office, "--json")
    (entry,) = json.loads(out)["laptops"]
    assert entry["name"] == "Rosa" and entry["assigned"] == sorted([a, b]) and entry["awaiting_removal"] == []
    code, out, _ = run("sync", "export", office, "--to", "Rosa", "--out", tmp_path / "f1")
    assert code == 0 and "8 records" in out
    assert run("sync", "import", laptop, tmp_path / "f1")[0] == 0
    code, out, err = run("office", "unassign", office, "Rosa", b)
    assert code == 0 and "Unassigned 1 client" in out, err
    code, out, _ = run("office", "assignments", office)
    assert "awaiting deletion: 1" in out and b in out
    code, out, err = run("sync", "hand-back", laptop, a)
    assert code == 0 and "Marked 1 client" in out, err
    code, out, err = run("sync", "hand-back", office, a)
    assert code == 1 and "Only a laptop" in err
    assert run("sync", "export", laptop, "--to", "Office", "--out", tmp_path / "f2")[0] == 0
    assert run("sync", "import", office, tmp_path / "f2")[0] == 0
    code, out, _ = run("office", "assignments", office, "--json")
    (entry,) = json.loads(out)["laptops"]
    assert entry["assigned"] == [] and entry["awaiting_removal"] == sorted([a, b])
    assert run("sync", "export", office, "--to", "Rosa", "--out", tmp_path / "f3")[0] == 0
    code, out, err = run("sync", "import", laptop, tmp_path / "f3")
    assert code == 0 and "Removed 2 clients" in out, err
    code, out, err = run("sync", "export", office, "--to", "Rosa", "--out", tmp_path / "f4", "--clients", a)
    assert code == 1 and "not assigned" in err and not (tmp_path / "f4").exists()
    capsys.readouterr()
    run("sync", "export", "--help")
    assert "assigned clients only" in " ".join(capsys.readouterr().out.split())
    run("sync", "--help")
    assert "its assigned clients only" in " ".join(capsys.readouterr().out.split())
