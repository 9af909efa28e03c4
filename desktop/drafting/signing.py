"""Signing as it happens: what stops a version from being signed, and the day and place it was.

A declaration is sworn under 28 U.S.C. § 1746 on the day the client signs it, where the client
is, before the interpreter who read it to them. :func:`signing_blockers` lists why a version
cannot be signed yet (the window shows the list and the command line prints it, both from here):

- a paragraph still holding a marker a draft leaves for the attorney
  (:data:`desktop.drafting.locales.BLOCKING_MARKERS`), with its number and language;
- a certificate the filed (English) PDF prints without the person who signs it: the certificate
  of interpretation (drafted in English for a declarant whose language is not English) needs the
  interpreter's name, address and telephone, the certificate of translation (drafted in another
  language) the translator's — :func:`desktop.documents.declaration.declaration_parts` says which
  certificate is printed when;
- a signing day still to come.

What is typed for the signing is read here too (:func:`parse_signing_date`, :func:`parse_place`),
and :func:`default_signing_date` and :func:`default_place` propose the last visit's day and the
custody facility's city and state.

:class:`SigningRefused` carries the list. The messages are gettext msgids rendered in the interface
language when shown. Qt-free: used by ``ui/controllers/declaration.py`` and ``desktop/cli.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.case.states import US_STATES
from desktop.drafting.locales import BLOCKING_MARKERS, LANGS
from desktop.errors import DeclaraError, ValidationError
from desktop.i18n import N_, _

#: Blocker kinds.
MARKER, INTERPRETER, TRANSLATOR, DATE = "marker", "interpreter", "translator", "date"

#: A marker left in a paragraph, by the language of the text.
MARKER_LEFT = {
    "en": N_("Paragraph {paragraph} (English) still holds “{marker}”."),
    "es": N_("Paragraph {paragraph} (Spanish) still holds “{marker}”."),
}
NO_INTERPRETER = N_("The certificate of interpretation needs the interpreter's name.")
NO_INTERPRETER_ADDRESS = N_("The certificate of interpretation needs the interpreter's address.")
NO_INTERPRETER_PHONE = N_("The certificate of interpretation needs the interpreter's telephone.")
NO_TRANSLATOR = N_("The certificate of translation needs the translator's name.")
NO_TRANSLATOR_ADDRESS = N_("The certificate of translation needs the translator's address.")
NO_TRANSLATOR_PHONE = N_("The certificate of translation needs the translator's telephone.")
FUTURE_DATE = N_("The day the client signed ({date}) has not come yet.")
REFUSED = N_("Version {number} cannot be signed yet:")
NOTHING_TO_SIGN = N_("There is no draft to sign.")
DATE_NOT_A_DAY = N_("“{value}” is not one day; type the day the client signed, e.g. 2026-11-02.")
PLACE_NOT_UNDERSTOOD = N_(
    "“{value}” is not a place of signing; type the city and the state or country, e.g. “Pearsall, TX”."
)

_PERSON_MESSAGES = {
    INTERPRETER: (NO_INTERPRETER, NO_INTERPRETER_ADDRESS, NO_INTERPRETER_PHONE),
    TRANSLATOR: (NO_TRANSLATOR, NO_TRANSLATOR_ADDRESS, NO_TRANSLATOR_PHONE),
}


@dataclass(frozen=True)
class Blocker:
    """One reason a version cannot be signed. ``paragraph`` is the paragraph's number (1 is the
    first) and ``paragraph_id`` its record, ``lang`` the language of the text, for a marker;
    ``field`` the declaration field to fill in (``interpreter.name`` …) for a certificate."""

    kind: str
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    paragraph: int | None = None
    paragraph_id: str | None = None
    lang: str | None = None
    field: str | None = None

    def message(self) -> str:
        """The reason in the interface language."""
        return _(self.msgid).format(**self.params)


class SigningRefused(DeclaraError):
    """The version cannot be signed; ``blockers`` says why (the message lists them)."""

    def __init__(self, number: int, blockers: list[Blocker]) -> None:
        super().__init__(REFUSED, number=number)
        self.blockers = blockers

    def message(self) -> str:
        return "\n".join([super().message(), *(f"• {b.message()}" for b in self.blockers)])


def marker_blockers(
    paragraphs: list[Mapping[str, Any]], ids: list[str | None] | None = None
) -> list[Blocker]:
    """Every marker (:data:`BLOCKING_MARKERS`) still in a paragraph, in order: paragraph, language,
    marker. ``ids`` are the paragraphs' record ids (None for a paragraph outside the vault)."""
    found = []
    for index, paragraph in enumerate(paragraphs):
        for lang in LANGS:
            text = paragraph.get(lang) or ""
            for marker in _markers():
                if marker in text:
                    found.append(
                        Blocker(
                            MARKER,
                            MARKER_LEFT[lang],
                            {"paragraph": index + 1, "marker": marker},
                            paragraph=index + 1,
                            paragraph_id=ids[index] if ids else None,
                            lang=lang,
                        )
                    )
    return found


def _markers() -> list[str]:
    """The text of every blocking marker in both languages, without the space after it."""
    seen: dict[str, None] = {}
    for marker in BLOCKING_MARKERS:
        for lang in LANGS:
            if marker[lang].strip():  # an empty marker would match every text
                seen[marker[lang].strip()] = None
    return list(seen)


def required_certificates(declaration: Mapping[str, Any]) -> list[str]:
    """Who signs a certificate of the filed PDF (the English rendering): ``interpreter`` and/or
    ``translator``, as :func:`desktop.documents.declaration.declaration_parts` prints them."""
    from desktop.documents.declaration import (
        PART_CERTIFICATE_OF_INTERPRETATION,
        PART_CERTIFICATE_OF_TRANSLATION,
        declaration_parts,
    )

    parts = declaration_parts(dict(declaration), "en")
    out = []
    if PART_CERTIFICATE_OF_INTERPRETATION in parts:
        out.append(INTERPRETER)
    if PART_CERTIFICATE_OF_TRANSLATION in parts:
        out.append(TRANSLATOR)
    return out


def certificate_blockers(declaration: Mapping[str, Any]) -> list[Blocker]:
    """A required certificate without the name, address or telephone it prints."""
    found = []
    for role in required_certificates(declaration):
        person = declaration.get(role) or {}
        for key, msgid in zip(("name", "address", "phone"), _PERSON_MESSAGES[role], strict=True):
            if not str(person.get(key) or "").strip():
                found.append(Blocker(role, msgid, field=f"{role}.{key}"))
    return found


def signing_blockers(
    declaration: Mapping[str, Any],
    paragraphs: list[Mapping[str, Any]],
    *,
    ids: list[str | None] | None = None,
    signed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> list[Blocker]:
    """Why this declaration (its fields, as they would be signed) cannot be signed; [] when it can.

    ``signed_on`` is checked when given (not a day to come); the place of signing needs a city
    and a region or country."""
    found = marker_blockers(paragraphs, ids)
    found += certificate_blockers(declaration)
    if signed_on is not None and signed_on > (today or dt.date.today()):
        found.append(Blocker(DATE, FUTURE_DATE, {"date": signed_on.isoformat()}))
    return found


def version_blockers(version: Any, *, signed_on: dt.date | None = None) -> list[Blocker]:
    """:func:`signing_blockers` of a stored version (a :class:`desktop.drafting.declarations.Version`)."""
    return signing_blockers(
        version.record.data,
        [p.data for p in version.paragraphs],
        ids=[p.id for p in version.paragraphs],
        signed_on=signed_on,
    )


# -- what is typed ---------------------------------------------------------------------------------
def parse_signing_date(text: str, lang: str, today: dt.date | None = None) -> dt.date:
    """The day typed as dates are typed everywhere in Declara ("2026-11-02", "November 2, 2026",
    "2 de noviembre de 2026", "11/2/2026" read in ``lang``'s order, "today", "ayer").
    Raises :class:`ValidationError` for anything that is not one day."""
    from desktop.interview.phrases import phrase_to_edtf

    value = text.strip()
    try:
        edtf = phrase_to_edtf(value, lang, today)
    except ValidationError:
        edtf = ""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", edtf):
        raise ValidationError(DATE_NOT_A_DAY, field="signed_on", value=value)
    return dt.date.fromisoformat(edtf)


def parse_place(text: str) -> dict[str, str | None]:
    """ "CITY, STATE" (a U.S. state's code or name: country US), "CITY, COUNTRY" or "CITY, REGION,
    COUNTRY" as ``place_of_signing``; the country by its two-letter code or its name in English or
    Spanish ("Tapachula, Chiapas, México"). Raises :class:`ValidationError`."""
    from desktop.case.display import country_code

    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) not in (2, 3):
        raise ValidationError(PLACE_NOT_UNDERSTOOD, field="place_of_signing", value=text.strip())
    city, last = parts[0], parts[-1]
    region = _us_state(last) if len(parts) == 2 else None
    if region is not None:
        return {"city": city, "region": region, "country": "US"}
    country = country_code(last)
    if country is None:
        raise ValidationError(PLACE_NOT_UNDERSTOOD, field="place_of_signing", value=text.strip())
    middle = parts[1] if len(parts) == 3 else None
    if country == "US" and middle:
        middle = _us_state(middle) or middle
    return {"city": city, "region": middle, "country": country}


def _us_state(text: str) -> str | None:
    return US_STATES.get(text.upper()) or next(
        (name for name in US_STATES.values() if name.lower() == text.lower()), None
    )


def place_text(place: Mapping[str, Any] | None, lang: str = "en") -> str:
    """A place of signing as it is typed back, the country named in ``lang`` ("Pearsall, Texas,
    United States" / "…, Estados Unidos"): :func:`parse_place` reads it again. "" for none."""
    from desktop.case.display import country_name

    place = place or {}
    country = country_name(place.get("country"), lang) if place.get("country") else None
    return ", ".join(str(p) for p in (place.get("city"), place.get("region"), country) if p)


# -- what the window proposes ----------------------------------------------------------------------
def default_signing_date(store: Any, client_id: str, today: dt.date | None = None) -> dt.date:
    """The day of the client's last visit (the day they most likely signed), else today."""
    today = today or dt.date.today()
    days = []
    for visit in store.children(client_id, "visit"):
        value = str(visit.data.get("date") or "")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and value <= today.isoformat():
            days.append(value)
    return dt.date.fromisoformat(max(days)) if days else today


def default_place(store: Any, client_id: str, declaration: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Where the client is likely to sign: the place already on the declaration, else the city
    and state of the custody facility ("…, Pearsall, TX", or a facility of the ICE list by name)."""
    from desktop.drafting.assemble import place_of_signing

    stored = dict((declaration or {}).get("place_of_signing") or {})
    if stored.get("city"):
        return stored
    client = store.get(client_id)
    custody = client.data.get("custody") or {}
    place = place_of_signing(custody)
    if place.get("city") or custody.get("status") in ("released", "removed"):
        return place
    facility = str(custody.get("facility") or "").strip()
    if facility:
        from desktop.case.facilities import load_facilities

        name = facility.split(",")[0].strip().lower()
        for row in load_facilities():
            if name in (row.name.lower(), row.display_name.lower()):
                region = _us_state(row.state.strip())
                if region:
                    return {"city": row.display_city, "region": region, "country": "US"}
    return place
