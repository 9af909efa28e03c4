"""The filing packet (desktop/filing): a demo-like client's packet built, read back independently
(poppler's pdftotext, pikepdf, PDFium), split under a small limit, refused when it must be, and
saved. Real encrypted vault; the people and documents are fictional."""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import subprocess

import pytest

from bench.scans import i213_pdf_with_text, line_pdf, phone_photo_jpeg, scanned_pdf
from desktop.case.casefile import import_case_file
from desktop.drafting.declarations import DeclarationService
from desktop.errors import ValidationError
from desktop.evidence.service import DocumentService
from desktop.filing.build import BAND, label_for
from desktop.filing.check import check_packet
from desktop.filing.packet import PacketFiled, PacketRefused, PacketService
from desktop.filing.settings import remember_service_address, service_address

PEARSALL = {"city": "Pearsall", "region": "Texas", "country": "US"}
INTERPRETER = {"name": "Rosa Medina", "address": "100 Example St.", "phone": "(210) 555-0134"}
SERVICE = {
    "method": "ecas",
    "date": "2026-12-10",
    "address": "DHS Office of the Principal Legal Advisor\n566 Veterans Drive\nPearsall, TX 78061",
    "attorney": "Elena Castillo Ruiz",
}
TITLE = "Respondent's Evidence in Support of Application for Asylum"


def texts(data: bytes) -> list[str]:
    """Each page's text by pdftotext (poppler), not by the code under test."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    pages = out.stdout.decode("utf-8").split("\f")
    return [" ".join(page.split()) for page in pages[:-1]]


def outline(data: bytes) -> list[tuple[str, int]]:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        where = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as tree:
            return [(str(item.title), where[item.destination[0].objgen]) for item in tree.root]


def demo_client(store, ana_path, *, foia_pages: int = 3, foia_bytes: int | None = None):
    """Ana (tests/data) with a signed declaration, a Spanish police clearance with its English
    translation document and translator, an I-213, a FOIA response and a photo, all linked."""
    client = import_case_file(store, ana_path)
    DeclarationService(store).sign(client, dt.date(2026, 11, 2), place=PEARSALL, interpreter=INTERPRETER)
    docs = DocumentService(store)
    allegation = store.children(client, "allegation")[0].id
    clearance = docs.add(
        client,
        line_pdf("Constancia de Solvencia", "Policia Nacional Civil de El Salvador"),
        title="Constancia de antecedentes penales",
        kind="police_clearance",
        language="es",
    )
    english = docs.add(
        client,
        line_pdf("Police clearance certificate (English translation)"),
        title="Police clearance, English",
        kind="translation",
        language="en",
    )
    docs.set_translation(clearance.id, document=english.id)
    docs.set_translator(
        clearance.id, name="Marta Quintanilla", address="120 Elm St., Dallas, TX", phone="214-555-0142"
    )
    i213 = docs.add(client, i213_pdf_with_text(), title="Form I-213", kind="i213", language="en")
    foia = docs.add(
        client,
        scanned_pdf(foia_pages, target_bytes=foia_bytes),
        title="FOIA response",
        kind="foia_response",
        language="en",
    )
    photo = docs.add(client, phone_photo_jpeg(), title="Photograph of the scar", kind="photo", language="en")
    for document in (clearance, english, i213, foia, photo):
        docs.link(document.id, allegation=allegation)
    ids = {
        "clearance": clearance.id,
        "english": english.id,
        "i213": i213.id,
        "foia": foia.id,
        "photo": photo.id,
    }
    return client, docs, ids


@pytest.fixture
def demo(store, ana_path):
    client, docs, ids = demo_client(store, ana_path)
    service = PacketService(store, docs)
    packet = service.create(
        client,
        title=TITLE,
        service=SERVICE,
        hearing={"date": "2026-12-18", "time": "09:00", "judge": "Hon. Ada Stone"},
    )
    return service, packet, ids


@pytest.fixture
def built(demo):
    service, packet, _ids = demo
    return service.build(packet.id)


def test_default_exhibits_in_order_without_the_translation_document(demo):
    _service, packet, ids = demo
    sources = [e["source"] for e in packet.data["exhibits"]]
    assert sources == [
        "declaration",
        "timeline",
        f"document:{ids['clearance']}",
        f"document:{ids['i213']}",
        f"document:{ids['foia']}",
        f"document:{ids['photo']}",
    ]


def test_labels():
    assert [label_for(n) for n in (0, 1, 25, 26, 27, 51, 52)] == ["A", "B", "Z", "AA", "AB", "AZ", "BA"]
    assert label_for(2, "numbers") == "3"


def test_the_index_agrees_with_the_tab_pages_found_independently(built):
    pages = texts(built.pdf)
    assert len(pages) == built.pages
    labels = "ABCDEF"
    tabs = {}
    for number, page in enumerate(pages, start=1):
        match = re.match(r"Exhibit ([A-F])( \(continued\))? ", page)
        if match and not match.group(2) and match.group(1) not in tabs:
            tabs[match.group(1)] = number
    assert sorted(tabs) == list(labels)
    proof = next(
        n
        for n, page in enumerate(pages, start=1)
        if page.startswith("In the Matter of") and "Proof of Service" in page
    )
    assert proof == built.pages  # the proof of service is the last page
    starts = [tabs[label] for label in labels] + [proof]
    expected = [(label, starts[i], starts[i + 1] - 1) for i, label in enumerate(labels)]
    assert [(e.label, e.first_page, e.last_page) for e in built.index] == expected
    # the index page prints the same ranges
    index_text = pages[1]
    assert index_text.startswith("Index of Exhibits")
    for label, first, last in expected:
        assert re.search(rf"\b{label}\b[^–]*pp\. {first}–{last}", index_text), label
    check_packet(built, limit_bytes=None)


def test_every_page_is_numbered_in_the_band_and_nothing_else_is_there(built):
    import pypdfium2 as pdfium

    pages = texts(built.pdf)
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Page {number} of {built.pages}"), (number, page[-60:])
    doc = pdfium.PdfDocument(built.pdf)
    for i in range(len(doc)):
        page = doc[i]
        width, height = page.get_size()
        assert (width, height) in ((612, 792), (792, 612))
        textpage = page.get_textpage()
        band = textpage.get_text_bounded(left=0, bottom=0, right=width, top=BAND)
        assert " ".join(band.split()) == f"Page {i + 1} of {built.pages}"
        # no character of the page's own content reaches into the band
        for k in range(textpage.count_chars()):
            box = textpage.get_charbox(k)
            if box[1] < BAND - 1:
                assert box[3] < BAND, (i + 1, box)
    doc.close()


def test_cover_translation_order_text_and_proof_of_service(built, demo):
    pages = texts(built.pdf)
    cover = pages[0]
    assert cover.index("DETAINED") < cover.index("UNITED STATES DEPARTMENT OF JUSTICE")
    assert "Hon. Ada Stone" in cover and "December 18, 2026 at 09:00" in cover
    assert TITLE.upper() in cover and "A 201-555-014" in cover
    c = built.index[2]
    exhibit = pages[c.first_page - 1 : c.last_page]
    spanish = next(i for i, p in enumerate(exhibit) if "Constancia de Solvencia" in p)
    english = next(
        i for i, p in enumerate(exhibit) if "Police clearance certificate (English translation)" in p
    )
    certificate = next(i for i, p in enumerate(exhibit) if i and "CERTIFICATE OF TRANSLATION" in p.upper())
    assert exhibit[0].startswith("Exhibit C ")
    assert 0 < spanish < english < certificate
    i213 = built.index[3]
    assert any(
        "Record of Deportable/Inadmissible Alien" in p for p in pages[i213.first_page - 1 : i213.last_page]
    )
    proof = pages[-1]
    for words in (
        "Proof of Service",
        "566 Veterans Drive",
        "Elena Castillo Ruiz",
        "December 10, 2026",
        "ECAS",
    ):
        assert words in proof
    titles = outline(built.pdf)
    assert titles[0] == ("Cover page", 1) and titles[-1] == ("Proof of Service", built.pages)
    for entry in built.index:
        assert (f"Exhibit {entry.label} — {entry.description}", entry.first_page) in titles


def test_split_under_two_megabytes_numbering_continuous_and_continued_tabs(store, ana_path):
    client, docs, ids = demo_client(store, ana_path, foia_pages=12, foia_bytes=5_000_000)
    service = PacketService(store, docs)
    packet = service.create(client, title=TITLE, service=SERVICE)
    built = service.build(packet.id, limit_bytes=2_000_000)
    assert len(built.parts) >= 3
    names = [p.name for p in built.parts]
    assert names == [f"Ana_Lucia_Perez_Gomez_Evidence_Part{n}.pdf" for n in range(1, len(names) + 1)]
    expected_first = 1
    continued = 0
    for part in built.parts:
        assert len(part.data) <= 2_000_000
        pages = texts(part.data)
        assert len(pages) == part.last_page - part.first_page + 1
        assert part.first_page == expected_first
        for offset, page in enumerate(pages):
            assert page.endswith(f"Page {part.first_page + offset} of {built.pages}")
        if part.first_page > 1:  # every later part starts with a tab page
            assert re.match(r"Exhibit [A-F]( \(continued\))? ", pages[0]), pages[0][:80]
        continued += sum(1 for p in pages if p.startswith("Exhibit E (continued)"))
        expected_first = part.last_page + 1
    assert expected_first == built.pages + 1
    assert continued >= 1
    foia = built.index[4]
    assert foia.description == "FOIA response"
    whole = texts(built.pdf)
    inside = [
        n
        for n in range(foia.first_page, foia.last_page + 1)
        if whole[n - 1].startswith("Exhibit E (continued)")
    ]
    assert inside and all(foia.first_page < n <= foia.last_page for n in inside)
    assert packet.id and service.get(packet.id).data["built"]["parts"][0]["name"] == names[0]


def test_refused_while_a_translation_is_missing(demo, store):
    service, packet, ids = demo
    docs = service.documents
    bare = docs.add(
        packet.client_id, line_pdf("Partida de nacimiento"), title="Partida de nacimiento", language="es"
    )
    exhibits = [
        *packet.data["exhibits"],
        {"source": f"document:{bare.id}", "description": "Birth certificate"},
    ]
    service.update(packet.id, {"exhibits": exhibits})
    with pytest.raises(PacketRefused) as caught:
        service.build(packet.id)
    message = caught.value.message()
    assert "Exhibit G" in message and "Partida de nacimiento" in message and "English translation" in message


def test_refused_while_the_declaration_is_not_signed(store, ana_path):
    client = import_case_file(store, ana_path)
    service = PacketService(store)
    packet = service.create(
        client,
        title=TITLE,
        exhibits=[{"source": "declaration", "description": "Declaration"}],
        service=SERVICE,
    )
    problems = service.problems(packet)
    assert problems == ["Exhibit A: the declaration is not signed yet; sign it before filing."]
    with pytest.raises(PacketRefused, match="not signed"):
        service.build(packet.id)
    no_service = service.create(client, title=TITLE, exhibits=[{"source": "timeline", "description": "x"}])
    assert any("Principal Legal Advisor" in p for p in service.problems(no_service))
    assert service.problems(service.create(client, title=TITLE, exhibits=[], service=SERVICE)) == [
        "The packet has no exhibits."
    ]


def test_a_filed_packet_is_frozen_and_a_new_version_can_change(demo):
    service, packet, _ids = demo
    filed = service.mark_filed(packet.id, "2026-12-11")
    with pytest.raises(PacketFiled, match="2026-12-11"):
        service.update(filed.id, {"title": "Another title"})
    with pytest.raises(PacketFiled):
        service.mark_filed(filed.id, "2026-12-12")
    copy = service.new_version(filed.id)
    assert copy.data["filed_on"] is None and copy.data["exhibits"] == filed.data["exhibits"]
    assert (
        service.update(copy.id, {"title": "Supplemental evidence"}).data["title"] == "Supplemental evidence"
    )
    assert service.get(filed.id).data["title"] == TITLE
    assert [p.id for p in service.packets(packet.client_id)] == [filed.id, copy.id]


def test_save_is_0600_and_never_inside_the_vault(built, demo, tmp_path, vault_path):
    service, _packet, _ids = demo
    out = tmp_path / "out"
    out.mkdir()
    paths = service.save(built, out, "Perez_Evidence")
    assert [p.name for p in paths] == ["Perez_Evidence.pdf"]
    assert stat.S_IMODE(paths[0].stat().st_mode) == 0o600
    assert paths[0].read_bytes() == built.pdf
    with pytest.raises(ValidationError, match="vault folder"):
        service.save(built, vault_path, "x")


def test_service_address_is_remembered_per_court(vault):
    assert service_address(vault, "Pearsall Immigration Court") is None
    remember_service_address(vault, "Pearsall Immigration Court", "566 Veterans Drive\nPearsall, TX")
    assert service_address(vault, "pearsall  immigration court") == "566 Veterans Drive\nPearsall, TX"
    assert service_address(vault, "Houston Immigration Court") is None
    remember_service_address(vault, "Pearsall Immigration Court", "")
    assert service_address(vault, "Pearsall Immigration Court") is None


def test_the_address_typed_once_is_offered_to_the_next_packet_for_that_court(store, ana_path):
    client = import_case_file(store, ana_path)
    service = PacketService(store)
    first = service.create(client, title=TITLE, exhibits=[{"source": "timeline", "description": "x"}])
    assert first.data["service"] is None
    service.update(first.id, {"service": SERVICE})
    assert service_address(store.vault, "Pearsall Immigration Court") == SERVICE["address"]
    second = service.create(client, title=TITLE, exhibits=[{"source": "timeline", "description": "x"}])
    assert second.data["service"]["address"] == SERVICE["address"]
    assert second.data["service"]["method"] == "ecas"
