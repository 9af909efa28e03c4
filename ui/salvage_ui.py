"""Salvage from the window: the damaged-vault message offers it (:func:`offer_salvage`).

The dialog asks where the new vault goes (a new folder beside the damaged one by default) and its
passphrase (the same as the damaged vault's, or a new one), then :func:`desktop.vault.salvage.salvage`
runs in a worker thread and its report is shown. The damaged folder is only ever read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.vault import keyheader as kh
from ui import dialogs
from ui.checked_dialog import CheckedDialog, passphrase_fields, passphrase_problem

if TYPE_CHECKING:
    from desktop.vault.salvage import SalvageReport
    from ui.workers import Task


def default_target(damaged: Path) -> Path:
    """A new folder beside the damaged one: ``<name>-salvaged`` (then ``-salvaged-2``, …)."""
    damaged = Path(damaged)
    stem, suffix = damaged.stem, damaged.suffix
    for number in range(1, 1000):
        tail = "-salvaged" if number == 1 else f"-salvaged-{number}"
        candidate = damaged.with_name(f"{stem}{tail}{suffix}")
        if not candidate.exists():
            return candidate
    return damaged.with_name(f"{stem}-salvaged-new{suffix}")


class SalvageDialog(CheckedDialog):
    """Where the new vault goes and its passphrase; OK only when both are acceptable."""

    def __init__(self, parent: QWidget | None, damaged: Path, *, can_keep_passphrase: bool) -> None:
        super().__init__(parent)
        self.setObjectName("salvageDialog")
        self.setWindowTitle(_("Salvage the damaged vault"))
        intro = QLabel(
            _(
                "Salvage copies every record that can still be read from the damaged vault into a new "
                "vault. The damaged vault is only read, never changed: keep it until you have checked "
                "the new one."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit(str(default_target(damaged)), self)
        self.folder.setObjectName("salvageFolder")
        choose = QPushButton(_("Choose…"), self)
        choose.setObjectName("salvageChoose")
        choose.clicked.connect(self._choose)
        row = QWidget(self)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.folder, 1)
        row_layout.addWidget(choose)
        self.same = QCheckBox(_("Use the same passphrase as the damaged vault"), self)
        self.same.setObjectName("salvageSamePassphrase")
        self.same.setChecked(can_keep_passphrase)
        self.same.setVisible(can_keep_passphrase)
        self.first, self.second = passphrase_fields(self, "salvagePassphrase")
        self.first.setPlaceholderText(_("New passphrase"))
        self.same.toggled.connect(self._sync_fields)
        self.make_error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Salvage"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(_("New vault folder:"), self))
        layout.addWidget(row)
        for widget in (self.same, self.first, self.second, self.error, buttons):
            layout.addWidget(widget)
        self._damaged = Path(damaged)
        self._sync_fields()

    def _sync_fields(self) -> None:
        typed = not self.same.isChecked()
        self.first.setVisible(typed)
        self.second.setVisible(typed)

    def _choose(self) -> None:
        start = Path(self.folder.text()).parent if self.folder.text() else self._damaged.parent
        chosen = dialogs.open_folder(self, _("Choose where the new vault goes"), start)
        if chosen is not None:
            self.folder.setText(str(chosen / default_target(self._damaged).name))

    def target(self) -> Path:
        return Path(self.folder.text().strip())

    def new_passphrase(self) -> str | None:
        """The passphrase typed, or None to keep the damaged vault's."""
        return None if self.same.isChecked() else self.first.text()

    def problem(self) -> str | None:
        text = self.folder.text().strip()
        if not text:
            return _("Choose a folder for the new vault.")
        target = Path(text)
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            return _("{path} already exists and is not empty; choose a new name.").format(path=target)
        if not self.same.isChecked():
            return passphrase_problem(self.first, self.second)
        return None


def offer_salvage(
    parent: QWidget,
    damaged_path: Path,
    data_key_or_passphrase: bytes | str,
    *,
    policy: kh.KdfPolicy | None = None,
    on_done: Callable[[SalvageReport], Any] | None = None,
) -> Task | None:
    """Ask where and with which passphrase, salvage in a worker, show the report. Returns the
    running task, or None when the user cancelled. ``data_key_or_passphrase``: the damaged vault's
    data key (already unlocked) or its passphrase (read from its key header in the worker).
    ``policy``: the key-derivation policy; by default the main window's (``window.vault.policy``),
    else the application's."""
    from ui import ops

    if policy is None:
        controller = getattr(parent.window(), "vault", None)
        policy = getattr(controller, "policy", None)
        policy = policy if isinstance(policy, kh.KdfPolicy) else kh.PRODUCTION

    damaged = Path(damaged_path)
    known = data_key_or_passphrase if isinstance(data_key_or_passphrase, str) else None
    dialog = SalvageDialog(parent, damaged, can_keep_passphrase=known is not None)
    accepted = dialogs.exec_dialog(dialog) == QDialog.DialogCode.Accepted
    target, new = dialog.target(), dialog.new_passphrase()
    dialog.deleteLater()
    if not accepted:
        return None
    passphrase = new if new is not None else known
    assert passphrase is not None

    def work() -> SalvageReport:
        from desktop.vault.salvage import read_key, salvage

        if isinstance(data_key_or_passphrase, bytes):
            key = data_key_or_passphrase
        else:
            key = read_key(damaged, data_key_or_passphrase, policy)
        return salvage(damaged, target, key, passphrase, policy, check_strength=new is not None)

    def done(report: SalvageReport) -> None:
        from desktop.vault.salvage import describe

        lines = describe(report)
        if report.records_rescued:
            dialogs.info(parent, _("Salvage finished"), "\n".join(lines))
        else:
            lines.append(
                _(
                    "Not one record could be read from the damaged vault, so the new vault {path} is "
                    "empty. Restore a backup instead (File ▸ Backups…)."
                ).format(path=target)
            )
            dialogs.error(parent, _("Nothing could be salvaged"), "\n".join(lines))
        if on_done is not None:
            on_done(report)

    return ops.run_op(parent, work, done, title=_("Salvage failed"), background=True)
