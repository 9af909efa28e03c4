"""Flowables shared by Declara's documents (imports reportlab: import this module lazily)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph

from desktop.documents.layout import text


class SectionHeading(Paragraph):
    """A heading that is also a bookmark and an entry of the PDF outline (bookmarks panel).

    ``title`` is plain text; ``key`` names the destination (unique within the document);
    ``level`` 0 is a top entry, 1 an entry under the previous level-0 heading.
    """

    def __init__(self, title: str, style: Any, *, key: str, level: int = 0) -> None:
        super().__init__(text(title), style)
        self.outline_title = title
        self.outline_key = key
        self.outline_level = level

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self.outline_key, 0, self.height)
        self.canv.addOutlineEntry(self.outline_title, self.outline_key, self.outline_level, closed=False)
