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
from desktop.drafting.first_person_es import _ES_IMPERFECT, _ES_PLACES_WITH_ARTICLE, _ES_VERBS
from desktop.drafting.locales import (
    COMPLETE_MARKER,
    LANGS,
    REWRITE_MARKER,
    TRANSLATION_NEEDED,
    _country_name,
    _language_name,
)
from desktop.drafting.phrasing import _birth_phrase, _sort_key, date_opening
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
    """City, state and country guessed from the custody facility ('…, Pearsall, TX').

    Only while the client is held there (not when released or removed); anything that does not
    end in a U.S. state gives None fields for the attorney to fill in.
    """
    place: dict[str, str | None] = {"city": None, "region": None, "country": None}
    if not custody or custody.get("status") in ("released", "removed"):
        return place
    parts = [part.strip() for part in str(custody.get("facility") or "").split(",") if part.strip()]
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
     "la", "el", "los", "las", "un", "una", "unos", "unas", "mi", "mis", "me", "nos", "se", "le", "les",
     "durante", "después", "antes", "frente", "dos", "tres", "cuatro", "varios", "varias", "nadie",
     "alguien", "miembros", "pandilleros", "hombres", "agentes", "policías", "soldados", "días", "en",
     "al", "del", "con", "cuando", "mientras"}
    | _EN_PAST_FORMS
    | {v.f1s for v in _ES_VERBS.values()}
    | {v.f1p for v in _ES_VERBS.values()}
    | {v.f3s for v in _ES_VERBS.values()}
    | {v.f3p for v in _ES_VERBS.values()}
    | _ES_IMPERFECT
    | {v.i3p for v in _ES_VERBS.values()}
)  # fmt: skip


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
    for marker in (*REWRITE_MARKER.values(), *TRANSLATION_NEEDED.values(), *COMPLETE_MARKER.values()):
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


def _identity(case: Mapping[str, Any], who: Declarant, birth: Mapping[str, Any] | None) -> dict[str, Any]:
    client = case.get("client") or {}
    dob = client.get("date_of_birth") or (birth or {}).get("date")
    place = {lang: (birth or {}).get("place") or _country_name(client.get("country_of_birth"), lang)
             for lang in LANGS}  # fmt: skip
    texts: dict[str, str] = {}
    for lang in LANGS:
        words = {"en": ("My name is", "I was born"), "es": ("Me llamo", "Nací")}[lang]
        sentence = f"{words[0]} {who.full_name}."
        born = words[1]
        try:
            when = _birth_phrase(str(dob), lang) if dob else ""
        except ValidationError:
            when = ""
        where = f"{'in' if lang == 'en' else 'en'} {place[lang]}" if place[lang] else ""
        if when or where:
            sentence += f" {born} {' '.join(p for p in (when, where) if p)}".rstrip(",") + "."
        texts[lang] = sentence
    return {**texts, "events": [birth["id"]] if birth and birth.get("id") else []}


def _language(case: Mapping[str, Any]) -> dict[str, Any]:
    languages = [str(code) for code in (case.get("client") or {}).get("languages") or () if code] or ["es"]
    first, others = languages[0], languages[1:]
    en_first, es_first = _language_name(first, "en"), _language_name(first, "es")
    en = f"My first language is {en_first}."
    es = f"Mi idioma es el {es_first}."
    if others:
        en_others = [_language_name(c, "en") for c in others]
        es_others = [_language_name(c, "es") for c in others]
        en += f" I also speak {_and(en_others, 'en')}."
        es += f" También hablo {_and(es_others, 'es')}."
    en += f" This declaration was read back to me in {en_first} before I signed it."
    es += f" Esta declaración me fue leída en {es_first} antes de firmarla."
    return {"en": en, "es": es, "events": []}


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
    if lang == "en":
        what = f"my {document}" if document else thing_en
        source = f" from {'' if acronym else 'the '}{organization}" if organization else ""
        return f"I have {en_verb} {what}{source}."
    what = f"{'mis' if document.split()[0].endswith('s') else 'mi'} {document}" if document else thing_es
    if organization:
        first_word = organization.split()[0].lower()
        article = "la" if re.search(r"(a|ión|dad|ía)$", first_word) else "el"
        source = f" {'de' if es_verb == 'obtenido' else 'a'} {'' if acronym else article + ' '}{organization}"
        source = source.replace(" de el ", " del ").replace(" a el ", " al ")
    else:
        source = ""
    return f"He {es_verb} {what}{source}."


def _allegations(case: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    allegations = [a for a in case.get("allegations") or () if a]
    if not allegations:
        return None
    en: list[str] = []
    es: list[str] = []
    for allegation in allegations:
        wording = str(allegation.get("wording") or "").strip()
        if wording:
            stop = "" if wording[-1] in ".!?" else "."
            en.append(f"I have been told that DHS says: “{wording}”{stop}")
            es.append(f"Me han dicho que el DHS afirma: “{wording}”{stop}")
        else:
            en.append("I have been told that DHS accuses me of something I did not do.")
            es.append("Me han dicho que el DHS me acusa de algo que no hice.")
        if allegation.get("status") == "sustained":
            en.append(COMPLETE_MARKER["en"] + "Explain the allegation in the client's own words.")
            es.append(COMPLETE_MARKER["es"] + "Explicar la acusación con las palabras del cliente.")
        else:
            en.append("That is not true.")
            es.append("Eso no es cierto.")
            kind = allegation.get("kind")
            if kind == "gang_affiliation":
                en.append("I have never belonged to any gang.")
                es.append("Nunca he pertenecido a ninguna pandilla.")
            elif kind == "criminal_history":
                en.append("I have never been charged with or convicted of any crime.")
                es.append("Nunca se me ha acusado ni condenado por ningún delito.")
        if allegation.get("status") == "withdrawn":
            en.append("DHS has since withdrawn this claim.")
            es.append("Después, el DHS retiró esa afirmación.")
        for item in allegation.get("rebuttal") or ():
            sentence_en, sentence_es = _rebuttal_sentence(item, "en"), _rebuttal_sentence(item, "es")
            if sentence_en and sentence_es:
                en.append(sentence_en)
                es.append(sentence_es)
    linked = [str(e["id"]) for e in events if e.get("category") == "allegation" and e.get("id")]
    return {"en": " ".join(en), "es": " ".join(es), "events": linked}


_FEAR_FIRST: Final = ("fear.return", "fear.what_would_happen")


def _fear(case: Mapping[str, Any], answers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    client = case.get("client") or {}
    code = client.get("country_of_birth") or next(iter(client.get("nationalities") or ()), None)
    country = {lang: _country_name(code, lang) for lang in LANGS}
    fear = [a for a in answers if str(a.get("question") or "").startswith("fear.")]
    preferred = [a for a in fear if a.get("question") in _FEAR_FIRST]
    chosen = (preferred or fear or [None])[-1]
    to_en = f"if I am returned to {country['en']}" if country["en"] else "if I am deported"
    to_es = f"si me regresan a {country['es']}" if country["es"] else "si me deportan"
    if chosen is None:
        return {
            "en": f"{COMPLETE_MARKER['en']}I am afraid that {to_en} I will be harmed.",
            "es": f"{COMPLETE_MARKER['es']}Tengo miedo de que {to_es} me hagan daño.",
            "events": [],
        }
    words = _answer_texts(chosen)
    return {
        "en": f"I am afraid of what will happen to me {to_en}. {words['en']}",
        "es": f"Tengo miedo de lo que me pase {to_es}. {words['es']}",
        "events": [],
    }


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
    for _, event in chronology:
        answer = _cited_answer(event, every_answer)
        bodies = _answer_texts(answer) if answer else _event_texts(event, who)
        paragraph: dict[str, Any] = {}
        for lang in LANGS:
            try:
                opening = date_opening(str(event.get("date") or ""), lang)
            except ValidationError:
                label = {"en": "Date to confirm", "es": "Fecha por confirmar"}[lang]
                opening = f"[{label}: {event.get('date') or '—'}]"
            paragraph[lang] = _dated(opening, bodies[lang])
        paragraph["events"] = [str(event["id"])] if event.get("id") else []
        paragraphs.append(paragraph)
    allegations = _allegations(case, events)
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
