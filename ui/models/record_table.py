"""A table of a client's records of one kind (family members, allegations, FOIA requests …)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from desktop.case.dates import format_edtf
from desktop.errors import DeclaraError
from desktop.i18n import _, current_language
from desktop.case.model import VOCABULARIES, Record
from desktop.case.store import get_path
from ui.models.base import Index as _Index
from ui.models.base import TranslatedTableModel
from ui.longtext import elide

ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ColumnSpec:
    header: str  # msgid
    path: str | None = None  # dotted path in the record's data
    kind: str = "text"  # text | date | vocab | langtext | custom | row (the row's number)
    vocab: str | None = None
    render: Callable[[Record], str] | None = None  # for kind "custom"
    alert: Callable[[Record], bool] | None = None  # painted as a warning (with text, not colour alone)


class RecordTableModel(TranslatedTableModel):
    def __init__(self, columns: list[ColumnSpec], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._records: list[Record] = []

    def header_msgids(self) -> list[str]:
        return [c.header for c in self.columns]

    def row_total(self) -> int:
        return len(self._records)

    def set_records(self, records: list[Record]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record_at(self, row: int) -> Record:
        return self._records[row]

    def row_of(self, record_id: str) -> int:
        for i, rec in enumerate(self._records):
            if rec.id == record_id:
                return i
        return -1

    def update_record(self, record: Record) -> None:
        row = self.row_of(record.id)
        if row >= 0:
            self._records[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        spec = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if spec.kind == "row":
                return str(index.row() + 1)
            return elide(self.display(record, spec))  # a cell never lays out a megabyte
        if role == ID_ROLE:
            return record.id
        if role == Qt.ItemDataRole.ForegroundRole and spec.alert and spec.alert(record):
            return QBrush(QColor("#b3261e"))
        return None

    @staticmethod
    def display(record: Record, spec: ColumnSpec) -> str:
        if spec.kind == "custom" and spec.render:
            return spec.render(record)
        value = get_path(record.data, spec.path or "")
        if value in (None, "", []):
            return ""
        if spec.kind == "date":
            try:
                return format_edtf(value, current_language())
            except (ValueError, DeclaraError):
                return str(value)
        if spec.kind == "vocab":
            label = VOCABULARIES.get(spec.vocab or "", {}).get(value)
            return _(label) if label else str(value)
        if spec.kind == "langtext" and isinstance(value, dict):
            text = value.get(current_language()) or next(iter(value.values()), "")
            return " ".join(str(text).split())
        if isinstance(value, list):
            return ", ".join(map(str, value))
        return " ".join(str(value).split())
