"""The markers of the chronology exhibit: a shape per category, a fill per status.

The shape (and colour) says what kind of event it is; the way it is filled says how the exhibit
knows it, so a reader tells a documented fact from the client's account or a DHS claim at a
glance, in colour or in black and white:

- documented: solid;
- the client's account: outlined;
- disputed: half filled (left half solid);
- DHS claim: outlined, inside a black square frame.

The same marker is drawn in the drawing (reportlab graphics shapes) and in the table's No. column
(straight on the canvas); both come from :func:`marker_parts`. This module imports reportlab.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Group, Polygon, Rect, Wedge
from reportlab.lib import colors

from desktop.case.model import VOCABULARIES
from desktop.i18n import N_, get_translations

__all__ = [
    "CATEGORY_LABELS",
    "STATUSES",
    "FRAME",
    "draw_on_canvas",
    "look",
    "marker",
    "marker_parts",
    "status_label",
    "status_of",
]

#: The statuses, in the order of the legend.
STATUSES = ("documented", "client_account", "disputed", "government_allegation")
#: The categories as the exhibit's legend names them: an "allegation" event is one related to the
#: allegation (the client's account of a police sweep as much as DHS's claim), not an allegation.
CATEGORY_LABELS: dict[str, str] = {
    **VOCABULARIES["event_category"],
    # Translators: legend of the chronology exhibit: events related to the allegation against the client.
    "allegation": N_("Related to the allegation"),
}

#: Half the side of the DHS-claim frame, beyond the marker's radius.
FRAME = 1.8
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
CATEGORIES = tuple(_LOOKS)


def look(category: str) -> tuple[str, colors.Color]:
    """The shape name and colour of ``category`` (an unknown one looks like "other")."""
    shape, colour = _LOOKS.get(category, _LOOKS["other"])
    return shape, colors.HexColor(colour)


def status_of(status: str | None) -> str:
    """A known status key; anything else is drawn as the client's account (never as documented)."""
    return status if status in STATUSES else "client_account"


def status_label(status: str, lang: str) -> str:
    """How the exhibit names an event's status in ``lang``: 'Documented', 'DHS claim' …"""
    translations = get_translations(lang)
    if status == "documented":
        # Translators: an event's status, first line of its cell in the exhibit's table: a document shows it.
        return translations.pgettext("exhibit status", "Documented")
    if status == "disputed":
        # Translators: an event's status in the exhibit's table: its truth is contested.
        return translations.pgettext("exhibit status", "Disputed")
    if status == "government_allegation":
        # Translators: an event's status in the exhibit's table: DHS says so, the client does not.
        return translations.pgettext("exhibit status", "DHS claim")
    # Translators: an event's status in the exhibit's table: what the client says happened.
    return translations.pgettext("exhibit status", "Client's account")


@dataclass(frozen=True)
class Part:
    """One primitive of a marker: kind is circle (x, y, r), wedge (x, y, r: the left half),
    polygon (points) or frame (x, y, half side)."""

    kind: str
    geometry: tuple[float, ...]
    fill: Any
    stroke: Any
    width: float


def _polygon_points(shape: str, cx: float, cy: float, r: float) -> list[float]:
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


def _left_of(points: list[float], cx: float) -> list[float]:
    """The part of a polygon left of x = cx (Sutherland–Hodgman against one half-plane)."""
    pts = list(zip(points[::2], points[1::2], strict=True))
    out: list[tuple[float, float]] = []
    for i, (x1, y1) in enumerate(pts):
        x0, y0 = pts[i - 1]
        inside0, inside1 = x0 <= cx, x1 <= cx
        if inside0 != inside1:
            t = (cx - x0) / (x1 - x0)
            out.append((cx, y0 + t * (y1 - y0)))
        if inside1:
            out.append((x1, y1))
    return [c for point in out for c in point]


def marker_parts(category: str, status: str, cx: float, cy: float, r: float) -> list[Part]:
    """The primitives of the marker of ``category`` with ``status``, centred on (cx, cy)."""
    shape, colour = look(category)
    status = status_of(status)
    outline = Part("", (), colors.white, colour, 1.0)
    if status == "documented":
        outline = Part("", (), colour, _OUTLINE, 0.35)
    parts: list[Part] = []
    if status == "government_allegation":
        parts.append(Part("frame", (cx, cy, r + FRAME), colors.white, colors.black, 0.7))
    if shape == "circle":
        parts.append(Part("circle", (cx, cy, r), outline.fill, outline.stroke, outline.width))
        if status == "disputed":
            parts.append(Part("wedge", (cx, cy, r), colour, None, 0))
    else:
        points = _polygon_points(shape, cx, cy, r)
        parts.append(Part("polygon", tuple(points), outline.fill, outline.stroke, outline.width))
        if status == "disputed":
            parts.append(Part("polygon", tuple(_left_of(points, cx)), colour, None, 0))
            parts.append(Part("polygon", tuple(points), None, colour, 1.0))  # the outline on top
    return parts


def marker(category: str, status: str, cx: float, cy: float, r: float) -> Group:
    """The marker as reportlab graphics shapes."""
    group = Group()
    for part in marker_parts(category, status, cx, cy, r):
        g = part.geometry
        style = {"fillColor": part.fill, "strokeColor": part.stroke, "strokeWidth": part.width}
        if part.kind == "circle":
            group.add(Circle(g[0], g[1], g[2], **style))
        elif part.kind == "wedge":
            group.add(Wedge(g[0], g[1], g[2], 90, 270, **style))
        elif part.kind == "frame":
            group.add(Rect(g[0] - g[2], g[1] - g[2], 2 * g[2], 2 * g[2], **style))
        else:
            group.add(Polygon(list(g), **style))
    return group


def draw_on_canvas(canv: Any, category: str, status: str, cx: float, cy: float, r: float) -> None:
    """The marker straight on a reportlab canvas (a Drawing per table row costs a third of the render)."""
    canv.saveState()
    for part in marker_parts(category, status, cx, cy, r):
        g = part.geometry
        fill, stroke = part.fill is not None, part.stroke is not None
        if fill:
            canv.setFillColor(part.fill)
        if stroke:
            canv.setStrokeColor(part.stroke)
            canv.setLineWidth(part.width)
        if part.kind == "circle":
            canv.circle(g[0], g[1], g[2], stroke=int(stroke), fill=int(fill))
        elif part.kind == "wedge":
            canv.wedge(g[0] - g[2], g[1] - g[2], g[0] + g[2], g[1] + g[2], 90, 180, stroke=0, fill=1)
        elif part.kind == "frame":
            canv.rect(g[0] - g[2], g[1] - g[2], 2 * g[2], 2 * g[2], stroke=1, fill=int(fill))
        else:
            path = canv.beginPath()
            path.moveTo(g[0], g[1])
            for i in range(2, len(g), 2):
                path.lineTo(g[i], g[i + 1])
            path.close()
            canv.drawPath(path, stroke=int(stroke), fill=int(fill))
    canv.restoreState()
