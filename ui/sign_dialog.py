"""Mark a declaration version signed, as it happened: the day and place the client signed, who
interpreted and translated, and — while any remains — why it cannot be signed yet.

The reasons come from the core (:func:`desktop.drafting.signing.signing_blockers`, the same list
the command line prints) and are recomputed on every keystroke; OK stays disabled while any remains.
Activating a reason about a paragraph (Enter or a double click) closes the dialog and asks for that
paragraph (:attr:`SignDialog.paragraph_chosen`); one about a certificate goes to its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.drafting.signing import (
    INTERPRETER,
    TRANSLATOR,
    Blocker,
    parse_place,
    parse_signing_date,
    place_text,
    required_certificates,
    signing_blockers,
)
from desktop.errors import ValidationError
from desktop.i18n import _, current_language

_PERSON_KEYS = ("name", "address", "phone")


class SignDialog(QDialog):
    """``values()`` after OK: ``signed_on`` (a date), ``place``, ``interpreter``, ``translator``."""

    paragraph_chosen = Signal(str)  # the id of the paragraph a reason names

    def __init__(
        self,
        parent: QWidget | None,
        *,
        number: int,
        fields: Mapping[str, Any],
        paragraphs: list[Mapping[str, Any]],
        ids: list[str],
        signed_on: dt.date,
        place: Mapping[str, Any] | None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signDialog")
        self.setWindowTitle(_("Mark version {number} as signed").format(number=number))
        self._fields = dict(fields)
        self._paragraphs = list(paragraphs)
        self._ids = list(ids)
        self._values: dict[str, Any] | None = None
        self._roles = required_certificates(fields)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Record the day and the place the client signed, as written on the signed page. "
                "The text is then frozen with a SHA-256 fingerprint; any later change starts a new "
                "version that must be signed again."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.date = QLineEdit(signed_on.isoformat(), self)
        self.date.setObjectName("signedOn")
        self.date.setPlaceholderText(_("e.g. 2026-11-02, November 2, 2026, yesterday"))
        self.date_note = QLabel(self)
        self.date_note.setObjectName("fieldNote")
        self.place = QLineEdit(place_text(place, current_language()), self)
        self.place.setObjectName("placeOfSigning")
        self.place.setPlaceholderText(_("City, state or country, e.g. Pearsall, TX"))
        self.place_note = QLabel(self)
        self.place_note.setObjectName("fieldNote")
        form.addRow(_("Signed &on:"), self.date)
        form.addRow("", self.date_note)
        form.addRow(_("Signed &at:"), self.place)
        form.addRow("", self.place_note)
        layout.addLayout(form)

        self.people: dict[str, dict[str, QLineEdit]] = {}
        titles = {
            INTERPRETER: (_("Certificate of interpretation"), _("&Interpreter:")),
            TRANSLATOR: (_("Certificate of translation"), _("&Translator:")),
        }
        for role in self._roles:
            title, label = titles[role]
            box = QGroupBox(title, self)
            box_form = QFormLayout(box)
            stored = fields.get(role) or {}
            edits = {key: QLineEdit(str(stored.get(key) or ""), box) for key in _PERSON_KEYS}
            for key, edit in edits.items():
                edit.setObjectName(f"{role}_{key}")
            box_form.addRow(label, edits["name"])
            box_form.addRow(_("Address:"), edits["address"])
            box_form.addRow(_("Telephone:"), edits["phone"])
            self.people[role] = edits
            layout.addWidget(box)

        self.blockers_label = QLabel(self)
        self.blockers_label.setWordWrap(True)
        layout.addWidget(self.blockers_label)
        self.blockers = QListWidget(self)
        self.blockers.setObjectName("signingBlockers")
        self.blockers.setWordWrap(True)
        self.blockers.itemActivated.connect(self._activated)
        self.blockers_label.setBuddy(self.blockers)
        layout.addWidget(self.blockers, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Mark as &signed"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for edit in [self.date, self.place, *(e for edits in self.people.values() for e in edits.values())]:
            edit.textChanged.connect(self.refresh)
        self.refresh()
        self.date.setFocus()
        self.date.selectAll()
        self.resize(600, self.sizeHint().height())

    # -- what is typed -----------------------------------------------------------------------------
    def _read(self) -> tuple[dict[str, Any], list[Blocker | str]]:
        """The values typed, and what stops them being signed (blockers, and messages)."""
        problems: list[Blocker | str] = []
        values: dict[str, Any] = {"signed_on": None, "place": None, "interpreter": None, "translator": None}
        try:
            values["signed_on"] = parse_signing_date(self.date.text(), current_language())
            self.date_note.setText(
                _("The day understood: {date}").format(date=self._day(values["signed_on"]))
            )
        except ValidationError as exc:
            self.date_note.setText("")
            problems.append(exc.message())
        try:
            values["place"] = parse_place(self.place.text())
            understood = place_text(values["place"], current_language())  # "Pearsall, TX" -> "…, Texas, …"
            self.place_note.setText(understood if understood != self.place.text().strip() else "")
        except ValidationError as exc:
            self.place_note.setText("")
            problems.append(exc.message())
        fields = dict(self._fields)
        if values["place"] is not None:
            fields["place_of_signing"] = values["place"]
        for role, edits in self.people.items():
            person = {key: edit.text().strip() or None for key, edit in edits.items()}
            values[role] = person
            fields[role] = {**(fields.get(role) or {}), **person}
        problems += signing_blockers(fields, self._paragraphs, ids=self._ids, signed_on=values["signed_on"])
        return values, problems

    @staticmethod
    def _day(day: dt.date) -> str:
        from babel.dates import format_date

        from desktop.i18n import babel_locale

        return format_date(day, "long", locale=babel_locale())

    def refresh(self) -> None:
        values, problems = self._read()
        self.blockers.clear()
        for problem in problems:
            text = problem if isinstance(problem, str) else problem.message()
            item = QListWidgetItem(text, self.blockers)
            item.setData(Qt.ItemDataRole.UserRole, problem if isinstance(problem, Blocker) else None)
        self.blockers.setVisible(bool(problems))
        self.blockers_label.setText(
            _("It cannot be signed yet (&Enter on a paragraph goes to it):")
            if problems
            else _("Nothing stops this version from being signed.")
        )
        self.ok_button.setEnabled(not problems)
        self._values = None if problems else values

    def _activated(self, item: QListWidgetItem) -> None:
        blocker = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(blocker, Blocker):
            return
        if blocker.paragraph_id:
            self.paragraph_chosen.emit(blocker.paragraph_id)
            self.reject()
        elif blocker.field:
            role, _dot, key = blocker.field.partition(".")
            edit = self.people.get(role, {}).get(key)
            if edit is not None:
                edit.setFocus()
        elif blocker.kind == "date":
            self.date.setFocus()

    # -- results -----------------------------------------------------------------------------------
    def ready(self) -> bool:
        """Can it be signed with what is typed now?"""
        return self._values is not None

    def problems(self) -> list[str]:
        """What stops the signing, in the interface language (for tests and the status bar)."""
        return [self.blockers.item(i).text() for i in range(self.blockers.count())]

    def values(self) -> dict[str, Any]:
        """``signed_on``, ``place``, ``interpreter`` and ``translator`` ({name, address, phone}, or
        None when the PDF prints no certificate for them). Only when :meth:`ready`."""
        if self._values is None:
            raise ValueError("the version cannot be signed yet")
        return dict(self._values)
