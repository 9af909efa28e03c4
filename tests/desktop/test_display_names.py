"""One set of names for coded values (issue 21): the window, the declaration PDF, its certified
translation and the drafted sentences name a language or a country the same way, from
desktop.case.display, including the languages CLDR lacks or spells otherwise."""

from __future__ import annotations

import pytest

from desktop.case.display import country_code, country_name, language_name
from desktop.documents import declaration
from desktop.drafting import locales


@pytest.mark.parametrize("code", ["es", "en", "mam", "quc", "kjb", "knj", "cab", "ht"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_documents_and_drafts_name_a_language_as_the_window_does(code, lang):
    assert (
        declaration._language_name(code, lang)
        == language_name(code, lang)
        == locales._language_name(code, lang)
    )


def test_the_names_the_declaration_prints_for_mayan_languages():
    assert declaration._language_name("mam", "en") == "Mam"  # CLDR has no name: was the bare code
    assert declaration._language_name("quc", "es") == "k'iche'"  # CLDR says "quiché"
    assert declaration._language_name("", "en") == declaration._NAME_BLANK


def test_a_country_by_code_or_by_name_in_either_language():
    assert country_code("México") == country_code("mexico") == country_code("MX") == "MX"
    assert country_code("Estados Unidos") == country_code("United States") == "US"
    assert country_code("El Salvador") == "SV" and country_code("Narnia") is None
    assert country_code("ZZ") is None  # two letters, but no country
    assert declaration._territory_name("SV", "es") == country_name("SV", "es") == "El Salvador"
