"""The end-of-visit summary kept in the visit record: counts, flagged and unanswered questions,
in the language asked for (the interface's, whichever that is)."""

from __future__ import annotations

import pytest

from desktop import i18n
from desktop.interview.questionnaire import load_questionnaire
from desktop.interview.visits import VisitService, VisitSummary, summary_text


@pytest.fixture
def intake():
    return load_questionnaire()


def test_counts_then_flagged_then_unanswered_one_a_line(intake):
    first, second, third = intake.all_questions()[:3]
    summary = VisitSummary(
        unanswered=[second, third], skipped=[], flagged=[(first, None)], answered=1, total=3
    )
    assert summary_text(summary, "en").splitlines() == [
        "1 of 3 questions answered.",
        "Flagged for follow-up:",
        "- " + first.text_in("en"),
        "Not answered:",
        "- " + second.text_in("en"),
        "- " + third.text_in("en"),
    ]


def test_nothing_flagged_or_missing_is_one_line(intake):
    summary = VisitSummary(
        unanswered=[], skipped=[intake.all_questions()[0]], flagged=[], answered=4, total=4
    )
    assert summary_text(summary, "en") == "4 of 4 questions answered."


def test_in_spanish_whatever_the_interface_language(intake):
    question = intake.all_questions()[0]
    summary = VisitSummary(unanswered=[question], skipped=[], flagged=[], answered=0, total=1)
    assert i18n.current_language() == "en"
    assert summary_text(summary, "es").splitlines() == [
        "0 de 1 preguntas respondidas.",
        "Sin respuesta:",
        "- " + question.text_in("es"),
    ]


def test_from_a_stored_visit(store, intake):
    client = store.create("client", {"given_names": "Rosa", "family_names": "Pérez"})
    service = VisitService(store)
    visit = store.create("visit", {"date": "2026-11-25", "questionnaire": intake.ref}, client_id=client.id)
    first = intake.all_questions()[0]
    answer = service.new_answer(visit, first, intake.version, "es")
    store.set_field(answer.id, "text", "Rosa Pérez")
    store.set_field(answer.id, "flagged", True)
    summary = service.summary(visit, intake)
    text = summary_text(summary, "en")
    assert text.startswith(f"1 of {summary.total} questions answered.\nFlagged for follow-up:\n- ")
    assert "- " + first.text_in("en") + "\nNot answered:\n" in text
    assert text.count("\n- ") == 1 + len(summary.unanswered)
