"""``declara vault …`` commands: backup, backups (the list) and restore (:mod:`desktop.vault.backups`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from desktop.cli import Context, _open, get_passphrase
from desktop.errors import NotAVault
from desktop.i18n import N_, _, ngettext


def cmd_vault_backup(ctx: Context, args: argparse.Namespace) -> int:
    """Make a verified backup now, into VAULT/backups (and the second folder) or into --to DIR."""
    from desktop.vault.backups import format_size, make_backup

    store = _open(ctx, args)
    with store.vault as vault:
        info = make_backup(vault, reason=args.reason, to=Path(args.to) if args.to else None)
    ctx.out(
        _("Made and checked a backup of the vault: {path} ({size}).").format(
            path=info.path, size=format_size(info.size)
        )
    )
    for copy in info.copies:
        ctx.out(_("A copy of it is in {path}.").format(path=copy))
    for problem in info.warnings:
        ctx.stderr.write(_("declara: warning: {message}").format(message=problem.message()) + "\n")
    return 0


def cmd_vault_backups(ctx: Context, args: argparse.Namespace) -> int:
    """List the backups of a vault: time, reason, size, clients (read with the key)."""
    from desktop.vault.backups import format_size, format_when, list_backups
    from desktop.vault.database import read_header, unlock

    vault = Path(args.vault)
    if args.no_unlock:  # works even when the vault's own key header is damaged
        if not vault.is_dir():
            raise NotAVault(N_("There is no vault at {path}."), path=str(vault))
        key = None
    else:
        read_header(vault)  # say "not a vault" before asking for anything
        key = unlock(vault, get_passphrase(ctx, args), ctx.policy)
    found = list_backups(vault, Path(args.to) if args.to else None, key=key)
    for info in found:
        if info.clients is not None:
            clients = ngettext("{count} client", "{count} clients", info.clients).format(count=info.clients)
        elif key is not None:
            clients = _("not readable with this vault's key")
        else:
            clients = ""
        size = format_size(info.size)
        parts = [format_when(info.made_at), info.reason_label, size, clients, str(info.path)]
        ctx.out("  ".join(p for p in parts if p))
    ctx.out(ngettext("{count} backup.", "{count} backups.", len(found)).format(count=len(found)))
    return 0


def cmd_vault_restore(ctx: Context, args: argparse.Namespace) -> int:
    """Make a new vault from a backup folder; the backup's own passphrase opens it."""
    from desktop.vault.backups import restore
    from desktop.vault.database import read_header

    backup = Path(args.backup)
    read_header(backup)  # say "not a backup" before asking for anything
    passphrase = get_passphrase(ctx, args, label=_("Passphrase the backup was made with: "))
    path = restore(backup, Path(args.to), passphrase, ctx.policy)
    ctx.out(
        _(
            "Restored the backup into the new vault {path}; it was opened and checked. It opens with "
            "the passphrase the backup was made with."
        ).format(path=path)
    )
    return 0


def add_parser(
    vault_cmds: argparse._SubParsersAction, vault_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register this module's vault actions."""
    p = vault_cmds.add_parser("backup", help=_("make a checked, encrypted backup of the vault now"))
    vault_arg(p)
    p.add_argument(
        "--to",
        metavar="DIR",
        help=_("write the backup into DIR (an existing folder) instead of VAULT/backups"),
    )
    p.add_argument(
        "--reason",
        choices=["manual", "daily"],
        default="manual",
        help=_("recorded in the backup's name: manual (the default) or daily (for a scheduled task)"),
    )
    p.set_defaults(func=cmd_vault_backup)

    p = vault_cmds.add_parser("backups", help=_("list the vault's backups"))
    vault_arg(p)
    p.add_argument("--to", metavar="DIR", help=_("list the backups in DIR instead of VAULT/backups"))
    p.add_argument(
        "--no-unlock",
        action="store_true",
        help=_("do not ask for the passphrase (the client counts are not shown)"),
    )
    p.set_defaults(func=cmd_vault_backups)

    p = vault_cmds.add_parser("restore", help=_("make a new vault from a backup"))
    p.add_argument("backup", metavar="BACKUP", help=_("the backup folder"))
    p.add_argument(
        "--to", metavar="NEWVAULT", required=True, help=_("the new vault folder (must not exist or be empty)")
    )
    p.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=_("read the passphrase the backup was made with from the first line of FILE"),
    )
    p.set_defaults(func=cmd_vault_restore)
