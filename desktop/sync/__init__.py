"""Sync files: laptops carry their work to the office, the office sends case packets back.

Every vault is a *laptop* or the *office*. Its sync identity lives inside the encrypted vault
(``sync_identity``): a device id, a name, an Ed25519 signing key and an age X25519 identity. A
device's public *card* (name, role, device id, age recipient, signing key, fingerprint) is enrolled
on the other side with :func:`trust` after comparing the fingerprint by phone; files from devices
that are not enrolled are refused.

A sync file is age-encrypted (X25519, to the recipient's card) so ``age -d -i identity.txt FILE``
opens it. Inside is an uncompressed ZIP holding exactly three members:

``manifest.json``
    format ``declara-sync``, version 1, sender (device id and name), recipient device id, the
    sender's sequence number, created_at, and the SHA-256 and size of ``records.jsonl``;
``manifest.sig``
    the sender's Ed25519 signature over the bytes of ``manifest.json`` (64 raw bytes);
``records.jsonl``
    one record per line with every column of ``records`` (``data`` as a JSON object).

Importing verifies all of that, backs the vault up, then applies everything or nothing. Records are
merged field by field (the top-level keys of ``data``, the tombstone and the position) against
``sync_base``, the state last agreed with that peer: a side that did not change a field yields to the
side that did; when both changed it differently the local value is kept and a row is added to
``sync_conflicts`` for the user to resolve (:func:`list_conflicts`, :func:`resolve_conflict`).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import os
import re
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.case import search, summary
from desktop.errors import DeclaraError, NotFound, ValidationError
from desktop.i18n import N_
from desktop.vault.fsutil import fsync_dir
from desktop.case.model import KINDS, PARENT_KIND
from desktop.vault.database import Vault, db_path, now_iso

FORMAT = "declara-sync"
VERSION = 1
CARD_FORMAT = "declara-card"
CARD_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RECORDS = "records.jsonl"
MEMBERS = (MANIFEST, SIGNATURE, RECORDS)
ROLES = ("laptop", "office")
#: Largest total size of the ZIP's members accepted (and written). A full export of 10,000 clients
#: with 582,000 records is about 290 MB; an import holds the file and its plaintext in memory.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: Largest encrypted sync file accepted: the members, the ZIP's headers, age's 16 bytes per 64 KiB.
MAX_FILE_BYTES = MAX_UNPACKED_BYTES + 32 * 1024 * 1024
#: Largest card file accepted.
MAX_CARD_BYTES = 64 * 1024
BACKUP_DIR = "backups"
#: Pre-import copies kept in VAULT/backups (the newest); older ones are deleted after an import.
KEEP_BACKUPS = 5

#: Conflict field names for the parts of a record that are not keys of ``data``.
DELETED_FIELD = "@deleted"
POSITION_FIELD = "@position"

_ROW_KEYS = (
    "id",
    "kind",
    "client_id",
    "parent_id",
    "position",
    "ref",
    "data",
    "rev",
    "created_at",
    "updated_at",
    "origin",
    "deleted",
)
_SELECT = ", ".join(_ROW_KEYS)
_MISSING: Any = object()


class SyncError(DeclaraError):
    """A sync file, card or peer was refused; the vault is unchanged."""

    default_message = N_("The sync file was refused; nothing was changed.")


# -- small helpers -------------------------------------------------------------------------------
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _canonical(obj: Any) -> bytes:
    return _ENCODER.encode(obj).encode("utf-8")


def _dump(obj: Any) -> str:
    return _ENCODER.encode(obj)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def group_fingerprint(hexdigest: str) -> str:
    """'3f2a9c1b…' -> '3F2A 9C1B …' (groups of four, easy to read aloud)."""
    text = hexdigest.upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def fingerprint(device_id: str, name: str, role: str, age_recipient: str, signing_key: bytes) -> str:
    """SHA-256 of the canonical JSON of a card's public parts, grouped for reading aloud."""
    parts = {
        "device_id": device_id,
        "name": name,
        "role": role,
        "age_recipient": age_recipient,
        "signing_key": _b64(signing_key),
    }
    return group_fingerprint(hashlib.sha256(_canonical(parts)).hexdigest())


def _normalise_fingerprint(text: str) -> str:
    return re.sub(r"[^0-9A-F]", "", text.upper())


# -- identity ------------------------------------------------------------------------------------
@dataclass
class Identity:
    """This vault's sync identity (private parts included: never written outside the vault)."""

    device_id: str
    name: str
    role: str
    signing_key: bytes
    age_identity: str
    last_seq: int

    @property
    def signing_public(self) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        key = Ed25519PrivateKey.from_private_bytes(self.signing_key)
        return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def age_recipient(self) -> str:
        from pyrage import x25519

        return str(x25519.Identity.from_str(self.age_identity).to_public())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.device_id, self.name, self.role, self.age_recipient, self.signing_public)

    def card(self) -> dict[str, Any]:
        """The public card another device enrolls."""
        return {
            "format": CARD_FORMAT,
            "version": CARD_VERSION,
            "device_id": self.device_id,
            "name": self.name,
            "role": self.role,
            "age_recipient": self.age_recipient,
            "signing_key": _b64(self.signing_public),
            "fingerprint": self.fingerprint,
        }

    def sign(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.signing_key).sign(message)


@dataclass
class Peer:
    """An enrolled device."""

    device_id: str
    name: str
    role: str
    age_recipient: str
    signing_key: bytes
    fingerprint: str
    enrolled_at: str


def _default_name(vault: Vault, role: str) -> str:
    return "Office" if role == "office" else f"Laptop {vault.device_id[:8]}"


def identity(vault: Vault, *, name: str | None = None) -> Identity:
    """This vault's sync identity, created (keys generated) on first use."""
    row = vault.conn.execute(
        "SELECT name, role, signing_key, age_identity, last_seq FROM sync_identity WHERE id = 1"
    ).fetchone()
    if row is None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
        from pyrage import x25519

        role = vault.meta("role") or "laptop"
        role = role if role in ROLES else "laptop"
        signing = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        age_identity = str(x25519.Identity.generate())
        with vault.transaction() as conn:
            conn.execute(
                "INSERT INTO sync_identity (id, name, role, signing_key, age_identity, last_seq, created_at)"
                " VALUES (1, ?, ?, ?, ?, 0, ?)",
                (name or _default_name(vault, role), role, signing, age_identity, now_iso()),
            )
        return identity(vault)
    ident = Identity(vault.device_id, row[0], row[1], bytes(row[2]), row[3], int(row[4]))
    if name and name != ident.name:
        with vault.transaction() as conn:
            conn.execute("UPDATE sync_identity SET name = ? WHERE id = 1", (name,))
        ident.name = name
    return ident


def make_office(vault: Vault, *, name: str | None = None) -> Identity:
    """Make this vault the office (before any device is enrolled); returns its identity."""
    ident = identity(vault)
    if ident.role == "office":
        return identity(vault, name=name)
    if peers(vault):
        raise SyncError(N_("This vault already trusts other devices; it cannot become the office any more."))
    with vault.transaction() as conn:
        conn.execute("UPDATE meta SET value = 'office' WHERE key = 'role'")
        conn.execute(
            "UPDATE sync_identity SET role = 'office', name = ? WHERE id = 1",
            (name or ("Office" if ident.name == _default_name(vault, "laptop") else ident.name),),
        )
    return identity(vault)


def export_identity(vault: Vault) -> str:
    """The age identity file's text (``age -d -i FILE`` decrypts the files sent to this vault)."""
    ident = identity(vault)
    return (
        f"# Declara sync identity of {ident.name} ({ident.device_id})\n"
        f"# public key: {ident.age_recipient}\n"
        f"{ident.age_identity}\n"
    )


# -- cards and peers -----------------------------------------------------------------------------
def parse_card(raw: bytes) -> dict[str, Any]:
    """A card read from a file, checked for shape and for its own fingerprint."""
    bad = SyncError(N_("This is not a Declara device card, or it is damaged."))
    if len(raw) > MAX_CARD_BYTES:
        raise bad
    try:
        card = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad from None
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT or card.get("version") != CARD_VERSION:
        raise bad
    for key in ("device_id", "name", "role", "age_recipient", "signing_key", "fingerprint"):
        if not isinstance(card.get(key), str) or not card[key]:
            raise bad
    if not _is_uuid(card["device_id"]) or card["role"] not in ROLES:
        raise bad
    try:
        from pyrage import x25519

        x25519.Recipient.from_str(card["age_recipient"])
        signing = base64.b64decode(card["signing_key"], validate=True)
    except Exception:  # noqa: BLE001 - any parse failure means a damaged card
        raise bad from None
    if len(signing) != 32:
        raise bad
    expected = fingerprint(card["device_id"], card["name"], card["role"], card["age_recipient"], signing)
    if _normalise_fingerprint(card["fingerprint"]) != _normalise_fingerprint(expected):
        raise bad
    card["fingerprint"] = expected
    card["signing_key_bytes"] = signing
    return card


def read_card(path: Path) -> dict[str, Any]:
    """Read and check a card file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CARD_BYTES:
            raise SyncError(N_("This is not a Declara device card, or it is damaged."))
        raw = path.read_bytes()
    except OSError:
        raise SyncError(N_("The card {path} cannot be read."), path=str(path)) from None
    return parse_card(raw)


def _row_to_peer(row: Any) -> Peer:
    return Peer(row[0], row[1], row[2], row[3], bytes(row[4]), row[5], row[6])


_PEER_COLUMNS = "device_id, name, role, age_recipient, signing_key, fingerprint, enrolled_at"


def peers(vault: Vault) -> list[Peer]:
    """The enrolled devices, by name."""
    rows = vault.conn.execute(f"SELECT {_PEER_COLUMNS} FROM sync_peers ORDER BY name, device_id")
    return [_row_to_peer(r) for r in rows]


def get_peer(vault: Vault, device_id: str) -> Peer | None:
    row = vault.conn.execute(
        f"SELECT {_PEER_COLUMNS} FROM sync_peers WHERE device_id = ?", (device_id,)
    ).fetchone()
    return _row_to_peer(row) if row else None


def trust(vault: Vault, card: dict[str, Any], *, expected_fingerprint: str | None = None) -> Peer:
    """Enroll a device's card (already parsed by :func:`parse_card`); idempotent for the same card."""
    if expected_fingerprint is not None and _normalise_fingerprint(expected_fingerprint) != (
        _normalise_fingerprint(card["fingerprint"])
    ):
        raise SyncError(
            N_("The card's fingerprint is not the one you were given; the device was not trusted.")
        )
    own = identity(vault)
    if card["device_id"] == own.device_id:
        raise SyncError(N_("This is this vault's own card."))
    signing = card.get("signing_key_bytes") or base64.b64decode(card["signing_key"])
    existing = get_peer(vault, card["device_id"])
    if existing is not None:
        if existing.fingerprint == card["fingerprint"]:
            return existing
        raise SyncError(
            N_("A different card for the device {name} is already trusted; the new card was not accepted."),
            name=existing.name,
        )
    with vault.transaction() as conn:
        conn.execute(
            f"INSERT INTO sync_peers ({_PEER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                card["device_id"],
                card["name"],
                card["role"],
                card["age_recipient"],
                signing,
                card["fingerprint"],
                now_iso(),
            ),
        )
    peer = get_peer(vault, card["device_id"])
    assert peer is not None
    return peer


def find_peer(vault: Vault, token: str) -> Peer:
    """An enrolled device by device id or name (case-insensitive)."""
    token = token.strip()
    found = get_peer(vault, token)
    if found:
        return found
    matches = [p for p in peers(vault) if p.name.casefold() == token.casefold()]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise SyncError(N_("More than one trusted device is called {name}; use its device id."), name=token)
    raise SyncError(N_("No trusted device is called {name}."), name=token)


# -- export --------------------------------------------------------------------------------------
@dataclass
class ExportResult:
    """What :func:`export_sync` wrote."""

    data: bytes
    peer: Peer
    seq: int
    records: int


def _state(data: dict[str, Any], deleted: bool, position: int) -> dict[str, Any]:
    return {"data": data, "deleted": bool(deleted), "position": int(position)}


def _row_dict(row: Any) -> dict[str, Any]:
    out = dict(zip(_ROW_KEYS, row, strict=True))
    out["data"] = json.loads(out["data"])
    out["deleted"] = bool(out["deleted"])
    return out


# The line of records.jsonl and the merge-base state of one record, built by SQLite itself: the
# stored ``data`` is already canonical JSON, so Python never parses and re-serialises it on export.
_DELETED_JSON = "json(CASE WHEN r.deleted THEN 'true' ELSE 'false' END)"
_LINE_VALUES = {"data": "json(r.data)", "deleted": _DELETED_JSON}
_LINE_SQL = "json_object(" + ", ".join(f"'{k}', {_LINE_VALUES.get(k, f'r.{k}')}" for k in _ROW_KEYS) + ")"
_CHUNK = 1 << 20


class _Sink:
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


def _encrypt(reader: _Pull, fh: Any, recipient: Any) -> None:
    """Encrypt what ``reader`` yields into ``fh``; the original error when either side failed."""
    from pyrage import EncryptError, encrypt_io

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


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16
    return info


def _payload(lines: Iterable[str], manifest_for: Any, sign: Any) -> Iterator[bytes]:
    """The plaintext ZIP, streamed: ``records.jsonl`` first (hashed as it goes), then the manifest
    that names its SHA-256 and size, then the manifest's signature."""
    sink = _Sink()
    sha = hashlib.sha256()
    size = 0

    def _batches() -> Iterator[bytes]:
        batch: list[str] = []
        batch_len = 0
        for line in lines:
            batch.append(line)
            batch_len += len(line)
            if batch_len >= _CHUNK:
                yield ("\n".join(batch) + "\n").encode("utf-8")
                batch, batch_len = [], 0
        if batch:
            yield ("\n".join(batch) + "\n").encode("utf-8")

    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as zf:  # type: ignore[arg-type]
        with zf.open(_zip_info(RECORDS), "w") as member:
            for chunk in _batches():
                size += len(chunk)
                if size > MAX_UNPACKED_BYTES:
                    raise SyncError(
                        N_("The sync file would be too large; send case packets per client instead.")
                    )
                sha.update(chunk)
                member.write(chunk)
                yield sink.take()
        manifest_bytes = manifest_for(sha.hexdigest(), size)
        zf.writestr(_zip_info(MANIFEST), manifest_bytes)
        zf.writestr(_zip_info(SIGNATURE), sign(manifest_bytes))
    yield sink.take()


def export_sync(
    vault: Vault,
    peer: Peer | str,
    *,
    full: bool = False,
    clients: Iterable[str] | None = None,
    out: Path | None = None,
) -> ExportResult:
    """Write a sync file for ``peer``: every record it has not seen from this vault.

    ``full`` sends everything; ``clients`` limits the file to those clients' records (a case
    packet). Sent revisions and the sent state (the new merge base) are remembered. With ``out``
    the file is streamed there (0600, a temporary name renamed into place once complete, inside the
    same transaction) and ``data`` is empty; without it the file is returned in ``data``.
    Nothing in plaintext touches the disk: the ZIP is produced and encrypted in memory, in chunks.
    """
    from pyrage import x25519

    own = identity(vault)
    if isinstance(peer, str):
        peer = find_peer(vault, peer)
    recipient = x25519.Recipient.from_str(peer.age_recipient)
    params: list[Any] = []
    where: list[str] = []
    client_ids = None if clients is None else [c for c in clients if c]
    if client_ids is not None:
        for cid in client_ids:
            row = vault.conn.execute(
                "SELECT 1 FROM records WHERE id = ? AND kind = 'client'", (cid,)
            ).fetchone()
            if row is None:
                raise NotFound(N_("No client with the id or A-number “{token}”."), token=cid)
        where.append(f"r.client_id IN ({','.join('?' * len(client_ids))})")
        params += client_ids
    if not full:
        where.append(
            "r.rev > coalesce((SELECT s.rev FROM sync_sent s WHERE s.peer = ? AND s.record_id = r.id), 0)"
        )
        params.append(peer.device_id)
    cond = " AND ".join(where) or "1"
    placed: list[Path] = []  # the file, once renamed into place
    try:
        return _export_in_transaction(vault, own, peer, recipient, cond, params, out, placed)
    except BaseException:
        # The file names a sequence number the vault did not record (the commit failed, say, on a
        # full disk): a second file with that number would be refused as a replay. Take it back.
        for path in placed:
            path.unlink(missing_ok=True)
        raise


def _export_in_transaction(
    vault: Vault,
    own: Identity,
    peer: Peer,
    recipient: Any,
    cond: str,
    params: list[Any],
    out: Path | None,
    placed: list[Path],
) -> ExportResult:
    with vault.transaction() as conn:
        # The rows of this file, in order: clients first, then the rest (each in storage order).
        conn.execute("DROP TABLE IF EXISTS temp.sync_export")
        conn.execute("CREATE TEMP TABLE sync_export (n INTEGER PRIMARY KEY, rid INTEGER NOT NULL)")
        for kind_cond in ("r.kind = 'client'", "r.kind != 'client'"):
            conn.execute(
                f"INSERT INTO temp.sync_export (rid) SELECT r.rowid FROM records r "
                f"WHERE {kind_cond} AND {cond} ORDER BY r.rowid",
                params,
            )
        count = conn.execute("SELECT count(*) FROM temp.sync_export").fetchone()[0]
        seq = own.last_seq + 1
        joined = "FROM temp.sync_export e JOIN records r ON r.rowid = e.rid"

        def lines() -> Iterator[str]:
            cursor = conn.execute(f"SELECT {_LINE_SQL} {joined} ORDER BY e.n")
            while rows := cursor.fetchmany(2048):
                for (line,) in rows:
                    yield line

        def manifest_for(sha256: str, size: int) -> bytes:
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

        reader = _Pull(_payload(lines(), manifest_for, own.sign))
        data = b""
        if out is None:
            buf = io.BytesIO()
            _encrypt(reader, buf, recipient)
            data = buf.getvalue()
            tmp = None
        else:
            out = Path(out)
            tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "wb") as fh:
                    _encrypt(reader, fh, recipient)
                    fh.flush()
                    os.fsync(fh.fileno())
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        try:
            conn.execute("UPDATE sync_identity SET last_seq = ? WHERE id = 1", (seq,))
            conn.execute(
                # In id order: the primary keys are appended to, not split all over the file.
                f"INSERT INTO sync_sent (peer, record_id, rev) SELECT ?, r.id, r.rev {joined} ORDER BY r.id "
                "ON CONFLICT (peer, record_id) DO UPDATE SET rev = excluded.rev",
                (peer.device_id,),
            )
            # The new merge base is what was sent: the record as it is now (NULL, see migration 5).
            conn.execute(
                f"INSERT INTO sync_base (peer, record_id, their_rev, data) SELECT ?, r.id, 0, NULL "
                f"{joined} ORDER BY r.id ON CONFLICT (peer, record_id) DO UPDATE SET data = NULL",
                (peer.device_id,),
            )
            conn.execute("DROP TABLE temp.sync_export")
            if tmp is not None and out is not None:
                os.replace(tmp, out)
                placed.append(out)
                fsync_dir(out.parent)
        except BaseException:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            raise
    return ExportResult(data=data, peer=peer, seq=seq, records=count)


# -- import: reading and checking ------------------------------------------------------------------
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


@dataclass
class ImportResult:
    """What :func:`import_sync` did."""

    sender: str
    seq: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    already_applied: bool = False
    backup: Path | None = None
    clients: set[str] = field(default_factory=set)


def _damaged() -> SyncError:
    return SyncError(N_("The sync file is damaged or was changed after it was written; nothing was changed."))


def _read_zip(payload: bytes) -> dict[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _damaged() from None
    names = [i.filename for i in infos]
    if sorted(names) != sorted(MEMBERS) or len(set(names)) != len(names):
        raise SyncError(
            N_("The sync file holds unexpected parts ({names}); nothing was changed."),
            names=", ".join(sorted(names)) or "-",
        )
    if any(i.compress_type != zipfile.ZIP_STORED for i in infos):
        raise SyncError(N_("The sync file is compressed, which Declara never does; nothing was changed."))
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise SyncError(N_("The sync file is too large; nothing was changed."))
    members: dict[str, bytes] = {}
    try:
        for info in infos:
            members[info.filename] = zf.read(info)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _damaged() from None
    return members


def read_sync_file(vault: Vault, raw: bytes) -> SyncFile:
    """Decrypt (in memory) and verify a sync file addressed to this vault; nothing is written."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from pyrage import DecryptError, decrypt, x25519

    if len(raw) > MAX_FILE_BYTES:
        raise SyncError(N_("The sync file is too large; nothing was changed."))
    own = identity(vault)
    try:
        payload = decrypt(raw, [x25519.Identity.from_str(own.age_identity)])
    except DecryptError:
        raise SyncError(
            N_(
                "The sync file cannot be opened: it was written for another vault, or it is damaged. "
                "Nothing was changed."
            )
        ) from None
    members = _read_zip(payload)
    manifest_bytes = members[MANIFEST]
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        sender_id = manifest["sender"]["device_id"]
        recipient_id = manifest["recipient"]["device_id"]
        seq = manifest["seq"]
        listed = {m["name"]: m for m in manifest["members"]}
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise _damaged() from None
    if manifest.get("format") != FORMAT or not isinstance(seq, int) or seq < 1:
        raise _damaged()
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
        Ed25519PublicKey.from_public_bytes(sender.signing_key).verify(members[SIGNATURE], manifest_bytes)
    except InvalidSignature:
        raise SyncError(
            N_("The sync file's signature is not valid for {name}; nothing was changed."), name=sender.name
        ) from None
    if recipient_id != own.device_id:
        raise SyncError(N_("The sync file was written for another vault; nothing was changed."))
    if set(listed) != {RECORDS}:
        raise _damaged()
    if hashlib.sha256(members[RECORDS]).hexdigest() != listed[RECORDS].get("sha256"):
        raise _damaged()
    return SyncFile(hashlib.sha256(raw).hexdigest(), manifest, sender, members[RECORDS])


def _invalid(number: int, problem: str) -> SyncError:
    return SyncError(
        N_("Record {number} of the sync file is not valid ({problem}); nothing was changed."),
        number=number,
        problem=problem,
    )


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
            raise _damaged() from None
        except ValueError:
            raise _invalid(number, "JSON") from None
        _check_row(row, number)
        if row["id"] in seen:
            raise _invalid(number, "id")
        seen.add(row["id"])
        yield number, row


def _check_row(row: Any, number: int) -> dict[str, Any]:
    if not isinstance(row, dict) or set(row) != set(_ROW_KEYS):
        raise _invalid(number, "columns")
    if row["kind"] not in KINDS:
        raise _invalid(number, "kind")
    for key in ("id", "client_id"):
        if not _is_uuid(row[key]):
            raise _invalid(number, key)
    if row["parent_id"] is not None and not _is_uuid(row["parent_id"]):
        raise _invalid(number, "parent_id")
    if row["kind"] == "client" and row["client_id"] != row["id"]:
        raise _invalid(number, "client_id")
    if row["kind"] in PARENT_KIND and row["parent_id"] is None:
        raise _invalid(number, "parent_id")
    for key in ("position", "rev"):
        if not isinstance(row[key], int) or isinstance(row[key], bool):
            raise _invalid(number, key)
    if row["rev"] < 1:
        raise _invalid(number, "rev")
    if not isinstance(row["deleted"], bool):
        raise _invalid(number, "deleted")
    for key in ("created_at", "updated_at", "origin"):
        if not isinstance(row[key], str) or not row[key]:
            raise _invalid(number, key)
    if row["ref"] is not None and not isinstance(row["ref"], str):
        raise _invalid(number, "ref")
    try:
        row["data"], row["date_lo"], row["date_hi"] = _normalise(row["kind"], row["data"])
    except ValidationError as exc:
        raise _invalid(number, f"{exc.field or '$'}: {exc.message()}") from None
    return row


def _normalise(kind: str, data: Any) -> tuple[dict[str, Any], str | None, str | None]:
    """Validate a record's fields exactly as the store does."""
    from desktop.case.store import normalise_record

    return normalise_record(kind, data, copy=False)


# -- import: merging -------------------------------------------------------------------------------
def _backup(vault: Vault) -> Path:
    """Copy the (encrypted) database into VAULT/backups before an import; same key as the vault."""
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = vault.path / BACKUP_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = now_iso().replace(":", "").replace("-", "").replace(".", "")
    target = folder / f"before-import-{stamp}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"before-import-{stamp}-{counter}.db"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as dst, open(db_path(vault.path), "rb") as src:
        shutil.copyfileobj(src, dst)
        dst.flush()
        os.fsync(dst.fileno())
    return target


def _prune_backups(folder: Path, keep: int) -> None:
    """After a successful import, delete all but the ``keep`` newest pre-import copies (each is a
    whole database: an office importing daily would otherwise fill its disk). Never fails."""
    try:
        copies = sorted(
            (p for p in folder.glob("before-import-*.db") if p.is_file()),
            key=lambda p: (p.stat().st_mtime_ns, p.name),
        )
    except OSError:
        return
    for old in copies[: max(len(copies) - keep, 0)]:
        try:
            old.unlink()
        except OSError:
            pass


def _merge_value(local: Any, base: Any, theirs: Any) -> str:
    """Which side wins one field: "mine", "theirs" or "conflict" (_MISSING is an absent key)."""
    if local == theirs or theirs == base:
        return "mine"
    if local == base:
        return "theirs"
    return "conflict"


def _json_or_null(value: Any) -> str | None:
    return None if value is _MISSING else _dump(value)


def read_sync_path(path: Path) -> bytes:
    """The bytes of a sync file, refused before reading when it is larger than an import accepts
    (call it off the GUI thread: a whole office's file is hundreds of MB)."""
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise SyncError(N_("The sync file is too large; nothing was changed."))
        return Path(path).read_bytes()
    except OSError as exc:
        raise SyncError(N_("The file could not be read ({detail})."), detail=exc.strerror or "") from None


Progress = Callable[[int, int], None]


def import_sync(
    vault: Vault, raw: bytes, *, backup: bool = True, progress: Progress | None = None
) -> ImportResult:
    """Verify and apply a sync file, all or nothing; an exact re-import is a no-op.

    ``progress(done, total)`` is called (from the importing thread) as records are applied; total
    is the count the manifest announces."""
    sync = read_sync_file(vault, raw)
    peer = sync.sender.device_id
    seq = int(sync.manifest["seq"])
    result = ImportResult(sender=sync.sender.name, seq=seq)
    applied = vault.conn.execute(
        "SELECT sha256 FROM sync_applied WHERE peer = ? AND seq = ?", (peer, seq)
    ).fetchone()
    if applied is not None:
        if applied[0] == sync.sha256:
            result.already_applied = True
            return result
        raise SyncError(
            N_(
                "A different file numbered {seq} from {name} was already imported; this one is an old "
                "or replayed copy and was refused."
            ),
            seq=seq,
            name=sync.sender.name,
        )
    if backup:
        result.backup = _backup(vault)
    # A big import touches index pages all over the file: a larger page cache for its duration
    # (decrypted pages are not re-read and re-decrypted), then back to the usual size.
    cache = vault.conn.execute("PRAGMA cache_size").fetchone()[0]
    vault.conn.execute(f"PRAGMA cache_size = {-_IMPORT_CACHE_KIB}")
    # Every client and parent a record names is checked by _apply_all (in the file or in the
    # vault); SQLite's own per-row foreign-key lookups doubled the insert time, so they are off
    # for the import's transaction (the pragma cannot change inside one) and back on after it.
    vault.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with vault.transaction() as conn:
            bulk = _bulk_indexes(conn, sync)
            for name, _sql in bulk:
                conn.execute(f"DROP INDEX {name}")
            _apply_all(vault, conn, peer, sync, result, progress)
            for _name, sql in bulk:
                conn.execute(sql)
            if len(result.clients) > _REBUILD_ABOVE:
                search.rebuild_index(conn)
                summary.rebuild(conn)
            else:
                for client_id in sorted(result.clients):
                    _refresh_client(conn, client_id)
            conn.execute(
                "INSERT INTO sync_applied (peer, seq, sha256, applied_at) VALUES (?, ?, ?, ?)",
                (peer, seq, sync.sha256, now_iso()),
            )
    except BaseException:
        if result.backup is not None:
            result.backup.unlink(missing_ok=True)  # nothing was changed: the backup is not needed
            try:
                result.backup.parent.rmdir()  # only when it was the first, now empty
            except OSError:
                pass
            result.backup = None
        raise
    finally:
        vault.conn.execute("PRAGMA foreign_keys = ON")
        vault.conn.execute(f"PRAGMA cache_size = {int(cache)}")
    if result.backup is not None:
        _prune_backups(result.backup.parent, KEEP_BACKUPS)
    return result


def _bulk_indexes(conn: Any, sync: SyncFile) -> list[tuple[str, str]]:
    """The secondary indexes of ``records`` (name, SQL) to drop during an import that brings more
    records than the vault holds (a first sync, a whole office): building them once afterwards is
    faster than updating them record by record. Dropped and rebuilt inside the import's
    transaction, so a failed import leaves them as they were."""
    incoming = sync.manifest.get("records")
    if not isinstance(incoming, int) or incoming < _BULK_MIN:
        return []
    held = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    if incoming <= held:
        return []
    return [
        (str(name), str(sql))
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' "
            "AND sql IS NOT NULL ORDER BY name"
        )
    ]


#: Smallest import (records) for which the secondary indexes are rebuilt rather than updated.
_BULK_MIN = 5000
#: Page cache during an import (KiB).
_IMPORT_CACHE_KIB = 256 * 1024
#: Records read, checked and written per batch during an import.
_BATCH = 2000
#: Above this many clients touched, the search index and summaries are rebuilt whole.
_REBUILD_ABOVE = 2000
_INSERT_RECORD = (
    f"INSERT INTO records ({_SELECT}, date_lo, date_hi) VALUES ({', '.join('?' * 14)})"
)
_INSERT_SENT = (
    "INSERT INTO sync_sent (peer, record_id, rev) VALUES (?, ?, ?) "
    "ON CONFLICT (peer, record_id) DO UPDATE SET rev = max(rev, excluded.rev)"
)
_INSERT_BASE = (
    "INSERT INTO sync_base (peer, record_id, their_rev, data) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (peer, record_id) DO UPDATE SET their_rev = excluded.their_rev, data = excluded.data"
)


def _apply_all(
    vault: Vault,
    conn: Any,
    peer: str,
    sync: SyncFile,
    result: ImportResult,
    progress: Progress | None = None,
) -> None:
    """Check and apply every record, in batches, inside the caller's transaction (an error rolls
    everything back). New records are inserted in bulk; known ones are merged one by one."""
    seen: set[str] = set()
    dangling: list[tuple[int, str, str]] = []  # (line, column, id) not yet seen in the file
    # Declaration versions signed here before this import: they and their paragraphs are frozen.
    signed = {
        r[0]
        for r in conn.execute(
            "SELECT id FROM records WHERE kind = 'declaration' AND json_extract(data, '$.status') = 'signed'"
        )
    }
    held_apart: list[dict[str, Any]] = []  # new paragraphs of a signed version: kept, as tombstones
    # New records get rowids above every existing one (no AUTOINCREMENT, rowids never reach 2^63).
    last_rowid = conn.execute("SELECT coalesce(max(rowid), 0) FROM records").fetchone()[0]

    def write(batch: list[tuple[int, dict[str, Any], tuple[Any, ...]]]) -> None:
        ids = [row["id"] for _, row, _ in batch]
        local = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute(
                "SELECT id, kind, client_id, parent_id FROM records "
                f"WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            )
        }
        new_records = []
        for number, row, values in batch:
            rid = row["id"]
            frozen = rid in signed or (row["kind"] == "paragraph" and row["parent_id"] in signed)
            if rid in local:
                if local[rid] != (row["kind"], row["client_id"], row["parent_id"]):
                    raise _invalid(number, "id")
                _apply(vault, conn, peer, row, result, frozen=frozen)
                continue
            if frozen and not row["deleted"]:
                held_apart.append(row)
                values = (*values[:11], 1, *values[12:])  # stored deleted, shown as a conflict below
            new_records.append(values)
            result.added += 1
            result.clients.add(row["client_id"])
        conn.executemany(_INSERT_RECORD, new_records)

    announced = sync.manifest.get("records")
    total = announced if isinstance(announced, int) and announced > 0 else 0
    done = 0
    batch: list[tuple[int, dict[str, Any], tuple[Any, ...]]] = []
    for number, row in sync.records():
        seen.add(row["id"])
        for key in ("client_id", "parent_id"):
            target = row[key]
            if target is not None and target not in seen:
                dangling.append((number, key, target))
        values = (
            row["id"], row["kind"], row["client_id"], row["parent_id"], row["position"], row["ref"],
            _dump(row["data"]), row["rev"], row["created_at"], row["updated_at"], row["origin"],
            int(row["deleted"]), row["date_lo"], row["date_hi"],
        )
        batch.append((number, row, values))
        if len(batch) >= _BATCH:
            write(batch)
            done += len(batch)
            batch = []
            if progress is not None:
                progress(done, max(total, done))
    if batch:
        write(batch)
        done += len(batch)
    if progress is not None:
        progress(done, max(total, done))
    # The peer holds what it sent: its revision, and as merge base the record as inserted (NULL).
    # In id order, so both primary keys are appended to rather than split all over the file.
    new_rows = "FROM records WHERE rowid > ? ORDER BY id"
    conn.execute(
        f"INSERT INTO sync_sent (peer, record_id, rev) SELECT ?, id, rev {new_rows} "
        "ON CONFLICT (peer, record_id) DO UPDATE SET rev = max(rev, excluded.rev)",
        (peer, last_rowid),
    )
    conn.execute(
        f"INSERT INTO sync_base (peer, record_id, their_rev, data) SELECT ?, id, rev, NULL {new_rows} "
        "ON CONFLICT (peer, record_id) DO UPDATE SET their_rev = excluded.their_rev, data = NULL",
        (peer, last_rowid),
    )
    for row in held_apart:
        theirs = _state(row["data"], row["deleted"], row["position"])
        _set_base(conn, peer, row["id"], row["rev"], theirs)  # the peer holds it undeleted
        _add_conflict(conn, row["id"], DELETED_FIELD, True, False, peer)
        result.conflicts += 1
    # A client or parent named before it appears is fine; one that is nowhere is not.
    missing = [(n, k, t) for n, k, t in dangling if t not in seen]
    for start in range(0, len(missing), _BATCH):
        part = missing[start : start + _BATCH]
        targets = sorted({t for _, _, t in part})
        known = {
            r[0]
            for r in conn.execute(
                f"SELECT id FROM records WHERE id IN ({','.join('?' * len(targets))})", targets
            )
        }
        for number, key, target in part:
            if target not in known:
                raise _invalid(number, key)


def _refresh_client(conn: Any, client_id: str) -> None:
    row = conn.execute(
        "SELECT data, deleted FROM records WHERE id = ? AND kind = 'client'", (client_id,)
    ).fetchone()
    if row is None or row[1]:
        search.remove_client(conn, client_id)
    else:
        search.index_client(conn, client_id, json.loads(row[0]))
    summary.refresh(conn, client_id)


def _set_sent(conn: Any, peer: str, record_id: str, rev: int) -> None:
    conn.execute(_INSERT_SENT, (peer, record_id, rev))


def _set_base(
    conn: Any, peer: str, record_id: str, their_rev: int, state: dict[str, Any] | None
) -> None:
    """Remember the peer's state of a record; None when it is the record's current state."""
    conn.execute(_INSERT_BASE, (peer, record_id, their_rev, None if state is None else _dump(state)))


def _apply(
    vault: Vault, conn: Any, peer: str, row: dict[str, Any], result: ImportResult, *, frozen: bool = False
) -> None:
    """Merge one incoming record that this vault holds (see the module docstring). ``frozen``: it
    belongs to a declaration version signed here, which nothing may change; every difference is a
    conflict."""
    rid = row["id"]
    theirs = _state(row["data"], row["deleted"], row["position"])
    # Only records this vault holds come here; new ones are inserted in bulk by _apply_all.
    local_row = conn.execute(f"SELECT {_SELECT} FROM records WHERE id = ?", (rid,)).fetchone()
    local = _row_dict(local_row)
    base_row = conn.execute(
        "SELECT their_rev, data FROM sync_base WHERE peer = ? AND record_id = ?", (peer, rid)
    ).fetchone()
    if base_row is not None and base_row[0] >= row["rev"]:
        result.unchanged += 1  # an older file arriving after a newer one: nothing new in it
        return
    mine = _state(local["data"], local["deleted"], local["position"])
    if base_row is None:
        base: dict[str, Any] = {"data": {}}
    elif base_row[1] is None:
        base = copy.deepcopy(mine)  # the peer last held exactly this record as it is now
    else:
        base = json.loads(base_row[1])
    merged, conflicts = _merge_states(mine, base, theirs)
    if frozen and merged != mine:
        # A signed version is sworn text: keep it whole and show the other side as conflicts
        # (taking "theirs" then goes through the store, which refuses to change a signed version).
        merged = copy.deepcopy(mine)
        conflicts = [k for k in _fields(mine, theirs) if _get(mine, k) != _get(theirs, k)]
    elif conflicts and merged != mine:
        try:
            _normalise(row["kind"], merged["data"])
        except ValidationError:
            # The field-by-field merge is not a valid record: keep ours whole, every difference a conflict.
            merged = copy.deepcopy(mine)
            conflicts = [k for k in _fields(mine, theirs) if _get(mine, k) != _get(theirs, k)]
    for key in conflicts:
        _add_conflict(conn, rid, key, _get(mine, key), _get(theirs, key), peer)
    result.conflicts += len(conflicts)
    new_rev = local["rev"]
    if merged != mine:
        data, lo, hi = _normalise(row["kind"], merged["data"])
        same_as_theirs = merged == theirs
        new_rev = local["rev"] + 1
        conn.execute(
            "UPDATE records SET data = ?, date_lo = ?, date_hi = ?, position = ?, deleted = ?, rev = ?, "
            "updated_at = ?, origin = ? WHERE id = ?",
            (
                _dump(data),
                lo,
                hi,
                merged["position"],
                int(merged["deleted"]),
                new_rev,
                row["updated_at"] if same_as_theirs else now_iso(),
                row["origin"] if same_as_theirs else vault.device_id,
                rid,
            ),
        )
        result.updated += 1
        result.clients.add(row["client_id"])
    else:
        result.unchanged += 1
    if merged == theirs:
        _set_sent(conn, peer, rid, new_rev)  # the peer already holds this state: do not echo it
    # The base is the peer's version: what it is known to hold. Where we kept our own value (our
    # change not yet sent, or a conflict) the next file from that peer must not overwrite it.
    _set_base(conn, peer, rid, row["rev"], None if merged == theirs else theirs)


def _fields(*states: dict[str, Any]) -> list[str]:
    keys: set[str] = set()
    for state in states:
        keys |= set(state.get("data", {}))
    return sorted(keys) + [DELETED_FIELD, POSITION_FIELD]


def _get(state: dict[str, Any], key: str) -> Any:
    if key == DELETED_FIELD:
        return state.get("deleted", _MISSING)
    if key == POSITION_FIELD:
        return state.get("position", _MISSING)
    return state.get("data", {}).get(key, _MISSING)


def _put(state: dict[str, Any], key: str, value: Any) -> None:
    if key == DELETED_FIELD:
        state["deleted"] = value
    elif key == POSITION_FIELD:
        state["position"] = value
    elif value is _MISSING:
        state["data"].pop(key, None)
    else:
        state["data"][key] = copy.deepcopy(value)


def _merge_states(
    mine: dict[str, Any], base: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    merged = copy.deepcopy(mine)
    conflicts: list[str] = []
    for key in _fields(mine, base, theirs):
        outcome = _merge_value(_get(mine, key), _get(base, key), _get(theirs, key))
        if outcome == "conflict":
            conflicts.append(key)
        elif outcome == "theirs":
            _put(merged, key, _get(theirs, key))
    return merged, conflicts


def _add_conflict(conn: Any, record_id: str, key: str, local: Any, theirs: Any, peer: str) -> None:
    local_json, theirs_json = _json_or_null(local), _json_or_null(theirs)
    exists = conn.execute(
        "SELECT 1 FROM sync_conflicts WHERE record_id = ? AND field = ? AND resolved = 0 "
        "AND local IS ? AND theirs IS ?",
        (record_id, key, local_json, theirs_json),
    ).fetchone()
    if exists is None:
        conn.execute(
            "INSERT INTO sync_conflicts (record_id, field, local, theirs, peer, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (record_id, key, local_json, theirs_json, peer, now_iso()),
        )


# -- conflicts -------------------------------------------------------------------------------------
@dataclass
class Conflict:
    """A field changed differently here and on a peer; ``local`` was kept. None = field absent."""

    id: int
    record_id: str
    kind: str
    client_id: str
    field: str
    local: Any
    theirs: Any
    peer: str
    peer_name: str
    created_at: str
    resolved: bool


def list_conflicts(
    vault: Vault, *, client_id: str | None = None, include_resolved: bool = False
) -> list[Conflict]:
    """The conflicts waiting for a decision (oldest first), optionally of one client."""
    sql = (
        "SELECT c.id, c.record_id, r.kind, r.client_id, c.field, c.local, c.theirs, c.peer, "
        "coalesce(p.name, c.peer), c.created_at, c.resolved FROM sync_conflicts c "
        "JOIN records r ON r.id = c.record_id LEFT JOIN sync_peers p ON p.device_id = c.peer"
    )
    where, params = [], []
    if not include_resolved:
        where.append("c.resolved = 0")
    if client_id:
        where.append("r.client_id = ?")
        params.append(client_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY c.id"
    out = []
    for row in vault.conn.execute(sql, params):
        out.append(
            Conflict(
                id=row[0],
                record_id=row[1],
                kind=row[2],
                client_id=row[3],
                field=row[4],
                local=None if row[5] is None else json.loads(row[5]),
                theirs=None if row[6] is None else json.loads(row[6]),
                peer=row[7],
                peer_name=row[8],
                created_at=row[9],
                resolved=bool(row[10]),
            )
        )
    return out


def resolve_conflict(vault: Vault, conflict_id: int, choice: Any) -> None:
    """Decide a conflict: "mine" keeps the local value, "theirs" takes the peer's, anything else is
    the new value itself (validated like any edit). Other pending conflicts of the same field close too.
    """
    from desktop.case.store import CaseStore

    row = vault.conn.execute(
        "SELECT record_id, field, local, theirs FROM sync_conflicts WHERE id = ? AND resolved = 0",
        (conflict_id,),
    ).fetchone()
    if row is None:
        raise NotFound(N_("This conflict does not exist or was already resolved."))
    record_id, key = row[0], row[1]
    store = CaseStore(vault)
    with vault.transaction() as conn:
        if choice == "mine":
            # Touch the record so the kept value travels to the peers again.
            conn.execute(
                "UPDATE records SET rev = rev + 1, updated_at = ?, origin = ? WHERE id = ?",
                (now_iso(), vault.device_id, record_id),
            )
        else:
            if choice == "theirs":
                value = _MISSING if row[3] is None else json.loads(row[3])
            else:
                value = choice
            record = store.get(record_id)
            if key == DELETED_FIELD:
                if bool(value) != record.deleted:
                    conn.execute(
                        "UPDATE records SET deleted = ?, rev = rev + 1, updated_at = ?, origin = ? "
                        "WHERE id = ?",
                        (int(bool(value)), now_iso(), vault.device_id, record_id),
                    )
                    _refresh_client(conn, record.client_id)
            elif key == POSITION_FIELD:
                store.move(record_id, int(value))
            else:
                data = copy.deepcopy(record.data)
                if value is _MISSING:
                    data.pop(key, None)
                else:
                    data[key] = value
                store.update(record_id, data)
        conn.execute(
            "UPDATE sync_conflicts SET resolved = 1 WHERE record_id = ? AND field = ? AND resolved = 0",
            (record_id, key),
        )
