"""``declara vault salvage DAMAGED --to NEWVAULT``: copy what can still be read from a damaged vault
into a new one (:mod:`desktop.vault.salvage`); the damaged folder is only ever read."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from desktop.i18n import N_, _


def add_parser(
    vault_cmds: argparse._SubParsersAction, vault_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register this module's vault actions."""
    p = vault_cmds.add_parser(
        "salvage", help=_("copy every record that can still be read from a damaged vault into a new vault")
    )
    vault_arg(p)
    p.add_argument(
        "--to", required=True, metavar="NEWVAULT", help=_("the new vault folder (must not exist yet)")
    )
    p.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help=_("read the new vault's passphrase from FILE (default: ask; Enter keeps the same passphrase)"),
    )
    p.set_defaults(func=cmd_vault_salvage)


def cmd_vault_salvage(ctx, args: argparse.Namespace) -> int:  # noqa: ANN001 - cli.Context
    from desktop.cli import CliError, _read_passphrase_file, get_passphrase
    from desktop.vault.database import read_header
    from desktop.vault.salvage import describe, read_key, salvage

    damaged, to = Path(args.vault), Path(args.to)
    read_header(damaged)  # say "not a vault" before asking for anything
    passphrase = get_passphrase(ctx, args, label=_("Passphrase of the damaged vault: "))
    key = read_key(damaged, passphrase, ctx.policy)
    if args.new_passphrase_file:
        new = _read_passphrase_file(args.new_passphrase_file)
    else:
        new = ctx.prompt(_("Passphrase for the new vault (Enter: the same one): "))
        if new and ctx.prompt(_("Repeat the new passphrase: ")) != new:
            raise CliError(N_("The two passphrases differ; nothing was changed."))
    same = not new or new == passphrase
    report = salvage(damaged, to, key, passphrase if same else new, ctx.policy, check_strength=not same)
    for line in describe(report):
        ctx.out(line)
    if not report.records_rescued:
        raise CliError(
            N_(
                "Not one record could be read from the damaged vault, so the new vault {path} is "
                "empty. Restore a backup instead (declara vault backups)."
            ),
            path=to,
        )
    return 0
