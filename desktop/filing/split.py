"""Parts under the upload limit (EOIR ECAS: each PDF at most 25 MB; a larger filing is uploaded as
parts named …_Part1, …_Part2).

The packet is cut at exhibit boundaries: an exhibit that fits in the space left goes whole into
the current part, else it starts the next one. An exhibit larger than a part on its own is cut at
page boundaries, and each of its later pieces starts with a tab page "Exhibit D (continued)". The
sizes are estimates (the bytes of each page's streams); :mod:`desktop.filing.build` measures the
parts it writes and plans again with a smaller budget when one is over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    """Pages ``start``..``end`` (exclusive) of exhibit ``exhibit``, after its tab page."""

    exhibit: int
    start: int
    end: int

    @property
    def continued(self) -> bool:
        return self.start > 0


@dataclass
class PartPlan:
    front: bool = False  # the cover and the index
    segments: list[Segment] = field(default_factory=list)
    back: bool = False  # the proof of service


def part_name(basename: str, number: int, count: int) -> str:
    """``basename.pdf`` for a packet of one part, else ``basename_Part1.pdf``, …"""
    return f"{basename}.pdf" if count == 1 else f"{basename}_Part{number}.pdf"


def plan_parts(
    front: int, exhibits: Sequence[Sequence[int]], tab: int, back: int, budget: int | None
) -> list[PartPlan]:
    """Parts for a packet whose cover and index take ``front`` bytes, whose exhibits' pages take
    the sizes in ``exhibits`` (one list per exhibit), each tab page ``tab`` and the proof of
    service ``back``; every part at most ``budget`` bytes when possible (None: one part)."""
    if budget is None:
        return [
            PartPlan(
                front=True,
                segments=[Segment(i, 0, len(pages)) for i, pages in enumerate(exhibits)],
                back=True,
            )
        ]
    parts = [PartPlan(front=True)]
    used = front
    for i, pages in enumerate(exhibits):
        whole = tab + sum(pages)
        if used + whole <= budget:
            parts[-1].segments.append(Segment(i, 0, len(pages)))
            used += whole
            continue
        if whole <= budget:
            parts.append(PartPlan(segments=[Segment(i, 0, len(pages))]))
            used = whole
            continue
        # Alone over the limit: page by page, a new part (with a continued tab) when one is full.
        start = 0
        if used + tab + (pages[0] if pages else 0) > budget and (parts[-1].front or parts[-1].segments):
            parts.append(PartPlan())
            used = 0
        used += tab
        for j, size in enumerate(pages):
            if used + size > budget and j > start:
                parts[-1].segments.append(Segment(i, start, j))
                parts.append(PartPlan())
                start, used = j, tab
            used += size
        parts[-1].segments.append(Segment(i, start, len(pages)))
    if used + back > budget and (parts[-1].segments or parts[-1].front):
        parts.append(PartPlan())
    parts[-1].back = True
    return parts
