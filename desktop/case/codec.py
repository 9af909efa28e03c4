"""The record codec: a ``records`` row <-> a :class:`~desktop.case.model.Record`, and the only code
that writes the ``records`` table.

**Stored JSON is canonical.** ``data`` is always written as :func:`desktop.jsonutil.canonical_json`
(keys sorted, no insignificant whitespace, non-ASCII kept as UTF-8, no NaN or Infinity), so the same
record has the same text in every vault. Sync export relies on it: SQLite's ``json_object`` builds
each line of a sync file straight from the stored text (:mod:`desktop.sync.exporter`), and a peer's
merge base is that same text; nothing parses and re-serialises it on the way out. Writing ``records``
anywhere else would break that promise (tests/desktop/test_codec.py greps for it).

Nothing here validates: callers write what :func:`desktop.case.store.normalise_record` accepted.
Two ways in:

* one record at a time: :func:`insert`, :func:`update`, :func:`set_deleted` (the case store, a
  merged sync record, a resolved conflict);
* in bulk: :func:`insert_many` with rows from :func:`row_values`, :data:`BATCH` at a time, inside
  :func:`without_indexes` and under :func:`bulk_writes` (a sync import of new records; measured by
  bench/suite.py with a 10,000-client import).

The derived tables, the search index (:mod:`desktop.case.search`) and the client summary
(:mod:`desktop.case.summary`), are kept current in the same transaction by :func:`refresh` (one
record as just written), :func:`refresh_client` (one client, read back from the table) and
:func:`refresh_clients` (many; rebuilt whole above :data:`REBUILD_ABOVE`). The write functions do not
call them, so a bulk write refreshes each client once rather than once per record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from desktop.case import search, summary
from desktop.case.model import Record
from desktop.jsonutil import canonical_json

#: The columns a record carries, in table order; a line of a sync file holds exactly these.
FIELDS = (
    "id",
    "kind",
    "client_id",
    "parent_id",
    "position",
    "ref",
    "data",
    "rev",
    "created_at",
    "updated_at",
    "origin",
    "deleted",
)
#: Derived from ``data`` by ``normalise_record``: the earliest and latest day, for sorting.
DERIVED = ("date_lo", "date_hi")
#: Every column of ``records``, in the order of :func:`row_values` and :func:`from_row`.
COLUMNS = FIELDS + DERIVED
#: ``SELECT {SELECT} FROM records ...`` gives rows :func:`from_row` reads.
SELECT = ", ".join(COLUMNS)
#: Columns :func:`update` may change (besides ``rev``, ``updated_at`` and ``origin``).
UPDATABLE = ("data", "date_lo", "date_hi", "position", "deleted")
#: Kinds whose writes change the client summary (the client list's columns).
SUMMARISED = frozenset({"client", "foia_request"})

#: Records written per ``executemany`` (and checked per batch by a sync import).
BATCH = 2000
#: Smallest bulk write (records) for which the secondary indexes are rebuilt rather than updated.
BULK_MIN = 5000
#: Above this many clients touched, the search index and the summaries are rebuilt whole.
REBUILD_ABOVE = 2000
#: Page cache during a bulk write (KiB). The first import of a 10,000-client office peaks at 366 MB
#: with 128 MiB, at 499 MB with 256 MiB (0.5 s faster of 22 s).
BULK_CACHE_KIB = 128 * 1024

_INSERT = f"INSERT INTO records ({SELECT}) VALUES ({', '.join('?' * len(COLUMNS))})"


# -- rows <-> records ------------------------------------------------------------------------------
def dump_data(data: Mapping[str, Any]) -> str:
    """The stored text of a record's ``data``: canonical JSON (NaN and Infinity are refused)."""
    return canonical_json(data)


def from_row(row: Any) -> Record:
    """A record from a row of ``SELECT {SELECT} FROM records``."""
    return Record(
        id=row[0],
        kind=row[1],
        client_id=row[2],
        parent_id=row[3],
        position=row[4],
        ref=row[5],
        data=json.loads(row[6]),
        rev=row[7],
        created_at=row[8],
        updated_at=row[9],
        origin=row[10],
        deleted=bool(row[11]),
        date_lo=row[12],
        date_hi=row[13],
    )


def row_values(rec: Mapping[str, Any]) -> tuple[Any, ...]:
    """The values of a row, in :data:`COLUMNS` order, from anything with those keys (a sync line
    after checking, ``vars(record)``): ``data`` as canonical JSON, ``deleted`` as 0 or 1."""
    return (
        rec["id"],
        rec["kind"],
        rec["client_id"],
        rec["parent_id"],
        rec["position"],
        rec["ref"],
        canonical_json(rec["data"]),
        rec["rev"],
        rec["created_at"],
        rec["updated_at"],
        rec["origin"],
        int(rec["deleted"]),
        rec["date_lo"],
        rec["date_hi"],
    )


def to_row(record: Record) -> tuple[Any, ...]:
    """The values of ``record``'s row, in :data:`COLUMNS` order."""
    return row_values(vars(record))


def fetch(conn: Any, record_id: str) -> Record | None:
    """One record by id, deleted or not; None when there is none."""
    row = conn.execute(f"SELECT {SELECT} FROM records WHERE id = ?", (record_id,)).fetchone()
    return None if row is None else from_row(row)


# -- one record ------------------------------------------------------------------------------------
def insert(conn: Any, record: Record) -> None:
    """Insert one record as it is (revision, times and origin included)."""
    conn.execute(_INSERT, to_row(record))


def update(
    conn: Any, record_id: str, *, updated_at: str, origin: str, rev: int | None = None, **changes: Any
) -> None:
    """Change one record: the columns named in ``changes`` (of :data:`UPDATABLE`; ``data`` given
    as a dict, with its ``date_lo``/``date_hi``), the time and the device; ``rev`` is set when given,
    else incremented. With no ``changes`` the record is only touched (it travels to peers again)."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"not an updatable column of records: {', '.join(sorted(unknown))}")
    sets = [f"{key} = ?" for key in changes]
    params: list[Any] = [
        dump_data(value) if key == "data" else int(value) if key == "deleted" else value
        for key, value in changes.items()
    ]
    if rev is None:
        sets.append("rev = rev + 1")
    else:
        sets.append("rev = ?")
        params.append(rev)
    conn.execute(
        f"UPDATE records SET {', '.join(sets)}, updated_at = ?, origin = ? WHERE id = ?",
        (*params, updated_at, origin, record_id),
    )


def set_deleted(conn: Any, record_ids: Iterable[str], deleted: bool, *, updated_at: str, origin: str) -> None:
    """Tombstone (or bring back) records; those already in that state are left as they are."""
    conn.executemany(
        "UPDATE records SET deleted = ?, rev = rev + 1, updated_at = ?, origin = ? "
        "WHERE id = ? AND deleted != ?",
        [(int(deleted), updated_at, origin, rid, int(deleted)) for rid in record_ids],
    )


def erase_client(conn: Any, client_id: str) -> None:
    """Delete every row of a client's records for good (not a tombstone): a laptop giving the client
    back to the office (:mod:`desktop.sync.assignments`). The derived tables are the caller's."""
    conn.execute("DELETE FROM records WHERE client_id = ?", (client_id,))


# -- the derived tables ----------------------------------------------------------------------------
def refresh(conn: Any, record: Record, *, summaries: bool = True) -> None:
    """Bring the search index and the client summary in line with ``record`` as just written
    (the summary left alone with ``summaries=False``: a migration before the summary's last columns
    exist, which the migration that adds them rebuilds)."""
    if record.kind == "client":
        if record.deleted:
            search.remove_client(conn, record.id)
        else:
            search.index_client(conn, record.id, record.data)
    elif record.kind == "document":
        if record.deleted:
            search.remove_document(conn, record.id)
        else:
            search.index_document(conn, record.id, record.data)
    if summaries and record.kind in SUMMARISED:
        summary.refresh(conn, record.client_id)


def refresh_client(conn: Any, client_id: str) -> None:
    """Re-derive one client's index entry and summary from what the table holds now."""
    row = conn.execute(
        "SELECT data, deleted FROM records WHERE id = ? AND kind = 'client'", (client_id,)
    ).fetchone()
    if row is None or row[1]:
        search.remove_client(conn, client_id)
    else:
        search.index_client_json(conn, client_id, row[0])
    search.reindex_documents(conn, client_id)
    summary.refresh(conn, client_id)


def refresh_clients(conn: Any, client_ids: Iterable[str]) -> None:
    """:func:`refresh_client` for many clients, or (above :data:`REBUILD_ABOVE`) both tables
    rebuilt whole, which is faster than client by client."""
    ids = sorted(set(client_ids))
    if len(ids) > REBUILD_ABOVE:
        search.rebuild_index(conn)
        summary.rebuild(conn)
        return
    for client_id in ids:
        refresh_client(conn, client_id)


# -- in bulk ---------------------------------------------------------------------------------------
def insert_many(conn: Any, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows of :func:`row_values` in one ``executemany`` (pass :data:`BATCH` at a time)."""
    conn.executemany(_INSERT, rows)


def bulk_indexes(conn: Any, incoming: int) -> list[tuple[str, str]]:
    """The secondary indexes of ``records`` (name, SQL) worth dropping while ``incoming`` records
    are written: at least :data:`BULK_MIN`, and more than the table holds (a first sync, a whole
    office). Building them once afterwards is faster than updating them record by record."""
    if incoming < BULK_MIN:
        return []
    held = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    if incoming <= held:
        return []
    return [
        (str(name), str(sql))
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' "
            "AND sql IS NOT NULL ORDER BY name"
        )
    ]


@contextmanager
def without_indexes(conn: Any, incoming: int) -> Iterator[None]:
    """Inside a transaction: drop :func:`bulk_indexes` for the block and build them again after it.
    When the block fails they are not rebuilt here: the caller's rollback brings them back."""
    dropped = bulk_indexes(conn, incoming)
    for name, _sql in dropped:
        conn.execute(f"DROP INDEX {name}")
    yield
    for _name, sql in dropped:
        conn.execute(sql)


@contextmanager
def bulk_writes(conn: Any) -> Iterator[None]:
    """Outside a transaction (the pragmas cannot change inside one), for a bulk write: a larger page
    cache (decrypted pages are not re-read and re-decrypted) and no foreign-key checks, which
    doubled the insert time. The caller checks every ``client_id`` and ``parent_id`` itself. Both
    are restored afterwards, also when the block fails."""
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
