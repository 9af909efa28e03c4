"""The document files a sync file carries: which ones go, the size limits, storing them on import.

A ``document`` record (:mod:`desktop.case.model`) names its files by SHA-256: the original as
imported and every revision. They live in the vault as chunked blobs (:mod:`desktop.evidence.blobs`)
and travel in the sync file as ``documents/<sha256>`` members beside ``records.jsonl``
(:mod:`desktop.sync.fileformat`), read from the vault and written into the encrypted stream a chunk
at a time, so a document is never held whole in memory.

Which files go: every file named by a document record the sync file carries, except those the
peer is known to hold: the ones named by the state of a document record last agreed with that peer
(``sync_state``: what it sent us, or what we sent it). A full export (``full=True``) sends every
file, for a peer that lost a file or was restored from a backup. Files of a deleted document go
when this vault still has them (so undeleting it over there finds them).

On import the files are verified before anything is written (:func:`fileformat.read_sync_file`
hashes them all), then stored inside the import's one transaction, each checked again against its
SHA-256 as it is stored; every file named by an incoming document that is not deleted must then be
in the vault, else the import is refused and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from desktop.errors import ReceivedMismatch
from desktop.i18n import N_
from desktop.sync import fileformat
from desktop.sync.errors import SyncError
from desktop.vault.database import Vault

#: Largest document file that travels (the same limit as a document imported into the vault).
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
#: Bytes counted per record line and per ZIP member when a file's size is estimated before writing.
LINE_OVERHEAD = 400
#: The page cache (KiB) while document files are stored on import.
STORE_CACHE_KIB = 16 * 1024
MEMBER_OVERHEAD = 200

# The (sha256, deleted) of every file named by the document records of ``{rows}`` (SQL returning
# (data, deleted) per record).
_NAMED = """
WITH docs(data, deleted) AS ({rows})
SELECT json_extract(d.data, '$.original.sha256'), d.deleted FROM docs d
WHERE json_extract(d.data, '$.purged') IS NULL
UNION ALL
SELECT json_extract(j.value, '$.sha256'), d.deleted FROM docs d, json_each(d.data, '$.revisions') j
UNION ALL
SELECT json_extract(d.data, '$.text_sha256'), d.deleted FROM docs d
WHERE json_extract(d.data, '$.text_sha256') IS NOT NULL
"""
_EXPORTED = (
    "SELECT r.data, r.deleted FROM temp.sync_export e JOIN records r ON r.rowid = e.rid "
    "WHERE r.kind = 'document'"
)
# What the peer holds: the state last agreed (NULL there is the record as it is now).
_AT_PEER = (
    "SELECT coalesce(json_extract(b.base, '$.data'), r.data), 0 FROM records r "
    "JOIN sync_state b ON b.client_id = r.client_id AND b.record_id = r.id "
    "WHERE b.peer = ? AND b.their_rev IS NOT NULL AND r.kind = 'document'"
)


def _blobs(vault: Vault) -> Any:
    from desktop.evidence.blobs import BlobStore

    return BlobStore(vault)


def named(data: dict[str, Any]) -> list[str]:
    """The SHA-256 of every file a document record's data names: the original (unless the user
    purged it: the record keeps its SHA-256 for the chain of custody, not its bytes), then each
    revision, then its text."""
    out: list[str] = []
    original = data.get("original")
    if not data.get("purged") and isinstance(original, dict) and isinstance(original.get("sha256"), str):
        out.append(original["sha256"])
    for revision in data.get("revisions") or ():
        if isinstance(revision, dict) and isinstance(revision.get("sha256"), str):
            out.append(revision["sha256"])
    if isinstance(data.get("text_sha256"), str):  # the text (OCR'd or embedded), so the office can search it
        out.append(data["text_sha256"])
    return out


def _refused_missing(sha256: str) -> SyncError:
    return SyncError(
        N_(
            "A document's file ({sha256}) is missing from this vault; the sync file was not written. "
            "Check the vault (declara vault check) and try again."
        ),
        sha256=sha256[:12],
    )


def too_big(sha256: str, size: int) -> SyncError:
    return SyncError(
        N_("A document file is too large to sync ({size} MB, at most {limit} MB); nothing was written."),
        size=str(-(-size // (1024 * 1024))),
        limit=str(MAX_DOCUMENT_BYTES // (1024 * 1024)),
    )


def for_export(vault: Vault, conn: Any, peer: str, *, full: bool) -> list[fileformat.Member]:
    """The files the sync file being exported carries (``temp.sync_export`` holds its records), in
    SHA-256 order, refused when one that a live document names is missing or one is too large."""
    wanted: dict[str, bool] = {}  # sha256 -> named by a live record
    for sha, deleted in conn.execute(_NAMED.format(rows=_EXPORTED)):
        if isinstance(sha, str):
            wanted[sha] = wanted.get(sha, False) or not deleted
    if not wanted:
        return []
    if not full:
        for sha, _ in conn.execute(_NAMED.format(rows=_AT_PEER), (peer,)):
            wanted.pop(sha, None)
    blobs = _blobs(vault)
    members = []
    for sha in sorted(wanted):
        if not blobs.has(sha):
            if wanted[sha]:
                raise _refused_missing(sha)
            continue  # a deleted document's file that was purged here: the record goes alone
        size = blobs.size(sha)
        if size > MAX_DOCUMENT_BYTES:
            raise too_big(sha, size)
        members.append(fileformat.Member(sha, size, lambda sha=sha: blobs.iter_chunks(sha)))
    return members


def check_size(conn: Any, documents: Iterable[fileformat.Member]) -> None:
    """Refuse, before anything is written, a sync file that would be larger than a file may be: the
    records' stored text (plus their columns) and the documents' sizes."""
    records, count = conn.execute(
        "SELECT coalesce(sum(length(CAST(r.data AS BLOB))), 0), count(*) "
        "FROM temp.sync_export e JOIN records r ON r.rowid = e.rid"
    ).fetchone()
    docs = list(documents)
    total = records + count * LINE_OVERHEAD + sum(d.size for d in docs) + MEMBER_OVERHEAD * (len(docs) + 3)
    if total > fileformat.MAX_UNPACKED_BYTES:
        raise fileformat.too_large_export(total, fileformat.MAX_UNPACKED_BYTES)


def store(vault: Vault, sync: fileformat.SyncFile, needed: dict[str, int]) -> int:
    """Store the files of a verified sync file that this vault lacks (inside the caller's
    transaction), then check that every file in ``needed`` (SHA-256 -> the line of the record that
    names it) is in the vault. Returns how many files were stored."""
    blobs = _blobs(vault)
    for sha, size in sync.documents.items():
        if size > MAX_DOCUMENT_BYTES:
            raise too_big(sha, size)
    lacking = {sha for sha in sync.documents if not blobs.has(sha)}
    stored = 0
    conn = vault.conn
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    # The import's large page cache (desktop.case.codec.bulk_writes) would fill with the documents'
    # pages: a small one keeps memory bounded (SQLite writes the pages out as it goes).
    conn.execute(f"PRAGMA cache_size = {-STORE_CACHE_KIB}")
    try:
        stored = _store_lacking(vault, blobs, sync, lacking)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
    for sha, number in needed.items():
        if not blobs.has(sha):
            raise SyncError(
                N_(
                    "Record {number} of the sync file names a document file that is neither in the file "
                    "nor in this vault; ask the sender for a full export. Nothing was changed."
                ),
                number=number,
            )
    return stored


def _store_lacking(vault: Vault, blobs: Any, sync: fileformat.SyncFile, lacking: set[str]) -> int:
    stored = 0
    if lacking:
        for sha, data in fileformat.documents(vault, sync):
            if sha not in lacking:
                continue
            try:
                info = blobs.put_chunks(data, expected=sha)
            except ReceivedMismatch:
                raise fileformat.damaged() from None
            if info.sha256 != sha:
                raise fileformat.damaged()
            lacking.discard(sha)
            stored += 1
    if lacking:
        raise fileformat.damaged()
    return stored
