"""The vault: one folder holding an encrypted SQLCipher database and its key header.

    my-vault.declara/
        declara.db        SQLCipher 4 database (AES-256, HMAC-SHA512 per page), raw 256-bit key
        keyheader.json    the data key wrapped by the passphrase (see desktop.vault.keyheader)
        declara.lock      who has the vault open (see desktop.vault.lockfile)
        declara.db-wal    present only while the vault is open (checkpointed on close)

Opening is two steps so the slow part can run off the GUI thread: :func:`unlock` derives the
key-encryption key and unwraps the data key (about half a second, by design), :func:`open_vault`
opens the database with the data key (milliseconds).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.vault import fsutil
from desktop.vault import keyheader as kh
from desktop.errors import (
    DeclaraError,
    NotAVault,
    VaultCorrupt,
    VaultError,
    VaultMissingPart,
    VaultTooNew,
)
from desktop.i18n import N_, _
from desktop.vault import health
from desktop.vault.lockfile import VaultLock
from desktop.vault.passphrase import require_strong

DB_NAME = "declara.db"
HEADER_NAME = "keyheader.json"
LOCK_NAME = "declara.lock"


class DiskFull(DeclaraError):
    default_message = N_("The disk is full. Nothing was saved; free some space and try again.")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _db_module() -> Any:
    import sqlcipher3

    return sqlcipher3


def _is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "disk is full" in text or "database or disk is full" in text or getattr(exc, "errno", None) == 28


_PAGE = 4096  # SQLCipher 4's page size: a whole database file is a multiple of it


def _refuse_cut_short(path: Path) -> None:
    """An empty or cut-short database file is damage, never a new vault (only ``vault init``
    creates one): refuse it before SQLite would write a fresh database over it."""
    size = db_path(path).stat().st_size
    if size < _PAGE or size % _PAGE:
        raise VaultCorrupt(
            N_(
                "The vault's database is empty or cut short ({size} bytes): it is damaged. Nothing was "
                "changed; keep the folder as it is and use a backup copy of it."
            ),
            size=size,
        )


def _refuse_foreign_wal(path: Path, data_key: bytes) -> None:
    """A write-ahead log beside the database (left by a crash, or copied in from another vault) is
    checked before any connection opens: every page SQLite would replay from it must pass this
    vault's page authentication (:mod:`desktop.vault.walcheck`). SQLite would otherwise replay a
    foreign log into the database as it opens, overwriting pages. Nothing is written here."""
    from desktop.vault.walcheck import check_log

    wal = Path(str(db_path(path)) + "-wal")
    if not wal.is_file() or wal.stat().st_size == 0:
        return
    try:
        bad, dropped = check_log(db_path(path), wal, data_key)
    except OSError:
        bad, dropped = 1, False
    if dropped and not bad:  # its own log, but a damaged byte would make SQLite drop saved changes
        raise VaultCorrupt(health.BROKEN_LOG, name=wal.name)
    if bad:
        raise VaultCorrupt(
            N_(
                "Beside the vault's database there is a write-ahead log ({name}) that does not belong to "
                "it or is damaged. Nothing was changed. Move that file out of the folder (keep it), then "
                "open the vault again."
            ),
            name=wal.name,
        )


def header_path(path: Path) -> Path:
    return Path(path) / HEADER_NAME


def db_path(path: Path) -> Path:
    return Path(path) / DB_NAME


def is_inside_vault(path: Path) -> bool:
    """True when ``path`` is a vault folder or lies inside one (a folder holding ``keyheader.json``,
    its copy or ``declara.db``, at any level above): exports must never be written there."""
    target = Path(os.path.abspath(path))
    for folder in (target, *target.parents):
        try:
            if any((folder / name).exists() for name in (HEADER_NAME, "keyheader.copy.json", DB_NAME)):
                return True
        except OSError:
            continue
    return False


def _check_layout(path: Path) -> None:
    path = Path(path)
    if not path.exists():
        raise NotAVault(N_("There is no vault at {path}."), path=str(path))
    if not path.is_dir():
        raise NotAVault(N_("{path} is not a Declara vault (a vault is a folder)."), path=str(path))
    # the copy (keyheader.copy.json) stands in for a missing main header (desktop.vault.headerfile)
    has_header = header_path(path).is_file() or (path / "keyheader.copy.json").is_file()
    has_db = db_path(path).is_file()
    if not has_header and not has_db:
        raise NotAVault(N_("{path} is not a Declara vault."), path=str(path))
    if not has_header:
        raise VaultMissingPart(
            N_(
                "The vault's key header ({name}) is missing. Without it the database cannot be "
                "decrypted; copy the whole vault folder, not only the database."
            ),
            name=HEADER_NAME,
        )
    if not has_db:
        raise VaultMissingPart(
            N_("The vault's database ({name}) is missing; copy the whole vault folder."),
            name=DB_NAME,
        )


def read_header(path: Path) -> kh.KeyHeader:
    """The key header, from ``keyheader.json`` or, when that is damaged or missing, from its copy
    (``header.source == "copy"``; see :mod:`desktop.vault.headerfile`). Damage raises
    :class:`~desktop.vault.keyheader.KeyHeaderDamaged`, never WrongPassphrase."""
    from desktop.vault import headerfile

    _check_layout(path)
    return headerfile.read_header(Path(path))


def unlock(path: Path, passphrase: str, policy: kh.KdfPolicy = kh.PRODUCTION) -> bytes:
    """Return the vault's data key; raises WrongPassphrase before the database is touched.

    Afterwards an interrupted change of the data key is finished (or its leftovers removed) and
    the temporary files of an interrupted header write are cleaned (:mod:`desktop.vault.recovery`)."""
    from desktop.vault import recovery

    key = read_header(path).unwrap_with_passphrase(passphrase, policy)
    return recovery.after_unlock(Path(path), key)


def create_vault(
    path: Path, passphrase: str, policy: kh.KdfPolicy = kh.PRODUCTION, *, check_strength: bool = True
) -> Vault:
    """Create a new, empty vault folder and return it opened."""
    path = Path(path)
    if check_strength:
        require_strong(passphrase)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise VaultError(N_("{path} already exists and is not empty; choose a new name."), path=str(path))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
    data_key = kh.new_data_key()
    header = kh.new_header(data_key, passphrase, kh.tuned_params(policy))
    vault = Vault(path, data_key, create=True, vault_id=header.vault_id)
    try:
        from desktop.vault import headerfile

        headerfile.write_new(path, header)  # keyheader.json, then keyheader.copy.json
    except OSError as exc:
        vault.close()
        if _is_disk_full(exc):
            raise DiskFull() from exc
        raise
    return vault


def open_vault(path: Path, data_key: bytes) -> Vault:
    """Open an existing vault with its (already unwrapped) data key."""
    header = read_header(path)
    return Vault(Path(path), data_key, create=False, vault_id=header.vault_id)


def change_passphrase(
    path: Path, old: str, new: str, policy: kh.KdfPolicy = kh.PRODUCTION, *, check_strength: bool = True
) -> None:
    """Re-wrap the data key under a new passphrase; the database itself is not rewritten."""
    if check_strength:
        require_strong(new)
    from desktop.vault import headerfile

    header = read_header(path)
    data_key = header.unwrap_with_passphrase(old, policy)
    header.add_passphrase_slot(data_key, new, kh.tuned_params(policy))
    try:
        headerfile.write_header(Path(path), header)  # refuses over a damaged file
    except OSError as exc:
        if _is_disk_full(exc):
            raise DiskFull() from exc
        raise


class Vault:
    """An open vault: the SQLCipher connection, its lock and transactions."""

    def __init__(self, path: Path, data_key: bytes, *, create: bool, vault_id: str) -> None:
        self.path = Path(path)
        self.vault_id = vault_id
        self._depth = 0
        #: True once damage was seen (at open, or a later "malformed" error): never written again.
        self.damaged = False
        #: time.monotonic() when every page was last proven whole (at open; again by a bulk writer
        #: such as a sync import when that was long ago: :meth:`pages_checked_within`)
        self.pages_checked_at = time.monotonic()
        health.refuse_unwritable(self.path)  # permissions and read-only disks are not damage
        self._lock = VaultLock(self.path / LOCK_NAME)
        try:
            self._lock.acquire()
        except OSError as exc:
            raise health.translate_os_error(exc, self.path) or exc from exc
        try:
            self.conn = self._connect(data_key, create)
        except BaseException:
            self._lock.release()
            raise
        fsutil.clean_stale_temporaries(self.path)  # what a killed write left (finding 11), once healthy
        self.recovered_stale_lock = self._lock.recovered_stale

    # -- connection --------------------------------------------------------------------------
    def _connect(self, data_key: bytes, create: bool) -> Any:
        db = _db_module()
        if len(data_key) != kh.DATA_KEY_BYTES:
            raise VaultError(N_("The vault key has the wrong length."))
        if not create:
            _refuse_cut_short(self.path)
            # Before SQLite sees the folder: every page passes SQLCipher's HMAC check under this
            # key (bench/integrity.py, docs/security.md). A damaged vault is refused untouched.
            health.refuse_bad_pages(self.path, data_key)
            _refuse_foreign_wal(self.path, data_key)
        try:
            conn = db.connect(str(db_path(self.path)), isolation_level=None, check_same_thread=False)
        except db.DatabaseError as exc:
            raise health.read_only(self.path) if health.is_read_only(exc) else health.damaged(
                type(exc).__name__
            ) from exc
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
            # cipher_memory_security stays OFF (SQLCipher's default). It wipes SQLite's own
            # allocations, but the same client data lives unwiped in Python strings and Qt widgets,
            # so it protects little; and it made every statement 6-20x slower (bench: sync import,
            # search). The lock closes the connection; the files on disk are what is encrypted.
            try:
                # A wrong key or a damaged first page only shows on the first read.
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except db.DatabaseError as exc:
                if health.is_read_only(exc) and not health.is_damage(exc):
                    raise health.read_only(self.path) from exc
                raise VaultCorrupt(
                    N_(
                        "The vault's database cannot be decrypted: it is damaged or does not belong "
                        "to this key header. Nothing was changed; keep the folder and restore a backup."
                    )
                ) from exc
            for pragma in (
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = FULL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA secure_delete = ON",
                "PRAGMA temp_store = MEMORY",
                "PRAGMA trusted_schema = OFF",
                "PRAGMA busy_timeout = 2000",
            ):
                conn.execute(pragma)
            from desktop.vault import migrations

            try:
                migrations.migrate(conn, vault_id=self.vault_id, create=create, now=now_iso())
            except VaultTooNew:
                raise
            except db.DatabaseError as exc:
                if _is_disk_full(exc):
                    raise DiskFull() from exc
                if health.is_read_only(exc) and not health.is_damage(exc):
                    raise health.read_only(self.path) from exc
                raise health.damaged(type(exc).__name__) from exc
            stored = conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
            if stored and stored[0] != self.vault_id:
                raise VaultCorrupt(N_("The vault's database and key header belong to different vaults."))
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        """Fold the log into the database and release the lock. A damaged vault is closed without
        the checkpoint: Declara does not write to it again (SQLite's own close folds only this
        session's committed pages, none once damage was found at open)."""
        conn = getattr(self, "conn", None)
        if conn is not None:
            if not self.damaged and not isinstance(conn, _Refused):
                try:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except Exception as exc:  # noqa: BLE001 - closing must not fail on a damaged vault
                    if health.is_damage(exc):
                        self.damaged = True
            conn.close()
            self.conn = None
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if isinstance(exc, BaseException):
            self.note_failure(exc)
        self.close()

    def pages_checked_within(self, seconds: float) -> bool:
        """Whether every page was proven whole less than ``seconds`` ago (at open, or since)."""
        return time.monotonic() - self.pages_checked_at < seconds

    @property
    def is_open(self) -> bool:
        return self.conn is not None and not self.damaged

    def note_failure(self, exc: BaseException) -> BaseException:
        """What an error met while using the vault means, as the error to show. A database error
        that means damage marks the vault damaged (no checkpoint, no write again), rolls back
        what was open and closes the connection; later calls get VaultCorrupt."""
        db = _db_module()
        if isinstance(exc, VaultCorrupt):
            self._mark_damaged()
            return exc
        if not isinstance(exc, db.DatabaseError):
            return exc
        if health.is_damage(exc):
            self._mark_damaged()
        return self._translate(exc)

    def _mark_damaged(self) -> None:
        self.damaged = True
        conn = self.conn
        if conn is None or isinstance(conn, _Refused):
            return
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except Exception:  # noqa: BLE001,S110 - the connection is being given up
            pass
        if self._depth == 0:
            conn.close()
            self.conn = _Refused()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def device_id(self) -> str:
        value = self.meta("device_id")
        assert value is not None
        return value

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """All or nothing; nested calls become savepoints. Disk-full becomes DiskFull; damage
        becomes VaultCorrupt, after which every transaction is refused."""
        db = _db_module()
        conn = self.conn
        if self.damaged or isinstance(conn, _Refused):
            raise health.damaged(_("closed after damage was found"))
        if conn is None:
            raise VaultError(N_("The vault is locked."))
        name = f"sp{self._depth}"
        try:
            conn.execute("BEGIN IMMEDIATE" if self._depth == 0 else f"SAVEPOINT {name}")
        except db.DatabaseError as exc:
            translated = self.note_failure(exc)
            if translated is exc:
                raise
            raise translated from exc
        self._depth += 1
        try:
            yield conn
        except BaseException as exc:
            self._depth -= 1
            if not isinstance(self.conn, _Refused) and conn.in_transaction:
                if self._depth == 0:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
            translated = self.note_failure(exc)
            if translated is not exc:
                raise translated from exc
            raise
        else:
            self._depth -= 1
            try:
                conn.execute("COMMIT" if self._depth == 0 else f"RELEASE {name}")
            except db.DatabaseError as exc:
                if self._depth == 0 and conn.in_transaction:
                    conn.execute("ROLLBACK")
                translated = self.note_failure(exc)
                if translated is exc:
                    raise
                raise translated from exc

    def _translate(self, exc: BaseException) -> BaseException:
        db = _db_module()
        if isinstance(exc, db.IntegrityError | db.ProgrammingError | db.InterfaceError):
            return exc  # a bug in Declara, not a property of the vault: keep it visible
        if _is_disk_full(exc):
            return DiskFull()
        if health.is_damage(exc):
            return health.damaged(type(exc).__name__)
        if health.is_read_only(exc):
            return health.read_only(self.path)
        return VaultError(N_("The vault could not be written ({detail})."), detail=type(exc).__name__)

    # -- checks ------------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Run SQLCipher's page HMAC check and SQLite's integrity check; return the problems.
        Any problem marks the vault damaged (it is closed without being written)."""
        problems: list[str] = []
        db = _db_module()
        if isinstance(self.conn, _Refused):
            return [_("closed after damage was found")]
        try:
            problems += [str(row[0]) for row in self.conn.execute("PRAGMA cipher_integrity_check")]
            rows = [str(row[0]) for row in self.conn.execute("PRAGMA integrity_check")]
            problems += [r for r in rows if r != "ok"]
            rows = [str(row) for row in self.conn.execute("PRAGMA foreign_key_check")]
            problems += rows
        except db.DatabaseError as exc:
            problems.append(f"{type(exc).__name__}: {exc}")
        if problems:
            self.damaged = True
        return problems


class _Refused:
    """Stands for the connection of a vault closed after damage: every use says so."""

    in_transaction = False

    def __getattr__(self, name: str) -> Any:
        raise health.damaged(_("closed after damage was found"))

    def close(self) -> None:
        pass

def new_uuid() -> str:
    """A new record's id: a UUID of version 7 (RFC 9562): the time in milliseconds in its first 48
    bits, then 74 random bits (``os.urandom``). Ids made one after another sort together, so the
    id index of ``records`` takes new records at its end: a day's 145 new records (random ids)
    touched 169 pages of it, each written to the log and again to the database. The time it shows
    is the record's ``created_at``, stored beside it anyway; ids never leave the vault except in
    sync files, which carry ``created_at`` too."""
    ms = time.time_ns() // 1_000_000 & (1 << 48) - 1
    rand = int.from_bytes(os.urandom(10), "big")  # 80 bits, 74 used
    value = ms << 80 | 0x7 << 76 | (rand >> 62 & 0xFFF) << 64 | 0b10 << 62 | rand & (1 << 62) - 1
    return str(uuid.UUID(int=value))


def short_id(record_id: str) -> str:
    """A record's id shortened where a file names it locally (``ev-1a2b3c4d``): its last 8 hex
    digits, random in every id Declara makes (the first ones of a version 7 id are the time,
    shared by the records made in the same minute)."""
    return record_id.replace("-", "")[-8:]
