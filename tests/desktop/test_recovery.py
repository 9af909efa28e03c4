"""Recovery (issue 18, finding 12 and "Recovery key"): a forgotten passphrase is recovered with the
office identity and with a recovery code; the data key can be changed, crash-safely."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desktop.case.store import CaseStore
from desktop.errors import VaultCorrupt, WrongPassphrase
from desktop.vault import headerfile, recovery
from desktop.vault import keyheader as kh
from desktop.vault.database import DB_NAME, create_vault, open_vault, unlock

NEW = "copper meadow whistle sideways 7"
CLIENTS = ["Inés", "Rosa", "Tomás"]


@pytest.fixture
def filled(vault, store, vault_path):
    for name in CLIENTS:
        store.create("client", {"given_names": name, "family_names": "Quintanilla"})
    vault.close()
    return vault_path


def names(path: Path, key: bytes) -> list[str]:
    with open_vault(path, key) as vault:
        return sorted(c.data["given_names"] for c in CaseStore(vault).clients())


def code_from(out: str) -> str:
    return " ".join(re.findall(r"\d+\. ([a-z]+)", out))


# -- the office key ------------------------------------------------------------------------------
@pytest.fixture
def office(tmp_path, policy, passphrase):
    """A real office vault: its card (trusted by the laptop) and its identity file."""
    from desktop import sync

    office_path = tmp_path / "office.declara"
    with create_vault(office_path, passphrase, policy) as vault:
        sync.make_office(vault, name="Office")
        card = sync.identity(vault).card()
        identity = sync.export_identity(vault)
    card_file = tmp_path / "office.card"
    sync.write_card(card_file, card)
    identity_file = tmp_path / "office-identity.txt"
    identity_file.write_text(identity)
    return card_file, identity_file


def test_recover_with_the_office_identity(filled, office, run, cli, passphrase, policy, tmp_path):
    from desktop import sync

    card_file, identity_file = office
    # the laptop trusts the office (as after comparing fingerprints by phone), then adds its key
    with open_vault(filled, unlock(filled, passphrase, policy)) as vault:
        sync.trust(vault, sync.read_card(card_file))
    code, out, err = run("vault", "recovery-office", filled, "--card", card_file)
    assert code == 0, err
    assert json.loads(card_file.read_text())["age_recipient"] in out
    assert recovery.recovery_slots(filled)["office"] == ["Office"]
    # the passphrase is forgotten: the office identity sets a new one
    code, out, err = cli(answers=[NEW, NEW])("vault", "recover", filled, "--identity", identity_file)
    assert code == 0, err
    with pytest.raises(WrongPassphrase):
        unlock(filled, passphrase, policy)
    assert names(filled, unlock(filled, NEW, policy)) == sorted(CLIENTS)
    assert headerfile.status(filled).healthy


def test_office_card_must_be_trusted_and_an_office(filled, office, run, tmp_path):
    card_file, _identity = office
    code, _out, err = run("vault", "recovery-office", filled, "--card", card_file)
    assert code == 1 and "not among the devices this vault trusts" in err
    code, _out, err = run("vault", "recovery-office", filled)
    assert code == 1 and "0 office devices" in err
    code, _out, err = run("vault", "recovery-office", filled, "--recipient", "age1notakey")
    assert code == 1 and "age1" in err


def test_another_office_identity_does_not_open(filled, office, passphrase, policy, tmp_path):
    import pyrage

    _card, identity_file = office
    key = unlock(filled, passphrase, policy)
    recovery.add_office_recipient(filled, key, str(pyrage.x25519.Identity.generate().to_public()))
    before = (filled / "keyheader.json").read_bytes()
    with pytest.raises(WrongPassphrase, match="another office key"):
        recovery.recover(filled, identity=identity_file.read_bytes(), new_passphrase=NEW, policy=policy)
    assert (filled / "keyheader.json").read_bytes() == before


def test_office_slot_is_bound_to_its_vault(filled, passphrase, policy, tmp_path):
    """An office slot copied into another vault's header does not give that vault's key."""
    import pyrage

    ident = pyrage.x25519.Identity.generate()
    key = unlock(filled, passphrase, policy)
    recovery.add_office_recipient(filled, key, str(ident.to_public()))
    other = tmp_path / "other"
    create_vault(other, passphrase, policy).close()
    slot = next(
        s for s in json.loads((filled / "keyheader.json").read_text())["slots"] if s["kind"] == "office"
    )
    header = headerfile.read_header(other)
    header.slots.append(slot)
    headerfile.write_header(other, header)  # checksums recomputed: only the binding stops it
    with pytest.raises(WrongPassphrase):
        headerfile.read_header(other).unwrap_with_identity([ident])


# -- the recovery code ---------------------------------------------------------------------------
def test_recover_with_a_recovery_code(filled, run, cli, passphrase, policy, tmp_path, pdf):
    sheet = tmp_path / "sheet.pdf"
    code, out, err = run("vault", "recovery-code", filled, "--sheet", sheet)
    assert code == 0, err
    words = code_from(out)
    assert len(words.split()) == recovery.CODE_WORDS
    assert words not in (filled / "keyheader.json").read_text()
    text = pdf.layout_text(sheet)
    assert all(w in text for w in words.split())
    assert headerfile.read_header(filled).vault_id in text
    assert str(filled) not in text and filled.name not in text  # the folder name may name a client
    # typed with numbering, capitals and four-letter abbreviations
    typed = " ".join(f"{i + 1}) {w[:4].upper() if i % 2 else w}" for i, w in enumerate(words.split()))
    code, out, err = cli(answers=[typed, NEW, NEW])("vault", "recover", filled, "--code")
    assert code == 0, err
    assert "used up" in out
    assert names(filled, unlock(filled, NEW, policy)) == sorted(CLIENTS)
    # one time only
    code, _out, err = cli(answers=[words, "another new passphrase 99", "another new passphrase 99"])(
        "vault", "recover", filled, "--code"
    )
    assert code == 1 and "no recovery code" in err


def test_a_new_code_replaces_the_old(filled, passphrase, policy):
    key = unlock(filled, passphrase, policy)
    first = recovery.add_recovery_code(filled, key, policy)
    second = recovery.add_recovery_code(filled, key, policy)
    assert first != second
    with pytest.raises(WrongPassphrase, match="wrong, or it was replaced"):
        recovery.recover(filled, code=first, new_passphrase=NEW, policy=policy)
    recovery.recover(filled, code=second, new_passphrase=NEW, policy=policy)
    assert unlock(filled, NEW, policy) == key


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abandon ability", "10 words"), ("abandon " * 9 + "zzzz", "not one of"), ("", "10 words")],
)
def test_mistyped_code_is_named(typed, message):
    with pytest.raises(recovery.RecoveryCodeInvalid, match=message):
        recovery.canonical_code(typed)


def test_code_slot_has_the_kdf_floor_and_ceiling(filled, passphrase, policy):
    key = unlock(filled, passphrase, policy)
    code = recovery.add_recovery_code(filled, key, policy)
    doc = json.loads((filled / "keyheader.json").read_text())
    slot = next(s for s in doc["slots"] if s["kind"] == "recovery-code")
    assert slot["kdf"]["alg"] == "argon2id" and slot["kdf"]["memory_kib"] >= policy.floor.memory_kib
    for value, floor in ((2**31, False), (0, True)):
        slot["kdf"]["time_cost"] = value
        header = kh.KeyHeader(vault_id=doc["vault_id"], slots=doc["slots"])
        if floor:  # 0 passes is not even a valid value: damage
            with pytest.raises(kh.KeyHeaderDamaged):
                kh.KeyHeader.from_json(header.to_json())
        else:
            with pytest.raises(kh.KdfRefused):
                kh.KeyHeader.from_json(header.to_json()).unwrap_with_code(code, policy)
    with pytest.raises(kh.KdfRefused):  # the application's floor refuses the test profile's cost
        headerfile.read_header(filled).unwrap_with_code(code, kh.PRODUCTION)


def test_recover_needs_a_strong_new_passphrase(filled, passphrase, policy):
    from desktop.errors import WeakPassphrase

    key = unlock(filled, passphrase, policy)
    code = recovery.add_recovery_code(filled, key, policy)
    before = (filled / "keyheader.json").read_bytes()
    with pytest.raises(WeakPassphrase):
        recovery.recover(filled, code=code, new_passphrase="short", policy=policy)
    assert (filled / "keyheader.json").read_bytes() == before


def test_recover_when_the_main_header_is_damaged(filled, passphrase, policy):
    """The copy holds the recovery slot; the damaged main file is kept aside, then replaced."""
    key = unlock(filled, passphrase, policy)
    code = recovery.add_recovery_code(filled, key, policy)
    (filled / "keyheader.json").write_bytes(b"damaged")
    recovery.recover(filled, code=code, new_passphrase=NEW, policy=policy)
    assert headerfile.status(filled).healthy
    assert [p.read_bytes() for p in filled.glob("keyheader.damaged-*.json")] == [b"damaged"]
    assert names(filled, unlock(filled, NEW, policy)) == sorted(CLIENTS)


# -- changing the data key -----------------------------------------------------------------------
def test_rekey(filled, run, passphrase, policy, tmp_path):
    import pyrage

    old_header = (filled / "keyheader.json").read_bytes()
    old_key = unlock(filled, passphrase, policy)
    ident = pyrage.x25519.Identity.generate()
    recovery.add_office_recipient(filled, old_key, str(ident.to_public()), label="Office")
    recovery.add_recovery_code(filled, old_key, policy)
    code, out, err = run("vault", "rekey", filled)
    assert code == 0, err
    assert "recovery code no longer works" in out
    new_key = unlock(filled, passphrase, policy)
    assert new_key != old_key
    assert names(filled, new_key) == sorted(CLIENTS)
    with open_vault(filled, new_key) as vault:
        assert vault.check() == []
    # an old key header with the old passphrase no longer opens the database
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    (stolen / "keyheader.json").write_bytes(old_header)
    (stolen / DB_NAME).write_bytes((filled / DB_NAME).read_bytes())
    leaked_key = unlock(stolen, passphrase, policy)
    assert leaked_key == old_key
    with pytest.raises(VaultCorrupt):
        open_vault(stolen, leaked_key)
    # the office key was re-wrapped; the code is gone
    assert headerfile.read_header(filled).unwrap_with_identity([ident]) == new_key
    assert recovery.recovery_slots(filled) == {"code": False, "office": ["Office"]}
    assert not (filled / recovery.REKEY_DB).exists()
    assert headerfile.status(filled).healthy


def test_rekey_refuses_an_open_vault(vault, vault_path, passphrase, policy):
    from desktop.errors import VaultLocked

    with pytest.raises(VaultLocked):
        recovery.rekey(vault_path, passphrase, policy)


def test_rekey_interrupted_after_the_commit_point_is_finished(filled, passphrase, policy, monkeypatch):
    """A crash between the header write and the rename: the next unlock finishes the rename."""
    real = recovery.os.replace

    def crash(src, dst):
        if str(src).endswith(recovery.REKEY_DB):
            raise OSError(5, "simulated crash")
        return real(src, dst)

    monkeypatch.setattr(recovery.os, "replace", crash)
    with pytest.raises(OSError):
        recovery.rekey(filled, passphrase, policy)
    monkeypatch.undo()
    assert (filled / recovery.REKEY_DB).exists()
    key = unlock(filled, passphrase, policy)
    assert not (filled / recovery.REKEY_DB).exists()
    assert names(filled, key) == sorted(CLIENTS)


def test_rekey_interrupted_before_the_commit_point_changes_nothing(filled, passphrase, policy, monkeypatch):
    old_key = unlock(filled, passphrase, policy)
    before = (filled / "keyheader.json").read_bytes()

    def crash(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(recovery.fsutil, "write_atomic", crash)
    with pytest.raises(OSError):
        recovery.rekey(filled, passphrase, policy)
    monkeypatch.undo()
    assert (filled / "keyheader.json").read_bytes() == before
    assert not (filled / recovery.REKEY_DB).exists()
    assert names(filled, unlock(filled, passphrase, policy)) == sorted(CLIENTS)
    # a leftover of a killed change (a file the key does not open) is removed at the next unlock
    (filled / recovery.REKEY_DB).write_bytes(b"\x00" * 8192)
    assert unlock(filled, passphrase, policy) == old_key
    assert not (filled / recovery.REKEY_DB).exists()


def test_sheet_is_never_written_inside_a_vault(filled, run):
    before = (filled / "keyheader.json").read_bytes()
    code, _out, err = run("vault", "recovery-code", filled, "--sheet", filled / "backups" / "sheet.pdf")
    assert code == 1 and "Traceback" not in err
    assert not (filled / "backups" / "sheet.pdf").exists()
    assert (filled / "keyheader.json").read_bytes() == before  # refused before any code was made
