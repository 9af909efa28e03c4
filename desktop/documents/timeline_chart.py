"""The to-scale drawing of the chronology exhibit, its markers and its legend.

This module imports reportlab; :mod:`desktop.documents.timeline` imports it only to render.

The drawing: a horizontal axis from January 1 of the first year any event can fall in to January 1
after the last one (open ends are ignored for the span and drawn as arrows at the edge). Each event
is a marker at its earliest possible day, numbered with its No. in the table; a date that is not a
single day adds a bar to its latest possible day. The marker's shape (and colour) says the category;
an approximate or uncertain date has a hollow marker, a dashed bar and "~"/"?" after its number.
Markers are packed in lanes above the axis so that no number or bar touches another; where even
:data:`MAX_LANES` lanes are not enough, consecutive events are drawn as one run: a bracket with a
dot per event, labelled with their numbers ("12–40").
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

from desktop.case.model import VOCABULARIES
from desktop.documents.layout import MARGIN, PAGE_SIZE, document_styles, table_style, text
from desktop.documents.timeline import TimelineRow
from desktop.i18n import N_, babel_locale, translator

LEGEND_RANGE = N_("Not a single day: bar from the earliest to the latest possible date")
LEGEND_APPROXIMATE = N_("Approximate date (~ after the number): hollow marker, dashed bar")
LEGEND_UNCERTAIN = N_("Uncertain date (? after the number): hollow marker, dashed bar")
LEGEND_OPEN = N_("Open or unknown start or end: arrow at the edge")
LEGEND_CLUSTER = N_("Events too close together to draw one by one (e.g. 12–40): see the table")

WIDTH = PAGE_SIZE[0] - 2 * MARGIN
MAX_LANES = 16
_PAD = 16.0  # room left and right of the axis for arrows and year labels
_R = 3.6  # marker radius
_LANE = 17.0  # distance between lanes
_AXIS_Y = 18.0
_FIRST_LANE = 11.0  # from the axis to the centre of lane 0
_GAP = 2.5  # between two items of a lane
_ARROW = 6.0
_LABEL_SIZE = 6.5
_YEAR_SIZE = 7.0
_MONTH_LABELS = 360.0  # width of a year from which months are named on the axis
_GREY = colors.Color(0.35, 0.35, 0.35)
_GRID = colors.Color(0.86, 0.86, 0.86)
_OUTLINE = colors.Color(0.1, 0.1, 0.1)

# Shape and colour per category: shapes alone tell the categories apart (in black and white too);
# the colours (Okabe-Ito, safe for colour-blind readers) only help.
_LOOKS: dict[str, tuple[str, str]] = {
    "background": ("circle", "#0072B2"),
    "persecution": ("triangle_up", "#D55E00"),
    "flight": ("triangle_right", "#009E73"),
    "border": ("square", "#E69F00"),
    "detention": ("diamond", "#000000"),
    "separation": ("triangle_down", "#CC79A7"),
    "allegation": ("star", "#56B4E9"),
    "legal": ("hourglass", "#555555"),
    "other": ("cross", "#999999"),
}


# -- markers -----------------------------------------------------------------------------------
def look(category: str) -> tuple[str, colors.Color]:
    shape, colour = _LOOKS.get(category, _LOOKS["other"])
    return shape, colors.HexColor(colour)


def polygon_points(shape: str, cx: float, cy: float, r: float) -> list[float]:
    """The corners of a marker shape around (cx, cy), as x, y, x, y, …"""
    if shape == "square":
        s = r * 0.85
        corners = [(-s, -s), (s, -s), (s, s), (-s, s)]
    elif shape == "triangle_up":
        corners = [(0, 1.15 * r), (-r, -0.8 * r), (r, -0.8 * r)]
    elif shape == "triangle_down":
        corners = [(0, -1.15 * r), (-r, 0.8 * r), (r, 0.8 * r)]
    elif shape == "triangle_right":
        corners = [(1.15 * r, 0), (-0.8 * r, r), (-0.8 * r, -r)]
    elif shape == "diamond":
        corners = [(0, 1.2 * r), (r, 0), (0, -1.2 * r), (-r, 0)]
    elif shape == "star":
        corners = [
            (math.cos(a) * rad, math.sin(a) * rad)
            for i in range(10)
            for a, rad in [(math.pi / 2 + i * math.pi / 5, 1.3 * r if i % 2 == 0 else 0.55 * r)]
        ]
    elif shape == "hourglass":  # two triangles meeting at the centre
        corners = [(-r, 1.1 * r), (r, 1.1 * r), (-r, -1.1 * r), (r, -1.1 * r)]
    else:  # cross
        a, w = 1.1 * r, 0.4 * r
        corners = [
            (-w, a),
            (w, a),
            (w, w),
            (a, w),
            (a, -w),
            (w, -w),
            (w, -a),
            (-w, -a),
            (-w, -w),
            (-a, -w),
            (-a, w),
            (-w, w),
        ]
    return [coord for x, y in corners for coord in (cx + x, cy + y)]


def paint(category: str, hollow: bool) -> tuple[Any, Any, float]:
    """Fill colour, stroke colour and stroke width of a marker."""
    colour = look(category)[1]
    if hollow:
        return colors.white, colour, 0.9
    return colour, _OUTLINE, 0.35


def marker(category: str, cx: float, cy: float, r: float = _R, *, hollow: bool = False) -> Any:
    """The marker of ``category`` centred on (cx, cy): filled, or hollow for an inexact date."""
    shape = look(category)[0]
    fill, stroke, width = paint(category, hollow)
    if shape == "circle":
        return Circle(cx, cy, r, fillColor=fill, strokeColor=stroke, strokeWidth=width)
    return Polygon(polygon_points(shape, cx, cy, r), fillColor=fill, strokeColor=stroke, strokeWidth=width)


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


# -- the drawing -------------------------------------------------------------------------------
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

    @property
    def is_run(self) -> bool:
        return len(self.rows) > 1

    @property
    def last_marker(self) -> float:
        return self.x1 if self.is_run else self.x0


class Chart:
    """Scale, lanes and drawing of the events."""

    def __init__(self, rows: list[TimelineRow], lang: str) -> None:
        self.rows = rows
        self.lang = lang
        known = [d for row in rows for d in (row.date.lower, row.date.upper) if d is not None]
        self.start = dt.date(min(known).year, 1, 1)
        self.end = dt.date(max(known).year + 1, 1, 1)
        self.left, self.right = _PAD, WIDTH - _PAD
        self.days = (self.end - self.start).days
        self.items = self._place()

    # positions
    def x(self, day: dt.date) -> float:
        """Where ``day`` starts on the axis."""
        return self.left + (day - self.start).days / self.days * (self.right - self.left)

    def x_after(self, day: dt.date) -> float:
        """Where ``day`` ends on the axis."""
        return self.x(day) + (self.right - self.left) / self.days

    def _single(self, row: TimelineRow) -> _Item:
        lower, upper = row.date.lower, row.date.upper
        x0 = self.x(lower) if lower else self.left
        x1 = self.x_after(upper) if upper else self.right
        label = f"{row.number}{'~' if row.date.approximate else ''}{'?' if row.date.uncertain else ''}"
        half = max(_R + 0.5, stringWidth(label, _label_font(), _LABEL_SIZE) / 2)
        item = _Item([row], x0, x1, label)
        item.left = x0 - half - (_ARROW + 1 if lower is None else 0)
        item.right = max(x0 + half, x1 + (_ARROW if upper is None else 0))
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

    def features(self) -> set[str]:
        """Which legend entries the drawing needs: range, approximate, uncertain, open, run."""
        found = set()
        for item in self.items:
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
            if date.lower is None or date.upper is None:
                found.add("open")
        return found

    def categories(self) -> list[str]:
        """The categories drawn, in vocabulary order."""
        drawn = {
            row.category if row.category in _LOOKS else "other" for item in self.items for row in item.rows
        }
        return [c for c in _LOOKS if c in drawn]

    def drawing(self) -> Drawing:
        height = _AXIS_Y + _FIRST_LANE + self.lanes * _LANE
        drawing = _drawing(WIDTH, height)
        drawing.add(self._axis(height))
        for item in self.items:
            drawing.add(self._draw_item(item))
        return drawing

    def _axis(self, height: float) -> Group:
        group = Group()
        years = self.end.year - self.start.year
        year_width = (self.right - self.left) / years
        step = next(
            s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000) if s * year_width >= 30 or s == 1000
        )
        year_font = document_styles().fonts.sans
        group.add(Line(self.left, _AXIS_Y, self.right, _AXIS_Y, strokeColor=colors.black, strokeWidth=0.8))
        for year in range(self.start.year, self.end.year + 1):
            x = self.x(dt.date(year, 1, 1))
            if year % step == 0 or year_width >= 30:
                group.add(Line(x, _AXIS_Y + 1, x, height, strokeColor=_GRID, strokeWidth=0.4))
                group.add(Line(x, _AXIS_Y, x, _AXIS_Y - 4, strokeColor=colors.black, strokeWidth=0.6))
                group.add(
                    String(
                        x,
                        _AXIS_Y - 12,
                        str(year),
                        fontName=year_font,
                        fontSize=_YEAR_SIZE,
                        textAnchor="middle",
                    )
                )
            elif year_width >= 2.5:
                group.add(Line(x, _AXIS_Y, x, _AXIS_Y - 2, strokeColor=colors.black, strokeWidth=0.4))
            if year_width >= 60 and year < self.end.year:
                for month in range(2, 13):
                    first = dt.date(year, month, 1)
                    xm = self.x(first)
                    group.add(Line(xm, _AXIS_Y, xm, _AXIS_Y - 1.5, strokeColor=_GREY, strokeWidth=0.3))
                    if year_width >= _MONTH_LABELS:  # February to December; January has the year
                        group.add(
                            String(
                                xm + year_width / 24,
                                _AXIS_Y - 12,
                                format_date(first, "MMM", locale=babel_locale(self.lang)),
                                fontName=year_font,
                                fontSize=_LABEL_SIZE,
                                fillColor=_GREY,
                                textAnchor="middle",
                            )
                        )
        return group

    def _draw_item(self, item: _Item) -> Group:
        group = Group()
        y = _AXIS_Y + _FIRST_LANE + item.lane * _LANE
        label_x = item.x0
        if item.is_run:
            x0, x1 = item.x0, max(item.x1, item.x0 + 1)
            group.add(Line(x0, y, x1, y, strokeColor=_GREY, strokeWidth=1.2))
            for x in (x0, x1):
                group.add(Line(x, y - _R, x, y + _R * 0.6, strokeColor=_GREY, strokeWidth=1))
            for member in item.rows:
                lower = member.date.lower
                dot = self.x(lower) if lower else self.left
                group.add(Circle(dot, y, 1.1, fillColor=colors.black, strokeColor=None))
            label_x = (x0 + x1) / 2
        else:
            row = item.rows[0]
            shape_colour = look(row.category)[1]
            inexact = row.date.approximate or row.date.uncertain
            if row.date.lower != row.date.upper:
                group.add(_bar(item.x0, item.x1, y, shape_colour, dashed=inexact))
            if row.date.lower is None:
                group.add(_arrow(item.x0 - _R - 1 - _ARROW, y, -1, shape_colour))
            if row.date.upper is None:
                group.add(_arrow(item.x1 + _ARROW, y, 1, shape_colour))
            group.add(marker(row.category, item.x0, y, hollow=inexact))
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


def _label_font() -> str:
    fonts = document_styles().fonts
    return fonts.bold(fonts.sans)


# -- legend ------------------------------------------------------------------------------------
def _drawing(width: float, height: float) -> Drawing:
    """An empty drawing whose default font is embedded (reportlab's default is Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = document_styles().fonts.sans
    drawing.initialFontSize = _YEAR_SIZE
    return drawing


def _symbol(width: float, *shapes: Any) -> Drawing:
    drawing = _drawing(width, 10)
    for shape in shapes:
        drawing.add(shape)
    return drawing


def legend(chart: Chart, lang: str) -> list[Flowable]:
    """Two small tables: the category shapes drawn, then the date conventions used."""
    t = translator(lang)
    style = document_styles().legend
    labels = VOCABULARIES["event_category"]
    cells = [
        (_symbol(12, marker(category, 6, 5)), Paragraph(text(t(labels[category])), style))
        for category in chart.categories()
    ]
    tables = [_grid(cells, columns=4, symbol_width=12)]
    grey = _GREY
    sample = chart.categories()[0]  # the conventions are shown on a marker the drawing uses
    conventions = {
        "range": (
            [_bar(4, 24, 5, grey, dashed=False), marker(sample, 4, 5)],
            LEGEND_RANGE,
        ),
        "approximate": (
            [_bar(4, 24, 5, grey, dashed=True), marker(sample, 4, 5, hollow=True)],
            LEGEND_APPROXIMATE,
        ),
        "uncertain": (
            [_bar(4, 24, 5, grey, dashed=True), marker(sample, 4, 5, hollow=True)],
            LEGEND_UNCERTAIN,
        ),
        "open": ([_bar(2, 18, 5, grey, dashed=False), _arrow(25, 5, 1, grey)], LEGEND_OPEN),
        "run": (
            [
                Line(3, 5, 23, 5, strokeColor=grey, strokeWidth=1.2),
                Line(3, 1.4, 3, 7, strokeColor=grey),
                Line(23, 1.4, 23, 7, strokeColor=grey),
                *(Circle(x, 5, 1.1, fillColor=colors.black, strokeColor=None) for x in (6, 10, 17, 20)),
            ],
            LEGEND_CLUSTER,
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


