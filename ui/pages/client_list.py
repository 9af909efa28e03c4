"""The client list: a search box and a sortable table of every client in the vault."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, ngettext
from ui.models.client_table import ID_ROLE, ClientTableModel, Column


class ClientTable(QTableView):
    open_requested = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().data(ID_ROLE))
            return
        super().keyPressEvent(event)


class ClientListPage(QWidget):
    open_requested = Signal(str)
    search_changed = Signal(str)
    new_client_requested = Signal()

    def __init__(self, model: ClientTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientListPage")
        self.model = model
        self.search = QLineEdit(self)
        self.search.setObjectName("clientSearch")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("countLabel")
        self.table = ClientTable(self)
        self.table.setObjectName("clientTable")
        self.table.setModel(model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows (Shift/Ctrl+click, Shift+arrows): “Assign to…” acts on them all (ui.assign_ui).
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in (
            (Column.NAME, 250),
            (Column.A_NUMBER, 120),
            (Column.FACILITY, 290),
            (Column.CUSTODY, 110),
            (Column.NEXT_HEARING, 180),
        ):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self.open_requested)

        # Debounced: typing fast in a 10,000-client vault runs one query, not one per key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._open_first)
        self.search.installEventFilter(self)
        model.modelReset.connect(self._update_count)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.search, self.table)
        self.retranslate_ui()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self.table.setFocus()
            if self.model.rowCount() and not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            return True
        return super().eventFilter(obj, event)

    def flush_search(self) -> None:
        """Run a pending search now (tests, Enter)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.search_changed.emit(self.search.text())

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(index.data(ID_ROLE))

    def _open_first(self) -> None:
        self.flush_search()
        if self.model.rowCount() == 1:
            self.open_requested.emit(self.model.index(0, 0).data(ID_ROLE))
        elif self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def select_client(self, client_id: str) -> None:
        row = self.model.row_of(client_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def selected_ids(self) -> list[str]:
        """The clients of the selected rows, in the list's order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.client_at(row).id for row in rows]

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if shown == total:
            self.count.setText(ngettext("{count} client", "{count} clients", total).format(count=total))
        else:
            self.count.setText(_("{shown} of {total}").format(shown=shown, total=total))

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search by name, alias or A-number (Ctrl+F)"))
        self.model.retranslate()
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
