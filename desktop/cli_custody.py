"""The ``declara custody`` commands: the custody record and the custody documents.

- ``declara custody VAULT CLIENT [--json] [--today DAY]``: the custody chronology, the days held,
  the detention authority DHS claims, the stays and transfers, what was asked for and what came of
  it, and the next custody deadline.
- ``declara custody draft VAULT CLIENT --kind parole|bond|habeas-facts --out FILE.pdf|FILE.docx``:
  the parole request to the ICE field office, the bond packet (the filing packet for a custody
  redetermination: PDF; DOCX gives its cover and index to edit) or the statement of facts for a
  habeas petition; written 0600 outside the vault, with the blanks left for the attorney listed.
- ``declara custody sources [--json]``: every legal fact behind the record with its source, the
  day it was checked and whether a source confirmed it.

Part of the command line (:mod:`desktop.cli` builds the parser).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from typing import TYPE_CHECKING, Any

from desktop.errors import DeclaraError
from desktop.custody import KINDS as CUSTODY_KINDS
from desktop.i18n import _, current_language, ngettext

if TYPE_CHECKING:
    from desktop.cli import Context



def _lang() -> str:
    return "es" if current_language() == "es" else "en"


def _date_words(value: str) -> str:
    from desktop.case.dates import format_edtf

    try:
        return format_edtf(value, _lang())
    except DeclaraError:
        return value


def _vocab(name: str, key: Any) -> str:
    from desktop.case.model import VOCABULARIES

    label = VOCABULARIES[name].get(str(key or ""))
    return _(label) if label else str(key or "")


def _days_words(summary: Any) -> str:
    if summary.days is None:
        return _("not detained, by the custody record")
    words = ngettext("{count} day", "{count} days", summary.days).format(count=summary.days)
    if summary.approximate:
        words = _("about {days}").format(days=words)
    return _("detained {days}, since {date}").format(days=words, date=_date_words(summary.since.date))


def cmd_custody(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.names import display_name
    from desktop.cli import _open
    from desktop.custody.law import facility_with_office
    from desktop.custody.service import CustodyService

    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    store = _open(ctx, args)
    with store.vault:
        client = store.resolve_client(args.client)
        summary = CustodyService(store).summary(client.id, today)
    if args.json:
        ctx.out(
            json.dumps(_summary_json(display_name(client.data), summary, today), ensure_ascii=False, indent=2)
        )
        return 0
    ctx.out(display_name(client.data))
    ctx.out(_days_words(summary))
    ctx.out(_("Authority DHS claims: {authority}").format(
        authority=_vocab("detention_authority", summary.authority) if summary.authority else _("not recorded")
    ))  # fmt: skip
    if summary.stays:
        ctx.out(_("Where:"))
        for stay in summary.stays:
            until = _date_words(stay.end.date) if stay.end else _("now")
            where = facility_with_office(stay.facility) or "—"
            ctx.out(f"  {_date_words(stay.start.date)} – {until}: {where}")
    ctx.out(_("Custody record:"))
    if not summary.entries:
        ctx.out("  " + _("nothing recorded yet"))
    for entry in summary.entries:
        d = entry.data
        outcome = f" — {_vocab('custody_outcome', d['outcome'])}" if d.get("outcome") else ""
        where = f" · {d['facility']}" if d.get("facility") else ""
        ctx.out(f"  {_date_words(entry.date)}  {_vocab('custody_event_kind', entry.kind)}{where}{outcome}")
    deadline = summary.next_deadline
    if deadline:
        ctx.out(_("Next custody deadline: {date} ({what})").format(
            date=_date_words(deadline["date"]), what=deadline.get("what") or "—"
        ))  # fmt: skip
    return 0


def _summary_json(name: str, summary: Any, today: dt.date) -> dict[str, Any]:
    return {
        "client": name,
        "today": today.isoformat(),
        "detained": summary.detained,
        "since": summary.since.date if summary.since else None,
        "days_held": summary.days,
        "days_approximate": summary.approximate,
        "authority": summary.authority,
        "stays": [
            {"facility": s.facility, "from": s.start.date, "until": s.end.date if s.end else None}
            for s in summary.stays
        ],
        "events": [{k: v for k, v in e.data.items() if k != "sources"} for e in summary.entries],
        "next_deadline": dict(summary.next_deadline) if summary.next_deadline else None,
    }


def cmd_custody_draft(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.cli import _open
    from desktop.cli_requests import document_out
    from desktop.custody.service import CustodyService
    from desktop.requests.render import render
    from desktop.vault import fsutil

    out, fmt = document_out(args)  # the checks of ``declara request draft``
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    store = _open(ctx, args)
    blanks: list[str] = []
    with store.vault:
        client = store.resolve_client(args.client)
        service = CustodyService(store)
        if args.kind == "bond":
            data, blanks = _bond(store, service, client.id, fmt, args)
        else:
            letter = service.draft(client.id, args.kind, today)
            data, blanks = render(letter, fmt), letter.blanks
    target = out.parent.resolve() / out.name
    fsutil.write_atomic(target, data)
    if os.name == "posix":
        os.chmod(target, 0o600)
    ctx.stderr.write(_("Wrote {path}. It is not encrypted: keep it safe.").format(path=args.out) + "\n")
    if blanks:
        ctx.stderr.write(_("Left blank for you to fill in: {blanks}").format(blanks=", ".join(blanks)) + "\n")
    return 0


def _bond(
    store: Any, service: Any, client_id: str, fmt: str, args: argparse.Namespace
) -> tuple[bytes, list[str]]:
    """The bond packet: a new filing packet for a custody redetermination, built and checked; its
    PDF (one file: a packet over the size limit is split by ``declara packet build``), or its cover
    and index as DOCX to edit."""
    from desktop.filing.packet import PacketService

    packets = PacketService(store)
    served = None
    if args.served_on:  # else the address remembered for the court, as ``declara packet`` does
        served = {"method": "ecas", "date": args.today or dt.date.today().isoformat(),
                  "address": args.served_on, "attorney": args.attorney or ""}  # fmt: skip
    packet = service.bond_packet(client_id, served)
    built = packets.build(packet.id, limit_bytes=10**9)
    if fmt == "pdf":
        return built.pdf, []
    from desktop.custody.drafts import bond_cover_letter
    from desktop.requests.render import render

    letter = bond_cover_letter(store.get(client_id).data, packets.get(packet.id).data, built)
    return render(letter, "docx"), letter.blanks


def cmd_custody_sources(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.custody import law

    rows = []
    for code, authority in law.authorities().items():
        for name, fact in authority.facts.items():
            rows.append((f"authority.{code}.{name}", fact))
    rows += [(f"point.{key}", fact) for key, fact in law.points().items()]
    seen: set[int] = set()
    for office in law.field_offices().values():
        if id(office) not in seen:
            seen.add(id(office))
            rows += [(f"office.{office.key}.{name}", fact) for name, fact in office.facts.items()]
    if args.json:
        out = [
            {
                "fact": key,
                "source": f.source,
                "checked_on": f.checked_on.isoformat(),
                "confirmed": f.confirmed,
            }
            for key, f in rows
        ]
        ctx.out(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for key, fact in rows:
        state = _("confirmed") if fact.confirmed else _("not confirmed")
        ctx.out(f"{key}: {state}, {fact.checked_on.isoformat()} — {fact.source}")
    confirmed = sum(1 for _k, f in rows if f.confirmed)
    ctx.out(
        _("{confirmed} of {total} facts confirmed by a source.").format(confirmed=confirmed, total=len(rows))
    )
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``declara custody``, ``declara custody draft`` and ``declara custody sources``."""

    def client_command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_text)
        p.add_argument("vault", metavar="VAULT", help=_("the vault folder"))
        p.add_argument("client", metavar="CLIENT", help=_("the client's id or A-number"))
        p.add_argument(
            "--passphrase-file", metavar="FILE", help=_("read the passphrase from the first line of FILE")
        )
        p.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help=_("count the days held to this day"))
        return p

    p = client_command("custody", _("the custody record: days held, authority, transfers, requests"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_custody)
    p = client_command(
        "custody draft",
        _("write the parole request, the bond packet or the statement of facts (not encrypted)"),
    )
    p.add_argument("--kind", required=True, choices=CUSTODY_KINDS, help=_("which document"))
    p.add_argument("--out", required=True, metavar="FILE", help=_("the file to write (.pdf or .docx)"))
    p.add_argument("--force", action="store_true", help=_("replace the file if it exists"))
    p.add_argument(
        "--served-on",
        metavar="ADDRESS",
        help=_("bond: the address of the DHS Office of the Principal Legal Advisor served"),
    )
    p.add_argument("--attorney", metavar="NAME", help=_("bond: the attorney's name on the proof of service"))
    p.set_defaults(func=cmd_custody_draft)
    p = commands.add_parser(
        "custody sources", help=_("every legal fact of the custody record with its source")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_custody_sources)


def _day(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a day (YYYY-MM-DD): {value}").format(value=value)) from None
    return value
