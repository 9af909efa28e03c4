"""Recovery from the window (:mod:`desktop.vault.recovery`): set up a recovery code (shown once, its
sheet saved as a PDF), let the trusted office's key open the vault, recover a forgotten passphrase
from the unlock page (“Forgot the passphrase?”) and change the data key.

The dialogs only collect what the user types; the work (seconds of key derivation, the whole
database re-encrypted) runs off the GUI thread through :func:`ui.ops.run_op`, and every failure
ends in a message."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DeclaraError
from desktop.i18n import N_, _
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_vault

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from ui.main_window import MainWindow


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class PassphraseDialog(QDialog):
    """An explanation and the vault's current passphrase."""

    def __init__(self, parent: QWidget, title: str, explanation: str, button: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.explanation = _wrapped(explanation, self)
        self.passphrase = _password_field(self, "currentPassphrase")
        form = QFormLayout()
        form.addRow(_("Passphrase:"), self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(buttons)


class CodeShownDialog(QDialog):
    """The new recovery code, shown this once, and the button that saves its sheet."""

    def __init__(self, parent: QWidget, words: list[str], vault_id: str) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryCodeShown")
        self.setWindowTitle(_("Your recovery code"))
        self.setMinimumWidth(560)
        self.words, self.vault_id = words, vault_id
        self.saved_to: Path | None = None
        half = (len(words) + 1) // 2
        cells = "".join(
            "<tr>"
            + f"<td style='padding: 4px 24px 4px 0'>{i + 1}. {escape(words[i])}</td>"
            + (
                f"<td style='padding: 4px 0'>{i + half + 1}. {escape(words[i + half])}</td>"
                if i + half < len(words)
                else ""
            )
            + "</tr>"
            for i in range(half)
        )
        self.code = QLabel(f"<table style='font-size: 15pt; font-weight: bold'>{cells}</table>", self)
        self.code.setObjectName("recoveryWords")
        self.code.setProperty("textInteractionFlags", "TextSelectableByMouse")
        self.note = _wrapped(
            _(
                "Write these words down or save the recovery sheet and print it, now: they are shown only "
                "this once and Declara does not keep them. Whoever has them can open this vault: keep "
                "the sheet locked away, apart from the laptop. A new code replaces this one."
            ),
            self,
        )
        self.saved = _wrapped("", self)
        self.saved.setObjectName("sheetSaved")
        self.save_button = QPushButton(_("Save the recovery sheet (PDF)…"), self)
        self.save_button.setObjectName("saveSheet")
        self.save_button.clicked.connect(self.save_sheet)
        done = QPushButton(_("Done"), self)
        done.setDefault(True)
        done.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.code)
        layout.addWidget(self.note)
        layout.addWidget(self.saved)
        layout.addLayout(row)

    def save_sheet(self) -> None:
        path = dialogs.save_file(
            self, _("Save the recovery sheet"), Path.home() / "declara-recovery-sheet.pdf", "PDF (*.pdf)"
        )
        if path is None:
            return
        ops.run_op(
            self, lambda: write_sheet(path, self.vault_id, self.words), self._saved, title=_("Not saved")
        )

    def accept(self) -> None:
        """Closing without the sheet saved asks first: the words are never shown again."""
        if self.saved_to is None and not dialogs.confirm(
            self,
            _("Your recovery code"),
            _("The words will not be shown again and the sheet was not saved. Did you write them down?"),
        ):
            return
        super().accept()

    def _saved(self, path: Path) -> None:
        self.saved_to = path
        self.saved.setText(_("Saved to {path}. Print it, then delete the file.").format(path=path))


def write_sheet(path: Path, vault_id: str, words: list[str]) -> Path:
    """Write the sheet PDF; never inside a vault folder."""
    from desktop.vault import fsutil
    from desktop.vault.health import refuse_inside_vault
    from desktop.vault.recovery_sheet import render_sheet

    refuse_inside_vault(path)
    with ops.writing():
        fsutil.write_atomic(path, render_sheet(vault_id, words))
    return path


class RecoverDialog(QDialog):
    """A forgotten passphrase: the recovery code or the office's identity file, and a new passphrase."""

    def __init__(self, parent: QWidget, vault_path: Path) -> None:
        super().__init__(parent)
        self.setObjectName("recoverDialog")
        self.setWindowTitle(_("Recover the vault"))
        self.setMinimumWidth(560)
        self.identity_path: Path | None = None
        intro = _wrapped(
            _(
                "Set a new passphrase for {path} without the old one, with the vault's recovery code "
                "(the words on its recovery sheet) or with the office's key (the office's identity "
                "file, kept by whoever runs the office vault)."
            ).format(path=vault_path),
            self,
        )
        self.use_code = QRadioButton(_("&Recovery code"), self)
        self.use_code.setObjectName("useCode")
        self.use_office = QRadioButton(_("The &office key"), self)
        self.use_office.setObjectName("useOffice")
        group = QButtonGroup(self)
        group.addButton(self.use_code)
        group.addButton(self.use_office)
        self.use_code.setChecked(True)
        self.code = QPlainTextEdit(self)
        self.code.setObjectName("recoveryCode")
        self.code.setPlaceholderText(_("The 10 words, in order (the first four letters of each are enough)"))
        self.code.setFixedHeight(90)
        self.choose = QPushButton(_("Choose the identity file…"), self)
        self.choose.setObjectName("chooseIdentity")
        self.choose.clicked.connect(self._choose_identity)
        self.identity_label = _wrapped(_("No file chosen."), self)
        self.new = _password_field(self, "newPassphrase")
        self.repeat = _password_field(self, "repeatPassphrase")
        form = QFormLayout()
        form.addRow(_("New passphrase:"), self.new)
        form.addRow(_("Repeat it:"), self.repeat)
        self.error = _wrapped("", self)
        self.error.setObjectName("recoverError")
        self.error.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton(_("Set the new passphrase"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        for radio in (self.use_code, self.use_office):
            radio.toggled.connect(self._update)
        office = QHBoxLayout()
        office.addWidget(self.choose)
        office.addWidget(self.identity_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.use_code)
        layout.addWidget(self.code)
        layout.addWidget(self.use_office)
        layout.addLayout(office)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._update()

    def _update(self) -> None:
        self.code.setEnabled(self.use_code.isChecked())
        self.choose.setEnabled(self.use_office.isChecked())

    def _choose_identity(self) -> None:
        path = dialogs.open_file(self, _("The office's identity file"), Path.home(), _("All files (*)"))
        if path is not None:
            self.identity_path = path
            self.identity_label.setText(str(path))

    def request(self) -> dict[str, Any]:
        """What to recover with: ``code`` or ``identity`` (bytes), and ``new_passphrase``. Raises a
        DeclaraError naming what is missing or wrong."""
        from desktop.vault.recovery import MAX_IDENTITY_BYTES, canonical_code

        if self.new.text() != self.repeat.text():
            raise DeclaraError(N_("The two passphrases differ; nothing was changed."))
        if not self.new.text():
            raise DeclaraError(N_("Type a new passphrase."))
        if self.use_code.isChecked():
            return {"code": canonical_code(self.code.toPlainText()), "new_passphrase": self.new.text()}
        if self.identity_path is None:
            raise DeclaraError(N_("Choose the office's identity file."))
        from desktop.limits import read_bounded

        with ops.writing():
            identity = read_bounded(self.identity_path, MAX_IDENTITY_BYTES, N_("The identity file"))
        return {"identity": identity, "new_passphrase": self.new.text()}

    def _accept(self) -> None:
        try:
            self.request()
        except DeclaraError as exc:
            self.error.setText(exc.message())
            self.error.setVisible(True)
            return
        self.accept()


class RecoveryController(Controller):
    """The recovery actions (a submenu of File) and the unlock page's “Forgot the passphrase?”."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.act_code = self.action("actRecoveryCode", None, self.setup_code)
        self.act_office = self.action("actRecoveryOffice", None, self.setup_office)
        self.act_rekey = self.action("actRekey", None, self.change_data_key)
        self.menu: QMenu | None = None

    def add_menu(self, parent: QMenu, before: QAction | None = None) -> None:
        """File ▸ Passphrase and recovery ▸, at the end of ``parent`` or before ``before``."""
        from PySide6.QtWidgets import QMenu

        self.menu = QMenu(parent)
        if before is None:
            parent.addMenu(self.menu)
        else:
            parent.insertMenu(before, self.menu)
        for act in (self.act_code, self.act_office, self.act_rekey):
            self.menu.addAction(act)

    def retranslate(self) -> None:
        if self.menu is not None:
            self.menu.setTitle(_("Passphrase and &recovery"))
        self.act_code.setText(_("Set up a recovery &code…"))
        self.act_office.setText(_("Let the &office key open this vault…"))
        self.act_rekey.setText(_("Change the &data key…"))

    @property
    def path(self) -> Path | None:
        return self.window.vault.path

    def _ask_passphrase(self, title: str, explanation: str, button: str) -> str | None:
        dialog = PassphraseDialog(self.window, title, explanation, button)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted or not dialog.passphrase.text():
            return None
        return dialog.passphrase.text()

    # -- a recovery code -------------------------------------------------------------------------
    @needs_vault
    def setup_code(self) -> None:
        passphrase = self._ask_passphrase(
            _("Set up a recovery code"),
            _(
                "A recovery code is 10 words that open this vault without its passphrase, once. It is "
                "shown only once: save its sheet and print it, and keep it locked away. A new code "
                "replaces any earlier one. Type the vault's passphrase to make it."
            ),
            _("Make the code"),
        )
        if passphrase is None or self.path is None:
            return
        from desktop.vault.database import read_header, unlock
        from desktop.vault.recovery import add_recovery_code

        path, policy = self.path, self.window.vault.policy

        def work() -> tuple[list[str], str]:
            code = add_recovery_code(path, unlock(path, passphrase, policy), policy)
            return code.split(), read_header(path).vault_id

        self.window.hold(True, _("Making the recovery code…"))
        ops.run_op(self.window, work, self._code_made, background=True, on_failure=self._failed)

    def _code_made(self, result: tuple[list[str], str]) -> None:
        self.window.hold(False)
        words, vault_id = result
        self.shown = CodeShownDialog(self.window, words, vault_id)
        dialogs.exec_dialog(self.shown)

    def _failed(self, error: Exception) -> None:
        self.window.hold(False)
        ops.report(self.window, error, _("Nothing was changed"))

    # -- the office key --------------------------------------------------------------------------
    @needs_vault
    def setup_office(self) -> None:
        from desktop.vault.recovery import trusted_office

        assert self.session is not None
        office = ops.run_op(self.window, lambda: trusted_office(self.session.vault), title=_("No office key"))
        if office is None:
            return
        recipient, name = office
        passphrase = self._ask_passphrase(
            _("Let the office key open this vault"),
            _(
                "The office “{name}” will be able to set a new passphrase for this vault if it is "
                "forgotten, with the office's identity file. Type the vault's passphrase to allow it."
            ).format(name=name),
            _("Allow"),
        )
        if passphrase is None or self.path is None:
            return
        from desktop.vault.database import unlock
        from desktop.vault.recovery import add_office_recipient

        path, policy = self.path, self.window.vault.policy
        self.window.hold(True, _("Adding the office key…"))
        ops.run_op(
            self.window,
            lambda: add_office_recipient(path, unlock(path, passphrase, policy), recipient, label=name),
            lambda _r: self._office_added(name),
            background=True,
            on_failure=self._failed,
        )

    def _office_added(self, name: str) -> None:
        self.window.hold(False)
        dialogs.info(
            self.window,
            _("Office key added"),
            _("The office “{name}” can now set a new passphrase for this vault.").format(name=name),
        )

    # -- recovering (from the unlock page) -------------------------------------------------------
    def recover(self) -> None:
        path = self.path
        if path is None or self.session is not None:
            return
        self.dialog = RecoverDialog(self.window, path)
        if dialogs.exec_dialog(self.dialog) != QDialog.DialogCode.Accepted:
            return
        request = ops.run_op(self.window, self.dialog.request, title=_("Nothing was changed"))
        if request is None:
            return
        from desktop.vault.recovery import recover

        policy = self.window.vault.policy
        page = self.window.unlock_page
        page.set_busy(True)
        self.window.vault.when_closed(  # after the lock's backup, if one still runs
            lambda: ops.run_op(
                self.window,
                lambda: recover(path, policy=policy, **request),
                lambda _r: self._recovered("code" in request),
                background=True,
                on_failure=self._recover_failed,
            )
        )

    def _recovered(self, used_code: bool) -> None:
        page = self.window.unlock_page
        page.set_busy(False)
        page.clear_error()
        page.passphrase.clear()
        text = _("The vault has a new passphrase. Unlock it with the new passphrase.")
        if used_code:
            text += " " + _("The recovery code is used up: once the vault is open, set up a new one.")
        dialogs.info(self.window, _("Vault recovered"), text)

    def _recover_failed(self, error: Exception) -> None:
        self.window.unlock_page.set_busy(False)
        ops.report(self.window, error, _("Nothing was changed"))

    # -- a new data key --------------------------------------------------------------------------
    @needs_vault
    def change_data_key(self) -> None:
        passphrase = self._ask_passphrase(
            _("Change the data key"),
            _(
                "The whole vault is re-encrypted under a new random key, checked, and put in place of "
                "the old one. Do it when an old copy of the vault's key header, with an old "
                "passphrase, may be in someone else's hands. The vault is locked meanwhile; the "
                "passphrase and the office key stay; a recovery code stops working and must be made "
                "again. Old backups keep the old key."
            ),
            _("Change the data key"),
        )
        if passphrase is None or self.path is None:
            return
        path, policy = self.path, self.window.vault.policy
        self.window.vault.lock()
        if self.session is not None:
            return  # the lock was cancelled (unsaved edits)
        from desktop.vault.recovery import rekey

        page = self.window.unlock_page
        page.set_busy(True)
        self.window.vault.when_closed(  # after the lock's backup: the vault must be closed
            lambda: ops.run_op(
                self.window,
                lambda: rekey(path, passphrase, policy),
                self._rekeyed,
                background=True,
                on_failure=self._recover_failed,
            )
        )

    def _rekeyed(self, result: Any) -> None:
        self.window.unlock_page.set_busy(False)
        text = _(
            "The data key was changed: {rows} rows re-encrypted and checked. Unlock the vault as before."
        ).format(rows=result.rows)
        if result.code_removed:
            text += " " + _("The recovery code no longer works: set up a new one.")
        dialogs.info(self.window, _("Data key changed"), text)


def offer_header_repair(parent: QWidget, path: Path) -> None:
    """After an unlock: when the vault opened with its key header's copy (the main file damaged or
    missing), or its copy is damaged, say so and offer to put things right; the damaged file is
    kept beside (:func:`desktop.vault.headerfile.repair`). Nothing is written unless the user agrees."""
    from desktop.vault import headerfile

    try:
        st = headerfile.status(path)
    except OSError:
        return
    if st.main == "ok" and st.copy != "damaged":
        return
    if st.main != "ok":
        text = _(
            "The vault's key header ({name}) is damaged or missing; the vault was opened with its copy "
            "({copy}). Put the copy back in place now? The damaged file is kept beside it."
        ).format(name=headerfile.HEADER_NAME, copy=headerfile.COPY_NAME)
    else:
        text = _(
            "The copy of the vault's key header ({copy}) is damaged. Renew it now from the key header? "
            "The damaged file is kept beside it."
        ).format(copy=headerfile.COPY_NAME)
    if dialogs.confirm(parent, _("Key header damaged"), text):
        ops.run_op(parent, lambda: headerfile.repair(path), title=_("Not repaired"))
