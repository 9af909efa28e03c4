"""The ``declara doc`` and ``declara search`` commands: evidence documents kept in the vault.

``doc add`` imports PDFs and images into a client's record (each file on its own: a refused file
says why and the others are still tried; the command then exits 1), ``doc list`` lists them,
``doc export`` writes one out (the current revision, or ``--original``: created 0600, never over
an existing file without ``--force``, never inside the vault folder), ``doc link`` ties one to an
allegation, event, FOIA request, family member or rebuttal, and ``search`` finds clients and
document text, accents ignored. Part of the command line (:mod:`desktop.cli` builds the parser):
each command opens the vault like every other, calls
:class:`desktop.evidence.service.DocumentService`, and prints in the interface language.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.case.model import VOCABULARIES
from desktop.errors import DeclaraError, NotFound
from desktop.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from desktop.cli import Context

#: The ``document_kind`` vocabulary's keys (desktop/case/model.py), the choices of ``--kind``.
DOCUMENT_KINDS = tuple(VOCABULARIES["document_kind"])

#: ``doc link`` option -> the document's ``links`` key and the record kind it names.
LINKS = {
    "allegation": ("allegation", "allegation"),
    "event": ("event", "event"),
    "foia": ("foia_request", "foia_request"),
    "family": ("family_member", "family_member"),
    "rebuttal": ("rebuttal", "rebuttal"),
}


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``declara doc …`` and ``declara search`` on the command line's subcommands."""

    def vault_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("vault", metavar="VAULT", help=_("the vault folder"))
        p.add_argument(
            "--passphrase-file", metavar="FILE", help=_("read the passphrase from the first line of FILE")
        )

    doc = commands.add_parser("doc", help=_("add, list, export and link the documents of a client"))
    doc_cmds = doc.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    p = doc_cmds.add_parser(
        "add",
        help=_("import PDFs and images into a client's record, encrypted in the vault"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_("Kinds of document: {kinds}").format(kinds=", ".join(DOCUMENT_KINDS)),
    )
    vault_arg(p)
    p.add_argument("client", metavar="CLIENT", help=_("the client's id or A-number"))
    p.add_argument("files", metavar="FILE", nargs="+", help=_("a PDF, JPEG, PNG or TIFF file"))
    p.add_argument(
        "--kind", choices=DOCUMENT_KINDS, metavar="KIND", help=_("the kind of document (see below)")
    )
    p.add_argument(
        "--lang", dest="document_language", metavar="LANG", help=_("the document's language, e.g. es")
    )
    p.add_argument("--title", metavar="TITLE", help=_("the document's title (default: from the file name)"))
    p.set_defaults(func=cmd_doc_add)

    p = doc_cmds.add_parser("list", help=_("list a client's documents"))
    vault_arg(p)
    p.add_argument("client", metavar="CLIENT", help=_("the client's id or A-number"))
    p.add_argument("--json", action="store_true", help=_("print the documents as JSON"))
    p.set_defaults(func=cmd_doc_list)

    p = doc_cmds.add_parser("export", help=_("write a document out of the vault (not encrypted)"))
    vault_arg(p)
    p.add_argument("document", metavar="DOC", help=_("the document's id"))
    p.add_argument("--out", required=True, metavar="FILE", help=_("where to write it"))
    p.add_argument(
        "--original", action="store_true", help=_("the original as imported, not the current revision")
    )
    p.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    p.add_argument(
        "--translation",
        action="store_true",
        help=_("the English translation with the certificate of translation (a PDF)"),
    )
    p.set_defaults(func=cmd_doc_export)

    p = doc_cmds.add_parser(
        "translate",
        help=_("give a foreign-language document its English translation and the translator's certificate"),
    )
    vault_arg(p)
    p.add_argument("document", metavar="DOC", help=_("the document's id"))
    source = p.add_mutually_exclusive_group()
    source.add_argument("--text-file", metavar="FILE", help=_("the English translation as a UTF-8 text file"))
    source.add_argument(
        "--document",
        dest="translation_document",
        metavar="DOC2",
        help=_("another document of the client, in English, that is the translation"),
    )
    source.add_argument("--remove", action="store_true", help=_("remove the translation"))
    p.add_argument("--translator", metavar="NAME", help=_("the translator's name, for the certificate"))
    p.add_argument("--translator-address", metavar="ADDRESS", help=_("the translator's address"))
    p.add_argument("--translator-phone", metavar="PHONE", help=_("the translator's telephone number"))
    p.set_defaults(func=cmd_doc_translate)

    p = doc_cmds.add_parser(
        "link", help=_("link a document to an allegation, event, FOIA request, family member or rebuttal")
    )
    vault_arg(p)
    p.add_argument("document", metavar="DOC", help=_("the document's id"))
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--allegation", metavar="ID", help=_("the allegation's id"))
    group.add_argument("--event", metavar="ID", help=_("the event's id"))
    group.add_argument("--foia", metavar="ID", help=_("the FOIA request's id"))
    group.add_argument("--family", metavar="ID", help=_("the family member's id"))
    group.add_argument("--rebuttal", metavar="ID", help=_("the rebuttal's id"))
    group.add_argument(
        "--unlink", choices=tuple(LINKS), metavar="KIND", help=_("remove the link of this kind")
    )
    p.set_defaults(func=cmd_doc_link)

    p = commands.add_parser("search", help=_("find clients and document text (accents ignored)"))
    vault_arg(p)
    p.add_argument("query", metavar=_("QUERY"), help=_("words, a name or an A-number"))
    p.add_argument("--json", action="store_true", help=_("print the matches as JSON"))
    p.set_defaults(func=cmd_search)


def _service(store: Any) -> Any:
    from desktop.evidence.service import DocumentService

    return DocumentService(store)


def _kind_label(kind: str | None) -> str:
    from desktop.case.model import VOCABULARIES

    labels = VOCABULARIES.get("document_kind") or {}
    return _(labels[kind]) if kind in labels else (kind or "")


def resolve_document(store: Any, token: str) -> Any:
    """A live document record by its id (or a prefix of it that names one document)."""
    token = token.strip().lower()
    record = None
    if token:
        rows = store.conn.execute(
            "SELECT id FROM records WHERE kind = 'document' AND deleted = 0 AND id LIKE ? LIMIT 2",
            (token.replace("%", "").replace("_", "") + "%",),
        ).fetchall()
        if len(rows) > 1:
            raise NotFound(
                N_("More than one document id starts with “{token}”; give more of it."), token=token
            )
        if rows:
            record = store.get(rows[0][0])
    if record is None:
        raise NotFound(N_("No document with the id “{token}”."), token=token)
    return record


def _row(record: Any) -> dict[str, Any]:
    data = record.data
    revisions = data.get("revisions") or []
    current = data.get("current") or 0
    return {
        "id": record.id,
        "kind": data.get("kind"),
        "kind_label": _kind_label(data.get("kind")),
        "title": data.get("title"),
        "language": data.get("language"),
        "date": data.get("date"),
        "pages": data.get("pages"),
        "original_sha256": (data.get("original") or {}).get("sha256"),
        "current_revision": current,
        "revisions": len(revisions),
    }


# -- commands ----------------------------------------------------------------------------------
def cmd_doc_add(ctx: Context, args: argparse.Namespace) -> int:
    """Import each file; a refused one is reported and the others are still tried."""
    from desktop.cli import _open

    # What cannot be read is refused before asking for the passphrase.
    refused: list[tuple[str, str]] = []
    readable: list[str] = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            refused.append((name, _("There is no file at {path}.").format(path=name)))
        else:
            readable.append(name)
    store = _open(ctx, args) if readable else None
    added = 0
    if store is not None:
        with store.vault:
            client = store.resolve_client(args.client)
            service = _service(store)
            for name in readable:
                try:  # one transaction each: a refused file leaves nothing behind
                    record = service.add(
                        client.id,
                        Path(name),
                        filename=Path(name).name,
                        kind=args.kind,
                        language=args.document_language,
                        title=args.title,
                    )
                except DeclaraError as exc:
                    refused.append((name, exc.message()))
                    continue
                except OSError as exc:
                    refused.append(
                        (
                            name,
                            _("The file cannot be read ({detail}).").format(
                                detail=exc.strerror or type(exc).__name__
                            ),
                        )
                    )
                    continue
                added += 1
                row = _row(record)
                ctx.out(
                    _("{id}  {title}  {pages} page(s)  SHA-256 {sha256}").format(
                        id=row["id"], title=row["title"], pages=row["pages"], sha256=row["original_sha256"]
                    )
                )
                for note in service.last_notes:  # e.g. the PDF was repaired; the original is kept
                    ctx.out("  " + _(note))
    for name, reason in refused:
        ctx.stderr.write(_("{file}: not imported: {reason}").format(file=name, reason=reason) + "\n")
    if refused:
        ctx.stderr.write(
            ngettext(
                "{count} file was not imported; nothing of it was stored.",
                "{count} files were not imported; nothing of them was stored.",
                len(refused),
            ).format(count=len(refused))
            + "\n"
        )
        return 1
    ctx.out(ngettext("{count} document added.", "{count} documents added.", added).format(count=added))
    return 0


def cmd_doc_list(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.cli import _open

    store = _open(ctx, args)
    with store.vault:
        client = store.resolve_client(args.client)
        rows = [_row(r) for r in _service(store).documents(client.id)]
    if args.json:
        ctx.out(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        ctx.out(_("This client has no documents yet."))
        return 0
    for r in rows:
        ctx.out(
            "  ".join(
                [
                    r["id"],
                    r["kind_label"] or "-",
                    r["title"] or "-",
                    r["language"] or "-",
                    r["date"] or "-",
                    _("{pages} p.").format(pages=r["pages"]),
                    r["original_sha256"] or "-",
                    _("revision {number}").format(number=r["current_revision"] + 1),
                ]
            )
        )
    ctx.out(ngettext("{count} document.", "{count} documents.", len(rows)).format(count=len(rows)))
    return 0


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def cmd_doc_export(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.cli import CliError, _open

    out = Path(args.out)
    # Refused before asking for the passphrase: nothing is written over, nothing into the vault.
    if _inside(out, Path(args.vault)):
        raise CliError(N_("A document is never written inside the vault folder; choose another place."))
    if (out.exists() or out.is_symlink()) and not args.force:
        raise CliError(N_("{path} already exists; use --force to replace it."), path=args.out)
    if out.is_dir():
        raise CliError(N_("{path} is a folder; give a file name."), path=args.out)
    if args.translation and args.original:
        raise CliError(N_("Choose either --original or --translation, not both."))
    store = _open(ctx, args)
    with store.vault:
        record = resolve_document(store, args.document)
        if args.translation:
            written = _export_translation(_service(store), record.id, out)
        else:
            written = _service(store).export(record.id, out, original=args.original)
    if os.name == "posix":
        os.chmod(written, 0o600)
    ctx.stderr.write(_("Wrote {path}. It is not encrypted: keep it safe.").format(path=args.out) + "\n")
    return 0


def _export_translation(service: Any, document_id: str, out: Path) -> Path:
    """The translation PDF, made in memory and written atomically, readable by the owner only."""
    from desktop.vault import fsutil

    data = service.translation_pdf(document_id)
    target = out.parent.resolve() / out.name
    fsutil.write_atomic(target, data)
    if os.name == "posix":
        os.chmod(target, 0o600)
    return target


def cmd_doc_translate(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.cli import CliError, _open

    translator = (args.translator, args.translator_address, args.translator_phone)
    has_source = bool(args.text_file or args.translation_document or args.remove)
    if not has_source and not any(translator):
        raise CliError(N_("Give --text-file, --document or --remove, or the translator's details."))
    if any(translator) and not all(translator):
        raise CliError(
            N_("The certificate needs the translator's name, address and telephone: give all three.")
        )
    text = None
    if args.text_file:
        try:
            text = Path(args.text_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(
                N_("{path} cannot be read as UTF-8 text ({detail})."),
                path=args.text_file,
                detail=getattr(exc, "strerror", None) or type(exc).__name__,
            ) from None
    store = _open(ctx, args)
    with store.vault:
        service = _service(store)
        record = resolve_document(store, args.document)
        other = resolve_document(store, args.translation_document) if args.translation_document else None
        with store.vault.transaction():  # both or neither
            if has_source:
                service.set_translation(record.id, document=other.id if other else None, text=text)
            if all(translator):
                name, address, phone = translator
                service.set_translator(record.id, name=name, address=address, phone=phone)
        missing = service.translation_missing(service.get(record.id))
    title = record.data.get("title")
    if args.remove:
        ctx.out(_("The document “{title}” has no translation now.").format(title=title))
    else:
        ctx.out(_("The translation of “{title}” is recorded.").format(title=title))
    if missing:
        ctx.out(_("A filing still needs: {items}.").format(items="; ".join(_(m) for m in missing)))
    else:
        ctx.out(_("English translation and certificate ready."))
    return 0


def cmd_doc_link(ctx: Context, args: argparse.Namespace) -> int:
    from desktop.cli import CliError, _open

    store = _open(ctx, args)
    with store.vault:
        record = resolve_document(store, args.document)
        if args.unlink:
            key = LINKS[args.unlink][0]
            _service(store).link(record.id, **{key: None})
            ctx.out(
                _("The document “{title}” is no longer linked to a {kind}.").format(
                    title=record.data.get("title"), kind=_link_word(args.unlink)
                )
            )
            return 0
        option = next(name for name in LINKS if getattr(args, name))
        key, kind = LINKS[option]
        token = getattr(args, option).strip()
        try:
            target = store.get(token)
        except NotFound:
            target = None
        if target is None or target.deleted or target.kind != kind or target.client_id != record.client_id:
            raise CliError(
                N_("The client of this document has no {kind} with the id “{id}”."),
                kind=_link_word(option),
                id=token,
            )
        _service(store).link(record.id, **{key: target.id})
    ctx.out(
        _("The document “{title}” is linked to the {kind} {id}.").format(
            title=record.data.get("title"), kind=_link_word(option), id=target.id
        )
    )
    return 0


_LINK_WORDS = {
    "allegation": N_("allegation"),
    "event": N_("event"),
    "foia": N_("FOIA request"),
    "family": N_("family member"),
    "rebuttal": N_("rebuttal"),
}


def _link_word(option: str) -> str:
    return _(_LINK_WORDS[option])


def cmd_search(ctx: Context, args: argparse.Namespace) -> int:
    """Clients whose name, A-number … match, and documents whose text does."""
    from desktop.case.names import display_name
    from desktop.cli import _open

    store = _open(ctx, args)
    with store.vault:
        hits: list[tuple[str, str | None]] = []
        for client_id, document_id in _service(store).search(args.query):  # clients, then documents
            if (client_id, document_id) not in hits:
                hits.append((client_id, document_id))
        rows = []
        for client_id, document_id in hits:
            try:
                client = store.get(client_id)
                document = store.get(document_id) if document_id else None
            except NotFound:
                continue
            rows.append(
                {
                    "client_id": client_id,
                    "client": display_name(client.data),
                    "document_id": document_id,
                    "document": document.data.get("title") if document else None,
                }
            )
    if args.json:
        ctx.out(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        if r["document_id"]:
            ctx.out(f"{r['client_id']}  {r['client']}  {r['document_id']}  {r['document']}")
        else:
            ctx.out(f"{r['client_id']}  {r['client']}")
    ctx.out(ngettext("{count} match.", "{count} matches.", len(rows)).format(count=len(rows)))
    return 0


# -- case files with documents (``declara case export``) --------------------------------------
def add_documents_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--documents",
        action="store_true",
        help=_(
            "write a case file version 2 (a ZIP with the documents); "
            "the default when the client has documents"
        ),
    )


def export_case_zip(ctx: Context, args: argparse.Namespace, store: Any) -> bool:
    """Write the client as a version 2 case file (a ZIP) when asked to or when they have
    documents; False when a version 1 JSON file is to be written instead."""
    from desktop.case.casezip import write_case_zip
    from desktop.cli import CliError

    client = store.resolve_client(args.client)
    if not args.documents and not store.children(client.id, "document"):
        return False
    if args.out == "-":
        raise CliError(N_("A case file with documents is a ZIP; give a file name with --out, not '-'."))
    if _inside(Path(args.out), Path(args.vault)):
        raise CliError(N_("A case file is never written inside the vault folder; choose another place."))
    doc = write_case_zip(store, client.id, Path(args.out))
    count = len(doc.get("documents") or [])
    ctx.stderr.write(
        ngettext(
            "Wrote {path} with {count} document. It is not encrypted: keep it safe.",
            "Wrote {path} with {count} documents. It is not encrypted: keep it safe.",
            count,
        ).format(path=args.out, count=count)
        + "\n"
    )
    return True


# -- the timeline command's document options (the command itself is in cli.py) ---------------
def exhibit_ref(value: str) -> tuple[str, Any]:
    """--exhibit-ref SOURCE=LETTER[:PAGE] ("i-213=B:3", "declaration=A") as (source, ExhibitRef)."""
    from desktop.documents.timeline import parse_exhibit_ref

    try:
        return parse_exhibit_ref(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not SOURCE=LETTER or SOURCE=LETTER:PAGE, e.g. i-213=B:3 or declaration=A").format(
                value=value
            )
        ) from None


def warn_unknown_sources(ctx: Context, case: dict[str, Any]) -> None:
    """Say which document sources have no court label: they were printed from their names."""
    from desktop.documents.timeline import unknown_sources

    unknown = unknown_sources(case)
    if unknown:
        names = ", ".join(token.partition(":")[2] for token in unknown)
        ctx.stderr.write(
            _("No court label for these documents; their names are printed as words: {names}").format(
                names=names
            )
            + "\n"
        )
