"""Devices: this vault's sync identity, the public cards devices exchange, and the peers it trusts.

(Named ``devices`` rather than ``identity`` so that ``desktop.sync.identity`` stays the function.)
Owns the ``sync_identity`` and ``sync_peers`` tables, the card format (``declara-card`` version 1)
and its file (:func:`card_bytes`, :func:`write_card`, :func:`read_card`), and fingerprints: the
SHA-256 of the canonical JSON of a card's public parts, grouped by four to be read aloud.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.i18n import N_
from desktop.jsonutil import canonical_bytes
from desktop.limits import InputRefused, check_text, load_json, read_bounded
from desktop.sync.errors import SyncError
from desktop.vault import fsutil
from desktop.vault.database import Vault, now_iso

CARD_FORMAT = "declara-card"
CARD_VERSION = 1
ROLES = ("laptop", "office")
#: Largest card file accepted.
MAX_CARD_BYTES = 64 * 1024
#: Deepest nesting of a card's JSON accepted (a card is one flat object).
CARD_DEPTH = 4
#: Longest device name (one line; no control characters or text-direction overrides).
NAME_MAX = 200

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PEER_COLUMNS = "device_id, name, role, age_recipient, signing_key, fingerprint, enrolled_at"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def group_fingerprint(hexdigest: str) -> str:
    """'3f2a9c1b…' -> '3F2A 9C1B …' (groups of four, easy to read aloud)."""
    text = hexdigest.upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def fingerprint(device_id: str, name: str, role: str, age_recipient: str, signing_key: bytes) -> str:
    """SHA-256 of the canonical JSON of a card's public parts, grouped for reading aloud."""
    parts = {
        "device_id": device_id,
        "name": name,
        "role": role,
        "age_recipient": age_recipient,
        "signing_key": b64(signing_key),
    }
    return group_fingerprint(hashlib.sha256(canonical_bytes(parts)).hexdigest())


def _normalise_fingerprint(text: str) -> str:
    return re.sub(r"[^0-9A-F]", "", text.upper())


# -- identity ------------------------------------------------------------------------------------
@dataclass
class Identity:
    """This vault's sync identity (private parts included: never written outside the vault)."""

    device_id: str
    name: str
    role: str
    signing_key: bytes = field(repr=False)  # secret: never in a repr (a log, a traceback)
    age_identity: str = field(repr=False)
    last_seq: int

    @property
    def signing_public(self) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        key = Ed25519PrivateKey.from_private_bytes(self.signing_key)
        return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def age_recipient(self) -> str:
        from pyrage import x25519

        return str(x25519.Identity.from_str(self.age_identity).to_public())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.device_id, self.name, self.role, self.age_recipient, self.signing_public)

    def card(self) -> dict[str, Any]:
        """The public card another device enrolls."""
        return {
            "format": CARD_FORMAT,
            "version": CARD_VERSION,
            "device_id": self.device_id,
            "name": self.name,
            "role": self.role,
            "age_recipient": self.age_recipient,
            "signing_key": b64(self.signing_public),
            "fingerprint": self.fingerprint,
        }

    def sign(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.signing_key).sign(message)


@dataclass
class Peer:
    """An enrolled device."""

    device_id: str
    name: str
    role: str
    age_recipient: str
    signing_key: bytes
    fingerprint: str
    enrolled_at: str


def _default_name(vault: Vault, role: str) -> str:
    return "Office" if role == "office" else f"Laptop {vault.device_id[:8]}"


def role(vault: Vault) -> str:
    """This vault's role ("office" or "laptop"), read only: never creates the identity."""
    row = vault.conn.execute("SELECT role FROM sync_identity WHERE id = 1").fetchone()
    found = row[0] if row else vault.meta("role")
    return found if found in ROLES else "laptop"


def identity(vault: Vault, *, name: str | None = None) -> Identity:
    """This vault's sync identity, created (keys generated) on first use."""
    row = vault.conn.execute(
        "SELECT name, role, signing_key, age_identity, last_seq FROM sync_identity WHERE id = 1"
    ).fetchone()
    if name is not None:
        name = check_text(name, field="name", max_len=NAME_MAX, allow_newlines=False)
    if row is None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
        from pyrage import x25519

        role = vault.meta("role") or "laptop"
        role = role if role in ROLES else "laptop"
        signing = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        age_identity = str(x25519.Identity.generate())
        with vault.transaction() as conn:
            conn.execute(
                "INSERT INTO sync_identity (id, name, role, signing_key, age_identity, last_seq, created_at)"
                " VALUES (1, ?, ?, ?, ?, 0, ?)",
                (name or _default_name(vault, role), role, signing, age_identity, now_iso()),
            )
        return identity(vault)
    ident = Identity(vault.device_id, row[0], row[1], bytes(row[2]), row[3], int(row[4]))
    if name and name != ident.name:
        with vault.transaction() as conn:
            conn.execute("UPDATE sync_identity SET name = ? WHERE id = 1", (name,))
        ident.name = name
    return ident


def make_office(vault: Vault, *, name: str | None = None) -> Identity:
    """Make this vault the office (before any device is enrolled); returns its identity."""
    if name is not None:
        name = check_text(name, field="name", max_len=NAME_MAX, allow_newlines=False)
    ident = identity(vault)
    if ident.role == "office":
        return identity(vault, name=name)
    if peers(vault):
        raise SyncError(N_("This vault already trusts other devices; it cannot become the office any more."))
    with vault.transaction() as conn:
        conn.execute("UPDATE meta SET value = 'office' WHERE key = 'role'")
        conn.execute(
            "UPDATE sync_identity SET role = 'office', name = ? WHERE id = 1",
            (name or ("Office" if ident.name == _default_name(vault, "laptop") else ident.name),),
        )
    return identity(vault)


def export_identity(vault: Vault) -> str:
    """The age identity file's text (``age -d -i FILE`` decrypts the files sent to this vault)."""
    ident = identity(vault)
    return (
        f"# Declara sync identity of {ident.name} ({ident.device_id})\n"
        f"# public key: {ident.age_recipient}\n"
        f"{ident.age_identity}\n"
    )


# -- cards -----------------------------------------------------------------------------------------
def card_bytes(card: dict[str, Any]) -> bytes:
    """The bytes of a card file (as :meth:`Identity.card` returns it): indented UTF-8 JSON for
    people to read, ending in a newline. The one form every card file is written in."""
    return (json.dumps(card, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_card(path: Path, card: dict[str, Any]) -> None:
    """Write a card file atomically (see :func:`card_bytes`)."""
    fsutil.write_atomic(Path(path), card_bytes(card))


def parse_card(raw: bytes) -> dict[str, Any]:
    """A card read from a file, checked for shape and for its own fingerprint."""
    bad = SyncError(N_("This is not a Declara device card, or it is damaged."))
    try:  # bounded: size, nesting, numbers, text (desktop.limits)
        card = load_json(raw, max_bytes=MAX_CARD_BYTES, where=N_("The card"), max_depth=CARD_DEPTH)
    except InputRefused:
        raise bad from None
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT or card.get("version") != CARD_VERSION:
        raise bad
    for key in ("device_id", "name", "role", "age_recipient", "signing_key", "fingerprint"):
        if not isinstance(card.get(key), str) or not card[key]:
            raise bad
    try:
        check_text(card["name"], field="name", max_len=NAME_MAX, allow_newlines=False)
    except InputRefused:
        raise bad from None
    if not is_uuid(card["device_id"]) or card["role"] not in ROLES:
        raise bad
    try:
        from pyrage import x25519

        x25519.Recipient.from_str(card["age_recipient"])
        signing = base64.b64decode(card["signing_key"], validate=True)
    except Exception:  # noqa: BLE001 - any parse failure means a damaged card
        raise bad from None
    if len(signing) != 32:
        raise bad
    expected = fingerprint(card["device_id"], card["name"], card["role"], card["age_recipient"], signing)
    if _normalise_fingerprint(card["fingerprint"]) != _normalise_fingerprint(expected):
        raise bad
    card["fingerprint"] = expected
    card["signing_key_bytes"] = signing
    return card


def read_card(path: Path) -> dict[str, Any]:
    """Read and check a card file."""
    path = Path(path)
    try:  # its size checked before it is read; never a pipe or a device
        raw = read_bounded(path, MAX_CARD_BYTES, N_("The card"))
    except InputRefused as exc:
        if exc.reason == "size":
            raise SyncError(N_("This is not a Declara device card, or it is damaged.")) from None
        raise SyncError(N_("The card {path} cannot be read."), path=str(path)) from None
    return parse_card(raw)


# -- peers -----------------------------------------------------------------------------------------
def _row_to_peer(row: Any) -> Peer:
    return Peer(row[0], row[1], row[2], row[3], bytes(row[4]), row[5], row[6])


def peers(vault: Vault) -> list[Peer]:
    """The enrolled devices, by name."""
    rows = vault.conn.execute(f"SELECT {_PEER_COLUMNS} FROM sync_peers ORDER BY name, device_id")
    return [_row_to_peer(r) for r in rows]


def get_peer(vault: Vault, device_id: str) -> Peer | None:
    row = vault.conn.execute(
        f"SELECT {_PEER_COLUMNS} FROM sync_peers WHERE device_id = ?", (device_id,)
    ).fetchone()
    return _row_to_peer(row) if row else None


def trust(vault: Vault, card: dict[str, Any], *, expected_fingerprint: str | None = None) -> Peer:
    """Enroll a device's card (already parsed by :func:`parse_card`); idempotent for the same card."""
    if expected_fingerprint is not None and _normalise_fingerprint(expected_fingerprint) != (
        _normalise_fingerprint(card["fingerprint"])
    ):
        raise SyncError(
            N_("The card's fingerprint is not the one you were given; the device was not trusted.")
        )
    own = identity(vault)
    if card["device_id"] == own.device_id:
        raise SyncError(N_("This is this vault's own card."))
    signing = card.get("signing_key_bytes") or base64.b64decode(card["signing_key"])
    existing = get_peer(vault, card["device_id"])
    if existing is not None:
        if existing.fingerprint == card["fingerprint"]:
            return existing
        raise SyncError(
            N_("A different card for the device {name} is already trusted; the new card was not accepted."),
            name=existing.name,
        )
    with vault.transaction() as conn:
        conn.execute(
            f"INSERT INTO sync_peers ({_PEER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                card["device_id"],
                card["name"],
                card["role"],
                card["age_recipient"],
                signing,
                card["fingerprint"],
                now_iso(),
            ),
        )
    peer = get_peer(vault, card["device_id"])
    assert peer is not None
    return peer


def find_peer(vault: Vault, token: str) -> Peer:
    """An enrolled device by device id or name (case-insensitive)."""
    token = token.strip()
    found = get_peer(vault, token)
    if found:
        return found
    matches = [p for p in peers(vault) if p.name.casefold() == token.casefold()]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise SyncError(N_("More than one trusted device is called {name}; use its device id."), name=token)
    raise SyncError(N_("No trusted device is called {name}."), name=token)
