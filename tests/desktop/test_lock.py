"""One process per vault; a crashed holder's lock is recovered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.errors import VaultLocked
from desktop.vault.database import DB_NAME, open_vault, unlock


REPO = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from desktop.vault import keyheader as kh
    from desktop.vault.database import open_vault, unlock
    path = Path(sys.argv[1])
    vault = open_vault(path, unlock(path, sys.argv[2], kh.unsafe_test_policy()))
    print("holding", flush=True)
    time.sleep(60)
    """
)


def _start_holder(vault_path: Path, passphrase: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(vault_path), passphrase],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_second_process_is_refused_and_vault_untouched(vault, vault_path, policy, passphrase):
    vault.close()
    holder = _start_holder(vault_path, passphrase)
    try:
        before = (vault_path / DB_NAME).read_bytes()
        key = unlock(vault_path, passphrase, policy)
        with pytest.raises(VaultLocked) as err:
            open_vault(vault_path, key)
        assert str(holder.pid) in str(err.value)
        assert "already open" in str(err.value)
        assert (vault_path / DB_NAME).read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_process_is_recovered(vault, vault_path, policy, passphrase):
    vault.close()
    holder = _start_holder(vault_path, passphrase)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert str(holder.pid) in (vault_path / "declara.lock").read_text()  # the stale record is there
    with open_vault(vault_path, unlock(vault_path, passphrase, policy)) as reopened:
        assert reopened.recovered_stale_lock
        assert str(os.getpid()) in (vault_path / "declara.lock").read_text()
        assert reopened.check() == []


def test_same_process_cannot_open_twice(vault, vault_path, policy, passphrase):
    with pytest.raises(VaultLocked):
        open_vault(vault_path, unlock(vault_path, passphrase, policy))
    assert vault.is_open


def test_clean_close_releases_the_lock(vault, vault_path, policy, passphrase):
    vault.close()
    assert (vault_path / "declara.lock").read_text() == ""
    with open_vault(vault_path, unlock(vault_path, passphrase, policy)) as again:
        assert not again.recovered_stale_lock


def test_current_holder_names_the_other_process_and_writes_nothing(vault, vault_path, policy):
    from desktop.vault.lockfile import current_holder

    lock = vault_path / "declara.lock"
    holder = current_holder(lock)
    assert holder is not None and holder["pid"] == os.getpid()
    vault.close()
    before = lock.read_bytes()
    assert current_holder(lock) is None
    assert lock.read_bytes() == before
    assert current_holder(vault_path / "missing.lock") is None


def test_the_window_names_the_same_lock_file_as_the_vault():
    from desktop.vault import database as vault
    from desktop.vault import lockfile

    assert lockfile.LOCK_NAME == vault.LOCK_NAME
