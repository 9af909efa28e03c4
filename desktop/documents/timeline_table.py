"""The table of events of the chronology exhibit, paged by its own rules.

reportlab's ``Table`` re-measures every remaining row each time it splits and may repeat its header
or split a row wherever a page ends. :class:`PagedTable` measures each cell once and decides the
page breaks itself:

- the header row is drawn at the top of the table and at the top of each continuation part only;
- a row is never split across pages unless it alone is taller than a page frame (then it breaks
  between lines, at least three lines on the first page);
- the last part never holds a single row when moving one more row down keeps both on one page
  (widow control).

This module imports reportlab; :mod:`desktop.documents.timeline` imports it only to render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer

__all__ = ["PagedTable", "TableLook"]

_FUZZ = 1e-6


@dataclass(frozen=True)
class TableLook:
    """Column widths, cell padding and the rules and fills of the table."""

    widths: tuple[float, ...]
    left: float = 4.0
    right: float = 4.0
    top: float = 3.0
    bottom: float = 4.0
    header_fill: Any = colors.Color(0.9, 0.9, 0.9)
    stripes: tuple[Any, Any] = (colors.white, colors.Color(0.965, 0.965, 0.965))
    header_rule: float = 0.8
    row_rule: float = 0.25
    row_rule_colour: Any = colors.Color(0.6, 0.6, 0.6)
    min_split_lines: float = 36.0  # the least of a long row a page starts: three 12-pt lines


class _Row:
    """One row's cells, measured once at their column widths (``heights`` of the cells, ``height``)."""

    __slots__ = ("cells", "heights", "height", "stripe")

    def __init__(self, cells: Sequence[Flowable], look: TableLook, stripe: int) -> None:
        self.cells = list(cells)
        self.stripe = stripe
        inner = [width - look.left - look.right for width in look.widths]
        self.heights = [cell.wrap(w, 1e9)[1] for cell, w in zip(self.cells, inner, strict=True)]
        self.height = max(self.heights, default=0.0) + look.top + look.bottom


class PagedTable(Flowable):
    """A header row and body rows (lists of flowables, one per column), split by the rules above.

    ``frame_height`` is the height of a page's frame: what a continuation part can hold.
    """

    def __init__(
        self,
        header: Sequence[Flowable],
        rows: Sequence[Sequence[Flowable]],
        look: TableLook,
        frame_height: float,
    ) -> None:
        super().__init__()
        self.look = look
        self.frame_height = frame_height
        self._header = _Row(header, look, 0)
        self._rows = [_Row(cells, look, i) for i, cells in enumerate(rows)]
        self.width = sum(look.widths)

    @classmethod
    def _part(cls, source: PagedTable, rows: list[_Row]) -> PagedTable:
        part = cls.__new__(cls)
        Flowable.__init__(part)
        part.look, part.frame_height, part.width = source.look, source.frame_height, source.width
        part._header, part._rows = source._header, rows
        return part

    # -- measures --------------------------------------------------------------------------
    @property
    def row_heights(self) -> list[float]:
        """The height of each body row of this part, padding included."""
        return [row.height for row in self._rows]

    @property
    def header_height(self) -> float:
        return self._header.height

    def lead_height(self, rows: int) -> float:
        """The header and the first ``rows`` rows: what must fit below a heading (at most a page)."""
        return min(self.frame_height, self._header.height + sum(self.row_heights[:rows]))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.height = self._header.height + sum(self.row_heights)
        return self.width, self.height

    # -- page breaks -----------------------------------------------------------------------
    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        heights = self.row_heights
        room = availHeight - self._header.height
        fits, used = 0, 0.0
        for height in heights:
            if used + height > room + _FUZZ:
                break
            used += height
            fits += 1
        if fits >= len(heights):  # it fits: the frame does not ask (kept for rounding)
            return []
        page = self.frame_height - self._header.height  # what a continuation part holds
        if heights[fits] > page + _FUZZ:  # taller than a page: it breaks here, below the rows that fit
            pieces = self._split_row(self._rows[fits], room - used)
            if pieces is None:
                return (
                    []
                    if fits == 0
                    else [self._part(self, self._rows[:fits]), self._part(self, self._rows[fits:])]
                )
            first, rest = pieces
            return [
                self._part(self, [*self._rows[:fits], first]),
                self._part(self, [rest, *self._rows[fits + 1 :]]),
            ]
        if fits == 0:
            return []
        if len(heights) - fits == 1 and heights[fits - 1] + heights[fits] <= page + _FUZZ:
            fits -= 1  # no lone row on the last page
            if fits == 0:
                return []
        return [self._part(self, self._rows[:fits]), self._part(self, self._rows[fits:])]

    def _split_row(self, row: _Row, room: float) -> tuple[_Row, _Row] | None:
        """``row`` broken between lines: what fits in ``room`` and the rest (None: too little room)."""
        look = self.look
        inner = room - look.top - look.bottom
        if inner < look.min_split_lines:
            return None
        here: list[Flowable] = []
        later: list[Flowable] = []
        for cell, height, width in zip(row.cells, row.heights, look.widths, strict=True):
            if height <= inner + _FUZZ:
                here.append(cell)
                later.append(Spacer(0, 0))
                continue
            parts = cell.split(width - look.left - look.right, inner)
            if len(parts) == 2:
                here.append(parts[0])
                later.append(parts[1])
            else:  # the cell cannot break: it goes whole to the next page
                here.append(Spacer(0, 0))
                later.append(cell)
        return _Row(here, look, row.stripe), _Row(later, look, row.stripe)

    # -- drawing ---------------------------------------------------------------------------
    def draw(self) -> None:
        canv, look = self.canv, self.look
        width = self.width
        y = self._header.height + sum(self.row_heights)
        rows = [self._header, *self._rows]
        canv.saveState()
        top = y
        for index, row in enumerate(rows):  # fills first, so that rules and text lie on them
            y -= row.height
            fill = look.header_fill if index == 0 else look.stripes[row.stripe % 2]
            if fill != colors.white:
                canv.setFillColor(fill)
                canv.rect(0, y, width, row.height, stroke=0, fill=1)
        canv.restoreState()
        y = top
        for row in rows:
            y -= row.height
            x = 0.0
            for cell, height, col_width in zip(row.cells, row.heights, look.widths, strict=True):
                cell.drawOn(canv, x + look.left, y + row.height - look.top - height)
                x += col_width
        canv.saveState()
        canv.setStrokeColor(look.row_rule_colour)
        canv.setLineWidth(look.row_rule)
        y = top - self._header.height
        for row in self._rows:
            y -= row.height
            canv.line(0, y, width, y)
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(look.header_rule)
        canv.line(0, top, width, top)
        canv.line(0, top - self._header.height, width, top - self._header.height)
        canv.restoreState()
