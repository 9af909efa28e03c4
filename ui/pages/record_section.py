"""One section of a client's record that holds a list: a table, Add/Delete, and a form for the
selected row (family members, allegations, rebuttal items, FOIA requests). Read-only sections
(visits, timeline, declaration until their issues land) show only the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.case.model import Record
from ui.forms import FieldSpec, FormWidget
from ui.models.record_table import ColumnSpec, RecordTableModel


class RecordSection(QWidget):
    add_requested = Signal(str, object)  # kind, parent id (or None)
    delete_requested = Signal(str)  # record id
    edited = Signal(str, str, object)  # record id, path, value
    selected = Signal(object)  # Record or None
    activated = Signal(str)  # record id (Enter or double-click)

    def __init__(
        self,
        kind: str,
        columns: list[ColumnSpec],
        fields: list[FieldSpec] | None,
        *,
        add_label: str,
        empty_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.parent_id: str | None = None
        self._add_label = add_label
        self._empty_text = empty_text
        self.setObjectName(f"section_{kind}")
        self.model = RecordTableModel(columns, self)
        self.table = QTableView(self)
        self.table.setObjectName(f"table_{kind}")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.installEventFilter(self)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.empty = QLabel(self)
        self.empty.setObjectName("emptyNote")
        self.empty.setWordWrap(True)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName(f"add_{kind}")
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.kind, self.parent_id))
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName(f"delete_{kind}")
        self.delete_button.clicked.connect(self._delete)
        self.delete_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self._buttons = buttons

        self.form: FormWidget | None = None
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.empty)
        top_layout.addWidget(self.table, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if fields is not None:
            self.form = FormWidget(fields, self)
            self.form.setObjectName(f"form_{kind}")
            self.form.edited.connect(self._edited)
            self.form.clear()
            scroll = QScrollArea(self)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            self.form_area = QWidget(self)
            self.form_layout = QVBoxLayout(self.form_area)
            self.form_layout.setContentsMargins(0, 0, 0, 0)
            self.form_layout.addWidget(self.form)
            self.form_layout.addStretch(1)
            scroll.setWidget(self.form_area)
            self.form.setMaximumWidth(860)
            self.lower = QSplitter(Qt.Orientation.Horizontal, self)
            self.lower.addWidget(scroll)
            self.lower.setChildrenCollapsible(False)
            self.splitter = QSplitter(Qt.Orientation.Vertical, self)
            self.splitter.addWidget(top)
            self.splitter.addWidget(self.lower)
            self.splitter.setStretchFactor(0, 1)
            self.splitter.setStretchFactor(1, 3)
            self.splitter.setSizes([160, 540])
            self.table.setMinimumHeight(84)
            self.splitter.setChildrenCollapsible(False)
            layout.addWidget(self.splitter)
        else:
            self.add_button.setVisible(False)
            self.delete_button.setVisible(False)
            layout.addWidget(top)
        self.retranslate_ui()

    def insert_buttons(self, widgets: list[QWidget]) -> None:
        """More actions on the selected row, after Add and Delete."""
        for i, widget in enumerate(widgets):
            self._buttons.insertWidget(2 + i, widget)

    def add_side_panel(self, widget: QWidget) -> None:
        """Place a nested section (the rebuttal items of an allegation) beside the form."""
        self.lower.addWidget(widget)
        self.lower.setStretchFactor(0, 3)
        self.lower.setStretchFactor(1, 2)

    # -- data ------------------------------------------------------------------------------------
    def set_records(self, records: list[Record], *, select: str | None = None) -> None:
        current = select or self.current_id()
        self.model.set_records(records)
        self.empty.setVisible(not records)
        self.table.setVisible(bool(records))
        row = self.model.row_of(current) if current else -1
        if row < 0 and records and self.form is not None:
            row = 0
        if row >= 0:
            self._select_row(row)
        else:
            self._row_changed()
        self._fit_columns()

    def select(self, record_id: str) -> None:
        """Make this record the current one (its form shown), if the list holds it."""
        row = self.model.row_of(record_id)
        if row >= 0:
            self._select_row(row)

    def _select_row(self, row: int) -> None:
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    def focus_form(self) -> None:
        """Put the keyboard in the form's first field."""
        if self.form is not None:
            next(iter(self.form.editors.values())).widget.setFocus()

    def _fit_columns(self) -> None:
        """Columns as wide as their content, at most 280 px or a share of a narrow table; the last
        one takes the rest."""
        self.table.resizeColumnsToContents()
        count = self.model.columnCount()
        cap = min(280, max(110, int(self.table.viewport().width() * 1.6 / max(count, 1))))
        for column in range(count - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            obj is self.table
            and event.type() in (QEvent.Type.Resize, QEvent.Type.Show)
            and self.model.rowCount()
        ):
            self._fit_columns()
        return super().eventFilter(obj, event)

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.record_at(index.row()).id if index.isValid() else None

    def current_record(self) -> Record | None:
        index = self.table.currentIndex()
        return self.model.record_at(index.row()) if index.isValid() else None

    def record_saved(self, record: Record, path: str) -> None:
        self.model.update_record(record)
        if self.form is not None and record.id == self.current_id():
            self.form.field_saved(path, record.data)

    def _row_changed(self, *_args: Any) -> None:
        record = self.current_record()
        if self.form is not None:
            self.form.set_data(record.data if record else None)
        self.delete_button.setEnabled(record is not None)
        self.selected.emit(record)

    def _activated(self, index: Any) -> None:
        if index.isValid():
            self.activated.emit(self.model.record_at(index.row()).id)

    def _edited(self, path: str, value: object) -> None:
        record = self.current_record()
        if record is not None:
            self.edited.emit(record.id, path, value)

    def _delete(self) -> None:
        record = self.current_record()
        if record is not None:
            self.delete_requested.emit(record.id)

    def clear(self) -> None:
        self.parent_id = None
        self.set_records([])

    # -- language --------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.add_button.setText(_(self._add_label))
        self.delete_button.setText(_("Delete"))
        self.empty.setText(_(self._empty_text))
        self.model.retranslate()
        if self.model.rowCount():
            self._fit_columns()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
