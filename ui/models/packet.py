"""The exhibits of a filing packet (the Packet tab's table): label, source kind, title, the
description for the index (editable), pages, and whether a translation a filing needs is there.
Rows move by Alt+Up/Down or by dragging; the model then says so (``order_changed``) and the
controller stores the new order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, Qt, Signal

from desktop.i18n import N_, _
from ui.models.base import Index, TranslatedTableModel

ROW_MIME = "application/x-declara-exhibit"

#: What an exhibit comes from, by the first word of its source ("document:<uuid>" → "document").
SOURCE_KINDS = {
    "declaration": N_("Declaration"),
    "timeline": N_("Timeline"),
    "document": N_("Document"),
}


def exhibit_label(index: int, numbering: str) -> str:
    """The label of the ``index``-th exhibit (0-based): the core's, so the list and the PDF agree."""
    from desktop.filing.build import label_for

    return label_for(index, numbering)


@dataclass
class ExhibitInfo:
    """What the controller found about an exhibit's source (shown, never stored in the packet)."""

    title: str = ""
    pages: int | None = None
    translation: bool | None = None  # True: there; False: missing; None: not needed
    missing: bool = False  # the document is gone (deleted, or another client's)


@dataclass
class ExhibitRow:
    source: str
    description: str
    info: ExhibitInfo

    def entry(self) -> dict[str, str]:
        return {"source": self.source, "description": self.description}


class ExhibitTableModel(TranslatedTableModel):
    HEADERS = (
        N_("Exhibit"),
        N_("Source"),
        N_("Title"),
        N_("Description for the index"),
        N_("Pages"),
        N_("Translation"),
    )
    DESCRIPTION = 3

    description_edited = Signal(int, str)  # row, text
    order_changed = Signal()  # rows were moved (by keyboard or by dragging)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ExhibitRow] = []
        self.numbering = "letters"
        self.editable = True

    def header_msgids(self) -> tuple[str, ...]:
        return self.HEADERS

    def row_total(self) -> int:
        return len(self._rows)

    # -- data ------------------------------------------------------------------------------------
    def set_rows(self, rows: list[ExhibitRow], numbering: str = "letters") -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.numbering = numbering
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rows(self) -> list[ExhibitRow]:
        return list(self._rows)

    def entries(self) -> list[dict[str, str]]:
        """The exhibits as the packet stores them, in order."""
        return [row.entry() for row in self._rows]

    def row_at(self, row: int) -> ExhibitRow:
        return self._rows[row]

    def set_numbering(self, numbering: str) -> None:
        self.numbering = numbering
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def move(self, rows: list[int], before: int) -> int:
        """Put ``rows`` (in their order) before row ``before``; the new row of the first moved one,
        or -1 when nothing moved."""
        rows = sorted(r for r in set(rows) if 0 <= r < len(self._rows))
        if not rows or not self.editable:
            return -1
        moving = [self._rows[r] for r in rows]
        rest = [row for i, row in enumerate(self._rows) if i not in rows]
        at = len([r for r in range(min(max(before, 0), len(self._rows))) if r not in rows])
        order = rest[:at] + moving + rest[at:]
        if order == self._rows:
            return -1
        self.beginResetModel()
        self._rows = order
        self.endResetModel()
        self.order_changed.emit()
        return at

    def move_by(self, row: int, delta: int) -> int:
        """Move one row up (-1) or down (+1); its new row, or -1 at an end."""
        target = row + delta
        if not 0 <= row < len(self._rows) or not 0 <= target < len(self._rows):
            return -1
        return self.move([row], target + (1 if delta > 0 else 0))

    # -- Qt --------------------------------------------------------------------------------------
    def display(self, row: ExhibitRow, index: int, column: int) -> str:
        info = row.info
        if column == 0:
            return exhibit_label(index, self.numbering)
        if column == 1:
            return _(SOURCE_KINDS.get(row.source.split(":", 1)[0], N_("Document")))
        if column == 2:
            return _("(missing: deleted or not found)") if info.missing else info.title
        if column == 3:
            return row.description
        if column == 4:
            return "" if info.pages is None else str(info.pages)
        if info.translation is None:
            return "—"
        return _("✓ translated") if info.translation else _("missing")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(row, index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 4, 5):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and (
            (index.column() == 5 and row.info.translation is False)
            or (index.column() == 2 and row.info.missing)
        ):
            from PySide6.QtGui import QColor

            return QColor("#b3261e")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != self.DESCRIPTION
            or not self.editable
        ):
            return False
        text = " ".join(str(value or "").split())
        row = self._rows[index.row()]
        if text == row.description:
            return False
        row.description = text
        self.dataChanged.emit(index, index)
        self.description_edited.emit(index.row(), text)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        flags = base | Qt.ItemFlag.ItemIsDragEnabled
        if index.column() == self.DESCRIPTION and self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ROW_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:  # noqa: N802
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(ROW_MIME, ",".join(map(str, rows)).encode())
        return mime

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not data.hasFormat(ROW_MIME):
            return False
        moved = [int(x) for x in bytes(data.data(ROW_MIME).data()).decode().split(",") if x]
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._rows)
        self.move(moved, row)
        return False  # the rows were moved here, not copied: the view must not remove any

    def index_of(self, row: int) -> QModelIndex:
        return self.index(row, 0)
