"""The page layout shared by Declara's court documents (the chronology exhibit, the declaration).

- US Letter, 1-inch margins; the body frame fills the area inside the margins.
- A running header and footer on every page: the client's name and A-number (``A 201-555-014``)
  above, a running title and "Page N of M" below. The pages are laid out once and held until the
  document is saved; then M is known and each page gets its header and footer.
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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from desktop.case.anumber import format_a_number, parse_a_number
from desktop.case.names import display_name
from desktop.errors import ValidationError
from desktop.jsonutil import canonical_bytes
from desktop.documents.fonts import FontFamilies, register_fonts
from desktop.i18n import N_, get_translations, translator

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable

__all__ = [
    "a_number_display",
    "client_name",
    "is_detained",
    "MARGIN",
    "PAGE_SIZE",
    "Court",
    "DocumentInfo",
    "Styles",
    "caption",
    "caption_line",
    "client_sex",
    "court_caption",
    "detained_word",
    "document_styles",
    "fingerprint",
    "render_pdf",
    "respondent_line",
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
    from reportlab.platypus import Paragraph, Spacer

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
    table = _matter_table(left, right)
    story: list[Flowable] = []
    if court:
        story.append(Paragraph(text(court), styles.title.clone("court", fontSize=12, leading=15)))
    story += [table, Spacer(0, 10)]
    return story


# The court's heading (Immigration Court Practice Manual, ch. 3.3(c)(vi) and Appendix F).
# Translators: the first line of the heading of a filing with the Immigration Court.
EOIR_DEPARTMENT = N_("UNITED STATES DEPARTMENT OF JUSTICE")
# Translators: the second line of the heading of a filing with the Immigration Court.
EOIR_OFFICE = N_("EXECUTIVE OFFICE FOR IMMIGRATION REVIEW")
# Translators: the third line of the heading of a filing with the Immigration Court.
EOIR_COURT = N_("IMMIGRATION COURT")
# Translators: the caption's "NAME, Respondent"; the party in removal proceedings.
RESPONDENT = N_("{name}, Respondent")
# Translators: in the caption, the immigration judge's name follows.
IMMIGRATION_JUDGE = N_("Immigration Judge: {judge}")
# Translators: in the caption, the date of the next hearing follows.
NEXT_HEARING = N_("Next Hearing: {date}")


def client_sex(gender: object) -> str | None:
    """'f', 'm' or None from the client's free-text ``gender`` ('female', 'Male', 'mujer' …)."""
    value = str(gender or "").strip().lower()
    female = {"f", "female", "woman", "femenino", "mujer"}
    male = {"m", "male", "man", "masculino", "hombre"}
    return "f" if value in female else "m" if value in male else None


def detained_word(lang: str, sex: str | None) -> str:
    """ "DETAINED" in ``lang``; in Spanish "DETENIDA"/"DETENIDO" by ``sex``, "DETENIDO(A)" unknown."""
    translations = get_translations(lang)
    if sex == "f":
        # Translators: DETAINED said of a woman (Spanish "DETENIDA").
        return translations.pgettext("female", "DETAINED")
    if sex == "m":
        # Translators: DETAINED said of a man (Spanish "DETENIDO").
        return translations.pgettext("male", "DETAINED")
    return translations.gettext(DETAINED)


def respondent_line(lang: str, sex: str | None, name: str) -> str:
    """ "NAME, Respondent" in ``lang``; in Spanish "Demandada"/"Demandado" by ``sex``."""
    translations = get_translations(lang)
    if sex == "f":
        # Translators: "{name}, Respondent" said of a woman (Spanish "{name}, Demandada").
        template = translations.pgettext("female", "{name}, Respondent")
    elif sex == "m":
        # Translators: "{name}, Respondent" said of a man (Spanish "{name}, Demandado").
        template = translations.pgettext("male", "{name}, Respondent")
    else:
        template = translations.gettext(RESPONDENT)
    return template.format(name=name)


@dataclass(frozen=True)
class Court:
    """What the caption says about the proceedings: where the court sits, the judge, the hearing.

    ``place`` is "CITY, STATE" as printed under "IMMIGRATION COURT" ('' when unknown);
    ``next_hearing`` is already worded in the document language ('' when unknown).
    """

    place: str = ""
    judge: str = ""
    next_hearing: str = ""


def court_caption(
    lang: str,
    name: str,
    a_number: str,
    *,
    detained: bool,
    sex: str | None = None,
    court: Court | None = None,
) -> list[Flowable]:
    """The caption of a filing with the Immigration Court (Practice Manual, Appendix F).

    "DETAINED" at the top right for a detained respondent; the heading (United States Department of
    Justice / Executive Office for Immigration Review / Immigration Court / CITY, STATE); "In the
    Matter of: NAME, Respondent", "In Removal Proceedings" beside the A-number; then the
    immigration judge and the next hearing when they are known. In Spanish, "DETENIDO" or
    "DETENIDA" and "Demandado"/"Demandada" agree with ``sex`` ('f', 'm'); "(A)" forms when unknown.
    """
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.platypus import Paragraph, Spacer, Table

    t = translator(lang)
    styles = document_styles()
    court = court or Court()
    bold = styles.caption_strong
    center = bold.clone("court_heading", alignment=TA_CENTER, leading=14.5)
    story: list[Flowable] = []
    if detained:
        story.append(Paragraph(text(detained_word(lang, sex)), bold.clone("detained", alignment=TA_RIGHT)))
    heading = [t(EOIR_DEPARTMENT), t(EOIR_OFFICE), t(EOIR_COURT)]
    if court.place:
        heading.append(court.place.upper())
    story.append(Paragraph("<br/>".join(text(line) for line in heading), center))
    story.append(Spacer(0, 12))
    left = [
        Paragraph(text(t(IN_THE_MATTER_OF)), styles.caption),
        Paragraph(text(respondent_line(lang, sex, name)), bold),
        Spacer(0, 6),
        Paragraph(text(t(IN_REMOVAL_PROCEEDINGS)), styles.caption),
    ]
    right = []
    if a_number:
        right.append(Paragraph(text(t(A_NUMBER).format(a_number=a_number)), styles.caption))
    width = PAGE_SIZE[0] - 2 * MARGIN
    table = _matter_table(left, right)
    story.append(table)
    below = []
    if court.judge:
        below.append(t(IMMIGRATION_JUDGE).format(judge=court.judge))
    if court.next_hearing:
        below.append(t(NEXT_HEARING).format(date=court.next_hearing))
    if below:
        right_style = styles.caption.clone("caption_right", alignment=TA_RIGHT)
        cells = [
            Paragraph(text(value), right_style if i and i == len(below) - 1 else styles.caption)
            for i, value in enumerate(below)
        ]
        row = Table([cells], colWidths=[width / len(cells)] * len(cells))
        row.setStyle(
            table_style(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        story.append(row)
    story.append(Spacer(0, 12))
    return story


def _matter_table(left: list[Flowable], right: list[Flowable]) -> Flowable:
    """The caption's box: the matter on the left, ruled off from the A-number on the right."""
    from reportlab.platypus import Table

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
    return table


# -- building ----------------------------------------------------------------------------------
def render_pdf(story: Callable[[], Sequence[Flowable]], info: DocumentInfo) -> bytes:
    """Lay out ``story()`` on decorated pages and return the PDF bytes.

    One pass: the pages are laid out and drawn once, and each page's running header and footer
    ("Page N of M", the fingerprint on page M) are added when the document is saved, once M is known
    (the layout never depends on M). ``story`` is called once.
    """
    fonts = register_fonts()
    out = io.BytesIO()
    doc = _template(out, info, fonts)
    doc.build(list(story()), canvasmaker=_decorating_canvas(info, fonts))
    return out.getvalue()


def _decorating_canvas(info: DocumentInfo, fonts: FontFamilies) -> type:
    """A Canvas class that holds its pages back until ``save`` and then decorates each one.

    Bookmarks made on a held page must point at that page, so the PDF document's page counter
    advances with the held pages and is wound back before they are written.
    """
    from reportlab.pdfgen.canvas import Canvas

    class DecoratingCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._doc.pageCounter += 1
            self._startPage()

        def save(self) -> None:
            held, total = self._held, len(self._held)
            self._doc.pageCounter -= total
            for page, state in enumerate(held, start=1):
                self.__dict__.update(state)
                _decorate_page(self, info, fonts, page, total)
                Canvas.showPage(self)
            self._held = []
            Canvas.save(self)

    return DecoratingCanvas


def _template(buffer: io.BytesIO, info: DocumentInfo, fonts: FontFamilies) -> Any:
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


# -- who a document is about -------------------------------------------------------------------
def client_name(case: Mapping[str, Any]) -> str:
    """The client's name as written, from a case-file dict."""
    return display_name(case.get("client") or {})


def is_detained(case: Mapping[str, Any]) -> bool:
    """Whether the caption says DETAINED: the client's custody status is ``detained``."""
    custody = (case.get("client") or {}).get("custody") or {}
    return custody.get("status") == "detained"


def a_number_display(case: Mapping[str, Any]) -> str:
    """``A 201-555-014``; an A-number that cannot be read is shown as recorded."""
    raw = (case.get("client") or {}).get("a_number")
    if not raw:
        return ""
    try:
        return format_a_number(parse_a_number(raw))
    except ValidationError:
        return str(raw)
