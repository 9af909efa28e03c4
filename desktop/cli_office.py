"""``declara office assign|unassign|assignments`` and ``declara sync hand-back``: which clients each
laptop carries (:mod:`desktop.sync.assignments`)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from desktop.cli import Context, _open
from desktop.i18n import _, ngettext


def _client_ids(store: Any, tokens: list[str]) -> list[str]:
    """CLIENT arguments (ids or A-numbers, as ``case show`` takes them) as client ids."""
    return [store.resolve_client(t).id for t in tokens]


def cmd_office_assign(ctx: Context, args: argparse.Namespace) -> int:
    """Assign clients to a laptop: its next sync file from the office carries them."""
    from desktop.sync import assignments, find_peer

    store = _open(ctx, args)
    with store.vault as vault:
        peer = find_peer(vault, args.laptop)
        count = assignments.assign(vault, peer, _client_ids(store, args.clients))
    ctx.out(
        ngettext(
            "Assigned {count} client to “{name}”.", "Assigned {count} clients to “{name}”.", count
        ).format(count=count, name=peer.name)
    )
    return 0


def cmd_office_unassign(ctx: Context, args: argparse.Namespace) -> int:
    """Unassign clients from a laptop: its next import removes them once the office has everything."""
    from desktop.sync import assignments, find_peer

    store = _open(ctx, args)
    with store.vault as vault:
        peer = find_peer(vault, args.laptop)
        count = assignments.unassign(vault, peer, _client_ids(store, args.clients))
    ctx.out(
        ngettext(
            "Unassigned {count} client from “{name}”; its next sync file from the office asks it to "
            "remove the client.",
            "Unassigned {count} clients from “{name}”; its next sync file from the office asks it to "
            "remove them.",
            count,
        ).format(count=count, name=peer.name)
    )
    return 0


def _names(conn: Any) -> dict[str, str]:
    rows = conn.execute("SELECT client_id, given_names, family_names FROM client_summary")
    return {r[0]: f"{r[1]} {r[2]}".strip() for r in rows}


def cmd_office_assignments(ctx: Context, args: argparse.Namespace) -> int:
    """Per laptop: the clients assigned to it, and those it still holds awaiting deletion."""
    from desktop.sync import assignments, peers

    store = _open(ctx, args)
    with store.vault as vault:
        assignments._require_office(vault)
        laptops = [p for p in peers(vault) if p.role == assignments.LAPTOP]
        pending = assignments.pending_removals(vault)
        report = [
            {
                "device_id": p.device_id,
                "name": p.name,
                "assigned": sorted(assignments.assigned(vault, p)),
                "awaiting_removal": pending.get(p.device_id, []),
            }
            for p in laptops
        ]
        names = _names(vault.conn)
    if args.json:
        ctx.out(json.dumps({"laptops": report}, ensure_ascii=False, indent=2))
        return 0
    for entry in report:
        ctx.out(f"{entry['name']} ({entry['device_id']})")
        ctx.out("  " + _("assigned: {count}").format(count=len(entry["assigned"])))
        for cid in entry["assigned"]:
            ctx.out(f"    {cid}  {names.get(cid, '')}".rstrip())
        if entry["awaiting_removal"]:
            held = _("still held, awaiting deletion: {count}").format(count=len(entry["awaiting_removal"]))
            ctx.out("  " + held)
            for cid in entry["awaiting_removal"]:
                ctx.out(f"    {cid}  {names.get(cid, '')}".rstrip())
    ctx.out(ngettext("{count} laptop.", "{count} laptops.", len(report)).format(count=len(report)))
    return 0


def cmd_sync_hand_back(ctx: Context, args: argparse.Namespace) -> int:
    """On a laptop: give clients back to the office (removed here once the office has everything)."""
    from desktop.sync import assignments

    store = _open(ctx, args)
    with store.vault as vault:
        count = assignments.hand_back(vault, _client_ids(store, args.clients))
    ctx.out(
        ngettext(
            "Marked {count} client to hand back. The next sync file to the office asks it to unassign "
            "the client; it is removed from this laptop once the office confirms it has everything.",
            "Marked {count} clients to hand back. The next sync file to the office asks it to unassign "
            "them; they are removed from this laptop once the office confirms it has everything.",
            count,
        ).format(count=count)
    )
    return 0


def add_parser(
    office_cmds: argparse._SubParsersAction,
    sync_cmds: argparse._SubParsersAction,
    vault_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register the office's assignment actions and the laptop's hand-back."""
    laptop_help = _("the laptop's device name or id")
    client_help = _("client ids or A-numbers")
    p = office_cmds.add_parser("assign", help=_("assign clients to a laptop (it carries only its clients)"))
    vault_arg(p)
    p.add_argument("laptop", metavar="LAPTOP", help=laptop_help)
    p.add_argument("clients", metavar="CLIENT", nargs="+", help=client_help)
    p.set_defaults(func=cmd_office_assign)
    p = office_cmds.add_parser(
        "unassign", help=_("unassign clients from a laptop (its next import removes them)")
    )
    vault_arg(p)
    p.add_argument("laptop", metavar="LAPTOP", help=laptop_help)
    p.add_argument("clients", metavar="CLIENT", nargs="+", help=client_help)
    p.set_defaults(func=cmd_office_unassign)
    p = office_cmds.add_parser(
        "assignments", help=_("list each laptop's clients, and those still held awaiting deletion")
    )
    vault_arg(p)
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_office_assignments)
    export = sync_cmds.choices.get("export")
    if export is not None:  # defined in desktop.cli; what it carries to a laptop is said here
        export.description = _(
            "Write a sync file for a trusted device. From the office to a laptop it carries the "
            "laptop's assigned clients only, whatever the options: --full and --clients cannot add "
            "others (declara office assign)."
        )
    p = sync_cmds.add_parser(
        "hand-back", help=_("on a laptop: give clients back to the office (removed here after the next sync)")
    )
    vault_arg(p)
    p.add_argument("clients", metavar="CLIENT", nargs="+", help=client_help)
    p.set_defaults(func=cmd_sync_hand_back)
