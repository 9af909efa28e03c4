"""Byte plumbing of sync files: age encryption in chunks, decryption, bounded reading, temp files.

Nothing here knows the file format. Plaintext never touches the disk: the exporter's chunks are
encrypted as they are produced (:func:`encrypt_to_bytes`, :func:`encrypt_to_temp`), into memory or
into a private temporary file that :func:`place` renames over the target once the vault has
recorded the export. Files are read whole, after checking their size (:func:`read_bounded`).
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.i18n import N_
from desktop.sync.errors import SyncError
from desktop.vault.fsutil import fsync_dir


class Sink:
    """A write-only, unseekable file for ``zipfile``: what it writes is taken out in chunks."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts, self.size = [], 0
        return out


class _Pull:
    """A ``read(n)`` file over a generator of byte chunks (what ``pyrage.encrypt_io`` reads)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""
        self._pos = 0
        #: What stopped the chunks (pyrage would only pass on its text): raised by :func:`_encrypt`.
        self.error: BaseException | None = None

    def _next(self) -> bytes | None:
        if self.error is not None:
            return None
        try:
            return next(self._chunks, None)
        except BaseException as exc:  # noqa: BLE001 - kept and raised by _encrypt
            self.error = exc
            return None

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            parts = [self._buf[self._pos :]]
            while (nxt := self._next()) is not None:
                parts.append(nxt)
            self._buf, self._pos = b"", 0
            return b"".join(parts)
        while len(self._buf) - self._pos < n:
            nxt = self._next()
            if nxt is None:
                break
            self._buf = self._buf[self._pos :] + nxt
            self._pos = 0
        out = self._buf[self._pos : self._pos + n]
        self._pos += len(out)
        return out


class _Push:
    """The output file as ``pyrage.encrypt_io`` sees it: a failed write (a full disk) is kept."""

    def __init__(self, fh: Any) -> None:
        self._fh = fh
        self.error: BaseException | None = None

    def write(self, data: bytes) -> int:
        try:
            return self._fh.write(data)
        except BaseException as exc:
            self.error = exc
            raise

    def flush(self) -> None:
        self._fh.flush()


def _encrypt(chunks: Iterator[bytes], fh: Any, recipient: Any) -> None:
    """Encrypt what ``chunks`` yields into ``fh``; the original error when either side failed."""
    from pyrage import EncryptError, encrypt_io

    reader = _Pull(chunks)
    writer = _Push(fh)
    try:
        encrypt_io(reader, writer, [recipient])
    except EncryptError:
        if reader.error is not None:
            raise reader.error from None
        if writer.error is not None:
            raise writer.error from None
        raise
    if reader.error is not None:  # the chunks stopped early: the file is incomplete
        raise reader.error


def encrypt_to_bytes(chunks: Iterator[bytes], recipient: Any) -> bytes:
    """The age file of the plaintext ``chunks`` for ``recipient`` (an ``x25519.Recipient``), in memory."""
    buf = io.BytesIO()
    _encrypt(chunks, buf, recipient)
    return buf.getvalue()


def encrypt_to_temp(chunks: Iterator[bytes], recipient: Any, out: Path) -> Path:
    """Encrypt into a new private (0600) file beside ``out``, flushed to the disk; its path. Nothing
    is left behind when this fails. :func:`place` puts it in place of ``out``."""
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            _encrypt(chunks, fh, recipient)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def place(tmp: Path, out: Path) -> None:
    """Rename a finished temporary file over ``out`` and make the rename durable (or take it back)."""
    os.replace(tmp, out)
    try:
        fsync_dir(out.parent)
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def decrypt(raw: bytes, age_identity: str) -> bytes:
    """The plaintext of an age file sent to ``age_identity`` (in memory)."""
    from pyrage import DecryptError, decrypt as age_decrypt, x25519

    try:
        return age_decrypt(raw, [x25519.Identity.from_str(age_identity)])
    except DecryptError:
        raise SyncError(
            N_(
                "The sync file cannot be opened: it was written for another vault, or it is damaged. "
                "Nothing was changed."
            )
        ) from None


def too_large() -> SyncError:
    return SyncError(N_("The sync file is too large; nothing was changed."))


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a file, refused before reading when it is larger than ``limit``."""
    try:
        if Path(path).stat().st_size > limit:
            raise too_large()
        return Path(path).read_bytes()
    except OSError as exc:
        raise SyncError(N_("The file could not be read ({detail})."), detail=exc.strerror or "") from None
