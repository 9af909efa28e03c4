"""The Spanish first-person converter: the Spanish pass (its verbs and word lists are in
:mod:`desktop.drafting.spanish_words`).

"Ana sale de El Salvador con su hijo Mateo." becomes "Salgo de El Salvador con mi hijo Mateo." (see
:func:`desktop.drafting.first_person.to_first_person` for the rules; the tense is never changed).
The verb tables give the forms of each tense for "yo", "nosotros" and the third person; the word
lists tell a verb from a noun ("la denuncia"), find the clitics and possessives that may stand for
the client, and the place names that keep their article ("El Salvador").
"""

from __future__ import annotations

import re

from desktop.drafting.converter import _Converter, _join, _match_case, _names_at, _NotConfident
from desktop.drafting.phrasing import _capitalize
from desktop.drafting.spanish_words import (
    _EsVerb,
    _ES_PRESENT,
    _ES_PAST3,
    _ES_PAST3P,
    _ES_IMPERFECT,
    _ES_DETERMINERS,
    _ES_PREPOSITIONS,
    _ES_CLITICS,
    _ES_ADVERBS,
    _ES_COORD,
    _ES_SUBORD,
    _ES_EVENTS,
    _ES_GENDERED,
    _ES_COLLECTIVE,
    _ES_HABER,
    _ES_SAYING,
    _ES_FAMILY,
    _ES_PEOPLE,
)


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
                pronoun = prev in ("lo", "la", "los", "las") and not self.word(i - 2) or (i - 2) in self.verbs
                complement = (
                    (i - 1) in self.verbs or prev in _ES_CLITICS and not pronoun or prev in _ES_PRESENT
                )
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
            elif low in _ES_PAST3P and not self.noun_position(i):
                self.verbs.add(i)  # "amenazaron": a plural subject, never the client alone
                self.last_verb = i
                if self.subject is None:
                    self.subject = "group" if self.carry == "group" and self.opener == "coord" else "third"
                if self.subject == "group":
                    raise _NotConfident
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
        """Make the present verb at ``i`` agree with the subject its clause has (tense kept)."""
        verb, person = _ES_PRESENT[self.toks[i].low]
        if self.subject is not None:
            subject = self.subject
        elif self.has_subject(i):
            subject = "third"
        elif person == "p":
            subject = self.carry if self.carry == "group" and self.opener == "coord" else "third"
        elif self.opener in ("coord", "comma") and self.carry:
            subject = self.carry
        elif self.opener == "relative" and self.real_relative(i, person) or self.impersonal(i):
            subject = "third"
        elif self.null_subject_is_client(i) or self.client_reports(i, person):
            subject = "client"  # "amenazan con llevarse a mi hijo si dejo de pagar"
        else:
            raise _NotConfident  # "…; deja de pagar": who? the client or someone else
        if subject == "client" and person == "p" or subject == "group" and person == "s":
            raise _NotConfident
        self.apply(i, verb, person, subject)
        self.subject = self.subject or subject
        self.last_verb = i

    def real_relative(self, i: int, person: str) -> bool:
        """Whether a clause opened by "que" relates to the noun before it ("un taxista que se había
        negado"), not a report ("les dice a los agentes que tiene miedo": who has the fear?). A
        singular verb after a plural noun, or after a verb of saying in a text about the client, is
        a report."""
        que = self.clause_start - 1
        noun = self.low(que - 1)
        if person == "s" and noun.endswith("s") and noun not in _ES_CLITICS:
            return False
        if person == "s" and self.refs:
            return not any(self.low(k) in _ES_SAYING for k in range(que))
        return True

    def client_reports(self, i: int, person: str) -> bool:
        """'les digo a los agentes que tengo miedo': the client tells several people that someone
        (one person, not them) is afraid; nobody else named in the sentence: it is the client."""
        que = self.clause_start - 1
        if person != "s" or self.carry != "client" or self.low(que) != "que":
            return False
        if self.earlier_person(i, strict=True):
            return False
        listener = self.low(que - 1)
        told = any(self.low(k) in _ES_SAYING for k in range(max(0, que - 6), que))
        return told and listener.endswith("s") and listener not in _ES_CLITICS

    def null_subject_is_client(self, i: int) -> bool:
        """Whether a singular verb with no subject at ``i`` can only be the client's: its sentence
        speaks of the client (a name or "su hijo" already made "mi hijo"), nobody else who could be
        its subject (a person, a name, "la policía") comes before it in the sentence."""
        start = i
        while start > 0 and not (self.toks[start - 1].text in ".!?" and self.toks[start - 1].kind == "p"):
            start -= 1
        mine = any(k in self.refs or self.low(k) in ("mi", "mis", "me", "mí") for k in range(start, i))
        if not mine or self.earlier_person(i, strict=self.opener in ("complement", "relative")):
            return False  # in reported speech even the client's relatives may be who it is about
        for k in range(start, i):
            tok = self.toks[k]
            if tok.kind != "w" or not tok.text or k in self.refs:
                continue
            prev = self.low(k - 1)
            free = prev not in _ES_PREPOSITIONS and prev not in ("del", "al")
            article = tok.low in ("el", "la", "un", "una") and self.low(k + 1) in _ES_COLLECTIVE
            if (article or tok.low in ("ella", "él", "usted")) and free:
                return False  # "la pandilla …, si deja": a singular subject it may be
            if tok.text[:1].isupper() and k != start and free:
                return False
        return True

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
            elif low in _ES_EVENTS and self.opener == "relative":
                self.subject = "third"  # "lo que pasó"
            elif low in _ES_PAST3 and self.refs:
                raise _NotConfident  # "porque entró…": the client or someone else?
            else:
                self.subject = "third"
        if self.subject == "client" and low in _ES_PAST3:
            self.toks[i].text = _match_case(self.toks[i].text, _ES_PAST3[low].f1s)

    def doubled(self, i: int, far: bool = True) -> str | None:
        """Who an object clitic before the verb at ``i`` doubles: 'le dicen a María' -> 'client'.
        Only an indirect "le" (``far``) doubles an "a" further on ("le exigen dinero a Lidia"); "lo
        trasladan al Stewart Detention Center" says where, not whom."""
        k = i + 1
        last = i + 6 if far else i + 1
        while k < len(self.toks) and k <= last and self.toks[k].kind != "p" and self.low(k) not in _ES_COORD:
            infinitive = re.fullmatch(r"\w+(ar|er|ir|ír)", self.low(k))
            if self.low(k) in ("que", *_ES_SUBORD) or self.low(k) in _ES_PRESENT or self.low(k) in _ES_PAST3:
                return None  # another clause: its "a" is not this verb's object
            if infinitive:
                return None  # "lo dejan entrar a Estados Unidos": the "a" is the infinitive's
            if self.low(k) in (("a", "al") if far else ("a",)) and self.word(k + 1):
                return "client" if (k + 1) in self.refs or k in self.refs else "other"
            k += 1  # "le exigen dinero a Lidia"
        return None

    def apply(self, i: int, verb: _EsVerb, person: str, subject: str) -> None:
        """Write ``verb`` at ``i`` for ``subject`` in the tense it has, and fix the clitics before it."""
        tok = self.toks[i]
        first = self.clitics_before(i)
        if subject == "client":
            form = verb.p1s  # the present stays the present: "Daniel es gay" -> "soy gay"
        elif subject == "group":
            form = verb.p1p
        elif subject == "either":
            raise _NotConfident  # "si deja de pagar": "dejo" or "deja" is the attorney's call
        else:
            form = tok.text  # someone else's verb: unchanged
        near, far = self.doubled(i, far=False), self.doubled(i)
        for j in range(first, i):
            clitic = self.toks[j]
            doubled = far if clitic.low == "le" else near
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
        self.agreement(verb_index)
        self.subject = subject
        self.last_verb = verb_index

    def agreement(self, verb_index: int) -> None:
        """'Daniel está detenida': a predicate of the client in the other gender is a slip to check."""
        sex = self.who.sex
        j = verb_index + 1
        while self.low(j) in _ES_ADVERBS:
            j += 1
        word = self.low(j)
        if not sex or not word or not _ES_GENDERED.search(word) or self.low(verb_index) in _ES_HABER:
            return  # "he vivido": the participle of a perfect does not agree
        feminine = bool(re.search(r"as?$", word))
        if feminine != (sex == "f"):
            raise _NotConfident

    def reference(self, i: int) -> int:
        """Convert the client's name at ``i``; return where to continue."""
        end, _possessive = self.refs[i]
        prev = {"al": "a"}.get(self.low(i - 1), self.low(i - 1))
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
            if self.low(end + 2) in ("su", "sus") and self.low(end + 3) in _ES_FAMILY:
                after = _names_at(self.toks, end + 4)
                own = "mis" if self.low(end + 2) == "sus" else "mi"
                names = " ".join([own, *(t.text for t in self.toks[end + 3 : after])])
            elif after == end + 2:
                raise _NotConfident
            else:
                names = " ".join(t.text for t in self.toks[end + 2 : after])
            self.toks[i - 1].text = f"a {names} y a mí"
            self.blank(i, after)
            clitic, blank_from, blank_to = "nos", -1, -1
            end = after
        elif self.low(i - 2) == "y" and self.low(i - 4) == "a" and self.word(i - 3):
            self.toks[i].text = "mí"
            self.blank(i + 1, end)
            clitic, blank_from, blank_to = "nos", -1, -1
        for k in range(i - 2, max(self.clause_start, i - 5) - 1, -1):
            before = self.toks[k]
            if clitic == "me" and re.fullmatch(r"\w+(ar|er|ir|ír)(me|le|lo|la)", before.low):
                before.text = before.text[:-2] + "me"  # "empiezan a exigirle (dinero) a José" -> "exigirme"
                self.blank(blank_from, blank_to)
                return end
            if before.kind != "w" or k in self.verbs:
                break
        verb = self.last_verb
        if verb is None or verb < self.clause_start:
            prev = self.toks[i - 2] if i >= 2 else None
            if prev is not None and clitic == "me" and re.fullmatch(r"\w+(ar|er|ir)", prev.text):
                prev.text += "me"  # "para llevar a Ana" -> "para llevarme"
                self.blank(blank_from, blank_to)
                return end
            raise _NotConfident
        first = self.clitics_before(verb)
        doubled = [j for j in range(first, verb) if self.low(j) in ("le", "lo", "la", clitic)]
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

    def verb_ahead(self, i: int) -> bool:
        """Whether a verb follows ``i`` before the clause ends (a verbless phrase continues the last
        clause: "José presenta su solicitud, dentro del año siguiente a su llegada")."""
        k = i + 1
        while k < len(self.toks) and not (self.toks[k].kind == "p" and self.toks[k].text in ".,;:!?"):
            if self.low(k) in _ES_PRESENT or self.low(k) in _ES_PAST3 or self.low(k) in _ES_PAST3P:
                return True
            k += 1
        return False

    def possessive(self, i: int) -> None:
        """'su hijo' -> 'mi hijo' when it can only be the client's (see :func:`to_first_person`)."""
        family = self.low(i + 1) in _ES_FAMILY
        clients = self.subject in ("client", "group") or (
            self.subject is None and not self.has_subject(i) and self.carry in ("client", "group")
        )
        if family and self.subject == "group" or family and self.carry == "group" and self.subject is None:
            raise _NotConfident  # "Tomás y yo … sus hijos": mine, ours or his?
        if family and (clients or not self.earlier_person(i)):
            self.toks[i].text = _match_case(self.toks[i].text, "mis" if self.low(i) == "sus" else "mi")
            return
        verbless = self.subject is None and self.carry == "client" and not self.verb_ahead(i)
        mine = self.subject == "client" or clients and self.subject is None or verbless
        if mine and not self.earlier_person(i, strict=True):
            # "José presenta su solicitud": the client's own, when nobody else was named before
            self.toks[i].text = _match_case(self.toks[i].text, "mis" if self.low(i) == "sus" else "mi")
            return
        if clients or self.refs or family and not self.earlier_person(i):
            raise _NotConfident  # "su nombre" in a text about the client: whose?
