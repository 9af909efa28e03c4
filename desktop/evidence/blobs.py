"""File bytes inside the encrypted database: one blob per SHA-256, stored in chunks.

A blob is the exact bytes of a file (an original as imported, or a revision derived from it),
named by its SHA-256 and stored once however many documents use it (``blobs`` and
``blob_chunks``, migration 8). Chunks of :data:`CHUNK_SIZE` keep every row small and let a large
file be written and read a chunk at a time (:meth:`BlobStore.put_chunks`,
:meth:`BlobStore.iter_chunks`). SQLCipher encrypts and authenticates every page with the vault's
key, so the bytes are bound to the vault; reading checks them against their SHA-256 once more, so a
blob that is not what was stored is reported, never returned. Blobs are deleted only by
:meth:`BlobStore.purge_unreferenced` (``PRAGMA secure_delete`` overwrites the freed pages).
Why this design, and what it costs: docs/documents.md.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from desktop.errors import NotFound, ReceivedMismatch, VaultCorrupt
from desktop.i18n import N_
from desktop.vault.database import Vault, now_iso

CHUNK_SIZE = 512 * 1024

DAMAGED = N_(
    "A file stored in the vault is damaged: its bytes no longer match their SHA-256 ({sha256}). "
    "Nothing was changed; keep the vault folder and restore a backup."
)
MISSING = N_("The file {sha256} is not in this vault.")
MISMATCH = N_("A file received does not match its SHA-256 ({sha256}); nothing was stored.")


@dataclass(frozen=True)
class BlobInfo:
    sha256: str
    size: int


class BlobStore:
    """The vault's blobs. Every write runs in a vault transaction, or as a savepoint of the
    caller's, so a blob and the record that names it are stored together or not at all."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    @property
    def conn(self) -> Any:
        return self.vault.conn

    # -- writing -----------------------------------------------------------------------------
    def put(self, data: bytes) -> BlobInfo:
        """Store ``data`` (once per SHA-256); return its SHA-256 and size."""
        data = bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        info = BlobInfo(sha, len(data))
        if self.has(sha):
            return info
        view = memoryview(data)
        with self.vault.transaction() as conn:
            count = 0
            for count, start in enumerate(range(0, len(data), CHUNK_SIZE), start=1):
                conn.execute(
                    "INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)",
                    (sha, count - 1, bytes(view[start : start + CHUNK_SIZE])),
                )
            self._insert(conn, sha, len(data), count)
        return info

    def put_chunks(self, chunks: Iterable[bytes], expected: str | None = None) -> BlobInfo:
        """Store the concatenation of ``chunks`` holding at most one chunk in memory at a time.

        Without ``expected`` the SHA-256 is known only at the end, so the chunks are written under
        a provisional name and renamed (or dropped, when the blob was already stored) in the same
        transaction, which writes them twice (docs/documents.md). With ``expected`` (a sync file
        names its blobs) they are written under that name once and checked at the end: a mismatch
        raises ReceivedMismatch (the vault is not damaged) and stores nothing; a blob already
        stored is not read at all."""
        if expected is not None and self.has(expected):
            return BlobInfo(expected, self.size(expected))
        provisional = expected or f"pending:{uuid.uuid4()}"
        digest = hashlib.sha256()
        size = seq = 0
        pending = bytearray()
        with self.vault.transaction() as conn:

            def flush(part: bytes) -> None:
                nonlocal seq
                conn.execute(
                    "INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)", (provisional, seq, part)
                )
                seq += 1

            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                pending += chunk
                while len(pending) >= CHUNK_SIZE:
                    flush(bytes(pending[:CHUNK_SIZE]))
                    del pending[:CHUNK_SIZE]
            if pending:
                flush(bytes(pending))
            sha = digest.hexdigest()
            if expected is not None:
                if sha != expected:
                    raise ReceivedMismatch(MISMATCH, sha256=expected)
                self._insert(conn, sha, size, seq)
            elif self.has(sha):
                conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (provisional,))
            else:
                conn.execute("UPDATE blob_chunks SET sha256 = ? WHERE sha256 = ?", (sha, provisional))
                self._insert(conn, sha, size, seq)
        return BlobInfo(sha, size)

    @staticmethod
    def _insert(conn: Any, sha: str, size: int, chunks: int) -> None:
        conn.execute(
            "INSERT INTO blobs (sha256, size, chunks, created_at) VALUES (?, ?, ?, ?)",
            (sha, size, chunks, now_iso()),
        )

    # -- reading -----------------------------------------------------------------------------
    def _row(self, sha256: str) -> tuple[int, int]:
        row = self.conn.execute("SELECT size, chunks FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise NotFound(MISSING, sha256=sha256)
        return int(row[0]), int(row[1])

    def has(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def size(self, sha256: str) -> int:
        return self._row(sha256)[0]

    def get(self, sha256: str) -> bytes:
        """The blob's bytes, checked against its SHA-256 (VaultCorrupt when they differ)."""
        return b"".join(self.iter_chunks(sha256))

    def iter_chunks(self, sha256: str) -> Iterator[bytes]:
        """The blob's chunks in order, one in memory at a time. The SHA-256 and size are checked
        as they go; a mismatch raises VaultCorrupt after the last chunk (or at a missing one), so a
        consumer writing them out must discard what it wrote when that happens."""
        size, chunks = self._row(sha256)
        digest = hashlib.sha256()
        seen = 0
        for seq in range(chunks):
            row = self.conn.execute(
                "SELECT data FROM blob_chunks WHERE sha256 = ? AND seq = ?", (sha256, seq)
            ).fetchone()
            if row is None:
                raise VaultCorrupt(DAMAGED, sha256=sha256)
            data = bytes(row[0])
            digest.update(data)
            seen += len(data)
            if seen > size:
                raise VaultCorrupt(DAMAGED, sha256=sha256)
            yield data
        if seen != size or digest.hexdigest() != sha256:
            raise VaultCorrupt(DAMAGED, sha256=sha256)

    # -- what is used, and purging what is not ---------------------------------------------
    def referenced(self) -> set[str]:
        """Every SHA-256 named by a live (not deleted) document record: each revision's, its text's
        (``text_sha256``), and the original's unless the older revisions were purged (``purged``)."""
        rows = self.conn.execute(
            "SELECT json_extract(r.value, '$.sha256') FROM records d, json_each(d.data, '$.revisions') r "
            "WHERE d.kind = 'document' AND d.deleted = 0 "
            "UNION SELECT json_extract(d.data, '$.original.sha256') FROM records d "
            "WHERE d.kind = 'document' AND d.deleted = 0 AND json_extract(d.data, '$.purged') IS NULL "
            "UNION SELECT json_extract(d.data, '$.text_sha256') FROM records d "
            "WHERE d.kind = 'document' AND d.deleted = 0"
        )
        return {row[0] for row in rows if row[0]}

    def purge_unreferenced(self, candidates: Iterable[str] | None = None) -> int:
        """Delete the blobs no live document names (only among ``candidates`` when given, so
        purging one document's old revisions does not also make other deletions final); their
        pages are overwritten (``secure_delete``). Returns how many blobs were deleted."""
        with self.vault.transaction() as conn:
            keep = self.referenced()
            if candidates is None:
                stored = {row[0] for row in conn.execute("SELECT sha256 FROM blobs")}
            else:
                stored = {sha for sha in set(candidates) if self.has(sha)}
            doomed = sorted(stored - keep)
            for sha in doomed:
                conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
                conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
            # Chunks of a put_chunks that never finished (none survive a rollback; belt and braces).
            conn.execute("DELETE FROM blob_chunks WHERE sha256 LIKE 'pending:%'")
        return len(doomed)
