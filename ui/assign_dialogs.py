"""The dialogs of the office's assignments (:mod:`ui.assign_ui`): the trusted laptops to assign the
selected clients to (or unassign them from), each a checkable item of a small list model, and the
trusted devices with how many clients each laptop is assigned and how many await removal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _, ngettext
from ui.checked_dialog import CheckedDialog
from ui.models.base import Index, TranslatedTableModel

DEVICE_ROLE = Qt.ItemDataRole.UserRole + 1


class LaptopListModel(QAbstractListModel):
    """Trusted laptops (device id → name), each with a check box; nothing checked at first."""

    def __init__(self, laptops: dict[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self._laptops = list(laptops.items())
        self._checked: set[str] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._laptops)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._laptops):
            return None
        device, name = self._laptops[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if device in self._checked else Qt.CheckState.Unchecked
        if role == DEVICE_ROLE:
            return device
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        device = self._laptops[index.row()][0]
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        if state == Qt.CheckState.Checked.value:
            self._checked.add(device)
        else:
            self._checked.discard(device)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_checked(self, device_id: str, checked: bool = True) -> None:
        for row, (device, _name) in enumerate(self._laptops):
            if device == device_id:
                state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                self.setData(self.index(row), state, Qt.ItemDataRole.CheckStateRole)

    def checked(self) -> list[str]:
        """The device ids checked, in the list's order."""
        return [device for device, _name in self._laptops if device in self._checked]

    def name_of(self, device_id: str) -> str:
        return dict(self._laptops).get(device_id, device_id)


class LaptopChoiceDialog(CheckedDialog):
    """“Assign to…” / “Unassign from…”: which laptops, for the ``count`` clients selected. Space
    checks the current laptop; OK is refused (saying why) while none is checked."""

    def __init__(
        self, parent: QWidget | None, laptops: dict[str, str], count: int, *, assigning: bool
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog" if assigning else "unassignDialog")
        self.assigning, self.count = assigning, count
        self.setMinimumWidth(460)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.model = LaptopListModel(laptops, self)
        self.view = QListView(self)
        self.view.setObjectName("laptopList")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setMinimumHeight(160)
        self.view.setCurrentIndex(self.model.index(0))
        self.intro.setBuddy(self.view)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setObjectName("assignNote")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("assignOk")
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.make_error_label())
        layout.addWidget(buttons)
        self.view.setFocus()
        self.retranslate_ui()

    def chosen(self) -> list[str]:
        return self.model.checked()

    def problem(self) -> str | None:
        return None if self.chosen() else _("Check at least one laptop (Space checks the one selected).")

    def retranslate_ui(self) -> None:
        count = self.count
        if self.assigning:
            self.setWindowTitle(_("Assign to laptops"))
            self.intro.setText(
                ngettext(
                    "Assign the selected client to these &laptops:",
                    "Assign the {count} selected clients to these &laptops:",
                    count,
                ).format(count=count)
            )
            self.note.setText(
                _(
                    "The next sync file for each laptop carries the client's records; nothing else of "
                    "the office."
                )
            )
            self.ok.setText(_("&Assign"))
        else:
            self.setWindowTitle(_("Unassign from laptops"))
            self.intro.setText(
                ngettext(
                    "Unassign the selected client from these &laptops:",
                    "Unassign the {count} selected clients from these &laptops:",
                    count,
                ).format(count=count)
            )
            self.note.setText(
                _(
                    "Each laptop removes the client's records when it imports its next sync file, after "
                    "checking that the office holds everything it sent. Until then the client list shows "
                    "the laptop as awaiting deletion."
                )
            )
            self.ok.setText(_("&Unassign"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class DeviceModel(TranslatedTableModel):
    """The trusted devices; for each laptop (on the office's vault) its clients assigned and awaiting
    removal."""

    HEADERS = (
        N_("Name"),
        N_("Role"),
        N_("Fingerprint"),
        # Translators: a column of the trusted devices: how many clients are assigned to the laptop.
        N_("Clients assigned"),
        # Translators: a column of the trusted devices: clients unassigned, still on the laptop.
        N_("Awaiting deletion"),
    )

    def __init__(
        self, peers: list[Any], counts: dict[str, tuple[int, int]] | None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.peers, self.counts = list(peers), counts

    def header_msgids(self) -> tuple[str, ...]:
        return self.HEADERS

    def row_total(self) -> int:
        return len(self.peers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.peers):
            return None
        peer = self.peers[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return peer.name
        if column == 1:
            return _("Laptop") if peer.role == "laptop" else _("Office")
        if column == 2:
            return peer.fingerprint[:19]
        if self.counts is None or peer.role != "laptop":
            return "—"
        return str(self.counts.get(peer.device_id, (0, 0))[column - 3])


class DevicesDialog(QDialog):
    """Sync ▸ Trusted devices…: read only."""

    def __init__(
        self, parent: QWidget | None, peers: list[Any], counts: dict[str, tuple[int, int]] | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("devicesDialog")
        self.office = counts is not None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.model = DeviceModel(peers, counts, self)
        self.view = QTableView(self)
        self.view.setObjectName("deviceTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(860, 320)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Trusted devices"))
        self.intro.setText(
            _(
                "The vaults this one exchanges sync files with. For each laptop: the clients assigned to "
                "it, and the clients unassigned that it still holds until its next sync file says they "
                "were removed."
            )
            if self.office
            else _("The vaults this one exchanges sync files with.")
        )
        self.model.retranslate()
        self.view.resizeColumnsToContents()  # the headers and the role in either language, uncut

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
