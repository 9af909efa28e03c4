"""The Packet tab of a client's record (Ctrl+0): the filing packet for the Immigration Court — its
caption and service, the exhibits in order (Alt+Up/Down or drag to reorder, Insert adds, Delete
removes), what still blocks building, and the preview of what was built. A view: it emits intents,
the packet controller (:mod:`ui.controllers.packet`) stores and builds."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.case.store import get_path
from desktop.i18n import N_, _
from ui.models.packet import ExhibitRow, ExhibitTableModel
from ui.pages.packet_preview import PacketPreview

NUMBERING = (("letters", N_("Letters (A, B, C …)")), ("numbers", N_("Numbers (1, 2, 3 …)")))
SERVICE_METHODS = (
    ("ecas", N_("ECAS (electronic filing)")),
    ("mail", N_("First-class mail")),
    ("hand", N_("Hand delivery")),
    ("email", N_("Email")),
)
#: The text fields: path in the packet record, label (msgid, with its mnemonic), placeholder.
TEXT_FIELDS = (
    ("title", N_("Tit&le:"), ""),
    ("court", N_("&Court:"), N_("e.g. Houston Immigration Court")),
    ("hearing.date", N_("Hearin&g:"), "2026-12-18"),
    ("hearing.time", N_("Time:"), "09:00"),
    ("hearing.judge", N_("&Judge:"), N_("e.g. Hon. Jane Doe")),
    ("service.date", N_("Served on:"), "2026-12-10"),
    ("service.address", N_("OPLA add&ress:"), N_("DHS Office of the Principal Legal Advisor, street, city")),
    ("service.attorney", N_("Attorney:"), N_("Who signs the proof of service")),
)


class PacketTab(QWidget):
    field_changed = Signal(str, object)  # path ("hearing.date"), value
    exhibits_changed = Signal(list)  # [{"source", "description"}, …] in the new order
    add_requested = Signal()
    default_requested = Signal()
    build_requested = Signal()
    save_requested = Signal()
    filed_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packetTab")
        self._data: dict[str, Any] = {}
        self._labels: dict[str, QLabel] = {}
        self.fields: dict[str, QLineEdit] = {}
        self.filed_banner = QLabel(self)
        self.filed_banner.setObjectName("packetFiled")
        self.filed_banner.setWordWrap(True)
        self.filed_banner.setStyleSheet("QLabel { background: #fff4d6; padding: 4px 8px; }")
        for path, _label, _hint in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName("packet_" + path.replace(".", "_"))
            edit.editingFinished.connect(lambda path=path: self._text_done(path))
            self.fields[path] = edit
            self._labels[path] = QLabel(self)
            self._labels[path].setBuddy(edit)
        self.fields["title"].setMaxLength(300)
        self.fields["hearing.date"].setMaximumWidth(120)
        self.fields["hearing.time"].setMaximumWidth(70)
        self.fields["service.date"].setMaximumWidth(120)
        self.numbering = QComboBox(self)
        self.numbering.setObjectName("packetNumbering")
        self.numbering.activated.connect(lambda _i: self._combo_done("numbering", self.numbering))
        self.method = QComboBox(self)
        self.method.setObjectName("packetServiceMethod")
        self.method.activated.connect(lambda _i: self._combo_done("service.method", self.method))
        self.limit = QSpinBox(self)
        self.limit.setObjectName("packetLimit")
        self.limit.setRange(1, 500)
        self.limit.setValue(25)
        self.limit.editingFinished.connect(self._limit_done)
        for key, widget in (
            ("numbering", self.numbering),
            ("service.method", self.method),
            ("limit_mb", self.limit),
        ):
            self._labels[key] = QLabel(self)
            self._labels[key].setBuddy(widget)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        label = self._labels

        def row_of(*widgets: QWidget) -> QHBoxLayout:
            box = QHBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            for widget in widgets:
                box.addWidget(widget)
            box.addStretch(1)
            return box

        grid.addWidget(label["title"], 0, 0)
        grid.addWidget(self.fields["title"], 0, 1, 1, 3)
        grid.addWidget(label["court"], 1, 0)
        grid.addWidget(self.fields["court"], 1, 1)
        grid.addWidget(label["numbering"], 1, 2)
        grid.addWidget(self.numbering, 1, 3)
        grid.addWidget(label["hearing.date"], 2, 0)
        time_row = row_of(self.fields["hearing.date"], label["hearing.time"], self.fields["hearing.time"])
        time_row.setSpacing(8)
        grid.addLayout(time_row, 2, 1)
        grid.addWidget(label["hearing.judge"], 2, 2)
        grid.addWidget(self.fields["hearing.judge"], 2, 3)
        grid.addWidget(label["service.method"], 3, 0)
        grid.addWidget(self.method, 3, 1)
        grid.addWidget(label["service.date"], 3, 2)
        grid.addLayout(row_of(self.fields["service.date"]), 3, 3)
        grid.addWidget(label["service.attorney"], 4, 0)
        grid.addWidget(self.fields["service.attorney"], 4, 1)
        grid.addWidget(label["limit_mb"], 4, 2)
        grid.addLayout(row_of(self.limit), 4, 3)
        grid.addWidget(label["service.address"], 5, 0)
        grid.addWidget(self.fields["service.address"], 5, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)

        self.model = ExhibitTableModel(self)
        self.model.order_changed.connect(self._emit_exhibits)
        # stored once the editor has closed: the list is shown again after storing
        self.model.description_edited.connect(
            lambda _row, _text: QTimer.singleShot(0, self, self._emit_exhibits)
        )
        self.table = QTableView(self)
        self.table.setObjectName("table_exhibit")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setDragDropOverwriteMode(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.resizeSection(2, 190)
        for column in (0, 1, 4, 5):  # short texts: as wide as the header or the widest cell
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.exhibits_label = QLabel(self)
        self.exhibits_label.setObjectName("subsectionTitle")
        self.exhibits_label.setBuddy(self.table)

        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addExhibits")
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeExhibit")
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button = QPushButton(self)
        self.up_button.setObjectName("exhibitUp")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton(self)
        self.down_button.setObjectName("exhibitDown")
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.default_button = QPushButton(self)
        self.default_button.setObjectName("defaultExhibits")
        self.default_button.clicked.connect(self.default_requested)
        exhibit_buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            self.default_button,
        ):
            exhibit_buttons.addWidget(button)
        exhibit_buttons.addStretch(1)

        self.problems = QLabel(self)
        self.problems.setObjectName("packetProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("QLabel { color: #b3261e; }")
        self.build_button = QPushButton(self)
        self.build_button.setObjectName("buildPacket")
        self.build_button.clicked.connect(self.build_requested)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("savePacket")
        self.save_button.clicked.connect(self.save_requested)
        self.filed_button = QPushButton(self)
        self.filed_button.setObjectName("markFiled")
        self.filed_button.clicked.connect(self.filed_requested)
        actions = QHBoxLayout()
        for button in (self.build_button, self.save_button, self.filed_button):
            actions.addWidget(button)
        actions.addStretch(1)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filed_banner)
        left_layout.addLayout(grid)
        left_layout.addWidget(self.exhibits_label)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(exhibit_buttons)
        left_layout.addWidget(self.problems)
        left_layout.addLayout(actions)
        self.preview = PacketPreview(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)

        def key(keys: str, slot: Any, widget: QWidget) -> None:
            shortcut = QShortcut(QKeySequence(keys), widget)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        key("Alt+Up", lambda: self.move_current(-1), self.table)
        key("Alt+Down", lambda: self.move_current(1), self.table)
        key("Ins", self.add_requested.emit, self.table)
        key("Del", self.remove_current, self.table)
        key("Ctrl+S", self.save_button.click, self)
        self._problems: list[str] = []
        self._can_save = False
        self._busy = False
        self.retranslate_ui()
        self.clear()

    # -- data ------------------------------------------------------------------------------------
    def set_packet(self, data: dict[str, Any], rows: list[ExhibitRow]) -> None:
        """Show a packet's fields and exhibits (the selection stays on the same row)."""
        self._data = copy.deepcopy(data)
        for path, edit in self.fields.items():
            value = get_path(data, path)
            edit.setText("" if value is None else str(value))
        self._select_data(self.numbering, data.get("numbering") or "letters")
        self._select_data(self.method, get_path(data, "service.method") or "ecas")
        self.limit.setValue(int(data.get("limit_mb") or 25))
        row = self.table.currentIndex().row()
        self.model.editable = not data.get("filed_on")
        self.model.set_rows(rows, data.get("numbering") or "letters")
        if rows:
            self.select_row(min(max(row, 0), len(rows) - 1))
        self._show_filed()
        self._update_buttons()

    def _show_filed(self) -> None:
        filed = self._data.get("filed_on")
        self.filed_banner.setText(
            _("Filed on {date}: this packet is kept as filed. A change makes a new version.").format(
                date=filed
            )
            if filed
            else ""
        )
        self.filed_banner.setVisible(bool(filed))

    def clear(self) -> None:
        self._data = {}
        for edit in self.fields.values():
            edit.clear()
        self.model.clear()
        self.filed_banner.setVisible(False)
        self.preview.clear()
        self.set_problems([])
        self.set_can_save(False)

    def set_problems(self, problems: list[str]) -> None:
        """What blocks building, in words (Build is off while there is any)."""
        self._problems = list(problems)
        self.problems.setText("\n".join("• " + p for p in problems))
        self.problems.setVisible(bool(problems))
        self._update_buttons()

    def set_can_save(self, can: bool) -> None:
        self._can_save = can
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def select_row(self, row: int) -> None:
        """Select the exhibit; its description is the current cell (typing edits it)."""
        if 0 <= row < self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, self.model.DESCRIPTION),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    # -- exhibit edits (the model changes, then the controller is told) --------------------------
    def move_current(self, delta: int) -> None:
        row = self.current_row()
        if row < 0:
            return
        new = self.model.move_by(row, delta)
        if new >= 0:
            self.select_row(new)

    def remove_current(self) -> None:
        row = self.current_row()
        if row < 0 or not self.model.editable:
            return
        entries = self.model.entries()
        del entries[row]
        self.exhibits_changed.emit(entries)

    def _emit_exhibits(self) -> None:
        self.exhibits_changed.emit(self.model.entries())

    # -- fields ----------------------------------------------------------------------------------
    def _text_done(self, path: str) -> None:
        edit = self.fields[path]
        value = edit.text().strip()
        old = get_path(self._data, path)
        if value == ("" if old is None else str(old)):
            return
        self._set_local(path, value or None)
        self.field_changed.emit(path, value or None)

    def _combo_done(self, path: str, combo: QComboBox) -> None:
        value = combo.currentData()
        if value != get_path(self._data, path):
            self._set_local(path, value)
            if path == "numbering":
                self.model.set_numbering(value)
            self.field_changed.emit(path, value)

    def _limit_done(self) -> None:
        value = self.limit.value()
        if value != int(self._data.get("limit_mb") or 25):
            self._set_local("limit_mb", value)
            self.field_changed.emit("limit_mb", value)

    def _set_local(self, path: str, value: Any) -> None:
        parts = path.split(".")
        target = self._data
        for part in parts[:-1]:
            inner = target.get(part)
            if not isinstance(inner, dict):
                inner = target[part] = {}
            target = inner
        target[parts[-1]] = value

    @staticmethod
    def _select_data(combo: QComboBox, value: Any) -> None:
        combo.setCurrentIndex(max(combo.findData(value), 0))

    def _update_buttons(self) -> None:
        row = self.current_row()
        count = self.model.rowCount()
        editable = self.model.editable and not self._busy
        self.add_button.setEnabled(not self._busy)
        self.default_button.setEnabled(not self._busy)
        self.remove_button.setEnabled(editable and row >= 0)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < count - 1)
        self.build_button.setEnabled(not self._busy and count > 0 and not self._problems)
        self.save_button.setEnabled(not self._busy and self._can_save)
        self.filed_button.setEnabled(not self._busy and count > 0)

    def retranslate_ui(self) -> None:
        for path, label, hint in TEXT_FIELDS:
            self._labels[path].setText(_(label))
            self.fields[path].setPlaceholderText(_(hint) if hint and not hint[0].isdigit() else hint)
        self._labels["numbering"].setText(_("&Numbering:"))
        self._labels["service.method"].setText(_("Served b&y:"))
        self._labels["limit_mb"].setText(_("Si&ze limit:"))
        self.limit.setSuffix(" " + _("MB"))
        self.limit.setToolTip(_("Each file stays under this size: the court's upload limit (ECAS)"))
        for combo, options in ((self.numbering, NUMBERING), (self.method, SERVICE_METHODS)):
            current = combo.currentData()
            combo.clear()
            for value, text in options:
                combo.addItem(_(text), value)
            self._select_data(combo, current or options[0][0])
        self.exhibits_label.setText(_("E&xhibits (in the order filed)"))
        self.add_button.setText(_("Add…"))
        self.add_button.setToolTip(_("The declaration, the timeline or the client's documents (Insert)"))
        self.remove_button.setText(_("Remove"))
        self.remove_button.setToolTip(_("Take the exhibit out of the packet; the document stays (Delete)"))
        self.up_button.setText(_("Move up"))
        self.up_button.setToolTip("Alt+Up")
        self.down_button.setText(_("Move down"))
        self.down_button.setToolTip("Alt+Down")
        self.default_button.setText(_("Defa&ult exhibits"))
        self.default_button.setToolTip(
            _("The signed declaration, the timeline, then every document linked to an allegation or rebuttal")
        )
        self.build_button.setText(_("&Build and preview"))
        self.build_button.setToolTip(_("Assembled in memory and checked; nothing is written"))
        self.save_button.setText(_("Save…"))
        self.save_button.setToolTip(_("Write the files to a folder you choose (Ctrl+S)"))
        self.filed_button.setText(_("Mark as filed…"))
        self.filed_button.setToolTip(_("Keep the packet as filed; a later change makes a new version"))
        self.table.setToolTip(
            _("Alt+Up / Alt+Down or drag to reorder; type to edit a description; Ins adds; Del removes")
        )
        self.model.retranslate()
        self.preview.retranslate_ui()
        self._show_filed()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
