"""The damaged-vault dialog at unlock: the key was right but the database is damaged. It says so,
writes nothing, and offers the two ways out: salvage what still reads into a new vault
(:mod:`ui.salvage_ui`) or restore a backup (:mod:`ui.backups_ui`); or close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QStyle, QVBoxLayout, QWidget

from desktop.i18n import _

SALVAGE, RESTORE, CLOSE = "salvage", "restore", "close"


class DamagedVaultDialog(QDialog):
    """Damage at unlock: what happened, and Salvage / Restore / Close."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("damagedVaultDialog")
        self.setWindowTitle(_("The vault is damaged"))
        self.choice = CLOSE
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        title = QLabel(_("The vault is damaged"), self)
        title.setObjectName("pageTitle")
        self.message = QLabel(message, self)
        self.message.setObjectName("damageMessage")
        self.message.setWordWrap(True)
        self.advice = QLabel(
            _(
                "Salvage copies every record that can still be read into a new vault; Restore puts a "
                "backup into a new folder. Either way the damaged folder stays as it is: keep it."
            ),
            self,
        )
        self.advice.setWordWrap(True)
        self.salvage_button = QPushButton(_("Salvage to a new vault…"), self)
        self.salvage_button.setObjectName("salvageButton")
        self.restore_button = QPushButton(_("Restore a backup…"), self)
        self.restore_button.setObjectName("restoreButton")
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.setObjectName("closeButton")
        self.salvage_button.clicked.connect(lambda: self.choose(SALVAGE))
        self.restore_button.clicked.connect(lambda: self.choose(RESTORE))
        self.close_button.clicked.connect(lambda: self.choose(CLOSE))
        self.close_button.setDefault(True)

        head = QHBoxLayout()
        head.addWidget(icon)
        head.addWidget(title, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.salvage_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addWidget(self.advice)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    def choose(self, choice: str) -> None:
        self.choice = choice
        if choice == CLOSE:
            self.reject()
        else:
            self.accept()


def offer_rescue(
    parent: QWidget, path: Path, passphrase: str, error: BaseException, policy: Any = None
) -> str:
    """Show the damaged-vault dialog and do what the user chose; the choice. ``policy``: the
    key-derivation policy the window unlocks with (salvage reads the key header with it)."""
    from ui import dialogs

    message = error.message() if hasattr(error, "message") else str(error)  # type: ignore[attr-defined]
    dialog = DamagedVaultDialog(message, parent)
    dialogs.shown.append(("damaged", message))
    dialogs.exec_dialog(dialog)
    choice = dialog.choice
    dialog.deleteLater()
    if choice == SALVAGE:
        from ui.salvage_ui import offer_salvage

        if policy is not None:
            offer_salvage(parent, path, passphrase, policy=policy)
        else:
            offer_salvage(parent, path, passphrase)
    elif choice == RESTORE:
        from ui.backups_ui import offer_restore

        offer_restore(parent, path)
    return choice
