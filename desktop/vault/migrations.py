"""Schema migrations: numbered, forward-only, each in its own transaction.

``PRAGMA user_version`` holds the number of the last migration applied. A vault whose number is
higher than this code knows was written by a newer Declara and is refused, untouched.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from typing import Any

from dataclasses import replace

from desktop.errors import VaultTooNew
from desktop.i18n import N_

Migration = Callable[[Any], None]


def _run_script(conn: Any, script: str) -> None:
    """Run DDL statement by statement (executescript would commit the migration's transaction)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            conn.execute(statement)


def _m1_records(conn: Any) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;

        -- Every record of the case model, one row each. ``data`` holds the record's fields as a
        -- JSON object shaped like the case file (desktop.case.model documents each kind).
        CREATE TABLE records (
            id         TEXT PRIMARY KEY,                   -- UUID
            kind       TEXT NOT NULL,
            client_id  TEXT NOT NULL REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
            parent_id  TEXT REFERENCES records(id) DEFERRABLE INITIALLY DEFERRED,
            position   INTEGER NOT NULL DEFAULT 0,         -- order among siblings
            ref        TEXT,                               -- id inside a case file ('ev-birth')
            data       TEXT NOT NULL CHECK (json_valid(data)),
            date_lo    TEXT,                               -- earliest day of the record's date
            date_hi    TEXT,                               -- latest day of the record's date
            rev        INTEGER NOT NULL DEFAULT 1,         -- +1 on every change
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            origin     TEXT NOT NULL,                      -- device id of the last change
            deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))  -- tombstone
        ) STRICT;
        CREATE INDEX records_client ON records (client_id, kind, deleted);
        CREATE INDEX records_parent ON records (parent_id, position);
        CREATE INDEX records_kind ON records (kind, deleted);
        CREATE INDEX records_dates ON records (client_id, kind, date_lo, date_hi, position);
        """,
    )


def _m2_client_search(conn: Any) -> None:
    conn.execute(
        "CREATE VIRTUAL TABLE client_search USING fts5("
        " client_id UNINDEXED, names, numbers,"
        ' tokenize = "unicode61 remove_diacritics 2")'
    )
    from desktop.case import search

    rows = conn.execute("SELECT id, data FROM records WHERE kind = 'client' AND deleted = 0").fetchall()
    for client_id, data in rows:
        search.index_client_json(conn, client_id, data)


def _m3_client_summary(conn: Any) -> None:
    conn.execute(
        """
        CREATE TABLE client_summary (
            client_id       TEXT PRIMARY KEY REFERENCES records(id),
            given_names     TEXT NOT NULL,
            family_names    TEXT NOT NULL,
            sort_name       TEXT NOT NULL,
            a_number        TEXT,
            facility        TEXT NOT NULL,
            custody_status  TEXT,
            next_hearing    TEXT,
            hearing_lo      TEXT,
            hearing_hi      TEXT,
            hearing_approx  INTEGER NOT NULL,
            one_year_due    TEXT,
            one_year_approx INTEGER NOT NULL,
            foia_due        TEXT,
            foia_approx     INTEGER NOT NULL
        ) STRICT
        """
    )
    # Filled by migration 11, which adds the last columns the summary's rows need (a later rebuild
    # writes all of them, so an earlier one here would not fit the table as it is at this step).


def _m4_sync(conn: Any) -> None:
    """Sync between laptops and the office (desktop.sync): identity, enrolled peers, bookkeeping."""
    _run_script(
        conn,
        """
        -- This vault's own sync identity: one row, created on first use (keys never leave the vault
        -- except the age identity, on explicit request).
        CREATE TABLE sync_identity (
            id           INTEGER PRIMARY KEY CHECK (id = 1),
            name         TEXT NOT NULL,
            role         TEXT NOT NULL CHECK (role IN ('laptop', 'office')),
            signing_key  BLOB NOT NULL,                    -- Ed25519 private key, 32 raw bytes
            age_identity TEXT NOT NULL,                    -- AGE-SECRET-KEY-1...
            last_seq     INTEGER NOT NULL DEFAULT 0,       -- sequence number of the last file sent
            created_at   TEXT NOT NULL
        ) STRICT;
        -- Devices whose cards were enrolled (compared by phone): only they are accepted.
        CREATE TABLE sync_peers (
            device_id     TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            role          TEXT NOT NULL CHECK (role IN ('laptop', 'office')),
            age_recipient TEXT NOT NULL,
            signing_key   BLOB NOT NULL,                   -- Ed25519 public key, 32 raw bytes
            fingerprint   TEXT NOT NULL,
            enrolled_at   TEXT NOT NULL
        ) STRICT;
        -- The revision of each record last sent to (or known to be held by) a peer.
        CREATE TABLE sync_sent (
            peer      TEXT NOT NULL,
            record_id TEXT NOT NULL,
            rev       INTEGER NOT NULL,
            PRIMARY KEY (peer, record_id)
        ) STRICT;
        -- Files applied, per sender and sequence number (a sequence number is never applied twice).
        CREATE TABLE sync_applied (
            peer       TEXT NOT NULL,
            seq        INTEGER NOT NULL,
            sha256     TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (peer, seq)
        ) STRICT;
        -- The last agreed state of each record with each peer (the base of three-way merges).
        CREATE TABLE sync_base (
            peer      TEXT NOT NULL,
            record_id TEXT NOT NULL,
            their_rev INTEGER NOT NULL DEFAULT 0,          -- the peer's revision last applied
            data      TEXT NOT NULL CHECK (json_valid(data)),
            PRIMARY KEY (peer, record_id)
        ) STRICT;
        -- Fields changed differently on both sides; the local value was kept.
        CREATE TABLE sync_conflicts (
            id         INTEGER PRIMARY KEY,
            record_id  TEXT NOT NULL,
            field      TEXT NOT NULL,
            local      TEXT,                               -- JSON; NULL when the field is absent
            theirs     TEXT,                               -- JSON; NULL when the field is absent
            peer       TEXT NOT NULL,
            created_at TEXT NOT NULL,
            resolved   INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
        ) STRICT;
        CREATE INDEX sync_conflicts_pending ON sync_conflicts (resolved, record_id);
        """,
    )


def _m5_sync_base_by_reference(conn: Any) -> None:
    """A merge base equal to the record's current state is stored as NULL instead of a copy.

    After an export, or after importing a record as sent, the peer holds exactly what the record
    holds here: a copy of every record (hundreds of MB for a whole office) was the slowest part of
    a sync. The trigger keeps that true: before a record's state changes, every NULL base that
    points at it gets the old state written out, so no base is ever lost. Both bookkeeping tables
    become WITHOUT ROWID (one B-tree keyed by peer and record instead of a table plus an index:
    half the size and the writes).
    """
    _run_script(
        conn,
        """
        CREATE TABLE sync_sent_new (
            peer      TEXT NOT NULL,
            record_id TEXT NOT NULL,
            rev       INTEGER NOT NULL,
            PRIMARY KEY (peer, record_id)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO sync_sent_new (peer, record_id, rev) SELECT peer, record_id, rev FROM sync_sent;
        DROP TABLE sync_sent;
        ALTER TABLE sync_sent_new RENAME TO sync_sent;
        CREATE TABLE sync_base_new (
            peer      TEXT NOT NULL,
            record_id TEXT NOT NULL,
            their_rev INTEGER NOT NULL DEFAULT 0,          -- the peer's revision last applied
            data      TEXT CHECK (data IS NULL OR json_valid(data)),  -- NULL: as the record is now
            PRIMARY KEY (peer, record_id)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO sync_base_new (peer, record_id, their_rev, data)
            SELECT peer, record_id, their_rev, data FROM sync_base;
        DROP TABLE sync_base;
        ALTER TABLE sync_base_new RENAME TO sync_base;
        CREATE INDEX sync_base_by_reference ON sync_base (record_id) WHERE data IS NULL;
        """,
    )
    # One statement (its body holds semicolons, which _run_script would split on).
    conn.execute(
        """
        CREATE TRIGGER sync_base_keep BEFORE UPDATE OF data, deleted, position ON records
        BEGIN
            UPDATE sync_base SET data = json_object(
                'data', json(old.data),
                'deleted', json(CASE WHEN old.deleted THEN 'true' ELSE 'false' END),
                'position', old.position)
            WHERE record_id = old.id AND data IS NULL;
        END
        """
    )


def _m6_declaration_relief(conn: Any) -> None:
    """Draft declarations store the relief they support as keys, no longer as an English phrase.

    ``in_support_of`` said "asylum, withholding of removal and protection under the Convention
    Against Torture"; :func:`desktop.case.model.upgrade_relief`, which every write into the vault
    applies from now on, turns a phrase that only names relief into ``relief`` keys and keeps any
    other text in ``in_support_of`` as typed. Signed versions are left as they are: their fields are
    sworn and covered by their SHA-256, so they keep the phrase they were signed with (the PDF
    still words it in the document's language). Only ``data`` changes, not the revision, the time
    or the device: every vault converts its own copy the same way, so there is no edit for sync to
    send, and a merge base held by reference gets the old text written out by migration 5's trigger.
    """
    from desktop.case import codec
    from desktop.case.model import upgrade_relief

    rows = conn.execute(f"SELECT {codec.SELECT} FROM records WHERE kind = 'declaration'").fetchall()
    for record in map(codec.from_row, rows):
        data = copy.deepcopy(record.data)
        upgrade_relief(data)
        if data != record.data:
            codec.update(
                conn,
                record.id,
                data=data,
                date_lo=record.date_lo,
                date_hi=record.date_hi,
                rev=record.rev,
                updated_at=record.updated_at,
                origin=record.origin,
            )


def _m7_season_months(conn: Any) -> None:
    """Seasons are stored as months, no longer as EDTF season codes (``2018-22``).

    A code meant the northern season, which is not what "verano" or "invierno" means to a client
    from Central America (desktop.case.seasoncodes). Every EDTF field of every record, in events,
    answers, clients (and their proceedings), allegations, rebuttals, family, FOIA requests, visits
    and draft declarations, is rewritten by :func:`desktop.case.seasoncodes.upgrade_record`: an
    answer with its words kept, of a client whose country gives a season reading, is read again from
    its words with that reading; any other code becomes the months it always stood for
    (``2018-22`` -> ``2018-06/2018-08``), events keeping the code in ``date_said``. The bounds
    (``date_lo``/``date_hi``) are computed again. As in migration 6, the revision, time and device
    stay: every vault converts its own copy the same way, so there is nothing for sync to send.
    """
    from desktop.case import codec
    from desktop.case.dates import sort_bounds
    from desktop.case.model import DATE_FIELD
    from desktop.case.seasoncodes import client_region, upgrade_record

    regions: dict[str, str | None] = {}
    rows = conn.execute(f"SELECT {codec.SELECT} FROM records WHERE data LIKE '%-2_%'").fetchall()
    for record in map(codec.from_row, rows):
        if record.client_id not in regions:
            client = conn.execute("SELECT data FROM records WHERE id = ?", (record.client_id,)).fetchone()
            regions[record.client_id] = client_region(json.loads(client[0])) if client else None
        data = copy.deepcopy(record.data)
        if not upgrade_record(record.kind, data, region=regions[record.client_id]):
            continue
        lo, hi = record.date_lo, record.date_hi
        date_field = DATE_FIELD.get(record.kind)
        if date_field and isinstance(data.get(date_field), str):
            lo, hi = sort_bounds(data[date_field])
        codec.update(
            conn,
            record.id,
            data=data,
            date_lo=lo,
            date_hi=hi,
            rev=record.rev,
            updated_at=record.updated_at,
            origin=record.origin,
        )
        # The summary is rebuilt by migration 11 (its last columns do not exist yet).
        codec.refresh(conn, replace(record, data=data, date_lo=lo, date_hi=hi), summaries=False)


def _m8_documents(conn: Any) -> None:
    """Evidence documents inside the vault (desktop.evidence): file bytes as chunked blobs, and the
    text of each document for the search.

    A blob is stored once per SHA-256, in chunks of 512 KiB (desktop.evidence.blobs.CHUNK_SIZE), so
    no single row is larger than that and a 512 MB file is read and written a chunk at a time. The
    ``document`` records (desktop.case.model) name the blobs they use; nothing refers to a blob by a
    foreign key, so a tombstoned document keeps its files until they are purged on purpose.
    ``document_text`` holds the text embedded in a PDF or read by OCR; ``document_search`` indexes
    it with the document's title, and the A-numbers found in it, under the record's rowid (like
    ``client_search``), kept current by desktop.case.search.
    """
    _run_script(
        conn,
        """
        CREATE TABLE blobs (
            sha256     TEXT PRIMARY KEY,                   -- of the whole content, lower-case hex
            size       INTEGER NOT NULL,                   -- bytes
            chunks     INTEGER NOT NULL,                   -- rows in blob_chunks
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE blob_chunks (
            sha256 TEXT NOT NULL,
            seq    INTEGER NOT NULL,                       -- 0, 1, ... in content order
            data   BLOB NOT NULL,                          -- at most CHUNK_SIZE bytes
            PRIMARY KEY (sha256, seq)
        ) STRICT;
        CREATE TABLE document_text (
            document_id TEXT PRIMARY KEY,
            client_id   TEXT NOT NULL,
            source      TEXT NOT NULL CHECK (source IN ('embedded', 'ocr')),
            text        TEXT NOT NULL                      -- pages separated by form feeds
        ) STRICT;
        CREATE INDEX document_text_client ON document_text (client_id);
        """,
    )
    conn.execute(
        "CREATE VIRTUAL TABLE document_search USING fts5("
        " title, text, numbers,"
        ' tokenize = "unicode61 remove_diacritics 2")'
    )


def _m9_assignments(conn: Any) -> None:
    """Assignments (desktop.sync.assignments): which laptop carries which clients, and removals.

    On the office: ``sync_assignments`` (the clients each laptop carries) and ``sync_removals`` (a
    client unassigned from a laptop that has not yet acknowledged removing it). On a laptop:
    ``sync_client_sent`` (the number of the last file to the office that carried each client, which
    the office must confirm before the client is removed), ``sync_removal_state`` (what the laptop
    did with each removal the office asked for: removed, to acknowledge; or kept until the office
    has everything) and ``sync_hand_back`` (the clients its attorney gives back). All keyed by
    peer and client, WITHOUT ROWID (one B-tree each).

    An office that already synced keeps, for each laptop, the clients that laptop sent records of
    (its attorney works on them); the other clients it was sent are listed for removal, which the
    laptop carries out once the office confirms it holds everything the laptop sent.
    """
    _run_script(
        conn,
        """
        CREATE TABLE sync_assignments (
            peer        TEXT NOT NULL,                     -- a laptop's device id
            client_id   TEXT NOT NULL,
            assigned_at TEXT NOT NULL,
            PRIMARY KEY (peer, client_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE sync_removals (
            peer      TEXT NOT NULL,
            client_id TEXT NOT NULL,
            since     TEXT NOT NULL,                       -- when it was unassigned
            PRIMARY KEY (peer, client_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE sync_client_sent (
            peer      TEXT NOT NULL,                       -- the office's device id
            client_id TEXT NOT NULL,
            seq       INTEGER NOT NULL,                    -- the last file to it carrying the client
            PRIMARY KEY (peer, client_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE sync_removal_state (
            peer      TEXT NOT NULL,
            client_id TEXT NOT NULL,
            state     TEXT NOT NULL CHECK (state IN ('kept', 'removed')),
            since     TEXT NOT NULL,
            PRIMARY KEY (peer, client_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE sync_hand_back (
            client_id TEXT PRIMARY KEY,
            marked_at TEXT NOT NULL,
            sent_seq  INTEGER                              -- the first file to the office asking
        ) STRICT, WITHOUT ROWID;
        """,
    )
    office = conn.execute("SELECT 1 FROM meta WHERE key = 'role' AND value = 'office'").fetchone()
    if office is None:
        return
    conn.execute(
        "INSERT OR IGNORE INTO sync_assignments (peer, client_id, assigned_at) "
        "SELECT DISTINCT b.peer, r.client_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM sync_base b "
        "JOIN sync_peers p ON p.device_id = b.peer AND p.role = 'laptop' "
        "JOIN records r ON r.id = b.record_id WHERE b.their_rev > 0"
    )
    conn.execute(
        "INSERT OR IGNORE INTO sync_removals (peer, client_id, since) "
        "SELECT DISTINCT s.peer, r.client_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM sync_sent s "
        "JOIN sync_peers p ON p.device_id = s.peer AND p.role = 'laptop' "
        "JOIN records r ON r.id = s.record_id WHERE NOT EXISTS (SELECT 1 FROM sync_assignments a "
        "WHERE a.peer = s.peer AND a.client_id = r.client_id)"
    )


def _m10_sync_state(conn: Any) -> None:
    """One bookkeeping table instead of two (issue 19): ``sync_state`` holds, per record and peer,
    the revision last sent to the peer (``sync_sent``) and the merge base (``sync_base``: the peer's
    revision last applied, and its state when it is not the record as it is now). Keyed by client,
    record, then peer: a client's rows for every peer lie together, so a day's sync of a few
    clients writes a few pages of bookkeeping instead of one per record (record ids are random);
    the trigger that keeps merge bases, the exporter and the merge find a row by its key, and the
    index on ``record_id`` goes. About 120 bytes a record a peer holds instead of 240.
    ``their_rev`` NULL: no merge base; ``sent_rev`` NULL: nothing sent. Rows of a record this vault
    no longer holds meant nothing and are not carried over.
    """
    _run_script(
        conn,
        """
        CREATE TABLE sync_state (
            client_id TEXT NOT NULL,
            record_id TEXT NOT NULL,
            peer      TEXT NOT NULL,
            sent_rev  INTEGER,                             -- the revision the peer was sent or holds
            their_rev INTEGER,                             -- the peer's revision last applied (base)
            base      TEXT CHECK (base IS NULL OR json_valid(base)),  -- NULL: as the record is now
            PRIMARY KEY (client_id, record_id, peer)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO sync_state (client_id, record_id, peer, sent_rev, their_rev, base)
            SELECT r.client_id, x.record_id, x.peer, max(x.sent_rev), max(x.their_rev), max(x.base) FROM (
                SELECT record_id, peer, rev AS sent_rev, NULL AS their_rev, NULL AS base FROM sync_sent
                UNION ALL
                SELECT record_id, peer, NULL, their_rev, data FROM sync_base
            ) x JOIN records r ON r.id = x.record_id
            GROUP BY r.client_id, x.record_id, x.peer ORDER BY r.client_id, x.record_id, x.peer;
        DROP TRIGGER IF EXISTS sync_base_keep;
        DROP TABLE sync_sent;
        DROP TABLE sync_base;
        """,
    )
    # One statement (its body holds semicolons, which _run_script would split on).
    conn.execute(
        """
        CREATE TRIGGER sync_state_keep BEFORE UPDATE OF data, deleted, position ON records
        BEGIN
            UPDATE sync_state SET base = json_object(
                'data', json(old.data),
                'deleted', json(CASE WHEN old.deleted THEN 'true' ELSE 'false' END),
                'position', old.position)
            WHERE client_id = old.client_id AND record_id = old.id AND their_rev IS NOT NULL
                AND base IS NULL;
        END
        """
    )


def _m11_certificate_deadline(conn: Any) -> None:
    """The client list warns when a clearance certificate lapses before the hearing (issue 20):
    the summary keeps the first such day."""
    have = {row[1] for row in conn.execute("PRAGMA table_info(client_summary)")}
    for column, kind in (("cert_due", "TEXT"), ("cert_approx", "INTEGER NOT NULL DEFAULT 0")):
        if column not in have:  # (a vault set back to an earlier version by a test keeps its columns)
            conn.execute(f"ALTER TABLE client_summary ADD COLUMN {column} {kind}")
    from desktop.case import summary

    summary.rebuild(conn)


MIGRATIONS: list[Migration] = [
    _m1_records,
    _m2_client_search,
    _m3_client_summary,
    _m4_sync,
    _m5_sync_base_by_reference,
    _m6_declaration_relief,
    _m7_season_months,
    _m8_documents,
    _m9_assignments,
    _m10_sync_state,
    _m11_certificate_deadline,
]
LATEST = len(MIGRATIONS)


def current_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any, *, vault_id: str, create: bool, now: str, target: int | None = None) -> int:
    """Bring the schema to ``target`` (the latest); returns the version found before migrating."""
    target = len(MIGRATIONS) if target is None else target
    found = current_version(conn)
    if found > len(MIGRATIONS):
        raise VaultTooNew(
            N_("This vault was written by a newer version of Declara (schema {found}); update Declara."),
            found=found,
        )
    for number in range(found + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number - 1](conn)
            if number == 1:
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("vault_id", vault_id),
                        ("device_id", str(uuid.uuid4())),
                        ("created_at", now),
                        ("role", "laptop"),
                    ],
                )
            conn.execute(f"PRAGMA user_version = {number:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found
