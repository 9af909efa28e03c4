"""A full disk during a save: a clear DiskFull, nothing half-written, and the vault still opens clean.

The disk fills up at every possible write of an operation in turn: the vault's connection is wrapped
in a proxy that raises SQLite's "database or disk is full" on the Nth write statement (INSERT,
UPDATE, DELETE, or the COMMIT itself). A real small filesystem (a loop mount or tmpfs with a size)
needs root, so it is not used here; the injection covers the same path (SQLITE_FULL).
"""

from __future__ import annotations

import pytest

from desktop.case.casefile import import_case, read_case_file
from desktop.drafting.declarations import DeclarationService
from desktop.errors import DeclaraError
from desktop.vault.database import DiskFull, open_vault, unlock


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "COMMIT", "RELEASE")


class _FillingConnection:
    """The vault's connection, but the disk is full from the ``fail_at``-th write on."""

    def __init__(self, conn, fail_at: int | None) -> None:
        self._conn, self.fail_at, self.writes = conn, fail_at, 0

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith(WRITES):
            self.writes += 1
            if self.fail_at is not None and self.writes >= self.fail_at:
                import sqlcipher3

                raise sqlcipher3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def _count_writes(vault, operation) -> int:
    real = vault.conn
    vault.conn = counter = _FillingConnection(real, None)
    try:
        with vault.transaction():  # count without keeping the change
            operation()
            raise _Undo
    except _Undo:
        pass
    finally:
        vault.conn = real
    return counter.writes


class _Undo(Exception):
    pass


def _fill_at_every_write(store, operation) -> int:
    vault = store.vault
    total = _count_writes(vault, operation)  # its RELEASE there stands for the COMMIT
    assert total > 1
    before = store.snapshot()
    for fail_at in range(1, total + 1):
        real = vault.conn
        vault.conn = _FillingConnection(real, fail_at)
        try:
            with pytest.raises(DiskFull) as err:
                operation()
        finally:
            vault.conn = real
        assert isinstance(err.value, DeclaraError)
        assert "disk is full" in str(err.value).lower() and "nothing was saved" in str(err.value).lower()
        assert not vault.conn.in_transaction
        assert store.snapshot() == before, f"half-written at write {fail_at} of {total}"
    assert vault.check() == []
    return total


def _reopen_clean(vault_path, policy, passphrase):
    with open_vault(vault_path, unlock(vault_path, passphrase, policy)) as vault:
        assert vault.check() == []


def test_disk_full_during_set_field(store, vault_path, policy, passphrase):
    cid = store.create("client", {"given_names": "Inés", "family_names": "Ramos"}).id
    writes = _fill_at_every_write(store, lambda: store.set_field(cid, "family_names", "Ramos Vega"))
    assert writes >= 2
    assert store.set_field(cid, "family_names", "Ramos Vega").data["family_names"] == "Ramos Vega"
    store.vault.close()
    _reopen_clean(vault_path, policy, passphrase)


def test_disk_full_during_case_file_import(store, vault_path, policy, ana_path, passphrase):
    doc = read_case_file(ana_path)
    writes = _fill_at_every_write(store, lambda: import_case(store, doc))
    assert writes > 20
    cid = import_case(store, doc)  # once there is room again it works
    assert store.get(cid).kind == "client"
    store.vault.close()
    _reopen_clean(vault_path, policy, passphrase)


def test_disk_full_while_signing_a_declaration(store, vault_path, policy, ana_path, passphrase):
    cid = import_case(store, read_case_file(ana_path))
    service = DeclarationService(store)
    _fill_at_every_write(store, lambda: service.sign(cid))
    assert not service.current(cid).signed
    assert service.sign(cid).signed
    store.vault.close()
    _reopen_clean(vault_path, policy, passphrase)


def test_disk_full_writing_the_key_header(vault, vault_path, policy, monkeypatch, passphrase):
    """The key header is a file, not SQLite: there a full disk is OSError(ENOSPC)."""
    import errno

    from desktop.vault import fsutil
    from desktop.vault.database import change_passphrase

    vault.close()
    header = (vault_path / "keyheader.json").read_bytes()

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsutil, "write_atomic", full)
    with pytest.raises(DiskFull) as err:
        change_passphrase(vault_path, passphrase, "another long passphrase for the test 77", policy)
    assert "disk is full" in str(err.value).lower()
    assert (vault_path / "keyheader.json").read_bytes() == header
    _reopen_clean(vault_path, policy, passphrase)
