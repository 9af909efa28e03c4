"""The file of unsaved changes: what the window writes when the vault cannot store what was typed
(a full disk, a read-only disk, a damaged vault), and how it is brought back into a vault — the same
vault once it can be written again, a restored backup, or a salvaged vault.

The file is an age file (https://age-encryption.org/v1) encrypted to a passphrase the user chose
(age's scrypt recipient, through pyrage), not a new vault: one file written at once, which works when
the vault's disk is the one failing and on any USB stick, and opens without Declara (``age -d FILE``).
It holds JSON::

    {"format": "declara-unsaved-edits", "version": 1, "saved_at": "2026-12-07T11:09:39Z",
     "vault_id": "<uuid>", "edits": [{"record_id", "path", "value", "client"}]}

``client`` is the client's display name when it could still be read, else null.

Bringing it back: :func:`read` (the size bounded before anything is decrypted or parsed, then
:func:`desktop.limits.load_json`), :func:`plan` (for each edit: it applies, it is already there, or
it cannot apply and why; a value the case model refuses refuses the whole file) and :func:`apply`
(every edit that applies, through :meth:`CaseStore.set_field` — the autosave's own path, with its
validation — in one transaction: all or nothing). Applying a file twice changes nothing the second
time. A file from another vault (a salvaged vault has a new id; a restored backup keeps its vault's)
is never refused for that: the plan says so."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.errors import DeclaraError, NotFound, SignedVersion, ValidationError
from desktop.i18n import N_
from desktop.limits import InputRefused, load_json, read_bounded

if TYPE_CHECKING:
    from desktop.case.model import Record
    from desktop.case.store import CaseStore

FORMAT = "declara-unsaved-edits"
VERSION = 1
#: The largest file read (encrypted), and the largest JSON text parsed (decrypted).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Names the file in messages (translated when shown).
WHAT = N_("The file of unsaved changes")

_AGE_INTRO = b"age-encryption.org/v1\n"
_PATH = re.compile(r"[A-Za-z0-9_]{1,64}(?:\.[A-Za-z0-9_]{1,64}){0,7}")
_MAX_ID = 100

#: What :func:`plan` says of one edit.
APPLIES, ALREADY, CANNOT, REFUSED = "applies", "already", "cannot", "refused"


# -- the file ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """One change typed in the window and not stored: ``path`` (dotted) of the record ``record_id``
    set to ``value``; ``client``: the client's name as the window knew it, or None."""

    record_id: str
    path: str
    value: Any
    client: str | None = None


@dataclass(frozen=True)
class UnsavedEdits:
    """A file of unsaved changes, read."""

    edits: tuple[Edit, ...]
    vault_id: str | None = None
    saved_at: str | None = None

    def __iter__(self) -> Iterator[Edit]:
        return iter(self.edits)

    def __len__(self) -> int:
        return len(self.edits)


def build_document(
    pending: Mapping[tuple[str, str], Any], store: CaseStore | None, vault_id: str | None
) -> dict[str, Any]:
    """The file's JSON for ``pending`` ({(record id, path): value}), with each client's display name
    when ``store`` can still read it (a damaged vault may not: the name is then null)."""
    from desktop.case.names import display_name

    names: dict[str, str | None] = {}

    def client_name(record_id: str) -> str | None:
        if store is None:
            return None
        try:
            record = store.get(record_id)
            client_id = record.client_id or record.id
            if client_id not in names:
                client = record if client_id == record.id else store.get(client_id)
                names[client_id] = display_name(client.data)
            return names[client_id]
        except Exception:  # noqa: BLE001 - a damaged vault: the name is optional
            return None

    edits = [
        {"record_id": record_id, "path": path, "value": value, "client": client_name(record_id)}
        for (record_id, path), value in pending.items()
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "vault_id": vault_id,
        "edits": edits,
    }


def write(path: str | os.PathLike[str], document: Mapping[str, Any], passphrase: str) -> None:
    """Write ``document`` as an age file encrypted to ``passphrase`` (never in plain text), 0600,
    synced to the disk before this returns."""
    import pyrage

    data = pyrage.passphrase.encrypt(json.dumps(document, ensure_ascii=False).encode("utf-8"), passphrase)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def decrypt(path: str | os.PathLike[str], passphrase: str) -> bytes:
    """The file's JSON text: its size checked before it is read, its kind before it is decrypted."""
    import pyrage

    raw = read_bounded(path, MAX_FILE_BYTES, WHAT)
    if not raw.startswith(_AGE_INTRO):
        raise DeclaraError(
            N_("This is not a file of unsaved changes saved by Declara (it is not an encrypted age file).")
        )
    header = raw[: raw.find(b"\n---") + 1] if b"\n---" in raw else raw[:4096]
    if b"\n-> scrypt " not in header:
        raise DeclaraError(
            N_(
                "This encrypted file is not a file of unsaved changes: it is not encrypted to a "
                "passphrase (a sync file, perhaps)."
            )
        )
    try:
        return pyrage.passphrase.decrypt(raw, passphrase)
    except pyrage.DecryptError as exc:
        if str(exc).strip().lower() in ("decryption failed", "no matching keys"):
            raise DeclaraError(
                N_(
                    "The file cannot be opened with this passphrase. Type the passphrase chosen when "
                    "the changes were saved to it."
                )
            ) from None
        raise DeclaraError(
            N_("The file is damaged or incomplete ({detail}); nothing can be read from it."),
            detail=str(exc) or type(exc).__name__,
        ) from None


def read(path: str | os.PathLike[str], passphrase: str) -> UnsavedEdits:
    """Read a file written by :func:`write`: refused (a DeclaraError) when it is too large, not an
    age file, not encrypted to a passphrase, opened with a wrong passphrase, damaged, or not this
    format and version."""
    return parse(decrypt(Path(path), passphrase))


def parse(text: bytes) -> UnsavedEdits:
    """The decrypted JSON text, checked: its limits, its format and version, each edit's shape."""
    doc = load_json(text, max_bytes=MAX_FILE_BYTES, where=WHAT)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputRefused(N_("This is not a file of unsaved changes saved by Declara."), "$.format")
    version = doc.get("version")
    if version != VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise InputRefused(
                N_(
                    "This file of unsaved changes was saved by a newer Declara (version {version}); "
                    "update Declara."
                ),
                "$.version",
                version=version,
            )
        raise InputRefused(N_("This file of unsaved changes has no version Declara knows."), "$.version")
    for key in ("vault_id", "saved_at"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise InputRefused(N_("This value is not valid here."), f"$.{key}")
    items = doc.get("edits")
    if not isinstance(items, list):
        raise InputRefused(N_("The file holds no list of changes."), "$.edits")
    edits = tuple(_edit(item, f"$.edits[{index}]") for index, item in enumerate(items))
    return UnsavedEdits(edits=edits, vault_id=doc.get("vault_id"), saved_at=doc.get("saved_at"))


def _edit(item: Any, where: str) -> Edit:
    if not isinstance(item, dict):
        raise InputRefused(N_("This change is not valid."), where)
    record_id, path, client = item.get("record_id"), item.get("path"), item.get("client")
    if not isinstance(record_id, str) or not 0 < len(record_id) <= _MAX_ID:
        raise InputRefused(N_("This change names no record."), f"{where}.record_id")
    if not isinstance(path, str) or not _PATH.fullmatch(path):
        raise InputRefused(N_("This change names no field."), f"{where}.path")
    if "value" not in item:
        raise InputRefused(N_("This change has no value."), f"{where}.value")
    if client is not None and not isinstance(client, str):
        raise InputRefused(N_("This value is not valid here."), f"{where}.client")
    return Edit(record_id=record_id, path=path, value=item["value"], client=client)


# -- the plan ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Planned:
    """What applying one edit would do: ``status`` is APPLIES, ALREADY (the vault holds that value),
    CANNOT (``reason`` says why: the record is missing, deleted or signed; the edit is skipped) or
    REFUSED (``reason``: the value is not valid; the whole file is refused)."""

    edit: Edit
    status: str
    kind: str | None = None  # the record's kind, when the vault has the record
    client: str | None = None  # the client's name in the vault, else the file's
    current: Any = None  # the value the vault holds now
    reason: DeclaraError | None = None


@dataclass(frozen=True)
class Plan:
    """The plan for a file, in the file's order; ``other_vault``: the file was saved from another
    vault (or names none) — a restored backup or a salvaged vault, perhaps; said, never refused."""

    items: tuple[Planned, ...]
    other_vault: bool = False

    def __iter__(self) -> Iterator[Planned]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def refused(self) -> Planned | None:
        return next((item for item in self.items if item.status == REFUSED), None)


def _client_name(store: CaseStore, record: Record, names: dict[str, str | None]) -> str | None:
    from desktop.case.names import display_name

    if record.client_id not in names:
        try:
            client = record if record.kind == "client" else store.get(record.client_id)
            names[record.client_id] = display_name(client.data) or None
        except NotFound:
            names[record.client_id] = None
    return names[record.client_id]


def plan(store: CaseStore, edits: UnsavedEdits) -> Plan:
    """For each edit, in order, what applying it would do (nothing is written). Edits of one record
    are weighed one after the other, as :func:`apply` stores them."""
    from desktop.case.store import get_path, normalise_record, set_path

    names: dict[str, str | None] = {}
    states: dict[str, dict[str, Any]] = {}  # the records' data as the edits before left them
    items: list[Planned] = []
    for edit in edits:
        try:
            record = store.get(edit.record_id)
        except NotFound:
            reason = DeclaraError(N_("the record is not in this vault (a salvage may have lost it)"))
            items.append(Planned(edit, CANNOT, client=edit.client, reason=reason))
            continue
        client = _client_name(store, record, names) or edit.client
        if record.deleted:
            reason = DeclaraError(N_("the record was deleted in this vault"))
            items.append(Planned(edit, CANNOT, record.kind, client, reason=reason))
            continue
        try:
            store._refuse_if_signed(record)  # a signed declaration cannot change
        except SignedVersion:
            reason = DeclaraError(N_("the declaration version is signed and cannot change"))
            items.append(Planned(edit, CANNOT, record.kind, client, reason=reason))
            continue
        before = states.get(record.id, record.data)
        current = get_path(before, edit.path)
        try:
            after, _lo, _hi = normalise_record(
                record.kind, set_path(before, edit.path, edit.value), previous=before
            )
        except ValidationError as exc:
            exc.field = edit.path
            items.append(Planned(edit, REFUSED, record.kind, client, current, reason=exc))
            continue
        if after == before:
            items.append(Planned(edit, ALREADY, record.kind, client, current))
        else:
            states[record.id] = after
            items.append(Planned(edit, APPLIES, record.kind, client, current))
    return Plan(tuple(items), other_vault=edits.vault_id != store.vault.vault_id)


# -- applying ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApplyReport:
    """What :func:`apply` did: how many edits were stored, were already there, could not apply;
    ``clients``: the ids of the clients whose records changed; ``plan``: the plan it followed."""

    applied: int
    already: int
    cannot: int
    clients: frozenset[str] = field(default_factory=frozenset)
    plan: Plan | None = None


class ChangeRefused(ValidationError):
    """The whole file is refused: one of its values is not accepted (``field``: its path). The
    value's own reason is rendered when the message is shown, in the language of that moment."""

    def __init__(self, reason: DeclaraError, path: str, number: int, count: int) -> None:
        super().__init__(
            N_("Nothing was applied: change {number} of {count} (field “{path}”) is not accepted: {reason}"),
            path,
            number=number,
            count=count,
            path=path,
        )
        self.reason = reason

    def message(self) -> str:
        from desktop.i18n import _

        return _(self.msgid).format(**self.params, reason=self.reason.message())


def refusal(plan_: Plan) -> ChangeRefused | None:
    """Why the whole file is refused (a value the vault does not accept), or None."""
    item = plan_.refused
    if item is None or item.reason is None:
        return None
    return ChangeRefused(item.reason, item.edit.path, plan_.items.index(item) + 1, len(plan_))


def apply(store: CaseStore, edits: UnsavedEdits) -> ApplyReport:
    """Store every edit that applies, in one transaction (all or nothing), through
    :meth:`CaseStore.set_field` (the autosave's path: the same validation). Edits already there are
    left; edits that cannot apply are skipped and counted. A value the vault does not accept
    refuses the whole file: nothing is stored (a ValidationError naming the field)."""
    planned = plan(store, edits)
    refused = refusal(planned)
    if refused is not None:
        raise refused
    clients: set[str] = set()
    with store.vault.transaction():
        for item in planned:
            if item.status == APPLIES:
                record = store.set_field(item.edit.record_id, item.edit.path, item.edit.value)
                clients.add(record.client_id)
    return ApplyReport(
        applied=planned.count(APPLIES),
        already=planned.count(ALREADY),
        cannot=planned.count(CANNOT),
        clients=frozenset(clients),
        plan=planned,
    )
