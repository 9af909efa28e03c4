"""Pre-import copies: the (encrypted) database copied into ``VAULT/backups`` before an import
changes anything, thrown away when the import changes nothing, and pruned to the newest
:data:`KEEP_BACKUPS` after one that succeeded.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from desktop.vault.database import Vault, db_path, now_iso

BACKUP_DIR = "backups"
#: Pre-import copies kept in VAULT/backups (the newest); older ones are deleted after an import.
KEEP_BACKUPS = 5


def make(vault: Vault) -> Path:
    """Copy the (encrypted) database into VAULT/backups before an import; same key as the vault."""
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = vault.path / BACKUP_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = now_iso().replace(":", "").replace("-", "").replace(".", "")
    target = folder / f"before-import-{stamp}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"before-import-{stamp}-{counter}.db"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as dst, open(db_path(vault.path), "rb") as src:
        shutil.copyfileobj(src, dst)
        dst.flush()
        os.fsync(dst.fileno())
    return target


def discard(backup: Path) -> None:
    """Delete a copy that is not needed (the import changed nothing), and the folder when it was
    the first copy and is now empty."""
    backup.unlink(missing_ok=True)
    try:
        backup.parent.rmdir()
    except OSError:
        pass


def prune(folder: Path) -> None:
    """After a successful import, delete all but the :data:`KEEP_BACKUPS` newest pre-import copies
    (each is a whole database: an office importing daily would otherwise fill its disk). Never fails."""
    try:
        copies = sorted(
            (p for p in folder.glob("before-import-*.db") if p.is_file()),
            key=lambda p: (p.stat().st_mtime_ns, p.name),
        )
    except OSError:
        return
    for old in copies[: max(len(copies) - KEEP_BACKUPS, 0)]:
        try:
            old.unlink()
        except OSError:
            pass
