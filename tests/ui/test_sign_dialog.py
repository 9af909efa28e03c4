"""The sign dialog: the day and place the client signed, the interpreter, and what blocks it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui import dialogs


@pytest.fixture
def jose(unlocked, open_client):
    """José's declaration tab, open in the window."""
    open_client(unlocked, "José")
    QTest.keyClick(unlocked, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    return unlocked.record.declaration


def _versions(window):
    return window.session.declarations.versions(window.record.client.id)


def test_a_marker_blocks_and_leads_to_its_paragraph(unlocked, jose):
    client_id = unlocked.record.client.id
    unlocked.session.declarations.set_paragraph(client_id, 2, "es", "[traducción pendiente] Me fui.")
    jose.table.selectRow(0)
    seen = {}

    def look(dialog):
        seen["ok"] = dialog.ok_button.isEnabled()
        seen["problems"] = dialog.problems()
        dialog.blockers.setCurrentRow(0)
        QTest.keyClick(dialog.blockers, Qt.Key.Key_Return)  # Enter on the reason: go to paragraph 3
        seen["visible"] = dialog.result()

    dialogs.set_next_answer(look)
    jose.sign_button.click()
    assert seen["ok"] is False
    assert seen["problems"] == ["Paragraph 3 (Spanish) still holds “[traducción pendiente]”."]
    assert not _versions(unlocked)[-1].signed  # nothing was signed
    assert jose.current_row() == 2  # the paragraph the reason names is selected


def test_signs_with_the_day_and_place_typed(unlocked, jose, type_text):
    def fill(dialog):
        assert dialog.ok_button.isEnabled(), dialog.problems()
        dialog.date.clear()
        type_text(dialog.date, "March 14, 2025")
        assert dialog.date_note.text() == "The day understood: March 14, 2025"
        dialog.place.clear()
        type_text(dialog.place, "Lumpkin, GA")
        dialog.people["interpreter"]["name"].setText("Luis Ortega")

    dialogs.set_next_answer(fill)
    jose.sign_button.click()
    version = _versions(unlocked)[-1]
    data = version.record.data
    assert version.signed and data["signed_on"] == "2025-03-14"
    assert data["place_of_signing"] == {"city": "Lumpkin", "region": "Georgia", "country": "US"}
    assert data["interpreter"]["name"] == "Luis Ortega"
    assert unlocked.session.declarations.verify(version)
    assert jose.version.currentText() == f"Version {version.number} — signed 2025-03-14"
    assert "Signed" in jose.state.text() and not jose.sign_button.isEnabled()


def test_defaults_are_the_last_visit_and_the_facility_and_a_blank_interpreter_blocks(unlocked, jose):
    from desktop.drafting.signing import default_place, default_signing_date, place_text

    store, client_id = unlocked.session.store, unlocked.record.client.id
    seen = {}

    def look(dialog):
        seen["date"] = dialog.date.text()
        seen["place"] = dialog.place.text()
        dialog.people["interpreter"]["name"].setText("  ")
        seen["blank"] = (dialog.ok_button.isEnabled(), dialog.problems())
        dialog.people["interpreter"]["name"].setText("Claudia Fuentes")
        seen["named"] = dialog.ok_button.isEnabled()
        dialog.date.setText("around 2015")
        seen["vague"] = (dialog.ok_button.isEnabled(), dialog.problems())
        dialog.reject()

    dialogs.set_next_answer(look)
    jose.sign_button.click()
    version = _versions(unlocked)[-1]
    assert seen["date"] == default_signing_date(store, client_id).isoformat()
    assert seen["place"] == place_text(default_place(store, client_id, version.record.data)) != ""
    assert seen["blank"] == (False, ["The certificate of interpretation needs the interpreter's name."])
    assert seen["named"] is True
    assert seen["vague"][0] is False and "is not one day" in seen["vague"][1][0]
    assert not version.signed  # the last state could not be signed: nothing happened


def test_a_day_to_come_cannot_be_signed(unlocked, jose):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    seen = {}

    def look(dialog):
        dialog.date.setText(tomorrow)
        seen["problems"] = dialog.problems()
        seen["ok"] = dialog.ok_button.isEnabled()

    dialogs.set_next_answer(look)
    jose.sign_button.click()
    assert seen["ok"] is False
    assert seen["problems"] == [f"The day the client signed ({tomorrow}) has not come yet."]
    assert not _versions(unlocked)[-1].signed


def test_the_dialog_in_spanish(unlocked, jose, languages):
    client_id = unlocked.record.client.id
    unlocked.session.declarations.set_paragraph(client_id, 0, "en", "[translation needed] I was born.")
    languages.set_language("es")
    seen = {}

    def look(dialog):
        seen["title"] = dialog.windowTitle()
        seen["ok"] = dialog.ok_button.text()
        seen["problems"] = dialog.problems()

    dialogs.set_next_answer(look)
    jose.sign_button.click()
    assert seen["title"] == "Marcar la versión 1 como firmada"
    assert seen["ok"] == "Marcar como &firmada"
    assert seen["problems"] == ["El párrafo 1 (inglés) todavía contiene “[translation needed]”."]


def test_a_signed_version_exports_a_conformed_copy(unlocked, jose, tmp_path, pdf):
    """After signing, Export PDF… offers the conformed copy; the file says "/s/ NAME", the day the
    client signed, and no "Draft". A draft's export dialog offers no signature options."""

    def look_at_draft_dialog(dialog):
        assert dialog.wait_rendered()
        assert not dialog.conformed.isVisibleTo(dialog)
        dialog.reject()

    dialogs.set_next_answer(look_at_draft_dialog)
    jose.export_button.click()

    def fill(dialog):
        dialog.date.setText("2025-03-14")
        dialog.place.setText("Lumpkin, GA")
        assert dialog.ok_button.isEnabled(), dialog.problems()

    dialogs.set_next_answer(fill)
    jose.sign_button.click()
    assert _versions(unlocked)[-1].signed
    out = tmp_path / "conformed.pdf"

    def drive(dialog):
        assert dialog.conformed.isVisibleTo(dialog)
        dialog.conformed.setChecked(True)
        assert dialog.wait_rendered()
        dialogs.set_next_answer(out)
        dialogs.set_next_answer(True)
        dialog.save()

    dialogs.set_next_answer(drive)
    jose.export_button.click()
    text = " ".join(pdf.layout_text(out).split())
    assert "/s/ José Ángel Martínez Núñez" in text
    assert "Executed on March 14, 2025" in text
    assert "Draft" not in text
