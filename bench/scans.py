"""Fictional evidence files for the tests and the benchmark, made in memory and the same on every run.

Every person, number and office here is invented. The "scans" are drawn with reportlab, rasterized
with pypdfium2 as a scanner would (grayscale, about 200 dpi), optionally turned a little and
speckled, then wrapped in a PDF that holds only the picture: there is no text in it to copy, so
text recognition has to find the words. Nothing is written to disk.

- :func:`clearance_certificate_pdf` — a one-page police clearance ("constancia de antecedentes
  policiales", also called "solvencia") from an invented office of the Policía Nacional Civil.
- :func:`scanned_pdf` — an image-only PDF of N pages of typed Spanish text, optionally padded to
  about ``target_bytes`` (20 pages ≈ 10 MB, like a FOIA response, for the benchmark).
- :func:`phone_photo_jpeg` — a JPEG as a phone takes it: EXIF Orientation and a GPS position.
- :func:`multipage_tiff` — a multi-page TIFF whose pages differ in size, so their order shows.
- :func:`i213_pdf_with_text` — a PDF with real text naming an A-number, like an I-213 from FOIA.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

SCAN_DPI = 200
LETTER = (612.0, 792.0)  # points

_CERTIFICATE_LINES = (
    ("bold", 15, "POLICÍA NACIONAL CIVIL"),
    ("bold", 12, "DIVISIÓN DE REGISTRO Y CONTROL"),
    ("", 11, ""),
    ("bold", 14, "CONSTANCIA DE ANTECEDENTES POLICIALES"),
    ("bold", 12, "SOLVENCIA No. PNC-2026-0487213"),
    ("", 11, ""),
    ("", 11, "La Policía Nacional Civil hace constar que, según los registros de"),
    ("", 11, "esta institución, la persona:"),
    ("bold", 13, "{name}"),
    ("", 11, "con documento de identidad número 04821937-5, NO REGISTRA"),
    ("", 11, "antecedentes policiales a la fecha de su emisión."),
    ("", 11, ""),
    ("", 11, "Se extiende la presente solvencia a solicitud de la persona"),
    ("", 11, "interesada, para los usos que estime convenientes."),
    ("", 11, ""),
    ("", 11, "San Miguel, catorce de marzo de dos mil veintiséis."),
    ("", 11, "Fecha de emisión: 14/03/2026. Válida por seis meses."),
    ("", 11, ""),
    ("", 11, "Jefe de la Sección de Solvencias (firma ilegible)"),
)

_FILLER = (
    "Expediente número {n}: la persona declaró ante la oficina que salió de su comunidad",
    "después de recibir amenazas; el informe describe los hechos en orden de fecha.",
    "Se adjuntan copias de los documentos presentados y de las notas de la entrevista.",
    "La oficina registró la solicitud y asignó el caso a la unidad de seguimiento.",
    "Observaciones: ninguna. Documento generado para pruebas, con datos ficticios.",
)


def _fonts() -> tuple[str, str]:
    from desktop.documents.fonts import register_fonts

    families = register_fonts()
    return families.sans, families.bold(families.sans)


def _text_pdf(pages: Sequence[Sequence[tuple[str, int, str]]], *, title: str = "") -> bytes:
    """A PDF with real text: each page a list of (style, size, line)."""
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = _fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=LETTER, invariant=1)
    if title:
        canvas.setTitle(title)
    for lines in pages:
        y = LETTER[1] - 90
        for style, size, text in lines:
            canvas.setFont(bold if style == "bold" else regular, size)
            if style == "bold" and size >= 12:
                canvas.drawCentredString(LETTER[0] / 2, y, text)
            else:
                canvas.drawString(72, y, text)
            y -= size * 1.7
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _rasterize(pdf: bytes, dpi: int = SCAN_DPI) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        images = []
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            images.append(bitmap.to_pil().convert("L"))
            bitmap.close()
            page.close()
        return images
    finally:
        doc.close()


def _scan_look(image: Image.Image, rng: random.Random, *, rotated: float, noise: bool,
               grain: int = 0) -> Image.Image:
    """Turn the page a little, add speckles and paper grain, as a flatbed scan of a copy looks."""
    if rotated:
        image = image.rotate(-rotated, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if noise:
        draw = ImageDraw.Draw(image)
        w, h = image.size
        for _ in range(w * h // 900):  # dust: ~0.1% of the page
            x, y = rng.randrange(w), rng.randrange(h)
            r = rng.choice((0, 0, 0, 1))
            draw.rectangle((x, y, x + r, y + r), fill=rng.randrange(0, 110))
    if grain:
        w, h = image.size
        paper = Image.frombytes("L", (w, h), rng.randbytes(w * h))
        image = Image.blend(image, paper, grain / 255)
    return image


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(SCAN_DPI, SCAN_DPI))
    return out.getvalue()


def image_pdf(jpegs: Sequence[bytes], dpi: int = SCAN_DPI) -> bytes:
    """A PDF whose pages are the JPEG pictures and nothing else (what a scanner's "PDF" writes)."""
    import pikepdf

    pdf = pikepdf.new()
    for data in jpegs:
        with Image.open(io.BytesIO(data)) as picture:
            w, h = picture.size
            colors = pikepdf.Name.DeviceGray if picture.mode == "L" else pikepdf.Name.DeviceRGB
        image = pikepdf.Stream(pdf, data)
        image.Type = pikepdf.Name.XObject
        image.Subtype = pikepdf.Name.Image
        image.Width, image.Height = w, h
        image.ColorSpace = colors
        image.BitsPerComponent = 8
        image.Filter = pikepdf.Name.DCTDecode
        pw, ph = w * 72 / dpi, h * 72 / dpi
        content = pikepdf.Stream(pdf, f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode())
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, round(pw, 2), round(ph, 2)],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
            Contents=content,
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def clearance_certificate_pdf(name: str = "Rosa Amelia Portillo Meza", *, rotated: float = 0,
                              noise: bool = True) -> bytes:
    """A scanned (image-only) police clearance naming ``name``; ``rotated`` degrees clockwise."""
    lines = [(style, size, text.format(name=name)) for style, size, text in _CERTIFICATE_LINES]
    page = _rasterize(_text_pdf([lines], title="Constancia"))[0]
    page = _scan_look(page, random.Random(f"clearance:{name}"), rotated=rotated, noise=noise)
    return image_pdf([_jpeg(page, 85)])


def scanned_pdf(pages: int, *, seed: int = 0, target_bytes: int | None = None) -> bytes:
    """An image-only PDF of ``pages`` pages of typed text; about ``target_bytes`` when given.

    The size comes from paper grain (a real scan's JPEG is mostly grain), tuned on the first page
    and the JPEG quality, so each page weighs about ``target_bytes / pages``.
    """
    if pages < 1:
        raise ValueError("at least one page")
    rng = random.Random(seed)
    texts = []
    for n in range(pages):
        lines: list[tuple[str, int, str]] = [("bold", 13, f"INFORME {seed}-{n + 1:03d}"), ("", 11, "")]
        for k in range(22):
            lines.append(("", 11, _FILLER[(n + k) % len(_FILLER)].format(n=f"{seed}-{n + 1}-{k + 1}")))
        texts.append(lines)
    rasters = _rasterize(_text_pdf(texts))
    grain, quality = 0, 75
    if target_bytes:
        per_page = target_bytes / pages
        first = rasters[0]
        for grain, quality in ((0, 75), (8, 75), (16, 80), (24, 85), (32, 90), (48, 92), (64, 95)):
            probe = _jpeg(_scan_look(first.copy(), random.Random(seed), rotated=0, noise=True,
                                     grain=grain), quality)
            if len(probe) >= per_page * 0.9:
                break
    jpegs = [
        _jpeg(_scan_look(raster, rng, rotated=rng.uniform(-1.5, 1.5), noise=True, grain=grain), quality)
        for raster in rasters
    ]
    return image_pdf(jpegs)


def phone_photo_jpeg(*, orientation: int = 6, gps: bool = True) -> bytes:
    """A 640×480 photo as stored by a phone held upright: pixels sideways, EXIF says how to turn.

    The stored pixels have a red block at the top-left corner and a blue one at the top-right;
    with orientation 6 ("rotate 90° clockwise to view") the red block ends at the top-right.
    """
    image = Image.new("RGB", (640, 480), (235, 232, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 119, 89), fill=(200, 30, 30))
    draw.rectangle((560, 0, 639, 59), fill=(30, 30, 200))
    draw.text((200, 220), "Foto de prueba", fill=(20, 20, 20), font=ImageFont.load_default())
    exif = Image.Exif()
    exif[0x010F] = "Ficticia"  # Make
    exif[0x0110] = "Telefono de prueba"  # Model
    exif[0x0132] = "2026:03:14 10:21:05"  # DateTime
    if orientation != 1:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {
            1: "N", 2: (13.0, 28.0, 55.2),  # GPSLatitudeRef, GPSLatitude (fictional place)
            3: "W", 4: (88.0, 10.0, 33.6),  # GPSLongitudeRef, GPSLongitude
            5: b"\x00", 6: 117.0,  # altitude above sea level, metres
        }
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def multipage_tiff(pages: int = 3) -> bytes:
    """A TIFF of ``pages`` grayscale pages; page i is (300 + 20·i) × 400 pixels and shows "i + 1"."""
    frames = []
    for i in range(pages):
        frame = Image.new("L", (300 + 20 * i, 400), 255)
        ImageDraw.Draw(frame).text((40, 40), f"Pagina {i + 1}", fill=0, font=ImageFont.load_default())
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate",
                   dpi=(200, 200))
    return out.getvalue()


def i213_pdf_with_text(a_number: str = "A 201-555-077") -> bytes:
    """A two-page PDF with embedded text, like an I-213 received from a FOIA request (fictional)."""
    first = [
        ("bold", 13, "U.S. Department of Homeland Security"),
        ("bold", 13, "Record of Deportable/Inadmissible Alien (Form I-213)"),
        ("", 11, ""),
        ("", 11, f"A-Number: {a_number}"),
        ("", 11, "Family name: PORTILLO MEZA   First name: ROSA AMELIA"),
        ("", 11, "Country of citizenship: El Salvador   Date of birth: 03/09/1994"),
        ("", 11, "Date of apprehension: 06/12/2026   Place: near Hidalgo, Texas"),
        ("", 11, "Narrative: the subject stated she left her country after threats."),
    ]
    second = [
        ("bold", 13, "Continuation page (Form I-831)"),
        ("", 11, f"Subject A-Number {a_number}: interviewed with a Spanish interpreter."),
        ("", 11, "This record is fictional and made for software tests."),
    ]
    return _text_pdf([first, second], title="I-213")


def line_pdf(*pages: str) -> bytes:
    """A small PDF (US Letter) with one line of embedded text per page: a born-digital document."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter, invariant=1)
    for text in pages:
        c.setFont("Helvetica", 14)
        c.drawString(72, 700, text)
        c.showPage()
    c.save()
    return out.getvalue()
