"""The first-person converter against hand-checked sentence pairs (tests/data/first_person_*.tsv).

Each line is: who, a sentence in the third person, and what the draft must say, or MARK when the
converter must refuse (the draft then keeps the sentence behind the rewrite marker). Tense is never
changed, gender must agree, reported speech stays the speaker's, and broken sentences come out
correct or marked: any pair that comes out different fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.drafting import Declarant, first_person_or_marked, to_first_person
from desktop.drafting.locales import REWRITE_MARKER

DATA = Path(__file__).resolve().parents[1] / "data"
WHO = {
    "ana": Declarant("Ana", "Pérez", gender="female", relatives=("Mateo",)),
    "daniel": Declarant("Daniel", "Castillo", gender="male", relatives=("Luis",)),
    "nogender": Declarant("Alex", "Ríos"),
}


def _pairs(lang: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / f"first_person_{lang}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            who, source, expected = line.split("\t")
            rows.append((who, source, expected))
    return rows


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_pair_comes_out_as_written(lang: str) -> None:
    pairs = _pairs(lang)
    assert len(pairs) >= 300
    wrong = []
    for who, source, expected in pairs:
        got = to_first_person(source, lang, WHO[who])
        if (got or "MARK") != expected:
            wrong.append(f"{who}: {source!r} -> {got!r}, expected {expected!r}")
    assert not wrong, f"{len(wrong)} of {len(pairs)} pairs differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_data_covers_tense_gender_reported_speech_and_broken_inputs(lang: str) -> None:
    pairs = _pairs(lang)
    marked = [p for p in pairs if p[2] == "MARK"]
    assert len(marked) >= 10
    sources = " ".join(p[1] for p in pairs)
    if lang == "en":
        for needle in (" was ", " had ", " will ", " is ", " that ", "U.S.", "'"):
            assert needle in sources
    else:
        for needle in ("detenida", "detenido", "la cliente", "el cliente", " que ", "salió", "vivía"):
            assert needle.lower() in sources.lower()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_refused_sentence_is_marked_not_dropped(lang: str) -> None:
    for who, source, expected in _pairs(lang):
        if expected == "MARK":
            text, converted = first_person_or_marked(source, lang, WHO[who])
            assert not converted and text == REWRITE_MARKER[lang] + source.strip()
