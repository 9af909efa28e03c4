"""Page operations in memory (desktop.evidence.pages): turn, reorder, delete, render, read text.

The order of pages is checked by what is on them (their text) or by their sizes (the TIFF's pages
differ in width), the direction of a turn by where the ink lands when the page is rendered.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image, ImageDraw

from bench import scans
from desktop.errors import ValidationError
from desktop.evidence import pages


@pytest.fixture(scope="module")
def i213() -> bytes:
    return scans.i213_pdf_with_text("A 201-555-077")


def _tiff_sizes(data: bytes) -> list[tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        sizes = []
        for i in range(image.n_frames):
            image.seek(i)
            sizes.append(image.size)
        return sizes


def _ink(image: Image.Image) -> tuple[int, int, int, int]:
    """Dark pixels in the left, right, top and bottom halves of a page."""
    gray = image.convert("L")
    w, h = gray.size
    histogram = [gray.crop(box).histogram() for box in
                 ((0, 0, w // 2, h), (w // 2, 0, w, h), (0, 0, w, h // 2), (0, h // 2, w, h))]
    return tuple(sum(hist[:128]) for hist in histogram)


def _marked_jpeg() -> bytes:
    """640 × 480 with a red block at the top-left corner."""
    image = Image.new("RGB", (640, 480), "white")
    ImageDraw.Draw(image).rectangle((0, 0, 119, 89), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _is_red(pixel) -> bool:
    return pixel[0] > 150 and pixel[1] < 80 and pixel[2] < 80


# -- PDF -------------------------------------------------------------------------------------------
def test_a_pdf_page_is_turned_clockwise_without_redrawing_it(i213):
    turned = pages.rotate(i213, "pdf", {1: 90})
    with pikepdf.open(io.BytesIO(turned)) as pdf, pikepdf.open(io.BytesIO(i213)) as before:
        assert [int(p.obj.get("/Rotate", 0)) for p in pdf.pages] == [0, 90]
        for page, old in zip(pdf.pages, before.pages, strict=True):  # the drawing is untouched
            assert page.obj.Contents.read_bytes() == old.obj.Contents.read_bytes()
    upright = pages.render_page(i213, "pdf", 1, dpi=72)
    sideways = pages.render_page(turned, "pdf", 1, dpi=72)
    assert upright.size == (612, 792) and sideways.size == (792, 612)
    left, right, top, bottom = _ink(upright)
    assert top > bottom  # the text is at the top of the page…
    left, right, top, bottom = _ink(sideways)
    assert right > left  # …and a quarter turn clockwise takes the top to the right
    assert pages.page_count(turned, "pdf") == 2


def test_turns_add_up(i213):
    twice = pages.rotate(pages.rotate(i213, "pdf", {0: 90}), "pdf", {0: 270})
    with pikepdf.open(io.BytesIO(twice)) as pdf:
        assert int(pdf.pages[0].obj.get("/Rotate", 0)) % 360 == 0


def test_pdf_pages_are_reordered_and_deleted(i213):
    first, second = pages.page_texts(i213, "pdf")
    assert "Form I-213" in first and "Continuation page" in second
    assert pages.page_texts(pages.rearrange(i213, "pdf", [1, 0]), "pdf") == [second, first]
    only_second = pages.rearrange(i213, "pdf", [1])
    assert pages.page_count(only_second, "pdf") == 1
    assert pages.page_texts(only_second, "pdf") == [second]
    with pikepdf.open(io.BytesIO(only_second)) as pdf:
        assert str(pdf.docinfo.get("/Title")) == "I-213"  # the document information is kept


def test_bad_page_operations_are_refused(i213):
    cases = [
        (lambda: pages.rearrange(i213, "pdf", []), pages.EMPTY_ORDER),
        (lambda: pages.rearrange(i213, "pdf", [0, 0]), pages.REPEATED_PAGE),
        (lambda: pages.rearrange(i213, "pdf", [0, 2]), pages.NO_SUCH_PAGE),
        (lambda: pages.rotate(i213, "pdf", {0: 45}), pages.BAD_ROTATION),
        (lambda: pages.rotate(i213, "pdf", {5: 90}), pages.NO_SUCH_PAGE),
        (lambda: pages.render_page(i213, "pdf", 2), pages.NO_SUCH_PAGE),
        (lambda: pages.rearrange(scans.multipage_tiff(2), "tiff", [2]), pages.NO_SUCH_PAGE),
        (lambda: pages.rearrange(_marked_jpeg(), "jpeg", [1]), pages.NO_SUCH_PAGE),
        (lambda: pages.page_texts(b"%PDF-1.7 nothing here", "pdf"), pages.PAGES_UNREADABLE),
    ]
    for call, msgid in cases:
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.msgid == msgid
    with pytest.raises(ValidationError) as caught:
        pages.rotate(i213, "pdf", {5: 90})
    assert caught.value.params == {"page": 6, "pages": 2}


def test_a_pdf_renders_at_the_asked_resolution(i213):
    width, height = pages.render_page(i213, "pdf", 0, dpi=150).size  # 8.5 × 11 in
    assert abs(width - 1275) <= 1 and abs(height - 1650) <= 1
    gray = pages.render_page(i213, "pdf", 0, dpi=100, grayscale=True)
    assert gray.mode == "L" and abs(gray.width - 850) <= 1 and abs(gray.height - 1100) <= 1


def test_a_huge_pdf_page_is_rendered_within_the_pixel_limit(monkeypatch, i213):
    monkeypatch.setattr(pages, "MAX_IMAGE_PIXELS", 1_000_000)
    image = pages.render_page(i213, "pdf", 0, dpi=300)  # 2550 × 3300 would be 8.4 million
    assert image.width * image.height <= 1_000_000
    assert abs(image.width / image.height - 612 / 792) < 0.01


# -- TIFF ------------------------------------------------------------------------------------------
def test_tiff_pages_are_turned_reordered_and_deleted():
    tiff = scans.multipage_tiff(3)
    assert _tiff_sizes(tiff) == [(300, 400), (320, 400), (340, 400)]
    assert pages.page_count(tiff, "tiff") == 3
    turned = pages.rotate(tiff, "tiff", {2: 90})
    assert _tiff_sizes(turned) == [(300, 400), (320, 400), (400, 340)]
    reordered = pages.rearrange(tiff, "tiff", [2, 0])
    assert _tiff_sizes(reordered) == [(340, 400), (300, 400)]
    assert pages.page_count(reordered, "tiff") == 2
    assert pages.render_page(reordered, "tiff", 1).size == (300, 400)
    # lossless: the pixels of a moved page are the same
    assert pages.render_page(reordered, "tiff", 0).tobytes() == pages.render_page(tiff, "tiff", 2).tobytes()
    assert pages.page_texts(tiff, "tiff") == []


# -- single images ---------------------------------------------------------------------------------
def test_a_jpeg_is_turned_clockwise_with_the_picture_grown_to_fit():
    turned = pages.rotate(_marked_jpeg(), "jpeg", {0: 90})
    with Image.open(io.BytesIO(turned)) as image:
        assert image.format == "JPEG" and image.size == (480, 640)
        assert _is_red(image.convert("RGB").getpixel((image.width - 20, 20)))
        assert not _is_red(image.convert("RGB").getpixel((20, 20)))


def test_a_png_turned_half_a_turn_is_exact():
    picture = Image.new("RGB", (50, 30), "white")
    ImageDraw.Draw(picture).rectangle((0, 0, 9, 9), fill=(200, 30, 30))
    out = io.BytesIO()
    picture.save(out, "PNG")
    turned = pages.rotate(out.getvalue(), "png", {0: 180})
    with Image.open(io.BytesIO(turned)) as image:
        assert image.format == "PNG"
        assert image.convert("RGB").tobytes() == picture.transpose(Image.Transpose.ROTATE_180).tobytes()


def test_a_single_image_has_only_page_zero():
    jpeg = _marked_jpeg()
    assert pages.page_count(jpeg, "jpeg") == 1
    assert pages.rearrange(jpeg, "jpeg", [0]) == jpeg
    assert pages.render_page(jpeg, "jpeg", 0).size == (640, 480)
    with pytest.raises(ValidationError):
        pages.render_page(jpeg, "jpeg", 1)
