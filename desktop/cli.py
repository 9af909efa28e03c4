"""The ``declara`` command line.

Exit codes: 0 success; 1 the input or the vault was refused (wrong passphrase, not a vault, corrupt,
locked, invalid case file, ...), with one clear message on stderr and no traceback; 2 a usage error.
Messages follow the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) or ``--lang``.

The passphrase comes from ``--passphrase-file FILE``, else the ``DECLARA_PASSPHRASE`` environment
variable, else an interactive prompt without echo.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from desktop.case.names import display_name

from desktop import __version__, i18n
from desktop.vault import fsutil
from desktop.vault import keyheader as kh
from desktop.errors import DeclaraError
from desktop.i18n import N_, _, ngettext

PASSPHRASE_ENV = "DECLARA_PASSPHRASE"  # noqa: S105 - the name of a variable, not a secret

# argparse's own messages, so its help and errors follow the language too.
_ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("expected one argument"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


class CliError(DeclaraError):
    pass


class Context:
    """What a command needs from the outside world; tests replace the parts they script."""

    def __init__(
        self,
        *,
        policy: kh.KdfPolicy = kh.PRODUCTION,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        env: dict[str, str] | None = None,
        prompt: Callable[[str], str] | None = None,
    ) -> None:
        self.policy = policy
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.env = os.environ if env is None else env
        self.prompt = prompt or getpass.getpass

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)


# -- passphrases -------------------------------------------------------------------------------
def _read_passphrase_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.readline()
    except OSError:
        raise CliError(N_("The passphrase file {path} cannot be read."), path=path) from None
    except UnicodeDecodeError:
        raise CliError(
            N_("The passphrase file {path} is not UTF-8 text; save it as UTF-8."), path=path
        ) from None
    text = text.rstrip("\r\n")
    if not text:
        raise CliError(N_("The passphrase file {path} is empty."), path=path)
    return text


def get_passphrase(
    ctx: Context,
    args: argparse.Namespace,
    *,
    confirm: bool = False,
    file_attr: str = "passphrase_file",
    label: str | None = None,
) -> str:
    path = getattr(args, file_attr, None)
    if path:
        return _read_passphrase_file(path)
    if file_attr == "passphrase_file" and ctx.env.get(PASSPHRASE_ENV):
        return ctx.env[PASSPHRASE_ENV]
    if ctx.prompt is getpass.getpass and not sys.stdin.isatty():
        raise CliError(
            N_("No passphrase given: use --passphrase-file, the {env} variable, or run in a terminal."),
            env=PASSPHRASE_ENV,
        )
    first = ctx.prompt(label or _("Passphrase: "))
    if confirm:
        second = ctx.prompt(_("Repeat the passphrase: "))
        if first != second:
            raise CliError(N_("The two passphrases differ; nothing was changed."))
    return first


# -- opening -----------------------------------------------------------------------------------
def _open(ctx: Context, args: argparse.Namespace) -> Any:
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    key = unlock(Path(args.vault), get_passphrase(ctx, args), ctx.policy)
    from desktop.cli_recovery import warn_header  # opened with the header's copy: say so

    warn_header(ctx, Path(args.vault))
    return CaseStore(open_vault(Path(args.vault), key))


# -- commands ----------------------------------------------------------------------------------
def cmd_vault_init(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.vault.database import create_vault

    passphrase = get_passphrase(ctx, args, confirm=True)
    with create_vault(Path(args.vault), passphrase, ctx.policy):
        pass
    ctx.out(_("Created the vault {path}.").format(path=args.vault))
    return 0


def cmd_vault_check(ctx: Context, args: argparse.Namespace) -> int:
    store = _open(ctx, args)
    with store.vault as vault:
        problems = vault.check()
        clients = store.count("client")
    if problems:
        ctx.stderr.write(
            _("The vault is damaged: {count} problem(s) found. Keep the folder and restore a backup.").format(
                count=len(problems)
            )
            + "\n"
        )
        for problem in problems[:20]:
            ctx.stderr.write(f"  {problem}\n")
        return 1
    ctx.out(_("The vault is intact (encryption and database checks passed)."))
    ctx.out(ngettext("{count} client.", "{count} clients.", clients).format(count=clients))
    return 0


def cmd_vault_passphrase(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.vault.database import change_passphrase, read_header

    read_header(Path(args.vault))  # say "not a vault" before asking for anything
    old = get_passphrase(ctx, args, label=_("Current passphrase: "))
    if args.new_passphrase_file:
        new = _read_passphrase_file(args.new_passphrase_file)
    else:
        new = ctx.prompt(_("New passphrase: "))
        if ctx.prompt(_("Repeat the new passphrase: ")) != new:
            raise CliError(N_("The two passphrases differ; nothing was changed."))
    change_passphrase(Path(args.vault), old, new, ctx.policy)
    ctx.out(_("The passphrase was changed."))
    return 0


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.demo import create_demo_vault, demo_passphrase

    shown = None
    if args.passphrase_file or ctx.env.get(PASSPHRASE_ENV):
        passphrase = get_passphrase(ctx, args)
    else:
        passphrase = shown = demo_passphrase()
    names = create_demo_vault(Path(args.vault), passphrase, ctx.policy)
    ctx.out(
        _("Created the demo vault {path} with {count} fictional clients: {names}.").format(
            path=args.vault, count=len(names), names=", ".join(names)
        )
    )
    if shown:
        ctx.out(_("Its passphrase is: {passphrase}").format(passphrase=shown))
    return 0


def cmd_case_import(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.casefile import import_case, read_case_file

    doc = read_case_file(Path(args.file))  # refuse a bad file before asking for the passphrase
    store = _open(ctx, args)
    with store.vault:
        client_id = import_case(store, doc, allow_duplicate=args.allow_duplicate)
        client = store.get(client_id)
    ctx.out(_("Imported {name} ({id}).").format(name=display_name(client.data), id=client_id))
    return 0


def cmd_case_export(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.casefile import dumps_case, export_case

    from desktop.cli_docs import export_case_zip

    store = _open(ctx, args)
    with store.vault:
        if export_case_zip(ctx, args, store):  # version 2: the client's documents in a ZIP
            return 0
        doc = export_case(store, args.client)
    if args.out == "-":
        ctx.stdout.write(dumps_case(doc))
    else:
        _write_export(ctx, args.out, dumps_case(doc).encode("utf-8"))
    return 0


def _write_export(ctx: Context, path: str, data: bytes) -> None:
    """A document the user asked for: written only there, 0600, replaced in one step, and said
    to be unencrypted. Never inside a vault folder: main() checks every --out first."""
    fsutil.write_atomic(Path(path), data)
    ctx.stderr.write(_("Wrote {path}. It is not encrypted: keep it safe.").format(path=path) + "\n")


def cmd_timeline(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.casefile import export_case
    from desktop.documents.timeline import render_timeline

    store = _open(ctx, args)
    with store.vault:
        doc = export_case(store, args.client, documents=None)  # sources may name its documents
    exhibits = dict(args.exhibit_refs or [])
    pdf = render_timeline(
        doc, args.document_language, exhibit_label=args.exhibit, author=args.author, exhibits=exhibits
    )
    _write_export(ctx, args.out, pdf)
    from desktop.cli_docs import warn_unknown_sources

    warn_unknown_sources(ctx, doc)
    return 0


def cmd_declaration(ctx: Context, args: argparse.Namespace) -> int:
    """Write one version of a client's declaration (the current one by default) as a PDF."""
    from desktop.case.casefile import export_case
    from desktop.drafting.declarations import DeclarationService
    from desktop.documents.declaration import render_declaration

    store = _open(ctx, args)
    with store.vault:
        doc = export_case(store, args.client)
        client = store.resolve_client(args.client)
        service = DeclarationService(store)
        versions = service.versions(client.id)
        declaration = service.render_input(client.id, args.declaration_version)
    name = display_name(client.data)
    if not versions:
        raise CliError(N_("{name} has no declaration yet."), name=name)
    if declaration is None:
        raise CliError(
            N_("The declaration of {name} has no version {number} (versions: {versions})."),
            name=name,
            number=args.declaration_version,
            versions=", ".join(str(v.number) for v in versions),
        )
    options: dict[str, Any] = {}
    if args.conformed:
        options["conformed"] = True  # "/s/ NAME" on the signature line of a signed version
    pdf = render_declaration(
        doc,
        args.document_language,
        declaration=declaration,
        double_spaced=not args.single_spaced and declaration.get("double_spaced") is not False,
        reading_copy=args.reading_copy,
        **options,
    )
    _write_export(ctx, args.out, pdf)
    return 0


def _marker_lines(version: Any) -> list[str]:
    """One line per marker left in a version: paragraph, language, marker."""
    from desktop.drafting.signing import marker_blockers

    blockers = marker_blockers([p.data for p in version.paragraphs])
    return [
        _("  paragraph {paragraph} ({language}): {marker}").format(
            paragraph=b.paragraph, language=b.lang, marker=b.params["marker"]
        )
        for b in blockers
    ]


def cmd_declaration_draft(ctx: Context, args: argparse.Namespace) -> int:
    """Draft a new declaration version from the interview and the chronology."""
    from desktop.drafting.declarations import draft_into_vault

    store = _open(ctx, args)
    with store.vault:
        client = store.resolve_client(args.client)
        version = draft_into_vault(store, client.id)
        lines = _marker_lines(version)
    ctx.out(
        ngettext(
            "Drafted version {number} of the declaration of {name}: {count} paragraph.",
            "Drafted version {number} of the declaration of {name}: {count} paragraphs.",
            len(version.paragraphs),
        ).format(number=version.number, name=display_name(client.data), count=len(version.paragraphs))
    )
    if lines:
        ctx.out(
            ngettext(
                "{count} place for the attorney to complete before signing:",
                "{count} places for the attorney to complete before signing:",
                len(lines),
            ).format(count=len(lines))
        )
        for line in lines:
            ctx.out(line)
    else:
        ctx.out(_("Nothing is marked for the attorney to complete."))
    return 0


def cmd_declaration_sign(ctx: Context, args: argparse.Namespace) -> int:
    """Mark the current version signed on the day and at the place the client signed it."""
    from desktop.drafting.declarations import DeclarationService
    from desktop.drafting.signing import parse_place, parse_signing_date

    # What was typed is refused before asking for the passphrase.
    signed_on = parse_signing_date(args.on, i18n.current_language())
    place = parse_place(args.at)

    def person(name: str | None, address: str | None, phone: str | None) -> dict[str, Any] | None:
        given = {"name": name, "address": address, "phone": phone}
        given = {k: v for k, v in given.items() if v is not None}
        return given or None

    store = _open(ctx, args)
    with store.vault:
        client = store.resolve_client(args.client)
        signed = DeclarationService(store).sign(
            client.id,
            signed_on,
            place=place,
            interpreter=person(args.interpreter, args.interpreter_address, args.interpreter_phone),
            translator=person(args.translator, args.translator_address, args.translator_phone),
        )
    ctx.out(
        _("Version {number} of the declaration of {name} is signed, executed on {date} at {place}.").format(
            number=signed.number,
            name=display_name(client.data),
            date=signed_on.isoformat(),
            place=args.at.strip(),
        )
    )
    ctx.out(_("SHA-256: {digest}").format(digest=signed.record.data["sha256"]))
    return 0


#: ``declaration draft``, ``declaration sign`` and ``custody draft`` are commands of their own (the
#: word after decides); ``declaration VAULT CLIENT …`` writes the PDF, ``custody VAULT CLIENT`` shows.
ACTIONS = {"declaration": ("draft", "sign"), "custody": ("draft", "sources")}


def _join_declaration_action(argv: list[str]) -> list[str]:
    """``declaration draft …`` -> ``"declaration draft" …`` (one parser each)."""
    _lang, rest = i18n.split_language_option(argv)
    if len(rest) < 2 or rest[1] not in ACTIONS.get(rest[0], ()):
        return argv
    at = len(argv) - len(rest)
    return [*argv[:at], f"{rest[0]} {rest[1]}", *argv[at + 2 :]]


def cmd_case_list(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.anumber import format_a_number

    store = _open(ctx, args)
    with store.vault:
        clients = store.clients()
    rows = [
        {
            "id": c.id,
            "name": display_name(c.data),
            "a_number": format_a_number(c.data.get("a_number")) or None,
        }
        for c in clients
    ]
    if args.json:
        ctx.out(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        ctx.out(_("The vault has no clients yet."))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        ctx.out(f"{r['id']}  {r['a_number'] or '-':<13}  {r['name']:<{width}}")
    ctx.out(ngettext("{count} client.", "{count} clients.", len(rows)).format(count=len(rows)))
    return 0


def cmd_case_show(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.casefile import export_case
    from desktop.case.report import case_summary

    store = _open(ctx, args)
    with store.vault:
        doc = export_case(store, args.client)
    if args.json:
        ctx.out(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        ctx.out(case_summary(doc, i18n.current_language()))
    return 0


def cmd_case_validate(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.case.casefile import read_case_file

    doc = read_case_file(Path(args.file))
    ctx.out(_("The case file is valid: {name}.").format(name=display_name(doc["client"])))
    return 0


# -- parser ------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    # cli_sync and cli_docs import this module: loaded once it is complete
    from desktop import cli_custody, cli_date, cli_docs, cli_office, cli_packet
    from desktop import cli_requests, cli_sync, cli_vault

    parser = argparse.ArgumentParser(
        prog="declara",
        description=_("Declara: encrypted interview, chronology and declaration preparation."),
    )
    parser.add_argument("--version", action="version", version=f"Declara {__version__}")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of the messages"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    def vault_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("vault", metavar="VAULT", help=_("the vault folder"))
        p.add_argument(
            "--passphrase-file", metavar="FILE", help=_("read the passphrase from the first line of FILE")
        )

    vault = commands.add_parser("vault", help=_("create, check or re-key a vault"))
    vault_cmds = vault.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    p = vault_cmds.add_parser("init", help=_("create a new, empty vault"))
    vault_arg(p)
    p.set_defaults(func=cmd_vault_init)
    p = vault_cmds.add_parser("check", help=_("unlock and verify the encryption and the database"))
    vault_arg(p)
    p.set_defaults(func=cmd_vault_check)
    p = vault_cmds.add_parser("passphrase", help=_("change the passphrase"))
    vault_arg(p)
    p.add_argument("--new-passphrase-file", metavar="FILE", help=_("read the new passphrase from FILE"))
    p.set_defaults(func=cmd_vault_passphrase)
    cli_vault.add_parser(vault_cmds, vault_arg)

    p = commands.add_parser("demo", help=_("create a vault with three fictional sample clients"))
    vault_arg(p)
    p.set_defaults(func=cmd_demo)

    case = commands.add_parser("case", help=_("import, export, list and show clients"))
    case_cmds = case.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    p = case_cmds.add_parser("import", help=_("import a case file (JSON)"))
    vault_arg(p)
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--allow-duplicate",
        action="store_true",
        help=_("import even if a client with the same A-number exists"),
    )
    p.set_defaults(func=cmd_case_import)
    p = case_cmds.add_parser("export", help=_("export a client as a case file (not encrypted)"))
    vault_arg(p)
    p.add_argument("client", metavar="CLIENT", help=_("the client's id or A-number"))
    p.add_argument(
        "--out", required=True, metavar="FILE", help=_("where to write it ('-' for standard output)")
    )
    cli_docs.add_documents_option(p)
    p.set_defaults(func=cmd_case_export)
    p = case_cmds.add_parser("list", help=_("list the clients"))
    vault_arg(p)
    p.add_argument("--json", action="store_true", help=_("print id, name and A-number as JSON"))
    p.set_defaults(func=cmd_case_list)
    p = case_cmds.add_parser("show", help=_("show one client"))
    vault_arg(p)
    p.add_argument("client", metavar="CLIENT", help=_("the client's id or A-number"))
    p.add_argument("--json", action="store_true", help=_("print the client as a case file"))
    p.set_defaults(func=cmd_case_show)
    p = case_cmds.add_parser("validate", help=_("check a case file without importing it"))
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_case_validate)

    def client_command(name: str, help_text: str) -> argparse.ArgumentParser:
        """A command on one client of a vault: VAULT CLIENT."""
        p = commands.add_parser(name, help=help_text)
        vault_arg(p)
        p.add_argument("client", metavar="CLIENT", help=_("the client's id or A-number"))
        return p

    def document_command(name: str, help_text: str) -> argparse.ArgumentParser:
        """A command writing one client's PDF: VAULT CLIENT --lang en|es --out FILE."""
        p = client_command(name, help_text)
        # The document's language, not the messages' (that one is the --lang before the command).
        p.add_argument(
            "--lang",
            dest="document_language",
            required=True,
            choices=i18n.LANGUAGES,
            help=_("language of the document"),
        )
        p.add_argument("--out", required=True, metavar="FILE", help=_("where to write the PDF"))
        return p

    p = document_command("timeline", _("write a client's chronology exhibit as a PDF (not encrypted)"))
    p.add_argument(
        "--exhibit", metavar="LABEL", help=_("exhibit label printed on the first page, e.g. 'Exhibit C'")
    )
    p.add_argument("--author", metavar="NAME", help=_("author recorded in the PDF's properties"))
    p.add_argument(
        "--exhibit-ref",
        dest="exhibit_refs",
        action="append",
        type=cli_docs.exhibit_ref,
        metavar="SOURCE=LETTER[:PAGE]",
        help=_(
            "the exhibit (and page) of the filing that holds a source, printed beside it, "
            "e.g. i-213=B:3 or declaration=A; repeat for each source"
        ),
    )
    p.set_defaults(func=cmd_timeline)

    p = document_command(
        "declaration", _("write a client's declaration as a PDF to sign or file (not encrypted)")
    )
    p.add_argument(
        "--version",
        dest="declaration_version",
        type=int,
        metavar="N",
        help=_("the version to write (1 is the first); the current one by default"),
    )
    p.add_argument("--single-spaced", action="store_true", help=_("single-space the body (1.15 lines)"))
    p.add_argument(
        "--reading-copy",
        action="store_true",
        help=_("a copy for the client to read: marked 'do not sign', without signature or certificates"),
    )
    p.add_argument(
        "--conformed",
        action="store_true",
        help=_("a signed version with '/s/ NAME' on the signature line, for electronic filing"),
    )
    p.set_defaults(func=cmd_declaration)

    p = client_command(
        "declaration draft",
        _("draft a new declaration version from the interview and chronology; list what to complete"),
    )
    p.set_defaults(func=cmd_declaration_draft)

    p = client_command(
        "declaration sign",
        _("mark the current declaration version signed, on the day and at the place the client signed"),
    )
    p.add_argument(
        "--on",
        required=True,
        metavar="DATE",
        help=_("the day the client signed, e.g. 2026-11-02 or 'November 2, 2026'"),
    )
    p.add_argument(
        "--at",
        required=True,
        metavar=_("CITY, STATE|COUNTRY"),
        help=_("where the client signed, e.g. 'Pearsall, TX' or 'Tapachula, MX'"),
    )
    p.add_argument("--interpreter", metavar="NAME", help=_("the interpreter's name"))
    p.add_argument("--interpreter-address", metavar="ADDRESS", help=_("the interpreter's address"))
    p.add_argument("--interpreter-phone", metavar="PHONE", help=_("the interpreter's telephone"))
    p.add_argument("--translator", metavar="NAME", help=_("the translator's name"))
    p.add_argument("--translator-address", metavar="ADDRESS", help=_("the translator's address"))
    p.add_argument("--translator-phone", metavar="PHONE", help=_("the translator's telephone"))
    p.set_defaults(func=cmd_declaration_sign)

    office = commands.add_parser("office", help=_("make a vault the office that merges the laptops"))
    office_cmds = office.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    p = office_cmds.add_parser("init", help=_("make this vault the office"))
    vault_arg(p)
    p.add_argument("--name", metavar="NAME", help=_("the name other devices see"))
    p.set_defaults(func=cli_sync.cmd_office_init)

    sync_ = commands.add_parser(
        "sync", help=_("exchange encrypted sync files between laptops and the office")
    )
    sync_cmds = sync_.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    p = sync_cmds.add_parser("card", help=_("write this vault's public device card"))
    vault_arg(p)
    p.add_argument("--out", required=True, metavar="FILE", help=_("where to write the card"))
    p.add_argument("--name", metavar="NAME", help=_("the name other devices see"))
    p.set_defaults(func=cli_sync.cmd_sync_card)
    p = sync_cmds.add_parser(
        "trust", help=_("trust another device's card (compare the fingerprint by phone)")
    )
    vault_arg(p)
    p.add_argument("card", metavar="CARD")
    p.add_argument("--fingerprint", metavar="FP", help=_("refuse the card unless it has this fingerprint"))
    p.set_defaults(func=cli_sync.cmd_sync_trust)
    p = sync_cmds.add_parser("peers", help=_("list the trusted devices"))
    vault_arg(p)
    p.set_defaults(func=cli_sync.cmd_sync_peers)
    p = sync_cmds.add_parser("export", help=_("write a sync file (to a laptop: its assigned clients only)"))
    vault_arg(p)
    p.add_argument("--to", required=True, metavar="CARD_OR_NAME", help=_("the device's card, name or id"))
    p.add_argument("--out", required=True, metavar="FILE", help=_("where to write the sync file"))
    p.add_argument("--full", action="store_true", help=_("send every record, not only the changes"))
    p.add_argument(
        "--clients", metavar="IDS", help=_("only these clients (ids or A-numbers, comma-separated)")
    )
    p.set_defaults(func=cli_sync.cmd_sync_export)
    p = sync_cmds.add_parser("import", help=_("verify and apply a sync file"))
    vault_arg(p)
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cli_sync.cmd_sync_import)
    p = sync_cmds.add_parser(
        "export-identity", help=_("write the age identity that opens this vault's sync files")
    )
    vault_arg(p)
    p.add_argument("--out", required=True, metavar="FILE", help=_("where to write the identity"))
    p.set_defaults(func=cli_sync.cmd_sync_export_identity)
    p = sync_cmds.add_parser("conflicts", help=_("list the conflicts waiting for a decision"))
    vault_arg(p)
    p.set_defaults(func=cli_sync.cmd_sync_conflicts)
    p = sync_cmds.add_parser("resolve", help=_("resolve a conflict"))
    vault_arg(p)
    p.add_argument("conflict", metavar="ID", type=int)
    p.add_argument(
        "choice", choices=("mine", "theirs"), help=_("keep this vault's value or take the other's")
    )
    p.set_defaults(func=cli_sync.cmd_sync_resolve)
    cli_office.add_parser(office_cmds, sync_cmds, vault_arg)  # assignments (issue 19)
    for module in (cli_date, cli_docs, cli_packet, cli_requests, cli_custody):  # their own modules
        module.add_parser(commands)
    return parser


def _install_argparse_translations() -> None:
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def _pick_language(argv: Sequence[str], env: Any) -> str:
    """The messages' language: ``--lang`` before the command, else the environment's."""
    lang, _rest = i18n.split_language_option(argv)
    return (i18n.normalize_language(lang) if lang else None) or i18n.detect_language(env)


def main(argv: Sequence[str] | None = None, ctx: Context | None = None) -> int:
    from desktop.cli_guard import check_targets, failure_message
    from desktop.hardening import disable_core_dumps

    disable_core_dumps()  # first: no crash dump may hold the data key (docs/security.md)
    os.umask(0o077)
    ctx = ctx or Context()
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(_pick_language(argv, ctx.env))
    _install_argparse_translations()
    parser = build_parser()
    try:
        args = parser.parse_args(_join_declaration_action(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(ctx.stdout)
        return 0
    try:
        check_targets(args)  # nothing is written inside a vault folder (issue 18)
        return int(args.func(ctx, args))
    except DeclaraError as exc:
        ctx.stderr.write(_("declara: {message}").format(message=exc.message()) + "\n")
        return 1
    except KeyboardInterrupt:
        ctx.stderr.write(_("declara: interrupted; nothing more was changed.") + "\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - no traceback ever (issue 18, finding 8)
        if ctx.env.get("DECLARA_DEBUG"):
            raise
        ctx.stderr.write(_("declara: {message}").format(message=failure_message(exc)) + "\n")
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
