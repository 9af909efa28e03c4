"""The client-records controller: views refresh from the session's change signals, whoever made
the change; the saved indicator follows the autosave; case files come in and open."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui import dialogs

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_record_stored_elsewhere_shows_in_the_open_record(qtbot, unlocked, open_client):
    jose = open_client(unlocked, "José")
    foia = unlocked.record.foia
    before = foia.model.rowCount()
    other = next(c for c in unlocked.session.store.clients() if c.id != jose.id)
    unlocked.session.create("foia_request", {"agency": "ICE", "status": "draft"}, client_id=other.id)
    assert foia.model.rowCount() == before  # another client's: this record does not change
    added = unlocked.session.create("foia_request", {"agency": "ICE", "status": "draft"}, client_id=jose.id)
    assert foia.model.rowCount() == before + 1 and foia.model.row_of(added.id) >= 0
    unlocked.session.delete(added.id)
    assert foia.model.row_of(added.id) == -1


def test_a_client_stored_elsewhere_joins_the_list(unlocked):
    before = unlocked.client_model.rowCount()
    rosa = unlocked.session.create("client", {"given_names": "Rosa", "family_names": "Ávila"})
    assert unlocked.client_model.rowCount() == before + 1
    assert unlocked.client_model.row_of(rosa.id) >= 0


def test_after_a_change_behind_the_views_the_list_and_the_record_are_read_again(unlocked, open_client):
    jose = open_client(unlocked, "José")
    unlocked.session.store.set_field(jose.id, "given_names", "Josué")  # as a sync file would
    assert unlocked.record.identity.editors["given_names"].widget.text() != "Josué"
    unlocked.session.reloaded()
    assert unlocked.record.identity.editors["given_names"].widget.text() == "Josué"
    assert unlocked.record.name_label.text().startswith("Josué")
    row = unlocked.client_model.row_of(jose.id)
    assert unlocked.client_model.client_at(row).given_names == "Josué"


def test_the_saved_indicator_follows_the_autosave(qtbot, unlocked, open_client):
    open_client(unlocked, "Daniel")
    assert unlocked.saved_label.text() == "Changes are saved as you type"
    field = unlocked.record.identity.editors["notes"].widget
    field.setFocus()
    qtbot.keyClicks(field, "x")
    assert unlocked.saved_label.text() == "Saving…"
    qtbot.waitUntil(lambda: unlocked.saved_label.text().startswith("Saved at "), timeout=3000)


def test_a_refused_value_in_a_list_says_why_under_its_field(qtbot, unlocked, open_client):
    open_client(unlocked, "María")
    QTest.keyClick(unlocked, Qt.Key.Key_5, CTRL)
    foia = unlocked.record.foia
    foia.table.selectRow(0)
    field = foia.form.editors["sent_on"].widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2024-02-31")
    qtbot.waitUntil(lambda: foia.form.has_error("sent_on"), timeout=3000)
    assert "2024-02-31" in foia.form.error_text("sent_on") and field.text() == "2024-02-31"
    assert unlocked.saved_label.text() != "Saving…"


def test_a_case_file_comes_in_as_a_new_client_and_opens(qtbot, unlocked, open_client, tmp_path):
    daniel = open_client(unlocked, "Daniel")
    out = tmp_path / "daniel.json"
    dialogs.set_next_answer(out)
    dialogs.set_next_answer(True)  # "exported"
    QTest.keyClick(unlocked, Qt.Key.Key_E, CTRL)
    doc = json.loads(out.read_text())
    doc["client"]["given_names"] = "Daniela"
    del doc["client"]["a_number"]  # one client per A-number in a vault
    out.write_text(json.dumps(doc))
    before = unlocked.client_model.rowCount()
    dialogs.set_next_answer(out)
    QTest.keyClick(unlocked, Qt.Key.Key_I, CTRL)
    assert unlocked.on_record and unlocked.record.client.data["given_names"] == "Daniela"
    assert unlocked.record.client.id != daniel.id
    assert unlocked.client_model.rowCount() == before + 1


def test_an_export_that_cannot_be_written_says_so(qtbot, unlocked, open_client, tmp_path):
    open_client(unlocked, "Daniel")
    dialogs.set_next_answer(tmp_path / "no-such-folder" / "case.json")
    dialogs.set_next_answer(True)  # the error box
    QTest.keyClick(unlocked, Qt.Key.Key_E, CTRL)
    kind, text = dialogs.shown[-1]
    assert kind == "error" and text.startswith("The file could not be written (")


def test_a_new_record_in_a_list_is_selected_with_the_keyboard_in_its_form(qtbot, unlocked, open_client):
    open_client(unlocked, "Daniel")
    QTest.keyClick(unlocked, Qt.Key.Key_3, CTRL)
    family = unlocked.record.family
    family.add_button.click()
    record = family.current_record()
    assert record is not None and record.data["relationship"] == "child"
    assert family.form.editors[family.form.specs[0].path].widget.hasFocus()
