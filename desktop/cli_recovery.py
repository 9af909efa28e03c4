"""``declara vault …`` commands for the recovery key (:mod:`desktop.vault.recovery`):
recovery-code, recovery-office, recover, rekey and repair-header."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from desktop.cli import CliError, Context, _read_passphrase_file, get_passphrase
from desktop.i18n import N_, _


def warn_header(ctx: Context, path: Path) -> None:
    """After an unlock: say when the vault was opened with the key header's copy (or the copy is
    damaged), on stderr, without stopping the command."""
    from desktop.vault import headerfile

    problem = headerfile.notice(path)
    if problem is not None:
        ctx.stderr.write(_("declara: warning: {message}").format(message=problem.message()) + "\n")


def _prompt(ctx: Context, label: str) -> str:
    if ctx.prompt is getpass.getpass and not sys.stdin.isatty():
        raise CliError(N_("This command asks questions: run it in a terminal."))
    return ctx.prompt(label)


def _new_passphrase(ctx: Context, args: argparse.Namespace) -> str:
    if getattr(args, "new_passphrase_file", None):
        return _read_passphrase_file(args.new_passphrase_file)
    new = _prompt(ctx, _("New passphrase: "))
    if _prompt(ctx, _("Repeat the new passphrase: ")) != new:
        raise CliError(N_("The two passphrases differ; nothing was changed."))
    return new


def _unlock(ctx: Context, args: argparse.Namespace) -> bytes:
    from desktop.vault.database import read_header, unlock

    read_header(Path(args.vault))  # say "not a vault" before asking for anything
    key = unlock(Path(args.vault), get_passphrase(ctx, args), ctx.policy)
    warn_header(ctx, Path(args.vault))
    return key


def cmd_recovery_code(ctx: Context, args: argparse.Namespace) -> int:
    """Make a recovery code (replacing any earlier one), show it once, optionally print the sheet."""
    from desktop.vault.database import read_header
    from desktop.vault.recovery import add_recovery_code

    key = _unlock(ctx, args)  # --sheet was checked by cli_guard: never inside a vault folder
    code = add_recovery_code(Path(args.vault), key, ctx.policy)
    words = code.split()
    ctx.out(_("The vault's recovery code (it replaces any earlier one):"))
    for start in range(0, len(words), 5):
        ctx.out("   ".join(f"{i + 1:>2}. {w}" for i, w in enumerate(words[start : start + 5], start)))
    ctx.out(
        _(
            "Write it down or print the sheet now: it is shown only this once and is not stored. "
            "Whoever has it can open the vault; keep it locked away, apart from the laptop."
        )
    )
    if args.sheet:
        from desktop.vault import fsutil
        from desktop.vault.recovery_sheet import render_sheet

        vault_id = read_header(Path(args.vault)).vault_id
        fsutil.write_atomic(Path(args.sheet), render_sheet(vault_id, words))
        ctx.out(
            _("Wrote the recovery sheet to {path}. Print it, then delete the file.").format(path=args.sheet)
        )
    return 0


def cmd_recovery_office(ctx: Context, args: argparse.Namespace) -> int:
    """Let the office's key open the vault: from --recipient, a trusted office --card, or the one
    office this vault trusts."""
    from desktop.vault.database import open_vault
    from desktop.vault.recovery import add_office_recipient, parse_recipient, trusted_office

    card = None
    if args.card:
        from desktop.sync import read_card

        card = read_card(Path(args.card))  # refuse a bad card before asking for the passphrase
    recipient = parse_recipient(args.recipient) if args.recipient else None
    key = _unlock(ctx, args)
    label = ""
    if recipient is None:
        with open_vault(Path(args.vault), key) as vault:
            recipient, label = trusted_office(vault, card)
    add_office_recipient(Path(args.vault), key, recipient, label=label)
    ctx.out(
        _("The office key {recipient} can now open this vault and set a new passphrase.").format(
            recipient=recipient
        )
    )
    ctx.out(_("Whoever holds the office's identity file can do so: keep that file locked away."))
    return 0


def cmd_recover(ctx: Context, args: argparse.Namespace) -> int:
    """Set a new passphrase with the office's identity file or the recovery code."""
    from desktop.vault.database import read_header
    from desktop.vault.recovery import canonical_code, recover

    path = Path(args.vault)
    read_header(path)
    identity = code = None
    if args.identity:
        from desktop.limits import read_bounded
        from desktop.vault.recovery import MAX_IDENTITY_BYTES

        identity = read_bounded(args.identity, MAX_IDENTITY_BYTES, N_("The identity file"))
    else:
        code = canonical_code(_prompt(ctx, _("Recovery code (10 words): ")))
    new = _new_passphrase(ctx, args)
    recover(path, code=code, identity=identity, new_passphrase=new, policy=ctx.policy)
    ctx.out(_("The vault has a new passphrase."))
    if code is not None:
        ctx.out(
            _(
                "The recovery code is used up: make a new one (declara vault recovery-code) and "
                "print its sheet."
            )
        )
    warn_header(ctx, path)
    return 0


def cmd_rekey(ctx: Context, args: argparse.Namespace) -> int:
    """Change the data key: re-encrypt the database under a new key."""
    from desktop.vault.database import read_header
    from desktop.vault.recovery import rekey

    read_header(Path(args.vault))
    result = rekey(Path(args.vault), get_passphrase(ctx, args), ctx.policy)
    ctx.out(
        _(
            "The vault's data key was changed: {rows} rows in {tables} tables re-encrypted and checked."
        ).format(rows=result.rows, tables=result.tables)
    )
    ctx.out(_("Old copies of the key header no longer open the vault; old backups keep their old key."))
    if result.code_removed:
        ctx.out(_("The recovery code no longer works: make a new one (declara vault recovery-code)."))
    return 0


def cmd_repair_header(ctx: Context, args: argparse.Namespace) -> int:
    """Put the key header's copy back in place (or renew the copy); the damaged file is kept."""
    from desktop.vault.database import read_header
    from desktop.vault.headerfile import COPY_NAME, HEADER_NAME, repair

    read_header(Path(args.vault))
    done = repair(Path(args.vault))
    if done == "nothing":
        ctx.out(_("The key header and its copy are sound; nothing was changed."))
    elif done == "main":
        ctx.out(_("{name} was restored from its copy {copy}.").format(name=HEADER_NAME, copy=COPY_NAME))
    else:
        ctx.out(_("The copy {copy} was renewed from {name}.").format(name=HEADER_NAME, copy=COPY_NAME))
    return 0


def add_parser(
    vault_cmds: argparse._SubParsersAction, vault_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register this module's vault actions."""
    p = vault_cmds.add_parser(
        "recovery-code",
        help=_("make a one-time recovery code (words to print) that can set a new passphrase"),
    )
    vault_arg(p)
    p.add_argument("--sheet", metavar="FILE.pdf", help=_("also write the recovery sheet (PDF) to print"))
    p.set_defaults(func=cmd_recovery_code)
    p = vault_cmds.add_parser("recovery-office", help=_("let the office's key set a new passphrase"))
    vault_arg(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--recipient", metavar="age1…", help=_("the office's public key"))
    which.add_argument("--card", metavar="FILE", help=_("a trusted office device card"))
    p.set_defaults(func=cmd_recovery_office)
    p = vault_cmds.add_parser(
        "recover", help=_("set a new passphrase with the office key or the recovery code")
    )
    p.add_argument("vault", metavar="VAULT", help=_("the vault folder"))
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--identity", metavar="FILE", help=_("the office's identity file (AGE-SECRET-KEY-…)"))
    how.add_argument("--code", action="store_true", help=_("type the recovery code"))
    p.add_argument("--new-passphrase-file", metavar="FILE", help=_("read the new passphrase from FILE"))
    p.set_defaults(func=cmd_recover)
    p = vault_cmds.add_parser("rekey", help=_("change the data key (re-encrypt the whole database)"))
    vault_arg(p)
    p.set_defaults(func=cmd_rekey)
    p = vault_cmds.add_parser(
        "repair-header", help=_("put the key header's copy back in place (the damaged file is kept)")
    )
    p.add_argument("vault", metavar="VAULT", help=_("the vault folder"))
    p.set_defaults(func=cmd_repair_header)
