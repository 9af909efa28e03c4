"""The ``declara office`` and ``declara sync`` commands: identities, trust, sync files, conflicts.

Part of the command line (:mod:`desktop.cli` builds the parser and runs them); each command opens
the vault like every other, calls :mod:`desktop.sync`, and prints in the interface language.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop.cli import CliError, Context, _open
from desktop.i18n import N_, _, ngettext
from desktop.vault import fsutil


def cmd_office_init(ctx: Context, args: argparse.Namespace) -> int:
    """Make a vault the office (the vault that merges the laptops' sync files)."""
    from desktop import sync

    store = _open(ctx, args)
    with store.vault as vault:
        ident = sync.make_office(vault, name=args.name)
    ctx.out(_("{path} is now the office vault “{name}”.").format(path=args.vault, name=ident.name))
    ctx.out(_("Fingerprint: {fingerprint}").format(fingerprint=ident.fingerprint))
    return 0


def cmd_sync_card(ctx: Context, args: argparse.Namespace) -> int:
    """Write this vault's public device card."""
    from desktop import sync

    store = _open(ctx, args)
    with store.vault as vault:
        ident = sync.identity(vault, name=args.name)
        card = ident.card()
    sync.write_card(Path(args.out), card)
    ctx.out(_("Wrote the card of “{name}” to {path}.").format(name=ident.name, path=args.out))
    ctx.out(_("Fingerprint: {fingerprint}").format(fingerprint=ident.fingerprint))
    return 0


def cmd_sync_trust(ctx: Context, args: argparse.Namespace) -> int:
    """Enroll another device's card."""
    from desktop import sync

    card = sync.read_card(Path(args.card))  # refuse a bad card before asking for the passphrase
    store = _open(ctx, args)
    with store.vault as vault:
        peer = sync.trust(vault, card, expected_fingerprint=args.fingerprint)
    ctx.out(
        _("Trusted “{name}” ({role}, device {device}).").format(
            name=peer.name, role=peer.role, device=peer.device_id
        )
    )
    ctx.out(_("Fingerprint: {fingerprint}").format(fingerprint=peer.fingerprint))
    ctx.out(_("Compare it by phone with the one the other device shows; if they differ, do not sync."))
    return 0


def cmd_sync_peers(ctx: Context, args: argparse.Namespace) -> int:
    """List this vault's identity and the trusted devices."""
    from desktop import sync

    store = _open(ctx, args)
    with store.vault as vault:
        ident = sync.identity(vault)
        peers = sync.peers(vault)
    ctx.out(
        _("This vault: “{name}” ({role}, device {device}).").format(
            name=ident.name, role=ident.role, device=ident.device_id
        )
    )
    for peer in peers:
        ctx.out(f"{peer.device_id}  {peer.role:<6}  {peer.name}  {peer.fingerprint}")
    ctx.out(
        ngettext("{count} trusted device.", "{count} trusted devices.", len(peers)).format(count=len(peers))
    )
    return 0


def _sync_peer(vault: Any, token: str) -> Any:
    from desktop import sync

    path = Path(token)
    if path.is_file():
        card = sync.read_card(path)
        peer = sync.get_peer(vault, card["device_id"])
        if peer is None or peer.fingerprint != card["fingerprint"]:
            raise CliError(N_("The device on this card is not trusted yet; run “declara sync trust” first."))
        return peer
    return sync.find_peer(vault, token)


def cmd_sync_export(ctx: Context, args: argparse.Namespace) -> int:
    """Write a sync file for a trusted device."""
    from desktop import sync

    store = _open(ctx, args)
    with store.vault as vault:
        peer = _sync_peer(vault, args.to)
        clients = None
        if args.clients:
            clients = [store.resolve_client(t).id for t in args.clients.split(",") if t.strip()]
        result = sync.export_sync(vault, peer, full=args.full, clients=clients, out=Path(args.out))
    ctx.out(
        ngettext(
            "Wrote {path} for “{name}”: {count} record (file number {seq}).",
            "Wrote {path} for “{name}”: {count} records (file number {seq}).",
            result.records,
        ).format(path=args.out, name=peer.name, count=result.records, seq=result.seq)
    )
    return 0


def cmd_sync_import(ctx: Context, args: argparse.Namespace) -> int:
    """Verify and apply a sync file."""
    from desktop import sync

    raw = sync.check_sync_path(Path(args.file))  # refused before asking for the passphrase; streamed
    store = _open(ctx, args)
    with store.vault as vault:
        result = sync.import_sync(vault, raw)
    if result.already_applied:
        ctx.out(
            _("This file (number {seq} from “{name}”) was already imported; nothing changed.").format(
                seq=result.seq, name=result.sender
            )
        )
        return 0
    ctx.out(
        _(
            "Imported file number {seq} from “{name}”: {added} added, {updated} updated, "
            "{unchanged} unchanged, {conflicts} conflict(s)."
        ).format(
            seq=result.seq,
            name=result.sender,
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
            conflicts=result.conflicts,
        )
    )
    _report_removals(ctx, result)  # issue 19: clients the office unassigned from this laptop
    if result.backup:
        ctx.out(_("A copy of the vault from before the import is in {path}.").format(path=result.backup))
    for problem in result.backup_warnings:  # the second backup folder failed; the backup was made
        ctx.stderr.write(_("declara: warning: {message}").format(message=problem.message()) + "\n")
    return 0


def _report_removals(ctx: Context, result: Any) -> None:
    if result.removed:
        count = len(result.removed)
        ctx.out(
            ngettext(
                "Removed {count} client from this laptop, as the office asked.",
                "Removed {count} clients from this laptop, as the office asked.",
                count,
            ).format(count=count)
        )
    if result.kept:
        count = len(result.kept)
        ctx.out(
            ngettext(
                "Kept {count} client the office asked to remove: the office does not have all of this "
                "laptop's changes yet. Send it a sync file; the client is removed after the next one back.",
                "Kept {count} clients the office asked to remove: the office does not have all of this "
                "laptop's changes yet. Send it a sync file; they are removed after the next one back.",
                count,
            ).format(count=count)
        )


def cmd_sync_export_identity(ctx: Context, args: argparse.Namespace) -> int:
    """Write the vault's age identity (to open its sync files with the age tool)."""
    from desktop import sync

    store = _open(ctx, args)
    with store.vault as vault:
        text = sync.export_identity(vault)
    fsutil.write_atomic(Path(args.out), text.encode("utf-8"))  # created 0600
    ctx.stderr.write(
        _("Wrote {path}. It opens every sync file sent to this vault: keep it safe.").format(path=args.out)
        + "\n"
    )
    return 0


def cmd_sync_conflicts(ctx: Context, args: argparse.Namespace) -> int:
    """List the conflicts waiting for a decision."""
    from desktop import sync

    store = _open(ctx, args)
    with store.vault as vault:
        conflicts = sync.list_conflicts(vault)
    for c in conflicts:
        ctx.out(
            f"{c.id}  {c.kind}  {c.record_id}  {c.field}: "
            f"{json.dumps(c.local, ensure_ascii=False)} / {json.dumps(c.theirs, ensure_ascii=False)}"
            f"  ({c.peer_name})"
        )
    ctx.out(ngettext("{count} conflict.", "{count} conflicts.", len(conflicts)).format(count=len(conflicts)))
    return 0


def cmd_sync_resolve(ctx: Context, args: argparse.Namespace) -> int:
    """Resolve one conflict by keeping this vault's value or taking the other device's."""
    from desktop import sync

    store = _open(ctx, args)
    with store.vault as vault:
        sync.resolve_conflict(vault, args.conflict, args.choice)
    ctx.out(_("The conflict was resolved."))
    return 0
