"""A dialog that refuses OK while its input is not acceptable, saying why in place, and the two
fields of a new passphrase (typed twice, checked for strength) that several dialogs ask for."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QWidget

from desktop.errors import DeclaraError
from desktop.i18n import _


class CheckedDialog(QDialog):
    """``accept`` goes through only when :meth:`problem` returns None; otherwise the reason is shown
    in :attr:`error` (made by :meth:`make_error_label`) and the dialog stays open."""

    error: QLabel

    def make_error_label(self) -> QLabel:
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        return self.error

    def problem(self) -> str | None:
        """Why the input is not accepted, or None."""
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        super().accept()


def passphrase_fields(parent: QWidget, name: str) -> tuple[QLineEdit, QLineEdit]:
    """The new passphrase and its repetition, hidden as typed (object names ``name`` and
    ``name + "Again"``)."""
    first, second = QLineEdit(parent), QLineEdit(parent)
    first.setObjectName(name)
    second.setObjectName(name + "Again")
    second.setPlaceholderText(_("Type it again"))
    for field in (first, second):
        field.setEchoMode(QLineEdit.EchoMode.Password)
    return first, second


def passphrase_problem(first: QLineEdit, second: QLineEdit) -> str | None:
    """Why a new passphrase is not accepted (the two differ, or it is too weak), or None."""
    from desktop.vault.passphrase import require_strong

    if first.text() != second.text():
        return _("The two passphrases differ.")
    try:
        require_strong(first.text())
    except DeclaraError as exc:
        return exc.message()
    return None


class OnePassphraseDialog(QDialog):
    """Asks one passphrase (hidden as typed) under ``label``; OK / Cancel."""

    def __init__(self, parent: QWidget | None, title: str, label: str, name: str) -> None:
        from PySide6.QtWidgets import QDialogButtonBox, QVBoxLayout

        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        text = QLabel(label, self)
        text.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName(name)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (text, self.passphrase, buttons):
            layout.addWidget(widget)
