"""The declaration editor: paragraphs side by side, split/merge/reorder by keyboard and drag,
links to events, signing freezes a version, and the next edit starts a new draft."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest

from ui import dialogs

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def open_declaration(open_client):
    """``open_declaration(window, given_prefix)``: the client's record, then Ctrl+8; the tab."""

    def open_(window, given_prefix):
        open_client(window, given_prefix)
        QTest.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
        tab = window.record.declaration
        assert window.record.tabs.currentWidget() is tab
        return tab

    return open_


def texts(tab, lang="en"):
    return [p.data.get(lang) or "" for p in tab.model.paragraphs]


def test_paragraphs_numbered_side_by_side_and_saved_as_typed(qtbot, unlocked, type_text, open_declaration):
    tab = open_declaration(unlocked, "José")
    assert tab.model.rowCount() == 8 and tab.model.index(0, 0).data() == "1"
    tab.table.selectRow(1)
    assert tab.english.toPlainText() == tab.model.paragraphs[1].data["en"]
    assert tab.spanish.toPlainText() == tab.model.paragraphs[1].data["es"]
    assert (
        tab.english.mapTo(tab, tab.english.rect().topLeft()).y()
        == tab.spanish.mapTo(tab, tab.spanish.rect().topLeft()).y()
    )
    tab.spanish.setFocus()
    tab.spanish.moveCursor(tab.spanish.textCursor().MoveOperation.End)
    type_text(tab.spanish, " Hablo también un poco de inglés.")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    version = unlocked.session.declarations.current(unlocked.record.client.id)
    assert version.paragraphs[1].data["es"].endswith("un poco de inglés.")
    assert tab.model.index(1, 2).data().endswith("un poco de inglés.")


def test_split_merge_and_reorder_by_keyboard(qtbot, unlocked, open_declaration):
    tab = open_declaration(unlocked, "José")
    tab.table.selectRow(0)
    original = texts(tab)
    first = original[0]
    cut = first.index(". ") + 2
    tab.english.setFocus()
    cursor = tab.english.textCursor()
    cursor.setPosition(cut)
    tab.english.setTextCursor(cursor)
    QTest.keyClick(tab.english, Qt.Key.Key_Return, CTRL_SHIFT)
    assert tab.model.rowCount() == 9
    assert texts(tab)[0] == first[:cut].rstrip() and texts(tab)[1] == first[cut:]
    assert tab.current_row() == 1
    tab.table.selectRow(0)
    tab.table.setFocus()
    QTest.keyClick(tab.table, Qt.Key.Key_M, CTRL_SHIFT)
    assert texts(tab) == original
    tab.table.selectRow(2)
    QTest.keyClick(tab.table, Qt.Key.Key_Up, ALT)
    assert texts(tab)[1] == original[2] and texts(tab)[2] == original[1]
    assert tab.current_row() == 1


def test_reorder_by_drag_and_drop(qtbot, unlocked, open_declaration):
    tab = open_declaration(unlocked, "José")
    original = texts(tab)
    mime = tab.model.mimeData([tab.model.index(0, 0)])
    tab.model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert texts(tab) == [original[1], original[2], original[0], *original[3:]]


def test_link_events(qtbot, unlocked, open_declaration):
    tab = open_declaration(unlocked, "José")
    tab.table.selectRow(1)  # the language paragraph links no event

    def choose(dialog):
        dialog.model.set_checked(dialog.model.rows[0][0], True)

    dialogs.set_next_answer(choose)
    tab.link_button.click()
    assert tab.model.index(1, 3).data() == "1"


def test_signing_freezes_and_typing_starts_a_new_version(qtbot, unlocked, type_text, open_declaration):
    tab = open_declaration(unlocked, "José")
    client_id = unlocked.record.client.id
    dialogs.set_next_answer(True)  # the sign dialog, accepted as proposed
    tab.sign_button.click()
    versions = unlocked.session.declarations.versions(client_id)
    assert versions[-1].signed and len(versions[-1].record.data["sha256"]) == 64
    # Signed on the day of José's last visit, not the day of the click.
    visits = [v.data["date"] for v in unlocked.session.children(client_id, "visit")]
    assert versions[-1].record.data["signed_on"] == max(visits)
    assert "Signed" in tab.state.text() and not tab.sign_button.isEnabled()
    signed_text = versions[-1].paragraphs[0].data["en"]
    tab.table.selectRow(0)
    tab.english.setFocus()
    tab.english.moveCursor(tab.english.textCursor().MoveOperation.End)
    type_text(tab.english, " Addendum.")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=2000)
    versions = unlocked.session.declarations.versions(client_id)
    assert [v.signed for v in versions] == [True, False]
    assert versions[0].paragraphs[0].data["en"] == signed_text  # the signed text did not move
    assert versions[1].paragraphs[0].data["en"] == signed_text + " Addendum."
    assert unlocked.session.declarations.verify(versions[0])
    assert tab.version.count() == 2 and "draft" in tab.version.currentText()
    tab.version.setCurrentIndex(0)  # the signed version is still there to read, read-only
    assert not tab.english.isEnabled() and tab.english.toPlainText() == signed_text


def test_consistency_panel_lists_untranslated_paragraphs(qtbot, unlocked, open_declaration):
    tab = open_declaration(unlocked, "José")
    tab.table.selectRow(2)
    tab.spanish.setFocus()
    tab.spanish.selectAll()
    QTest.keyClick(tab.spanish, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: any(i.kind == "untranslated" for i in tab.issues.issues), timeout=3000)
    issue = next(i for i in tab.issues.issues if i.kind == "untranslated")
    assert "Paragraph 3 has no Spanish text yet." == issue.message()


def test_export_declaration_and_reading_copy(qtbot, unlocked, tmp_path, open_declaration):
    import subprocess

    tab = open_declaration(unlocked, "José")
    out = tmp_path / "jose-declaration.pdf"

    def drive(dialog):
        assert dialog.wait_rendered()
        assert dialog.page_count >= 2
        dialogs.set_next_answer(out)
        dialogs.set_next_answer(True)
        dialog.save()

    dialogs.set_next_answer(drive)
    tab.export_button.click()
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Declaration of José Ángel Martínez Núñez" in text
    assert "penalty of perjury" in text and "CERTIFICATE OF INTERPRETATION" in text
    reading = tmp_path / "reading.pdf"

    def drive_reading(dialog):
        assert dialog.wait_rendered()
        dialogs.set_next_answer(reading)
        dialogs.set_next_answer(True)
        dialog.save()

    dialogs.set_next_answer(drive_reading)
    tab.reading_button.click()
    text = subprocess.run(
        ["pdftotext", "-layout", str(reading), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Copia para leer" in text and "Me llamo José" in text


def test_draft_from_interview_and_chronology_into_a_new_version(qtbot, unlocked, open_declaration):
    tab = open_declaration(unlocked, "María")
    client_id = unlocked.record.client.id
    events = unlocked.session.children(client_id, "event")
    before = len(unlocked.session.declarations.versions(client_id))
    dialogs.set_next_answer(True)  # "start a new draft version?"
    tab.draft_button.click()
    versions = unlocked.session.declarations.versions(client_id)
    assert len(versions) == before + 1 and not versions[-1].signed
    drafted = versions[-1].paragraphs
    assert drafted[0].data["en"].startswith("My name is María Tomasa Calel Tzoc")
    assert drafted[0].data["es"].startswith("Me llamo María Tomasa Calel Tzoc")
    linked = {e for p in drafted for e in p.data.get("events") or []}
    assert linked <= {e.id for e in events} and len(linked) >= len(events) - 1
    assert tab.model.rowCount() == len(drafted)
    assert "draft" in tab.version.currentText()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_form_beside_the_paragraphs_is_never_cut_sideways(unlocked, languages, open_declaration, lang):
    """The relief choices and the Spanish labels are wider than the old fixed 360 px: the form area
    takes the width its form needs, with no sideways scrolling, at the 1280-px window width."""
    from ui.pages.declaration import FormArea

    unlocked.resize(1280, 800)
    tab = open_declaration(unlocked, "José")
    languages.set_language(lang)
    unlocked.show()
    area = tab.findChild(FormArea)
    for _ in range(3):
        QTest.qWait(10)
    assert area.horizontalScrollBar().maximum() == 0
    assert area.widget().width() >= area.widget().minimumSizeHint().width()
    assert area.viewport().width() >= area.widget().minimumSizeHint().width()
    assert unlocked.minimumSizeHint().width() <= 1280
