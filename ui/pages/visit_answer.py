"""The answer half of the visit page's question card: the editors of one answer.

Yes / No / Does not know, a choice list, a date said in words (with what it was understood as),
free text, the language the answer was given in, an optional translation and the follow-up /
skipped marks. :class:`AnswerEditor` owns those widgets and the rules between them; the page owns
the question, the answers and the card's layout, and places the editor's widgets in it
(:meth:`AnswerEditor.add_to`). Every user edit is emitted as ``edited(field path, value)``; what
is shown while a question is loaded is never emitted.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, current_language
from desktop.interview.questionnaire import Question
from ui.longtext import fit_wrap


def language_label(code: str) -> str:
    """A language code as the interface names it (desktop.case.display, the one helper for it)."""
    from desktop.case.display import language_name

    return language_name(code, current_language())


class AnswerEditor(QObject):
    """The editors of one answer, created inside ``card``; emits ``edited(path, value)``."""

    edited = Signal(str, object)  # field path, value

    def __init__(self, card: QWidget) -> None:
        super().__init__(card)
        self._card = card
        self.question: Question | None = None
        self.seasons: str | None = None  # the region whose seasons a season word means, or ask
        self._note_seasons: str | None = None  # those the date shown was read with
        self._value: object = None
        self._loading = False

        self.yes = QRadioButton(card)
        self.no = QRadioButton(card)
        self.unknown = QRadioButton(card)
        self.yesno = QButtonGroup(self)
        for value, button in (("yes", self.yes), ("no", self.no), ("unknown", self.unknown)):
            button.setObjectName(f"answer_{value}")
            self.yesno.addButton(button)
            button.toggled.connect(lambda on, v=value: on and self._emit("value", v))
        self.choice = QComboBox(card)
        self.choice.setObjectName("answerChoice")
        self.choice.currentIndexChanged.connect(self._choice_changed)
        self.date_edit = QLineEdit(card)
        self.date_edit.setObjectName("answerDate")
        self.date_edit.textEdited.connect(self._date_changed)
        self.date_note = QLabel(card)
        self.date_note.setObjectName("fieldNote")
        self.date_note.setWordWrap(True)
        self.text = QPlainTextEdit(card)
        self.text.setObjectName("answerText")
        self.text.setTabChangesFocus(True)
        self.text.textChanged.connect(self._text_changed)
        self.language = QComboBox(card)
        self.language.setObjectName("answerLanguage")
        self.language.currentIndexChanged.connect(self._language_changed)
        self.language_label = QLabel(card)
        self.translation_label = QLabel(card)
        self.translation = QPlainTextEdit(card)
        self.translation.setObjectName("answerTranslation")
        self.translation.setTabChangesFocus(True)
        self.translation.setMaximumHeight(90)
        self.translation.textChanged.connect(self._translation_changed)
        self.translation.setVisible(False)
        self.translation_label.setVisible(False)
        self.state_label = QLabel(card)
        self.state_label.setObjectName("answerState")

    def add_to(self, card: QVBoxLayout) -> None:
        """Lay the editors out in the card, under the question and above its buttons."""
        yesno_row = QHBoxLayout()
        for button in (self.yes, self.no, self.unknown):
            yesno_row.addWidget(button)
        yesno_row.addStretch(1)
        self.yesno_box = QWidget(self._card)
        self.yesno_box.setLayout(yesno_row)
        lang_row = QHBoxLayout()
        lang_row.addWidget(self.language_label)
        lang_row.addWidget(self.language)
        lang_row.addStretch(1)
        lang_row.addWidget(self.state_label)
        card.addWidget(self.yesno_box)
        card.addWidget(self.choice)
        card.addWidget(self.date_edit)
        card.addWidget(self.date_note)
        card.addWidget(self.text, 1)
        card.addLayout(lang_row)
        card.addWidget(self.translation_label)
        card.addWidget(self.translation)

    # -- loading ---------------------------------------------------------------------------------
    def set_languages(self, codes: list[str]) -> None:
        """The languages an answer can be given in, the client's first."""
        self._loading = True
        try:
            self.language.clear()
            for code in codes:
                self.language.addItem(language_label(code), code)
        finally:
            self._loading = False

    def show_answer(self, question: Question, data: dict[str, Any], language: str | None) -> None:
        """Show the stored ``data`` of ``question``'s answer; ``language`` when it has none."""
        self.question = question
        self._loading = True
        try:
            kind = question.kind
            self.yesno_box.setVisible(kind == "yesno")
            self.choice.setVisible(kind == "choice")
            self.date_edit.setVisible(kind == "date")
            self.date_note.setVisible(kind == "date")
            self.yesno.setExclusive(False)
            for button in (self.yes, self.no, self.unknown):
                button.setChecked(False)
            self.yesno.setExclusive(True)
            value = self._value = data.get("value")
            if kind == "yesno" and value in ("yes", "no", "unknown"):
                {"yes": self.yes, "no": self.no, "unknown": self.unknown}[value].setChecked(True)
            if kind == "choice":
                self.choice.clear()
                self.choice.addItem("", None)
                for choice in question.choices:
                    self.choice.addItem(question.choice_label(choice.id, current_language()), choice.id)
                self.choice.setCurrentIndex(max(self.choice.findData(value), 0))
            if kind == "date":
                self.date_edit.setText(data.get("text") or value or "")
                # a stored date is shown as it was read (a visit's setting may have changed since)
                self._note_seasons = data.get("seasons") if value and "seasons" in data else self.seasons
                self._update_date_note()
            self.text.setVisible(kind != "date")
            if kind != "date":
                fit_wrap(self.text, data.get("text") or "")  # a long run wraps anywhere (ui.longtext)
                self.text.setPlainText(data.get("text") or "")
            lang = data.get("language") or language
            self.language.setCurrentIndex(max(self.language.findData(lang), 0))
            translation = data.get("translation") or {}
            text = next(iter(translation.values()), "") if translation else ""
            fit_wrap(self.translation, text)
            self.translation.setPlainText(text)
            self.translation.setVisible(bool(text) or self.translation.isVisible())
            self.translation_label.setVisible(self.translation.isVisible())
        finally:
            self._loading = False

    def take_focus(self) -> None:
        """Put the cursor where the answer is typed (on Yes while a yes/no is unanswered)."""
        if self.question is None:
            return
        unanswered = self.yes if not self._value else None
        focus = {"yesno": unanswered, "choice": self.choice, "date": self.date_edit}
        target = focus.get(self.question.kind) or self.text
        target.setFocus()

    def show_state(self, flagged: bool, skipped: bool) -> None:
        words = []
        if flagged:
            words.append("⚑ " + _("Follow up"))
        if skipped:
            words.append("– " + _("Skipped"))
        self.state_label.setText("  ".join(words))

    def clear(self) -> None:
        """Forget the answer shown (the visit was closed)."""
        self.question = None
        self._loading = True
        try:
            self.text.clear()
            self.translation.clear()
            self.date_edit.clear()
        finally:
            self._loading = False

    # -- editing ---------------------------------------------------------------------------------
    def _emit(self, path: str, value: object) -> None:
        if not self._loading and self.question is not None:
            self.edited.emit(path, value)

    def _text_changed(self) -> None:
        if self.question is not None and self.question.kind != "date":
            self._emit("text", self.text.toPlainText())

    def _translation_changed(self) -> None:
        if self.question is None:
            return
        lang = self.language.currentData() or "es"
        target = "en" if lang != "en" else "es"
        text = self.translation.toPlainText()
        self._emit("translation", {target: text} if text.strip() else None)

    def _language_changed(self) -> None:
        self._emit("language", self.language.currentData())

    def _choice_changed(self) -> None:
        if self.choice.isVisible() or not self._loading:
            self._emit("value", self.choice.currentData())

    def _date_lang(self) -> str:
        return self.language.currentData() or current_language()

    def _date_changed(self, text: str) -> None:
        """The date as typed: kept as said, with the EDTF understood (None when not understood, or
        when it names a season and Declara does not know which) and the seasons it was read with."""
        from ui import seasons_ui

        self._note_seasons = self.seasons
        self._update_date_note()
        self._emit("text", text)
        value = seasons_ui.understood(text, self._date_lang(), self.seasons)[0]
        self._emit("value", value)
        used = seasons_ui.seasons_used(text, self._date_lang(), self.seasons) if value else None
        self._emit("seasons", used)

    def set_seasons(self, region: str | None) -> None:
        """Read season words with ``region``'s seasons (None: ask for the months); a date already
        typed is read again, and stored as now understood."""
        if region == self.seasons:
            return
        self.seasons = self._note_seasons = region
        if self.question is not None and self.question.kind == "date" and self.date_edit.text().strip():
            self._date_changed(self.date_edit.text())

    def _update_date_note(self) -> None:
        from ui import seasons_ui

        note = seasons_ui.understood(self.date_edit.text(), self._date_lang(), self._note_seasons)[1]
        self.date_note.setText(note)

    # -- keyboard actions ------------------------------------------------------------------------
    def cycle_language(self) -> None:
        if self.language.count():
            self.language.setCurrentIndex((self.language.currentIndex() + 1) % self.language.count())

    def toggle_translation(self) -> None:
        visible = not self.translation.isVisible()
        self.translation.setVisible(visible)
        self.translation_label.setVisible(visible)
        if visible:
            self.translation.setFocus()

    # -- language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.yes.setText(_("&Yes"))
        self.no.setText(_("&No"))
        self.unknown.setText(_("Does not know (&U)"))
        self.language_label.setText(_("Answer given in:"))
        for i in range(self.language.count()):
            self.language.setItemText(i, language_label(self.language.itemData(i)))
        self.translation_label.setText(_("Translation:"))
        self.text.setPlaceholderText(_("What the client says, in their words"))
        self.translation.setPlaceholderText(_("Translation (optional)"))
        self.date_edit.setPlaceholderText(_("around 2009, marzo 2022, summer 2018, 12/3/2024 …"))
        question = self.question
        if question is None:
            return
        self._loading = True
        try:
            if question.kind == "choice":
                for i in range(1, self.choice.count()):
                    label = question.choice_label(self.choice.itemData(i), current_language())
                    self.choice.setItemText(i, label)
            if question.kind == "date":
                self._update_date_note()
        finally:
            self._loading = False
