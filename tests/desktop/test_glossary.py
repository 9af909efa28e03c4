"""The Spanish glossary (docs/glossary.md) against the catalog and the interview guide.

For each glossary line whose English term is in a msgid, the msgstr uses one of its Spanish forms;
no "Never" variant appears in any Spanish msgstr or in the Spanish of the interview guide; "e"/"u"
replace "y"/"o" only before the sounds that need it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
GLOSSARY = REPO / "docs" / "glossary.md"
PO = REPO / "locale" / "es" / "LC_MESSAGES" / "declara.po"
INTAKE = REPO / "resources" / "questionnaires" / "intake.toml"

_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sdr]")
_SOURCE_TOKEN = re.compile(r"\b[a-z]+:[A-Za-z0-9_-]+")  # exhibit:C, document:i-213: syntax, not words


@dataclass(frozen=True)
class Entry:
    english: str
    spanish: tuple[str, ...]
    never: tuple[str, ...]
    note: str


def _forms(cell: str) -> tuple[str, ...]:
    return tuple(form.strip() for form in cell.split(" / ") if form.strip())


def parse_glossary(text: str) -> list[Entry]:
    entries = []
    for line in text.splitlines():
        if not line.startswith("|") or line.startswith(("| English", "|---")):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 4, f"a glossary line has 4 cells: {line}"
        english, spanish, never, note = cells
        assert english and spanish, f"a glossary line needs an English and a Spanish term: {line}"
        entries.append(Entry(english, _forms(spanish), _forms(never), note))
    return entries


def _term(term: str) -> re.Pattern[str]:
    """``term`` as a whole word (or words), any case."""
    left = r"(?<!\w)" if term[0].isalnum() else ""
    right = r"(?!\w)" if term[-1].isalnum() else ""
    return re.compile(left + re.escape(term) + right, re.IGNORECASE)


def _plain(text: str) -> str:
    """What a reader sees: no accelerator '&', placeholders and source tokens left out."""
    return _SOURCE_TOKEN.sub(" ", _PLACEHOLDER.sub(" ", text.replace("&&", "\0").replace("&", ""))).replace(
        "\0", "&"
    )


def catalog_pairs(po_text: bytes | None = None) -> list[tuple[str, str]]:
    """(msgid, msgstr) for every translated entry, each plural form with its own."""
    import io

    catalog = read_po(io.BytesIO(po_text if po_text is not None else PO.read_bytes()))
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strs = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        for n, string in enumerate(strs):
            if string:
                pairs.append((ids[min(n, len(ids) - 1)], string))
    return pairs


def questionnaire_spanish(toml_text: str | None = None) -> list[tuple[str, str]]:
    """(where, Spanish text) for every title, question, hint and label of the interview guide."""
    data = tomllib.loads(toml_text if toml_text is not None else INTAKE.read_text(encoding="utf-8"))
    out: list[tuple[str, str]] = []

    def walk(node, where: str) -> None:
        if isinstance(node, dict):
            if "es" in node and isinstance(node["es"], str):
                out.append((where, node["es"]))
            for key, value in node.items():
                walk(value, f"{where}/{node.get('id', key) if key != 'es' else key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(data, "intake")
    return out


def glossary_problems(entries: list[Entry], pairs, spanish_texts) -> list[str]:
    problems = []
    for entry in entries:
        english = _term(entry.english)
        spanish = [_term(form) for form in entry.spanish]
        never = [_term(form) for form in entry.never]
        for msgid, msgstr in pairs:
            shown = _plain(msgstr)
            if english.search(_plain(msgid)) and not any(p.search(shown) for p in spanish):
                problems.append(f"{entry.english!r} -> {entry.spanish[0]!r}: {msgid!r} is {msgstr!r}")
            problems += [f"never {p.pattern!r}: msgstr {msgstr!r}" for p in never if p.search(shown)]
        for where, text in spanish_texts:
            problems += [f"never {p.pattern!r}: {where} {text[:80]!r}" for p in never if p.search(text)]
    return problems


# e before an i/hi sound (not a diphthong: "y hielo"), u before an o/ho sound.
_E_WRONG = re.compile(r"(?<!\w)e (?!h?[iíIÍ](?![aeoáéó]))(?=\S)")
_Y_WRONG = re.compile(r"(?<!\w)y (?=h?[iíIÍ](?![aeoáéóu]))")
_U_WRONG = re.compile(r"(?<!\w)u (?!h?[oóOÓ])(?=\S)")
_O_WRONG = re.compile(r"(?<!\w)o (?=h?[oóOÓ])")


def conjunction_problems(texts: list[tuple[str, str]]) -> list[str]:
    problems = []
    for where, text in texts:
        for pattern, fix in ((_E_WRONG, "y"), (_Y_WRONG, "e"), (_U_WRONG, "o"), (_O_WRONG, "u")):
            for match in pattern.finditer(text):
                context = text[max(0, match.start() - 20) : match.end() + 20]
                problems.append(f"{where}: use '{fix}' in …{context}…")
    return problems


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_parses(entries):
    english = [e.english.lower() for e in entries]
    assert len(english) == len(set(english)), "one line per English term"
    assert len(entries) >= 20
    by_term = {e.english: e for e in entries}
    assert by_term["allegation"].spanish[0] == "señalamiento"
    assert "acusación" in by_term["allegation"].never
    assert by_term["removal proceedings"].spanish == ("procedimiento de expulsión",)
    assert "proceso de remoción" in by_term["removal proceedings"].never


def test_the_catalog_and_the_interview_follow_the_glossary(entries):
    problems = glossary_problems(entries, catalog_pairs(), questionnaire_spanish())
    assert not problems, "\n".join(problems)


def test_y_e_and_o_u_before_the_right_sounds():
    texts = [(msgid, msgstr) for msgid, msgstr in catalog_pairs()] + questionnaire_spanish()
    problems = conjunction_problems(texts)
    # Never e/u right before a placeholder: its first sound is not known.
    loose = re.compile(r"(?<!\w)[eu] \{")
    problems += [f"{i!r}: e/u before a placeholder" for i, s in catalog_pairs() if loose.search(s)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("msgid", "bad"),
    [
        ("Allegation", "Acusación"),
        ("In Removal Proceedings", "En procedimientos de deportación"),
        ("In Removal Proceedings", "En proceso de remoción"),
        ("Gang affiliation", "Pertenencia a pandillas"),
        ("Decl. ¶ {number}", "Decl. ¶ {number}"),
    ],
)
def test_a_forbidden_variant_brought_back_fails(entries, msgid, bad):
    """The check is not vacuous: putting an old wording back into the catalog is reported."""
    pairs = [(i, bad if i == msgid else s) for i, s in catalog_pairs()]
    assert any(i == msgid for i, _s in pairs)
    assert glossary_problems(entries, pairs, [])


def test_a_forbidden_variant_in_the_interview_fails(entries):
    text = INTAKE.read_text(encoding="utf-8").replace("¿Firmó algún papel?", "¿Firmó algo en su acusación?")
    assert glossary_problems(entries, [], questionnaire_spanish(text))


def test_the_conjunction_check_catches_e_before_a_consonant_sound():
    assert conjunction_problems([("x", "entre inglés e español")])
    assert conjunction_problems([("x", "padres y hijos")])
    assert not conjunction_problems([("x", "español e inglés, agua y hielo, mostrar u ocultar")])
