"""Names, not codes (issue 21): the identity and declaration forms of a demo client, in Spanish, show
countries, languages and the gender in words, and a country or a language is chosen by its name and
stored as its code. Real widgets over the demo vault."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from desktop.case.display import language_name
from desktop.i18n import translator
from ui.pickers import CodeChips

CODES = {"SV", "HN", "GT", "MX", "US", "es", "en", "quc", "mam", "male", "female"}


def shown(widget) -> str:
    if isinstance(widget, CodeChips):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return ""


@pytest.mark.parametrize("who", ["José", "Daniel", "María"])
def test_no_field_of_a_demo_client_shows_a_code_in_spanish(unlocked, open_client, languages, who):
    open_client(unlocked, who)
    languages.set_language("es")
    record = unlocked.record
    forms = [record.identity, record.proceedings, record.declaration.form]
    texts = {path: shown(editor.widget) for form in forms for path, editor in form.editors.items()}
    assert not {path: text for path, text in texts.items() if text.strip() in CODES}
    assert texts["country_of_birth"] in ("El Salvador", "Honduras", "Guatemala")
    assert texts["gender"] in (translator("es")("Male"), translator("es")("Female"))
    assert texts["languages"] and texts["nationalities"]


def test_joses_record_says_each_coded_value_in_words(unlocked, open_client, languages):
    open_client(unlocked, "José")
    languages.set_language("es")
    identity, declaration = unlocked.record.identity, unlocked.record.declaration.form
    assert shown(identity.editors["country_of_birth"].widget) == "El Salvador"
    assert shown(identity.editors["nationalities"].widget) == "El Salvador"
    assert shown(identity.editors["languages"].widget) == "español"
    assert shown(identity.editors["gender"].widget) == translator("es")("Male")
    assert shown(declaration.editors["drafted_in"].widget) == "inglés"
    assert shown(declaration.editors["declarant_language"].widget) == "español"
    assert shown(declaration.editors["place_of_signing.country"].widget) == "Estados Unidos"
    languages.set_language("en")
    assert shown(identity.editors["languages"].widget) == "Spanish"
    assert shown(declaration.editors["place_of_signing.country"].widget) == "United States"


def test_a_country_and_a_language_are_chosen_by_name_and_stored_as_codes(qtbot, unlocked, open_client):
    client = open_client(unlocked, "José")
    identity = unlocked.record.identity
    country = identity.editors["country_of_birth"].widget
    country.lineEdit().setText("Honduras")
    country.lineEdit().editingFinished.emit()
    chips = identity.editors["languages"].widget
    assert chips.adder.count() == 1  # the list is filled when the user comes to the field
    chips.adder.showPopup()  # as a click on its arrow does
    chips.adder.hidePopup()
    assert chips.adder.count() > 100
    chips.adder.setCurrentIndex(chips.adder.findData("mam"))
    chips.adder.activated.emit(chips.adder.currentIndex())
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=3000)
    data = unlocked.session.get(client.id).data
    assert data["country_of_birth"] == "HN" and data["languages"] == ["es", "mam"]
    assert chips.text() == "Spanish, Mam"
    next(c for c in chips._chips if c.accessibleName() == "Spanish").click()  # its ×
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=3000)
    assert unlocked.session.get(client.id).data["languages"] == ["mam"]


def test_a_value_typed_before_the_pickers_is_shown_as_stored_and_kept(qtbot, unlocked, open_client):
    client = open_client(unlocked, "María")
    unlocked.session.store.set_field(client.id, "gender", "mujer")
    unlocked.clients.open_client(client.id)
    combo = unlocked.record.identity.editors["gender"].widget
    assert combo.currentText() == "mujer" and combo.currentData() == "mujer"


def test_languages_common_in_detention_have_names_babel_lacks():
    assert language_name("mam", "es") == "mam" and language_name("mam", "en") == "Mam"
    assert language_name("quc", "es") == "k'iche'"  # CLDR says "quiché"
    assert language_name("kjb", "en") == "Q'anjob'al" and language_name("knj", "es") == "akateko"
    assert language_name("cab", "es") == "garífuna" and language_name("zz-unknown", "es") == "zz-unknown"


def test_a_document_language_outside_the_dialogs_list_is_named_and_kept(qtbot, languages):
    from PySide6.QtWidgets import QWidget

    from ui.document_dialogs import _language_combo

    parent = QWidget()
    qtbot.addWidget(parent)
    languages.set_language("es")
    combo = _language_combo(parent, "quc")  # recorded from a case file: not among the usual ones
    assert combo.currentData() == "quc" and combo.currentText() == "k'iche'"
    combo = _language_combo(parent, "ht")
    assert combo.currentData() == "ht" and combo.currentText() == language_name("ht", "es") != "ht"
    assert _language_combo(parent, "").currentText() == translator("es")("Other or unknown")


def test_the_visit_dialog_names_languages_and_keeps_codes(qtbot, languages):
    from ui.visit_dialogs import StartVisitDialog

    languages.set_language("es")
    dialog = StartVisitDialog(
        None, client_name="José", facility=None, client_language="quc", interpreter=None
    )
    qtbot.addWidget(dialog)
    assert dialog.interpreter_languages.text() == "español, inglés"  # chips, not "es, en" typed
    assert dialog.language.currentText() == "k'iche'" and dialog.language.currentData() == "quc"
    names = [dialog.language.itemText(i) for i in range(dialog.language.count())]
    assert names == ["español", "inglés", "k'iche'", "mam"]
    assert dialog.values()["interpreter_languages"] == ["es", "en"]
