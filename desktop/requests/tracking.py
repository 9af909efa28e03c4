"""Where each request stands, which requests an allegation calls for, and when a certificate expires.

A request is a ``foia_request`` record (the kind predates clearance certificates and keeps its
name): either a FOIA request to a U.S. agency (``agency`` is one of
:data:`desktop.requests.tables.AGENCIES`, or a name typed before there were codes) or a request for
a foreign clearance certificate (``certificate`` holds the certificate's code). It may point at the
allegation it answers (``allegation``) and, for a certificate, at the family member who asks for it
(``representative``).

States (:data:`STATE_LABELS`):

- a FOIA request is a *draft* until it has a date sent, then *pending*, *overdue* once the 20
  working days of 5 U.S.C. § 552(a)(6)(A) have passed without an answer (see
  :mod:`desktop.case.deadlines`), *answered* when received (or closed), *appealed*;
- a certificate is a *draft*, *pending* once asked for, then, once obtained, *valid*, *expiring*
  when it will lapse before the next hearing or within :data:`EXPIRY_WARNING_DAYS`, *expired*; an
  obtained certificate whose issue date or validity is unknown is *answered* (nothing to count).

A certificate is valid for the country's number of days from the day it was issued. An issue date
that is not an exact day counts from its earliest possible day: the expiry is never promised later
than it may be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from desktop.case.dates import parse_edtf
from desktop.case.deadlines import foia_deadline
from desktop.errors import DeclaraError
from desktop.i18n import N_
from desktop.requests import tables

#: A certificate is flagged this many days before it lapses, hearing or not.
EXPIRY_WARNING_DAYS: Final = 30
CLEARANCE: Final = "CLEARANCE"

STATE_LABELS: Final = {
    "draft": N_("Draft"),
    "pending": N_("Pending"),
    "overdue": N_("Overdue"),
    "answered": N_("Answered"),
    "appealed": N_("Appealed"),
    "valid": N_("Valid"),
    "expiring": N_("Expiring"),
    "expired": N_("Expired"),
    "replaced": N_("Replaced"),
}
#: The order states are listed in at a glance: what needs the attorney first.
STATE_ORDER: Final = (
    "overdue", "expired", "expiring", "pending", "draft", "appealed", "answered", "valid", "replaced"
)  # fmt: skip

# Why each request is offered for an allegation (shown beside it).
REASONS: Final = {
    "CBP": N_("The border encounter and the Form I-213 written at processing"),
    "ICE": N_("The detention file and any gang designation or criminal-history entry"),
    "USCIS": N_("The A-file, which often holds copies of the I-213 and the credible-fear record"),
    "OBIM": N_("Fingerprint encounters, including records exchanged with foreign governments"),
    "FBI": N_("Any U.S. criminal history (the FBI identity history summary)"),
    "EOIR": N_("The record of proceedings before the immigration court"),
    "DOS": N_("Visa applications and consular records"),
    CLEARANCE: N_("The home country's own certificates, which say whether there is any record"),
}
#: Programs whose records come from a foreign government: the home country's certificate answers them.
FOREIGN_PROGRAMS: Final = frozenset(
    {
        "foreign_police",
        "criminal_history_sharing",
        "joint_border_intelligence_group",
        "safe",
        "biometric_sharing",
        "interpol",
    }
)
# Names typed before agencies had codes, read as the code they mean.
_ALIASES: Final = {
    "state department": "DOS",
    "department of state": "DOS",
    "u.s. department of state": "DOS",
    "customs and border protection": "CBP",
    "immigration and customs enforcement": "ICE",
    "citizenship and immigration services": "USCIS",
    "executive office for immigration review": "EOIR",
}


def agency_code(value: str | None) -> str | None:
    """The agency code a request's ``agency`` field names ("ICE", "State Department" -> "DOS")."""
    text = " ".join(str(value or "").split())
    if text.upper() in tables.AGENCIES:
        return text.upper()
    return _ALIASES.get(text.casefold())


@dataclass(frozen=True)
class RequestState:
    """A request as the attorney tracks it, judged on ``today``."""

    id: str
    to: str  # an agency code, a certificate code, or the agency as typed
    clearance: bool
    allegation: str | None
    state: str
    sent_on: str | None
    received_on: str | None
    tracking_number: str | None
    expedited: str | None
    due: dt.date | None = None
    extended_due: dt.date | None = None
    due_approximate: bool = False
    issued_on: str | None = None
    expires: dt.date | None = None
    expires_approximate: bool = False
    validity_unknown: bool = False
    closed: bool = False  # a certificate the attorney marked closed: no longer judged


def certificate_expiry(certificate: str | None, issued_on: str | None) -> tuple[dt.date, bool] | None:
    """(the last day a certificate is valid, approximate) or None when it cannot be counted: no
    issue date, an unknown certificate, or one whose validity no source confirms."""
    cert = tables.certificate(certificate)
    if cert is None or cert.validity_days is None or not issued_on:
        return None
    try:
        parsed = parse_edtf(issued_on)
    except DeclaraError:
        return None
    if parsed.lower is None:
        return None
    exact = parsed.precision == "day" and not (parsed.approximate or parsed.uncertain)
    return parsed.lower + dt.timedelta(days=cert.validity_days), not exact


def hearing_day(proceedings: Mapping[str, Any] | None) -> dt.date | None:
    """The earliest day the next hearing can be (what a certificate must last until)."""
    value = (proceedings or {}).get("next_hearing")
    if not value:
        return None
    try:
        return parse_edtf(value).lower
    except DeclaraError:
        return None


def request_state(
    record_id: str, data: Mapping[str, Any], today: dt.date, hearing: dt.date | None = None
) -> RequestState:
    """Where one request stands on ``today`` (``hearing``: the next hearing's earliest day)."""
    status = data.get("status")
    clearance = bool(data.get("certificate"))
    common = dict(
        id=record_id,
        to=data.get("certificate") or agency_code(data.get("agency")) or (data.get("agency") or ""),
        clearance=clearance,
        allegation=data.get("allegation"),
        sent_on=data.get("sent_on"),
        received_on=data.get("received_on"),
        tracking_number=data.get("tracking_number"),
        expedited=data.get("expedited"),
    )
    if clearance:
        expiry = certificate_expiry(data.get("certificate"), data.get("issued_on"))
        obtained = bool(data.get("issued_on") or data.get("received_on")) or status in ("received", "closed")
        if status == "closed":  # the attorney is done with it: no longer judged, never an alert
            return RequestState(state="answered", issued_on=data.get("issued_on"), closed=True, **common)
        if not obtained:
            state = "pending" if data.get("sent_on") and status != "draft" else "draft"
            return RequestState(state=state, issued_on=data.get("issued_on"), **common)
        if expiry is None:  # no validity confirmed for it, or no issue date recorded
            cert = tables.certificate(data.get("certificate"))
            unknown = cert is None or cert.validity_days is None
            return RequestState(
                state="answered", issued_on=data.get("issued_on"), validity_unknown=unknown, **common
            )
        expires, approximate = expiry
        if today > expires:
            state = "expired"
        elif (hearing is not None and expires < hearing) or (expires - today).days <= EXPIRY_WARNING_DAYS:
            state = "expiring"
        else:
            state = "valid"
        return RequestState(
            state=state,
            issued_on=data.get("issued_on"),
            expires=expires,
            expires_approximate=approximate,
            **common,
        )
    try:
        deadline = foia_deadline(data.get("sent_on"), status, today)
    except (ValueError, DeclaraError):
        deadline = None
    if status in ("received", "closed") or (data.get("received_on") and status != "appealed"):
        state = "answered"
    elif status == "appealed":
        state = "appealed"
    elif deadline is None:
        state = "draft" if status == "draft" or not data.get("sent_on") else "pending"
    else:
        state = "overdue" if deadline.overdue else "pending"
    if deadline is None:
        return RequestState(state=state, **common)
    return RequestState(
        state=state,
        due=deadline.due,
        extended_due=deadline.extended_due,
        due_approximate=deadline.approximate,
        **common,
    )


def superseded(states: Iterable[RequestState]) -> set[str]:
    """The ids of the certificates a later one of the same kind replaces (the one that lasts
    longest counts: an older certificate's lapse is no longer anyone's deadline)."""
    latest: dict[str, RequestState] = {}
    replaced: set[str] = set()
    for state in states:
        if not state.clearance or state.expires is None:
            continue
        other = latest.get(state.to)
        if other is None or other.expires < state.expires:  # type: ignore[operator]
            if other is not None:
                replaced.add(other.id)
            latest[state.to] = state
        else:
            replaced.add(state.id)
    return replaced


def judge(
    records: Iterable[tuple[str, Mapping[str, Any]]], today: dt.date, hearing: dt.date | None = None
) -> list[RequestState]:
    """:func:`request_state` of each (record id, data), certificates a later one replaces marked
    "replaced"."""
    from dataclasses import replace

    states = [request_state(record_id, data, today, hearing) for record_id, data in records]
    old = superseded(states)
    return [replace(s, state="replaced") if s.id in old else s for s in states]


def glance(states: Iterable[RequestState]) -> list[tuple[str, int]]:
    """How many requests are in each state, most pressing first: [("overdue", 1), ("pending", 2)]."""
    counts: dict[str, int] = {}
    for item in states:
        counts[item.state] = counts.get(item.state, 0) + 1
    return [(state, counts[state]) for state in STATE_ORDER if state in counts]


@dataclass(frozen=True)
class Suggestion:
    """A request an allegation calls for; ``requests`` are those already recorded for it."""

    to: str  # an agency code, or CLEARANCE
    country: str | None
    reason: str  # msgid
    requests: tuple[RequestState, ...]


def home_country(client: Mapping[str, Any]) -> str | None:
    """The country whose certificates are asked for: the country of birth, else the first
    nationality, when Declara knows its certificates."""
    known = tables.countries()
    for code in [client.get("country_of_birth"), *(client.get("nationalities") or [])]:
        if code in known:
            return code
    return None


def called_for(client: Mapping[str, Any], allegation: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """The requests an allegation calls for, as (agency code or CLEARANCE, country).

    Every allegation: CBP, ICE, USCIS and OBIM (the I-213, the detention file, the A-file, the
    fingerprint encounters: where a label given at the border is written down and passed on). A
    criminal-history allegation, or one from a state gang database or INTERPOL, adds the FBI; a
    client with a court adds EOIR; a client whose home country's certificates Declara knows adds a
    clearance request to it. The State Department is never offered unasked (few of these clients
    applied for a visa); it can be drafted by hand.
    """
    out: list[tuple[str, str | None]] = [("CBP", None), ("ICE", None), ("USCIS", None), ("OBIM", None)]
    program = allegation.get("source_program")
    if allegation.get("kind") == "criminal_history" or program in ("state_gang_database", "interpol"):
        out.append(("FBI", None))
    if ((client.get("proceedings") or {}).get("court") or "").strip():
        out.append(("EOIR", None))
    country = home_country(client)
    if country is not None:
        out.append((CLEARANCE, country))
    return out


def suggestions(
    client: Mapping[str, Any],
    allegation_id: str,
    allegation: Mapping[str, Any],
    states: Iterable[RequestState],
) -> list[Suggestion]:
    """:func:`called_for`, each with the requests already recorded for it: those linked to this
    allegation, and those linked to none (a client-wide request serves every allegation)."""
    relevant = [s for s in states if s.allegation in (None, allegation_id)]
    out = []
    for to, country in called_for(client, allegation):
        if to == CLEARANCE:
            mine = tuple(s for s in relevant if s.clearance and s.to[:2] == country)
        else:
            mine = tuple(s for s in relevant if not s.clearance and s.to == to)
        out.append(Suggestion(to, country, REASONS[to], mine))
    return out
