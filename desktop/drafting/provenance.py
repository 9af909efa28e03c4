"""Which sentences of a declaration paragraph no source supports (issue 14).

A drafted paragraph records its ``sources`` (desktop.drafting.assemble): the client's answers,
chronology events, fixed clauses of the form, the government's allegations, placeholders. A
sentence is *supported* when it

- contains a marker or placeholder (it must be rewritten anyway, and is highlighted as such),
- is one of the fixed clauses of the form (:data:`~desktop.drafting.assemble.CLAUSES`), or
- is made only of words of the paragraph's sources, plus the pronouns and agreement the
  first-person conversion writes ("leaves" -> "leave", "sale" -> "salgo", "esconderse" ->
  "esconderme").

:func:`unsupported_spans` returns the character ranges of the other sentences: words the client
never said, to be checked with the client before the declaration is sworn. A paragraph without
``sources`` (typed by the attorney, or from an older file) is the attorney's own text and is never
flagged. Qt-free: the editor colours these spans, the tests check every draft has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Final

from desktop.drafting.assemble import CLAUSES
from desktop.drafting.spanish_words import _ES_VERBS
from desktop.drafting.locales import BLOCKING_MARKERS, LANGS
from desktop.drafting.phrasing import date_opening

#: A bracketed marker or placeholder: "[Rewrite in the first person:]", "[Client's answer …]".
MARKER: Final = re.compile(r"\[[^\[\]\n]{3,}\]")

_SENTENCE_END: Final = re.compile(r"(?<=[.!?”\]])\s+(?=[\[“¿¡A-ZÁÉÍÓÚÑ])")
#: Markers that open a sentence ("[Rewrite in the first person:] He leaves."): no sentence ends there.
_PREFIX_MARKERS: Final = frozenset(m[lang].strip() for m in BLOCKING_MARKERS for lang in LANGS
                                   if m[lang].endswith(" "))  # fmt: skip
_ABBREVIATION: Final = re.compile(r"\b(Dr|Dra|Mr|Mrs|Ms|Lic|[A-Z])\.$")
_WORD: Final = re.compile(r"\w+(?:['’]\w+)*")


def words(text: str) -> set[str]:
    """The words of ``text``, lower-cased."""
    return {w.lower() for w in _WORD.findall(text)}


#: Words the first-person conversion itself writes (pronouns, and the agreement of be/have/do).
CONVERSION_WORDS: Final = frozenset(
    words(
        "I me my mine myself we us our am are have do was were yo mí mi mis me nos conmigo nuestro "
        "nuestra and y a de"
    )
)


def _opens_sentence(text: str, end: int) -> bool:
    """Whether the bracket closing at ``end`` is a marker that opens the sentence after it."""
    if text[end - 1] != "]":
        return False
    bracket = text[text.rfind("[", 0, end) : end]
    return bracket in _PREFIX_MARKERS or bracket.endswith(":]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each sentence of ``text``, without the spaces between them. An
    abbreviation ("Dr.", "U.S.") or a marker opening a sentence does not end one; a placeholder
    standing alone ("[Client's fear of return, in their words]") does."""
    spans: list[tuple[int, int]] = []
    start = 0
    ends = [m for m in _SENTENCE_END.finditer(text) if not _opens_sentence(text, m.start())]
    bounds = [(m.start(), m.end()) for m in ends]
    for end, next_start in [*bounds, (len(text), len(text))]:
        part = text[start:end]
        if spans and _ABBREVIATION.search(text[spans[-1][0] : spans[-1][1]]):
            spans[-1] = (spans[-1][0], end)  # "from Dr. Elena Ruiz.", "the U.S. With …"
        elif part.strip():
            lead = len(part) - len(part.lstrip())
            spans.append((start + lead, end))
        start = next_start
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of ``text``."""
    return [text[s:e] for s, e in sentence_spans(text)]


#: What a field of a clause may hold when it is not any text: "I have {verb} …" is only a rebuttal
#: document obtained or requested, never "I have never been charged …".
_FIELDS: Final = {"verb": "(?:obtained|requested|filed|obtenido|solicitado|presentado)"}


@lru_cache(maxsize=len(LANGS))
def clause_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """The fixed clauses of the form in ``lang``, their ``{fields}`` matching any text (a verb: only
    the verbs of a rebuttal)."""
    out = []
    for clause in CLAUSES.values():
        pieces = re.split(r"\{(\w+)\}", clause[lang])  # text, field, text, field, …, text
        pattern = "".join(re.escape(p) if i % 2 == 0 else _FIELDS.get(p, ".*?") for i, p in enumerate(pieces))
        out.append(re.compile(f"^{pattern}$"))
    return tuple(out)


def _date_words(date: str) -> set[str]:
    out: set[str] = set()
    for language in LANGS:
        try:
            out |= words(date_opening(date, language))
        except Exception:  # noqa: BLE001 - a date to confirm is flagged with its label
            out |= words(f"{date} Date to confirm Fecha por confirmar")
    return out


def supported_words(sources: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every word a sentence drafted from ``sources`` may use."""
    allowed = set(CONVERSION_WORDS)
    for source in sources:
        for text in (source.get("text") or {}).values():
            allowed |= words(str(text or ""))
        if source.get("date"):
            allowed |= _date_words(str(source["date"]))
    for word in list(allowed):  # a verb agreeing with "I"/"yo": "leaves" -> "leave", "sale" -> "salgo"
        allowed |= {
            re.sub(r"(?<=[^aeiou])ies$", "y", word),
            re.sub(r"e?s$", "", word),
            re.sub(r"s$", "", word),
        }
    for word in list(allowed):  # an enclitic of the client: "esconderse" -> "esconderme"
        allowed |= {re.sub(r"(se|lo|la|le)$", "me", word), re.sub(r"(se|lo|la|le)$", "nos", word)}
    for verb in _ES_VERBS.values():
        forms = {f for f in vars(verb).values() if isinstance(f, str)}
        if forms & allowed:
            allowed |= forms
    return allowed


def has_marker(sentence: str) -> bool:
    """Whether ``sentence`` holds a marker or placeholder (highlighted on its own)."""
    if any(m[lang].strip() in sentence for m in BLOCKING_MARKERS for lang in LANGS):
        return True
    return MARKER.search(sentence) is not None


def unsupported_sentence(sentence: str, lang: str, allowed: set[str]) -> set[str]:
    """The words of ``sentence`` no source supports (empty: it is supported)."""
    if has_marker(sentence) or any(p.match(sentence) for p in clause_patterns(lang)):
        return set()
    return words(sentence) - allowed


def unsupported_spans(paragraph: Mapping[str, Any], lang: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` character ranges of the sentences of ``paragraph[lang]`` that no source
    of the paragraph supports; ``[]`` for a paragraph without sources (the attorney's own text)."""
    sources = paragraph.get("sources")
    text = str(paragraph.get(lang) or "")
    if not sources or not text:
        return []
    allowed = supported_words(sources)
    return [(s, e) for s, e in sentence_spans(text) if unsupported_sentence(text[s:e], lang, allowed)]
