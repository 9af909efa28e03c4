"""Never write to a vault that is not provably this vault and healthy (issue 18).

The checks :class:`desktop.vault.database.Vault` runs before anything may write, the names of what
went wrong, and the guard that keeps every command from writing inside a vault folder:

- :func:`refuse_unwritable` — a vault folder Declara may not write (permissions) or on a read-only
  disk is said to be exactly that, never "damaged" (finding 10);
- :data:`BROKEN_LOG` — the message for a write-ahead log whose saved transactions SQLite's
  recovery would silently drop (a damaged byte in it; :func:`walcheck.dropped_commits`), refused
  before SQLite opens it and deletes it;
- :func:`refuse_bad_pages` — SQLCipher's page check (the HMAC of every page, as ``PRAGMA
  cipher_integrity_check`` does it) before SQLite opens the database; a vault that fails it is
  refused untouched, and one found damaged later is closed and never written again;
- :func:`is_damage` / :func:`damaged` — a SQLite error that means damage, and its one message;
- :func:`refuse_inside_vault` — no export lands inside a vault folder.

Nothing here writes.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from desktop.errors import DeclaraError, ForeignFile, VaultCorrupt, VaultReadOnly
from desktop.i18n import N_, ngettext

DB_NAME = "declara.db"
HEADER_NAME = "keyheader.json"
_DAMAGE_WORDS = ("malformed", "corrupt", "not a database", "hmac")
_READ_ONLY_WORDS = ("readonly", "read-only", "read only")

DAMAGED = N_(
    "The vault's database is damaged ({detail}). Declara closed it and will not write to it again; "
    "nothing was changed. Keep the folder as it is, and restore a backup or salvage what still "
    "reads into a new vault."
)
PERMISSIONS = N_(
    "Declara may not write in the vault folder {path} (permissions). The vault is not damaged and "
    "nothing was changed. Give your user account write permission on the folder and its files, or "
    "copy the whole folder to a place you can write and open it there."
)
READ_ONLY_DISK = N_(
    "The vault folder {path} is on a read-only disk or share. The vault is not damaged and nothing "
    "was changed. Copy the whole folder to a writable disk and open it there, or make the disk "
    "writable."
)
BROKEN_LOG = N_(
    "The vault's write-ahead log ({name}) is damaged: opening the vault would silently drop saved "
    "changes from it. Nothing was changed. Keep the folder as it is, and restore a backup or "
    "salvage what still reads into a new vault."
)
NOT_THIS_KEY = N_(
    "The vault's database cannot be decrypted: it is damaged or does not belong to this key header. "
    "Nothing was changed; keep the folder and restore a backup."
)
INSIDE_VAULT = N_(
    "{path} is inside a vault folder. Declara never writes an export there (it could replace the "
    "vault's own files); nothing was written. Choose a place outside the vault folder."
)


# -- what an error means -------------------------------------------------------------------------
def is_damage(exc: BaseException) -> bool:
    """A SQLite/SQLCipher error whose text says the database is damaged."""
    text = str(exc).lower()
    return any(word in text for word in _DAMAGE_WORDS)


def damaged(detail: str) -> VaultCorrupt:
    return VaultCorrupt(DAMAGED, detail=detail)


def is_read_only(exc: BaseException) -> bool:
    """Permission refused or a read-only disk (an OSError, or SQLite's "readonly database")."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
    text = str(exc).lower()
    return any(word in text for word in _READ_ONLY_WORDS)


def read_only(path: Path) -> VaultReadOnly:
    """The right message for a vault that cannot be written: a read-only disk, else permissions."""
    if _on_read_only_disk(path):
        return VaultReadOnly(READ_ONLY_DISK, path=str(path))
    return VaultReadOnly(PERMISSIONS, path=str(path))


def _on_read_only_disk(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False


# -- before the lock is taken --------------------------------------------------------------------
def refuse_unwritable(path: Path) -> None:
    """Refuse, with its real cause, a vault Declara cannot write, before the lock file or SQLite
    try (SQLite would fail later with words that read like damage)."""
    path = Path(path)
    if _on_read_only_disk(path):
        raise VaultReadOnly(READ_ONLY_DISK, path=str(path))
    targets = [path] + [p for p in (path / DB_NAME,) if p.exists()]  # the header is replaced, not written
    if not all(os.access(p, os.W_OK) for p in targets):
        raise VaultReadOnly(PERMISSIONS, path=str(path))


# -- before SQLite opens the database ------------------------------------------------------------
def refuse_bad_pages(path: Path, key: bytes) -> None:
    """SQLCipher's page check, before SQLite opens the database (:func:`walcheck.bad_pages`):
    every page must pass its HMAC-SHA512 under this key. Page 1 failing means the database is
    damaged at its start or is not this key header's; other pages failing mean damage. Checked
    before SQLite connects because SQLite's close folds a log into the database even when the
    open is then refused."""
    from desktop.vault.walcheck import bad_pages

    try:
        bad, first = bad_pages(Path(path) / DB_NAME, key)
    except OSError as exc:
        raise translate_os_error(exc, Path(path)) or damaged(type(exc).__name__) from exc
    if first:
        raise VaultCorrupt(NOT_THIS_KEY)
    if bad:
        raise damaged(
            ngettext("{count} page fails its check", "{count} pages fail their check", bad).format(count=bad)
        )


# -- exports -------------------------------------------------------------------------------------
def refuse_inside_vault(path: Path | str) -> None:
    """The guard of every command that writes where the user says (``--out``): never inside a
    vault folder (:func:`desktop.vault.database.is_inside_vault`), as written or once links are
    resolved (a link to a vault folder, ``..``)."""
    from desktop.vault.database import is_inside_vault

    given = Path(os.path.abspath(Path(path).expanduser()))
    candidates = [given]
    try:
        candidates += [given.parent.resolve() / given.name, given.resolve()]
    except (OSError, RuntimeError):
        pass
    if any(is_inside_vault(candidate) for candidate in candidates):
        raise ForeignFile(INSIDE_VAULT, path=str(path))


def translate_os_error(exc: OSError, path: Path | None = None) -> DeclaraError | None:
    """An OSError met while opening or writing a vault, as the message that names its cause."""
    if exc.errno == errno.ENOSPC:
        from desktop.vault.database import DiskFull

        return DiskFull()
    if exc.errno == errno.EROFS:
        return VaultReadOnly(READ_ONLY_DISK, path=str(path or exc.filename or ""))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return VaultReadOnly(PERMISSIONS, path=str(path or exc.filename or ""))
    return None
