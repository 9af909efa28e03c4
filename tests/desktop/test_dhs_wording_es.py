"""DHS's wording quoted in English, followed by a Spanish rendering (issue 14: nothing in a sworn
declaration the client did not say, or could not understand)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from desktop.case.casefile import export_case, import_case, validate_case
from desktop.drafting import draft_declaration
from desktop.drafting.locales import BLOCKING_MARKERS, DHS_WORDING_PLACEHOLDER, TRANSLATE_QUOTE
from desktop.drafting.signing import MARKER, signing_blockers

WORDING = "Subject is a gang member."
RENDERING = "La persona es miembro de una pandilla."
FIELDS = {
    "drafted_in": "en",
    "declarant_language": "es",
    "place_of_signing": {"city": "Pearsall", "region": "Texas", "country": "US"},
    "interpreter": {"name": "Rosa Medina", "address": "100 Example St.", "phone": "(210) 555-0134"},
}


@pytest.fixture
def ana(ana_path: Path) -> dict[str, Any]:
    return json.loads(ana_path.read_text(encoding="utf-8"))


def _allegation_paragraph(case: dict[str, Any], **allegation: Any) -> dict[str, Any]:
    case = copy.deepcopy(case)
    case["allegations"] = [{"id": "al-x", "kind": "gang_affiliation", "status": "unresolved", "rebuttal": [],
                            "source_document": "I-213", **allegation}]  # fmt: skip
    return draft_declaration(case)["paragraphs"][-2]


def test_the_spanish_paragraph_follows_the_english_quote_with_its_rendering(ana):
    paragraph = _allegation_paragraph(ana, wording=WORDING, wording_es=RENDERING)
    assert paragraph["es"].startswith(
        "El DHS señala en el I-213 que “Subject is a gang member” "
        "(en español: «La persona es miembro de una pandilla»)."
    )
    assert TRANSLATE_QUOTE["es"] not in paragraph["es"]
    # The English paragraph is unchanged: the rendering is for the Spanish-speaking declarant.
    assert paragraph["en"].startswith("DHS states in the I-213 that “Subject is a gang member”.")
    assert "La persona" not in paragraph["en"] and TRANSLATE_QUOTE["en"] not in paragraph["en"]
    source = next(s for s in paragraph["sources"] if s["kind"] == "allegation")
    assert source == {"kind": "allegation", "id": "al-x", "text": {"en": WORDING, "es": RENDERING}}


@pytest.mark.parametrize("rendering", [None, "", "   "])
def test_without_a_rendering_the_spanish_paragraph_holds_a_blocking_marker(ana, rendering):
    paragraph = _allegation_paragraph(ana, wording=WORDING, wording_es=rendering)
    assert paragraph["es"].startswith(
        f"El DHS señala en el I-213 que “Subject is a gang member”. {TRANSLATE_QUOTE['es']}"
    )
    assert "en español" not in paragraph["es"]
    assert paragraph["en"].startswith("DHS states in the I-213 that “Subject is a gang member”.")
    assert TRANSLATE_QUOTE["en"] not in paragraph["en"]
    assert {"kind": "allegation", "id": "al-x", "text": {"en": WORDING}} in paragraph["sources"]


def test_no_rendering_is_asked_for_when_dhs_gave_no_wording(ana):
    """No English words quoted, nothing to render: the wording placeholder already blocks."""
    paragraph = _allegation_paragraph(ana, wording_es=RENDERING)
    assert paragraph["es"].startswith(f"El DHS señala en el I-213 que {DHS_WORDING_PLACEHOLDER['es']}.")
    assert TRANSLATE_QUOTE["es"] not in paragraph["es"]


def test_the_marker_blocks_signing_until_the_rendering_is_given(ana):
    assert TRANSLATE_QUOTE in BLOCKING_MARKERS
    assert all(marker[lang].strip() for marker in BLOCKING_MARKERS for lang in ("en", "es"))
    translate = TRANSLATE_QUOTE["es"].strip()
    missing = _allegation_paragraph(ana, wording=WORDING)
    blockers = signing_blockers(FIELDS, [missing], ids=["p1"])
    assert [
        (b.kind, b.paragraph, b.paragraph_id, b.lang) for b in blockers if b.params.get("marker") == translate
    ] == [(MARKER, 1, "p1", "es")]
    rendered = _allegation_paragraph(ana, wording=WORDING, wording_es=RENDERING)
    assert not [b for b in signing_blockers(FIELDS, [rendered]) if b.params.get("marker") == translate]


def test_wording_es_is_optional_and_round_trips(store, ana_path, ana):
    assert all("wording_es" not in a for a in ana["allegations"])  # the reference file imports unchanged
    doc = copy.deepcopy(ana)
    doc["allegations"][0]["wording_es"] = RENDERING
    assert validate_case(doc) == []
    import_case(store, copy.deepcopy(doc))
    exported = export_case(store, "A 201-555-014")
    assert exported["allegations"][0]["wording_es"] == RENDERING
    assert exported == doc
    doc["allegations"][0]["wording_es"] = None
    assert validate_case(doc) == []
    doc["allegations"][0]["wording_es"] = 7
    assert validate_case(doc)
