"""What the two first-person converters share: the declarant, the tokens and the base pass.

:class:`Declarant` says who the client is (the names that refer to them, gender, relatives); the
text is split into tokens (words, quotations that are never changed, punctuation) and joined back;
:class:`_Converter` holds the state of one pass, which :mod:`.first_person_en` and
:mod:`.first_person_es` extend. :class:`_NotConfident` is how a pass gives up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.case.names import join_name
from desktop.drafting.phrasing import _capitalize


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


_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "sra", "srta", "dra", "lic", "no", "etc", "vs",
                  "ee", "uu", "inc", "co", "ave", "gen", "col", "sgt", "lt", "ing", "prof", "av"}  # fmt: skip


def _abbreviation(tokens: Sequence[_Tok], i: int) -> bool:
    """Whether the '.' at ``i`` closes an abbreviation ("U.S.", "Mr.", "EE. UU.") rather than a
    sentence: after a single letter or a known abbreviation, and not followed by a capitalized word
    that starts a new sentence (a lower-case word follows: "the U.S. with my children")."""
    if tokens[i].text != "." or i == 0 or tokens[i - 1].kind != "w":
        return False
    word = tokens[i - 1].text
    if len(word) == 1 and word.isupper() or word.lower() in _ABBREVIATIONS:
        nxt = next((t for t in tokens[i + 1 :] if t.text), None)
        return nxt is None or nxt.kind != "w" or not nxt.text[:1].isupper() or len(nxt.text) <= 2
    return False


def _join(tokens: Iterable[_Tok]) -> str:
    """Text of tokens; removed tokens (empty text) take their space with them, and the first word
    of each sentence is capitalized (it may have moved up after a removal)."""
    parts: list[str] = []
    starts = True
    tokens = list(tokens)
    for i, tok in enumerate(tokens):
        if not tok.text:
            continue
        text = _capitalize(tok.text) if starts and tok.kind == "w" else tok.text
        ends = tok.kind == "p" and tok.text in ".!?" and not _abbreviation(tokens, i)
        starts = ends or (starts and tok.kind == "p" and tok.text in "(¿¡")
        parts.append((" " if tok.space and parts else "") + text)
    text = "".join(parts).strip()
    return re.sub(r"\s+([,;:.!?)])", r"\1", text)


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


_ROLES = {"client", "declarant", "respondent", "cliente", "clienta", "declarante"}


class _NotConfident(Exception):
    """Internal: the text has a shape the converter does not handle with confidence."""


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
        self.role_references()
        named = {word.lower() for word in self.who.given_names.split()} | {
            word.lower() for alias in self.who.aliases for word in alias.split()
        }
        covered = {j for start, (end, _) in self.refs.items() for j in range(start, end)}
        for j, tok in enumerate(self.toks):
            if tok.kind == "w" and j not in covered and re.sub(r"['’]s$", "", tok.low) in named:
                raise _NotConfident  # "ana leaves", "Ana Ana": the name where no rule expects it

    def role_references(self) -> None:
        """'la cliente', 'el declarante', 'the client', 'al cliente' name the client too; in the other
        gender than the client's they are a slip to check."""
        sex = self.who.sex
        for j, tok in enumerate(self.toks):
            role = re.sub(r"['’]s$", "", tok.low)
            if tok.kind != "w" or role not in _ROLES or j == 0:
                continue
            article = self.toks[j - 1].low
            if article == "the" and role in ("client", "declarant", "respondent"):
                self.refs[j - 1] = (j + 1, role != tok.low)
                self.toks[j].text = self.toks[j].text[: len(role)] + ("" if role == tok.low else "'s")
            elif article in ("el", "la", "al", "del") and role in _ROLES:
                feminine = article == "la" or role == "clienta"
                if sex and feminine != (sex == "f"):
                    raise _NotConfident
                self.refs[j if article in ("al", "del") else j - 1] = (j + 1, False)

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
        return j < 0 or self.toks[j].text in ".!?" and not _abbreviation(self.toks, j)
