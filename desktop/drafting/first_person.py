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
