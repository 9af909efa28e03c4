"""What every Declara table model shares: a flat table with translated column headers that
re-render after a live language switch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex


class TranslatedTableModel(QAbstractTableModel):
    """Subclasses give ``header_msgids()`` and ``row_total()``, and implement ``data()``."""

    def header_msgids(self) -> Sequence[str]:
        raise NotImplementedError

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.header_msgids())

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = self.header_msgids()
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(headers):
            return _(headers[section])
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def retranslate(self) -> None:
        """After a language switch: the headers and every displayed text change."""
        columns = len(self.header_msgids())
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(columns - 1, 0))
        rows = self.row_total()
        if rows and columns:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, columns - 1))
