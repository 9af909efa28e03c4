"""Every tab of a demo client's record, the client list and the record's header, in Spanish, show no
English interface text and no code (issue 21). The test walks the real widgets of each tab (labels,
buttons, the current value of every field, every cell and header of every table) and checks each
text, and each part of a composed text, against the Spanish catalog (an English message whose
Spanish differs), against the stored vocabularies' keys ("male", "gang_affiliation"), and against
Babel's codes and English names of countries and languages ("SV", "es", "Spanish")."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from desktop.case.model import VOCABULARIES
from ui.pickers import CodeChips

REPO = Path(__file__).resolve().parents[2]
#: Table columns that hold a document's own words, in the document's language (not the interface's).
DOCUMENT_TEXT = {
    ("paragraphTable", 1): "the declaration's English text (the English column)",
    ("table_exhibit", 3): "the exhibit's line in the filing's index, in the filing's language (English)",
}
PARTS = re.compile(r" · |; |: | — |\n|, ")
TAGS = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def english_messages() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The catalog's English messages whose Spanish differs: exact ones, and patterns for those
    with placeholders (at least two words of English around them)."""
    from babel.messages.pofile import read_po

    with (REPO / "locale" / "es" / "LC_MESSAGES" / "declara.po").open("rb") as fh:
        catalog = read_po(fh)
    exact, patterns = set(), []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        spanish = {s.replace("&", "") for s in strings if s}
        for msgid in ids:
            english = msgid.replace("&", "").strip()
            if not english or not spanish or english in spanish:
                continue
            if "{" in english:
                literal = re.split(r"\{[^}]*\}", english)
                if sum(len(re.findall(r"[A-Za-z]{2,}", part)) for part in literal) >= 2:
                    patterns.append(re.compile(".+?".join(map(re.escape, literal)) + r"\Z"))
            elif re.search(r"[A-Za-z]{2,}", english):
                exact.add(english)
    return frozenset(exact), tuple(patterns)


@lru_cache(maxsize=1)
def codes_and_english_names() -> frozenset[str]:
    """Vocabulary keys, country and language codes, and their English names, where Spanish says
    something else."""
    from babel import Locale

    from desktop.case.display import country_name, language_name

    found = set()
    for vocabulary in VOCABULARIES.values():
        found |= {key for key in vocabulary if key and len(key) > 1}
    en, es = Locale.parse("en"), Locale.parse("es")
    for code in ("SV", "HN", "GT", "MX", "US", "NI", "CO", "VE", "EC", "HT", "CU", "BR"):
        found.add(code)
        if en.territories[code] != es.territories[code]:
            found.add(en.territories[code])
    for code in ("es", "en", "fr", "pt", "ht", "quc", "mam", "kjb", "knj", "ixl", "cab"):
        if language_name(code, "es") != code:
            found.add(code)
        if language_name(code, "en") != language_name(code, "es"):
            found.add(language_name(code, "en"))
    assert country_name("US", "es") == "Estados Unidos"
    return frozenset(found)


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for everything ``root`` shows: visible widgets' texts, fields' values, and the
    headers and cells of its tables."""
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = f"{type(widget).__name__}#{widget.objectName()}"
        if isinstance(widget, CodeChips):
            texts.append((name, widget.text()))
        elif isinstance(widget, QLabel):
            texts.append((name, TAGS.sub("", widget.text())))
        elif isinstance(widget, QAbstractButton):
            texts.append((name, widget.text()))
        elif isinstance(widget, QComboBox):
            texts.append((name, widget.currentText()))
        elif isinstance(widget, QLineEdit):  # what was typed is the user's (names, the client's
            texts.append((name + ".placeholder", widget.placeholderText()))  # words): not checked
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append((name + ".placeholder", widget.placeholderText()))
        elif isinstance(widget, QGroupBox):
            texts.append((name, widget.title()))
        elif isinstance(widget, QTabBar):
            texts += [(name, widget.tabText(i)) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView) and widget.model():
            model, top = widget.model(), QModelIndex()
            try:
                columns = model.columnCount(top)
            except TypeError:  # a list model (Qt keeps its columnCount private): one column
                columns = 1
            texts += [
                (f"{name} header", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                for c in range(columns)
            ]
            for row in range(min(model.rowCount(top), 200)):
                for column in range(columns):
                    if (widget.objectName(), column) in DOCUMENT_TEXT:
                        continue
                    value = model.data(model.index(row, column))
                    if isinstance(value, str):
                        texts.append((f"{name} [{row},{column}]", value))
    return texts


def problems(texts: list[tuple[str, str]]) -> list[str]:
    exact, patterns = english_messages()
    codes = codes_and_english_names()
    found = []
    for where, text in texts:
        whole = text.replace("&", "").strip()
        for part in {whole, *(p.strip(" .…") for p in PARTS.split(whole))}:
            if not part:
                continue
            if part in exact or part.rstrip(":") in exact or any(p.match(part) for p in patterns):
                found.append(f"{where}: English {part!r}")
            elif part in codes:
                found.append(f"{where}: code or English name {part!r}")
    return sorted(set(found))


@pytest.fixture(params=["José", "Daniel", "María"])
def record_in_english(request, unlocked, open_client):
    """A demo client's record in English, with a Spanish police clearance and an English I-213 among
    the documents, and the first row of every list selected (its form filled) in every tab."""
    from desktop.evidence.service import DocumentService
    from tests.ui.pages import make_pdf

    client = open_client(unlocked, request.param)
    service = DocumentService(unlocked.session.store)
    service.add(
        client.id,
        make_pdf(["Constancia"]),
        filename="solvencia.pdf",
        kind="police_clearance",
        language="es",
        title="Constancia de antecedentes policiales",
    )
    service.add(
        client.id, make_pdf(["I-213"]), filename="i-213.pdf", kind="i213", language="en", title="I-213"
    )
    unlocked.session.records_changed.emit(client.id, "document")
    unlocked.clients.show_section(unlocked.packet.section_index())
    unlocked.packet.default_exhibits()  # the packet's exhibit table filled
    tabs = unlocked.record.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        _select_first_rows(tabs.currentWidget())
    return unlocked


def _select_first_rows(tab: QWidget) -> None:
    for view in tab.findChildren(QAbstractItemView):
        if view.isVisibleTo(tab) and view.model() is not None and view.model().rowCount() > 0:
            view.setCurrentIndex(view.model().index(0, 0))


def test_every_tab_of_a_record_switched_to_spanish(qtbot, record_in_english, languages):
    """Chosen in English, then the interface switched (F12's path): what was said in English is said
    again in Spanish, in the header, each tab and the line under the document viewer."""
    window = record_in_english
    languages.set_language("es")
    tabs = window.record.tabs
    found = problems(shown_texts(window.record))  # the header, the tab bar, the tab shown
    walked = []
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(10)
        texts = shown_texts(tabs.currentWidget())
        assert texts, tabs.tabText(index)
        walked.append(tabs.tabText(index))
        found += [f"[{tabs.tabText(index)}] {p}" for p in problems(texts)]
    assert len(walked) == 11  # the tenth and the Custody tab (issue 22)
    assert not found, "\n".join(found)


def test_the_client_list_in_spanish(record_in_english, languages):
    window = record_in_english
    languages.set_language("es")
    window.clients.show_list()
    assert not problems(shown_texts(window.client_list))


def test_the_walk_finds_english_and_codes(qtbot):
    """The check itself can fail: an English message, a code and an English country name."""
    label = QLabel("Spanish document: needs an English translation and the translator's certificate.")
    combo = QComboBox()
    combo.addItems(["HN"])
    chips = QLabel("male · United States")
    holder = QWidget()
    for widget in (label, combo, chips):
        widget.setParent(holder)
    qtbot.addWidget(holder)
    found = problems(shown_texts(holder))
    assert any("English" in p and "Spanish document" in p for p in found)
    assert any("'HN'" in p for p in found) and any("'male'" in p for p in found)
    assert any("'United States'" in p for p in found)
