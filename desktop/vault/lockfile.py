"""One writer per vault: an OS-level lock on ``declara.lock`` inside the vault folder.

The lock is an advisory ``flock`` (``msvcrt.locking`` on Windows) held for as long as the vault is
open. The operating system drops it when the holding process dies, so a lock left behind by a
crashed or killed process is recognised (the file names a holder, but nobody holds the lock) and
taken over. The file records who holds it, so the refusal can say which process on which host.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path
from typing import IO, Any

from desktop.errors import ForeignFile, VaultLocked
from desktop.i18n import N_

LOCK_NAME = "declara.lock"  # inside the vault folder (desktop.vault.database uses the same name)


class VaultLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[str] | None = None
        self.recovered_stale = False

    def acquire(self) -> None:
        import platform  # not at the top: the window's start-up only reads the lock file

        fd = _open_no_follow(self.path, os.O_RDWR | os.O_CREAT)
        fh = os.fdopen(fd, "r+", encoding="utf-8")
        if not _try_lock(fh):
            holder = _read_holder(fh)
            fh.close()
            raise locked_error(holder)
        previous = _read_holder(fh)
        self.recovered_stale = bool(previous)
        fh.seek(0)
        fh.truncate()
        import json  # here and in _read_holder: the window's start-up only reads the lock file

        fh.write(json.dumps({"pid": os.getpid(), "host": platform.node(), "since": int(time.time())}))
        fh.flush()
        os.fsync(fh.fileno())
        self._fh = fh

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        try:
            fh.seek(0)
            fh.truncate()
            fh.flush()
        finally:
            _unlock(fh)
            fh.close()

    @property
    def held(self) -> bool:
        return self._fh is not None


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open_no_follow(path: Path, flags: int) -> int:
    """Open the lock file itself, never a file a symlink in its place points to: the lock is
    rewritten on every open, and a symlinked ``declara.lock`` would have its target truncated.
    A symlink (or anything but a plain file) is refused and left as it is."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise _not_a_plain_lock()
    try:
        fd = os.open(path, flags | _NOFOLLOW, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a symlink made between the check and the open
            raise _not_a_plain_lock() from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _not_a_plain_lock()
    return fd


def _not_a_plain_lock() -> ForeignFile:
    return ForeignFile(
        N_(
            "The vault's lock file ({name}) is a link or not a plain file, so Declara will not open "
            "the vault through it. Nothing was changed. Remove that link from the vault folder (the "
            "file it points to is not needed), then open the vault again."
        ),
        name=LOCK_NAME,
    )


def locked_error(holder: dict[str, Any]) -> VaultLocked:
    return VaultLocked(
        N_("This vault is already open in another Declara (process {pid} on {host}). Close it there first."),
        pid=holder.get("pid", "?"),
        host=holder.get("host", "?"),
    )


def current_holder(path: Path) -> dict[str, Any] | None:
    """Who holds the lock at ``path`` right now (pid, host), or None when nobody does.

    Lets a second window say "already open" before asking for the passphrase. It takes the lock
    for an instant when it is free, and never writes the file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "r", encoding="utf-8") as fh:
        if _try_lock(fh):
            _unlock(fh)
            return None
        return _read_holder(fh) or {"pid": "?", "host": "?"}


def _read_holder(fh: IO[str]) -> dict[str, Any]:
    import json

    try:
        fh.seek(0)
        data = json.loads(fh.read() or "{}")
        return data if isinstance(data, dict) else {}
    except (ValueError, OSError):
        return {}


if os.name == "nt":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
