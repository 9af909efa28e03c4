"""The document service on a real encrypted vault, with small PDFs and images made in memory."""

from __future__ import annotations

import hashlib
import io
import stat

import pytest

from bench.scans import line_pdf as make_pdf
from desktop.errors import NotFound, ValidationError
from desktop.evidence.blobs import BlobStore
from desktop.evidence.service import DocumentService, DuplicateDocument, title_from_filename


def page_texts(data: bytes) -> list[str]:
    from desktop.evidence import pages

    return [" ".join(t.split()) for t in pages.page_texts(data, "pdf")]


def rotations(data: bytes) -> list[int]:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [int(page.obj.get("/Rotate", 0)) % 360 for page in pdf.pages]


@pytest.fixture
def service(store):
    return DocumentService(store)


@pytest.fixture
def client(store):
    return store.create("client", {"given_names": "Lucía", "family_names": "Ávila Tzoc"}).id


CLEARANCE = make_pdf("Constancia de Solvencia Policial", "Policia Nacional Civil, El Salvador")


def _count(store, table):
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_add_stores_the_original_and_the_record_together(service, store, client, tmp_path):
    path = tmp_path / "solvencia_PNC 2023.pdf"
    path.write_bytes(CLEARANCE)
    doc = service.add(client, path, kind="police_clearance", language="es")
    data = doc.data
    assert doc.kind == "document" and doc.client_id == client
    assert data["title"] == "solvencia PNC 2023" and data["filename"] == "solvencia_PNC 2023.pdf"
    assert data["kind"] == "police_clearance" and data["language"] == "es" and data["pages"] == 2
    assert data["original"] == {
        "sha256": hashlib.sha256(CLEARANCE).hexdigest(),
        "size": len(CLEARANCE),
        "media": "pdf",
    }
    assert data["current"] == 0 and data["revisions"][0]["made"] == "import"
    assert data["text_source"] == "embedded"
    assert service.original(doc) == (CLEARANCE, "pdf")
    assert service.current(doc) == (CLEARANCE, "pdf")
    assert [d.id for d in service.documents(client)] == [doc.id]
    assert "Solvencia" in service.text(doc.id)[0] and service.text(doc.id)[1] == "embedded"


def test_add_from_bytes_defaults(service, client):
    doc = service.add(client, make_pdf("x"))
    assert doc.data["kind"] == "other" and doc.data["filename"] is None
    assert doc.data["title"] == "Untitled document"
    titled = service.add(client, make_pdf("y"), filename="scans/I-213_Lucia.pdf", title="  Form  I-213 ")
    assert titled.data["title"] == "Form I-213" and titled.data["filename"] == "I-213_Lucia.pdf"


def test_title_from_filename():
    assert title_from_filename("acta_de__nacimiento.PDF") == "acta de nacimiento"
    assert title_from_filename(".hidden") == ".hidden"
    assert title_from_filename(None) == ""


def test_same_file_twice_for_one_client_is_refused_and_stored_once_for_two(service, store, client):
    first = service.add(client, CLEARANCE, filename="solvencia.pdf")
    before = store.snapshot()
    with pytest.raises(DuplicateDocument) as err:
        service.add(client, CLEARANCE, filename="copia.pdf")
    assert err.value.existing_id == first.id and "solvencia" in str(err.value)
    assert store.snapshot() == before
    other = store.create("client", {"given_names": "Mateo"}).id
    second = service.add(other, CLEARANCE, filename="solvencia.pdf")
    assert second.id != first.id and second.client_id == other
    assert _count(store, "blobs") == 2  # the PDF once, and its text once


def test_refused_input_leaves_nothing(service, store, client):
    from desktop.evidence.intake import DocumentRefused

    before = store.snapshot()
    with pytest.raises(DocumentRefused):
        service.add(client, b"%PDF-1.4 this is not really a PDF", filename="fake.pdf")
    with pytest.raises(ValidationError):
        service.add(client, make_pdf("x"), kind="passport")
    assert store.snapshot() == before and _count(store, "blobs") == 0


def test_rotate_rearrange_revert_add_revisions_and_keep_the_original(service, client):
    doc = service.add(client, make_pdf("one", "two", "three"), filename="i213.pdf")
    turned = service.rotate(doc.id, {1: 90})
    data, media = service.current(turned)
    assert media == "pdf" and rotations(data) == [0, 90, 0]
    assert turned.data["current"] == 1 and turned.data["revisions"][1]["made"] == "rotate"
    assert service.rotate(doc.id, {0: 0}).rev == turned.rev  # nothing to turn: no revision

    moved = service.rearrange(doc.id, [2, 0])
    data, _ = service.current(moved)
    assert page_texts(data) == ["three", "one"] and moved.data["pages"] == 2
    assert rotations(data) == [0, 0]
    assert moved.data["revisions"][2]["made"] == "rearrange" and moved.data["current"] == 2
    assert "two" not in service.text(doc.id)[0]  # embedded text read again from the revision

    back = service.revert(doc.id, 1)
    assert back.data["current"] == 3 and len(back.data["revisions"]) == 4
    assert back.data["revisions"][3]["made"] == "revert"
    assert back.data["revisions"][3]["sha256"] == turned.data["revisions"][1]["sha256"]
    assert back.data["pages"] == 3 and "two" in service.text(doc.id)[0]
    assert service.original(back)[0] == service.original(doc)[0]
    with pytest.raises(ValidationError):
        service.revert(doc.id, 9)
    with pytest.raises(ValidationError):
        service.rearrange(doc.id, [])
    with pytest.raises(ValidationError):
        service.rotate(doc.id, {7: 90})


def test_image_pages_rotate(service, client):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, "PNG")
    doc = service.add(client, out.getvalue(), filename="foto.png", kind="photo")
    turned = service.rotate(doc.id, {0: 90})
    data, media = service.current(turned)
    assert media == "png" and Image.open(io.BytesIO(data)).size == (20, 40)


def test_a_derived_display_revision_is_stored_beside_the_original(service, store, client):
    from PIL import Image

    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held turned: show it rotated 90 degrees clockwise
    Image.new("RGB", (40, 20), "white").save(out, "JPEG", exif=exif)
    photo = out.getvalue()
    doc = service.add(client, photo, filename="IMG_0001.JPG", kind="photo")
    first = doc.data["revisions"][0]
    assert first["made"] == "orientation" and first["sha256"] != doc.data["original"]["sha256"]
    assert service.original(doc) == (photo, "jpeg")
    shown, media = service.current(doc)
    assert media == "jpeg" and Image.open(io.BytesIO(shown)).size == (20, 40)
    assert _count(store, "blobs") == 2


def test_link_to_records_of_the_same_client(service, store, client):
    doc = service.add(client, CLEARANCE)
    allegation = store.create("allegation", {"kind": "gang_affiliation"}, client_id=client)
    linked = service.link(doc.id, allegation=allegation.id)
    assert linked.data["links"]["allegation"] == allegation.id and linked.data["links"]["event"] is None
    other = store.create("client", {"given_names": "Mateo"}).id
    foreign = store.create("allegation", {"kind": "other"}, client_id=other)
    with pytest.raises(ValidationError):
        service.link(doc.id, allegation=foreign.id)
    with pytest.raises(ValidationError):
        service.link(doc.id, event=allegation.id)  # not an event
    with pytest.raises(ValidationError):
        service.link(doc.id, witness=allegation.id)
    assert service.link(doc.id, allegation=None).data["links"]["allegation"] is None


def test_export_is_private_atomic_and_never_inside_the_vault(service, client, vault, tmp_path):
    doc = service.add(client, make_pdf("a", "b"), filename="nta.pdf")
    service.rotate(doc.id, {0: 180})
    out = service.export(doc.id, tmp_path / "out.pdf")
    assert rotations(out.read_bytes()) == [180, 0]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    original = service.export(doc.id, tmp_path / "original.pdf", original=True)
    assert original.read_bytes() == service.original(doc)[0]
    folder = tmp_path / "exports"
    folder.mkdir()
    assert service.export(doc.id, folder) == folder / "nta.pdf"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp left
    before = sorted(p.name for p in vault.path.iterdir())
    for inside in (vault.path / "copy.pdf", vault.path, vault.path / "sub" / ".." / "x.pdf"):
        with pytest.raises(ValidationError):
            service.export(doc.id, inside)
    link = tmp_path / "link"
    link.symlink_to(vault.path, target_is_directory=True)
    with pytest.raises(ValidationError):
        service.export(doc.id, link / "x.pdf")
    assert sorted(p.name for p in vault.path.iterdir()) == before


def test_purge_original_keeps_only_the_current_revision(service, store, client):
    source = make_pdf("one", "two")
    doc = service.add(client, source)
    service.rotate(doc.id, {0: 90})
    current = service.rearrange(doc.id, [1])
    shared = service.add(store.create("client", {"given_names": "Mateo"}).id, source)  # same original
    purged = service.purge_original(doc.id)
    assert purged.data["revisions"] == [current.data["revisions"][2]] and purged.data["current"] == 0
    assert purged.data["original"] == doc.data["original"] and purged.data["purged"]
    assert service.current(purged) == service.current(current)
    blobs = BlobStore(store.vault)
    assert not blobs.has(current.data["revisions"][1]["sha256"])  # the rotated one: gone
    assert blobs.has(doc.data["original"]["sha256"])  # still the other client's original
    assert service.original(shared)[0] == source
    store.delete(shared.id)
    alone = service.add(client, make_pdf("solo"))
    service.rotate(alone.id, {0: 90})
    service.purge_original(alone.id)
    assert not blobs.has(alone.data["original"]["sha256"])
    with pytest.raises(NotFound):
        service.original(service.get(alone.id))


def test_search_combines_clients_and_document_text(service, store, client):
    doc = service.add(client, CLEARANCE, filename="constancia.pdf")
    i213 = service.add(client, make_pdf("Record of Deportable/Inadmissible Alien", "A 201-555-077"))
    for query in ("solvencia", "SOLVENCÍA", "policía nacional"):
        assert service.search(query) == [(client, doc.id)], query
    for query in ("A 201-555-077", "A201555077", "201-555-077", "201555077"):
        assert service.search(query) == [(client, i213.id)], query
    assert service.search("avila") == [(client, None)]
    assert service.search("lucia") == [(client, None)]
    service.set_text(doc.id, "Certificado de antecedentes penales", "ocr")
    assert service.search("solvencia") == []  # the text was replaced; the title says "constancia"
    assert service.search("constancia") == [(client, doc.id)]
    assert service.get(doc.id).data["text_source"] == "ocr"
    assert service.search("antecedentes") == [(client, doc.id)]
    assert service.search("solvencia", limit=0) == []
