"""Fuzzing sync files (issue 18), before and after the signature.

Before: the manifest is read before its signature is checked, by anyone holding the office's public
card; 2,000 hostile manifests (signed by the trusted laptop, so that what follows the signature
check is reached too, or carrying the signature of the original) and mutated files. After: 2,000
files whose record lines are hostile, each correctly signed by a trusted laptop and encrypted to the
office, are imported. Each is imported or refused with a DeclaraError, and a refused file changes
nothing in the vault.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import uuid
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyrage import x25519

from desktop import sync
from desktop.case.store import CaseStore
from desktop.errors import DeclaraError
from desktop.sync import fileformat, stream
from desktop.sync.devices import Identity, Peer
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault
from tests.faults.hostile import FUZZ, apply_ops, assert_clear, byte_ops, hostile_json, mutated_doc

_SEQ = itertools.count(1)


class Pair:
    """The office (importing) and a laptop it trusts (writing)."""

    def __init__(self, root, passphrase) -> None:
        policy = kh.unsafe_test_policy()
        self.office = CaseStore(create_vault(root / "office", passphrase, policy))
        laptop = create_vault(root / "laptop", passphrase, policy)
        sync.make_office(self.office.vault, name="Office")
        self.own = sync.identity(laptop, name="Laptop")
        laptop.close()
        sync.trust(self.office.vault, sync.parse_card(json.dumps(self.own.card()).encode()))
        dest = sync.identity(self.office.vault)
        self.peer = Peer(dest.device_id, "Office", "office", dest.age_recipient, b"", "", "")
        self.recipient = x25519.Recipient.from_str(dest.age_recipient)
        self.client = str(uuid.uuid4())

    def manifest(self, sha: str, size: int, seq: int) -> bytes:
        return fileformat.manifest_bytes(self.own, self.peer, seq, 1, sha, size)

    def file(self, lines: list[bytes], manifest=None, sign=None) -> bytes:
        """The sync file of these record lines (bytes as they are: not always UTF-8), laid out as
        fileformat.payload lays it out, signed and encrypted to the office."""
        seq = next(_SEQ)
        records = b"".join(line + b"\n" for line in lines)
        sha, size = hashlib.sha256(records).hexdigest(), len(records)
        manifest_raw = manifest(sha, size, seq) if manifest else self.manifest(sha, size, seq)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
            for name, data in (
                (fileformat.RECORDS, records),
                (fileformat.MANIFEST, manifest_raw),
                (fileformat.SIGNATURE, (sign or self.own.sign)(manifest_raw)),
            ):
                zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
        return stream.encrypt_to_bytes(iter([buf.getvalue()]), self.recipient)

    def row(self) -> dict:
        """A valid client record line (a new one each time)."""
        rid = str(uuid.uuid4())
        return {
            "id": rid, "kind": "client", "client_id": rid, "parent_id": None, "position": 0, "ref": None,
            "data": {"given_names": "Ana", "family_names": "Pérez", "notes": "nota\nlarga"}, "rev": 1,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "origin": self.own.device_id, "deleted": False,
        }  # fmt: skip

    def state(self) -> tuple:
        conn = self.office.conn
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("records", "sync_applied", "sync_state", "sync_conflicts", "sync_peers")
        )


@pytest.fixture(scope="module")
def pair(tmp_path_factory, passphrase):
    p = Pair(tmp_path_factory.mktemp("fuzzsync"), passphrase)
    yield p
    p.office.vault.close()


def _import(pair: Pair, data: bytes) -> None:
    before = pair.state()
    try:
        sync.import_sync(pair.office.vault, data, backup=False)
    except DeclaraError as exc:
        assert_clear(exc)
        assert pair.state() == before, "a refused file changed the vault"


def test_an_unmutated_file_imports(pair):
    sync.import_sync(pair.office.vault, pair.file([json.dumps(pair.row()).encode()]), backup=False)


# -- before the signature ------------------------------------------------------------------------
SAMPLE_MANIFEST = json.loads(
    fileformat.manifest_bytes(
        Identity(str(uuid.uuid4()), "Laptop", "laptop", b"", "", 0),
        Peer(str(uuid.uuid4()), "Office", "office", "", b"", "", ""),
        1,
        1,
        "0" * 64,
        10,
    )
)


@st.composite
def before_signature(draw, pair: Pair) -> bytes:
    how = draw(st.sampled_from(["manifest", "manifest", "manifest", "envelope"]))
    line = json.dumps(pair.row()).encode()
    if how == "envelope":  # the age file or the ZIP inside it damaged
        return apply_ops(pair.file([line]), draw(byte_ops))
    signed = draw(st.booleans())  # the trusted key signs the hostile manifest, or the original
    template = draw(mutated_doc(SAMPLE_MANIFEST, steps=2) | st.just(SAMPLE_MANIFEST))
    as_json = draw(hostile_json(template)) if draw(st.booleans()) else None

    def manifest(sha: str, size: int, seq: int) -> bytes:
        if as_json is not None:
            return as_json
        doc = json.loads(json.dumps(template))
        real = json.loads(pair.manifest(sha, size, seq))
        if isinstance(doc, dict):  # the real values where the mutation left them alone
            for key in ("sender", "recipient", "seq", "members"):
                if doc.get(key) == SAMPLE_MANIFEST[key]:
                    doc[key] = real[key]
        return json.dumps(doc).encode("utf-8", "surrogatepass")

    def sign(message: bytes) -> bytes:
        return pair.own.sign(message) if signed else b"\x00" * 64

    return pair.file([line], manifest=manifest, sign=sign)


@FUZZ
@given(data=st.data())
def test_hostile_manifests_and_envelopes(pair, data):
    _import(pair, data.draw(before_signature(pair)))


# -- after the signature ------------------------------------------------------------------------
@FUZZ
@given(data=st.data())
def test_hostile_records_in_a_signed_file(pair, data):
    good = pair.row()
    lines = [data.draw(hostile_json(good)) for _ in range(data.draw(st.integers(1, 3)))]
    if data.draw(st.booleans()):
        lines.append(json.dumps(pair.row()).encode())
    lines = [line.replace(b"\n", b" ") for line in lines]  # one record a line, as the format says
    _import(pair, pair.file(lines))
