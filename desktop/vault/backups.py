"""Backups: complete, encrypted, verified copies of a vault folder, rotated.

A backup is a folder that is itself an openable vault::

    VAULT/backups/2026-12-07T081500Z-manual/
        declara.db        the database at one instant, encrypted with the SAME data key
        keyheader.json    a copy of the vault's key header (the passphrase of that moment opens it)
        backup.json       what the backup was made from (format, vault id, file sizes and times)

The folder name holds only the time (UTC) and the reason (``manual``, ``import``, ``close``,
``daily``), never a client's or a device's name.

How one is made (:func:`make_backup`):

1. the source is checked first (``PRAGMA cipher_integrity_check``: every page's HMAC;
   ``PRAGMA quick_check``: SQLite's structure). A damaged database is never backed up: the call
   raises :class:`~desktop.errors.VaultCorrupt`, nothing is written and no backup is pruned;
2. ``VACUUM INTO`` writes a consistent snapshot (one read transaction: what was committed when it
   started, the write-ahead log included) into a hidden temporary folder ``.partial-…`` beside the
   backups. With SQLCipher 4 ``VACUUM INTO`` writes the copy encrypted with the connection's key;
   measured against the online backup API and ``sqlcipher_export`` (docs/backups.md), it is as fast,
   needs no second copy of the key in Python, leaves out free pages, and keeps ``user_version``
   (``sqlcipher_export`` does not). The file is synced to the disk;
3. the copy is opened with the data key (attached to the vault's connection, which uses the same
   key) and checked: every page's HMAC, ``PRAGMA integrity_check``, the schema version and the vault
   id. Only then is the folder renamed to its final name (a crash leaves a ``.partial-…`` folder,
   never a half backup that looks whole; leftovers are removed by the next backup);
4. only after that are older backups pruned (:func:`keep`).

With no ``to``, the backup goes to ``VAULT/backups`` and, when a second folder is set
(:func:`set_second_folder`: a USB stick, an office share; stored in the encrypted vault), a copy of
the verified file goes there too, verified again, with its own rotation. A second folder that is
missing or cannot be written never stops the main backup: the failure is in
:attr:`BackupInfo.warnings`.

A sync import (:mod:`desktop.sync.importer`) makes one (reason ``import``) only when
:func:`is_due`, like the backup at lock: at most one an hour, never one per import (the import is
one transaction; a failure leaves the vault as it was). When none is due it still runs the page
check of :func:`check_source` first, so an import into a damaged vault writes nothing.

Rotation (:func:`keep`): the 10 newest; plus the newest of each of the last 7 calendar days (UTC,
today included); plus the newest of each of the last 5 weeks (ISO weeks, Monday to Sunday, UTC, this
week included). Everything else of the same vault in that folder is deleted; backups of other vaults
sharing a folder are never touched.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.errors import DeclaraError, VaultCorrupt, VaultError
from desktop.i18n import N_, _, babel_locale, current_language
from desktop.i18n import format_size as format_size  # re-exported: a backup's size as people read it
from desktop.vault import fsutil
from desktop.vault.database import DB_NAME, HEADER_NAME, DiskFull, Vault, _is_disk_full

BACKUP_DIR = "backups"
MANIFEST = "backup.json"
FORMAT = "declara-backup"
REASONS = ("manual", "import", "close", "daily")
#: Labels of the reasons, as shown in the list of backups.
REASON_LABELS = {
    "manual": N_("made by hand"),
    "import": N_("before a sync import"),
    "close": N_("when the vault was locked or closed"),
    "daily": N_("scheduled"),
}
#: Rotation: how many of the newest, how many days and how many weeks keep one each.
KEEP_LAST = 10
KEEP_DAYS = 7
KEEP_WEEKS = 5
#: An automatic backup is made when the vault changed and the newest backup is older than this.
AUTO_INTERVAL = timedelta(hours=1)
META_KEY = "backup_folder"
PARTIAL = ".partial-"
COPY_NAME = "keyheader.copy.json"  # the key header's copy (desktop.vault.headerfile)

_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{6})Z-(" + "|".join(REASONS) + r")(?:-(\d{1,4}))?$")
_STAMP = "%Y-%m-%dT%H%M%S"


def _order(b: BackupInfo) -> tuple[datetime, int]:
    """Oldest first: by time, then by the counter of backups made within the same second."""
    match = _NAME.match(b.path.name)
    return b.made_at, int(match.group(3) or 1) if match else 0


@dataclass
class BackupInfo:
    """One backup folder."""

    path: Path  # the backup FOLDER
    made_at: datetime  # UTC, from the folder's name
    size: int  # bytes, every file in the folder
    reason: str
    vault_id: str
    clients: int | None = None  # None until read with the key (:func:`count_clients`)
    #: the same backup written to the second folder (when there is one and it worked)
    copies: list[Path] = field(default_factory=list)
    #: what went wrong with the second folder (the main backup is fine); shown to the user
    warnings: list[DeclaraError] = field(default_factory=list)

    @property
    def reason_label(self) -> str:
        return _(REASON_LABELS.get(self.reason, self.reason))


class BackupFolderError(VaultError):
    pass


# -- rotation -------------------------------------------------------------------------------------
def keep(backups: Iterable[BackupInfo], now: datetime) -> set[Path]:
    """The backups to keep (their paths): the :data:`KEEP_LAST` newest, the newest of each of the
    last :data:`KEEP_DAYS` calendar days and the newest of each of the last :data:`KEEP_WEEKS` ISO
    weeks (UTC; today and this week included). Pure: depends only on its arguments."""
    now = now.astimezone(UTC)
    ordered = sorted(backups, key=_order, reverse=True)
    kept = {b.path for b in ordered[:KEEP_LAST]}
    today = now.date()
    days = {today - timedelta(days=n) for n in range(KEEP_DAYS)}
    monday = today - timedelta(days=today.weekday())
    weeks = {monday - timedelta(weeks=n) for n in range(KEEP_WEEKS)}
    seen_days: set[Any] = set()
    seen_weeks: set[Any] = set()
    for b in ordered:  # newest first: the first one met in a day or week is its newest
        if b.made_at > now:
            continue
        day = b.made_at.astimezone(UTC).date()
        week = day - timedelta(days=day.weekday())
        if day in days and day not in seen_days:
            seen_days.add(day)
            kept.add(b.path)
        if week in weeks and week not in seen_weeks:
            seen_weeks.add(week)
            kept.add(b.path)
    return kept


# -- reading backups --------------------------------------------------------------------------------
def _read_json(path: Path, limit: int = 1 << 20) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > limit:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _vault_id(folder: Path) -> str | None:
    data = _read_json(folder / HEADER_NAME)
    value = data.get("vault_id") if data else None
    return value if isinstance(value, str) else None


def parse_name(name: str) -> tuple[datetime, str] | None:
    """(time, reason) of a backup folder's name, or None when the name is not one."""
    match = _NAME.match(name)
    if not match:
        return None
    try:
        made = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return made, match.group(2)


def _size(folder: Path) -> int:
    total = 0
    for p in folder.iterdir():
        try:
            if p.is_file() and not p.is_symlink():
                total += p.stat().st_size
        except OSError:
            pass
    return total


def _scan(folder: Path, vault_id: str | None) -> list[BackupInfo]:
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        parsed = parse_name(entry.name)
        if parsed is None or entry.is_symlink() or not entry.is_dir():
            continue
        if not (entry / DB_NAME).is_file():
            continue
        vid = _vault_id(entry)
        if vid is None or (vault_id is not None and vid != vault_id):
            continue
        try:
            size = _size(entry)
        except OSError:
            continue
        found.append(BackupInfo(path=entry, made_at=parsed[0], size=size, reason=parsed[1], vault_id=vid))
    found.sort(key=_order, reverse=True)
    return found


def list_backups(vault_path: Path, to: Path | None = None, *, key: bytes | None = None) -> list[BackupInfo]:
    """The backups of this vault in ``to`` (default ``VAULT/backups``), newest first. With the data
    ``key``, each one's client count is read (None where it cannot be). Never writes."""
    vault_path = Path(vault_path)
    folder = Path(to) if to is not None else vault_path / BACKUP_DIR
    found = _scan(folder, _vault_id(vault_path))
    if key is not None:
        for info in found:
            info.clients = count_clients(info.path, key)
    return found


def count_clients(backup: Path, key: bytes) -> int | None:
    """How many clients a backup holds, read with the data key, strictly read-only (the file is
    opened immutable: nothing is written beside it). None if it cannot be read with this key."""
    from desktop.vault.database import _db_module

    db = _db_module()
    uri = Path(backup, DB_NAME).resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = db.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except db.DatabaseError:
        return None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        row = conn.execute("SELECT count(*) FROM records WHERE kind = 'client' AND deleted = 0").fetchone()
        return int(row[0])
    except db.DatabaseError:
        return None
    finally:
        conn.close()


# -- the second folder --------------------------------------------------------------------------------
def second_folder(vault: Vault) -> Path | None:
    """The second folder backups are also written to (a USB stick, an office share), or None."""
    value = vault.meta(META_KEY)
    return Path(value) if value else None


def set_second_folder(vault: Vault, path: Path | None) -> None:
    """Set (or with None, forget) the second folder. It must exist and not be inside a vault."""
    with vault.transaction() as conn:
        if path is None:
            conn.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))
            return
        folder = Path(path).expanduser().absolute()
        _check_destination(vault, folder)
        if folder.resolve() == (vault.path.absolute() / BACKUP_DIR).resolve():
            raise BackupFolderError(
                N_("{path} is inside a vault folder; choose a folder outside every vault for backups."),
                path=str(folder),
            )
        if not folder.is_dir():
            raise BackupFolderError(
                N_("The folder {path} does not exist (is the drive connected?)."), path=str(folder)
            )
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (META_KEY, str(folder)),
        )


def inside_a_vault(folder: Path) -> Path | None:
    """The vault folder (or backup folder) ``folder`` is in or is, if any."""
    folder = Path(folder).expanduser().absolute()
    for candidate in (folder, *folder.parents):
        try:
            if (candidate / HEADER_NAME).exists() or (candidate / DB_NAME).exists():
                return candidate
        except OSError:
            continue
    return None


def _check_destination(vault: Vault, folder: Path) -> None:
    """Backups go into the vault's own ``backups`` folder or a folder outside every vault."""
    folder = Path(folder).expanduser().absolute()
    own = (vault.path.absolute() / BACKUP_DIR).resolve()
    try:
        resolved = folder.resolve()
    except OSError:
        resolved = folder
    if resolved == own:
        return
    holder = inside_a_vault(resolved)
    if holder is not None:
        raise BackupFolderError(
            N_("{path} is inside a vault folder; choose a folder outside every vault for backups."),
            path=str(folder),
        )


# -- making one -------------------------------------------------------------------------------------
def check_source(vault: Vault, *, structure: bool = True) -> None:
    """Refuse a damaged vault before anything is written: every page's HMAC (``PRAGMA
    cipher_integrity_check``, the check the vault passed when it was opened) and, with
    ``structure``, SQLite's structure (``PRAGMA quick_check``). Reads the whole database and
    writes nothing; raises :class:`VaultCorrupt`. A backup runs both; a sync import with no backup
    due runs the page check only (docs/backups.md, "Sync imports")."""
    from desktop.vault.database import _db_module

    db = _db_module()
    try:
        bad = [str(r[0]) for r in vault.conn.execute("PRAGMA cipher_integrity_check")]
        if structure:
            bad += [str(r[0]) for r in vault.conn.execute("PRAGMA quick_check") if r[0] != "ok"]
    except db.DatabaseError as exc:
        bad = [type(exc).__name__]
    if bad:
        raise VaultCorrupt(
            N_(
                "The vault's database is damaged, so no backup was made: nothing was written and the "
                "existing backups were all kept. Keep the folder as it is and restore a backup."
            )
        )


def _fingerprint(vault_path: Path) -> list[list[int]]:
    """Sizes and modification times of the database and its write-ahead log: when they are the
    same as at the last backup, the vault has not changed since."""
    out = []
    for name in (DB_NAME, DB_NAME + "-wal"):
        try:
            st = (vault_path / name).stat()
            out.append([st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([0, 0])
    return out


def _write_file(path: Path, data: bytes, *, sync: bool = True) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        if sync:
            fh.flush()
            os.fsync(fh.fileno())


def _verify(vault: Vault, db_file: Path) -> None:
    """Open the copy with the data key (attached to the vault's connection, same key) and check
    every page's HMAC, SQLite's integrity, the schema version and the vault id."""
    from desktop.vault.database import _db_module

    db = _db_module()
    conn = vault.conn
    problems: list[str] = []
    try:
        conn.execute("ATTACH DATABASE ? AS backup_check", (str(db_file),))
    except db.DatabaseError as exc:
        problems.append(type(exc).__name__)
    else:
        try:
            problems += [str(r[0]) for r in conn.execute("PRAGMA backup_check.cipher_integrity_check")]
            rows = conn.execute("PRAGMA backup_check.integrity_check")
            problems += [str(r[0]) for r in rows if r[0] != "ok"]
            theirs = conn.execute("PRAGMA backup_check.user_version").fetchone()[0]
            ours = conn.execute("PRAGMA main.user_version").fetchone()[0]
            vid = conn.execute("SELECT value FROM backup_check.meta WHERE key = 'vault_id'").fetchone()
            if theirs != ours or (vid is not None and vid[0] != vault.vault_id):
                problems.append("version")
        except db.DatabaseError as exc:
            problems.append(type(exc).__name__)
        finally:
            conn.execute("DETACH DATABASE backup_check")
    if problems:
        raise VaultError(
            N_(
                "The new backup did not pass its check after it was written, so it was removed and "
                "the older backups were kept. Check the disk, then try again."
            )
        )


def _final_name(folder: Path, made: datetime, reason: str) -> Path:
    """``<time>Z-<reason>``, then ``-2``, ``-3``… for more backups within the same second (whatever
    their reason, so the counter orders them)."""
    stamp = made.strftime(_STAMP)
    n = 1 + sum(1 for _ in folder.glob(f"{stamp}Z-*"))
    while True:
        target = folder / (f"{stamp}Z-{reason}" if n == 1 else f"{stamp}Z-{reason}-{n}")
        if not target.exists():
            return target
        n += 1


def _clean_leftovers(folder: Path, vault_id: str) -> None:
    """Remove what an interrupted backup of this vault left (a ``.partial-`` folder)."""
    try:
        entries = list(folder.glob(f"{PARTIAL}{vault_id}-*"))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


_OS_DETAILS = {
    errno.EACCES: N_("no permission to write there"),
    errno.EPERM: N_("no permission to write there"),
    errno.EROFS: N_("the drive is read-only"),
    errno.ENOENT: N_("the folder is not there"),
}


def _write_error(exc: BaseException, folder: Path) -> DeclaraError:
    if isinstance(exc, DeclaraError):
        return exc
    if _is_disk_full(exc):
        return DiskFull()
    detail = _OS_DETAILS.get(getattr(exc, "errno", None) or 0)
    return BackupFolderError(
        N_("The backup could not be written in {path} ({detail}). Nothing else was changed."),
        path=str(folder),
        detail=_(detail) if detail else type(exc).__name__,
    )


def _write_one(
    vault: Vault, folder: Path, made: datetime, reason: str, source: Path | None, header: bytes
) -> Path:
    """Write and verify one backup in ``folder``: from the vault (``VACUUM INTO``) or by copying
    an already verified backup ``source``. Returns the final folder."""
    from desktop.vault.database import _db_module

    db = _db_module()
    _clean_leftovers(folder, vault.vault_id)
    tmp = folder / f"{PARTIAL}{vault.vault_id}-{secrets.token_hex(4)}"
    try:
        tmp.mkdir(mode=0o700)
        target = tmp / DB_NAME
        if source is None:
            try:
                vault.conn.execute("VACUUM INTO ?", (str(target),))
            except db.DatabaseError as exc:
                raise _write_error(exc, folder) from exc
            os.chmod(target, 0o600)
            fsutil.fsync_file(target)
        else:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as dst, open(source / DB_NAME, "rb") as src:
                shutil.copyfileobj(src, dst, 1 << 20)
                dst.flush()
                os.fsync(dst.fileno())
        _write_file(tmp / HEADER_NAME, header)
        _write_file(tmp / COPY_NAME, header)  # like a vault: the header and its copy
        manifest = {
            "format": FORMAT,
            "version": 1,
            "vault_id": vault.vault_id,
            "made_at": made.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "reason": reason,
            "source": _fingerprint(vault.path) if source is None else _source_print(source),
        }
        # Not synced on its own: losing it in a power cut only makes the next automatic backup come
        # sooner (it records what the vault looked like, see backup_if_due).
        _write_file(tmp / MANIFEST, json.dumps(manifest, sort_keys=True).encode("utf-8"), sync=False)
        fsutil.fsync_dir(tmp)
        _verify(vault, target)
        final = _final_name(folder, made, reason)
        os.rename(tmp, final)
        fsutil.fsync_dir(folder)
        return final
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(exc, folder) from exc
        raise


def _header_bytes(vault: Vault) -> bytes:
    """The vault's key header as stored: ``keyheader.json``, or its copy when that one is damaged
    (:mod:`desktop.vault.headerfile`); it must be this vault's."""
    from desktop.vault.database import read_header

    header = read_header(vault.path)  # both damaged: KeyHeaderDamaged, nothing written
    name = COPY_NAME if getattr(header, "source", "main") == "copy" else HEADER_NAME
    raw = (vault.path / name).read_bytes()
    if header.vault_id != vault.vault_id:
        raise VaultCorrupt(N_("The vault's database and key header belong to different vaults."))
    return raw


def _source_print(backup: Path) -> Any:
    data = _read_json(backup / MANIFEST)
    return data.get("source") if data else None


def make_backup(
    vault: Vault, *, reason: str = "manual", to: Path | None = None, prune: bool = True
) -> BackupInfo:
    """Make a verified backup of the open vault; see the module's documentation.

    Raises :class:`VaultCorrupt` (nothing written) when the vault fails its checks. With ``to``,
    the backup goes only there; otherwise to ``VAULT/backups`` and the second folder (whose failure
    is a warning in the result). ``prune=False`` leaves the rotation to :func:`prune_backups` (the sync
    import prunes only after it succeeded, and :func:`discard` s the backup when it changed
    nothing)."""
    if reason not in REASONS:
        raise ValueError(reason)
    if vault.conn is None:
        raise VaultError(N_("The vault is locked."))
    main = Path(to).expanduser().absolute() if to is not None else vault.path / BACKUP_DIR
    _check_destination(vault, main)
    if to is not None and not main.is_dir():
        raise BackupFolderError(
            N_("The folder {path} does not exist (is the drive connected?)."), path=str(main)
        )
    check_source(vault)
    header = _header_bytes(vault)  # both header files damaged: refused here, nothing written
    if to is None:
        try:
            main.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise _write_error(exc, main) from exc
    made = datetime.now(UTC).replace(microsecond=0)
    path = _write_one(vault, main, made, reason, None, header)
    info = BackupInfo(path=path, made_at=made, size=_size(path), reason=reason, vault_id=vault.vault_id)
    if to is None:
        extra = second_folder(vault)
        if extra is not None:
            try:
                _check_destination(vault, extra)
                if not extra.is_dir():
                    raise BackupFolderError(
                        N_(
                            "The second backup folder {path} is not there (is the drive connected?). "
                            "The backup in the vault's own folder was made."
                        ),
                        path=str(extra),
                    )
                info.copies.append(_write_one(vault, extra, made, reason, path, header))
            except BackupFolderError as exc:
                info.warnings.append(exc)
            except DeclaraError as exc:  # a full stick, a copy that failed its check…
                info.warnings.append(
                    BackupFolderError(
                        N_(
                            "The backup could not be copied to the second folder {path}: {detail} "
                            "The backup in the vault's own folder was made."
                        ),
                        path=str(extra),
                        detail=exc.message(),
                    )
                )
    if prune:
        prune_backups(vault, info)
    return info


def prune_backups(vault: Vault, info: BackupInfo, now: datetime | None = None) -> None:
    """Apply the rotation in every folder ``info`` was written to. Never fails; never removes
    ``info`` itself nor backups of other vaults."""
    now = now or datetime.now(UTC)
    for made in (info.path, *info.copies):
        folder = made.parent
        existing = _scan(folder, vault.vault_id)
        kept = keep(existing, now) | {made}
        for b in existing:
            if b.path not in kept:
                _remove(b.path, vault.vault_id)


def _remove(backup: Path, vault_id: str) -> None:
    """Delete a backup folder: first renamed to a ``.partial-`` name, so that a deletion cut short
    leaves a leftover the next backup removes, never a half backup under a backup's name."""
    doomed = backup.with_name(f"{PARTIAL}{vault_id}-{secrets.token_hex(4)}")
    try:
        os.rename(backup, doomed)
    except OSError:
        doomed = backup
    shutil.rmtree(doomed, ignore_errors=True)


def discard(info: BackupInfo) -> None:
    """Delete a backup that is not needed (a sync import that changed nothing), every copy of it,
    and the vault's ``backups`` folder if it is now empty."""
    for path in (info.path, *info.copies):
        _remove(path, info.vault_id)
    try:
        info.path.parent.rmdir()  # only when empty
    except OSError:
        pass


def is_due(vault: Vault, now: datetime | None = None) -> bool:
    """Whether the automatic backup is due: there is none yet in ``VAULT/backups``, or the vault
    changed since the newest one and that one is older than :data:`AUTO_INTERVAL`. Reads the
    backups' names and key headers and the newest ``backup.json``, never a database."""
    now = now or datetime.now(UTC)
    existing = _scan(vault.path / BACKUP_DIR, vault.vault_id)
    if existing:
        newest = existing[0]
        if now - newest.made_at < AUTO_INTERVAL:
            return False
        if _source_print(newest.path) == _fingerprint(vault.path):
            return False  # nothing changed since
    return True


def backup_if_due(vault: Vault, *, reason: str = "close", now: datetime | None = None) -> BackupInfo | None:
    """The automatic backup: made when :func:`is_due`. None when not due."""
    if not is_due(vault, now):
        return None
    return make_backup(vault, reason=reason)


# -- restoring ------------------------------------------------------------------------------------------
def restore(backup: Path, to: Path, passphrase: str, policy: Any) -> Path:
    """Make a new vault at ``to`` from a backup folder (:func:`desktop.vault.restore.restore`)."""
    from desktop.vault.restore import restore as restore_

    return restore_(backup, to, passphrase, policy)


# -- showing ----------------------------------------------------------------------------------------
def format_when(made: datetime) -> str:
    """The backup's time in the interface's language and the computer's time zone."""
    from babel.dates import format_datetime

    return format_datetime(made.astimezone(), "medium", locale=babel_locale(current_language()))
