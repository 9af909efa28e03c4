"""A first draft of the client's declaration, built from the case: the attorney's starting point.

:func:`draft_declaration` turns a declara-case v1 dict into a ``declaration`` object of the case file
(resources/schema/declara-case-1.schema.json), with paragraphs in English and Spanish in the order
the practice guides recommend (see /work/shared/COURT-RULES.md, "Declarations"):

1. identity (name, date and place of birth, linked to the birth event);
2. language statement;
3. one paragraph per chronology event (birth excluded), in date order, each opening with the date
   at its real precision ("Around 2015, …", "In the spring of 2021, …", "Between November 2023 and
   January 2024, …", "On June 18, 2022, …") — never with an invented day;
4. a response to the government's gang or criminal allegations, when there are any;
5. fear of return.

A declaration is sworn, so the draft prefers honesty to fluency. An event told in the client's own
words (an answer the event cites as ``interview:<answer id>``) is used as it is. Otherwise the
event's third-person text is converted to the first person by :func:`to_first_person`, a small
rule-based converter that only answers when it is confident; any text it cannot convert is kept
as written with a visible marker (:data:`REWRITE_MARKER`) for the attorney, a missing language gets
:data:`TRANSLATION_NEEDED`, and a fear paragraph without the client's words gets
:data:`COMPLETE_MARKER`.

The texts produced here are document content in two languages at once (both are always written,
whatever the interface language), so they are bilingual tables in this module, not gettext msgids.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from desktop.case.names import join_name
from desktop.case.states import US_STATES

from desktop.case.dates import format_edtf, parse_edtf, sort_bounds
from desktop.errors import ValidationError

__all__ = [
    "COMPLETE_MARKER",
    "DEFAULT_IN_SUPPORT_OF",
    "LANGS",
    "REWRITE_MARKER",
    "TRANSLATION_NEEDED",
    "Declarant",
    "date_opening",
    "draft_declaration",
    "first_person_or_marked",
    "in_support_of",
    "place_of_signing",
    "to_first_person",
]

#: The languages every drafted paragraph is written in.
LANGS: Final = ("en", "es")

#: Prefix of a text that could not be converted to the first person with confidence.
REWRITE_MARKER: Final = {"en": "[Rewrite in the first person:] ", "es": "[Reescribir en primera persona:] "}
#: Prefix of a text that only exists in the other language.
TRANSLATION_NEEDED: Final = {"en": "[translation needed] ", "es": "[traducción pendiente] "}
#: Prefix of a generic sentence that must be replaced with the client's own words.
COMPLETE_MARKER: Final = {
    "en": "[Complete with the client's own words:] ",
    "es": "[Completar con las palabras del cliente:] ",
}

DEFAULT_IN_SUPPORT_OF: Final = (
    "asylum, withholding of removal and protection under the Convention Against Torture"
)
_RELIEF_PHRASES: Final = {
    "asylum": "asylum",
    "withholding": "withholding of removal",
    "cat": "protection under the Convention Against Torture",
}

# ---------------------------------------------------------------------------------------------
# Names of countries, languages and states

_COUNTRIES: Final = {
    "SV": ("El Salvador", "El Salvador"),
    "HN": ("Honduras", "Honduras"),
    "GT": ("Guatemala", "Guatemala"),
    "MX": ("Mexico", "México"),
    "NI": ("Nicaragua", "Nicaragua"),
    "CR": ("Costa Rica", "Costa Rica"),
    "PA": ("Panama", "Panamá"),
    "US": ("the United States", "Estados Unidos"),
}

# code -> (English name, Spanish name); Spanish names take the article "el" ("el español").
_LANGUAGES: Final = {
    "es": ("Spanish", "español"),
    "en": ("English", "inglés"),
    "quc": ("K'iche'", "k'iche'"),
    "mam": ("Mam", "mam"),
}



def _country_name(code: str | None, lang: str) -> str | None:
    """The name of an ISO 3166-1 country in ``lang``; the code itself when it is not in the table."""
    if not code:
        return None
    names = _COUNTRIES.get(code.upper())
    if names is None:
        return code
    return names[LANGS.index(lang)]


def _language_name(code: str, lang: str) -> str:
    """The name of language ``code`` in ``lang`` (lower case in Spanish); Babel for other codes."""
    names = _LANGUAGES.get(code.lower())
    if names is not None:
        return names[LANGS.index(lang)]
    try:
        from babel import Locale

        name = Locale.parse(lang).languages.get(code.lower())
    except (ValueError, LookupError):
        name = None
    if not name:
        return code
    return name if lang == "en" else name[:1].lower() + name[1:]


# ---------------------------------------------------------------------------------------------
# Dates


def _season_words(text: str, lang: str) -> str:
    """'spring 2021' -> 'the spring of 2021'; 'primavera de 2021' -> 'la primavera de 2021'."""
    if lang == "en":
        return re.sub(r"\b(spring|summer|fall|winter) (\d{4}(?:–\d{4})?)", r"the \1 of \2", text)
    articles = {"primavera": "la", "verano": "el", "otoño": "el", "invierno": "el"}
    return re.sub(
        r"(?<!\w)(primavera|verano|otoño|invierno) de",
        lambda m: f"{articles[m.group(1)]} {m.group(1)} de",
        text,
    )


def _spanish_days(text: str) -> str:
    """Add the article Spanish puts before a day: 'entre el 1 de junio…', 'alrededor del 18 de…'."""
    text = re.sub(r"\bde (?=\d{1,2} de [a-z])", "del ", text)
    return re.sub(r"\b(entre|y|o|hasta|desde) (?=\d{1,2} de [a-z])", r"\1 el ", text)


_NO_PREPOSITION_EN = re.compile(r"^(around|between|until|since|from)\b")
_NO_PREPOSITION_ES = re.compile(r"^(alrededor|entre|hasta|desde)\b")
_DAY_EN = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4}")
_DAY_ES = re.compile(r"^(el )?\d{1,2} de ")
_UNCERTAIN_NOTE: Final = {
    "en": " (I am not certain of the exact date)",
    "es": " (no recuerdo la fecha con certeza)",
}


def _date_parts(value: str, lang: str) -> tuple[str, str, str]:
    """(preposition, date phrase, uncertainty note) for ``value`` in ``lang``.

    The phrase comes from :func:`format_edtf` at the value's real precision; the preposition is
    '' for phrases that carry their own ('around …', 'between …'), 'on'/'el' for a day and
    'in'/'en' otherwise. An uncertain date (``?``, ``%``) is said without '(uncertain)' and gets
    a note in the first person instead.
    """
    parsed = parse_edtf(value)
    text = value.strip()
    note = ""
    if parsed.uncertain:
        text = text.replace("%", "~").replace("?", "")
        note = _UNCERTAIN_NOTE[lang]
    phrase = _season_words(format_edtf(text, lang), lang)
    if lang == "en":
        if _NO_PREPOSITION_EN.match(phrase):
            return "", phrase, note
        return ("on" if _DAY_EN.match(phrase) else "in"), phrase, note
    phrase = _spanish_days(phrase)
    if _NO_PREPOSITION_ES.match(phrase):
        return "", phrase, note
    if _DAY_ES.match(phrase):
        return "", phrase if phrase.startswith("el ") else "el " + phrase, note
    return "en", phrase, note


def date_opening(value: str, lang: str) -> str:
    """How a paragraph about an event on ``value`` starts, without the comma.

    'In March 2022', 'Around 2015', 'In the spring of 2021', 'Between November 2023 and January
    2024', 'On June 18, 2022'; Spanish 'En marzo de 2022', 'Alrededor de 2015', 'En la primavera
    de 2021', 'Entre noviembre de 2023 y enero de 2024', 'El 18 de junio de 2022'. Raises
    :class:`~desktop.errors.ValidationError` for a value that is not a date.
    """
    preposition, phrase, note = _date_parts(value, lang)
    return _capitalize(f"{preposition} {phrase}".strip()) + note


def _birth_phrase(value: str, lang: str) -> str:
    """'on March 12, 1994,' / 'el 12 de marzo de 1994' / 'in March 1994' / 'around 1994'."""
    preposition, phrase, note = _date_parts(value, lang)
    text = f"{preposition} {phrase}".strip() + note
    if lang == "en" and _DAY_EN.match(phrase) and not note:
        text += ","  # "I was born on March 12, 1994, in …"
    return text


def _sort_key(value: str) -> tuple[str, str]:
    """Earliest then latest day of a date, as ``desktop.case.dates.sort_bounds`` gives; bad dates last."""
    try:
        lower, upper = sort_bounds(value)
    except ValidationError:
        return ("9999-99-99", "9999-99-99")
    return (lower or "0000-00-00", upper or "9999-99-99")


# ---------------------------------------------------------------------------------------------
# Who the declarant is


@dataclass(frozen=True)
class Declarant:
    """The client as the converter needs them: the names that refer to them, gender, relatives.

    ``gender`` is the case file's free text ('female', 'male', …); pronouns are only resolved to
    the client for 'female' or 'male'. ``relatives`` are the given names of family members (other
    people the texts may mention).
    """

    given_names: str
    family_names: str = ""
    aliases: tuple[str, ...] = ()
    gender: str | None = None
    relatives: tuple[str, ...] = ()

    @classmethod
    def from_case(cls, case: Mapping[str, Any]) -> Declarant:
        """The declarant of a case dict."""
        client = case.get("client") or {}
        relatives = tuple(
            str(member["given_names"]) for member in case.get("family") or () if member.get("given_names")
        )
        return cls(
            given_names=str(client.get("given_names") or ""),
            family_names=str(client.get("family_names") or ""),
            aliases=tuple(str(a) for a in client.get("aliases") or () if a),
            gender=(client.get("gender") or None),
            relatives=relatives,
        )

    @property
    def full_name(self) -> str:
        return join_name(self.given_names, self.family_names)

    @property
    def sex(self) -> str | None:
        """'f', 'm' or None (unknown or another gender: no pronoun is resolved)."""
        value = (self.gender or "").strip().lower()
        return {"female": "f", "f": "f", "woman": "f", "male": "m", "m": "m", "man": "m"}.get(value)

    def name_forms(self) -> list[tuple[str, ...]]:
        """Word sequences that name the client, longest first."""
        forms: set[tuple[str, ...]] = set()
        given = tuple(self.given_names.split())
        family = tuple(self.family_names.split())
        if given:
            forms.update({given + family, given, given[:1], given[:1] + family})
            if family:
                forms.add(given[:1] + family[:1])
        for alias in self.aliases:
            words = tuple(alias.split())
            if words:
                forms.update({words, words[:1]})
        return sorted((f for f in forms if f), key=len, reverse=True)

    def other_people(self) -> set[str]:
        """Words that name someone else: relatives' given names that are not the client's names."""
        mine = {word for form in self.name_forms() for word in form}
        return {word for name in self.relatives for word in name.split()} - mine


# ---------------------------------------------------------------------------------------------
# Tokens


@dataclass
class _Tok:
    """A word ('w'), quotation ('q', never changed) or punctuation mark ('p'), with its spacing."""

    text: str
    kind: str
    space: bool  # whitespace before it in the original

    @property
    def low(self) -> str:
        return self.text.lower()


_TOKEN = re.compile(
    r"(?P<q>(?<!\w)(?:'[^'\n]*'|‘[^’\n]*’|\"[^\"\n]*\"|“[^”\n]*”|«[^»\n]*»)(?!\w))"
    r"|(?P<w>\w+(?:['’\-]\w+)*)"
    r"|(?P<s>\s+)"
    r"|(?P<p>.)",
    re.S,
)


def _tokens(text: str) -> list[_Tok]:
    """Split ``text`` into tokens; quoted passages are single tokens so nothing inside changes."""
    out: list[_Tok] = []
    space = False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "p"
        if kind == "s":
            space = True
            continue
        out.append(_Tok(match.group(), kind, space))
        space = False
    return out


def _join(tokens: Iterable[_Tok]) -> str:
    """Text of tokens; removed tokens (empty text) take their space with them, and the first word
    of each sentence is capitalized (it may have moved up after a removal)."""
    parts: list[str] = []
    starts = True
    for tok in tokens:
        if not tok.text:
            continue
        text = _capitalize(tok.text) if starts and tok.kind == "w" else tok.text
        starts = tok.kind == "p" and tok.text in ".!?" or (starts and tok.kind == "p" and tok.text in "(¿¡")
        parts.append((" " if tok.space and parts else "") + text)
    text = "".join(parts).strip()
    return re.sub(r"\s+([,;:.!?)])", r"\1", text)


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _match_case(original: str, new: str) -> str:
    return _capitalize(new) if original[:1].isupper() else new


def _client_refs(tokens: Sequence[_Tok], who: Declarant) -> dict[int, tuple[int, bool]]:
    """Where the client is named: start index -> (end index, possessive "Ana's")."""
    refs: dict[int, tuple[int, bool]] = {}
    forms = who.name_forms()
    i = 0
    while i < len(tokens):
        for form in forms:
            end = i + len(form)
            if end > len(tokens) or any(t.kind != "w" for t in tokens[i:end]):
                continue
            words = [t.text for t in tokens[i:end]]
            last = words[-1]
            possessive = bool(re.fullmatch(r".+['’]s", last)) and last[:-2] == form[-1]
            if possessive:
                words[-1] = last[:-2]
            if tuple(words) == form:
                refs[i] = (end, possessive)
                i = end - 1
                break
        i += 1
    return refs


def _names_at(tokens: Sequence[_Tok], i: int, stop: Iterable[str] = ()) -> int:
    """End of a run of capitalized words starting at ``i`` (a person's name), or ``i``."""
    stop_words = {s.lower() for s in stop}
    j = i
    while (
        j < len(tokens)
        and tokens[j].kind == "w"
        and tokens[j].text[:1].isupper()
        and tokens[j].low not in stop_words
    ):
        j += 1
    return j


# ---------------------------------------------------------------------------------------------
# English: verbs and word lists

# base -> past (irregular, or regular with a doubled consonant); regular verbs are listed below.
_EN_IRREGULAR: Final = {
    "become": "became", "begin": "began", "bite": "bit", "beat": "beat", "break": "broke",
    "bring": "brought", "buy": "bought", "catch": "caught", "choose": "chose", "come": "came",
    "cut": "cut", "drive": "drove", "fall": "fell", "feel": "felt", "fight": "fought", "find": "found",
    "flee": "fled", "forget": "forgot", "get": "got", "give": "gave", "go": "went", "grow": "grew",
    "hear": "heard", "hide": "hid", "hit": "hit", "hold": "held", "hurt": "hurt", "keep": "kept",
    "know": "knew", "lead": "led", "leave": "left", "let": "let", "lose": "lost", "make": "made",
    "meet": "met", "pay": "paid", "put": "put", "read": "read", "ride": "rode", "run": "ran",
    "say": "said", "see": "saw", "seek": "sought", "sell": "sold", "send": "sent", "shoot": "shot",
    "shut": "shut", "sit": "sat", "sleep": "slept", "slide": "slid", "speak": "spoke",
    "spend": "spent", "stand": "stood", "steal": "stole", "swear": "swore", "take": "took",
    "teach": "taught", "tell": "told", "think": "thought", "throw": "threw",
    "understand": "understood", "wake": "woke", "wear": "wore", "win": "won", "withdraw": "withdrew",
    "write": "wrote", "stop": "stopped", "drop": "dropped", "grab": "grabbed", "plan": "planned",
    "slip": "slipped", "stab": "stabbed", "rob": "robbed", "beg": "begged", "drag": "dragged",
    "kidnap": "kidnapped", "admit": "admitted", "commit": "committed", "submit": "submitted",
    "transfer": "transferred", "refer": "referred", "occur": "occurred", "prefer": "preferred",
}  # fmt: skip
_EN_REGULAR: Final = """
    accept accompany accuse apply appear arrest arrive ask attack call change cite close complain
    confirm continue cross decide deliver demand deny deport describe destroy detain disappear
    end enter escape explain extort file finish follow force happen help identify injure insult
    interrogate invade join kill learn list live look marry move need notice obtain open order
    pass photograph present protect push question rape reach receive recognize refuse register
    release relocate remain repeat report request rescue return reunite search separate settle
    shout start stay study suffer survive suspect threaten transfer travel treat try visit wait
    walk want warn work wound label classify manage believe reject sign process abuse abandon
    burn chase free handle show claim state assault hand point record charge convict land fire pick
    carry collect tie cover knock yell scream cry die recruit harass rape pressure notify inform grant
    answer use
"""
_EN_MODALS: Final = {"will": "would", "can": "could", "may": "might", "shall": "should",
                     "won't": "wouldn't", "can't": "couldn't"}  # fmt: skip
_EN_SPECIAL: Final = {"is": "was", "are": "were", "has": "had", "have": "had", "does": "did", "do": "did"}


def _en_past_regular(base: str) -> str:
    if base.endswith("e"):
        return base + "d"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ied"
    return base + "ed"


def _en_third(base: str) -> str:
    if re.search(r"(s|sh|ch|x|z|o)$", base):
        return base + "es"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ies"
    return base + "s"


_EN_PAST: Final[dict[str, str]] = {
    **{verb: _en_past_regular(verb) for verb in _EN_REGULAR.split()},
    **_EN_IRREGULAR,
}
_EN_THIRD: Final[dict[str, str]] = {_en_third(base): base for base in _EN_PAST}
_EN_PAST_FORMS: Final = set(_EN_PAST.values()) | {"was", "were", "had", "did", "would", "could", "might"}
_EN_PERCEPTION: Final = {"see", "hear", "watch", "notice", "feel"}

_EN_DETERMINERS: Final = {
    "the", "a", "an", "my", "your", "his", "her", "its", "our", "their", "this", "that", "these", "those",
    "no", "any", "some", "every", "each", "another", "other", "weekly", "monthly", "daily", "several",
    "many", "few", "first", "last", "next", "new", "old", "two", "three",
}  # fmt: skip
_EN_PREPOSITIONS: Final = {
    "of", "for", "with", "about", "from", "to", "at", "in", "on", "by", "into", "onto", "against",
    "without", "behind", "under", "over", "near", "toward", "towards", "through", "across", "like",
    "among", "around", "between", "upon", "after", "before", "during", "since", "until",
}  # fmt: skip
_EN_BOUNDARIES: Final = {
    "and", "but", "or", "that", "if", "after", "before", "when", "while", "because", "who", "which",
    "where", "until", "so", "although", "though", "whom", "whose", "once", "as",
}  # fmt: skip
_EN_PLURAL_NOUNS: Final = {"police", "people", "men", "women", "children", "they", "we", "you", "i", "there"}
_EN_NOT_PLURAL: Final = {"is", "was", "has", "his", "this", "us", "as", "its", "yes", "does", "less", "plus"}
_EN_NO_FINITE_AFTER: Final = {
    "to", "will", "would", "can", "could", "may", "might", "must", "should", "did", "does", "do", "not",
    "let", "make", "made", "help", "helped", "n't", "cannot",
}  # fmt: skip
_EN_OBJECT_STARTERS: Final = {
    "him", "her", "me", "them", "us", "it", "his", "my", "their", "its", "a", "an", "the", "that", "this",
    "these", "those", "our", "your",
}  # fmt: skip
_EN_ADVERBS: Final = {
    "also", "then", "never", "later", "finally", "again", "still", "first", "only", "immediately",
    "eventually", "soon", "often", "always", "already", "quickly", "secretly", "repeatedly",
}  # fmt: skip
_EN_FAMILY: Final = {
    "mother", "father", "son", "daughter", "sons", "daughters", "child", "children", "brother",
    "sister", "brothers", "sisters", "husband", "wife", "partner", "family", "parents", "grandmother",
    "grandfather", "aunt", "uncle", "cousin", "niece", "nephew", "mom", "dad", "baby", "boyfriend",
    "girlfriend",
}  # fmt: skip
# Singular people who may be what a "she"/"he" refers to, by gender; 'n' may be either.
_EN_PEOPLE: Final = {
    "f": {"mother", "daughter", "sister", "wife", "woman", "girl", "aunt", "grandmother", "niece", "mom",
          "girlfriend", "she", "her", "herself"},
    "m": {"father", "son", "brother", "husband", "man", "boy", "uncle", "grandfather", "nephew", "dad",
          "boyfriend", "he", "him", "his", "himself"},
    "n": {"partner", "child", "cousin", "neighbor", "neighbour", "friend", "officer", "agent", "judge",
          "prosecutor", "lawyer", "attorney", "boss", "leader", "driver", "owner", "soldier", "teacher",
          "doctor", "priest", "pastor", "witness", "employer", "baby", "person", "someone", "guard"},
}  # fmt: skip
_EN_PRONOUNS: Final = {
    "f": {"she": "I", "her": None, "hers": "mine", "herself": "myself"},
    "m": {"he": "I", "him": "me", "his": "my", "himself": "myself"},
}
_EN_GROUP_PRONOUNS: Final = {"they", "them", "their", "theirs", "themselves"}


# ---------------------------------------------------------------------------------------------
# Spanish: verbs and word lists


@dataclass(frozen=True)
class _EsVerb:
    """The forms of one Spanish verb the converter needs (3rd person present -> past forms)."""

    p3s: str
    p3p: str
    f1s: str  # preterite
    f1p: str
    f3s: str
    f3p: str
    i3s: str  # imperfect (the same form for "yo")
    i3p: str
    i1p: str
    stative: bool = False  # states take the imperfect ("tenía", "era"), events the preterite


def _es_regular(
    inf: str, pres: str | None = None, pret3: str | None = None, stative: bool = False
) -> _EsVerb:
    """Forms of a regular verb (with the -car/-gar/-zar spelling changes of the preterite).

    ``pres`` is the stem of the present ('empiez' for empezar), ``pret3`` the stem of the
    3rd-person preterite ('pid' for pedir).
    """
    stem, ending = inf[:-2], inf[-2:]
    present = pres or stem
    third = pret3 or stem
    if ending == "ar":
        first = {"c": stem[:-1] + "qu", "g": stem[:-1] + "gu", "z": stem[:-1] + "c"}.get(stem[-1:], stem)
        return _EsVerb(
            present + "a", present + "an", first + "é", stem + "amos", third + "ó", third + "aron",
            stem + "aba", stem + "aban", stem + "ábamos", stative,
        )  # fmt: skip
    vowel = third[-1:] in "aeiou"
    return _EsVerb(
        present + "e", present + "en", stem + "í", stem + "imos",
        third + ("yó" if vowel else "ió"), third + ("yeron" if vowel else "ieron"),
        stem + "ía", stem + "ían", stem + "íamos", stative,
    )  # fmt: skip


def _es_verbs() -> dict[str, _EsVerb]:
    regular = """
        abandonar acusar amenazar arrestar ayudar buscar caminar capturar casar cruzar declarar dejar
        denunciar disparar enseñar entrar entregar escapar esperar explicar golpear gritar identificar
        insultar intentar interrogar juntar llamar llegar llevar matar mudar mandar olvidar pagar
        pasar preguntar presentar quedar regresar reportar retirar robar secuestrar separar tomar
        trabajar trasladar viajar violar avisar cobrar comprar extorsionar firmar liberar aceptar
        citar quemar apuntar cortar amarrar tocar atacar asesinar obligar vigilar acosar reclutar
        presionar deportar procesar clasificar informar notificar otorgar contestar llorar gastar
        alquilar ahorrar marcar casar
        mirar ocultar quitar rechazar solicitar testificar tratar usar visitar acompañar levantar
        jalar señalar lograr alcanzar cuidar criar estudiar terminar acercar
        aprender comer correr esconder meter prometer responder romper vender suceder ofrecer
        abrir asistir compartir cumplir decidir describir discutir escribir exigir insistir permitir
        recibir salir subir sufrir unir
    """
    verbs = {inf: _es_regular(inf) for inf in regular.split()}
    verbs.update({
        "hablar": _es_regular("hablar", stative=True),
        "vivir": _es_regular("vivir", stative=True),
        "deber": _es_regular("deber", stative=True),
        "temer": _es_regular("temer", stative=True),
        "parecer": _es_regular("parecer", stative=True),
        "necesitar": _es_regular("necesitar", stative=True),
        "empezar": _es_regular("empezar", pres="empiez"),
        "comenzar": _es_regular("comenzar", pres="comienz"),
        "negar": _es_regular("negar", pres="nieg"),
        "cerrar": _es_regular("cerrar", pres="cierr"),
        "encontrar": _es_regular("encontrar", pres="encuentr"),
        "contar": _es_regular("contar", pres="cuent"),
        "soltar": _es_regular("soltar", pres="suelt"),
        "recordar": _es_regular("recordar", pres="recuerd"),
        "perder": _es_regular("perder", pres="pierd"),
        "volver": _es_regular("volver", pres="vuelv"),
        "entender": _es_regular("entender", pres="entiend"),
        "defender": _es_regular("defender", pres="defiend"),
        "mover": _es_regular("mover", pres="muev"),
        "conocer": _es_regular("conocer"),
        "reconocer": _es_regular("reconocer"),
        "nacer": _es_regular("nacer"),
        "aparecer": _es_regular("aparecer"),
        "desaparecer": _es_regular("desaparecer"),
        "creer": _es_regular("creer", stative=True),
        "leer": _es_regular("leer"),
        "caer": _es_regular("caer"),
        "pedir": _es_regular("pedir", pres="pid", pret3="pid"),
        "repetir": _es_regular("repetir", pres="repit", pret3="repit"),
        "seguir": _es_regular("seguir", pres="sigu", pret3="sigu", stative=True),
        "conseguir": _es_regular("conseguir", pres="consigu", pret3="consigu"),
        "perseguir": _es_regular("perseguir", pres="persigu", pret3="persigu"),
        "sentir": _es_regular("sentir", pres="sient", pret3="sint"),
        "advertir": _es_regular("advertir", pres="adviert", pret3="advirt"),
        "mentir": _es_regular("mentir", pres="mient", pret3="mint"),
        "dormir": _es_regular("dormir", pres="duerm", pret3="durm"),
        "morir": _es_regular("morir", pres="muer", pret3="mur"),
        "continuar": _EsVerb("continúa", "continúan", "continué", "continuamos", "continuó",
                             "continuaron", "continuaba", "continuaban", "continuábamos", True),
        "reunir": _EsVerb("reúne", "reúnen", "reuní", "reunimos", "reunió", "reunieron", "reunía",
                          "reunían", "reuníamos"),
        "huir": _EsVerb("huye", "huyen", "huí", "huimos", "huyó", "huyeron", "huía", "huían", "huíamos"),
        "construir": _EsVerb("construye", "construyen", "construí", "construimos", "construyó",
                             "construyeron", "construía", "construían", "construíamos"),
        "oír": _EsVerb("oye", "oyen", "oí", "oímos", "oyó", "oyeron", "oía", "oían", "oíamos"),
        "ser": _EsVerb("es", "son", "fui", "fuimos", "fue", "fueron", "era", "eran", "éramos", True),
        "ir": _EsVerb("va", "van", "fui", "fuimos", "fue", "fueron", "iba", "iban", "íbamos"),
        "estar": _EsVerb("está", "están", "estuve", "estuvimos", "estuvo", "estuvieron", "estaba",
                         "estaban", "estábamos", True),
        "haber": _EsVerb("ha", "han", "hube", "hubimos", "hubo", "hubieron", "había", "habían",
                         "habíamos", True),
        "tener": _EsVerb("tiene", "tienen", "tuve", "tuvimos", "tuvo", "tuvieron", "tenía", "tenían",
                         "teníamos", True),
        "obtener": _EsVerb("obtiene", "obtienen", "obtuve", "obtuvimos", "obtuvo", "obtuvieron",
                           "obtenía", "obtenían", "obteníamos"),
        "retener": _EsVerb("retiene", "retienen", "retuve", "retuvimos", "retuvo", "retuvieron",
                           "retenía", "retenían", "reteníamos"),
        "detener": _EsVerb("detiene", "detienen", "detuve", "detuvimos", "detuvo", "detuvieron",
                           "detenía", "detenían", "deteníamos"),
        "mantener": _EsVerb("mantiene", "mantienen", "mantuve", "mantuvimos", "mantuvo", "mantuvieron",
                            "mantenía", "mantenían", "manteníamos", True),
        "decir": _EsVerb("dice", "dicen", "dije", "dijimos", "dijo", "dijeron", "decía", "decían",
                         "decíamos"),
        "hacer": _EsVerb("hace", "hacen", "hice", "hicimos", "hizo", "hicieron", "hacía", "hacían",
                         "hacíamos"),
        "dar": _EsVerb("da", "dan", "di", "dimos", "dio", "dieron", "daba", "daban", "dábamos"),
        "ver": _EsVerb("ve", "ven", "vi", "vimos", "vio", "vieron", "veía", "veían", "veíamos"),
        "poner": _EsVerb("pone", "ponen", "puse", "pusimos", "puso", "pusieron", "ponía", "ponían",
                         "poníamos"),
        "poder": _EsVerb("puede", "pueden", "pude", "pudimos", "pudo", "pudieron", "podía", "podían",
                         "podíamos", True),
        "querer": _EsVerb("quiere", "quieren", "quise", "quisimos", "quiso", "quisieron", "quería",
                          "querían", "queríamos", True),
        "saber": _EsVerb("sabe", "saben", "supe", "supimos", "supo", "supieron", "sabía", "sabían",
                         "sabíamos", True),
        "venir": _EsVerb("viene", "vienen", "vine", "vinimos", "vino", "vinieron", "venía", "venían",
                         "veníamos"),
        "traer": _EsVerb("trae", "traen", "traje", "trajimos", "trajo", "trajeron", "traía", "traían",
                         "traíamos"),
        "conducir": _EsVerb("conduce", "conducen", "conduje", "condujimos", "condujo", "condujeron",
                            "conducía", "conducían", "conducíamos"),
    })  # fmt: skip
    return verbs


_ES_VERBS: Final = _es_verbs()
# Present forms that are far more often something else ("para" the preposition, "como").
_ES_NOT_VERBS: Final = {"para", "como", "entre", "sobre", "bajo", "cerca", "solo", "vino", "junta", "marca"}


def _es_index() -> tuple[dict[str, tuple[_EsVerb, str]], dict[str, _EsVerb]]:
    """Present forms -> (verb, 's' or 'p' for singular/plural); 3rd-person preterite -> verb."""
    present: dict[str, tuple[_EsVerb, str]] = {}
    past: dict[str, _EsVerb] = {}
    for verb in _ES_VERBS.values():
        for form, person in ((verb.p3s, "s"), (verb.p3p, "p")):
            if form not in _ES_NOT_VERBS:
                present.setdefault(form, (verb, person))
        past.setdefault(verb.f3s, verb)
    return present, past


_ES_PRESENT, _ES_PAST3 = _es_index()
_ES_IMPERFECT: Final = {v.i3s for v in _ES_VERBS.values()}
_ES_PARTICIPLE: Final = re.compile(
    r"(ado|ada|ados|adas|ido|ida|idos|idas|puesto|puesta|muerto|muerta|hecho|hecha|dicho|visto|vista|"
    r"abierto|abierta|escrito|vuelto|roto|rota|preso|presa|suelto|suelta)$"
)

_ES_DETERMINERS: Final = {
    "el", "un", "una", "unos", "unas", "su", "sus", "mi", "mis", "tu", "este", "esta", "ese", "esa",
    "estos", "estas", "esos", "esas", "aquel", "aquella", "nuestro", "nuestra", "al", "del", "cada",
    "otro", "otra", "cualquier", "ningún", "ninguna", "alguna", "algún",
}  # fmt: skip
_ES_PREPOSITIONS: Final = {
    "a", "ante", "bajo", "con", "contra", "de", "desde", "durante", "en", "entre", "hacia", "hasta",
    "mediante", "para", "por", "según", "sin", "sobre", "tras",
}  # fmt: skip
_ES_CLITICS: Final = {"me", "te", "se", "le", "les", "lo", "la", "los", "las", "nos"}
_ES_ADVERBS: Final = {
    "no", "ya", "también", "nunca", "solo", "sólo", "luego", "entonces", "ahí", "allí", "aquí",
    "todavía", "aún", "finalmente", "después", "otra", "vez",
}  # fmt: skip
_ES_COORD: Final = {"y", "e", "o", "u", "ni", "pero", "sino"}
_ES_SUBORD: Final = {"cuando", "porque", "mientras", "aunque", "donde", "dónde", "cómo", "como", "quien",
                     "quienes", "pues"}  # fmt: skip
_ES_FAMILY: Final = {
    "hijo", "hija", "hijos", "hijas", "madre", "padre", "mamá", "papá", "padres", "familia", "casa",
    "esposo", "esposa", "pareja", "hermano", "hermana", "hermanos", "hermanas", "abuela", "abuelo",
    "tío", "tía", "bebé", "novio", "novia", "compañero", "compañera", "niños", "niñas",
}  # fmt: skip
_ES_PEOPLE: Final = {
    "madre", "mamá", "padre", "papá", "hijo", "hija", "hermano", "hermana", "esposo", "esposa", "pareja",
    "tío", "tía", "abuelo", "abuela", "primo", "prima", "sobrino", "sobrina", "hombre", "mujer", "niño",
    "niña", "muchacho", "muchacha", "vecino", "vecina", "amigo", "amiga", "agente", "oficial", "juez",
    "jueza", "fiscal", "abogado", "abogada", "jefe", "jefa", "dueño", "dueña", "taxista", "soldado",
    "testigo", "novio", "novia", "compañero", "compañera", "señor", "señora", "líder", "él", "ella",
    "alguien", "guardia", "patrón", "patrona",
}  # fmt: skip
_ES_PLACES_WITH_ARTICLE: Final = {
    "el salvador", "el paso", "la ceiba", "la paz", "los angeles", "los ángeles", "las vegas",
    "el progreso", "la libertad", "la unión", "el centro", "la joya", "las cruces", "la esperanza",
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# First-person conversion


class _NotConfident(Exception):
    """Internal: the text has a shape the converter does not handle with confidence."""


def to_first_person(text: str, lang: str, who: Declarant) -> str | None:
    """``text`` (an event told in the third person) told by the client, or None when not confident.

    English: the client's name as subject becomes "I" and a present verb after it the past
    ("Ana leaves El Salvador with her son Mateo." -> "I left El Salvador with my son Mateo."),
    "Ana and her mother open" -> "My mother and I opened", the name as object "me", "Ana's" "my";
    he/she/him/her/his become I/me/my only for the client's gender and when no other person of that
    gender (or of unknown gender) is mentioned before; other present verbs go to the past.

    Spanish: the name as subject is dropped and the verb goes to the first person preterite
    ("Ana sale de El Salvador con su hijo Mateo." -> "Salí de El Salvador con mi hijo Mateo."),
    states to the imperfect ("tenía", "era"), "Ana y su madre abren" -> "Mi madre y yo abrimos",
    "a Ana" -> the clitic "me", "de Ana" -> "de mí", "la casa de Ana" -> "mi casa", "su hijo" (and the
    other family words) -> "mi hijo" when it can only be the client's; other verbs go to the past.

    Quotations are never changed. Anything outside these rules (an unknown verb after the name, a
    pronoun that may be someone else's, a verb with no subject that could be the client's, no verb
    recognized at all) returns None: the caller then keeps the text with :data:`REWRITE_MARKER`.
    """
    if not text.strip() or not who.given_names:
        return None
    if lang not in LANGS:
        return None
    converter: type[_Converter] = _English if lang == "en" else _Spanish
    try:
        return converter(text, who).result()
    except _NotConfident:
        return None


def first_person_or_marked(text: str, lang: str, who: Declarant) -> tuple[str, bool]:
    """(text in the first person, True), or (the text with :data:`REWRITE_MARKER`, False)."""
    converted = to_first_person(text, lang, who)
    if converted is None:
        return REWRITE_MARKER[lang] + text.strip(), False
    return converted, True


@dataclass
class _Converter:
    """State shared by the English and Spanish passes."""

    text: str
    who: Declarant
    toks: list[_Tok] = field(init=False)
    refs: dict[int, tuple[int, bool]] = field(init=False)
    verbs: set[int] = field(default_factory=set)  # indices of (converted) finite verbs
    others: set[str] = field(init=False)  # words naming other people (relatives)

    def __post_init__(self) -> None:
        self.toks = _tokens(self.text)
        self.refs = _client_refs(self.toks, self.who)
        self.others = self.who.other_people()

    def result(self) -> str:
        """The converted text; raises :class:`_NotConfident`."""
        raise NotImplementedError

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) and self.toks[i].kind == "w" else ""

    def word(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and self.toks[i].kind == "w"

    def blank(self, start: int, end: int) -> None:
        for j in range(start, end):
            self.toks[j].text = ""

    def sentence_start(self, i: int) -> bool:
        """True when nothing but removed tokens precede ``i`` in its sentence."""
        j = i - 1
        while j >= 0 and not self.toks[j].text:
            j -= 1
        return j < 0 or self.toks[j].text in ".!?"


class _English(_Converter):
    """The English pass: one walk over the tokens, converting as it goes."""

    perception = False  # a perception verb ("sees them shoot") allows bare verbs after it
    singular = False  # a singular / plural verb was converted in the current sentence
    plural = False

    def result(self) -> str:
        toks = self.toks
        sex = self.who.sex
        group = False
        clause_verb = False
        unexplained: list[int] = []
        i = 0
        while i < len(toks):
            tok = toks[i]
            if tok.kind == "p":
                if tok.text in ".!?;":
                    self.singular = self.plural = False
                if tok.text in ".!?,;:()—–":
                    clause_verb = False
                i += 1
                continue
            if tok.kind == "q":
                i += 1
                continue
            if i in self.refs:
                i, is_group = self.reference(i)
                group = group or is_group
                clause_verb = True
                continue
            low = tok.low
            if sex and low in _EN_PRONOUNS[sex]:
                i = self.pronoun(i)
                continue
            if low in _EN_PRONOUNS["f"] or low in _EN_PRONOUNS["m"]:
                if not sex:
                    raise _NotConfident  # a he/she with no known gender for the client
                i += 1  # the other gender: someone else
                continue
            if group and low in _EN_GROUP_PRONOUNS:
                raise _NotConfident  # "they" may or may not include the client
            if low in _EN_BOUNDARIES:
                clause_verb = False
                i += 1
                continue
            if low in _EN_MODALS:
                self.convert(i)
                i += 1
                continue
            if tok.text[:1].isupper() and not self.sentence_start(i):
                i += 1  # a name ("the United States"), not a verb
                continue
            if low in _EN_THIRD or low in ("is", "has", "does"):
                if not self.noun_position(i):
                    self.convert(i)
                    clause_verb = True
            elif low in _EN_PAST or low in ("are", "have", "do"):
                if self.base_is_verb(i, clause_verb):
                    self.convert(i)
                    clause_verb = True
                elif self.bare_verb(i):
                    unexplained.append(i)
            elif low in _EN_PAST_FORMS:
                self.verbs.add(i)
                clause_verb = True
            i += 1
        if unexplained and not self.perception:
            raise _NotConfident  # e.g. "beat him, insult him": a series of verbs left in the present
        if not self.verbs:
            raise _NotConfident  # no verb recognized: the tense cannot be checked
        return _join(toks)

    def base_is_verb(self, i: int, clause_verb: bool) -> bool:
        """Whether a base form at ``i`` is a present verb of a plural subject ("members begin")."""
        prev = self.low(i - 1)
        if prev in _EN_NO_FINITE_AFTER:
            return False
        if not clause_verb and self.plural_subject(prev):
            return True
        if prev != "and":
            return False
        if (i - 2) in self.verbs:
            return True  # "cross and ask"
        nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
        ends = nxt is None or nxt.kind == "p" or nxt.low in ("of", *_EN_BOUNDARIES)
        return self.plural and not self.perception and not ends  # "arrest José … and transfer him"

    def bare_verb(self, i: int) -> bool:
        """Whether a base form left as it is looks like a verb in a series ("…, insult him")."""
        prev = self.low(i - 1)
        after_comma = i > 0 and self.toks[i - 1].text == ","
        low = self.toks[i].low
        return (
            (after_comma or prev == "and" or self.plural_subject(prev))
            and self.low(i + 1) in _EN_OBJECT_STARTERS
            and _EN_PAST.get(low) != low
        )

    def plural_subject(self, prev: str) -> bool:
        """Whether the word before a base-form verb looks like a plural subject ("members begin")."""
        if prev in _EN_PLURAL_NOUNS:
            return True
        return (
            len(prev) > 3
            and prev.endswith("s")
            and not prev.endswith(("ss", "'s", "’s"))
            and prev not in _EN_THIRD
            and prev not in _EN_NOT_PLURAL
        )

    def noun_position(self, i: int) -> bool:
        """Whether a word like 'reports' at ``i`` is a noun ("the reports", "police reports")."""
        prev = self.low(i - 1)
        if prev in _EN_DETERMINERS or prev in _EN_PREPOSITIONS or (i - 1) in self.verbs:
            return True
        if prev.endswith(("'s", "’s")):
            return True
        if self.toks[i].low not in ("is", "has", "does") and prev in _EN_PLURAL_NOUNS - {"i", "there"}:
            return True
        if prev == "and" and (i - 2) not in self.verbs:
            before = self.toks[i - 2] if i >= 2 else None
            plural_noun = before is not None and before.kind == "w" and before.text.islower()
            if plural_noun and before is not None and before.low.endswith("s"):
                return before.low not in _EN_THIRD  # "threats and insults"
            return not self.singular  # "leaves Honduras and travels …" when a verb came before
        return False

    def convert(self, i: int, subject: str | None = None) -> None:
        """Put the verb at ``i`` in the past, agreeing with ``subject`` ('I', 'we')."""
        tok = self.toks[i]
        low = tok.low
        if low in _EN_SPECIAL:
            past = _EN_SPECIAL[low]
        elif low in _EN_THIRD:
            past = _EN_PAST[_EN_THIRD[low]]
        elif low in _EN_PAST:
            past = _EN_PAST[low]
        elif low in _EN_MODALS:
            past = _EN_MODALS[low]
        elif low in _EN_PAST_FORMS:
            past = low
        else:
            raise _NotConfident
        if subject == "I" and past == "were":
            past = "was"
        if subject == "we" and past == "was":
            past = "were"
        tok.text = _match_case(tok.text, past)
        self.verbs.add(i)
        base = _EN_THIRD.get(low, low)
        self.perception = self.perception or base in _EN_PERCEPTION
        if subject == "we" or (subject is None and (low in _EN_PAST or low in ("are", "have", "do"))):
            self.plural = True
        elif low not in _EN_MODALS:
            self.singular = True

    def verb_at(self, i: int, plural: bool) -> int | None:
        """Index of the finite verb after a subject ending before ``i`` (adverbs skipped), or None."""
        while self.low(i) in _EN_ADVERBS:
            i += 1
        low = self.low(i)
        if not low:
            return None
        singular = low in _EN_THIRD or low in ("is", "has", "does")
        base = low in _EN_PAST or low in ("are", "have", "do")
        if low in _EN_PAST_FORMS or low in _EN_MODALS or (singular and not plural) or (base and plural):
            return i
        return None

    def object_position(self, i: int) -> bool:
        """Whether a name at ``i`` is an object: after a preposition or a verb ("arrests Ana")."""
        prev = self.low(i - 1)
        if prev in _EN_PREPOSITIONS or (i - 1) in self.verbs:
            return True
        if prev in _EN_THIRD or prev in _EN_PAST or prev in _EN_PAST_FORMS:
            return True
        return prev == "and" and self.word(i - 2) and self.toks[i - 2].text[:1].isupper()

    def companion(self, i: int) -> tuple[str, int] | None:
        """Who is named with the client after "and": "her mother" -> ("my mother", end)."""
        low = self.low(i)
        own = {"f": {"her"}, "m": {"his"}}.get(self.who.sex or "", {"her", "his"})
        if low in own and self.low(i + 1) in _EN_FAMILY:
            end = _names_at(self.toks, i + 2)
            words = " ".join(t.text for t in self.toks[i + 1 : end])
            return f"my {words}", end
        if self.word(i) and self.toks[i].text[:1].isupper() and low not in _EN_DETERMINERS:
            end = _names_at(self.toks, i, stop=("I",))
            if end > i:
                return " ".join(t.text for t in self.toks[i:end]), end
        return None

    def reference(self, i: int) -> tuple[int, bool]:
        """Convert the client's name at ``i``; return where to continue and whether it is a group."""
        end, possessive = self.refs[i]
        start_of_sentence = self.sentence_start(i)
        if possessive:
            self.toks[i].text = "My" if start_of_sentence else "my"
            self.blank(i + 1, end)
            return end, False
        if self.low(end) == "and":
            found = self.companion(end + 1)
            if found:
                text, after = found
                verb = self.verb_at(after, plural=True)
                if verb is not None:
                    self.toks[i].text = _capitalize(f"{text} and I") if start_of_sentence else f"{text} and I"
                    self.blank(i + 1, after)
                    self.convert(verb, "we")
                    return verb + 1, True
                if self.object_position(i):
                    self.toks[i].text = f"{text} and me"
                    self.blank(i + 1, after)
                    return after, True
                raise _NotConfident
        grouped = self.low(i - 1) == "and" and self.word(i - 2) and self.toks[i - 2].text[:1].isupper()
        verb = self.verb_at(end, plural=grouped)
        if verb is not None and not (grouped and self.object_position(i) and (i - 3) in self.verbs):
            self.toks[i].text = "I"
            self.blank(i + 1, end)
            self.convert(verb, "we" if grouped else "I")
            return verb + 1, grouped
        if self.object_position(i):
            self.toks[i].text = "me"
            self.blank(i + 1, end)
            return end, grouped
        raise _NotConfident  # the name where neither a subject nor an object is expected

    def refers_to_client(self, i: int) -> bool:
        """A he/she/his/her at ``i`` is the client's when nobody else of that gender came before."""
        sex = self.who.sex
        if not sex:
            return False
        candidates = _EN_PEOPLE[sex] | _EN_PEOPLE["n"]
        for j in range(i):
            tok = self.toks[j]
            if tok.kind != "w" or j in self.refs or tok.low in _EN_PRONOUNS[sex]:
                continue
            if tok.low in candidates or tok.text in self.others:
                return False
        return True

    def pronoun(self, i: int) -> int:
        """Convert a pronoun of the client's gender at ``i``; return where to continue."""
        tok = self.toks[i]
        low = tok.low
        if not self.refers_to_client(i):
            raise _NotConfident  # may be the client or the other person: the attorney decides
        if low in ("she", "he"):
            verb = self.verb_at(i + 1, plural=False)
            if verb is None:
                raise _NotConfident
            tok.text = "I"
            self.convert(verb, "I")
            return verb + 1
        if low == "her":
            nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
            object_like = (
                nxt is None
                or nxt.kind != "w"
                or nxt.low in _EN_PREPOSITIONS
                or nxt.low in _EN_BOUNDARIES
                or nxt.low in _EN_DETERMINERS
                or nxt.low in _EN_OBJECT_STARTERS
            )
            tok.text = _match_case(tok.text, "me" if object_like else "my")
            return i + 1
        tok.text = _match_case(tok.text, _EN_PRONOUNS[self.who.sex or "m"][low] or "me")
        return i + 1


class _Spanish(_Converter):
    """The Spanish pass: clauses are read left to right; the first verb of each decides its subject."""

    clause_start = 0
    subject: str | None = None  # 'client', 'group', 'third' once the clause has a verb
    carry: str | None = None  # subject of the previous clause with a verb in the sentence
    opener = "start"  # what opened the clause: start, coord, comma, complement, relative, if, sub
    last_verb: int | None = None

    def result(self) -> str:
        toks = self.toks
        i = 0
        while i < len(toks):
            tok = toks[i]
            if tok.kind == "q":
                i += 1
                continue
            if tok.kind == "p":
                if tok.text in ".!?;:":
                    self.new_clause(i + 1, "start")
                    self.carry = None if tok.text in ".!?" else self.carry
                elif tok.text == ",":
                    self.new_clause(i + 1, "comma")
                i += 1
                continue
            low = tok.low
            if i in self.refs:
                i = self.reference(i)
                continue
            if low in _ES_COORD:
                self.new_clause(i + 1, "coord")
            elif low == "que":
                prev = self.low(i - 1)
                complement = (i - 1) in self.verbs or prev in _ES_CLITICS or prev in _ES_PRESENT
                self.new_clause(i + 1, "complement" if complement else "relative")
            elif low == "si":
                self.new_clause(i + 1, "if")
            elif low in _ES_SUBORD:
                self.new_clause(i + 1, "sub")
            elif low in ("su", "sus"):
                self.possessive(i)
            elif low in ("él", "ella") and self.subject is None:
                i = self.subject_pronoun(i)
                continue
            elif low in _ES_PRESENT and not self.noun_position(i):
                self.verb(i)
            elif (low in _ES_PAST3 or low in _ES_IMPERFECT) and not self.noun_position(i):
                self.past(i)
            elif re.fullmatch(r"\w+(ar|er|ir|ír)(se|lo|la|le)", low):
                self.enclitic(i)
            i += 1
        if not self.verbs:
            raise _NotConfident
        return _join(toks)

    # -- clauses ----------------------------------------------------------------------------------
    def new_clause(self, start: int, opener: str) -> None:
        if self.subject is not None:
            self.carry = self.subject
        self.clause_start = start
        self.subject = None
        self.opener = opener
        self.last_verb = None

    def noun_position(self, i: int) -> bool:
        """Whether a verb-like word at ``i`` is a noun ("la denuncia", "en casa")."""
        prev = self.low(i - 1)
        if prev in _ES_DETERMINERS or prev in _ES_PREPOSITIONS or (i - 1) in self.verbs:
            return True  # "la denuncia", "en casa", "tiene ficha"
        if prev in ("la", "las", "los"):
            if self.subject is not None or i - 1 == self.clause_start and self.toks[i - 1].text[:1].isupper():
                return True
            return self.low(i - 2) in _ES_PREPOSITIONS or (i - 2) in self.verbs
        return False

    def clitics_before(self, i: int) -> int:
        """Index of the first clitic in the run just before the verb at ``i``."""
        j = i
        while j - 1 >= self.clause_start and self.low(j - 1) in _ES_CLITICS:
            j -= 1
        return j

    def has_subject(self, i: int) -> bool:
        """Whether words other than clitics and adverbs stand between the clause start and ``i``."""
        j = self.clitics_before(i)
        return any(
            self.toks[k].text and self.toks[k].kind != "p" and self.low(k) not in _ES_ADVERBS
            for k in range(self.clause_start, j)
        )

    def earlier_person(self, i: int, strict: bool = False) -> bool:
        """Whether someone other than the client (a singular person) is mentioned before ``i``.

        Not ``strict`` (for possessives), the client's own relatives ("su hijo", "mi madre") do not
        count: "su hijo … su casa" are both the client's.
        """
        for j in range(i):
            tok = self.toks[j]
            if tok.kind != "w" or j in self.refs or not tok.text:
                continue
            if tok.low in _ES_PEOPLE or tok.text in self.others:
                if not strict and j >= 1 and self.low(j - 1) in ("su", "sus", "mi", "mis"):
                    continue
                if not strict and tok.text in self.others and self.low(j - 1) in _ES_FAMILY:
                    continue  # "su hijo Mateo"
                return True
        return False

    # -- verbs ------------------------------------------------------------------------------------
    def verb(self, i: int) -> None:
        """Put the present verb at ``i`` in the past, for the subject its clause has."""
        verb, person = _ES_PRESENT[self.toks[i].low]
        if self.subject is not None:
            subject = self.subject
        elif self.has_subject(i):
            subject = "third"
        elif person == "p":
            subject = self.carry if self.carry == "group" and self.opener == "coord" else "third"
        elif self.opener in ("coord", "comma") and self.carry:
            subject = self.carry
        elif self.opener == "relative" or self.impersonal(i):
            subject = "third"
        elif self.opener in ("if", "complement", "sub", "start") and (verb.stative or self.opener == "if"):
            subject = "either"  # the imperfect is the same for "yo" and "él/ella": safe
        else:
            raise _NotConfident  # "…; deja de pagar": who? the client or someone else
        if subject == "client" and person == "p" or subject == "group" and person == "s":
            raise _NotConfident
        self.apply(i, verb, person, subject)
        self.subject = self.subject or (subject if subject != "either" else "third")
        self.last_verb = i

    def impersonal(self, i: int) -> bool:
        """'Se niega la fianza': a clause-initial "se" + verb + article is impersonal, not the client."""
        first = self.clitics_before(i)
        return (
            i - first == 1
            and self.low(first) == "se"
            and self.low(i + 1) in ("el", "la", "los", "las", "un", "una")
        )

    def past(self, i: int) -> None:
        """A verb already in the past: 'denunció' is 'denuncié' when the client is its subject."""
        low = self.toks[i].low
        self.verbs.add(i)
        self.last_verb = i
        if self.subject is None:
            if self.has_subject(i):
                self.subject = "third"
            elif self.opener in ("coord", "comma") and self.carry:
                self.subject = self.carry
            elif low in _ES_PAST3 and self.refs:
                raise _NotConfident  # "porque entró…": the client or someone else?
            else:
                self.subject = "third"
        if self.subject == "client" and low in _ES_PAST3:
            self.toks[i].text = _match_case(self.toks[i].text, _ES_PAST3[low].f1s)

    def doubled(self, i: int) -> str | None:
        """Who an object clitic before the verb at ``i`` doubles: 'le dicen a María' -> 'client'."""
        if self.low(i + 1) != "a" or not self.word(i + 2):
            return None
        return "client" if (i + 2) in self.refs else "other"

    def apply(self, i: int, verb: _EsVerb, person: str, subject: str) -> None:
        """Write the past form of ``verb`` at ``i`` and fix the clitics before it."""
        tok = self.toks[i]
        nxt = self.low(i + 1)
        passive = verb is _ES_VERBS["ser"] and bool(_ES_PARTICIPLE.search(nxt))
        first = self.clitics_before(i)
        reflexive = any(self.low(j) == "se" for j in range(first, i))
        going_to = (
            verb is _ES_VERBS["ir"]
            and nxt == "a"
            and bool(re.fullmatch(r"\w+(ar|er|ir)", self.low(i + 2)))
            and not reflexive
        )
        if going_to:
            verb = dataclasses.replace(verb, stative=True)  # "va a pagar" -> "iba a pagar"
        if subject == "client":
            if verb is _ES_VERBS["ser"] and not passive:
                raise _NotConfident  # "Daniel es gay": "soy" or "era" is the attorney's call
            form = verb.i3s if verb.stative and not passive else verb.f1s
        elif subject == "group":
            form = verb.i1p if verb.stative and not passive else verb.f1p
        elif subject == "either":
            form = verb.i3s if person == "s" else verb.i3p
        else:
            imperfect = verb.stative and not passive or self.opener == "if"
            form = (
                (verb.i3s if person == "s" else verb.i3p)
                if imperfect
                else (verb.f3s if person == "s" else verb.f3p)
            )
        doubled = self.doubled(i)
        for j in range(first, i):
            clitic = self.toks[j]
            if clitic.low == "se" and subject in ("client", "group"):
                clitic.text = _match_case(clitic.text, "me" if subject == "client" else "nos")
            elif subject in ("third", "either") and clitic.low in ("le", "lo", "la") and doubled is None:
                if self.clitic_is_client(j):
                    clitic.text = _match_case(clitic.text, "me")
                elif self.refs and self.could_be_client(clitic.low):
                    raise _NotConfident  # "le reconocen la voz": the client's voice or someone else's?
        tok.text = _match_case(tok.text, form)
        self.verbs.add(i)

    def could_be_client(self, clitic: str) -> bool:
        """Whether an object clitic may stand for the client (by gender)."""
        return {"le": True, "lo": self.who.sex != "f", "la": self.who.sex != "m"}.get(clitic, False)

    def clitic_is_client(self, j: int) -> bool:
        """Whether an object clitic (le, lo, la) can only be the client: nobody else came before."""
        low = self.low(j)
        gender_ok = {"le": True, "lo": self.who.sex == "m", "la": self.who.sex == "f"}.get(low, False)
        return gender_ok and not self.earlier_person(j, strict=True)

    def enclitic(self, i: int) -> None:
        """'esconderse' (the client hides) -> 'esconderme'; 'insultarlo' (the client) -> 'insultarme'."""
        tok = self.toks[i]
        stem, clitic = tok.text[:-2], tok.text[-2:].lower()
        if clitic == "se":
            if self.subject in ("client", "group"):
                tok.text = stem + ("me" if self.subject == "client" else "nos")
        elif {"le": True, "lo": self.who.sex == "m", "la": self.who.sex == "f"}[clitic]:
            if not self.earlier_person(i, strict=True):
                tok.text = stem + "me"
            elif self.refs:
                raise _NotConfident  # "insultarlo": the client or the other person?
        elif self.refs and self.could_be_client(clitic):
            raise _NotConfident

    # -- the client -------------------------------------------------------------------------------
    def verb_after(self, i: int) -> int | None:
        """Index of the finite verb after a subject ending before ``i`` (clitics, adverbs skipped)."""
        while self.low(i) in _ES_ADVERBS or self.low(i) in _ES_CLITICS:
            i += 1
        low = self.low(i)
        if low in _ES_PRESENT or low in _ES_PAST3 or low in _ES_IMPERFECT:
            return i
        return None

    def client_verb(self, name_start: int, verb_index: int, subject: str) -> None:
        """Conjugate the verb of a clause whose subject is the client (or the client and someone)."""
        low = self.low(verb_index)
        if low in _ES_PRESENT:
            verb, person = _ES_PRESENT[low]
            if (person == "s") != (subject == "client"):
                raise _NotConfident
            self.apply(verb_index, verb, person, subject)
        elif low in _ES_PAST3 and subject == "client":
            past = _ES_PAST3[low]
            self.toks[verb_index].text = _match_case(self.toks[verb_index].text, past.f1s)
            self.verbs.add(verb_index)
        elif low in _ES_IMPERFECT and subject == "client":
            self.verbs.add(verb_index)  # "había", "tenía": the same form for "yo"
        else:
            raise _NotConfident
        self.subject = subject
        self.last_verb = verb_index

    def reference(self, i: int) -> int:
        """Convert the client's name at ``i``; return where to continue."""
        end, _possessive = self.refs[i]
        prev = self.low(i - 1)
        if prev in ("de", "del"):
            return self.of_client(i, end)
        if prev == "con":
            self.toks[i - 1].text = _match_case(self.toks[i - 1].text, "conmigo")
            self.blank(i, end)
            return end
        if prev in ("para", "por", "sin", "contra", "hacia", "ante", "sobre"):
            self.toks[i].text = "mí"
            self.blank(i + 1, end)
            return end
        if prev == "a":
            return self.object_client(i, end)
        if self.has_subject(i) and not (prev in ("y", "e") and self.word(i - 2)):
            raise _NotConfident
        if self.low(end) in ("y", "e"):
            return self.group_subject(i, end)
        if prev in ("y", "e") and self.toks[i - 2].text[:1].isupper():
            verb = self.verb_after(end)
            if verb is None:
                raise _NotConfident
            self.toks[i].text = "yo"
            self.blank(i + 1, end)
            self.client_verb(i, verb, "group")
            return verb + 1
        verb = self.verb_after(end)
        if verb is None:
            raise _NotConfident  # "José, que entonces estudiaba…": not a shape handled here
        self.blank(i, end)
        self.client_verb(i, verb, "client")
        return verb + 1

    def group_subject(self, i: int, end: int) -> int:
        """'Ana y su madre abren' -> 'Mi madre y yo abrimos'; 'Ana y Mateo' -> 'Mateo y yo'."""
        k = end + 1
        if self.low(k) in ("su", "sus") and self.low(k + 1) in _ES_FAMILY:
            after = _names_at(self.toks, k + 2)
            words = " ".join(t.text for t in self.toks[k + 1 : after])
            text = ("mis " if self.low(k) == "sus" else "mi ") + words
        elif self.word(k) and self.toks[k].text[:1].isupper() and self.low(k) not in _ES_DETERMINERS:
            after = _names_at(self.toks, k)
            text = " ".join(t.text for t in self.toks[k:after])
        else:
            raise _NotConfident
        verb = self.verb_after(after)
        if verb is None:
            raise _NotConfident
        self.toks[i].text = f"{text} y yo"
        self.blank(i + 1, after)
        self.client_verb(i, verb, "group")
        return verb + 1

    def object_client(self, i: int, end: int) -> int:
        """'arresta a Ana' -> 'me arrestó'; 'arresta a Ana y a Mateo' -> 'nos arrestó a Mateo y a mí'."""
        clitic = "me"
        blank_from, blank_to = i - 1, end
        if self.low(end) == "y" and self.low(end + 1) == "a" and self.word(end + 2):
            after = _names_at(self.toks, end + 2)
            if after == end + 2:
                raise _NotConfident
            names = " ".join(t.text for t in self.toks[end + 2 : after])
            self.toks[i - 1].text = f"a {names} y a mí"
            self.blank(i, after)
            clitic, blank_from, blank_to = "nos", -1, -1
            end = after
        elif self.low(i - 2) == "y" and self.low(i - 4) == "a" and self.word(i - 3):
            self.toks[i].text = "mí"
            self.blank(i + 1, end)
            clitic, blank_from, blank_to = "nos", -1, -1
        verb = self.last_verb
        if verb is None or verb < self.clause_start:
            prev = self.toks[i - 2] if i >= 2 else None
            if prev is not None and clitic == "me" and re.fullmatch(r"\w+(ar|er|ir)", prev.text):
                prev.text += "me"  # "para llevar a Ana" -> "para llevarme"
                self.blank(blank_from, blank_to)
                return end
            raise _NotConfident
        first = self.clitics_before(verb)
        doubled = [j for j in range(first, verb) if self.low(j) in ("le", "lo", "la")]
        if doubled:
            self.toks[doubled[0]].text = clitic
        else:
            start = self.sentence_start(verb)
            target = self.toks[first]
            target.text = f"{clitic} {target.text[:1].lower() + target.text[1:] if start else target.text}"
            if start:
                target.text = _capitalize(target.text)
        if blank_from >= 0:
            self.blank(blank_from, blank_to)
        return end

    def of_client(self, i: int, end: int) -> int:
        """'la puerta de Daniel' -> 'mi puerta'; 'separan a Mateo de Ana' -> 'de mí'."""
        de = i - 1
        for k in range(de - 1, max(self.clause_start, de - 4) - 1, -1):
            low = self.low(k)
            if not self.word(k) or (k in self.verbs) or low in _ES_PREPOSITIONS - {"de"} and low != "al":
                break
            if low in ("el", "la", "los", "las", "al", "del"):
                plural = low in ("los", "las")
                word = {"al": "a mi", "del": "de mi"}.get(low, "mis" if plural else "mi")
                self.toks[k].text = _match_case(self.toks[k].text, word)
                self.blank(de, end)
                return end
            if low in _ES_DETERMINERS:
                raise _NotConfident  # "una foto de Daniel": "una foto mía" is the attorney's call
        if self.low(de) == "del":
            raise _NotConfident
        self.toks[i].text = "mí"
        self.blank(i + 1, end)
        return end

    def subject_pronoun(self, i: int) -> int:
        """'él les dice' about the client (nobody else mentioned) -> 'les dije'."""
        low = self.low(i)
        mine = {"m": "él", "f": "ella"}.get(self.who.sex or "")
        if low != mine:
            if mine is None:
                raise _NotConfident
            return i + 1  # the other gender: someone else
        if self.earlier_person(i):
            raise _NotConfident
        verb = self.verb_after(i + 1)
        if verb is None:
            raise _NotConfident
        self.toks[i].text = ""
        self.client_verb(i, verb, "client")
        return verb + 1

    def possessive(self, i: int) -> None:
        """'su hijo' -> 'mi hijo' when it can only be the client's (see :func:`to_first_person`)."""
        family = self.low(i + 1) in _ES_FAMILY
        clients = self.subject in ("client", "group") or (
            self.subject is None and not self.has_subject(i) and self.carry in ("client", "group")
        )
        if family and (clients or not self.earlier_person(i)):
            self.toks[i].text = _match_case(self.toks[i].text, "mis" if self.low(i) == "sus" else "mi")
            return
        if clients or self.refs or family and not self.earlier_person(i):
            raise _NotConfident  # "su nombre" in a text about the client: whose?


# ---------------------------------------------------------------------------------------------
# The declaration


def in_support_of(relief_sought: Iterable[str] | None) -> str:
    """'asylum, withholding of removal and protection under the Convention Against Torture', or
    the part of it the client seeks; that whole phrase when none of the three is listed."""
    wanted = set(relief_sought or ())
    parts = [phrase for key, phrase in _RELIEF_PHRASES.items() if key in wanted]
    if not parts:
        return DEFAULT_IN_SUPPORT_OF
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


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
        "in_support_of": in_support_of((case.get("proceedings") or {}).get("relief_sought")),
        "place_of_signing": place_of_signing(client.get("custody")),
        "paragraphs": paragraphs,
        "interpreter": _interpreter(case),
        "translator": None,
    }
