"""The “Backups…” dialog (File menu): the vault's backups (time, reason, size, where), “Back up
now”, “Choose second folder…” and “Restore to a new vault…”. The same dialog, without a vault open,
is the damaged-vault dialog's “Restore a backup…” (:func:`offer_restore`). The work is
:mod:`desktop.vault.backups`; a restore never goes over the current vault or into any vault folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.vault import backups
from ui import dialogs, ops
from ui.checked_dialog import OnePassphraseDialog
from ui.models.base import Index, TranslatedTableModel

if TYPE_CHECKING:
    from desktop.vault.backups import BackupInfo
    from desktop.vault.database import Vault


class BackupTableModel(TranslatedTableModel):
    HEADERS = (N_("Made"), N_("Why"), N_("Size"), N_("Where"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[BackupInfo, str]] = []  # (backup, where: a msgid of WHERE)

    def header_msgids(self) -> tuple[str, ...]:
        return self.HEADERS

    def row_total(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: list[tuple[BackupInfo, str]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def backup_at(self, row: int) -> BackupInfo | None:
        return self.rows[row][0] if 0 <= row < len(self.rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info, where = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        size = backups.format_size(info.size)
        return [backups.format_when(info.made_at), info.reason_label, size, _(where)][index.column()]


#: Where a backup listed in the dialog is.
VAULT_FOLDER, SECOND_FOLDER, OTHER_FOLDER = N_("vault folder"), N_("second folder"), N_("other folder")


class PassphraseDialog(OnePassphraseDialog):
    """Asks the passphrase a backup was made with (it may differ from today's)."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(
            parent, _("Restore a backup"), _("The passphrase the backup was made with:"), "backupPassphrase"
        )
        self.setObjectName("backupPassphraseDialog")


class BackupsDialog(QDialog):
    """The backups of ``vault_path``; with ``vault`` (the open vault) backing up and the second
    folder can be changed too, without it (a damaged vault) only restoring."""

    def __init__(self, parent: QWidget | None, vault_path: Path, vault: Vault | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle(_("Backups"))
        self.window_ = parent
        self.vault_path = Path(vault_path)
        self.vault = vault
        self.restored: Path | None = None
        self.other: Path | None = None  # a folder the user pointed at (a USB stick, a share)
        self.intro = QLabel(
            _(
                "Each backup is a complete copy of the vault, encrypted with the same key and checked "
                "after it was written. Declara makes one when the vault is locked or closed (at most "
                "once an hour, when something changed) and before each sync import, and keeps the "
                "last 10, one a day for a week and one a week for five weeks."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.model = BackupTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("backupTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        for column in range(len(BackupTableModel.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.second_label = QLabel(self)
        self.second_label.setObjectName("secondFolder")
        self.second_label.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setObjectName("fieldError")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.backup_now = QPushButton(_("Back up now"), self)
        self.backup_now.setObjectName("backupNow")
        self.choose_second = QPushButton(_("Choose second folder…"), self)
        self.choose_second.setObjectName("chooseSecondFolder")
        self.clear_second = QPushButton(_("No second folder"), self)
        self.clear_second.setObjectName("clearSecondFolder")
        self.restore_button = QPushButton(_("Restore to a new vault…"), self)
        self.restore_button.setObjectName("restoreBackup")
        self.look_elsewhere = QPushButton(_("Backups in another folder…"), self)
        self.look_elsewhere.setObjectName("otherBackupFolder")
        for button, slot in (
            (self.backup_now, self.make_backup),
            (self.choose_second, self.choose_second_folder),
            (self.clear_second, lambda: self.set_second(None)),
            (self.restore_button, self.restore_selected),
            (self.look_elsewhere, self.choose_other_folder),
        ):
            button.clicked.connect(slot)
        for button in (self.backup_now, self.choose_second, self.clear_second):
            button.setVisible(vault is not None)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.backup_now, self.choose_second, self.clear_second):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.look_elsewhere)
        row.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.second_label)
        layout.addWidget(self.warning)
        layout.addLayout(row)
        layout.addWidget(close)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.resize(820, 440)
        self.reload()

    # -- the list ------------------------------------------------------------------------------------
    def second_folder(self) -> Path | None:
        return backups.second_folder(self.vault) if self.vault is not None else None

    def reload(self) -> None:
        rows = [(b, VAULT_FOLDER) for b in backups.list_backups(self.vault_path)]
        second = self.second_folder()
        if second is not None:
            rows += [(b, SECOND_FOLDER) for b in backups.list_backups(self.vault_path, second)]
        if self.other is not None and self.other != second:
            rows += [(b, OTHER_FOLDER) for b in backups.list_backups(self.vault_path, self.other)]
        rows.sort(key=lambda r: r[0].made_at, reverse=True)
        self.model.set_rows(rows)
        if rows:
            self.view.selectRow(0)
        if self.vault is None:
            text = _("{count} backup(s) in the vault's folder. Choose one to restore it into a new vault.")
            self.second_label.setText(text.format(count=len(rows)))
        elif second is None:
            self.second_label.setText(
                _("No second folder: the backups are only in the vault's own folder, on this computer.")
            )
        else:
            self.second_label.setText(
                _("Second folder (a USB stick, an office share): {path}").format(path=second)
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)
        self.clear_second.setEnabled(self.vault is not None and self.second_folder() is not None)

    def selected(self) -> BackupInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None

    def _say(self, problems: list[Any]) -> None:
        if problems:
            text = "\n".join(ops.describe(p) for p in problems)
            self.warning.setText(text)
            self.warning.show()
            dialogs.error(self, _("The second backup folder"), text)
        else:
            self.warning.hide()

    # -- actions -------------------------------------------------------------------------------------
    def make_backup(self) -> None:
        vault = self.vault
        if vault is None:
            return
        session = getattr(self.window_, "session", None)
        if session is not None:
            session.flush()  # what was typed goes into the backup
        info = ops.run_op(self, lambda: backups.make_backup(vault), title=_("No backup was made"))
        self.reload()
        if info is not None:
            self._say(info.warnings)

    def choose_second_folder(self) -> None:
        if self.vault is None:
            return
        start = self.second_folder() or Path.home()
        title = _("A second folder for the backups (a USB stick, an office share)")
        path = dialogs.open_folder(self, title, start)
        if path is not None:
            self.set_second(path)

    def choose_other_folder(self) -> None:
        """List the backups in a folder the user points at (the vault's second folder is stored
        inside the vault: a damaged vault cannot say where it is)."""
        title = _("A folder holding backups of this vault (a USB stick, an office share)")
        path = dialogs.open_folder(self, title, self.other or Path.home())
        if path is not None:
            self.other = path
            self.reload()

    def set_second(self, path: Path | None) -> None:
        vault = self.vault
        if vault is None:
            return
        ops.run_op(self, lambda: backups.set_second_folder(vault, path), title=_("Not saved"))
        self.reload()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        start = self.vault_path.parent / f"{self.vault_path.stem}-restored.declara"
        target = dialogs.save_file(self, _("Where should the restored vault be created?"), start, "")
        if target is None:
            return
        if target.suffix != ".declara":
            target = target.with_name(target.name + ".declara")
        ask = PassphraseDialog(self)
        accepted = dialogs.exec_dialog(ask) == QDialog.DialogCode.Accepted
        passphrase = ask.passphrase.text()
        ask.passphrase.clear()
        ask.deleteLater()
        if not accepted:
            return
        policy = self._policy()
        restored = ops.run_op(
            self,
            lambda: backups.restore(info.path, target, passphrase, policy),
            title=_("Nothing was restored"),
        )
        if restored is not None:
            self.restored = restored
            dialogs.info(
                self,
                _("Restore a backup"),
                _(
                    "The backup was restored into the new vault {path} and checked. It opens with the "
                    "passphrase the backup was made with. The vault you had open was not changed."
                ).format(path=restored),
            )

    def _policy(self) -> Any:
        controller = getattr(self.window_, "vault", None)
        policy = getattr(controller, "policy", None)
        if policy is None:
            from desktop.vault import keyheader as kh

            policy = kh.PRODUCTION
        return policy


def show_backups(window: Any) -> BackupsDialog | None:
    """File ▸ Backups…: the dialog for the open vault."""
    session = window.session
    if session is None:
        return None
    dialog = BackupsDialog(window, session.vault.path, session.vault)
    dialogs.exec_dialog(dialog)
    dialog.deleteLater()
    return dialog


def offer_restore(parent: Any, path: Path) -> Path | None:
    """The damaged-vault dialog's “Restore a backup…”: the vault's backups, restore one into a new
    vault (never over the damaged one), then offer to unlock it. The restored folder, or None."""
    dialog = BackupsDialog(parent, path, None)
    dialogs.exec_dialog(dialog)
    restored = dialog.restored
    dialog.deleteLater()
    controller = getattr(parent, "vault", None)
    if restored is not None and controller is not None and hasattr(controller, "show_unlock"):
        controller.show_unlock(restored)
    return restored
