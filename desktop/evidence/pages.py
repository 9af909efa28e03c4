"""Page operations on a document's bytes, all in memory: count, turn, reorder or delete, render, text.

Every function takes the bytes and their media ("pdf", "jpeg", "png", "tiff") and returns new
bytes of the same media (or an image, or text); nothing touches the disk.

- PDF pages are turned with the page's /Rotate entry (pikepdf), which is lossless: the content is
  not redrawn. Reordering builds a new PDF with the pages in the new order (pages left out are
  deleted); the document information (title, author…) is copied.
- Images are turned with Pillow (the picture grows to hold the turned page). A JPEG is encoded again
  at quality 92 (there is no lossless JPEG rotation without a separate tool); PNG and TIFF are
  lossless. A multi-page TIFF's pages can be reordered; a single image has only page 0.
- Rendering uses pypdfium2 for PDFs and Pillow for images. PDFium is not safe to call from two
  threads at once (a preview on the GUI thread while text recognition renders in a worker), so every
  call into it holds :data:`PDFIUM_LOCK`. A page is never rendered larger than
  ``MAX_IMAGE_PIXELS``: a huge page size is rendered at a lower resolution.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from desktop.errors import ValidationError
from desktop.i18n import N_

if TYPE_CHECKING:
    from PIL import Image

Media = Literal["pdf", "jpeg", "png", "tiff"]
IMAGE_MEDIA = ("jpeg", "png", "tiff")
MAX_IMAGE_PIXELS = 120_000_000
JPEG_QUALITY = 92

#: Held around every call into PDFium (pypdfium2), which has process-wide state.
PDFIUM_LOCK = threading.RLock()

NO_SUCH_PAGE = N_("There is no page {page}: the document has {pages} pages.")
BAD_ROTATION = N_("A page turns by 90, 180 or 270 degrees, not {degrees}.")
EMPTY_ORDER = N_("A document keeps at least one page.")
REPEATED_PAGE = N_("Page {page} is listed twice in the new order.")
PAGES_UNREADABLE = N_("The pages of this document could not be read.")

_PIL_FORMAT = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF"}


def _check_media(media: str) -> None:
    if media != "pdf" and media not in IMAGE_MEDIA:
        raise ValueError(f"unknown media {media!r}")


# -- PDF -------------------------------------------------------------------------------------------
@contextmanager
def pdfium_document(data: bytes) -> Iterator[Any]:
    """A pypdfium2 document over ``data`` (in memory), with :data:`PDFIUM_LOCK` held throughout."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ValidationError(PAGES_UNREADABLE) from exc
        try:
            yield document
        finally:
            document.close()


def _open_pikepdf(data: bytes) -> Any:
    import pikepdf

    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        raise ValidationError(PAGES_UNREADABLE) from exc


def _save_pikepdf(pdf: Any) -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _render_pdf(data: bytes, index: int, dpi: int, grayscale: bool) -> Image.Image:
    with pdfium_document(data) as document:
        count = len(document)
        _check_index(index, count)
        page = document[index]
        try:
            width, height = page.get_size()  # points, before /Rotate (the area is the same)
            scale = dpi / 72
            if width * height * scale * scale > MAX_IMAGE_PIXELS:
                scale = math.sqrt(MAX_IMAGE_PIXELS / (width * height)) * 0.999
            bitmap = page.render(scale=scale, grayscale=grayscale)
            try:
                image = bitmap.to_pil()
                image = image.convert("L" if grayscale else "RGB")
            finally:
                bitmap.close()
        finally:
            page.close()
    return image


# -- images ----------------------------------------------------------------------------------------
def _open_image(data: bytes) -> Image.Image:
    from PIL import Image

    try:
        return Image.open(io.BytesIO(data))
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(PAGES_UNREADABLE) from exc


def _frames(data: bytes) -> list[Image.Image]:
    """Every frame of an image, decoded (a multi-page TIFF has several)."""
    with _open_image(data) as image:
        frames = []
        for i in range(getattr(image, "n_frames", 1)):
            image.seek(i)
            frames.append(image.copy())
        return frames


def _save_images(frames: Sequence[Image.Image], media: str, source: Image.Image) -> bytes:
    """``frames`` saved as ``media``, keeping the source's resolution, colour profile and EXIF."""
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if source.info.get("dpi"):
        options["dpi"] = source.info["dpi"]
    if source.info.get("icc_profile"):
        options["icc_profile"] = source.info["icc_profile"]
    if media == "jpeg":
        exif = source.getexif()
        for tag in (0x0112, 0x8825):  # orientation (the pixels are upright), GPS (never kept)
            exif.pop(tag, None)
        options.update(quality=JPEG_QUALITY, exif=exif.tobytes())
        frames[0].save(out, "JPEG", **options)
    elif media == "png":
        frames[0].save(out, "PNG", **options)
    else:
        compression = "group4" if all(f.mode == "1" for f in frames) else "tiff_deflate"
        frames[0].save(out, "TIFF", save_all=True, append_images=list(frames[1:]),
                       compression=compression, **options)
    return out.getvalue()


def _check_index(index: int, count: int) -> None:
    if not isinstance(index, int) or not 0 <= index < count:
        raise ValidationError(NO_SUCH_PAGE, page=index + 1 if isinstance(index, int) else index,
                              pages=count)


def _clockwise(degrees: int) -> int:
    if not isinstance(degrees, int) or degrees % 90:
        raise ValidationError(BAD_ROTATION, degrees=degrees)
    return degrees % 360


def _check_order(order: Sequence[int], count: int) -> list[int]:
    order = list(order)
    if not order:
        raise ValidationError(EMPTY_ORDER)
    seen: set[int] = set()
    for index in order:
        _check_index(index, count)
        if index in seen:
            raise ValidationError(REPEATED_PAGE, page=index + 1)
        seen.add(index)
    return order


# -- the operations --------------------------------------------------------------------------------
def page_count(data: bytes, media: Media) -> int:
    """How many pages: PDF pages, TIFF frames, 1 for a JPEG or PNG."""
    _check_media(media)
    if media == "pdf":
        with _open_pikepdf(data) as pdf:
            return len(pdf.pages)
    if media != "tiff":
        return 1
    with _open_image(data) as image:
        return int(getattr(image, "n_frames", 1))


def rotate(data: bytes, media: Media, rotations: Mapping[int, int]) -> bytes:
    """Turn pages clockwise: ``{0-based page: 90 | 180 | 270}``; returns new bytes of ``media``."""
    _check_media(media)
    turns = {index: _clockwise(degrees) for index, degrees in rotations.items()}
    if media == "pdf":
        with _open_pikepdf(data) as pdf:
            for index in turns:
                _check_index(index, len(pdf.pages))
            for index, degrees in turns.items():
                if degrees:
                    pdf.pages[index].rotate(degrees, relative=True)
            return _save_pikepdf(pdf)
    with _open_image(data) as source:
        frames = _frames(data)
        for index in turns:
            _check_index(index, len(frames))
        for index, degrees in turns.items():
            if degrees:
                frames[index] = frames[index].rotate(-degrees, expand=True)  # Pillow turns anticlockwise
        return _save_images(frames, media, source)


def rearrange(data: bytes, media: Media, order: Sequence[int]) -> bytes:
    """The pages in a new ``order`` (0-based); pages not named are deleted; at least one page."""
    _check_media(media)
    if media == "pdf":
        import pikepdf

        with _open_pikepdf(data) as pdf:
            order = _check_order(order, len(pdf.pages))
            with pikepdf.new() as new:
                for index in order:
                    new.pages.append(pdf.pages[index])
                try:
                    for key, value in pdf.docinfo.items():
                        new.docinfo[key] = value
                except (pikepdf.PdfError, TypeError, ValueError):
                    pass  # the document information is a courtesy; the pages are what matter
                return _save_pikepdf(new)
    with _open_image(data) as source:
        frames = _frames(data)
        order = _check_order(order, len(frames))
        if order == list(range(len(frames))):
            return data
        return _save_images([frames[i] for i in order], media, source)


def render_page(data: bytes, media: Media, index: int, dpi: int = 150, *,
                grayscale: bool = False) -> Image.Image:
    """Page ``index`` as a Pillow image (RGB, or L with ``grayscale``); PDFs at ``dpi``.

    An image page is returned at its own resolution (``dpi`` does not scale it).
    """
    _check_media(media)
    if media == "pdf":
        return _render_pdf(data, index, dpi, grayscale)
    from PIL import Image

    with _open_image(data) as image:
        _check_index(index, int(getattr(image, "n_frames", 1)))
        image.seek(index)
        frame = image.copy()
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        frame = frame.convert("RGBA")
        background = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(background, frame)
    if grayscale:
        return frame.convert("L")
    return frame if frame.mode in ("RGB", "L") else frame.convert("RGB")


def page_texts(data: bytes, media: Media) -> list[str]:
    """The text embedded in each page of a PDF (``""`` for a page with none); ``[]`` for an image."""
    _check_media(media)
    if media != "pdf":
        return []
    texts = []
    with pdfium_document(data) as document:
        for i in range(len(document)):
            page = document[i]
            try:
                texts.append(_page_text(page))
            finally:
                page.close()
    return texts
