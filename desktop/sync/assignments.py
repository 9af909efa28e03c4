"""Assignments: the office decides which clients each laptop carries; a laptop carries nothing else.

On the office, ``sync_assignments`` holds the clients assigned to each laptop. An export from the
office to a laptop carries only those clients' records (:mod:`desktop.sync.exporter` asks
:func:`export_filter`). Unassigning a client adds a row to ``sync_removals``: every file from the
office to that laptop then carries a removal instruction for the client, until a file from the
laptop acknowledges that it removed it.

Both directions carry a section ``assignments`` in the signed manifest
(:mod:`desktop.sync.fileformat`):

- office to laptop: ``{"remove": [client ids], "applied": [[first, last], ...]}``: the clients the
  laptop must remove, and the numbers of the laptop's files the office has applied (as ranges);
- laptop to office: ``{"removed": [client ids], "hand_back": [client ids]}``: the removals done
  (acknowledged), and the clients its attorney gives back (:func:`hand_back`).

A laptop removes a client only when nothing it changed is missing at the office: no record of the
client has a revision it has not sent (``sync_state``), and the last file it sent carrying the client
(``sync_client_sent``) is among the files the office says it applied. Otherwise the client is kept
(``sync_removal_state`` 'kept') and removed on a later file. The removal deletes every record of the
client, its search rows, summary, conflicts and bookkeeping, and the document files no other record
names (``secure_delete`` overwrites the pages); after the import commits, the vault is VACUUM-ed
when the free pages are more than :data:`VACUUM_ABOVE` of the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desktop.case import codec
from desktop.errors import NotFound
from desktop.i18n import N_
from desktop.sync.devices import Peer, find_peer, identity, is_uuid
from desktop.sync.errors import SyncError
from desktop.vault.database import Vault, now_iso

#: The manifest's key for this section.
SECTION = "assignments"
LAPTOP = "laptop"
OFFICE = "office"
#: VACUUM after a removal when the free pages are more than this share of the file.
VACUUM_ABOVE = 0.25


@dataclass
class Removals:
    """What an import did with the office's removal instructions (on a laptop)."""

    removed: set[str] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)  # waiting until the office holds everything
    blobs: int = 0  # document files deleted
    vacuumed: bool = False


# -- peers and clients -----------------------------------------------------------------------------
def _require_office(vault: Vault) -> None:
    if identity(vault).role != OFFICE:
        raise SyncError(N_("Only the office assigns clients to laptops; this vault is not the office."))


def _laptop(vault: Vault, peer: Peer | str) -> Peer:
    found = find_peer(vault, peer) if isinstance(peer, str) else peer
    if found.role != LAPTOP:
        raise SyncError(
            N_("The device {name} is not a laptop; clients are assigned to laptops."), name=found.name
        )
    return found


def _clients(conn: Any, client_ids: Iterable[str]) -> list[str]:
    """The ids, each checked to be a client of this vault (NotFound names the first that is not)."""
    out: list[str] = []
    for token in client_ids:
        cid = str(token).strip()
        row = conn.execute("SELECT 1 FROM records WHERE id = ? AND kind = 'client'", (cid,)).fetchone()
        if row is None:
            raise NotFound(N_("No client with the id or A-number “{token}”."), token=cid)
        if cid not in out:
            out.append(cid)
    return out


def _forget_held(conn: Any, peer: str, client_id: str) -> None:
    """The laptop may no longer hold the client: forget what it was sent, so all of it goes again
    (records and document files) if the client is assigned to it later."""
    conn.execute(
        "DELETE FROM sync_state WHERE client_id = ? AND peer = ?",
        (client_id, peer),
    )


# -- the office ------------------------------------------------------------------------------------
def assign(vault: Vault, peer: Peer | str, client_ids: Iterable[str]) -> int:
    """Assign clients to a laptop (office only); returns how many were newly assigned. A client
    whose removal the laptop has not acknowledged yet is sent whole again."""
    _require_office(vault)
    laptop = _laptop(vault, peer)
    count = 0
    with vault.transaction() as conn:
        for cid in _clients(conn, client_ids):
            cur = conn.execute(
                "INSERT OR IGNORE INTO sync_assignments (peer, client_id, assigned_at) VALUES (?, ?, ?)",
                (laptop.device_id, cid, now_iso()),
            )
            count += cur.rowcount
            pending = conn.execute(
                "DELETE FROM sync_removals WHERE peer = ? AND client_id = ?", (laptop.device_id, cid)
            )
            if pending.rowcount:
                _forget_held(conn, laptop.device_id, cid)
    return count


def _unassign(conn: Any, peer: str, client_id: str) -> int:
    cur = conn.execute("DELETE FROM sync_assignments WHERE peer = ? AND client_id = ?", (peer, client_id))
    if cur.rowcount:
        conn.execute(
            "INSERT OR IGNORE INTO sync_removals (peer, client_id, since) VALUES (?, ?, ?)",
            (peer, client_id, now_iso()),
        )
    return cur.rowcount


def unassign(vault: Vault, peer: Peer | str, client_ids: Iterable[str]) -> int:
    """Unassign clients from a laptop (office only); returns how many were assigned. The office's
    next file to the laptop asks it to remove them."""
    _require_office(vault)
    laptop = _laptop(vault, peer)
    count = 0
    with vault.transaction() as conn:
        for cid in _clients(conn, client_ids):
            count += _unassign(conn, laptop.device_id, cid)
    return count


def assigned(vault: Vault, peer: Peer | str) -> set[str]:
    """The client ids assigned to a laptop."""
    laptop = find_peer(vault, peer) if isinstance(peer, str) else peer
    rows = vault.conn.execute("SELECT client_id FROM sync_assignments WHERE peer = ?", (laptop.device_id,))
    return {r[0] for r in rows}


def _grouped(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for cid, peer in rows:
        out.setdefault(cid, []).append(peer)
    return out


def assignments(vault: Vault) -> dict[str, list[str]]:
    """Client id -> the device ids of the laptops it is assigned to (clients with at least one)."""
    rows = vault.conn.execute("SELECT client_id, peer FROM sync_assignments ORDER BY client_id, peer")
    return _grouped(rows)


def holders(vault: Vault) -> dict[str, list[str]]:
    """Client id -> the device ids of the laptops that still hold its records as far as the office
    knows: assigned, or unassigned and the removal not yet acknowledged."""
    return _grouped(
        vault.conn.execute(
            "SELECT client_id, peer FROM sync_assignments UNION "
            "SELECT client_id, peer FROM sync_removals ORDER BY 1, 2"
        )
    )


def pending_removals(vault: Vault) -> dict[str, list[str]]:
    """Laptop device id -> the clients unassigned from it whose removal it has not acknowledged."""
    rows = vault.conn.execute("SELECT peer, client_id FROM sync_removals ORDER BY peer, client_id")
    return _grouped(rows)


# -- the laptop ------------------------------------------------------------------------------------
def hand_back(vault: Vault, client_ids: Iterable[str]) -> int:
    """On a laptop: give clients back to the office. The next file to the office asks it to
    unassign them; they are removed here once the office confirms it holds everything (as after an
    unassignment). Returns how many were newly marked."""
    if identity(vault).role != LAPTOP:
        raise SyncError(N_("Only a laptop hands clients back to the office."))
    count = 0
    with vault.transaction() as conn:
        for cid in _clients(conn, client_ids):
            cur = conn.execute(
                "INSERT OR IGNORE INTO sync_hand_back (client_id, marked_at) VALUES (?, ?)", (cid, now_iso())
            )
            count += cur.rowcount
    return count


def handed_back(vault: Vault) -> set[str]:
    """The clients this laptop is giving back (until the office's removal instruction arrives)."""
    return {r[0] for r in vault.conn.execute("SELECT client_id FROM sync_hand_back")}


def removal_state(vault: Vault) -> dict[str, str]:
    """Client id -> 'kept' (removal waits for the office) or 'removed' (to acknowledge)."""
    return {r[0]: r[1] for r in vault.conn.execute("SELECT client_id, state FROM sync_removal_state")}


# -- export ----------------------------------------------------------------------------------------
def check_route(own_role: str, peer: Peer) -> None:
    """Refuse a file between two laptops: only the office knows which clients a laptop may carry."""
    if own_role == LAPTOP and peer.role == LAPTOP:
        raise SyncError(
            N_(
                "{name} is a laptop: a laptop sends sync files to the office only, which sends each "
                "laptop its assigned clients. Nothing was written."
            ),
            name=peer.name,
        )


def restricted(own_role: str, peer: Peer) -> bool:
    """Whether an export from a vault of ``own_role`` to ``peer`` carries assigned clients only."""
    return own_role == OFFICE and peer.role == LAPTOP


def check_requested(conn: Any, peer: Peer, client_ids: list[str]) -> None:
    """Refuse a case packet for a client not assigned to the laptop (nothing is written)."""
    for cid in client_ids:
        row = conn.execute(
            "SELECT 1 FROM sync_assignments WHERE peer = ? AND client_id = ?", (peer.device_id, cid)
        ).fetchone()
        if row is None:
            raise SyncError(
                N_(
                    "The client “{token}” is not assigned to {name}; assign it first "
                    "(declara office assign). Nothing was written."
                ),
                token=cid,
                name=peer.name,
            )


#: The condition (on ``records r``) and its parameter that limits an export to assigned clients.
EXPORT_FILTER = "r.client_id IN (SELECT a.client_id FROM sync_assignments a WHERE a.peer = ?)"


def _ranges(seqs: Iterable[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for seq in seqs:
        if out and seq == out[-1][1] + 1:
            out[-1][1] = seq
        else:
            out.append([seq, seq])
    return out


def section_for(conn: Any, own_role: str, peer: Peer) -> dict[str, Any] | None:
    """The manifest's ``assignments`` section of a file for ``peer`` (None between two offices or
    two laptops)."""
    if own_role == OFFICE and peer.role == LAPTOP:
        remove = [
            r[0]
            for r in conn.execute(
                "SELECT client_id FROM sync_removals WHERE peer = ? ORDER BY client_id", (peer.device_id,)
            )
        ]
        seqs = [
            r[0]
            for r in conn.execute(
                "SELECT seq FROM sync_applied WHERE peer = ? ORDER BY seq", (peer.device_id,)
            )
        ]
        return {"remove": remove, "applied": _ranges(seqs)}
    if own_role == LAPTOP and peer.role == OFFICE:
        removed = [
            r[0]
            for r in conn.execute(
                "SELECT client_id FROM sync_removal_state WHERE peer = ? AND state = 'removed' "
                "ORDER BY client_id",
                (peer.device_id,),
            )
        ]
        back = [r[0] for r in conn.execute("SELECT client_id FROM sync_hand_back ORDER BY client_id")]
        return {"removed": removed, "hand_back": back}
    return None


def note_sent(conn: Any, own_role: str, peer: Peer, seq: int, joined: str) -> None:
    """After a laptop's export to the office: this file is the last that carried its clients
    (``joined`` is the exporter's FROM clause over the file's records)."""
    if own_role == LAPTOP and peer.role == OFFICE:
        conn.execute("UPDATE sync_hand_back SET sent_seq = ? WHERE sent_seq IS NULL", (seq,))
        conn.execute(
            f"INSERT INTO sync_client_sent (peer, client_id, seq) SELECT DISTINCT ?, r.client_id, ? {joined} "
            "WHERE true ON CONFLICT (peer, client_id) DO UPDATE SET seq = excluded.seq",
            (peer.device_id, seq),
        )


# -- import ----------------------------------------------------------------------------------------
def _ids(value: Any) -> list[str]:
    from desktop.sync.fileformat import damaged

    if not isinstance(value, list) or not all(is_uuid(v) for v in value):
        raise damaged()
    return value


def parse_section(manifest: dict[str, Any], sender_role: str) -> dict[str, Any] | None:
    """The manifest's section, checked for shape (the manifest is already bounded and its
    signature verified); a file without one (an older Declara) yields None."""
    from desktop.sync.fileformat import damaged

    section = manifest.get(SECTION)
    if section is None:
        return None
    if not isinstance(section, dict):
        raise damaged()
    if sender_role == OFFICE:
        applied = section.get("applied")
        if not isinstance(applied, list):
            raise damaged()
        for pair in applied:
            ok = (
                isinstance(pair, list)
                and len(pair) == 2
                and all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in pair)
            )
            if not ok or pair[0] > pair[1]:
                raise damaged()
        return {"remove": _ids(section.get("remove")), "applied": applied}
    return {"removed": _ids(section.get("removed")), "hand_back": _ids(section.get("hand_back"))}


def on_import(vault: Vault, conn: Any, sync: Any, first_rowid: int) -> Removals:
    """Inside the import's transaction, after the records are applied: what the file's section
    asks. ``first_rowid`` is the largest rowid of ``records`` before the import."""
    own = identity(vault)
    sender = sync.sender
    seq = int(sync.manifest["seq"])
    done = Removals()
    if own.role == LAPTOP and sender.role == LAPTOP:  # written by an older Declara: refused whole
        raise SyncError(
            N_(
                "The sync file comes from another laptop; a laptop takes files from the office only. "
                "Nothing was changed."
            )
        )
    if own.role == OFFICE and sender.role == LAPTOP:
        # A client created on the laptop is assigned to it.
        conn.execute(
            "INSERT OR IGNORE INTO sync_assignments (peer, client_id, assigned_at) "
            "SELECT ?, id, ? FROM records WHERE kind = 'client' AND rowid > ?",
            (sender.device_id, now_iso(), first_rowid),
        )
    section = parse_section(sync.manifest, sender.role)
    newer = conn.execute(
        "SELECT 1 FROM sync_applied WHERE peer = ? AND seq > ?", (sender.device_id, seq)
    ).fetchone()
    if section is None or newer is not None:
        return done  # an older file arriving late: its instructions are out of date
    if own.role == OFFICE and sender.role == LAPTOP:
        for cid in section["removed"]:
            gone = conn.execute(
                "DELETE FROM sync_removals WHERE peer = ? AND client_id = ?", (sender.device_id, cid)
            )
            if gone.rowcount:
                _forget_held(conn, sender.device_id, cid)
        for cid in section["hand_back"]:  # the laptop holds it: the removal path follows
            conn.execute(
                "DELETE FROM sync_assignments WHERE peer = ? AND client_id = ?", (sender.device_id, cid)
            )
            conn.execute(
                "INSERT OR IGNORE INTO sync_removals (peer, client_id, since) VALUES (?, ?, ?)",
                (sender.device_id, cid, now_iso()),
            )
    elif own.role == LAPTOP and sender.role == OFFICE:
        _remove_as_asked(conn, sender.device_id, own.last_seq, section, done)
    return done


def _confirmed(seq: int | None, applied: list[list[int]]) -> bool:
    return seq is None or any(lo <= seq <= hi for lo, hi in applied)


def _remove_as_asked(conn: Any, office: str, last_seq: int, section: dict[str, Any], done: Removals) -> None:
    remove = sorted(set(section["remove"]))
    conn.execute("DELETE FROM sync_removal_state WHERE peer = ?", (office,))  # this file says what is left
    # A hand-back the office has read is settled: it unassigned the client (then it is in
    # ``remove``) or assigned it again since, which stands.
    for cid, sent in conn.execute("SELECT client_id, sent_seq FROM sync_hand_back").fetchall():
        if sent is not None and _confirmed(sent, section["applied"]):
            conn.execute("DELETE FROM sync_hand_back WHERE client_id = ?", (cid,))
    for cid in remove:
        conn.execute("DELETE FROM sync_hand_back WHERE client_id = ?", (cid,))  # the office took it back
        unsent = conn.execute(
            "SELECT 1 FROM records r WHERE r.client_id = ? AND r.rev > coalesce("
            "(SELECT s.sent_rev FROM sync_state s "
            "WHERE s.client_id = r.client_id AND s.record_id = r.id AND s.peer = ?), 0) LIMIT 1",
            (cid, office),
        ).fetchone()
        last = conn.execute(
            "SELECT seq FROM sync_client_sent WHERE peer = ? AND client_id = ?", (office, cid)
        ).fetchone()
        # The last file that carried the client must have been applied; for a client no file
        # carried since this bookkeeping began, every file sent so far.
        must = last[0] if last else (last_seq or None)
        held = conn.execute("SELECT 1 FROM records WHERE client_id = ? LIMIT 1", (cid,)).fetchone()
        if held is None:
            state = "removed"  # already gone (or never here): acknowledge again
        elif unsent is not None or not _confirmed(must, section["applied"]):
            state = "kept"
            done.kept.add(cid)
        else:
            state = "removed"
            done.blobs += _delete_client(conn, cid)
            done.removed.add(cid)
        conn.execute(
            "INSERT INTO sync_removal_state (peer, client_id, state, since) VALUES (?, ?, ?, ?)",
            (office, cid, state, now_iso()),
        )


def _delete_client(conn: Any, client_id: str) -> int:
    """Delete every record of a client and everything kept about them; returns how many document
    files were deleted (those no remaining record names)."""
    from desktop.case import search
    from desktop.sync import blobsync

    named: set[str] = set()
    for (data,) in conn.execute(
        "SELECT data FROM records WHERE client_id = ? AND kind = 'document'", (client_id,)
    ):
        named.update(blobsync.named(json.loads(data)))
    search.remove_client(conn, client_id)
    conn.execute(
        "DELETE FROM document_search WHERE rowid IN "
        "(SELECT rowid FROM records WHERE client_id = ? AND kind = 'document')",
        (client_id,),
    )
    conn.execute("DELETE FROM document_text WHERE client_id = ?", (client_id,))
    conn.execute("DELETE FROM client_summary WHERE client_id = ?", (client_id,))
    of_client = "(SELECT id FROM records WHERE client_id = ?)"
    conn.execute(f"DELETE FROM sync_conflicts WHERE record_id IN {of_client}", (client_id,))
    for table in ("sync_state", "sync_client_sent", "sync_hand_back"):
        conn.execute(f"DELETE FROM {table} WHERE client_id = ?", (client_id,))
    codec.erase_client(conn, client_id)
    if not named:
        return 0
    still = {
        sha
        for (sha, _deleted) in conn.execute(
            blobsync._NAMED.format(rows="SELECT data, deleted FROM records WHERE kind = 'document'")
        )
    }
    doomed = sorted(named - still)
    for sha in doomed:
        conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
        conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
    return len(doomed)


def after_import(vault: Vault, done: Removals) -> None:
    """After the import committed: VACUUM when clients were removed and the free pages are worth
    it (never inside the import's transaction); the search indexes are rebuilt after it, since
    VACUUM may renumber the records' rowids they are keyed by."""
    if not done.removed:
        return
    conn = vault.conn
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    if pages and free / pages > VACUUM_ABOVE:
        from desktop.case import search

        conn.execute("VACUUM")
        with vault.transaction() as tx:
            search.rebuild_index(tx)
        done.vacuumed = True
