"""The chronology editor: add, edit with spoken dates, duplicate, reorder, delete/undo, checks,
and the timeline exhibit export with its preview."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui import dialogs


@pytest.fixture
def open_timeline(open_client):
    """``open_timeline(window, given_prefix)``: the client's record, then Ctrl+7; the tab."""

    def open_(window, given_prefix):
        open_client(window, given_prefix)
        QTest.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
        assert window.record.tabs.currentWidget() is window.record.chronology
        return window.record.chronology

    return open_


def dates(section):
    return [section.model.record_at(r).data["date"] for r in range(section.model.rowCount())]


def test_events_in_date_order_with_numbers_and_sources(qtbot, unlocked, open_timeline):
    tab = open_timeline(unlocked, "José")
    section = tab.section
    bounds = [
        (section.model.record_at(r).date_lo, section.model.record_at(r).date_hi)
        for r in range(section.model.rowCount())
    ]
    assert bounds == sorted(bounds)
    assert section.model.index(0, 0).data() == "1"
    assert "[2009,2010]" in dates(section)
    sources_column = section.model.columnCount() - 1
    assert any(section.model.index(r, sources_column).data() for r in range(section.model.rowCount()))
    assert "One-year" in tab.deadline.text() and "application filed" in tab.deadline.text()


def test_add_event_with_a_spoken_date_then_edit_it_in_spanish_words(
    qtbot, unlocked, languages, type_text, open_timeline
):
    tab = open_timeline(unlocked, "Daniel")
    section = tab.section
    before = section.model.rowCount()

    def fill(dialog):
        dialog.date.setText("around 2009")
        assert dialog.edtf == "2009~"
        dialog.text_en.setPlainText("Daniel starts secondary school in San Pedro Sula.")

    dialogs.set_next_answer(fill)
    section.add_button.click()
    assert section.model.rowCount() == before + 1
    record = section.current_record()
    assert record.data["date"] == "2009~" and record.data["sources"] == []
    assert any(i.kind == "no_source" for i in tab.issues.issues)  # the new event has no source yet
    languages.set_language("es")
    field = section.form.editors["date"].widget
    field.setFocus()
    field.selectAll()
    type_text(field, "verano de 2010")
    # Daniel is Honduran: his "verano" is the dry season, November 2009 to April 2010
    qtbot.waitUntil(
        lambda: unlocked.session.get(record.id).data["date"] == "2009-11/2010-04", timeout=2000
    )
    assert field.text() == "verano de 2010"  # the words stay as typed
    assert "entre noviembre de 2009 y abril de 2010" in section.form.note_text("date")
    sources = section.form.editors["sources"].widget
    sources.setFocus()
    type_text(sources, "interview, document:school-record")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    assert unlocked.session.get(record.id).data["sources"] == ["interview", "document:school-record"]
    qtbot.waitUntil(lambda: not any(i.kind == "no_source" for i in tab.issues.issues), timeout=2000)


def test_a_date_that_is_not_understood_keeps_the_text_and_says_why(qtbot, unlocked, type_text, open_timeline):
    tab = open_timeline(unlocked, "José")
    section = tab.section
    section.table.selectRow(0)
    field = section.form.editors["date"].widget
    before = section.current_record().data["date"]
    field.setFocus()
    field.selectAll()
    type_text(field, "cuando era niño")
    qtbot.waitUntil(lambda: section.form.has_error("date"), timeout=2000)
    assert field.text() == "cuando era niño"
    assert unlocked.session.get(section.current_id()).data["date"] == before


def test_texts_side_by_side(qtbot, unlocked, type_text, open_timeline):
    tab = open_timeline(unlocked, "María")
    section = tab.section
    section.table.selectRow(0)
    editor = section.form.editors["text"]
    english, spanish = editor.text_edits["en"], editor.text_edits["es"]
    assert english.toPlainText() and spanish.toPlainText()
    assert (
        english.mapTo(section, english.rect().topLeft()).y()
        == spanish.mapTo(section, spanish.rect().topLeft()).y()
    )
    spanish.setFocus()
    spanish.moveCursor(spanish.textCursor().MoveOperation.End)
    type_text(spanish, " (según ella)")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    stored = unlocked.session.get(section.current_id()).data["text"]
    assert stored["es"].endswith("(según ella)") and stored["en"] == english.toPlainText()


def test_duplicate_reorder_delete_and_undo(qtbot, unlocked, open_timeline):
    tab = open_timeline(unlocked, "José")
    section = tab.section
    section.table.selectRow(2)
    original = section.current_record()
    tab.duplicate_button.click()
    copy = section.current_record()
    assert copy.id != original.id and copy.data == original.data
    assert section.model.rowCount() >= 2
    row_copy = section.model.row_of(copy.id)
    row_original = section.model.row_of(original.id)
    assert row_copy == row_original + 1  # same date: the copy comes right after
    tab.earlier_button.click()
    assert section.model.row_of(copy.id) == row_original
    assert section.model.row_of(original.id) == row_original + 1
    # an event cannot be moved across a different date by hand
    section.table.selectRow(0)
    first = section.current_record()
    tab.earlier_button.click()
    assert section.model.row_of(first.id) == 0
    section.table.selectRow(section.model.row_of(copy.id))
    section.delete_button.click()
    assert section.model.row_of(copy.id) == -1
    QTest.keyClick(unlocked, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert section.model.row_of(copy.id) >= 0


def test_checks_panel_points_at_the_event(qtbot, unlocked, type_text, open_timeline):
    tab = open_timeline(unlocked, "José")
    unlocked.record.tabs.setCurrentIndex(1)
    field = unlocked.record.proceedings.editors["proceedings.last_arrival"].widget
    field.setFocus()
    field.selectAll()
    type_text(field, "2024-03-01")
    qtbot.waitUntil(lambda: any(i.kind == "arrival" for i in tab.issues.issues), timeout=2000)
    unlocked.record.tabs.setCurrentIndex(6)
    row = next(r for r, i in enumerate(tab.issues.issues) if i.kind == "arrival")
    issue = tab.issues.issues[row]
    tab.issue_view.setFocus()
    tab.issue_view.selectRow(row)
    QTest.keyClick(tab.issue_view, Qt.Key.Key_Return)
    assert tab.section.current_id() == issue.event_id
    assert tab.issue_title.text() == f"Checks: {len(tab.issues.issues)} to look at"


def test_export_timeline_with_preview_in_the_document_language(
    qtbot, unlocked, languages, tmp_path, open_timeline
):
    import subprocess

    tab = open_timeline(unlocked, "María")
    out = tmp_path / "maria-timeline.pdf"
    seen = {}

    def drive(dialog):
        assert dialog.wait_rendered()
        seen["pages_en"] = dialog.page_count
        assert dialog.findChildren(type(dialog.status), "previewPage")  # page images shown
        dialog.language.setCurrentIndex(dialog.language.findData("es"))
        dialog.exhibit.setText("Anexo D")
        assert dialog.wait_rendered()
        assert dialog.pdf.startswith(b"%PDF")
        dialogs.set_next_answer(out)
        dialogs.set_next_answer(True)  # the "saved, not encrypted" notice
        dialog.save()

    dialogs.set_next_answer(drive)
    tab.export_button.click()
    assert seen["pages_en"] >= 1
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Cronología de hechos" in text and "Anexo D" in text and "Página 1 de" in text
    assert "Calel Tzoc" in text
    assert languages.language == "en"  # the interface stayed in English
    assert any("not encrypted" in t for _k, t in dialogs.shown)
