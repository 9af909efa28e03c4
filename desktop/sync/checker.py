"""Checking a sync file's record lines, in worker processes when there are many.

Every line of ``records.jsonl`` is parsed within the limits of :mod:`desktop.limits` and checked as
strictly as the case store checks an edit (:func:`desktop.sync.fileformat.check_line`). That is
Python work per record, about 30 µs, and the first import of a whole office holds 600,000 records:
done in the importing process, it took as long as SQLite's writes, one after the other. So a large
file's lines are cut into chunks of about :data:`CHUNK_BYTES` that end at a line's end, and worker
processes check them while the importing process writes the records already checked. Each chunk's
answer is the rows it checked, ready to insert (:func:`desktop.case.codec.row_values`), and the
first refusal in it, if any; the importer takes the answers in file order, so the refusal it
reports is the first in the file, exactly as when one process checks every line (a test compares
the two). Small files (a day's sync) are checked in the importing process: starting workers would
cost more than it saves.

The workers are forked from the importing process (Linux only: elsewhere the importing process
checks every line itself) when the import starts, and stopped when it ends, whatever happens to it.
A forked worker runs only this module's pure-Python checks and leaves with ``os._exit`` (no Qt, no
SQLite, no clean-up handlers of the parent); *forkserver* and *spawn* would import the program's
``__main__`` again in each worker (the window, Qt), and the bundle would need PyInstaller's hooks
for them. The workers hold no key, open no vault and write nothing: they receive plaintext lines
through a pipe between processes of the same user and return the checked rows the same way.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from desktop.i18n import N_
from desktop.sync import blobsync, fileformat
from desktop.sync.errors import SyncError

#: Bytes of record lines per chunk handed to a worker (ends at a line's end).
CHUNK_BYTES = 1 << 20
#: Below this size the importing process checks the lines itself.
WORKERS_FROM_BYTES = 8 << 20
#: The most worker processes started.
MAX_WORKERS = 4
#: Environment variable that sets the number of workers (0: none), whatever the size.
WORKERS_ENV = "DECLARA_IMPORT_WORKERS"

#: One checked record: (line number, its values in codec.COLUMNS order, the SHA-256 of the files
#: a live document record names, or None).
Checked = tuple[int, tuple[Any, ...], "list[str] | None"]


def check_chunk(chunk: bytes, first: int) -> tuple[list[Checked], tuple[str, dict[str, Any]] | None]:
    """Check the lines of ``chunk`` (whole lines; the first is line ``first`` of the file): the
    rows checked, up to the first refusal, and that refusal as its message id and parameters (or
    None). Runs in a worker or in the importing process."""
    from desktop.case import codec

    out: list[Checked] = []
    pos, number, end = 0, first - 1, len(chunk)
    find = chunk.find
    while pos < end:
        nl = find(b"\n", pos)
        if nl < 0:
            nl = end
        line = chunk[pos:nl]
        pos = nl + 1
        number += 1
        if not line.strip():
            continue
        try:
            row = fileformat.check_line(line, number)
        except SyncError as exc:  # sent back as its message id and parameters (plain, picklable)
            return out, (exc.msgid, exc.params)
        named = blobsync.named(row["data"]) if row["kind"] == "document" and not row["deleted"] else None
        out.append((number, codec.row_values(row), named))
    return out, None


def _refusal(error: tuple[str, dict[str, Any]]) -> SyncError:
    """The refusal a chunk's check ended with, raised again here, in the same words."""
    msgid, params = error
    return SyncError(msgid, **params)


def chunks(pieces: Iterable[bytes]) -> Iterator[tuple[bytes, int]]:
    """(chunk, number of its first line) from the bytes of ``records.jsonl`` in pieces of any size:
    whole lines, about :data:`CHUNK_BYTES` each. A line longer than the longest accepted is passed
    on once it is known to be too long (it is refused for its size; what follows it is not read)."""
    buf = bytearray()
    number = 1
    clean = 0  # buf[:clean] holds no line end
    for piece in pieces:
        buf += piece
        if len(buf) < CHUNK_BYTES:
            continue
        cut = buf.rfind(b"\n", clean)
        if cut < 0:
            clean = len(buf)
            if clean > fileformat.MAX_LINE_BYTES:
                yield bytes(buf), number
                return
            continue
        with memoryview(buf) as view:
            chunk = bytes(view[: cut + 1])
        del buf[: cut + 1]
        clean = len(buf)
        yield chunk, number
        number += chunk.count(b"\n")
    if buf:
        yield bytes(buf), number


def workers_for(size: int) -> int:
    """How many worker processes check a ``records.jsonl`` of ``size`` bytes (0: none)."""
    if not sys.platform.startswith("linux"):
        return 0
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted.isdigit():
        return min(int(wanted), MAX_WORKERS)
    if size < WORKERS_FROM_BYTES:
        return 0
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def _pool(workers: int) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def checked(pieces: Iterable[bytes], *, workers: int, seen: set[str] | None = None) -> Iterator[Checked]:
    """Every record of ``records.jsonl`` (given in pieces), checked, in file order; the first
    refusal in the file is raised where the lines before it have been yielded. An id given twice
    is refused at its second line; ``seen`` (when given) holds the ids yielded, each added before
    its record is. ``workers``: 0 checks here, else that many worker processes."""
    seen = set() if seen is None else seen

    def emit(rows: list[Checked], error: tuple[str, dict[str, Any]] | None) -> Iterator[Checked]:
        for item in rows:
            rid = item[1][0]
            if rid in seen:
                raise fileformat.invalid(item[0], "id")
            seen.add(rid)
            yield item
        if error is not None:
            raise _refusal(error)

    if workers <= 0:
        for chunk, first in chunks(pieces):
            yield from emit(*check_chunk(chunk, first))
        return
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(workers)
    window: deque[Any] = deque()
    try:
        for chunk, first in chunks(pieces):
            window.append(pool.submit(check_chunk, chunk, first))
            # A few chunks ahead per worker: the workers stay busy, memory stays bounded.
            while len(window) > 2 * workers:
                yield from emit(*window.popleft().result())
        while window:
            yield from emit(*window.popleft().result())
    except BrokenProcessPool:
        raise SyncError(
            N_("The import stopped: a process checking the records ended unexpectedly. Nothing was changed.")
        ) from None
    finally:
        for future in window:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
