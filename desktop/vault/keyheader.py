"""The key header: the vault's random data key, wrapped by keys derived from secrets.

Layout (``keyheader.json`` inside the vault folder)::

    {
      "format": "declara-keyheader", "version": 1,
      "vault_id": "<uuid>",
      "cipher": "AES-256-GCM",
      "slots": [
        {"kind": "passphrase",
         "kdf": {"alg": "argon2id", "version": 19, "time_cost": 4,
                 "memory_kib": 262144, "parallelism": 4, "salt": "<base64, 16 bytes>"},
         "nonce": "<base64, 12 bytes>", "wrapped_key": "<base64, 32 + 16 bytes>"}
      ]
    }

Each slot wraps the same 256-bit data key with AES-256-GCM. The associated data is the canonical
JSON of the header's identity (format, version, vault id, cipher) and of the slot without its nonce
and ciphertext, so changing any parameter (a downgrade of the KDF cost, another vault's id) makes
unwrapping fail. A wrong passphrase fails here, before the database is touched. Changing the
passphrase re-wraps the key; the database is not re-encrypted. More slot kinds (an office recovery
key) can be added without touching the others.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from desktop.jsonutil import canonical_bytes
from desktop.errors import KdfRefused, NotAVault, WrongPassphrase
from desktop.i18n import N_

FORMAT = "declara-keyheader"
VERSION = 1
CIPHER = "AES-256-GCM"
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int = 4

    def at_least(self, floor: KdfParams) -> bool:
        return (
            self.time_cost >= floor.time_cost
            and self.memory_kib >= floor.memory_kib
            and self.parallelism >= floor.parallelism
        )


#: The minimum the app accepts: Argon2id, 4 lanes, 3 passes, 256 MiB.
PRODUCTION_FLOOR = KdfParams(time_cost=3, memory_kib=256 * 1024, parallelism=4)
#: Target duration of one derivation when a vault is created (tuned on the machine).
TARGET_SECONDS = 0.5
MAX_TIME_COST = 12


@dataclass(frozen=True)
class KdfPolicy:
    """What cost a new vault gets and what cost an existing one must have.

    The application only ever uses :data:`PRODUCTION`. Tests pass :func:`unsafe_test_policy`
    explicitly; a vault written under it is refused by the application.
    """

    floor: KdfParams
    tune: bool = True


PRODUCTION = KdfPolicy(floor=PRODUCTION_FLOOR, tune=True)


def unsafe_test_policy() -> KdfPolicy:
    """Cheap key derivation for the test suite only. Never used by the application."""
    return KdfPolicy(floor=KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=4), tune=False)


def derive(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def tuned_params(policy: KdfPolicy) -> KdfParams:
    """The floor, with more passes if one derivation at the floor is faster than the target."""
    floor = policy.floor
    if not policy.tune:
        return floor
    start = time.perf_counter()
    derive(b"calibration", secrets.token_bytes(SALT_BYTES), floor)
    elapsed = max(time.perf_counter() - start, 1e-3)
    passes = round(floor.time_cost * TARGET_SECONDS / elapsed)
    passes = min(max(passes, floor.time_cost), MAX_TIME_COST)
    return KdfParams(time_cost=passes, memory_kib=floor.memory_kib, parallelism=floor.parallelism)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, size: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if size is not None and len(raw) != size:
        raise ValueError("wrong length")
    return raw


@dataclass
class KeyHeader:
    vault_id: str
    slots: list[dict[str, Any]]

    # -- (de)serialisation -------------------------------------------------------------------
    def to_json(self) -> bytes:
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "cipher": CIPHER,
            "slots": self.slots,
        }
        return json.dumps(doc, indent=2, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> KeyHeader:
        try:
            doc = json.loads(raw)
            if not isinstance(doc, dict) or doc.get("format") != FORMAT:
                raise ValueError("format")
            if doc.get("version") != VERSION or doc.get("cipher") != CIPHER:
                raise ValueError("version")
            vault_id = str(uuid.UUID(doc["vault_id"]))
            slots = doc["slots"]
            if not isinstance(slots, list) or not all(isinstance(s, dict) for s in slots):
                raise ValueError("slots")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise NotAVault(N_("The vault's key header is damaged or is not a Declara key header.")) from exc
        return cls(vault_id=vault_id, slots=slots)

    # -- wrapping ----------------------------------------------------------------------------
    def _aad(self, slot: dict[str, Any]) -> bytes:
        public = {k: v for k, v in slot.items() if k not in ("nonce", "wrapped_key")}
        identity = {"format": FORMAT, "version": VERSION, "vault_id": self.vault_id, "cipher": CIPHER}
        return canonical_bytes({"header": identity, "slot": public}, ascii_only=True)

    def add_passphrase_slot(self, data_key: bytes, passphrase: str, params: KdfParams) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        slot: dict[str, Any] = {
            "kind": "passphrase",
            "kdf": {
                "alg": "argon2id",
                "version": 19,
                "time_cost": params.time_cost,
                "memory_kib": params.memory_kib,
                "parallelism": params.parallelism,
                "salt": _b64(secrets.token_bytes(SALT_BYTES)),
            },
        }
        kek = derive(passphrase.encode("utf-8"), _unb64(slot["kdf"]["salt"]), params)
        nonce = secrets.token_bytes(NONCE_BYTES)
        slot["nonce"] = _b64(nonce)
        slot["wrapped_key"] = _b64(AESGCM(kek).encrypt(nonce, data_key, self._aad(slot)))
        self.slots = [s for s in self.slots if s.get("kind") != "passphrase"] + [slot]

    def passphrase_slot(self) -> dict[str, Any]:
        for slot in self.slots:
            if slot.get("kind") == "passphrase":
                return slot
        raise NotAVault(N_("The vault's key header has no passphrase slot."))

    def slot_params(self, slot: dict[str, Any]) -> KdfParams:
        try:
            kdf = slot["kdf"]
            if kdf["alg"] != "argon2id" or kdf["version"] != 19:
                raise ValueError("alg")
            params = KdfParams(
                time_cost=int(kdf["time_cost"]),
                memory_kib=int(kdf["memory_kib"]),
                parallelism=int(kdf["parallelism"]),
            )
            _unb64(kdf["salt"], SALT_BYTES)
        except (KeyError, TypeError, ValueError) as exc:
            raise NotAVault(N_("The vault's key header is damaged or is not a Declara key header.")) from exc
        return params

    def unwrap_with_passphrase(self, passphrase: str, policy: KdfPolicy = PRODUCTION) -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        slot = self.passphrase_slot()
        params = self.slot_params(slot)
        if not params.at_least(policy.floor):
            raise KdfRefused(
                N_(
                    "The vault's key header asks for a weaker key derivation than Declara allows "
                    "(it may have been tampered with). The vault was not opened."
                )
            )
        try:
            salt = _unb64(slot["kdf"]["salt"], SALT_BYTES)
            nonce = _unb64(slot["nonce"], NONCE_BYTES)
            wrapped = _unb64(slot["wrapped_key"], DATA_KEY_BYTES + 16)
        except (KeyError, ValueError) as exc:
            raise NotAVault(N_("The vault's key header is damaged or is not a Declara key header.")) from exc
        kek = derive(passphrase.encode("utf-8"), salt, params)
        try:
            return AESGCM(kek).decrypt(nonce, wrapped, self._aad(slot))
        except InvalidTag:
            raise WrongPassphrase(N_("The passphrase is wrong.")) from None


def new_header(data_key: bytes, passphrase: str, params: KdfParams) -> KeyHeader:
    header = KeyHeader(vault_id=str(uuid.uuid4()), slots=[])
    header.add_passphrase_slot(data_key, passphrase, params)
    return header


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)
