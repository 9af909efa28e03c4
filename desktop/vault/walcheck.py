"""Does a write-ahead log belong to this database? Checked before SQLite may replay it.

SQLite folds a ``-wal`` file into the database when it opens it. A log copied in from another vault
(a folder mix-up) would then overwrite pages of this one. This module reads the log the way SQLite's
recovery does — the header, then each frame whose salts match the header and whose cumulative
checksum holds, up to the last commit — and verifies every page in those frames with SQLCipher's
own page authentication: HMAC-SHA512 under this vault's key over the encrypted page and its page
number. Pages of another vault (another key) fail it; so does a damaged page. Nothing is written.

SQLCipher 4 defaults, as Declara opens its databases (a raw 256-bit key, 4096-byte pages): each
page ends with a 16-byte IV and a 64-byte HMAC; the HMAC key is PBKDF2-HMAC-SHA512 of the key with
the database's 16-byte salt (its first bytes) XOR 0x3a, 2 iterations; page 1 leaves its first 16
bytes (the salt) out. See https://www.zetetic.net/sqlcipher/design/ and
https://www.sqlite.org/fileformat2.html#walformat.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from pathlib import Path
from typing import Any

__all__ = ["LOCK_PAGE", "PAGE_SIZE", "bad_pages", "check_log", "dropped_commits", "foreign_pages"]

PAGE_SIZE = 4096
#: SQLite's lock-byte page: the page holding byte 2**30 of the file (SQLite's PENDING_BYTE), which
#: SQLite never writes, so it has no HMAC: in a database over 1 GiB it is zeros (or a hole) and
#: failed the check, refusing every such vault as damaged (found building a 50,000-client vault).
LOCK_PAGE = 0x40000000 // PAGE_SIZE + 1
_RESERVE = 80  # IV (16) + HMAC-SHA512 (64) at the end of every page
_IV = 16
_WAL_HEADER = 32
_FRAME_HEADER = 24
_MAGIC = {0x377F0682: "<", 0x377F0683: ">"}  # the byte order of the checksum words


def _checksum(data: bytes, order: str, s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum over ``data`` (a multiple of 8 bytes), continuing from (s0, s1)."""
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    mask = 0xFFFFFFFF
    it = iter(words)
    for a, b, c, d in zip(it, it, it, it, strict=False):  # two steps a turn; one mask saved
        s0 = s0 + a + s1
        s1 = (s1 + b + s0) & mask
        s0 = (s0 + c + s1) & mask
        s1 = (s1 + d + s0) & mask
    if len(words) % 4:
        a, b = words[-2:]
        s0 = (s0 + a + s1) & mask
        s1 = (s1 + b + s0) & mask
    return s0 & mask, s1


def _committed_frames(wal: bytes) -> list[tuple[int, bytes]]:
    """(page number, page) of every frame SQLite's recovery would replay: salts matching the
    header, cumulative checksums holding, up to the last commit frame. [] for no usable log."""
    return _scan(wal)[0]


def foreign_pages(db_file: Path, wal_file: Path, key: bytes) -> int:
    """How many of the pages SQLite would replay from ``wal_file`` fail this vault's page
    authentication (0: the log belongs to the database and is whole)."""
    return _foreign(db_file, _committed_frames(wal_file.read_bytes()), key)


def _foreign(db_file: Path, frames: list[tuple[int, bytes]], key: bytes) -> int:
    with db_file.open("rb") as fh:
        salt = fh.read(16)
    hmac_key = hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, 32)
    bad = 0
    for pgno, page in frames:
        start = 16 if pgno == 1 else 0
        body = page[start : PAGE_SIZE - _RESERVE + _IV]
        stored = page[PAGE_SIZE - _RESERVE + _IV : PAGE_SIZE - _RESERVE + _IV + 64]
        expected = hmac.new(hmac_key, body + struct.pack("<I", pgno), hashlib.sha512).digest()
        bad += not hmac.compare_digest(expected, stored)
    return bad


def dropped_commits(wal: bytes) -> bool:
    """Would SQLite's recovery silently drop saved transactions from this log?

    It replays frames only up to the first one whose salts or cumulative checksum fail, and
    ignores a log whose header checksum fails: a damaged byte in a log of saved changes loses
    them all from that point, and the close that follows deletes the log. True when:

    - the file holds a header (32 bytes or more) that is not a valid log header; or
    - past the point where recovery stops, a commit frame follows that belongs to this log: its
      frame checksum continues the stored checksum of the frame before it (so it was written in
      this log's sequence, unlike a stale frame of an earlier generation), or it is the frame
      where recovery stops itself, carries this log's salts and marks a commit.

    A log that ends early or in a partial or uncommitted frame is what a crash during a write
    leaves: recovery drops that unsaved transaction, as after any power cut, and this says False.
    """
    return _dropped(wal, _accepted(wal))


def _dropped(wal: bytes, stop: int) -> bool:
    """:func:`dropped_commits` once the frames recovery accepts are counted (``stop``)."""
    if len(wal) < _WAL_HEADER:
        return False
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", wal[:_WAL_HEADER])
    order = _MAGIC.get(magic)
    if order is None or page_size != PAGE_SIZE or _checksum(wal[:24], order, 0, 0) != (c0, c1):
        return True
    frame = _FRAME_HEADER + PAGE_SIZE
    count = (len(wal) - _WAL_HEADER) // frame
    prev = computed = (c0, c1)
    for i in range(count):
        off = _WAL_HEADER + i * frame
        pgno, commit, fsalt1, fsalt2, f0, f1 = struct.unpack(">6I", wal[off : off + _FRAME_HEADER])
        if i < stop:
            prev = computed = (f0, f1)
            continue
        body = wal[off : off + 8] + wal[off + _FRAME_HEADER : off + frame]
        after_computed = _checksum(body, order, *computed)
        # continuing either the checksum stored in the frame before (its data was damaged) or
        # the one computed for it (its stored checksum was damaged)
        continues = (f0, f1) in (_checksum(body, order, *prev), after_computed)
        ours = (fsalt1, fsalt2) == (salt1, salt2)
        if commit and ((i == stop and (continues or ours)) or (i > stop and continues and ours)):
            return True
        prev, computed = (f0, f1), after_computed
    return False


def _accepted(wal: bytes) -> int:
    """How many frames recovery accepts (salts and cumulative checksum hold), commits or not."""
    return _scan(wal)[1]


def _scan(wal: bytes) -> tuple[list[tuple[int, bytes]], int]:
    """(page number, page) of the frames SQLite's recovery replays (up to the last commit) and
    how many frames it accepts in all."""
    if len(wal) < _WAL_HEADER:
        return [], 0
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", wal[:_WAL_HEADER])
    order = _MAGIC.get(magic)
    if order is None or page_size != PAGE_SIZE or _checksum(wal[:24], order, 0, 0) != (c0, c1):
        return [], 0
    s0, s1 = c0, c1
    frames: list[tuple[int, bytes]] = []
    committed = 0
    off = _WAL_HEADER
    while off + _FRAME_HEADER + PAGE_SIZE <= len(wal):
        pgno, commit, fsalt1, fsalt2, f0, f1 = struct.unpack(">6I", wal[off : off + _FRAME_HEADER])
        page = wal[off + _FRAME_HEADER : off + _FRAME_HEADER + PAGE_SIZE]
        if (fsalt1, fsalt2) != (salt1, salt2) or pgno == 0:
            break
        s0, s1 = _checksum(wal[off : off + 8] + page, order, s0, s1)
        if (s0, s1) != (f0, f1):
            break  # a torn or stale frame: SQLite's recovery stops here too
        frames.append((pgno, page))
        if commit:
            committed = len(frames)
        off += _FRAME_HEADER + PAGE_SIZE
    return frames[:committed], len(frames)


def check_log(db_file: Path, wal_file: Path, key: bytes) -> tuple[int, bool]:
    """One read and one walk of the log: (:func:`foreign_pages`, :func:`dropped_commits`)."""
    wal = wal_file.read_bytes()
    frames, accepted = _scan(wal)
    return _foreign(db_file, frames, key), _dropped(wal, accepted)


#: A database at least this large is checked by :data:`CHECK_THREADS` threads, each its own part
#: (OpenSSL hashes a page without holding Python's lock): 0.50-0.63 s instead of 0.82 s for 429 MB
#: on two cores.
THREADS_FROM_BYTES = 32 * 1024 * 1024
CHECK_THREADS = 2


def bad_pages(db_file: Path, key: bytes, *, chunk_pages: int = 256) -> tuple[int, bool]:
    """SQLCipher's page check done without SQLite: how many pages of the database file fail their
    HMAC-SHA512 under ``key``, and whether page 1 is one of them (then the key is not this
    database's, or its first page is damaged). Read in chunks; nothing is written, and SQLite
    never sees the file, so a refused vault's log is not folded in by SQLite's close."""
    with db_file.open("rb") as fh:
        salt = fh.read(16)
        size = os.fstat(fh.fileno()).st_size
    hmac_key = hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, 32)
    base = hmac.new(hmac_key, digestmod=hashlib.sha512)
    pages, cut = divmod(size, PAGE_SIZE)
    parts = CHECK_THREADS if size >= THREADS_FROM_BYTES else 1
    step = -(-pages // parts) if pages else 0
    ranges = [(i * step, min(step, pages - i * step)) for i in range(parts) if pages - i * step > 0]
    if len(ranges) <= 1:
        found = [_bad_in(db_file, base, 0, pages, chunk_pages)]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(ranges)) as pool:
            found = list(pool.map(lambda r: _bad_in(db_file, base, r[0], r[1], chunk_pages), ranges))
    bad = sum(n for n, _first in found) + (1 if cut else 0)  # a cut-short last page
    return bad, any(first for _n, first in found)


def _bad_in(db_file: Path, base: Any, first: int, count: int, chunk_pages: int) -> tuple[int, bool]:
    """(pages failing their HMAC, whether page 1 is one) among ``count`` pages from index ``first``."""
    bad, first_bad, pgno = 0, False, first
    with db_file.open("rb") as fh:
        fh.seek(first * PAGE_SIZE)
        left = count
        while left > 0 and (block := fh.read(PAGE_SIZE * min(chunk_pages, left))):
            view = memoryview(block)
            whole = len(block) - len(block) % PAGE_SIZE
            for off in range(0, whole, PAGE_SIZE):
                pgno += 1
                if pgno == LOCK_PAGE:
                    continue
                start = off + (16 if pgno == 1 else 0)
                mac = base.copy()
                mac.update(view[start : off + PAGE_SIZE - _RESERVE + _IV])
                mac.update(struct.pack("<I", pgno))
                if not hmac.compare_digest(mac.digest(), view[off + PAGE_SIZE - 64 : off + PAGE_SIZE]):
                    bad += 1
                    first_bad = first_bad or pgno == 1
            left -= whole // PAGE_SIZE
            if whole < len(block) or not whole:
                break
    return bad, first_bad
