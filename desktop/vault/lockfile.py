"""One writer per vault: an OS-level lock on ``declara.lock`` inside the vault folder.

The lock is an advisory ``flock`` (``msvcrt.locking`` on Windows) held for as long as the vault is
open. The operating system drops it when the holding process dies, so a lock left behind by a
crashed or killed process is recognised (the file names a holder, but nobody holds the lock) and
taken over. The file records who holds it, so the refusal can say which process on which host.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import IO, Any

from desktop.errors import VaultLocked
from desktop.i18n import N_

LOCK_NAME = "declara.lock"  # inside the vault folder (desktop.vault.database uses the same name)


class VaultLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[str] | None = None
        self.recovered_stale = False

    def acquire(self) -> None:
        import platform  # not at the top: the window's start-up only reads the lock file

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fh = os.fdopen(fd, "r+", encoding="utf-8")
        if not _try_lock(fh):
            holder = _read_holder(fh)
            fh.close()
            raise locked_error(holder)
        previous = _read_holder(fh)
        self.recovered_stale = bool(previous)
        fh.seek(0)
        fh.truncate()
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
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    with os.fdopen(fd, "r", encoding="utf-8") as fh:
        if _try_lock(fh):
            _unlock(fh)
            return None
        return _read_holder(fh) or {"pid": "?", "host": "?"}


def _read_holder(fh: IO[str]) -> dict[str, Any]:
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
