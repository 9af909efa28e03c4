"""Telling an event in the client's own voice: the entry points of the two converters.

:func:`to_first_person` chooses the English or the Spanish pass and answers only when it is
confident; :func:`first_person_or_marked` keeps a text it cannot convert as written, behind
:data:`~desktop.drafting.locales.REWRITE_MARKER`, for the attorney to rewrite.
"""

from __future__ import annotations

from desktop.drafting.converter import Declarant, _Converter, _NotConfident
from desktop.drafting.first_person_en import _English
from desktop.drafting.first_person_es import _Spanish
from desktop.drafting.locales import LANGS, REWRITE_MARKER


def to_first_person(text: str, lang: str, who: Declarant) -> str | None:
    """``text`` (an event told in the third person) told by the client, or None when not confident.

    The tense is never changed: only the person, and the agreement it needs. English: the client's
    name as subject becomes "I" and its verb agrees ("Ana leaves El Salvador with her son Mateo." ->
    "I leave El Salvador with my son Mateo."; "because he is gay" -> "because I am gay"; "was" stays
    "was"), "Ana and her mother open" -> "My mother and I open", the name as object "me", "Ana's"
    "my"; he/she/him/her/his become I/me/my only for the client's gender, when no other person of
    that gender (or of unknown gender) is mentioned before and the pronoun does not come before the
    name. "the client" names the client too; "U.S." does not end a sentence.

    Spanish: the name as subject is dropped and the verb takes the first person of its own tense
    ("Ana sale de El Salvador con su hijo Mateo." -> "Salgo de El Salvador con mi hijo Mateo.";
    "salió" -> "salí"; "tenía" stays), "Ana y su madre abren" -> "Mi madre y yo abrimos", "a Ana" ->
    the clitic "me", "de Ana" -> "de mí", "la casa de Ana" -> "mi casa", "su hijo" -> "mi hijo" when it
    can only be the client's; "la cliente"/"el cliente" name the client in the client's gender, and
    a predicate in the other gender ("Daniel está detenida") is a slip. Reported speech ("le dice a
    su madre que tiene miedo": who is afraid?) is refused unless only the client can be meant.

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
