"""Federal holidays, business days, FOIA and one-year deadlines, and a client's next deadline.

Expected holidays are OPM's published lists (opm.gov, "Federal Holidays"); expected due dates are
counted by hand in the comments next to them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.case.deadlines import (
    FOIA_LABEL,
    HEARING_LABEL,
    ONE_YEAR_LABEL,
    Deadline,
    add_business_days,
    business_days_between,
    client_deadlines,
    federal_holidays,
    foia_deadline,
    foia_due,
    foia_extended_due,
    is_business_day,
    next_business_day,
    next_deadline,
    one_year_deadline,
)
from desktop.errors import ValidationError

D = date.fromisoformat

# ---------------------------------------------------------------------------------------------
# Holidays


@pytest.mark.parametrize(
    ("year", "observed"),
    [
        (
            2024,
            "01-01 01-15 02-19 05-27 06-19 07-04 09-02 10-14 11-11 11-28 12-25",
        ),
        (
            2025,
            "01-01 01-20 02-17 05-26 06-19 07-04 09-01 10-13 11-11 11-27 12-25",
        ),
        # July 4, 2026 is a Saturday: observed Friday July 3.
        (
            2026,
            "01-01 01-19 02-16 05-25 06-19 07-03 09-07 10-12 11-11 11-26 12-25",
        ),
        # Sunday January 1 observed on Monday January 2; Saturday November 11 on Friday 10.
        (
            2023,
            "01-02 01-16 02-20 05-29 06-19 07-04 09-04 10-09 11-10 11-23 12-25",
        ),
    ],
)
def test_federal_holidays_match_opm(year, observed):
    expected = [D(f"{year}-{md}") for md in observed.split()]
    assert list(federal_holidays(year)) == expected


def test_new_years_day_on_a_saturday_is_observed_the_friday_before():
    holidays_2022 = federal_holidays(2022)
    assert holidays_2022[D("2021-12-31")] == "New Year's Day"
    assert D("2022-01-01") not in holidays_2022
    assert D("2021-12-31") not in federal_holidays(2021)
    assert len(holidays_2022) == 11
    assert not is_business_day(D("2021-12-31"))
    assert not is_business_day(D("2022-06-20"))  # Juneteenth, Sunday the 19th
    assert not is_business_day(D("2022-12-26"))  # Christmas, a Sunday


def test_holiday_names_and_juneteenth_start():
    holidays = federal_holidays(2024)
    assert holidays[D("2024-01-15")] == "Birthday of Martin Luther King, Jr."
    assert holidays[D("2024-02-19")] == "Washington's Birthday"
    assert holidays[D("2024-06-19")] == "Juneteenth National Independence Day"
    assert holidays[D("2024-11-28")] == "Thanksgiving Day"
    # Juneteenth became a holiday in June 2021 (observed Friday June 18); not before.
    assert D("2021-06-18") in federal_holidays(2021)
    assert len(federal_holidays(2020)) == 10
    assert not any(d.month == 6 for d in federal_holidays(2020))


def test_holiday_names_are_marked_for_translation():
    from babel.messages.extract import extract_from_file

    import desktop.case.deadlines

    msgids = {m for _line, m, _c, _ctx in extract_from_file("python", desktop.case.deadlines.__file__)}
    assert set(federal_holidays(2024).values()) <= msgids
    assert {HEARING_LABEL, ONE_YEAR_LABEL, FOIA_LABEL} <= msgids


# ---------------------------------------------------------------------------------------------
# Business days


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-05-24", True),  # Friday
        ("2024-05-25", False),  # Saturday
        ("2024-05-26", False),  # Sunday
        ("2024-05-27", False),  # Memorial Day
        ("2024-11-29", True),  # the day after Thanksgiving is not a federal holiday
        ("2026-07-03", False),  # Independence Day observed
        ("2026-07-06", True),
    ],
)
def test_is_business_day(day, expected):
    assert is_business_day(D(day)) is expected


def test_next_business_day():
    assert next_business_day(D("2024-05-24")) == D("2024-05-24")
    assert next_business_day(D("2024-05-25")) == D("2024-05-28")  # over Memorial Day
    assert next_business_day(D("2021-12-31")) == D("2022-01-03")


def test_add_business_days():
    assert add_business_days(D("2024-05-24"), 0) == D("2024-05-24")
    assert add_business_days(D("2024-05-24"), 1) == D("2024-05-28")  # Fri + 1, Memorial Day
    assert add_business_days(D("2024-05-25"), 1) == D("2024-05-28")  # from a Saturday
    assert add_business_days(D("2021-12-30"), 1) == D("2022-01-03")
    with pytest.raises(ValueError):
        add_business_days(D("2024-05-24"), -1)


def test_business_days_between():
    assert business_days_between(D("2024-05-24"), D("2024-05-24")) == 0
    assert business_days_between(D("2024-05-24"), D("2024-05-28")) == 1
    assert business_days_between(D("2024-05-28"), D("2024-05-24")) == -1
    assert business_days_between(D("2024-05-25"), D("2024-05-27")) == 0
    # All of 2024: 262 weekdays less 11 holidays, none on a weekend.
    assert business_days_between(D("2023-12-31"), D("2024-12-31")) == 251


def test_business_day_arithmetic_agrees_with_day_by_day_counting():
    start = D("2021-12-20")
    for offset in range(0, 800, 7):
        end = start + timedelta(days=offset)
        days = [start + timedelta(days=i) for i in range(1, offset + 1)]
        count = sum(is_business_day(d) for d in days)
        assert business_days_between(start, end) == count
        if is_business_day(end) and end > start:
            assert add_business_days(start, count) == end


# ---------------------------------------------------------------------------------------------
# FOIA


def test_foia_due_counts_working_days_over_memorial_day():
    # Sent Monday 2024-05-20. Working days: May 21-24 (1-4), May 27 Memorial Day skipped,
    # May 28-31 (5-8), Jun 3-7 (9-13), Jun 10-14 (14-18), Jun 17 (19), Jun 18 (20).
    assert foia_due(D("2024-05-20")) == D("2024-06-18")
    # Extension to 30: Jun 19 Juneteenth skipped, Jun 20-21 (21-22), Jun 24-28 (23-27),
    # Jul 1-3 (28-30).
    assert foia_extended_due(D("2024-05-20")) == D("2024-07-03")


def test_foia_due_with_memorial_day_and_juneteenth_inside():
    # Sent Wednesday 2024-05-22: May 23-24 (1-2), May 28-31 (3-6), Jun 3-7 (7-11),
    # Jun 10-14 (12-16), Jun 17-18 (17-18), Jun 19 skipped, Jun 20-21 (19-20).
    assert foia_due(D("2024-05-22")) == D("2024-06-21")


def test_foia_sent_on_a_weekend_starts_counting_on_monday():
    # Sent Saturday 2024-06-01: Jun 3-7 (1-5), 10-14 (6-10), 17-18 (11-12), 19 skipped,
    # 20-21 (13-14), 24-28 (15-19), Jul 1 (20).
    assert foia_due(D("2024-06-01")) == D("2024-07-01")


@pytest.mark.parametrize(
    ("today", "overdue", "days_left"),
    [
        ("2024-05-20", False, 20),
        ("2024-06-14", False, 2),  # Friday; Jun 17 and 18 left
        ("2024-06-18", False, 0),  # the due day itself
        ("2024-06-19", True, -1),  # Juneteenth: late, by at least one day
        ("2024-06-20", True, -1),
        ("2024-06-21", True, -2),
        ("2024-06-24", True, -3),  # Monday after the weekend
    ],
)
def test_foia_deadline_pending(today, overdue, days_left):
    result = foia_deadline("2024-05-20", "pending", D(today))
    assert result is not None
    assert result.due == D("2024-06-18")
    assert result.extended_due == D("2024-07-03")
    assert (result.overdue, result.days_left) == (overdue, days_left)
    assert result.approximate is False


@pytest.mark.parametrize("status", ["received", "closed", "appealed"])
def test_foia_answered_or_appealed_is_never_overdue(status):
    result = foia_deadline("2024-05-20", status, D("2024-09-01"))
    assert result is not None and result.due == D("2024-06-18")
    assert result.overdue is False
    assert result.days_left < 0


def test_foia_without_status_counts_as_pending():
    result = foia_deadline("2024-05-20", None, D("2024-07-01"))
    assert result is not None and result.overdue is True


def test_foia_without_a_due_date():
    assert foia_deadline("2024-05-20", "draft", D("2024-09-01")) is None
    assert foia_deadline(None, "pending", D("2024-09-01")) is None
    assert foia_deadline("  ", "pending", D("2024-09-01")) is None
    assert foia_deadline("2024-05/..", "pending", D("2024-09-01")) is None


def test_foia_imprecise_date_counts_from_the_latest_day():
    # '2024-05' may be May 31 (a Friday): Jun 3-7 (1-5), 10-14 (6-10), 17-18 (11-12),
    # 19 skipped, 20-21 (13-14), 24-28 (15-19), Jul 1 (20).
    result = foia_deadline("2024-05", "pending", D("2024-06-28"))
    assert result is not None
    assert result.due == D("2024-07-01")
    assert result.approximate is True
    assert result.overdue is False
    assert foia_deadline("2024-05-20~", "pending", D("2024-06-01")).approximate is True


def test_foia_bad_input():
    with pytest.raises(ValueError):
        foia_deadline("2024-05-20", "lost", D("2024-06-01"))
    with pytest.raises(ValidationError):
        foia_deadline("May 20", "pending", D("2024-06-01"))


# ---------------------------------------------------------------------------------------------
# One-year deadline


@pytest.mark.parametrize(
    ("arrival", "due"),
    [
        ("2024-04-28", "2025-04-28"),  # a Monday
        ("2024-07-04", "2025-07-07"),  # Friday July 4, 2025 is a holiday: Monday
        ("2024-06-14", "2025-06-16"),  # Saturday: Monday
        ("2025-07-04", "2026-07-06"),  # Saturday July 4, 2026, observed Friday: Monday
        ("2024-11-28", "2025-11-28"),  # the Friday after Thanksgiving is a business day
        ("2024-12-31", "2025-12-31"),  # a Wednesday
        ("2020-12-31", "2022-01-03"),  # Fri Dec 31, 2021 is New Year's Day observed
        ("2024-02-29", "2025-02-28"),  # leap day: the earlier day, a Friday
        ("1995-06-01", "1998-04-01"),  # counted from April 1, 1997
    ],
)
def test_one_year_deadline(arrival, due):
    result = one_year_deadline(arrival)
    assert result is not None
    assert result.due == D(due)
    assert result.approximate is False
    assert result.arrival_lower == result.arrival_upper == D(arrival)


def test_one_year_deadline_imprecise_arrival_uses_the_earliest_day():
    result = one_year_deadline("2024-04")
    assert result is not None
    assert result.due == D("2025-04-01")
    assert result.approximate is True
    assert (result.arrival_lower, result.arrival_upper) == (D("2024-04-01"), D("2024-04-30"))
    # Summer 2023 (season 22) starts June 1; June 1, 2024 is a Saturday.
    assert one_year_deadline("2023-22").due == D("2024-06-03")
    assert one_year_deadline("2024-04-28?").approximate is True


def test_one_year_deadline_without_an_earliest_day():
    assert one_year_deadline(None) is None
    assert one_year_deadline("") is None
    assert one_year_deadline("../2011") is None
    open_end = one_year_deadline("2011/..")
    assert open_end is not None and open_end.arrival_upper is None
    assert open_end.due == D("2012-01-03")  # Jan 1, 2012 a Sunday, observed Monday Jan 2


# ---------------------------------------------------------------------------------------------
# A client's deadlines

PROCEEDINGS = {"last_arrival": "2024-04-28", "next_hearing": "2024-08-14"}


def test_next_deadline_is_the_hearing_before_anything_else():
    foia = [{"sent_on": "2024-07-01", "status": "pending"}]  # due 2024-07-30
    assert next_deadline(PROCEEDINGS, foia, D("2024-07-10")) == Deadline(
        "foia", D("2024-07-30"), False, FOIA_LABEL
    )
    assert next_deadline(PROCEEDINGS, [], D("2024-07-10")) == Deadline(
        "hearing", D("2024-08-14"), False, HEARING_LABEL
    )


def test_overdue_items_come_first():
    foia = [{"sent_on": "2024-05-20", "status": "pending"}]  # due 2024-06-18
    first = next_deadline(PROCEEDINGS, foia, D("2024-07-10"))
    assert first == Deadline("foia", D("2024-06-18"), True, FOIA_LABEL)
    items = client_deadlines(PROCEEDINGS, foia, D("2024-07-10"))
    assert [i.kind for i in items] == ["foia", "hearing", "one_year"]


def test_past_hearings_are_ignored_and_a_missed_one_year_deadline_stays():
    items = client_deadlines(PROCEEDINGS, [], D("2025-05-01"))
    assert items == [Deadline("one_year", D("2025-04-28"), True, ONE_YEAR_LABEL)]
    # A hearing today is still ahead.
    today = client_deadlines(PROCEEDINGS, [], D("2024-08-14"))
    assert today[0] == Deadline("hearing", D("2024-08-14"), False, HEARING_LABEL)


def test_imprecise_hearing_is_listed_until_its_last_possible_day():
    proceedings = {"next_hearing": "2024-08"}
    listed = next_deadline(proceedings, [], D("2024-08-20"))
    assert listed == Deadline("hearing", D("2024-08-01"), False, HEARING_LABEL, True)
    assert next_deadline(proceedings, [], D("2024-09-01")) is None


def test_only_requests_still_owed_are_listed():
    foia = [
        {"sent_on": "2024-05-20", "status": "received"},
        {"sent_on": "2024-05-20", "status": "closed"},
        {"sent_on": "2024-05-20", "status": "appealed"},
        {"sent_on": None, "status": "draft"},
        {"sent_on": "2024-06-03"},  # no status: pending; due 2024-07-02
    ]
    items = client_deadlines(None, foia, D("2024-06-10"))
    assert items == [Deadline("foia", D("2024-07-02"), False, FOIA_LABEL)]


def test_no_deadlines():
    assert next_deadline(None, [], D("2024-06-10")) is None
    assert next_deadline({"last_arrival": None, "next_hearing": None}, [], D("2024-06-10")) is None


def test_one_year_deadline_is_not_listed_once_asylum_was_filed():
    proceedings = {"last_arrival": "2024-07-16", "asylum_filed_on": "2025-05-30"}
    assert [d.kind for d in client_deadlines(proceedings, [], date(2026, 11, 25))] == []
    del proceedings["asylum_filed_on"]
    overdue = client_deadlines(proceedings, [], date(2026, 11, 25))
    assert [(d.kind, d.overdue) for d in overdue] == [("one_year", True)]
