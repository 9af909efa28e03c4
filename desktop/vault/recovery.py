"""Recovery: open a vault whose passphrase is forgotten, and change the data key.

Two more kinds of key-header slot wrap the same data key as the passphrase
(:mod:`desktop.vault.keyheader`):

- **the office key**: an age X25519 recipient, the office vault's sync identity (from its trusted
  device card). Whoever holds the office's identity file (``declara sync export-identity`` on the
  office vault) can set a new passphrase;
- **a recovery code**: 10 words from the BIP-0039 English list (2,048 words, 11 bits each, 110 bits),
  shown once and printed on a recovery sheet (:mod:`desktop.vault.recovery_sheet`), derived through
  Argon2id with the same floor, ceiling and authenticated parameters as the passphrase. A code is
  used once: recovering with it removes it, and a new code replaces the old one.

:func:`recover` sets a new passphrase without the old one. :func:`rekey` changes the data key
itself (for when an old key header may have leaked with its passphrase): the database is
re-encrypted into a new file with ``sqlcipher_export``, verified, and swapped in. Crash-safe order:

1. the vault is opened (its lock is held throughout) and checked; a damaged vault is refused;
2. the new database is written beside the old one (``declara.db.rekeyed``), flushed and verified
   (page and integrity checks, the same row count in every table, the same schema version);
3. the old connection is closed (its log folded in), the lock still held;
4. **commit point**: the new key header (new key; the passphrase and office slots re-wrapped, the
   recovery code dropped) is written atomically to ``keyheader.json``, then to its copy;
5. ``declara.db.rekeyed`` is renamed over ``declara.db`` (atomic) and the folder synced.

A crash before 4 leaves the old header and database, which open as before; the leftover new file
is removed at the next unlock, because the key from the header does not open it. A crash between
4 and 5 leaves the new header and the new file beside the old database: the next unlock sees that
its key opens ``declara.db.rekeyed`` and finishes the rename (:func:`after_unlock`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from desktop.errors import DeclaraError, ValidationError, VaultCorrupt, VaultError
from desktop.i18n import N_
from desktop.paths import resource_path
from desktop.vault import fsutil, headerfile
from desktop.vault import keyheader as kh

CODE_WORDS = 10
REKEY_DB = "declara.db.rekeyed"
#: Largest age identity file accepted.
MAX_IDENTITY_BYTES = 64 * 1024


class RecoveryCodeInvalid(ValidationError):
    """A typed recovery code that cannot be one (a word not on the list, the wrong count)."""


# -- the recovery code ----------------------------------------------------------------------------
@cache
def wordlist() -> tuple[str, ...]:
    """The BIP-0039 English list (resources/wordlists/bip39-english.txt)."""
    words = tuple(resource_path("wordlists", "bip39-english.txt").read_text("ascii").split())
    assert len(words) == 2048 and len(set(words)) == 2048
    return words


@cache
def _by_prefix() -> dict[str, str]:
    return {w[:4]: w for w in wordlist()}


def new_code() -> str:
    """A fresh recovery code: 10 random words (110 bits), separated by spaces."""
    words = wordlist()
    return " ".join(secrets.choice(words) for _ in range(CODE_WORDS))


def canonical_code(text: str) -> str:
    """The code as typed -> its canonical form (lower case, single spaces). Numbering ("1.") and
    punctuation are ignored; a word may be typed as its first four letters (unique in the list)."""
    import re

    tokens = [t for t in re.split(r"[^A-Za-z]+", text or "") if t]
    known = set(wordlist())
    prefixes = _by_prefix()
    words = []
    for token in tokens:
        token = token.lower()
        word = token if token in known else prefixes.get(token[:4]) if len(token) >= 4 else None
        if word is None or not word.startswith(token):
            raise RecoveryCodeInvalid(
                N_("“{word}” is not one of the recovery code's words; check its spelling on the sheet."),
                field="code",
                word=token[:40],
            )
        words.append(word)
    if len(words) != CODE_WORDS:
        raise RecoveryCodeInvalid(
            N_("A recovery code has {expected} words; {count} were typed."),
            field="code",
            expected=CODE_WORDS,
            count=len(words),
        )
    return " ".join(words)


# -- checks ---------------------------------------------------------------------------------------
def key_opens(db_file: Path, key: bytes) -> bool:
    """Does ``key`` open this SQLCipher database? Checked on page 1's HMAC (SQLCipher 4 defaults,
    raw key: see :mod:`desktop.vault.walcheck`), without SQLite and without writing anything."""
    try:
        with open(db_file, "rb") as fh:
            page = fh.read(4096)
    except OSError:
        return False
    if len(page) < 4096:
        return False
    hmac_key = hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in page[:16]), 2, 32)
    body, stored = page[16 : 4096 - 64], page[4096 - 64 :]
    expected = hmac.new(hmac_key, body + (1).to_bytes(4, "little"), hashlib.sha512).digest()
    return hmac.compare_digest(expected, stored)


def _require_key(path: Path, data_key: bytes) -> None:
    from desktop.vault.database import db_path

    if not key_opens(db_path(path), data_key):
        raise VaultError(N_("This key does not open the vault's database; nothing was changed."))


def _require_sound_header(path: Path) -> kh.KeyHeader:
    from desktop.vault.database import read_header

    header = read_header(path)
    st = headerfile.status(path)
    if "damaged" in (st.main, st.copy) or header.source != "main":
        raise kh.KeyHeaderDamaged(
            N_(
                "The vault's key header ({name}) is damaged or missing, so it was not written over. "
                "Nothing was changed. Run “declara vault repair-header” first (it keeps the damaged file)."
            ),
            name=headerfile.HEADER_NAME if st.main != "ok" else headerfile.COPY_NAME,
        )
    return header


# -- adding recovery slots ------------------------------------------------------------------------
def add_recovery_code(vault_path: Path, data_key: bytes, policy: kh.KdfPolicy) -> str:
    """Wrap the data key under a new recovery code (replacing any earlier one); returns the words,
    to be shown once and printed. The code is never stored."""
    path = Path(vault_path)
    header = _require_sound_header(path)
    _require_key(path, data_key)
    code = new_code()
    header.add_code_slot(data_key, code, kh.tuned_params(policy))
    headerfile.write_header(path, header)
    return code


def parse_recipient(text: str) -> str:
    """An age X25519 recipient ("age1…"), checked."""
    import pyrage

    try:
        return str(pyrage.x25519.Recipient.from_str((text or "").strip()))
    except Exception:  # noqa: BLE001 - pyrage raises its own error types
        raise ValidationError(
            N_("This is not an office key (an age recipient starting with “age1”)."), field="recipient"
        ) from None


def add_office_recipient(vault_path: Path, data_key: bytes, recipient: str, *, label: str = "") -> None:
    """Wrap the data key to the office's age X25519 recipient (another slot; the passphrase and
    any recovery code stay)."""
    path = Path(vault_path)
    recipient = parse_recipient(recipient)
    header = _require_sound_header(path)
    _require_key(path, data_key)
    header.add_office_slot(data_key, recipient, label=label[:100])
    headerfile.write_header(path, header)


def recovery_slots(vault_path: Path) -> dict[str, Any]:
    """What the vault's header offers besides the passphrase: {"code": bool, "office": [labels]}."""
    from desktop.vault.database import read_header

    header = read_header(Path(vault_path))
    return {
        "code": bool(header.slots_of(kh.KIND_CODE)),
        "office": [s.get("label") or s["recipient"][:16] + "…" for s in header.slots_of(kh.KIND_OFFICE)],
    }


def trusted_office(vault: Any, card: dict[str, Any] | None = None) -> tuple[str, str]:
    """(recipient, name) of the office this open vault trusts, or of ``card`` when that card is
    one of its trusted office devices (same device, same fingerprint)."""
    from desktop.sync import devices

    offices = [p for p in devices.peers(vault) if p.role == "office"]
    if card is not None:
        if card.get("role") != "office":
            raise ValidationError(N_("This card is not an office's card."), field="card")
        for peer in offices:
            if peer.device_id == card["device_id"] and peer.fingerprint == card["fingerprint"]:
                return peer.age_recipient, peer.name
        raise ValidationError(
            N_(
                "This office card is not among the devices this vault trusts. Trust it first "
                "(declara sync trust, comparing the fingerprint by phone), then try again."
            ),
            field="card",
        )
    if len(offices) != 1:
        raise ValidationError(
            N_("This vault trusts {count} office devices; name the office with --card or --recipient."),
            field="card",
            count=len(offices),
        )
    return offices[0].age_recipient, offices[0].name


# -- recovering -----------------------------------------------------------------------------------
def parse_identities(raw: bytes) -> list[Any]:
    """The age X25519 identities in an identity file (lines starting ``AGE-SECRET-KEY-``)."""
    import pyrage

    bad = ValidationError(
        N_("This file holds no office key (an age identity, a line starting with AGE-SECRET-KEY-)."),
        field="identity",
    )
    if len(raw) > MAX_IDENTITY_BYTES:
        raise bad
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise bad from None
    found = []
    for line in lines:
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                found.append(pyrage.x25519.Identity.from_str(line))
            except Exception:  # noqa: BLE001,S112 - a damaged line: try the others
                continue
    if not found:
        raise bad
    return found


def recover(
    vault_path: Path,
    *,
    code: str | None = None,
    identity: bytes | None = None,
    new_passphrase: str,
    policy: kh.KdfPolicy,
    check_strength: bool = True,
) -> None:
    """Set a new passphrase with the office identity (the file's bytes) or a recovery code, without
    the old passphrase. A code is used up. A damaged key header file is moved aside (kept) and
    replaced, since the user asked to recover the vault."""
    from desktop.vault.database import read_header
    from desktop.vault.passphrase import require_strong

    path = Path(vault_path)
    if (code is None) == (identity is None):
        raise ValueError("give a code or an identity")
    if check_strength:
        require_strong(kh.normalize_passphrase(new_passphrase))
    header = read_header(path)
    if code is not None:
        key = header.unwrap_with_code(canonical_code(code), policy)
        header.slots = [s for s in header.slots if s.get("kind") != kh.KIND_CODE]
    else:
        key = header.unwrap_with_identity(parse_identities(identity or b""))
    after_unlock(path, key)
    header.add_passphrase_slot(key, new_passphrase, kh.tuned_params(policy))
    headerfile.write_header(path, header, keep_damaged=True)


# -- changing the data key ------------------------------------------------------------------------
@dataclass(frozen=True)
class RekeyResult:
    tables: int
    rows: int
    code_removed: bool  # the vault had a recovery code: it must be made again
    office_keys: int  # office slots re-wrapped to the new key


def _counts(conn: Any, schema: str = "main") -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master "  # noqa: S608 - schema is ours
            "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {n: int(conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0]) for n in names}  # noqa: S608


def _verify_new(file: Path, key: bytes, counts: dict[str, int], version: int) -> None:
    import sqlcipher3

    conn = sqlcipher3.connect(f"file:{file}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        problems = [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]
        problems += [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        same = _counts(conn) == counts and conn.execute("PRAGMA user_version").fetchone()[0] == version
    finally:
        conn.close()
    if problems or not same:
        raise VaultError(
            N_(
                "The re-encrypted copy did not verify; the vault was not changed (its data key is the "
                "old one)."
            )
        )


def rekey(vault_path: Path, passphrase: str, policy: kh.KdfPolicy) -> RekeyResult:
    """Change the data key: re-encrypt the database under a new random key and re-wrap the slots
    (the passphrase and office keys; a recovery code cannot be re-wrapped and is dropped). The
    vault must be closed (its lock is taken). See the module's docstring for the crash-safe order."""
    from desktop.vault.database import Vault, db_path

    path = Path(vault_path)
    header = _require_sound_header(path)
    old_key = header.unwrap_with_passphrase(passphrase, policy)
    after_unlock(path, old_key)
    new_file = path / REKEY_DB
    vault = Vault(path, old_key, create=False, vault_id=header.vault_id)
    committed = False
    try:
        conn = vault.conn
        if vault.check():
            raise VaultCorrupt(
                N_(
                    "The vault is damaged, so its data key was not changed. Nothing was changed; "
                    "restore a backup."
                )
            )
        counts = _counts(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for leftover in (new_file, Path(f"{new_file}-journal")):
            leftover.unlink(missing_ok=True)
        new_key = kh.new_data_key()
        conn.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(new_file), f"x'{new_key.hex()}'"))
        try:
            conn.execute("SELECT sqlcipher_export('rekeyed')")
            conn.execute(f"PRAGMA rekeyed.user_version = {version:d}")
        finally:
            conn.execute("DETACH DATABASE rekeyed")
        fsutil.fsync_file(new_file)
        _verify_new(new_file, new_key, counts, version)
        new_header = kh.KeyHeader(vault_id=header.vault_id, slots=[])
        new_header.add_passphrase_slot(new_key, passphrase, kh.tuned_params(policy))
        offices = header.slots_of(kh.KIND_OFFICE)
        for slot in offices:
            new_header.add_office_slot(new_key, slot["recipient"], label=str(slot.get("label") or ""))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()  # the old database is whole in its file; the lock stays held
        vault.conn = None
        data = new_header.to_json()
        fsutil.write_atomic(headerfile.main_path(path), data)  # the commit point
        committed = True
        fsutil.write_atomic(headerfile.copy_path(path), data)
    finally:
        if committed:
            os.replace(new_file, db_path(path))
            fsutil.fsync_dir(path)
        else:
            new_file.unlink(missing_ok=True)
        vault.close()
    return RekeyResult(
        tables=len(counts),
        rows=sum(counts.values()),
        code_removed=bool(header.slots_of(kh.KIND_CODE)),
        office_keys=len(offices),
    )


def after_unlock(path: Path, key: bytes) -> bytes:
    """Called with the key just unwrapped: finish a data-key change a crash interrupted (or remove
    its leftover), then remove the temporary files of interrupted header writes. Returns ``key``."""
    from desktop.vault.database import LOCK_NAME, db_path
    from desktop.vault.lockfile import VaultLock

    pending = Path(path) / REKEY_DB
    if pending.is_file() and not pending.is_symlink():
        lock = VaultLock(Path(path) / LOCK_NAME)
        try:
            lock.acquire()
        except DeclaraError:
            return key  # open elsewhere: whoever holds it finishes first
        try:
            if key_opens(pending, key):  # the header already holds the new key: finish the swap
                os.replace(pending, db_path(path))
                fsutil.fsync_dir(Path(path))
                st = headerfile.status(Path(path))
                if st.main == "ok" and st.copy != "damaged" and not st.same:
                    fsutil.write_atomic(headerfile.copy_path(path), headerfile.main_path(path).read_bytes())
            elif key_opens(db_path(path), key):  # a change that never reached its commit point
                pending.unlink()
        finally:
            lock.release()
    headerfile.clean_stale_temp(Path(path))
    return key
