"""Reading a damaged vault database page by page, without SQLite, for salvage.

SQLite refuses a database as soon as one page it needs fails SQLCipher's check ("database disk
image is malformed"), and opening it with SQLite may write beside it (a ``-wal``/``-shm`` file, a
checkpoint). This module only ever reads the files: it authenticates and decrypts every page
itself and parses the B-tree pages, so a damaged page loses only the rows stored on it.

SQLCipher 4, as Declara opens its databases (a raw 256-bit key, 4096-byte pages): every page ends
with 80 reserved bytes, a 16-byte IV and a 64-byte HMAC-SHA512 over the encrypted page, its IV and
its page number (4 bytes, little-endian); the HMAC key is PBKDF2-HMAC-SHA512 of the key with the
database's salt (the first 16 bytes of the file) XOR 0x3a, 2 iterations; the page is AES-256-CBC
under the key itself; page 1 leaves its first 16 bytes (the salt) out and stands for SQLite's
"SQLite format 3\\0" there. See https://www.zetetic.net/sqlcipher/design/.

The B-tree pages, cells, varints, records and overflow chains follow
https://www.sqlite.org/fileformat2.html. Committed frames of the write-ahead log (when there is
one; :mod:`desktop.vault.walcheck` reads them) replace the database's pages, as SQLite would.

How rows are found: every tree named by the schema (``sqlite_master``, rooted on page 1) is walked
from its root; a leaf page no walk reached (its interior page is damaged, or page 1 is) is read
on its own and its rows recognised by their shape (:func:`shape`), so a damaged interior page
loses nothing. Pages freed by SQLite are zeroed (``secure_delete``), so no stale copy of a row is
found that way.
"""

from __future__ import annotations

import hashlib
import hmac
import mmap
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from desktop.vault.walcheck import LOCK_PAGE, PAGE_SIZE, _committed_frames

__all__ = ["PageReader", "TableRows", "TABLES", "shape"]

RESERVE = 80
USABLE = PAGE_SIZE - RESERVE  # 4016: the part of a page SQLite uses
_IV_AT = USABLE
_HMAC_AT = USABLE + 16
_SQLITE_MAGIC = b"SQLite format 3\x00"

TABLE_LEAF, TABLE_INTERIOR, INDEX_LEAF, INDEX_INTERIOR = 0x0D, 0x05, 0x0A, 0x02
_LEAVES = (TABLE_LEAF, INDEX_LEAF)
_CACHE = 2048  # decrypted pages kept (8 MiB)
_TYPES = (TABLE_LEAF, TABLE_INTERIOR, INDEX_LEAF, INDEX_INTERIOR)

#: The tables salvage reads, with their columns as stored (a WITHOUT ROWID table stores its primary
#: key first, which for these two is the table's order too). ``sqlite_master`` is the schema.
TABLES: dict[str, tuple[str, ...]] = {
    "sqlite_master": ("type", "name", "tbl_name", "rootpage", "sql"),
    "records": (
        "id",
        "kind",
        "client_id",
        "parent_id",
        "position",
        "ref",
        "data",
        "date_lo",
        "date_hi",
        "rev",
        "created_at",
        "updated_at",
        "origin",
        "deleted",
    ),
    "meta": ("key", "value"),
    "blobs": ("sha256", "size", "chunks", "created_at"),
    "blob_chunks": ("sha256", "seq", "data"),
    "document_text": ("document_id", "client_id", "source", "text"),
    "sync_identity": ("id", "name", "role", "signing_key", "age_identity", "last_seq", "created_at"),
    "sync_peers": ("device_id", "name", "role", "age_recipient", "signing_key", "fingerprint", "enrolled_at"),
    "sync_applied": ("peer", "seq", "sha256", "applied_at"),
    "sync_conflicts": ("id", "record_id", "field", "local", "theirs", "peer", "created_at", "resolved"),
    "sync_state": ("client_id", "record_id", "peer", "sent_rev", "their_rev", "base"),
    # before migration 10 (a vault salvaged from an older Declara)
    "sync_sent": ("peer", "record_id", "rev"),
    "sync_base": ("peer", "record_id", "their_rev", "data"),
}
#: Tables whose rows are keys of an index B-tree (WITHOUT ROWID); the others are rowid tables.
WITHOUT_ROWID = frozenset({"sync_state", "sync_sent", "sync_base"})
#: Rowid tables whose first column is the rowid itself (INTEGER PRIMARY KEY, stored as NULL).
_ROWID_ALIAS = frozenset({"sync_identity", "sync_conflicts"})


# -- shapes ----------------------------------------------------------------------------------------
def _uuid(v: Any) -> bool:
    return isinstance(v, str) and len(v) == 36 and v.count("-") == 4


def _hex64(v: Any) -> bool:
    return isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v)


def _text(v: Any) -> bool:
    return isinstance(v, str)


def _opt_text(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _int(v: Any) -> bool:
    return isinstance(v, int)


def _opt_int(v: Any) -> bool:
    return v is None or isinstance(v, int)


def _blob(v: Any) -> bool:
    return isinstance(v, bytes)


def _role(v: Any) -> bool:
    return v in ("laptop", "office")


_KINDS = frozenset(
    "client event allegation rebuttal family_member foia_request visit answer declaration paragraph "
    "document packet custody_event".split()
)
_CHECKS: dict[str, tuple[Callable[[Any], bool], ...]] = {
    "sqlite_master": (
        lambda v: v in ("table", "index", "view", "trigger"),
        _text,
        _text,
        _int,
        _opt_text,
    ),
    "records": (
        _uuid,
        lambda v: v in _KINDS,
        _uuid,
        lambda v: v is None or _uuid(v),
        _int,
        _opt_text,
        _text,
        _opt_text,
        _opt_text,
        _int,
        _text,
        _text,
        _text,
        lambda v: v in (0, 1),
    ),
    "meta": (_text, _text),
    "blobs": (_hex64, _int, _int, _text),
    "blob_chunks": (lambda v: _hex64(v) or (_text(v) and v.startswith("pending:")), _int, _blob),
    "document_text": (_uuid, _uuid, lambda v: v in ("embedded", "ocr"), _text),
    "sync_identity": (
        _int,
        _text,
        _role,
        _blob,
        lambda v: _text(v) and v.startswith("AGE-SECRET-KEY-"),
        _int,
        _text,
    ),
    "sync_peers": (_uuid, _text, _role, lambda v: _text(v) and v.startswith("age1"), _blob, _text, _text),
    "sync_applied": (_uuid, _int, _hex64, _text),
    "sync_conflicts": (_int, _uuid, _text, _opt_text, _opt_text, _uuid, _text, lambda v: v in (0, 1)),
    "sync_state": (_uuid, _uuid, _uuid, _opt_int, _opt_int, _opt_text),
    "sync_sent": (_uuid, _uuid, _int),
    "sync_base": (_uuid, _uuid, _int, _opt_text),
}


def fits(table: str, values: tuple[Any, ...]) -> bool:
    """Whether ``values`` (a row as stored, rowid aliases filled in) has the shape of ``table``."""
    checks = _CHECKS[table]
    return len(values) == len(checks) and all(check(v) for check, v in zip(checks, values, strict=True))


def shape(values: tuple[Any, ...], index: bool) -> str | None:
    """The salvaged table a row found on a page no tree reached belongs to, by its shape alone
    (None: none of them, e.g. a search-index or summary row, which salvage rebuilds)."""
    for table in TABLES:
        if (table in WITHOUT_ROWID) == index and fits(table, values):
            return table
    return None


# -- varints and records ---------------------------------------------------------------------------
def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(8):
        byte = buf[pos + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    return (value << 8) | buf[pos + 8], pos + 9


_INT_SIZES = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}


def decode_record(payload: bytes) -> tuple[Any, ...]:
    """The values of an SQLite record (ValueError/IndexError when it is not one)."""
    header_size, pos = _varint(payload, 0)
    if header_size > len(payload):
        raise ValueError("record header")
    types = []
    while pos < header_size:
        serial, pos = _varint(payload, pos)
        types.append(serial)
    values: list[Any] = []
    at = header_size
    for serial in types:
        if serial == 0:
            values.append(None)
        elif serial in _INT_SIZES:
            size = _INT_SIZES[serial]
            values.append(int.from_bytes(payload[at : at + size], "big", signed=True))
            at += size
        elif serial == 7:
            values.append(struct.unpack(">d", payload[at : at + 8])[0])
            at += 8
        elif serial in (8, 9):
            values.append(serial - 8)
        elif serial >= 12:
            size = (serial - 12) // 2
            raw = payload[at : at + size]
            values.append(bytes(raw) if serial % 2 == 0 else bytes(raw).decode("utf-8"))
            at += size
        else:
            raise ValueError("reserved serial type")
        if at > len(payload):
            raise ValueError("record body")
    return tuple(values)


# -- pages -----------------------------------------------------------------------------------------
@dataclass
class TableRows:
    """What was read of one table: its rows (rowid, values), and what could not be read."""

    rows: list[tuple[int | None, tuple[Any, ...]]] = field(default_factory=list)
    bad_rows: list[tuple[Any, ...] | None] = field(default_factory=list)  # found, not readable whole
    pages: list[int] = field(default_factory=list)  # the pages its rows were read from
    unreadable: int = 0  # pages of this tree that failed their check


class PageReader:
    """The pages of a vault database (and its committed write-ahead log), authenticated and
    decrypted; read-only: the database is memory-mapped for reading, the log read into memory, and
    neither is ever opened for writing."""

    def __init__(self, db_file: Path, key: bytes) -> None:
        self._fh = open(db_file, "rb")  # noqa: SIM115 - closed by close()
        size = Path(db_file).stat().st_size
        self._file: Any = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        wal_file = Path(str(db_file) + "-wal")
        self._wal: dict[int, list[bytes]] = {}
        if wal_file.is_file():
            with open(wal_file, "rb") as fh:
                wal = fh.read()
            for pgno, page in _committed_frames(wal):
                self._wal.setdefault(pgno, []).insert(0, page)  # newest first
        self.key = key
        self.page_count = len(self._file) // PAGE_SIZE
        self._hmac_key = self._find_hmac_key()
        # Pages the log adds beyond the file's end count only when they belong to this database.
        self.page_count = max(
            [
                self.page_count,
                *(
                    n
                    for n, pages in self._wal.items()
                    if any(self._verifies(self._hmac_key, n, p) for p in pages)
                ),
            ]
        )
        self._plain: dict[int, bytes | None] = {}

    def close(self) -> None:
        if isinstance(self._file, mmap.mmap):
            self._file.close()
        self._fh.close()

    def __enter__(self) -> PageReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- authentication ----------------------------------------------------------------------------
    def _derive(self, salt: bytes) -> bytes:
        return hashlib.pbkdf2_hmac("sha512", self.key, bytes(b ^ 0x3A for b in salt), 2, 32)

    def _verifies(self, hmac_key: bytes, pgno: int, page: bytes) -> bool:
        start = 16 if pgno == 1 else 0
        expected = hmac.new(hmac_key, page[start:_HMAC_AT] + struct.pack("<I", pgno), hashlib.sha512).digest()
        return hmac.compare_digest(expected, page[_HMAC_AT:PAGE_SIZE])

    def _find_hmac_key(self) -> bytes:
        """The HMAC key from the file's salt; when no page verifies with it and the salt itself
        may be the damaged part, each single changed byte of it is tried (4,096 cheap guesses)."""
        salt = self._file[:16]
        key = self._derive(salt)
        samples = [
            (n, p) for n in range(1, min(self.page_count, 8) + 1) for p in self._raw(n) if p is not None
        ]
        if not samples or any(self._verifies(key, n, p) for n, p in samples):
            return key
        probes = [(n, p) for n, p in samples if n != 1] or samples
        for i in range(len(salt)):
            for value in range(256):
                if value == salt[i]:
                    continue
                guess = salt[:i] + bytes([value]) + salt[i + 1 :]
                candidate = self._derive(guess)
                if any(self._verifies(candidate, n, p) for n, p in probes):
                    return candidate
        return key

    def _raw(self, pgno: int) -> list[bytes | None]:
        """The stored versions of a page, the one SQLite would read first."""
        versions: list[bytes | None] = list(self._wal.get(pgno, []))
        start = (pgno - 1) * PAGE_SIZE
        page = self._file[start : start + PAGE_SIZE]
        versions.append(page if len(page) == PAGE_SIZE else None)
        return versions

    def page(self, pgno: int) -> bytes | None:
        """Page ``pgno`` decrypted (its usable 4,016 bytes), or None when it fails its check."""
        if pgno in self._plain:
            return self._plain[pgno]
        plain = None
        if 1 <= pgno <= self.page_count:
            # The newest committed version that passes its check: a log frame that fails it (a
            # damaged log, or another vault's log copied beside this database) gives way to the
            # version before it, as it stood at an earlier commit.
            for page in self._raw(pgno):
                if page is not None and self._verifies(self._hmac_key, pgno, page):
                    start = 16 if pgno == 1 else 0
                    cipher = Cipher(algorithms.AES(self.key), modes.CBC(page[_IV_AT:_HMAC_AT]))
                    dec = cipher.decryptor()
                    body = dec.update(page[start:USABLE]) + dec.finalize()
                    plain = (_SQLITE_MAGIC + body) if pgno == 1 else body
                    break
        if len(self._plain) >= _CACHE:
            self._plain.clear()
        self._plain[pgno] = plain
        return plain

    # -- B-trees ---------------------------------------------------------------------------------
    @staticmethod
    def _header_at(pgno: int) -> int:
        return 100 if pgno == 1 else 0

    def page_type(self, pgno: int) -> int | None:
        plain = self.page(pgno)
        if plain is None:
            return None
        kind = plain[self._header_at(pgno)]
        return kind if kind in _TYPES else 0

    def _cells(self, pgno: int, plain: bytes) -> tuple[int, list[int], int | None]:
        hdr = self._header_at(pgno)
        kind = plain[hdr]
        count = struct.unpack(">H", plain[hdr + 3 : hdr + 5])[0]
        interior = kind in (TABLE_INTERIOR, INDEX_INTERIOR)
        start = hdr + (12 if interior else 8)
        right = struct.unpack(">I", plain[hdr + 8 : hdr + 12])[0] if interior else None
        if start + 2 * count > USABLE:
            raise ValueError("cell count")
        pointers = [struct.unpack(">H", plain[start + 2 * i : start + 2 * i + 2])[0] for i in range(count)]
        return kind, pointers, right

    def _payload(self, plain: bytes, at: int, size: int, index: bool, used: set[int]) -> bytes | None:
        """A cell's payload, following its overflow chain (None when a page of it is unreadable)."""
        max_local = ((USABLE - 12) * 64 // 255) - 23 if index else USABLE - 35
        min_local = ((USABLE - 12) * 32 // 255) - 23
        if size <= max_local:
            return plain[at : at + size]
        local = min_local + (size - min_local) % (USABLE - 4)
        if local > max_local:
            local = min_local
        parts = [plain[at : at + local]]
        have = local
        nxt = struct.unpack(">I", plain[at + local : at + local + 4])[0]
        seen: set[int] = set()
        while have < size:
            if nxt in seen or not 1 <= nxt <= self.page_count:
                return None
            seen.add(nxt)
            used.add(nxt)
            over = self.page(nxt)
            if over is None:
                return None
            take = min(size - have, USABLE - 4)
            parts.append(over[4 : 4 + take])
            have += take
            nxt = struct.unpack(">I", over[:4])[0]
        return b"".join(parts)

    def cells(
        self, pgno: int, used: set[int], only: int | None = None
    ) -> Iterator[tuple[int, int | None, tuple[Any, ...] | None]]:
        """(cell number, rowid or None, values or None when unreadable) of every row stored on
        page ``pgno`` (a leaf, or an interior page of an index tree, whose cells hold rows too);
        ``only``: just that cell."""
        plain = self.page(pgno)
        assert plain is not None
        kind, pointers, _right = self._cells(pgno, plain)
        for number, ptr in enumerate(pointers):
            if only is not None and number != only:
                continue
            try:
                pos = ptr
                if kind == TABLE_INTERIOR:
                    continue
                if kind == INDEX_INTERIOR:
                    pos += 4
                size, pos = _varint(plain, pos)
                rowid = None
                if kind == TABLE_LEAF:
                    rowid, pos = _varint(plain, pos)
                    if rowid >= 1 << 63:
                        rowid -= 1 << 64
                payload = self._payload(plain, pos, size, kind != TABLE_LEAF, used)
                yield number, rowid, (None if payload is None else decode_record(payload))
            except (ValueError, IndexError, struct.error, UnicodeDecodeError):
                yield number, None, None

    def chunk(self, ref: tuple[int, int]) -> bytes | None:
        """The bytes of a ``blob_chunks`` row found by :func:`scan` (None: no longer readable)."""
        for _number, _rowid, values in self.cells(ref[0], set(), only=ref[1]):
            return values[2] if values is not None and len(values) == 3 else None
        return None

    def children(self, pgno: int) -> list[int]:
        """The child pages of an interior page ([] for a leaf)."""
        plain = self.page(pgno)
        assert plain is not None
        kind, pointers, right = self._cells(pgno, plain)
        if right is None:
            return []
        out = [struct.unpack(">I", plain[p : p + 4])[0] for p in pointers]
        return [*out, right]


# -- the whole file --------------------------------------------------------------------------------
@dataclass
class Scan:
    """Every row of the salvaged tables that could be read, and what could not."""

    tables: dict[str, TableRows]
    pages: int
    unreadable: int  # pages that failed their check
    unreadable_unowned: int  # of them, pages no readable tree names (their table is unknown)
    schema_read: bool  # the schema (page 1 and its tree) was read whole
    user_version: int | None


#: Rows of blob_chunks keep a reference to their cell instead of their bytes (512 KiB each):
#: (sha256, seq, (page, cell)); :meth:`PageReader.chunk` reads the bytes when they are needed.
def chunk_ref(values: tuple[Any, ...], pgno: int, number: int) -> tuple[Any, ...]:
    return (values[0], values[1], (pgno, number))


def scan(reader: PageReader) -> Scan:
    """Walk every tree the schema names, then read the leaves no walk reached (see the module's
    docstring); return the rows of :data:`TABLES` found."""
    tables = {name: TableRows() for name in TABLES}
    visited: set[int] = set()
    used: set[int] = set()  # overflow pages
    unreadable: dict[int, str | None] = {}
    count = reader.page_count

    def add(table: str, pgno: int, number: int, rowid: int | None, values: tuple[Any, ...] | None) -> None:
        rows = tables[table]
        if values is not None and table in _ROWID_ALIAS and values and values[0] is None:
            values = (rowid, *values[1:])
        if values is None or not fits(table, values):
            rows.bad_rows.append(values)
        elif table == "blob_chunks":
            rows.rows.append((rowid, chunk_ref(values, pgno, number)))
        else:
            rows.rows.append((rowid, values))

    def read_rows(pgno: int, table: str) -> None:
        try:
            for number, rowid, values in reader.cells(pgno, used):
                add(table, pgno, number, rowid, values)
        except (ValueError, IndexError, struct.error):
            tables[table].bad_rows.append(None)

    def walk(root: int, owner: str, read: bool) -> None:
        stack = [root]
        while stack:
            pgno = stack.pop()
            if pgno in visited or not 1 <= pgno <= count:
                continue
            visited.add(pgno)
            kind = reader.page_type(pgno)
            if kind is None:
                unreadable[pgno] = owner
                if read:
                    tables[owner].unreadable += 1
                continue
            if not kind:
                continue  # not a B-tree page where one should be: the walk stops here
            try:
                stack.extend(reader.children(pgno))
            except (ValueError, IndexError, struct.error):
                continue
            if read and kind in (TABLE_LEAF, INDEX_LEAF, INDEX_INTERIOR):
                tables[owner].pages.append(pgno)
                read_rows(pgno, owner)

    walk(1, "sqlite_master", True)
    schema_read = 1 not in unreadable and not tables["sqlite_master"].unreadable
    if not schema_read:
        # Parts of the schema may sit on leaves the walk could not reach.
        for pgno in range(1, count + 1):
            if pgno not in visited and reader.page_type(pgno) == TABLE_LEAF:
                values = [v for _n, _r, v in reader.cells(pgno, set())]
                if values and all(v is not None and fits("sqlite_master", v) for v in values):
                    visited.add(pgno)
                    read_rows(pgno, "sqlite_master")
    roots: list[tuple[int, str, bool]] = []
    for _rowid, (kind, _name, tbl_name, rootpage, _sql) in tables["sqlite_master"].rows:
        if kind in ("table", "index") and rootpage:
            # (A WITHOUT ROWID table's own tree is an index B-tree whose keys are its rows.)
            read = kind == "table" and tbl_name in TABLES and tbl_name != "sqlite_master"
            roots.append((rootpage, tbl_name, read))
    for rootpage, owner, read in sorted(roots, key=lambda r: not r[2]):
        walk(rootpage, owner, read)
    # Leaves no walk reached: their interior page (or the schema) is damaged.
    for pgno in range(1, count + 1):
        if pgno in visited or pgno in used or pgno == LOCK_PAGE:  # never written by SQLite
            continue
        kind = reader.page_type(pgno)
        if kind is None:
            unreadable[pgno] = None
            continue
        if kind not in (TABLE_LEAF, INDEX_LEAF, INDEX_INTERIOR):
            continue
        try:
            found = list(reader.cells(pgno, used))
        except (ValueError, IndexError, struct.error):
            continue
        votes: dict[str, int] = {}
        for _number, rowid, values in found:
            if values is None:
                continue
            if values and values[0] is None and rowid is not None:
                values = (rowid, *values[1:])
            table = shape(values, kind != TABLE_LEAF)
            if table is not None:
                votes[table] = votes.get(table, 0) + 1
        if not votes:
            continue
        table = max(votes, key=votes.__getitem__)
        if table == "sqlite_master":
            continue
        tables[table].pages.append(pgno)
        for number, rowid, values in found:
            add(table, pgno, number, rowid, values)
    user_version = None
    first = reader.page(1)
    if first is not None:
        user_version = struct.unpack(">I", first[60:64])[0]
    return Scan(
        tables=tables,
        pages=count,
        unreadable=len(unreadable),
        unreadable_unowned=sum(1 for owner in unreadable.values() if owner is None),
        schema_read=schema_read,
        user_version=user_version,
    )
