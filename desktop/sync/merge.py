"""The three-way merge of a record this vault holds with the peer's version, and its conflicts.

A record's *state* is its ``data``, its tombstone and its position. It is merged field by field
(the top-level keys of ``data``, :data:`DELETED_FIELD`, :data:`POSITION_FIELD`) against the merge
base, the peer's state last agreed (``sync_state``: ``their_rev`` and ``base``, NULL there meaning
"the record as it is now"): a side that did not change a field yields to the side that did; when
both changed it differently the local value is kept and a row is added to ``sync_conflicts``. Owns
``sync_state`` row by row, ``sync_conflicts``, and deciding conflicts (:func:`list_conflicts`,
:func:`resolve_conflict`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from desktop.case import codec
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_
from desktop.jsonutil import canonical_json
from desktop.sync import docmerge
from desktop.sync.fileformat import normalise
from desktop.vault.database import Vault, now_iso

#: Conflict field names for the parts of a record that are not keys of ``data``.
DELETED_FIELD = "@deleted"
POSITION_FIELD = "@position"
#: An absent key of ``data`` (None is a value).
MISSING: Any = object()

_INSERT_SENT = (
    "INSERT INTO sync_state (client_id, record_id, peer, sent_rev) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (client_id, record_id, peer) "
    "DO UPDATE SET sent_rev = max(coalesce(sent_rev, 0), excluded.sent_rev)"
)
_INSERT_BASE = (
    "INSERT INTO sync_state (client_id, record_id, peer, their_rev, base) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (client_id, record_id, peer) "
    "DO UPDATE SET their_rev = excluded.their_rev, base = excluded.base"
)


def state(data: dict[str, Any], deleted: bool, position: int) -> dict[str, Any]:
    return {"data": data, "deleted": bool(deleted), "position": int(position)}


def _fields(*states: dict[str, Any]) -> list[str]:
    keys: set[str] = set()
    for one in states:
        keys |= set(one.get("data", {}))
    return sorted(keys) + [DELETED_FIELD, POSITION_FIELD]


def _get(one: dict[str, Any], key: str) -> Any:
    if key == DELETED_FIELD:
        return one.get("deleted", MISSING)
    if key == POSITION_FIELD:
        return one.get("position", MISSING)
    return one.get("data", {}).get(key, MISSING)


def _put(one: dict[str, Any], key: str, value: Any) -> None:
    if key == DELETED_FIELD:
        one["deleted"] = value
    elif key == POSITION_FIELD:
        one["position"] = value
    elif value is MISSING:
        one["data"].pop(key, None)
    else:
        one["data"][key] = copy.deepcopy(value)


def _merge_value(local: Any, base: Any, theirs: Any) -> str:
    """Which side wins one field: "mine", "theirs" or "conflict" (MISSING is an absent key)."""
    if local == theirs or theirs == base:
        return "mine"
    if local == base:
        return "theirs"
    return "conflict"


def merge_states(
    mine: dict[str, Any], base: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The merged state and the fields in conflict (where the local value was kept)."""
    merged = copy.deepcopy(mine)
    conflicts: list[str] = []
    for key in _fields(mine, base, theirs):
        outcome = _merge_value(_get(mine, key), _get(base, key), _get(theirs, key))
        if outcome == "conflict":
            conflicts.append(key)
        elif outcome == "theirs":
            _put(merged, key, _get(theirs, key))
    return merged, conflicts


def _differences(mine: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    return [k for k in _fields(mine, theirs) if _get(mine, k) != _get(theirs, k)]


# -- bookkeeping -----------------------------------------------------------------------------------
def _json_or_null(value: Any) -> str | None:
    return None if value is MISSING else canonical_json(value)


def add_conflict(conn: Any, record_id: str, key: str, local: Any, theirs: Any, peer: str) -> None:
    """Record a conflict on one field (once: the same pending conflict is not added twice)."""
    local_json, theirs_json = _json_or_null(local), _json_or_null(theirs)
    exists = conn.execute(
        "SELECT 1 FROM sync_conflicts WHERE record_id = ? AND field = ? AND resolved = 0 "
        "AND local IS ? AND theirs IS ?",
        (record_id, key, local_json, theirs_json),
    ).fetchone()
    if exists is None:
        conn.execute(
            "INSERT INTO sync_conflicts (record_id, field, local, theirs, peer, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (record_id, key, local_json, theirs_json, peer, now_iso()),
        )


def set_sent(conn: Any, peer: str, client_id: str, record_id: str, rev: int) -> None:
    """The peer holds this revision of the record: do not send it again."""
    conn.execute(_INSERT_SENT, (client_id, record_id, peer, rev))


def set_base(
    conn: Any, peer: str, client_id: str, record_id: str, their_rev: int, base: dict[str, Any] | None
) -> None:
    """Remember the peer's state of a record; None when it is the record's current state."""
    conn.execute(
        _INSERT_BASE, (client_id, record_id, peer, their_rev, None if base is None else canonical_json(base))
    )


# -- one record ------------------------------------------------------------------------------------
class Merged(NamedTuple):
    """What merging one record did: whether the record changed, and how many conflicts it added."""

    updated: bool
    conflicts: int


def merge_record(vault: Vault, conn: Any, peer: str, row: dict[str, Any], *, frozen: bool = False) -> Merged:
    """Merge one incoming record (a checked line) that this vault holds. ``frozen``: it belongs to
    a declaration version signed here, which nothing may change; every difference is a conflict.
    The search index and summaries are left to the caller (once per client)."""
    rid = row["id"]
    theirs = state(row["data"], row["deleted"], row["position"])
    local = codec.fetch(conn, rid)
    assert local is not None, "only records this vault holds are merged"
    base_row = conn.execute(
        "SELECT their_rev, base FROM sync_state "
        "WHERE client_id = ? AND record_id = ? AND peer = ? AND their_rev IS NOT NULL",
        (row["client_id"], rid, peer),
    ).fetchone()
    if base_row is not None and base_row[0] >= row["rev"]:
        return Merged(False, 0)  # an older file arriving after a newer one: nothing new in it
    mine = state(local.data, local.deleted, local.position)
    if base_row is None:
        base: dict[str, Any] = {"data": {}}
    elif base_row[1] is None:
        base = copy.deepcopy(mine)  # the peer last held exactly this record as it is now
    else:
        base = json.loads(base_row[1])
    merged, conflicts = merge_states(mine, base, theirs)
    special = row["kind"] == "document" and _merge_document(merged, mine, base, theirs)
    if special:
        conflicts = [k for k in conflicts if k not in docmerge.FIELDS]
    if frozen and merged != mine:
        # A signed version is sworn text: keep it whole and show the other side as conflicts
        # (taking "theirs" then goes through the store, which refuses to change a signed version).
        merged, conflicts = copy.deepcopy(mine), _differences(mine, theirs)
    elif (conflicts or special) and merged != mine:
        try:
            normalise(row["kind"], merged["data"])
        except ValidationError:
            # The field-by-field merge is not a valid record: keep ours whole, every difference a conflict.
            merged, conflicts = copy.deepcopy(mine), _differences(mine, theirs)
    for key in conflicts:
        add_conflict(conn, rid, key, _get(mine, key), _get(theirs, key), peer)
    new_rev = local.rev
    updated = merged != mine
    if updated:
        data, lo, hi = normalise(row["kind"], merged["data"])
        same_as_theirs = merged == theirs
        new_rev = local.rev + 1
        # Only the columns that change: SQLite rewrites the index entries of every column named,
        # changed or not (a day's sync at the office wrote 139 index pages for 255 merged records).
        fields = {"data": data, "date_lo": lo, "date_hi": hi, "position": merged["position"]}
        fields["deleted"] = merged["deleted"]
        changes = {key: value for key, value in fields.items() if value != getattr(local, key)}
        codec.update(
            conn,
            rid,
            rev=new_rev,
            updated_at=row["updated_at"] if same_as_theirs else now_iso(),
            origin=row["origin"] if same_as_theirs else vault.device_id,
            **changes,
        )
    if merged == theirs:
        set_sent(conn, peer, row["client_id"], rid, new_rev)  # the peer holds this state: do not echo it
    # The base is the peer's version: what it is known to hold. Where we kept our own value (our
    # change not yet sent, or a conflict) the next file from that peer must not overwrite it.
    set_base(conn, peer, row["client_id"], rid, row["rev"], None if merged == theirs else theirs)
    return Merged(updated, len(conflicts))


def _merge_document(
    merged: dict[str, Any], mine: dict[str, Any], base: dict[str, Any], theirs: dict[str, Any]
) -> bool:
    """A document's revisions from both sides, in ``merged`` (see :mod:`desktop.sync.docmerge`)."""
    revisions = docmerge.merge_revisions(mine.get("data", {}), base.get("data"), theirs.get("data", {}))
    if revisions is None:
        return False
    merged["data"].update(revisions)
    return True


# -- conflicts -------------------------------------------------------------------------------------
@dataclass
class Conflict:
    """A field changed differently here and on a peer; ``local`` was kept. None = field absent."""

    id: int
    record_id: str
    kind: str
    client_id: str
    field: str
    local: Any
    theirs: Any
    peer: str
    peer_name: str
    created_at: str
    resolved: bool


def list_conflicts(
    vault: Vault, *, client_id: str | None = None, include_resolved: bool = False
) -> list[Conflict]:
    """The conflicts waiting for a decision (oldest first), optionally of one client."""
    sql = (
        "SELECT c.id, c.record_id, r.kind, r.client_id, c.field, c.local, c.theirs, c.peer, "
        "coalesce(p.name, c.peer), c.created_at, c.resolved FROM sync_conflicts c "
        "JOIN records r ON r.id = c.record_id LEFT JOIN sync_peers p ON p.device_id = c.peer"
    )
    where, params = [], []
    if not include_resolved:
        where.append("c.resolved = 0")
    if client_id:
        where.append("r.client_id = ?")
        params.append(client_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY c.id"
    out = []
    for row in vault.conn.execute(sql, params):
        out.append(
            Conflict(
                id=row[0],
                record_id=row[1],
                kind=row[2],
                client_id=row[3],
                field=row[4],
                local=None if row[5] is None else json.loads(row[5]),
                theirs=None if row[6] is None else json.loads(row[6]),
                peer=row[7],
                peer_name=row[8],
                created_at=row[9],
                resolved=bool(row[10]),
            )
        )
    return out


def resolve_conflict(vault: Vault, conflict_id: int, choice: Any) -> None:
    """Decide a conflict: "mine" keeps the local value, "theirs" takes the peer's, anything else is
    the new value itself (validated like any edit). Other pending conflicts of the same field close too.
    """
    from desktop.case.store import CaseStore

    row = vault.conn.execute(
        "SELECT record_id, field, local, theirs FROM sync_conflicts WHERE id = ? AND resolved = 0",
        (conflict_id,),
    ).fetchone()
    if row is None:
        raise NotFound(N_("This conflict does not exist or was already resolved."))
    record_id, key = row[0], row[1]
    store = CaseStore(vault)
    with vault.transaction() as conn:
        if choice == "mine":
            # Touch the record so the kept value travels to the peers again.
            codec.update(conn, record_id, updated_at=now_iso(), origin=vault.device_id)
        else:
            if choice == "theirs":
                value = MISSING if row[3] is None else json.loads(row[3])
            else:
                value = choice
            record = store.get(record_id)
            if key == DELETED_FIELD:
                if bool(value) != record.deleted:
                    codec.set_deleted(
                        conn, [record_id], bool(value), updated_at=now_iso(), origin=vault.device_id
                    )
                    codec.refresh_client(conn, record.client_id)
            elif key == POSITION_FIELD:
                store.move(record_id, int(value))
            else:
                data = copy.deepcopy(record.data)
                if value is MISSING:
                    data.pop(key, None)
                else:
                    data[key] = value
                store.update(record_id, data)
        conn.execute(
            "UPDATE sync_conflicts SET resolved = 1 WHERE record_id = ? AND field = ? AND resolved = 0",
            (record_id, key),
        )
