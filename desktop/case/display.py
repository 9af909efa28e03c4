"""Coded values in words: countries and languages as an interpreter reads them.

The record stores codes (ISO 3166-1 countries, ISO 639 languages); the screen, the
lists and the documents show names in the language asked for. Countries and most languages come from
Babel (CLDR); languages common in detention that CLDR lacks or names otherwise (Mam, K'iche',
Q'anjob'al, Akateko, Garifuna …) come from ``resources/data/languages.toml``, each with the source of
its code. A value that is not a known code is shown as stored: nothing is hidden.
"""

from __future__ import annotations

import tomllib
from functools import cache, lru_cache

from desktop.i18n import babel_locale
from desktop.paths import resource_path

#: The most common countries and languages of Declara's clients, offered first in the pickers.
COMMON_COUNTRIES = ("SV", "HN", "GT", "MX", "NI", "VE", "CO", "EC", "CU", "HT", "US")
COMMON_LANGUAGES = (
    "es",
    "en",
    "mam",
    "quc",
    "kjb",
    "knj",
    "ixl",
    "jac",
    "cac",
    "kek",
    "cak",
    "ht",
    "pt",
    "fr",
)
MAX_TABLE_BYTES = 64 * 1024
#: CLDR's two-letter regions that are no country: unknown, the EU, the euro area, the UN, outlying
#: Oceania, and the pseudo-locales.
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


@cache
def _language_table() -> dict[str, dict[str, str]]:
    path = resource_path("data", "languages.toml")
    if path.stat().st_size > MAX_TABLE_BYTES:
        raise ValueError(f"{path.name} is too large")
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("language", {})
    return {code: {"en": item["en"], "es": item["es"]} for code, item in raw.items()}


def _lang(lang: str) -> str:
    return "es" if lang.startswith("es") else "en"


@lru_cache(maxsize=8)
def _locale(lang: str):  # noqa: ANN202 - babel.Locale, imported lazily
    from babel import Locale

    return Locale.parse(babel_locale(_lang(lang)))


def country_name(code: str | None, lang: str) -> str:
    """'SV' -> 'El Salvador'; 'US' -> 'Estados Unidos' in Spanish; an unknown value as stored."""
    if not code:
        return ""
    return _locale(lang).territories.get(code.upper()) or code


def country_code(name: str) -> str | None:
    """The code of a country named in English or Spanish ("México", "mexico", "Estados Unidos"), or
    given as its two-letter code; None when it is neither."""
    text = name.strip()
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        return code if code in _locale("en").territories and code not in NOT_COUNTRIES else None
    return _country_names().get(_fold(text))


@cache
def _country_names() -> dict[str, str]:
    names = {}
    for lang in ("en", "es"):
        for code, name in _locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
                names.setdefault(_fold(name), code)
    return names


def _fold(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).strip()


def language_name(code: str | None, lang: str) -> str:
    """'es' -> 'Spanish' / 'español'; 'quc' -> "K'iche'" / "k'iche'"; an unknown value as stored."""
    if not code:
        return ""
    base = code.split("-")[0].lower()
    table = _language_table().get(base)
    if table is not None:
        return table[_lang(lang)]
    return _locale(lang).languages.get(base) or code


def countries(lang: str) -> list[tuple[str, str]]:
    """(code, name) of every country, the common ones first, then by name."""
    names = {
        code: name
        for code, name in _locale(lang).territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }
    common = [(code, names[code]) for code in COMMON_COUNTRIES if code in names]
    rest = sorted(
        ((c, n) for c, n in names.items() if c not in COMMON_COUNTRIES), key=lambda p: p[1].casefold()
    )
    return common + rest


def languages(lang: str) -> list[tuple[str, str]]:
    """(code, name) of the languages offered: the common ones first, then Babel's, by name."""
    seen = set(COMMON_LANGUAGES)
    common = [(code, language_name(code, lang)) for code in COMMON_LANGUAGES]
    table = [(code, language_name(code, lang)) for code in _language_table() if code not in seen]
    seen |= {code for code, _name in table}
    babel = [
        (code, name)
        for code, name in _locale(lang).languages.items()
        if code not in seen and len(code) in (2, 3) and code.isalpha()
    ]
    return common + table + sorted(babel, key=lambda p: p[1].casefold())
