"""The chronology controller: a new date re-sorts the list and keeps the event selected; a move
across dates is refused in words; the checks follow events stored elsewhere."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


@pytest.fixture
def timeline(unlocked, open_client):
    open_client(unlocked, "José")
    QTest.keyClick(unlocked, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    return unlocked.record.timeline


def test_a_new_date_resorts_the_list_and_keeps_the_event_selected(qtbot, unlocked, timeline, type_text):
    timeline.table.selectRow(0)
    first = timeline.current_record()
    field = timeline.form.editors["date"].widget
    field.setFocus()
    field.selectAll()
    type_text(field, "2030-01-01")
    qtbot.waitUntil(lambda: timeline.model.row_of(first.id) == timeline.model.rowCount() - 1, timeout=3000)
    assert timeline.current_id() == first.id


def test_a_move_across_dates_is_refused_in_words(unlocked, timeline):
    timeline.table.selectRow(0)
    first = timeline.current_id()
    unlocked.record.chronology.earlier_button.click()
    assert timeline.model.row_of(first) == 0
    assert unlocked.statusBar().currentMessage() == "Only events on the same date can be reordered by hand."


def test_the_checks_follow_an_event_stored_elsewhere(unlocked, timeline):
    tab = unlocked.record.chronology
    event = unlocked.session.create(
        "event",
        {"date": "2022", "category": "flight", "text": {"es": "Salí."}, "sources": []},
        client_id=unlocked.record.client.id,
    )
    assert timeline.model.row_of(event.id) >= 0
    assert any(i.kind == "no_source" and i.event_id == event.id for i in tab.issues.issues)
    unlocked.session.delete(event.id)
    assert timeline.model.row_of(event.id) == -1
    assert not any(i.event_id == event.id for i in tab.issues.issues)
