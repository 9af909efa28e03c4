"""The documents of a version 2 case file: ``documents[]`` written from the vault and read back.

A document of the file has a file-local ``id`` (``doc-3f2a1b2c``, like ``ev-…`` for events), the
fields of the vault's ``document`` record, and ``links`` naming the file-local ids of the event,
allegation, rebuttal, FOIA request or family member it supports. An event source names one as
``document:<id>`` or ``document:<id>#p<page>``; in the vault the same token carries the record's
UUID, and export and import swap the two. The bytes (``documents/<sha256>``) are the ZIP's
business (:mod:`desktop.case.casezip`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from desktop.case.store import CaseStore
from desktop.errors import CaseFileError, ValidationError
from desktop.evidence.service import LINKS
from desktop.i18n import N_
from desktop.vault.database import new_uuid, short_id

#: The fields of a document, in the order a case file writes them (the contract's order), then
#: ``text`` (what the search finds: embedded or recognized text, pages separated by form feeds).
DOCUMENT_FIELDS = (
    "title",
    "kind",
    "language",
    "date",
    "issuer",
    "pages",
    "filename",
    "original",
    "revisions",
    "current",
    "links",
    "translation",
    "translator",
    "text_source",
    "purged",
)
LINK_KEYS = LINKS  # the document record's links, as the service names them
MISMATCH = N_("The document {name} in the case file is not what its SHA-256 says; nothing was imported.")
_TOKEN = re.compile(r"^document:(?P<id>[^#]+?)(?P<page>#p[1-9][0-9]{0,5})?$")


class BlobSource(Protocol):
    """Where import reads a document's bytes: the verified ZIP."""

    def iter_member(self, sha256: str) -> Iterator[bytes]: ...


# -- export ------------------------------------------------------------------------------------
def document_text(store: CaseStore, document_id: str) -> str | None:
    """The searchable text stored for a document, or None (no text, or no text table yet)."""
    conn = store.conn
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'document_text'")
    if exists.fetchone() is None:
        return None
    row = conn.execute("SELECT text FROM document_text WHERE document_id = ?", (document_id,)).fetchone()
    return row[0] if row and row[0] else None


def export_documents(
    store: CaseStore, client_id: str, doc: dict[str, Any], local: dict[str, str]
) -> list[dict[str, Any]]:
    """The client's documents as ``documents[]``; the events of ``doc`` then name them by their
    file-local ids. ``local`` maps the record ids of the file's other items to their ids."""
    records = store.children(client_id, "document")
    ids = {rec.id: rec.ref or f"doc-{short_id(rec.id)}" for rec in records}
    out = []
    for rec in records:
        data = rec.data
        item: dict[str, Any] = {"id": ids[rec.id]}
        for key in DOCUMENT_FIELDS:
            item[key] = data.get(key)
        links = data.get("links") or {}
        item["links"] = {key: local.get(links.get(key) or "") for key in LINK_KEYS}
        translation = data.get("translation")
        if isinstance(translation, dict) and translation.get("document"):
            target = ids.get(translation["document"])
            item["translation"] = {"document": target} if target else None
        item["text"] = document_text(store, rec.id)
        out.append(item)
    rewrite_sources(doc, ids)
    return out


def rewrite_sources(doc: dict[str, Any], ids: dict[str, str]) -> None:
    """Every ``document:<id>[#pN]`` source of ``doc``'s events and custody events whose id is in
    ``ids`` names the mapped id instead (record UUID <-> file-local id)."""
    for event in [*(doc.get("events") or []), *(doc.get("custody_events") or [])]:
        sources = event.get("sources")
        if not sources:
            continue
        new = []
        for token in sources:
            match = _TOKEN.match(token)
            if match and match["id"] in ids:
                token = f"document:{ids[match['id']]}{match['page'] or ''}"
            new.append(token)
        event["sources"] = new


# -- validation --------------------------------------------------------------------------------
def blobs_named(documents: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Every sha256 the documents name (originals and revisions) with its size."""
    sizes: dict[str, int] = {}
    for item in documents:
        # An original the user purged (``purged``) is described, not carried.
        originals = [] if item.get("purged") else [item["original"]]
        for blob in [*originals, *item["revisions"]]:
            sizes.setdefault(blob["sha256"], blob["size"])
    return sizes


def document_problems(doc: dict[str, Any]) -> list[ValidationError]:
    """What the schema cannot see in a version 2 file's documents: ids used twice, links and
    sources naming what is not in the file, a current revision that does not exist, one sha256
    given two sizes."""
    problems: list[ValidationError] = []
    targets: dict[str, set[str]] = {
        "event": {e["id"] for e in doc.get("events") or []},
        "allegation": {a["id"] for a in doc.get("allegations") or [] if a.get("id")},
        "family_member": {f["id"] for f in doc.get("family") or [] if f.get("id")},
        "foia_request": {f["id"] for f in doc.get("foia_requests") or [] if f.get("id")},
        "rebuttal": {
            r["id"] for a in doc.get("allegations") or [] for r in a.get("rebuttal") or [] if r.get("id")
        },
    }
    seen = set().union(*targets.values())
    documents = doc.get("documents") or []
    doc_ids: set[str] = set()
    sizes: dict[str, int] = {}
    for i, item in enumerate(documents):
        where = f"$.documents[{i}]"
        if item["id"] in seen or item["id"] in doc_ids:
            problems.append(
                ValidationError(N_("The id “{id}” is used twice."), field=f"{where}.id", id=item["id"])
            )
        doc_ids.add(item["id"])
        if item["current"] >= len(item["revisions"]):
            problems.append(
                ValidationError(
                    N_("The current revision {number} is not among the document's revisions."),
                    field=f"{where}.current",
                    number=item["current"],
                )
            )
        for key, target in (item.get("links") or {}).items():
            if target is not None and target not in targets[key]:
                problems.append(
                    ValidationError(
                        N_("The link points at “{id}”, which is not in this file."),
                        field=f"{where}.links.{key}",
                        id=target,
                    )
                )
        for j, blob in enumerate([item["original"], *item["revisions"]]):
            if sizes.setdefault(blob["sha256"], blob["size"]) != blob["size"]:
                field = f"{where}.original" if j == 0 else f"{where}.revisions[{j - 1}]"
                problems.append(
                    ValidationError(N_("This SHA-256 is given two different sizes."), field=f"{field}.size")
                )
    for i, item in enumerate(documents):
        translation = item.get("translation") or {}
        if translation.get("document") is not None and translation["document"] not in doc_ids:
            problems.append(
                ValidationError(
                    N_("The translation points at the document “{id}”, which is not in this file."),
                    field=f"$.documents[{i}].translation.document",
                    id=translation["document"],
                )
            )
    for collection in ("events", "custody_events"):
        for i, event in enumerate(doc.get(collection) or []):
            for j, token in enumerate(event.get("sources") or []):
                match = _TOKEN.match(token)
                if match and match["page"] and match["id"] not in doc_ids:
                    problems.append(
                        ValidationError(
                            N_("The source names the document “{id}”, which is not in this file."),
                            field=f"$.{collection}[{i}].sources[{j}]",
                            id=match["id"],
                        )
                    )
    return problems


# -- import ------------------------------------------------------------------------------------
def assign_document_ids(documents: Iterable[dict[str, Any]]) -> dict[str, str]:
    """A new record id for each document of the file (sources and links are rewritten first)."""
    return {item["id"]: new_uuid() for item in documents}


def import_documents(
    store: CaseStore,
    client_id: str,
    documents: list[dict[str, Any]],
    document_uuid: dict[str, str],
    local: dict[str, str],
    archive: BlobSource,
) -> None:
    """Store each document's bytes (once per sha256) and record, inside the caller's transaction.
    ``local`` maps the file-local ids of the client's other items to their new record ids."""
    from desktop.evidence.blobs import BlobStore
    from desktop.evidence.service import save_text

    blobs = BlobStore(store.vault)
    for sha256 in blobs_named(documents):
        if not blobs.has(sha256):
            info = blobs.put_chunks(archive.iter_member(sha256))
            if info.sha256 != sha256:  # the archive checks it too; never store what is not named
                raise CaseFileError(MISMATCH, name=sha256)
    for item in documents:
        data = {key: item.get(key) for key in DOCUMENT_FIELDS if key in item}
        links = item.get("links") or {}
        data["links"] = {key: local.get(links[key]) if links.get(key) else None for key in LINK_KEYS}
        translation = item.get("translation")
        if isinstance(translation, dict) and translation.get("document"):
            data["translation"] = {"document": document_uuid[translation["document"]]}
        store.create(
            "document", data, client_id=client_id, record_id=document_uuid[item["id"]], ref=item["id"]
        )
        if item.get("text"):
            source = item.get("text_source") or "embedded"
            save_text(store, blobs, document_uuid[item["id"]], item["text"], source)
