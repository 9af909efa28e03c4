"""Reading a picked file into a document (desktop.evidence.intake): what is accepted, what is refused.

Every file is made here, in memory, from fictional data (bench/scans.py); tmp_path holds only the
files a user would pick. Each bad input is refused with its own message, which renders in Spanish.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tempfile
import time
import zipfile
import zlib

import pikepdf
import pytest
from PIL import Image, ImageDraw

from bench import scans
from desktop.errors import ValidationError
from desktop.evidence import intake
from desktop.evidence.intake import DocumentRefused, inspect_bytes, inspect_file
from desktop.i18n import using_language

A_NUMBER = "A 201-555-077"


@pytest.fixture(scope="module")
def i213() -> bytes:
    return scans.i213_pdf_with_text(A_NUMBER)


def _encrypted(data: bytes, **encryption) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(**encryption))
        return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(width: int = 100, height: int = 100) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height), 255).save(out, "PNG")
    return out.getvalue()


def _huge_png_header() -> bytes:
    """A valid PNG signature and header claiming 50,000 × 50,000 pixels (7.5 GB as RGB), 1 KB of data."""
    header = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + _chunk(b"IEND", b""))


def _ztxt_bomb() -> bytes:
    """A 100 × 100 PNG with a compressed text chunk that unpacks to 64 MB (the file is ~65 KB)."""
    png = _png()
    bomb = _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"\x00" * (64 * 1024 * 1024), 9))
    return png[:33] + bomb + png[33:]  # after the signature (8) and IHDR (25)


def _refusal(data: bytes, name: str) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as caught:
        inspect_bytes(data, name)
    return caught.value


# -- PDFs ------------------------------------------------------------------------------------------
def test_a_pdf_with_text_gives_its_pages_and_text(i213):
    got = inspect_bytes(i213, "i213.pdf")
    assert (got.media, got.pages, got.display, got.display_media, got.made) == ("pdf", 2, None, None, ())
    assert got.original == i213
    first, second = got.text.split("\f")
    assert A_NUMBER in first and "Form I-213" in first
    assert "Continuation page" in second
    assert got.notes == ()


def test_a_scanned_pdf_has_no_embedded_text():
    got = inspect_bytes(scans.clearance_certificate_pdf(), "solvencia.pdf")
    assert (got.media, got.pages, got.text, got.display) == ("pdf", 1, "", None)


def test_a_pdf_that_needs_a_password_is_refused(i213):
    locked = _encrypted(i213, owner="owner-secret", user="open-secret")
    assert inspect_bytes(i213, "ok.pdf").pages == 2  # the same PDF without a password is accepted
    assert _refusal(locked, "locked.pdf").msgid == intake.PDF_ENCRYPTED


def test_a_pdf_with_only_restrictions_opens_as_received_with_a_note(i213):
    restricted = _encrypted(i213, owner="owner-secret", user="",
                            allow=pikepdf.Permissions(extract=False, modify_other=False))
    got = inspect_bytes(restricted, "restricted.pdf")
    assert got.original == restricted and got.display is None and got.made == ()
    assert got.pages == 2 and A_NUMBER in got.text
    assert got.notes == (intake.RESTRICTED_PDF,)


def test_a_pdf_without_its_cross_reference_table_is_repaired(i213):
    damaged = i213[: i213.rfind(b"xref")]  # the xref table and trailer cut off
    got = inspect_bytes(damaged, "cut.pdf")
    assert got.original == damaged
    assert got.made == ("repaired",) and got.display_media == "pdf"
    assert got.notes == (intake.REPAIRED,)
    assert got.pages == 2 and A_NUMBER in got.text
    with pikepdf.open(io.BytesIO(got.display)) as repaired:  # the repaired copy opens cleanly
        assert len(repaired.pages) == 2
        assert repaired.get_warnings() == []


def test_a_pdf_damaged_beyond_repair_is_refused(i213):
    cut = i213[: len(i213) * 2 // 3]  # the catalog and page tree are in the lost third
    assert _refusal(cut, "cut.pdf").msgid == intake.PDF_DAMAGED


def test_a_file_that_claims_to_be_a_pdf_but_is_not_is_refused():
    garbage = b"%PDF-1.7\n" + bytes(range(256)) * 40
    assert _refusal(garbage, "fake.pdf").msgid == intake.NOT_A_PDF
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("documento.txt", "hola")
    assert _refusal(archive.getvalue(), "solvencia.pdf").msgid == intake.NOT_A_PDF
    assert _refusal(archive.getvalue(), "solvencia.docx").msgid == intake.UNSUPPORTED_TYPE


def test_the_type_comes_from_the_bytes_not_the_name(i213):
    assert inspect_bytes(_png(), "looks-like.pdf").media == "png"
    assert inspect_bytes(scans.phone_photo_jpeg(gps=False, orientation=1), "photo.png").media == "jpeg"
    assert inspect_bytes(i213, "scan.jpg").media == "pdf"


def test_too_many_pages_is_refused(i213, monkeypatch):
    monkeypatch.setattr(intake, "MAX_PAGES", 1)
    assert _refusal(i213, "long.pdf").msgid == intake.TOO_MANY_PAGES
    monkeypatch.setattr(intake, "MAX_PAGES", 2)
    assert _refusal(scans.multipage_tiff(3), "long.tif").msgid == intake.TOO_MANY_PAGES
    assert inspect_bytes(scans.multipage_tiff(2), "ok.tif").pages == 2


# -- sizes -----------------------------------------------------------------------------------------
def test_an_empty_file_is_refused(tmp_path):
    empty = tmp_path / "vacío.pdf"
    empty.write_bytes(b"")
    with pytest.raises(DocumentRefused) as caught:
        inspect_file(empty)
    assert caught.value.msgid == intake.EMPTY_FILE and caught.value.params["name"] == "vacío.pdf"
    assert _refusal(b"", "").msgid == intake.EMPTY_FILE


def test_a_sparse_4_gb_file_is_refused_from_its_size_without_reading_it(tmp_path, monkeypatch):
    huge = tmp_path / "enorme.pdf"
    huge.write_bytes(b"%PDF-1.7\n")
    os.truncate(huge, 4 * 1024**3)  # sparse: takes no disk space

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(intake, "open", no_reading, raising=False)
    start = time.perf_counter()
    with pytest.raises(DocumentRefused) as caught:
        inspect_file(huge)
    assert time.perf_counter() - start < 0.5
    assert caught.value.msgid == intake.FILE_TOO_LARGE
    assert caught.value.params == {"name": "enorme.pdf", "size": 4096, "limit": 512}


def test_a_file_just_over_the_limit_is_refused_and_one_at_it_is_read(tmp_path, monkeypatch, i213):
    monkeypatch.setattr(intake, "MAX_DOCUMENT_BYTES", len(i213))
    exact = tmp_path / "exact.pdf"
    exact.write_bytes(i213)
    assert inspect_file(exact).pages == 2
    over = tmp_path / "over.pdf"
    over.write_bytes(i213 + b"\n")
    with pytest.raises(DocumentRefused) as caught:
        inspect_file(over)
    assert caught.value.msgid == intake.FILE_TOO_LARGE


def test_a_folder_or_a_missing_file_is_refused(tmp_path):
    for path, msgid in ((tmp_path, intake.NOT_A_FILE), (tmp_path / "nada.pdf", intake.NOT_FOUND)):
        with pytest.raises(DocumentRefused) as caught:
            inspect_file(path)
        assert caught.value.msgid == msgid


# -- images ----------------------------------------------------------------------------------------
def test_an_image_claiming_50000_by_50000_pixels_is_refused_before_decoding():
    start = time.perf_counter()
    refused = _refusal(_huge_png_header(), "bomba.png")
    assert time.perf_counter() - start < 0.5
    assert refused.msgid == intake.IMAGE_TOO_LARGE
    assert (refused.params["width"], refused.params["height"]) == (50_000, 50_000)


def test_a_jpeg_header_claiming_too_many_pixels_is_refused():
    data = bytearray(scans.phone_photo_jpeg())
    sof = data.find(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", 20_000, 20_000)  # height, width
    assert _refusal(bytes(data), "grande.jpg").msgid == intake.IMAGE_TOO_LARGE


def test_a_decompression_bomb_is_refused():
    assert inspect_bytes(_png(), "ok.png").pages == 1  # the same picture without the bomb is fine
    bomb = _ztxt_bomb()
    assert len(bomb) < 200_000
    assert _refusal(bomb, "bomba.png").msgid == intake.IMAGE_BOMB


def test_pillows_own_decompression_bomb_error_is_the_same_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow refuses over 2000 pixels
    assert _refusal(_png(100, 100), "bomba.png").msgid == intake.IMAGE_BOMB


def test_a_truncated_image_is_refused():
    photo = scans.phone_photo_jpeg()
    assert _refusal(photo[: len(photo) // 2], "cortada.jpg").msgid == intake.IMAGE_DAMAGED


def test_a_phone_photo_is_turned_upright_and_its_location_removed_the_original_kept():
    photo = scans.phone_photo_jpeg(orientation=6, gps=True)
    got = inspect_bytes(photo, "IMG_0001.jpg")
    assert hashlib.sha256(got.original).hexdigest() == hashlib.sha256(photo).hexdigest()
    with Image.open(io.BytesIO(photo)) as original:  # the original still says where it was taken
        assert original.getexif().get_ifd(0x8825)[1] == "N"
    assert got.made == ("orientation", "location_removed") and got.display_media == "jpeg"
    assert got.notes == (intake.ORIENTATION_APPLIED, intake.LOCATION_REMOVED)
    with Image.open(io.BytesIO(got.display)) as shown:
        assert shown.size == (480, 640)  # stored 640 × 480, turned a quarter clockwise
        # the red block stored at the top-left is at the top-right once turned clockwise
        red = shown.convert("RGB").getpixel((shown.width - 20, 20))
        assert red[0] > 150 and red[1] < 80 and red[2] < 80
        exif = shown.getexif()
        assert 0x8825 not in exif and not exif.get_ifd(0x8825)
        assert 0x0112 not in exif
        assert exif.get(0x0132) == "2026:03:14 10:21:05"  # the date taken is kept
    assert got.pages == 1 and got.text == ""


def test_a_photo_with_location_but_upright_only_loses_its_location():
    got = inspect_bytes(scans.phone_photo_jpeg(orientation=1, gps=True), "IMG_0002.jpg")
    assert got.made == ("location_removed",)
    with Image.open(io.BytesIO(got.display)) as shown:
        assert shown.size == (640, 480)
        assert not shown.getexif().get_ifd(0x8825)


def test_a_picture_with_nothing_to_change_gets_no_derived_revision():
    for data, media in ((scans.phone_photo_jpeg(orientation=1, gps=False), "jpeg"),
                        (_png(), "png"), (scans.multipage_tiff(3), "tiff")):
        got = inspect_bytes(data, "plain")
        assert (got.media, got.display, got.display_media, got.made, got.notes) == (media, None, None, (), ())


def test_a_tiff_whose_pages_say_to_turn_them_is_shown_turned_and_stays_lossless():
    frames = []
    for i in range(2):
        frame = Image.new("L", (200 + 10 * i, 100), 255)
        ImageDraw.Draw(frame).rectangle((0, 0, 19, 19), fill=0)  # a black corner, top-left as stored
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], tiffinfo={0x0112: 6})
    got = inspect_bytes(out.getvalue(), "fax.tif")
    assert (got.made, got.display_media, got.pages) == (("orientation",), "tiff", 2)
    with Image.open(io.BytesIO(got.display)) as shown:
        for index, width in enumerate((200, 210)):
            shown.seek(index)
            assert shown.size == (100, width)  # a quarter turn clockwise
            assert shown.getpixel((shown.width - 5, 5)) == 0 and shown.getpixel((5, 5)) == 255
            assert shown.getexif().get(0x0112, 1) == 1  # nothing left to turn


def test_a_multipage_tiff_has_one_page_per_frame():
    got = inspect_bytes(scans.multipage_tiff(4), "fax.tif")
    assert (got.media, got.pages) == ("tiff", 4)


def test_reading_files_writes_nothing(tmp_path, monkeypatch, i213):
    empty_tmp, work = tmp_path / "tmp", tmp_path / "cwd"
    empty_tmp.mkdir()
    work.mkdir()
    monkeypatch.setenv("TMPDIR", str(empty_tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(work)
    assert tempfile.gettempdir() == str(empty_tmp)
    inspect_bytes(i213[: i213.rfind(b"xref")], "cut.pdf")  # repaired
    inspect_bytes(scans.phone_photo_jpeg(), "IMG_0003.jpg")  # turned, location removed
    inspect_bytes(scans.multipage_tiff(3), "fax.tif")
    assert list(empty_tmp.iterdir()) == [] and list(work.iterdir()) == []


# -- messages --------------------------------------------------------------------------------------
def _every_refusal(i213: bytes, tmp_path) -> list[DocumentRefused]:
    refusals = [
        _refusal(b"", "vacío.pdf"),
        _refusal(b"%PDF-1.7\n" + b"\x00garbage" * 50, "falso.pdf"),
        _refusal(b"PK\x03\x04" + b"\x00" * 100, "archivo.docx"),
        _refusal(_encrypted(i213, owner="a", user="b"), "clave.pdf"),
        _refusal(i213[: len(i213) * 2 // 3], "dañado.pdf"),
        _refusal(_huge_png_header(), "grande.png"),
        _refusal(_ztxt_bomb(), "bomba.png"),
        _refusal(scans.phone_photo_jpeg()[:3000], "cortada.jpg"),
    ]
    huge = tmp_path / "enorme.pdf"
    huge.write_bytes(b"%PDF-1.7\n")
    os.truncate(huge, 4 * 1024**3)
    for path in (huge, tmp_path, tmp_path / "no-existe.pdf"):
        with pytest.raises(DocumentRefused) as caught:
            inspect_file(path)
        refusals.append(caught.value)
    return refusals


def test_each_refusal_has_its_own_message_and_it_renders_in_spanish(i213, tmp_path):
    refusals = _every_refusal(i213, tmp_path)
    assert all(isinstance(r, ValidationError) for r in refusals)
    assert len({r.msgid for r in refusals}) == len(refusals)  # no two cases share a message
    for refusal in refusals:
        english = refusal.message()
        with using_language("es"):
            spanish = refusal.message()
        assert "{" not in english and "{" not in spanish
        assert spanish != english, refusal.msgid  # translated (the catalog has it)
        name = refusal.params.get("name")
        assert name and name in spanish


def test_a_refusal_without_a_name_says_so_in_the_users_language():
    refused = _refusal(b"", "")
    assert "(no name)" in refused.message()
