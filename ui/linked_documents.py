"""Which documents of the open client name a record: shown beside rebuttal items, FOIA requests and
events (their "Documents" column and the chronology's sources), kept current by the documents
controller whenever the client's documents are (re)loaded."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.case.model import Record
from desktop.i18n import _

__all__ = ["LINKED", "LinkedDocuments"]


class LinkedDocuments:
    def __init__(self) -> None:
        self._titles: dict[str, str] = {}
        self._by_record: dict[str, list[str]] = {}

    def update(self, documents: Iterable[Record]) -> None:
        self._titles.clear()
        self._by_record.clear()
        for document in documents:
            if document.deleted:
                continue
            self._titles[document.id] = document.data.get("title") or ""
            for target in (document.data.get("links") or {}).values():
                if isinstance(target, str):
                    self._by_record.setdefault(target, []).append(document.id)

    def clear(self) -> None:
        self.update(())

    def text(self, record_id: str) -> str:
        """The titles of the documents linked to ``record_id``, joined by "; "."""
        return "; ".join(self._titles[d] for d in self._by_record.get(record_id, ()))

    def source(self, token: str) -> str | None:
        """A source ``document:<id>`` or ``document:<id>#p3`` as words ("Solvencia PNC, p. 3"), or
        None when the token names no document of the open client."""
        rest = token.partition(":")[2]
        document_id, _sep, page = rest.partition("#p")
        title = self._titles.get(document_id)
        if title is None:
            return None
        return _("{title}, p. {page}").format(title=title, page=page) if page.isdigit() else title


LINKED = LinkedDocuments()
