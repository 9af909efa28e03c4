"""Restoring a backup (:mod:`desktop.vault.backups`): a NEW vault folder made from a backup folder.

The backup's own key header comes with it, so the restored vault opens with the passphrase the
backup was made with (which may be older than today's). The target must not exist or be an empty
folder, and must not be inside any vault folder (the damaged vault's included): a restore never
replaces anything. The files are copied into a hidden temporary folder beside the target, synced,
renamed into place, then the new vault is opened and checked (SQLCipher's page check, SQLite's
integrity and foreign-key checks); if that fails nothing is left at the target.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Any

from desktop.errors import VaultCorrupt, VaultError
from desktop.i18n import N_
from desktop.vault import fsutil
from desktop.vault.backups import COPY_NAME, PARTIAL, _write_error, inside_a_vault
from desktop.vault.database import DB_NAME, HEADER_NAME


def restore(backup: Path, to: Path, passphrase: str, policy: Any) -> Path:
    """Make a new vault at ``to`` from a backup folder; the passphrase is the one the backup was
    made with. Never over an existing non-empty folder, never inside another vault folder. The
    restored vault is opened and checked before this returns; on failure nothing is left at ``to``."""
    from desktop.vault.database import read_header, unlock

    backup = Path(backup).expanduser().absolute()
    to = Path(to).expanduser().absolute()
    read_header(backup)  # "not a vault" / a missing part, in plain words
    existed = to.exists()
    if existed and (not to.is_dir() or any(to.iterdir())):
        raise VaultError(N_("{path} already exists and is not empty; choose a new name."), path=str(to))
    holder = inside_a_vault(to.parent)
    if holder is not None:
        raise VaultError(
            N_("{path} is inside a vault folder; restore into a new folder outside every vault."),
            path=str(to),
        )
    if not to.parent.is_dir():
        raise VaultError(N_("The folder {path} does not exist."), path=str(to.parent))
    key = unlock(backup, passphrase, policy)
    tmp = to.parent / f".{to.name}{PARTIAL}{secrets.token_hex(4)}"
    try:
        tmp.mkdir(mode=0o700)
        for name in (DB_NAME, HEADER_NAME, COPY_NAME):
            if name == COPY_NAME and not (backup / name).is_file():
                continue  # a backup made before the header had its copy
            fd = os.open(tmp / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as dst, open(backup / name, "rb") as src:
                shutil.copyfileobj(src, dst, 1 << 20)
                dst.flush()
                os.fsync(dst.fileno())
        fsutil.fsync_dir(tmp)
        if to.exists():
            to.rmdir()  # empty, checked above
        os.rename(tmp, to)
        fsutil.fsync_dir(to.parent)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(exc, to.parent) from exc
        raise
    try:
        _check_restored(to, key)
    except BaseException:
        shutil.rmtree(to, ignore_errors=True)
        if existed:
            to.mkdir(mode=0o700, exist_ok=True)  # the empty folder the user chose, as it was
        raise
    return to


def _check_restored(path: Path, key: bytes) -> None:
    from desktop.vault.database import open_vault

    with open_vault(path, key) as vault:
        problems = vault.check()
    if problems:
        raise VaultCorrupt(
            N_("That backup is damaged ({count} problem(s)); nothing was restored. Try an older backup."),
            count=len(problems),
        )
