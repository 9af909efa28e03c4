"""Assembling the filing packet in memory (pikepdf; the generated pages by reportlab).

Order (Immigration Court Practice Manual ch. 3.3): the cover, the index of exhibits with the page
range of each, then per exhibit a tab page and its pages (a foreign-language document followed by
its English translation and the certificate of translation, 8 C.F.R. § 1003.33), and the proof of
service last (8 C.F.R. § 1003.32).

Every page is placed on a US Letter page (landscape pages on landscape Letter) and stamped with a
consecutive number, "Page 7 of 300", in a bottom band of :data:`BAND` points that nothing else
uses: an exhibit's page is scaled down (to about 96 % for a Letter page) and centred above the
band, never cropped. Pages are merged as PDF (form XObjects): text stays text, nothing is
rasterised. Scans are recompressed (JPEG quality 75, at most 300 dpi) only when a single page
would not fit in a part otherwise. Nothing is written to disk.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.errors import DeclaraError
from desktop.filing import pages as generated
from desktop.filing.split import PartPlan, part_name, plan_parts
from desktop.i18n import N_, translator

LETTER = (612.0, 792.0)
#: The bottom band, in points, kept for the page number.
BAND = 28.0
STAMP_SIZE = 9.0
STAMP_Y = 11.0
DEFAULT_LIMIT = 25 * 1000 * 1000
#: Parts are planned at this share of the limit, then measured.
SAFETY = 0.92

TOO_LARGE = N_(
    "A single page of exhibit {label} is larger than the limit of {limit} MB even after its scans "
    "were recompressed; raise the limit or replace the scan."
)


class PacketTooLarge(DeclaraError):
    pass


@dataclass(frozen=True)
class IndexEntry:
    label: str
    description: str
    first_page: int
    last_page: int


@dataclass(frozen=True)
class BuiltPart:
    name: str
    data: bytes
    first_page: int
    last_page: int


@dataclass(frozen=True)
class BuiltPacket:
    parts: list[BuiltPart]
    index: list[IndexEntry]
    pages: int
    pdf: bytes
    lang: str = "en"
    #: 1-based page numbers of the tab pages and their text ("Exhibit D (continued)").
    tabs: dict[int, str] = field(default_factory=dict)


@dataclass
class ExhibitInput:
    """One exhibit: its label ("A"), its line in the index, and its PDFs in order (the document,
    then its translation and certificate)."""

    label: str
    description: str
    pdfs: list[bytes]


@dataclass
class PacketInput:
    lang: str
    cover: generated.Cover
    exhibits: list[ExhibitInput]
    service: dict[str, Any] | None
    basename: str = "packet"


@dataclass
class _Page:
    src: Any  # pikepdf.Page
    fit: bool  # an exhibit's page: scaled above the band
    tab: str = ""  # the tab's words when this is a tab page
    outline: str = ""  # a bookmark that points here
    owner: Any = None  # the Pdf the page belongs to, kept open while it is used


def label_for(position: int, numbering: str = "letters") -> str:
    """The exhibit label of 0-based ``position``: A … Z, AA, AB … (or 1, 2, 3 …)."""
    if numbering == "numbers":
        return str(position + 1)
    out = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _open(data: bytes) -> Any:
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


def _stream_bytes(obj: Any, seen: set[tuple[int, int]]) -> int:
    """The raw bytes of a page's or form's streams, images and nested forms, each counted once."""
    import pikepdf

    total = 0
    contents = obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    if isinstance(obj, pikepdf.Stream):
        streams = [obj]
    for stream in streams:
        if stream.objgen not in seen:
            seen.add(stream.objgen)
            total += len(stream.read_raw_bytes())
    resources = obj.get("/Resources") or {}
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.objgen in seen:
            continue
        if xobject.get("/Subtype") == "/Form":
            total += _stream_bytes(xobject, seen)
        else:
            seen.add(xobject.objgen)
            total += len(xobject.read_raw_bytes())
    return total


def _page_sizes(pdf: Any, data_size: int) -> list[int]:
    """An estimate of each page's share of a part: its streams; the rest (fonts, structure) on
    the first page."""
    seen: set[tuple[int, int]] = set()
    sizes = [_stream_bytes(page.obj, seen) for page in pdf.pages]
    if sizes:
        sizes[0] += max(0, data_size - sum(sizes))
    return sizes


def recompress(pdf: Any, *, quality: int = 75, max_side: int = 3300) -> bool:
    """Recompress the large raster images of ``pdf`` in place (JPEG, ``quality``, at most
    ``max_side`` pixels on the long side, i.e. 300 dpi on Letter); True when any got smaller."""
    import pikepdf
    from PIL import Image

    changed = False
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        images = page.get_images() if hasattr(page, "get_images") else page.images  # pikepdf >= 10
        for raw in list(images.values()):
            if raw.objgen in seen and raw.objgen != (0, 0):
                continue  # an image shared by pages is recompressed once
            seen.add(raw.objgen)
            if raw.get("/ImageMask"):
                continue  # a stencil mask is not a scan
            try:
                image = pikepdf.PdfImage(raw).as_pil_image()
            except Exception:  # noqa: BLE001, S112 (an image pikepdf cannot decode stays as it is)
                continue
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            if max(image.size) > max_side:
                image.thumbnail((max_side, max_side), Image.LANCZOS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() < len(raw.read_raw_bytes()):
                raw.write(out.getvalue(), filter=pikepdf.Name.DCTDecode)
                raw.Width, raw.Height = image.size
                raw.ColorSpace = pikepdf.Name.DeviceRGB if image.mode == "RGB" else pikepdf.Name.DeviceGray
                raw.BitsPerComponent = 8
                for key in ("/DecodeParms", "/Decode"):
                    if key in raw:
                        del raw[key]
                changed = True
    return changed


def _letter_for(width: float, height: float) -> tuple[float, float]:
    return (LETTER[1], LETTER[0]) if width > height else LETTER


def _visible_rect(form: Any) -> tuple[float, float, float, float]:
    """The form's bounding box after its matrix: what the page shows."""
    x0, y0, x1, y1 = (float(v) for v in form.BBox)
    a, b, c, d, e, f = (float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    xs, ys = [], []
    for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)


def _stamp_operators(text: str, page_width: float) -> bytes:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = stringWidth(text, "Helvetica", STAMP_SIZE)
    x = (page_width - width) / 2
    encoded = (
        text.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    )
    return b"BT /DeclaraStamp %.1f Tf %.2f %.2f Td (" % (STAMP_SIZE, x, STAMP_Y) + encoded + b") Tj ET\n"


def _place(out: Any, page: _Page, number: int, total: int, font: Any, lang: str) -> None:
    """Append ``page`` to ``out`` on a Letter page, scaled to leave the band, and stamped."""
    import pikepdf

    form = out.copy_foreign(page.src.as_form_xobject())
    x0, y0, x1, y1 = _visible_rect(form)
    width, height = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    pw, ph = _letter_for(width, height)
    if page.fit:
        scale = min(1.0, pw / width, (ph - BAND) / height)
        tx = (pw - width * scale) / 2 - x0 * scale
        ty = BAND + ((ph - BAND) - height * scale) / 2 - y0 * scale
    else:  # a page Declara made: Letter with 1-inch margins, the band is already clear
        scale = min(1.0, pw / width, ph / height)
        tx, ty = -x0 * scale, -y0 * scale
    stamp = translator(lang)(generated.STAMP).format(page=number, total=total)
    ops = b"q %.5f 0 0 %.5f %.3f %.3f cm /DeclaraPage Do Q\n" % (scale, scale, tx, ty)
    ops += _stamp_operators(stamp, pw)
    new = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, pw, ph],
        Resources=pikepdf.Dictionary(
            XObject=pikepdf.Dictionary(DeclaraPage=form), Font=pikepdf.Dictionary(DeclaraStamp=font)
        ),
        Contents=out.make_stream(ops),
    )
    out.pages.append(pikepdf.Page(new))


def _stamp_font(out: Any) -> Any:
    import pikepdf

    return out.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )


def _write(pages: Sequence[_Page], first: int, total: int, lang: str, title: str) -> bytes:
    import pikepdf

    out = pikepdf.new()
    font = _stamp_font(out)
    for offset, page in enumerate(pages):
        _place(out, page, first + offset, total, font, lang)
    with out.open_outline() as outline:
        for i, page in enumerate(pages):
            if page.outline:
                outline.root.append(pikepdf.OutlineItem(page.outline, i))
    out.docinfo["/Title"] = title
    out.docinfo["/Creator"] = "Declara"
    buffer = io.BytesIO()
    out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def build_packet(spec: PacketInput, *, limit_bytes: int | None = DEFAULT_LIMIT) -> BuiltPacket:
    """The packet of ``spec`` as a :class:`BuiltPacket`: the whole PDF and its parts, each under
    ``limit_bytes`` (None: one part, no limit). Raises :class:`PacketTooLarge`."""
    lang = spec.lang
    cover = _open(generated.cover_pdf(spec.cover, lang))
    proof = _open(generated.proof_pdf(spec.service, spec.cover, lang)) if spec.service else None
    tab_size = len(generated.tab_pdf("A", "x" * 60, lang))
    sources: list[list[tuple[Any, int]]] = []  # per exhibit: (pikepdf page, estimated size)
    opened: list[list[Any]] = []
    for exhibit in spec.exhibits:
        pdfs = [_open(data) for data in exhibit.pdfs]
        opened.append(pdfs)
        sources.append(
            [
                (page, size)
                for pdf, data in zip(pdfs, exhibit.pdfs, strict=True)
                for page, size in zip(pdf.pages, _page_sizes(pdf, len(data)), strict=True)
            ]
        )
    budget = int(limit_bytes * SAFETY) if limit_bytes else None
    if budget is not None:
        for n, exhibit in enumerate(spec.exhibits):
            if any(size + tab_size > budget for _p, size in sources[n]):
                changed = [recompress(pdf) for pdf in opened[n]]
                if any(changed):
                    sources[n] = [
                        (page, size)
                        for pdf in opened[n]
                        for page, size in zip(pdf.pages, _page_sizes(pdf, _saved_size(pdf)), strict=True)
                    ]
                if any(size + tab_size > budget for _p, size in sources[n]):
                    raise PacketTooLarge(TOO_LARGE, label=exhibit.label, limit=_mb(limit_bytes))
    index_pages = 1
    for _attempt in range(8):
        front = tab_size * (1 + index_pages)
        back = tab_size
        plans = plan_parts(front, [[s for _p, s in pages] for pages in sources], tab_size, back, budget)
        sequence, part_pages, rows, tabs = _sequence(spec, plans, sources, cover, proof, index_pages)
        index_bytes = generated.index_pdf(rows, lang)
        index = _open(index_bytes)
        if len(index.pages) != index_pages:
            index_pages = len(index.pages)
            continue
        for i, page in enumerate(index.pages):
            sequence[1 + i].src, sequence[1 + i].owner = page, index
        total = len(sequence)
        title = spec.cover.title
        parts: list[BuiltPart] = []
        start = 0
        for number, count in enumerate(part_pages, start=1):
            chunk = sequence[start : start + count]
            data = _write(chunk, start + 1, total, lang, title)
            parts.append(
                BuiltPart(part_name(spec.basename, number, len(part_pages)), data, start + 1, start + count)
            )
            start += count
        if budget is not None and any(len(part.data) > limit_bytes for part in parts):  # type: ignore[operator]
            budget = int(budget * 0.8)
            continue
        whole = parts[0].data if len(parts) == 1 else _write(sequence, 1, total, lang, title)
        entries = [IndexEntry(*row) for row in rows]
        return BuiltPacket(parts=parts, index=entries, pages=total, pdf=whole, lang=lang, tabs=tabs)
    raise PacketTooLarge(TOO_LARGE, label="?", limit=_mb(limit_bytes or 0))


def _saved_size(pdf: Any) -> int:
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.tell()


def _mb(limit: int) -> str:
    return f"{limit / 1_000_000:g}"


def _sequence(
    spec: PacketInput,
    plans: list[PartPlan],
    sources: list[list[tuple[Any, int]]],
    cover: Any,
    proof: Any,
    index_pages: int,
) -> tuple[list[_Page], list[int], list[tuple[str, str, int, int]], dict[int, str]]:
    """The pages in order, how many go in each part, the index rows and the tab pages."""
    t = translator(spec.lang)
    sequence: list[_Page] = [_Page(cover.pages[0], False, outline=t(COVER))]
    blank = cover.pages[0]
    sequence += [
        _Page(blank, False, outline=t(generated.INDEX_TITLE) if i == 0 else "") for i in range(index_pages)
    ]
    part_pages: list[int] = []
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    tabs: dict[int, str] = {}
    counted = 0
    for plan in plans:
        for segment in plan.segments:
            exhibit = spec.exhibits[segment.exhibit]
            words = generated.tab_text(exhibit.label, spec.lang, continued=segment.continued)
            tab = _open(
                generated.tab_pdf(exhibit.label, exhibit.description, spec.lang, continued=segment.continued)
            )
            title = f"{words} — {exhibit.description}" if exhibit.description else words
            sequence.append(_Page(tab.pages[0], False, tab=words, outline=title, owner=tab))
            tabs[len(sequence)] = words
            first.setdefault(segment.exhibit, len(sequence))
            for page, _size in sources[segment.exhibit][segment.start : segment.end]:
                sequence.append(_Page(page, True))
            last[segment.exhibit] = len(sequence)
        if plan.back and proof is not None:
            sequence.append(_Page(proof.pages[0], False, outline=t(generated.PROOF_TITLE)))
        part_pages.append(len(sequence) - counted)
        counted = len(sequence)
    rows = [
        (exhibit.label, exhibit.description, first[n], last[n]) for n, exhibit in enumerate(spec.exhibits)
    ]
    return sequence, part_pages, rows, tabs


COVER = N_("Cover page")
