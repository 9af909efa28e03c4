"""The small dialogs of visit mode: start a visit, an event or an allegation from an answer, end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, current_language
from desktop.case.model import VOCABULARIES
from ui.pages.visit import language_label

INTERVIEW_LANGUAGES = ("es", "en", "quc", "mam")


def _vocab_combo(parent: QWidget, vocab: str, selected: str | None = None) -> QComboBox:
    combo = QComboBox(parent)
    for value, label in VOCABULARIES[vocab].items():
        combo.addItem(_(label), value)
    if selected is not None:
        combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


class _Dialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        self.accept()

    def problem(self) -> str | None:
        return None


class StartVisitDialog(_Dialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        client_name: str,
        facility: str | None,
        client_language: str | None,
        interpreter: str | None,
    ) -> None:
        super().__init__(parent, _("Start a visit with {name}").format(name=client_name))
        self.setObjectName("startVisitDialog")
        from desktop.case.facilities import load_facilities
        from PySide6.QtCore import QStringListModel, Qt

        self.facility = QLineEdit(facility or "", self)
        completer = QCompleter(QStringListModel([f.display for f in load_facilities()], self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.facility.setCompleter(completer)
        self.mode = _vocab_combo(self, "visit_mode", "in_person")
        self.interpreter = QLineEdit(interpreter or "", self)
        from ui.pickers import CodeChips

        self.interpreter_languages = CodeChips("language", self)  # chosen by name, kept as codes
        self.interpreter_languages.set_value(["es", "en"])
        self.language = QComboBox(self)
        codes = list(INTERVIEW_LANGUAGES)
        if client_language and client_language not in codes:
            codes.insert(0, client_language)
        for code in codes:
            self.language.addItem(language_label(code), code)
        self.language.setCurrentIndex(max(self.language.findData(client_language or "es"), 0))
        self.minutes = QSpinBox(self)
        self.minutes.setRange(5, 480)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(60)
        self.minutes.setSuffix(" min")
        self.form.addRow(_("&Facility:"), self.facility)
        self.form.addRow(_("&Mode:"), self.mode)
        self.form.addRow(_("&Interpreter:"), self.interpreter)
        self.form.addRow(_("Interpreter's &languages:"), self.interpreter_languages)
        self.form.addRow(_("Client's lan&guage:"), self.language)
        self.form.addRow(_("&Time allowed:"), self.minutes)
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict[str, Any]:
        languages = self.interpreter_languages.value()
        return {
            "facility": self.facility.text().strip() or None,
            "mode": self.mode.currentData(),
            "interpreter_name": self.interpreter.text().strip() or None,
            "interpreter_languages": languages,
            "client_language": self.language.currentData(),
            "minutes_allowed": self.minutes.value(),
        }



class EventDialog(_Dialog):
    """A timeline event (new, or told in an answer): the date typed as spoken, shown back as understood
    in both languages, and kept as said (``date_said``) beside the EDTF.

    ``lang`` is the language the date is said in; ``seasons`` the region whose seasons a season word
    means (None: Declara asks for the months); ``date_said`` the words an existing event's date was
    said in, shown under the field."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        date_text: str,
        text: dict[str, str],
        lang: str,
        seasons: str | None = None,
        date_said: Mapping[str, Any] | None = None,
    ) -> None:
        from ui import seasons_ui

        super().__init__(parent, _("Add to the timeline"))
        self.setObjectName("eventDialog")
        self.setMinimumWidth(560)
        self.lang = lang
        self.seasons = seasons
        self.date = QLineEdit(date_text, self)
        self.date.setObjectName("eventDate")
        self.date.setPlaceholderText(_("around 2009, marzo 2022, summer 2018, 12/3/2024 …"))
        self.understood = QLabel(self)
        self.understood.setObjectName("fieldNote")
        self.understood.setWordWrap(True)
        self.said = QLabel(seasons_ui.said_note(date_said), self)
        self.said.setObjectName("fieldNote")
        self.said.setWordWrap(True)
        self.said.setVisible(bool(self.said.text()))
        self.date.textChanged.connect(self._update)
        self.category = _vocab_combo(self, "event_category", "persecution")
        self.place = QLineEdit(self)
        self.text_es = QPlainTextEdit(text.get("es", ""), self)
        self.text_en = QPlainTextEdit(text.get("en", ""), self)
        for edit in (self.text_es, self.text_en):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(90)
        self.form.addRow(_("&Date:"), self.date)
        self.form.addRow("", self.understood)
        self.form.addRow("", self.said)
        self.form.addRow(_("&Category:"), self.category)
        self.form.addRow(_("&Place:"), self.place)
        self.form.addRow(_("What happened (Spanish):"), self.text_es)
        self.form.addRow(_("What happened (English):"), self.text_en)
        self.edtf: str | None = None
        self._update()
        self.resize(620, self.sizeHint().height())

    def _update(self) -> None:
        from ui import seasons_ui

        self.edtf, note = seasons_ui.understood(self.date.text(), self.lang, self.seasons)
        self.understood.setText(note)

    def problem(self) -> str | None:
        if self.edtf is None:
            return _("Enter a date the app understands; it is shown under the field before saving.")
        if not (self.text_es.toPlainText().strip() or self.text_en.toPlainText().strip()):
            return _("Say what happened, in at least one language.")
        return None

    def date_said(self) -> dict[str, Any] | None:
        """The date as typed: its words, their language and the seasons a season word was read with."""
        from ui import seasons_ui

        text = self.date.text().strip()
        if not text or self.edtf is None:
            return None
        lang = self.lang if self.lang in seasons_ui.LANGS else "es"
        return {"text": text, "lang": lang, "seasons": seasons_ui.seasons_used(text, self.lang, self.seasons)}

    def values(self) -> dict[str, Any]:
        return {
            "date": self.edtf,
            "category": self.category.currentData(),
            "place": self.place.text().strip() or None,
            "text": {"es": self.text_es.toPlainText().strip(), "en": self.text_en.toPlainText().strip()},
            "date_said": self.date_said(),
        }


class AllegationFromAnswerDialog(_Dialog):
    def __init__(self, parent: QWidget | None, *, wording: str) -> None:
        super().__init__(parent, _("Record an allegation"))
        self.setObjectName("allegationDialog")
        self.kind = _vocab_combo(self, "allegation_kind", "gang_affiliation")
        self.organization = QLineEdit(self)
        self.organization.setPlaceholderText(_("e.g. MS-13, Barrio 18"))
        self.program = _vocab_combo(self, "source_program", "unknown")
        self.wording = QPlainTextEdit(wording, self)
        self.wording.setTabChangesFocus(True)
        self.form.addRow(_("&Kind:"), self.kind)
        self.form.addRow(_("&Organization named:"), self.organization)
        self.form.addRow(_("&Source program:"), self.program)
        self.form.addRow(_("&What was said, word for word:"), self.wording)
        self.resize(560, self.sizeHint().height())

    def problem(self) -> str | None:
        if not self.wording.toPlainText().strip():
            return _("Write down what the client was told, word for word.")
        return None

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind.currentData(),
            "organization": self.organization.text().strip() or None,
            "source_program": self.program.currentData(),
            "wording": self.wording.toPlainText().strip(),
        }


class EndVisitDialog(_Dialog):
    """Unanswered and flagged questions, next steps; printable."""

    def __init__(self, parent: QWidget | None, *, html: str, next_steps: str, print_html: Any) -> None:
        super().__init__(parent, _("End the visit"))
        self.setObjectName("endVisitDialog")
        self.view = QTextBrowser(self)
        self.view.setHtml(html)
        self.view.setMinimumHeight(260)
        self.next_steps = QPlainTextEdit(next_steps, self)
        self.next_steps.setObjectName("nextSteps")
        self.next_steps.setTabChangesFocus(True)
        self.next_steps.setPlaceholderText(_("Documents to request, people to call, the next visit …"))
        self.print_button = QPushButton(_("&Print…"), self)
        self.print_button.clicked.connect(lambda: print_html(self.next_steps.toPlainText()))
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("End visit"))
        self.form.addRow(self.view)
        self.form.addRow(_("&Next steps:"), self.next_steps)
        self.resize(720, 560)


EventFromAnswerDialog = EventDialog


class LinkEventsDialog(_Dialog):
    """Choose the chronology events a declaration paragraph tells (checkable list)."""

    def __init__(self, parent: QWidget | None, events: list[Any], linked: list[str]) -> None:
        from PySide6.QtWidgets import QListView

        from desktop.case.dates import format_edtf

        super().__init__(parent, _("Link events to this paragraph"))
        self.setObjectName("linkEventsDialog")
        lang = current_language()

        def label(number: int, event: Any) -> str:
            texts = event.data.get("text") or {}
            text = texts.get(lang) or next(iter(texts.values()), "")
            return f"{number}. {format_edtf(event.data['date'], lang)} — {text}"

        rows = [(e.id, label(i, e)) for i, e in enumerate(events, start=1)]
        self.model = _CheckModel(rows, set(linked), self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setMinimumSize(640, 360)
        self.form.addRow(self.view)

    def chosen(self) -> list[str]:
        return self.model.chosen()


class _CheckModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple[str, str]], checked: set[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.checked = set(checked)

    def rowCount(self, parent: Any = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = None) -> int:  # noqa: N802
        return 1

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rid, text = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if rid in self.checked else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Any) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: Any, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        rid = self.rows[index.row()][0]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(rid)
        else:
            self.checked.discard(rid)
        self.dataChanged.emit(index, index)
        return True

    def set_checked(self, rid: str, on: bool) -> None:
        row = next(i for i, (r, _t) in enumerate(self.rows) if r == rid)
        self.setData(
            self.index(row, 0),
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked,
            Qt.ItemDataRole.CheckStateRole,
        )

    def chosen(self) -> list[str]:
        return [rid for rid, _t in self.rows if rid in self.checked]
