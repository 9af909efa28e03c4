"""Building the declaration object of a case: :func:`draft_declaration` and its paragraphs.

The paragraphs are the identity (linked to the birth event), the language statement, one per
chronology event in date order (the client's own words when the event cites an interview answer,
else the event's text in the first person or marked), the response to the government's
allegations and the fear of return. The other fields are guessed for the attorney to check: the
relief the declaration supports (:func:`supported_relief`, keys of
:data:`desktop.case.model.DECLARATION_RELIEF`), the place of signing from the custody facility,
and the interpreter of the latest visit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from desktop.case.model import DECLARATION_RELIEF
from desktop.case.states import US_STATES
from desktop.drafting.converter import Declarant
from desktop.drafting.first_person import first_person_or_marked
from desktop.drafting.first_person_en import _EN_PAST_FORMS
from desktop.drafting.spanish_words import _ES_IMPERFECT, _ES_PLACES_WITH_ARTICLE, _ES_VERBS
from desktop.drafting.locales import (
    ALLEGATION_PLACEHOLDER,
    COMPLETE_MARKER,
    CONFIRM_MARKER,
    DHS_WORDING_PLACEHOLDER,
    FEAR_PLACEHOLDER,
    LANGS,
    REWRITE_MARKER,
    TRANSLATE_QUOTE,
    TRANSLATION_NEEDED,
    _country_name,
    _language_name,
)
from desktop.drafting.phrasing import _birth_phrase, _sort_key, date_opening, date_phrase
from desktop.errors import ValidationError

#: The relief a draft supports when the proceedings seek none a declaration can support.
DEFAULT_RELIEF: Final = tuple(DECLARATION_RELIEF)


def supported_relief(relief_sought: Iterable[str] | None) -> list[str]:
    """The relief of ``relief_sought`` a declaration is in support of, as keys in the order of
    :data:`~desktop.case.model.DECLARATION_RELIEF` (asylum, withholding, cat); all of
    :data:`DEFAULT_RELIEF` when none of them is sought (bond or parole alone, or nothing)."""
    wanted = set(relief_sought or ())
    return [key for key in DECLARATION_RELIEF if key in wanted] or list(DEFAULT_RELIEF)


def place_of_signing(custody: Mapping[str, Any] | None) -> dict[str, str | None]:
    """City, state and country of the custody facility: from the ICE facility list when the
    facility is in it by name ("Otero County Processing Center" -> Chaparral, New Mexico), else
    guessed from the text ('…, Pearsall, TX').

    Only while the client is held there (not when released or removed); anything that does not
    end in a U.S. state gives None fields for the attorney to fill in.
    """
    from desktop.case.facilities import load_facilities
    from desktop.case.search import fold

    place: dict[str, str | None] = {"city": None, "region": None, "country": None}
    if not custody or custody.get("status") in ("released", "removed"):
        return place
    parts = [part.strip() for part in str(custody.get("facility") or "").split(",") if part.strip()]
    if parts:  # a facility of the ICE list, by its name: its city and state
        wanted = fold(parts[0])
        known = next((f for f in load_facilities() if fold(f.name) == wanted), None)
        if known is not None and known.state.upper() in US_STATES and known.city.strip():
            return {"city": known.display_city, "region": US_STATES[known.state.upper()], "country": "US"}
    if len(parts) < 2:
        return place
    state = parts[-1]
    region = US_STATES.get(state.upper()) or next(
        (name for name in US_STATES.values() if name.lower() == state.lower()), None
    )
    if region is None:
        return place
    return {"city": parts[-2] if len(parts) >= 3 else None, "region": region, "country": "US"}


def _all_answers(case: Mapping[str, Any], extra: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Every answer, oldest visit first, then the ``extra`` answers (taken as the most recent).

    An extra answer identical to a visit answer (same question, language and text: the vault
    passes its stored answers again, with their ids) is merged into it, keeping its place in time.
    """
    visits = sorted(
        enumerate(case.get("visits") or ()),
        key=lambda pair: (_sort_key(str(pair[1].get("date") or "")), pair[0]),
    )
    answers = [dict(a) for _, visit in visits for a in visit.get("answers") or ()]

    def key(answer: Mapping[str, Any]) -> tuple[str, str, str]:
        return (str(answer.get("question")), str(answer.get("language")), str(answer.get("text")))

    unmatched: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for answer in answers:
        unmatched.setdefault(key(answer), []).append(answer)
    for answer in extra or ():
        same = unmatched.get(key(answer))
        if same:
            same.pop(0).update(answer)
        else:
            answers.append(dict(answer))
    return [a for a in answers if not a.get("skipped") and str(a.get("text") or "").strip()]


def _answer_texts(answer: Mapping[str, Any]) -> dict[str, str]:
    """The answer in English and Spanish: its text, its translation, or a translation-needed marker."""
    original = str(answer.get("text") or "").strip()
    language = str(answer.get("language") or "")
    translation = answer.get("translation") or {}
    out: dict[str, str] = {}
    for lang in LANGS:
        if language == lang:
            out[lang] = original
        elif str(translation.get(lang) or "").strip():
            out[lang] = str(translation[lang]).strip()
        else:
            out[lang] = TRANSLATION_NEEDED[lang] + original
    return out


def _cited_answer(event: Mapping[str, Any], answers: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The answer an event cites as ``interview:<answer id>`` (or ``interview:<question id>``)."""
    for source in event.get("sources") or ():
        if not str(source).startswith("interview:"):
            continue
        key = str(source).split(":", 1)[1]
        by_id = [a for a in answers if str(a.get("id") or "") == key]
        by_question = [a for a in answers if a.get("question") == key]
        found = by_id or by_question
        if found:
            return dict(found[-1])
    return None


def _event_texts(event: Mapping[str, Any], who: Declarant) -> dict[str, str]:
    """The event told by the client in both languages (converted, marked or to be translated)."""
    texts = {lang: str(text).strip() for lang, text in (event.get("text") or {}).items() if str(text).strip()}
    out: dict[str, str] = {}
    for lang in LANGS:
        if lang in texts:
            out[lang] = first_person_or_marked(texts[lang], lang, who)[0]
    for lang in LANGS:
        if lang not in out:
            other = next((out[o] for o in LANGS if o in out), None)
            if other is None:
                other = next(iter(texts.values()), None)
            out[lang] = COMPLETE_MARKER[lang] if other is None else TRANSLATION_NEEDED[lang] + other
    return out


_LOWER_STARTERS: Final = (
    {"the", "a", "an", "my", "our", "during", "after", "before", "in", "at", "on", "while", "when", "two",
     "three", "four", "several", "some", "someone", "nobody", "no", "gang", "members", "men", "agents",
     "officers", "soldiers", "police", "bond", "days", "weeks", "months", "later", "then", "there",
     "other", "others", "another", "one", "each", "both", "they", "we", "he", "she", "it", "this",
     "that", "these", "those", "everyone", "neither", "armed", "masked", "unknown",
     "otros", "otras", "otro", "otra", "ellos", "ellas", "él", "ella", "nadie", "todos",
     "la", "el", "los", "las", "un", "una", "unos", "unas", "mi", "mis", "me", "nos", "se", "le", "les",
     "durante", "después", "antes", "frente", "dos", "tres", "cuatro", "varios", "varias", "alguien",
     "miembros", "pandilleros", "hombres", "agentes", "policías", "soldados", "días", "en",
     "al", "del", "con", "cuando", "mientras"}
    | _EN_PAST_FORMS
    | {v.f1s for v in _ES_VERBS.values()}
    | {v.f1p for v in _ES_VERBS.values()}
    | {v.f3s for v in _ES_VERBS.values()}
    | {v.f3p for v in _ES_VERBS.values()}
    | _ES_IMPERFECT
    | {v.i3p for v in _ES_VERBS.values()}
    | {form for v in _ES_VERBS.values() for form in (v.p1s, v.p1p, v.p3s, v.p3p)}
)  # fmt: skip


_MARKERS: Final = (*REWRITE_MARKER.values(), *TRANSLATION_NEEDED.values(), *COMPLETE_MARKER.values())


def _after_opening(body: str) -> str:
    """``body`` lower-cased at its first letter when its first word is not a name ("My" -> "my")."""
    match = re.match(r"(\w+)(?:\s+(\w+))?", body)
    if not match:
        return body
    first = match.group(1)
    if first == "I" or first.lower() not in _LOWER_STARTERS:
        return body
    if match.group(2) and f"{first} {match.group(2)}".lower() in _ES_PLACES_WITH_ARTICLE:
        return body
    return body[:1].lower() + body[1:]


def _dated(opening: str, body: str) -> str:
    """'In March 2022' + 'I reported …' -> 'In March 2022, I reported …'; markers go first."""
    for marker in _MARKERS:
        if body.startswith(marker):
            return f"{marker}{opening}, {_after_opening(body[len(marker) :])}".rstrip(", ")
    return f"{opening}, {_after_opening(body)}"


def _is_birth(event: Mapping[str, Any], who: Declarant) -> bool:
    """A background event about the client's birth (by id, or 'Ana is born …' / 'Ana nace …')."""
    if event.get("category") != "background":
        return False
    if re.search(r"birth|nacimiento|nac[ei]", str(event.get("id") or ""), re.I):
        return True
    names = "|".join(re.escape(" ".join(form)) for form in who.name_forms()) or "(?!)"
    texts = (event.get("text") or {}).values()
    pattern = rf"^\s*(?:{names})\s+(?:is born|was born|nace|naci[óo])\b"
    return any(re.search(pattern, str(text)) for text in texts)


def _birth_event(
    events: Sequence[Mapping[str, Any]], who: Declarant, dob: str | None
) -> dict[str, Any] | None:
    """The birth event; when several qualify, the one dated on the date of birth."""
    found = [dict(e) for e in events if _is_birth(e, who)]
    if len(found) > 1 and dob:
        same = [e for e in found if e.get("date") == dob]
        found = same or found
    return found[0] if found else None


def _source(kind: str, ident: str, **extra: Any) -> dict[str, Any]:
    """One entry of a paragraph's ``sources``: what a sentence of it was built from."""
    return {"kind": kind, "id": ident, **{k: v for k, v in extra.items() if v}}


def _answer_source(answer: Mapping[str, Any]) -> dict[str, Any]:
    """An answer as a source: its id (the question id when it has none), question and words."""
    words = {lang: text for lang, text in _answer_texts(answer).items()
             if not text.startswith(TRANSLATION_NEEDED[lang])}  # fmt: skip
    ident = str(answer.get("id") or answer.get("question") or "answer")
    return _source("answer", ident, question=str(answer.get("question") or ""), text=words)


def _event_source(event: Mapping[str, Any]) -> dict[str, Any]:
    texts = {str(k): str(v) for k, v in (event.get("text") or {}).items() if str(v).strip()}
    return _source("event", str(event.get("id") or "event"), date=str(event.get("date") or ""), text=texts)


#: The fixed clauses of the form, by key: the only sentences a draft writes that no answer, event
#: or record of the case supplies word for word. ``{…}`` fields are filled from the case record
#: (names, dates, places, languages) or, for DHS, with the government's own words, quoted.
CLAUSES: Final[dict[str, dict[str, str]]] = {
    "identity.name": {"en": "My name is {name}.", "es": "Me llamo {name}."},
    "identity.birth": {"en": "I was born {when}.", "es": "Nací {when}."},
    "language.first": {"en": "My first language is {language}.", "es": "Mi idioma es el {language}."},
    "language.others": {"en": "I also speak {languages}.", "es": "También hablo {languages}."},
    "language.read_back": {
        "en": "This declaration was read back to me in {language} before I signed it.",
        "es": "Esta declaración me fue leída en {language} antes de firmarla.",
    },
    "allegation.dhs_states": {"en": "DHS states{document} that “{wording}”.",
                              "es": "El DHS señala{document} que “{wording}”."},
    # In Spanish, DHS's English words are followed by the attorney's Spanish rendering of them.
    "allegation.dhs_states_rendered": {
        "en": "DHS states{document} that “{wording}”.",
        "es": "El DHS señala{document} que “{wording}” (en español: «{rendering}»).",
    },
    "allegation.dhs_states_unworded": {"en": "DHS states{document} that {wording}.",
                                       "es": "El DHS señala{document} que {wording}."},
    "allegation.withdrawn": {"en": "DHS has since withdrawn this claim.",
                             "es": "Después, el DHS retiró esa afirmación."},
    "allegation.rebuttal": {"en": "I have {verb} {what}{source}.", "es": "He {verb} {what}{source}."},
    "fear.return": {"en": "I am afraid of what will happen to me {to}.",
                    "es": "Tengo miedo de lo que me pase {to}."},
}  # fmt: skip


def _identity(case: Mapping[str, Any], who: Declarant, birth: Mapping[str, Any] | None) -> dict[str, Any]:
    client = case.get("client") or {}
    dob = client.get("date_of_birth") or (birth or {}).get("date")
    place = {lang: (birth or {}).get("place") or _country_name(client.get("country_of_birth"), lang)
             for lang in LANGS}  # fmt: skip
    texts: dict[str, str] = {}
    for lang in LANGS:
        sentence = CLAUSES["identity.name"][lang].format(name=who.full_name)
        try:
            when = _birth_phrase(str(dob), lang) if dob else ""
        except ValidationError:
            when = ""
        where = f"{'in' if lang == 'en' else 'en'} {place[lang]}" if place[lang] else ""
        if when or where:
            born = " ".join(p for p in (when, where) if p).rstrip(",")
            sentence += " " + CLAUSES["identity.birth"][lang].format(when=born)
        texts[lang] = sentence
    sources = [_source("clause", "identity")]
    if birth:
        sources.append(_event_source(birth))
    return {**texts, "events": [birth["id"]] if birth and birth.get("id") else [], "sources": sources}


def _language(case: Mapping[str, Any]) -> dict[str, Any]:
    languages = [str(code) for code in (case.get("client") or {}).get("languages") or () if code] or ["es"]
    first, others = languages[0], languages[1:]
    out: dict[str, Any] = {}
    for lang in LANGS:
        name = _language_name(first, lang)
        text = CLAUSES["language.first"][lang].format(language=name)
        if others:
            names = _and([_language_name(c, lang) for c in others], lang)
            text += " " + CLAUSES["language.others"][lang].format(languages=names)
        text += " " + CLAUSES["language.read_back"][lang].format(language=name)
        out[lang] = text
    return {**out, "events": [], "sources": [_source("clause", "language")]}


def _and(items: Sequence[str], lang: str) -> str:
    """'a, b and c' / 'a, b y c' ('e' before an i- sound in Spanish)."""
    if len(items) == 1:
        return items[0]
    conj = "and" if lang == "en" else ("e" if re.match(r"(?i)h?i(?![aeiou])", items[-1]) else "y")
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


_REBUTTAL_THINGS: Final = {
    "clearance_certificate": ("a clearance certificate", "un certificado de antecedentes"),
    "witness_declaration": ("a declaration from a witness", "una declaración de un testigo"),
    "court_record": ("a court record", "un registro judicial"),
    "expert_report": ("an expert report", "un informe pericial"),
    "foia_response": ("a FOIA response", "una respuesta a una solicitud FOIA"),
    "other": ("a document", "un documento"),
}


def _rebuttal_sentence(item: Mapping[str, Any], lang: str) -> str | None:
    """'I have obtained my Antecedentes Penales from the Dirección General de Centros Penales.'"""
    status = item.get("status")
    if status not in ("obtained", "filed", "requested"):
        return None
    issuer = str(item.get("issuer") or "").strip()
    organization, _, document = issuer.partition(" — ")
    organization, document = organization.strip(), document.strip()
    have = status in ("obtained", "filed")
    en_verb, es_verb = ("obtained", "obtenido") if have else ("requested", "solicitado")
    thing_en, thing_es = _REBUTTAL_THINGS.get(str(item.get("kind")), _REBUTTAL_THINGS["other"])
    acronym = bool(re.fullmatch(r"[A-Z]{2,6}", organization))
    clause = CLAUSES["allegation.rebuttal"][lang]
    if lang == "en":
        what = f"my {document}" if document else thing_en
        titled = bool(re.match(r"(Dr|Dra|Lic|Mr|Mrs|Ms)\.? ", organization))
        source = f" from {'' if acronym or titled else 'the '}{organization}" if organization else ""
        return clause.format(verb=en_verb, what=what, source=source)
    what = f"{'mis' if document.split()[0].endswith('s') else 'mi'} {document}" if document else thing_es
    if organization:
        first_word = organization.split()[0].lower()
        article = "la" if re.search(r"(a|ión|dad|ía)$", first_word) else "el"
        source = f" {'de' if es_verb == 'obtenido' else 'a'} {'' if acronym else article + ' '}{organization}"
        source = source.replace(" de el ", " del ").replace(" a el ", " al ")
    else:
        source = ""
    return clause.format(verb=es_verb, what=what, source=source)


def _is_allegation_answer(answer: Mapping[str, Any]) -> bool:
    """An answer to a question of the allegations section ('allegation.told', 'allegations.…')."""
    question = str(answer.get("question") or "")
    text = str(answer.get("text") or "").strip().lower()
    return question.startswith(("allegation.", "allegations.")) and text not in ("yes", "no", "sí", "si")


def _dhs_states(allegation: Mapping[str, Any], lang: str) -> str:
    """'DHS states in the I-213 that “…”.': the government's exact words, quoted and attributed. In
    Spanish they stay in English, followed by the Spanish rendering (``wording_es``): '… que “…” (en
    español: «…»).'; without one, by :data:`TRANSLATE_QUOTE`, which blocks signing."""
    wording = str(allegation.get("wording") or "").strip()
    document = re.sub(r"^DHS\s+", "", str(allegation.get("source_document") or "").strip())
    where = (f" in the {document}" if lang == "en" else f" en el {document}") if document else ""
    if not wording:
        return CLAUSES["allegation.dhs_states_unworded"][lang].format(
            document=where, wording=DHS_WORDING_PLACEHOLDER[lang]
        )
    rendering = str(allegation.get("wording_es") or "").strip()
    if lang == "es" and rendering:
        return CLAUSES["allegation.dhs_states_rendered"][lang].format(
            document=where, wording=wording.rstrip("."), rendering=rendering.rstrip(".")
        )
    sentence = CLAUSES["allegation.dhs_states"][lang].format(document=where, wording=wording.rstrip("."))
    if lang == "es":
        # English words a Spanish-speaking declarant cannot understand: never sworn untranslated.
        sentence += " " + TRANSLATE_QUOTE[lang]
    return sentence


def _allegations(
    case: Mapping[str, Any], events: Sequence[Mapping[str, Any]], answers: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """The government's allegations, each in its own words and attributed to DHS, then the client's
    answer to them in the client's words; :data:`ALLEGATION_PLACEHOLDER` when the client gave none.
    Whatever the status of an allegation, the draft never denies (or admits) it for the client."""
    allegations = [a for a in case.get("allegations") or () if a]
    if not allegations:
        return None
    text: dict[str, list[str]] = {lang: [] for lang in LANGS}
    sources: list[dict[str, Any]] = []
    for number, allegation in enumerate(allegations):
        ident = str(allegation.get("id") or f"allegation-{number + 1}")
        words = {"en": str(allegation.get("wording") or "")}
        if str(allegation.get("wording_es") or "").strip():
            words["es"] = str(allegation["wording_es"])  # the Spanish rendering, not DHS's words
        sources.append(_source("allegation", ident, text=words))
        for lang in LANGS:
            text[lang].append(_dhs_states(allegation, lang))
        if not str(allegation.get("wording") or "").strip():
            sources.append(_source("placeholder", "dhs_wording"))
        if allegation.get("status") == "withdrawn":
            for lang in LANGS:
                text[lang].append(CLAUSES["allegation.withdrawn"][lang])
        for item in allegation.get("rebuttal") or ():
            sentence_en, sentence_es = _rebuttal_sentence(item, "en"), _rebuttal_sentence(item, "es")
            if sentence_en and sentence_es:
                # From the attorney's records, not the client's words: confirmed before it is sworn.
                text["en"].append(CONFIRM_MARKER["en"] + sentence_en)
                text["es"].append(CONFIRM_MARKER["es"] + sentence_es)
    told = [a for a in answers if _is_allegation_answer(a)]
    if told:
        for answer in told:
            words = _answer_texts(answer)
            for lang in LANGS:
                text[lang].append(words[lang])
            sources.append(_answer_source(answer))
    else:
        for lang in LANGS:
            text[lang].append(ALLEGATION_PLACEHOLDER[lang])
        sources.append(_source("placeholder", "allegation_response"))
    records = [e for e in events if _government_record(e) and e.get("id")]
    linked = [str(e["id"]) for e in records]
    sources.extend(_event_source(e) for e in records)
    return {**{lang: " ".join(text[lang]) for lang in LANGS}, "events": linked, "sources": sources}


_FEAR_FIRST: Final = ("fear.return", "fear.what_would_happen")


def _fear(case: Mapping[str, Any], answers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    client = case.get("client") or {}
    code = client.get("country_of_birth") or next(iter(client.get("nationalities") or ()), None)
    country = {lang: _country_name(code, lang) for lang in LANGS}
    fear = [a for a in answers if str(a.get("question") or "").startswith("fear.")]
    preferred = [a for a in fear if a.get("question") in _FEAR_FIRST]
    chosen = (preferred or fear or [None])[-1]
    if chosen is None:
        return {**FEAR_PLACEHOLDER, "events": [], "sources": [_source("placeholder", "fear")]}
    to = {
        "en": f"if I am returned to {country['en']}" if country["en"] else "if I am deported",
        "es": f"si me regresan a {country['es']}" if country["es"] else "si me deportan",
    }
    words = _answer_texts(chosen)
    texts = {lang: CLAUSES["fear.return"][lang].format(to=to[lang]) + " " + words[lang] for lang in LANGS}
    return {**texts, "events": [], "sources": [_source("clause", "fear.return"), _answer_source(chosen)]}


_PERSON_KEYS: Final = ("name", "address", "phone", "email", "languages")


def _interpreter(case: Mapping[str, Any]) -> dict[str, Any] | None:
    """The interpreter of the most recent visit (name, address, phone, email, languages), or None."""
    visits = sorted(
        enumerate(case.get("visits") or ()),
        key=lambda pair: (_sort_key(str(pair[1].get("date") or "")), pair[0]),
    )
    if not visits:
        return None
    interpreter = visits[-1][1].get("interpreter")
    if not interpreter:
        return None
    return {key: interpreter[key] for key in _PERSON_KEYS if key in interpreter}


def _government_record(event: Mapping[str, Any]) -> bool:
    """An allegation event taken from a government document and not told by the client (the I-213
    'lists Daniel as an MS-13 associate'): never put in the client's mouth."""
    if event.get("category") != "allegation":
        return False
    return not any(str(source).startswith("interview") for source in event.get("sources") or ())


def _inline_slot(body: str, lang: str) -> int | None:
    """Where a date can close the first clause of ``body`` ("I leave El Salvador with my son Mateo
    | in March 2024."): before the ';' or '.' ending a short first clause without quotes,
    parentheses, numbers or a subordinate clause the date could attach to; None when there is none."""
    if body.startswith(_MARKERS) or not body:
        return None
    match = re.match(r"[^;.!?]*", body)
    clause = match.group() if match else ""
    end = len(clause)
    if end >= len(body) or body[end] not in ";.":
        return None
    words = clause.split()
    subordinate = {"that", "because", "when", "after", "before", "while", "if", "who", "which", "que",
                   "porque", "cuando", "después", "antes", "mientras", "si", "quien", "donde"}  # fmt: skip
    if not 3 <= len(words) <= 14 or re.search(r"[\d()\"“”'‘’«»,]", clause):
        return None
    if subordinate & {w.lower() for w in words}:
        return None
    first = words[0]
    if lang == "en" and first != "I":
        return None  # the date after the client's own "I … ": the form a person says it in
    if lang == "es" and not first[:1].isupper():
        return None
    return end


def _with_date(date: str, body: str, lang: str, *, same: bool, inline: bool) -> str:
    """``body`` with its date where a person would say it: left out when the paragraph before had
    the same date, at the end of a short first clause ('I leave El Salvador in March 2024.') when
    ``inline``, else as the opening ('In March 2024, …'); a date that is not one is flagged."""
    if same and date:
        return body
    try:
        opening = date_opening(date, lang)
        phrase = date_phrase(date, lang)
    except ValidationError:
        label = {"en": "Date to confirm", "es": "Fecha por confirmar"}[lang]
        return _dated(f"[{label}: {date or '—'}]", body)
    slot = _inline_slot(body, lang) if inline else None
    if slot is None:
        return _dated(opening, body)
    return f"{body[:slot]} {phrase}{body[slot:]}"


def draft_declaration(case: dict[str, Any], answers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A first draft of the client's declaration, in the shape of the case file's ``declaration``.

    ``case`` is a declara-case v1 dict; ``answers`` are extra interview answers (shaped like
    ``visits[].answers[]`` items, optionally with an ``id`` that events cite as
    ``interview:<id>``), taken after — as more recent than — every answer of ``case["visits"]``.
    The paragraphs are: identity, language, one per event (birth excluded) in date order, the
    response to the allegations (if any) and fear of return; each in English and Spanish with the
    ids of the events it tells. The draft is drafted in English for a declarant speaking the
    client's first language (Spanish when unknown); the interpreter is the most recent visit's.
    It supports the relief of :func:`supported_relief` (``relief`` keys; no typed purpose in
    ``in_support_of``), phrased in the document's language when it is printed.
    """
    client = case.get("client") or {}
    who = Declarant.from_case(case)
    every_answer = _all_answers(case, answers)
    events = [e for e in case.get("events") or () if e]
    birth = _birth_event(events, who, client.get("date_of_birth"))
    chronology = sorted(
        (pair for pair in enumerate(events) if not (birth and pair[1].get("id") == birth.get("id"))),
        key=lambda pair: (_sort_key(str(pair[1].get("date") or "")), pair[0]),
    )
    paragraphs: list[dict[str, Any]] = [_identity(case, who, birth), _language(case)]
    previous: str | None = None
    inline_last = True
    for _, event in chronology:
        if _government_record(event):
            continue  # told in the allegations paragraph, in DHS's own words and attributed
        answer = _cited_answer(event, every_answer)
        bodies = _answer_texts(answer) if answer else _event_texts(event, who)
        date = str(event.get("date") or "")
        paragraph: dict[str, Any] = {}
        inline = not inline_last and all(_inline_slot(bodies[lang], lang) is not None for lang in LANGS)
        for lang in LANGS:
            paragraph[lang] = _with_date(date, bodies[lang], lang, same=date == previous, inline=inline)
        inline_last = inline and date != previous
        previous = date
        paragraph["events"] = [str(event["id"])] if event.get("id") else []
        paragraph["sources"] = ([_answer_source(answer)] if answer else []) + [_event_source(event)]
        paragraphs.append(paragraph)
    allegations = _allegations(case, events, every_answer)
    if allegations:
        paragraphs.append(allegations)
    paragraphs.append(_fear(case, every_answer))
    languages = [str(code) for code in client.get("languages") or () if code]
    return {
        "drafted_in": "en",
        "declarant_language": languages[0] if languages else "es",
        "relief": supported_relief((case.get("proceedings") or {}).get("relief_sought")),
        "in_support_of": None,
        "place_of_signing": place_of_signing(client.get("custody")),
        "paragraphs": paragraphs,
        "interpreter": _interpreter(case),
        "translator": None,
    }
