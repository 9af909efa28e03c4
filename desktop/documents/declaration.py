"""The client's declaration (28 U.S.C. § 1746) as a PDF in memory, ready to sign or to file.

``render_declaration(case, lang)`` takes a case-file dict (declara-case v1, as
:func:`desktop.case.casefile.export_case` returns it) and returns the PDF bytes; it never writes a file.
The layout is :mod:`desktop.documents.layout`'s: US Letter, 1-inch margins, the client's name and
A-number above and "Page N of M" below on every page, Liberation fonts embedded.

What the PDF holds depends on the document language, the language the declaration was drafted in
(``drafted_in``) and the declarant's language (``declarant_language``):

- ``lang`` is the drafting language, or the rendering is Spanish: the declaration (caption, title,
  "I, NAME, declare as follows:", numbered paragraphs, the § 1746 clause, "Executed on … at …",
  the signature). Drafted in English for a declarant who does not read English, the English
  rendering is followed by a **certificate of interpretation** on a new page (Immigration Court
  Practice Manual 3.3(a)).
- Drafted in another language (Spanish) and rendered in English: the **original** first, then the
  complete **English translation**, then a **certificate of translation** naming the document it
  covers (8 C.F.R. § 1003.33), all in one PDF with a bookmark per part.
- ``reading_copy=True``: the text for the client to read, under a "Reading copy — do not sign"
  banner, without the clause, the signature block or any certificate.

The § 1746 clause follows the place of signing: in the United States (``country`` "US") "I declare
under penalty of perjury that the foregoing is true and correct."; anywhere else (or unknown)
the form with "under the laws of the United States of America". A signed declaration prints its
``signed_on`` date after "Executed on" and, on the last page, "Signed version N, SHA-256 …"; a
draft leaves a blank for the date (it is signed by hand) and says "Draft — version N" in the
running footer. The clause and the signature block are never alone on a page: at least the last
two lines of the last paragraph go with them.

Everything Declara words goes through ``translator(lang)`` of the document (or of the part: the
Spanish original inside an English filing is worded in Spanish); the interface language is never
read or changed. Importing this module does not import reportlab; rendering does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


from desktop.case.model import purpose_phrase, relief_in_phrase
from desktop.case.states import US_STATES
from desktop.documents.layout import (
    a_number_display,
    client_name,
    is_detained,
    Court,
    DocumentInfo,
    caption_line,
    client_sex,
    court_caption,
    render_pdf,
    text,
)
from desktop.documents.declaration_style import (
    DOUBLE_LEADING,
    SINGLE_LEADING,
    declaration_styles,
    tail_keeper_class,
)
from desktop.documents.signature_image import SignaturePicture, signature_picture
from desktop.errors import DeclaraError, ValidationError
from desktop.i18n import LANGUAGES, N_, babel_locale, translator

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

__all__ = [
    "PART_CERTIFICATE_OF_INTERPRETATION",
    "PART_CERTIFICATE_OF_TRANSLATION",
    "PART_DECLARATION",
    "PART_ORIGINAL",
    "PART_TRANSLATION",
    "closing_clause",
    "declaration_parts",
    "declaration_title",
    "court_of",
    "in_support_of_text",
    "is_reading_copy",
    "render_declaration",
]

# The parts a rendering can hold, in the order they appear (see declaration_parts).
PART_DECLARATION = "declaration"
PART_ORIGINAL = "original"
PART_TRANSLATION = "translation"
PART_CERTIFICATE_OF_INTERPRETATION = "certificate_of_interpretation"
PART_CERTIFICATE_OF_TRANSLATION = "certificate_of_translation"

# Translators: the title of a declaration; {purpose} is e.g. "asylum, withholding of removal and
# protection under the Convention Against Torture".
TITLE_IN_SUPPORT = N_("Declaration of {name} in support of {purpose}")
# Translators: the title of a declaration that does not say what it supports.
TITLE = N_("Declaration of {name}")
# Translators: the first line of a declaration, before the numbered paragraphs.
INTRO = N_("I, {name}, declare as follows:")
# Translators: 28 U.S.C. § 1746(2), signed inside the United States. Legal wording: keep it exact.
CLAUSE_US = N_("I declare under penalty of perjury that the foregoing is true and correct.")
# Translators: 28 U.S.C. § 1746(1), signed outside the United States. Legal wording: keep it exact.
CLAUSE_ABROAD = N_(
    "I declare under penalty of perjury under the laws of the United States of America that the "
    "foregoing is true and correct."
)
# Translators: after the § 1746 clause; {date} is a date or a blank line, {place} "Pearsall, Texas".
EXECUTED = N_("Executed on {date} at {place}.")
# Translators: shown, visibly marked, before a paragraph's text in the other language.
TRANSLATION_MISSING = N_("[translation missing]")
# Translators: the running footer of a declaration that is not signed yet.
RUNNING_DRAFT = N_("Declaration — Draft — version {number}")
# Translators: the running footer of a signed declaration.
RUNNING_SIGNED = N_("Declaration — signed version {number}")
# Translators: a bookmark (PDF outline entry) and the running footer of a declaration.
DECLARATION = N_("Declaration")
# Translators: last line of a signed declaration; {digest} is 64 hexadecimal digits.
SIGNED_STAMP = N_("Signed version {number}, SHA-256 {digest}")
# Translators: banner and running footer of the copy the client reads before signing (Spanish:
# "Copia para leer — no firmar").
READING_COPY = N_("Copy for reading — do not sign")
READING_COPY_NOTE = N_(
    "This copy is for reading and checking the declaration. It is not the document that is signed: "
    "tell your attorney about anything that is wrong or missing."
)
# Translators: written on the translation where the original bears the declarant's signature.
SIGNATURE_IN_ORIGINAL = N_("[signature]")
# Translators: a bookmark and a label over the original of a translated document; {language} is a
# language name ("Spanish original").
ORIGINAL = N_("{language} original")
# Translators: a bookmark and a label over a translation; {language} is a language name
# ("English translation").
TRANSLATION = N_("{language} translation")
CERTIFICATE_OF_INTERPRETATION = N_("Certificate of interpretation")
# Translators: Immigration Court Practice Manual 3.3(a). {interpreter} is a name or a blank line,
# {language} the declarant's language, {document_language} the declaration's ("English").
CERTIFICATE_OF_INTERPRETATION_TEXT = N_(
    "I, {interpreter}, certify that I am competent to interpret between {language} and "
    "{document_language}. I read the foregoing declaration of {declarant} to the declarant in "
    "{language}, a language the declarant understands, and the declarant told me that they understood "
    "it before signing it. My interpretation was true and accurate to the best of my abilities."
)
CERTIFICATE_OF_TRANSLATION = N_("Certificate of translation")
# Translators: 8 C.F.R. § 1003.33. {translator} is a name or a blank line; {source} and {target}
# are language names; {document} is the title of the translated document.
CERTIFICATE_OF_TRANSLATION_TEXT = N_(
    "I, {translator}, certify that I am competent to translate from {source} into {target}, and "
    "that the foregoing {target} translation of the document “{document}”, whose original in "
    "{source} precedes it, is complete, true and accurate to the best of my abilities."
)
# Translators: a conformed signature ("/s/ Ana Lucía Pérez Gómez") for electronic filing.
CONFORMED = N_("/s/ {name}")
NOT_SIGNED = N_(
    "Only a signed declaration has a conformed copy or a scanned signature: record the signature first."
)
CONFORMED_AND_IMAGE = N_("Choose either a conformed signature (/s/) or a scanned signature, not both.")
# Translators: labels of the lines under a certificate.
LABEL_SIGNATURE = N_("Signature:")
LABEL_PRINTED_NAME = N_("Printed name:")
LABEL_DATE = N_("Date:")
LABEL_ADDRESS = N_("Address:")
LABEL_PHONE = N_("Telephone:")

BLANK = "____________"
_NAME_BLANK = "______________________"
_SIGNATURE_ROOM = 40.0  # above the signature line


@dataclass(frozen=True)
class _Part:
    """One part of the PDF: the declaration in ``lang`` (an original, a translation or the only one)."""

    lang: str
    label: str | None  # bookmark and label over the part; None: the title is the bookmark
    signature_in_original: bool  # a translation: no line; "[signature]" where the original is signed


def render_declaration(
    case: dict[str, Any],
    lang: str,
    *,
    declaration: dict[str, Any] | None = None,
    double_spaced: bool = True,
    reading_copy: bool = False,
    executed_on: dt.date | None = None,
    conformed: bool = False,
    signature_image: bytes | None = None,
) -> bytes:
    """The declaration of ``case`` in ``lang`` ('en' or 'es') as PDF bytes.

    ``declaration`` replaces ``case["declaration"]`` (an older version: its fields with
    ``paragraphs``). ``double_spaced`` sets the body's line spacing (24 points, else 1.15 lines).
    ``reading_copy`` renders the text in ``lang`` for the declarant to read: a banner, no clause,
    no signature block, no certificate. A rendering in a language that is neither the drafting
    language nor English (the filing of a translation) is always a reading copy: only the
    original is signed. ``executed_on`` is the date printed after "Executed on"; by default the
    ``signed_on`` date of a signed declaration, else a blank for the declarant to fill in by hand.

    ``conformed`` prints "/s/ NAME" on the declarant's line (and on the interpreter's or
    translator's when their name is recorded): the conformed copy for electronic filing.
    ``signature_image`` (PNG or JPEG bytes) is the scanned signature, placed on the declarant's
    line. Both need a signed declaration. Raises :class:`ValueError` for a language without
    documents or a case without a declaration, :class:`DeclaraError` for a signature image that
    is not a PNG or JPEG or is too large, for ``conformed`` with ``signature_image``, or for
    either on a declaration that is not signed.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"no documents in language {lang!r}; expected one of {LANGUAGES}")
    decl = declaration if declaration is not None else case.get("declaration")
    if not decl:
        raise ValueError("the case has no declaration")
    image = signature_picture(signature_image) if signature_image is not None else None
    if conformed and image is not None:
        raise DeclaraError(CONFORMED_AND_IMAGE)
    if (conformed or image is not None) and not _is_signed(decl):
        raise DeclaraError(NOT_SIGNED)
    reading_copy = is_reading_copy(decl, lang, reading_copy)
    name = client_name(case)
    a_number = a_number_display(case)
    info = DocumentInfo(
        lang=lang,
        title=declaration_title(decl, name, lang),
        running_title=_running_title(decl, lang, reading_copy),
        client_name=name,
        a_number=a_number,
        subject=caption_line(lang, name, a_number),
        author=name,
    )
    builder = _Builder(
        case=case,
        decl=decl,
        name=name,
        a_number=a_number,
        leading=DOUBLE_LEADING if double_spaced else SINGLE_LEADING,
        date_text=_executed_date(decl, executed_on),
        conformed=conformed and not reading_copy,
        image=None if reading_copy else image,
    )
    parts = declaration_parts(decl, lang, reading_copy=reading_copy)

    def story() -> list[Flowable]:
        return builder.story(lang, parts, reading_copy=reading_copy)

    return render_pdf(story, info)


def is_reading_copy(declaration: Mapping[str, Any], lang: str, reading_copy: bool = False) -> bool:
    """Whether a rendering in ``lang`` is a copy for reading (nothing to sign).

    Asked for (``reading_copy``), or a language that is neither the drafting language nor English:
    a declaration has one original, in the language it was drafted in; the English filing of a
    declaration drafted in Spanish is the original, its translation and the certificate.
    """
    return reading_copy or (lang != _drafted_in(declaration) and lang != "en")


def declaration_parts(declaration: dict[str, Any], lang: str, *, reading_copy: bool = False) -> list[str]:
    """What a rendering of ``declaration`` in ``lang`` holds, in order (the ``PART_*`` names).

    ``["declaration"]``, ``["declaration", "certificate_of_interpretation"]`` (English, drafted
    in English for a declarant whose language is not English) or ``["original", "translation",
    "certificate_of_translation"]`` (English, drafted in another language). A reading copy (see
    :func:`is_reading_copy`) is ``["declaration"]`` without anything to sign.
    """
    drafted_in = _drafted_in(declaration)
    if is_reading_copy(declaration, lang, reading_copy):
        return [PART_DECLARATION]
    if lang == "en" and drafted_in != "en":
        return [PART_ORIGINAL, PART_TRANSLATION, PART_CERTIFICATE_OF_TRANSLATION]
    if lang == "en" and (declaration.get("declarant_language") or "en") != "en":
        return [PART_DECLARATION, PART_CERTIFICATE_OF_INTERPRETATION]
    return [PART_DECLARATION]


def closing_clause(declaration: dict[str, Any], lang: str) -> str:
    """The § 1746 clause for the place of signing: the U.S. form only for ``country`` "US"."""
    place = declaration.get("place_of_signing") or {}
    return translator(lang)(CLAUSE_US if place.get("country") == "US" else CLAUSE_ABROAD)


def in_support_of_text(declaration: Mapping[str, Any], lang: str) -> str:
    """What ``declaration`` is "in support of", in ``lang``: the words of its ``relief`` keys, then
    the purpose typed in ``in_support_of`` as it is ("asylum and a motion to reopen" / "asilo y a
    motion to reopen"); "" for neither.

    Fields without ``relief`` (a version signed before relief was stored as keys keeps the phrase
    it was signed with) hold an English phrase: printed as stored in English, and translated in
    another language when it only names relief of
    :data:`~desktop.case.model.DECLARATION_RELIEF` ("asylum, withholding of removal and …"),
    else kept as typed.
    """
    t = translator(lang)
    typed = declaration.get("in_support_of")
    if "relief" in declaration:
        return purpose_phrase(declaration.get("relief") or (), typed, t)
    keys = relief_in_phrase(typed) if lang != "en" else None
    return purpose_phrase(keys or (), None if keys else typed, t)


def declaration_title(declaration: dict[str, Any], name: str, lang: str) -> str:
    """ "Declaration of NAME in support of …" in ``lang`` (without "in support of" when empty)."""
    t = translator(lang)
    purpose = in_support_of_text(declaration, lang)
    if purpose:
        return t(TITLE_IN_SUPPORT).format(name=name, purpose=purpose)
    return t(TITLE).format(name=name)


# -- the story ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Builder:
    """Builds the flowables of one rendering (called once per layout pass)."""

    case: dict[str, Any]
    decl: dict[str, Any]
    name: str
    a_number: str
    leading: float
    date_text: dt.date | str | None
    conformed: bool = False
    image: SignaturePicture | None = None

    def story(self, lang: str, parts: list[str], *, reading_copy: bool) -> list[Flowable]:
        from reportlab.platypus import KeepTogether, PageBreak

        t = translator(lang)
        drafted_in = _drafted_in(self.decl)
        story: list[Flowable] = []
        stamp = None if reading_copy else self._stamp(lang)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if index:
                story.append(PageBreak())
            tail = [stamp] if last and stamp is not None else []
            if part == PART_DECLARATION:
                story += self._declaration(_Part(lang, None, False), reading_copy=reading_copy, tail=tail)
            elif part == PART_ORIGINAL:
                label = t(ORIGINAL).format(language=_language_name(drafted_in, lang))
                story += self._declaration(_Part(drafted_in, label, False), reading_copy=False, tail=tail)
            elif part == PART_TRANSLATION:
                label = t(TRANSLATION).format(language=_language_name(lang, lang))
                story += self._declaration(_Part(lang, label, True), reading_copy=False, tail=tail)
            elif part == PART_CERTIFICATE_OF_INTERPRETATION:
                story.append(KeepTogether(self._certificate_of_interpretation(lang) + tail))
            elif part == PART_CERTIFICATE_OF_TRANSLATION:
                story.append(KeepTogether(self._certificate_of_translation(lang, drafted_in) + tail))
        return story

    # -- the declaration itself ------------------------------------------------------------------
    def _declaration(self, part: _Part, *, reading_copy: bool, tail: list[Flowable]) -> list[Flowable]:
        from reportlab.platypus import Paragraph

        from desktop.documents.flowables import SectionHeading

        lang = part.lang
        t = translator(lang)
        styles = declaration_styles(self.leading)
        story: list[Flowable] = []
        if part.label:
            story.append(SectionHeading(part.label, styles["label"], key=f"part-{lang}", level=0))
        if reading_copy:
            story += self._banner(lang)
        sex = client_sex((self.case.get("client") or {}).get("gender"))
        court = court_of(self.case, lang, self.decl)
        story += court_caption(
            lang, self.name, self.a_number, detained=is_detained(self.case), sex=sex, court=court
        )
        title = declaration_title(self.decl, self.name, lang)
        if part.label:
            story.append(Paragraph(text(title), styles["title"]))
        else:
            heading = SectionHeading(title, styles["title"], key="declaration", level=0)
            heading.outline_title = t(DECLARATION)
            story.append(heading)
        body: list[Flowable] = [Paragraph(text(t(INTRO).format(name=self.name)), styles["intro"])]
        for number, paragraph in enumerate(self.decl.get("paragraphs") or [], start=1):
            markup = _paragraph_markup(paragraph, lang)
            body.append(Paragraph(markup, styles["paragraph"], bulletText=f"{number}."))
        if reading_copy:
            return story + body + tail
        block = self._signature_block(part, styles) + tail
        keeper = tail_keeper_class()(body[-1], block, self.leading)
        return story + body[:-1] + [keeper]

    def _banner(self, lang: str) -> list[Flowable]:
        from reportlab.platypus import Paragraph, Spacer, Table

        from desktop.documents.layout import table_style

        t = translator(lang)
        styles = declaration_styles(self.leading)
        cell = [
            Paragraph(text(t(READING_COPY).upper()), styles["banner"]),
            Paragraph(text(t(READING_COPY_NOTE)), styles["banner_note"]),
        ]
        table = Table([[cell]], colWidths=[_frame_width()])
        table.setStyle(
            table_style(
                [
                    ("BOX", (0, 0), (-1, -1), 2, "black"),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ]
            )
        )
        return [table, Spacer(0, 14)]

    def _signature_block(self, part: _Part, styles: dict[str, Any]) -> list[Flowable]:
        """The § 1746 clause, "Executed on … at …", the signature and the printed name.

        The original has the line the declarant signs (a scanned signature or "/s/ NAME" on it
        when asked for); a translation has no line: "[signature]" (or "/s/ NAME") where the
        original is signed, nothing while it is not.
        """
        from reportlab.platypus import Paragraph, Table

        from desktop.documents.layout import table_style

        lang = part.lang
        t = translator(lang)
        clause = Paragraph(text(closing_clause(self.decl, lang)), styles["clause"])
        date = _format_date(self.date_text, lang) if self.date_text else BLANK
        place = _place_text(self.decl.get("place_of_signing") or {}, lang) or BLANK
        executed = Paragraph(text(t(EXECUTED).format(date=date, place=place)), styles["clause"])
        width = _frame_width()
        mark: Any = ""
        if self.conformed:
            mark = Paragraph(text(t(CONFORMED).format(name=self.name)), styles["signature"])
        elif part.signature_in_original:
            signed = _is_signed(self.decl)
            mark = Paragraph(text(t(SIGNATURE_IN_ORIGINAL) if signed else ""), styles["signature"])
        elif self.image is not None:
            mark = self.image.flowable(width * 0.55 - 4, _SIGNATURE_ROOM + 14)
        room = _SIGNATURE_ROOM + 14 if self.image is not None and not part.signature_in_original else None
        rows = [["", mark], ["", Paragraph(text(self.name), styles["signature"])]]
        table = Table(
            rows, colWidths=[width * 0.45, width * 0.55], rowHeights=[room or _SIGNATURE_ROOM, None]
        )
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (1, 1), (1, 1), 3),
            ("BOTTOMPADDING", (1, 0), (1, 0), 1),
        ]
        if not part.signature_in_original:  # the line the declarant signs
            commands.append(("LINEBELOW", (1, 0), (1, 0), 0.75, "black"))
        table.setStyle(table_style(commands))
        return [clause, executed, table]

    def _stamp(self, lang: str) -> Flowable | None:
        """ "Signed version N, SHA-256 …" for a signed declaration, else None."""
        from reportlab.platypus import Paragraph

        if not _is_signed(self.decl):
            return None
        number = _version_number(self.decl)
        digest = self.decl.get("sha256") or "—"
        line = translator(lang)(SIGNED_STAMP).format(number=number, digest=digest)
        return Paragraph(text(line), declaration_styles(self.leading)["stamp"])

    # -- certificates ------------------------------------------------------------------------------
    def _certificate_heading(self, title: str, key: str) -> Flowable:
        from desktop.documents.flowables import SectionHeading

        style = declaration_styles(self.leading)["certificate_title"]
        heading = SectionHeading(title.upper(), style, key=key)
        heading.outline_title = title
        return heading

    def _certificate_of_interpretation(self, lang: str) -> list[Flowable]:
        from reportlab.platypus import Paragraph

        t = translator(lang)
        styles = declaration_styles(self.leading)
        person = self.decl.get("interpreter") or {}
        body = t(CERTIFICATE_OF_INTERPRETATION_TEXT).format(
            interpreter=person.get("name") or _NAME_BLANK,
            language=_language_name(self.decl.get("declarant_language") or "", lang),
            document_language=_language_name(lang, lang),
            declarant=self.name,
        )
        return [
            self._certificate_heading(t(CERTIFICATE_OF_INTERPRETATION), "certificate-of-interpretation"),
            Paragraph(text(body), styles["certificate"]),
            self._certificate_lines(person, lang, self._certificate_date(lang)),
        ]

    def _certificate_of_translation(self, lang: str, source: str) -> list[Flowable]:
        from reportlab.platypus import Paragraph

        t = translator(lang)
        styles = declaration_styles(self.leading)
        person = self.decl.get("translator") or {}
        body = t(CERTIFICATE_OF_TRANSLATION_TEXT).format(
            translator=person.get("name") or _NAME_BLANK,
            source=_language_name(source, lang),
            target=_language_name(lang, lang),
            document=declaration_title(self.decl, self.name, lang),
        )
        return [
            self._certificate_heading(t(CERTIFICATE_OF_TRANSLATION), "certificate-of-translation"),
            Paragraph(text(body), styles["certificate"]),
            self._certificate_lines(person, lang, ""),
        ]

    def _certificate_date(self, lang: str) -> str:
        """The interpreter's date: the day the declarant signed (read to them then), else ''."""
        if not _is_signed(self.decl) or not self.date_text:
            return ""
        return _format_date(self.date_text, lang)

    def _certificate_lines(self, person: dict[str, Any], lang: str, date: str) -> Flowable:
        """Signature, printed name, date, address and telephone; blanks are lines to fill in.

        On a conformed copy the signature is "/s/ NAME" when the person's name is recorded.
        """
        from reportlab.platypus import Paragraph, Table

        from desktop.documents.layout import table_style

        t = translator(lang)
        styles = declaration_styles(self.leading)
        person_name = person.get("name") or ""
        values = [
            (
                LABEL_SIGNATURE,
                t(CONFORMED).format(name=person_name) if self.conformed and person_name else "",
            ),
            (LABEL_PRINTED_NAME, person_name),
            (LABEL_DATE, date),
            (LABEL_ADDRESS, person.get("address") or ""),
            (LABEL_PHONE, person.get("phone") or ""),
        ]
        rows = [
            [
                Paragraph(text(t(label)), styles["certificate_label"]),
                Paragraph(text(value), styles["certificate_value"]),
            ]
            for label, value in values
        ]
        width = _frame_width()
        heights = [_SIGNATURE_ROOM] + [None] * (len(rows) - 1)
        table = Table(rows, colWidths=[width * 0.25, width * 0.6], rowHeights=heights, hAlign="LEFT")
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 10),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        for row, (_label, value) in enumerate(values):
            if not value:  # a line to write on
                commands.append(("LINEBELOW", (1, row), (1, row), 0.75, "black"))
        table.setStyle(table_style(commands))
        return table


# -- helpers -----------------------------------------------------------------------------------
def court_of(case: Mapping[str, Any], lang: str, declaration: Mapping[str, Any] | None = None) -> Court:
    """The caption's court: "CITY, STATE", the immigration judge and the next hearing (in ``lang``).

    ``court_city`` and ``court_state`` of the proceedings when recorded; else the court's name as
    recorded ("Stewart Immigration Court"). A city is never guessed from a name: Stewart
    Immigration Court sits in Lumpkin, Georgia. A state code is written out ("LA" -> "Louisiana").
    """
    proceedings = case.get("proceedings") or {}
    city = str(proceedings.get("court_city") or "").strip()
    state = str(proceedings.get("court_state") or "").strip()
    state = US_STATES.get(state.upper(), state)
    place = ", ".join(part for part in (city, state) if part) if city else ""
    if not place:
        place = str(proceedings.get("court") or "").strip()
    hearing = proceedings.get("next_hearing")
    return Court(
        place=place,
        judge=str(proceedings.get("judge") or "").strip(),
        next_hearing=_format_date(_as_date(str(hearing)), lang) if hearing else "",
    )


def _as_date(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def _frame_width() -> float:
    from desktop.documents.layout import MARGIN, PAGE_SIZE

    return PAGE_SIZE[0] - 2 * MARGIN


def _paragraph_markup(paragraph: dict[str, Any], lang: str) -> str:
    """A paragraph's text in ``lang`` as markup; else the other language's, marked as missing."""
    own = (paragraph.get(lang) or "").strip()
    if own:
        return _lines(own)
    for code in (*(c for c in LANGUAGES if c != lang), *paragraph):
        other = paragraph.get(code)
        if code != "events" and isinstance(other, str) and other.strip():
            marker = text(translator(lang)(TRANSLATION_MISSING))
            return f"<b><i>{marker}</i></b> {_lines(other.strip())}"
    return ""


def _lines(value: str) -> str:
    """User text as markup, line breaks kept."""
    return "<br/>".join(text(line) for line in value.splitlines())


def _drafted_in(declaration: dict[str, Any]) -> str:
    code = declaration.get("drafted_in") or "en"
    return code if code in LANGUAGES else "en"


def _is_signed(declaration: dict[str, Any]) -> bool:
    return declaration.get("status") == "signed"


def _running_title(declaration: dict[str, Any], lang: str, reading_copy: bool) -> str:
    """The footer's left side: reading copy, draft (with its version) or signed version."""
    t = translator(lang)
    if reading_copy:
        return t(READING_COPY)
    template = RUNNING_SIGNED if _is_signed(declaration) else RUNNING_DRAFT
    return t(template).format(number=_version_number(declaration))


def _version_number(declaration: dict[str, Any]) -> int:
    """The declaration's version; one that does not say (imported from a case file) is version 1."""
    return int(declaration.get("version") or 1)


def _executed_date(declaration: dict[str, Any], executed_on: dt.date | None) -> dt.date | str | None:
    """The date after "Executed on": the caller's, else a signed declaration's ``signed_on``."""
    if executed_on is not None:
        return executed_on
    if not _is_signed(declaration) or not declaration.get("signed_on"):
        return None
    value = str(declaration["signed_on"])
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value  # an EDTF value that is not one day: said with its precision


def _format_date(value: dt.date | str, lang: str) -> str:
    from babel.dates import format_date

    if isinstance(value, dt.date):
        return format_date(value, format="long", locale=babel_locale(lang))
    try:
        from desktop.case.dates import format_edtf

        return format_edtf(value, lang)
    except ValidationError:
        return value


def _place_text(place: dict[str, Any], lang: str) -> str:
    """ "Pearsall, Texas"; the country's name is added outside the United States."""
    parts = [str(place[key]).strip() for key in ("city", "region") if place.get(key)]
    country = place.get("country")
    if country and country != "US":
        parts.append(_territory_name(country, lang))
    return ", ".join(part for part in parts if part)


def _territory_name(code: str, lang: str) -> str:
    from desktop.case.display import country_name

    return country_name(code, lang)


def _language_name(code: str, lang: str) -> str:
    """The name of language ``code`` in ``lang`` ("Spanish", "español", "K'iche'"); the code if
    unknown (desktop.case.display, the names the window shows)."""
    from desktop.case.display import language_name

    if not code:
        return _NAME_BLANK
    return language_name(code, lang)
