"""The sync file format: the ZIP's members, the manifest and its signature, the record lines, the
version and the size limits; writing the plaintext and reading it back verified.

Inside the age encryption is an uncompressed ZIP of exactly :data:`MEMBERS`: ``records.jsonl`` (one
record a line, every column of :data:`desktop.case.codec.FIELDS`, ``data`` as a JSON object), then
``manifest.json`` (which names the SHA-256 and size of ``records.jsonl``), then ``manifest.sig`` (the
sender's Ed25519 signature over the manifest's bytes). Reading checks all of it, and every record
line as strictly as the case store checks an edit, before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.case import codec
from desktop.case.model import KINDS, PARENT_KIND
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.sync import stream
from desktop.sync.devices import Identity, Peer, get_peer, identity, is_uuid
from desktop.sync.errors import SyncError
from desktop.vault.database import Vault, now_iso

FORMAT = "declara-sync"
VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RECORDS = "records.jsonl"
MEMBERS = (MANIFEST, SIGNATURE, RECORDS)
#: The keys of a line of ``records.jsonl``: the columns a record carries.
ROW_KEYS = codec.FIELDS
#: Largest total size of the ZIP's members accepted (and written). A full export of 10,000 clients
#: with 582,000 records is about 290 MB; an import holds the file and its plaintext in memory.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: Largest encrypted sync file accepted: the members, the ZIP's headers, age's 16 bytes per 64 KiB.
MAX_FILE_BYTES = MAX_UNPACKED_BYTES + 32 * 1024 * 1024
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
def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16
    return info


def manifest_bytes(own: Identity, peer: Peer, seq: int, count: int, sha256: str, size: int) -> bytes:
    """The manifest of file number ``seq`` from this vault to ``peer`` (the bytes that are signed)."""
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "sender": {"device_id": own.device_id, "name": own.name, "role": own.role},
        "recipient": {"device_id": peer.device_id, "name": peer.name},
        "seq": seq,
        "created_at": now_iso(),
        "records": count,
        "members": [{"name": RECORDS, "sha256": sha256, "size": size}],
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


def payload(
    lines: Iterable[str], manifest_for: Callable[[str, int], bytes], sign: Callable[[bytes], bytes]
) -> Iterator[bytes]:
    """The plaintext ZIP, streamed: ``records.jsonl`` first (hashed as it goes), then the manifest
    ``manifest_for(sha256, size)`` that names its SHA-256 and size, then ``sign(manifest)``."""
    sink = stream.Sink()
    sha = hashlib.sha256()
    size = 0
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as zf:  # type: ignore[arg-type]
        with zf.open(_zip_info(RECORDS), "w") as member:
            for chunk in _batches(lines):
                size += len(chunk)
                if size > MAX_UNPACKED_BYTES:
                    raise SyncError(
                        N_("The sync file would be too large; send case packets per client instead.")
                    )
                sha.update(chunk)
                member.write(chunk)
                yield sink.take()
        manifest = manifest_for(sha.hexdigest(), size)
        zf.writestr(_zip_info(MANIFEST), manifest)
        zf.writestr(_zip_info(SIGNATURE), sign(manifest))
    yield sink.take()


# -- reading ---------------------------------------------------------------------------------------
@dataclass
class SyncFile:
    """A decrypted, verified sync file."""

    sha256: str
    manifest: dict[str, Any]
    sender: Peer
    records_jsonl: bytes

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(line number, checked and normalised record) for each record, in file order."""
        return _iter_records(self.records_jsonl)

    def announced(self) -> int:
        """How many records the manifest says the file holds (0 when it does not say)."""
        count = self.manifest.get("records")
        return count if isinstance(count, int) and count > 0 else 0


def read_sync_path(path: Path) -> bytes:
    """The bytes of a sync file, refused before reading when it is larger than an import accepts
    (call it off the GUI thread: a whole office's file is hundreds of MB)."""
    return stream.read_bounded(path, MAX_FILE_BYTES)


def _read_zip(payload: bytes) -> dict[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise damaged() from None
    names = [i.filename for i in infos]
    if sorted(names) != sorted(MEMBERS) or len(set(names)) != len(names):
        raise SyncError(
            N_("The sync file holds unexpected parts ({names}); nothing was changed."),
            names=", ".join(sorted(names)) or "-",
        )
    if any(i.compress_type != zipfile.ZIP_STORED for i in infos):
        raise SyncError(N_("The sync file is compressed, which Declara never does; nothing was changed."))
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise stream.too_large()
    members: dict[str, bytes] = {}
    try:
        for info in infos:
            members[info.filename] = zf.read(info)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise damaged() from None
    return members


def read_sync_file(vault: Vault, raw: bytes) -> SyncFile:
    """Decrypt (in memory) and verify a sync file addressed to this vault; nothing is written."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if len(raw) > MAX_FILE_BYTES:
        raise stream.too_large()
    own = identity(vault)
    members = _read_zip(stream.decrypt(raw, own.age_identity))
    manifest_raw = members[MANIFEST]
    try:
        manifest = json.loads(manifest_raw.decode("utf-8"))
        sender_id = manifest["sender"]["device_id"]
        recipient_id = manifest["recipient"]["device_id"]
        seq = manifest["seq"]
        listed = {m["name"]: m for m in manifest["members"]}
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise damaged() from None
    if manifest.get("format") != FORMAT or not isinstance(seq, int) or seq < 1:
        raise damaged()
    if manifest.get("version") != VERSION:
        raise SyncError(
            N_("The sync file has version {version}, which this Declara cannot read; update Declara."),
            version=str(manifest.get("version")),
        )
    sender = get_peer(vault, sender_id) if isinstance(sender_id, str) else None
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
    if recipient_id != own.device_id:
        raise SyncError(N_("The sync file was written for another vault; nothing was changed."))
    if set(listed) != {RECORDS}:
        raise damaged()
    if hashlib.sha256(members[RECORDS]).hexdigest() != listed[RECORDS].get("sha256"):
        raise damaged()
    return SyncFile(hashlib.sha256(raw).hexdigest(), manifest, sender, members[RECORDS])


def _iter_records(raw: bytes) -> Iterator[tuple[int, dict[str, Any]]]:
    """Split on "\\n" only (a text may hold U+2028 or U+0085, which ``str.splitlines`` would cut)."""
    seen: set[str] = set()
    pos, number, end = 0, 0, len(raw)
    while pos < end:
        nl = raw.find(b"\n", pos)
        if nl < 0:
            nl = end
        line = raw[pos:nl]
        pos = nl + 1
        number += 1
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except UnicodeDecodeError:
            raise damaged() from None
        except ValueError:
            raise invalid(number, "JSON") from None
        _check_row(row, number)
        if row["id"] in seen:
            raise invalid(number, "id")
        seen.add(row["id"])
        yield number, row


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
        if not isinstance(row[key], int) or isinstance(row[key], bool):
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
        row["data"], row["date_lo"], row["date_hi"] = normalise(row["kind"], row["data"])
    except ValidationError as exc:
        raise invalid(number, f"{exc.field or '$'}: {exc.message()}") from None
    return row


def normalise(kind: str, data: Any) -> tuple[dict[str, Any], str | None, str | None]:
    """Validate a record's fields exactly as the store does."""
    from desktop.case.store import normalise_record

    return normalise_record(kind, data, copy=False)
