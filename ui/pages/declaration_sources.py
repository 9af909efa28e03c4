"""Where each paragraph of the declaration comes from: the "Sources" list under the two editors,
and the highlighting of the markers and placeholders no source supports.

A drafted paragraph records its sources (desktop.drafting.assemble): the client's answers (the
question and the client's words), chronology events (date and text), fixed clauses of the form,
the government's allegations (its own words) and placeholders the attorney must replace. This
view lists them, read-only, in the interface language; :class:`MarkerHighlighter` colours every
bracketed marker in an editor, so that what must still be written is seen before signing, and
:class:`ProvenanceHighlighter` also gives a light amber background to every sentence no source
supports (desktop.drafting.provenance), recomputed as the attorney types; the Sources list then
names those sentences: "Not found in the sources: check with the client".
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.drafting.provenance import MARKER, unsupported_spans
from desktop.i18n import N_, _, current_language

__all__ = ["MARKER", "MarkerHighlighter", "ProvenanceHighlighter", "SourcesView", "describe"]

#: Shown for each sentence no source of its paragraph supports.
NOT_FOUND = N_("Not found in the sources: check with the client")

CLAUSE_NAMES = {
    "identity": N_("name, date and place of birth"),
    "language": N_("languages, and that the declaration was read back"),
    "fear.return": N_("introduction to the fear of return"),
}
PLACEHOLDER_NAMES = {
    "allegation_response": N_("the client's answer to the allegation"),
    "dhs_wording": N_("the government's exact words"),
    "fear": N_("the client's fear of return"),
}


@lru_cache(maxsize=1)
def _questionnaire() -> Any:
    from desktop.interview.questionnaire import load_questionnaire

    return load_questionnaire()


def question_text(question: str, lang: str) -> str:
    """The question asked, in ``lang``; its id when the questionnaire does not have it."""
    try:
        return str(_questionnaire().question(question).text_in(lang))
    except Exception:  # noqa: BLE001 - an old or unknown question: its id is shown
        return question


def _in_language(texts: dict[str, str] | None, lang: str) -> str:
    texts = texts or {}
    return texts.get(lang) or next((t for t in texts.values() if t), "")


def _date(value: str, lang: str) -> str:
    from desktop.case.dates import format_edtf

    try:
        return str(format_edtf(value, lang))
    except Exception:  # noqa: BLE001 - shown as stored when it is not a date
        return value


def describe(source: dict[str, Any], lang: str) -> str:
    """One line of the Sources list, in the interface language ``lang``."""
    kind, ident = source.get("kind"), str(source.get("id") or "")
    words = _in_language(source.get("text"), lang)
    if kind == "answer":
        question = question_text(str(source.get("question") or ident), lang)
        return _("Answer to “{question}”: “{words}”").format(question=question, words=words)
    if kind == "event":
        return _("Event of {date}: {words}").format(
            date=_date(str(source.get("date") or ""), lang), words=words
        )
    if kind == "clause":
        name = _(CLAUSE_NAMES[ident]) if ident in CLAUSE_NAMES else ident
        return _("Fixed clause of the form: {name}").format(name=name)
    if kind == "allegation":
        if words:
            return _("Government allegation {id}, quoted: “{words}”").format(id=ident, words=words)
        return _("Government allegation {id} (its exact words are missing)").format(id=ident)
    if kind == "placeholder":
        name = _(PLACEHOLDER_NAMES[ident]) if ident in PLACEHOLDER_NAMES else ident
        return _("Placeholder to replace: {name}").format(name=name)
    return f"{kind}: {ident}"


class MarkerHighlighter(QSyntaxHighlighter):
    """Colours every bracketed marker or placeholder: text no source supports, to be replaced."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.marker = QTextCharFormat()
        self.marker.setBackground(QColor("#fff1a8"))
        self.marker.setForeground(QColor("#7a2e00"))
        self.marker.setFontWeight(QFont.Weight.Bold)

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        for match in MARKER.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.marker)


class ProvenanceHighlighter(MarkerHighlighter):
    """Also colours, light amber, every sentence of the editor's ``lang`` text that no source of the
    paragraph supports; a paragraph without sources (the attorney's own) has none."""

    def __init__(self, document: QTextDocument, lang: str) -> None:
        super().__init__(document)
        self.lang = lang
        self.sources: list[dict[str, Any]] | None = None
        self.unsupported_format = QTextCharFormat()
        self.unsupported_format.setBackground(QColor("#ffe4b3"))
        self.unsupported_format.setToolTip(_(NOT_FOUND))

    def set_sources(self, sources: list[dict[str, Any]] | None) -> None:
        """The sources of the paragraph being edited (None: none recorded)."""
        self.sources = list(sources) if sources else None
        self.rehighlight()

    def spans(self) -> list[tuple[int, int]]:
        """The character ranges of the document's sentences no source supports."""
        doc = self.document()
        if not self.sources or doc is None:
            return []
        return unsupported_spans({self.lang: doc.toPlainText(), "sources": self.sources}, self.lang)

    def unsupported(self) -> list[str]:
        """The sentences no source supports."""
        doc = self.document()
        text = doc.toPlainText() if doc is not None else ""
        return [text[s:e] for s, e in self.spans()]

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        block = self.currentBlock()
        first, last = block.position(), block.position() + len(text)
        for start, end in self.spans():
            start, end = max(start, first), min(end, last)
            if start < end:
                self.setFormat(start - first, end - start, self.unsupported_format)
        super().highlightBlock(text)


class SourcesView(QWidget):
    """The read-only list of where the selected paragraph comes from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paragraphSources")
        self.sources: list[dict[str, Any]] | None = None
        self.highlighters: list[ProvenanceHighlighter] = []
        self.title = QLabel(self)
        self.title.setObjectName("langTag")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("paragraphSourcesText")
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(84)  # four lines: the paragraph list and the editors keep the room
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self.retranslate_ui()

    def watch(self, highlighters: list[ProvenanceHighlighter]) -> None:
        """List, as the attorney types, the sentences these editors' highlighters flag."""
        self.highlighters = list(highlighters)
        for highlighter in self.highlighters:
            highlighter.document().contentsChanged.connect(self._fill)

    def show_paragraph(self, data: dict[str, Any] | None) -> None:
        """Show the sources of a paragraph's data (None: no paragraph selected)."""
        self.sources = None if data is None else list(data.get("sources") or [])
        self._fill()

    def lines(self) -> list[str]:
        lang = current_language()
        if self.sources is None:
            return []
        if not self.sources:
            return [_("No sources recorded: this paragraph was written or edited by hand.")]
        flagged = [
            f"⚠ {_(NOT_FOUND)}: “{sentence}”" for h in self.highlighters for sentence in h.unsupported()
        ]
        return flagged + ["• " + describe(source, lang) for source in self.sources]

    def _fill(self) -> None:
        self.text.setPlainText("\n".join(self.lines()))

    def retranslate_ui(self) -> None:
        for highlighter in self.highlighters:
            highlighter.unsupported_format.setToolTip(_(NOT_FOUND))
        self.title.setText(_("Sources").upper())
        self.text.setPlaceholderText(_("Where the selected paragraph comes from"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
