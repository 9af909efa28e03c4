"""The declaration controller: the tab reloads from the session's signals, the first edit after
signing keeps what was typed, the PDF is what is stored now, checks lead to what they name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui import dialogs

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def declaration(unlocked, open_client):
    open_client(unlocked, "José")
    QTest.keyClick(unlocked, Qt.Key.Key_8, CTRL)
    return unlocked.record.declaration


def test_the_pdf_is_the_text_as_stored_now(qtbot, unlocked, declaration, type_text, pdf, tmp_path):
    tab = declaration
    tab.table.selectRow(0)
    tab.english.setFocus()
    tab.english.moveCursor(tab.english.textCursor().MoveOperation.End)
    type_text(tab.english, " Zanzíbar")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    rendered = {}

    def look(dialog):
        assert dialog.wait_rendered()
        rendered["pdf"] = dialog.pdf

    dialogs.set_next_answer(look)
    tab.export_button.click()
    text = pdf.layout_text(pdf.write(tmp_path, rendered["pdf"]))
    assert "Zanzíbar" in text


def test_typing_after_signing_keeps_the_text_the_cursor_and_the_focus(
    qtbot, unlocked, declaration, type_text
):
    tab = declaration
    dialogs.set_next_answer(True)
    tab.sign_button.click()
    tab.table.selectRow(1)
    tab.spanish.setFocus()
    cursor = tab.spanish.textCursor()
    cursor.setPosition(4)
    tab.spanish.setTextCursor(cursor)
    before = tab.spanish.toPlainText()
    type_text(tab.spanish, "ñ")
    assert tab.version.count() == 2 and "draft" in tab.version.currentText()
    assert tab.spanish.toPlainText() == before[:4] + "ñ" + before[4:]
    assert tab.spanish.textCursor().position() == 5 and tab.spanish.hasFocus()
    assert tab.current_row() == 1
    assert unlocked.statusBar().currentMessage() == (
        "The signed version stays as it was; this is draft version 2."
    )
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    versions = unlocked.session.declarations.versions(unlocked.record.client.id)
    assert versions[1].paragraphs[1].data["es"] == before[:4] + "ñ" + before[4:]
    assert versions[0].paragraphs[1].data["es"] == before


def test_adding_and_deleting_paragraphs_by_keyboard_selects_where_the_work_is(qtbot, unlocked, declaration):
    tab = declaration
    count = tab.model.rowCount()
    tab.table.selectRow(2)
    tab.table.setFocus()
    QTest.keyClick(tab.table, Qt.Key.Key_Insert, CTRL_SHIFT)
    assert tab.model.rowCount() == count + 1 and tab.current_row() == 3
    assert tab.paragraph(3).data.get("en", "") == "" and tab.english.toPlainText() == ""
    tab.delete_button.click()
    assert tab.model.rowCount() == count and tab.current_row() == 2


def test_a_check_about_an_event_leads_to_the_chronology(qtbot, unlocked, declaration):
    tab = declaration
    client_id = unlocked.record.client.id
    event = unlocked.session.create(
        "event",
        {"date": "2021-03", "category": "flight", "text": {"es": "Salí."}, "sources": []},
        client_id=client_id,
    )
    uncovered = [i for i in tab.issues.issues if i.kind == "uncovered" and i.event_id == event.id]
    assert uncovered  # the checks followed the new event without a hand refresh
    row = tab.issues.issues.index(uncovered[0])
    tab.issue_view.setFocus()
    tab.issue_view.selectRow(row)
    QTest.keyClick(tab.issue_view, Qt.Key.Key_Return)
    assert unlocked.record.tabs.currentWidget() is unlocked.record.chronology
    assert unlocked.record.timeline.current_id() == event.id


def test_a_draft_made_elsewhere_reloads_the_tab(unlocked, declaration):
    tab = declaration
    client_id = unlocked.record.client.id
    unlocked.session.change(
        "declaration", client_id, lambda: unlocked.session.declarations.add_paragraph(client_id, 0)
    )
    assert tab.model.rowCount() == 9 and tab.paragraph(0).data == {"en": "", "es": ""}
