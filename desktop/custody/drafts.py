"""Custody documents drafted from the record: the parole request to the ICE field office and the
statement of facts for a habeas petition, as :class:`~desktop.requests.letters.Letter` (rendered
to PDF and DOCX by :mod:`desktop.requests.render`).

Every factual sentence carries its source, as the declaration's paragraphs do: the documents it
comes from (by their exhibit letter and title), the interview, or the custody record entry whose
sources are named. A sentence with no source is written with a bracketed blank asking for one, and
a bracketed blank stands where the attorney must write (the argument, a fact the record lacks):
``Letter.blanks`` lists them, and a draft with blanks is not ready to send. No legal argument is
generated; the headings follow the structure ICE's parole decisions use (identity, flight risk,
danger, discretionary and humanitarian factors; docs/custody.md). The documents are in English,
the language of the agency and the court.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.case.anumber import format_a_number, parse_a_number
from desktop.case.dates import format_edtf, parse_edtf
from desktop.case.display import country_name
from desktop.case.model import VOCABULARIES
from desktop.case.names import display_name
from desktop.custody.record import CustodySummary, Entry
from desktop.errors import DeclaraError
from desktop.requests.letters import Block, Letter

NO_SOURCE = "[source: name the document or answer this comes from]"
IDENTITY_KINDS = ("identity_document", "birth_certificate")
SPONSOR_STATUS = {
    "citizen": "a U.S. citizen",
    "permanent_resident": "a lawful permanent resident",
    "asylee_refugee": "an asylee or refugee",
    "tps": "a holder of Temporary Protected Status",
    "pending_application": "a person whose immigration application is pending",
}


@dataclass(frozen=True)
class Sentence:
    text: str
    sources: tuple[str, ...]  # "Exhibit A (Form I-213)", "the client's interview"; () = unsourced


@dataclass
class Sources:
    """Documents cited, lettered in the order they are first cited (the exhibit list)."""

    documents: Mapping[str, Mapping[str, Any]]  # document record id -> its data
    order: list[str] = field(default_factory=list)

    def label(self, token: str) -> str | None:
        """The words a source token stands for: a document in the vault by its exhibit letter and
        title; any other token as the timeline exhibit reads it ("Form I-213, Record of …",
        "Respondent's interview with counsel"); None for an empty token."""
        if not token:
            return None
        if token.startswith("document:"):
            doc_id = token.split(":", 1)[1].split("#", 1)[0]
            data = self.documents.get(doc_id)
            if data is not None:
                if doc_id not in self.order:
                    self.order.append(doc_id)
                letter = exhibit_letter(self.order.index(doc_id))
                return f"Exhibit {letter} ({data.get('title') or 'document'})"
        from desktop.documents.timeline import source_label

        try:
            return source_label(token, "en")
        except (KeyError, ValueError):
            return None

    def of(self, tokens: Any) -> tuple[str, ...]:
        return tuple(label for label in (self.label(str(t)) for t in tokens or ()) if label)

    def exhibits(self) -> list[tuple[str, str]]:
        return [
            (exhibit_letter(i), str(self.documents[d].get("title") or "")) for i, d in enumerate(self.order)
        ]


def exhibit_letter(position: int) -> str:
    from desktop.filing.build import label_for

    return label_for(position)


@dataclass(frozen=True)
class CustodyInput:
    """What the drafts read: the client, the custody record, the family, the documents and the
    allegations with their rebuttal items (all as record data), today, the field office."""

    client: Mapping[str, Any]
    summary: CustodySummary
    today: dt.date
    family: tuple[tuple[str, Mapping[str, Any]], ...] = ()  # (record id, data)
    documents: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    allegations: tuple[tuple[str, Mapping[str, Any], tuple[Mapping[str, Any], ...]], ...] = ()
    field_office: tuple[str, ...] = ()  # the addressee's lines (name, street, city) when known
    signer: tuple[str, ...] = ()


# -- words ---------------------------------------------------------------------------------------
def on_day(value: str | None) -> str:
    """ "on March 2, 2026" for a day, "in March 2026" for a month, "around March 2026" as said."""
    if not value:
        return "on [date]"
    try:
        parsed = parse_edtf(value)
        words = format_edtf(value, "en")
    except DeclaraError:
        return value
    if parsed.approximate or parsed.uncertain or parsed.precision not in ("day", "month", "year"):
        return words
    return ("on " if parsed.precision == "day" else "in ") + words


def a_number(client: Mapping[str, Any]) -> str:
    try:
        return format_a_number(parse_a_number(client.get("a_number") or ""))
    except DeclaraError:
        return "[A-number]"


def _authority_words(code: str | None) -> str:
    """ "INA § 236(a) (discretionary detention)": the statute, then what it is, inside a sentence."""
    label = VOCABULARIES["detention_authority"].get(code or "")
    if not label or code == "unknown":
        return "[the detention authority DHS claims]"
    statute, _sep, words = label.partition(": ")
    return f"{statute} ({words})" if words else statute


#: What a bond hearing's and a parole decision's outcomes say, as sentences.
BOND_OUTCOME = {
    "granted": "The judge granted bond.",
    "denied": "The judge denied bond.",
    "no_jurisdiction": "The judge found no jurisdiction to redetermine custody.",
    "continued": "The hearing was continued.",
    "pending": "The decision is pending.",
    "withdrawn": "The request for bond was withdrawn.",
}
PAROLE_OUTCOME = {
    "granted": "ICE granted parole.",
    "denied": "ICE denied parole.",
    "pending": "ICE has not decided.",
    "withdrawn": "The request was withdrawn.",
}


def _days(summary: CustodySummary) -> str:
    if summary.days is None:
        return ""
    word = "day" if summary.days == 1 else "days"
    return f"at least {summary.days} {word}" if summary.approximate else f"{summary.days} {word}"


def _entry_sentence(entry: Entry, name: str) -> str:
    d = entry.data
    when = on_day(entry.date)
    when = when[:1].upper() + when[1:]  # it begins the sentence
    facility = d.get("facility") or d.get("place") or "[facility]"
    outcome = VOCABULARIES["custody_outcome"].get(str(d.get("outcome") or ""), "")
    kind = entry.kind
    if kind == "apprehension":
        agency = d.get("agency") or "[agency]"
        at = facility if facility.lower().startswith(("near ", "at ", "in ")) else f"at or near {facility}"
        return f"{when}, {agency} apprehended {name} {at}."
    if kind == "detention":
        return f"{when}, {name} was detained at {facility}."
    if kind == "transfer":
        return f"{when}, ICE transferred {name} to {facility}."
    if kind == "authority":
        return f"{when}, DHS stated that it detains {name} under {_authority_words(d.get('authority'))}."
    if kind == "custody_review":
        result = f" The result: {outcome.lower()}." if outcome else ""
        return f"{when}, ICE reviewed {name}'s custody.{result}"
    if kind == "parole_request":
        return f"{when}, {name} asked ICE for parole."
    if kind == "parole_decision":
        result = PAROLE_OUTCOME.get(str(d.get("outcome") or ""), "ICE decided on parole: [the decision].")
        reasons = f" The reasons given: {d['reasons']}" if d.get("reasons") else ""
        result = result if result.startswith("ICE") else result[:1].lower() + result[1:]
        return f"{when}, {result}{_stop(reasons)}"
    if kind == "bond_hearing":
        judge = f" before Immigration Judge {d['judge']}" if d.get("judge") else ""
        parts = [f"{when}, {name} had a bond hearing{judge}."]
        if d.get("amount_requested") is not None:
            parts.append(f"A bond of ${int(d['amount_requested']):,} was requested.")
        if d.get("outcome") in BOND_OUTCOME:
            parts.append(BOND_OUTCOME[d["outcome"]])
        if d.get("amount_set") is not None:
            parts.append(f"The judge set bond at ${int(d['amount_set']):,}.")
        if d.get("reasons"):
            parts.append(_stop(f"The reasons given: {d['reasons']}"))
        return " ".join(parts)
    if kind == "release":
        conditions = _stop(f" The conditions: {d['conditions']}") if d.get("conditions") else ""
        return f"{when}, {name} was released.{conditions}"
    if kind == "appearance":
        where = d.get("place") or d.get("facility") or d.get("agency") or "[where]"
        return _stop(f"{when}, {name} appeared as required at {where}")
    if kind == "medical":
        return _stop(f"{when}: {d.get('notes') or '[the medical or humanitarian fact]'}")
    return _stop(f"{when}: {d.get('notes') or '[what happened]'}")


def _in_sentence(label: str) -> str:
    """A vocabulary label inside a sentence: "Gang affiliation" -> "gang affiliation", "FOIA
    response" kept (an acronym keeps its capitals)."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _stop(text: str) -> str:
    text = text.rstrip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _blocks(sentences: list[Sentence], numbered: bool = False, start: int = 1) -> list[Block]:
    """Each sentence as a paragraph with its source under it; a bracketed sentence is the
    attorney's to write, and stands alone."""
    out = []
    number = start
    for sentence in sentences:
        if sentence.text.startswith("["):
            out.append(Block("para", sentence.text))
            continue
        out.append(Block("para", f"{number}. {sentence.text}" if numbered else sentence.text))
        number += 1
        source = "; ".join(sentence.sources) if sentence.sources else NO_SOURCE
        out.append(Block("note", f"Source: {source}"))
    return out


# -- the facts, sourced ----------------------------------------------------------------------------
def custody_sentences(
    data: CustodyInput, sources: Sources, medical: bool = True, appearances: bool = True
) -> list[Sentence]:
    name = display_name(data.client) or "[the client]"
    out = [
        Sentence(_entry_sentence(e, name), sources.of(e.data.get("sources")))
        for e in data.summary.entries
        if (medical or e.kind != "medical") and (appearances or e.kind != "appearance")
    ]
    summary = data.summary
    if summary.detained and summary.days is not None and summary.since is not None:
        out.append(
            Sentence(
                f"As of {format_edtf(data.today.isoformat(), 'en')}, {name} has been detained for "
                f"{_days(summary)}, since {format_edtf(summary.since.date, 'en')}.",
                sources.of(summary.since.data.get("sources")),
            )
        )
    return out


def identity_sentences(data: CustodyInput, sources: Sources) -> list[Sentence]:
    name = display_name(data.client) or "[the client]"
    held = [(i, d) for i, d in data.documents.items() if d.get("kind") in IDENTITY_KINDS]
    born = data.client.get("date_of_birth")
    country = data.client.get("country_of_birth") or (data.client.get("nationalities") or [None])[0]
    facts = f"{name} was born {on_day(born)}" if born else f"{name} was born on [date of birth]"
    facts += f" in {country_name(country, 'en')}." if country else " in [country]."
    out = [Sentence(facts, sources.of(f"document:{i}" for i, _d in held))]
    for doc_id, doc in held:
        out.append(
            Sentence(
                f"{name} has {doc.get('title') or 'an identity document'}.",
                sources.of([f"document:{doc_id}"]),
            )
        )
    if not held:
        out.append(Sentence("[The identity documents the client holds, or how identity is shown.]", ()))
    return out


def ties_sentences(data: CustodyInput, sources: Sources) -> list[Sentence]:
    name = display_name(data.client) or "[the client]"
    out = []
    for member_id, member in data.family:
        letters = [
            i for i, d in data.documents.items() if (d.get("links") or {}).get("family_member") == member_id
        ]
        if not (member.get("sponsor") or member.get("us_status") in SPONSOR_STATUS):
            continue
        who = display_name(member) or "[name]"
        relationship = str(member.get("relationship") or "other")
        relation = VOCABULARIES["relationship"].get(relationship, "").lower()
        status = SPONSOR_STATUS.get(str(member.get("us_status") or ""), "")
        who_is = who if relationship == "other" or not relation else f"{name}'s {relation}, {who},"
        parts = [f"{who_is} is {status}"] if status else []
        if member.get("sponsor"):
            address = member.get("address") or "[address]"
            parts.append(f"{who if parts else who_is} offers to house and support {name} at {address}")
        text = "; ".join(parts)
        out.append(Sentence(_stop(text), sources.of(f"document:{i}" for i in letters)))
    for entry in data.summary.entries:  # the appearance history: hearings and check-ins attended
        if entry.kind == "appearance":
            out.append(Sentence(_entry_sentence(entry, name), sources.of(entry.data.get("sources"))))
    if not out:
        out.append(Sentence("[The sponsor, the fixed address and the family ties in the United States.]", ()))
    return out


def danger_sentences(data: CustodyInput, sources: Sources) -> list[Sentence]:
    name = display_name(data.client) or "[the client]"
    out = []
    for allegation_id, allegation, rebuttals in data.allegations:
        key = str(allegation.get("kind") or "other")
        disclosed = allegation.get("disclosed_on")
        kind = VOCABULARIES["allegation_kind"].get(key, key)
        alleged = "DHS has made an allegation" if key == "other" else f"DHS has alleged {_in_sentence(kind)}"
        text = alleged + (f", disclosed {on_day(disclosed)}" if disclosed else "") + "."
        alleging = [
            i for i, d in data.documents.items() if (d.get("links") or {}).get("allegation") == allegation_id
        ]
        out.append(Sentence(text, sources.of(f"document:{i}" for i in alleging)))
        for rebuttal in rebuttals:
            if rebuttal.get("status") not in ("obtained", "filed"):
                continue  # planned or requested: not evidence yet
            docs = [
                i
                for i, d in data.documents.items()
                if (d.get("links") or {}).get("rebuttal") == rebuttal.get("_id")
            ]
            issuer = rebuttal.get("issuer") or "[issuer]"
            kind = str(rebuttal.get("kind") or "other")
            what = (
                "document"
                if kind == "other"
                else _in_sentence(VOCABULARIES["rebuttal_kind"].get(kind, "document"))
            )
            article = "an" if what[:1] in "aeiou" else "a"  # "an expert report"
            when = f", obtained {on_day(rebuttal['obtained_on'])}" if rebuttal.get("obtained_on") else ""
            text = f"{name} holds {article} {what} from {issuer}{when}."
            out.append(Sentence(text, sources.of(f"document:{i}" for i in docs)))
    if not out:
        out.append(
            Sentence(f"[Why {name} is not a danger to the community: records, rebuttal documents.]", ())
        )
    return out


def humanitarian_sentences(data: CustodyInput, sources: Sources) -> list[Sentence]:
    medical = [e for e in data.summary.entries if e.kind == "medical"]
    name = display_name(data.client) or "[the client]"
    out = [Sentence(_entry_sentence(e, name), sources.of(e.data.get("sources"))) for e in medical]
    for doc_id, doc in data.documents.items():
        if doc.get("kind") == "medical_record":
            out.append(
                Sentence(
                    f"{doc.get('title') or 'A medical record'} is attached.",
                    sources.of([f"document:{doc_id}"]),
                )
            )
    if not out:
        out.append(Sentence("[Medical, family or other humanitarian factors, if any.]", ()))
    return out


# -- the documents ---------------------------------------------------------------------------------
def _head(data: CustodyInput, title: str) -> list[Block]:
    name = display_name(data.client) or "[the client]"
    return [
        Block("lines", items=(format_edtf(data.today.isoformat(), "en"),)),
        Block("title", title),
        Block(
            "fields",
            rows=(
                ("Name", name),
                ("A-number", a_number(data.client)),
                (
                    "Date of birth",
                    format_edtf(data.client["date_of_birth"], "en")
                    if data.client.get("date_of_birth")
                    else "[date of birth]",
                ),
                (
                    "Country of citizenship",
                    country_name(
                        (data.client.get("nationalities") or [data.client.get("country_of_birth")])[0], "en"
                    )
                    or "[country]",
                ),
                ("Detained at", str((data.client.get("custody") or {}).get("facility") or "[facility]")),
                ("Detention authority claimed", _authority_words(data.summary.authority)),
            ),
        ),
    ]


def parole_letter(data: CustodyInput) -> Letter:
    """A request for parole (INA § 212(d)(5)(A); 8 C.F.R. § 212.5) to the ICE field office."""
    sources = Sources(data.documents)
    name = display_name(data.client) or "[the client]"
    addressee = data.field_office or ("[ICE ERO field office]", "[street]", "[city, state ZIP]")
    blocks = [
        Block("lines", items=("Field Office Director", *addressee)),
        *_head(data, f"Request for parole: {name}"),
        Block(
            "para",
            "[Opening: who asks, on whose behalf, and the request for parole under "
            "INA § 212(d)(5)(A) and 8 C.F.R. § 212.5.]",
        ),
        Block("heading", "1. Custody"),
        # medical facts in section 5, appearances (hearings, check-ins attended) in section 3
        *_blocks(custody_sentences(data, sources, medical=False, appearances=False)),
        Block("heading", "2. Identity"),
        *_blocks(identity_sentences(data, sources)),
        Block("heading", "3. Not a flight risk"),
        *_blocks(ties_sentences(data, sources)),
        Block("heading", "4. Not a danger to the community"),
        *_blocks(danger_sentences(data, sources)),
        Block("heading", "5. Discretionary and humanitarian factors"),
        *_blocks(humanitarian_sentences(data, sources)),
        Block("para", "[The attorney's argument and the request.]"),
        Block("signature", "\n".join(data.signer) or "[Attorney's name, address, phone, EOIR ID]"),
    ]
    blocks += _exhibit_list(sources)
    return Letter("en", f"Request for parole: {name}", tuple(blocks), name, a_number(data.client))


def habeas_facts(data: CustodyInput) -> Letter:
    """The statement of facts for a habeas petition (28 U.S.C. § 2241): the custody chronology,
    numbered, each paragraph with its source. No argument."""
    sources = Sources(data.documents)
    name = display_name(data.client) or "[the client]"
    country = (data.client.get("nationalities") or [data.client.get("country_of_birth")])[0]
    first = Sentence(
        f"Petitioner {name} (A-number {a_number(data.client)}) is a citizen of "
        f"{country_name(country, 'en') if country else '[country]'}.",
        sources.of(f"document:{i}" for i, d in data.documents.items() if d.get("kind") in IDENTITY_KINDS),
    )
    facts = [first, *custody_sentences(data, sources)]
    blocks = [
        Block("title", "Statement of Facts"),
        Block(
            "note",
            f"{name}, A-number {a_number(data.client)}. "
            f"Prepared {format_edtf(data.today.isoformat(), 'en')}.",
        ),
        *_blocks(facts, numbered=True),
    ]
    blocks += _exhibit_list(sources)
    return Letter("en", f"Statement of Facts: {name}", tuple(blocks), name, a_number(data.client))


def _exhibit_list(sources: Sources) -> list[Block]:
    exhibits = sources.exhibits()
    if not exhibits:
        return []
    return [
        Block("heading", "Exhibits"),
        Block("bullets", items=tuple(f"Exhibit {k}: {t}" for k, t in exhibits)),
    ]


def bond_cover_letter(client: Mapping[str, Any], packet: Mapping[str, Any], built: Any) -> Letter:
    """The bond packet's written parts as a letter to edit (DOCX): its title, the court and the
    hearing, the index of exhibits with their pages, and the proof of service as the packet has it.
    The filed packet is the PDF the filing machinery built."""
    name = display_name(client) or "[the client]"
    service = packet.get("service") or {}
    hearing = packet.get("hearing") or {}
    rows = (
        ("Respondent", name),
        ("A-number", a_number(client)),
        ("Court", str(packet.get("court") or (client.get("proceedings") or {}).get("court") or "[court]")),
        ("Hearing", str(hearing.get("date") or "[date]")),
        ("Immigration Judge", str(hearing.get("judge") or "[judge]")),
    )
    index = tuple(
        f"Exhibit {e.label}: {e.description} (pages {e.first_page}–{e.last_page})" for e in built.index
    )
    blocks = [
        Block("title", str(packet.get("title") or "")),
        Block("fields", rows=rows),
        Block("heading", "Index of exhibits"),
        Block("bullets", items=index),
        Block("heading", "Proof of service"),
        Block(
            "para",
            f"On {service.get('date') or '[date]'}, I served a copy of this filing on the DHS Office of the "
            f"Principal Legal Advisor at {service.get('address') or '[address]'}.",
        ),
        Block("signature", str(service.get("attorney") or "[Attorney's name]")),
    ]
    return Letter("en", str(packet.get("title") or ""), tuple(blocks), name, a_number(client))
