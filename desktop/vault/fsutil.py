"""Files written so that a crash, a kill or a full disk leaves the old file or the new one, never half.

Used by everything that writes a file of its own (the key header, exports, device cards, sync
files): the data goes to a private temporary file beside the target (mode 0600, created
exclusively), is flushed to the disk, renamed over the target, and the folder is synced so the
rename itself survives a power cut.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

_IMPORTED = time.time()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Make a file written by someone else (SQLite's ``VACUUM INTO``, a copy) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: The temporary files :func:`write_atomic` makes: ".NAME.<8 hex digits>.tmp".
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")


def process_started() -> float:
    """When this process started (seconds since the epoch): from /proc on Linux, else when this
    module was first imported (early in every Declara process)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rpartition(")")[2].split()[19])
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return _IMPORTED


def clean_stale_temporaries(folder: Path, *, older_than: float | None = None) -> list[str]:
    """Remove what an interrupted :func:`write_atomic` left in ``folder`` (a passphrase change
    killed before its rename leaves ``.keyheader.json.1a2b3c4d.tmp``): only files of that exact
    pattern, only plain files (never through a symlink), and only those last changed before this
    process started, so a write in progress in another process is left alone. The target file
    itself was never touched by the interrupted write. Returns the names removed."""
    cutoff = process_started() if older_than is None else older_than
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMPORARY.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                continue
            os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            continue  # a read-only folder, or gone already: left for the next open
    return removed
