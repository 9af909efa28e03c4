"""Sync files between laptops and the office: identities, the file format, merging, refusals."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.vault import keyheader as kh
from desktop import sync
from desktop.case import codec
from desktop.case.casefile import import_case, read_case_file
from desktop.errors import DeclaraError
from desktop.case.store import CaseStore
from desktop.sync import assignments, fileformat, importer, stream
from desktop.vault import backups
from desktop.vault.database import Vault, create_vault, unlock


def _vault(passphrase, path: Path, *, office: bool = False, name: str | None = None) -> CaseStore:
    vault = create_vault(path, passphrase, kh.unsafe_test_policy())
    if office:
        sync.make_office(vault, name=name or "Office")
    else:
        sync.identity(vault, name=name)
    return CaseStore(vault)


def _pair(a: CaseStore, b: CaseStore) -> None:
    """Each side enrolls the other's card (as after comparing fingerprints by phone)."""
    sync.trust(a.vault, sync.parse_card(json.dumps(sync.identity(b.vault).card()).encode()))
    sync.trust(b.vault, sync.parse_card(json.dumps(sync.identity(a.vault).card()).encode()))


def _send(src: CaseStore, dst: CaseStore, **kw) -> sync.ImportResult:
    to = sync.identity(dst.vault).device_id
    if sync.identity(src.vault).role == "office" and sync.identity(dst.vault).role == "laptop":
        # An office sends a laptop its assigned clients only (issue 19): these tests assign all.
        clients = [r[0] for r in src.conn.execute("SELECT id FROM records WHERE kind = 'client'")]
        assignments.assign(src.vault, to, clients)
    data = sync.export_sync(src.vault, to, **kw).data
    return sync.import_sync(dst.vault, data, backup=False)


def _counts(vault: Vault) -> tuple[int, int, int]:
    conn = vault.conn
    return tuple(
        conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("sync_conflicts", "sync_applied", "sync_state")
    )


@pytest.fixture
def trio(tmp_path, passphrase):
    office = _vault(passphrase, tmp_path / "office", office=True)
    one = _vault(passphrase, tmp_path / "one", name="Laptop One")
    two = _vault(passphrase, tmp_path / "two", name="Laptop Two")
    _pair(office, one)
    _pair(office, two)
    yield office, one, two
    for s in (office, one, two):
        s.vault.close()


@pytest.fixture
def ana_doc(ana_path):
    return read_case_file(ana_path)


# -- identities ----------------------------------------------------------------------------------
def test_card_fingerprint_and_tampering(trio):
    office, one, _two = trio
    card = sync.identity(one.vault).card()
    assert card["role"] == "laptop" and card["name"] == "Laptop One"
    groups = card["fingerprint"].split(" ")
    assert len(groups) == 16 and all(len(g) == 4 for g in groups)
    assert sync.identity(office.vault).card()["role"] == "office"
    tampered = dict(card, name="Mallory")
    with pytest.raises(sync.SyncError):
        sync.parse_card(json.dumps(tampered).encode())
    # The same card again is a no-op; a different card for an enrolled device is refused.
    assert sync.trust(office.vault, sync.parse_card(json.dumps(card).encode())).device_id == card["device_id"]
    with pytest.raises(sync.SyncError, match="fingerprint"):
        sync.trust(office.vault, sync.parse_card(json.dumps(card).encode()), expected_fingerprint="0000")


def test_identity_is_stored_in_the_vault(tmp_path, passphrase):
    store = _vault(passphrase, tmp_path / "v")
    ident = sync.identity(store.vault)
    store.vault.close()
    from desktop.vault.database import open_vault

    path = tmp_path / "v"
    with open_vault(path, unlock(path, passphrase, kh.unsafe_test_policy())) as vault:
        again = sync.identity(vault)
    assert again.fingerprint == ident.fingerprint and again.age_identity == ident.age_identity
    assert ident.age_identity.encode() not in (path / "declara.db").read_bytes()


# -- round trip ----------------------------------------------------------------------------------
def test_round_trip_laptop_office_laptop(trio, ana_doc):
    office, one, two = trio
    cid = import_case(one, ana_doc)
    result = _send(one, office)
    assert result.added == len(one.snapshot()) and result.conflicts == 0
    assert office.snapshot() == one.snapshot()
    assert office.search("Ana") == [cid]
    assert office.conn.execute("SELECT count(*) FROM client_summary").fetchone()[0] == 1
    # The office works on the case and sends the packet back (only this client).
    office.set_field(cid, "notes", "Reviewed at the office")
    back = _send(office, one, clients=[cid])
    assert back.updated == 1 and back.added == 0
    assert one.get(cid).data["notes"] == "Reviewed at the office"
    # Nothing new: the next file from the laptop is empty (nothing echoed back).
    assert sync.export_sync(one.vault, "Office").records == 0
    # A case packet for the second laptop holds that client only.
    other = import_case(
        office, {**ana_doc, "client": {**ana_doc["client"], "given_names": "Otra"}}, allow_duplicate=True
    )
    packet = _send(office, two, clients=[cid])
    assert packet.added == len(one.snapshot())
    assert {r[2] for r in two.snapshot()} == {cid} and other != cid


def test_age_cli_decrypts_a_sync_file(trio, ana_doc, tmp_path):
    office, one, _two = trio
    import_case(one, ana_doc)
    out = tmp_path / "to-office.declara-sync"
    sync.export_sync(one.vault, "Office", out=out)
    assert out.stat().st_mode & 0o777 == 0o600
    ident = tmp_path / "office-identity.txt"
    ident.write_text(sync.export_identity(office.vault))
    proc = subprocess.run(["age", "-d", "-i", str(ident), str(out)], capture_output=True, check=True)
    with zipfile.ZipFile(io.BytesIO(proc.stdout)) as zf:
        assert sorted(zf.namelist()) == sorted(sync.MEMBERS)
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        manifest = json.loads(zf.read("manifest.json"))
        records = zf.read("records.jsonl")
    assert manifest["format"] == "declara-sync" and manifest["version"] == 1
    assert manifest["sender"]["name"] == "Laptop One"
    assert manifest["recipient"]["device_id"] == office.vault.device_id
    assert manifest["members"][0]["sha256"] == hashlib.sha256(records).hexdigest()


def test_import_makes_an_encrypted_backup_when_one_is_due(trio, ana_doc, passphrase):
    office, one, _two = trio
    cid = import_case(one, ana_doc)
    # No backup yet: one is due, made before the import.
    result = sync.import_sync(office.vault, sync.export_sync(one.vault, "Office").data)
    assert result.backup is not None and result.backup.parent == office.vault.path / "backups"
    assert result.backup.name.endswith("Z-import") and result.backup_warnings == []
    db = result.backup / "declara.db"
    assert db.stat().st_mode & 0o777 == 0o600
    assert not db.read_bytes().startswith(b"SQLite format 3")
    # It is the vault from before the import: no client yet.
    key = unlock(result.backup, passphrase, kh.unsafe_test_policy())  # its own copy of the key header
    assert backups.count_clients(result.backup, key) == 0 and office.count("client") == 1
    # The next imports within the hour copy nothing: the import's cost follows the change.
    for i in range(3):
        one.set_field(cid, "notes", f"visit {i}")
        again = sync.import_sync(office.vault, sync.export_sync(one.vault, "Office").data)
        assert again.backup is None and again.updated == 1
    assert list((office.vault.path / "backups").iterdir()) == [result.backup]
    assert office.get(cid).data["notes"] == "visit 2"


def test_two_imports_within_the_interval_make_at_most_one_backup(trio, ana_doc, monkeypatch):
    office, one, _two = trio
    cid = import_case(one, ana_doc)
    backups.make_backup(office.vault, reason="close")  # the office's automatic backup, just made
    for i in range(2):
        one.set_field(cid, "notes", f"visit {i}")
        assert sync.import_sync(office.vault, sync.export_sync(one.vault, "Office").data).backup is None
    assert len(list((office.vault.path / "backups").iterdir())) == 1
    # An hour later (the vault changed since): the first import makes one, the second none.
    later = datetime.now(UTC) + backups.AUTO_INTERVAL + timedelta(minutes=1)
    monkeypatch.setattr(backups, "datetime", _Clock(later))
    made = []
    for i in range(2):
        one.set_field(cid, "notes", f"later visit {i}")
        made.append(sync.import_sync(office.vault, sync.export_sync(one.vault, "Office").data).backup)
    assert made[0] is not None and made[1] is None
    assert len(list((office.vault.path / "backups").iterdir())) == 2


class _Clock:
    """``datetime`` as seen by desktop.vault.backups, with ``now()`` fixed at a later time."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self, tz=None):
        return self.at

    def __getattr__(self, name):
        return getattr(datetime, name)


def test_only_the_newest_backups_are_kept(trio, ana_doc, monkeypatch):
    office, one, _two = trio
    cid = import_case(one, ana_doc)
    monkeypatch.setattr(backups, "KEEP_LAST", 3)  # the rotation's "last 10" (desktop.vault.backups)
    monkeypatch.setattr(backups, "AUTO_INTERVAL", timedelta(0))  # every import finds a backup due
    made = []
    for i in range(5):
        one.set_field(cid, "notes", f"visit {i}")
        made.append(sync.import_sync(office.vault, sync.export_sync(one.vault, "Office").data).backup)
    assert all(made)
    # All made today: the three newest are kept (the newest of the day and of the week among them).
    left = sorted((office.vault.path / "backups").iterdir())
    assert left == sorted(made[-3:]) and all(not p.exists() for p in made[:2])
    assert office.get(cid).data["notes"] == "visit 4"


def test_an_import_that_fails_removes_the_backup_it_made(trio, ana_doc, monkeypatch):
    office, one, _two = trio
    import_case(one, ana_doc)
    made = []
    real = backups.make_backup
    monkeypatch.setattr(backups, "make_backup", lambda *a, **kw: made.append(real(*a, **kw)) or made[-1])
    bad = _craft(one, office, records=b'{"not": "a record"}\n')
    with pytest.raises(DeclaraError):
        sync.import_sync(office.vault, bad)
    assert len(made) == 1 and not made[0].path.exists()  # made (none yet: due), then removed
    assert not (office.vault.path / "backups").exists() and office.count("client") == 0


# -- refusals ------------------------------------------------------------------------------------
def _craft(
    sender: CaseStore,
    recipient: CaseStore,
    *,
    records: bytes,
    seq: int = 99,
    extra: list[tuple[str, bytes]] | None = None,
    compress: bool = False,
) -> bytes:
    """A correctly signed and encrypted file with chosen contents (for the refusal tests)."""
    from pyrage import encrypt, x25519

    ident = sync.identity(sender.vault)
    manifest = json.dumps(
        {
            "format": "declara-sync",
            "version": 1,
            "sender": {"device_id": ident.device_id, "name": ident.name},
            "recipient": {"device_id": recipient.vault.device_id},
            "seq": seq,
            "created_at": "2026-01-01",
            "members": [{"name": "records.jsonl", "sha256": hashlib.sha256(records).hexdigest()}],
        }
    ).encode()
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("manifest.sig", ident.sign(manifest))
        zf.writestr("records.jsonl", records)
        for name, payload in extra or []:
            zf.writestr(name, payload)
    return encrypt(buf.getvalue(), [x25519.Recipient.from_str(sync.identity(recipient.vault).age_recipient)])


def _record_line(store: CaseStore, **changes) -> bytes:
    record = codec.from_row(store.conn.execute(f"SELECT {codec.SELECT} FROM records LIMIT 1").fetchone())
    row = {key: getattr(record, key) for key in codec.FIELDS}
    row.update(changes)
    return (json.dumps(row) + "\n").encode()


BAD = [
    "other_recipient",
    "unenrolled",
    "flip_start",
    "flip_middle",
    "flip_end",
    "truncated",
    "appended",
    "replayed",
    "too_large",
    "extra_member",
    "path_member",
    "compressed",
    "invalid_record",
    "unknown_kind",
    "bad_uuid",
    "wrong_signature",
]


@pytest.mark.parametrize("case", BAD)
def test_bad_files_change_nothing(trio, ana_doc, tmp_path, case, monkeypatch, passphrase):
    office, one, two = trio
    import_case(one, ana_doc)
    cid = import_case(
        office, {**ana_doc, "client": {**ana_doc["client"], "given_names": "Oficina"}}, allow_duplicate=True
    )
    first = sync.export_sync(one.vault, "Office").data
    sync.import_sync(office.vault, first, backup=False)
    one.set_field(one.clients()[0].id, "notes", "later")
    good = sync.export_sync(one.vault, "Office").data
    stranger = _vault(passphrase, tmp_path / "stranger", name="Stranger")
    if case == "other_recipient":
        # A file laptop one wrote for another office (which it trusts too) reaches this one.
        annex = _vault(passphrase, tmp_path / "annex", office=True, name="Annex")
        _pair(one, annex)
        raw = sync.export_sync(one.vault, "Annex").data
        annex.vault.close()
    elif case == "unenrolled":
        sync.trust(stranger.vault, sync.parse_card(json.dumps(sync.identity(office.vault).card()).encode()))
        import_case(stranger, ana_doc)
        raw = sync.export_sync(stranger.vault, "Office").data
    elif case.startswith("flip"):
        pos = {"flip_start": 40, "flip_middle": len(good) // 2, "flip_end": len(good) - 3}[case]
        raw = good[:pos] + bytes([good[pos] ^ 0x01]) + good[pos + 1 :]
    elif case == "truncated":
        raw = good[:-20]
    elif case == "appended":
        raw = good + b"\x00trailing"
    elif case == "replayed":
        # The laptop restored from an old backup re-uses file number 2 with other contents.
        one.vault.conn.execute("UPDATE sync_identity SET last_seq = 1")
        sync.import_sync(office.vault, good, backup=False)
        one.set_field(one.clients()[0].id, "notes", "other")
        raw = sync.export_sync(one.vault, "Office", full=True).data
    elif case == "too_large":
        monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", len(good) - 1)
        raw = good
    elif case == "extra_member":
        raw = _craft(one, office, records=_record_line(one), extra=[("evil.sh", b"rm -rf /")])
    elif case == "path_member":
        raw = _craft(one, office, records=_record_line(one), extra=[("../manifest.json", b"{}")])
    elif case == "compressed":
        raw = _craft(one, office, records=_record_line(one), compress=True)
    elif case == "invalid_record":
        raw = _craft(one, office, records=_record_line(one, data={"given_names": 42}))
    elif case == "unknown_kind":
        raw = _craft(one, office, records=_record_line(one, kind="virus"))
    elif case == "bad_uuid":
        raw = _craft(one, office, records=_record_line(one, id="../../etc"))
    elif case == "wrong_signature":
        raw = _craft(stranger, office, records=_record_line(one))
        # Same device id as laptop one, signed by a key the office never enrolled.
        from pyrage import decrypt, x25519

        payload = decrypt(raw, [x25519.Identity.from_str(sync.identity(office.vault).age_identity)])
        zin = zipfile.ZipFile(io.BytesIO(payload))
        manifest = json.loads(zin.read("manifest.json"))
        manifest["sender"]["device_id"] = one.vault.device_id
        body = json.dumps(manifest).encode()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("manifest.json", body)
            zf.writestr("manifest.sig", sync.identity(stranger.vault).sign(body))
            zf.writestr("records.jsonl", zin.read("records.jsonl"))
        from pyrage import encrypt

        raw = encrypt(buf.getvalue(), [x25519.Recipient.from_str(sync.identity(office.vault).age_recipient)])
    before = (office.snapshot(), _counts(office.vault), office.get(cid).data)
    with pytest.raises(DeclaraError) as info:
        sync.import_sync(office.vault, raw)
    assert info.value.message() and "Traceback" not in info.value.message()
    assert (office.snapshot(), _counts(office.vault), office.get(cid).data) == before
    assert not (office.vault.path / "backups").exists()
    stranger.vault.close()


def test_refusal_is_translated(trio, ana_doc):
    from desktop.i18n import using_language

    office, one, two = trio
    import_case(one, ana_doc)
    raw = sync.export_sync(one.vault, "Office").data
    with pytest.raises(sync.SyncError) as info:
        sync.import_sync(two.vault, raw)
    with using_language("es"):
        spanish = info.value.message()
    assert spanish != info.value.message()


# -- merging -------------------------------------------------------------------------------------
def test_concurrent_edits_reach_the_office_as_one_conflict(trio, ana_doc):
    office, one, two = trio
    cid = import_case(office, ana_doc)
    _send(office, one)
    _send(office, two)
    one.set_field(cid, "notes", "from laptop one")
    one.set_field(cid, "family_names", "Uno")
    two.set_field(cid, "notes", "from laptop two")
    two.set_field(cid, "aliases", ["Anita"])
    assert _send(one, office).conflicts == 0
    result = _send(two, office)
    assert result.conflicts == 1
    conflicts = sync.list_conflicts(office.vault)
    assert len(conflicts) == 1
    c = conflicts[0]
    assert (c.field, c.local, c.theirs, c.peer_name) == (
        "notes",
        "from laptop one",
        "from laptop two",
        "Laptop Two",
    )
    data = office.get(cid).data
    assert (
        data["notes"] == "from laptop one" and data["family_names"] == "Uno" and data["aliases"] == ["Anita"]
    )
    # Importing laptop two's next file (unchanged note) does not raise the conflict again.
    two.set_field(cid, "given_names", "Ana María")
    _send(two, office)
    assert len(sync.list_conflicts(office.vault)) == 1
    # Resolve: take laptop two's note; it then travels to both laptops.
    sync.resolve_conflict(office.vault, c.id, "theirs")
    assert office.get(cid).data["notes"] == "from laptop two" and not sync.list_conflicts(office.vault)
    _send(office, one)
    _send(office, two)
    for store in (one, two):
        assert store.get(cid).data == office.get(cid).data


def test_resolve_mine_and_custom_value(trio, ana_doc):
    office, one, _two = trio
    cid = import_case(office, ana_doc)
    _send(office, one)
    one.set_field(cid, "notes", "laptop")
    office.set_field(cid, "notes", "office")
    office.set_field(cid, "family_names", "Oficina")
    one.set_field(cid, "family_names", "Portátil")
    assert _send(one, office).conflicts == 2
    by_field = {c.field: c for c in sync.list_conflicts(office.vault)}
    sync.resolve_conflict(office.vault, by_field["notes"].id, "mine")
    sync.resolve_conflict(office.vault, by_field["family_names"].id, "Pérez")
    assert office.get(cid).data["notes"] == "office" and office.get(cid).data["family_names"] == "Pérez"
    with pytest.raises(DeclaraError):
        sync.resolve_conflict(office.vault, by_field["notes"].id, "mine")
    _send(office, one)
    assert one.get(cid).data["notes"] == "office"


def test_deletions_are_tombstones_that_merge(trio, ana_doc):
    office, one, _two = trio
    cid = import_case(office, ana_doc)
    _send(office, one)
    event = one.children(cid, "event")[0]
    one.delete(event.id)
    _send(one, office)
    assert office.get(event.id).deleted and office.get(event.id).data == event.data
    one.delete(cid)
    _send(one, office)
    assert office.get(cid).deleted and office.search("Ana") == []
    assert office.conn.execute("SELECT count(*) FROM client_summary").fetchone()[0] == 0


def test_reimport_is_a_no_op(trio, ana_doc):
    office, one, _two = trio
    import_case(one, ana_doc)
    raw = sync.export_sync(one.vault, "Office").data
    sync.import_sync(office.vault, raw, backup=False)
    before = (office.snapshot(), _counts(office.vault))
    again = sync.import_sync(office.vault, raw)
    assert again.already_applied and again.backup is None
    assert (office.snapshot(), _counts(office.vault)) == before


def test_out_of_order_import(trio, ana_doc):
    office, one, _two = trio
    cid = import_case(one, ana_doc)
    first = sync.export_sync(one.vault, "Office").data
    one.set_field(cid, "notes", "second")
    second = sync.export_sync(one.vault, "Office").data
    one.set_field(cid, "notes", "third")
    third = sync.export_sync(one.vault, "Office").data
    sync.import_sync(office.vault, first, backup=False)
    sync.import_sync(office.vault, third, backup=False)
    assert office.get(cid).data["notes"] == "third"
    late = sync.import_sync(office.vault, second, backup=False)
    assert late.updated == 0 and office.get(cid).data["notes"] == "third"
    assert not sync.list_conflicts(office.vault)
    assert office.vault.conn.execute("SELECT count(*) FROM sync_applied").fetchone()[0] == 3


# -- command line --------------------------------------------------------------------------------
def test_cli_office_card_trust_export_import(cli, tmp_path, ana_path, passphrase):
    run = cli(env={"DECLARA_PASSPHRASE": passphrase})
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    assert run("vault", "init", office)[0] == 0
    assert run("vault", "init", laptop)[0] == 0
    code, out, err = run("office", "init", office, "--name", "Main office")
    assert code == 0, err
    assert run("sync", "card", office, "--out", tmp_path / "office.card")[0] == 0
    assert run("sync", "card", laptop, "--out", tmp_path / "laptop.card", "--name", "Rosa's laptop")[0] == 0
    fp = json.loads((tmp_path / "office.card").read_text())["fingerprint"]
    code, out, err = run("sync", "trust", laptop, tmp_path / "office.card", "--fingerprint", fp)
    assert code == 0 and fp in out, err
    assert run("sync", "trust", office, tmp_path / "laptop.card")[0] == 0
    assert run("case", "import", laptop, ana_path)[0] == 0
    code, out, err = run("sync", "export", laptop, "--to", tmp_path / "office.card", "--out", tmp_path / "f1")
    assert code == 0, err
    code, out, err = run("sync", "import", office, tmp_path / "f1")
    assert code == 0 and "added" in out, err
    code, out, err = run("sync", "import", office, tmp_path / "f1")
    assert code == 0 and "already imported" in out
    code, out, err = run("sync", "import", laptop, tmp_path / "f1")
    assert code == 1 and "another vault" in err and "Traceback" not in err
    clients = json.loads(run("case", "list", office, "--json")[1])
    code, out, err = run(
        "sync",
        "export",
        office,
        "--to",
        "Rosa's laptop",
        "--out",
        tmp_path / "f2",
        "--clients",
        clients[0]["id"],
    )
    assert code == 0, err
    assert run("sync", "import", laptop, tmp_path / "f2")[0] == 0
    code, out, err = run("sync", "export-identity", office, "--out", tmp_path / "id.txt")
    assert code == 0 and (tmp_path / "id.txt").stat().st_mode & 0o777 == 0o600
    assert "AGE-SECRET-KEY-1" in (tmp_path / "id.txt").read_text()
    assert run("sync", "peers", office)[0] == 0
    code, out, _err = run("sync", "conflicts", office)
    assert code == 0 and "0 conflicts" in out


# -- property ------------------------------------------------------------------------------------
FIELDS = ("given_names", "family_names", "notes")
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.integers(0, 2), st.sampled_from(FIELDS)),
        st.tuples(st.just("up"), st.integers(1, 2), st.just("")),
        st.tuples(st.just("down"), st.integers(1, 2), st.just("")),
    ),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS)
def test_random_edits_and_syncs_converge_without_losing_values(actions, passphrase):
    folder = Path(tempfile.mkdtemp())
    try:
        office = _vault(passphrase, folder / "o", office=True)
        laptops = [_vault(passphrase, folder / "l1", name="L1"), _vault(passphrase, folder / "l2", name="L2")]
        for laptop in laptops:
            _pair(office, laptop)
        stores = [office, *laptops]
        cid = office.create("client", {"given_names": "g0", "family_names": "f0", "notes": "n0"}).id
        for laptop in laptops:
            _send(office, laptop)
        written: dict[str, set[str]] = {f: set() for f in FIELDS}
        seen = [{f: {f[0] + "0"} for f in FIELDS} for _ in stores]  # values each vault has seen
        superseded: set[str] = set()
        for n, (action, who, field) in enumerate(actions, 1):
            if action == "edit":
                value = f"{field[0]}{n}"
                superseded |= seen[who][field]  # overwriting what this vault knew is not a loss
                stores[who].set_field(cid, field, value)
                written[field].add(value)
                seen[who][field].add(value)
            else:
                src, dst = (who, 0) if action == "up" else (0, who)
                _send(stores[src], stores[dst])
                for f in FIELDS:
                    seen[dst][f] |= seen[src][f]
        for _round in range(2):
            for laptop in laptops:
                _send(laptop, office)
            for laptop in laptops:
                _send(office, laptop)
        conflicts = [c for s in stores for c in sync.list_conflicts(s.vault)]
        pending = {c.field for c in conflicts}
        for f in FIELDS:
            finals = {s.get(cid).data.get(f) for s in stores}
            if f not in pending:
                assert len(finals) == 1, (f, finals)
            recorded = (
                finals
                | {c.local for c in conflicts if c.field == f}
                | {c.theirs for c in conflicts if c.field == f}
            )
            lost = written[f] - superseded - recorded
            assert not lost, (f, lost)
    finally:
        for s in locals().get("stores", []):
            s.vault.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_figures_stay_small(trio, ana_doc):
    """Not a benchmark: a guard that a client's round trip stays well under a second."""
    import time

    office, one, _two = trio
    import_case(one, ana_doc)
    t0 = time.perf_counter()
    raw = sync.export_sync(one.vault, "Office").data
    sync.import_sync(office.vault, raw)
    assert time.perf_counter() - t0 < 5
    assert os.path.getsize(next((office.vault.path / "backups").iterdir()) / "declara.db") > 0


class _FillingConnection:
    """The vault's connection, but the disk fills up after ``budget`` more writes."""

    def __init__(self, conn, budget: int) -> None:
        self._conn, self._budget = conn, budget

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            self._budget -= 1
            if self._budget < 0:
                import sqlcipher3

                raise sqlcipher3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def executemany(self, sql, rows):
        """Each row is one write: the disk may fill in the middle of a batch."""
        rows = list(rows)
        if self._budget < len(rows):
            self._conn.executemany(sql, rows[: max(self._budget, 0)])
            self._budget = -1
            import sqlcipher3

            raise sqlcipher3.OperationalError("database or disk is full")
        self._budget -= len(rows)
        return self._conn.executemany(sql, rows)

    def __getattr__(self, name):
        return getattr(self._conn, name)


@pytest.mark.parametrize("when", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_disk_full_during_import_changes_nothing(trio, ana_doc, tmp_path, when, passphrase):
    """The disk fills at the first write of the import, at the last one, and between."""
    office, one, _two = trio
    import_case(one, ana_doc)
    data = sync.export_sync(one.vault, "Office").data
    # How many writes a whole import takes: the same records into a second, empty office.
    twin = _vault(passphrase, tmp_path / "office-twin", office=True, name="Twin")
    _pair(twin, one)
    twin_data = sync.export_sync(one.vault, sync.identity(twin.vault).device_id).data
    counter = _FillingConnection(twin.vault.conn, 10**9)
    twin.vault.conn = counter
    sync.import_sync(twin.vault, twin_data, backup=False)
    total = 10**9 - counter._budget
    twin.vault.conn = counter._conn
    twin.vault.close()
    assert total > len(one.snapshot())  # every record is a write, plus the bookkeeping
    budget = min(int(total * when), total - 1)
    before = (office.snapshot(), _counts(office.vault))
    real = office.vault.conn
    office.vault.conn = _FillingConnection(real, budget)
    try:
        with pytest.raises(DeclaraError) as err:
            sync.import_sync(office.vault, data, backup=False)
    finally:
        office.vault.conn = real
    assert "disk is full" in str(err.value).lower() or "full" in str(err.value).lower()
    assert (office.snapshot(), _counts(office.vault)) == before
    assert office.vault.check() == []
    assert sync.import_sync(office.vault, data, backup=False).added > 0  # and it works once there is room


# -- merge bases by reference, big files -----------------------------------------------------------
def _bases(vault: Vault, peer: str) -> dict[str, str | None]:
    return dict(
        vault.conn.execute(
            "SELECT record_id, base FROM sync_state WHERE peer = ? AND their_rev IS NOT NULL", (peer,)
        )
    )


def test_merge_base_is_the_record_until_it_changes(trio, ana_doc):
    """After a sync both sides store the base as NULL ("as the record is now"); the trigger of
    migration 5 writes the old state out before the record changes, and merges still see it."""
    office, one, _two = trio
    cid = import_case(office, ana_doc)
    before = office.get(cid).data
    _send(office, one)
    office_id, one_id = office.vault.device_id, one.vault.device_id
    sent, received = _bases(office.vault, one_id), _bases(one.vault, office_id)
    assert len(sent) == len(office.snapshot()) == len(received)
    assert set(sent.values()) == {None} and set(received.values()) == {None}
    one.set_field(cid, "notes", "laptop note")
    kept = _bases(one.vault, office_id)
    assert json.loads(kept[cid]) == {"data": before, "deleted": False, "position": 0}
    assert sum(v is not None for v in kept.values()) == 1  # only the changed record was written out
    # Both sides change the client: a different field merges, the same field is a conflict.
    office.set_field(cid, "family_names", "Pérez Núñez")
    office.set_field(cid, "notes", "office note")
    result = _send(office, one)
    assert result.conflicts == 1
    data = one.get(cid).data
    assert data["family_names"] == "Pérez Núñez" and data["notes"] == "laptop note"
    assert [(c.field, c.local, c.theirs) for c in sync.list_conflicts(one.vault)] == [
        ("notes", "laptop note", "office note")
    ]


def test_line_separators_inside_texts_survive_a_sync(trio, ana_doc):
    """records.jsonl is split on "\\n" only: U+2028 and U+2029 are text, not line ends (U+0085 and
    the other control characters are refused in text: desktop.limits)."""
    office, one, _two = trio
    cid = import_case(one, ana_doc)
    odd = "primera línea\u2028segunda\u2029tercera fin"
    one.set_field(cid, "notes", odd)
    _send(one, office)
    assert office.get(cid).data["notes"] == odd
    assert office.snapshot() == one.snapshot()


def _index_sql(vault: Vault) -> list[tuple[str, str]]:
    return vault.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name"
    ).fetchall()


def test_bulk_import_rebuilds_the_indexes_and_a_failure_keeps_them(trio, ana_doc, monkeypatch):
    office, one, _two = trio
    import_case(one, ana_doc)
    indexes = _index_sql(office.vault)
    assert len(indexes) >= 4
    monkeypatch.setattr(codec, "BULK_MIN", 1)  # Ana's few records count as a bulk import
    data = sync.export_sync(one.vault, "Office").data
    assert codec.bulk_indexes(office.vault.conn, sync.read_sync_file(office.vault, data).announced())

    real = importer._apply_all

    def failing(*args, **kw):
        real(*args, **kw)
        raise sync.SyncError()

    monkeypatch.setattr(importer, "_apply_all", failing)
    with pytest.raises(sync.SyncError):
        sync.import_sync(office.vault, data, backup=False)
    assert _index_sql(office.vault) == indexes and office.snapshot() == []
    monkeypatch.setattr(importer, "_apply_all", real)
    assert sync.import_sync(office.vault, data, backup=False).added == len(one.snapshot())
    assert _index_sql(office.vault) == indexes
    assert office.snapshot() == one.snapshot()
    assert office.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert not office.conn.execute("PRAGMA foreign_key_check").fetchall()
    assert office.vault.check() == []


def test_export_streams_to_the_file_and_refuses_a_file_too_large(trio, ana_doc, tmp_path, monkeypatch):
    office, one, _two = trio
    import_case(one, ana_doc)
    out = tmp_path / "to-office.declara-sync"
    seq = sync.identity(one.vault).last_seq
    sent = one.conn.execute("SELECT count(*) FROM sync_state WHERE sent_rev IS NOT NULL").fetchone()[0]
    monkeypatch.setattr(fileformat, "MAX_UNPACKED_BYTES", 1000)
    monkeypatch.setattr(fileformat, "CHUNK", 100)
    with pytest.raises(sync.SyncError) as err:
        sync.export_sync(one.vault, "Office", out=out)
    assert "too large" in err.value.message()
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert sync.identity(one.vault).last_seq == seq
    assert (
        one.conn.execute("SELECT count(*) FROM sync_state WHERE sent_rev IS NOT NULL").fetchone()[0] == sent
    )
    monkeypatch.undo()
    result = sync.export_sync(one.vault, "Office", out=out)
    assert result.data == b"" and out.stat().st_size > 0
    assert sync.import_sync(office.vault, out.read_bytes(), backup=False).added == result.records


def test_disk_full_during_export_leaves_no_file_and_no_trace(trio, ana_doc, tmp_path, monkeypatch):
    import errno

    _office, one, _two = trio
    import_case(one, ana_doc)
    out = tmp_path / "to-office.declara-sync"
    seq = sync.identity(one.vault).last_seq
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, fh):
            self.fh, self.left = fh, 2000

        def write(self, data):
            if len(data) > self.left:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.left -= len(data)
            return self.fh.write(data)

        def fileno(self):
            return self.fh.fileno()

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(stream.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(OSError) as err:
        sync.export_sync(one.vault, "Office", out=out)
    assert err.value.errno == errno.ENOSPC
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert sync.identity(one.vault).last_seq == seq


def test_reading_a_sync_file_refuses_too_large_and_unreadable(tmp_path, monkeypatch):
    big = tmp_path / "big.declara-sync"
    big.write_bytes(b"x" * 100)
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 99)
    with pytest.raises(sync.SyncError) as err:
        sync.read_sync_path(big)
    assert "too large" in err.value.message()
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 100)
    assert sync.read_sync_path(big) == b"x" * 100
    with pytest.raises(sync.SyncError) as err:
        sync.read_sync_path(tmp_path / "missing.declara-sync")
    assert "could not be read" in err.value.message() and "Traceback" not in err.value.message()


def test_a_signed_version_is_never_changed_by_a_sync(trio, ana_doc):
    """The office signs version 1 while a laptop still edits it as a draft: the laptop's edit and
    its new paragraph become conflicts, the signed text and its hash stay as sworn."""
    from desktop.drafting.declarations import DeclarationService
    from desktop.errors import SignedVersion

    office, one, _two = trio
    cid = import_case(office, ana_doc)
    _send(office, one)
    laptop = DeclarationService(one)
    laptop.set_paragraph(cid, 0, "en", "Edited on the laptop after the office signed.")
    added = laptop.add_paragraph(cid, 1, {"en": "A paragraph added on the laptop.", "es": "", "events": []})
    at_office = DeclarationService(office)
    signed = at_office.sign(cid)
    text_before = [p.data for p in signed.paragraphs]
    result = _send(one, office)
    version = at_office.versions(cid)[0]
    assert version.signed and at_office.verify(version)
    assert [p.data for p in version.paragraphs] == text_before
    assert office.get(added.id).deleted  # kept, not lost, but not part of the sworn text
    fields = {(c.record_id, c.field) for c in sync.list_conflicts(office.vault)}
    assert (signed.paragraphs[0].id, "en") in fields and (added.id, sync.DELETED_FIELD) in fields
    assert result.conflicts == len(fields)
    # Taking the laptop's side is refused by the store, with its usual message.
    conflict = next(c for c in sync.list_conflicts(office.vault) if c.record_id == signed.paragraphs[0].id)
    with pytest.raises(SignedVersion):
        sync.resolve_conflict(office.vault, conflict.id, "theirs")
    assert at_office.verify(at_office.versions(cid)[0])


def test_a_failed_commit_takes_the_written_file_back(trio, ana_doc, tmp_path):
    """The file names a sequence number; if the vault cannot record it, the file must not stay."""
    _office, one, _two = trio
    import_case(one, ana_doc)
    out = tmp_path / "to-office.declara-sync"
    seq = sync.identity(one.vault).last_seq
    real = one.vault.conn

    class CommitFails:
        def execute(self, sql, *args):
            if sql.strip().upper() == "COMMIT":
                import sqlcipher3

                raise sqlcipher3.OperationalError("database or disk is full")
            return real.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(real, name)

    one.vault.conn = CommitFails()
    try:
        with pytest.raises(DeclaraError):
            sync.export_sync(one.vault, "Office", out=out)
    finally:
        one.vault.conn = real
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert sync.identity(one.vault).last_seq == seq
    assert sync.export_sync(one.vault, "Office", out=out).seq == seq + 1 and out.exists()


def test_import_reports_progress_batch_by_batch(trio, ana_doc, monkeypatch):
    office, one, _two = trio
    import_case(one, ana_doc)
    monkeypatch.setattr(codec, "BATCH", 7)
    data = sync.export_sync(one.vault, "Office").data
    calls: list[tuple[int, int]] = []
    result = sync.import_sync(office.vault, data, backup=False, progress=lambda d, t: calls.append((d, t)))
    total = len(one.snapshot())
    assert len(calls) >= total // 7 and calls[-1] == (total, total) == (result.added, result.added)
    assert [d for d, _t in calls] == sorted(d for d, _t in calls) and {t for _d, t in calls} == {total}
