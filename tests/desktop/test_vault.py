"""The encrypted vault: creation, unlock, refusals, tampering, plaintext, passphrase change."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from pathlib import Path

import pytest

from desktop.vault import keyheader as kh
from desktop.case.casefile import import_case_file
from desktop.errors import (
    KdfRefused,
    NotAVault,
    VaultCorrupt,
    VaultMissingPart,
    WeakPassphrase,
    WrongPassphrase,
)
from desktop.case.store import CaseStore
from desktop.vault.database import (
    DB_NAME,
    HEADER_NAME,
    change_passphrase,
    create_vault,
    open_vault,
    unlock,
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_digest(folder: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != "declara.lock"}


def test_create_then_unlock_and_read(vault_path, policy, passphrase):
    with create_vault(vault_path, passphrase, policy) as vault:
        CaseStore(vault).create("client", {"given_names": "Inés", "family_names": "Quintanilla"})
    key = unlock(vault_path, passphrase, policy)
    assert len(key) == 32
    with open_vault(vault_path, key) as vault:
        names = [c.data["given_names"] for c in CaseStore(vault).clients()]
    assert names == ["Inés"]


def test_layout_and_private_permissions(vault, vault_path):
    names = {p.name for p in vault_path.iterdir()}
    assert {DB_NAME, HEADER_NAME, "declara.lock"} <= names
    assert stat.S_IMODE(vault_path.stat().st_mode) == 0o700
    for name in (DB_NAME, HEADER_NAME):
        assert stat.S_IMODE((vault_path / name).stat().st_mode) & 0o077 == 0, name
    header = json.loads((vault_path / HEADER_NAME).read_text())
    assert header["format"] == "declara-keyheader" and header["cipher"] == "AES-256-GCM"
    slot = header["slots"][0]
    assert slot["kdf"]["alg"] == "argon2id" and len(slot["kdf"]["salt"]) == 24  # 16 bytes base64
    assert not [p for p in vault_path.iterdir() if p.name.endswith(".tmp")]


def test_wrong_passphrase_fails_before_the_database_is_touched(vault, vault_path, policy):
    vault.close()
    before = folder_digest(vault_path)
    mtime = (vault_path / DB_NAME).stat().st_mtime_ns
    with pytest.raises(WrongPassphrase) as err:
        unlock(vault_path, "not the passphrase at all", policy)
    assert "passphrase is wrong" in str(err.value)
    assert folder_digest(vault_path) == before
    assert (vault_path / DB_NAME).stat().st_mtime_ns == mtime


def test_wrong_passphrase_message_in_spanish(vault, vault_path, policy):
    from desktop.i18n import using_language

    vault.close()
    with pytest.raises(WrongPassphrase) as err:
        unlock(vault_path, "otra frase distinta del todo", policy)
    with using_language("es"):
        assert "contraseña" in str(err.value).lower() or "frase" in str(err.value).lower()


@pytest.mark.parametrize("make", ["missing", "file", "empty-folder", "random-header"])
def test_not_a_vault(tmp_path, policy, make, passphrase):
    target = tmp_path / "thing"
    if make == "file":
        target.write_bytes(os.urandom(4096))
    elif make == "empty-folder":
        target.mkdir()
    elif make == "random-header":
        target.mkdir()
        (target / HEADER_NAME).write_bytes(os.urandom(300))
        (target / DB_NAME).write_bytes(os.urandom(4096))
    with pytest.raises(NotAVault):
        unlock(target, passphrase, policy)


def test_missing_key_header_is_named(vault, vault_path, policy, passphrase):
    vault.close()
    (vault_path / HEADER_NAME).unlink()
    (vault_path / "keyheader.copy.json").unlink()  # without its copy too (the copy stands in alone)
    with pytest.raises(VaultMissingPart) as err:
        unlock(vault_path, passphrase, policy)
    assert HEADER_NAME in str(err.value)


def test_missing_database_is_named(vault, vault_path, policy, passphrase):
    vault.close()
    (vault_path / DB_NAME).unlink()
    with pytest.raises(VaultMissingPart) as err:
        unlock(vault_path, passphrase, policy)
    assert DB_NAME in str(err.value)


def test_database_of_another_vault_is_refused(tmp_path, policy, passphrase):
    a, b = tmp_path / "a", tmp_path / "b"
    create_vault(a, passphrase, policy).close()
    create_vault(b, passphrase, policy).close()
    (a / DB_NAME).write_bytes((b / DB_NAME).read_bytes())
    key = unlock(a, passphrase, policy)  # a's header unwraps a's key ...
    with pytest.raises(VaultCorrupt):  # ... which cannot read b's database
        open_vault(a, key)


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["first-page", "last-page"])
def test_flipped_byte_is_detected_and_the_file_kept(
    vault, store, vault_path, policy, ana_path, where, passphrase
):
    import_case_file(store, ana_path)
    vault.close()
    db = vault_path / DB_NAME
    size = db.stat().st_size
    _flip(db, 100 if where == "first-page" else size - 200)
    damaged = sha(db)
    key = unlock(vault_path, passphrase, policy)
    try:
        opened = open_vault(vault_path, key)
    except VaultCorrupt as err:
        assert "damaged" in str(err)
    else:
        with opened:
            problems = opened.check()
        assert problems, "a flipped byte must be reported by the integrity checks"
    assert db.exists() and sha(db) == damaged, "a corrupt vault is never rewritten"


def test_vault_files_hold_no_plaintext(vault, store, vault_path, ana_path):
    import_case_file(store, ana_path)
    store.create("client", {"given_names": "Zacarías", "family_names": "Marcadorúnico"})
    vault.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    markers = ["Pérez Gómez", "Marcadorúnico", "pupusería", "Usulután", "Mateo", "201555014", "MS-13"]
    files = [p for p in vault_path.iterdir() if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files) or (vault_path / DB_NAME).stat().st_size > 0
    for path in files:
        blob = path.read_bytes()
        for marker in markers:
            for encoding in ("utf-8", "utf-16-le", "latin-1"):
                try:
                    needle = marker.encode(encoding)
                except UnicodeEncodeError:
                    continue
                assert needle not in blob, f"{marker!r} in plaintext in {path.name}"
    vault.close()  # after the checkpoint on close, everything is in the database file
    for path in vault_path.iterdir():
        if path.is_file():
            assert "Marcadorúnico".encode() not in path.read_bytes()


def test_kdf_below_the_floor_is_refused(vault, vault_path, passphrase):
    """A vault written with the test profile does not open under the application's policy."""
    vault.close()
    with pytest.raises(KdfRefused):
        unlock(vault_path, passphrase, kh.PRODUCTION)


def _tamper(vault_path: Path, header: dict) -> None:
    """Write an edited header as a deliberate attacker would: checksums recomputed, in both files
    (a plain edit is caught earlier as damage: tests/desktop/test_keyheader_damage.py)."""
    edited = kh.KeyHeader(vault_id=header["vault_id"], slots=header["slots"])
    for name in (HEADER_NAME, "keyheader.copy.json"):
        (vault_path / name).write_bytes(edited.to_json())


def test_downgraded_header_parameters_are_refused_or_fail(vault, vault_path, policy, passphrase):
    vault.close()
    header = json.loads((vault_path / HEADER_NAME).read_text())
    header["slots"][0]["kdf"]["memory_kib"] = 1024
    _tamper(vault_path, header)
    with pytest.raises(KdfRefused):
        unlock(vault_path, passphrase, policy)


def test_header_parameters_are_authenticated(vault, vault_path, policy, passphrase):
    """Raising the cost (or changing any parameter) breaks the AES-GCM tag: not silently accepted."""
    vault.close()
    header = json.loads((vault_path / HEADER_NAME).read_text())
    header["slots"][0]["kdf"]["time_cost"] += 1
    _tamper(vault_path, header)
    with pytest.raises(WrongPassphrase):
        unlock(vault_path, passphrase, policy)


def test_header_vault_id_is_authenticated(vault, vault_path, policy, passphrase):
    vault.close()
    header = json.loads((vault_path / HEADER_NAME).read_text())
    header["vault_id"] = "00000000-0000-4000-8000-000000000000"
    _tamper(vault_path, header)
    with pytest.raises(WrongPassphrase):
        unlock(vault_path, passphrase, policy)


def test_change_passphrase_rewraps_only_the_key(vault, store, vault_path, policy, passphrase):
    store.create("client", {"given_names": "Rosa"})
    vault.close()
    db_before = sha(vault_path / DB_NAME)
    new = "copper meadow whistle sideways 7"
    change_passphrase(vault_path, passphrase, new, policy)
    assert sha(vault_path / DB_NAME) == db_before
    with pytest.raises(WrongPassphrase):
        unlock(vault_path, passphrase, policy)
    with open_vault(vault_path, unlock(vault_path, new, policy)) as reopened:
        assert [c.data["given_names"] for c in CaseStore(reopened).clients()] == ["Rosa"]
    assert not [p for p in vault_path.iterdir() if p.name.endswith(".tmp")]


def test_change_passphrase_with_wrong_old_changes_nothing(vault, vault_path, policy):
    vault.close()
    before = folder_digest(vault_path)
    with pytest.raises(WrongPassphrase):
        change_passphrase(vault_path, "a wrong old passphrase", "copper meadow whistle sideways 7", policy)
    assert folder_digest(vault_path) == before


@pytest.mark.parametrize(
    "weak", ["short1!", "passwordpassword", "123456789012", "aaaaaaaaaaaaaaaa", "qwertyuiopasdf"]
)
def test_weak_passphrases_are_refused_with_a_reason(tmp_path, policy, weak):
    with pytest.raises(WeakPassphrase) as err:
        create_vault(tmp_path / "v", weak, policy)
    message = str(err.value)
    assert "not accepted" in message and len(message) > len("This passphrase is not accepted: ")
    assert not (tmp_path / "v").exists()


def test_passphrase_reason_is_translated():
    from desktop.i18n import using_language
    from desktop.vault.passphrase import assess

    strength = assess("short")
    assert not strength.acceptable
    assert "12" in strength.messages()[0]
    with using_language("es"):
        assert "caracteres" in strength.messages()[0]


def test_refuses_to_create_over_existing_files(tmp_path, policy, passphrase):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    from desktop.errors import VaultError

    with pytest.raises(VaultError):
        create_vault(target, passphrase, policy)
    assert (target / "notes.txt").read_text() == "keep me"


@pytest.mark.slow
def test_production_key_derivation_is_tuned_and_above_the_floor(tmp_path):
    """The real profile: Argon2id, 4 lanes, >= 3 passes, >= 256 MiB, about half a second."""
    params = kh.tuned_params(kh.PRODUCTION)
    assert params.at_least(kh.PRODUCTION_FLOOR)
    assert params.memory_kib >= 256 * 1024 and params.parallelism == 4 and params.time_cost >= 3
    start = time.perf_counter()
    kh.derive(b"x", b"0" * 16, params)
    elapsed = time.perf_counter() - start
    print(f"production derivation: t={params.time_cost} m={params.memory_kib} KiB -> {elapsed:.2f} s")
    assert elapsed > 0.2  # it must cost real time; the target is ~0.5 s on the reference machine


def test_record_ids_are_time_ordered_uuids():
    """Issue 19: new record ids are UUIDs of version 7 (time first, then 74 random bits), so the
    id index takes new records at its end instead of one random page each."""
    import time
    import uuid

    from desktop.vault.database import new_uuid

    first = [new_uuid() for _ in range(5000)]
    time.sleep(0.003)
    later = [new_uuid() for _ in range(5000)]
    ids = first + later
    assert len(set(ids)) == len(ids)
    for rid in ids[:50]:
        parsed = uuid.UUID(rid)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122 and str(parsed) == rid
    assert max(first) < min(later)  # a later millisecond sorts after
    ms = int(uuid.UUID(later[0]).hex[:12], 16)
    assert abs(ms - time.time() * 1000) < 60_000  # the first 48 bits are the time in milliseconds
