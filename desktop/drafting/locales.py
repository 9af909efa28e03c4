"""The fixed bilingual texts of a draft: its languages, the markers for the attorney, names.

A draft is document content in two languages at once (both are always written, whatever the
interface language), so these are tables of English and Spanish, not gettext msgids:

- :data:`LANGS`, the languages every drafted paragraph is written in;
- the markers a draft leaves where the attorney must act (:data:`REWRITE_MARKER`,
  :data:`TRANSLATION_NEEDED`, :data:`COMPLETE_MARKER`);
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
