"""The key header (issue 18, findings 5, 8, 9, 11): damage is told apart from a wrong passphrase,
the copy stands in for a damaged or missing header, KDF parameters have a ceiling, passphrases are
NFC-normalised, and bad input never ends in a traceback."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import unicodedata
from pathlib import Path

import pytest

from desktop.errors import KdfRefused, VaultCorrupt, VaultError, WrongPassphrase
from desktop.vault import headerfile
from desktop.vault import keyheader as kh
from desktop.vault.database import change_passphrase, create_vault, is_inside_vault, open_vault, unlock

MAIN, COPY = "keyheader.json", "keyheader.copy.json"


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "declara.lock"
    }


def load(vault_path: Path, name: str = MAIN) -> dict:
    return json.loads((vault_path / name).read_text())


def write(vault_path: Path, doc: dict, names=(MAIN, COPY), *, resum: bool = False) -> None:
    """Write an edited header: as damage (checksums as they were) or, with ``resum``, as a
    deliberate edit (checksums recomputed)."""
    data = (
        kh.KeyHeader(vault_id=doc["vault_id"], slots=doc["slots"]).to_json()
        if resum
        else json.dumps(doc).encode()
    )
    for name in names:
        (vault_path / name).write_bytes(data)


def flip_b64(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[0] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


@pytest.fixture
def closed(vault, vault_path):
    vault.close()
    return vault_path


# -- damage is not a wrong passphrase ------------------------------------------------------------
@pytest.mark.parametrize(
    "damage",
    ["nonce", "salt", "wrapped_key", "time_cost", "memory_kib", "vault_id", "json", "truncated"],
)
def test_damage_reads_as_damage_not_wrong_passphrase(closed, policy, passphrase, damage):
    """Before: a flipped nonce or KDF value said "The passphrase is wrong."."""
    doc = load(closed)
    slot = doc["slots"][0]
    if damage in ("nonce", "wrapped_key"):
        slot[damage] = flip_b64(slot[damage])
    elif damage == "salt":
        slot["kdf"]["salt"] = flip_b64(slot["kdf"]["salt"])
    elif damage in ("time_cost", "memory_kib"):
        slot["kdf"][damage] += 1
    elif damage == "vault_id":
        doc["vault_id"] = "00000000-0000-4000-8000-000000000000"
    if damage == "json":
        for name in (MAIN, COPY):
            (closed / name).write_bytes(b'{"format": "declara-keyheader", "slots": [')
    elif damage == "truncated":
        for name in (MAIN, COPY):
            data = (closed / name).read_bytes()
            (closed / name).write_bytes(data[: len(data) // 2])
    else:
        write(closed, doc)
    before = digest(closed)
    with pytest.raises(kh.KeyHeaderDamaged) as err:
        unlock(closed, passphrase, policy)
    message = str(err.value)
    assert "damaged" in message and "not a wrong passphrase" in message
    assert "passphrase is wrong" not in message
    assert isinstance(err.value, VaultCorrupt)
    assert digest(closed) == before  # nothing written


def test_wrong_passphrase_is_still_wrong_passphrase(closed, policy):
    with pytest.raises(WrongPassphrase):
        unlock(closed, "a wrong but plausible passphrase", policy)


@pytest.mark.parametrize(
    "raw",
    [
        b"x" * (kh.MAX_HEADER_BYTES + 1),
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": "declara-keyheader", "version": 1, "n": ' + b"9" * 5000 + b"}",
        b'{"format": "declara-keyheader", "version": 1, "cipher": "AES-256-GCM", "vault_id": "\\ud800"}',
        b"\xff\xfe\x00\x00",
    ],
    ids=["too-large", "deep", "huge-int", "surrogate", "not-utf8"],
)
def test_hostile_header_is_damage_not_a_crash(closed, policy, passphrase, raw):
    for name in (MAIN, COPY):
        (closed / name).write_bytes(raw)
    with pytest.raises(kh.KeyHeaderDamaged):
        unlock(closed, passphrase, policy)


# -- the copy ------------------------------------------------------------------------------------
def test_new_vault_writes_the_copy(closed):
    assert (closed / COPY).read_bytes() == (closed / MAIN).read_bytes()
    assert all("checksum" in slot for slot in load(closed)["slots"])


@pytest.mark.parametrize("how", ["missing", "damaged"])
def test_copy_stands_in_and_says_so(closed, policy, passphrase, how, run):
    if how == "missing":
        (closed / MAIN).unlink()
    else:
        doc = load(closed)
        doc["slots"][0]["nonce"] = flip_b64(doc["slots"][0]["nonce"])
        write(closed, doc, names=(MAIN,))
    before = digest(closed)
    key = unlock(closed, passphrase, policy)
    with open_vault(closed, key):
        pass
    assert headerfile.read_header(closed).source == "copy"
    assert headerfile.notice(closed) is not None
    code, out, err = run("case", "list", closed)
    assert code == 0 and COPY in err and "repair-header" in err
    code, out, err = run("vault", "check", closed)
    assert code == 0 and COPY in err
    after = digest(closed)
    assert after[COPY] == before[COPY] and after.get(MAIN) == before.get(MAIN)  # the headers untouched


def test_repair_header_keeps_the_damaged_file(closed, policy, passphrase, run):
    good = (closed / MAIN).read_bytes()
    (closed / MAIN).write_bytes(b"garbage")
    code, out, _err = run("vault", "repair-header", closed)
    assert code == 0 and "restored" in out
    assert (closed / MAIN).read_bytes() == good
    kept = list(closed.glob("keyheader.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"garbage"
    assert headerfile.status(closed).healthy
    # a damaged copy is renewed from the main file, the damaged copy kept too
    (closed / COPY).write_bytes(b"\x00" * 10)
    assert run("vault", "repair-header", closed)[0] == 0
    assert (closed / COPY).read_bytes() == good and len(list(closed.glob("keyheader.damaged-*"))) == 2
    assert "nothing was changed" in run("vault", "repair-header", closed)[1]


def test_both_damaged_is_damage(closed, policy, passphrase, run):
    for name in (MAIN, COPY):
        (closed / name).write_bytes(b"{}")
    with pytest.raises(kh.KeyHeaderDamaged) as err:
        unlock(closed, passphrase, policy)
    assert "both damaged" in str(err.value)
    code, _out, err_text = run("vault", "repair-header", closed)
    assert code == 1 and "Traceback" not in err_text


def test_a_header_is_never_written_over_a_damaged_one(closed, policy, passphrase):
    (closed / MAIN).write_bytes(b"not json")
    before = digest(closed)
    with pytest.raises(kh.KeyHeaderDamaged) as err:
        change_passphrase(closed, passphrase, "copper meadow whistle sideways 7", policy)
    assert "repair-header" in str(err.value)
    assert digest(closed) == before


def test_header_without_checksums_or_copy_still_opens(closed, policy, passphrase):
    """Vaults made before this change: no checksum in the slots, no copy."""
    doc = load(closed)
    for slot in doc["slots"]:
        del slot["checksum"]
    write(closed, doc, names=(MAIN,))
    (closed / COPY).unlink()
    key = unlock(closed, passphrase, policy)
    with open_vault(closed, key):
        pass
    change_passphrase(closed, passphrase, "copper meadow whistle sideways 7", policy)
    assert all("checksum" in slot for slot in load(closed)["slots"])  # added at the next write
    assert (closed / COPY).read_bytes() == (closed / MAIN).read_bytes()


def test_interrupted_header_write_temp_files_are_cleaned(closed, policy, passphrase):
    stale = closed / ".keyheader.json.deadbeef.tmp"
    fresh = closed / ".keyheader.copy.json.cafe0001.tmp"
    stale.write_bytes(b"{}")
    fresh.write_bytes(b"{}")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    unlock(closed, passphrase, policy)
    assert not stale.exists()
    assert fresh.exists()  # perhaps another process's write in progress: left alone


# -- KDF ceiling ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [("time_cost", 2**31), ("memory_kib", 8 * 1024 * 1024), ("parallelism", 2**24), ("memory_kib", 2**40)],
)
@pytest.mark.parametrize("resum", [True, False], ids=["checksum-recomputed", "old-header"])
def test_kdf_ceiling_refused_at_once(closed, policy, passphrase, field, value, resum):
    """Before: 2^31 passes hung unlock forever; 8 GiB took 55 s and 8.4 GB of memory."""
    doc = load(closed)
    doc["slots"][0]["kdf"][field] = value
    if not resum:
        del doc["slots"][0]["checksum"]
    write(closed, doc, resum=resum)
    start = time.perf_counter()
    with pytest.raises(KdfRefused) as err:
        unlock(closed, passphrase, policy)
    assert time.perf_counter() - start < 0.5
    assert "costlier" in str(err.value)


def test_ceiling_is_above_anything_declara_writes():
    most = kh.KdfParams(kh.MAX_TIME_COST, kh.PRODUCTION_FLOOR.memory_kib, kh.PRODUCTION_FLOOR.parallelism)
    assert most.at_most(kh.KDF_CEILING)
    assert kh.PRODUCTION_FLOOR.at_most(kh.KDF_CEILING)
    assert not kh.KdfParams(4, 8 * 1024 * 1024, 4).at_most(kh.KDF_CEILING)
    assert not kh.KdfParams(64, 4 * 1024 * 1024, 4).at_most(kh.KDF_CEILING)  # the total work too


# -- Unicode -------------------------------------------------------------------------------------
SPANISH = "mi contraseña de año nuevo 2026"


def test_nfd_passphrase_opens_an_nfc_vault(tmp_path, policy):
    """Before: "contraseña" typed with a combining tilde (NFD) was "wrong"."""
    nfc, nfd = (unicodedata.normalize(f, SPANISH) for f in ("NFC", "NFD"))
    assert nfc != nfd
    path = tmp_path / "v"
    create_vault(path, nfd, policy).close()  # typed in NFD, stored as NFC
    assert len(unlock(path, nfc, policy)) == 32
    assert len(unlock(path, nfd, policy)) == 32


def test_vault_made_before_normalisation_still_opens(tmp_path, policy):
    """An old slot wrapped the raw NFD bytes: the raw form is tried after NFC."""
    nfd = unicodedata.normalize("NFD", SPANISH)
    path = tmp_path / "v"
    create_vault(path, SPANISH, policy).close()
    header = headerfile.read_header(path)
    key = header.unwrap_with_passphrase(SPANISH, policy)
    # re-create the slot the old way: Argon2id over the passphrase's raw UTF-8 (NFD)
    slot = header._kdf_slot(kh.KIND_PASSPHRASE, key, nfd.encode("utf-8"), kh.tuned_params(policy))
    header.slots = [slot]
    headerfile.write_header(path, header)
    assert unlock(path, nfd, policy) == key


def test_passphrase_that_is_not_utf8_gets_a_message(vault_path, vault, cli, tmp_path):
    vault.close()
    bad = tmp_path / "pass.txt"
    bad.write_bytes(b"contrase\xf1a vieja 2026\n")  # Latin-1, not UTF-8
    code, _out, err = cli()("case", "list", vault_path, "--passphrase-file", bad)
    assert code == 1 and "UTF-8" in err and "Traceback" not in err
    code, _out, err = cli(env={"DECLARA_PASSPHRASE": "contrase\udcf1a vieja"})("case", "list", vault_path)
    assert code == 1 and "UTF-8" in err and "Traceback" not in err


def test_surrogate_passphrase_in_the_api_is_a_vault_error(closed, policy):
    with pytest.raises(VaultError):
        unlock(closed, "bad \udcff bytes", policy)


# -- exports never land in a vault ---------------------------------------------------------------
def test_is_inside_vault(closed, tmp_path):
    assert is_inside_vault(closed)
    assert is_inside_vault(closed / MAIN)
    assert is_inside_vault(closed / "backups" / "x" / "out.json")
    assert not is_inside_vault(tmp_path / "exports" / "out.json")
    assert not is_inside_vault(tmp_path)


def test_case_export_over_the_key_header_is_refused(vault_path, store, vault, run, ana_path):
    """Before: ``case export … --out VAULT/keyheader.json`` exited 0 and the vault was gone."""
    from desktop.case.casefile import import_case_file

    client = import_case_file(store, ana_path)
    vault.close()
    before = digest(vault_path)
    code, _out, err = run("case", "export", vault_path, client, "--out", vault_path / MAIN)
    assert code == 1 and "Traceback" not in err
    assert digest(vault_path) == before
