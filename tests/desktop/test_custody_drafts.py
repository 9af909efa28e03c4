"""The custody drafts (issue 22): every factual sentence of the parole request and of the statement
of facts carries its source, a sentence with none says so in a blank, the attorney's parts are
blanks, documents are cited by exhibit letter and title, and no internal id reaches the text."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from desktop.custody.drafts import NO_SOURCE, CustodyInput, habeas_facts, parole_letter
from desktop.custody.record import summarize

TODAY = dt.date(2026, 12, 7)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
I213 = "0b0c8a52-3d7e-4d7f-9a63-2f1c3f7e0a11"
PASSPORT = "1c2d3e4f-0000-4000-8000-000000000001"
LETTER = "2d3e4f5a-0000-4000-8000-000000000002"
CLEARANCE = "3e4f5a6b-0000-4000-8000-000000000003"
ROSA = "4f5a6b7c-0000-4000-8000-000000000004"
REBUTTAL = "5a6b7c8d-0000-4000-8000-000000000005"
ALLEGATION = "6b7c8d9e-0000-4000-8000-000000000006"


@pytest.fixture
def jose() -> CustodyInput:
    events = [
        (
            "e1",
            {
                "kind": "apprehension",
                "date": "2026-06-09",
                "agency": "ICE",
                "place": "Atlanta, Georgia",
                "sources": [f"document:{I213}"],
            },
        ),
        (
            "e2",
            {
                "kind": "detention",
                "date": "2026-06-09",
                "facility": "Stewart Detention Center, Lumpkin, GA",
                "sources": [f"document:{I213}"],
            },
        ),
        ("e3", {"kind": "authority", "date": "2026-06-10", "authority": "235b2A", "sources": []}),
        (
            "e4",
            {
                "kind": "bond_hearing",
                "date": "2026-09-03",
                "judge": "Marta Ejemplo",
                "outcome": "no_jurisdiction",
                "amount_requested": 5000,
                "sources": ["document:bond-order"],
            },
        ),
        (
            "e5",
            {"kind": "medical", "date": "2026-10", "notes": "Treated for asthma", "sources": ["interview"]},
        ),
    ]
    documents = {
        I213: {"title": "Form I-213", "kind": "i213", "links": {"allegation": ALLEGATION}},
        PASSPORT: {"title": "Passport of El Salvador", "kind": "identity_document", "links": {}},
        LETTER: {
            "title": "Letter of support from Rosa Elena Martínez Ortiz",
            "kind": "letter_of_support",
            "links": {"family_member": ROSA},
        },
        CLEARANCE: {
            "title": "Police clearance (PNC)",
            "kind": "police_clearance",
            "links": {"rebuttal": REBUTTAL},
        },
    }
    client = {
        "given_names": "José Ángel",
        "family_names": "Martínez Núñez",
        "a_number": "205555041",
        "date_of_birth": "1998-03-02",
        "country_of_birth": "SV",
        "nationalities": ["SV"],
        "custody": {"status": "detained", "facility": "Stewart Detention Center, Lumpkin, GA"},
    }
    rosa = {
        "relationship": "other",
        "given_names": "Rosa Elena",
        "family_names": "Martínez Ortiz",
        "sponsor": True,
        "us_status": "permanent_resident",
        "address": "1200 Example Avenue, Doraville, GA",
    }
    allegation = {"kind": "gang_affiliation", "disclosed_on": "2026-06-09"}
    rebuttal = {
        "kind": "clearance_certificate",
        "issuer": "Policía Nacional Civil",
        "status": "obtained",
        "_id": REBUTTAL,
    }
    return CustodyInput(
        client=client,
        summary=summarize(events, TODAY),
        today=TODAY,
        family=((ROSA, rosa),),
        documents=documents,
        allegations=((ALLEGATION, allegation, (rebuttal,)),),
        field_office=("ERO Atlanta Field Office", "180 Example St.", "Atlanta, GA 30303"),
    )


def _paragraph_sources(letter) -> list[tuple[str, str]]:
    blocks = list(letter.blocks)
    out = []
    for i, block in enumerate(blocks):
        if block.kind == "para" and not block.text.startswith("["):
            following = blocks[i + 1]
            assert following.kind == "note" and following.text.startswith("Source: "), block.text
            out.append((block.text, following.text.removeprefix("Source: ")))
    return out


@pytest.mark.parametrize("draft", [parole_letter, habeas_facts])
def test_every_factual_sentence_has_its_source_or_a_blank_asking_for_one(jose, draft):
    letter = draft(jose)
    pairs = _paragraph_sources(letter)
    assert len(pairs) >= 6
    unsourced = [text for text, source in pairs if source == NO_SOURCE]
    assert any("235(b)(2)(A)" in text for text in unsourced)  # the authority had no source: said so
    assert NO_SOURCE.strip("[]") in " ".join(letter.blanks)
    text = letter.text()
    assert not UUID.search(text) and "e1" not in text.split() and "_id" not in text
    listed = dict(re.findall(r"^Exhibit ([A-Z]): (.*)$", text, re.M))  # the exhibit list
    assert "Form I-213" in listed.values()
    assert set(re.findall(r"Exhibit ([A-Z]) \(", text)) == set(listed)  # every one cited is listed
    assert all(f"Exhibit {k} ({title})" in text for k, title in listed.items())  # by letter and title


def test_the_parole_letter_follows_the_parole_worksheet_and_leaves_the_argument_to_the_attorney(jose):
    letter = parole_letter(jose)
    headings = [b.text for b in letter.blocks if b.kind == "heading"]
    assert headings == [
        "1. Custody",
        "2. Identity",
        "3. Not a flight risk",
        "4. Not a danger to the community",
        "5. Discretionary and humanitarian factors",
        "Exhibits",
    ]
    text = letter.text()
    assert (
        "ERO Atlanta Field Office" in text and "[The attorney's argument and the request.]" in letter.text()
    )
    assert "Rosa Elena Martínez Ortiz is a lawful permanent resident" in text
    assert "1200 Example Avenue, Doraville, GA" in text
    assert "Police clearance (PNC)" in text and "Passport of El Salvador" in text
    assert "has been detained for 181 days, since June 9, 2026" in text
    assert "A bond of $5,000 was requested." in text
    exhibits = next(b for b in letter.blocks if b.kind == "bullets" and b.items[0].startswith("Exhibit A"))
    assert len(exhibits.items) == len({i for i in exhibits.items}) == 4


def test_the_statement_of_facts_is_numbered_and_argues_nothing(jose):
    letter = habeas_facts(jose)
    paragraphs = [text for text, _source in _paragraph_sources(letter)]
    assert [p.split(".", 1)[0] for p in paragraphs] == [str(i) for i in range(1, len(paragraphs) + 1)]
    assert paragraphs[0].startswith("1. Petitioner José Ángel Martínez Núñez (A-number A 205-555-041)")
    body = " ".join(paragraphs)
    assert "Immigration Judge Marta Ejemplo" in body and "no jurisdiction to redetermine custody" in body
    for word in ("unlawful", "violates", "due process", "should be released"):
        assert word not in body.lower()


def test_without_a_field_office_or_facts_the_letter_leaves_blanks(jose):
    bare = CustodyInput(client={"given_names": "Ana"}, summary=summarize([], TODAY), today=TODAY)
    letter = parole_letter(bare)
    blanks = letter.blanks
    assert "[ICE ERO field office]" in blanks and "[A-number]" in blanks
    assert any("sponsor" in b for b in blanks) and any("identity documents" in b for b in blanks)


def test_appearances_stand_in_the_flight_risk_section_of_the_parole_request(jose):
    from dataclasses import replace

    events = [(e.id, dict(e.data)) for e in jose.summary.entries]
    events.append(("a1", {"kind": "appearance", "date": "2025-12-09", "place": "the ICE office in Atlanta",
                          "sources": ["interview"]}))  # fmt: skip
    data = replace(jose, summary=summarize(events, TODAY))
    blocks = list(parole_letter(data).blocks)
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    section = lambda n: " ".join(b.text for b in blocks[headings[n] + 1 : headings[n + 1]])  # noqa: E731
    assert "appeared as required at the ICE office in Atlanta" in section(2)  # 3. Not a flight risk
    assert "appeared" not in section(0)  # not in the custody chronology
    assert "appeared as required" in habeas_facts(data).text()  # a fact of the custody history too


def test_the_facts_parole_and_bond_weigh_point_at_their_documents(jose):
    from dataclasses import replace

    from desktop.custody.facts import MISSING, NO_REBUTTAL, REBUTTAL, SPONSOR, weighed

    facts = weighed(jose)
    sponsor = next(f for f in facts if f.kind == SPONSOR)
    assert sponsor.detail.startswith("Rosa Elena Martínez Ortiz, 1200 Example Avenue")
    assert sponsor.sources == ("Letter of support from Rosa Elena Martínez Ortiz",)
    evidence = next(f for f in facts if f.kind == REBUTTAL)
    assert evidence.sources == ("Police clearance (PNC)",) and not any(f.missing for f in facts)
    planned = [(a, d, tuple({**r, "status": "planned"} for r in rs)) for a, d, rs in jose.allegations]
    gaps = [f for f in weighed(replace(jose, allegations=tuple(planned))) if f.missing]
    assert [(f.kind, f.detail) for f in gaps] == [(MISSING, NO_REBUTTAL)]


def test_the_kinds_read_as_words_inside_a_sentence(jose):
    from dataclasses import replace

    rebuttals = (
        {"kind": "foia_response", "issuer": "CBP", "status": "filed", "_id": "r1"},
        {"kind": "expert_report", "issuer": "Dr. Ana Ejemplo", "status": "obtained", "_id": "r2"},
        {"kind": "other", "issuer": "a parish priest", "status": "obtained", "_id": "r3"},
    )
    data = replace(jose, allegations=((ALLEGATION, {"kind": "other"}, rebuttals),))
    text = parole_letter(data).text()
    assert "DHS has made an allegation." in text and "DHS has alleged other" not in text
    assert "holds a FOIA response from CBP" in text and "holds an expert report from Dr. Ana Ejemplo" in text
    assert "holds a document from a parish priest" in text
