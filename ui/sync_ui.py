"""Sync from the window: this vault's card, trusting a card, exporting for a peer, importing a
file, and the conflicts view (keep mine, take theirs, or edit)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.case.names import display_name

from desktop.i18n import N_, _
from ui.models.base import Index, TranslatedTableModel


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class ConflictModel(TranslatedTableModel):
    HEADERS = (
        N_("Client"),
        N_("Record"),
        N_("Field"),
        N_("Kept here"),
        N_("From the other vault"),
        N_("From"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.conflicts: list[Any] = []
        self.names: dict[str, str] = {}

    def header_msgids(self) -> tuple[str, ...]:
        return self.HEADERS

    def row_total(self) -> int:
        return len(self.conflicts)

    def set_conflicts(self, conflicts: list[Any], names: dict[str, str]) -> None:
        self.beginResetModel()
        self.conflicts, self.names = list(conflicts), names
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        c = self.conflicts[index.row()]
        return [
            self.names.get(c.client_id, c.client_id),
            c.kind,
            c.field,
            _show(c.local),
            _show(c.theirs),
            c.peer_name,
        ][index.column()]


class ConflictsDialog(QDialog):
    """Both values side by side; the user decides. Nothing is dropped silently."""

    def __init__(self, parent: QWidget | None, session: Any) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle(_("Sync conflicts"))
        self.session = session
        self.model = ConflictModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("conflictTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.intro = QLabel(
            _(
                "The same field was changed here and in another vault. The value kept here is "
                "shown next to the other one; choose which stays, or write a new one."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.mine = QPushButton(_("Keep mine"), self)
        self.theirs = QPushButton(_("Take theirs"), self)
        self.edit = QPushButton(_("Edit…"), self)
        self.mine.setObjectName("keepMine")
        self.theirs.setObjectName("takeTheirs")
        self.mine.clicked.connect(lambda: self.resolve("mine"))
        self.theirs.clicked.connect(lambda: self.resolve("theirs"))
        self.edit.clicked.connect(self._edit)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.mine, self.theirs, self.edit):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.resize(900, 420)
        self.reload()

    def reload(self) -> None:
        from desktop.sync import list_conflicts

        conflicts = list_conflicts(self.session.vault)
        names = {
            c.id: display_name(c.data)
            for c in self.session.store.clients()
        }
        self.model.set_conflicts(conflicts, names)
        if conflicts:
            self.view.selectRow(0)
        for b in (self.mine, self.theirs, self.edit):
            b.setEnabled(bool(conflicts))

    def current(self) -> Any:
        index = self.view.currentIndex()
        return self.model.conflicts[index.row()] if index.isValid() else None

    def resolve(self, choice: Any) -> bool:
        from desktop.errors import DeclaraError
        from desktop.sync import resolve_conflict

        conflict = self.current()
        if conflict is None:
            return False
        try:
            resolve_conflict(self.session.vault, conflict.id, choice)
        except DeclaraError as exc:
            self.error.setText(exc.message())
            return False
        self.error.clear()
        self.session.saved.emit()
        self.reload()
        return True

    def _edit(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        conflict = self.current()
        if conflict is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, _("Edit the value"), conflict.field, _show(conflict.local)
        )
        if ok:
            self.resolve(_parse(text, conflict.local))


def _parse(text: str, like: Any) -> Any:
    """A typed value: JSON when the kept value was not plain text, else the text itself."""
    if isinstance(like, str) or like is None:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


class PeerDialog(QDialog):
    """Choose an enrolled vault to export for (and optionally only some clients)."""

    def __init__(
        self,
        parent: QWidget | None,
        peers: list[Any],
        client_name: str | None = None,
        notes: dict[str, str] | None = None,  # device id → its clients (ui.assign_ui.peer_notes)
    ) -> None:
        from PySide6.QtWidgets import QCheckBox

        super().__init__(parent)
        self.setWindowTitle(_("Export for another vault"))
        self.packet = QCheckBox(self)
        self.packet.setObjectName("casePacket")
        self.packet.setVisible(client_name is not None)
        if client_name:
            self.packet.setText(_("Only {name} (a case packet)").format(name=client_name))
        self.peer = QComboBox(self)
        self.peer.setObjectName("syncPeer")
        for p in peers:
            note = (notes or {}).get(p.device_id)
            text = f"{p.name} ({p.role}) — {p.fingerprint[:19]}"
            self.peer.addItem(f"{text} · {note}" if note else text, p.device_id)
        form = QFormLayout()
        form.addRow(_("&Send to:"), self.peer)
        form.addRow("", self.packet)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


def suggested_name(peer_name: str) -> Path:
    safe = "".join(ch if ch.isalnum() else "-" for ch in peer_name).strip("-") or "peer"
    return Path.home() / f"declara-sync-{safe}.age"
