"""How the window reads a season word: the client's country, the visit's "Seasons" setting, and the
"Understood as" preview said in both languages.

A Salvadoran "verano" is the dry season (November to April) and "invierno" the rainy season (May to
October); in the north they are June-August and December-February. The parser
(:mod:`desktop.interview.phrases`) reads a season word only once it is told which seasons the
client means (a region of :mod:`desktop.interview.seasons`); without one it refuses and asks for
the months. These helpers are shared by the visit page, the event dialog and the record's forms,
so all of them resolve and show a season the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import _, current_language
from desktop.interview import seasons as core_seasons

#: The visit settings besides a region key: from the client's country (the default), or ask.
AUTO, ASK = core_seasons.AUTO, core_seasons.ASK
LANGS = ("en", "es")


def client_country(client: Mapping[str, Any] | None) -> str | None:
    """The country whose seasons the client names: the country of birth, else the first nationality."""
    if not client:
        return None
    code = client.get("country_of_birth") or next(iter(client.get("nationalities") or ()), None)
    return str(code).upper() if code else None


def country_name(code: str, lang: str | None = None) -> str:
    """The name of an ISO 3166-1 country in ``lang`` (the interface language), or the code."""
    try:
        from babel import Locale

        name = Locale.parse(lang or current_language()).territories.get(code.upper())
    except (ValueError, LookupError):
        name = None
    return name or code


def resolve(setting: str | None, country: str | None) -> str | None:
    """The region whose seasons a season word means, or None (then the parser asks for months)."""
    return core_seasons.resolve_seasons(setting, country)


def setting_choices(country: str | None) -> list[tuple[str, str]]:
    """``(key, label)`` of each choice of the visit's Seasons setting, in the interface language."""
    region = core_seasons.region_for_country(country) if country else None
    if region is not None and country:
        auto = _("From the client's country ({country}: {region})").format(
            country=country_name(country), region=core_seasons.region_label(region)
        )
    else:
        auto = _("From the client's country (unknown — Declara will ask)")
    choices = [(AUTO, auto)]
    choices += [(key, core_seasons.region_label(key)) for key in core_seasons.REGIONS]
    choices.append((ASK, _("Ask each time (say the months)")))
    return choices


def both_languages(edtf: str, first: str | None = None) -> str:
    """``edtf`` said in English and in Spanish, the interface language (or ``first``) first, so the
    interpreter can read the period back to the client."""
    from desktop.case.dates import format_edtf

    lead = first if first in LANGS else current_language()
    order = [lead, *(code for code in LANGS if code != lead)] if lead in LANGS else list(LANGS)
    return " · ".join(format_edtf(edtf, code) for code in order)


def parse(text: str, lang: str, seasons: str | None) -> str:
    """The EDTF of ``text`` said in ``lang``, season words read with ``seasons``; raises
    :class:`ValidationError` (a season word with no region asks for the months)."""
    from desktop.interview.phrases import phrase_to_edtf

    return phrase_to_edtf(text, lang, seasons=seasons)


def seasons_used(text: str, lang: str, seasons: str | None) -> str | None:
    """``seasons`` when ``text`` names a season (so the region decided its months), else None."""
    if seasons is None or not text.strip():
        return None
    try:
        parse(text, lang, None)
    except ValidationError as exc:
        return seasons if exc.msgid == core_seasons.SEASON_NEEDS_REGION else None
    return None


def understood(text: str, lang: str, seasons: str | None) -> tuple[str | None, str]:
    """``(edtf or None, note)``: what ``text`` is understood as, and the note shown under the field:
    "Understood as: … · … (EDTF)", the hint when nothing is typed, or why it is not understood."""
    text = text.strip()
    if not text:
        return None, _("Type the date as the client says it: “around 2009”, “marzo 2022”, “summer 2018”.")
    try:
        edtf = parse(text, lang, seasons)
    except ValidationError as exc:
        return None, exc.message()
    return edtf, _("Understood as: {phrase} ({edtf})").format(phrase=both_languages(edtf), edtf=edtf)


def said_note(date_said: Mapping[str, Any] | None) -> str:
    """The words a date was said in, as kept with an event: "Said as: “…” (Spanish; seasons of …)"."""
    if not date_said or not date_said.get("text"):
        return ""
    from ui.pages.visit_answer import language_label

    lang = date_said.get("lang")
    details = [language_label(lang)] if lang else []
    region = date_said.get("seasons")
    if region:
        details.append(core_seasons.region_label(region))
    words = _("Said as: “{text}”").format(text=date_said["text"])
    return f"{words} ({'; '.join(details)})" if details else words


def spoken_to_edtf(text: str, seasons: str | None = None) -> str | None:
    """What a spoken-date field stores: the EDTF understood, or the text itself when not
    understood (the store then refuses it and the field shows why, keeping the text).

    ``seasons`` is the region whose seasons a season word means (from the client's country, see
    :mod:`ui.seasons_ui`); with None a season word is not understood and the note asks for months."""
    text = text.strip()
    if not text:
        return None
    try:
        return parse(text, current_language(), seasons)
    except ValidationError:
        return text
