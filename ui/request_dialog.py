"""The "Draft a letter" dialog of the Requests tab: where the request goes (an agency, or the home
country's clearance certificates), which allegation it answers, who applies for a certificate, and
who signs FOIA letters (remembered in the vault). The letter itself is then previewed and saved by
:class:`ui.export_dialog.ExportDialog`; see ui.controllers.requests."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.requests.letters import Requester

CLEARANCE = "CLEARANCE"  # a target "CLEARANCE:SV": the clearance certificates of a country


class RequestDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        targets: list[tuple[str, str]],  # (code, words)
        allegations: dict[str, str],  # record id -> words
        members: dict[str, str],  # family member record id -> words
        requester: Requester,
        target: str | None = None,
        allegation: str | None = None,
        member: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("requestDialog")
        self.setWindowTitle(_("Draft a request letter"))
        self.target = QComboBox(self)
        self.target.setObjectName("requestTarget")
        for code, words in targets:
            self.target.addItem(words, code)
        if target is not None:
            self.target.setCurrentIndex(max(self.target.findData(target), 0))
        self.allegation = QComboBox(self)
        self.allegation.setObjectName("requestAllegation")
        self.allegation.addItem(_("(every allegation)"), None)
        for record_id, words in allegations.items():
            self.allegation.addItem(words, record_id)
        if allegation is not None:
            self.allegation.setCurrentIndex(max(self.allegation.findData(allegation), 0))
        elif len(allegations) == 1:
            self.allegation.setCurrentIndex(1)
        self.member = QComboBox(self)
        self.member.setObjectName("requestRepresentative")
        self.member.addItem(_("(fill in by hand)"), None)
        for record_id, words in members.items():
            self.member.addItem(words, record_id)
        if member is not None:
            self.member.setCurrentIndex(max(self.member.findData(member), 0))
        self.name = QLineEdit(requester.name, self)
        self.name.setObjectName("requesterName")
        self.organization = QLineEdit(requester.organization, self)
        self.address = QPlainTextEdit("\n".join(requester.address), self)
        self.address.setObjectName("requesterAddress")
        self.address.setTabChangesFocus(True)
        self.address.setMaximumHeight(80)
        self.phone = QLineEdit(requester.phone, self)
        self.email = QLineEdit(requester.email, self)
        for edit in (self.name, self.organization, self.phone, self.email):
            edit.setMaxLength(200)
        form = QFormLayout()
        form.addRow(_("&To:"), self.target)
        form.addRow(_("&Answers the allegation:"), self.allegation)
        self.member_label = QLabel(_("Applied for &by:"), self)
        self.member_label.setBuddy(self.member)
        form.addRow(self.member_label, self.member)
        self.signer = QGroupBox(_("Who signs FOIA letters (kept in the vault)"), self)
        signer = QFormLayout(self.signer)
        signer.addRow(_("&Name:"), self.name)
        signer.addRow(_("&Organization:"), self.organization)
        signer.addRow(_("Add&ress:"), self.address)
        signer.addRow(_("&Telephone:"), self.phone)
        signer.addRow(_("&Email:"), self.email)
        note = QLabel(
            _(
                "The letter is filled from the client's record. "
                "What the record lacks is left in brackets for you."
            ),
            self,
        )
        note.setObjectName("fieldNote")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        preview = buttons.addButton(_("&Preview the letter"), QDialogButtonBox.ButtonRole.AcceptRole)
        preview.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.signer)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.target.currentIndexChanged.connect(lambda _i: self._target_changed())
        self._target_changed()
        self.resize(560, self.sizeHint().height())

    def _target_changed(self) -> None:
        clearance = str(self.target.currentData()).startswith(CLEARANCE)
        self.member.setVisible(clearance)
        self.member_label.setVisible(clearance)
        self.signer.setVisible(not clearance)

    def chosen(self) -> tuple[str, str | None, str | None, str | None]:
        """(target: an agency code or CLEARANCE, its country for CLEARANCE, allegation record id or
        None, family member record id or None)."""
        to, _sep, country = str(self.target.currentData()).partition(":")
        clearance = to == CLEARANCE
        return (
            to,
            country or None,
            self.allegation.currentData(),
            self.member.currentData() if clearance else None,
        )

    def requester(self) -> Requester:
        lines = tuple(line.strip() for line in self.address.toPlainText().splitlines() if line.strip())
        return Requester(
            name=self.name.text().strip(),
            organization=self.organization.text().strip(),
            address=lines,
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
        )
