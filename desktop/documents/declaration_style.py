"""The declaration's look: its paragraph styles and the flowable that keeps the signature with text.

Measures in points: US Letter, 12-point Liberation Serif, double spacing for filing (single on
request). :mod:`desktop.documents.declaration` builds the story with these; reportlab is imported
only when a style or the keeper is first asked for.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from desktop.documents.layout import document_styles

DOUBLE_LEADING = 24.0
SINGLE_LEADING = 13.8  # 1.15 lines of 12 points
INDENT = 36.0  # half an inch
STAMP_SIZE = 7.0


@cache
def declaration_styles(leading: float) -> dict[str, Any]:
    """The declaration's paragraph styles for a body ``leading`` (fonts set explicitly: embedded)."""
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = document_styles()
    serif, sans = base.fonts.serif, base.fonts.sans
    bold = base.fonts.bold(serif)
    double = leading >= DOUBLE_LEADING
    after = 0.0 if double else 8.0
    body = ParagraphStyle(
        "declaration_body",
        fontName=serif,
        fontSize=12,
        leading=leading,
        alignment=TA_LEFT,
        firstLineIndent=INDENT,
        spaceAfter=after,
        allowWidows=0,
        allowOrphans=0,
        bulletFontName=serif,
        bulletFontSize=12,
    )
    certificate = ParagraphStyle(
        "certificate", parent=body, leading=max(leading * 0.75, SINGLE_LEADING), spaceAfter=6
    )
    return {
        "paragraph": ParagraphStyle(
            "declaration_paragraph", parent=body, firstLineIndent=2 * INDENT, bulletIndent=INDENT
        ),
        "intro": body,
        "clause": ParagraphStyle("declaration_clause", parent=body, keepWithNext=1),
        "title": ParagraphStyle(
            "declaration_title",
            parent=body,
            fontName=bold,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=6,
            spaceAfter=14,
            keepWithNext=1,
        ),
        "label": ParagraphStyle(
            "declaration_label",
            parent=body,
            fontName=base.fonts.bold(sans),
            fontSize=11,
            leading=14,
            alignment=TA_RIGHT,
            firstLineIndent=0,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "signature": ParagraphStyle(
            "declaration_signature", parent=body, leading=15, firstLineIndent=0, spaceAfter=0
        ),
        "banner": ParagraphStyle(
            "banner",
            parent=body,
            fontName=base.fonts.bold(sans),
            fontSize=15,
            leading=19,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=4,
        ),
        "banner_note": ParagraphStyle(
            "banner_note",
            parent=body,
            fontName=sans,
            fontSize=10,
            leading=13,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=0,
        ),
        "stamp": ParagraphStyle(
            "stamp",
            parent=body,
            fontName=sans,
            fontSize=STAMP_SIZE,
            leading=9,
            firstLineIndent=0,
            spaceBefore=14,
            spaceAfter=0,
        ),
        "certificate_title": ParagraphStyle(
            "certificate_title",
            parent=body,
            fontName=bold,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=0,
            spaceAfter=18,
        ),
        "certificate": certificate,
        "certificate_label": ParagraphStyle(
            "certificate_label", parent=body, leading=15, firstLineIndent=0, spaceAfter=0
        ),
        "certificate_value": ParagraphStyle(
            "certificate_value", parent=body, leading=15, firstLineIndent=0, spaceAfter=0
        ),
    }


@cache
def tail_keeper_class() -> type[Any]:
    """The flowable that keeps the end of the last paragraph with the signature block.

    Defined on first use so that importing this module does not import reportlab.
    """
    from reportlab.platypus import Flowable
    from reportlab.platypus.flowables import _listWrapOn

    class TailKeeper(Flowable):
        """``last`` (a Paragraph) followed by ``block``, never with ``block`` alone on a page.

        When both do not fit where they are, the paragraph is split so that at least its last two
        lines go to the next page with the block; a paragraph of two lines or fewer moves whole.
        """

        _SLACK = 2.0

        def __init__(self, last: Any, block: list[Any], leading: float) -> None:
            super().__init__()
            self._last = last
            self._block = block
            self._leading = leading

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
            return availWidth, 0xFFFFFF  # always split: split() decides what goes here

        def _needed(self, width: float, height: float) -> tuple[float, float]:
            """The height of the paragraph and of the whole (with the spaces between)."""
            canv = getattr(self, "canv", None)
            _w, last_height = self._last.wrap(width, height)
            _w, block_height = _listWrapOn(self._block, width, canv)
            gap = max(self._last.getSpaceAfter(), self._block[0].getSpaceBefore())
            return last_height, last_height + gap + block_height + self._SLACK

        def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
            last_height, total = self._needed(availWidth, availHeight)
            frame = getattr(self, "_frame", None)
            at_top = bool(frame is not None and getattr(frame, "_atTop", False))
            if total <= availHeight:
                return [self._last, *self._block]
            height = min(availHeight, last_height - 2 * self._leading)
            parts = self._last.split(availWidth, height) if height >= self._leading else []
            if len(parts) == 2:
                return [parts[0], TailKeeper(parts[1], self._block, self._leading)]
            if at_top:  # nothing better is possible: let them flow
                return [self._last, *self._block]
            return []  # the next page

        def draw(self) -> None:  # pragma: no cover - always split
            pass

    return TailKeeper
