"""The declaration editor shows where each paragraph comes from, and colours the markers and
placeholders no source supports (issue 14: nothing in a sworn document the client did not say)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from ui import dialogs
from ui.pages.declaration_sources import MarkerHighlighter, SourcesView

PARAGRAPH = {
    "en": "DHS states in the I-213 that “Subject is a gang member”. "
    "[Client's answer to the allegation, in their words]",
    "es": "El DHS señala en el I-213 que “Subject is a gang member”. "
    "[Respuesta del cliente al señalamiento, en sus palabras]",
    "events": [],
    "sources": [
        {"kind": "allegation", "id": "al-1", "text": {"en": "Subject is a gang member."}},
        {"kind": "answer", "id": "a-1", "question": "fear.return",
         "text": {"en": "They will kill me.", "es": "Me van a matar."}},
        {"kind": "event", "id": "ev-flight", "date": "2024-05",
         "text": {"en": "Ana leaves.", "es": "Ana sale."}},
        {"kind": "clause", "id": "identity"},
        {"kind": "placeholder", "id": "allegation_response"},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Government allegation al-1, quoted: “Subject is a gang member.”", "“They will kill me.”",
                "Event of May 2024: Ana leaves.", "Fixed clause of the form: name, date and place of birth",
                "Placeholder to replace: the client's answer to the allegation"]),
        ("es", ["Señalamiento del gobierno al-1, citado: «Subject is a gang member.»", "«Me van a matar.»",
                "Hecho de mayo de 2024: Ana sale.",
                "Cláusula fija del formulario: nombre, fecha y lugar de nacimiento",
                "Texto provisional que hay que reemplazar: la respuesta del cliente al señalamiento"]),
    ],
)  # fmt: skip
def test_sources_are_listed_in_the_interface_language(qtbot, languages, lang, expected) -> None:
    view = SourcesView()
    qtbot.addWidget(view)
    languages.set_language(lang)
    view.show_paragraph(PARAGRAPH)
    text = view.text.toPlainText()
    for line in expected:
        assert line in text
    assert view.text.isReadOnly()
    view.show_paragraph({"en": "Typed by hand.", "es": "A mano."})
    assert "hand" in view.text.toPlainText() or "mano" in view.text.toPlainText()
    view.show_paragraph(None)
    assert view.text.toPlainText() == ""


def test_markers_and_placeholders_are_coloured(qapp) -> None:
    document = QTextDocument()
    highlighter = MarkerHighlighter(document)
    document.setPlainText(
        "I leave. [Rewrite in the first person:] Ana sale. [Client's fear of return, in their words]"
    )
    highlighter.rehighlight()
    formats = document.firstBlock().layout().formats()
    spans = [document.toPlainText()[f.start : f.start + f.length] for f in formats]
    assert spans == ["[Rewrite in the first person:]", "[Client's fear of return, in their words]"]


def test_a_drafted_paragraph_shows_its_sources_in_the_editor(qtbot, unlocked, open_client) -> None:
    open_client(unlocked, "Daniel")
    QTest.keyClick(unlocked, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    tab = unlocked.record.declaration
    dialogs.set_next_answer(True)  # "start a new draft version?"
    tab.draft_button.click()
    rows = [p.data for p in tab.model.paragraphs]
    allegation = next(i for i, p in enumerate(rows) if p["en"].startswith("DHS states"))
    tab.table.selectRow(allegation)
    shown = tab.sources.text.toPlainText()
    assert "Government allegation" in shown and "Answer to" in shown
    tab.table.selectRow(0)
    assert "Fixed clause of the form" in tab.sources.text.toPlainText()
    assert "Event of August 21, 1996: Daniel is born in San Pedro Sula." in tab.sources.text.toPlainText()
