"""Sync files carry documents: the records and their files, verified, all or nothing, merged
without losing a revision, in bounded memory. Fictional people only."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from desktop import sync
from bench.scans import line_pdf as make_pdf
from desktop.errors import DeclaraError
from desktop.case.store import CaseStore
from desktop.evidence.blobs import BlobStore
from desktop.evidence.service import DocumentService
from desktop.sync import blobsync, fileformat, importer
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault

ROOT = Path(__file__).resolve().parents[2]


def make_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


CLEARANCE = make_pdf("Constancia de Solvencia Policial", "Policia Nacional Civil, El Salvador")
BIRTH = make_pdf("Partida de nacimiento", "Registro del Estado Familiar")
PHOTO = make_png()


def _vault(passphrase, path: Path, *, office: bool = False) -> CaseStore:
    vault = create_vault(path, passphrase, kh.unsafe_test_policy())
    if office:
        sync.make_office(vault, name="Office")
    else:
        sync.identity(vault, name=path.name)
    return CaseStore(vault)


def _pair(a: CaseStore, b: CaseStore) -> None:
    sync.trust(a.vault, sync.parse_card(json.dumps(sync.identity(b.vault).card()).encode()))
    sync.trust(b.vault, sync.parse_card(json.dumps(sync.identity(a.vault).card()).encode()))


@pytest.fixture
def pair(tmp_path, passphrase):
    office = _vault(passphrase, tmp_path / "office", office=True)
    laptop = _vault(passphrase, tmp_path / "laptop")
    _pair(office, laptop)
    yield office, laptop
    for one in (office, laptop):
        one.vault.close()


def _send(src: CaseStore, dst: CaseStore, tmp_path: Path, **kw):
    """Export to a file and import it from its path, as the window and the command line do."""
    out = tmp_path / f"to-{dst.vault.path.name}-{sync.identity(src.vault).last_seq + 1}.age"
    exported = sync.export_sync(src.vault, sync.identity(dst.vault).device_id, out=out, **kw)
    return exported, sync.import_sync(dst.vault, out, backup=False)


def _blob_count(store: CaseStore) -> int:
    return store.conn.execute("SELECT count(*) FROM blobs").fetchone()[0]


def _state(store: CaseStore):
    conn = store.conn
    return (
        store.snapshot(),
        conn.execute("SELECT sha256, size, chunks FROM blobs ORDER BY sha256").fetchall(),
        conn.execute("SELECT count(*) FROM blob_chunks").fetchone()[0],
        conn.execute("SELECT count(*) FROM sync_applied").fetchone()[0],
    )


def _client_with_documents(store: CaseStore):
    cid = store.create("client", {"given_names": "Lucía", "family_names": "Ávila Tzoc"}).id
    docs = DocumentService(store)
    clearance = docs.add(cid, CLEARANCE, filename="solvencia.pdf", kind="police_clearance")
    docs.rotate(clearance.id, {1: 90})
    photo = docs.add(cid, PHOTO, filename="foto.png", kind="photo")
    return cid, docs.get(clearance.id), photo


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_round_trip_laptop_office_laptop_keeps_the_bytes_and_stores_them_once(pair, tmp_path):
    office, laptop = pair
    cid, clearance, photo = _client_with_documents(laptop)
    rotated = clearance.data["revisions"][1]["sha256"]
    text = clearance.data["text_sha256"]  # the PDF's words travel too, so the office can search them
    names = {_sha(CLEARANCE), rotated, _sha(PHOTO), text}
    assert len(names) == 4 and _blob_count(laptop) == 4

    exported, result = _send(laptop, office, tmp_path)
    assert exported.documents == 4 and exported.document_bytes == sum(
        BlobStore(laptop.vault).size(s) for s in names
    )
    assert result.documents == 4 and result.added > 0
    assert DocumentService(office).search("solvencia") == [(cid, clearance.id)]
    at_office = DocumentService(office)
    got = {d.id: d for d in at_office.documents(cid)}
    assert set(got) == {clearance.id, photo.id}
    assert _sha(at_office.original(got[clearance.id])[0]) == _sha(CLEARANCE)
    assert _sha(at_office.current(got[clearance.id])[0]) == rotated
    assert at_office.current(got[photo.id]) == (PHOTO, "png")
    assert _blob_count(office) == 4  # each file once

    # The office renames a document and sends the client back: the files are not sent again.
    office.update(clearance.id, {**got[clearance.id].data, "title": "Solvencia PNC 2023"})
    exported, result = _send(office, laptop, tmp_path, clients=[cid])
    assert exported.documents == 0 and result.documents == 0 and result.updated == 1
    back = DocumentService(laptop).get(clearance.id)
    assert back.data["title"] == "Solvencia PNC 2023"
    assert _sha(DocumentService(laptop).current(back)[0]) == rotated
    assert _sha(DocumentService(laptop).original(back)[0]) == _sha(CLEARANCE)
    assert _blob_count(laptop) == 4

    # A new revision at the office travels alone: only its file.
    turned = at_office.rotate(clearance.id, {0: 180})
    exported, result = _send(office, laptop, tmp_path, clients=[cid])
    assert exported.documents == 1 and result.documents == 1
    newest = turned.data["revisions"][turned.data["current"]]["sha256"]
    assert _sha(DocumentService(laptop).current(DocumentService(laptop).get(clearance.id))[0]) == newest
    assert _blob_count(laptop) == 5  # the same words after the turn: no new text file

    # A full export sends every file again; the receiver stores none twice.
    exported, result = _send(office, laptop, tmp_path, full=True)
    assert exported.documents == 5 and result.documents == 0 and _blob_count(laptop) == 5


def test_a_deleted_document_travels_as_a_tombstone(pair, tmp_path):
    office, laptop = pair
    cid, clearance, _photo = _client_with_documents(laptop)
    _send(laptop, office, tmp_path)
    laptop.delete(clearance.id)
    _exported, result = _send(laptop, office, tmp_path)
    assert result.updated == 1 and office.get(clearance.id).deleted
    assert BlobStore(office.vault).has(_sha(CLEARANCE))  # the files stay until purged on purpose


def _tamper(raw: bytes, office: CaseStore, edit) -> bytes:
    """Decrypt a sync file with the office's identity, change its plaintext, encrypt it again."""
    from pyrage import decrypt, encrypt, x25519

    own = sync.identity(office.vault)
    plain = decrypt(raw, [x25519.Identity.from_str(own.age_identity)])
    return encrypt(edit(plain), [x25519.Recipient.from_str(own.age_recipient)])


def test_a_tampered_document_in_the_sync_file_is_refused_and_nothing_is_written(pair, tmp_path):
    office, laptop = pair
    _client_with_documents(laptop)
    good = sync.export_sync(laptop.vault, "Office").data
    start = PHOTO.index(b"IDAT")

    def flip(plain: bytes) -> bytes:
        at = plain.index(PHOTO) + start + 8
        return plain[:at] + bytes([plain[at] ^ 0x01]) + plain[at + 1 :]

    bad = _tamper(good, office, flip)
    path = tmp_path / "bad.age"
    path.write_bytes(bad)
    before = _state(office)
    for source in (bad, path):
        with pytest.raises(DeclaraError) as info:
            sync.import_sync(office.vault, source)
        assert "damaged" in info.value.message()
        assert _state(office) == before
    assert not (office.vault.path / "backups").exists()
    # The same file untouched goes in.
    assert sync.import_sync(office.vault, good, backup=False).documents == 4  # three files and a text


def test_a_file_changed_between_verification_and_storing_is_refused(pair, tmp_path, monkeypatch):
    """The documents are read twice (verified, then stored): a file swapped in between is caught."""
    office, laptop = pair
    _client_with_documents(laptop)
    path = tmp_path / "packet.age"
    sync.export_sync(laptop.vault, "Office", out=path)
    good = path.read_bytes()
    real = importer.read_sync_file

    def swap(vault, raw):
        verified = real(vault, raw)
        path.write_bytes(_tamper(good, office, lambda p: p.replace(PHOTO[-40:], bytes(40))))
        return verified

    monkeypatch.setattr(importer, "read_sync_file", swap)
    before = _state(office)
    with pytest.raises(DeclaraError):
        sync.import_sync(office.vault, path)
    assert _state(office) == before
    assert not (office.vault.path / "backups").exists() or not any((office.vault.path / "backups").iterdir())


def test_the_manifest_lists_every_document_member_and_age_opens_it_as_a_zip(pair):
    office, laptop = pair
    _cid, clearance, _photo = _client_with_documents(laptop)
    raw = sync.export_sync(laptop.vault, "Office").data
    from pyrage import decrypt, x25519

    plain = decrypt(raw, [x25519.Identity.from_str(sync.identity(office.vault).age_identity)])
    zf = zipfile.ZipFile(io.BytesIO(plain))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["version"] == 2
    listed = {m["name"]: m for m in manifest["members"]}
    for name in zf.namelist():
        if name.startswith("documents/"):
            data = zf.read(name)  # zipfile checks the CRC of each member
            assert name == "documents/" + _sha(data) and listed[name]["size"] == len(data)
    assert f"documents/{_sha(CLEARANCE)}" in zf.namelist() and f"documents/{_sha(PHOTO)}" in zf.namelist()
    assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())


def test_a_file_without_documents_is_still_version_1(pair):
    office, laptop = pair
    laptop.create("client", {"given_names": "Marta", "family_names": "Quispe"})
    raw = sync.export_sync(laptop.vault, "Office").data
    from pyrage import decrypt, x25519

    plain = decrypt(raw, [x25519.Identity.from_str(sync.identity(office.vault).age_identity)])
    zf = zipfile.ZipFile(io.BytesIO(plain))
    assert sorted(zf.namelist()) == sorted(fileformat.MEMBERS)
    assert json.loads(zf.read("manifest.json"))["version"] == 1


def test_a_record_whose_file_is_nowhere_is_refused(pair, tmp_path, monkeypatch):
    office, laptop = pair
    _client_with_documents(laptop)
    monkeypatch.setattr(blobsync, "for_export", lambda *a, **kw: [])
    raw = sync.export_sync(laptop.vault, "Office").data
    monkeypatch.undo()
    before = _state(office)
    with pytest.raises(sync.SyncError) as info:
        sync.import_sync(office.vault, raw, backup=False)
    assert "full export" in info.value.message()
    assert _state(office) == before


def test_limits_refuse_before_anything_is_written(pair, tmp_path, monkeypatch):
    office, laptop = pair
    _client_with_documents(laptop)
    out = tmp_path / "packet.age"
    seq = sync.identity(laptop.vault).last_seq
    # The sync file's limit: the records fit, the documents do not.
    blobs = BlobStore(laptop.vault)
    carried = sum(blobs.size(sha) for (sha,) in laptop.conn.execute("SELECT sha256 FROM blobs"))
    monkeypatch.setattr(fileformat, "MAX_UNPACKED_BYTES", carried - 1)
    with pytest.raises(sync.SyncError) as info:
        sync.export_sync(laptop.vault, "Office", out=out)
    assert "too large" in info.value.message() and "MB" in info.value.message()
    assert not list(tmp_path.glob("*packet*")) and sync.identity(laptop.vault).last_seq == seq
    monkeypatch.undo()
    # One document over the per-document limit.
    monkeypatch.setattr(blobsync, "MAX_DOCUMENT_BYTES", len(PHOTO) - 1)
    with pytest.raises(sync.SyncError) as info:
        sync.export_sync(laptop.vault, "Office", out=out)
    assert "too large" in info.value.message()
    assert not out.exists() and sync.identity(laptop.vault).last_seq == seq
    monkeypatch.undo()
    # And on import, a document over the receiver's limit.
    raw = sync.export_sync(laptop.vault, "Office").data
    monkeypatch.setattr(blobsync, "MAX_DOCUMENT_BYTES", len(PHOTO) - 1)
    before = _state(office)
    with pytest.raises(sync.SyncError):
        sync.import_sync(office.vault, raw, backup=False)
    assert _state(office) == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(pair, tmp_path, monkeypatch):
    office, _laptop = pair
    big = tmp_path / "big.age"
    big.write_bytes(b"x" * 100)
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 99)
    with pytest.raises(sync.SyncError) as info:
        sync.import_sync(office.vault, sync.check_sync_path(big))
    assert "too large" in info.value.message()


def test_concurrent_revisions_merge_without_losing_one(pair, tmp_path):
    office, laptop = pair
    cid, clearance, _photo = _client_with_documents(laptop)
    _send(laptop, office, tmp_path)
    # Both sides turn pages and rename the document, each its own way, before they sync again.
    DocumentService(laptop).rotate(clearance.id, {0: 90})
    laptop.update(clearance.id, {**laptop.get(clearance.id).data, "title": "Solvencia (laptop)"})
    DocumentService(office).rearrange(clearance.id, [1])
    office.update(clearance.id, {**office.get(clearance.id).data, "title": "Solvencia (office)"})
    mine = laptop.get(clearance.id).data["revisions"]
    theirs = office.get(clearance.id).data["revisions"]
    every = {(e["at"], e["sha256"]) for e in mine + theirs}
    assert len(every) == 4  # import, rotate (both had), the laptop's rotate, the office's rearrange

    _send(laptop, office, tmp_path)
    _send(office, laptop, tmp_path, clients=[cid])
    here, there = laptop.get(clearance.id).data, office.get(clearance.id).data
    for data in (here, there):
        keys = [(e["at"], e["sha256"]) for e in data["revisions"]]
        assert set(keys) == every and keys == sorted(keys)  # every revision, ordered by time
        newest = max((mine[-1]["at"], mine[-1]["sha256"]), (theirs[-1]["at"], theirs[-1]["sha256"]))
        chosen = data["revisions"][data["current"]]
        assert (chosen["at"], chosen["sha256"]) == newest  # both changed it: the newer one
        assert data["pages"] == chosen["pages"]
    assert here["revisions"] == there["revisions"] and here["current"] == there["current"]
    for store in (laptop, office):
        blobs = BlobStore(store.vault)
        assert all(blobs.has(sha) for _, sha in every)
        fields = {c.field for c in sync.list_conflicts(store.vault)}
        assert not fields & {"revisions", "current", "pages"}
    # The title is a metadata conflict like any other field's: the office kept its own and asks;
    # the laptop, whose change the office has seen, takes the office's.
    [title] = [c for c in sync.list_conflicts(office.vault) if c.record_id == clearance.id]
    assert title.field == "title"
    assert (title.local, title.theirs) == ("Solvencia (office)", "Solvencia (laptop)")
    assert here["title"] == there["title"] == "Solvencia (office)"


def test_a_purge_on_one_side_stays_a_purge(pair, tmp_path):
    office, laptop = pair
    _cid, clearance, _photo = _client_with_documents(laptop)
    _send(laptop, office, tmp_path)
    DocumentService(office).purge_original(clearance.id)
    _exported, result = _send(office, laptop, tmp_path)
    assert result.conflicts == 0
    data = laptop.get(clearance.id).data
    assert len(data["revisions"]) == 1 and data["purged"]
    assert data["revisions"][0]["sha256"] == office.get(clearance.id).data["revisions"][0]["sha256"]


# -- memory ----------------------------------------------------------------------------------------
PROBE = textwrap.dedent(
    """
    import hashlib, json, resource, sys
    from pathlib import Path
    from desktop import sync
    from desktop.case.store import CaseStore
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault, open_vault, unlock

    step, folder, passphrase = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    SIZE = int(sys.argv[4])

    def rss():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def opened(name):
        return open_vault(folder / name, unlock(folder / name, passphrase, kh.unsafe_test_policy()))

    if step == "setup":
        from desktop.evidence.blobs import BlobStore
        laptop = create_vault(folder / "laptop", passphrase, kh.unsafe_test_policy())
        office = create_vault(folder / "office", passphrase, kh.unsafe_test_policy())
        sync.identity(laptop, name="Laptop")
        sync.make_office(office, name="Office")
        sync.trust(laptop, sync.parse_card(json.dumps(sync.identity(office).card()).encode()))
        sync.trust(office, sync.parse_card(json.dumps(sync.identity(laptop).card()).encode()))
        def chunks():
            for i in range(SIZE // (1 << 20)):
                yield hashlib.sha256(str(i).encode()).digest() * (1 << 15)
        info = BlobStore(laptop).put_chunks(chunks())
        store = CaseStore(laptop)
        cid = store.create("client", {"given_names": "Rosa", "family_names": "Mejía"}).id
        entry = {"sha256": info.sha256, "size": info.size, "media": "pdf", "pages": 1, "made": "import",
                 "at": "2026-12-07T10:00:00.000Z"}
        store.create("document", {"title": "Expediente del tribunal", "kind": "court_record", "pages": 1,
                     "original": {"sha256": info.sha256, "size": info.size, "media": "pdf"},
                     "revisions": [entry], "current": 0}, client_id=cid)
        print(info.sha256)
    elif step == "export":
        vault = opened("laptop")
        before = rss()
        sync.export_sync(vault, "Office", out=folder / "packet.age")
        print(before, rss())
    else:
        from desktop.evidence.blobs import BlobStore
        vault = opened("office")
        before = rss()
        result = sync.import_sync(vault, folder / "packet.age", backup=False)
        assert result.documents == 1
        print(before, rss())
    """
)


def _probe(step: str, folder: Path, passphrase: str, size: int) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", PROBE, step, str(folder), passphrase, str(size)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip()


@pytest.mark.slow
def test_a_200_mb_document_travels_in_bounded_memory(tmp_path, passphrase):
    size = 200 * 1024 * 1024
    sha = _probe("setup", tmp_path, passphrase, size)
    before, after = map(int, _probe("export", tmp_path, passphrase, size).split())
    assert after - before < 150 * 1024 * 1024, f"export grew by {(after - before) >> 20} MB"
    assert (tmp_path / "packet.age").stat().st_size > size
    before, after = map(int, _probe("import", tmp_path, passphrase, size).split())
    assert after - before < 150 * 1024 * 1024, f"import grew by {(after - before) >> 20} MB"
    check = textwrap.dedent(
        f"""
        from pathlib import Path
        import hashlib
        from desktop.evidence.blobs import BlobStore
        from desktop.vault import keyheader as kh
        from desktop.vault.database import open_vault, unlock
        path = Path({str(tmp_path / "office")!r})
        vault = open_vault(path, unlock(path, {passphrase!r}, kh.unsafe_test_policy()))
        digest = hashlib.sha256()
        for chunk in BlobStore(vault).iter_chunks({sha!r}):
            digest.update(chunk)
        print(digest.hexdigest())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", check], env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert out.stdout.strip() == sha, out.stderr[-2000:]


def test_the_stream_reader_finds_members_written_to_a_stream_even_with_a_lookalike_descriptor():
    """A member whose size follows it (a data descriptor) ends at the descriptor that matches the
    bytes before it, not at bytes that merely look like one."""
    from pyrage import x25519

    from desktop.sync import stream, unpack

    ident = x25519.Identity.generate()
    tricky = b"abc" + unpack.DESCRIPTOR + b"\x00" * 12 + b"tail" * 5000
    blob = os.urandom(3000)
    sink = stream.Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as zf:  # unseekable: descriptors
        zf.writestr("manifest.sig", tricky)
        info = zipfile.ZipInfo("documents/x")
        info.file_size, info.extra = len(blob), unpack.size_extra(len(blob))
        with zf.open(info, "w") as member:
            member.write(blob)
    raw = stream.encrypt_to_bytes(iter([sink.take()]), ident.to_public())
    got = {}
    with unpack.Plaintext(raw, str(ident), 10**6) as plain:
        for name, data in unpack.members(plain, 10**6, fileformat.damaged):
            got[name] = b"".join(data)
    assert got == {"manifest.sig": tricky, "documents/x": blob}
