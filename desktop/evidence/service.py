"""The document service: evidence files as ``document`` records of a client, their bytes as blobs.

Every operation is one vault transaction: the blobs it stores, the record it creates or changes
(through the case store and its codec, like every other record) and the text it indexes are all
kept, or none is. The original bytes are kept exactly as imported; what is shown, exported and
filed is the *current revision*, and every change of pages (rotate, rearrange, revert) adds a
revision rather than replacing one, until the user purges the older ones on purpose
(:meth:`DocumentService.purge_original`). The same file is stored once however many clients use
it; for one client it is refused a second time, naming the document that already holds it.
See docs/documents.md.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from desktop.case import search
from desktop.case.model import Record
from desktop.case.store import CaseStore, normalise_record
from desktop.errors import NotFound, ValidationError
from desktop.evidence.blobs import BlobStore
from desktop.i18n import N_
from desktop.vault import fsutil
from desktop.vault.database import now_iso

LINKS = ("allegation", "rebuttal", "event", "foia_request", "family_member")
TEXT_SOURCES = ("embedded", "ocr")
EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png", "tiff": ".tif"}
TITLE_MAX = 300


class DuplicateDocument(ValidationError):
    """The file is already one of this client's documents; ``existing_id`` names that record."""

    def __init__(self, existing: Record) -> None:
        super().__init__(
            N_("This file is already among this client's documents, as “{title}”. Nothing was added."),
            field="source",
            title=existing.data.get("title", ""),
        )
        self.existing_id = existing.id


def title_from_filename(filename: str | None) -> str:
    """A title for a document named ``filename``: its name without the extension, with
    underscores and runs of spaces made single spaces ("solvencia_PNC 2023.pdf" -> "solvencia PNC 2023")."""
    stem = Path(filename or "").name
    stem = stem.rsplit(".", 1)[0] if "." in stem.strip(".") else stem
    return " ".join(re.sub(r"[_\s]+", " ", stem).split())[:TITLE_MAX]


def save_text(store: CaseStore, blobs: BlobStore, document_id: str, text: str, source: str) -> None:
    """Keep a document's text (``source`` "embedded" or "ocr"), inside the caller's transaction:
    the text as a blob named by the record (``text_sha256``), so sync files and the office carry
    it like the pages, and in the search index."""
    if source not in TEXT_SOURCES:
        raise ValueError(f"unknown text source {source!r}")
    record = store.get(document_id)
    info = blobs.put(text.encode("utf-8"))
    if record.data.get("text_sha256") != info.sha256 or record.data.get("text_source") != source:
        record = store.update(document_id, {**record.data, "text_sha256": info.sha256, "text_source": source})
    search.set_document_text(store.conn, document_id, record.client_id, text, source)


class DocumentService:
    def __init__(self, store: CaseStore, blobs: BlobStore | None = None) -> None:
        self.store = store
        self.vault = store.vault
        self.blobs = blobs or BlobStore(store.vault)
        #: What intake said about the last file added (msgids for the user, e.g. it was repaired).
        self.last_notes: tuple[str, ...] = ()

    # -- adding --------------------------------------------------------------------------------
    def add(
        self,
        client_id: str,
        source: Path | bytes,
        *,
        filename: str | None = None,
        kind: str | None = None,
        language: str | None = None,
        title: str | None = None,
    ) -> Record:
        """Import a file (a path, read once, or bytes) as a new document of the client."""
        from desktop.evidence import intake as intake_module

        client = self.store.get(client_id)
        if client.kind != "client" or client.deleted:
            raise NotFound(N_("No such client."))
        if isinstance(source, bytes | bytearray | memoryview):
            intake = intake_module.inspect_bytes(bytes(source), filename or "")
        else:
            intake = intake_module.inspect_file(Path(source))
            filename = filename or Path(source).name
        filename = Path(filename).name if filename else None
        sha = hashlib.sha256(intake.original).hexdigest()
        for existing in self.documents(client_id):
            if existing.data["original"]["sha256"] == sha:
                raise DuplicateDocument(existing)
        at = now_iso()
        original = {"sha256": sha, "size": len(intake.original), "media": intake.media}
        first: dict[str, Any] = {**original, "pages": intake.pages, "made": "import", "at": at}
        default_title = title_from_filename(filename) or _untitled()
        data: dict[str, Any] = {
            "title": " ".join((title or "").split())[:TITLE_MAX] or default_title,
            "kind": kind or "other",
            "language": language,
            "date": None,
            "issuer": None,
            "pages": intake.pages,
            "filename": filename,
            "original": original,
            "revisions": [first],
            "current": 0,
            "links": dict.fromkeys(LINKS),
            "translation": None,
            "translator": None,
            "text_source": "embedded" if intake.text.strip() else None,
        }
        if intake.display is not None:
            first.update(
                sha256=hashlib.sha256(intake.display).hexdigest(),
                size=len(intake.display),
                media=intake.display_media or intake.media,
                made=intake.made[0] if intake.made else "repaired",
            )
        normalise_record("document", data)  # refused before any byte is stored
        with self.vault.transaction():
            self.blobs.put(intake.original)
            if intake.display is not None:
                self.blobs.put(intake.display)
            record = self.store.create("document", data, client_id=client_id)
            if intake.text.strip():
                save_text(self.store, self.blobs, record.id, intake.text, "embedded")
        self.last_notes = tuple(intake.notes)
        return self.store.get(record.id)

    # -- reading -------------------------------------------------------------------------------
    def documents(self, client_id: str) -> list[Record]:
        return self.store.children(client_id, "document")

    def get(self, document_id: str) -> Record:
        record = self.store.get(document_id)
        if record.kind != "document":
            raise NotFound(N_("No such document."))
        return record

    def current(self, document: Record) -> tuple[bytes, str]:
        """The bytes and media of the document's current revision."""
        revision = document.data["revisions"][document.data["current"]]
        return self.blobs.get(revision["sha256"]), revision["media"]

    def current_chunks(self, document: Record) -> tuple[Iterator[bytes], str, int]:
        """The current revision as chunks (one in memory at a time, checked as they go), its media
        and its size: for a viewer that copies them into its own buffer without a second copy."""
        revision = document.data["revisions"][document.data["current"]]
        return self.blobs.iter_chunks(revision["sha256"]), revision["media"], int(revision["size"])

    def original(self, document: Record) -> tuple[bytes, str]:
        """The bytes as imported (NotFound once the user purged them, see :meth:`purge_original`)."""
        original = document.data["original"]
        if document.data.get("purged") and not self.blobs.has(original["sha256"]):
            raise NotFound(
                N_(
                    "The original file of this document was removed on request; "
                    "only its current revision is kept."
                )
            )
        return self.blobs.get(original["sha256"]), original["media"]

    def text(self, document_id: str) -> tuple[str, str | None]:
        """The document's indexed text and its source ("embedded", "ocr"), or ("", None)."""
        row = self.store.conn.execute(
            "SELECT text, source FROM document_text WHERE document_id = ?", (document_id,)
        ).fetchone()
        return (row[0], row[1]) if row else ("", None)

    # -- revisions -----------------------------------------------------------------------------
    def rotate(self, document_id: str, rotations: Mapping[int, int]) -> Record:
        """Turn pages clockwise (0-based page -> 90, 180 or 270): a new revision."""
        from desktop.evidence import pages

        document = self.get(document_id)
        turns = {int(p): int(a) for p, a in rotations.items() if int(a) % 360}
        if not turns:
            return document
        data, media = self.current(document)
        # pages.rotate refuses a page that is not there and a turn that is not a right angle
        return self._new_revision(document, pages.rotate(data, media, turns), media, "rotate", None)

    def rearrange(self, document_id: str, order: Sequence[int]) -> Record:
        """Put pages in a new order; pages left out are removed (at least one stays): a new revision."""
        from desktop.evidence import pages

        document = self.get(document_id)
        order = [int(p) for p in order]
        if order == list(range(document.data["revisions"][document.data["current"]]["pages"])):
            return document
        data, media = self.current(document)
        # pages.rearrange refuses an empty order, a page that is not there and a page named twice
        return self._new_revision(document, pages.rearrange(data, media, order), media, "rearrange", order)

    def revert(self, document_id: str, revision: int) -> Record:
        """Make an earlier revision current again, as a new entry (the history is kept)."""
        document = self.get(document_id)
        revisions = document.data["revisions"]
        if not 0 <= revision < len(revisions):
            raise ValidationError(
                N_("There is no revision {index}; this document has {count}."),
                field="revision",
                index=revision,
                count=len(revisions),
            )
        if revision == document.data["current"]:
            return document
        entry = {**revisions[revision], "made": "revert", "at": now_iso()}
        new = _with_revision(document.data, entry)
        with self.vault.transaction() as conn:
            record = self.store.update(document_id, new)
            self._refresh_embedded_text(conn, record)
        return self.get(document_id)

    def _new_revision(
        self, document: Record, data: bytes, media: str, made: str, order: Sequence[int] | None
    ) -> Record:
        from desktop.evidence import pages

        with self.vault.transaction() as conn:
            info = self.blobs.put(data)
            entry = {
                "sha256": info.sha256,
                "size": info.size,
                "media": media,
                "pages": pages.page_count(data, media),  # type: ignore[arg-type]
                "made": made,
                "at": now_iso(),
            }
            record = self.store.update(document.id, _with_revision(document.data, entry))
            text, source = self.text(document.id)
            if source == "ocr" and order is not None:
                split = text.split("\f")
                if len(split) == document.data["revisions"][document.data["current"]]["pages"]:
                    reordered = "\f".join(split[p] for p in order)
                    save_text(self.store, self.blobs, document.id, reordered, "ocr")
            else:
                self._refresh_embedded_text(conn, record)
        return self.get(document.id)

    def _refresh_embedded_text(self, conn: Any, record: Record) -> None:
        """After a change of pages, the embedded text is read again from the current revision."""
        if record.data.get("text_source") != "embedded":
            return
        from desktop.evidence import pages

        data, media = self.current(record)
        text = "\f".join(pages.page_texts(data, media))  # type: ignore[arg-type]
        save_text(self.store, self.blobs, record.id, text, "embedded")

    # -- links, text ---------------------------------------------------------------------------
    def link(self, document_id: str, **links: str | None) -> Record:
        """Link the document to records of the same client (allegation, rebuttal, event,
        foia_request, family_member); None removes a link."""
        document = self.get(document_id)
        unknown = sorted(set(links) - set(LINKS))
        if unknown:
            raise ValidationError(N_("Unknown key “{key}”."), field=f"links.{unknown[0]}", key=unknown[0])
        for kind, target in links.items():
            if target is None:
                continue
            try:
                other = self.store.get(target)
            except NotFound:
                other = None
            if other is None or other.kind != kind or other.client_id != document.client_id or other.deleted:
                raise ValidationError(
                    N_("The document can only be linked to a record of the same client."),
                    field=f"links.{kind}",
                )
        data = {**document.data, "links": {**dict.fromkeys(LINKS), **document.data.get("links", {}), **links}}
        return self.store.update(document_id, data)

    def set_text(self, document_id: str, text: str, source: str) -> None:
        """Store the document's text (from OCR or embedded in the PDF) and index it."""
        self.get(document_id)
        with self.vault.transaction():
            save_text(self.store, self.blobs, document_id, text, source)

    # -- export, purge, search ------------------------------------------------------------------
    def export(self, document_id: str, out: Path, *, original: bool = False) -> Path:
        """Write the current revision (or the original) to ``out`` (a file, or a folder to write
        the document's file name into), atomically and readable by the owner only. Refuses any
        place inside the vault folder: the vault holds no plaintext."""
        document = self.get(document_id)
        data, media = self.original(document) if original else self.current(document)
        out = Path(out)
        if out.is_dir():
            name = title_from_filename(document.data.get("filename")) or document.data["title"]
            name = re.sub(r"[/\\\x00-\x1f]", " ", name).strip(". ") or "document"
            out = out / f"{name}{EXTENSIONS[media]}"
        target = out.parent.resolve() / out.name
        vault = self.vault.path.resolve()
        if target == vault or vault in target.parents:
            raise ValidationError(
                N_("Documents cannot be exported into the vault folder; choose another folder."), field="out"
            )
        fsutil.write_atomic(target, data)
        os.chmod(target, 0o600)
        return target

    def purge_original(self, document_id: str) -> Record:
        """Keep only the current revision (the user confirmed): the original and every other
        revision are dropped from the record and their blobs deleted unless another live document
        uses them. The record keeps the original's SHA-256, size and media (chain of custody) and
        says when it was purged."""
        document = self.get(document_id)
        revisions = document.data["revisions"]
        keep = revisions[document.data["current"]]
        dropped = {r["sha256"] for r in revisions} | {document.data["original"]["sha256"]}
        dropped.discard(keep["sha256"])
        if not dropped and len(revisions) == 1:
            return document
        data = {**document.data, "revisions": [keep], "current": 0}
        if document.data["original"]["sha256"] != keep["sha256"]:
            data["purged"] = now_iso()
        with self.vault.transaction():
            self.store.update(document_id, data)
            self.blobs.purge_unreferenced(dropped)
        return self.get(document_id)

    def search(self, query: str, limit: int | None = None) -> list[tuple[str, str | None]]:
        """Clients matching ``query`` (as the client list finds them), then documents whose title
        or text matches: ``(client_id, None)`` and ``(client_id, document_id)``, best first."""
        conn = self.store.conn
        hits: list[tuple[str, str | None]] = [(c, None) for c in search.search_clients(conn, query, limit)]
        hits += search.search_documents(conn, query, limit)
        return hits if limit is None else hits[: int(limit)]

    # -- translations (8 C.F.R. § 1003.33; docs/documents.md, "Translations") --------------------
    def set_translation(
        self, document_id: str, *, document: str | None = None, text: str | None = None
    ) -> Record:
        """The document's English translation: another live English document of the same client, or
        text typed in Declara (non-blank, at most 200,000 characters); both None removes it."""
        record = self.get(document_id)
        if document is not None and text is not None:
            raise ValidationError(
                N_("A translation is either another document or typed text, not both."), field="translation"
            )
        value: dict[str, str] | None = None
        if document is not None:
            try:
                other = self.store.get(document)
            except NotFound:
                other = None
            if (
                other is None
                or other.kind != "document"
                or other.deleted
                or other.client_id != record.client_id
            ):
                raise ValidationError(
                    N_("The translation must be another document of the same client."), field="translation"
                )
            if other.id == record.id:
                raise ValidationError(N_("A document cannot be its own translation."), field="translation")
            if other.data.get("language") != "en":
                raise ValidationError(
                    N_("The translation must be a document in English; “{title}” is not marked as English."),
                    field="translation",
                    title=other.data.get("title", ""),
                )
            value = {"document": other.id}
        elif text is not None:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if not text.strip():
                raise ValidationError(N_("The translation is empty."), field="translation")
            if len(text) > TRANSLATION_TEXT_MAX:
                raise ValidationError(
                    N_("The translation is too long ({count} characters; at most {limit})."),
                    field="translation",
                    count=len(text),
                    limit=TRANSLATION_TEXT_MAX,
                )
            value = {"text": text}
        return self.store.update(document_id, {**record.data, "translation": value})

    def set_translator(self, document_id: str, *, name: str, address: str, phone: str) -> Record:
        """Who translated the document, for the certificate: name, address and telephone, all three;
        all three blank removes them."""
        record = self.get(document_id)
        given = {"name": name, "address": address, "phone": phone}
        cleaned = {key: (value or "").strip() for key, value in given.items()}
        if not any(cleaned.values()):
            return self.store.update(document_id, {**record.data, "translator": None})
        for key, value in cleaned.items():
            if not value:
                raise ValidationError(
                    N_("The certificate of translation needs {what}."),
                    field=f"translator.{key}",
                    what=_lazy(NEEDS_TRANSLATOR[key]),
                )
            if len(value) > TRANSLATOR_BOUNDS[key]:
                raise ValidationError(
                    N_("Too long: at most {limit} characters."),
                    field=f"translator.{key}",
                    limit=TRANSLATOR_BOUNDS[key],
                )
        cleaned["name"] = " ".join(cleaned["name"].split())
        cleaned["phone"] = " ".join(cleaned["phone"].split())
        return self.store.update(document_id, {**record.data, "translator": cleaned})

    def translation_missing(self, document: Record) -> list[str]:
        """What a filing still needs for this document (msgids; [] when nothing): an English document
        needs nothing; any other its English translation and the translator's name, address and
        telephone for the certificate; one whose language is not recorded, that first."""
        data = document.data
        language = data.get("language")
        if language == "en":
            return []
        missing: list[str] = [] if language else [NEEDS_LANGUAGE]
        if not self.translation_source(document):
            missing.append(NEEDS_TRANSLATION)
        person = data.get("translator") or {}
        missing += [msgid for key, msgid in NEEDS_TRANSLATOR.items() if not (person.get(key) or "").strip()]
        return missing

    def translation_source(self, document: Record) -> Record | str | None:
        """The translation as it stands: the English document (live, same client), the typed text, or None."""
        value = document.data.get("translation") or {}
        if value.get("text", "").strip():
            return str(value["text"])
        if value.get("document"):
            try:
                other = self.store.get(value["document"])
            except NotFound:
                return None
            if (
                other.kind == "document"
                and not other.deleted
                and other.client_id == document.client_id
                and other.data.get("language") == "en"
            ):
                return other
        return None

    def translation_pdf(self, document_id: str, *, author: str | None = None) -> bytes:
        """The English translation as filed, in memory: the typed text rendered with the certificate,
        or the translation document's current revision followed by a certificate page."""
        from desktop.case.model import VOCABULARIES
        from desktop.documents import layout
        from desktop.documents import translation as rendering

        document = self.get(document_id)
        source = self.translation_source(document)
        if source is None:
            raise ValidationError(
                N_("This document has no English translation yet: add one first."), field="translation"
            )
        client = self.store.get(document.client_id)
        case = {"client": client.data}
        data = document.data
        kind = data.get("kind") or ""
        original = rendering.Original(
            title=data.get("title") or "",
            kind=(VOCABULARIES.get("document_kind") or {}).get(kind, kind) if kind != "other" else "",
            language=data.get("language") or "",
            sha256=data["original"]["sha256"],
            pages=int(data.get("pages") or 0),
            client_name=layout.client_name(case),
            a_number=layout.a_number_display(case),
            translator=dict(data.get("translator") or {}),
        )
        if isinstance(source, str):
            return rendering.render_typed_translation(original, source, author=author)
        pages_bytes, media = self.current(source)
        certificate = rendering.render_certificate(original, author=author)
        return rendering.append_certificate(pages_bytes, media, certificate)

    def last_translator(self) -> dict[str, str] | None:
        """The translator recorded last on any document of this vault (to offer again), or None."""
        row = self.store.conn.execute(
            "SELECT json_extract(data, '$.translator') FROM records WHERE kind = 'document' AND deleted = 0 "
            "AND json_extract(data, '$.translator.name') IS NOT NULL ORDER BY updated_at DESC LIMIT 1"
        ).fetchone()
        if not row or not row[0]:
            return None
        import json

        value = json.loads(row[0])
        return {key: str(value.get(key) or "") for key in TRANSLATOR_BOUNDS}


def _with_revision(data: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    revisions = [*data["revisions"], entry]
    return {**data, "revisions": revisions, "current": len(revisions) - 1, "pages": entry["pages"]}


def _untitled() -> str:
    from desktop.i18n import _

    return _(N_("Untitled document"))


# -- translations (8 C.F.R. § 1003.33; docs/documents.md, "Translations") ------------------------
TRANSLATION_TEXT_MAX = 200_000
TRANSLATOR_BOUNDS = {"name": 200, "address": 500, "phone": 50}
NEEDS_LANGUAGE = N_("say the document's language")
NEEDS_TRANSLATION = N_("an English translation")
NEEDS_TRANSLATOR = {
    "name": N_("the translator's name"),
    "address": N_("the translator's address"),
    "phone": N_("the translator's telephone number"),
}


def _lazy(msgid: str) -> str:
    from desktop.i18n import _

    return _(msgid)
