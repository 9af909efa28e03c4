"""The custody record (issue 22): the chronology in date order, days held counted so they never
overstate ("about" when the start is not a known day), the stays and transfers, the authority DHS
claims, and a release ending the time held."""

from __future__ import annotations

import datetime as dt

from desktop.custody.record import summarize

TODAY = dt.date(2026, 12, 7)


def events(*items: tuple[str, str, dict]) -> list[tuple[str, dict]]:
    return [(f"id-{i}", {"kind": kind, "date": date, **extra}) for i, (kind, date, extra) in enumerate(items)]


def test_josés_record_counts_the_days_since_his_arrest():
    summary = summarize(
        events(
            ("authority", "2026-06-10", {"authority": "235b2A"}),
            ("detention", "2026-06-09", {"facility": "Stewart Detention Center, Lumpkin, GA"}),
            ("apprehension", "2026-06-09", {"agency": "ICE"}),
            ("bond_hearing", "2026-09-03", {"outcome": "no_jurisdiction"}),
        ),
        TODAY,
    )
    assert [e.kind for e in summary.entries] == ["apprehension", "detention", "authority", "bond_hearing"]
    assert summary.detained and summary.since.kind == "apprehension"
    assert summary.days == (TODAY - dt.date(2026, 6, 9)).days == 181 and not summary.approximate
    assert summary.authority == "235b2A"
    assert [s.facility for s in summary.stays] == ["Stewart Detention Center, Lumpkin, GA"]  # one stay
    assert [e.kind for e in summary.requests] == ["bond_hearing"]


def test_a_transfer_ends_one_stay_and_starts_the_next():
    summary = summarize(
        events(
            ("apprehension", "2026-01-14", {"place": "near McAllen, Texas"}),
            ("detention", "2026-01-14", {"facility": "McAllen station"}),
            ("transfer", "2026-01-20", {"facility": "Central Louisiana ICE Processing Center, Jena, LA"}),
        ),
        TODAY,
    )
    assert [s.facility for s in summary.stays] == [
        "McAllen station",
        "Central Louisiana ICE Processing Center, Jena, LA",
    ]
    assert summary.stays[0].end is summary.stays[1].start and summary.stays[1].end is None
    assert summary.transfers == 1 and summary.days == 327


def test_an_approximate_start_is_counted_from_its_latest_day_and_said_about():
    summary = summarize(events(("detention", "2026-06", {}), ("detention", "2026-06~", {})), TODAY)
    assert summary.since.date == "2026-06"
    assert summary.days == (TODAY - dt.date(2026, 6, 30)).days and summary.approximate


def test_a_release_ends_the_time_held_and_a_new_detention_starts_a_new_count():
    released = summarize(events(("detention", "2026-01-10", {}), ("release", "2026-03-01", {})), TODAY)
    assert not released.detained and released.days is None
    assert released.stays[0].end.kind == "release"
    again = summarize(
        events(
            ("detention", "2026-01-10", {}), ("release", "2026-03-01", {}), ("detention", "2026-11-30", {})
        ),
        TODAY,
    )
    assert again.detained and again.since.date == "2026-11-30" and again.days == 7


def test_no_record_and_a_next_deadline():
    summary = summarize([], TODAY, {"date": "2026-12-15", "what": "merits hearing"})
    assert not summary.detained and summary.days is None and summary.authority is None
    assert summary.next_deadline["what"] == "merits hearing"
    assert summarize([], TODAY, {"date": None, "what": "x"}).next_deadline is None
