"""Salvage: copy what can still be read from a damaged vault into a new one.

``declara vault salvage DAMAGED --to NEWVAULT`` and the damaged-vault dialog call :func:`salvage`.
The damaged folder is only ever read (:mod:`desktop.vault.pagereader` reads the database file and
its write-ahead log itself, page by page; SQLite never opens them, so nothing is written or created
beside them). Every record found is checked exactly as a sync import checks a record
(``desktop.sync.fileformat._check_row``: kind, ids, revision, and the fields against the case
model), and written with its id, revision, times and device into a NEW vault made by
:func:`~desktop.vault.database.create_vault`. Document files are copied when every chunk was
found and their bytes still match their SHA-256. The vault's settings (``meta``), its sync identity,
trusted devices and sync bookkeeping are copied too, so the new vault takes the old one's place;
the search index and the client list's summary are rebuilt, not copied.

When a client's (or a visit's, an allegation's, a declaration's) own record was lost but records
under it were found, a stand-in record is written in its place with the lost record's id, clearly
labelled, so the records under it are kept and the vault stays consistent (:data:`STAND_IN_KINDS`).
A stand-in is not sent to a trusted device unless someone edits it (it is marked as already sent),
and the device's own copy replaces it in full when it next sends that record.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.errors import DeclaraError, NotAVault, ValidationError, VaultCorrupt, VaultError, VaultTooNew
from desktop.i18n import N_, _
from desktop.vault import keyheader as kh
from desktop.vault.database import DB_NAME, Vault, create_vault, now_iso
from desktop.vault.pagereader import TABLES, PageReader, Scan, scan

__all__ = ["STAND_IN_KINDS", "SalvageReport", "read_key", "salvage"]

#: Kinds a stand-in may be written for (the parents other records name).
STAND_IN_KINDS = ("client", "visit", "allegation", "declaration")
#: ``lost`` key for rows whose kind could not be read either.
UNKNOWN_KIND = "?"

Progress = Callable[[int, int], None]


@dataclass
class SalvageReport:
    """What :func:`salvage` found and wrote."""

    rescued: dict[str, int] = field(default_factory=dict)  # records written, per kind
    lost: dict[str, int] = field(default_factory=dict)  # found but unreadable or invalid, or stood in for
    unreadable_pages: int = 0
    pages: int = 0
    documents_rescued: int = 0  # document files (blobs) copied whole
    documents_lost: int = 0  # named by a rescued document record, but missing or damaged
    lost_estimate: int = 0  # at least this many more were on unreadable pages (their kind unknown)
    stand_ins: dict[str, int] = field(default_factory=dict)  # per kind, see STAND_IN_KINDS
    schema_read: bool = True  # False: the first page was damaged, tables recognised by shape
    path: Path | None = None  # the new vault

    @property
    def records_rescued(self) -> int:
        return sum(self.rescued.values())

    @property
    def records_lost(self) -> int:
        return sum(self.lost.values()) + self.lost_estimate


def read_key(damaged: Path, passphrase: str, policy: kh.KdfPolicy = kh.PRODUCTION) -> bytes:
    """The damaged vault's data key from its key header (or the header's copy), read only: unlike
    :func:`~desktop.vault.database.unlock` nothing in the folder is finished or cleaned."""
    from desktop.vault.database import read_header

    return read_header(Path(damaged)).unwrap_with_passphrase(passphrase, policy)


def _refuse_places(damaged: Path, to: Path) -> None:
    from desktop.vault.database import is_inside_vault

    if not (damaged / DB_NAME).is_file():
        raise NotAVault(N_("{path} is not a Declara vault."), path=str(damaged))
    a, b = damaged.resolve(), to.resolve()
    if b == a or a in b.parents or is_inside_vault(to):
        raise VaultError(
            N_(
                "The salvaged vault must be a new folder outside any vault folder; nothing is ever "
                "written inside the damaged one."
            )
        )


def salvage(
    damaged: Path,
    to: Path,
    data_key: bytes,
    new_passphrase: str,
    policy: kh.KdfPolicy = kh.PRODUCTION,
    *,
    check_strength: bool = True,
    progress: Progress | None = None,
) -> SalvageReport:
    """Read the damaged vault folder ``damaged`` (never writing to it) and write every record that
    still decrypts and validates into a new vault at ``to``, protected by ``new_passphrase``."""
    damaged, to = Path(damaged), Path(to)
    _refuse_places(damaged, to)
    if to.exists() and (not to.is_dir() or any(to.iterdir())):
        raise VaultError(N_("{path} already exists and is not empty; choose a new name."), path=str(to))
    try:
        reader = PageReader(damaged / DB_NAME, data_key)
    except OSError as exc:
        raise VaultError(
            N_("The damaged vault could not be read ({detail})."), detail=exc.strerror or ""
        ) from exc
    with reader:
        found = scan(reader)
        if found.pages and found.unreadable >= found.pages:
            raise VaultCorrupt(
                N_(
                    "Nothing in this database can be read with this vault's key: it is not this "
                    "vault's database, or all of it is damaged. Nothing was written."
                )
            )
        if found.user_version is not None and found.user_version > _latest():
            raise VaultTooNew(
                N_("This vault was written by a newer version of Declara (schema {found}); update Declara."),
                found=found.user_version,
            )
        plan = _Plan.build(found)
        created = not to.exists()
        vault = create_vault(to, new_passphrase, policy, check_strength=check_strength)
        try:
            with vault:
                try:
                    report = plan.write(vault, reader, progress)
                except _DoNotFit:
                    raise VaultCorrupt(
                        N_("The salvaged records do not fit together; no new vault was made.")
                    ) from None
        except BaseException:
            # Whatever stopped it, no half-made vault is left behind.
            if created:
                shutil.rmtree(to, ignore_errors=True)
            else:
                for child in to.iterdir():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            raise
    report.unreadable_pages, report.pages, report.schema_read = (
        found.unreadable,
        found.pages,
        found.schema_read,
    )
    report.path = to
    return report


def _latest() -> int:
    from desktop.vault.migrations import LATEST

    return LATEST


# -- deciding what to write ------------------------------------------------------------------------
def _check_row(row: dict[str, Any]) -> dict[str, Any]:
    """A record found, checked exactly as a line of a sync file is (raises when it is not valid)."""
    from desktop.sync import fileformat

    return fileformat._check_row(row, 0)  # noqa: SLF001 - the one definition of a valid record row


class _DoNotFit(Exception):
    """The rows to write break a foreign key (a bug in choosing the stand-ins)."""


@dataclass
class _Plan:
    records: dict[str, dict[str, Any]]  # id -> checked row
    stand_ins: dict[str, dict[str, Any]]
    lost: dict[str, int]
    lost_estimate: int
    tables: dict[str, list[tuple[Any, ...]]]

    @classmethod
    def build(cls, found: Scan) -> _Plan:
        columns = TABLES["records"]
        records: dict[str, dict[str, Any]] = {}
        lost: dict[str, int] = {}
        rowids: set[int] = set()
        invalid: set[str] = set()
        for values in found.tables["records"].bad_rows:
            kind = values[1] if values and len(values) > 1 and values[1] in _kinds() else UNKNOWN_KIND
            lost[kind] = lost.get(kind, 0) + 1
        for rowid, values in found.tables["records"].rows:
            if rowid is not None:
                rowids.add(rowid)
            row = dict(zip(columns, values, strict=True))
            if row["id"] in records:
                continue  # the copy the tree walk reached comes first
            kind = row["kind"]
            try:
                row["data"] = json.loads(row["data"])
                row["deleted"] = bool(row["deleted"])
                del row["date_lo"], row["date_hi"]
                records[row["id"]] = _check_row(row)
            except (DeclaraError, ValueError, TypeError, KeyError, RecursionError):
                lost[kind] = lost.get(kind, 0) + 1
                invalid.add(row["id"])
        stand_ins = cls._stand_ins(records, lost)
        # A stand-in tells the kind of a record lost on an unreadable page.
        told = 0
        for rid, entry in stand_ins.items():
            if rid not in invalid:
                lost[entry["kind"]] = lost.get(entry["kind"], 0) + 1
                told += 1
        # Rows are never deleted from ``records`` (deletion is a tombstone), so the rowids missing
        # below the highest one found were on pages that could not be read.
        # (Rows found but unreadable are counted in ``lost`` already and have no rowid here.)
        bad = len(found.tables["records"].bad_rows)
        gaps = (max(rowids) - len(rowids)) if rowids else 0
        tables = {name: [v for _r, v in t.rows] for name, t in found.tables.items() if name != "records"}
        return cls(records, stand_ins, lost, max(gaps - bad - told, 0), tables)

    @staticmethod
    def _stand_ins(records: dict[str, dict[str, Any]], lost: dict[str, int]) -> dict[str, dict[str, Any]]:
        """Stand-ins for the clients and parents records name but which were lost; a record whose
        missing parent cannot stand in (an unexpected kind) is counted lost."""
        from desktop.case.model import PARENT_KIND

        while True:  # drop records whose parent cannot stand in, and then their own children
            dropped = [
                rid
                for rid, row in records.items()
                if row["parent_id"] is not None
                and row["parent_id"] not in records
                and PARENT_KIND.get(row["kind"]) not in STAND_IN_KINDS
            ]
            if not dropped:
                break
            for rid in dropped:
                kind = records.pop(rid)["kind"]
                lost[kind] = lost.get(kind, 0) + 1
        stand_ins: dict[str, dict[str, Any]] = {}
        for row in sorted(records.values(), key=lambda r: r["created_at"]):
            needed = [(row["client_id"], "client")]
            if row["parent_id"] is not None:
                needed.append((row["parent_id"], PARENT_KIND[row["kind"]]))
            for target, kind in needed:
                if target not in records:
                    stand_ins.setdefault(target, {"kind": kind, "client_id": row["client_id"], "first": row})
        return stand_ins

    # -- writing -----------------------------------------------------------------------------------
    def write(self, vault: Vault, reader: PageReader, progress: Progress | None) -> SalvageReport:
        from desktop.case import codec

        report = SalvageReport(lost=dict(self.lost), lost_estimate=self.lost_estimate)
        conn = vault.conn
        with codec.bulk_writes(conn), vault.transaction():
            self._meta(conn)
            device = vault.device_id
            rows = list(self.records.values())
            for rid, entry in self.stand_ins.items():
                rows.append(_stand_in(rid, entry, device))
                report.stand_ins[entry["kind"]] = report.stand_ins.get(entry["kind"], 0) + 1
            total = len(rows)
            for start in range(0, total, codec.BATCH):
                codec.insert_many(conn, [codec.row_values(r) for r in rows[start : start + codec.BATCH]])
                if progress is not None:
                    progress(min(start + codec.BATCH, total), total)
            for row in self.records.values():
                report.rescued[row["kind"]] = report.rescued.get(row["kind"], 0) + 1
            self._documents(conn, reader, report)
            self._sync(conn)
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise _DoNotFit  # rolled back; said outside the transaction (a VaultCorrupt inside
            codec.refresh_clients(conn, {r["client_id"] for r in rows})  # it would close the vault)
        return report

    def _meta(self, conn: Any) -> None:
        for key, value in self.tables["meta"]:
            if key not in ("vault_id", "created_at"):
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('salvaged_at', ?)", (now_iso(),))

    def _documents(self, conn: Any, reader: PageReader, report: SalvageReport) -> None:
        from desktop.sync.blobsync import named

        blobs = {v[0]: v for v in self.tables["blobs"]}
        chunks: dict[tuple[str, int], Any] = {}
        for sha, seq, ref in self.tables["blob_chunks"]:
            chunks.setdefault((sha, seq), ref)
        wanted: dict[str, None] = {}
        documents = set()
        for row in self.records.values():
            if row["kind"] == "document":
                documents.add(row["id"])
                for sha in named(row["data"]):
                    wanted.setdefault(sha, None)
        for sha in wanted:
            if _copy_blob(conn, reader, sha, blobs.get(sha), chunks):
                report.documents_rescued += 1
            else:
                report.documents_lost += 1
        for document_id, client_id, source, text in self.tables["document_text"]:
            if document_id in documents:
                conn.execute(
                    "INSERT OR IGNORE INTO document_text (document_id, client_id, source, text) "
                    "VALUES (?, ?, ?, ?)",
                    (document_id, client_id, source, text),
                )

    def _sync(self, conn: Any) -> None:
        """The sync identity, trusted devices and bookkeeping, so the new vault syncs on as the old
        one did; stand-ins are marked as held by every device, never to be sent."""
        inserts = {
            "sync_identity": 7,
            "sync_peers": 7,
            "sync_applied": 4,
            "sync_conflicts": 8,
            "sync_state": 6,
        }
        for table, width in inserts.items():
            columns = ", ".join(TABLES[table])
            conn.executemany(
                f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({', '.join('?' * width)})",
                self.tables[table],
            )
        # The two tables sync_state replaced (a vault of an older Declara): each row keyed by its
        # record's client, and dropped with the record when that was not saved.
        conn.executemany(
            "INSERT INTO sync_state (client_id, record_id, peer, sent_rev) "
            "SELECT client_id, id, ?, ? FROM records WHERE id = ? "
            "ON CONFLICT (client_id, record_id, peer) "
            "DO UPDATE SET sent_rev = max(coalesce(sent_rev, 0), excluded.sent_rev)",
            [(peer, rev, rid) for peer, rid, rev in self.tables["sync_sent"]],
        )
        conn.executemany(
            "INSERT INTO sync_state (client_id, record_id, peer, their_rev, base) "
            "SELECT client_id, id, ?, ?, ? FROM records WHERE id = ? "
            "ON CONFLICT (client_id, record_id, peer) "
            "DO UPDATE SET their_rev = excluded.their_rev, base = excluded.base",
            [(peer, their, base, rid) for peer, rid, their, base in self.tables["sync_base"]],
        )
        peers = [row[0] for row in conn.execute("SELECT device_id FROM sync_peers")]
        for rid in self.stand_ins:
            for peer in peers:
                conn.execute(
                    "INSERT INTO sync_state (client_id, record_id, peer, sent_rev, their_rev, base) "
                    "SELECT client_id, id, ?, 1, 0, NULL FROM records WHERE id = ? "
                    "ON CONFLICT (client_id, record_id, peer) DO UPDATE SET "
                    "sent_rev = max(coalesce(sent_rev, 0), 1), their_rev = 0, base = NULL",
                    (peer, rid),
                )


def _kinds() -> tuple[str, ...]:
    from desktop.case.model import KINDS

    return KINDS


def _copy_blob(conn: Any, reader: PageReader, sha: str, blob: tuple[Any, ...] | None, chunks: dict) -> bool:
    """Copy one blob whose every chunk was found and whose bytes match its SHA-256. When its row
    in ``blobs`` was lost, its chunks still say it all: 0, 1, ... up to the last one found, and the
    SHA-256 of their bytes decides."""
    if blob is None:
        count = 0
        while (sha, count) in chunks:
            count += 1
        size, created_at = None, now_iso()
    else:
        _sha, size, count, created_at = blob
    if any((sha, seq) not in chunks for seq in range(count)):
        return False
    digest, seen = hashlib.sha256(), 0
    for seq in range(count):
        data = reader.chunk(chunks[(sha, seq)])
        if data is None:
            break
        digest.update(data)
        seen += len(data)
        conn.execute("INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)", (sha, seq, data))
    else:
        if count and seen == (seen if size is None else size) and digest.hexdigest() == sha:
            conn.execute(
                "INSERT INTO blobs (sha256, size, chunks, created_at) VALUES (?, ?, ?, ?)",
                (sha, seen, count, created_at),
            )
            return True
    conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha,))
    return False


def _stand_in(rid: str, entry: dict[str, Any], device: str) -> dict[str, Any]:
    """A labelled record standing in for a lost client or parent (see the module's docstring)."""
    from desktop.case.codec import row_values  # noqa: F401 - the columns the row must carry

    kind = entry["kind"]
    note = _("This record was lost when a damaged vault was salvaged; the records under it were kept.")
    data: dict[str, Any]
    if kind == "client":
        data = {"given_names": _("Client whose record was lost"), "notes": note}
    elif kind == "visit":
        # The day the first record under it was written, as the visit's day.
        data = {"date": entry["first"]["created_at"][:10], "summary": note}
    elif kind == "allegation":
        data = {"kind": "other"}
    else:
        data = {}
    now = now_iso()
    row = {
        "id": rid,
        "kind": kind,
        "client_id": rid if kind == "client" else entry["client_id"],
        "parent_id": None,
        "position": 0,
        "ref": None,
        "data": data,
        "rev": 1,
        "created_at": now,
        "updated_at": now,
        "origin": device,
        "deleted": False,
    }
    try:
        return _check_row(row)
    except (DeclaraError, ValidationError) as exc:  # pragma: no cover - the stand-ins above are valid
        raise VaultCorrupt(N_("A stand-in record could not be made ({detail})."), detail=str(exc)) from exc


# -- the report, as the user reads it --------------------------------------------------------------
KIND_LABELS = {
    "client": N_("Clients"),
    "event": N_("Events"),
    "allegation": N_("Allegations"),
    "rebuttal": N_("Rebuttal evidence"),
    "family_member": N_("Family members"),
    "foia_request": N_("FOIA requests"),
    "visit": N_("Visits"),
    "answer": N_("Answers"),
    "declaration": N_("Declarations"),
    "paragraph": N_("Declaration paragraphs"),
    "document": N_("Documents"),
    "packet": N_("Filing packets"),
    "custody_event": N_("Custody record entries"),
    UNKNOWN_KIND: N_("Of unknown kind"),
}


def describe(report: SalvageReport) -> list[str]:
    """The report in the interface language, one line each (numbers as the locale writes them)."""
    from babel.numbers import format_decimal

    from desktop.i18n import babel_locale, ngettext

    locale = babel_locale()

    def n(value: int) -> str:
        return format_decimal(value, locale=locale)

    lines = []
    if report.path is not None:
        lines.append(_("Salvaged into the new vault {path}.").format(path=report.path))
    lines.append(
        _("Records rescued: {rescued}; lost: at least {lost}.").format(
            rescued=n(report.records_rescued), lost=n(report.records_lost)
        )
    )
    for kind in KIND_LABELS:
        rescued, lost = report.rescued.get(kind, 0), report.lost.get(kind, 0)
        if rescued or lost:
            lines.append(
                "  "
                + _("{kind}: {rescued} rescued, {lost} lost").format(
                    kind=_(KIND_LABELS[kind]), rescued=n(rescued), lost=n(lost)
                )
            )
    if report.lost_estimate:
        lines.append(
            "  "
            + ngettext(
                "and {count} record on a damaged page, whose kind cannot be told",
                "and {count} records on damaged pages, whose kind cannot be told",
                report.lost_estimate,
            ).format(count=n(report.lost_estimate))
        )
    stand_ins = sum(report.stand_ins.values())
    if stand_ins:
        lines.append(
            ngettext(
                "{count} lost client or parent record was replaced by a labelled stand-in, so the "
                "records under it are kept; fill it in from a backup, the office or the paper file.",
                "{count} lost client or parent records were replaced by labelled stand-ins, so the "
                "records under them are kept; fill them in from a backup, the office or the paper file.",
                stand_ins,
            ).format(count=n(stand_ins))
        )
    if report.documents_rescued or report.documents_lost:
        lines.append(
            _("Document files: {rescued} rescued, {lost} lost.").format(
                rescued=n(report.documents_rescued), lost=n(report.documents_lost)
            )
        )
    lines.append(
        _("Database pages: {pages}; {bad} could not be read.").format(
            pages=n(report.pages), bad=n(report.unreadable_pages)
        )
    )
    if not report.schema_read:
        lines.append(
            _("The database's first page was damaged: the tables were recognised by their contents.")
        )
    lines.append(_("The damaged vault was not changed; keep it until you have checked the new one."))
    return lines
