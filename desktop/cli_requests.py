"""The ``declara request`` commands: the requests an allegation calls for, and their letters.

- ``declara request list VAULT CLIENT [--json]``: each allegation with the requests it calls for
  (CBP, ICE, USCIS, OBIM, the FBI, EOIR, the home country's clearance certificates) and where each
  recorded one stands: pending, overdue, answered, valid, expiring, expired.
- ``declara request draft VAULT CLIENT --to AGENCY|CLEARANCE [--allegation ID] --out FILE.pdf|.docx``:
  the letter, written 0600 outside the vault; the request is recorded as a draft to track.
- ``declara request requester VAULT [--name …]``: who signs the FOIA letters (kept in the vault).
- ``declara request sources [--json]``: every fact of the data tables with its source, the day it
  was checked and whether a source confirmed it.

Part of the command line (:mod:`desktop.cli` builds the parser).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.errors import DeclaraError
from desktop.i18n import N_, _, current_language

if TYPE_CHECKING:
    from desktop.cli import Context

TARGET_CHOICES = ("CBP", "ICE", "USCIS", "OBIM", "FBI", "EOIR", "DOS", "CLEARANCE")
NOT_REQUESTED = N_("not requested")
WRONG_SUFFIX = N_("The letter is written as PDF or DOCX: give a file name ending in .pdf or .docx.")
IN_VAULT = N_("A letter is never written inside the vault folder; choose another place.")
EXISTS = N_("{path} already exists; use --force to replace it.")


def _lang() -> str:
    return "es" if current_language() == "es" else "en"


def _day(value: dt.date | None) -> str:
    if value is None:
        return ""
    from babel.dates import format_date

    from desktop.i18n import babel_locale

    return format_date(value, format="medium", locale=babel_locale())


def _target_name(to: str, country: str | None = None) -> str:
    from desktop.case.display import country_name
    from desktop.requests.tables import target_name

    if to == "CLEARANCE":
        return _("Clearance certificates ({country})").format(country=country_name(country, _lang()))
    return target_name(to, _lang())


def _state_line(state: Any) -> str:
    from desktop.requests.tracking import STATE_LABELS

    from desktop.case.dates import format_edtf

    parts = [_(STATE_LABELS[state.state])]
    if state.sent_on:
        try:
            sent = format_edtf(state.sent_on, _lang())
        except DeclaraError:
            sent = state.sent_on
        parts.append(_("sent {date}").format(date=sent))
    if state.due:
        key = N_("due {date} (from an approximate date)") if state.due_approximate else N_("due {date}")
        parts.append(_(key).format(date=_day(state.due)))
    if state.expires:
        key = (
            N_("valid until {date} (from an approximate date)")
            if state.expires_approximate
            else N_("valid until {date}")
        )
        parts.append(_(key).format(date=_day(state.expires)))
    if state.validity_unknown:
        parts.append(_("validity not confirmed"))
    if state.tracking_number:
        parts.append(_("tracking number {number}").format(number=state.tracking_number))
    if state.expedited:
        from desktop.case.model import VOCABULARIES

        parts.append(_(VOCABULARIES["foia_expedited"][state.expedited]))
    return " · ".join(parts)


def _state_json(state: Any, refs: dict[str, str]) -> dict[str, Any]:
    return {
        "id": refs.get(state.id, ""),
        "to": state.to,
        "state": state.state,
        "sent_on": state.sent_on,
        "received_on": state.received_on,
        "tracking_number": state.tracking_number,
        "expedited": state.expedited,
        "due": state.due.isoformat() if state.due else None,
        "due_approximate": state.due_approximate,
        "issued_on": state.issued_on,
        "valid_until": state.expires.isoformat() if state.expires else None,
        "valid_until_approximate": state.expires_approximate,
        "validity_unknown": state.validity_unknown,
    }


def cmd_request_list(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.anumber import format_a_number
    from desktop.case.model import VOCABULARIES
    from desktop.case.names import display_name
    from desktop.cli import _open
    from desktop.requests.service import RequestService, record_ref
    from desktop.requests.tracking import STATE_LABELS

    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    store = _open(ctx, args)
    with store.vault:
        client = store.resolve_client(args.client)
        service = RequestService(store)
        overview = service.overview(client.id, today)
        states = service.states(client.id, today)
        refs = {r.id: record_ref(r, "foia") for r in service.requests(client.id)}
    linked = {s.id for item in overview for sug in item.suggestions for s in sug.requests}
    others = [s for s in states if s.id not in linked]
    if args.json:
        out = {
            "client": display_name(client.data),
            "allegations": [
                {
                    "id": item.ref,
                    "kind": item.allegation.data.get("kind"),
                    "organization": item.allegation.data.get("organization"),
                    "glance": dict(item.glance),
                    "called_for": [
                        {
                            "to": sug.to,
                            "country": sug.country,
                            "reason": _(sug.reason),
                            "requests": [_state_json(s, refs) for s in sug.requests],
                        }
                        for sug in item.suggestions
                    ],
                }
                for item in overview
            ],
            "other_requests": [_state_json(s, refs) for s in others],
        }
        ctx.out(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    number = client.data.get("a_number")
    ctx.out(display_name(client.data) + (f" — {format_a_number(number)}" if number else ""))
    if not overview:
        ctx.out(_("No allegation is recorded: nothing calls for a request yet."))
    for item in overview:
        data = item.allegation.data
        title = _(VOCABULARIES["allegation_kind"].get(data.get("kind"), data.get("kind") or ""))
        if data.get("organization"):
            title += f" ({data['organization']})"
        glance = " · ".join(
            _("{state}: {count}").format(state=_(STATE_LABELS[state]), count=count)
            for state, count in item.glance
        )
        ctx.out("")
        ctx.out(
            _("Allegation {id}: {title}").format(id=item.ref, title=title)
            + (f" — {glance}" if glance else "")
        )
        for sug in item.suggestions:
            ctx.out(f"  {_target_name(sug.to, sug.country)}")
            ctx.out(f"      {_(sug.reason)}")
            if not sug.requests:
                ctx.out(f"      {_(NOT_REQUESTED)}")
            for state in sug.requests:
                label = _target_name(state.to) + ": " if state.clearance else ""
                ctx.out(f"      {refs.get(state.id, '')}  {label}{_state_line(state)}")
    if others:
        ctx.out("")
        ctx.out(_("Other requests:"))
        for state in others:
            ctx.out(f"  {refs.get(state.id, '')}  {_target_name(state.to)}: {_state_line(state)}")
    return 0


def document_out(args: argparse.Namespace) -> tuple[Path, str]:
    """``--out`` of a command that writes a letter: a .pdf or .docx file outside the vault, not over
    a file without ``--force``, not a folder; the path and its format."""
    from desktop.cli import CliError
    from desktop.cli_docs import _inside

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "docx"):
        raise CliError(WRONG_SUFFIX)
    if _inside(out, Path(args.vault)):
        raise CliError(IN_VAULT)
    if (out.exists() or out.is_symlink()) and not args.force:
        raise CliError(EXISTS, path=args.out)
    if out.is_dir():
        raise CliError(N_("{path} is a folder; give a file name."), path=args.out)
    return out, fmt


def cmd_request_draft(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.cli import _open
    from desktop.requests.service import RequestService
    from desktop.vault import fsutil

    out, fmt = document_out(args)
    today = dt.date.fromisoformat(args.today) if args.today else None
    store = _open(ctx, args)
    with store.vault:
        client = store.resolve_client(args.client)
        service = RequestService(store)
        letter, data = service.draft(
            client.id,
            args.to,
            fmt,
            allegation=args.allegation,
            lang=args.letter_lang,
            certificates=args.certificate or None,
            representative=args.representative,
            today=today,
            record=False,
        )
        target = out.parent.resolve() / out.name
        fsutil.write_atomic(target, data)
        if os.name == "posix":
            os.chmod(target, 0o600)
        if not args.no_record:  # once the letter is written: no draft is recorded for a letter that is not
            service.record_drafts(
                client.id,
                args.to,
                allegation=args.allegation,
                certificates=args.certificate or None,
                representative=args.representative,
            )
    ctx.stderr.write(_("Wrote {path}. It is not encrypted: keep it safe.").format(path=args.out) + "\n")
    blanks = letter.blanks
    if blanks:
        ctx.stderr.write(_("Left blank for you to fill in: {blanks}").format(blanks=", ".join(blanks)) + "\n")
    return 0


def cmd_request_requester(ctx: Context, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from desktop.cli import _open
    from desktop.requests.service import RequestService

    store = _open(ctx, args)
    with store.vault:
        service = RequestService(store)
        current = service.requester()
        changes: dict[str, Any] = {}
        for key in ("name", "organization", "phone", "email"):
            value = getattr(args, key)
            if value is not None:
                changes[key] = value
        if args.address is not None:
            changes["address"] = tuple(args.address)
        if changes:
            current = service.set_requester(replace(current, **changes))
    for label, value in (
        (_("Name"), current.name),
        (_("Organization"), current.organization),
        (_("Address"), " / ".join(current.address)),
        (_("Telephone"), current.phone),
        (_("Email"), current.email),
    ):
        ctx.out(f"{label}: {value}")
    return 0


def cmd_request_sources(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.requests import tables

    facts = tables.all_facts()
    if args.json:
        ctx.out(
            json.dumps(
                [
                    {
                        "fact": where,
                        "source": fact.source,
                        "checked_on": fact.checked_on.isoformat(),
                        "confirmed": fact.confirmed,
                        "note": fact.note,
                    }
                    for where, fact in facts
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for where, fact in facts:
        status = _("confirmed") if fact.confirmed else _("NOT CONFIRMED")
        ctx.out(f"{where}  [{status}, {fact.checked_on.isoformat()}]  {fact.source}")
    unconfirmed = sum(1 for _where, fact in facts if not fact.confirmed)
    ctx.out(
        _("{total} facts; {unconfirmed} not confirmed by a source.").format(
            total=len(facts), unconfirmed=unconfirmed
        )
    )
    return 0


def _date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a day (YYYY-MM-DD)").format(value=value)
        ) from None
    return value


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``declara request`` on the command line's subcommands."""
    request = commands.add_parser(
        "request", help=_("the FOIA and clearance requests an allegation calls for, and their letters")
    )
    cmds = request.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    def vault_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("vault", metavar="VAULT", help=_("the vault folder"))
        p.add_argument(
            "--passphrase-file", metavar="FILE", help=_("read the passphrase from the first line of FILE")
        )

    def client_arg(p: argparse.ArgumentParser) -> None:
        vault_arg(p)
        p.add_argument("client", metavar="CLIENT", help=_("the client's id or A-number"))

    p = cmds.add_parser("list", help=_("the requests each allegation calls for, and where they stand"))
    client_arg(p)
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help=_("judge the deadlines on this day"))
    p.set_defaults(func=cmd_request_list)

    p = cmds.add_parser("draft", help=_("write a request letter as PDF or DOCX (not encrypted)"))
    client_arg(p)
    p.add_argument(
        "--to", required=True, type=str.upper, choices=TARGET_CHOICES, help=_("where the request goes")
    )
    p.add_argument("--allegation", metavar="ID", help=_("the allegation the request answers"))
    p.add_argument("--out", required=True, metavar="FILE", help=_("the letter, ending in .pdf or .docx"))
    p.add_argument(
        "--letter-lang",
        choices=("en", "es"),
        help=_("the letter's language (default: English to an agency, Spanish for a certificate)"),
    )
    p.add_argument(
        "--certificate",
        action="append",
        metavar="CODE",
        help=_("only this certificate (repeat for several; default: all of the country's)"),
    )
    p.add_argument(
        "--representative", metavar="ID", help=_("the family member who applies for the certificates")
    )
    p.add_argument("--no-record", action="store_true", help=_("do not record the request as a draft"))
    p.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help=_("the letter's date (default today)"))
    p.set_defaults(func=cmd_request_draft)

    p = cmds.add_parser("requester", help=_("show or set who signs the FOIA letters"))
    vault_arg(p)
    p.add_argument("--name", help=_("the attorney's or representative's name"))
    p.add_argument("--organization", help=_("the organization"))
    p.add_argument("--address", action="append", metavar="LINE", help=_("a line of the address (repeat)"))
    p.add_argument("--phone", help=_("the telephone"))
    p.add_argument("--email", help=_("the email address"))
    p.set_defaults(func=cmd_request_requester)

    p = cmds.add_parser("sources", help=_("every fact of the request tables with its source"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_request_sources)
