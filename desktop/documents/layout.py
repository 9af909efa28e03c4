"""The page layout shared by Declara's court documents (the chronology exhibit, the declaration).

- US Letter, 1-inch margins; the body frame fills the area inside the margins.
- A running header and footer on every page: the client's name and A-number (``A 201-555-014``)
  above, a running title and "Page N of M" below. The total M comes from a first, counting pass
  (the layout does not depend on M, so the second pass lays out the same pages).
- PDF metadata: title, author, subject, creator "Declara", the document language; the outline
  (bookmarks) panel opens with the document, one entry per
  :class:`~desktop.documents.flowables.SectionHeading`.
- Optionally a content fingerprint on the last page's footer (see :func:`fingerprint`).
- Text in the Liberation fonts, all embedded; no standard-14 font is referenced.

Everything visible goes through ``translator(lang)`` of the *document* language; the interface
language is never read or changed. reportlab is imported only inside functions, so importing this
module is cheap; flowables that subclass reportlab's live in :mod:`desktop.documents.flowables`.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from desktop.jsonutil import canonical_bytes
from desktop.documents.fonts import FontFamilies, register_fonts
from desktop.i18n import N_, translator

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable

__all__ = [
    "MARGIN",
    "PAGE_SIZE",
    "DocumentInfo",
    "Styles",
    "caption",
    "caption_line",
    "document_styles",
    "fingerprint",
    "render_pdf",
    "table_style",
    "text",
]

PAGE_SIZE: tuple[float, float] = (612.0, 792.0)  # US Letter, 8.5 x 11 in, in points
MARGIN = 72.0  # 1 inch
CREATOR = "Declara"

# Translators: the running footer of every page of a document.
PAGE_N_OF_M = N_("Page {page} of {total}")
# Translators: last line of a document; {digest} is 64 hexadecimal digits.
FINGERPRINT = N_("Content fingerprint (SHA-256): {digest}")
IN_THE_MATTER_OF = N_("In the Matter of:")
IN_REMOVAL_PROCEEDINGS = N_("In Removal Proceedings")
A_NUMBER = N_("A-number: {a_number}")
# Translators: shown in capitals on court documents for a client in immigration detention.
DETAINED = N_("DETAINED")
# Translators: the PDF's subject, the one-line form of the caption.
CAPTION_LINE = N_("In the Matter of {name}, {a_number}, In Removal Proceedings")
# Translators: the PDF's subject for a client without an A-number.
CAPTION_LINE_NO_NUMBER = N_("In the Matter of {name}, In Removal Proceedings")

_HEADER_SIZE = 9.0
_FINGERPRINT_SIZE = 7.0
_RULE_GREY = 0.55


@dataclass(frozen=True)
class DocumentInfo:
    """What the page decoration and the PDF metadata of one document say.

    ``title`` is the PDF title; ``running_title`` is printed at the left of every footer;
    ``a_number`` is the display form (``A 201-555-014``) or empty. ``digest``, when given, is
    printed on the last page (see :func:`fingerprint`).
    """

    lang: str
    title: str
    running_title: str
    client_name: str
    a_number: str
    subject: str = ""
    author: str | None = None
    digest: str | None = None


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of Declara's documents (reportlab ``ParagraphStyle`` objects)."""

    fonts: FontFamilies
    body: Any
    title: Any
    heading: Any
    exhibit: Any
    caption: Any
    caption_strong: Any
    note: Any
    cell: Any
    cell_head: Any
    legend: Any


@cache
def document_styles() -> Styles:
    """The shared styles (fonts registered on first call). Treat them as read-only."""
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    fonts = register_fonts()
    serif, sans = fonts.serif, fonts.sans
    body = ParagraphStyle("body", fontName=serif, fontSize=12, leading=15)
    return Styles(
        fonts=fonts,
        body=body,
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=fonts.bold(serif),
            fontSize=16,
            leading=20,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=10,
            keepWithNext=1,
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=fonts.bold(serif),
            fontSize=13,
            leading=16,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        exhibit=ParagraphStyle(
            "exhibit", parent=body, fontName=fonts.bold(sans), fontSize=14, leading=17, alignment=TA_RIGHT
        ),
        caption=ParagraphStyle("caption", parent=body, fontSize=12, leading=15),
        caption_strong=ParagraphStyle("caption_strong", parent=body, fontName=fonts.bold(serif)),
        note=ParagraphStyle("note", parent=body, fontName=sans, fontSize=8.5, leading=10.5, spaceAfter=4),
        cell=ParagraphStyle("cell", parent=body, fontSize=10, leading=12),
        cell_head=ParagraphStyle("cell_head", parent=body, fontName=fonts.bold(sans), fontSize=9, leading=11),
        legend=ParagraphStyle("legend", parent=body, fontName=sans, fontSize=8, leading=9.5),
    )


def text(value: str) -> str:
    """``value`` as Paragraph markup: user text is escaped, never interpreted as tags."""
    return escape(value)


def table_style(commands: Sequence[tuple[Any, ...]]) -> Any:
    """A reportlab ``TableStyle`` of ``commands`` whose cell font is embedded.

    reportlab sets each cell's font even when the cell holds a Paragraph, and its default is the
    standard (not embedded) Helvetica, so every table of a document takes its style from here.
    """
    from reportlab.platypus import TableStyle

    return TableStyle([("FONTNAME", (0, 0), (-1, -1), document_styles().fonts.serif), *commands])


# -- fingerprint -------------------------------------------------------------------------------
def fingerprint(content: Any) -> str:
    """SHA-256 (hex) of :func:`desktop.jsonutil.canonical_bytes` of ``content``.

    A PDF cannot carry the hash of its own bytes, and its bytes change with every rendering
    (creation date, font subsets). What a document *says* does not: each document defines its
    content as a JSON value (who it is about, its language, its entries) and prints this digest,
    so anyone holding the data can recompute it and see that the paper matches.
    """
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


# -- caption -----------------------------------------------------------------------------------
def caption_line(lang: str, name: str, a_number: str) -> str:
    """The caption on one line, for the PDF's subject."""
    t = translator(lang)
    if a_number:
        return t(CAPTION_LINE).format(name=name, a_number=a_number)
    return t(CAPTION_LINE_NO_NUMBER).format(name=name)


def caption(
    lang: str, name: str, a_number: str, *, detained: bool, court: str | None = None
) -> list[Flowable]:
    """The court caption: "In the Matter of NAME, A-number, In Removal Proceedings" (+ DETAINED)."""
    from reportlab.platypus import Paragraph, Spacer, Table

    t = translator(lang)
    styles = document_styles()
    left = [
        Paragraph(text(t(IN_THE_MATTER_OF)), styles.caption),
        Paragraph(text(name), styles.caption_strong),
        Paragraph(text(t(IN_REMOVAL_PROCEEDINGS)), styles.caption),
    ]
    right = []
    if a_number:
        right.append(Paragraph(text(t(A_NUMBER).format(a_number=a_number)), styles.caption))
    if detained:
        right.append(Paragraph(text(t(DETAINED)), styles.caption_strong))
    width = PAGE_SIZE[0] - 2 * MARGIN
    table = Table([[left, right]], colWidths=[width * 0.55, width * 0.45])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEAFTER", (0, 0), (0, 0), 0.75, "black"),
                ("LINEBELOW", (0, 0), (0, 0), 0.75, "black"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 14),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story: list[Flowable] = []
    if court:
        story.append(Paragraph(text(court), styles.title.clone("court", fontSize=12, leading=15)))
    story += [table, Spacer(0, 10)]
    return story


# -- building ----------------------------------------------------------------------------------
def render_pdf(story: Callable[[], Sequence[Flowable]], info: DocumentInfo) -> bytes:
    """Lay out ``story()`` on decorated pages and return the PDF bytes.

    ``story`` is called twice (reportlab consumes flowables): a first pass only counts the pages,
    the second draws every page with "Page N of M" and the fingerprint on page M.
    """
    from reportlab.pdfgen.canvas import Canvas

    class CountingCanvas(Canvas):
        """The first pass: pages are laid out but no PDF is serialised."""

        def save(self) -> None:
            pass

    fonts = register_fonts()
    counting = _template(io.BytesIO(), info, fonts, total=None)
    counting.build(list(story()), canvasmaker=CountingCanvas)
    total = counting.page
    out = io.BytesIO()
    final = _template(out, info, fonts, total=total)
    final.build(list(story()))
    if final.page != total:  # the story changed between the passes
        raise RuntimeError(f"page count changed between passes: {total} then {final.page}")
    return out.getvalue()


def _template(buffer: io.BytesIO, info: DocumentInfo, fonts: FontFamilies, total: int | None) -> Any:
    """A one-frame document template whose pages carry the running header and footer."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=info.title,
        author=info.author or "",
        subject=info.subject,
        creator=CREATOR,
        lang=info.lang,
        displayDocTitle=1,
        initialFontName=fonts.serif,
    )
    frame = Frame(
        MARGIN,
        MARGIN,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def decorate(canv: Canvas, doc: Any) -> None:
        if doc.page == 1:
            canv.showOutline()
        if total is not None:
            _decorate_page(canv, info, fonts, doc.page, total)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    return doc


def _fit(canv: Canvas, value: str, font: str, size: float, width: float) -> float:
    """The font size (at most ``size``) at which ``value`` fits in ``width``."""
    natural = canv.stringWidth(value, font, size)
    return size if natural <= width else max(5.0, size * width / natural)


def _decorate_page(canv: Canvas, info: DocumentInfo, fonts: FontFamilies, page: int, total: int) -> None:
    """Header (name, A-number), footer (running title, Page N of M), fingerprint on the last page."""
    t = translator(info.lang)
    width, height = PAGE_SIZE
    left, right = MARGIN, width - MARGIN
    usable = right - left
    canv.saveState()
    canv.setStrokeGray(_RULE_GREY)
    canv.setLineWidth(0.5)

    header_y = height - MARGIN + 26
    bold = fonts.bold(fonts.sans)
    a_width = canv.stringWidth(info.a_number, fonts.sans, _HEADER_SIZE)
    size = _fit(canv, info.client_name, bold, _HEADER_SIZE, usable - a_width - 18)
    canv.setFont(bold, size)
    canv.drawString(left, header_y, info.client_name)
    canv.setFont(fonts.sans, _HEADER_SIZE)
    canv.drawRightString(right, header_y, info.a_number)
    canv.line(left, header_y - 6, right, header_y - 6)

    footer_y = MARGIN - 30
    canv.line(left, footer_y + 12, right, footer_y + 12)
    page_text = t(PAGE_N_OF_M).format(page=page, total=total)
    page_width = canv.stringWidth(page_text, fonts.sans, _HEADER_SIZE)
    size = _fit(canv, info.running_title, fonts.sans, _HEADER_SIZE, usable - page_width - 18)
    canv.setFont(fonts.sans, size)
    canv.drawString(left, footer_y, info.running_title)
    canv.setFont(fonts.sans, _HEADER_SIZE)
    canv.drawRightString(right, footer_y, page_text)

    if info.digest and page == total:
        line = t(FINGERPRINT).format(digest=info.digest)
        size = _fit(canv, line, fonts.sans, _FINGERPRINT_SIZE, usable)
        canv.setFont(fonts.sans, size)
        canv.setFillGray(0.25)
        canv.drawString(left, footer_y - 12, line)
    canv.restoreState()
