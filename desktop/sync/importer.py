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

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
import time
from typing import Any

from desktop.case import codec
from desktop.i18n import N_
from desktop.sync import assignments, blobsync, merge
from desktop.sync.errors import SyncError
from desktop.sync.fileformat import SyncFile, invalid, read_sync_file
from desktop.errors import DeclaraError
from desktop.vault import backups
from desktop.vault.database import Vault, now_iso

Progress = Callable[[int, int], None]


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
    everything back). New records are inserted in bulk; known ones are merged one by one."""
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

    def write(batch: list[tuple[int, dict[str, Any]]]) -> None:
        ids = [row["id"] for _, row in batch]
        local = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute(
                "SELECT id, kind, client_id, parent_id FROM records "
                f"WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            )
        }
        new_rows = []
        for number, row in batch:
            rid = row["id"]
            frozen = rid in signed or (row["kind"] == "paragraph" and row["parent_id"] in signed)
            if rid in local:
                if local[rid] != (row["kind"], row["client_id"], row["parent_id"]):
                    raise invalid(number, "id")
                merged = merge.merge_record(vault, conn, peer, row, frozen=frozen)
                result.conflicts += merged.conflicts
                if merged.updated:
                    result.updated += 1
                    result.clients.add(row["client_id"])
                else:
                    result.unchanged += 1
                continue
            if frozen and not row["deleted"]:
                held_apart.append(row)
                new_rows.append(codec.row_values({**row, "deleted": True}))  # a conflict, see below
            else:
                new_rows.append(codec.row_values(row))
            result.added += 1
            result.clients.add(row["client_id"])
        codec.insert_many(conn, new_rows)

    total = sync.announced()
    done = 0
    batch: list[tuple[int, dict[str, Any]]] = []
    for number, row in sync.records():
        seen.add(row["id"])
        if needed is not None and row["kind"] == "document" and not row["deleted"]:
            for sha in blobsync.named(row["data"]):
                needed.setdefault(sha, number)
        for key in ("client_id", "parent_id"):
            target = row[key]
            if target is not None and target not in seen:
                dangling.append((number, key, target))
        batch.append((number, row))
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
    new_rows = "FROM records WHERE rowid > ? ORDER BY id"
    conn.execute(
        f"INSERT INTO sync_sent (peer, record_id, rev) SELECT ?, id, rev {new_rows} "
        "ON CONFLICT (peer, record_id) DO UPDATE SET rev = max(rev, excluded.rev)",
        (peer, last_rowid),
    )
    conn.execute(
        f"INSERT INTO sync_base (peer, record_id, their_rev, data) SELECT ?, id, rev, NULL {new_rows} "
        "ON CONFLICT (peer, record_id) DO UPDATE SET their_rev = excluded.their_rev, data = NULL",
        (peer, last_rowid),
    )
    for row in held_apart:
        theirs = merge.state(row["data"], row["deleted"], row["position"])
        merge.set_base(conn, peer, row["id"], row["rev"], theirs)  # the peer holds it undeleted
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
