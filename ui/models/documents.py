"""The models of the Documents tab: the client's documents (a table) and a document's pages (the
viewer's thumbnail strip, rendered lazily: a page is drawn when the view first asks for it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap

from desktop.case.dates import format_edtf
from desktop.case.model import VOCABULARIES, Record
from desktop.case.names import display_name
from desktop.errors import DeclaraError
from desktop.i18n import N_, _, current_language
from ui.models.base import Index, TranslatedTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_MIME = "application/x-declara-page"

#: The kinds of record a document can be linked to, with their labels (msgids).
LINK_KINDS = (
    ("allegation", N_("Allegation")),
    ("rebuttal", N_("Rebuttal evidence")),
    ("event", N_("Event")),
    ("foia_request", N_("FOIA request")),
    ("family_member", N_("Family member")),
)


def language_name(code: str | None) -> str:
    """A language code as the interface language names it ("es" → "Spanish" / "español", "quc" →
    "K'iche'" / "k'iche'"): :func:`desktop.case.display.language_name`, the one helper for it."""
    from desktop.case.display import language_name as name

    return name(code, current_language())


def record_label(record: Record) -> str:
    """A short line naming a record that a document can be linked to."""
    data = record.data

    def vocab(name: str, key: Any) -> str:
        label = VOCABULARIES.get(name, {}).get(key or "")
        return _(label) if label else str(key or "")

    if record.kind == "allegation":
        parts = [vocab("allegation_kind", data.get("kind")), data.get("organization") or ""]
    elif record.kind == "rebuttal":
        parts = [
            vocab("rebuttal_kind", data.get("kind")),
            data.get("issuer") or data.get("description") or "",
        ]
    elif record.kind == "event":
        text = data.get("text")
        if isinstance(text, dict):
            text = text.get(current_language()) or next(iter(text.values()), "")
        day = ""
        if data.get("date"):
            try:
                day = format_edtf(data["date"], current_language())
            except (ValueError, DeclaraError):
                day = str(data["date"])
        parts = [day, " ".join(str(text or "").split())[:80]]
    elif record.kind == "foia_request":
        parts = [data.get("agency") or "", data.get("subject") or ""]
    elif record.kind == "family_member":
        parts = [display_name(data), vocab("relationship", data.get("relationship"))]
    else:
        parts = [record.kind]
    return " — ".join(p for p in parts if p) or _("(untitled)")


class DocumentTableModel(TranslatedTableModel):
    """A client's documents: title, kind, language, date, pages, revision, linked to."""

    HEADERS = (
        N_("Title"),
        N_("Kind"),
        N_("Language"),
        N_("Date"),
        N_("Pages"),
        N_("Revision"),
        N_("Linked to"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[Record] = []
        self._linked: dict[str, Record] = {}  # the records documents can be linked to, by id

    def header_msgids(self) -> tuple[str, ...]:
        return self.HEADERS

    def row_total(self) -> int:
        return len(self._records)

    def set_records(self, records: list[Record], linked: dict[str, Record] | None = None) -> None:
        """The documents, and the records they may be linked to (named in the interface language
        when shown: a language switch renames them)."""
        self.beginResetModel()
        self._records = list(records)
        if linked is not None:
            self._linked = dict(linked)
        self.endResetModel()

    def clear(self) -> None:
        self.set_records([], {})

    def record_at(self, row: int) -> Record:
        return self._records[row]

    def records(self) -> list[Record]:
        return list(self._records)

    def row_of(self, record_id: str) -> int:
        return next((i for i, r in enumerate(self._records) if r.id == record_id), -1)

    def linked_text(self, record: Record) -> str:
        links = record.data.get("links") or {}
        order = [kind for kind, _label in LINK_KINDS]
        targets = [links.get(kind) for kind in order]
        return "; ".join(record_label(self._linked[t]) for t in targets if t and t in self._linked)

    def display(self, record: Record, column: int) -> str:
        data = record.data
        if column == 0:
            return str(data.get("title") or "")
        if column == 1:
            label = VOCABULARIES.get("document_kind", {}).get(data.get("kind") or "")
            return _(label) if label else str(data.get("kind") or "")
        if column == 2:
            return language_name(data.get("language"))
        if column == 3:
            if not data.get("date"):
                return ""
            try:
                return format_edtf(data["date"], current_language())
            except (ValueError, DeclaraError):
                return str(data["date"])
        if column == 4:
            return str(data.get("pages") or "")
        if column == 5:
            revisions = data.get("revisions") or []
            return _("{current} of {count}").format(
                current=int(data.get("current") or 0) + 1, count=max(len(revisions), 1)
            )
        return self.linked_text(record)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(record, index.column())
        if role == ID_ROLE:
            return record.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (4, 5):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class PageListModel(QAbstractListModel):
    """The pages of the document shown, as icons drawn on first request by ``render(index, size)``.
    Dragging a page to another place asks for that order (``reorder_requested``); the order changes
    when the controller has stored it as a new revision."""

    reorder_requested = Signal(list)  # the new order of 0-based pages

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._render: Callable[[int, QSize], QImage | None] | None = None
        self._icons: dict[int, QIcon] = {}
        self.icon_size = QSize(96, 124)

    def set_pages(self, count: int, render: Callable[[int, QSize], QImage | None] | None) -> None:
        self.beginResetModel()
        self._count = count
        self._render = render
        self._icons = {}
        self.endResetModel()

    def rendered(self) -> int:
        """How many thumbnails were drawn (they are drawn only when shown)."""
        return len(self._icons)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        page = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(page + 1)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Page {page}").format(page=page + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.get(page)
            if icon is None and self._render is not None:
                image = self._render(page, self.icon_size)
                icon = QIcon()
                if image is not None:  # the same picture when selected: not tinted
                    pixmap = QPixmap.fromImage(image)
                    icon.addPixmap(pixmap, QIcon.Mode.Normal)
                    icon.addPixmap(pixmap, QIcon.Mode.Selected)
                self._icons[page] = icon
            return icon
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [PAGE_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(PAGE_MIME, ",".join(map(str, rows)).encode())
        return mime

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:  # noqa: N802
        if not data.hasFormat(PAGE_MIME) or self._count < 2:
            return False
        moved = [int(x) for x in bytes(data.data(PAGE_MIME).data()).decode().split(",") if x]
        if row < 0:
            row = parent.row() if parent.isValid() else self._count
        self.reorder_requested.emit(moved_order(self._count, moved, row))
        return False  # nothing moves here: the order changes once stored


def moved_order(count: int, moved: list[int], before: int) -> list[int]:
    """The order of ``count`` pages after putting the pages ``moved`` before page ``before``."""
    rest = [p for p in range(count) if p not in moved]
    at = len([p for p in range(min(before, count)) if p not in moved])
    return rest[:at] + [p for p in moved if 0 <= p < count] + rest[at:]
