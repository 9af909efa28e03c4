"""Requests for the records behind an allegation: what each allegation calls for, where each request
stands, and the letters drafted from the client's record.

The window and the command line (``declara request``) both go through :class:`RequestService`.
Drafting a letter records the request as a draft (``foia_request`` record, status "draft", linked to
its allegation) unless one is recorded already, so every letter sent can be tracked: the attorney
then sets the date sent, the tracking number, the answer, and for a certificate the day it was issued.

The requester (the attorney or organization that signs FOIA letters) is kept in the vault's ``meta``
table, encrypted like everything else, and never beside it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop.case.model import Record
from desktop.case.store import CaseStore, NotFound
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.requests import tables, tracking
from desktop.requests.letters import Letter, LetterInput, Requester, clearance_letters, foia_letter
from desktop.requests.render import render
from desktop.vault.database import short_id

REQUESTER_KEY = "requester"
#: The longest requester field kept (characters); the address has at most ADDRESS_LINES lines.
REQUESTER_MAX = 200
ADDRESS_LINES = 6
TARGETS = (*tables.AGENCIES, tracking.CLEARANCE)

NO_ALLEGATION = N_("The client has no allegation “{token}”.")
NO_MEMBER = N_("The client has no family member “{token}”.")
NO_COUNTRY = N_(
    "Declara knows the clearance certificates of {countries}; the client's country of birth and "
    "nationalities are none of these. Record the country first, or name a certificate."
)
NO_CERTIFICATE = N_("{code} is not a certificate of {country}.")


@dataclass(frozen=True)
class AllegationRequests:
    """An allegation with the requests it calls for and how they stand."""

    allegation: Record
    ref: str  # how the command line names it (its case-file id)
    suggestions: list[tracking.Suggestion]
    glance: list[tuple[str, int]]


def record_ref(record: Record, prefix: str) -> str:
    """The id a case file gives a record ("al-1a2b3c4d"): the command line's name for it."""
    return record.ref or f"{prefix}-{short_id(record.id)}"


class RequestService:
    def __init__(self, store: CaseStore) -> None:
        self.store = store

    # -- the requester ---------------------------------------------------------------------------
    def requester(self) -> Requester:
        raw = self.store.vault.meta(REQUESTER_KEY)
        if not raw:
            return Requester()
        try:
            data = json.loads(raw)
            return Requester(
                name=str(data.get("name") or ""),
                organization=str(data.get("organization") or ""),
                address=tuple(str(line) for line in data.get("address") or ())[:ADDRESS_LINES],
                phone=str(data.get("phone") or ""),
                email=str(data.get("email") or ""),
            )
        except (ValueError, AttributeError, TypeError):
            return Requester()

    def set_requester(self, requester: Requester) -> Requester:
        from desktop.case.names import text_problems

        fields = {
            "name": requester.name,
            "organization": requester.organization,
            "phone": requester.phone,
            "email": requester.email,
        }
        clean = {key: " ".join(str(value or "").split())[:REQUESTER_MAX] for key, value in fields.items()}
        address = [" ".join(line.split())[:REQUESTER_MAX] for line in requester.address if line.strip()]
        for key, value in [*clean.items(), *(("address", line) for line in address)]:
            problems = text_problems(value, f"$.requester.{key}")
            if problems:
                raise problems[0]
        value = {**clean, "address": address[:ADDRESS_LINES]}
        with self.store.vault.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (REQUESTER_KEY, json.dumps(value))
            )
        return self.requester()

    # -- reading ---------------------------------------------------------------------------------
    def requests(self, client_id: str) -> list[Record]:
        return self.store.children(client_id, "foia_request")

    def states(self, client_id: str, today: dt.date | None = None) -> list[tracking.RequestState]:
        client = self.store.get(client_id)
        hearing = tracking.hearing_day(client.data.get("proceedings"))
        today = today or dt.date.today()
        return tracking.judge(((r.id, r.data) for r in self.requests(client_id)), today, hearing)

    def overview(self, client_id: str, today: dt.date | None = None) -> list[AllegationRequests]:
        """Each allegation of the client with the requests it calls for and their states."""
        client = self.store.get(client_id)
        states = self.states(client_id, today)
        out = []
        for allegation in self.store.children(client_id, "allegation"):
            mine = [
                s for s in states if s.allegation in (allegation.id, None)
            ]  # a client-wide one serves all
            suggestions = tracking.suggestions(client.data, allegation.id, allegation.data, states)
            out.append(
                AllegationRequests(
                    allegation, record_ref(allegation, "al"), suggestions, tracking.glance(mine)
                )
            )
        return out

    def glance_by_allegation(
        self, client_id: str, today: dt.date | None = None
    ) -> dict[str, list[tuple[str, int]]]:
        """For the allegation table: each allegation's requests by state."""
        states = self.states(client_id, today)
        return {
            a.id: tracking.glance(s for s in states if s.allegation in (a.id, None))
            for a in self.store.children(client_id, "allegation")
        }

    def allegation(self, client_id: str, token: str | None) -> Record | None:
        """The allegation named by its record id, case-file id or short id; with no token, the
        client's only allegation (None when there are several or none)."""
        allegations = self.store.children(client_id, "allegation")
        if not token:
            return allegations[0] if len(allegations) == 1 else None
        token = token.strip()
        for record in allegations:
            if token in (record.id, record.ref, record_ref(record, "al"), short_id(record.id)):
                return record
        raise NotFound(NO_ALLEGATION, token=token)

    def family_member(self, client_id: str, token: str | None) -> Record | None:
        if not token:
            return None
        token = token.strip()
        for record in self.store.children(client_id, "family_member"):
            if token in (record.id, record.ref, record_ref(record, "fam"), short_id(record.id)):
                return record
        raise NotFound(NO_MEMBER, token=token)

    # -- letters ---------------------------------------------------------------------------------
    def letter_input(
        self,
        client_id: str,
        allegation: Record | None = None,
        representative: Record | None = None,
        today: dt.date | None = None,
    ) -> LetterInput:
        client = self.store.get(client_id)
        facility = ((client.data.get("custody") or {}).get("facility") or "").strip()
        encounters = tuple(
            (event.data["date"], (event.data.get("place") or "").strip())
            for event in self.store.children(client_id, "event")
            if event.data.get("category") == "border" and event.data.get("date")
        )
        return LetterInput(
            client=client.data,
            today=today or dt.date.today(),
            allegation=allegation.data if allegation is not None else None,
            encounters=encounters,
            facility=facility,
            facility_address=facility_address(facility),
            requester=self.requester(),
            representative=representative.data if representative is not None else None,
        )

    def letter(
        self,
        client_id: str,
        to: str,
        *,
        allegation: str | None = None,
        lang: str | None = None,
        certificates: Sequence[str] | None = None,
        representative: str | None = None,
        today: dt.date | None = None,
        country: str | None = None,
    ) -> Letter:
        """The letter to ``to`` (an agency code or CLEARANCE) for the client; a clearance letter is
        for ``country`` (default: the certificates' country, else the client's home country)."""
        to = to.upper()
        if to not in TARGETS:
            raise ValueError(to)
        found = self.allegation(client_id, allegation)
        member = self.family_member(client_id, representative)
        data = self.letter_input(client_id, found, member, today)
        if to == tracking.CLEARANCE:
            country = self.clearance_country(client_id, country, certificates)
            return clearance_letters(data, country, certificates or None, lang or "es")
        return foia_letter(data, to, lang or "en")

    def clearance_country(
        self, client_id: str, country: str | None = None, certificates: Sequence[str] | None = None
    ) -> str:
        """The country a clearance letter is for: ``country``, else that of the first certificate
        named, else the client's home country. Every certificate named must be of that country."""
        known = tables.countries()
        if country is None and certificates:
            country = certificates[0][:2]
        if country is None:
            country = tracking.home_country(self.store.get(client_id).data)
        if country not in known:
            raise ValidationError(NO_COUNTRY, countries=", ".join(sorted(known)))
        codes = {c.code for c in known[country].certificates}
        for code in certificates or ():
            if code not in codes:
                raise ValidationError(NO_CERTIFICATE, code=code, country=country)
        return country

    def draft(
        self,
        client_id: str,
        to: str,
        fmt: str = "pdf",
        *,
        allegation: str | None = None,
        lang: str | None = None,
        certificates: Sequence[str] | None = None,
        representative: str | None = None,
        today: dt.date | None = None,
        record: bool = True,
        country: str | None = None,
    ) -> tuple[Letter, bytes]:
        """The letter and its bytes in ``fmt``; with ``record``, the request is recorded as a draft
        unless the client already has one to the same place for the same allegation."""
        letter = self.letter(
            client_id,
            to,
            allegation=allegation,
            lang=lang,
            certificates=certificates,
            representative=representative,
            today=today,
            country=country,
        )
        data = render(letter, fmt)
        if record:
            self.record_drafts(
                client_id,
                to,
                allegation=allegation,
                certificates=certificates,
                representative=representative,
                country=country,
            )
        return letter, data

    def record_drafts(
        self,
        client_id: str,
        to: str,
        *,
        allegation: str | None = None,
        certificates: Sequence[str] | None = None,
        representative: str | None = None,
        country: str | None = None,
    ) -> list[Record]:
        """Record the requests a letter makes (one per certificate for a clearance letter), as drafts,
        skipping any already recorded; returns those created."""
        to = to.upper()
        found = self.allegation(client_id, allegation)
        member = self.family_member(client_id, representative)
        allegation_id = found.id if found is not None else None
        existing = self.requests(client_id)
        created = []
        with self.store.vault.transaction():
            if to == tracking.CLEARANCE:
                chosen = tables.countries()[self.clearance_country(client_id, country, certificates)]
                for cert in chosen.certificates:
                    if certificates and cert.code not in certificates:
                        continue
                    if any(
                        r.data.get("certificate") == cert.code
                        and r.data.get("allegation") in (None, allegation_id)
                        for r in existing
                    ):
                        continue
                    data = {
                        "agency": cert.facts["issuer"].text("es"),
                        "certificate": cert.code,
                        "subject": cert.name("es"),
                        "status": "draft",
                        "allegation": allegation_id,
                        "representative": member.id if member is not None else None,
                    }
                    created.append(self.store.create("foia_request", _set(data), client_id=client_id))
            else:
                same = [
                    r
                    for r in existing
                    if not r.data.get("certificate")
                    and tracking.agency_code(r.data.get("agency")) == to
                    and r.data.get("allegation") in (None, allegation_id)
                ]
                if not same:
                    client = self.store.get(client_id)
                    detained = (client.data.get("custody") or {}).get("status") == "detained"
                    data = {
                        "agency": to,
                        "status": "draft",
                        "allegation": allegation_id,
                        "expedited": "requested" if detained else None,
                    }
                    created.append(self.store.create("foia_request", _set(data), client_id=client_id))
        return created


def _set(data: dict[str, Any]) -> dict[str, Any]:
    """The fields that have a value: a case file exported later carries no empty new keys, which an
    earlier Declara (without those keys in its schema) would refuse."""
    return {key: value for key, value in data.items() if value is not None}


def facility_address(facility: str) -> tuple[str, ...]:
    """The street and "City, ST 00000" of a facility in the ICE list, by its name as recorded
    (the list's name or its display form, with or without the city); () when not listed."""
    from desktop.case.facilities import listed_facility, title_case

    item = listed_facility(facility)
    if item is None:
        return ()
    city = ", ".join(p for p in (item.display_city, item.state.strip()) if p)
    last = " ".join(p for p in (city, item.postal_code.strip()) if p)
    street = item.street.strip()
    street = title_case(street) if street.isupper() else street
    return tuple(p for p in (item.display_name, street, last) if p)
