"""Case file version 2: a ZIP with case.json and the documents' bytes; its bounds and refusals."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from desktop.case import casezip
from desktop.case.casefile import export_case, import_case, import_case_file, read_case_file
from desktop.case.store import CaseStore
from desktop.errors import CaseFileError
from desktop.evidence.blobs import BlobStore
from desktop.vault.database import create_vault

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "resources" / "schema"
AT = "2026-12-07T10:00:00.000Z"


def add_document(store, client_id, data: bytes, *, title, kind="other", revisions=(), **extra):
    """A document record with its bytes, written as DocumentService would (no intake needed)."""
    blobs = BlobStore(store.vault)
    info = blobs.put(data)
    original = {"sha256": info.sha256, "size": info.size, "media": "pdf"}
    entries = [{**original, "pages": 3, "made": "import", "at": AT}]
    for rev in revisions:
        rinfo = blobs.put(rev)
        entries.append(
            {
                "sha256": rinfo.sha256,
                "size": rinfo.size,
                "media": "pdf",
                "pages": 2,
                "made": "rearrange",
                "at": AT,
            }
        )
    record = store.create(
        "document",
        {
            "title": title,
            "kind": kind,
            "language": "es",
            "date": "2023-05",
            "pages": entries[-1]["pages"],
            "filename": "scan.pdf",
            "original": original,
            "revisions": entries,
            "current": len(entries) - 1,
            **extra,
        },
        client_id=client_id,
    )
    return record


@pytest.fixture
def ana(store, ana_path):
    return import_case_file(store, ana_path)


@pytest.fixture
def with_documents(store, ana):
    """Ana with an I-213 (linked to an allegation, named by an event with a page) whose pages were
    rearranged once, and a police clearance linked to an event and a FOIA request."""
    allegation = store.children(ana, "allegation")[0]
    event = store.children(ana, "event")[0]
    i213 = add_document(
        store,
        ana,
        b"%PDF-1.7 i-213 original " + os.urandom(2000),
        title="I-213 de Ana",
        kind="i213",
        revisions=[b"%PDF-1.7 i-213 pages 1 and 3 " + os.urandom(700_000)],
        links={
            "allegation": allegation.id,
            "rebuttal": None,
            "event": None,
            "foia_request": None,
            "family_member": None,
        },
    )
    foia = store.create("foia_request", {"agency": "CBP", "status": "pending"}, client_id=ana)
    clearance = add_document(
        store,
        ana,
        b"%PDF-1.7 solvencia " + os.urandom(500),
        title="Solvencia PNC 2023",
        kind="police_clearance",
        links={
            "allegation": None,
            "rebuttal": None,
            "event": event.id,
            "foia_request": foia.id,
            "family_member": None,
        },
    )
    store.update(
        event.id, {**event.data, "sources": [*(event.data.get("sources") or []), f"document:{i213.id}#p2"]}
    )
    return {"i213": i213, "clearance": clearance, "event": event, "allegation": allegation}


@pytest.fixture
def other_store(tmp_path, passphrase, policy):
    vault = create_vault(tmp_path / "office.declara", passphrase, policy)
    yield CaseStore(vault)
    vault.close()


def _bytes(store, record):
    blobs = BlobStore(store.vault)
    return [blobs.get(r["sha256"]) for r in record.data["revisions"]] + [
        blobs.get(record.data["original"]["sha256"])
    ]


def test_round_trip_into_a_new_vault(store, ana, with_documents, other_store, tmp_path):
    out = tmp_path / "ana.declara-case.zip"
    written = casezip.write_case_zip(store, ana, out)
    assert out.stat().st_mode & 0o777 == 0o600
    assert written["version"] == 2 and len(written["documents"]) == 2
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
    shas = {r["sha256"] for d in written["documents"] for r in [d["original"], *d["revisions"]]}
    assert len(shas) == 3  # the I-213's original and its revision, and the clearance
    assert names == sorted(["case.json", *(f"documents/{s}" for s in shas)])

    doc = read_case_file(out)
    new_client = import_case(other_store, doc)
    old = {d.data["title"]: d for d in store.children(ana, "document")}
    new = {d.data["title"]: d for d in other_store.children(new_client, "document")}
    assert set(old) == set(new) == {"I-213 de Ana", "Solvencia PNC 2023"}
    for title, record in old.items():
        copy = new[title]
        assert copy.id != record.id
        for key in ("original", "revisions", "current", "pages", "kind", "language", "date", "filename"):
            assert copy.data[key] == record.data[key], key
        assert _bytes(other_store, copy) == _bytes(store, record)
        for blob in _bytes(other_store, copy):
            assert hashlib.sha256(blob).hexdigest() in shas
    # Links and sources point at the new vault's records.
    i213 = new["I-213 de Ana"]
    allegation = other_store.get(i213.data["links"]["allegation"])
    assert allegation.kind == "allegation" and allegation.client_id == new_client
    assert allegation.data["wording"] == with_documents["allegation"].data["wording"]
    clearance = new["Solvencia PNC 2023"]
    assert other_store.get(clearance.data["links"]["foia_request"]).data["agency"] == "CBP"
    assert (
        other_store.get(clearance.data["links"]["event"]).data
        == other_store.children(new_client, "event")[0].data
    )
    sources = [s for e in other_store.children(new_client, "event") for s in e.data.get("sources") or []]
    assert f"document:{i213.id}#p2" in sources
    # Exporting the copy gives the same case.json (file-local ids are kept as refs).
    again = export_case(other_store, new_client, documents=True)
    first = json.loads(json.dumps(written))
    assert again["documents"] == first["documents"]
    assert again["events"] == first["events"]


def test_the_case_json_names_documents_by_file_local_ids(store, ana, with_documents):
    doc = export_case(store, ana, documents=True)
    i213 = with_documents["i213"]
    local = next(d["id"] for d in doc["documents"] if d["title"] == "I-213 de Ana")
    assert local == f"doc-{i213.id.replace('-', '')[-8:]}"  # its last 8 hex digits (random)
    text = json.dumps(doc)
    assert i213.id not in text and with_documents["allegation"].id not in text
    assert f"document:{local}#p2" in [s for e in doc["events"] for s in e.get("sources") or []]
    assert all(f.get("id", "").startswith("foia-") for f in doc["foia_requests"])


def test_version_1_is_unchanged_without_documents(store, ana, ana_path):
    doc = export_case(store, ana)
    assert doc["version"] == 1 and "documents" not in doc
    assert export_case(store, ana, documents=None)["version"] == 1  # no documents: still version 1
    assert doc == json.loads(ana_path.read_text(encoding="utf-8"))


def test_v1_json_still_imports(other_store, ana_path):
    cid = import_case_file(other_store, ana_path)
    assert other_store.get(cid).kind == "client"


def test_a_v2_case_json_without_its_zip_is_refused(store, ana, with_documents, other_store):
    doc = export_case(store, ana, documents=True)
    with pytest.raises(CaseFileError, match="not the ZIP"):
        import_case(other_store, doc)
    assert other_store.clients() == []


def test_schema_2_keeps_version_1s_definitions():
    one = json.loads((SCHEMA_DIR / "declara-case-1.schema.json").read_text(encoding="utf-8"))
    two = json.loads((SCHEMA_DIR / "declara-case-2.schema.json").read_text(encoding="utf-8"))
    for name, definition in one["$defs"].items():
        other = json.loads(json.dumps(two["$defs"][name]))
        if name in ("foia_request", "rebuttal"):
            assert other["properties"].pop("id") == {"$ref": "#/$defs/local_id"}
        assert other == definition, name
    assert {k: v for k, v in two["properties"].items() if k not in ("version", "documents")} == {
        k: v for k, v in one["properties"].items() if k != "version"
    }


# -- refusals ------------------------------------------------------------------------------------
def _rewrite(src: Path, dst: Path, *, drop=(), add=(), replace=None, case=None):
    """A copy of a case-file ZIP with members dropped, added or replaced, or case.json edited."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename == "case.json" and case is not None:
                data = json.dumps(case(json.loads(data))).encode()
            if replace and info.filename in replace:
                data = replace[info.filename]
            zout.writestr(info.filename, data)
        for name, data in add:
            zout.writestr(name, data)
    return dst


@pytest.fixture
def archive(store, ana, with_documents, tmp_path):
    out = tmp_path / "ana.declara-case.zip"
    doc = casezip.write_case_zip(store, ana, out)
    return out, doc


def _refused(path, other_store, match, **kw):
    with pytest.raises(CaseFileError, match=match):
        doc = casezip.read_case_zip(path, **kw)
        import_case(other_store, doc)
    assert other_store.clients() == []
    assert other_store.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0


@pytest.mark.parametrize(
    "name", ["../evil", "/etc/passwd", "documents/../../x", "documents/ABC", "notes.txt", "documents/"]
)
def test_a_member_outside_documents_sha_is_refused(archive, other_store, tmp_path, name):
    path = _rewrite(archive[0], tmp_path / "bad.zip", add=[(name, b"x")])
    _refused(path, other_store, "never holds")


def test_a_member_whose_size_differs_is_refused(archive, other_store, tmp_path):
    sha = archive[1]["documents"][1]["original"]["sha256"]
    path = _rewrite(archive[0], tmp_path / "bad.zip", replace={f"documents/{sha}": b"%PDF-1.7 short"})
    _refused(path, other_store, "not the")


def test_a_member_whose_sha_differs_is_refused(archive, other_store, tmp_path):
    item = archive[1]["documents"][1]["original"]
    forged = b"X" * item["size"]
    path = _rewrite(archive[0], tmp_path / "bad.zip", replace={f"documents/{item['sha256']}": forged})
    _refused(path, other_store, "SHA-256")


def test_a_missing_or_unnamed_member_is_refused(archive, other_store, tmp_path):
    sha = archive[1]["documents"][1]["original"]["sha256"]
    _refused(_rewrite(archive[0], tmp_path / "a.zip", drop=[f"documents/{sha}"]), other_store, "lacks")
    extra = "documents/" + hashlib.sha256(b"extra").hexdigest()
    _refused(_rewrite(archive[0], tmp_path / "b.zip", add=[(extra, b"extra")]), other_store, "does not name")


def test_declared_sizes_over_the_bound_are_refused_before_reading(archive, other_store):
    total = sum(
        {
            b["sha256"]: b["size"] for d in archive[1]["documents"] for b in [d["original"], *d["revisions"]]
        }.values()
    )
    _refused(archive[0], other_store, "too large", max_total=total - 1)
    assert casezip.read_case_zip(archive[0], max_total=total)["version"] == 2


def test_a_zip_bomb_member_is_refused(archive, other_store, tmp_path):
    """A member claiming a small size that inflates far beyond it: reading stops at the size
    case.json gives (the header is forged to match it)."""
    item = archive[1]["documents"][1]["original"]
    name = f"documents/{item['sha256']}"
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive[0]) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = b"\0" * (64 * 1024 * 1024) if info.filename == name else zin.read(info.filename)
            zout.writestr(info.filename, data)
    raw = bytearray(bomb.read_bytes())
    # Forge the central directory's uncompressed size of the bomb to what case.json says.
    with zipfile.ZipFile(bomb) as zf:
        info = zf.getinfo(name)
    real = (64 * 1024 * 1024).to_bytes(4, "little")
    at = raw.rfind(name.encode()) - 46 + 24
    assert raw[at : at + 4] == real
    raw[at : at + 4] = item["size"].to_bytes(4, "little")
    bomb.write_bytes(bytes(raw))
    assert info.compress_size < 1024 * 1024
    _refused(bomb, other_store, "SHA-256|not a readable ZIP")


def test_not_a_zip_and_a_zip_without_case_json(other_store, tmp_path):
    bad = tmp_path / "x.declara-case.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    _refused(bad, other_store, "not a readable ZIP")
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("documents/" + "0" * 64, b"")
    _refused(empty, other_store, "no case.json")


def test_bad_cross_references_in_documents(archive, other_store, tmp_path):
    def dangling(case):
        case["documents"][0]["links"]["event"] = "ev-nowhere"
        case["documents"][1]["current"] = 5
        return case

    path = _rewrite(archive[0], tmp_path / "bad.zip", case=dangling)
    with pytest.raises(CaseFileError) as info:
        casezip.read_case_zip(path)
    fields = {p.field for p in info.value.problems}
    assert "$.documents[0].links.event" in fields and "$.documents[1].current" in fields
