"""The request letters, as content: what each says, filled from the client's record.

A :class:`Letter` is a list of :class:`Block` (paragraphs, a table of fields, a list, a signature
line, a page break) in one language; :mod:`desktop.requests.render` lays it out as a PDF on the page
layout of Declara's court documents or as a DOCX to edit. Nothing here reads the vault: the
service (:mod:`desktop.requests.service`) gathers a :class:`LetterInput`.

What goes in:

- **FOIA letters** (CBP, ICE, USCIS, OBIM, EOIR, the State Department): the requester, the date, the
  agency's FOIA address from the data table, the client's names as written and aliases, A-number,
  date of birth at its true precision (:func:`desktop.case.dates.format_edtf`), country of birth and
  nationality, the records the agency holds (from the table), the records behind the allegation
  (DHS's own words quoted when recorded), the border encounters of the chronology (dates and
  places only: the client's account stays out of a letter to the agency), expedited processing with
  its certified statement when the client is detained, and a page for the client's verification of
  identity and consent under 28 U.S.C. § 1746, with an interpreter's certificate when the client
  does not speak English. A Spanish rendering is a copy for the client to read, and says so.
- **The FBI**: an Identity History Summary request (28 C.F.R. §§ 16.30–16.34) with the same page.
- **Clearance certificates** (Spanish first): the client's authorization for the relative or
  representative who applies, and that person's request letter to the issuer, for the country's
  certificates; then, apart from the letters, what the application needs (from the data table,
  each fact with its source and the day it was checked, or marked as not confirmed).

Where the record has nothing, a bracketed blank stands (:data:`desktop.requests.wording.BLANK`);
:attr:`Letter.blanks` lists them. No internal id is ever printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.case.anumber import format_a_number, parse_a_number
from desktop.case.dates import format_edtf
from desktop.case.display import country_name, language_name
from desktop.case.names import display_name
from desktop.errors import DeclaraError
from desktop.i18n import babel_locale
from desktop.requests import tables
from desktop.requests.wording import BLANK, say

# The rules each family of agencies cites for expedited processing and for the identity page.
# Paragraph-level citations are left out: the regulations' text could not be read from a primary
# source when this was written (docs/requests.md).
_EXPEDITE_RULE = {
    "dhs": "5 U.S.C. § 552(a)(6)(E); 6 C.F.R. § 5.5(e)",
    "doj": "5 U.S.C. § 552(a)(6)(E); 28 C.F.R. § 16.5(e)",
    "dos": "5 U.S.C. § 552(a)(6)(E)",
}
_IDENTITY_RULE = {"dhs": "6 C.F.R. § 5.21(d)", "doj": "28 C.F.R. § 16.41(d)", "dos": ""}
_FAMILY = {
    "CBP": "dhs",
    "ICE": "dhs",
    "USCIS": "dhs",
    "OBIM": "dhs",
    "FBI": "doj",
    "EOIR": "doj",
    "DOS": "dos",
}


@dataclass(frozen=True)
class Block:
    """One piece of a letter. ``kind``: "lines" (lines kept together: an address, a date),
    "title", "heading", "para", "strong" (a bold paragraph), "fields" (label/value rows),
    "bullets", "signature" (a line to sign above a caption), "note" (small print), "page" (a
    page break)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Letter:
    lang: str
    title: str  # the PDF's title and the running footer
    blocks: tuple[Block, ...]
    client_name: str
    a_number: str
    author: str = ""  # the PDF's author: who signs a FOIA letter ("" when no one is known)

    @property
    def blanks(self) -> list[str]:
        """The bracketed blanks left for the attorney, each once, in order."""
        seen: list[str] = []
        for block in self.blocks:
            for piece in (block.text, *block.items, *(v for row in block.rows for v in row)):
                for match in BLANK.findall(piece):
                    if match not in seen:
                        seen.append(match)
        return seen

    def text(self) -> str:
        """Everything the letter says, as plain text (for tests and a quick look)."""
        out = []
        for block in self.blocks:
            out += [block.text, *block.items, *(f"{a}: {b}" for a, b in block.rows)]
        return "\n".join(line for line in out if line)


@dataclass(frozen=True)
class Requester:
    """Who signs a FOIA letter (kept in the vault, desktop.requests.service)."""

    name: str = ""
    organization: str = ""
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class LetterInput:
    client: Mapping[str, Any]  # the client record's data (with ``proceedings``)
    today: dt.date
    allegation: Mapping[str, Any] | None = None
    encounters: tuple[tuple[str, str], ...] = ()  # (EDTF date, place) of border events
    facility: str = ""  # as recorded
    facility_address: tuple[str, ...] = ()  # name, street, "City, ST 00000" when the facility is listed
    requester: Requester = field(default_factory=Requester)
    representative: Mapping[str, Any] | None = None  # a family member's data


# -- helpers -----------------------------------------------------------------------------------
def _sex(client: Mapping[str, Any]) -> str | None:
    from desktop.documents.layout import client_sex

    return client_sex(client.get("gender"))


def _a_number(client: Mapping[str, Any], lang: str) -> str:
    raw = client.get("a_number")
    if not raw:
        return say("blank_a_number", lang)
    try:
        return format_a_number(parse_a_number(raw))
    except DeclaraError:
        return str(raw)


def _date(value: str | None, lang: str, blank: str) -> str:
    if not value:
        return say(blank, lang)
    try:
        return format_edtf(value, lang)
    except DeclaraError:
        return value


def _day(day: dt.date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, format="long", locale=babel_locale(lang))


def _requester_lines(requester: Requester, lang: str) -> list[str]:
    lines = [requester.name or say("blank_requester", lang)]
    if requester.organization:
        lines.append(requester.organization)
    lines += list(requester.address)
    contact = " · ".join(part for part in (requester.phone, requester.email) if part)
    if contact:
        lines.append(contact)
    if not requester.address and not contact:
        lines.append(say("blank_requester_address", lang))
    return lines


def _detained(client: Mapping[str, Any]) -> bool:
    return ((client.get("custody") or {}).get("status")) == "detained"


def _facility(data: LetterInput, lang: str) -> str:
    return data.facility or say("blank_address", lang)


def _address(data: LetterInput, lang: str) -> str:
    """Where a detained client is: the facility's name and street address from the ICE list, else
    the facility as recorded. A client not detained (or with no facility) gets a blank: a facility
    left in the record after a release is not where the client lives."""
    if not _detained(data.client) or not data.facility:
        return say("blank_address", lang)
    if data.facility_address:
        return ", ".join(data.facility_address)
    return data.facility


def _since(client: Mapping[str, Any], lang: str) -> str:
    since = (client.get("custody") or {}).get("since")
    if not since:
        return ""
    words = _on_day(since, lang, "blank_dob")
    if lang == "en":  # "since June 9, 2026", "since March 2026", "since around 2026"
        words = words.removeprefix("on ").removeprefix("in ")
    else:  # "desde el 9 de junio de 2026", "desde marzo de 2026"
        words = words.removeprefix("en ")
    return say("since", lang, date=words)


def _hearing(client: Mapping[str, Any], lang: str) -> str:
    hearing = (client.get("proceedings") or {}).get("next_hearing")
    return say("hearing", lang, date=_date(hearing, lang, "blank_dob")) if hearing else ""


def _identity_rows(data: LetterInput, lang: str, *, sworn: bool) -> list[tuple[str, str]]:
    """Who the records are about. On the page the client signs (``sworn``) their current address is
    added, and what the record lacks is a blank for the client to answer, never "none recorded"."""
    client = data.client
    aliases = [a for a in client.get("aliases") or [] if a]
    nationalities = [country_name(c, lang) for c in client.get("nationalities") or []]
    no_aliases = say("blank_aliases" if sworn else "none_recorded", lang)
    rows = [
        (say("field_name", lang), display_name(client)),
        (say("field_aliases", lang), "; ".join(aliases) or no_aliases),
        (say("field_a_number", lang), _a_number(client, lang)),
        (say("field_dob", lang), _date(client.get("date_of_birth"), lang, "blank_dob")),
        (
            say("field_cob", lang),
            country_name(client.get("country_of_birth"), lang) or say("blank_country", lang),
        ),
        (say("field_nationality", lang), ", ".join(nationalities) or say("blank_nationality", lang)),
    ]
    if sworn:
        rows.append((say("field_address", lang), _address(data, lang)))
    return rows


def _records_behind(allegation: Mapping[str, Any], lang: str) -> str:
    """The records the allegation rests on, in the words the record allows: what DHS claims by its
    kind, DHS's own words quoted when recorded, and "the allegation against my client" when the
    kind says no more (a letter never words a claim DHS did not make)."""
    wording = _wording(allegation, lang)
    quote = say("quote", lang, wording=wording) if wording else ""
    if allegation.get("kind") not in ("gang_affiliation", "criminal_history"):
        text = say("records_allegation_other", lang, quote=quote)
    elif wording:
        text = say("records_allegation", lang, claim=_claim(allegation, lang), wording=wording)
    else:
        text = say("records_allegation_no_wording", lang, claim=_claim(allegation, lang))
    return text.replace(".”.", ".”")  # DHS's words end the sentence: their full stop is not doubled


def _claim(allegation: Mapping[str, Any], lang: str) -> str:
    if allegation.get("kind") == "gang_affiliation":
        organization = (allegation.get("organization") or "").strip()
        if organization:
            return say("claim_gang", lang, organization=organization)
        return say("claim_gang_unnamed", lang)
    return say("claim_criminal", lang)


def _wording(allegation: Mapping[str, Any], lang: str) -> str:
    """DHS's words as recorded (the Spanish rendering in a Spanish copy when there is one)."""
    if lang == "es" and (allegation.get("wording_es") or "").strip():
        return allegation["wording_es"].strip()
    return (allegation.get("wording") or "").strip()


def _consent_page(data: LetterInput, agency: str, lang: str) -> list[Block]:
    client = data.client
    name = display_name(client)
    requester = data.requester.name or say("blank_requester", lang)
    blocks = [
        Block("page"),
        Block("title", say("consent_title", lang)),
        Block("fields", rows=tuple(_identity_rows(data, lang, sworn=True))),
        Block("para", say("consent_text", lang, requester=requester, agency=agency)),
        Block("para", say("perjury", lang)),
        Block("para", say("executed_on", lang)),
        Block("signature", say("signature_of", lang, name=name)),
    ]
    spoken = [code for code in client.get("languages") or [] if code]
    if spoken and "en" not in spoken:
        language = language_name(spoken[0], lang)
        blocks += [
            Block("heading", say("interpreter_title", lang)),
            Block("para", say("interpreter_text", lang, language=language)),
            Block("signature", say("signature_line", lang)),
        ]
    return blocks


def _agency_words(agency: tables.Agency, lang: str) -> str:
    """The agency named in a sentence: "the Executive Office for Immigration Review (EOIR)",
    "EOIR (Oficina Ejecutiva de Revisión de Casos de Inmigración)" (no Spanish article to agree)."""
    import re

    name = re.sub(r"\s*\([^)]*\)", "", agency.name(lang)).strip()
    return f"the {name} ({agency.code})" if lang == "en" else f"{agency.code} ({name})"


def _on_day(value: str | None, lang: str, blank: str) -> str:
    """A date after a verb: "on March 2, 1990" / "el 2 de marzo de 1990" for an exact day, "in March
    1990" / "en marzo de 1990" for a month or a year, "around 1990" / "alrededor de 1990" as said."""
    if not value:
        return say(blank, lang)
    try:
        from desktop.case.dates import parse_edtf

        parsed = parse_edtf(value)
        words = format_edtf(value, lang)
    except DeclaraError:
        return value
    if parsed.approximate or parsed.uncertain or parsed.precision not in ("day", "month", "year"):
        return words
    if parsed.precision == "day":
        return ("on " if lang == "en" else "el ") + words
    return ("in " if lang == "en" else "en ") + words


def _agency_address(agency: tables.Agency, lang: str) -> tuple[str, ...]:
    """The agency's address from the table; one no source confirmed starts with a blank that says
    so, which the attorney removes once the address is checked."""
    fact = agency.facts["address"]
    lines = tuple(fact.items(lang))
    return lines if fact.confirmed else (say("blank_unconfirmed_address", lang), *lines)


def _head(data: LetterInput, agency: tables.Agency, title: str, lang: str) -> list[Block]:
    """A letter to an agency up to its subject line: (in Spanish, the note that it is a copy,) the
    requester, the date, the agency's address and "Re: TITLE: NAME, A-NUMBER"."""
    name, a_number = display_name(data.client), _a_number(data.client, lang)
    blocks = [Block("note", say("spanish_copy", lang))] if lang == "es" else []
    return [
        *blocks,
        Block("lines", items=tuple(_requester_lines(data.requester, lang))),
        Block("lines", items=(_day(data.today, lang),)),
        Block("lines", items=_agency_address(agency, lang)),
        Block(
            "strong", f"{say('re', lang)} " + say("re_line", lang, title=title, name=name, a_number=a_number)
        ),
    ]


# -- FOIA ---------------------------------------------------------------------------------------
def foia_letter(data: LetterInput, code: str, lang: str = "en") -> Letter:
    """The FOIA (and Privacy Act) request to agency ``code``; the FBI's is an identity history
    summary request (:func:`identity_history_letter`)."""
    if code == "FBI":
        return identity_history_letter(data, lang)
    agency = tables.agencies()[code]
    family = _FAMILY[code]
    client = data.client
    name = display_name(client)
    a_number = _a_number(client, lang)
    title = say("foia_title", lang)
    detained = _detained(client)
    court = ((client.get("proceedings") or {}).get("court") or "").strip()
    blocks = _head(data, agency, title, lang)
    if detained:
        blocks.append(Block("strong", say("expedite_requested", lang)))
    blocks += [
        Block("para", say("dear_foia", lang)),
        Block(
            "para",
            say("foia_intro", lang, name=name, in_court=say("in_court", lang, court=court) if court else ""),
        ),
        Block("heading", say("subject_heading", lang)),
        Block("fields", rows=tuple(_identity_rows(data, lang, sworn=False))),
        Block("heading", say("records_heading", lang)),
    ]
    records = agency.facts["records_sought"].items(lang)
    if data.allegation is not None:
        records.append(_records_behind(data.allegation, lang))
    blocks.append(Block("bullets", items=tuple(records)))
    if data.encounters and code in ("CBP", "ICE", "OBIM", "USCIS"):
        encounters = []
        for date, place in data.encounters:
            when = _date(date, lang, "blank_dob")
            key = "encounter" if place else "encounter_no_place"
            encounters.append(say(key, lang, date=when, place=place))
        blocks += [Block("para", say("records_encounters", lang)), Block("bullets", items=tuple(encounters))]
    if detained:
        blocks += [
            Block("heading", say("expedite_heading", lang)),
            Block(
                "para",
                say(
                    "expedite_detained",
                    lang,
                    facility=_facility(data, lang),
                    since=_since(client, lang),
                    hearing=_hearing(client, lang),
                    rule=_EXPEDITE_RULE[family],
                    held=say("held", lang, _sex(client)),
                ),
            ),
            Block("para", say("certify_expedite", lang)),
        ]
    rule = _IDENTITY_RULE[family]
    blocks += [
        Block("para", say("fees", lang)),
        Block("para", say("format", lang)),
        Block(
            "para", say("consent_enclosed", lang, rule=say("consent_rule", lang, rule=rule) if rule else "")
        ),
        Block("para", say("sincerely", lang)),
        Block("signature", data.requester.name or say("blank_requester", lang)),
        Block("note", say("enclosure", lang, name=name)),
    ]
    blocks += _consent_page(data, _agency_words(agency, lang), lang)
    return Letter(lang, f"{title} — {code}", tuple(blocks), name, a_number, data.requester.name)


def identity_history_letter(data: LetterInput, lang: str = "en") -> Letter:
    """The request for the FBI's Identity History Summary, with the consent page."""
    agency = tables.agencies()["FBI"]
    client = data.client
    name = display_name(client)
    a_number = _a_number(client, lang)
    title = say("ihs_title", lang)
    blocks = _head(data, agency, title, lang)
    blocks += [
        Block("para", say("dear_ihs", lang)),
        Block("para", say("ihs_intro", lang, name=name)),
        Block("heading", say("subject_heading", lang)),
        Block("fields", rows=tuple(_identity_rows(data, lang, sworn=False))),
    ]
    if _detained(client):
        blocks.append(
            Block(
                "para",
                say(
                    "ihs_detained",
                    lang,
                    facility=_facility(data, lang),
                    since=_since(client, lang),
                    held=say("held", lang, _sex(client)),
                ),
            )
        )
    blocks += [
        Block("para", say("ihs_send", lang)),
        Block("para", say("sincerely", lang)),
        Block("signature", data.requester.name or say("blank_requester", lang)),
        Block("note", say("enclosure", lang, name=name)),
    ]
    blocks += _consent_page(data, _agency_words(agency, lang), lang)
    return Letter(lang, f"{title} — FBI", tuple(blocks), name, a_number, data.requester.name)


# -- clearance certificates -----------------------------------------------------------------------
def _id_document(country: tables.Country, lang: str) -> str:
    fact = country.fact("id_document")
    return fact.text(lang) if fact else say("blank_id_number", lang, document="ID")


def _how_blocks(certificates: Sequence[tables.Certificate], lang: str) -> list[Block]:
    """What the application needs, fact by fact with its source: the page after the letters."""
    blocks = [Block("page"), Block("title", say("how_heading", lang))]
    for cert in certificates:
        blocks.append(Block("heading", cert.name(lang)))
        rows = []
        for key, label in (
            ("abroad", "label_abroad"),
            ("representative_needs", "label_representative"),
            ("cost", "label_cost"),
            ("validity_days", "label_validity"),
            ("apostille", "label_apostille"),
        ):
            fact = cert.fact(key)
            if fact is None:
                continue
            if key == "validity_days":
                value = say("validity_days", lang, days=str(cert.validity_days)) if cert.validity_days else ""
            else:
                value = fact.text(lang)
            if fact.confirmed:
                source = say("how_source", lang, source=fact.source, date=_day(fact.checked_on, lang))
            else:
                source = say("how_unconfirmed", lang)
            rows.append((say(label, lang), f"{value} {source}".strip()))
        blocks.append(Block("fields", rows=tuple(rows)))
    return blocks


def clearance_letters(
    data: LetterInput, country_code: str, certificates: Sequence[str] | None = None, lang: str = "es"
) -> Letter:
    """The authorization and the request letter for a country's clearance certificates (all of
    them, or the codes in ``certificates``), then what the application needs."""
    country = tables.countries()[country_code]
    chosen = [c for c in country.certificates if certificates is None or c.code in certificates]
    if not chosen:
        raise KeyError(country_code)
    client = data.client
    sex = _sex(client)
    name = display_name(client)
    a_number = _a_number(client, lang)
    rep = data.representative or {}
    rep_name = display_name(rep) if rep else ""
    relationship = rep.get("relationship")
    relationship_words = (
        _relationship(relationship, lang) if relationship else say("blank_relationship", lang)
    )
    id_document = _id_document(country, lang)
    values = dict(
        name=name,
        dob=_on_day(client.get("date_of_birth"), lang, "blank_dob"),
        country=country_name(country_code, lang),
        id_document=id_document,
        id_number=say("blank_id_number", lang, document=_short_id(country, lang)),
        rep_id_number=say("blank_id_number", lang, document=_short_id(country, lang)),
        facility=_address(data, lang),
        representative=rep_name or say("blank_representative", lang),
        relationship=relationship_words,
        born=say("born", lang, sex),
        held=say("held", lang, sex),
    )
    detained = _detained(client)
    # Where the client is: held at the facility only while detained (the authorization is signed).
    if detained:
        values["where"] = say("where_detained", lang, facility=values["facility"], held=values["held"])
    else:
        values["where"] = say("where_living", lang, address=say("blank_address", lang))
    reason = "auth_reason" if detained else "auth_reason_living"
    use = "request_use" if detained else "request_use_living"
    items = tuple(
        say("auth_item", lang, certificate=c.name(lang), issuer=c.facts["issuer"].text(lang)) for c in chosen
    )
    place_date = say("place_date", lang, value=say("blank_place_date", lang))
    blocks: list[Block] = [
        Block("title", say("auth_title", lang)),
        Block("para", say("auth_text", lang, **values)),
        Block("bullets", items=items),
        Block("para", say(reason, lang, sex, country=values["country"], held=values["held"])),
        Block("para", place_date),
        Block("signature", say("signature_of", lang, name=name)),
    ]
    for cert in chosen:
        issuer = cert.facts["issuer"].text(lang)
        blocks += [
            Block("page"),
            Block("lines", items=(place_date,)),
            Block("lines", items=tuple(say("dear_issuer", lang, issuer=issuer).split("\n"))),
            Block("strong", say("request_title", lang, certificate=cert.name(lang))),
            Block("para", say("request_text", lang, certificate=cert.name(lang), **values)),
            Block("para", say(use, lang, a_number=a_number, **values)),
            Block("para", say("enclosed", lang)),
            Block("bullets", items=(say("enclosed_authorization", lang), say("enclosed_ids", lang))),
            Block("para", say("sincerely", lang)),
            Block("signature", values["representative"]),
        ]
    blocks += _how_blocks(chosen, lang)
    title = say("auth_title", lang)
    return Letter(lang, title, tuple(blocks), name, a_number)


def _short_id(country: tables.Country, lang: str) -> str:
    fact = country.fact("id_document_short")
    return fact.text(lang) if fact else "ID"


# A family member's record does not say their sex: the Spanish gives both words, to strike one.
_RELATIONSHIPS = {
    "child": {"en": "child", "es": "hija/hijo"},
    "parent": {"en": "parent", "es": "madre/padre"},
    "spouse": {"en": "spouse", "es": "cónyuge"},
    "partner": {"en": "partner", "es": "pareja"},
    "sibling": {"en": "sibling", "es": "hermana/hermano"},
    "other": {"en": "relative", "es": "familiar"},
}


def _relationship(key: str, lang: str) -> str:
    return _RELATIONSHIPS.get(key, _RELATIONSHIPS["other"])[lang if lang in ("en", "es") else "en"]
