"""The small "New client" dialog: names and (optionally) the A-number, then the record opens."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.case.anumber import parse_a_number
from desktop.errors import ValidationError
from desktop.i18n import _


class NewClientDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newClientDialog")
        self.given = QLineEdit(self)
        self.given.setObjectName("newGivenNames")
        self.family = QLineEdit(self)
        self.family.setObjectName("newFamilyNames")
        self.a_number = QLineEdit(self)
        self.a_number.setObjectName("newANumber")
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        self.given_label, self.family_label, self.anum_label = QLabel(self), QLabel(self), QLabel(self)
        form.addRow(self.given_label, self.given)
        form.addRow(self.family_label, self.family)
        form.addRow(self.anum_label, self.a_number)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("New client"))
        self.given_label.setText(_("&Given names:"))
        self.given_label.setBuddy(self.given)
        self.family_label.setText(_("&Family names:"))
        self.family_label.setBuddy(self.family)
        self.anum_label.setText(_("&A-number (optional):"))
        self.anum_label.setBuddy(self.a_number)
        self.resize(420, self.sizeHint().height())

    def data(self) -> dict[str, object]:
        data: dict[str, object] = {"given_names": self.given.text().strip()}
        if self.family.text().strip():
            data["family_names"] = self.family.text().strip()
        if self.a_number.text().strip():
            data["a_number"] = self.a_number.text().strip()
        return data

    def _accept(self) -> None:
        if not self.given.text().strip():
            self._show(_("Enter the client's given names."))
            self.given.setFocus()
            return
        if self.a_number.text().strip():
            try:
                parse_a_number(self.a_number.text())
            except ValidationError as exc:
                self._show(exc.message())
                self.a_number.setFocus()
                return
        self.accept()

    def _show(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
