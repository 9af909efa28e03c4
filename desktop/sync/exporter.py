"""Writing a sync file for a peer: which records go, in what order, and what the vault remembers.

One transaction chooses the rows (everything the peer has not seen from this vault, or all of them,
optionally only some clients' records), streams them through the file format and age into memory or
a temporary file, then records the file's number and what was sent (``sync_state``: the revision
sent, and the merge base as "the record as it is now"), and only then puts the file in place. A file
whose number the vault did not record is taken back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import NotFound
from desktop.i18n import N_
from desktop.sync import assignments, blobsync, fileformat, stream
from desktop.sync.devices import Identity, Peer, find_peer, identity
from desktop.vault.database import Vault


@dataclass
class ExportResult:
    """What :func:`export_sync` wrote."""

    data: bytes
    peer: Peer
    seq: int
    records: int
    documents: int = 0  # document files carried
    document_bytes: int = 0


# The line of records.jsonl of one record, built by SQLite itself: the stored ``data`` is canonical
# JSON (desktop.case.codec writes it so), so Python never parses and re-serialises it on export.
_DELETED_JSON = "json(CASE WHEN r.deleted THEN 'true' ELSE 'false' END)"
_LINE_VALUES = {"data": "json(r.data)", "deleted": _DELETED_JSON}
_LINE_SQL = (
    "json_object(" + ", ".join(f"'{k}', {_LINE_VALUES.get(k, f'r.{k}')}" for k in fileformat.ROW_KEYS) + ")"
)


def export_sync(
    vault: Vault,
    peer: Peer | str,
    *,
    full: bool = False,
    clients: Iterable[str] | None = None,
    out: Path | None = None,
) -> ExportResult:
    """Write a sync file for ``peer``: every record it has not seen from this vault.

    ``full`` sends everything; ``clients`` limits the file to those clients' records (a case
    packet). From the office to a laptop only the laptop's assigned clients go, whatever the flags
    (:mod:`desktop.sync.assignments`): ``clients`` can only narrow that, and naming a client not
    assigned to it is refused before anything is written. Sent revisions and the sent state (the
    new merge base) are remembered. With ``out`` the file is streamed there (0600, a temporary
    name renamed into place once complete, inside the same transaction) and ``data`` is empty;
    without it the file is returned in ``data``.
    Nothing in plaintext touches the disk: the ZIP is produced and encrypted in memory, in chunks.
    The document files the records name travel with them (:mod:`desktop.sync.blobsync`); a file
    over :data:`fileformat.MAX_UNPACKED_BYTES` is refused before anything is written.
    """
    from pyrage import x25519

    own = identity(vault)
    if isinstance(peer, str):
        peer = find_peer(vault, peer)
    recipient = x25519.Recipient.from_str(peer.age_recipient)
    params: list[Any] = []
    where: list[str] = []
    client_ids = None if clients is None else [c for c in clients if c]
    # From the office to a laptop: the laptop's assigned clients only, whatever the flags.
    assignments.check_route(own.role, peer)
    restricted = assignments.restricted(own.role, peer)
    if client_ids is not None:
        for cid in client_ids:
            row = vault.conn.execute(
                "SELECT 1 FROM records WHERE id = ? AND kind = 'client'", (cid,)
            ).fetchone()
            if row is None:
                raise NotFound(N_("No client with the id or A-number “{token}”."), token=cid)
        if restricted:
            assignments.check_requested(vault.conn, peer, client_ids)
        where.append(f"r.client_id IN ({','.join('?' * len(client_ids))})")
        params += client_ids
    if restricted:
        where.append(assignments.EXPORT_FILTER)
        params.append(peer.device_id)
    if not full:
        where.append(
            "r.rev > coalesce("
            "(SELECT s.sent_rev FROM sync_state s "
            "WHERE s.client_id = r.client_id AND s.record_id = r.id AND s.peer = ?), 0)"
        )
        params.append(peer.device_id)
    cond = " AND ".join(where) or "1"
    placed: list[Path] = []  # the file, once renamed into place
    try:
        return _export_in_transaction(vault, own, peer, recipient, cond, params, out, placed, full)
    except BaseException:
        # The file names a sequence number the vault did not record (the commit failed, say, on a
        # full disk): a second file with that number would be refused as a replay. Take it back.
        for path in placed:
            path.unlink(missing_ok=True)
        raise


def _export_in_transaction(
    vault: Vault,
    own: Identity,
    peer: Peer,
    recipient: Any,
    cond: str,
    params: list[Any],
    out: Path | None,
    placed: list[Path],
    full: bool,
) -> ExportResult:
    with vault.transaction() as conn:
        # The rows of this file, in order: clients first, then the rest (each in storage order).
        conn.execute("DROP TABLE IF EXISTS temp.sync_export")
        conn.execute("CREATE TEMP TABLE sync_export (n INTEGER PRIMARY KEY, rid INTEGER NOT NULL)")
        for kind_cond in ("r.kind = 'client'", "r.kind != 'client'"):
            conn.execute(
                f"INSERT INTO temp.sync_export (rid) SELECT r.rowid FROM records r "
                f"WHERE {kind_cond} AND {cond} ORDER BY r.rowid",
                params,
            )
        count = conn.execute("SELECT count(*) FROM temp.sync_export").fetchone()[0]
        seq = own.last_seq + 1
        joined = "FROM temp.sync_export e JOIN records r ON r.rowid = e.rid"

        def lines() -> Iterator[str]:
            cursor = conn.execute(f"SELECT {_LINE_SQL} {joined} ORDER BY e.n")
            while rows := cursor.fetchmany(2048):
                for (line,) in rows:
                    yield line

        # The document files those records name (those the peer does not hold), and the size limit,
        # checked before anything is written.
        documents = blobsync.for_export(vault, conn, peer.device_id, full=full)
        blobsync.check_size(conn, documents)

        section = assignments.section_for(conn, own.role, peer)
        extra = None if section is None else {assignments.SECTION: section}

        def manifest_for(sha256: str, size: int) -> bytes:
            return fileformat.manifest_bytes(own, peer, seq, count, sha256, size, documents, extra=extra)

        chunks = fileformat.payload(lines(), manifest_for, own.sign, documents)
        data = b""
        tmp = None
        if out is None:
            data = stream.encrypt_to_bytes(chunks, recipient)
        else:
            out = Path(out)
            tmp = stream.encrypt_to_temp(chunks, recipient, out)
        try:
            conn.execute("UPDATE sync_identity SET last_seq = ? WHERE id = 1", (seq,))
            # What was sent, and as the new merge base the record as it is now (NULL, see migration
            # 5); in key order: the keys are appended to, not split all over the file.
            conn.execute(
                "INSERT INTO sync_state (client_id, record_id, peer, sent_rev, their_rev, base) "
                f"SELECT r.client_id, r.id, ?, r.rev, 0, NULL {joined} ORDER BY r.client_id, r.id "
                "ON CONFLICT (client_id, record_id, peer) DO UPDATE SET sent_rev = excluded.sent_rev, "
                "their_rev = coalesce(their_rev, 0), base = NULL",
                (peer.device_id,),
            )
            assignments.note_sent(conn, own.role, peer, seq, joined)
            conn.execute("DROP TABLE temp.sync_export")
            if tmp is not None and out is not None:
                stream.place(tmp, out)
                placed.append(out)
        except BaseException:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            raise
    return ExportResult(
        data=data,
        peer=peer,
        seq=seq,
        records=count,
        documents=len(documents),
        document_bytes=sum(d.size for d in documents),
    )
