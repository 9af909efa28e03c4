"""The client list: a QAbstractTableModel over ``desktop.case.clients.client_rows``.

Sorting and search happen in the model (Python sorts 10,000 rows in a few milliseconds; the search
itself is an FTS5 query in the vault), so the view never holds more than the visible rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.case.names import sorted_name

from desktop.case.anumber import format_a_number
from desktop.case.clients import ClientRow
from desktop.case.dates import format_edtf
from desktop.i18n import N_, _, babel_locale, current_language
from desktop.case.model import VOCABULARIES
from ui.models.base import Index as _Index
from ui.models.base import TranslatedTableModel
from ui.models.laptops import LaptopCell
from ui.longtext import elide

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3


class Column(IntEnum):
    NAME = 0
    A_NUMBER = 1
    FACILITY = 2
    CUSTODY = 3
    NEXT_HEARING = 4
    NEXT_DEADLINE = 5
    LAPTOPS = 6  # the office's vault only (ui.models.laptops)


HEADERS = {
    Column.NAME: N_("Name"),
    Column.A_NUMBER: N_("A-number"),
    Column.FACILITY: N_("Facility"),
    Column.CUSTODY: N_("Custody"),
    Column.NEXT_HEARING: N_("Next hearing"),
    Column.NEXT_DEADLINE: N_("Next deadline"),
    # Translators: the client list's column naming the laptops a client is assigned to (office).
    Column.LAPTOPS: N_("Laptops"),
}
NO_LAPTOPS = LaptopCell()


def format_day(day: date) -> str:
    from babel.dates import format_date

    return format_date(day, "medium", locale=babel_locale(current_language()))


def short_date(value: str) -> str:
    """A date for a narrow column: an exact day in the medium format ("Dec 15, 2026", "15 dic
    2026"), anything less precise as said ("February 2027", "around 2026"); the tooltip says it whole."""
    from desktop.case.dates import parse_edtf
    from desktop.errors import DeclaraError

    try:
        parsed = parse_edtf(value)
    except DeclaraError:
        return value
    exact = parsed.precision == "day" and not (parsed.approximate or parsed.uncertain)
    if exact and parsed.lower is not None and parsed.lower == parsed.upper:
        return format_day(parsed.lower)
    return format_edtf(value, current_language())


def deadline_text(deadline: Any) -> str:
    if deadline is None:
        return ""
    # Translators: a client's next deadline in the client list, e.g. "FOIA answer · Dec 10, 2024".
    text = _("{what} · {date}").format(what=_(deadline.label_msgid), date=format_day(deadline.due))
    # Translators: said in words so that "overdue" never depends on colour alone.
    return _("Overdue: {deadline}").format(deadline=text) if deadline.overdue else text


class ClientTableModel(TranslatedTableModel):
    def __init__(self, load: Callable[[], list[ClientRow]] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._load = load
        self._all: list[ClientRow] = []
        self._rows: list[ClientRow] = []
        self._filter: set[str] | None = None
        self._sort: tuple[int, Qt.SortOrder] = (Column.NAME, Qt.SortOrder.AscendingOrder)
        self._load_laptops: Callable[[], dict[str, LaptopCell]] | None = None
        self._laptops: dict[str, LaptopCell] = {}

    # -- loading ---------------------------------------------------------------------------------
    def set_loader(self, load: Callable[[], list[ClientRow]] | None) -> None:
        self._load = load
        self.reload()

    def set_laptops_loader(self, load: Callable[[], dict[str, LaptopCell]] | None) -> None:
        """Show the “Laptops” column, read by ``load`` (one call per load of the list), or not (None)."""
        self.beginResetModel()
        self._load_laptops = load
        self._laptops = load() if load else {}
        self._all = self._sorted(self._all)
        self._rows = self._visible()
        self.endResetModel()

    @property
    def shows_laptops(self) -> bool:
        return self._load_laptops is not None

    def laptops_of(self, client_id: str) -> LaptopCell:
        return self._laptops.get(client_id, NO_LAPTOPS)

    def reload(self) -> None:
        self.beginResetModel()
        self._laptops = self._load_laptops() if self._load_laptops else {}
        self._all = self._sorted(self._load() if self._load else [])
        self._rows = self._visible()
        self.endResetModel()

    def clear(self) -> None:
        """Forget every row (on lock)."""
        self._load = self._load_laptops = None
        self.beginResetModel()
        self._all, self._rows, self._filter, self._laptops = [], [], None, {}
        self.endResetModel()

    def set_filter(self, ids: set[str] | None) -> None:
        """Show only these client ids (None: all), in the current order."""
        self.beginResetModel()
        self._filter = ids
        self._rows = self._visible()
        self.endResetModel()

    def _visible(self) -> list[ClientRow]:
        ids = self._filter
        return self._all if ids is None else [r for r in self._all if r.id in ids]

    def _sorted(self, rows: list[ClientRow]) -> list[ClientRow]:
        """Rows in the current order; rows without a value for the column come last."""
        column, order = self._sort
        key = _SORT_KEYS[Column(column)]
        if column == Column.CUSTODY:  # translate each status once, not once per row
            labels = {v: _(label) for v, label in VOCABULARIES["custody_status"].items()}
            key = lambda r: labels.get(r.custody_status)  # noqa: E731
        elif column == Column.LAPTOPS:
            key = lambda r: self.laptops_of(r.id).text().casefold() or None  # noqa: E731
        keyed = [(key(r), r) for r in rows]
        present = [pair for pair in keyed if pair[0] is not None]
        missing = [r for k, r in keyed if k is None]
        present.sort(key=lambda pair: pair[0], reverse=order == Qt.SortOrder.DescendingOrder)
        return [r for _k, r in present] + missing

    def row_of(self, client_id: str) -> int:
        for i, row in enumerate(self._rows):
            if row.id == client_id:
                return i
        return -1

    def rows_of(self, client_ids: set[str]) -> list[int]:
        """The rows showing these clients (one pass over the list)."""
        return [i for i, row in enumerate(self._rows) if row.id in client_ids]

    def header_msgids(self) -> list[str]:
        return [HEADERS[c] for c in Column if c != Column.LAPTOPS or self._load_laptops is not None]

    def row_total(self) -> int:
        return len(self._rows)

    def client_at(self, row: int) -> ClientRow:
        return self._rows[row]

    @property
    def total(self) -> int:
        return len(self._all)

    # -- Qt model API ----------------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if column == Column.LAPTOPS and role != ID_ROLE:
            return self._laptop_data(self.laptops_of(row.id), role)
        if role == Qt.ItemDataRole.DisplayRole:
            return elide(self._display(row, column))  # a cell never lays out a megabyte
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return _SORT_KEYS[column](row)
        if role == OVERDUE_ROLE:
            return bool(row.deadline and row.deadline.overdue)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.NEXT_DEADLINE:
            if row.deadline is not None and row.deadline.overdue:
                return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NEXT_DEADLINE and row.deadline:
            return deadline_text(row.deadline)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NEXT_HEARING and row.next_hearing:
            return format_edtf(row.next_hearing, current_language())  # the whole date, in words
        return None

    def _laptop_data(self, cell: LaptopCell, role: int) -> Any:
        """The laptops cell: names; the laptops awaiting deletion say so in words, in italics and,
        when no laptop is assigned any more, greyed."""
        if role == Qt.ItemDataRole.DisplayRole:
            return elide(cell.text())
        if role == SORT_ROLE:
            return cell.text().casefold() or None
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tooltip() or None
        if role == Qt.ItemDataRole.FontRole and cell.pending:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and cell.pending and not cell.assigned:
            return QBrush(QColor("#6b6b6b"))
        return None

    def _display(self, row: ClientRow, column: Column) -> str:
        if column == Column.NAME:
            return sorted_name(row.given_names, row.family_names)
        if column == Column.A_NUMBER:
            return format_a_number(row.a_number)
        if column == Column.FACILITY:
            return row.facility
        if column == Column.CUSTODY:
            label = VOCABULARIES["custody_status"].get(row.custody_status or "")
            return _(label) if label else ""
        if column == Column.NEXT_HEARING:
            return short_date(row.next_hearing) if row.next_hearing else ""
        return deadline_text(row.deadline)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._all = self._sorted(self._all)
        self._rows = self._visible()
        self.layoutChanged.emit()


_SORT_KEYS: dict[Column, Callable[[ClientRow], Any]] = {
    Column.NAME: lambda r: r.sort_name,
    Column.A_NUMBER: lambda r: r.a_number,
    Column.FACILITY: lambda r: r.facility.casefold() or None,
    Column.CUSTODY: lambda r: r.custody_status,  # replaced by the translated label in _sorted
    Column.NEXT_HEARING: lambda r: r.next_hearing_lo,
    Column.NEXT_DEADLINE: lambda r: r.deadline.due if r.deadline else None,
    Column.LAPTOPS: lambda r: None,  # replaced by the model's laptops in _sorted
}
