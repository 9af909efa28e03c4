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
import struct
from pathlib import Path

__all__ = ["PAGE_SIZE", "foreign_pages"]

PAGE_SIZE = 4096
_RESERVE = 80  # IV (16) + HMAC-SHA512 (64) at the end of every page
_IV = 16
_WAL_HEADER = 32
_FRAME_HEADER = 24
_MAGIC = {0x377F0682: "<", 0x377F0683: ">"}  # the byte order of the checksum words


def _checksum(data: bytes, order: str, s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum over ``data`` (a multiple of 8 bytes), continuing from (s0, s1)."""
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _committed_frames(wal: bytes) -> list[tuple[int, bytes]]:
    """(page number, page) of every frame SQLite's recovery would replay: salts matching the
    header, cumulative checksums holding, up to the last commit frame. [] for no usable log."""
    if len(wal) < _WAL_HEADER:
        return []
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", wal[:_WAL_HEADER])
    order = _MAGIC.get(magic)
    if order is None or page_size != PAGE_SIZE or _checksum(wal[:24], order, 0, 0) != (c0, c1):
        return []
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
    return frames[:committed]


def foreign_pages(db_file: Path, wal_file: Path, key: bytes) -> int:
    """How many of the pages SQLite would replay from ``wal_file`` fail this vault's page
    authentication (0: the log belongs to the database and is whole)."""
    salt = db_file.open("rb").read(16)
    hmac_key = hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, 32)
    bad = 0
    for pgno, page in _committed_frames(wal_file.read_bytes()):
        start = 16 if pgno == 1 else 0
        body = page[start : PAGE_SIZE - _RESERVE + _IV]
        stored = page[PAGE_SIZE - _RESERVE + _IV : PAGE_SIZE - _RESERVE + _IV + 64]
        expected = hmac.new(hmac_key, body + struct.pack("<I", pgno), hashlib.sha512).digest()
        bad += not hmac.compare_digest(expected, stored)
    return bad
