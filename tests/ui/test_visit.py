"""Visit mode: started from a client, walked by keyboard only, saved as typed, read back."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.interview.questionnaire import load_questionnaire
from desktop.case.store import CaseStore
from desktop.vault.database import open_vault, unlock
from ui import dialogs


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def start_visit(open_client):
    """``start_visit(window, given_prefix, minutes=60)``: open the client, Ctrl+Shift+V, an
    interpreter and the minutes allowed; the visit page."""

    def start(window, given_prefix, minutes=60):
        open_client(window, given_prefix)

        def fill(dialog):
            dialog.interpreter.setText("Rosa Medina")
            dialog.minutes.setValue(minutes)

        dialogs.set_next_answer(fill)
        QTest.keyClick(
            window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        assert window.workspace.currentWidget() is window.visit_page
        return window.visit_page

    return start


def key(widget, k, mods=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(widget, k, mods)


CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def go_to(page, qid):
    """Move with Ctrl+Enter (keyboard only) until the question is shown."""
    for _ in range(200):
        if page.current.id == qid:
            return
        key(page.focusWidget() or page, Qt.Key.Key_Return, CTRL)
    raise AssertionError(qid)


def test_start_visit_records_who_where_and_when(
    qtbot, make_window, demo_vault, unlock_with, passphrase, start_visit
):
    clock = FakeClock(datetime(2026, 11, 25, 9, 5))
    window = make_window(clock=clock)
    window.start(demo_vault)
    unlock_with(window, passphrase)
    page = start_visit(window, "Daniel")
    visit = window.session.get(page.visit.id)
    assert visit.data["started_at"] == "2026-11-25T09:05"
    assert visit.data["interpreter"]["name"] == "Rosa Medina"
    assert visit.data["client_language"] == "es"
    assert visit.data["facility"].startswith("Central Louisiana")  # taken from the client's custody
    assert visit.data["questionnaire"] == load_questionnaire().ref
    assert page.current.id == load_questionnaire().all_questions()[0].id
    assert page.primary.text().startswith("¿")  # the interview language first
    assert page.secondary.isVisible() and page.secondary.text()[0].isalpha()


def test_clock_counts_and_warns_ten_minutes_before_the_end(
    qtbot, make_window, demo_vault, unlock_with, passphrase, start_visit
):
    clock = FakeClock(datetime(2026, 11, 25, 9, 0))
    window = make_window(clock=clock)
    window.start(demo_vault)
    unlock_with(window, passphrase)
    page = start_visit(window, "José", minutes=45)
    assert page.clock_label.text() == "0:00 elapsed · 0:45 left"
    clock.now += timedelta(minutes=30)
    page.update_clock()
    assert page.clock_label.text() == "0:30 elapsed · 0:15 left"
    assert not page.clock_label.property("warning")
    clock.now += timedelta(minutes=6)
    with qtbot.waitSignal(page.clock_warning, timeout=2000):
        page.update_clock()
    assert page.clock_label.property("warning") is True
    assert "Ten minutes" in window.statusBar().currentMessage()
    clock.now += timedelta(minutes=15)
    page.update_clock()
    assert "over time" in page.clock_label.text()
    assert "Ten minutes" in window.statusBar().currentMessage()
    window.visits.leave_visit()  # the warning was about this visit: it goes with it
    assert window.statusBar().currentMessage() == ""


def test_keyboard_walk_with_language_switch_mid_answer_and_read_back(
    qtbot, make_window, demo_vault, languages, policy, unlock_with, passphrase, type_text, start_visit
):
    questionnaire = load_questionnaire()
    window = make_window()
    window.start(demo_vault)
    unlock_with(window, passphrase)
    page = start_visit(window, "José")
    first = page.current
    assert first.kind == "text" and page.text.hasFocus()
    type_text(page.text, "José Ángel Martínez Núñez, me dicen Chepe")
    # the interpreter switches the interface language in the middle of the next answer
    key(page.text, Qt.Key.Key_Return, CTRL)
    second = page.current
    assert second.id != first.id
    if second.kind == "yesno":
        key(page.yes, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(page.no.isChecked, timeout=2000)  # a mnemonic "animates" the click
        page.text.setFocus()
    type_text(page.text, "Usaba otro apel")
    hint_before = page.hint.text()
    key(window, Qt.Key.Key_F12)
    assert page.hint.text() != hint_before  # the interviewer's hint now in Spanish
    assert page.next_button.text() == "Siguiente"
    assert page.text.toPlainText() == "Usaba otro apel"
    assert page.text.textCursor().position() == len("Usaba otro apel")
    type_text(page.text, "lido en Soyapango")
    # flag it for follow-up, then skip the next question
    key(page.text, Qt.Key.Key_M, CTRL)
    qtbot.waitUntil(
        lambda: page.answers.get(second.id) is not None and page.answers[second.id].data.get("flagged"),
        timeout=2000,
    )
    key(page.text, Qt.Key.Key_Return, CTRL)
    skipped = page.current
    key(page.focusWidget(), Qt.Key.Key_K, CTRL | SHIFT)
    assert page.current.id != skipped.id
    # the date question of the last arrival, typed as spoken
    arrival = questionnaire.question("border.last_arrival_date")
    go_to(page, arrival.id)
    assert page.date_edit.hasFocus()
    type_text(page.date_edit, "verano de 2024")
    # José is Salvadoran: his "verano" is the dry season, November 2023 to April 2024
    assert "2023-11/2024-04" in page.date_note.text()
    qtbot.waitUntil(lambda: not window.session.has_pending, timeout=2000)
    window.close()

    with open_vault(demo_vault, unlock(demo_vault, passphrase, policy)) as vault:
        store = CaseStore(vault)
        visit = store.get(page_visit_id(store))
        answers = {a.data["question"]: a for a in store.children(visit.client_id, "answer", visit.id)}
    assert answers[first.id].data["text"] == "José Ángel Martínez Núñez, me dicen Chepe"
    assert answers[first.id].data["language"] == "es"
    assert answers[first.id].data["questionnaire_version"] == questionnaire.version
    assert answers[first.id].data["recorded_at"]
    assert answers[second.id].data["text"] == "Usaba otro apellido en Soyapango"
    assert answers[second.id].data["flagged"] is True
    assert answers[skipped.id].data["skipped"] is True
    assert answers[arrival.id].data["value"] == "2023-11/2024-04"
    assert answers[arrival.id].data["text"] == "verano de 2024"
    assert answers[arrival.id].data["seasons"] == "central_america"


def page_visit_id(store):
    visits = [r for c in store.clients() for r in store.children(c.id, "visit")]
    newest = max(visits, key=lambda r: r.created_at)
    return newest.id


def test_follow_ups_appear_when_the_answer_calls_for_them(qtbot, unlocked, start_visit):
    page = start_visit(unlocked, "María")
    questionnaire = page.questionnaire
    parent = questionnaire.question("family.separated")
    go_to(page, parent.id)
    follow = parent.followups[0]
    assert page.model.row_of(follow.id) == -1
    key(page.yes, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.model.row_of(follow.id) >= 0, timeout=3000)
    key(page.focusWidget(), Qt.Key.Key_Return, CTRL)
    assert page.current.id == follow.id
    key(page.focusWidget(), Qt.Key.Key_Return, CTRL | SHIFT)
    key(page.no, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.model.row_of(follow.id) == -1, timeout=2000)


def test_one_language_toggle_and_answer_language(qtbot, unlocked, type_text, start_visit):
    page = start_visit(unlocked, "José")
    assert page.secondary_box.isVisible()
    key(page.text, Qt.Key.Key_F9)
    assert not page.secondary_box.isVisible()
    key(page.text, Qt.Key.Key_F9)
    assert page.secondary_box.isVisible()
    type_text(page.text, "My name is José")
    key(page.text, Qt.Key.Key_F8)  # this answer was given in English
    assert page.language.currentData() != "es"
    while page.language.currentData() != "en":
        key(page.text, Qt.Key.Key_F8)
    key(page.text, Qt.Key.Key_T, CTRL)
    assert page.translation.hasFocus()
    type_text(page.translation, "Me llamo José")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    answer = unlocked.session.get(page.answers[page.current.id].id)
    assert answer.data["language"] == "en"
    assert answer.data["translation"] == {"es": "Me llamo José"}


def test_event_from_an_answer_with_the_date_as_spoken(qtbot, unlocked, type_text, start_visit):
    page = start_visit(unlocked, "José")
    question = page.questionnaire.question("harm.story")
    go_to(page, question.id)
    type_text(page.text, "Los pandilleros me golpearon frente a mi casa.")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    client_id = page.visit.client_id
    before = len(unlocked.session.children(client_id, "event"))

    def fill(dialog):
        dialog.date.setText("alrededor de 2009")
        assert dialog.edtf == "2009~"
        assert "around 2009" in dialog.understood.text()  # shown in the interface language
        assert dialog.text_es.toPlainText() == "Los pandilleros me golpearon frente a mi casa."
        dialog.text_en.setPlainText("Gang members beat me in front of my house.")

    dialogs.set_next_answer(fill)
    key(page.text, Qt.Key.Key_E, CTRL | SHIFT)
    events = unlocked.session.children(client_id, "event")
    assert len(events) == before + 1
    new = [e for e in events if e.data["date"] == "2009~"][-1]
    assert new.data["sources"] == [f"interview:{page.answers[question.id].id}"]
    assert new.data["text"]["en"].startswith("Gang members")


def test_allegation_from_an_answer(qtbot, unlocked, type_text, start_visit):
    page = start_visit(unlocked, "Daniel")
    go_to(page, "allegations.told_accused")
    key(page.yes, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    question = page.questionnaire.question("allegations.exact_words")
    qtbot.waitUntil(lambda: page.model.row_of(question.id) >= 0, timeout=3000)
    go_to(page, question.id)
    type_text(page.text, "Me dijeron: usted aparece como miembro de la MS-13.")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    client_id = page.visit.client_id
    before = len(unlocked.session.children(client_id, "allegation"))

    def fill(dialog):
        assert "MS-13" in dialog.wording.toPlainText()
        dialog.organization.setText("MS-13")

    dialogs.set_next_answer(fill)
    key(page.text, Qt.Key.Key_A, CTRL | SHIFT)
    allegations = unlocked.session.children(client_id, "allegation")
    assert len(allegations) == before + 1
    assert allegations[-1].data["wording"] == "Me dijeron: usted aparece como miembro de la MS-13."


def test_end_of_visit_summary_saved_and_printable(qtbot, unlocked, tmp_path, type_text, start_visit):
    page = start_visit(unlocked, "María")
    type_text(page.text, "María Tomasa Calel Tzoc")
    key(page.text, Qt.Key.Key_M, CTRL)
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    visit_id = page.visit.id
    pdf = tmp_path / "summary.pdf"

    def fill(dialog):
        assert "1 of" in dialog.view.toPlainText()
        dialog.next_steps.setPlainText("Pedir la carencia de antecedentes penales.")
        dialogs.set_print_target(pdf)
        dialog.print_button.click()

    dialogs.set_next_answer(fill)
    key(page.text, Qt.Key.Key_X, CTRL | SHIFT)
    assert unlocked.workspace.currentWidget() is unlocked.record
    assert unlocked.record.tabs.currentIndex() == 5
    visit = unlocked.session.get(visit_id)
    assert visit.data["ended_at"]
    assert visit.data["next_steps"] == "Pedir la carencia de antecedentes penales."
    assert "Flagged for follow-up" in visit.data["summary"] and "Not answered" in visit.data["summary"]
    assert pdf.read_bytes().startswith(b"%PDF")
    # the visit can be opened again from the Visits tab
    section = unlocked.record.visits
    row = section.model.row_of(visit_id)
    section.table.setFocus()
    section.table.selectRow(row)
    QTest.keyClick(section.table, Qt.Key.Key_Return)
    assert unlocked.workspace.currentWidget() is unlocked.visit_page
    assert unlocked.visit_page.answers  # the answers came back


def test_lock_mid_visit_returns_to_the_same_question(qtbot, unlocked, unlock_with, passphrase, start_visit):
    page = start_visit(unlocked, "José")
    key(page.text, Qt.Key.Key_Return, CTRL)
    key(page.focusWidget(), Qt.Key.Key_Return, CTRL)
    current = page.current.id
    unlocked.lock()
    assert page.visit is None and page.model.rowCount() == 0 and page.text.toPlainText() == ""
    unlock_with(unlocked, passphrase)
    assert unlocked.workspace.currentWidget() is unlocked.visit_page
    assert unlocked.visit_page.current.id == current
