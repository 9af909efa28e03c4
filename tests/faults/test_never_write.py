"""Never write to a vault that is not provably this vault and healthy (issue 18): the page check
before any write, damage found later, a damaged write-ahead log, permissions and read-only disks
named as such, a symlinked lock, the temporary files of a killed write, exports aimed into a vault
folder, and no traceback from the command line."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from desktop.case.store import CaseStore
from desktop.errors import ForeignFile, VaultCorrupt, VaultReadOnly
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault, open_vault, unlock

POLICY = kh.unsafe_test_policy()
REPO = Path(__file__).resolve().parents[2]


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.is_symlink() and not p.name.endswith("-shm")
    }


def _vault(path: Path, passphrase: str, clients: int = 3) -> list[str]:
    with create_vault(path, passphrase, POLICY) as vault:
        store = CaseStore(vault)
        ids = [
            store.create(
                "client", {"given_names": f"Prueba {i}", "family_names": "Ficticia", "notes": "x" * 3000}
            ).id
            for i in range(clients)
        ]
    return ids


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


# -- the page check before any write ---------------------------------------------------------------
def test_three_flipped_bytes_are_refused_at_open_and_the_cli_says_one_line(tmp_path, passphrase, run):
    """Finding 8: `vault check`, `case show` and `timeline` printed a DatabaseError traceback."""
    path = tmp_path / "v.declara"
    ids = _vault(path, passphrase, clients=30)
    db = path / "declara.db"
    size = db.stat().st_size
    for offset in (size // 2 + 100, size // 2 + 4096 + 7, size - 4096 - 300):
        _flip(db, offset)
    before = _digests(path)
    for argv in (
        ("vault", "check", path),
        ("case", "show", path, ids[0]),
        ("timeline", path, ids[0], "--lang", "en", "--out", tmp_path / "t.pdf"),
        ("case", "import", path, REPO / "tests" / "data" / "case-ana.json"),
    ):
        code, out, err = run(*argv)
        assert code == 1, (argv, out, err)
        assert err.startswith("declara: ") and err.count("\n") == 1 and "Traceback" not in err
        assert "damaged" in err
    assert {k: v for k, v in _digests(path).items() if k != "declara.lock"} == {
        k: v for k, v in before.items() if k != "declara.lock"
    }
    assert not (tmp_path / "t.pdf").exists()


def test_damage_found_after_open_closes_the_vault_for_writing(tmp_path, passphrase):
    path = tmp_path / "v.declara"
    _vault(path, passphrase, clients=60)
    vault = open_vault(path, unlock(path, passphrase, POLICY))  # the page check passes here
    db = path / "declara.db"
    _flip(db, db.stat().st_size - 2 * 4096 + 50)  # then a page goes bad under the open vault
    before = _digests(path)
    store = CaseStore(vault)
    with pytest.raises(VaultCorrupt):
        with vault.transaction():
            for record in store.clients():
                store.set_field(record.id, "notes", "changed")
    assert vault.damaged and not vault.is_open
    with pytest.raises(VaultCorrupt):  # every later write is refused with the same message
        with vault.transaction():
            pass
    with pytest.raises(VaultCorrupt):  # and so is a read: the connection is closed
        store.clients()
    vault.close()
    assert _digests(path)["declara.db"] == before["declara.db"]
    assert not (path / "declara.db-wal").exists() or (path / "declara.db-wal").stat().st_size == 0


# -- a damaged write-ahead log ---------------------------------------------------------------------
def _with_log(tmp_path: Path, passphrase: str) -> Path:
    """A vault folder as a crash leaves it: the database and a log of saved changes."""
    path = tmp_path / "live.declara"
    _vault(path, passphrase, clients=2)
    vault = open_vault(path, unlock(path, passphrase, POLICY))
    store = CaseStore(vault)
    for i in range(6):
        store.create("client", {"given_names": f"Después {i}", "family_names": "Del corte"})
    crashed = tmp_path / "crashed.declara"
    shutil.copytree(path, crashed)  # copied while open: the log is not folded in yet
    vault.close()
    (crashed / "declara.db-shm").unlink(missing_ok=True)
    return crashed


def test_a_flipped_byte_in_a_saved_transaction_of_the_log_is_refused(tmp_path, passphrase):
    crashed = _with_log(tmp_path, passphrase)
    wal = crashed / "declara.db-wal"
    assert wal.stat().st_size > 3 * 4120
    _flip(wal, 32 + 24 + 1000)  # inside the first frame's page: SQLite would drop everything after
    before = _digests(crashed)
    key = unlock(crashed, passphrase, POLICY)
    with pytest.raises(VaultCorrupt) as refused:
        open_vault(crashed, key)
    assert "declara.db-wal" in refused.value.message()
    after = _digests(crashed)
    del after["declara.lock"], before["declara.lock"]  # the lock file is ours to rewrite
    assert after == before  # the log is still there, byte for byte


def test_a_log_cut_in_its_last_transaction_opens_like_after_a_power_cut(tmp_path, passphrase):
    crashed = _with_log(tmp_path, passphrase)
    wal = crashed / "declara.db-wal"
    wal.write_bytes(wal.read_bytes()[:-100])  # the last frame torn: that transaction was never saved
    with open_vault(crashed, unlock(crashed, passphrase, POLICY)) as vault:
        assert vault.check() == []


# -- permissions and read-only disks ---------------------------------------------------------------
# root ignores file permissions; without these capabilities it is held to them like anyone else
AS_USER = (
    ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    if hasattr(os, "geteuid") and os.geteuid() == 0
    else []
)
NOBODY = textwrap.dedent(
    """
    import io, os, sys
    from desktop.cli import Context, main
    from desktop.vault import keyheader as kh
    err = io.StringIO()
    code = main(["case", "list", sys.argv[1]], Context(policy=kh.unsafe_test_policy(), stderr=err,
                env={"DECLARA_PASSPHRASE": sys.argv[2], "LANG": "en_US.UTF-8"}))
    print(code, err.getvalue().strip())
    """
)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or (os.geteuid() == 0 and not shutil.which("setpriv")),
    reason="POSIX; as root it needs setpriv to drop the power to override permissions",
)
def test_a_read_only_vault_folder_says_permissions_not_damage(tmp_path, passphrase):
    """Finding 10: a read-only vault folder got "damaged … restore a backup"."""
    base = Path(tempfile.mkdtemp(prefix="declara-ro-"))
    try:
        os.chmod(base, 0o711)
        path = base / "v.declara"
        _vault(path, passphrase)
        os.chmod(path, 0o555)
        before = _digests(path)
        child = subprocess.run(
            [*AS_USER, sys.executable, "-c", NOBODY, str(path), passphrase],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
        )
        code, _, message = child.stdout.partition(" ")
        assert code == "1", child.stdout + child.stderr
        assert "permission" in message and "damaged" not in message.replace("not damaged", "")
        assert _digests(path) == before
    finally:
        os.chmod(base / "v.declara", 0o700)
        shutil.rmtree(base)


def test_a_read_only_disk_is_named(tmp_path, passphrase, monkeypatch):
    """Finding 10: a vault on a read-only filesystem is named so, not "damaged" (the window shows
    this message at unlock: tests/ui/test_save_failures.py)."""
    path = tmp_path / "v.declara"
    _vault(path, passphrase)
    key = unlock(path, passphrase, POLICY)
    real = os.statvfs

    class ReadOnly:
        def __init__(self, st: os.statvfs_result) -> None:
            self.f_flag = st.f_flag | os.ST_RDONLY

    monkeypatch.setattr(os, "statvfs", lambda p: ReadOnly(real(p)))
    with pytest.raises(VaultReadOnly) as refused:
        open_vault(path, key)
    assert "read-only disk" in refused.value.message() and "damaged" not in refused.value.message().replace(
        "not damaged", ""
    )


# -- the lock file and what a killed write leaves ---------------------------------------------------
def test_a_symlinked_lock_is_refused_and_its_target_untouched(tmp_path, passphrase, run):
    """Finding 11: a symlinked declara.lock was followed and its target truncated."""
    path = tmp_path / "v.declara"
    _vault(path, passphrase)
    target = tmp_path / "precious.txt"
    target.write_text("a file someone cares about\n")
    (path / "declara.lock").unlink()
    (path / "declara.lock").symlink_to(target)
    with pytest.raises(ForeignFile):
        open_vault(path, unlock(path, passphrase, POLICY))
    code, _, err = run("case", "list", path)
    assert code == 1 and "declara.lock" in err and "Traceback" not in err
    assert target.read_text() == "a file someone cares about\n"
    assert (path / "declara.lock").is_symlink()


def test_a_killed_passphrase_change_leaves_no_temporary_file_after_the_next_open(tmp_path, passphrase):
    """Finding 11: killed passphrase changes left .keyheader.json.*.tmp behind."""
    path = tmp_path / "v.declara"
    _vault(path, passphrase)
    stale = path / ".keyheader.json.1a2b3c4d.tmp"
    stale.write_bytes((path / "keyheader.json").read_bytes()[:50])  # killed before its rename
    os.utime(stale, (1_000_000_000, 1_000_000_000))  # written by a process that is gone
    fresh = path / ".keyheader.json.0badf00d.tmp"  # a write in progress in another process now
    fresh.write_bytes(b"{")
    header = (path / "keyheader.json").read_bytes()
    with open_vault(path, unlock(path, passphrase, POLICY)):
        pass
    assert not stale.exists() and fresh.exists()
    assert (path / "keyheader.json").read_bytes() == header


# -- no export lands inside a vault folder ----------------------------------------------------------
def test_an_export_over_the_key_header_is_refused(tmp_path, passphrase, run, ana_path):
    """Finding 5: `case export VAULT CLIENT --out VAULT/keyheader.json` exited 0 and destroyed the vault."""
    path = tmp_path / "v.declara"
    assert run("vault", "init", path)[0] == 0
    assert run("case", "import", path, ana_path)[0] == 0
    client = run("case", "list", path, "--json")[1]
    client_id = __import__("json").loads(client)[0]["id"]
    header = (path / "keyheader.json").read_bytes()
    names = {p.name for p in path.iterdir() if not p.name.startswith("declara.db-")}
    (tmp_path / "link").symlink_to(path)
    for out in (
        path / "keyheader.json",
        path / "declara.db",
        path / "backups" / "x.json",
        tmp_path / "link" / "keyheader.json",
        tmp_path / "elsewhere" / ".." / "v.declara" / "case.json",
    ):
        (tmp_path / "elsewhere").mkdir(exist_ok=True)
        code, _, err = run("case", "export", path, client_id, "--out", out)
        assert code == 1 and "inside a vault folder" in err, (out, err)
    for argv in (
        ("sync", "card", path, "--out", path / "card.json"),
        ("timeline", path, client_id, "--lang", "en", "--out", path / "t.pdf"),
        ("packet", path, client_id, "--out", path),
    ):
        code, _, err = run(*argv)
        assert code == 1 and "inside a vault folder" in err, (argv, err)
    assert (path / "keyheader.json").read_bytes() == header
    assert {p.name for p in path.iterdir() if not p.name.startswith("declara.db-")} == names
    other = tmp_path / "other.declara"
    assert run("vault", "init", other)[0] == 0
    for argv in (  # --to: a backup into another vault, a vault restored or salvaged into one
        ("vault", "backup", path, "--to", other),
        ("vault", "restore", other, "--to", path / "restored"),
        ("vault", "salvage", other, "--to", path / "salvaged"),
    ):
        code, _, err = run(*argv)
        assert code == 1 and "inside a vault folder" in err, (argv, err)
    assert not (other / "backups").exists() and not (path / "restored").exists()
    code, out, _ = run("case", "export", path, client_id, "--out", tmp_path / "case.json")
    assert code == 0 and (tmp_path / "case.json").is_file()


# -- no traceback for anything ----------------------------------------------------------------------
def test_an_unexpected_error_is_one_line_not_a_traceback(tmp_path, passphrase, run, monkeypatch):
    path = tmp_path / "v.declara"
    assert run("vault", "init", path)[0] == 0
    import desktop.cli as cli

    def boom(*_a: object, **_k: object) -> None:
        raise sqlite_error("database disk image is malformed")

    import sqlcipher3

    sqlite_error = sqlcipher3.DatabaseError
    monkeypatch.setattr(cli, "cmd_case_list", boom)
    code, _, err = run("case", "list", path)
    assert code == 1 and err.startswith("declara: ") and "damaged" in err and err.count("\n") == 1

    def other(*_a: object, **_k: object) -> None:
        raise ValueError("something nobody expected")

    monkeypatch.setattr(cli, "cmd_case_list", other)
    code, _, err = run("case", "list", path)
    assert code == 1 and "DECLARA_DEBUG" in err and "Traceback" not in err and err.count("\n") == 1
