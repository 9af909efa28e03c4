"""Unlock: the passphrase, key derivation off the GUI thread, clear errors that keep the field."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _


class UnlockPage(QWidget):
    unlock_requested = Signal(str)
    other_vault_requested = Signal()
    recover_requested = Signal()  # “Forgot the passphrase?” (ui.recovery_ui)
    language_toggle_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPage")
        self.path: Path | None = None
        self.locked_session = False
        self._demo_passphrase: str | None = None
        self._error = None  # a DeclaraError or None, re-rendered on language change

        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.vault_label = QLabel(self)
        self.vault_label.setObjectName("pathLabel")
        self.vault_label.setWordWrap(True)
        self.language_button = QPushButton(self)
        self.language_button.setObjectName("languageButton")
        self.language_button.clicked.connect(self.language_toggle_requested)
        self.card = QFrame(self)
        self.card.setObjectName("card")
        self.prompt = QLabel(self.card)
        self.passphrase = QLineEdit(self.card)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self._unlock)
        self.prompt.setBuddy(self.passphrase)
        self.demo_note = QLabel(self.card)
        self.demo_note.setObjectName("demoNote")
        self.demo_note.setWordWrap(True)
        # Qt's enums set by name: the first use of the Qt namespace costs 15 ms of start-up.
        self.demo_note.setProperty("textInteractionFlags", "TextSelectableByMouse")
        self.demo_note.setProperty("textFormat", "RichText")
        self.demo_note.setVisible(False)
        self.error = QLabel(self.card)
        self.error.setObjectName("unlockError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.busy = QProgressBar(self.card)
        self.busy.setRange(0, 0)
        self.busy.setFixedHeight(6)
        self.busy.setVisible(False)
        self.unlock_button = QPushButton(self.card)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.other_button = QPushButton(self.card)
        self.other_button.setObjectName("otherVault")
        self.other_button.setFlat(True)
        self.other_button.clicked.connect(self.other_vault_requested)
        self.forgot_button = QPushButton(self.card)
        self.forgot_button.setObjectName("forgotPassphrase")
        self.forgot_button.setFlat(True)
        self.forgot_button.clicked.connect(self.recover_requested)

        card = QVBoxLayout(self.card)
        card.addWidget(self.prompt)
        card.addWidget(self.passphrase)
        card.addWidget(self.demo_note)
        card.addWidget(self.error)
        card.addWidget(self.busy)
        buttons = QHBoxLayout()
        buttons.addWidget(self.other_button)
        buttons.addWidget(self.forgot_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        card.addLayout(buttons)

        corner = QVBoxLayout()  # the language button at the top right (no Qt.AlignmentFlag, as above)
        corner.addWidget(self.language_button)
        corner.addStretch(1)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addLayout(corner)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addLayout(header)
        column.addWidget(self.vault_label)
        column.addSpacing(8)
        column.addWidget(self.card)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 2)
        outer.addStretch(1)
        self.retranslate_ui()

    def set_vault(
        self, path: Path, *, locked_session: bool = False, demo_passphrase: str | None = None
    ) -> None:
        self.path = path
        self.locked_session = locked_session
        self._demo_passphrase = demo_passphrase
        self.passphrase.clear()
        if demo_passphrase:
            self.passphrase.setText(demo_passphrase)
        self.clear_error()
        self.retranslate_ui()

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.other_button.setEnabled(not busy)
        self.forgot_button.setEnabled(not busy)
        if not busy:
            self.passphrase.setFocus()

    def show_error(self, error: object) -> None:
        """Show why the vault did not open; the typed passphrase stays, selected for retyping."""
        self._error = error
        self.error.setText(error.message() if hasattr(error, "message") else str(error))  # type: ignore[attr-defined]
        self.error.setVisible(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def clear_error(self) -> None:
        self._error = None
        self.error.clear()
        self.error.setVisible(False)

    def _unlock(self) -> None:
        if self.unlock_button.isEnabled() and self.passphrase.text():
            self.clear_error()
            self.unlock_requested.emit(self.passphrase.text())

    def retranslate_ui(self) -> None:
        from desktop.i18n import LANGUAGE_NAMES, current_language

        other = "es" if current_language() == "en" else "en"
        self.language_button.setText(LANGUAGE_NAMES[other])
        self.language_button.setToolTip(_("Switch the interface language (F12)"))
        self.title.setText(_("Declara is locked") if self.locked_session else _("Unlock your vault"))
        self.vault_label.setText(_("Vault: {path}").format(path=self.path) if self.path else "")
        self.prompt.setText(_("&Passphrase:"))
        self.unlock_button.setText(_("Unlock"))
        self.other_button.setText(_("Open another vault…"))
        self.forgot_button.setText(_("Forgot the passphrase?"))
        if self._demo_passphrase:
            from html import escape

            self.demo_note.setText(
                escape(_("This demo vault holds fictional clients only. Its passphrase is:"))
                + "<br><b style='font-family: monospace; font-size: 12pt'>"
                + escape(self._demo_passphrase)
                + "</b>"
            )
        self.demo_note.setVisible(bool(self._demo_passphrase))
        if self._error is not None:
            self.error.setText(self._error.message() if hasattr(self._error, "message") else str(self._error))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
