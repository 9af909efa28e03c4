"""Seasons in the window: the visit's Seasons setting, the "Understood as" preview in both languages,
and the words of a date kept as said (answers, events from an answer, events typed by hand).

A Salvadoran "invierno de 2019" is the rainy season, May to October 2019; in the north "winter 2019"
is December 2019 to February 2020 (resources/seasons.toml, with its public sources)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui import dialogs

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
DATE_QUESTION = "border.last_arrival_date"


@pytest.fixture
def start_visit(open_client):
    """``start_visit(window, given_prefix)``: open the client, Ctrl+Shift+V, the dialog as it comes."""

    def start(window, given_prefix):
        open_client(window, given_prefix)
        dialogs.set_next_answer(True)
        QTest.keyClick(window, Qt.Key.Key_V, CTRL_SHIFT)
        assert window.workspace.currentWidget() is window.visit_page
        return window.visit_page

    return start


def go_to(page, qid):
    """Ctrl+Enter (keyboard only) until the question is shown."""
    for _ in range(200):
        if page.current.id == qid:
            return
        QTest.keyClick(page.focusWidget() or page, Qt.Key.Key_Return, CTRL)
    raise AssertionError(qid)


def stored_answer(window, page, qid):
    return window.session.get(page.answers[qid].id)


def settle(qtbot, window):
    qtbot.waitUntil(lambda: not window.session.has_pending, timeout=3000)


def choose_setting(page, key):
    """Pick a Seasons choice from the keyboard: Alt+S focuses the combo, arrows move in it."""
    QTest.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    combo = page.seasons_combo
    assert combo.hasFocus()
    target = combo.findData(key)
    assert target >= 0
    while combo.currentIndex() != target:
        arrow = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        QTest.keyClick(combo, arrow)


def test_salvadoran_invierno_is_the_rainy_season_said_in_both_languages(
    qtbot, unlocked, type_text, start_visit
):
    page = start_visit(unlocked, "José")  # born in El Salvador (SV)
    assert page.seasons_combo.currentData() == "auto"
    assert "El Salvador" in page.seasons_combo.currentText()
    go_to(page, DATE_QUESTION)
    assert page.date_edit.hasFocus()
    type_text(page.date_edit, "invierno de 2019")
    settle(qtbot, unlocked)
    answer = stored_answer(unlocked, page, DATE_QUESTION)
    assert answer.data["value"] == "2019-05/2019-10"
    assert answer.data["text"] == "invierno de 2019"
    assert answer.data["seasons"] == "central_america"
    note = page.date_note.text()
    assert "between May and October 2019" in note
    assert "entre mayo y octubre de 2019" in note
    assert "(2019-05/2019-10)" in note

    # the interpreter says the client means the northern winter: the field is read again
    choose_setting(page, "northern")
    settle(qtbot, unlocked)
    answer = stored_answer(unlocked, page, DATE_QUESTION)
    assert answer.data["value"] == "2019-12/2020-02"
    assert answer.data["seasons"] == "northern"
    assert answer.data["text"] == "invierno de 2019"  # the words as said do not change
    assert "2019-12/2020-02" in page.date_note.text()
    assert unlocked.session.get(page.visit.id).data["seasons"] == "northern"


def test_the_setting_persists_on_the_visit_and_comes_back(qtbot, unlocked, start_visit):
    page = start_visit(unlocked, "José")
    visit_id = page.visit.id
    choose_setting(page, "ask")
    settle(qtbot, unlocked)
    assert unlocked.session.get(visit_id).data["seasons"] == "ask"
    dialogs.set_next_answer(True)  # end the visit (the summary dialog, as it comes)
    QTest.keyClick(page.focusWidget() or page, Qt.Key.Key_X, CTRL_SHIFT)
    assert unlocked.workspace.currentWidget() is unlocked.record
    # open it again from the Visits tab: the setting is the one kept
    section = unlocked.record.visits
    section.table.setFocus()
    section.table.selectRow(section.model.row_of(visit_id))
    QTest.keyClick(section.table, Qt.Key.Key_Return)
    assert unlocked.visit_page.visit.id == visit_id
    assert unlocked.visit_page.seasons_combo.currentData() == "ask"


def test_ask_each_time_asks_and_stores_no_date(qtbot, unlocked, type_text, start_visit):
    page = start_visit(unlocked, "José")
    choose_setting(page, "ask")
    go_to(page, DATE_QUESTION)
    type_text(page.date_edit, "verano de 2018")
    settle(qtbot, unlocked)
    answer = stored_answer(unlocked, page, DATE_QUESTION)
    assert answer.data["value"] is None
    assert answer.data["text"] == "verano de 2018"
    assert "names a season" in page.date_note.text()
    assert "Understood as" not in page.date_note.text()
    # months are always understood, whatever the setting
    page.date_edit.selectAll()
    type_text(page.date_edit, "mayo a octubre de 2018")
    settle(qtbot, unlocked)
    assert stored_answer(unlocked, page, DATE_QUESTION).data["value"] == "2018-05/2018-10"


def test_a_client_with_no_country_is_asked_not_guessed(qtbot, unlocked, type_text, start_visit, open_client):
    client = open_client(unlocked, "María")
    unlocked.session.edit(client.id, "country_of_birth", None)
    unlocked.session.edit(client.id, "nationalities", [])
    unlocked.session.flush()
    page = start_visit(unlocked, "María")
    assert page.seasons_combo.currentData() == "auto"
    assert "unknown" in page.seasons_combo.currentText()
    go_to(page, DATE_QUESTION)
    type_text(page.date_edit, "invierno de 2019")
    settle(qtbot, unlocked)
    answer = stored_answer(unlocked, page, DATE_QUESTION)
    assert answer.data["value"] is None
    assert answer.data.get("seasons") is None
    assert "names a season" in page.date_note.text() and "say the months" in page.date_note.text()
    # choosing the Central American seasons reads the same words as the rainy season
    choose_setting(page, "central_america")
    settle(qtbot, unlocked)
    assert stored_answer(unlocked, page, DATE_QUESTION).data["value"] == "2019-05/2019-10"


def test_an_event_from_the_answer_keeps_the_date_as_said(qtbot, unlocked, type_text, start_visit):
    page = start_visit(unlocked, "José")
    go_to(page, DATE_QUESTION)
    type_text(page.date_edit, "invierno de 2019")
    settle(qtbot, unlocked)
    client_id = page.visit.client_id
    seen = {}

    def fill(dialog):
        seen["date"] = dialog.date.text()
        seen["note"] = dialog.understood.text()
        dialog.text_es.setPlainText("Llegué a la frontera.")

    dialogs.set_next_answer(fill)
    QTest.keyClick(page.date_edit, Qt.Key.Key_E, CTRL_SHIFT)
    assert seen["date"] == "invierno de 2019"
    assert "between May and October 2019" in seen["note"] and "entre mayo y octubre de 2019" in seen["note"]
    event = next(
        e for e in unlocked.session.children(client_id, "event") if e.data["date"] == "2019-05/2019-10"
    )
    assert event.data["date_said"] == {"text": "invierno de 2019", "lang": "es", "seasons": "central_america"}
    assert event.data["sources"] == [f"interview:{page.answers[DATE_QUESTION].id}"]


def test_an_event_typed_by_hand_reads_seasons_from_the_clients_country(qtbot, unlocked, open_client):
    open_client(unlocked, "Daniel")  # born in Honduras (HN): "verano" is the dry season
    QTest.keyClick(unlocked, Qt.Key.Key_7, CTRL)
    section = unlocked.record.timeline

    def fill(dialog):
        dialog.date.setText("verano de 2010")
        assert dialog.edtf == "2009-11/2010-04"  # November 2009 to April 2010 (seasons.toml)
        dialog.text_en.setPlainText("The dry season I left school.")

    dialogs.set_next_answer(fill)
    section.add_button.click()
    record = section.current_record()
    assert record.data["date"] == "2009-11/2010-04"
    assert record.data["date_said"] == {"text": "verano de 2010", "lang": "en", "seasons": "central_america"}
    # the event's editor shows the words as said beside what they were understood as
    assert "verano de 2010" in section.form.note_text("date")


def test_the_event_dialog_shows_the_words_an_event_was_said_in(qtbot, unlocked):
    from ui.visit_dialogs import EventDialog

    said = {"text": "invierno de 2019", "lang": "es", "seasons": "central_america"}
    dialog = EventDialog(unlocked, date_text="2019-05/2019-10", text={}, lang="en", date_said=said)
    qtbot.addWidget(dialog)
    assert dialog.said.isVisibleTo(dialog)
    assert "invierno de 2019" in dialog.said.text() and "Spanish" in dialog.said.text()
    assert dialog.edtf == "2019-05/2019-10"
    plain = EventDialog(unlocked, date_text="", text={}, lang="en")
    qtbot.addWidget(plain)
    assert not plain.said.isVisibleTo(plain)
    assert plain.values()["date_said"] is None


def test_editing_an_events_date_keeps_the_new_words(qtbot, unlocked, type_text, open_client):
    open_client(unlocked, "José")
    QTest.keyClick(unlocked, Qt.Key.Key_7, CTRL)
    section = unlocked.record.timeline
    section.table.selectRow(0)
    record_id = section.current_id()
    field = section.form.editors["date"].widget
    field.setFocus()
    field.selectAll()
    type_text(field, "invierno de 2015")
    qtbot.waitUntil(lambda: unlocked.session.get(record_id).data["date"] == "2015-05/2015-10", timeout=3000)
    settle(qtbot, unlocked)
    said = unlocked.session.get(record_id).data["date_said"]
    assert said == {"text": "invierno de 2015", "lang": "en", "seasons": "central_america"}
    assert field.text() == "invierno de 2015"


def test_switching_the_interface_language_keeps_the_words_and_both_languages(
    qtbot, unlocked, languages, type_text, start_visit
):
    page = start_visit(unlocked, "José")
    go_to(page, DATE_QUESTION)
    type_text(page.date_edit, "invierno de 20")
    QTest.keyClick(unlocked, Qt.Key.Key_F12)
    assert page.seasons_label.text() == "Esta&ciones del año:"
    assert page.date_edit.text() == "invierno de 20"
    type_text(page.date_edit, "19")
    settle(qtbot, unlocked)
    note = page.date_note.text()
    assert note.startswith("Entendido como:")
    assert "entre mayo y octubre de 2019" in note and "between May and October 2019" in note
    assert note.index("entre mayo") < note.index("between May")  # the interface language first
    assert page.seasons_combo.findData("ask") >= 0
    assert page.seasons_combo.itemText(page.seasons_combo.findData("ask")) == (
        "Preguntar cada vez (decir los meses)"
    )
    assert stored_answer(unlocked, page, DATE_QUESTION).data["value"] == "2019-05/2019-10"


def test_spoken_dates_in_the_record_read_seasons_from_the_clients_country(
    qtbot, unlocked, type_text, open_client
):
    from ui.forms import spoken_to_edtf

    assert spoken_to_edtf("invierno de 2019", "central_america") == "2019-05/2019-10"
    assert spoken_to_edtf("invierno de 2019") == "invierno de 2019"  # not understood: refused, kept

    client = open_client(unlocked, "María")
    unlocked.session.edit(client.id, "country_of_birth", None)
    unlocked.session.edit(client.id, "nationalities", [])
    unlocked.session.flush()
    QTest.keyClick(unlocked, Qt.Key.Key_7, CTRL)
    section = unlocked.record.timeline
    section.table.selectRow(0)
    record_id = section.current_id()
    before = unlocked.session.get(record_id).data["date"]
    field = section.form.editors["date"].widget
    field.setFocus()
    field.selectAll()
    type_text(field, "invierno de 2019")
    qtbot.waitUntil(lambda: section.form.has_error("date"), timeout=3000)
    assert "say the months" in section.form.note_text("date")
    assert field.text() == "invierno de 2019"
    assert unlocked.session.get(record_id).data["date"] == before
