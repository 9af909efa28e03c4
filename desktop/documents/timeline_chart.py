"""The to-scale drawing of the chronology exhibit: an overview, detail strips and the legend.

This module imports reportlab; :mod:`desktop.documents.timeline` imports it only to render.

**The overview** covers every event on one axis (:mod:`desktop.documents.timeline_axis`): whole
years, at one scale, with long empty stretches left out behind a break mark, so a birth in 1988
does not squeeze ten events of 2024-25 into one column. Each event is a marker at its earliest
possible day, numbered with its No. in the table; a date that is not a single day adds a bar to
its latest possible day (dashed when the date is approximate or uncertain, which its number also
says with "~" or "?"); an open or unknown end, or a bar that runs past the drawing, ends in an
arrow. Shape and colour say the category, the fill says the status
(:mod:`desktop.documents.timeline_markers`).

Markers are packed in lanes above the axis so that no marker, bar or number touches another.
Where even :data:`MAX_LANES` lanes are not enough, consecutive events become one *run*: a bracket
labelled with their numbers ("12–40"). **Detail strips** then draw each run's events on an axis of
their own (days or weeks), up to :data:`MAX_DETAILS` of them; what is still too dense there stays
a run, and the table has every event. :meth:`Chart.boxes` gives the area every item takes, so
tests can prove that nothing overlaps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date, format_interval, format_skeleton
from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from desktop.documents.layout import MARGIN, PAGE_SIZE, document_styles, table_style, text
from desktop.documents.timeline import TimelineRow
from desktop.documents.timeline_axis import Scale, Tick, detail_segments, overview_segments, ticks
from desktop.documents.timeline_markers import (
    CATEGORIES,
    CATEGORY_LABELS,
    FRAME,
    STATUSES,
    look,
    marker,
    status_label,
    status_of,
)
from desktop.i18n import N_, babel_locale, translator

__all__ = ["MAX_DETAILS", "MAX_LANES", "Box", "Chart", "legend"]

LEGEND_RANGE = N_("Not a single day: bar from the earliest to the latest possible date")
LEGEND_APPROXIMATE = N_("Approximate date: ~ after the number, dashed bar")
LEGEND_UNCERTAIN = N_("Uncertain date: ? after the number, dashed bar")
LEGEND_OPEN = N_("Arrow: the start or end is open, unknown, or beyond the drawing")
LEGEND_CLUSTER = N_(
    "Events too close together to draw one by one (e.g. 12–40): see the details and the table"
)
LEGEND_BREAK = N_("Broken axis: the years between are left out")
# Translators: heading of a detail strip of the chronology; {first}–{last} are event numbers,
# {period} a range of dates such as "1–21 March 2024".
DETAIL_HEADING = N_("Events {first}–{last} in detail ({period})")

WIDTH = PAGE_SIZE[0] - 2 * MARGIN
MAX_LANES = 16
MAX_DETAILS = 6
_CROWDED = 4  # events stacked in this many lanes of the overview (or in a run) get a detail strip
_PAD = 16.0  # room left and right of the axis for arrows and labels
_R = 3.6  # marker radius
_HALF = _R + FRAME + 0.3  # half the width a marker takes, its frame included
_LANE = 17.0  # distance between lanes
_AXIS_Y = 18.0
_FIRST_LANE = 11.0  # from the axis to the centre of lane 0
_GAP = 2.5  # between two items of a lane
_ARROW = 6.0
_LABEL_SIZE = 7.0
_TICK_SIZE = 7.0
_MIN_LABEL_GAP = 30.0  # between two tick labels
_GREY = colors.Color(0.35, 0.35, 0.35)
_GRID = colors.Color(0.86, 0.86, 0.86)


@dataclass
class _Item:
    """One thing drawn in a lane: an event, or a run of events too close to draw one by one."""

    rows: list[TimelineRow]
    x0: float  # the (first) marker
    x1: float  # end of the bar, or the last marker of a run
    label: str
    left: float = 0.0  # horizontal extent, label and arrows included
    right: float = 0.0
    lane: int = 0
    arrow_left: bool = False
    arrow_right: bool = False

    @property
    def is_run(self) -> bool:
        return len(self.rows) > 1

    @property
    def last_marker(self) -> float:
        return self.x1 if self.is_run else self.x0


@dataclass(frozen=True)
class Box:
    """The area one item takes in one drawing, in the drawing's points."""

    strip: int
    label: str
    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.strip == other.strip
            and self.left < other.right
            and other.left < self.right
            and self.bottom < other.top
            and other.bottom < self.top
        )


@dataclass
class _Strip:
    """One drawing: a scale and the events placed on it."""

    scale: Scale
    rows: list[TimelineRow]
    lang: str
    detail: bool = False  # a detail strip: bars stop at the end of their own segment
    items: list[_Item] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.items = self._place()

    # -- placing ---------------------------------------------------------------------------------
    def _single(self, row: TimelineRow) -> _Item:
        lower, upper = row.date.lower, row.date.upper
        scale = self.scale
        x0 = scale.x(lower) if lower else scale.left
        x1 = scale.x_after(upper) if upper else scale.right
        past_end = upper is None or upper >= scale.end
        if self.detail and lower:
            segment = scale.segment_of(lower)
            if upper is None or upper >= segment.end:
                x1, past_end = segment.x1, True
        before_start = lower is None or lower < scale.start
        label = f"{row.number}{'~' if row.date.approximate else ''}{'?' if row.date.uncertain else ''}"
        half = max(_HALF, stringWidth(label, _label_font(), _LABEL_SIZE) / 2)
        item = _Item([row], x0, x1, label, arrow_left=before_start, arrow_right=past_end and x1 > x0 + 0.5)
        item.left = x0 - half - (_ARROW + 1 if before_start else 0)
        item.right = max(x0 + half, x1 + (_ARROW if item.arrow_right else 0))
        return item

    def _run(self, parts: list[_Item]) -> _Item:
        """One item for the events of ``parts`` (events or runs, consecutive in the table)."""
        rows = [row for part in parts for row in part.rows]
        label = f"{rows[0].number}–{rows[-1].number}"
        item = _Item(rows, parts[0].x0, max(part.last_marker for part in parts), label)
        middle = (item.x0 + item.x1) / 2
        half = stringWidth(label, _label_font(), _LABEL_SIZE) / 2
        item.left = min(item.x0 - _R, middle - half)
        item.right = max(item.x1 + _R, middle + half)
        return item

    def _place(self) -> list[_Item]:
        """The items, each in the lowest lane where it touches nothing.

        When all :data:`MAX_LANES` lanes are taken where an item must go, that item and the one
        before it become a run, and placing resumes from the run: runs grow only where the
        drawing is crowded. Items come in chronological order, nearly sorted by their left end.
        """
        items = [self._single(row) for row in self.rows]
        ends: list[float] = []  # per lane, the right end of its last item
        ends_before: list[list[float]] = []  # ends as they were before items[i] was placed
        i = 0
        while i < len(items):
            item = items[i]
            lane = next((n for n, end in enumerate(ends) if end + _GAP <= item.left), None)
            if lane is None and len(ends) == MAX_LANES:
                items[i - 1 : i + 1] = [self._run(items[i - 1 : i + 1])]
                i -= 1
                ends = ends_before.pop()
                continue
            ends_before.append(list(ends))
            if lane is None:
                lane = len(ends)
                ends.append(item.right)
            item.lane = lane
            ends[lane] = item.right
            i += 1
        return items

    @property
    def lanes(self) -> int:
        return max(item.lane for item in self.items) + 1

    @property
    def height(self) -> float:
        return _AXIS_Y + _FIRST_LANE + self.lanes * _LANE

    def y(self, item: _Item) -> float:
        return _AXIS_Y + _FIRST_LANE + item.lane * _LANE

    def boxes(self, strip: int) -> list[Box]:
        out = []
        for item in self.items:
            y = self.y(item)
            top = y + _R + 2.2 + _LABEL_SIZE * 0.75
            out.append(Box(strip, item.label, item.left, y - _HALF, item.right, top))
        return out

    # -- drawing ---------------------------------------------------------------------------------
    def drawing(self) -> Drawing:
        drawing = _drawing(WIDTH, self.height)
        drawing.add(self._axis(self.height))
        for item in self.items:
            drawing.add(self._draw_item(item))
        return drawing

    def _axis(self, height: float) -> Group:
        group = Group()
        scale = self.scale
        for seg in scale.segments:
            group.add(Line(seg.x0, _AXIS_Y, seg.x1, _AXIS_Y, strokeColor=colors.black, strokeWidth=0.8))
        for x in scale.breaks:
            group.add(_break_mark(x, _AXIS_Y))
        font = document_styles().fonts.sans
        last_right = -1e9
        segment_labelled: set[int] = set()
        for tick in ticks(scale, _MIN_LABEL_GAP):
            x = scale.x(tick.day)
            segment = scale.segments.index(scale.segment_of(tick.day))
            label = self._tick_label(tick, with_year=self.detail and segment not in segment_labelled)
            width = stringWidth(label, font, _TICK_SIZE)
            if not tick.labelled or x - width / 2 < last_right + 4:  # a label never touches another
                group.add(Line(x, _AXIS_Y, x, _AXIS_Y - 2, strokeColor=_GREY, strokeWidth=0.4))
                continue
            segment_labelled.add(segment)
            last_right = x + width / 2
            group.add(Line(x, _AXIS_Y + 1, x, height, strokeColor=_GRID, strokeWidth=0.4))
            group.add(Line(x, _AXIS_Y, x, _AXIS_Y - 4, strokeColor=colors.black, strokeWidth=0.6))
            group.add(String(x, _AXIS_Y - 12, label, fontName=font, fontSize=_TICK_SIZE, textAnchor="middle"))
        return group

    def _tick_label(self, tick: Tick, *, with_year: bool = False) -> str:
        """The label of a tick; ``with_year`` for the first label of a detail's period."""
        locale = babel_locale(self.lang)
        day = tick.day
        if tick.level == "year" or (tick.level in ("month", "quarter") and day.month == 1):
            return str(day.year)
        if tick.level in ("month", "quarter"):
            if with_year:
                return format_skeleton("yMMM", day, locale=locale)
            return format_date(day, "LLL", locale=locale).rstrip(".")
        return format_skeleton("yMMMd" if with_year else "MMMd", day, locale=locale)

    def _draw_item(self, item: _Item) -> Group:
        group = Group()
        y = self.y(item)
        label_x = item.x0
        if item.is_run:
            x0, x1 = item.x0, max(item.x1, item.x0 + 1)
            group.add(Line(x0, y, x1, y, strokeColor=_GREY, strokeWidth=1.2))
            for x in (x0, x1):
                group.add(Line(x, y - _R, x, y + _R * 0.6, strokeColor=_GREY, strokeWidth=1))
            label_x = (x0 + x1) / 2
        else:
            row = item.rows[0]
            colour = look(row.category)[1]
            inexact = row.date.approximate or row.date.uncertain
            if item.x1 > item.x0 + 0.5:
                group.add(_bar(item.x0, item.x1, y, colour, dashed=inexact))
            if item.arrow_left:
                group.add(_arrow(item.x0 - _HALF - 1 - _ARROW, y, -1, colour))
            if item.arrow_right:
                group.add(_arrow(item.x1 + _ARROW, y, 1, colour))
            group.add(marker(row.category, row.status, item.x0, y, _R))
        group.add(
            String(
                label_x,
                y + _R + 2.2,
                item.label,
                fontName=_label_font(),
                fontSize=_LABEL_SIZE,
                textAnchor="middle",
            )
        )
        return group


class Chart:
    """The overview of every event, and detail strips for the runs it had to make."""

    def __init__(self, rows: list[TimelineRow], lang: str) -> None:
        self.rows = rows
        self.lang = lang
        spans = [(d, d) for row in rows for d in (row.date.lower, row.date.upper) if d is not None]
        closed = [(row.date.lower, row.date.upper) for row in rows if row.date.lower and row.date.upper]
        scale = Scale(overview_segments([*spans, *closed]), _PAD, WIDTH - _PAD)  # type: ignore[list-item]
        self.overview = _Strip(scale, rows, lang)
        self.details: list[_Strip] = []
        lanes: dict[int, set[int]] = {}  # event number: the overview lanes its item takes
        for item in self.overview.items:
            for row in item.rows:
                lanes.setdefault(row.number, set()).add(-1 if item.is_run else item.lane)
        groups = [
            group
            for group in self._crowded()
            if len(group) >= _CROWDED
            and (
                -1 in (taken := set().union(*(lanes[row.number] for row in group))) or len(taken) >= _CROWDED
            )
        ]
        if len(groups) > MAX_DETAILS:  # the largest, in chronological order
            groups = sorted(sorted(groups, key=len, reverse=True)[:MAX_DETAILS], key=lambda g: g[0].number)
        for members in groups:
            self.details += self._detail(members, split=True)
        if len(self.details) > MAX_DETAILS:
            kept = sorted(self.details, key=lambda strip: len(strip.rows), reverse=True)[:MAX_DETAILS]
            self.details = [strip for strip in self.details if strip in kept]

    def _detail(self, members: list[TimelineRow], *, split: bool) -> list[_Strip]:
        """A strip for ``members``; when it is still crowded (it has runs) and made of several
        periods, one strip per period instead."""
        periods = detail_segments(row.date.lower for row in members)  # type: ignore[misc]
        strip = _Strip(Scale(periods, _PAD, WIDTH - _PAD), members, self.lang, detail=True)
        if not split or len(periods) == 1 or not any(item.is_run for item in strip.items):
            return [strip]
        parts: list[list[TimelineRow]] = [[] for _ in periods]
        for row in members:
            assert row.date.lower is not None
            parts[strip.scale.segments.index(strip.scale.segment_of(row.date.lower))].append(row)
        return [s for part in parts if part for s in self._detail(part, split=False)]

    def _crowded(self) -> list[list[TimelineRow]]:
        """The events with a known start, in groups whose markers fall too close together on the
        overview to sit side by side (they stack in a column, or become runs)."""
        groups: list[list[TimelineRow]] = []
        last_x = None
        for row in self.rows:
            if row.date.lower is None:
                continue
            x = self.overview.scale.x(row.date.lower)
            if last_x is None or x - last_x >= 2 * _HALF + _GAP:
                groups.append([])
            groups[-1].append(row)
            last_x = x
        return groups

    @property
    def strips(self) -> list[_Strip]:
        return [self.overview, *self.details]

    @property
    def items(self) -> list[_Item]:
        """The overview's items (what the legend describes first)."""
        return self.overview.items

    def drawing(self) -> Drawing:
        return self.overview.drawing()

    def detail_flowables(self, heading_style: Any) -> list[Flowable]:
        """A heading and a drawing per detail strip, each kept together."""
        t = translator(self.lang)
        out: list[Flowable] = []
        for strip in self.details:
            first, last = strip.rows[0], strip.rows[-1]
            period = _period(strip.scale.start, strip.scale.end - dt.timedelta(days=1), self.lang)
            heading = t(DETAIL_HEADING).format(first=first.number, last=last.number, period=period)
            out.append(KeepTogether([Paragraph(text(heading), heading_style), strip.drawing()]))
        return out

    def boxes(self) -> list[Box]:
        """Every item's area, strip by strip (0 is the overview)."""
        return [box for i, strip in enumerate(self.strips) for box in strip.boxes(i)]

    def features(self) -> set[str]:
        """Which legend entries the drawings need: range, approximate, uncertain, open, run, break."""
        found = set()
        for strip in self.strips:
            if len(strip.scale.segments) > 1:
                found.add("break")
            for item in strip.items:
                if item.is_run:
                    found.add("run")
                    continue
                date = item.rows[0].date
                if date.lower != date.upper:
                    found.add("range")
                if date.approximate:
                    found.add("approximate")
                if date.uncertain:
                    found.add("uncertain")
                if item.arrow_left or item.arrow_right:
                    found.add("open")
        return found

    def categories(self) -> list[str]:
        """The categories drawn, in vocabulary order."""
        drawn = {row.category if row.category in CATEGORIES else "other" for row in self.rows}
        return [c for c in CATEGORIES if c in drawn]

    def statuses(self) -> list[str]:
        """The statuses drawn, in legend order."""
        drawn = {status_of(row.status) for row in self.rows}
        return [s for s in STATUSES if s in drawn]


def _period(first: dt.date, last: dt.date, lang: str) -> str:
    locale = babel_locale(lang)
    if first == last:
        return format_date(first, "long", locale=locale)
    return format_interval(first, last, "yMMMd", locale=locale)


def _label_font() -> str:
    fonts = document_styles().fonts
    return fonts.bold(fonts.sans)


def _bar(x0: float, x1: float, y: float, colour: Any, *, dashed: bool) -> Line:
    return Line(
        x0,
        y,
        x1,
        y,
        strokeColor=colour,
        strokeWidth=3,
        strokeLineCap=0,
        strokeDashArray=[3, 2] if dashed else None,
    )


def _arrow(x: float, y: float, direction: int, colour: Any) -> Polygon:
    """An arrowhead whose tip is at (x, y), pointing left (-1) or right (+1)."""
    back = x - direction * _ARROW
    return Polygon([x, y, back, y + 3.2, back, y - 3.2], fillColor=colour, strokeColor=None)


def _break_mark(x: float, y: float) -> Group:
    """The standard axis break: two short parallel slanted strokes across the axis at ``x``."""
    group = Group()
    for dx in (-2.2, 2.2):
        group.add(Line(x + dx - 2, y - 4.5, x + dx + 2, y + 4.5, strokeColor=colors.black, strokeWidth=0.8))
    return group


def _drawing(width: float, height: float) -> Drawing:
    """An empty drawing whose default font is embedded (reportlab's default is Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = document_styles().fonts.sans
    drawing.initialFontSize = _TICK_SIZE
    return drawing


# -- legend ------------------------------------------------------------------------------------
def _symbol(width: float, *shapes: Any) -> Drawing:
    drawing = _drawing(width, 12)
    for shape in shapes:
        drawing.add(shape)
    return drawing


def legend(chart: Chart, lang: str) -> list[Flowable]:
    """Three small tables: the category shapes drawn, the statuses, the date conventions used."""
    t = translator(lang)
    style = document_styles().legend
    cells = [
        (
            _symbol(14, marker(category, "documented", 7, 6, _R)),
            Paragraph(text(t(CATEGORY_LABELS[category])), style),
        )
        for category in chart.categories()
    ]
    tables = [_grid(cells, columns=4, symbol_width=14)]
    sample = chart.categories()[0]  # the statuses are shown on a marker the drawing uses
    cells = [
        (_symbol(14, marker(sample, status, 7, 6, _R)), Paragraph(text(status_label(status, lang)), style))
        for status in chart.statuses()
    ]
    tables.append(_grid(cells, columns=4, symbol_width=14))
    grey = _GREY
    conventions = {
        "range": ([_bar(4, 24, 6, grey, dashed=False)], LEGEND_RANGE),
        "approximate": ([_bar(4, 24, 6, grey, dashed=True)], LEGEND_APPROXIMATE),
        "uncertain": ([_bar(4, 24, 6, grey, dashed=True)], LEGEND_UNCERTAIN),
        "open": ([_bar(2, 18, 6, grey, dashed=False), _arrow(25, 6, 1, grey)], LEGEND_OPEN),
        "run": (
            [
                Line(3, 6, 23, 6, strokeColor=grey, strokeWidth=1.2),
                Line(3, 2.4, 3, 8, strokeColor=grey),
                Line(23, 2.4, 23, 8, strokeColor=grey),
            ],
            LEGEND_CLUSTER,
        ),
        "break": (
            [
                Line(1, 6, 10, 6, strokeColor=colors.black, strokeWidth=0.8),
                Line(16, 6, 25, 6, strokeColor=colors.black, strokeWidth=0.8),
                _break_mark(13, 6),
            ],
            LEGEND_BREAK,
        ),
    }
    features = chart.features()
    cells = [
        (_symbol(26, *shapes), Paragraph(text(t(msgid)), style))
        for key, (shapes, msgid) in conventions.items()
        if key in features
    ]
    if cells:
        tables.append(_grid(cells, columns=2, symbol_width=26))
    return tables


def _grid(cells: list[tuple[Flowable, Flowable]], *, columns: int, symbol_width: float) -> Table:
    """Legend entries (symbol, text) in rows of ``columns`` entries."""
    rows: list[list[Any]] = []
    for start in range(0, len(cells), columns):
        row: list[Any] = []
        for symbol, label in cells[start : start + columns]:
            row += [symbol, label]
        row += ["", ""] * (columns - len(cells[start : start + columns]))
        rows.append(row)
    text_width = WIDTH / columns - symbol_width - 4
    table = Table(rows, colWidths=[symbol_width + 4, text_width] * columns, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table
