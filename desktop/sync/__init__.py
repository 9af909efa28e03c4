"""Sync files: laptops carry their work to the office, the office sends case packets back.

Every vault is a *laptop* or the *office*. Its sync identity lives inside the encrypted vault
(``sync_identity``): a device id, a name, an Ed25519 signing key and an age X25519 identity. A
device's public *card* (name, role, device id, age recipient, signing key, fingerprint) is enrolled
on the other side with :func:`trust` after comparing the fingerprint by phone; files from devices
that are not enrolled are refused.

A sync file is age-encrypted (X25519, to the recipient's card) so ``age -d -i identity.txt FILE``
opens it. Inside is an uncompressed ZIP holding these members:

``records.jsonl``
    one record per line with every column of ``records`` but the derived date bounds (``data`` as
    a JSON object: the canonical text the record codec stored, :mod:`desktop.case.codec`);
``documents/<sha256>``
    the bytes of each document file the records name and the peer is not known to hold (version 2,
    :mod:`~desktop.sync.blobsync`);
``manifest.json``
    format ``declara-sync``, version 1 (no documents) or 2, sender (device id and name), recipient
    device id, the sender's sequence number, created_at, and the SHA-256 and size of every other member;
``manifest.sig``
    the sender's Ed25519 signature over the bytes of ``manifest.json`` (64 raw bytes).

Importing verifies all of that, checks the vault (backing it up when the hourly automatic backup is
due), then applies everything or nothing. Records are
merged field by field (the top-level keys of ``data``, the tombstone and the position) against
``sync_state``, the state last agreed with that peer: a side that did not change a field yields to the
side that did; when both changed it differently the local value is kept and a row is added to
``sync_conflicts`` for the user to resolve (:func:`list_conflicts`, :func:`resolve_conflict`).

The package, module by module (each says what it owns):

- :mod:`~desktop.sync.devices`: the sync identity, cards and their files, fingerprints, trusted peers;
- :mod:`~desktop.sync.fileformat`: the ZIP, the manifest and its signature, record lines, limits;
- :mod:`~desktop.sync.stream`: age encryption in chunks, decryption, bounded reading, temporary files;
- :mod:`~desktop.sync.unpack`: streaming decryption and the ZIP's members read in order;
- :mod:`~desktop.sync.blobsync`: the document files a sync file carries, their limits, storing them;
- :mod:`~desktop.sync.docmerge`: merging a document's revisions from both sides;
- :mod:`~desktop.sync.exporter`: which records a file carries and what the vault remembers of it;
- :mod:`~desktop.sync.importer`: verifying, backing up (:mod:`desktop.vault.backups`), applying all
  or nothing (bulk via the codec);
- :mod:`~desktop.sync.merge`: the three-way merge, the merge base, conflicts and their resolution;
- :mod:`~desktop.sync.assignments`: which clients each laptop carries, removals and hand-backs;
- :mod:`~desktop.sync.errors`: :class:`SyncError`.

Callers use this package's names (``from desktop import sync``; ``sync.export_sync(...)``). Limits
and tunables (``MAX_FILE_BYTES``, the codec's ``BATCH``...) live in their own
modules and are read from there at call time: change or patch them there, not here.
"""

from __future__ import annotations

from desktop.sync.devices import (
    CARD_FORMAT,
    CARD_VERSION,
    ROLES,
    Identity,
    Peer,
    card_bytes,
    export_identity,
    find_peer,
    fingerprint,
    get_peer,
    group_fingerprint,
    identity,
    make_office,
    parse_card,
    peers,
    read_card,
    trust,
    write_card,
)
from desktop.sync.errors import SyncError
from desktop.sync.exporter import ExportResult, export_sync
from desktop.sync.fileformat import (
    FORMAT,
    MANIFEST,
    MEMBERS,
    RECORDS,
    SIGNATURE,
    VERSION,
    SyncFile,
    check_sync_path,
    read_sync_file,
    read_sync_path,
)
from desktop.sync.importer import ImportResult, Progress, import_sync
from desktop.sync.merge import DELETED_FIELD, POSITION_FIELD, Conflict, list_conflicts, resolve_conflict
from desktop.vault.backups import BACKUP_DIR

__all__ = [
    "BACKUP_DIR",
    "CARD_FORMAT",
    "CARD_VERSION",
    "DELETED_FIELD",
    "FORMAT",
    "MANIFEST",
    "MEMBERS",
    "POSITION_FIELD",
    "RECORDS",
    "ROLES",
    "SIGNATURE",
    "VERSION",
    "Conflict",
    "ExportResult",
    "Identity",
    "ImportResult",
    "Peer",
    "Progress",
    "SyncError",
    "SyncFile",
    "card_bytes",
    "check_sync_path",
    "export_identity",
    "export_sync",
    "find_peer",
    "fingerprint",
    "get_peer",
    "group_fingerprint",
    "identity",
    "import_sync",
    "list_conflicts",
    "make_office",
    "parse_card",
    "peers",
    "read_card",
    "read_sync_file",
    "read_sync_path",
    "resolve_conflict",
    "trust",
    "write_card",
]
