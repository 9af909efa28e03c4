"""Fuzzing key headers (issue 18): 2,000 hostile variants of a real key header (a passphrase slot
and an office slot) are parsed and unwrapped with the passphrase and with the office identity. Half
of the mutated headers get their slots' checksums made right again, so that the checks after the
checksum (the KDF floor and ceiling, the slot's fields, AES-GCM, age) are reached too. Each is
opened or refused with a DeclaraError. (Key derivation runs with the cheap test profile; a mutation
that would make it costly keeps its wrong checksum and is refused as damage before any derivation.)
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyrage import x25519

from desktop.errors import DeclaraError
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault, unlock
from tests.faults.hostile import FUZZ, assert_clear, dumps, hostile_json, hostile_value, mutated_doc

#: KDF values around the floor and the ceiling, and far past them.
KDF_INTS = [
    0,
    -1,
    1,
    2,
    3,
    4,
    5,
    16,
    17,
    64,
    65,
    8192,
    8193,
    4 * 1024 * 1024 + 1,
    2**24,
    2**31,
    2**40,
    2**53 + 1,
]
#: Most derivation work (passes x KiB) a fuzzed header may ask for with a right checksum.
CHEAP_WORK = 4 * 16 * 1024


@pytest.fixture(scope="module")
def header(tmp_path_factory, passphrase):
    policy = kh.unsafe_test_policy()
    path = tmp_path_factory.mktemp("fuzzkh") / "v"
    create_vault(path, passphrase, policy).close()
    key = unlock(path, passphrase, policy)
    office = x25519.Identity.generate()
    hdr = kh.KeyHeader.from_json((path / "keyheader.json").read_bytes())
    hdr.add_office_slot(key, str(office.to_public()))
    return json.loads(hdr.to_json()), key, office


def _cheap(slot: object) -> bool:
    kdf = slot.get("kdf") if isinstance(slot, dict) else None
    if not isinstance(kdf, dict):
        return True
    try:
        return int(kdf.get("time_cost", 0)) * int(kdf.get("memory_kib", 0)) <= CHEAP_WORK
    except (TypeError, ValueError, OverflowError):
        return True


def _with_checksums(doc: object) -> object:
    """``doc`` with each slot's checksum computed again (when the header has a vault id and the
    derivation it asks for is cheap)."""
    try:
        hdr = kh.KeyHeader(vault_id=str(doc["vault_id"]), slots=[])
        for slot in doc["slots"]:
            if isinstance(slot, dict) and _cheap(slot):
                slot["checksum"] = hdr._checksum({k: v for k, v in slot.items() if k != "checksum"})
    except Exception:  # noqa: BLE001 - too broken to have checksums: left as it is
        pass
    return doc


@st.composite
def hostile_headers(draw, doc: dict) -> bytes:
    values = hostile_value | st.sampled_from(KDF_INTS)
    if draw(st.booleans()):
        mutated = _with_checksums(draw(mutated_doc(doc, values=values, steps=2)))
        try:
            return dumps(mutated, ascii_only=draw(st.booleans()))
        except (TypeError, ValueError):
            return b"{}"
    return draw(hostile_json(doc, values=values))


def test_the_real_header_opens(header, passphrase):
    doc, key, office = header
    hdr = kh.KeyHeader.from_json(json.dumps(doc).encode())
    assert hdr.unwrap_with_passphrase(passphrase, kh.unsafe_test_policy()) == key
    assert hdr.unwrap_with_identity([office]) == key


@FUZZ
@given(data=st.data())
def test_hostile_key_headers_are_opened_or_refused_cleanly(header, passphrase, data):
    doc, key, office = header
    raw = data.draw(hostile_headers(doc))
    try:
        hdr = kh.KeyHeader.from_json(raw)
    except DeclaraError as exc:
        assert_clear(exc)
        return
    for unwrap in (
        lambda: hdr.unwrap_with_passphrase(passphrase, kh.unsafe_test_policy()),
        lambda: hdr.unwrap_with_identity([office]),
    ):
        try:
            assert unwrap() == key  # a header that opens gives the vault's own key
        except DeclaraError as exc:
            assert_clear(exc)
