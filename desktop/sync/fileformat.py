"""The sync file format: the ZIP's members, the manifest and its signature, the record lines, the
version and the size limits; writing the plaintext and reading it back verified.

Inside the age encryption is an uncompressed ZIP: ``records.jsonl`` (one record a line, every column
of :data:`desktop.case.codec.FIELDS`, ``data`` as a JSON object), then one ``documents/<sha256>``
member per document file it carries (version 2; see :mod:`desktop.sync.blobsync`), then
``manifest.json`` (which names the SHA-256 and size of every other member), then ``manifest.sig``
(the sender's Ed25519 signature over the manifest's bytes). Reading streams the file (it may be
gigabytes), checks all of it, and every record line as strictly as the case store checks an edit,
before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.case import codec
from desktop.case.model import KINDS, PARENT_KIND
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.limits import MAX_INT, InputRefused, load_json
from desktop.sync import stream, unpack
from desktop.sync.devices import Identity, Peer, get_peer, identity, is_uuid
from desktop.sync.errors import SyncError
from desktop.vault.database import Vault, now_iso

FORMAT = "declara-sync"
#: The version written when a file carries documents; a file without them is still version 1, which
#: every Declara reads.
VERSION = 2
VERSIONS = (1, 2)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RECORDS = "records.jsonl"
MEMBERS = (MANIFEST, SIGNATURE, RECORDS)
#: Members holding a document's bytes are named by their SHA-256 under this folder.
DOCUMENTS = "documents/"
_DOCUMENT_MEMBER = re.compile(r"documents/([0-9a-f]{64})")
#: The keys of a line of ``records.jsonl``: the columns a record carries.
ROW_KEYS = codec.FIELDS
#: Largest ``records.jsonl`` accepted (and written): an import holds it in memory. A full export of
#: 10,000 clients with 582,000 records is about 290 MB.
MAX_RECORDS_BYTES = 1024 * 1024 * 1024
#: Largest total size of the ZIP's members accepted (and written): records and documents. Below
#: 4 GiB, so the ZIP needs no ZIP64 extensions (every size and offset fits its 32-bit field).
MAX_UNPACKED_BYTES = 4 * 1024 * 1024 * 1024 - 32 * 1024 * 1024
#: Largest encrypted sync file accepted (4 GiB): the members, the ZIP's headers (about 150 bytes a
#: member) and age's 16 bytes per 64 KiB fit in the 32 MiB between the two limits.
MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024
#: Largest manifest accepted (it lists every document file the sync file carries). It is read
#: before its signature is checked, so it is also bounded in nesting, numbers and text.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
#: Deepest nesting of the manifest accepted (Declara writes 3 levels).
MANIFEST_DEPTH = 8
#: Most bytes of ``records.jsonl`` kept in memory before the manifest's signature is verified: a
#: larger member is only hashed on the first reading and read again once the sender is trusted, so
#: a file from anyone holding this vault's card costs at most this much memory.
KEEP_UNVERIFIED = 32 * 1024 * 1024
#: Largest line of ``records.jsonl`` accepted (a record's fields hold at most
#: desktop.case.names.TEXT_MAX characters per text).
MAX_LINE_BYTES = 64 * 1024 * 1024
#: How an age file starts, and the most bytes its header may take (Declara writes one recipient's
#: stanza, under 300 bytes).
AGE_MAGIC = b"age-encryption.org/v1\n"
MAX_AGE_HEADER = 64 * 1024
#: Bytes of record lines gathered before they are written into the ZIP (and encrypted).
CHUNK = 1 << 20


def damaged() -> SyncError:
    return SyncError(N_("The sync file is damaged or was changed after it was written; nothing was changed."))


def invalid(number: int, problem: str) -> SyncError:
    return SyncError(
        N_("Record {number} of the sync file is not valid ({problem}); nothing was changed."),
        number=number,
        problem=problem,
    )


# -- writing ---------------------------------------------------------------------------------------
def too_large_export(size: int, limit: int) -> SyncError:
    return SyncError(
        N_(
            "The sync file would be too large ({size} MB; a sync file holds at most {limit} MB); "
            "send case packets per client instead. Nothing was written."
        ),
        size=str(-(-size // (1024 * 1024))),
        limit=str(limit // (1024 * 1024)),
    )


def _zip_info(name: str, size: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16
    if size is not None:
        info.file_size = size
        info.extra = unpack.size_extra(size)
    return info


def manifest_bytes(
    own: Identity,
    peer: Peer,
    seq: int,
    count: int,
    sha256: str,
    size: int,
    documents: Iterable[Member] = (),
    *,
    extra: dict[str, Any] | None = None,
) -> bytes:
    """The manifest of file number ``seq`` from this vault to ``peer`` (the bytes that are signed):
    ``records.jsonl``'s SHA-256 and size, and every document member's (version 2 when there are any).
    ``extra``: further sections (``assignments``, :mod:`desktop.sync.assignments`)."""
    listed = [{"name": RECORDS, "sha256": sha256, "size": size}]
    listed += [{"name": DOCUMENTS + m.sha256, "sha256": m.sha256, "size": m.size} for m in documents]
    manifest = {
        "format": FORMAT,
        "version": VERSION if len(listed) > 1 else 1,
        "sender": {"device_id": own.device_id, "name": own.name, "role": own.role},
        "recipient": {"device_id": peer.device_id, "name": peer.name},
        "seq": seq,
        "created_at": now_iso(),
        "records": count,
        "members": listed,
        **(extra or {}),
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def _batches(lines: Iterable[str]) -> Iterator[bytes]:
    batch: list[str] = []
    batch_len = 0
    for line in lines:
        batch.append(line)
        batch_len += len(line)
        if batch_len >= CHUNK:
            yield ("\n".join(batch) + "\n").encode("utf-8")
            batch, batch_len = [], 0
    if batch:
        yield ("\n".join(batch) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Member:
    """A document file a sync file carries: its SHA-256, its size and where its bytes come from."""

    sha256: str
    size: int
    chunks: Callable[[], Iterable[bytes]] | None = None


def payload(
    lines: Iterable[str],
    manifest_for: Callable[[str, int], bytes],
    sign: Callable[[bytes], bytes],
    documents: Iterable[Member] = (),
) -> Iterator[bytes]:
    """The plaintext ZIP, streamed: ``records.jsonl`` first (hashed as it goes), then each document's
    bytes as they come from ``chunks()`` (checked against its SHA-256 and size), then the manifest
    ``manifest_for(sha256, size)`` that names them, then ``sign(manifest)``."""
    sink = stream.Sink()
    sha = hashlib.sha256()
    size = 0
    limit = min(MAX_RECORDS_BYTES, MAX_UNPACKED_BYTES)
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as zf:  # type: ignore[arg-type]
        with zf.open(_zip_info(RECORDS), "w") as member:
            for chunk in _batches(lines):
                size += len(chunk)
                if size > limit:
                    raise too_large_export(size, limit)
                sha.update(chunk)
                member.write(chunk)
                yield sink.take()
        for doc in documents:
            assert doc.chunks is not None
            check, written = hashlib.sha256(), 0
            with zf.open(_zip_info(DOCUMENTS + doc.sha256, doc.size), "w") as member:
                for chunk in doc.chunks():
                    check.update(chunk)
                    written += len(chunk)
                    member.write(chunk)
                    yield sink.take()
            if written != doc.size or check.hexdigest() != doc.sha256:
                raise SyncError(
                    N_("A document file in this vault is damaged ({sha256}); the sync file was not written."),
                    sha256=doc.sha256[:12],
                )
        manifest = manifest_for(sha.hexdigest(), size)
        zf.writestr(_zip_info(MANIFEST), manifest)
        zf.writestr(_zip_info(SIGNATURE), sign(manifest))
    yield sink.take()


# -- reading ---------------------------------------------------------------------------------------
@dataclass
class SyncFile:
    """A decrypted, verified sync file. The documents it carries are not kept: :func:`documents`
    reads them again from ``source`` (verified against the same SHA-256 of the whole file)."""

    sha256: str
    manifest: dict[str, Any]
    sender: Peer
    #: ``records.jsonl`` when it was small enough to keep from the first reading, else None
    #: (then :meth:`record_pieces` decrypts it again, streaming, up to its end)
    records_jsonl: bytes | bytearray | None = field(repr=False)  # plaintext: never in a repr
    documents: dict[str, int] = field(default_factory=dict)  # sha256 -> size
    source: bytes | bytearray | Path = field(default=b"", repr=False)
    #: the SHA-256 and size of ``records.jsonl`` that the signed manifest names
    records_sha256: str = ""
    records_size: int = 0
    #: this vault's identity (to decrypt the records again)
    own: Identity | None = field(default=None, repr=False)

    def record_pieces(self) -> Iterator[bytes]:
        """The bytes of ``records.jsonl`` in pieces, never all in memory when it was not kept;
        read again, it is checked to be the member the manifest names (else :func:`damaged`, at
        the end: an import is one transaction, so nothing it wrote before stays)."""
        if self.records_jsonl is not None:
            held = self.records_jsonl
            for start in range(0, len(held), CHUNK):
                yield bytes(held[start : start + CHUNK])
            return
        assert self.own is not None
        yield from _stream_records(self.source, self.own, self.records_sha256, self.records_size)

    def announced(self) -> int:
        """How many records the manifest says the file holds (0 when it does not say)."""
        count = self.manifest.get("records")
        return count if isinstance(count, int) and count > 0 else 0


def check_sync_path(path: Path) -> Path:
    """``path``, refused before reading when it is larger than an import accepts."""
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise stream.too_large()
    except OSError as exc:
        raise SyncError(N_("The file could not be read ({detail})."), detail=exc.strerror or "") from None
    return Path(path)


def read_sync_path(path: Path) -> bytes:
    """The bytes of a sync file, refused before reading when it is larger than an import accepts
    (call it off the GUI thread). A file with documents is better imported from its path
    (:func:`check_sync_path`), which never holds it whole in memory."""
    return stream.read_bounded(path, MAX_FILE_BYTES)


def _compressed() -> SyncError:
    return SyncError(N_("The sync file is compressed, which Declara never does; nothing was changed."))


def _unexpected(names: Iterable[str]) -> SyncError:
    return SyncError(
        N_("The sync file holds unexpected parts ({names}); nothing was changed."),
        names=", ".join(sorted(names)) or "-",
    )


def _open(raw: bytes | bytearray | Path, own: Identity) -> unpack.Plaintext:
    if isinstance(raw, bytes | bytearray):
        if len(raw) > MAX_FILE_BYTES:
            raise stream.too_large()
        head = bytes(raw[:MAX_AGE_HEADER])
    else:
        check_sync_path(raw)
        try:
            with open(raw, "rb") as fh:
                head = fh.read(MAX_AGE_HEADER)
        except OSError as exc:
            raise SyncError(N_("The file could not be read ({detail})."), detail=exc.strerror or "") from None
    # The age library reads a file that is not age to its end (all of it into memory) before it
    # says so: what does not start with an age header is refused here, unread.
    if not head.startswith(AGE_MAGIC) or b"\n--- " not in head:
        raise unpack._cannot_open()
    return unpack.Plaintext(raw, own.age_identity, MAX_UNPACKED_BYTES + 16 * 1024 * 1024)


def _read_members(
    raw: bytes | bytearray | Path, own: Identity
) -> tuple[dict[str, bytes], dict[str, tuple[str, int]], str, bytearray | None]:
    """First reading: the manifest and its signature (kept: small), the SHA-256 and size of every
    other member, and the SHA-256 of the encrypted file; and ``records.jsonl`` when it is at most
    :data:`KEEP_UNVERIFIED` bytes (else None: the sender is not known to be trusted yet, and a
    larger member is read again once it is, by :meth:`SyncFile.record_pieces`)."""
    kept: dict[str, bytes] = {}
    records: bytearray | None = None
    hashed: dict[str, tuple[str, int]] = {}
    names: list[str] = []
    total = 0
    with _open(raw, own) as plain:
        for name, data in unpack.members(plain, MAX_RECORDS_BYTES, _compressed):
            names.append(name)
            if name in names[:-1]:
                raise _unexpected(names)
            if name in (MANIFEST, SIGNATURE):
                buf = bytearray()
                for piece in data:
                    buf += piece
                    if len(buf) > MAX_MANIFEST_BYTES:
                        raise stream.too_large()
                kept[name] = bytes(buf)
                total += len(buf)
            elif name == RECORDS or _DOCUMENT_MEMBER.fullmatch(name):
                limit = MAX_RECORDS_BYTES if name == RECORDS else MAX_UNPACKED_BYTES
                sha, size = hashlib.sha256(), 0
                held: bytearray | None = bytearray() if name == RECORDS else None
                for piece in data:
                    sha.update(piece)
                    size += len(piece)
                    if size > limit:
                        raise stream.too_large()
                    if held is not None:
                        held += piece
                        if len(held) > KEEP_UNVERIFIED:
                            held = None  # read again once the signature is verified
                if name == RECORDS:
                    records = held
                hashed[name] = (sha.hexdigest(), size)
                total += size
            else:
                raise _unexpected([name])
            if total > MAX_UNPACKED_BYTES:
                raise stream.too_large()
        digest = plain.source.sha256.hexdigest()
    if set(MEMBERS) - set(kept) - set(hashed):
        raise _unexpected(names)
    return kept, hashed, digest, records


def _stream_records(raw: bytes | bytearray | Path, own: Identity, sha256: str, size: int) -> Iterator[bytes]:
    """Second reading, once the signed manifest is verified: ``records.jsonl`` in pieces, which
    must be the ``size`` bytes of SHA-256 ``sha256`` that the manifest names (the file may have
    changed on the disk between the two readings): checked as it goes, and at its end. The rest of
    the file is not read again."""
    sha, pos = hashlib.sha256(), 0
    with _open(raw, own) as plain:
        for name, data in unpack.members(plain, MAX_RECORDS_BYTES, _compressed):
            if name != RECORDS:
                continue
            for piece in data:
                pos += len(piece)
                if pos > size:
                    raise damaged()
                sha.update(piece)
                yield bytes(piece)
            break
    if pos != size or sha.hexdigest() != sha256:
        raise damaged()


def _manifest(raw: bytes) -> dict[str, Any]:
    """The manifest's JSON, read before its signature is checked: bounded (desktop.limits) and
    shaped as Declara writes it, else the file is damaged."""
    try:
        manifest = load_json(
            raw, max_bytes=MAX_MANIFEST_BYTES, where=N_("The manifest"), max_depth=MANIFEST_DEPTH
        )
    except InputRefused:
        raise damaged() from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise damaged()
    sender, recipient, seq = manifest.get("sender"), manifest.get("recipient"), manifest.get("seq")
    if not (isinstance(sender, dict) and isinstance(recipient, dict)):
        raise damaged()
    if not isinstance(manifest.get("members"), list):
        raise damaged()
    if not is_uuid(sender.get("device_id")) or not is_uuid(recipient.get("device_id")):
        raise damaged()
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise damaged()
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise damaged()
    if version not in VERSIONS:
        raise SyncError(
            N_("The sync file has version {version}, which this Declara cannot read; update Declara."),
            version=str(version),
        )
    for member in manifest["members"]:
        if not isinstance(member, dict) or not isinstance(member.get("name"), str):
            raise damaged()
    return manifest


def read_sync_file(vault: Vault, raw: bytes | bytearray | Path) -> SyncFile:
    """Decrypt (streaming) and verify a sync file addressed to this vault; nothing is written.
    ``raw`` is the file's bytes or its path (then it is never held whole in memory). The records
    are held in memory before the sender is known and its signature verified only up to
    :data:`KEEP_UNVERIFIED` bytes; beyond, the file is decrypted a second time for them (as far as
    their end) once it is."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    own = identity(vault)
    members, hashed, digest, records = _read_members(raw, own)
    manifest_raw = members[MANIFEST]
    manifest = _manifest(manifest_raw)
    sender = get_peer(vault, manifest["sender"]["device_id"])
    if sender is None:
        raise SyncError(
            N_("The sync file comes from a device this vault does not trust; nothing was changed.")
        )
    try:
        Ed25519PublicKey.from_public_bytes(sender.signing_key).verify(members[SIGNATURE], manifest_raw)
    except InvalidSignature:
        raise SyncError(
            N_("The sync file's signature is not valid for {name}; nothing was changed."), name=sender.name
        ) from None
    if manifest["recipient"]["device_id"] != own.device_id:
        raise SyncError(N_("The sync file was written for another vault; nothing was changed."))
    listed = {m["name"]: m for m in manifest["members"]}
    records_sha, records_size = hashed.pop(RECORDS)
    documents = hashed
    if set(listed) != {RECORDS} | set(documents) or (documents and manifest["version"] < 2):
        raise damaged()
    if records_sha != listed[RECORDS].get("sha256"):
        raise damaged()
    carried: dict[str, int] = {}
    for name, (sha, size) in documents.items():
        # A document member is named by the SHA-256 of its bytes, which the signed manifest repeats.
        if name != DOCUMENTS + sha or listed[name].get("sha256") != sha or listed[name].get("size") != size:
            raise damaged()
        carried[sha] = size
    return SyncFile(digest, manifest, sender, records, carried, raw, records_sha, records_size, own)


def documents(vault: Vault, sync: SyncFile) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(SHA-256, its bytes in pieces) of each document member of a verified sync file, read again from
    its source. The caller checks each SHA-256 as it stores the bytes; the file is checked at the end
    to be the one verified (the same SHA-256), else :func:`damaged` is raised."""
    with _open(sync.source, identity(vault)) as plain:
        for name, data in unpack.members(plain, MAX_RECORDS_BYTES, _compressed):
            match = _DOCUMENT_MEMBER.fullmatch(name)
            if match is not None and match.group(1) in sync.documents:
                yield match.group(1), data
        if plain.source.sha256.hexdigest() != sync.sha256:
            raise damaged()


def check_line(line: bytes, number: int) -> dict[str, Any]:
    """Line ``number`` of ``records.jsonl`` (without its line end), parsed and checked: the record,
    ``data`` normalised, ``date_lo``/``date_hi`` added. Lines are split on "\\n" only (a text may
    hold U+2028 or U+0085, which ``str.splitlines`` would cut): :mod:`desktop.sync.checker`."""
    try:  # bounded: size, nesting, numbers, text (desktop.limits)
        row = load_json(line, max_bytes=MAX_LINE_BYTES, where=N_("The record"), allow_duplicates=True)
    except InputRefused as exc:
        if exc.reason == "utf8":
            raise damaged() from None
        if exc.reason == "value":
            raise invalid(number, f"{exc.field}: {exc.message()}") from None
        raise invalid(number, "JSON") from None
    return _check_row(row, number)


def _check_row(row: Any, number: int) -> dict[str, Any]:
    """A line's record, checked; ``data`` normalised and ``date_lo``/``date_hi`` added (in place)."""
    if not isinstance(row, dict) or set(row) != set(ROW_KEYS):
        raise invalid(number, "columns")
    if row["kind"] not in KINDS:
        raise invalid(number, "kind")
    for key in ("id", "client_id"):
        if not is_uuid(row[key]):
            raise invalid(number, key)
    if row["parent_id"] is not None and not is_uuid(row["parent_id"]):
        raise invalid(number, "parent_id")
    if row["kind"] == "client" and row["client_id"] != row["id"]:
        raise invalid(number, "client_id")
    if row["kind"] in PARENT_KIND and row["parent_id"] is None:
        raise invalid(number, "parent_id")
    for key in ("position", "rev"):
        if not isinstance(row[key], int) or isinstance(row[key], bool) or abs(row[key]) > MAX_INT:
            raise invalid(number, key)
    if row["rev"] < 1:
        raise invalid(number, "rev")
    if not isinstance(row["deleted"], bool):
        raise invalid(number, "deleted")
    for key in ("created_at", "updated_at", "origin"):
        if not isinstance(row[key], str) or not row[key]:
            raise invalid(number, key)
    if row["ref"] is not None and not isinstance(row["ref"], str):
        raise invalid(number, "ref")
    try:
        row["data"], row["date_lo"], row["date_hi"] = normalise(row["kind"], row["data"], texts_checked=True)
    except ValidationError as exc:
        raise invalid(number, f"{exc.field or '$'}: {exc.message()}") from None
    return row


def normalise(
    kind: str, data: Any, *, texts_checked: bool = False
) -> tuple[dict[str, Any], str | None, str | None]:
    """Validate a record's fields exactly as the store does (``texts_checked``: parsed by
    desktop.limits.load_json, whose checks of text, numbers and nesting are not repeated)."""
    from desktop.case.store import normalise_record

    return normalise_record(kind, data, copy=False, texts_checked=texts_checked)
