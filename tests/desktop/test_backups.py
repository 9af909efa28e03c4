"""Backups (desktop.vault.backups): complete, verified, rotated; never of a damaged vault; restore."""

from __future__ import annotations

import errno
import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop import sync
from desktop.case.casefile import import_case, read_case_file
from desktop.case.store import CaseStore
from desktop.errors import DeclaraError, VaultCorrupt, VaultError, WrongPassphrase
from desktop.vault import backups
from desktop.vault.database import create_vault, open_vault, unlock

PAGE = 4096
NAME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z-(manual|import|close|daily)(-\d+)?$")


def _flip(db: Path, page: int, offset: int = 200) -> None:
    """Flip a byte inside one page of an (encrypted) database file, as a failing disk would."""
    with open(db, "r+b") as fh:
        fh.seek(page * PAGE + offset)
        byte = fh.read(1)
        fh.seek(page * PAGE + offset)
        fh.write(bytes([byte[0] ^ 0xFF]))


def _pages(db: Path) -> int:
    return db.stat().st_size // PAGE


def _bulky(store: CaseStore, ana_doc) -> tuple[str, range]:
    """A client whose long notes take pages of their own (overflow pages) at the end of the file:
    pages no sync import reads. Returns the client's id and those pages."""
    vault = store.vault
    cid = import_case(store, ana_doc)
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _pages(vault.path / "declara.db")
    store.set_field(cid, "notes", "".join(f"line {i} of the notes.\n" for i in range(4000)))
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    after = _pages(vault.path / "declara.db")
    assert after - before > 10
    return cid, range(before + 2, after - 2)


@pytest.fixture
def ana_doc(ana_path):
    return read_case_file(ana_path)


# -- rotation: a table of dates ---------------------------------------------------------------------
NOW = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # a Wednesday


def _info(made: datetime, n: int = 0) -> backups.BackupInfo:
    return backups.BackupInfo(
        path=Path(f"b/{made:%Y-%m-%dT%H%M%S}Z-close-{n}"), made_at=made, size=1, reason="close", vault_id="v"
    )


def _kept(times: list[datetime]) -> list[datetime]:
    infos = [_info(t, i) for i, t in enumerate(times)]
    keep = backups.keep(infos, NOW)
    return sorted(i.made_at for i in infos if i.path in keep)


def test_rotation_keeps_the_last_ten():
    times = [NOW - timedelta(minutes=5 * i) for i in range(15)]  # all today
    assert _kept(times) == sorted(times[:10])


def test_rotation_keeps_the_newest_of_each_of_the_last_seven_days():
    # Hourly backups for 12 days: the 10 newest are today's; then one per earlier day (the last of
    # each day, 23:00) for 6 days; beyond a week only the newest of each ISO week.
    times = [NOW - timedelta(hours=h) for h in range(12 * 24)]
    kept = _kept(times)
    newest = sorted(times)[-10:]
    days = [datetime(2026, 12, d, 23, 0, tzinfo=UTC) for d in range(3, 9)]  # Dec 3..8
    weeks = [datetime(2026, 11, 29, 23, 0, tzinfo=UTC)]  # Sunday: newest of the week Nov 23-29
    assert kept == sorted(weeks + days + newest)


def test_rotation_table_of_weeks_and_old_backups():
    table = [
        # (made, kept?)
        (datetime(2026, 12, 9, 14, 0, tzinfo=UTC), True),  # among the last ten
        (datetime(2026, 12, 1, 9, 0, tzinfo=UTC), True),
        (datetime(2026, 11, 30, 8, 0, tzinfo=UTC), True),
        (datetime(2026, 11, 2, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 11, 1, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 10, 1, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 9, 1, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 8, 1, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 7, 1, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 6, 1, 10, 0, tzinfo=UTC), True),  # the tenth newest
        (datetime(2026, 5, 1, 10, 0, tzinfo=UTC), False),  # eleventh, older than five weeks
        (datetime(2025, 12, 9, 10, 0, tzinfo=UTC), False),
    ]
    assert _kept([t for t, _ in table]) == sorted(t for t, k in table if k)
    # With ten newer ones today, only one per day/week of the old ones survives.
    today = [NOW - timedelta(minutes=m) for m in range(1, 11)]
    table2 = [
        (datetime(2026, 12, 8, 10, 0, tzinfo=UTC), False),  # Tuesday: not the newest of Dec 8
        (datetime(2026, 12, 8, 20, 0, tzinfo=UTC), True),  # newest of Dec 8
        (datetime(2026, 12, 3, 20, 0, tzinfo=UTC), True),  # Dec 3: the 7th day back
        (datetime(2026, 12, 2, 20, 0, tzinfo=UTC), False),  # Dec 2: 8 days back; week of Nov 30 has Dec 3
        (datetime(2026, 11, 26, 9, 0, tzinfo=UTC), True),  # newest of week Nov 23-29
        (datetime(2026, 11, 24, 9, 0, tzinfo=UTC), False),
        (datetime(2026, 11, 9, 9, 0, tzinfo=UTC), True),  # week Nov 9-15: the 5th week back
        (datetime(2026, 11, 8, 9, 0, tzinfo=UTC), False),  # week Nov 2-8: the 6th
        (NOW + timedelta(days=2), True),  # from the future (a wrong clock): among the ten newest
    ]
    kept = _kept(today + [t for t, _ in table2])
    assert kept == sorted(today[:-1] + [t for t, k in table2 if k])  # the future one pushes one out


# -- making one ---------------------------------------------------------------------------------------
def test_a_backup_is_a_complete_vault_named_by_time_and_reason(store, ana_doc, passphrase, policy, tmp_path):
    cid = import_case(store, ana_doc)
    vault = store.vault
    info = backups.make_backup(vault)
    assert info.path.parent == vault.path / "backups" and NAME.match(info.path.name)
    assert info.reason == "manual" and info.vault_id == vault.vault_id and info.warnings == []
    names = ["backup.json", "declara.db", "keyheader.copy.json", "keyheader.json"]
    assert sorted(p.name for p in info.path.iterdir()) == names
    assert info.path.stat().st_mode & 0o777 == 0o700
    assert (info.path / "declara.db").stat().st_mode & 0o777 == 0o600
    assert not (info.path / "declara.db").read_bytes().startswith(b"SQLite format 3")
    assert (info.path / "keyheader.json").read_bytes() == (vault.path / "keyheader.json").read_bytes()
    assert info.size == sum(p.stat().st_size for p in info.path.iterdir())
    # Made after a write still in the write-ahead log: the copy has it.
    store.set_field(cid, "notes", "after the first backup")
    second = backups.make_backup(vault, reason="close")
    key = unlock(second.path, passphrase, policy)  # its own key header opens it
    assert backups.count_clients(second.path, key) == 1
    shutil.copytree(second.path, tmp_path / "copy")  # opened elsewhere: opening writes a lock file
    with open_vault(tmp_path / "copy", key) as copy:
        assert copy.check() == []
        assert CaseStore(copy).get(cid).data["notes"] == "after the first backup"
    listed = backups.list_backups(vault.path, key=key)
    assert [b.path for b in listed] == [second.path, info.path] and [b.clients for b in listed] == [1, 1]
    # Nothing in a name or in the manifest says whose vault it is.
    name = ana_doc["client"]["family_names"].split()[0]
    for p in (vault.path / "backups").rglob("*"):
        assert name.lower() not in p.name.lower()
    assert name.encode() not in (second.path / "backup.json").read_bytes()


def test_a_damaged_key_header_is_taken_from_its_copy(store, passphrase, policy):
    vault = store.vault
    good = (vault.path / "keyheader.copy.json").read_bytes()
    (vault.path / "keyheader.json").write_bytes(b'{"format": "declara-keyheader", "vers')  # cut short
    info = backups.make_backup(vault)
    assert (info.path / "keyheader.json").read_bytes() == good
    assert backups.count_clients(info.path, unlock(info.path, passphrase, policy)) == 0


def test_a_damaged_vault_is_never_backed_up(store, ana_doc):
    vault = store.vault
    _cid, pages = _bulky(store, ana_doc)
    good = backups.make_backup(vault)
    _flip(vault.path / "declara.db", pages[len(pages) // 2])
    before = sorted((vault.path / "backups").iterdir())
    with pytest.raises(VaultCorrupt) as info:
        backups.make_backup(vault)
    assert "no backup was made" in info.value.message() and "nothing was written" in info.value.message()
    assert sorted((vault.path / "backups").iterdir()) == before == [good.path]
    with pytest.raises(VaultCorrupt):  # the automatic one too: refused, never silently skipped
        backups.backup_if_due(vault, now=datetime.now(UTC) + timedelta(days=1))
    assert sorted((vault.path / "backups").iterdir()) == [good.path]


def test_a_backup_that_fails_its_check_is_removed_and_nothing_is_pruned(store, monkeypatch):
    vault = store.vault
    made = [backups.make_backup(vault).path for _ in range(10)]
    monkeypatch.setattr(backups, "KEEP_LAST", 3)

    def broken(_vault, db_file):
        with open(db_file, "r+b") as fh:  # the disk returned something else than was written
            fh.seek(3 * PAGE + 100)
            fh.write(b"\0" * 16)
        return real(_vault, db_file)

    real = backups._verify
    monkeypatch.setattr(backups, "_verify", broken)
    with pytest.raises(VaultError, match="did not pass its check"):
        backups.make_backup(vault)
    assert sorted((vault.path / "backups").iterdir()) == sorted(made)  # no new one, none pruned
    monkeypatch.setattr(backups, "_verify", real)
    newest = backups.make_backup(vault).path
    left = sorted((vault.path / "backups").iterdir())
    assert newest in left and len(left) == 3  # today's: the three newest (KEEP_LAST patched)


def test_an_interrupted_backup_never_looks_whole_and_is_cleaned_next_time(store, monkeypatch):
    vault = store.vault
    backups.make_backup(vault)

    def crash(*_a):
        raise KeyboardInterrupt  # killed just before the rename

    monkeypatch.setattr(backups.os, "rename", crash)
    with pytest.raises(KeyboardInterrupt):
        backups.make_backup(vault)
    monkeypatch.undo()
    # A kill leaves the temporary folder (here made by hand, as a kill -9 would leave it).
    leftover = vault.path / "backups" / f".partial-{vault.vault_id}-0badc0de"
    leftover.mkdir()
    (leftover / "declara.db").write_bytes(b"\0" * PAGE)
    assert len(backups.list_backups(vault.path)) == 1  # never listed
    backups.make_backup(vault)
    assert not leftover.exists() and len(backups.list_backups(vault.path)) == 2
    assert all(NAME.match(p.name) for p in (vault.path / "backups").iterdir())


def test_the_second_folder_gets_its_own_copy_and_its_failure_is_reported(
    store, tmp_path, passphrase, policy, monkeypatch
):
    vault = store.vault
    usb = tmp_path / "usb"
    usb.mkdir()
    backups.set_second_folder(vault, usb)
    assert backups.second_folder(vault) == usb
    info = backups.make_backup(vault)
    assert info.warnings == [] and [c.parent for c in info.copies] == [usb]
    copy = info.copies[0]
    assert copy.name == info.path.name
    assert _opens_intact(copy, unlock(copy, passphrase, policy))
    # The stick is pulled out: the main backup is made, the failure is said.
    shutil.rmtree(usb)
    info2 = backups.make_backup(vault)
    assert info2.path.is_dir() and info2.copies == []
    assert len(info2.warnings) == 1 and "not there" in info2.warnings[0].message()
    # A folder that cannot be written (made so by refusing the writes there: tests may run as root).
    usb.mkdir()
    real_mkdir = Path.mkdir

    def refuse(self, *a, **kw):
        if self.parent == usb:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_mkdir(self, *a, **kw)

    monkeypatch.setattr(Path, "mkdir", refuse)
    info3 = backups.make_backup(vault)
    monkeypatch.undo()
    assert info3.path.is_dir() and len(info3.warnings) == 1 and list(usb.iterdir()) == []
    assert "no permission" in info3.warnings[0].message()
    # A full stick: said, naming the second folder; nothing half-written is left on it.
    def full(*_a, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups.shutil, "copyfileobj", full)
    info4 = backups.make_backup(vault)
    monkeypatch.undo()
    assert info4.path.is_dir() and info4.copies == [] and list(usb.iterdir()) == []
    text = info4.warnings[0].message()
    assert "second folder" in text and "disk is full" in text and "was made" in text
    assert len(backups.list_backups(vault.path)) == 4
    # Never a folder inside a vault; forgetting it works.
    with pytest.raises(VaultError, match="inside a vault"):
        backups.set_second_folder(vault, vault.path / "elsewhere")
    other = create_vault(tmp_path / "other.declara", passphrase, policy)
    other.close()
    with pytest.raises(VaultError, match="inside a vault"):
        backups.set_second_folder(vault, tmp_path / "other.declara")
    backups.set_second_folder(vault, None)
    assert backups.second_folder(vault) is None


def test_the_second_folder_has_its_own_rotation(store, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    backups.set_second_folder(store.vault, usb)
    (usb / "notes.txt").write_text("not a backup")  # the stick's other files are left alone
    monkeypatch.setattr(backups, "KEEP_LAST", 2)
    made = [backups.make_backup(store.vault) for _ in range(4)]
    expected = sorted([m.copies[0].name for m in made[-2:]] + ["notes.txt"])
    assert sorted(p.name for p in usb.iterdir()) == expected
    assert [b.path for b in backups.list_backups(store.vault.path)] == [m.path for m in made[:-3:-1]]


def test_backups_of_two_vaults_in_one_folder_keep_apart(tmp_path, passphrase, policy, monkeypatch):
    shared = tmp_path / "share"
    shared.mkdir()
    monkeypatch.setattr(backups, "KEEP_LAST", 2)
    a = create_vault(tmp_path / "a.declara", passphrase, policy)
    b = create_vault(tmp_path / "b.declara", passphrase, policy)
    try:
        mine = [backups.make_backup(a, to=shared).path for _ in range(2)]
        theirs = [backups.make_backup(b, to=shared).path for _ in range(3)]
        assert all(p.exists() for p in mine) and sum(p.exists() for p in theirs) == 2
        assert [x.path for x in backups.list_backups(a.path, shared)] == mine[::-1]
    finally:
        a.close()
        b.close()


def test_backup_if_due(store, ana_doc):
    vault = store.vault
    first = backups.backup_if_due(vault)
    assert first is not None and first.reason == "close"  # none existed
    assert backups.backup_if_due(vault) is None  # the last one is recent
    later = datetime.now(UTC) + timedelta(hours=2)
    assert backups.backup_if_due(vault, now=later) is None  # nothing changed since
    import_case(store, ana_doc)
    assert backups.backup_if_due(vault) is None  # changed, but the last one is recent
    second = backups.backup_if_due(vault, now=later)
    assert second is not None and second.path != first.path


# -- restore ------------------------------------------------------------------------------------------
def test_restore_makes_a_new_vault_that_opens_with_the_same_passphrase(
    store, ana_doc, tmp_path, passphrase, policy
):
    cid = import_case(store, ana_doc)
    info = backups.make_backup(store.vault)
    target = tmp_path / "restored.declara"
    with pytest.raises(WrongPassphrase):
        backups.restore(info.path, target, "not the passphrase at all", policy)
    assert not target.exists()
    assert backups.restore(info.path, target, passphrase, policy) == target.absolute()
    with open_vault(target, unlock(target, passphrase, policy)) as v:
        assert CaseStore(v).get(cid).data == store.get(cid).data
        assert v.check() == []
    # Never over an existing non-empty folder, never inside a vault folder.
    with pytest.raises(VaultError, match="not empty"):
        backups.restore(info.path, target, passphrase, policy)
    with pytest.raises(VaultError, match="inside a vault"):
        backups.restore(info.path, store.vault.path / "restored", passphrase, policy)
    with pytest.raises(VaultError, match="inside a vault"):
        backups.restore(info.path, info.path / "x", passphrase, policy)
    empty = tmp_path / "empty"
    empty.mkdir()
    backups.restore(info.path, empty, passphrase, policy)
    assert {"declara.db", "keyheader.json", "keyheader.copy.json"} <= {p.name for p in empty.iterdir()}


def test_restore_of_a_damaged_backup_leaves_nothing(store, ana_doc, tmp_path, passphrase, policy):
    _cid, pages = _bulky(store, ana_doc)
    info = backups.make_backup(store.vault)
    _flip(info.path / "declara.db", pages[0] - 1)
    target = tmp_path / "restored.declara"
    with pytest.raises(VaultCorrupt):
        backups.restore(info.path, target, passphrase, policy)
    assert not target.exists() and not list(tmp_path.glob(".restored*"))


# -- the command line -----------------------------------------------------------------------------------
def test_cli_backup_to_a_second_folder_list_and_restore(run, cli, tmp_path, passphrase, ana_path):
    vault = tmp_path / "v.declara"
    assert run("vault", "init", vault)[0] == 0
    assert run("case", "import", vault, ana_path)[0] == 0
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, err = run("vault", "backup", vault, "--to", usb)
    assert code == 0, err
    made = [p for p in usb.iterdir()]
    assert len(made) == 1 and NAME.match(made[0].name) and str(made[0]) in out
    code, out, err = run("vault", "backups", vault, "--to", usb)
    assert code == 0, err
    assert "1 client" in out and "made by hand" in out and "1 backup." in out
    code, out, _err = run("vault", "backups", vault)  # VAULT/backups: none yet
    assert code == 0 and "0 backups." in out
    code, out, _err = cli()("vault", "backups", vault, "--to", usb, "--no-unlock")  # no passphrase
    assert code == 0 and "1 backup." in out and "client" not in out
    restored = tmp_path / "restored.declara"
    code, out, err = cli(answers=[passphrase])("vault", "restore", made[0], "--to", restored)
    assert code == 0, err
    assert "Restored" in out
    code, out, _err = run("case", "list", restored)
    assert code == 0 and run("case", "list", vault)[1] == out and out.strip()
    # Never over the same folder again; a wrong passphrase: exit 1, one message.
    before = sorted(p.name for p in restored.iterdir())
    code, _out, err = run("vault", "restore", made[0], "--to", restored)
    assert code == 1 and ("not empty" in err or "inside a vault" in err)
    assert sorted(p.name for p in restored.iterdir()) == before
    code, _out, err = cli(answers=["wrong wrong wrong"])("vault", "restore", made[0], "--to", tmp_path / "x")
    assert code == 1 and "Traceback" not in err and not (tmp_path / "x").exists()


def test_cli_backup_of_a_damaged_vault_is_refused(run, tmp_path, ana_path):
    vault = tmp_path / "v.declara"
    run("vault", "init", vault)
    run("case", "import", vault, ana_path)
    assert run("vault", "backup", vault)[0] == 0
    before = sorted((vault / "backups").iterdir())
    _flip(vault / "declara.db", _pages(vault / "declara.db") - 1)
    code, _out, err = run("vault", "backup", vault)
    assert code == 1 and "Traceback" not in err
    assert sorted((vault / "backups").iterdir()) == before


# -- finding 2: good backups are never replaced by copies of a damaged database -------------------------
def _backup_entries(vault_path: Path) -> set[Path]:
    folder = vault_path / "backups"
    return set(folder.iterdir()) if folder.exists() else set()


def _opens_intact(entry: Path, key: bytes) -> bool:
    """A backup (a folder, or a bare database file as the old pre-import copies were) opens with the
    key and passes SQLCipher's and SQLite's checks."""
    import sqlcipher3

    db = entry / "declara.db" if entry.is_dir() else entry
    conn = sqlcipher3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        return conn.execute("PRAGMA cipher_integrity_check").fetchall() == [] and conn.execute(
            "PRAGMA integrity_check"
        ).fetchall() == [("ok",)]
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def _office_and_laptop(tmp_path, passphrase, policy) -> tuple[CaseStore, CaseStore]:
    """An office and a laptop that trust each other (as after comparing fingerprints)."""
    office = CaseStore(create_vault(tmp_path / "office", passphrase, policy))
    laptop = CaseStore(create_vault(tmp_path / "laptop", passphrase, policy))
    sync.make_office(office.vault, name="Office")
    sync.identity(laptop.vault, name="Laptop")
    for a, b in ((office, laptop), (laptop, office)):
        sync.trust(a.vault, sync.parse_card(json.dumps(sync.identity(b.vault).card()).encode()))
    return office, laptop


def test_finding_2_good_backups_survive_imports_into_a_damaged_vault(
    tmp_path, passphrase, policy, ana_doc, monkeypatch
):
    # An import makes a backup only when one is due (issue 19): with no interval, each of these
    # imports finds one due, as each import made one when this finding was written.
    monkeypatch.setattr(backups, "AUTO_INTERVAL", timedelta(0))
    office, laptop = _office_and_laptop(tmp_path, passphrase, policy)
    try:
        key = unlock(office.vault.path, passphrase, policy)
        _local, pages = _bulky(office, ana_doc)  # a client of the office's own, with long notes
        cid = import_case(laptop, ana_doc)
        for i in range(5):
            laptop.set_field(cid, "notes", f"visit {i}")
            sync.import_sync(office.vault, sync.export_sync(laptop.vault, "Office").data)
        good = _backup_entries(office.vault.path)
        assert len(good) == 5 and all(_opens_intact(e, key) for e in good)
        # A page the imports never read goes bad on the disk.
        office.vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _flip(office.vault.path / "declara.db", pages[len(pages) // 2])
        refused = 0
        for i in range(6):
            laptop.set_field(cid, "notes", f"later visit {i}")
            try:
                sync.import_sync(office.vault, sync.export_sync(laptop.vault, "Office").data)
            except DeclaraError:
                refused += 1
        left = _backup_entries(office.vault.path)
        assert good <= left, "good backups were pruned"
        assert all(_opens_intact(e, key) for e in good)
        assert refused == 6 and left == good  # no copy of the damaged database was made
    finally:
        office.vault.close()
        laptop.vault.close()


def _folder_state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under a vault folder: size, modification time and a digest of its bytes."""
    import hashlib

    state = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            digest = hashlib.sha256(p.read_bytes()).digest()
            state[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns, digest)
    return state


def test_an_import_with_no_backup_due_into_a_damaged_vault_writes_nothing(
    tmp_path, passphrase, policy, ana_doc
):
    """Imports no longer copy the vault each time (issue 19), but the check before any write stays:
    with a recent backup (none due), an import into a vault with a damaged page no import reads is
    refused and not one byte of the folder changes."""
    office, laptop = _office_and_laptop(tmp_path, passphrase, policy)
    try:
        _local, pages = _bulky(office, ana_doc)
        cid = import_case(laptop, ana_doc)
        first = sync.import_sync(office.vault, sync.export_sync(laptop.vault, "Office").data)
        assert first.backup is not None  # the first: no backup yet
        laptop.set_field(cid, "notes", "visit 1")
        assert sync.import_sync(office.vault, sync.export_sync(laptop.vault, "Office").data).backup is None
        assert not backups.is_due(office.vault)
        office.vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _flip(office.vault.path / "declara.db", pages[len(pages) // 2])
        before = _folder_state(office.vault.path)
        laptop.set_field(cid, "notes", "visit 2")
        data = sync.export_sync(laptop.vault, "Office").data
        office.vault.pages_checked_at -= 3600  # open for an hour in the window: checked again
        with pytest.raises(VaultCorrupt):
            sync.import_sync(office.vault, data)
        assert _folder_state(office.vault.path) == before
    finally:
        office.vault.close()
        laptop.vault.close()


def test_an_import_right_after_the_open_does_not_read_every_page_again(
    tmp_path, passphrase, policy, ana_doc, monkeypatch
):
    """The command line opens the vault (every page checked) and imports seconds later: the import
    does not pay for the same check twice; after ten minutes open, it does."""
    checks: list[bool] = []
    real = backups.check_source
    monkeypatch.setattr(backups, "check_source", lambda v, **kw: checks.append(True) or real(v, **kw))
    office, laptop = _office_and_laptop(tmp_path, passphrase, policy)
    try:
        cid = import_case(laptop, ana_doc)
        sync.import_sync(office.vault, sync.export_sync(laptop.vault, "Office").data)  # a backup: due
        checks.clear()
        laptop.set_field(cid, "notes", "visit 1")
        sync.import_sync(office.vault, sync.export_sync(laptop.vault, "Office").data)
        assert checks == []  # proven whole at open, seconds ago
        office.vault.pages_checked_at -= 601
        laptop.set_field(cid, "notes", "visit 2")
        sync.import_sync(office.vault, sync.export_sync(laptop.vault, "Office").data)
        assert checks == [True] and office.vault.pages_checked_within(5)
    finally:
        office.vault.close()
        laptop.vault.close()
