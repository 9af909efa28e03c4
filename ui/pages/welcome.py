"""First run: create a vault, open an existing one, or try the demo vault."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QFormLayout,
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
from desktop.vault.passphrase import MIN_LENGTH, assess


class WelcomePage(QWidget):
    create_requested = Signal(Path, str)
    open_requested = Signal()
    demo_requested = Signal()
    choose_location_requested = Signal()
    language_toggle_requested = Signal()

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.location = default_path

        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("pageIntro")
        self.language_button = QPushButton(self)
        self.language_button.setObjectName("languageButton")
        self.language_button.clicked.connect(self.language_toggle_requested)

        # Create a vault
        self.create_box = QFrame(self)
        self.create_box.setObjectName("card")
        self.create_title = QLabel(self.create_box)
        self.create_title.setObjectName("cardTitle")
        self.location_label = QLabel(self.create_box)
        self.location_value = QLabel(str(default_path), self.create_box)
        self.location_value.setObjectName("pathLabel")
        # Qt's enums set by name and no alignment flags: the first use of the Qt namespace costs 15 ms
        # of start-up (this page can be the first one shown).
        self.location_value.setProperty("textInteractionFlags", "TextSelectableByMouse")
        self.location_button = QPushButton(self.create_box)
        self.location_button.clicked.connect(self.choose_location_requested)
        self.passphrase_label = QLabel(self.create_box)
        self.passphrase = QLineEdit(self.create_box)
        self.passphrase.setObjectName("newPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_label = QLabel(self.create_box)
        self.repeat = QLineEdit(self.create_box)
        self.repeat.setObjectName("repeatPassphrase")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = QProgressBar(self.create_box)
        self.strength.setRange(0, 4)
        self.strength.setTextVisible(False)
        self.strength.setFixedHeight(6)
        self.feedback = QLabel(self.create_box)
        self.feedback.setObjectName("passphraseFeedback")
        self.feedback.setWordWrap(True)
        self.create_button = QPushButton(self.create_box)
        self.create_button.setObjectName("createVault")
        self.create_button.setDefault(True)
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self._create)
        self.passphrase.textChanged.connect(self._assess)
        self.repeat.textChanged.connect(self._assess)
        self.repeat.returnPressed.connect(self._create)
        self.busy = QProgressBar(self.create_box)
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setFixedHeight(6)

        location_row = QHBoxLayout()
        location_row.addWidget(self.location_value, 1)
        location_row.addWidget(self.location_button)
        form = QFormLayout()
        form.addRow(self.location_label, location_row)
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow(self.repeat_label, self.repeat)
        form.addRow("", self.strength)
        form.addRow("", self.feedback)
        card = QVBoxLayout(self.create_box)
        card.addWidget(self.create_title)
        card.addLayout(form)
        card.addWidget(self.busy)
        create_row = QHBoxLayout()  # the button at the right
        create_row.addStretch(1)
        create_row.addWidget(self.create_button)
        card.addLayout(create_row)

        # Other ways in
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openVault")
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("openDemo")
        self.demo_button.clicked.connect(self.demo_requested)
        others = QHBoxLayout()
        others.addWidget(self.open_button)
        others.addWidget(self.demo_button)
        others.addStretch(1)

        corner = QVBoxLayout()  # the language button at the top right
        corner.addWidget(self.language_button)
        corner.addStretch(1)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addLayout(corner)
        column = QVBoxLayout()
        column.addLayout(header)
        column.addWidget(self.intro)
        column.addSpacing(12)
        column.addWidget(self.create_box)
        column.addSpacing(8)
        column.addLayout(others)
        column.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)
        self.setTabOrder(self.passphrase, self.repeat)
        self.setTabOrder(self.repeat, self.create_button)
        self.setTabOrder(self.create_button, self.open_button)
        self.setTabOrder(self.open_button, self.demo_button)
        self.retranslate_ui()

    def set_location(self, path: Path) -> None:
        self.location = path
        self.location_value.setText(str(path))

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for w in (self.passphrase, self.repeat, self.create_button, self.open_button, self.demo_button):
            w.setEnabled(not busy)
        if not busy:
            self._assess()

    def show_error(self, message: str) -> None:
        self.feedback.setProperty("state", "error")
        self.feedback.setText(message)
        self._repolish(self.feedback)

    def _assess(self) -> None:
        text, again = self.passphrase.text(), self.repeat.text()
        if not text:
            self.strength.setValue(0)
            self.feedback.setText(
                _("At least {min} characters; four or more unrelated words work well.").format(min=MIN_LENGTH)
            )
            self.feedback.setProperty("state", "hint")
            self.create_button.setEnabled(False)
        else:
            result = assess(text)
            self.strength.setValue(result.score)
            if not result.acceptable:
                self.feedback.setText(" ".join(result.messages()))
                self.feedback.setProperty("state", "error")
            elif again and again != text:
                self.feedback.setText(_("The two passphrases differ."))
                self.feedback.setProperty("state", "error")
            elif again != text:
                self.feedback.setText(_("Strong enough. Type it again to confirm."))
                self.feedback.setProperty("state", "ok")
            else:
                self.feedback.setText(_("Strong enough, and both match."))
                self.feedback.setProperty("state", "ok")
            self.create_button.setEnabled(result.acceptable and again == text)
        self._repolish(self.feedback)

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def _create(self) -> None:
        if self.create_button.isEnabled():
            self.create_requested.emit(self.location, self.passphrase.text())

    def clear_secrets(self) -> None:
        self.passphrase.clear()
        self.repeat.clear()

    def retranslate_ui(self) -> None:
        from desktop.i18n import LANGUAGE_NAMES, current_language

        other = "es" if current_language() == "en" else "en"
        self.language_button.setText(LANGUAGE_NAMES[other])
        self.language_button.setToolTip(_("Switch the interface language (F12)"))
        self.title.setText(_("Welcome to Declara"))
        self.intro.setText(
            _(
                "Declara keeps interviews, chronologies and declarations in one encrypted vault on "
                "this computer. Nothing is sent over a network. Choose a passphrase you can type "
                "reliably: without it the vault cannot be opened, by anyone."
            )
        )
        self.create_title.setText(_("Create a new vault"))
        self.location_label.setText(_("Location:"))
        self.location_button.setText(_("Change…"))
        self.passphrase_label.setText(_("&Passphrase:"))
        self.passphrase_label.setBuddy(self.passphrase)
        self.repeat_label.setText(_("&Repeat:"))
        self.repeat_label.setBuddy(self.repeat)
        self.create_button.setText(_("Create vault"))
        self.open_button.setText(_("Open an existing vault…"))
        self.demo_button.setText(_("Try the demo vault"))
        self._assess()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
