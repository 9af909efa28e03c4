"""Visit mode: the bilingual intake interview, keyboard first, saved as it is typed.

The page shows one question at a time, large enough to read across a table: in the interview
language, and (F9) side by side with the other language. The interviewer's hint is in the interface
language. Everything typed goes to the presenter (autosave); nothing waits for a Save button.

The page holds the visit, the question list, the header and the keyboard; the editors of one answer
are in :mod:`ui.pages.visit_answer` and the visit's time in :mod:`ui.pages.visit_clock`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _, current_language
from desktop.case.model import Record
from desktop.interview.questionnaire import Question, Questionnaire
from ui.models.question_list import QUESTION_ROLE, QuestionListModel
from ui.pages.visit_answer import AnswerEditor, language_label
from ui.pages.visit_clock import WARN_MINUTES, VisitClock

__all__ = ["VISIT_SHORTCUTS", "WARN_MINUTES", "VisitClock", "VisitPage", "language_label"]

VISIT_SHORTCUTS = (
    ("Ctrl+Enter", N_("Next question")),
    ("Ctrl+Shift+Enter", N_("Previous question")),
    ("Ctrl+PgDown / Ctrl+PgUp", N_("Next / previous section")),
    ("Ctrl+M", N_("Flag the question for follow-up")),
    ("Ctrl+Shift+K", N_("Skip the question")),
    # Translators: the accelerators of the Yes / No / Does not know buttons in your language.
    (N_("Alt+Y / Alt+N / Alt+U"), N_("Yes / No / Does not know")),
    ("F8", N_("Change the language of the answer")),
    ("Ctrl+T", N_("Show or hide the translation field")),
    ("F9", N_("Both languages side by side, or only the interview language")),
    ("Ctrl+Shift+E", N_("Add a timeline event from this answer")),
    ("Ctrl+Shift+A", N_("Record an allegation from this answer")),
    ("Ctrl+Shift+X", N_("End the visit")),
)


class VisitPage(QWidget):
    """Signals carry intents; the main window and the session do the work."""

    answer_edited = Signal(str, str, object)  # question id, field path, value
    question_changed = Signal(str)  # question id now shown
    end_requested = Signal()
    event_requested = Signal(str)  # question id
    allegation_requested = Signal(str)  # question id
    back_requested = Signal()
    clock_warning = Signal()  # ten minutes left
    seasons_changed = Signal(str)  # the visit's Seasons setting: "auto", a region key or "ask"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitPage")
        self.questionnaire: Questionnaire | None = None
        self.visit: Record | None = None
        self.client_name = ""
        self.client_country: str | None = None
        self.seasons_setting = "auto"  # the visit's Seasons setting: "auto", a region key or "ask"
        self.interview_lang = "es"
        self.answers: dict[str, Record] = {}
        self.current: Question | None = None
        self.bilingual = True
        self.clock: VisitClock | None = None
        self._warned = False

        # -- header: who, where, the clock
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("visitBack")
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel(self)
        self.title.setObjectName("recordTitle")
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("visitClock")
        self.bilingual_button = QPushButton(self)
        self.bilingual_button.setObjectName("bilingualToggle")
        self.bilingual_button.setCheckable(True)
        self.bilingual_button.setChecked(True)
        self.bilingual_button.toggled.connect(self.set_bilingual)
        self.end_button = QPushButton(self)
        self.end_button.setObjectName("endVisit")
        self.end_button.clicked.connect(self.end_requested)
        # how the client names seasons (a Salvadoran "invierno" is the rainy season, May-October)
        self.seasons_label = QLabel(self)
        self.seasons_combo = QComboBox(self)
        self.seasons_combo.setObjectName("visitSeasons")
        self.seasons_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.seasons_combo.setMinimumContentsLength(60)
        self.seasons_combo.currentIndexChanged.connect(self._seasons_chosen)
        self.seasons_label.setBuddy(self.seasons_combo)
        self._filling_seasons = False
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)
        header.addWidget(self.clock_label)
        header.addWidget(self.bilingual_button)
        header.addWidget(self.end_button)

        # -- left: the questions
        self.model = QuestionListModel(self)
        self.list = QTableView(self)
        self.list.setObjectName("questionList")
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setVisible(False)
        self.list.setWordWrap(False)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.setColumnHidden(1, True)
        self.list.selectionModel().currentRowChanged.connect(self._row_changed)

        # -- right: the question card
        self.card = QFrame(self)
        self.card.setObjectName("questionCard")
        self.section_label = QLabel(self.card)
        self.section_label.setObjectName("questionSection")
        self.position_label = QLabel(self.card)
        self.position_label.setObjectName("questionPosition")
        self.primary_lang = QLabel(self.card)
        self.primary_lang.setObjectName("langTag")
        self.primary = QLabel(self.card)
        self.primary.setObjectName("questionPrimary")
        self.primary.setWordWrap(True)
        self.secondary_lang = QLabel(self.card)
        self.secondary_lang.setObjectName("langTag")
        self.secondary = QLabel(self.card)
        self.secondary.setObjectName("questionSecondary")
        self.secondary.setWordWrap(True)
        self.hint = QLabel(self.card)
        self.hint.setObjectName("questionHint")
        self.hint.setWordWrap(True)

        # answer widgets (ui/pages/visit_answer.py); the names stay the page's
        self.answer = AnswerEditor(self.card)
        self.answer.edited.connect(self._emit)
        self.yes, self.no, self.unknown = self.answer.yes, self.answer.no, self.answer.unknown
        self.choice, self.text, self.language = self.answer.choice, self.answer.text, self.answer.language
        self.date_edit, self.date_note = self.answer.date_edit, self.answer.date_note
        self.translation = self.answer.translation

        self.prev_button = QPushButton(self.card)
        self.prev_button.clicked.connect(self.previous_question)
        self.skip_button = QPushButton(self.card)
        self.skip_button.setObjectName("skipQuestion")
        self.skip_button.clicked.connect(self.skip)
        self.flag_button = QPushButton(self.card)
        self.flag_button.setObjectName("flagQuestion")
        self.flag_button.clicked.connect(self.toggle_flag)
        self.event_button = QPushButton(self.card)
        self.event_button.clicked.connect(lambda: self.current and self.event_requested.emit(self.current.id))
        self.allegation_button = QPushButton(self.card)
        self.allegation_button.clicked.connect(
            lambda: self.current and self.allegation_requested.emit(self.current.id)
        )
        self.next_button = QPushButton(self.card)
        self.next_button.setObjectName("nextQuestion")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next_question)

        texts = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.primary_lang)
        left.addWidget(self.primary)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.secondary_lang)
        right.addWidget(self.secondary)
        right.addStretch(1)
        self.secondary_box = QWidget(self.card)
        self.secondary_box.setLayout(right)
        primary_box = QWidget(self.card)
        primary_box.setLayout(left)
        texts.addWidget(primary_box, 1)
        texts.addWidget(self.secondary_box, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.prev_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.flag_button)
        buttons.addStretch(1)
        buttons.addWidget(self.event_button)
        buttons.addWidget(self.allegation_button)
        buttons.addWidget(self.next_button)
        card = QVBoxLayout(self.card)
        top = QHBoxLayout()
        top.addWidget(self.section_label, 1)
        top.addWidget(self.position_label)
        card.addLayout(top)
        card.addLayout(texts)
        card.addWidget(self.hint)
        self.answer.add_to(card)
        card.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        seasons_row = QHBoxLayout()  # its own row: the choices say the months, and are long
        seasons_row.addWidget(self.seasons_label)
        seasons_row.addWidget(self.seasons_combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(seasons_row)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.update_clock)
        self._shortcuts()
        self.retranslate_ui()

    # -- keyboard --------------------------------------------------------------------------------
    def _shortcuts(self) -> None:
        def add(keys: str | QKeySequence.StandardKey, slot: Callable[[], Any]) -> None:
            for key in keys.split("|") if isinstance(keys, str) else [keys]:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

        add("Ctrl+Return|Ctrl+Enter", self.next_question)
        add("Ctrl+Shift+Return|Ctrl+Shift+Enter", self.previous_question)
        add("Ctrl+PgDown", self.next_section)
        add("Ctrl+PgUp", self.previous_section)
        add("Ctrl+M", self.toggle_flag)
        add("Ctrl+Shift+K", self.skip)
        add("F8", self.cycle_language)
        add("Ctrl+T", self.toggle_translation)
        add("F9", lambda: self.bilingual_button.toggle())
        add("Ctrl+Shift+E", lambda: self.current and self.event_requested.emit(self.current.id))
        add("Ctrl+Shift+A", lambda: self.current and self.allegation_requested.emit(self.current.id))
        add("Ctrl+Shift+X", self.end_requested.emit)

    # -- loading ---------------------------------------------------------------------------------
    def open_visit(
        self,
        visit: Record,
        questionnaire: Questionnaire,
        answers: dict[str, Record],
        client_name: str,
        now: Callable[[], datetime] = datetime.now,
        question: str | None = None,
        client_country: str | None = None,
    ) -> None:
        self.visit = visit
        self.questionnaire = questionnaire
        self.answers = dict(answers)
        self.client_name = client_name
        self.client_country = client_country
        self.seasons_setting = visit.data.get("seasons") or "auto"
        lang = visit.data.get("client_language") or "es"
        self.interview_lang = (
            lang
            if lang in questionnaire.languages
            else ("es" if "es" in questionnaire.languages else questionnaire.languages[0])
        )
        started = datetime.fromisoformat(visit.data["started_at"]) if visit.data.get("started_at") else now()
        self.clock = VisitClock(started, visit.data.get("minutes_allowed"), now)
        self._warned = False
        self._fill_languages()
        self.current = self.answer.question = None
        self._fill_seasons()
        self.answer.set_seasons(self.resolved_seasons())
        self._refresh_questions()
        row = self.model.row_of(question) if question else -1
        self._select_row(max(row, 0))
        self.update_clock()
        self._timer.start()
        self.retranslate_ui()

    def close_visit(self) -> None:
        """Forget everything shown (on lock or when leaving)."""
        self._timer.stop()
        self.visit = None
        self.questionnaire = None
        self.answers = {}
        self.current = None
        self.model.clear()
        self.answer.clear()
        self.primary.clear()
        self.secondary.clear()
        self.hint.clear()
        self.title.clear()
        self.client_country = None
        self.answer.seasons = None

    def _fill_languages(self) -> None:
        assert self.visit is not None
        codes = [self.visit.data.get("client_language") or "es"]
        interpreter = self.visit.data.get("interpreter") or {}
        for code in [*(interpreter.get("languages") or []), "es", "en"]:
            if code not in codes:
                codes.append(code)
        self.answer.set_languages(codes)

    # -- seasons ---------------------------------------------------------------------------------
    def resolved_seasons(self) -> str | None:
        """The region whose seasons a season word means in this visit; None: ask for the months."""
        from ui import seasons_ui

        return seasons_ui.resolve(self.seasons_setting, self.client_country)

    def _fill_seasons(self) -> None:
        """The Seasons choices in the interface language, the visit's setting chosen."""
        from ui import seasons_ui

        self._filling_seasons = True
        try:
            self.seasons_combo.clear()
            for key, label in seasons_ui.setting_choices(self.client_country):
                self.seasons_combo.addItem(label, key)
                self.seasons_combo.setItemData(
                    self.seasons_combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole
                )
            self.seasons_combo.setCurrentIndex(max(self.seasons_combo.findData(self.seasons_setting), 0))
            self.seasons_combo.setToolTip(self.seasons_combo.currentText())
            view = self.seasons_combo.view()  # the list shows each choice whole
            view.setMinimumWidth(view.sizeHintForColumn(0) + 24)
        finally:
            self._filling_seasons = False

    def _seasons_chosen(self) -> None:
        if self._filling_seasons or self.visit is None:
            return
        self.seasons_setting = self.seasons_combo.currentData() or "auto"
        self.seasons_combo.setToolTip(self.seasons_combo.currentText())
        self.seasons_changed.emit(self.seasons_setting)
        self.answer.set_seasons(self.resolved_seasons())

    def visit_saved(self, visit: Record) -> None:
        """The presenter stored a field of the visit shown (its Seasons setting)."""
        if self.visit is not None and visit.id == self.visit.id:
            self.visit = visit

    def _values(self) -> dict[str, str | None]:
        return {qid: (a.data.get("value") or a.data.get("text") or None) for qid, a in self.answers.items()}

    def _refresh_questions(self, select: str | None = None) -> None:
        assert self.questionnaire is not None
        keep = select or (self.current.id if self.current else None)
        visible = self.questionnaire.visible_questions(self._values())
        self.model.set_questions(self.questionnaire, visible, self.answers, self.interview_lang)
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.list.selectionModel().blockSignals(True)
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.list.selectionModel().blockSignals(False)
            self.list.scrollTo(self.model.index(row, 0))

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.list.scrollTo(self.model.index(row, 0))

    def _row_changed(self, *_args: Any) -> None:
        index = self.list.currentIndex()
        if not index.isValid() or self.questionnaire is None:
            return
        self.show_question(self.questionnaire.question(index.data(QUESTION_ROLE)))

    def show_question(self, question: Question) -> None:
        self.current = question
        self._render_question()
        answer = self.answers.get(question.id)
        client_language = self.visit.data.get("client_language") if self.visit else None
        self.answer.show_answer(question, answer.data if answer else {}, client_language)
        self._update_state()
        self.question_changed.emit(question.id)
        self.answer.take_focus()

    def _render_question(self) -> None:
        question = self.current
        if question is None or self.questionnaire is None:
            return
        other = "en" if self.interview_lang != "en" else "es"
        self.primary_lang.setText(language_label(self.interview_lang).upper())
        self.primary.setText(question.text_in(self.interview_lang))
        self.secondary_lang.setText(language_label(other).upper())
        self.secondary.setText(question.text_in(other))
        self.secondary_box.setVisible(self.bilingual)
        self.hint.setText(question.hint_in(current_language()))
        self.section_label.setText(self.questionnaire.section_of(question.id).title_in(current_language()))
        row = self.model.row_of(question.id)
        self.position_label.setText(
            _("Question {number} of {total}").format(number=row + 1, total=self.model.rowCount())
        )

    # -- editing ---------------------------------------------------------------------------------
    def _emit(self, path: str, value: object) -> None:
        if self.current is not None:
            self.answer_edited.emit(self.current.id, path, value)

    def answer_saved(self, answer: Record) -> None:
        """The presenter stored an answer: keep it, refresh marks and follow-ups."""
        qid = answer.data["question"]
        before = self._values().get(qid)
        self.answers[qid] = answer
        self.model.update_answer(answer)
        if self.current is not None and qid == self.current.id:
            self._update_state()
        if (
            answer.data.get("value") or answer.data.get("text") or None
        ) != before and self.current is not None:
            question = self.questionnaire.question(qid) if self.questionnaire else None
            if question is not None and question.followups:
                self._refresh_questions()

    def _update_state(self) -> None:
        answer = self.answers.get(self.current.id) if self.current else None
        flagged = bool(answer and answer.data.get("flagged"))
        skipped = bool(answer and answer.data.get("skipped"))
        self.flag_button.setText(_("Unflag") if flagged else _("Flag for follow-up"))
        self.answer.show_state(flagged, skipped)

    # -- actions ---------------------------------------------------------------------------------
    def next_question(self) -> None:
        self._select_row(self.list.currentIndex().row() + 1)

    def previous_question(self) -> None:
        self._select_row(self.list.currentIndex().row() - 1)

    def _section_rows(self) -> list[int]:
        rows, last = [], None
        for i, question in enumerate(self.model.questions):
            if question.section != last:
                rows.append(i)
                last = question.section
        return rows

    def next_section(self) -> None:
        row = self.list.currentIndex().row()
        for start in self._section_rows():
            if start > row:
                self._select_row(start)
                return

    def previous_section(self) -> None:
        row = self.list.currentIndex().row()
        starts = [s for s in self._section_rows() if s < row]
        current_start = max([s for s in self._section_rows() if s <= row], default=0)
        if row > current_start:
            self._select_row(current_start)
        elif starts:
            self._select_row(max(s for s in starts if s < current_start) if current_start else 0)

    def toggle_flag(self) -> None:
        if self.current is None:
            return
        answer = self.answers.get(self.current.id)
        self._emit("flagged", not bool(answer and answer.data.get("flagged")))

    def skip(self) -> None:
        if self.current is None:
            return
        self._emit("skipped", True)
        self.next_question()

    def cycle_language(self) -> None:
        self.answer.cycle_language()

    def toggle_translation(self) -> None:
        self.answer.toggle_translation()

    def set_bilingual(self, on: bool) -> None:
        self.bilingual = on
        self.secondary_box.setVisible(on)
        self.retranslate_ui()

    def update_clock(self) -> None:
        if self.clock is None:
            self.clock_label.clear()
            return
        self.clock_label.setText(self.clock.text())
        warning = self.clock.warning()
        if self.clock_label.property("warning") != warning:
            self.clock_label.setProperty("warning", warning)
            self.clock_label.style().unpolish(self.clock_label)
            self.clock_label.style().polish(self.clock_label)
        if warning and not self._warned:
            self._warned = True
            self.clock_warning.emit()

    # -- language --------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.back_button.setText(_("← Record"))
        if self.visit is not None:
            self.title.setText(_("Visit with {name}").format(name=self.client_name))
        self.bilingual_button.setText(_("Both languages (F9)") if self.bilingual else _("One language (F9)"))
        self.end_button.setText(_("End visit…"))
        self.seasons_label.setText(_("&Seasons:"))
        if self.visit is not None:
            self._fill_seasons()
        self.answer.retranslate()
        self.prev_button.setText(_("Previous"))
        self.skip_button.setText(_("Skip"))
        self.next_button.setText(_("Next"))
        self.event_button.setText(_("Add to timeline…"))
        self.allegation_button.setText(_("Record allegation…"))
        self.model.retranslate()
        if self.current is not None:
            self._render_question()
            self._update_state()
        self.update_clock()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
