"""The questions of a visit as a table: state mark, section, question (in the interview language)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from desktop.i18n import N_, _
from desktop.case.model import Record
from desktop.interview.questionnaire import Question, Questionnaire
from ui.models.base import Index as _Index
from ui.models.base import TranslatedTableModel

QUESTION_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = (N_("State"), N_("Section"), N_("Question"))


def answer_state(answer: Record | None) -> str:
    """'answered', 'flagged', 'skipped' or 'open'."""
    if answer is None:
        return "open"
    if answer.data.get("flagged"):
        return "flagged"
    if answer.data.get("skipped"):
        return "skipped"
    return "answered" if (answer.data.get("text") or answer.data.get("value")) else "open"


# A mark and a word: the state never depends on colour or on a glyph alone.
_MARKS = {"answered": "✓", "flagged": "⚑", "skipped": "–", "open": ""}
_STATE_WORDS = {
    "answered": N_("Answered"),
    "flagged": N_("Follow up"),
    "skipped": N_("Skipped"),
    "open": N_("Not yet asked"),
}


class QuestionListModel(TranslatedTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.questionnaire: Questionnaire | None = None
        self.questions: list[Question] = []
        self.answers: dict[str, Record] = {}
        self.lang = "es"

    def header_msgids(self) -> tuple[str, ...]:
        return HEADERS

    def row_total(self) -> int:
        return len(self.questions)

    def set_questions(
        self, questionnaire: Questionnaire, questions: list[Question], answers: dict[str, Record], lang: str
    ) -> None:
        self.beginResetModel()
        self.questionnaire = questionnaire
        self.questions = list(questions)
        self.answers = dict(answers)
        self.lang = lang
        self.endResetModel()

    def update_answer(self, answer: Record) -> None:
        qid = answer.data["question"]
        self.answers[qid] = answer
        row = self.row_of(qid)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, 2))

    def row_of(self, qid: str) -> int:
        for i, q in enumerate(self.questions):
            if q.id == qid:
                return i
        return -1

    def clear(self) -> None:
        self.beginResetModel()
        self.questionnaire, self.questions, self.answers = None, [], {}
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.questions):
            return None
        question = self.questions[index.row()]
        state = answer_state(self.answers.get(question.id))
        if role == QUESTION_ROLE:
            return question.id
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return _MARKS[state]
            if index.column() == 1:
                assert self.questionnaire is not None
                return self.questionnaire.section_of(question.id).title_in(self.lang)
            indent = "    " * question.depth
            return indent + question.text_in(self.lang)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _(_STATE_WORDS[state])
        if role == Qt.ItemDataRole.FontRole and index.column() == 2 and question.depth:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
