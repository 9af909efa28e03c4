"""Schema migrations: forward-only, each tested from the previous version with data in it."""

from __future__ import annotations

import json

import pytest

from desktop import migrations
from desktop.errors import VaultTooNew
from desktop.store import CaseStore
from desktop.vault import DB_NAME, Vault, create_vault, open_vault, unlock

from ..conftest import PASSPHRASE


def _raw_connection(vault_path, key):
    import sqlcipher3

    conn = sqlcipher3.connect(str(vault_path / DB_NAME), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def test_fresh_vault_is_at_the_latest_version(vault):
    assert migrations.current_version(vault.conn) == migrations.LATEST == len(migrations.MIGRATIONS)


def test_migration_2_indexes_clients_written_at_version_1(tmp_path, policy, monkeypatch):
    path = tmp_path / "old.declara"
    # Build a vault that stops at schema 1, as the first release wrote it.
    original = migrations.migrate

    def migrate_to_1(conn, **kw):
        kw["target"] = 1
        return original(conn, **kw)

    monkeypatch.setattr(migrations, "migrate", migrate_to_1)
    with create_vault(path, PASSPHRASE, policy) as old:
        assert migrations.current_version(old.conn) == 1
        for i, (given, family) in enumerate([("José", "Núñez"), ("Ana", "Pérez")]):
            old.conn.execute(
                "INSERT INTO records (id, kind, client_id, data, created_at, updated_at, origin) "
                "VALUES (?, 'client', ?, ?, 'x', 'x', 'dev')",
                (
                    f"c{i}",
                    f"c{i}",
                    json.dumps(
                        {"given_names": given, "family_names": family, "a_number": "201555014" if i else None}
                    ),
                ),
            )
        has_fts = old.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'client_search'"
        ).fetchone()[0]
        assert has_fts == 0
    monkeypatch.undo()

    with open_vault(path, unlock(path, PASSPHRASE, policy)) as new:
        assert migrations.current_version(new.conn) == 2
        store = CaseStore(new)
        assert store.search("jose") == ["c0"]
        assert store.search("perez") == ["c1"]
        assert store.search("555-014") == ["c1"]
        assert new.check() == []


def test_a_failing_migration_leaves_the_previous_version(tmp_path, policy, monkeypatch):
    path = tmp_path / "v.declara"
    create_vault(path, PASSPHRASE, policy).close()

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("simulated failure in the middle of a migration")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    key = unlock(path, PASSPHRASE, policy)
    with pytest.raises(RuntimeError):
        open_vault(path, key)
    monkeypatch.undo()
    conn = _raw_connection(path, key)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='half_done'").fetchone()[0] == 0
    conn.close()


def test_vault_from_a_newer_declara_is_refused_untouched(vault, vault_path, policy):
    vault.conn.execute(f"PRAGMA user_version = {len(migrations.MIGRATIONS) + 5}")
    vault.close()
    before = (vault_path / DB_NAME).read_bytes()
    with pytest.raises(VaultTooNew) as err:
        open_vault(vault_path, unlock(vault_path, PASSPHRASE, policy))
    assert "newer version" in str(err.value)
    assert (vault_path / DB_NAME).read_bytes() == before


def test_vault_class_is_the_only_opener():
    # Guard against a second code path that would skip the pragmas or migrations.
    assert Vault.__init__.__code__.co_varnames[:3] == ("self", "path", "data_key")
