"""The Packet tab's dialogs (views): choosing exhibits to add, and the day a packet was filed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _


class AddExhibitsDialog(QDialog):
    """The declaration, the timeline and the client's documents not yet in the packet, each with a
    box to tick (Space ticks the current one); OK adds the ticked ones, in this order."""

    def __init__(self, options: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addExhibitsDialog")
        self.setWindowTitle(_("Add exhibits"))
        self.list = QListWidget(self)
        self.list.setObjectName("exhibitChoices")
        for source, label in options:
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, source)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.list.itemActivated.connect(self._toggle)
        if self.list.count():
            self.list.setCurrentRow(0)
        hint = QLabel(
            _("Tick what to add (Space); it is added at the end of the list in this order.")
            if options
            else _("Everything this client has is in the packet already."),
            self,
        )
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 420)

    def _toggle(self, item: QListWidgetItem) -> None:
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def check(self, source: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == source:
                self.list.item(i).setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[str]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


class FiledDialog(QDialog):
    """The day the packet was filed (YYYY-MM-DD, today by default)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filedDialog")
        self.setWindowTitle(_("Mark as filed"))
        self.day = QLineEdit(date.today().isoformat(), self)
        self.day.setObjectName("filedOn")
        self.day.setPlaceholderText("2026-12-10")
        note = QLabel(_("A filed packet is kept as it was filed: a change later makes a new version."), self)
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Filed &on:"), self.day)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def value(self) -> str:
        return self.day.text().strip()
