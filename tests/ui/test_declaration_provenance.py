"""The declaration editor colours, as the attorney types, every sentence no source of the paragraph
supports, and names it in the Sources list (issue 14)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtTest import QTest

from ui import dialogs
from ui.pages.declaration_sources import ProvenanceHighlighter

INVENTED = "I was arrested twice by the police."


def _amber_spans(document: QTextDocument, highlighter: ProvenanceHighlighter) -> list[str]:
    text, out = document.toPlainText(), []
    block = document.firstBlock()
    while block.isValid():
        for f in block.layout().formats():
            if f.format.background() == highlighter.unsupported_format.background():
                out.append(text[block.position() + f.start : block.position() + f.start + f.length])
        block = block.next()
    return out


def test_an_invented_sentence_typed_into_a_drafted_paragraph_is_highlighted(
    qtbot, unlocked, open_client
) -> None:
    open_client(unlocked, "Daniel")
    QTest.keyClick(unlocked, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    tab = unlocked.record.declaration
    dialogs.set_next_answer(True)  # "start a new draft version?"
    tab.draft_button.click()
    row = next(i for i, p in enumerate(tab.model.paragraphs) if p.data.get("sources") and i > 1)
    tab.table.selectRow(row)
    english, highlighter = tab.english, tab.highlighters[0]
    assert highlighter.spans() == [] and _amber_spans(english.document(), highlighter) == []
    assert "Not found in the sources" not in tab.sources.text.toPlainText()

    english.setFocus()
    english.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(english, " " + INVENTED)
    text = english.toPlainText()
    assert highlighter.spans() == [(text.index(INVENTED), len(text))]
    assert _amber_spans(english.document(), highlighter) == [INVENTED]
    assert f"Not found in the sources: check with the client: “{INVENTED}”" in tab.sources.text.toPlainText()

    for _ in range(len(INVENTED) + 1):
        QTest.keyClick(english, Qt.Key.Key_Backspace)
    assert highlighter.spans() == [] and _amber_spans(english.document(), highlighter) == []
    assert "Not found in the sources" not in tab.sources.text.toPlainText()
