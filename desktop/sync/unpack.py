"""Reading a sync file as a stream: age decryption in a worker thread, the ZIP's members in order.

A sync file may carry documents (up to :data:`desktop.sync.fileformat.MAX_FILE_BYTES`), so it is
never held whole in memory: :class:`Plaintext` decrypts it with ``pyrage.decrypt_io`` in a thread
that hands the plaintext over through a small bounded queue, and :func:`members` walks the ZIP's
local headers one after the other (a ZIP written to a stream, as Declara writes it, has no central
directory until its end). Nothing is written anywhere: the caller decides what to keep of each member.

A member written with a data descriptor (its sizes after its data) carries its size in an extra
field of its own (:data:`SIZE_EXTRA`) when it is known up front (documents); ``records.jsonl`` and
the small members of older files do not, and their end is found by the descriptor itself: its
signature followed by the CRC-32 and the sizes of the bytes before it (JSON lines cannot hold the
signature, which contains a control character).
"""

from __future__ import annotations

import hashlib
import io
import queue
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from desktop.i18n import N_
from desktop.sync.errors import SyncError

LOCAL = b"PK\x03\x04"
CENTRAL = b"PK\x01\x02"
END = b"PK\x05\x06"
DESCRIPTOR = b"PK\x07\x08"
#: The extra field (an id of Declara's own, "DS") that gives a member's size as 8 bytes, little-endian.
SIZE_EXTRA = 0x5344
#: Plaintext pieces in flight between the decrypting thread and the reader (pyrage hands out 8 KiB).
QUEUE_DEPTH = 64
#: Bytes read from the plaintext at a time.
PIECE = 1 << 20

_EOF = object()


def damaged() -> SyncError:
    return SyncError(N_("The sync file is damaged or was changed after it was written; nothing was changed."))


def _cannot_open() -> SyncError:
    return SyncError(
        N_(
            "The sync file cannot be opened: it was written for another vault, or it is damaged. "
            "Nothing was changed."
        )
    )


class _Source:
    """The encrypted bytes as ``decrypt_io`` reads them: hashed and counted as they go."""

    def __init__(self, fh: Any) -> None:
        self._fh = fh
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self._fh.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


class _Stopped(Exception):
    """The reader went away: the decrypting thread stops."""


class Plaintext:
    """``read(n)`` over the plaintext of an age file (bytes in memory or a file), decrypted in a
    thread. At most ``limit`` plaintext bytes are accepted. Use it as a context manager."""

    def __init__(self, source: bytes | bytearray | Path, age_identity: str, limit: int) -> None:
        from pyrage import x25519

        self._identity = x25519.Identity.from_str(age_identity)
        self._fh: Any = io.BytesIO(source) if isinstance(source, bytes | bytearray) else open(source, "rb")  # noqa: SIM115
        self.source = _Source(self._fh)
        self._limit = limit
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_DEPTH)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._buf = bytearray()
        self._done = False
        self.size = 0  # plaintext bytes handed out so far
        self._thread = threading.Thread(target=self._run, name="sync-decrypt", daemon=True)
        self._thread.start()

    # -- the decrypting thread ---------------------------------------------------------------------
    def write(self, data: bytes) -> int:
        self._put(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def _put(self, item: Any) -> None:
        while True:
            if self._stop.is_set():
                raise _Stopped
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        from pyrage import decrypt_io

        try:
            decrypt_io(self.source, self, [self._identity])
        except BaseException as exc:  # noqa: BLE001 - handed to the reader
            self._error = exc
        try:
            self._put(_EOF)
        except _Stopped:
            pass

    # -- the reader --------------------------------------------------------------------------------
    def _fill(self) -> bool:
        if self._done:
            return False
        item = self._queue.get()
        if item is _EOF:
            self._done = True
            if self._error is not None and not self._stop.is_set():
                raise _cannot_open() from None
            return False
        self.size += len(item)
        if self.size > self._limit:
            from desktop.sync.stream import too_large

            raise too_large()
        self._buf += item
        return True

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes; fewer only at the end."""
        while len(self._buf) < n and self._fill():
            pass
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def unread(self, data: bytes) -> None:
        self._buf[:0] = data

    def drain(self) -> None:
        """Read to the end (age authenticates the end of the file only there)."""
        self._buf.clear()
        while self._fill():
            self._buf.clear()

    def close(self) -> None:
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.1)
            except queue.Empty:
                pass
        self._fh.close()

    def __enter__(self) -> Plaintext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- the ZIP, member by member ---------------------------------------------------------------------
def _exact(plain: Plaintext, n: int) -> bytes:
    data = plain.read(n)
    if len(data) != n:
        raise damaged()
    return data


def _known(plain: Plaintext, size: int, crc_expected: int | None, descriptor: bool) -> Iterator[bytes]:
    crc, left = 0, size
    while left:
        piece = plain.read(min(left, PIECE))
        if not piece:
            raise damaged()
        left -= len(piece)
        crc = zlib.crc32(piece, crc)
        yield piece
    if descriptor:
        head = _exact(plain, 16)
        sig, dcrc, csize, usize = struct.unpack("<4sIII", head)
        if sig != DESCRIPTOR or (dcrc, csize, usize) != (crc, size, size):
            raise damaged()
    elif crc != crc_expected:
        raise damaged()


def _scanned(plain: Plaintext, limit: int) -> Iterator[bytes]:
    """A member whose size comes only after it: up to the descriptor that matches what came before."""
    buf = bytearray()
    crc, count = 0, 0
    while True:
        i = buf.find(DESCRIPTOR)
        while 0 <= i and i + 16 <= len(buf):
            dcrc, csize, usize = struct.unpack_from("<III", buf, i + 4)
            if csize == usize == count + i and dcrc == zlib.crc32(buf[:i], crc):
                yield bytes(buf[:i])
                plain.unread(bytes(buf[i + 16 :]))
                return
            i = buf.find(DESCRIPTOR, i + 1)
        keep = len(buf) - 15 if i < 0 else min(i, len(buf) - 15)
        if keep > 0:
            piece = bytes(buf[:keep])
            del buf[:keep]
            crc = zlib.crc32(piece, crc)
            count += len(piece)
            if count > limit:
                raise damaged()
            yield piece
        more = plain.read(PIECE)
        if not more:
            raise damaged()
        buf += more


def _extra_size(extra: bytes) -> int | None:
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        if tag == SIZE_EXTRA and length == 8 and pos + 12 <= len(extra):
            return int(struct.unpack_from("<Q", extra, pos + 4)[0])
        pos += 4 + length
    return None


def size_extra(size: int) -> bytes:
    """The extra field that announces a member's size (see :data:`SIZE_EXTRA`)."""
    return struct.pack("<HHQ", SIZE_EXTRA, 8, size)


def members(
    plain: Plaintext, limit_unknown: int, on_compressed: Callable[[], SyncError]
) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(name, its data in pieces) for each member in order; read each member's pieces before the next.
    A member of unknown size may be at most ``limit_unknown`` bytes. The rest of the file (the
    central directory) is read and dropped."""
    while True:
        sig = plain.read(4)
        if sig in (CENTRAL, END):
            plain.drain()
            return
        if sig != LOCAL:
            raise damaged()
        head = _exact(plain, 26)
        _ver, flags, method, _t, _d, crc, csize, usize, nlen, xlen = struct.unpack("<HHHHHIIIHH", head)
        name_raw = _exact(plain, nlen)
        extra = _exact(plain, xlen)
        if flags & 0x1:
            raise damaged()
        if method != 0:
            raise on_compressed()
        try:
            name = name_raw.decode("utf-8" if flags & 0x800 else "cp437")
        except UnicodeDecodeError:
            raise damaged() from None
        descriptor = bool(flags & 0x8)
        if not descriptor:
            if csize != usize or usize == 0xFFFFFFFF:
                raise damaged()
            data = _known(plain, usize, crc, False)
        else:
            announced = _extra_size(extra)
            if announced is not None:
                data = _known(plain, announced, None, True)
            else:
                data = _scanned(plain, limit_unknown)
        yield name, data
        for _ in data:  # whatever the caller did not read
            pass
