"""The English first-person converter: verbs, word lists and the English pass.

"Ana leaves El Salvador with her son Mateo." becomes "I leave El Salvador with my son Mateo." (see
:func:`desktop.drafting.first_person.to_first_person` for the rules; the tense is never changed).
The verb tables tell the verbs of a case file, in the present and the past, and how they agree;
the word lists tell a verb from a noun ("reports"), a subject from an object, and which people a
he/she may stand for.
"""

from __future__ import annotations

import re
from typing import Final

from desktop.drafting.converter import _abbreviation, _Converter, _join, _match_case, _names_at, _NotConfident
from desktop.drafting.phrasing import _capitalize

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
    answer use testify fear
"""
# How the verbs that change with the person agree with "I" and "we" (the tense is kept).
_EN_AGREEMENT: Final = {
    "is": {"I": "am", "we": "are"}, "was": {"I": "was", "we": "were"}, "were": {"I": "was", "we": "were"},
    "has": {"I": "have", "we": "have"}, "does": {"I": "do", "we": "do"}, "are": {"I": "am", "we": "are"},
    "have": {"I": "have", "we": "have"}, "do": {"I": "do", "we": "do"},
}  # fmt: skip
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


class _English(_Converter):
    """The English pass: one walk over the tokens, converting as it goes."""

    perception = False  # a perception verb ("sees them shoot") allows bare verbs after it
    last_subject: str | None = None  # 'I', 'we' or 'other': the subject of the last verb
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
                if tok.text in ".!?;" and not _abbreviation(toks, i):
                    self.singular = self.plural = False
                    self.last_subject = None
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
            if (low in _EN_THIRD or low in ("is", "has", "does", "was")) and self.coordinated(i):
                self.convert(i, self.last_subject)  # "I leave Honduras and travel …"
                clause_verb = True
            elif low in _EN_THIRD or low in ("is", "has", "does"):
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
        del unexplained  # the tense is kept: a series of present verbs stays in the present
        if not self.verbs:
            raise _NotConfident  # no verb recognized: a fragment or a broken sentence to check
        return _join(toks)

    def coordinated(self, i: int) -> bool:
        """Whether a 3rd-person singular verb at ``i`` shares the client's subject: it follows
        "and" (or "and then") right after a clause whose subject is the client, and the word before
        "and" is not a plural noun ("threats and insults")."""
        if self.last_subject not in ("I", "we"):
            return False
        j = i - 1
        while self.low(j) in _EN_ADVERBS:
            j -= 1
        if self.low(j) != "and" or (i - 1) in self.verbs:
            return False
        before = self.low(j - 1)
        lower = self.word(j - 1) and self.toks[j - 1].text.islower()
        if lower and before.endswith("s") and before not in _EN_THIRD and before not in _EN_NOT_PLURAL:
            return False  # "threats and insults"
        if self.last_subject == "we":
            raise _NotConfident  # "my mother and I open … and sells": a slip of agreement
        return True

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
        """Make the verb at ``i`` agree with ``subject`` ('I', 'we'; None: someone else, unchanged).
        The tense is never changed: "leaves" -> "leave", "is" -> "am", "was" stays "was"."""
        tok = self.toks[i]
        low = tok.low
        if subject is None:
            self.last_subject = "other"
        elif low in _EN_THIRD or low in _EN_AGREEMENT or low in _EN_PAST_FORMS or low in _EN_PAST:
            agreed = _EN_AGREEMENT.get(low, {}).get(subject) or _EN_THIRD.get(low, low)
            tok.text = _match_case(tok.text, agreed)
            self.last_subject = subject
        elif low in _EN_MODALS:
            self.last_subject = subject
        else:
            raise _NotConfident
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

    def fronted_possessive(self, i: int, name: int) -> bool:
        """'In front of his house, Daniel sees …': a possessive in an opening phrase, the name right
        after its comma as the subject."""
        if self.low(i) not in ("his", "her") or self.toks[name - 1].text != ",":
            return False
        return all(self.toks[k].text not in ".;!?" for k in range(i, name))

    def pronoun(self, i: int) -> int:
        """Convert a pronoun of the client's gender at ``i``; return where to continue."""
        tok = self.toks[i]
        low = tok.low
        if not self.refers_to_client(i):
            raise _NotConfident  # may be the client or the other person: the attorney decides
        if self.refs and min(self.refs) > i and not self.fronted_possessive(i, min(self.refs)):
            raise _NotConfident  # "show him a photo of Daniel": a pronoun before the name is someone else
        if low in ("she", "he"):
            verb = self.verb_at(i + 1, plural=False)
            if verb is None:
                raise _NotConfident
            tok.text = "I"
            self.convert(verb, "I")
            return verb + 1
        if low == "her":
            nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
            if nxt is not None and nxt.kind == "w" and nxt.low in _EN_DETERMINERS - _EN_OBJECT_STARTERS - {
                "no", "any", "some", "every", "each", "another"}:  # fmt: skip
                raise _NotConfident  # "her two children" or "gave her two dollars": the attorney decides
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
