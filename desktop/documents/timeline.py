"""The chronology exhibit: a to-scale timeline and a table of events, as a PDF in memory.

``render_timeline(case, lang)`` takes a case-file dict (declara-case v1, as
:func:`desktop.case.casefile.export_case` returns it) and returns the PDF bytes; it never writes a file.
Page 1 has the exhibit label, the title, the caption and the drawing; the table follows. Every
page carries the client's name, A-number and "Page N of M"; the last page carries the content
fingerprint (:func:`content_fingerprint`).

Events are numbered in chronological order: by earliest possible day, then latest possible day,
then their order in the file (an open start sorts first, an open end last). Dates are phrased with
their real precision by :func:`desktop.case.dates.format_edtf`, never with an invented day.

Sources are printed as a court reads them, never as the case file's tokens: "Form I-213, Record of
Deportable/Inadmissible Alien", "Declaration of the respondent, ¶ 4", "Ex. C" (the wording is data,
``resources/source_labels.toml``; see :mod:`desktop.documents.source_labels`). With ``exhibits``
(which exhibit of the filing holds the declaration or a document) they carry the reference:
"… (Ex. B, p. 3)".

Importing this module does not import reportlab; rendering does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.case.anumber import parse_a_number
from desktop.case.dates import ParsedDate, format_edtf, parse_edtf
from desktop.case.model import VOCABULARIES
from desktop.documents.layout import (
    DocumentInfo,
    a_number_display,
    caption_line,
    client_name,
    client_sex,
    fingerprint,
    is_detained,
    render_pdf,
)
from desktop.documents.source_labels import (
    ExhibitRef,
    document_entries,
    label_table,
    labels_for,
    normalize_exhibits,
    parse_exhibit_ref,
    unknown_document_slugs,
)
from desktop.errors import ValidationError
from desktop.i18n import LANGUAGES, N_, translator

__all__ = [
    "CONTENT_FORMAT",
    "ExhibitRef",
    "TimelineRow",
    "content_fingerprint",
    "parse_exhibit_ref",
    "render_timeline",
    "source_label",
    "timeline_content",
    "timeline_rows",
    "unknown_sources",
]

CONTENT_FORMAT = "declara-timeline"
CONTENT_VERSION = 1

TITLE = N_("Chronology of events")
# Translators: the PDF title; {name} is the client's full name.
PDF_TITLE = N_("Chronology of events — {name}")
# Translators: the running footer of an exhibit, e.g. "Exhibit C — Chronology of events".
EXHIBIT_TITLE = N_("{exhibit} — {title}")


@dataclass(frozen=True)
class TimelineRow:
    """One event as the exhibit shows it.

    ``number`` is its 1-based place in chronological order (the table's No. and the drawing's
    label). ``text`` is in ``text_lang``: the document language when the event has it, else the
    other language. ``sources`` are case-file source tokens, declaration paragraphs first
    (``paragraph:N``, merged from the paragraphs that link the event and the event's own
    ``paragraph:N`` sources), then the others in file order; every ``interview…`` is one source.
    ``source_labels`` are what the table prints for them, in the document language (not
    ``text_lang``): the paragraphs as one label for the declaration, then one label per other
    source, with exhibit references; never a token or an id.
    """

    number: int
    event_id: str | None
    date: ParsedDate
    date_text: str
    text: str
    text_lang: str
    place: str
    category: str
    sources: tuple[str, ...]
    status: str = "client_account"  # event_status vocabulary; an event without one is the client's account
    source_labels: tuple[str, ...] = ()


def render_timeline(
    case: dict[str, Any],
    lang: str,
    *,
    exhibit_label: str | None = None,
    author: str | None = None,
    exhibits: Mapping[str, ExhibitRef] | None = None,
) -> bytes:
    """The chronology exhibit of ``case`` in ``lang`` ('en' or 'es') as PDF bytes.

    ``exhibit_label`` (e.g. "Exhibit C") is printed as given at the top right of page 1 and in
    the footer; empty or None leaves it out. ``author`` goes into the PDF metadata. ``exhibits``
    maps "declaration" or a document slug ("i-213") to the exhibit of the filing that holds it;
    the sources then read "… (Ex. B, p. 3)". Raises :class:`~desktop.errors.ValidationError` for
    an event date that is not valid EDTF.
    """
    from desktop.documents.timeline_pdf import timeline_story

    lang = _document_language(lang)
    label = _exhibit_label(exhibit_label)
    refs = normalize_exhibits(exhibits or {})
    rows = timeline_rows(case, lang, refs)
    t = translator(lang)
    name = client_name(case)
    a_number = a_number_display(case)
    title = t(TITLE)
    info = DocumentInfo(
        lang=lang,
        title=t(PDF_TITLE).format(name=name),
        running_title=t(EXHIBIT_TITLE).format(exhibit=label, title=title) if label else title,
        client_name=name,
        a_number=a_number,
        subject=caption_line(lang, name, a_number),
        author=author,
        digest=fingerprint(_content(case, lang, label, rows, refs)),
    )
    court = (case.get("proceedings") or {}).get("court")

    def story() -> list[Any]:
        return timeline_story(
            rows,
            lang,
            exhibit_label=label,
            name=name,
            a_number=a_number,
            detained=is_detained(case),
            court=court,
        )

    return render_pdf(story, info)


def timeline_rows(
    case: dict[str, Any], lang: str, exhibits: Mapping[str, ExhibitRef] | None = None
) -> list[TimelineRow]:
    """The events of ``case`` in chronological order, numbered, with texts and source labels in
    ``lang`` (see :func:`render_timeline` for ``exhibits``)."""
    lang = _document_language(lang)
    refs = normalize_exhibits(exhibits or {})
    sex = client_sex((case.get("client") or {}).get("gender"))
    paragraph_links: dict[str, list[int]] = {}
    declaration = case.get("declaration") or {}
    for number, paragraph in enumerate(declaration.get("paragraphs") or [], start=1):
        for event_id in paragraph.get("events") or []:
            paragraph_links.setdefault(event_id, []).append(number)
    document_links: dict[str, list[str]] = {}  # a document linked to an event is one of its sources
    for document in case.get("documents") or []:
        event_id = (document.get("links") or {}).get("event")
        if event_id and document.get("id"):
            document_links.setdefault(event_id, []).append(f"document:{document['id']}")
    parsed = []
    for index, event in enumerate(case.get("events") or []):
        date = parse_edtf(event["date"], field=f"$.events[{index}].date")
        parsed.append((date, index, event))
    parsed.sort(key=lambda item: (item[0].lower or dt.date.min, item[0].upper or dt.date.max, item[1]))
    rows = []
    for number, (date, _index, event) in enumerate(parsed, start=1):
        event_text, text_lang = _pick_text(event.get("text") or {}, lang)
        sources = _sources(event, paragraph_links.get(event.get("id") or "", []))
        linked = [t for t in document_links.get(event.get("id") or "", []) if not _names(sources, t)]
        sources = (*sources, *linked)
        rows.append(
            TimelineRow(
                number=number,
                event_id=event.get("id"),
                date=date,
                date_text=format_edtf(date.edtf, lang),
                text=event_text,
                text_lang=text_lang,
                place=event.get("place") or "",
                category=event.get("category") or "other",
                sources=sources,
                status=_status(event),
                source_labels=labels_for(
                    sources, lang, sex=sex, exhibits=refs, documents=document_entries(case)
                ),
            )
        )
    return rows


def source_label(
    token: str,
    lang: str,
    *,
    gender: str | None = None,
    exhibits: Mapping[str, ExhibitRef] | None = None,
) -> str:
    """How one source token reads in ``lang``: "Declaration of the respondent, ¶ 3", "Ex. C",
    "Form I-213, Record of Deportable/Inadmissible Alien", "Respondent's interview with counsel".

    ``gender`` is the client's (free text, as in the case file); the short references keep
    non-breaking spaces. An unknown ``document:<slug>`` reads humanized ("Hospital record").
    """
    lang = _document_language(lang)
    sex = client_sex(gender)
    return labels_for([token], lang, sex=sex, exhibits=normalize_exhibits(exhibits or {}))[0]


def unknown_sources(case: dict[str, Any]) -> list[str]:
    """The ``document:<slug>`` sources of ``case`` whose document is not in the label table, each
    once in file order: they print humanized ("Hospital record"), and the export should say so."""
    tokens = [token for event in case.get("events") or [] for token in event.get("sources") or []]
    return unknown_document_slugs(tokens, label_table(), document_entries(case))


def timeline_content(
    case: dict[str, Any],
    lang: str,
    *,
    exhibit_label: str | None = None,
    exhibits: Mapping[str, ExhibitRef] | None = None,
) -> dict[str, Any]:
    """What the exhibit says, as a JSON value: the input of :func:`content_fingerprint`.

    ``{"format": "declara-timeline", "version": 1, "language", "exhibit_label", "client": {"name",
    "a_number" (9 digits or null), "detained"}, "events": [{"number", "date" (EDTF), "text",
    "text_language", "place", "category", "status", "sources"}]}``, events in the table's order, and,
    only when exhibit references are given, ``"exhibits": {"declaration" or a document's
    slug: {"letter", "page" (or null)}}``. Wording that comes from Declara (headings, date phrases,
    source labels) is not part of it; the data behind it is.
    """
    lang = _document_language(lang)
    refs = normalize_exhibits(exhibits or {})
    return _content(case, lang, _exhibit_label(exhibit_label), timeline_rows(case, lang, refs), refs)


def content_fingerprint(
    case: dict[str, Any],
    lang: str,
    *,
    exhibit_label: str | None = None,
    exhibits: Mapping[str, ExhibitRef] | None = None,
) -> str:
    """The SHA-256 printed on the last page: of the canonical JSON of :func:`timeline_content`.

    It identifies what the document says, not the PDF's bytes (a file cannot contain the hash of
    itself, and two renderings differ in their creation date); see
    :func:`desktop.documents.layout.fingerprint`.
    """
    return fingerprint(timeline_content(case, lang, exhibit_label=exhibit_label, exhibits=exhibits))


# -- helpers -----------------------------------------------------------------------------------
def _document_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"no documents in language {lang!r}; expected one of {LANGUAGES}")
    return lang


def _exhibit_label(value: str | None) -> str | None:
    """The label as printed: surrounding spaces dropped; empty means none."""
    return (value or "").strip() or None


def _content(
    case: dict[str, Any],
    lang: str,
    label: str | None,
    rows: list[TimelineRow],
    refs: Mapping[str, ExhibitRef] | None = None,
) -> dict[str, Any]:
    content: dict[str, Any] = {
        "format": CONTENT_FORMAT,
        "version": CONTENT_VERSION,
        "language": lang,
        "exhibit_label": label,
        "client": {
            "name": client_name(case),
            "a_number": _a_number_digits(case),
            "detained": is_detained(case),
        },
        "events": [
            {
                "number": row.number,
                "date": row.date.edtf,
                "text": row.text,
                "text_language": row.text_lang,
                "place": row.place,
                "category": row.category,
                "status": row.status,
                "sources": list(row.sources),
            }
            for row in rows
        ],
    }
    if refs:
        content["exhibits"] = {
            key: {"letter": ref.letter, "page": ref.page} for key, ref in sorted(refs.items())
        }
    return content


def _a_number_digits(case: dict[str, Any]) -> str | None:
    """The client's A-number as 9 digits, or None when there is none or it cannot be read."""
    raw = (case.get("client") or {}).get("a_number")
    if not raw:
        return None
    try:
        return parse_a_number(raw)
    except ValidationError:
        return None


def _pick_text(texts: dict[str, str], lang: str) -> tuple[str, str]:
    """The text in ``lang``, else in another document language, else in any language it has."""
    for code in (lang, *(c for c in LANGUAGES if c != lang), *texts):
        if texts.get(code):
            return texts[code], code
    return "", lang


def _status(event: dict[str, Any]) -> str:
    """The event's status key; missing or unknown reads as the client's account (never as documented)."""
    status = event.get("status")
    return status if status in VOCABULARIES["event_status"] else "client_account"


def _names(sources: tuple[str, ...], token: str) -> bool:
    """Whether ``sources`` already name the document of ``token`` (with or without a page)."""
    return any(source == token or source.startswith(token + "#") for source in sources)


def _sources(event: dict[str, Any], linked_paragraphs: list[int]) -> tuple[str, ...]:
    paragraphs = set(linked_paragraphs)
    others: list[str] = []
    for token in event.get("sources") or []:
        kind, _sep, value = token.partition(":")
        if kind == "paragraph" and value.isdigit():
            paragraphs.add(int(value))
        else:
            token = "interview" if kind == "interview" else token
            if token not in others:
                others.append(token)
    return tuple([f"paragraph:{n}" for n in sorted(paragraphs)] + others)
