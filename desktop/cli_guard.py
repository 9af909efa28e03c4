"""What the command line refuses to write, and the one message for what went wrong (issue 18).

- :func:`check_targets` runs before every command: a path the user names for writing (``--out``
  of every command, ``--sheet``; ``--to`` of ``vault backup``, ``restore`` and ``salvage``) is
  never inside a vault folder, unless it is the vault's own backups folder (``VAULT/backups``).
  Writing an export over ``VAULT/keyheader.json`` would have destroyed the vault (finding 5).
- :func:`failure_message` turns any error that reaches :func:`desktop.cli.main` into one line: a
  damaged database (SQLCipher's ``DatabaseError``, sqlite3's), permissions, a read-only disk, a
  full disk, a file that cannot be read, anything else. No traceback (finding 8); the
  ``DECLARA_DEBUG`` variable still lets the error through for a developer.
"""

from __future__ import annotations

import argparse
import errno
import os
import sqlite3
from pathlib import Path

from desktop.errors import DeclaraError
from desktop.i18n import N_
from desktop.vault import health

#: ``--to`` names a folder to write into only for these ``declara vault`` actions.
_TO_WRITES = ("backup", "restore", "salvage")


def refuse_vault_target(path: str | Path, *, own: str | Path | None = None) -> None:
    """Refuse (ForeignFile) to write at ``path`` when it is inside a vault folder, unless it is
    the ``backups`` folder of ``own`` (the vault the command backs up) or inside it."""
    if str(path) == "-":
        return
    if own is not None:
        backups = Path(os.path.abspath(own)).resolve() / "backups"
        target = Path(os.path.abspath(path))
        for candidate in (target, target.parent.resolve() / target.name):
            if candidate == backups or backups in candidate.parents:
                return
    health.refuse_inside_vault(path)


def check_targets(args: argparse.Namespace) -> None:
    """The single guard of every command that writes where the user says."""
    for name in ("out", "sheet"):  # every --out; a recovery sheet's file
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            refuse_vault_target(value)
    to = getattr(args, "to", None)
    if isinstance(to, str) and to and args.command == "vault" and getattr(args, "action", None) in _TO_WRITES:
        refuse_vault_target(to, own=getattr(args, "vault", None) if args.action == "backup" else None)


def _database_errors() -> tuple[type[BaseException], ...]:
    import sqlcipher3

    return (sqlite3.DatabaseError, sqlcipher3.DatabaseError)


def translate(exc: BaseException) -> DeclaraError:
    """Any error as the DeclaraError that names its cause."""
    from desktop.vault.database import DiskFull

    if isinstance(exc, DeclaraError):
        return exc
    if isinstance(exc, _database_errors()):
        text = str(exc).lower()
        if "full" in text:
            return DiskFull()
        if health.is_damage(exc) or type(exc).__name__ == "DatabaseError":  # SQLCipher's page errors
            return health.damaged(type(exc).__name__)
        if health.is_read_only(exc):
            return DeclaraError(
                N_("The vault cannot be written (permissions or a read-only disk); nothing was changed.")
            )
        if isinstance(exc, sqlite3.OperationalError | _operational()):
            return DeclaraError(
                N_("The vault's database could not be read or written ({detail}); nothing more was changed."),
                detail=str(exc) or type(exc).__name__,
            )
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DiskFull()
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return DeclaraError(
                N_(
                    "{path} cannot be written ({detail}): check its permissions, or whether the "
                    "disk is read-only."
                ),
                path=exc.filename or "?",
                detail=exc.strerror or type(exc).__name__,
            )
        return DeclaraError(
            N_("a file could not be read or written ({detail})."), detail=exc.strerror or type(exc).__name__
        )
    if isinstance(exc, MemoryError | RecursionError):
        return DeclaraError(N_("The input is too large or too deeply nested; nothing was changed."))
    return DeclaraError(
        N_(
            "Declara stopped on an unexpected error ({detail}); nothing more was changed. Run the "
            "command again with DECLARA_DEBUG=1 to see the details."
        ),
        detail=type(exc).__name__,
    )


def _operational() -> type[BaseException]:
    import sqlcipher3

    return sqlcipher3.OperationalError


def failure_message(exc: BaseException) -> str:
    """One line for ``declara: …``."""
    return translate(exc).message()
