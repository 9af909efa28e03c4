"""The exhibit's drawing: a broken axis, detail strips, status marks, and nothing overlapping."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bench.chronologies import SIZES, generated_case
from desktop.documents.timeline import timeline_rows
from desktop.documents.timeline_axis import BREAK_WIDTH, Scale, detail_segments, overview_segments, ticks
from desktop.documents.timeline_chart import MAX_DETAILS, WIDTH, Chart
from desktop.documents.timeline_markers import STATUSES, marker_parts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("case-*.json")) + [ROOT / "tests/data/case-ana.json"]


def _chart(case: dict, lang: str = "en") -> Chart:
    return Chart(timeline_rows(case, lang), lang)


def _overlaps(chart: Chart) -> list[tuple[str, str]]:
    boxes = chart.boxes()
    return [(a.label, b.label) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_two_items_overlap_on_generated_chronologies(size: int, lang: str) -> None:
    chart = _chart(generated_case(size), lang)
    assert _overlaps(chart) == []
    for box in chart.boxes():
        assert 0 <= box.left and box.right <= WIDTH, box  # nothing leaves the drawing
    # every event is drawn (one by one or in a run) in the overview
    drawn = sorted(row.number for item in chart.overview.items for row in item.rows)
    assert drawn == list(range(1, size + 1))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_two_items_overlap_on_the_demo_clients(path: Path, lang: str) -> None:
    chart = _chart(json.loads(path.read_text(encoding="utf-8")), lang)
    assert _overlaps(chart) == []
    # the demo chronologies are small: every event is drawn on its own somewhere
    singles = {item.rows[0].number for strip in chart.strips for item in strip.items if not item.is_run}
    assert singles == {row.number for row in chart.rows}


def test_the_boxes_would_catch_an_overlap() -> None:
    """The geometry check is not vacuous: two items forced into one lane at one place overlap."""
    chart = _chart(generated_case(30))
    a, b = chart.overview.items[3], chart.overview.items[4]
    b.lane, b.left, b.right = a.lane, a.left, a.right
    assert _overlaps(chart)


def _birth_and_ten_recent() -> dict:
    case = generated_case(5)
    events = [{**case["events"][0], "id": "ev-birth", "date": "1988-05-02"}]
    for i, date in enumerate(
        [
            "2024-01-15",
            "2024-02",
            "2024-03-03",
            "2024-05-20",
            "2024-07",
            "2024-09-09",
            "2024-11-30",
            "2025-01-04",
            "2025-03",
            "2025-06-18",
        ]
    ):
        events.append({**case["events"][1], "id": f"ev-{i}", "date": date})
    case["events"] = events
    return case


def test_a_long_empty_stretch_is_left_out_of_the_axis() -> None:
    chart = _chart(_birth_and_ten_recent())
    scale = chart.overview.scale
    assert [(s.start, s.end) for s in scale.segments] == [
        (dt.date(1988, 1, 1), dt.date(1989, 1, 1)),
        (dt.date(2024, 1, 1), dt.date(2026, 1, 1)),
    ]
    assert len(scale.breaks) == 1
    recent = [item.x0 for item in chart.overview.items if item.rows[0].number > 1]
    # the ten events of 2024-25 spread over most of the width instead of one column
    assert max(recent) - min(recent) > 150  # 17 months; on an unbroken axis under 25 points
    assert chart.overview.lanes <= 2
    assert "break" in chart.features()


def test_without_the_break_the_recent_events_would_crowd() -> None:
    """The same events on one unbroken axis (37 years) fall within a few points of each other."""
    scale = Scale([(dt.date(1988, 1, 1), dt.date(2026, 1, 1))], 16, WIDTH - 16)
    xs = [scale.x(d) for d in (dt.date(2024, 1, 15), dt.date(2025, 6, 18))]
    assert xs[1] - xs[0] < 25


def test_scale_is_monotonic_across_breaks() -> None:
    periods = overview_segments(
        [(dt.date(1990, 3, 1), dt.date(1990, 3, 1)), (dt.date(2020, 1, 1), dt.date(2021, 5, 1))]
    )
    scale = Scale(periods, 10, 400)
    days = [dt.date(1989, 6, 1) + dt.timedelta(days=n * 40) for n in range(300)]
    xs = [scale.x(d) for d in days]
    assert xs == sorted(xs) and xs[0] >= 10 and xs[-1] <= 400
    first, second = scale.segments
    assert second.x0 - first.x1 == pytest.approx(BREAK_WIDTH)
    # the same number of days takes the same width in both segments (one scale)
    assert scale.x(dt.date(1990, 2, 1)) - scale.x(dt.date(1990, 1, 1)) == pytest.approx(
        scale.x(dt.date(2020, 2, 1)) - scale.x(dt.date(2020, 1, 1))
    )


def test_short_gaps_are_not_broken() -> None:
    periods = overview_segments(
        [(dt.date(2015, 1, 1), dt.date(2015, 1, 1)), (dt.date(2017, 6, 1), dt.date(2017, 6, 1))]
    )
    assert periods == [(dt.date(2015, 1, 1), dt.date(2018, 1, 1))]


def test_detail_periods_cover_their_days_and_leave_out_empty_weeks() -> None:
    days = [dt.date(2024, 3, d) for d in (1, 2, 5, 9)] + [dt.date(2024, 11, d) for d in (3, 4, 9)]
    periods = detail_segments(days)
    assert len(periods) == 2
    for day in days:
        assert any(start <= day < end for start, end in periods)


def test_tick_labels_never_crowd() -> None:
    for size in SIZES:
        chart = _chart(generated_case(size))
        for strip in chart.strips:
            xs = [strip.scale.x(t.day) for t in ticks(strip.scale, 30) if t.labelled]
            assert all(b - a >= 30 - 1e-6 for a, b in zip(xs, xs[1:], strict=False))
            assert xs, "every drawing has at least one dated label"


def test_dense_periods_get_detail_strips() -> None:
    chart = _chart(generated_case(300))
    assert 1 <= len(chart.details) <= MAX_DETAILS
    for strip in chart.details:
        for row in strip.rows:
            assert row.date.lower is not None and strip.scale.contains(row.date.lower)
    detailed = {
        row.number for strip in chart.details for item in strip.items if not item.is_run for row in item.rows
    }
    overview_singles = {item.rows[0].number for item in chart.overview.items if not item.is_run}
    # the details draw one by one many events the overview could only draw in runs
    assert len(detailed - overview_singles) > 50


def test_each_status_has_its_own_mark() -> None:
    looks = {}
    for status in STATUSES:
        parts = marker_parts("border", status, 10, 10, 3.6)
        looks[status] = tuple((p.kind, str(p.fill), str(p.stroke)) for p in parts)
    assert len(set(looks.values())) == len(STATUSES)
    kinds = {status: [p.kind for p in marker_parts("background", status, 0, 0, 3)] for status in STATUSES}
    assert "frame" in kinds["government_allegation"] and "frame" not in kinds["documented"]
    assert "wedge" in kinds["disputed"]
    documented, account = (
        marker_parts("persecution", s, 0, 0, 3)[0] for s in ("documented", "client_account")
    )
    assert str(documented.fill) != str(account.fill)  # solid against outlined


def test_an_unknown_status_is_never_drawn_as_documented() -> None:
    unknown = marker_parts("border", "proved-by-rumour", 0, 0, 3)
    assert unknown == marker_parts("border", "client_account", 0, 0, 3)
