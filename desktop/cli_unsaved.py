"""``declara vault apply-unsaved VAULT FILE``: bring a file of unsaved changes (saved by the window
when the vault could not store them) back into a vault (:mod:`desktop.case.unsaved_edits`).

One line per change: the client, the field (its path in the record) and what happened to it; the
values themselves are not printed. ``--dry-run`` prints the plan and changes nothing."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli import Context, _open, get_passphrase
from desktop.i18n import N_, _

if TYPE_CHECKING:
    from desktop.case.unsaved_edits import Planned

#: How each status reads, applied or (``--dry-run``) to apply.
_DONE = {"applies": N_("applied"), "already": N_("already there")}
_PLANNED = {"applies": N_("to apply"), "already": N_("already there")}


def plan_line(item: Planned, dry_run: bool) -> str:
    """``client, field: status`` for one planned edit."""
    from desktop.case import unsaved_edits as ue

    if item.status in (ue.CANNOT, ue.REFUSED):
        label = N_("cannot apply: {reason}") if item.status == ue.CANNOT else N_("not accepted: {reason}")
        shown = _(label).format(reason=item.reason.message() if item.reason is not None else "")
    else:
        shown = _((_PLANNED if dry_run else _DONE)[item.status])
    client = item.client or _("(client unknown)")
    return _("{client}, {field}: {status}").format(client=client, field=item.edit.path, status=shown)


def cmd_vault_apply_unsaved(ctx: Context, args: argparse.Namespace) -> int:
    """Print the plan for the file, then apply it (all or nothing) unless --dry-run."""
    from desktop.case import unsaved_edits as ue
    from desktop.vault.database import read_header

    read_header(Path(args.vault))  # say "not a vault" before asking for anything
    store = _open(ctx, args)  # a damaged or foreign vault is refused before the file is decrypted
    with store.vault:
        file_passphrase = get_passphrase(
            ctx,
            args,
            file_attr="file_passphrase_file",
            label=_("Passphrase of the file of unsaved changes: "),
        )
        edits = ue.read(Path(args.file), file_passphrase)
        plan = ue.plan(store, edits)
        if plan.other_vault:
            ctx.out(
                _(
                    "The file was saved from another vault (a restored backup or a salvaged vault, "
                    "perhaps): each change goes to the record it names, if this vault has it."
                )
            )
        for item in plan:
            ctx.out(plan_line(item, dry_run=args.dry_run))
        refused = ue.refusal(plan)
        if refused is not None:
            raise refused
        counts = {
            "applies": plan.count(ue.APPLIES),
            "already": plan.count(ue.ALREADY),
            "cannot": plan.count(ue.CANNOT),
        }
        if args.dry_run:
            ctx.out(
                _(
                    "Nothing was changed (--dry-run): {applies} to apply, {already} already there, "
                    "{cannot} cannot apply."
                ).format(**counts)
            )
            return 0
        report = ue.apply(store, edits)
    ctx.out(
        _("Applied {applied}, already there {already}, cannot apply {cannot}.").format(
            applied=report.applied, already=report.already, cannot=report.cannot
        )
    )
    return 0


def add_parser(
    vault_cmds: argparse._SubParsersAction, vault_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register this module's vault action."""
    p = vault_cmds.add_parser(
        "apply-unsaved", help=_("bring a file of unsaved changes (saved by the window) back into a vault")
    )
    vault_arg(p)
    p.add_argument("file", metavar="FILE", help=_("the file of unsaved changes (.age)"))
    p.add_argument(
        "--file-passphrase-file",
        metavar="F",
        help=_("read the file's passphrase from the first line of F (else it is asked)"),
    )
    p.add_argument(
        "--dry-run", action="store_true", help=_("only show what would be applied; change nothing")
    )
    p.set_defaults(func=cmd_vault_apply_unsaved)
