"""The English translation of a foreign-language document, as filed with its certificate.

8 C.F.R. § 1003.33: a foreign-language document filed with the Immigration Court is accompanied by
an English translation and a certificate signed by the translator that they are competent to
translate and that the translation is accurate. Two shapes (see docs/documents.md, "Translations"):

- a translation typed in Declara: :func:`render_typed_translation` lays out a heading that names
  the original (title, kind, language, the short form of its SHA-256 and its page count, so the
  court can match the two), the text, and the certificate on its own page;
- a translation that is another document of the client: :func:`render_certificate` makes the
  certificate page and :func:`append_certificate` puts it after that document's pages (an image
  becomes a PDF page first), all in memory.

The translation is English by definition, so the PDF is English whatever the interface language;
the certificate's wording is the declaration's (:mod:`desktop.documents.declaration`). Like every
module of ``desktop.documents`` it renders what it is given and never opens a vault; reportlab,
Pillow and pikepdf are imported on first use.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.documents.declaration import (
    CERTIFICATE_OF_TRANSLATION,
    CERTIFICATE_OF_TRANSLATION_TEXT,
    LABEL_ADDRESS,
    LABEL_DATE,
    LABEL_PHONE,
    LABEL_PRINTED_NAME,
    LABEL_SIGNATURE,
    _language_name,
)
from desktop.documents.layout import DocumentInfo, document_styles, fingerprint, render_pdf, text
from desktop.i18n import N_, translator

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

#: The language of every translation filed with the court, and of its certificate.
ENGLISH = "en"
# Translators: the heading of a translation filed with the court; {title} is the original's title.
HEADING = N_("English translation of: {title}")
# Translators: lines under that heading that identify the original document.
ORIGINAL_KIND = N_("Kind of document: {kind}")
ORIGINAL_LANGUAGE = N_("Original language: {language}")
ORIGINAL_FILE = N_("Original: SHA-256 {digest}…, {pages} page(s)")
# Translators: the running footer of a translation; {title} is the original's title.
RUNNING_TITLE = N_("English translation: {title}")
#: Characters of the SHA-256 printed under the heading (the full one is in the vault and case file).
SHORT_DIGEST = 16
_NAME_BLANK = "______________________"


@dataclass(frozen=True)
class Original:
    """What the translation is a translation of, and for whom."""

    title: str
    kind: str  # a label, already in English
    language: str  # ISO 639-1 code
    sha256: str
    pages: int
    client_name: str
    a_number: str  # display form or ""
    translator: Mapping[str, Any] = field(default_factory=dict)  # name, address, phone


def render_typed_translation(original: Original, body: str, *, author: str | None = None) -> bytes:
    """The heading, the typed English text, then the certificate of translation on its own page."""

    def story() -> list[Flowable]:
        from reportlab.platypus import PageBreak, Paragraph, Spacer

        styles = document_styles()
        t = translator(ENGLISH)
        flow: list[Flowable] = [Paragraph(text(t(HEADING).format(title=original.title)), styles.title)]
        flow += [Paragraph(text(line), styles.note) for line in _identification(original)]
        flow.append(Spacer(1, 10))
        for paragraph in _paragraphs(body):
            flow.append(Paragraph(paragraph, styles.body))
            flow.append(Spacer(1, 6))
        flow.append(PageBreak())
        flow += _certificate(original)
        return flow

    content = {
        "original": original.sha256,
        "language": original.language,
        "text": body,
        "translator": dict(original.translator),
    }
    return render_pdf(story, _info(original, author, fingerprint(content)))


def render_certificate(original: Original, *, author: str | None = None) -> bytes:
    """A one-page certificate of translation, to follow a translation that is another document."""

    def story() -> list[Flowable]:
        from reportlab.platypus import Paragraph, Spacer

        styles = document_styles()
        t = translator(ENGLISH)
        flow: list[Flowable] = [Paragraph(text(t(HEADING).format(title=original.title)), styles.title)]
        flow += [Paragraph(text(line), styles.note) for line in _identification(original)]
        flow.append(Spacer(1, 10))
        return flow + _certificate(original)

    return render_pdf(story, _info(original, author, None))


def append_certificate(translation: bytes, media: str, certificate: bytes) -> bytes:
    """The translation's pages (a PDF, or an image made PDF pages) followed by the certificate."""
    import pikepdf

    pdf_bytes = translation if media == "pdf" else image_to_pdf(translation)
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf, pikepdf.open(io.BytesIO(certificate)) as cert:
        pdf.pages.extend(cert.pages)
        pdf.save(out)
    return out.getvalue()


def image_to_pdf(data: bytes) -> bytes:
    """Each frame of an image (JPEG, PNG, a multi-page TIFF) as a PDF page at most US Letter wide,
    in memory."""
    from PIL import Image, ImageOps, ImageSequence

    with Image.open(io.BytesIO(data)) as image:
        frames = [
            ImageOps.exif_transpose(f.convert("RGB")) or f.convert("RGB")
            for f in ImageSequence.Iterator(image)
        ]
    first = frames[0]
    resolution = max(72.0, first.width / 8.5, first.height / 11.0)  # fits a Letter page
    out = io.BytesIO()
    first.save(out, format="PDF", save_all=True, append_images=frames[1:], resolution=resolution)
    return out.getvalue()


# -- parts ---------------------------------------------------------------------------------------
def _info(original: Original, author: str | None, digest: str | None) -> DocumentInfo:
    t = translator(ENGLISH)
    return DocumentInfo(
        lang=ENGLISH,
        title=t(HEADING).format(title=original.title),
        running_title=t(RUNNING_TITLE).format(title=original.title),
        client_name=original.client_name,
        a_number=original.a_number,
        author=author,
        digest=digest,
    )


def _identification(original: Original) -> list[str]:
    t = translator(ENGLISH)
    lines = []
    if original.kind:
        lines.append(t(ORIGINAL_KIND).format(kind=original.kind))
    lines.append(t(ORIGINAL_LANGUAGE).format(language=_language_name(original.language, ENGLISH)))
    lines.append(t(ORIGINAL_FILE).format(digest=original.sha256[:SHORT_DIGEST], pages=original.pages))
    return lines


def _paragraphs(body: str) -> list[str]:
    """The typed text as Paragraph markup: blank lines part paragraphs, single line breaks stay."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return [
        "<br/>".join(text(line) for line in chunk.split("\n"))
        for chunk in re.split(r"\n\s*\n", body)
        if chunk.strip()
    ]


def _certificate(original: Original) -> list[Flowable]:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    styles = document_styles()
    t = translator(ENGLISH)
    person = original.translator
    heading = ParagraphStyle("certificate_heading", parent=styles.heading, alignment=TA_CENTER)
    body = t(CERTIFICATE_OF_TRANSLATION_TEXT).format(
        translator=person.get("name") or _NAME_BLANK,
        source=_language_name(original.language, ENGLISH),
        target=_language_name(ENGLISH, ENGLISH),
        document=original.title,
    )
    return [
        Paragraph(text(t(CERTIFICATE_OF_TRANSLATION).upper()), heading),
        Spacer(1, 6),
        Paragraph(text(body), styles.body),
        Spacer(1, 12),
        _lines(person),
    ]


def _lines(person: Mapping[str, Any]) -> Flowable:
    """Signature and date are lines to write on; name, address and telephone as recorded."""
    from reportlab.platypus import Paragraph, Table

    from desktop.documents.layout import MARGIN, PAGE_SIZE, table_style

    styles = document_styles()
    t = translator(ENGLISH)
    values = [
        (LABEL_SIGNATURE, ""),
        (LABEL_PRINTED_NAME, person.get("name") or ""),
        (LABEL_DATE, ""),
        (LABEL_ADDRESS, person.get("address") or ""),
        (LABEL_PHONE, person.get("phone") or ""),
    ]
    rows = [
        [
            Paragraph(text(t(label)), styles.body),
            Paragraph("<br/>".join(text(v) for v in value.splitlines()), styles.body),
        ]
        for label, value in values
    ]
    width = PAGE_SIZE[0] - 2 * MARGIN
    table = Table(rows, colWidths=[width * 0.25, width * 0.6], rowHeights=[40.0] + [None] * 4, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 12),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for row, (_label, value) in enumerate(values):
        if not value:
            commands.append(("LINEBELOW", (1, row), (1, row), 0.75, "black"))
        else:  # a two-line address reads from its label down
            commands.append(("VALIGN", (0, row), (-1, row), "TOP"))
    table.setStyle(table_style(commands))
    return table
