"""The custody record of one client, read from its ``custody_event`` records: the chronology in
date order, how long the client has been held, where (the stays and transfers), under which
authority DHS claims to hold them, what was asked for and what came of it, and the next custody
deadline the attorney set.

Dates keep their precision (EDTF). Days in detention are counted from the *latest* day the start
can mean, so a figure never overstates the time held: "about" says the start is not a known day.
Nothing here is Qt; the window, the command line and the drafts read the same
:class:`CustodySummary`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.case.dates import parse_edtf
from desktop.errors import ValidationError

#: Kinds that put (or keep) the client in a facility, and that end a stay.
HELD = frozenset({"apprehension", "detention", "transfer"})
ENDS = frozenset({"release"})
#: Kinds whose outcome says what was asked for and what came of it.
REQUESTS = frozenset({"parole_request", "parole_decision", "custody_review", "bond_hearing"})


@dataclass(frozen=True)
class Entry:
    """One custody event, with the first and last day its date can mean."""

    id: str
    data: Mapping[str, Any]
    first: dt.date | None
    last: dt.date | None
    approximate: bool  # the date is not a single known day

    @property
    def kind(self) -> str:
        return str(self.data.get("kind") or "other")

    @property
    def date(self) -> str:
        return str(self.data.get("date") or "")


@dataclass(frozen=True)
class Stay:
    """A time in one facility: from the event that put the client there to the next one."""

    facility: str
    start: Entry
    end: Entry | None  # the transfer or release that ended it; None while it lasts


@dataclass(frozen=True)
class CustodySummary:
    entries: tuple[Entry, ...]
    detained: bool  # held now, by the record (a stay without a release after it)
    since: Entry | None  # the start of the present (or last) time in detention
    days: int | None  # days held so far in the present detention (at least; None when not held)
    approximate: bool  # the start is not one known day: the days are "about"
    authority: str | None  # the last authority DHS claimed (a detention_authority code)
    authority_entry: Entry | None
    stays: tuple[Stay, ...]
    requests: tuple[Entry, ...]
    next_deadline: Mapping[str, Any] | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def transfers(self) -> int:
        return sum(1 for stay in self.stays[1:] if stay.start.kind == "transfer")


def entries(records: Iterable[Any]) -> list[Entry]:
    """The custody events of ``records`` (vault records or ``(id, data)`` pairs) in date order."""
    out = []
    for record in records:
        record_id, data = (record.id, record.data) if hasattr(record, "data") else record
        try:
            parsed = parse_edtf(str(data.get("date") or ""))
            first, last = parsed.lower, parsed.upper
            approximate = first != last or parsed.approximate or parsed.uncertain
        except ValidationError:
            first = last = None
            approximate = True
        out.append(Entry(record_id, data, first, last, approximate))
    order = {"apprehension": 0, "detention": 1, "authority": 2, "transfer": 3}
    return sorted(
        out,
        key=lambda e: (e.first or dt.date.max, e.last or dt.date.max, order.get(e.kind, 5), e.id),
    )


def summarize(
    records: Iterable[Any], today: dt.date, next_deadline: Mapping[str, Any] | None = None
) -> CustodySummary:
    """The custody record of one client as of ``today``."""
    ordered = entries(records)
    stays: list[Stay] = []
    since: Entry | None = None
    detained = False
    for entry in ordered:
        if entry.kind in HELD:
            if stays and stays[-1].end is None:
                stays[-1] = Stay(stays[-1].facility, stays[-1].start, entry)
            if not detained:
                since = entry  # a new time in detention (after a release, or the first)
            detained = True
            stays.append(Stay(str(entry.data.get("facility") or entry.data.get("place") or ""), entry, None))
        elif entry.kind in ENDS:
            if stays and stays[-1].end is None:
                stays[-1] = Stay(stays[-1].facility, stays[-1].start, entry)
            detained = False
    # An apprehension followed by a detention the same way is one start, not a transfer.
    stays = [
        s for i, s in enumerate(stays) if not _same_stay(s, stays[i + 1] if i + 1 < len(stays) else None)
    ]
    days = approximate = None
    if detained and since is not None and since.last is not None:
        days = max((today - since.last).days, 0)
        approximate = since.approximate
    authorities = [e for e in ordered if e.data.get("authority") and e.data.get("authority") != "unknown"]
    last_authority = authorities[-1] if authorities else None
    return CustodySummary(
        entries=tuple(ordered),
        detained=detained,
        since=since,
        days=days,
        approximate=bool(approximate),
        authority=str(last_authority.data["authority"]) if last_authority else None,
        authority_entry=last_authority,
        stays=tuple(stays),
        requests=tuple(e for e in ordered if e.kind in REQUESTS),
        next_deadline=next_deadline if next_deadline and next_deadline.get("date") else None,
    )


def _same_stay(stay: Stay, following: Stay | None) -> bool:
    """An apprehension at the border immediately followed by a detention: the detention's stay
    stands for both (the client was not moved between them)."""
    return (
        following is not None
        and stay.start.kind == "apprehension"
        and following.start.kind == "detention"
        and stay.end is following.start
    )
