"""The Documents tab's translations: the "Translation…" dialog (another English document of the
client, or text typed here; the translator for the certificate), the line that says what a filing
still needs, and "Export translation…". Real widgets over a real encrypted vault; the files and
people are fictional."""

from __future__ import annotations

import stat
import subprocess

import pytest

from tests.ui.pages import make_pdf
from ui import dialogs

TRANSLATOR = {
    "name": "Marta Quintanilla Reyes",
    "address": "120 Elm Street, Dallas, TX 75201",
    "phone": "214-555-0142",
}


def pdf_words(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def with_language(code):
    def fill(dialog):
        for combo in dialog.languages:
            combo.setCurrentIndex(combo.findData(code))

    return fill


@pytest.fixture
def spanish_and_english(jose, import_files, tmp_path):
    es = tmp_path / "constancia_antecedentes.pdf"
    es.write_bytes(make_pdf(["Constancia de antecedentes"]))
    en = tmp_path / "clearance_english.pdf"
    en.write_bytes(make_pdf(["Police clearance, English", "Second page"]))
    import_files(jose, [es])  # Spanish is the import dialog's default
    spanish = jose.record.documents.current_id()
    import_files(jose, [en], fill=with_language("en"))
    english = jose.record.documents.current_id()
    assert spanish != english
    return spanish, english


def fill_translator(dialog, person=TRANSLATOR):
    dialog.name.setText(person["name"])
    dialog.address.setText(person["address"])
    dialog.phone.setText(person["phone"])


def test_typed_translation_through_the_dialog(jose, spanish_and_english, tmp_path):
    spanish, _english = spanish_and_english
    tab = jose.record.documents
    tab.select(spanish)
    assert tab.translation_button.isEnabled()
    assert not tab.export_translation_button.isEnabled()
    assert "needs an English translation and the translator's certificate" in tab.translation_note.text()
    seen = {}

    def fill(dialog):
        seen["language_asked"] = dialog.language is not None
        seen["documents"] = [dialog.documents.itemText(i) for i in range(dialog.documents.count())]
        dialog.use_text.setChecked(True)
        dialog.text.setPlainText("CERTIFICATE OF POLICE RECORD\n\nNo criminal record was found.")
        fill_translator(dialog)

    dialogs.set_next_answer(fill)
    tab.translation_button.click()
    assert seen == {"language_asked": False, "documents": ["clearance english"]}
    record = jose.session.get(spanish)
    assert record.data["translation"] == {
        "text": "CERTIFICATE OF POLICE RECORD\n\nNo criminal record was found."
    }
    assert record.data["translator"] == TRANSLATOR
    assert "English translation and certificate ready" in tab.translation_note.text()
    assert tab.export_translation_button.isEnabled()

    out = tmp_path / "exported" / "translation.pdf"
    out.parent.mkdir()
    dialogs.set_next_answer(str(out))
    dialogs.set_next_answer(True)  # the "Exported" message
    tab.export_translation_button.click()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    words = pdf_words(out.read_bytes())
    assert "No criminal record was found." in words and "CERTIFICATE OF TRANSLATION" in words
    assert "Marta Quintanilla Reyes" in words


def test_another_document_as_translation_and_the_translator_offered_again(
    jose,
    spanish_and_english,
    import_files,
    tmp_path,
):
    spanish, english = spanish_and_english
    tab = jose.record.documents
    tab.select(spanish)

    def choose_document(dialog):
        dialog.use_document.setChecked(True)
        assert dialog.documents.isEnabled() and not dialog.text.isEnabled()
        dialog.documents.setCurrentIndex(dialog.documents.findData(english))
        fill_translator(dialog)

    dialogs.set_next_answer(choose_document)
    tab.translation_button.click()
    assert jose.session.get(spanish).data["translation"] == {"document": english}
    assert "ready" in tab.translation_note.text()
    tab.select(english)  # an English document needs nothing: no line
    assert tab.translation_note.text() == ""
    # a document whose language is not recorded: the dialog asks it; the last translator is offered
    third = tmp_path / "partida_nacimiento.pdf"
    third.write_bytes(make_pdf(["Partida de nacimiento"]))
    import_files(jose, [third], fill=with_language(""))
    unknown = tab.current_id()
    assert jose.session.get(unknown).data["language"] is None
    assert "say the document's language" in tab.translation_note.text()
    seen = {}

    def look(dialog):
        seen["name"], seen["phone"] = dialog.name.text(), dialog.phone.text()
        dialog.language.setCurrentIndex(dialog.language.findData("es"))
        dialog.text.setPlainText("Birth certificate of Lucía Ávila Tzoc.")

    dialogs.set_next_answer(look)
    tab.translation_button.click()
    assert seen == {"name": TRANSLATOR["name"], "phone": TRANSLATOR["phone"]}
    record = jose.session.get(unknown)
    assert record.data["language"] == "es" and record.data["translator"] == TRANSLATOR
    assert "Spanish document: English translation and certificate ready." in tab.translation_note.text()


def test_a_refused_translation_is_reported_and_nothing_is_stored(jose, spanish_and_english):
    spanish, _english = spanish_and_english
    tab = jose.record.documents
    tab.select(spanish)

    def half(dialog):
        dialog.use_text.setChecked(True)
        dialog.text.setPlainText("A translation.")
        dialog.name.setText("Marta Quintanilla Reyes")  # no address, no telephone

    dialogs.set_next_answer(half)
    dialogs.set_next_answer(True)  # the error dialog
    tab.translation_button.click()
    record = jose.session.get(spanish)
    assert record.data["translation"] is None and record.data["translator"] is None  # all or nothing
    assert any("address" in " ".join(map(str, entry)) for entry in dialogs.shown)
