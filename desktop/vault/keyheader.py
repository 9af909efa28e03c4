"""The key header: the vault's random data key, wrapped by keys derived from secrets.

Layout (``keyheader.json`` inside the vault folder, and the same bytes in ``keyheader.copy.json``)::

    {
      "format": "declara-keyheader", "version": 1,
      "vault_id": "<uuid>",
      "cipher": "AES-256-GCM",
      "slots": [
        {"kind": "passphrase",
         "kdf": {"alg": "argon2id", "version": 19, "time_cost": 4,
                 "memory_kib": 262144, "parallelism": 4, "salt": "<base64, 16 bytes>"},
         "nonce": "<base64, 12 bytes>", "wrapped_key": "<base64, 32 + 16 bytes>",
         "checksum": "sha256:<hex>"},
        {"kind": "recovery-code", ... the same fields as a passphrase slot ...},
        {"kind": "office", "recipient": "age1...", "wrapped_key": "<base64 age file>",
         "checksum": "sha256:<hex>"}
      ]
    }

Every slot wraps the same 256-bit data key. Passphrase and recovery-code slots use AES-256-GCM
under an Argon2id key; the associated data is the canonical JSON of the header's identity (format,
version, vault id, cipher) and of the slot without its nonce, ciphertext and checksum, so changing
any parameter (a downgrade of the KDF cost, another vault's id) makes unwrapping fail. An office
slot is an age file (X25519) to the office's recipient whose plaintext is the SHA-256 of that same
associated data followed by the key (age has no associated data of its own).

Damage is told apart from a wrong passphrase: every slot carries a SHA-256 ``checksum`` of the
header's identity and of all its other fields (not a secret, not a MAC: it detects flipped bits,
the AES-GCM tag detects tampering). A header that is not JSON, has a bad field or a bad checksum is
*damaged* (:class:`KeyHeaderDamaged`), never "the passphrase is wrong". Headers written before the
checksum existed still open; the checksum is added at their next write.

Key-derivation parameters are bounded on both sides: below :data:`PRODUCTION_FLOOR` (a downgrade)
or above :data:`KDF_CEILING` (a header that would hang the app or exhaust its memory) is refused
before any derivation with :class:`~desktop.errors.KdfRefused`.

Passphrases are Unicode-normalised (NFC) before derivation, so "contraseña" typed with a combining
tilde opens a vault made with the precomposed "ñ"; unwrapping also tries the raw form, which is what
vaults written before normalisation used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from desktop.errors import KdfRefused, NotAVault, VaultCorrupt, VaultError, WrongPassphrase
from desktop.i18n import N_
from desktop.jsonutil import canonical_bytes

FORMAT = "declara-keyheader"
VERSION = 1
CIPHER = "AES-256-GCM"
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
#: Largest key header accepted (a real one is under 2 KiB).
MAX_HEADER_BYTES = 64 * 1024
#: Most slots a header may hold (a passphrase, a recovery code, a few office keys).
MAX_SLOTS = 16
#: Largest office slot (an age file holding 64 bytes is about 250 bytes).
MAX_AGE_WRAPPED = 4096

KIND_PASSPHRASE = "passphrase"  # noqa: S105 - a slot kind, not a secret
KIND_CODE = "recovery-code"
KIND_OFFICE = "office"
_KDF_KINDS = (KIND_PASSPHRASE, KIND_CODE)
_CHECKSUM_PREFIX = "sha256:"


class KeyHeaderDamaged(VaultCorrupt, NotAVault):
    """The key header cannot be read (not JSON, a bad field, a bad checksum): damage, not a wrong
    passphrase. Also a NotAVault, as before this class existed."""


def _damaged(detail: str) -> KeyHeaderDamaged:
    return KeyHeaderDamaged(
        N_(
            "The vault's key header is damaged ({detail}). This is not a wrong passphrase. Nothing "
            "was changed; keep the folder as it is."
        ),
        detail=detail,
    )


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

    def at_most(self, ceiling: KdfParams) -> bool:
        return (
            self.time_cost <= ceiling.time_cost
            and self.memory_kib <= ceiling.memory_kib
            and self.parallelism <= ceiling.parallelism
            and self.time_cost * self.memory_kib <= KDF_MAX_WORK
        )


#: The minimum the app accepts: Argon2id, 4 lanes, 3 passes, 256 MiB.
PRODUCTION_FLOOR = KdfParams(time_cost=3, memory_kib=256 * 1024, parallelism=4)
#: Target duration of one derivation when a vault is created (tuned on the machine).
TARGET_SECONDS = 0.5
#: Most passes :func:`tuned_params` ever writes.
MAX_TIME_COST = 12
#: The most any header may ask for. Declara itself writes at most 12 passes of 256 MiB on 4 lanes
#: (:func:`tuned_params`); the ceiling leaves a wide margin (5x the passes, 16x the memory, 4x the
#: lanes) for a vault made by a future version on a faster machine, and refuses what would hang the
#: app (2^31 passes) or exhaust its memory (8 GiB, 2^24 lanes) before any work is done.
KDF_CEILING = KdfParams(time_cost=64, memory_kib=4 * 1024 * 1024, parallelism=16)
#: And at most this much work (passes x KiB): 64 passes of 256 MiB, or 4 passes of 4 GiB, about
#: 20 times what Declara writes (some ten seconds on a 2020 laptop).
KDF_MAX_WORK = 64 * 256 * 1024


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


def normalize_passphrase(passphrase: str) -> str:
    """The form a passphrase is derived from: Unicode NFC (one code point for "ñ", whichever way
    the keyboard produced it)."""
    return unicodedata.normalize("NFC", passphrase)


def secret_bytes(text: str) -> bytes:
    """UTF-8 of a passphrase or code; text that is not valid Unicode (a passphrase file or an
    environment variable with bytes that are not UTF-8) is refused with a message, not a crash."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise VaultError(
            N_(
                "The passphrase contains bytes that are not valid text (UTF-8). Type it again, or save "
                "the passphrase file as UTF-8."
            )
        ) from None


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


def check_params(params: KdfParams, policy: KdfPolicy) -> None:
    """Refuse parameters below the policy's floor or above :data:`KDF_CEILING`, before deriving."""
    if not params.at_least(policy.floor):
        raise KdfRefused(
            N_(
                "The vault's key header asks for a weaker key derivation than Declara allows "
                "(it may have been tampered with). The vault was not opened."
            )
        )
    if not params.at_most(KDF_CEILING):
        raise KdfRefused(
            N_(
                "The vault's key header asks for a key derivation far costlier than Declara ever "
                "writes ({passes} passes, {mib} MiB, {lanes} lanes; at most {max_passes} passes, "
                "{max_mib} MiB and {max_lanes} lanes are allowed). It may have been tampered with. "
                "The vault was not opened."
            ),
            passes=params.time_cost,
            mib=params.memory_kib // 1024,
            lanes=params.parallelism,
            max_passes=KDF_CEILING.time_cost,
            max_mib=KDF_CEILING.memory_kib // 1024,
            max_lanes=KDF_CEILING.parallelism,
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, size: int | None = None, *, max_size: int | None = None) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64 text")
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if size is not None and len(raw) != size:
        raise ValueError("wrong length")
    if max_size is not None and len(raw) > max_size:
        raise ValueError("too long")
    return raw


def _parse_json(raw: bytes) -> Any:
    """The header's JSON, bounded (:func:`desktop.limits.load_json`): size, UTF-8, depth, integer
    size, text without NUL, bidi controls or lone surrogates. Anything refused is damage."""
    from desktop.limits import InputRefused, load_json

    try:
        return load_json(raw, max_bytes=MAX_HEADER_BYTES, where=N_("The vault's key header"))
    except InputRefused as exc:
        raise _damaged(f"{exc.field or '$'}: {exc.reason}") from exc


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_slot(index: int, slot: Any) -> None:
    """Raise KeyHeaderDamaged when a slot's fields are malformed (their values are checked later)."""
    where = f"slots[{index}]"
    if not isinstance(slot, dict) or not isinstance(slot.get("kind"), str):
        raise _damaged(where)
    kind = slot["kind"]
    try:
        if kind in _KDF_KINDS:
            kdf = slot["kdf"]
            if not isinstance(kdf, dict) or kdf.get("alg") != "argon2id" or kdf.get("version") != 19:
                raise ValueError("kdf")
            for name in ("time_cost", "memory_kib", "parallelism"):
                if not _is_int(kdf.get(name)) or kdf[name] < 1:
                    raise ValueError(name)
            _unb64(kdf.get("salt"), SALT_BYTES)
            _unb64(slot.get("nonce"), NONCE_BYTES)
            _unb64(slot.get("wrapped_key"), DATA_KEY_BYTES + 16)
        elif kind == KIND_OFFICE:
            recipient = slot.get("recipient")
            if not isinstance(recipient, str) or not recipient.startswith("age1") or len(recipient) > 200:
                raise ValueError("recipient")
            _unb64(slot.get("wrapped_key"), max_size=MAX_AGE_WRAPPED)
    except (KeyError, TypeError, ValueError) as exc:
        raise _damaged(where) from exc


@dataclass
class KeyHeader:
    vault_id: str
    slots: list[dict[str, Any]]
    #: Set by :func:`desktop.vault.headerfile.read_header`: "main" or "copy".
    source: str = "main"

    # -- (de)serialisation -------------------------------------------------------------------
    def to_json(self) -> bytes:
        slots = []
        for slot in self.slots:
            slot = {k: v for k, v in slot.items() if k != "checksum"}
            slot["checksum"] = self._checksum(slot)
            slots.append(slot)
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "cipher": CIPHER,
            "slots": slots,
        }
        return json.dumps(doc, indent=2, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> KeyHeader:
        """Parse and check a header. Anything malformed raises :class:`KeyHeaderDamaged`."""
        doc = _parse_json(raw)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise _damaged("format")
        if doc.get("version") != VERSION or doc.get("cipher") != CIPHER:
            raise _damaged("version")
        try:
            vault_id = str(uuid.UUID(doc["vault_id"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _damaged("vault_id") from exc
        slots = doc.get("slots")
        if not isinstance(slots, list) or not slots or len(slots) > MAX_SLOTS:
            raise _damaged("slots")
        header = cls(vault_id=vault_id, slots=slots)
        for index, slot in enumerate(slots):
            _check_slot(index, slot)
            if "checksum" in slot:  # headers written before the checksum existed have none
                stored = slot["checksum"]
                public = {k: v for k, v in slot.items() if k != "checksum"}
                if not isinstance(stored, str) or not secrets.compare_digest(
                    stored.encode("ascii", "replace"), header._checksum(public).encode("ascii")
                ):
                    raise _damaged(f"slots[{index}].checksum")
        return header

    def _identity(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "vault_id": self.vault_id, "cipher": CIPHER}

    def _checksum(self, slot: dict[str, Any]) -> str:
        body = canonical_bytes({"header": self._identity(), "slot": slot}, ascii_only=True)
        return _CHECKSUM_PREFIX + hashlib.sha256(body).hexdigest()

    # -- wrapping ----------------------------------------------------------------------------
    def _aad(self, slot: dict[str, Any]) -> bytes:
        public = {k: v for k, v in slot.items() if k not in ("nonce", "wrapped_key", "checksum")}
        return canonical_bytes({"header": self._identity(), "slot": public}, ascii_only=True)

    def _kdf_slot(self, kind: str, data_key: bytes, secret: bytes, params: KdfParams) -> dict[str, Any]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        slot: dict[str, Any] = {
            "kind": kind,
            "kdf": {
                "alg": "argon2id",
                "version": 19,
                "time_cost": params.time_cost,
                "memory_kib": params.memory_kib,
                "parallelism": params.parallelism,
                "salt": _b64(secrets.token_bytes(SALT_BYTES)),
            },
        }
        kek = derive(secret, _unb64(slot["kdf"]["salt"]), params)
        nonce = secrets.token_bytes(NONCE_BYTES)
        slot["nonce"] = _b64(nonce)
        slot["wrapped_key"] = _b64(AESGCM(kek).encrypt(nonce, data_key, self._aad(slot)))
        slot["checksum"] = self._checksum({k: v for k, v in slot.items() if k != "checksum"})
        return slot

    def add_passphrase_slot(self, data_key: bytes, passphrase: str, params: KdfParams) -> None:
        """Wrap the key under ``passphrase`` (NFC), replacing the passphrase slot."""
        secret = secret_bytes(normalize_passphrase(passphrase))
        slot = self._kdf_slot(KIND_PASSPHRASE, data_key, secret, params)
        self.slots = [s for s in self.slots if s.get("kind") != KIND_PASSPHRASE] + [slot]

    def add_code_slot(self, data_key: bytes, code: str, params: KdfParams) -> None:
        """Wrap the key under a recovery code (its canonical form), replacing any earlier code."""
        slot = self._kdf_slot(KIND_CODE, data_key, code.encode("ascii"), params)
        self.slots = [s for s in self.slots if s.get("kind") != KIND_CODE] + [slot]

    def add_office_slot(self, data_key: bytes, recipient: str, *, label: str = "") -> None:
        """Wrap the key to an age X25519 recipient (replacing a slot for the same recipient)."""
        import pyrage

        parsed = pyrage.x25519.Recipient.from_str(recipient)
        slot: dict[str, Any] = {"kind": KIND_OFFICE, "recipient": str(parsed), "label": label}
        digest = hashlib.sha256(self._aad(slot)).digest()
        slot["wrapped_key"] = _b64(pyrage.encrypt(digest + data_key, [parsed]))
        slot["checksum"] = self._checksum({k: v for k, v in slot.items() if k != "checksum"})
        self.slots = [
            s
            for s in self.slots
            if not (s.get("kind") == KIND_OFFICE and s.get("recipient") == slot["recipient"])
        ] + [slot]

    def slots_of(self, kind: str) -> list[dict[str, Any]]:
        return [s for s in self.slots if s.get("kind") == kind]

    def passphrase_slot(self) -> dict[str, Any]:
        for slot in self.slots:
            if slot.get("kind") == KIND_PASSPHRASE:
                return slot
        raise _damaged("no passphrase slot")

    def slot_params(self, slot: dict[str, Any]) -> KdfParams:
        try:
            kdf = slot["kdf"]
            return KdfParams(
                time_cost=int(kdf["time_cost"]),
                memory_kib=int(kdf["memory_kib"]),
                parallelism=int(kdf["parallelism"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _damaged("kdf") from exc

    def _try_kdf_slot(self, slot: dict[str, Any], secrets_: list[bytes], policy: KdfPolicy) -> bytes | None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        params = self.slot_params(slot)
        check_params(params, policy)
        salt = _unb64(slot["kdf"]["salt"], SALT_BYTES)
        nonce = _unb64(slot["nonce"], NONCE_BYTES)
        wrapped = _unb64(slot["wrapped_key"], DATA_KEY_BYTES + 16)
        aad = self._aad(slot)
        for secret in secrets_:
            kek = derive(secret, salt, params)
            try:
                return AESGCM(kek).decrypt(nonce, wrapped, aad)
            except InvalidTag:
                continue
        return None

    def unwrap_with_passphrase(self, passphrase: str, policy: KdfPolicy = PRODUCTION) -> bytes:
        """The data key; NFC first, then the passphrase as typed (vaults made before NFC)."""
        slot = self.passphrase_slot()
        nfc = secret_bytes(normalize_passphrase(passphrase))
        raw = secret_bytes(passphrase)
        key = self._try_kdf_slot(slot, [nfc] if raw == nfc else [nfc, raw], policy)
        if key is None:
            raise WrongPassphrase(N_("The passphrase is wrong."))
        return key

    def unwrap_with_code(self, code: str, policy: KdfPolicy = PRODUCTION) -> bytes:
        """The data key from the recovery code (already in canonical form)."""
        slots = self.slots_of(KIND_CODE)
        if not slots:
            raise WrongPassphrase(N_("This vault has no recovery code. Nothing was changed."))
        for slot in slots:
            key = self._try_kdf_slot(slot, [code.encode("ascii")], policy)
            if key is not None:
                return key
        raise WrongPassphrase(
            N_("The recovery code is wrong, or it was replaced by a newer one. Nothing was changed.")
        )

    def unwrap_with_identity(self, identities: list[Any]) -> bytes:
        """The data key from an office slot, with age X25519 identities (pyrage objects)."""
        import pyrage

        slots = self.slots_of(KIND_OFFICE)
        if not slots:
            raise WrongPassphrase(N_("This vault has no office recovery key. Nothing was changed."))
        for slot in slots:
            try:
                plain = pyrage.decrypt(_unb64(slot["wrapped_key"]), identities)
            except Exception:  # noqa: BLE001,S112 - pyrage raises its own errors for "not for you"
                continue
            digest = hashlib.sha256(self._aad(slot)).digest()
            if len(plain) == 32 + DATA_KEY_BYTES and secrets.compare_digest(plain[:32], digest):
                return plain[32:]
        raise WrongPassphrase(
            N_("This office key does not open this vault (it was set up with another office key).")
        )


def new_header(data_key: bytes, passphrase: str, params: KdfParams, vault_id: str | None = None) -> KeyHeader:
    header = KeyHeader(vault_id=vault_id or str(uuid.uuid4()), slots=[])
    header.add_passphrase_slot(data_key, passphrase, params)
    return header


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)
