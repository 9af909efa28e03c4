"""Importing a sync file: verify it, check the vault, apply every record or none, report.

The import is one SQLite transaction: a failure or a crash leaves the vault as it was. Before it,
the automatic backup of :mod:`desktop.vault.backups` is made when it is due (none yet, or the
vault changed since the newest one and that one is over an hour old): at most one copy of the
whole database per :data:`~desktop.vault.backups.AUTO_INTERVAL`, never one per import. When none
is due, every page of the vault is checked again (:func:`desktop.vault.backups.check_source`)
unless the open's own check of every page was less than :data:`RECHECK_PAGES_AFTER` ago: either
way a damaged vault is refused with nothing written.

An exact re-import is a no-op; another file with a number already applied is a replay and is
refused. Records this vault does not hold are inserted in bulk through the record codec (with its
tuning for large imports: secondary indexes rebuilt once, foreign keys checked here instead of
per row, a larger page cache); records it holds are merged one by one (:mod:`desktop.sync.merge`).
A signed declaration version here is frozen: what a peer sends for it becomes conflicts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
import time
from typing import Any

from desktop.case import codec
from desktop.i18n import N_
from desktop.sync import assignments, blobsync, checker, merge
from desktop.sync.errors import SyncError
from desktop.sync.fileformat import SyncFile, invalid, read_sync_file
from desktop.errors import DeclaraError
from desktop.vault import backups
from desktop.vault.database import Vault, now_iso

Progress = Callable[[int, int], None]
#: Where ``deleted`` is in a record's values (codec.COLUMNS).
_DELETED = codec.COLUMNS.index("deleted")


@dataclass
class ImportResult:
    """What :func:`import_sync` did."""

    sender: str
    seq: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    already_applied: bool = False
    #: the backup folder made before the import, when one was due (desktop.vault.backups); None
    #: when the newest backup is recent enough
    backup: Path | None = None
    #: what went wrong writing the backup's copy to the second folder (the backup itself was made)
    backup_warnings: list[DeclaraError] = field(default_factory=list)
    clients: set[str] = field(default_factory=set)
    documents: int = 0  # document files stored
    #: clients removed from this laptop as the office asked, and those kept until the office has
    #: everything this laptop sent (desktop.sync.assignments)
    removed: set[str] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)


#: An import reads every page again when the vault's pages were last proven whole longer ago than
#: this (seconds): 1.3 s for a 550 MB office, pointless right after the open's own check.
RECHECK_PAGES_AFTER = 600.0


def import_sync(
    vault: Vault, raw: bytes | Path, *, backup: bool = True, progress: Progress | None = None
) -> ImportResult:
    """Verify and apply a sync file, all or nothing; an exact re-import is a no-op.

    ``raw`` is the file's bytes or its path (a file with documents may be gigabytes: from a path it
    is streamed, never held whole in memory). ``progress(done, total)`` is called (from the
    importing thread) as records are applied; total is the count the manifest announces.

    With ``backup`` (the default) the vault is checked first and the automatic backup is made if
    it is due (:func:`desktop.vault.backups.is_due`), before anything is changed; it is pruned
    only after the import succeeded and deleted when the import is refused. ``backup=False``
    skips both (tests, the benchmark's empty offices)."""
    sync = read_sync_file(vault, raw)
    peer = sync.sender.device_id
    seq = int(sync.manifest["seq"])
    result = ImportResult(sender=sync.sender.name, seq=seq)
    applied = vault.conn.execute(
        "SELECT sha256 FROM sync_applied WHERE peer = ? AND seq = ?", (peer, seq)
    ).fetchone()
    if applied is not None:
        if applied[0] == sync.sha256:
            result.already_applied = True
            return result
        raise SyncError(
            N_(
                "A different file numbered {seq} from {name} was already imported; this one is an old "
                "or replayed copy and was refused."
            ),
            seq=seq,
            name=sync.sender.name,
        )
    made = None
    if backup:
        # Refused (VaultCorrupt, nothing written, no backup pruned) when the vault is damaged.
        if backups.is_due(vault):  # every page and SQLite's structure checked, then copied
            made = backups.make_backup(vault, reason="import", prune=False)
            result.backup, result.backup_warnings = made.path, made.warnings
        elif not vault.pages_checked_within(RECHECK_PAGES_AFTER):
            # Every page's HMAC, as at open (the flipped byte of a failing disk), when the vault has
            # been open a while (the window); the command line opened and checked it seconds ago.
            backups.check_source(vault, structure=False)
            vault.pages_checked_at = time.monotonic()
    try:
        # Every client and parent a record names is checked by _apply_all (in the file or in the
        # vault), so the bulk writes go without SQLite's per-row foreign-key lookups.
        with codec.bulk_writes(vault.conn), vault.transaction() as conn:
            needed: dict[str, int] = {}
            first_rowid = conn.execute("SELECT coalesce(max(rowid), 0) FROM records").fetchone()[0]
            with codec.without_indexes(conn, sync.announced()):
                _apply_all(vault, conn, peer, sync, result, progress, needed)
            if sync.documents or needed:
                result.documents = blobsync.store(vault, sync, needed)
            codec.refresh_clients(conn, result.clients)
            removals = assignments.on_import(vault, conn, sync, first_rowid)  # issue 19
            conn.execute(
                "INSERT INTO sync_applied (peer, seq, sha256, applied_at) VALUES (?, ?, ?, ?)",
                (peer, seq, sync.sha256, now_iso()),
            )
    except BaseException:
        if made is not None:
            backups.discard(made)  # nothing was changed: the backup is not needed
            result.backup = None
        raise
    if made is not None:
        backups.prune_backups(vault, made)
    assignments.after_import(vault, removals)  # after the commit: VACUUM when worth it
    result.removed, result.kept = removals.removed, removals.kept
    return result


def _as_row(values: tuple[Any, ...]) -> dict[str, Any]:
    """A checked record's values (codec.COLUMNS order) as the line's dict, for merging."""
    row = dict(zip(codec.COLUMNS, values, strict=True))
    row["data"] = json.loads(row["data"])
    row["deleted"] = bool(row["deleted"])
    return row


def _apply_all(
    vault: Vault,
    conn: Any,
    peer: str,
    sync: SyncFile,
    result: ImportResult,
    progress: Progress | None = None,
    needed: dict[str, int] | None = None,
) -> None:
    """Check and apply every record, in batches, inside the caller's transaction (an error rolls
    everything back). New records are inserted in bulk; known ones are merged one by one. The lines
    are checked by :mod:`desktop.sync.checker` (in worker processes for a large file) while this
    process writes."""
    size = codec.BATCH
    seen: set[str] = set()
    dangling: list[tuple[int, str, str]] = []  # (line, column, id) not yet seen in the file
    # Declaration versions signed here before this import: they and their paragraphs are frozen.
    signed = {
        r[0]
        for r in conn.execute(
            "SELECT id FROM records WHERE kind = 'declaration' AND json_extract(data, '$.status') = 'signed'"
        )
    }
    held_apart: list[dict[str, Any]] = []  # new paragraphs of a signed version: kept, as tombstones
    # New records get rowids above every existing one (no AUTOINCREMENT, rowids never reach 2^63).
    last_rowid = conn.execute("SELECT coalesce(max(rowid), 0) FROM records").fetchone()[0]
    # Into a vault without records (an office's first import) every record is new: no look-ups
    # (an id given twice in the file is refused by the checker).
    empty = last_rowid == 0

    def write(batch: list[tuple[int, tuple[Any, ...]]]) -> None:
        local: dict[str, tuple[str, str, str | None]] = {}
        if not empty:
            ids = [values[0] for _, values in batch]
            local = {
                r[0]: (r[1], r[2], r[3])
                for r in conn.execute(
                    "SELECT id, kind, client_id, parent_id FROM records "
                    f"WHERE id IN ({','.join('?' * len(ids))})",
                    ids,
                )
            }
        new_rows = []
        clients = result.clients
        for number, values in batch:
            rid, kind, client_id, parent_id = values[0], values[1], values[2], values[3]
            frozen = rid in signed or (kind == "paragraph" and parent_id in signed)
            if rid in local:
                if local[rid] != (kind, client_id, parent_id):
                    raise invalid(number, "id")
                merged = merge.merge_record(vault, conn, peer, _as_row(values), frozen=frozen)
                result.conflicts += merged.conflicts
                if merged.updated:
                    result.updated += 1
                    clients.add(client_id)
                else:
                    result.unchanged += 1
                continue
            if frozen and not values[_DELETED]:
                held_apart.append(_as_row(values))
                new_rows.append(values[:_DELETED] + (1,) + values[_DELETED + 1 :])  # a conflict, below
            else:
                new_rows.append(values)
            result.added += 1
            clients.add(client_id)
        codec.insert_many(conn, new_rows)

    total = sync.announced()
    done = 0
    batch: list[tuple[int, tuple[Any, ...]]] = []
    lines = checker.checked(sync.record_pieces(), workers=checker.workers_for(sync.records_size), seen=seen)
    for number, values, named in lines:
        if needed is not None and named:
            for sha in named:
                needed.setdefault(sha, number)
        client_id, parent_id = values[2], values[3]
        if client_id not in seen:
            dangling.append((number, "client_id", client_id))
        if parent_id is not None and parent_id not in seen:
            dangling.append((number, "parent_id", parent_id))
        batch.append((number, values))
        if len(batch) >= size:
            write(batch)
            done += len(batch)
            batch = []
            if progress is not None:
                progress(done, max(total, done))
    if batch:
        write(batch)
        done += len(batch)
    if progress is not None:
        progress(done, max(total, done))
    # The peer holds what it sent: its revision, and as merge base the record as inserted (NULL).
    # In id order, so both primary keys are appended to rather than split all over the file.
    # In key order, so the keys are appended to rather than split all over the file; the new rows
    # read by rowid and sorted (NOT INDEXED: through the id index, each row is a jump, 1.2 s
    # against 2.0 s for the first import of an office).
    conn.execute(
        "INSERT INTO sync_state (client_id, record_id, peer, sent_rev, their_rev, base) "
        "SELECT client_id, id, ?, rev, rev, NULL FROM records NOT INDEXED WHERE rowid > ? "
        "ORDER BY client_id, id ON CONFLICT (client_id, record_id, peer) DO UPDATE SET "
        "sent_rev = max(coalesce(sent_rev, 0), excluded.sent_rev), "
        "their_rev = excluded.their_rev, base = NULL",
        (peer, last_rowid),
    )
    for row in held_apart:
        theirs = merge.state(row["data"], row["deleted"], row["position"])
        # the peer holds it undeleted
        merge.set_base(conn, peer, row["client_id"], row["id"], row["rev"], theirs)
        merge.add_conflict(conn, row["id"], merge.DELETED_FIELD, True, False, peer)
        result.conflicts += 1
    # A client or parent named before it appears is fine; one that is nowhere is not.
    missing = [(n, k, t) for n, k, t in dangling if t not in seen]
    for start in range(0, len(missing), size):
        part = missing[start : start + size]
        targets = sorted({t for _, _, t in part})
        known = {
            r[0]
            for r in conn.execute(
                f"SELECT id FROM records WHERE id IN ({','.join('?' * len(targets))})", targets
            )
        }
        for number, key, target in part:
            if target not in known:
                raise invalid(number, key)
