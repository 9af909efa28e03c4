"""Deadlines: federal holidays, business days, FOIA answers and the one-year asylum bar.

Everything here returns data (dates, flags, msgids marked with ``N_``); the interface phrases it.
The rules, each with its public source:

- Federal holidays are the legal public holidays of 5 U.S.C. § 6103(a). A holiday on a Saturday
  is observed on the Friday before, one on a Sunday on the Monday after (Executive Order 11582,
  as listed by OPM). Offices are closed on the observed day, so that is the day that stops being a
  business day. Not modelled: Inauguration Day (Washington, D.C. area only), one-off closures by
  executive order (such as December 24), and holidays before their creation other than
  Juneteenth (counted from 2021): Declara computes no deadline in those early years that matters.
- FOIA: an agency must answer within 20 working days, 30 when it invokes unusual circumstances
  (5 U.S.C. § 552(a)(6)(A)-(B)). The statute counts from receipt; Declara only knows when the
  request was sent, so the date sent stands in for the date received.
- One-year asylum deadline: one year from the last arrival, or from April 1, 1997 if later
  (INA § 208(a)(2)(B), 8 C.F.R. § 1208.4(a)(2)(ii)); a deadline on a weekend or federal holiday
  moves to the next business day. The exceptions (changed or extraordinary circumstances,
  unaccompanied children) are for the lawyer to judge: the date is shown regardless.

Imprecise dates (EDTF, see :mod:`desktop.case.dates`) are resolved toward the safe side for the
lawyer, and the result is marked ``approximate``: the one-year deadline counts from the earliest
day the arrival can mean (never promise more time than there may be); a FOIA answer is due
counting from the latest day the request can have been sent (never call an agency late too early).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Literal, get_args

from desktop.case.dates import ParsedDate, parse_edtf
from desktop.i18n import N_

__all__ = [
    "CERTIFICATE_LABEL",
    "FOIA_EXTENDED_WORKING_DAYS",
    "FOIA_LABEL",
    "FOIA_WORKING_DAYS",
    "HEARING_LABEL",
    "ONE_YEAR_LABEL",
    "Deadline",
    "DeadlineInputs",
    "DeadlineKind",
    "FoiaDeadline",
    "FoiaStatus",
    "OneYearDeadline",
    "add_business_days",
    "business_days_between",
    "client_deadlines",
    "deadline_inputs",
    "deadlines_on",
    "federal_holidays",
    "foia_deadline",
    "foia_due",
    "foia_extended_due",
    "is_business_day",
    "next_business_day",
    "next_deadline",
    "one_year_deadline",
]

FOIA_WORKING_DAYS: Final = 20
FOIA_EXTENDED_WORKING_DAYS: Final = 30

FoiaStatus = Literal["draft", "pending", "received", "appealed", "closed"]
DeadlineKind = Literal["hearing", "one_year", "foia", "certificate"]

# Labels of the items in a client's deadline list.
HEARING_LABEL = N_("Hearing")
ONE_YEAR_LABEL = N_("One-year filing deadline")
FOIA_LABEL = N_("FOIA answer")
CERTIFICATE_LABEL = N_("Clearance certificate expires")

# Holiday names as 5 U.S.C. § 6103(a) gives them.
_NEW_YEAR = N_("New Year's Day")
_MLK = N_("Birthday of Martin Luther King, Jr.")
# Translators: the federal holiday also known as Presidents' Day.
_WASHINGTON = N_("Washington's Birthday")
_MEMORIAL = N_("Memorial Day")
_JUNETEENTH = N_("Juneteenth National Independence Day")
_INDEPENDENCE = N_("Independence Day")
_LABOR = N_("Labor Day")
_COLUMBUS = N_("Columbus Day")
_VETERANS = N_("Veterans Day")
_THANKSGIVING = N_("Thanksgiving Day")
_CHRISTMAS = N_("Christmas Day")

_JUNETEENTH_SINCE: Final = 2021
_ONE_YEAR_EPOCH: Final = dt.date(1997, 4, 1)  # IIRIRA's effective date, 8 C.F.R. § 1208.4
_MONDAY, _THURSDAY, _SATURDAY, _SUNDAY = 0, 3, 5, 6
_FOIA_STATUSES: Final = frozenset(get_args(FoiaStatus))
# A request whose answer the agency still owes: status "pending", or no status at all on a
# request that has a date sent.
_AWAITING_ANSWER: Final = frozenset({"pending", None})


# ---------------------------------------------------------------------------------------------
# Holidays and business days


def federal_holidays(year: int) -> dict[dt.date, str]:
    """The federal holidays of ``year`` keyed by the day they are observed, in date order.

    Values are English msgids marked with ``N_``; show them with ``_()``. As in OPM's lists, the
    holidays are those of ``year``: when January 1 is a Saturday, New Year's Day is observed on
    December 31 of the year before and appears here under that date (and not in the list of the
    year before).
    """
    legal = [
        (_NEW_YEAR, dt.date(year, 1, 1)),
        (_MLK, _nth_weekday(year, 1, _MONDAY, 3)),
        (_WASHINGTON, _nth_weekday(year, 2, _MONDAY, 3)),
        (_MEMORIAL, _last_weekday(year, 5, _MONDAY)),
        (_JUNETEENTH, dt.date(year, 6, 19)),
        (_INDEPENDENCE, dt.date(year, 7, 4)),
        (_LABOR, _nth_weekday(year, 9, _MONDAY, 1)),
        (_COLUMBUS, _nth_weekday(year, 10, _MONDAY, 2)),
        (_VETERANS, dt.date(year, 11, 11)),
        (_THANKSGIVING, _nth_weekday(year, 11, _THURSDAY, 4)),
        (_CHRISTMAS, dt.date(year, 12, 25)),
    ]
    return {_observed(day): name for name, day in legal if name != _JUNETEENTH or year >= _JUNETEENTH_SINCE}


def is_business_day(day: dt.date) -> bool:
    """True from Monday to Friday unless a federal holiday is observed that day."""
    return day.weekday() < _SATURDAY and day not in _closed_days(day.year)


def next_business_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a business day, otherwise the first business day after it."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def add_business_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th business day after ``start`` (the first business day after it is day 1).

    ``start`` itself is never counted; ``n == 0`` returns ``start``. Raises ValueError for a
    negative ``n``.
    """
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    day = start
    for _ in range(n):
        day = next_business_day(day + dt.timedelta(days=1))
    return day


def business_days_between(start: dt.date, end: dt.date) -> int:
    """How many business days lie after ``start`` up to and including ``end``.

    Negative (minus the business days after ``end`` up to and including ``start``) when ``end``
    comes first, so ``add_business_days(a, business_days_between(a, b)) == b`` whenever ``b`` is a
    business day after ``a``.
    """
    if end < start:
        return -business_days_between(end, start)
    holidays = sum(
        start < day <= end for year in range(start.year, end.year + 1) for day in _closed_days(year)
    )
    return _weekdays_through(end) - _weekdays_through(start) - holidays


@lru_cache(maxsize=256)
def _closed_days(year: int) -> frozenset[dt.date]:
    """Observed holidays falling in calendar ``year`` (including next year's New Year's Day)."""
    return frozenset(
        day for y in (year, year + 1) if y <= dt.MAXYEAR for day in federal_holidays(y) if day.year == year
    )


def _weekdays_through(day: dt.date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday, ordinal 1) through ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _observed(day: dt.date) -> dt.date:
    """The day a holiday is observed: Friday for a Saturday, Monday for a Sunday."""
    if day.weekday() == _SATURDAY:
        return day - dt.timedelta(days=1)
    if day.weekday() == _SUNDAY:
        return day + dt.timedelta(days=1)
    return day


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` (0 = Monday) of a month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    """The last ``weekday`` (0 = Monday) of a month."""
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last = next_month - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


# ---------------------------------------------------------------------------------------------
# FOIA


@dataclass(frozen=True)
class FoiaDeadline:
    """When an agency must answer a FOIA request.

    ``due`` is 20 working days after the request was sent, ``extended_due`` 30 (the most an
    agency may take by invoking unusual circumstances). ``overdue`` is true only while the answer
    is still owed (status "pending", or no status) and today is past ``due``. ``days_left``
    counts business days from today to ``due`` whatever the status: 0 on the due day, positive
    before it, and once ``due`` has passed minus the business days elapsed since, at least -1
    (so a weekend right after the due day already reads -1). ``approximate`` is true when the
    date sent is not an exact day; ``due`` then counts from its latest possible day.
    """

    due: dt.date
    extended_due: dt.date
    overdue: bool
    days_left: int
    approximate: bool


@lru_cache(maxsize=4096)
def foia_due(sent_on: dt.date) -> dt.date:
    """The answer is due 20 working days after the request (5 U.S.C. § 552(a)(6)(A)(i))."""
    return add_business_days(sent_on, FOIA_WORKING_DAYS)


@lru_cache(maxsize=4096)
def foia_extended_due(sent_on: dt.date) -> dt.date:
    """The due date with the 10-day extension for unusual circumstances (§ 552(a)(6)(B)(i))."""
    return add_business_days(sent_on, FOIA_EXTENDED_WORKING_DAYS)


def foia_deadline(sent_on_edtf: str | None, status: FoiaStatus | None, today: dt.date) -> FoiaDeadline | None:
    """The deadline of a FOIA request as stored in the case file, seen on ``today``.

    None for a draft, a request with no date sent, or one sent at an open-ended date
    ('2024-05/..') that has no latest possible day. Raises ValueError for an unknown status and
    :class:`~desktop.errors.ValidationError` for a date sent that is not EDTF.
    """
    if status is not None and status not in _FOIA_STATUSES:
        raise ValueError(f"unknown FOIA status {status!r}")
    parsed = _parse(sent_on_edtf)
    if status == "draft" or parsed is None or parsed.upper is None:
        return None
    due = foia_due(parsed.upper)
    if today <= due:
        days_left = business_days_between(today, due)
    else:
        days_left = -max(1, business_days_between(due, today))
    return FoiaDeadline(
        due=due,
        extended_due=foia_extended_due(parsed.upper),
        overdue=status in _AWAITING_ANSWER and today > due,
        days_left=days_left,
        approximate=_is_approximate(parsed),
    )


# ---------------------------------------------------------------------------------------------
# One-year asylum deadline


@dataclass(frozen=True)
class OneYearDeadline:
    """The last day to file for asylum, counted from the last arrival.

    ``arrival_lower``/``arrival_upper`` are the bounds of the arrival date as entered (the upper
    one ``None`` for an open-ended value); ``due`` counts from ``arrival_lower``, or from April 1,
    1997 for an earlier arrival. ``approximate`` is true when the arrival is not an exact day.
    """

    due: dt.date
    approximate: bool
    arrival_lower: dt.date
    arrival_upper: dt.date | None


@lru_cache(maxsize=4096)
def one_year_deadline(last_arrival_edtf: str | None) -> OneYearDeadline | None:
    """The one-year filing deadline for an arrival stored as EDTF.

    The anniversary of the arrival (February 28 for an arrival on February 29: the earlier day),
    moved to the next business day if it is not one. None when there is no arrival date or its
    earliest possible day is unknown ('../2011'): counting from the latest day would promise more
    time than there may be. Raises :class:`~desktop.errors.ValidationError` for a value that is
    not EDTF.
    """
    parsed = _parse(last_arrival_edtf)
    if parsed is None or parsed.lower is None:
        return None
    start = max(parsed.lower, _ONE_YEAR_EPOCH)
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # February 29
        anniversary = dt.date(start.year + 1, 2, 28)
    return OneYearDeadline(
        due=next_business_day(anniversary),
        approximate=_is_approximate(parsed),
        arrival_lower=parsed.lower,
        arrival_upper=parsed.upper,
    )


# ---------------------------------------------------------------------------------------------
# A client's deadlines


@dataclass(frozen=True)
class Deadline:
    """One dated item of a client's deadline list.

    ``label_msgid`` is one of :data:`HEARING_LABEL`, :data:`ONE_YEAR_LABEL`, :data:`FOIA_LABEL` and
    :data:`CERTIFICATE_LABEL`; show it with ``_()``. ``approximate`` is true when the date it comes from
    is not an exact day.
    """

    kind: DeadlineKind
    due: dt.date
    overdue: bool
    label_msgid: str
    approximate: bool = False


@dataclass(frozen=True)
class DeadlineInputs:
    """What a client's deadlines depend on, independent of today's date.

    Computed once per write and kept in the vault's client summary, so the client list can
    say "overdue" for 10,000 clients without parsing a date. ``hearing`` is (earliest day,
    latest day or None, approximate); ``one_year``, each of ``foia`` and each of ``certificates``
    are (due, approximate).
    """

    hearing: tuple[dt.date, dt.date | None, bool] | None = None
    one_year: tuple[dt.date, bool] | None = None
    foia: tuple[tuple[dt.date, bool], ...] = ()
    certificates: tuple[tuple[dt.date, bool], ...] = ()


def deadline_inputs(
    proceedings: Mapping[str, Any] | None, foia_requests: Iterable[Mapping[str, Any]]
) -> DeadlineInputs:
    """See :func:`client_deadlines` for what counts. Raises ValidationError for a bad date."""
    proceedings = proceedings or {}
    foia_requests = list(foia_requests)  # read twice: FOIA answers, then certificates
    hearing = _parse(proceedings.get("next_hearing"))
    hearing_input = None
    if hearing is not None and hearing.lower is not None:
        hearing_input = (hearing.lower, hearing.upper, _is_approximate(hearing))
    one_year = (
        None if proceedings.get("asylum_filed_on") else one_year_deadline(proceedings.get("last_arrival"))
    )
    foia = []
    for request in foia_requests:
        status = request.get("status")
        if status is not None and status not in _FOIA_STATUSES:
            raise ValueError(f"unknown FOIA status {status!r}")
        parsed = _parse(request.get("sent_on"))
        if status in _AWAITING_ANSWER and parsed is not None and parsed.upper is not None:
            foia.append((foia_due(parsed.upper), _is_approximate(parsed)))
    return DeadlineInputs(
        hearing=hearing_input,
        one_year=(one_year.due, one_year.approximate) if one_year else None,
        foia=tuple(sorted(foia)),
        certificates=_certificate_expiries(foia_requests),
    )


def _certificate_expiries(requests: Iterable[Mapping[str, Any]]) -> tuple[tuple[dt.date, bool], ...]:
    """The last valid day of each clearance certificate obtained and not closed (the one of each
    kind that lasts longest: a new one replaces the old), earliest first. Whether one lapses before
    the hearing is judged with today's date (:func:`deadlines_on`: a past hearing is none)."""
    from desktop.requests.tracking import certificate_expiry

    latest: dict[str, tuple[dt.date, bool]] = {}
    for request in requests:
        if request.get("status") == "closed":
            continue
        expiry = certificate_expiry(request.get("certificate"), request.get("issued_on"))
        code = request.get("certificate")
        if expiry is not None and (code not in latest or expiry > latest[code]):
            latest[code] = expiry
    return tuple(sorted(latest.values()))


def deadlines_on(inputs: DeadlineInputs, today: dt.date) -> list[Deadline]:
    """The deadlines of :func:`deadline_inputs` as seen on ``today``, most urgent first."""
    items: list[Deadline] = []
    if inputs.hearing is not None:
        lower, upper, approximate = inputs.hearing
        if upper is None or upper >= today:
            items.append(Deadline("hearing", lower, False, HEARING_LABEL, approximate))
    if inputs.one_year is not None:
        due, approximate = inputs.one_year
        items.append(Deadline("one_year", due, today > due, ONE_YEAR_LABEL, approximate))
    for due, approximate in inputs.foia:
        items.append(Deadline("foia", due, today > due, FOIA_LABEL, approximate))
    hearing_ahead = None
    if inputs.hearing is not None and (inputs.hearing[1] is None or inputs.hearing[1] >= today):
        hearing_ahead = inputs.hearing[0]
    for due, approximate in inputs.certificates:
        if hearing_ahead is None or due < hearing_ahead:  # it lapses before the hearing (or none is set)
            items.append(Deadline("certificate", due, today > due, CERTIFICATE_LABEL, approximate))
    return sorted(items, key=lambda item: (not item.overdue, item.due))


def client_deadlines(
    proceedings: Mapping[str, Any] | None,
    foia_requests: Iterable[Mapping[str, Any]],
    today: dt.date,
) -> list[Deadline]:
    """A client's dated items, overdue ones first (oldest first), then the others by date.

    ``proceedings`` and ``foia_requests`` are shaped like the case file (``last_arrival``,
    ``next_hearing``; ``sent_on``, ``status``). What is listed:

    - the next hearing, unless its last possible day is before ``today`` (a past hearing is no
      deadline); an imprecise hearing date is listed at its earliest day, and never overdue;
    - the one-year asylum deadline until an asylum application is recorded as filed
      (``asylum_filed_on``), also once it has passed (then overdue): a missed deadline shapes the
      case (the exceptions of INA § 208(a)(2)(D) must be argued);
    - each FOIA request whose answer the agency still owes (status "pending" or none), overdue
      once its due date has passed. Drafts, answered, appealed and closed requests are left out:
      an appeal runs on a clock of its own that starts when the agency receives the appeal,
      which the case file does not record;
    - the last valid day of each clearance certificate obtained (its issue date plus the country's
      validity, desktop.requests.tracking) when it lapses before the next hearing, or at all when no
      hearing is set; overdue once it has lapsed. Only the latest issued certificate of each kind
      counts: a new one replaces the old.

    Raises :class:`~desktop.errors.ValidationError` for a stored date that is not EDTF.
    """
    return deadlines_on(deadline_inputs(proceedings, foia_requests), today)


def next_deadline(
    proceedings: Mapping[str, Any] | None,
    foia_requests: Iterable[Mapping[str, Any]],
    today: dt.date,
) -> Deadline | None:
    """The first item of :func:`client_deadlines`: the most overdue one, else the next one."""
    items = client_deadlines(proceedings, foia_requests, today)
    return items[0] if items else None


# ---------------------------------------------------------------------------------------------
# Helpers


def _parse(value: str | None) -> ParsedDate | None:
    """A stored EDTF value, or None when the field is empty."""
    if value is None or not value.strip():
        return None
    return parse_edtf(value)


def _is_approximate(parsed: ParsedDate) -> bool:
    """Whether a date is anything but one exact, certain day."""
    return parsed.precision != "day" or parsed.approximate or parsed.uncertain
