"""A file the user picked, read and checked before anything is stored: what it is, and what to show.

The type is told by the file's first bytes, never by its name (a ".pdf" that is a ZIP is refused as
"not a PDF"; a ".jpg" that is a PNG is read as the PNG it is). The size is checked with ``stat``
before a byte is read: an empty file or one over :data:`MAX_DOCUMENT_BYTES` is refused at once.

PDFs are opened from memory with pikepdf (qpdf):

- A PDF that needs a password to open is refused: Declara cannot show, search or check it.
- A PDF with only an owner password (restrictions on printing or copying, no password to open) is
  accepted: it opens and renders without a password. It is stored as received; a note says so, and
  that pages turned or reordered are saved without the restrictions.
- A damaged PDF that qpdf can repair (for example a broken cross-reference table) is accepted: the
  original is kept byte for byte, the repaired copy is the displayed revision (``made`` =
  ``("repaired",)``) and a note says it was repaired. One that cannot be opened is refused.

Images are read with Pillow, after the width and height in the file's header have been checked
against :data:`MAX_IMAGE_PIXELS` (a few hundred bytes can claim 50,000 × 50,000 pixels, 7.5 GB
decoded). A photo whose EXIF says to turn it, or that records where it was taken (GPS), gets a
derived revision: the picture turned upright and the location removed (a JPEG at quality 92; PNG and
TIFF stay lossless). The original is kept byte for byte.

Every refusal is a :class:`DocumentRefused` carrying its own message, rendered in the user's
language when shown. Nothing here writes to disk.
"""

from __future__ import annotations

import io
import math
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from desktop.errors import ValidationError
from desktop.evidence import pages as pages_mod
from desktop.i18n import N_, _

Media = Literal["pdf", "jpeg", "png", "tiff"]
MEDIA_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff"}

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
MAX_PAGES = 2000
MAX_IMAGE_PIXELS = pages_mod.MAX_IMAGE_PIXELS
DISPLAY_JPEG_QUALITY = 92

# -- refusals (each its own message) ---------------------------------------------------------------
NOT_FOUND = N_("“{name}” was not found; it may have been moved or deleted.")
NOT_A_FILE = N_("“{name}” is not a file (it may be a folder or a device), so it cannot be imported.")
UNREADABLE = N_("“{name}” could not be read. Check that it is still there and that you may open it.")
EMPTY_FILE = N_("“{name}” is empty (0 bytes): there is nothing to import.")
FILE_TOO_LARGE = N_(
    "“{name}” is {size} MB, over the limit of {limit} MB for one document. Split it into smaller files "
    "(for example by range of pages) and import those."
)
UNSUPPORTED_TYPE = N_(
    "“{name}” is not a PDF, JPEG, PNG or TIFF file, so it cannot be imported. Save or scan it as a PDF "
    "or as one of those image types."
)
NOT_A_PDF = N_(
    "“{name}” is named as a PDF but is not one: its contents are of another kind or unreadable. Ask for "
    "the document again, or scan the paper copy."
)
PDF_ENCRYPTED = N_(
    "“{name}” is protected with a password, so Declara cannot read it. Open it with its password in a "
    "PDF reader, save or print an unprotected copy as PDF, and import that copy."
)
PDF_DAMAGED = N_(
    "“{name}” is a damaged PDF that could not be repaired. Ask for the document again, or scan the "
    "paper copy."
)
PDF_NO_PAGES = N_("“{name}” is a PDF with no pages.")
TOO_MANY_PAGES = N_(
    "“{name}” has {pages} pages, over the limit of {limit} pages for one document. Split it and import "
    "the parts."
)
IMAGE_TOO_LARGE = N_(
    "“{name}” is an image of {width} × {height} pixels, over the limit of {limit} million pixels for "
    "a page. Scan it again at a lower resolution (300 dpi is enough for any document)."
)
IMAGE_BOMB = N_(
    "“{name}” was not opened: it is built to unpack into far more data than it holds, which could "
    "exhaust the computer's memory. Ask for the picture again, or scan the paper copy."
)
IMAGE_DAMAGED = N_(
    "“{name}” is a damaged or incomplete image that cannot be read. Ask for the picture again, or "
    "take or scan it again."
)
UNNAMED = N_("(no name)")

# -- notes for the user about an accepted file -----------------------------------------------------
REPAIRED = N_(
    "The PDF was damaged and has been repaired. The file as received is kept unchanged; the repaired "
    "copy is the one shown and filed."
)
RESTRICTED_PDF = N_(
    "The PDF carries restrictions set by its author (an owner password) but opens without a password. "
    "It is kept as received; pages you turn or reorder are saved without the restrictions."
)
ORIENTATION_APPLIED = N_("The photo was turned upright, as the camera recorded how it was held.")
LOCATION_REMOVED = N_(
    "The photo's location (GPS) was removed from the copy shown and filed. The file as received, with "
    "its location, is kept unchanged in the vault."
)


class DocumentRefused(ValidationError):
    """A file that cannot be imported; nothing was stored. ``msgid`` tells which case it is."""

    def message(self) -> str:
        params = dict(self.params)
        if not params.get("name"):
            params["name"] = _(UNNAMED)
        return _(self.msgid).format(**params)


@dataclass(frozen=True)
class Intake:
    media: Media
    original: bytes  # exactly the bytes read
    display: bytes | None  # a derived revision when one is needed, else None
    display_media: Media | None
    made: tuple[str, ...]  # what the derived revision did: "repaired", "orientation", "location_removed"
    pages: int  # of what is displayed
    text: str  # text embedded in a PDF ("" when none); pages separated by "\f"
    notes: tuple[str, ...]  # msgids (N_) to tell the user, translated when shown


# -- reading ---------------------------------------------------------------------------------------
def _megabytes(size: int) -> int:
    return math.ceil(size / (1024 * 1024))


def _check_size(size: int, name: str) -> None:
    if size == 0:
        raise DocumentRefused(EMPTY_FILE, name=name)
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(FILE_TOO_LARGE, name=name, size=_megabytes(size),
                              limit=_megabytes(MAX_DOCUMENT_BYTES))


def inspect_file(path: Path) -> Intake:
    """Read and check the file at ``path`` (its size first, with ``stat``); never writes anything."""
    path = Path(path)
    name = path.name
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DocumentRefused(NOT_FOUND, name=name) from None
    except OSError:
        raise DocumentRefused(UNREADABLE, name=name) from None
    if not stat.S_ISREG(info.st_mode):
        raise DocumentRefused(NOT_A_FILE, name=name)
    _check_size(info.st_size, name)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)  # the file may have grown since stat
    except OSError:
        raise DocumentRefused(UNREADABLE, name=name) from None
    return inspect_bytes(data, name)


def sniff(data: bytes) -> Media | None:
    """The media the first bytes say, or None. A PDF header may follow up to 1 KB of other bytes."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return None


def inspect_bytes(data: bytes, name: str = "") -> Intake:
    """Check ``data`` (a file's bytes; ``name`` only for messages) and say what to store and show."""
    data = bytes(data)
    name = Path(name).name if name else ""
    _check_size(len(data), name)
    media = sniff(data)
    if media is None:
        refusal = NOT_A_PDF if name.lower().endswith(".pdf") else UNSUPPORTED_TYPE
        raise DocumentRefused(refusal, name=name)
    if media == "pdf":
        return _inspect_pdf(data, name)
    return _inspect_image(data, media, name)


# -- PDF -------------------------------------------------------------------------------------------
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def _inspect_pdf(data: bytes, name: str) -> Intake:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise DocumentRefused(PDF_ENCRYPTED, name=name) from None
    except (pikepdf.PdfError, RuntimeError, ValueError) as exc:
        if "encrypt" in str(exc).lower():
            raise DocumentRefused(PDF_ENCRYPTED, name=name) from None
        refusal = PDF_DAMAGED if _OBJECT.search(data) else NOT_A_PDF
        raise DocumentRefused(refusal, name=name) from None
    notes: list[str] = []
    display: bytes | None = None
    try:
        with pdf:
            count = len(pdf.pages)
            if count > MAX_PAGES:
                raise DocumentRefused(TOO_MANY_PAGES, name=name, pages=count, limit=MAX_PAGES)
            for page in pdf.pages:  # every page's dictionary must be there
                page.mediabox  # noqa: B018
            restricted = pdf.is_encrypted
            repaired = bool(pdf.get_warnings())
            if count and repaired:
                display = _save(pdf)
    except (pikepdf.PdfError, RuntimeError, ValueError, TypeError, KeyError, AttributeError):
        raise DocumentRefused(PDF_DAMAGED, name=name) from None
    if count == 0:
        raise DocumentRefused(PDF_NO_PAGES, name=name)
    texts = _pdfium_texts(display if display is not None else data)
    if texts is None and display is None:
        # PDFium could not read what qpdf could: a copy written out by qpdf is the repair.
        display = _resave(data, name)
        texts = _pdfium_texts(display)
    if texts is None or len(texts) != count:
        raise DocumentRefused(PDF_DAMAGED, name=name)
    if display is not None:
        notes.append(REPAIRED)
    elif restricted:
        notes.append(RESTRICTED_PDF)
    return Intake(
        media="pdf",
        original=data,
        display=display,
        display_media="pdf" if display is not None else None,
        made=("repaired",) if display is not None else (),
        pages=count,
        text="\f".join(texts) if any(t.strip() for t in texts) else "",
        notes=tuple(notes),
    )


def _save(pdf: Any) -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _resave(data: bytes, name: str) -> bytes:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return _save(pdf)
    except (pikepdf.PdfError, RuntimeError, ValueError):
        raise DocumentRefused(PDF_DAMAGED, name=name) from None


def _pdfium_texts(data: bytes) -> list[str] | None:
    try:
        return pages_mod.page_texts(data, "pdf")
    except (ValidationError, RuntimeError, ValueError, OSError):
        return None


# -- images ----------------------------------------------------------------------------------------
def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's first SOF marker (before Pillow reads anything)."""
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no frame header before it
            return None
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            if i + 9 > n:
                return None
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


def _tiff_sizes(data: bytes) -> list[tuple[int, int]] | None:
    """Width and height of each page of a TIFF, from its directories (at most MAX_PAGES + 1)."""
    order = "<" if data[:2] == b"II" else ">"
    try:
        (offset,) = struct.unpack(order + "I", data[4:8])
        sizes: list[tuple[int, int]] = []
        seen: set[int] = set()
        while offset and len(sizes) <= MAX_PAGES:
            if offset in seen or offset + 2 > len(data):
                return sizes or None
            seen.add(offset)
            (entries,) = struct.unpack(order + "H", data[offset:offset + 2])
            width = height = 0
            for k in range(entries):
                start = offset + 2 + 12 * k
                tag, kind = struct.unpack(order + "HH", data[start:start + 4])
                if tag in (256, 257):
                    fmt = "H" if kind == 3 else "I"
                    (value,) = struct.unpack(order + fmt, data[start + 8:start + 8 + struct.calcsize(fmt)])
                    width, height = (value, height) if tag == 256 else (width, value)
            sizes.append((width, height))
            end = offset + 2 + 12 * entries
            (offset,) = struct.unpack(order + "I", data[end:end + 4])
        return sizes
    except struct.error:
        return None


def _header_sizes(data: bytes, media: str) -> list[tuple[int, int]] | None:
    if media == "png":
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return [struct.unpack(">II", data[16:24])]
    if media == "jpeg":
        size = _jpeg_size(data)
        return [size] if size else None
    return _tiff_sizes(data)


def _check_pixels(width: int, height: int, name: str) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise DocumentRefused(IMAGE_TOO_LARGE, name=name, width=width, height=height,
                              limit=MAX_IMAGE_PIXELS // 1_000_000)
    if width <= 0 or height <= 0:
        raise DocumentRefused(IMAGE_DAMAGED, name=name)


def _exif_facts(image: Any) -> tuple[int, bool]:
    """(EXIF orientation, whether a location is recorded) of the current frame.

    EXIF that cannot be parsed counts as recording a location: the derived revision is then written
    without any of it, so a position hidden in damaged metadata does not travel on.
    """
    try:
        exif = image.getexif()
        orientation = exif.get(0x0112, 1)
        located = bool(0x8825 in exif and exif.get_ifd(0x8825))
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on malformed EXIF
        return 1, True
    for key, value in image.info.items():
        if "xmp" in str(key).lower() and isinstance(value, str | bytes):
            located = located or b"GPS" in (value.encode() if isinstance(value, str) else value)
    return (orientation if isinstance(orientation, int) else 1), located


def _inspect_image(data: bytes, media: Media, name: str) -> Intake:
    from PIL import Image, UnidentifiedImageError

    sizes = _header_sizes(data, media)
    if not sizes:
        raise DocumentRefused(IMAGE_DAMAGED, name=name)
    for width, height in sizes:
        _check_pixels(width, height, name)
    if len(sizes) > MAX_PAGES:
        raise DocumentRefused(TOO_MANY_PAGES, name=name, pages=f"{MAX_PAGES}+", limit=MAX_PAGES)
    try:
        with Image.open(io.BytesIO(data)) as image:
            count = int(getattr(image, "n_frames", 1)) if media == "tiff" else 1
            if count > MAX_PAGES:
                raise DocumentRefused(TOO_MANY_PAGES, name=name, pages=count, limit=MAX_PAGES)
            turned = located = False
            for index in range(count):
                image.seek(index)
                _check_pixels(*image.size, name)
                orientation, has_location = _exif_facts(image)  # before load(): see _upright
                image.load()
                turned = turned or orientation in range(2, 9)
                located = located or has_location
            if not (turned or located):
                return Intake(media, data, None, None, (), count, "", ())
            display = _derived([_upright(image, index) for index in range(count)], media, image)
    except DocumentRefused:
        raise
    except Image.DecompressionBombError:
        raise DocumentRefused(IMAGE_BOMB, name=name) from None
    except MemoryError:
        raise DocumentRefused(IMAGE_BOMB, name=name) from None
    except ValueError as exc:
        refusal = IMAGE_BOMB if "decompressed" in str(exc).lower() else IMAGE_DAMAGED
        raise DocumentRefused(refusal, name=name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, EOFError, struct.error, IndexError, KeyError):
        raise DocumentRefused(IMAGE_DAMAGED, name=name) from None
    made = tuple(m for m, did in (("orientation", turned), ("location_removed", located)) if did)
    notes = tuple(n for n, did in ((ORIENTATION_APPLIED, turned), (LOCATION_REMOVED, located)) if did)
    return Intake(media, data, display, media, made, count, "", notes)


def _upright(image: Any, index: int) -> Any:
    """Frame ``index`` turned as its EXIF orientation says. Pillow 11+ turns a TIFF page itself
    while loading it (and drops the tag); a JPEG, or a TIFF under an older Pillow, still has it."""
    from PIL import ImageOps

    image.seek(index)
    image.load()
    if image.getexif().get(0x0112, 1) in range(2, 9):
        return ImageOps.exif_transpose(image)
    return image.copy()


def _derived(frames: list[Any], media: str, source: Any) -> bytes:
    """The pictures upright, without location: JPEG at quality 92; PNG and TIFF lossless."""
    from PIL import Image

    source.seek(0)
    try:
        exif = source.getexif()
        for tag in (0x0112, 0x8825):  # orientation (now applied), GPS
            exif.pop(tag, None)
        exif.tobytes()
    except Exception:  # noqa: BLE001 - malformed EXIF: none of it is kept
        exif = Image.Exif()
    options: dict[str, Any] = {}
    if source.info.get("icc_profile"):
        options["icc_profile"] = source.info["icc_profile"]
    if source.info.get("dpi"):
        options["dpi"] = source.info["dpi"]
    out = io.BytesIO()
    if media == "jpeg":
        picture = frames[0]
        if picture.mode not in ("RGB", "L", "CMYK"):
            picture = picture.convert("RGB")
        picture.save(out, "JPEG", quality=DISPLAY_JPEG_QUALITY, exif=exif.tobytes(), **options)
    elif media == "png":
        frames[0].save(out, "PNG", exif=exif.tobytes(), **options)
    else:
        compression = "group4" if all(f.mode == "1" for f in frames) else "tiff_deflate"
        frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], compression=compression,
                       **options)
    return out.getvalue()
