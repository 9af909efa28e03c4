"""The ``declara packet`` command: a client's filing packet, built, checked and written in parts.

``declara packet VAULT CLIENT --out DIR`` builds the client's last saved packet; with
``--exhibits declaration,timeline,DOC_ID,…`` a new packet with those exhibits in that order; with
neither (and no packet yet) the default packet (:meth:`PacketService.default_exhibits`). The
packet is checked (:mod:`desktop.filing.check`) before anything is written; each part is written
0600 into DIR, and the command prints each file with its page range and says the files are not
encrypted. Part of the command line (:mod:`desktop.cli` builds the parser).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.i18n import N_, _

if TYPE_CHECKING:
    from desktop.cli import Context

METHODS = ("ecas", "mail", "hand", "email")
NOT_A_FOLDER = N_("{path} is not a folder; give the folder to write the packet into.")
IN_VAULT = N_("The packet is never written inside the vault folder; choose another folder.")
FILED_NOTE = N_("This packet was filed on {date}; it is built as it was filed.")


def basename_for(name: str) -> str:
    """A file name from a client's name: "Ana Lucía Pérez" -> "Ana_Lucia_Perez_Evidence"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return (re.sub(r"[^A-Za-z0-9]+", "_", plain).strip("_") or "Packet") + "_Evidence"


def cmd_packet(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.names import display_name
    from desktop.cli import CliError, _open
    from desktop.filing.packet import DEFAULT_TITLE, PacketService
    from desktop.filing.settings import remember_service_address, service_address

    out = Path(args.out)
    if not out.is_dir():
        raise CliError(NOT_A_FOLDER, path=args.out)
    vault_dir = Path(args.vault).resolve()
    if out.resolve() == vault_dir or vault_dir in out.resolve().parents:
        raise CliError(IN_VAULT)
    store = _open(ctx, args)
    with store.vault:
        client = store.resolve_client(args.client)
        service = PacketService(store)
        saved = service.packets(client.id)
        court = (client.data.get("proceedings") or {}).get("court")
        if args.exhibits is not None:
            exhibits = [
                service.exhibit_from_token(client.id, token) for token in args.exhibits if token.strip()
            ]
            packet = service.create(client.id, title=args.title or _(DEFAULT_TITLE), exhibits=exhibits)
        elif saved:
            packet = saved[-1]
        else:
            packet = service.create(client.id, title=args.title or _(DEFAULT_TITLE))
        court = packet.data.get("court") or court
        if packet.data.get("filed_on"):
            ctx.stderr.write(_(FILED_NOTE).format(date=packet.data["filed_on"]) + "\n")
        else:
            changes: dict[str, Any] = {}
            if args.title and args.exhibits is None:
                changes["title"] = args.title
            if args.limit_mb is not None:
                changes["limit_mb"] = args.limit_mb
            stored = dict(packet.data.get("service") or {})
            address = args.served_on or stored.get("address") or service_address(store.vault, court)
            if address:
                if args.served_on:
                    remember_service_address(store.vault, court, args.served_on)
                changes["service"] = {
                    "method": args.method or stored.get("method") or "ecas",
                    "date": args.service_date or stored.get("date") or dt.date.today().isoformat(),
                    "address": address,
                    "attorney": args.attorney or stored.get("attorney") or "",
                }
            if changes:
                packet = service.update(packet.id, changes)
        limit = int(args.limit_mb * 1_000_000) if args.limit_mb is not None else None
        built = service.build(packet.id, limit_bytes=limit)
        written = service.save(built, out, basename_for(display_name(client.data)))
    for path, part in zip(written, built.parts, strict=True):
        ctx.out(
            _("{path}: pages {first}–{last}").format(path=path, first=part.first_page, last=part.last_page)
        )
    ctx.stderr.write(_("These files are not encrypted: keep them safe.") + "\n")
    return 0


def _exhibit_list(value: str) -> list[str]:
    return [token.strip() for token in value.split(",")]


def _megabytes(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not 1 <= number <= 1000:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a size in MB from 1 to 1000").format(value=value)
        )
    return number


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``declara packet`` on the command line's subcommands."""
    p = commands.add_parser(
        "packet", help=_("build, check and write a client's filing packet as PDF parts (not encrypted)")
    )
    p.add_argument("vault", metavar="VAULT", help=_("the vault folder"))
    p.add_argument(
        "--passphrase-file", metavar="FILE", help=_("read the passphrase from the first line of FILE")
    )
    p.add_argument("client", metavar="CLIENT", help=_("the client's id or A-number"))
    p.add_argument("--out", required=True, metavar="DIR", help=_("the folder to write the packet into"))
    p.add_argument(
        "--exhibits",
        type=_exhibit_list,
        metavar="LIST",
        help=_(
            "a new packet with these exhibits in order: "
            "declaration, timeline or document ids, comma-separated"
        ),
    )
    p.add_argument(
        "--limit-mb", type=_megabytes, metavar="N", help=_("the largest file to upload, in MB (default 25)")
    )
    p.add_argument(
        "--served-on",
        metavar="ADDRESS",
        help=_("the address of the DHS Office of the Principal Legal Advisor served (remembered per court)"),
    )
    p.add_argument("--method", choices=METHODS, help=_("how the DHS was served (default ecas)"))
    p.add_argument("--service-date", metavar="YYYY-MM-DD", help=_("the day of service (default today)"))
    p.add_argument("--attorney", metavar="NAME", help=_("the attorney's name on the proof of service"))
    p.add_argument("--title", metavar="TITLE", help=_("the packet's title on the cover"))
    p.set_defaults(func=cmd_packet)
