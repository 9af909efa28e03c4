"""Salvage (desktop.vault.salvage, desktop.vault.pagereader, ``declara vault salvage``).

The vault salvaged here: the three demo clients plus 25 more imported from the same case files
(28 clients, about 1,170 records, about 300 database pages), three documents with their files,
a sync identity and one trusted device with a sync file sent to it. About 1,000 records make one
damaged page about 0.6 % of the records, so 3 damaged pages stay well under the 5 % the issue
allows; the whole module runs in a few seconds.
"""

from __future__ import annotations

import copy
import hashlib
import random
import shutil
import statistics
from pathlib import Path

import pytest

from desktop.errors import VaultCorrupt, VaultError

PAGE = 4096


def _records(vault) -> dict[str, tuple]:
    return {
        row[0]: tuple(row[1:])
        for row in vault.conn.execute(
            "SELECT id, kind, client_id, parent_id, position, ref, data, date_lo, date_hi, rev, created_at, "
            "updated_at, origin, deleted FROM records"
        )
    }


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory, passphrase):
    """The vault described above, and what it holds (built once for the module)."""
    from bench.scans import line_pdf
    from desktop.case.casefile import import_case, read_case_file
    from desktop.case.store import CaseStore
    from desktop.demo import create_demo_vault, demo_case_paths
    from desktop.evidence.service import DocumentService
    from desktop.sync import devices, export_sync
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault, open_vault
    from desktop.vault.salvage import read_key

    policy = kh.unsafe_test_policy()
    base = tmp_path_factory.mktemp("salvage")
    path = base / "original.declara"
    create_demo_vault(path, passphrase, policy)
    key = read_key(path, passphrase, policy)
    with create_vault(base / "office.declara", passphrase, policy) as office:
        card = devices.make_office(office).card()
    docs = [read_case_file(p) for p in demo_case_paths()]
    with open_vault(path, key) as vault:
        store = CaseStore(vault)
        with vault.transaction():
            for i in range(25):
                doc = copy.deepcopy(docs[i % 3])
                doc["client"]["family_names"] = f"Prueba {i}"
                import_case(store, doc, allow_duplicate=True)
        service = DocumentService(store)
        first = store.clients()[0].id
        for i in range(3):
            service.add(first, line_pdf(f"Documento {i}", "Constancia"), title=f"Documento {i}")
        devices.identity(vault)
        peer = devices.trust(vault, card)
        export_sync(vault, peer, out=base / "to-office.sync")
        held = {
            "records": _records(vault),
            "blobs": {r[0]: bytes(r[1]) for r in vault.conn.execute("SELECT sha256, data FROM blob_chunks")},
            "texts": vault.conn.execute("SELECT count(*) FROM document_text").fetchone()[0],
            "device_id": vault.device_id,
            "identity": vault.conn.execute("SELECT * FROM sync_identity").fetchall(),
            "peers": vault.conn.execute("SELECT * FROM sync_peers").fetchall(),
            "sent": vault.conn.execute(
                "SELECT count(*) FROM sync_state WHERE sent_rev IS NOT NULL"
            ).fetchone()[0],
        }
    assert not (path / "declara.db-wal").exists() or (path / "declara.db-wal").stat().st_size == 0
    return {"path": path, "key": key, "policy": policy, "passphrase": passphrase, **held}


def _damaged(built, tmp_path: Path, offsets: list[tuple[int, int]]) -> Path:
    """A copy of the vault with the bytes at ``offsets`` XORed with their masks."""
    copy_path = tmp_path / "damaged.declara"
    shutil.copytree(built["path"], copy_path)
    db = copy_path / "declara.db"
    data = bytearray(db.read_bytes())
    for offset, mask in offsets:
        data[offset] ^= mask
    db.write_bytes(bytes(data))
    return copy_path


def _salvage(built, damaged: Path, to: Path):
    from desktop.vault.salvage import salvage

    before = _hashes(damaged)
    report = salvage(damaged, to, built["key"], built["passphrase"], built["policy"])
    assert _hashes(damaged) == before, "the damaged folder was written"
    return report


def _open(built, path: Path):
    from desktop.vault.database import open_vault
    from desktop.vault.salvage import read_key

    return open_vault(path, read_key(path, built["passphrase"], built["policy"]))


def _same_records(built, vault) -> int:
    """How many records of the original are in ``vault`` exactly as they were (every column)."""
    original = built["records"]
    return sum(1 for rid, row in _records(vault).items() if original.get(rid) == row)


def _pages_of(built, table: str) -> list[int]:
    from desktop.vault.pagereader import PageReader, scan

    with PageReader(built["path"] / "declara.db", built["key"]) as reader:
        return scan(reader).tables[table].pages


def test_an_intact_vault_is_copied_whole(built, tmp_path):
    report = _salvage(built, built["path"], tmp_path / "new.declara")
    assert report.records_rescued == len(built["records"]) and not report.lost and not report.lost_estimate
    assert report.unreadable_pages == 0 and report.schema_read and not report.stand_ins
    assert report.documents_rescued == len(built["blobs"]) == 6 and report.documents_lost == 0
    with _open(built, tmp_path / "new.declara") as vault:
        assert _records(vault) == built["records"]
        assert vault.check() == []
        assert {
            r[0]: bytes(r[1]) for r in vault.conn.execute("SELECT sha256, data FROM blob_chunks")
        } == built["blobs"]
        assert vault.device_id == built["device_id"]
        assert vault.conn.execute("SELECT * FROM sync_identity").fetchall() == built["identity"]
        assert vault.conn.execute("SELECT * FROM sync_peers").fetchall() == built["peers"]
        assert (
            vault.conn.execute("SELECT count(*) FROM sync_state WHERE sent_rev IS NOT NULL").fetchone()[0]
            == built["sent"]
            > 0
        )
        assert vault.conn.execute("SELECT count(*) FROM document_text").fetchone()[0] == built["texts"] > 0
        # the derived tables are rebuilt: the search finds a client, the client list is complete
        clients = sum(1 for r in built["records"].values() if r[0] == "client")
        assert vault.conn.execute("SELECT count(*) FROM client_summary").fetchone()[0] == clients
        assert (
            vault.conn.execute(
                "SELECT count(*) FROM client_search WHERE client_search MATCH 'Prueba'"
            ).fetchone()[0]
            == 25
        )


def test_three_flipped_bytes_twenty_trials(built, tmp_path, capsys):
    """Done when (issue 18): at least 95 % of the records rescued from a vault with 3 flipped bytes
    anywhere in its database, over 20 trials; the damaged files are never written (hashed before
    and after in _salvage) and every salvaged vault passes the vault check."""
    size = (built["path"] / "declara.db").stat().st_size
    total = len(built["records"])
    rates = []
    for seed in range(20):
        rnd = random.Random(seed)
        offsets = [(rnd.randrange(size), rnd.randrange(1, 256)) for _ in range(3)]
        trial = tmp_path / f"trial{seed}"
        trial.mkdir()
        damaged = _damaged(built, trial, offsets)
        report = _salvage(built, damaged, trial / "new.declara")
        with _open(built, trial / "new.declara") as vault:
            assert vault.check() == []
            same = _same_records(built, vault)
        assert same == report.records_rescued  # every record written is the original, unchanged
        assert report.unreadable_pages >= 1
        assert total - same <= sum(report.lost.values()) + report.lost_estimate + 14  # the estimate is close
        rates.append(same / total)
    with capsys.disabled():
        print(
            f"\nsalvage, 3 flipped bytes, 20 trials, {total} records: min {min(rates):.1%}, "
            f"median {statistics.median(rates):.1%}, max {max(rates):.1%}"
        )
    assert min(rates) >= 0.95


def test_a_damaged_interior_page_loses_nothing(built, tmp_path):
    """The records' root page (an interior page) damaged: every leaf is still found and read."""
    from desktop.vault.pagereader import PageReader, scan

    with PageReader(built["path"] / "declara.db", built["key"]) as reader:
        found = scan(reader)
        roots = [
            r[3] for _rowid, r in found.tables["sqlite_master"].rows if r[0] == "table" and r[1] == "records"
        ]
        assert reader.page_type(roots[0]) == 0x05  # an interior page of a table tree
    damaged = _damaged(built, tmp_path, [((roots[0] - 1) * PAGE + 1000, 0x40)])
    report = _salvage(built, damaged, tmp_path / "new.declara")
    assert report.unreadable_pages == 1
    assert report.records_rescued == len(built["records"]) and not report.lost and not report.lost_estimate


def test_a_damaged_first_page_falls_back_to_shapes(built, tmp_path):
    """Page 1 (the schema's root) damaged: the tables are recognised by the shape of their rows."""
    damaged = _damaged(built, tmp_path, [(500, 0x01)])
    report = _salvage(built, damaged, tmp_path / "new.declara")
    assert not report.schema_read and report.unreadable_pages == 1
    assert report.records_rescued == len(built["records"])
    assert report.documents_rescued == 6
    with _open(built, tmp_path / "new.declara") as vault:
        assert _same_records(built, vault) == len(built["records"]) and vault.check() == []


def test_a_damaged_salt_is_found_again(built, tmp_path):
    """A flipped byte in the file's first 16 bytes (SQLCipher's salt) would fail every page."""
    damaged = _damaged(built, tmp_path, [(5, 0x10)])
    report = _salvage(built, damaged, tmp_path / "new.declara")
    assert report.records_rescued == len(built["records"]) and report.unreadable_pages <= 1


def test_a_lost_client_record_gets_a_stand_in_and_keeps_its_records(built, tmp_path):
    from desktop.vault.pagereader import PageReader, TABLE_LEAF

    clients = {rid for rid, row in built["records"].items() if row[0] == "client"}
    with PageReader(built["path"] / "declara.db", built["key"]) as reader:
        page = next(
            pgno
            for pgno in _pages_of(built, "records")
            if reader.page_type(pgno) == TABLE_LEAF
            and any(values and values[0] in clients for _n, _r, values in reader.cells(pgno, set()))
        )
        on_page = {values[0] for _n, _r, values in reader.cells(page, set())}
    damaged = _damaged(built, tmp_path, [((page - 1) * PAGE + 2000, 0x08)])
    report = _salvage(built, damaged, tmp_path / "new.declara")
    lost_clients = on_page & clients
    assert report.stand_ins.get("client") == len(lost_clients)
    assert report.lost.get("client") == len(lost_clients)  # told by the stand-ins
    assert report.lost_estimate + len(lost_clients) == len(on_page)
    with _open(built, tmp_path / "new.declara") as vault:
        assert vault.check() == []
        for cid in lost_clients:
            data, rev = vault.conn.execute("SELECT data, rev FROM records WHERE id = ?", (cid,)).fetchone()
            assert "lost" in data
            children = vault.conn.execute(
                "SELECT count(*) FROM records WHERE client_id = ? AND id != ?", (cid, cid)
            )
            assert children.fetchone()[0] == sum(
                1 for rid, row in built["records"].items() if row[1] == cid and rid not in on_page
            )
            # never sent to the trusted device (marked as held there)
            peer = built["peers"][0][0]
            sent = vault.conn.execute(
                "SELECT sent_rev FROM sync_state WHERE peer = ? AND record_id = ?", (peer, cid)
            )
            assert sent.fetchone()[0] >= rev
        assert _same_records(built, vault) == len(built["records"]) - len(on_page)
        # when the trusted device next sends the record, its version replaces the stand-in whole
        import json

        from desktop.sync import fileformat, merge

        cid = sorted(lost_clients)[0]
        names = ("kind", "client_id", "parent_id", "position", "ref", "data", "date_lo", "date_hi", "rev")
        names += ("created_at", "updated_at", "origin", "deleted")
        row = dict(zip(names, built["records"][cid], strict=True))
        del row["date_lo"], row["date_hi"]
        row.update(id=cid, data=json.loads(row["data"]), rev=row["rev"] + 1, deleted=bool(row["deleted"]))
        with vault.transaction() as conn:
            merged = merge.merge_record(vault, conn, peer, fileformat._check_row(row, 1))
        assert merged.conflicts == 0
        data = vault.conn.execute("SELECT data FROM records WHERE id = ?", (cid,)).fetchone()[0]
        assert data == built["records"][cid][5]


def test_a_lost_blob_row_is_rebuilt_from_its_chunks(built, tmp_path):
    (page,) = _pages_of(built, "blobs")
    damaged = _damaged(built, tmp_path, [((page - 1) * PAGE + 100, 0x02)])
    report = _salvage(built, damaged, tmp_path / "new.declara")
    assert report.documents_rescued == 6 and report.documents_lost == 0
    from desktop.evidence.blobs import BlobStore

    with _open(built, tmp_path / "new.declara") as vault:
        blobs = BlobStore(vault)
        for sha, data in built["blobs"].items():
            assert blobs.get(sha) == data


def test_a_damaged_chunk_loses_only_that_file(built, tmp_path):
    page = _pages_of(built, "blob_chunks")[0]
    damaged = _damaged(built, tmp_path, [((page - 1) * PAGE + 3000, 0x02)])
    report = _salvage(built, damaged, tmp_path / "new.declara")
    assert report.documents_lost >= 1 and report.documents_rescued + report.documents_lost == 6
    with _open(built, tmp_path / "new.declara") as vault:
        assert vault.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == report.documents_rescued


def test_committed_changes_still_in_the_log_are_salvaged(built, tmp_path):
    """A vault copied while open (or left by a crash): its newest records are only in the log."""
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault

    live = tmp_path / "live.declara"
    shutil.copytree(built["path"], live)
    crashed = tmp_path / "crashed.declara"
    crashed.mkdir()
    with open_vault(live, built["key"]) as vault:
        new = CaseStore(vault).create("client", {"given_names": "Renata", "family_names": "Quispe"})
        assert (live / "declara.db-wal").stat().st_size > 0
        for item in live.iterdir():
            if item.is_file() and item.name not in ("declara.lock", "declara.db-shm"):
                shutil.copy2(item, crashed / item.name)
    report = _salvage(built, crashed, tmp_path / "new.declara")
    assert report.records_rescued == len(built["records"]) + 1
    with _open(built, tmp_path / "new.declara") as vault:
        assert _same_records(built, vault) == len(built["records"])
        assert vault.conn.execute("SELECT rev FROM records WHERE id = ?", (new.id,)).fetchone() == (new.rev,)


def test_another_vaults_log_beside_the_database_is_ignored(built, tmp_path, passphrase):
    """Finding 1 of the issue: another vault's ``-wal`` dropped beside the database. Its frames fail
    this vault's page check, so the database's own pages are read."""
    from desktop.case.store import CaseStore
    from desktop.vault.database import create_vault

    other = tmp_path / "other.declara"
    with create_vault(other, passphrase, built["policy"]) as vault:
        store = CaseStore(vault)
        for i in range(30):
            store.create("client", {"given_names": f"Otra {i}"})
        foreign = (other / "declara.db-wal").read_bytes()
    assert foreign
    damaged = _damaged(built, tmp_path, [])
    (damaged / "declara.db-wal").write_bytes(foreign)
    report = _salvage(built, damaged, tmp_path / "new.declara")
    assert report.records_rescued == len(built["records"]) and report.unreadable_pages == 0


def test_refusals_write_nothing(built, tmp_path):
    from desktop.vault.salvage import salvage

    before = _hashes(built["path"])
    with pytest.raises(VaultError):  # never inside the damaged folder
        salvage(built["path"], built["path"] / "inside", built["key"], built["passphrase"], built["policy"])
    with pytest.raises(VaultCorrupt):  # another key: nothing readable, no new vault
        salvage(built["path"], tmp_path / "new", bytes(32), built["passphrase"], built["policy"])
    assert not (tmp_path / "new").exists()
    assert _hashes(built["path"]) == before
    assert not (built["path"] / "inside").exists()
    assert not (built["path"] / "declara.db-shm").exists()


def test_cli_salvage(built, tmp_path, cli):
    damaged = _damaged(built, tmp_path, [(PAGE * 40 + 7, 0x80), (PAGE * 90 + 9, 0x01)])
    before = _hashes(damaged)
    run = cli(env={"DECLARA_PASSPHRASE": built["passphrase"]}, answers=[""])  # Enter: the same passphrase
    code, out, err = run("vault", "salvage", damaged, "--to", tmp_path / "new.declara")
    assert code == 0, err
    assert "Records rescued: " in out and "could not be read" in out and "not changed" in out
    assert _hashes(damaged) == before
    code, out, err = cli(env={"DECLARA_PASSPHRASE": built["passphrase"]})(
        "vault", "check", tmp_path / "new.declara"
    )
    assert code == 0 and "intact" in out, err
    # a new passphrase from a file; an existing vault as the target is refused with one message
    new_pass = tmp_path / "new.txt"
    new_pass.write_text("copper meadow signal gently 17\n")
    code, out, err = run(
        "vault", "salvage", damaged, "--to", tmp_path / "other", "--new-passphrase-file", new_pass
    )
    assert code == 0, err
    code, out, err = cli(env={"DECLARA_PASSPHRASE": "copper meadow signal gently 17"})(
        "vault", "check", tmp_path / "other"
    )
    assert code == 0, err
    code, out, err = run("vault", "salvage", damaged, "--to", tmp_path / "other")
    assert code == 1 and "nothing was" in err and "Traceback" not in err  # an existing vault, untouched


def test_a_vault_from_before_migration_10_is_salvaged_with_its_bookkeeping(tmp_path, passphrase, monkeypatch):
    """Salvage reads the two bookkeeping tables of an older vault (sync_sent, sync_base) and writes
    them into sync_state, each row keyed by its record's client; a row whose record is not saved
    is dropped."""
    import uuid

    from desktop.case.store import CaseStore
    from desktop.vault import keyheader as kh
    from desktop.vault import migrations
    from desktop.vault.database import create_vault, open_vault, unlock
    from desktop.vault.salvage import salvage

    policy = kh.unsafe_test_policy()
    original = migrations.migrate
    monkeypatch.setattr(migrations, "migrate", lambda conn, **kw: original(conn, **{**kw, "target": 9}))
    # A schema-9 client list has no certificate columns; salvage rebuilds the list, so it is left empty.
    from desktop.case import summary

    monkeypatch.setattr(summary, "refresh", lambda conn, client_id: None)
    old = tmp_path / "old.declara"
    peer, gone = str(uuid.uuid4()), str(uuid.uuid4())
    state = '{"data": {"given_names": "Ana"}, "deleted": false, "position": 0}'
    with create_vault(old, passphrase, policy) as vault:
        assert migrations.current_version(vault.conn) == 9
        store = CaseStore(vault)
        client = store.create("client", {"given_names": "Ana", "family_names": "Fictitia"})
        event = store.create("event", {"date": "2019-05", "text": {"es": "Salió"}}, client_id=client.id)
        with vault.transaction() as conn:
            sent = [(peer, client.id, 2), (peer, event.id, 1), (peer, gone, 5)]
            conn.executemany("INSERT INTO sync_sent VALUES (?, ?, ?)", sent)
            based = [(peer, client.id, 3, state), (peer, event.id, 1, None)]
            conn.executemany("INSERT INTO sync_base VALUES (?, ?, ?, ?)", based)
    monkeypatch.undo()
    key = unlock(old, passphrase, policy)
    new = tmp_path / "new.declara"
    salvage(old, new, key, passphrase, policy, check_strength=False)
    with open_vault(new, unlock(new, passphrase, policy)) as vault:
        assert migrations.current_version(vault.conn) == migrations.LATEST
        rows = vault.conn.execute(
            "SELECT client_id, record_id, peer, sent_rev, their_rev, base FROM sync_state"
        ).fetchall()
    assert sorted(rows) == sorted(
        [(client.id, client.id, peer, 2, 3, state), (client.id, event.id, peer, 1, 1, None)]
    )
