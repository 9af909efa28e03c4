"""The visit controller: the summary kept is the core's, an event from a question not answered
yet, what the record behind visit mode learns, a refused answer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.interview.visits import summary_text
from ui import dialogs

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def visit_page(unlocked, open_client):
    open_client(unlocked, "María")
    dialogs.set_next_answer(True)  # the start-visit dialog as it comes
    QTest.keyClick(unlocked, Qt.Key.Key_V, CTRL_SHIFT)
    assert unlocked.in_visit
    return unlocked.visit_page


def test_the_summary_kept_is_the_cores_in_the_interface_language(qtbot, unlocked, visit_page, languages):
    page = visit_page
    visit_id = page.visit.id
    questionnaire = page.questionnaire
    languages.set_language("es")
    dialogs.set_next_answer(True)  # end the visit, no next steps
    QTest.keyClick(page.text, Qt.Key.Key_X, CTRL_SHIFT)
    session = unlocked.session
    visit = session.get(visit_id)
    expected = summary_text(session.visits.summary(visit, questionnaire), "es")
    assert visit.data["summary"] == expected and expected.startswith("0 de ")
    assert unlocked.on_record and unlocked.record.tabs.currentIndex() == 5
    assert unlocked.record.visits.model.row_of(visit_id) >= 0


def test_an_event_from_a_question_not_answered_yet(qtbot, unlocked, visit_page):
    page = visit_page
    question = page.current
    assert page.answers.get(question.id) is None
    timeline = unlocked.record.timeline
    before = timeline.model.rowCount()

    def fill(dialog):
        assert dialog.text_es.toPlainText() == "" and dialog.date.text() == ""
        dialog.date.setText("2015")
        dialog.text_es.setPlainText("Nací en Totonicapán.")

    dialogs.set_next_answer(fill)
    QTest.keyClick(page.text, Qt.Key.Key_E, CTRL_SHIFT)
    answer = page.answers[question.id]  # made first, empty, so the event can point at it
    assert unlocked.session.get(answer.id).data["text"] == ""
    assert unlocked.statusBar().currentMessage() == "Added to the timeline."
    assert timeline.model.rowCount() == before + 1  # the record behind visit mode followed
    event = next(
        e for e in unlocked.session.children(page.visit.client_id, "event") if e.data["date"] == "2015"
    )
    assert event.data["sources"] == [f"interview:{answer.id}"]


def test_a_refused_answer_is_the_not_saved_dialog(qtbot, unlocked, visit_page, type_text):
    page = visit_page
    type_text(page.text, "María")
    qtbot.waitUntil(
        lambda: page.current.id in page.answers and not unlocked.session.has_pending, timeout=2000
    )
    answer = page.answers[page.current.id]
    dialogs.set_next_answer(True)  # the error box
    unlocked.session.edit(answer.id, "flagged", "sí")
    unlocked.session.flush()
    kind, _text = dialogs.shown[-1]
    assert kind == "error"
    assert unlocked.session.get(answer.id).data.get("flagged") is None


def test_cancelling_the_new_client_starts_no_visit(qtbot, unlocked):
    visits_before = sum(
        len(unlocked.session.children(c.id, "visit")) for c in unlocked.session.store.clients()
    )
    dialogs.set_next_answer(False)  # no client chosen on the list: the new-client dialog, cancelled
    QTest.keyClick(unlocked, Qt.Key.Key_V, CTRL_SHIFT)
    assert unlocked.on_list
    after = sum(len(unlocked.session.children(c.id, "visit")) for c in unlocked.session.store.clients())
    assert after == visits_before
