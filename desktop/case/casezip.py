"""Version 2 case files: a ZIP holding ``case.json`` and ``documents/<sha256>``.

Written a chunk at a time (each original and revision streamed from the vault into the ZIP,
never whole in memory) to a temporary file beside the destination, then renamed into place, mode
0600. Read with every bound checked before anything is parsed or written: the ZIP's size, its
member names (only ``case.json`` and ``documents/<64 lowercase hex>``, each once: no folders, no
``..``, no absolute paths), ``case.json``'s size, the sizes the JSON gives for each document (a
member whose size differs is refused, and reading never goes past the size given), their total
(:data:`MAX_TOTAL_BYTES`), and then every member's SHA-256, all before the import writes a
record. The format: docs/case-file-format.md; the JSON Schema:
``resources/schema/declara-case-2.schema.json``.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.case.casefile import MAX_BYTES, dumps_case, export_case, parse_case_bytes
from desktop.case.casedocs import MISMATCH, blobs_named
from desktop.case.store import CaseStore
from desktop.errors import CaseFileError
from desktop.i18n import N_

SUFFIX = ".declara-case.zip"
CASE_JSON = "case.json"
MEMBER = re.compile(r"^documents/([0-9a-f]{64})$")
CHUNK = 512 * 1024
#: The most a case file's documents may hold, uncompressed, all together.
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
#: Room for case.json and the ZIP's own headers beyond the documents.
_OVERHEAD = MAX_BYTES + 64 * 1024 * 1024
_ALLOWED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class CaseDict(dict):  # type: ignore[type-arg]
    """A version 2 case file read from its ZIP: the parsed ``case.json``, and ``archive``, where
    import reads the documents' bytes."""

    archive: CaseArchive


class CaseArchive:
    """A verified case-file ZIP: every member named, sized and hashed as ``case.json`` says."""

    def __init__(self, path: Path, sizes: dict[str, int]) -> None:
        self.path = path
        self.sizes = sizes

    def iter_member(self, sha256: str) -> Iterator[bytes]:
        """The bytes of ``documents/<sha256>``, a chunk at a time, checked again as they are read
        (the file could have changed since it was verified)."""
        try:
            with zipfile.ZipFile(self.path) as zf:
                yield from _read_member(zf, sha256, self.sizes[sha256])
        except (zipfile.BadZipFile, EOFError, OSError):
            raise CaseFileError(N_("The case file is not a readable ZIP; nothing was imported.")) from None


# -- writing -----------------------------------------------------------------------------------
def write_case_zip(store: CaseStore, client_token: str, out: Path) -> dict[str, Any]:
    """Write one client with their documents as a version 2 case file at ``out``; return the
    case.json written. The documents stream from the vault; the file appears only when complete."""
    from desktop.evidence.blobs import BlobStore
    from desktop.vault.fsutil import fsync_dir

    doc = export_case(store, client_token, documents=True)
    blobs = BlobStore(store.vault)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w") as zf:
                zf.writestr(_info(CASE_JSON, zipfile.ZIP_DEFLATED), dumps_case(doc).encode("utf-8"))
                for sha256 in blobs_named(doc.get("documents") or []):
                    info = _info(f"documents/{sha256}", zipfile.ZIP_STORED)
                    with zf.open(info, "w", force_zip64=True) as member:
                        for chunk in blobs.iter_chunks(sha256):
                            member.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(out.parent)
    return doc


def _info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    info.external_attr = 0o600 << 16
    return info


# -- reading -----------------------------------------------------------------------------------
def read_case_zip(path: Path, *, max_total: int = MAX_TOTAL_BYTES) -> CaseDict:
    """Open, bound, parse and verify a version 2 case file; nothing is written. Raises
    CaseFileError naming the first problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CaseFileError(
            N_("The case file cannot be read ({detail})."), detail=exc.strerror or ""
        ) from None
    if size > max_total + _OVERHEAD:
        raise CaseFileError(
            N_("The case file is too large ({size} MB; at most {max} MB)."),
            size=size // (1024 * 1024),
            max=(max_total + _OVERHEAD) // (1024 * 1024),
        )
    try:
        with zipfile.ZipFile(path) as zf:
            doc, sizes = _verify(zf, max_total)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise CaseFileError(N_("The case file is not a readable ZIP; nothing was imported.")) from None
    out = CaseDict(doc)
    out.archive = CaseArchive(path, sizes)
    return out


def _verify(zf: zipfile.ZipFile, max_total: int) -> tuple[dict[str, Any], dict[str, int]]:
    members: dict[str, zipfile.ZipInfo] = {}
    for info in zf.infolist():
        name = info.filename
        if name != CASE_JSON and not MEMBER.match(name):
            raise CaseFileError(
                N_("The case file holds “{name}”, which a case file never holds; nothing was imported."),
                name=name[:200],
            )
        if name in members:
            raise CaseFileError(N_("The case file holds “{name}” twice; nothing was imported."), name=name)
        if info.flag_bits & 0x1 or info.compress_type not in _ALLOWED_COMPRESSION:
            raise CaseFileError(
                N_("The case file's “{name}” is encrypted or compressed in a way Declara does not read."),
                name=name,
            )
        members[name] = info
    if CASE_JSON not in members:
        raise CaseFileError(N_("The ZIP holds no case.json: it is not a Declara case file."))
    if members[CASE_JSON].file_size > MAX_BYTES:
        raise CaseFileError(
            N_("The case file is too large ({size} MB; at most {max} MB)."),
            size=members[CASE_JSON].file_size // (1024 * 1024),
            max=MAX_BYTES // (1024 * 1024),
        )
    with zf.open(members[CASE_JSON]) as fh:
        raw = fh.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise CaseFileError(N_("The case file's case.json is larger than its ZIP says."))
    doc = parse_case_bytes(raw)
    sizes = blobs_named(doc.get("documents") or [])
    total = sum(sizes.values())
    if total > max_total:
        raise CaseFileError(
            N_("The documents of the case file are too large ({size} MB; at most {max} MB)."),
            size=total // (1024 * 1024),
            max=max_total // (1024 * 1024),
        )
    present = {MEMBER.match(name)[1] for name in members if name != CASE_JSON}  # type: ignore[index]
    for sha256 in sorted(present - set(sizes)):
        raise CaseFileError(
            N_("The case file holds documents/{name}, which case.json does not name; nothing was imported."),
            name=sha256,
        )
    for sha256, expected in sizes.items():
        info = members.get(f"documents/{sha256}")
        if info is None:
            raise CaseFileError(
                N_("The case file lacks documents/{name}, which case.json names; nothing was imported."),
                name=sha256,
            )
        if info.file_size != expected:
            raise CaseFileError(
                N_(
                    "The case file's documents/{name} holds {size} bytes, not the {expected} case.json "
                    "says; nothing was imported."
                ),
                name=sha256,
                size=info.file_size,
                expected=expected,
            )
    for sha256, expected in sizes.items():  # every SHA-256 before anything is written
        for _chunk in _read_member(zf, sha256, expected):
            pass
    return doc, sizes


def _read_member(zf: zipfile.ZipFile, sha256: str, expected: int) -> Iterator[bytes]:
    """The member's bytes in chunks, never more than ``expected`` of them, checked against
    ``sha256`` at the end (a wrong one raises before the last chunk is given)."""
    digest = hashlib.sha256()
    read = 0
    with zf.open(f"documents/{sha256}") as fh:
        while True:
            chunk = fh.read(min(CHUNK, expected - read + 1))
            if not chunk:
                break
            read += len(chunk)
            if read > expected:
                break
            digest.update(chunk)
            if read == expected:
                if fh.read(1):
                    read += 1
                    break
                if digest.hexdigest() != sha256:
                    break
            yield chunk
    if read != expected or digest.hexdigest() != sha256:
        raise CaseFileError(MISMATCH, name=sha256)
