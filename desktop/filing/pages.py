"""The pages Declara writes around the exhibits: the cover, the index of exhibits, a tab page
before each exhibit and the proof of service (Immigration Court Practice Manual ch. 3.3; proof of
service, 8 C.F.R. § 1003.32). Each is a US Letter PDF made in memory with reportlab, with the
1-inch margins of Declara's documents, so the page number stamped in the bottom margin never
touches them. reportlab is imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.i18n import N_, babel_locale, translator

# Translators: the large words on the tab page before an exhibit, and in the index ("Exhibit C").
EXHIBIT = N_("Exhibit {label}")
# Translators: the tab page where an exhibit split across two upload files continues.
EXHIBIT_CONTINUED = N_("Exhibit {label} (continued)")
INDEX_TITLE = N_("Index of Exhibits")
# Translators: column headings of the index of exhibits.
COLUMN_EXHIBIT = N_("Exhibit")
COLUMN_DESCRIPTION = N_("Description")
COLUMN_PAGES = N_("Pages")
# Translators: the pages of the packet an exhibit occupies, in the index ("pp. 5–12").
PAGE_RANGE = N_("pp. {first}–{last}")
# Translators: an exhibit of one page, in the index ("p. 5").
ONE_PAGE = N_("p. {page}")
# Translators: the page number stamped at the bottom of every page of a filing packet.
STAMP = N_("Page {page} of {total}")
FILED_BY = N_("Submitted on behalf of the respondent")
HEARING_AT = N_("{date} at {time}")
PROOF_TITLE = N_("Proof of Service")
PROOF_TEXT = N_(
    "On {date}, I, {attorney}, served a copy of this filing and of every attached page on the "
    "DHS Office of the Principal Legal Advisor, at the following address:"
)
PROOF_METHOD = N_("Method of service: {method}")
SIGNATURE = N_("Signature")
NAME_LINE = N_("Name: {name}")
DATE_LINE = N_("Date: {date}")
METHODS = {
    "ecas": N_("electronic service through the EOIR Courts & Appeals System (ECAS)"),
    "mail": N_("first-class mail"),
    "hand": N_("hand delivery"),
    "email": N_("email"),
}


@dataclass(frozen=True)
class Cover:
    """What the cover says: the caption's pieces, the title and the hearing."""

    name: str
    a_number: str
    detained: bool
    sex: str | None
    place: str
    judge: str
    hearing: str
    title: str


def _render(story: Callable[[], Sequence[Any]], title: str, lang: str) -> bytes:
    from reportlab.platypus import SimpleDocTemplate

    from desktop.documents.layout import MARGIN, PAGE_SIZE, document_styles

    fonts = document_styles().fonts
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        lang=lang,
        creator="Declara",
        initialFontName=fonts.serif,
    )
    doc.build(list(story()))
    return out.getvalue()


def format_day(value: str | None, lang: str) -> str:
    """A day "2026-12-18" in words ("December 18, 2026"); anything else as given."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    from babel.dates import format_date

    return format_date(day, format="long", locale=babel_locale(lang))


def cover_pdf(cover: Cover, lang: str) -> bytes:
    """The cover page: the EOIR caption (DETAINED at the top right when detained), the judge and
    the hearing, the title and the filing party."""
    from reportlab.platypus import Paragraph, Spacer

    from desktop.documents.layout import Court, court_caption, document_styles, text

    t = translator(lang)
    styles = document_styles()

    def story() -> list[Any]:
        court = Court(place=cover.place, judge=cover.judge, next_hearing=cover.hearing)
        flow = court_caption(
            lang, cover.name, cover.a_number, detained=cover.detained, sex=cover.sex, court=court
        )
        flow += [Spacer(0, 72), Paragraph(text(cover.title.upper()), styles.title), Spacer(0, 24)]
        flow.append(Paragraph(text(t(FILED_BY)), styles.body.clone("filed_by", alignment=1)))
        return flow

    return _render(story, cover.title, lang)


def page_range(first: int, last: int, lang: str) -> str:
    t = translator(lang)
    if first == last:
        return t(ONE_PAGE).format(page=first)
    return t(PAGE_RANGE).format(first=first, last=last)


def index_pdf(rows: Sequence[tuple[str, str, int, int]], lang: str) -> bytes:
    """The index of exhibits: label, description and page range of each (label, description,
    first page, last page)."""
    from reportlab.platypus import LongTable, Paragraph

    from desktop.documents.layout import MARGIN, PAGE_SIZE, document_styles, table_style, text

    t = translator(lang)
    styles = document_styles()

    def story() -> list[Any]:
        head = [
            Paragraph(text(t(h)), styles.cell_head)
            for h in (COLUMN_EXHIBIT, COLUMN_DESCRIPTION, COLUMN_PAGES)
        ]
        body = [
            [
                Paragraph(text(label), styles.cell),
                Paragraph(text(description), styles.cell),
                Paragraph(text(page_range(first, last, lang)), styles.cell),
            ]
            for label, description, first, last in rows
        ]
        width = PAGE_SIZE[0] - 2 * MARGIN
        table = LongTable([head, *body], colWidths=[64, width - 64 - 90, 90], repeatRows=1)
        table.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, "black"),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, "grey"),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return [Paragraph(text(t(INDEX_TITLE)), styles.title), table]

    return _render(story, t(INDEX_TITLE), lang)


def tab_text(label: str, lang: str, *, continued: bool = False) -> str:
    t = translator(lang)
    return t(EXHIBIT_CONTINUED if continued else EXHIBIT).format(label=label)


def tab_pdf(label: str, description: str, lang: str, *, continued: bool = False) -> bytes:
    """The tab page before an exhibit: "Exhibit A" in large type, then its description."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.platypus import Paragraph, Spacer

    from desktop.documents.layout import document_styles, text

    styles = document_styles()
    words = tab_text(label, lang, continued=continued)
    big = styles.title.clone("tab", fontSize=36, leading=44, alignment=TA_CENTER)
    small = styles.body.clone("tab_description", alignment=TA_CENTER, fontSize=14, leading=18)

    def story() -> list[Any]:
        flow: list[Any] = [Spacer(0, 200), Paragraph(text(words), big), Spacer(0, 24)]
        if description:
            flow.append(Paragraph(text(description), small))
        return flow

    return _render(story, words, lang)


def proof_pdf(service: dict[str, Any], cover: Cover, lang: str) -> bytes:
    """The proof of service: served on the DHS Office of the Principal Legal Advisor at the
    address, by the method, on the date, with the attorney's name and a signature line."""
    from reportlab.platypus import Paragraph, Spacer

    from desktop.documents.layout import caption, document_styles, text

    t = translator(lang)
    styles = document_styles()
    attorney = str(service.get("attorney") or "").strip()
    day = format_day(service.get("date"), lang)
    method = METHODS.get(str(service.get("method") or ""), "")

    def story() -> list[Any]:
        flow = caption(lang, cover.name, cover.a_number, detained=cover.detained)
        flow += [Paragraph(text(t(PROOF_TITLE)), styles.title), Spacer(0, 12)]
        flow.append(Paragraph(text(t(PROOF_TEXT).format(date=day, attorney=attorney)), styles.body))
        flow.append(Spacer(0, 10))
        address = "<br/>".join(text(line) for line in str(service.get("address") or "").splitlines())
        flow.append(Paragraph(address, styles.body.clone("address", leftIndent=36)))
        flow.append(Spacer(0, 10))
        if method:
            flow.append(Paragraph(text(t(PROOF_METHOD).format(method=t(method))), styles.body))
        flow += [Spacer(0, 48), Paragraph("_" * 40, styles.body), Paragraph(text(t(SIGNATURE)), styles.body)]
        flow += [
            Spacer(0, 12),
            Paragraph(text(t(NAME_LINE).format(name=attorney)), styles.body),
            Paragraph(text(t(DATE_LINE).format(date=day)), styles.body),
        ]
        return flow

    return _render(story, t(PROOF_TITLE), lang)
