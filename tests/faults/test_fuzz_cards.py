"""Fuzzing device cards (issue 18): 2,000 hostile variants of a real card, half of them with their
fingerprint made right again (so that the checks after it are reached), are read and, when
accepted, enrolled. Each is accepted or refused with a DeclaraError; a refused card enrolls nothing."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop import sync
from desktop.errors import DeclaraError
from desktop.sync import devices
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault
from tests.faults.hostile import FUZZ, assert_clear, dumps, hostile_json, mutated_doc


@pytest.fixture(scope="module")
def vaults(tmp_path_factory, passphrase):
    root = tmp_path_factory.mktemp("fuzzcards")
    office = create_vault(root / "office", passphrase, kh.unsafe_test_policy())
    laptop = create_vault(root / "laptop", passphrase, kh.unsafe_test_policy())
    sync.make_office(office, name="Office")
    card = sync.identity(laptop, name="Laptop of the office").card()
    laptop.close()
    yield office, card
    office.close()


def _refingerprinted(card: object) -> object:
    """The card with the fingerprint of its (mutated) parts, when they can have one."""
    if not isinstance(card, dict):
        return card
    try:
        signing = base64.b64decode(card["signing_key"], validate=True)
        card = dict(card)
        card["fingerprint"] = devices.fingerprint(
            card["device_id"], card["name"], card["role"], card["age_recipient"], signing
        )
    except Exception:  # noqa: BLE001 - parts too broken to have a fingerprint: left as they are
        pass
    return card


@st.composite
def hostile_cards(draw, card: dict) -> bytes:
    if draw(st.booleans()):
        doc = _refingerprinted(draw(mutated_doc(card, steps=2)))
        try:
            return dumps(doc, ascii_only=draw(st.booleans()))
        except (TypeError, ValueError):
            return b"{}"
    return draw(hostile_json(card))


def test_the_real_card_is_accepted(vaults):
    _office, card = vaults
    assert sync.parse_card(json.dumps(card).encode())["device_id"] == card["device_id"]


@FUZZ
@given(data=st.data())
def test_hostile_cards_are_accepted_or_refused_cleanly(vaults, data):
    office, card = vaults
    raw = data.draw(hostile_cards(card))
    before = office.conn.execute("SELECT count(*) FROM sync_peers").fetchone()[0]
    try:
        parsed = sync.parse_card(raw)
        peer = sync.trust(office, parsed)
    except DeclaraError as exc:
        assert_clear(exc)
        assert office.conn.execute("SELECT count(*) FROM sync_peers").fetchone()[0] == before
    else:
        assert peer.device_id == parsed["device_id"]
        assert peer.fingerprint == parsed["fingerprint"]
