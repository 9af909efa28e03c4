"""The fixed bilingual texts of a draft: its languages, the markers for the attorney, names.

A draft is document content in two languages at once (both are always written, whatever the
interface language), so these are tables of English and Spanish, not gettext msgids:

- :data:`LANGS`, the languages every drafted paragraph is written in;
- the markers a draft leaves where the attorney must act (:data:`REWRITE_MARKER`,
  :data:`TRANSLATION_NEEDED`, :data:`COMPLETE_MARKER`, the placeholders), all listed in
  :data:`BLOCKING_MARKERS`;
- the names of countries (ISO 3166-1) and of the client's languages in English and Spanish.
"""

from __future__ import annotations

from typing import Final

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
#: Stands where the form needs the client's answer to an allegation and the client gave none: the
#: draft never answers for the client (issue: nothing in a sworn document the client did not say).
ALLEGATION_PLACEHOLDER: Final = {
    "en": "[Client's answer to the allegation, in their words]",
    "es": "[Respuesta del cliente al señalamiento, en sus palabras]",
}
#: Stands where the government's exact words belong and the allegation record has none: the draft
#: never words an accusation for DHS.
DHS_WORDING_PLACEHOLDER: Final = {
    "en": "[DHS's exact words, from its document]",
    "es": "[Las palabras exactas del DHS, de su documento]",
}
#: Follows DHS's English words, quoted in a Spanish paragraph, when the allegation record has no
#: Spanish rendering of them (``wording_es``): a Spanish-speaking declarant cannot swear to words
#: they cannot understand. Only the Spanish paragraph ever holds it; the English text is there so
#: every marker has both languages (and is never empty, which would match any text).
TRANSLATE_QUOTE: Final = {
    "en": "[Render DHS's words in Spanish]",
    "es": "[Traducir al español las palabras del DHS]",
}
#: Stands where the client's fear of return belongs and the interview has no answer about it.
FEAR_PLACEHOLDER: Final = {
    "en": "[Client's fear of return, in their words]",
    "es": "[El miedo del cliente a regresar, en sus palabras]",
}
#: Prefix of a sentence drawn from the attorney's records (a rebuttal document obtained or
#: requested), not from the client's words: the client must confirm it before it is sworn.
CONFIRM_MARKER: Final = {
    "en": "[Confirm with the client:] ",
    "es": "[Confirmar con el cliente:] ",
}
#: Every marker a draft can leave. A paragraph holding any of them cannot be signed
#: (desktop.drafting.declarations); a marker added to a draft must be listed here.
BLOCKING_MARKERS: Final = (
    CONFIRM_MARKER,
    REWRITE_MARKER,
    TRANSLATION_NEEDED,
    COMPLETE_MARKER,
    ALLEGATION_PLACEHOLDER,
    DHS_WORDING_PLACEHOLDER,
    TRANSLATE_QUOTE,
    FEAR_PLACEHOLDER,
)


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

def _country_name(code: str | None, lang: str) -> str | None:
    """The name of an ISO 3166-1 country in ``lang``; the code itself when it is not in the table."""
    if not code:
        return None
    names = _COUNTRIES.get(code.upper())
    if names is None:
        return code
    return names[LANGS.index(lang)]


def _language_name(code: str, lang: str) -> str:
    """The name of language ``code`` in ``lang`` (lower case in Spanish, which takes the article:
    "el español"): :func:`desktop.case.display.language_name`, the one table of names."""
    from desktop.case.display import language_name

    return language_name(code, lang)
