"""Which sentences of a paragraph no source supports (desktop.drafting.provenance, issue 14)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.drafting import ALLEGATION_PLACEHOLDER, REWRITE_MARKER, draft_declaration
from desktop.drafting.provenance import sentence_spans, sentences, unsupported_spans

PARAGRAPH: dict[str, Any] = {
    "en": "In May 2024, I leave El Salvador with my son Mateo.",
    "es": "En mayo de 2024, salgo de El Salvador con mi hijo Mateo.",
    "events": ["ev-flight"],
    "sources": [
        {"kind": "event", "id": "ev-flight", "date": "2024-05",
         "text": {"en": "Ana leaves El Salvador with her son Mateo.",
                  "es": "Ana sale de El Salvador con su hijo Mateo."}},
    ],
}  # fmt: skip


@pytest.fixture
def ana(ana_path: Path) -> dict[str, Any]:
    return json.loads(ana_path.read_text(encoding="utf-8"))


def _flagged(paragraph: dict[str, Any], lang: str) -> list[str]:
    return [paragraph[lang][s:e] for s, e in unsupported_spans(paragraph, lang)]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_supported_sentence_is_not_flagged(lang: str) -> None:
    assert unsupported_spans(PARAGRAPH, lang) == []


def test_every_drafted_paragraph_is_supported(ana: dict[str, Any]) -> None:
    for paragraph in draft_declaration(ana)["paragraphs"]:
        assert _flagged(paragraph, "en") == [] and _flagged(paragraph, "es") == []


@pytest.mark.parametrize(
    ("lang", "invented"),
    [("en", "The gang beat me every week."), ("es", "La pandilla me golpeaba cada semana.")],
)
def test_an_invented_sentence_added_by_editing_gets_exactly_its_span(lang: str, invented: str) -> None:
    text = PARAGRAPH[lang] + " " + invented
    edited = {**PARAGRAPH, lang: text}
    start = text.index(invented)
    assert unsupported_spans(edited, lang) == [(start, len(text))]
    inside = {**PARAGRAPH, lang: invented + " " + PARAGRAPH[lang]}
    assert unsupported_spans(inside, lang) == [(0, len(invented))]


def test_an_invented_sentence_in_a_drafted_paragraph_is_flagged(ana: dict[str, Any]) -> None:
    paragraph = draft_declaration(ana)["paragraphs"][2]
    invented = "I was arrested twice by the police."
    edited = {**paragraph, "en": f"{paragraph['en']} {invented}"}
    assert _flagged(edited, "en") == [invented]


def test_markers_and_placeholders_are_not_flagged_again() -> None:
    text = (f"{REWRITE_MARKER['en']}Ana leaves the country on a bus at night. "
            f"{ALLEGATION_PLACEHOLDER['en']} Nobody ever hurt me.")  # fmt: skip
    paragraph = {**PARAGRAPH, "en": text}
    assert _flagged(paragraph, "en") == ["Nobody ever hurt me."]
    assert sentences(text)[1] == ALLEGATION_PLACEHOLDER["en"]


def test_a_fixed_clause_is_supported_but_not_any_sentence_shaped_like_it() -> None:
    paragraph = {**PARAGRAPH, "en": "My name is Ana Morales. I have never been charged with any crime."}
    assert _flagged(paragraph, "en") == ["I have never been charged with any crime."]


@pytest.mark.parametrize("sources", [None, []])
def test_a_paragraph_without_sources_is_the_attorneys_own_text(sources: Any) -> None:
    paragraph = {"en": "Whatever the attorney writes. I was never a gang member.", "es": "Nada."}
    if sources is not None:
        paragraph["sources"] = sources
    assert unsupported_spans(paragraph, "en") == []


def test_sentences_do_not_end_at_an_abbreviation() -> None:
    text = "I saw Dr. Elena Ruiz in the U.S. With my son.  I left."
    assert sentences(text) == ["I saw Dr. Elena Ruiz in the U.S. With my son.", "I left."]
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences(text)
