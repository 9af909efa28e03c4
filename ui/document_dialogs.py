"""The dialogs of the Documents tab: what the files to import are (title, kind, language; delete the
originals?), how the import went (a progress bar and a line per file), and what a document is
linked to. Also :func:`collect_files`, which walks dropped folders within bounds."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.case.model import VOCABULARIES
from desktop.i18n import N_, _
from ui.models.documents import LINK_KINDS, language_name

SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"})
MAX_DEPTH = 4  # folders inside a dropped folder
MAX_FILES = 300  # files looked at in one drop
LANGUAGES = ("es", "en", "pt", "fr", "ht", "")  # "" = another or unknown language
NO_LINK = N_("(not linked)")
DELETE_NOTE = N_(
    "On SSDs and most modern disks, deleting does not securely erase the file; copies may remain."
)


@dataclass(frozen=True)
class ImportItem:
    path: Path
    title: str
    kind: str
    language: str | None


@dataclass
class Collected:
    files: list[Path]
    skipped: list[Path]  # not PDF, JPEG, PNG or TIFF
    truncated: bool  # more than MAX_FILES, or folders deeper than MAX_DEPTH, were left out


def collect_files(paths: list[Path], *, max_depth: int = MAX_DEPTH, max_files: int = MAX_FILES) -> Collected:
    """The files to import from what was chosen or dropped: folders are walked (not following links),
    at most ``max_depth`` folders deep and ``max_files`` files in all."""
    found = Collected([], [], False)

    def take(path: Path) -> bool:
        if len(found.files) + len(found.skipped) >= max_files:
            found.truncated = True
            return False
        (found.files if path.suffix.lower() in SUFFIXES else found.skipped).append(path)
        return True

    def walk(folder: Path, depth: int) -> bool:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name.lower())
        except OSError:
            return True
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if depth >= max_depth:
                    found.truncated = True
                elif not walk(Path(entry.path), depth + 1):
                    return False
            elif entry.is_file(follow_symlinks=False) and not take(Path(entry.path)):
                return False
        return True

    for path in paths:
        if path.is_dir() and not path.is_symlink():
            if not walk(path, 0):
                break
        elif path.is_file() and not take(path):
            break
    return found


def guess_kind(path: Path) -> str:
    """A first guess at the kind of document from its file name (the user can change it)."""
    name = path.stem.lower()
    rules = (
        (r"i[-_ ]?213", "i213"),
        (r"\bnta\b|notice.to.appear", "nta"),
        (r"foia", "foia_response"),
        (r"solvencia|antecedentes|clearance|police", "police_clearance"),
        (r"birth|nacimiento|partida", "birth_certificate"),
        (r"court|tribunal|juzgado|sentencia", "court_record"),
        (r"medical|m[eé]dic", "medical_record"),
        (r"dui|passport|pasaporte|cedula|c[eé]dula|\bid\b", "identity_document"),
    )
    for pattern, kind in rules:
        if re.search(pattern, name):
            return kind
    if path.suffix.lower() in {".jpg", ".jpeg", ".png"}:
        return "photo"
    return "other"


def title_from(path: Path) -> str:
    return " ".join(path.stem.replace("_", " ").split())[:300] or path.name[:300]  # "I-213" stays


def _kind_combo(parent: QWidget, selected: str) -> QComboBox:
    combo = QComboBox(parent)
    for key, label in VOCABULARIES.get("document_kind", {}).items():
        combo.addItem(_(label), key)
    index = combo.findData(selected)
    combo.setCurrentIndex(max(index, 0))
    return combo


def _language_combo(parent: QWidget, selected: str) -> QComboBox:
    combo = QComboBox(parent)
    codes = LANGUAGES if not selected or selected in LANGUAGES else (selected, *LANGUAGES)
    for code in codes:  # a language recorded elsewhere (a case file, the command line) is kept
        combo.addItem(language_name(code) if code else _("Other or unknown"), code)
    combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


class ImportDialog(QDialog):
    """Title, kind and language of each file; and whether to delete the originals afterwards."""

    def __init__(self, paths: list[Path], parent: QWidget | None = None, *, language: str = "es") -> None:
        super().__init__(parent)
        self.setObjectName("importDocumentsDialog")
        self.setWindowTitle(_("Import documents"))
        self.paths = list(paths)
        self.titles: list[QLineEdit] = []
        self.kinds: list[QComboBox] = []
        self.languages: list[QComboBox] = []
        grid_holder = QWidget(self)
        grid = QGridLayout(grid_holder)
        for column, text in enumerate((_("File"), _("Title"), _("Kind"), _("Language"))):
            header = QLabel(f"<b>{text}</b>", grid_holder)
            grid.addWidget(header, 0, column)
        for row, path in enumerate(self.paths, start=1):
            name = QLabel(path.name, grid_holder)
            name.setToolTip(path.name)
            title = QLineEdit(title_from(path), grid_holder)
            title.setMaxLength(300)
            title.setMinimumWidth(260)
            kind = _kind_combo(grid_holder, guess_kind(path))
            lang = _language_combo(grid_holder, language)
            for column, widget in enumerate((name, title, kind, lang)):
                grid.addWidget(widget, row, column)
            self.titles.append(title)
            self.kinds.append(kind)
            self.languages.append(lang)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(self.paths) + 1, 1)  # the rows at the top
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_holder)
        self.delete_originals = QCheckBox(_("Delete the original file after importing"), self)
        self.delete_originals.setObjectName("deleteOriginals")
        self.delete_note = QLabel(_(DELETE_NOTE), self)
        self.delete_note.setWordWrap(True)
        self.delete_note.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        intro = QLabel(
            _("The files are copied into the encrypted vault, exactly as they are; nothing else is written."),
            self,
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.delete_originals)
        layout.addWidget(self.delete_note)
        layout.addWidget(buttons)
        self.resize(860, min(200 + 40 * len(self.paths), 640))

    def items(self) -> list[ImportItem]:
        return [
            ImportItem(
                path, title.text().strip() or title_from(path), kind.currentData(), lang.currentData() or None
            )
            for path, title, kind, lang in zip(
                self.paths, self.titles, self.kinds, self.languages, strict=True
            )
        ]


class ImportProgressDialog(QDialog):
    """How the import goes: a progress bar, then a line per file (imported, or why not)."""

    def __init__(self, total: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProgressDialog")
        self.setWindowTitle(_("Importing documents"))
        self.total = total
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, max(total, 1))
        self.results = QListWidget(self)
        self.results.setObjectName("importResults")
        self.results.setWordWrap(True)
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.setEnabled(False)
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.close_button)
        self.set_progress(0, total)
        self.resize(620, 380)

    def set_progress(self, done: int, total: int) -> None:
        self.bar.setValue(done)
        self.label.setText(
            _("Importing file {number} of {count}…").format(number=min(done + 1, total), count=total)
        )

    def add_result(self, name: str, ok: bool, message: str) -> None:
        text = ("✓ " if ok else "✗ ") + name + (" — " + message if message else "")
        item = QListWidgetItem(text, self.results)
        item.setData(256, ok)

    def finish(self, imported: int, refused: int) -> None:
        self.bar.setValue(self.bar.maximum())
        self.label.setText(
            _("Imported: {imported}. Not imported: {refused}.").format(imported=imported, refused=refused)
        )
        self.close_button.setEnabled(True)
        self.close_button.setFocus()

    def lines(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]


class LinkDialog(QDialog):
    """What a document is evidence of: one of the client's allegations, rebuttal items, events, FOIA
    requests and family members (or none of each)."""

    def __init__(
        self,
        options: dict[str, list[tuple[str, str]]],
        current: dict[str, str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("linkDocumentDialog")
        self.setWindowTitle(_("Link the document to…"))
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for kind, label in LINK_KINDS:
            combo = QComboBox(self)
            combo.addItem(_(NO_LINK), None)
            for record_id, text in options.get(kind, []):
                combo.addItem(text, record_id)
            combo.setCurrentIndex(max(combo.findData(current.get(kind)), 0) if current.get(kind) else 0)
            combo.setMinimumWidth(380)
            self.combos[kind] = combo
            form.addRow(_(label) + ":", combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def links(self) -> dict[str, str | None]:
        return {kind: combo.currentData() for kind, combo in self.combos.items()}

    def choose(self, kind: str, record_id: str | None) -> None:
        combo = self.combos[kind]
        combo.setCurrentIndex(max(combo.findData(record_id), 0))


class TranslationDialog(QDialog):
    """A foreign-language document's English translation (another English document of the client,
    or text typed here) and the translator's name, address and telephone for the certificate of
    translation; the document's language first when it is not recorded."""

    def __init__(
        self,
        record_data: dict[str, object],
        english_documents: list[tuple[str, str]],
        translator: dict[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        from PySide6.QtWidgets import QPlainTextEdit, QRadioButton

        super().__init__(parent)
        self.setObjectName("translationDialog")
        self.setWindowTitle(_("Translation of “{title}”").format(title=record_data.get("title") or ""))
        layout = QVBoxLayout(self)
        self.language: QComboBox | None = None
        if not record_data.get("language"):
            form = QFormLayout()
            self.language = _language_combo(self, "es")
            form.addRow(_("Language of the document:"), self.language)
            layout.addLayout(form)
        current = record_data.get("translation") or {}
        assert isinstance(current, dict)
        layout.addWidget(QLabel(_("English translation:"), self))
        self.use_document = QRadioButton(_("another document of this client"), self)
        self.documents = QComboBox(self)
        for document_id, title in english_documents:
            self.documents.addItem(title, document_id)
        self.use_document.setEnabled(bool(english_documents))
        if not english_documents:
            self.use_document.setToolTip(_("This client has no document marked as English."))
        self.use_text = QRadioButton(_("typed here"), self)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("translationText")
        self.text.setPlaceholderText(_("Type or paste the English translation"))
        self.text.setMinimumSize(520, 200)
        if current.get("document") and self.documents.findData(current["document"]) >= 0:
            self.use_document.setChecked(True)
            self.documents.setCurrentIndex(self.documents.findData(current["document"]))
        else:
            self.use_text.setChecked(True)
            self.text.setPlainText(str(current.get("text") or ""))
        for widget in (self.use_document, self.documents, self.use_text, self.text):
            layout.addWidget(widget)
        self.use_document.toggled.connect(self._update)
        person = dict(record_data.get("translator") or translator or {})  # type: ignore[call-overload]
        form = QFormLayout()
        self.name = QLineEdit(str(person.get("name") or ""), self)
        self.address = QLineEdit(str(person.get("address") or ""), self)
        self.phone = QLineEdit(str(person.get("phone") or ""), self)
        for edit, limit in ((self.name, 200), (self.address, 500), (self.phone, 50)):
            edit.setMaxLength(limit)
        form.addRow(_("Translator's name:"), self.name)
        form.addRow(_("Translator's address:"), self.address)
        form.addRow(_("Translator's telephone:"), self.phone)
        layout.addWidget(QLabel(_("The translator, who signs the certificate of translation:"), self))
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update()

    def _update(self) -> None:
        by_document = self.use_document.isChecked()
        self.documents.setEnabled(by_document)
        self.text.setEnabled(not by_document)

    def chosen_language(self) -> str | None:
        """The language chosen here (None: not asked, or "other or unknown")."""
        return (self.language.currentData() or None) if self.language is not None else None

    def translation(self) -> dict[str, str | None]:
        """``document=`` or ``text=`` for DocumentService.set_translation (both None: none)."""
        if self.use_document.isChecked() and self.documents.currentData():
            return {"document": self.documents.currentData(), "text": None}
        text = self.text.toPlainText()
        return {"document": None, "text": text if text.strip() else None}

    def translator(self) -> dict[str, str]:
        return {"name": self.name.text(), "address": self.address.text(), "phone": self.phone.text()}
