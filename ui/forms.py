"""Forms built from field specifications, bound to record paths, with inline validation.

A :class:`FormWidget` shows one record's fields. Every edit emits ``edited(path, value)``; the
presenter saves it (autosave) and answers with :meth:`FormWidget.show_error` when the value was
refused, in which case the text stays exactly as typed, with the message under the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DeclaraError
from desktop.i18n import N_, _, current_language
from desktop.case.model import VOCABULARIES
from desktop.case.store import get_path
from ui import longtext
from ui.pickers import CodeChips, CodePicker
from ui.seasons_ui import spoken_to_edtf  # noqa: F401 - where the forms' callers find it

from ui.field_kinds import (  # noqa: F401 - the kinds are imported from here by the specs
    A_NUMBER, AMOUNT, BOOL, CHOICES, COUNTRIES, COUNTRY, DATE, FACILITY, LANGTEXT, LANGUAGE, LANGUAGES, LIST,
    MULTILINE, PICKERS, SPOKEN_DATE, TEXT, TEXT_LANGUAGES, VOCAB, amount_from_text,
)  # fmt: skip


@dataclass(frozen=True)
class FieldSpec:
    path: str  # dotted path in the record's data ('custody.status')
    label: str  # msgid (N_)
    kind: str = TEXT
    vocab: str | None = None  # key of desktop.case.model.VOCABULARIES for VOCAB/CHOICES
    hint: str | None = None  # msgid shown as placeholder / tooltip
    required: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class _Editor(QObject):
    """Adapter between a widget and a field value; emits ``changed`` on user edits only."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.seasons: str | None = None  # how a spoken date's season words are read (the client's)
        self.widget = self._make(parent)
        self._loading = False
        # A value too long to lay out is shown as a read-only preview; ``_whole`` holds it, whole,
        # and is what value() returns until the user edits it with “Show all…” (ui.longtext).
        self._whole: Any = None
        self.previewing = False
        self._choices: dict[str, str] = {}
        self.long_bar = QWidget(parent)
        self.long_bar.setObjectName("longTextBar")
        bar = QHBoxLayout(self.long_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.long_note = QLabel(self.long_bar)
        self.long_note.setObjectName("fieldNote")
        self.long_note.setWordWrap(True)
        self.show_all = QPushButton(self.long_bar)
        self.show_all.setObjectName("showAll")
        self.show_all.clicked.connect(self.edit_whole)
        bar.addWidget(self.long_note, 1)
        bar.addWidget(self.show_all)
        self.long_bar.setVisible(False)

    def _make(self, parent: QWidget) -> QWidget:
        kind = self.spec.kind
        if kind in PICKERS:
            what, several = PICKERS[kind]
            picker = CodeChips(what, parent) if several else CodePicker(what, parent)
            picker.edited.connect(self._user_changed)
            return picker
        if kind == MULTILINE:
            w = QPlainTextEdit(parent)
            w.setTabChangesFocus(True)
            w.setMinimumHeight(64)
            w.setMaximumHeight(110)
            w.textChanged.connect(self._user_changed)
            return w
        if kind == LANGTEXT:
            box = QWidget(parent)
            lay = QHBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            self._texts: dict[str, QPlainTextEdit] = {}
            self._text_labels: dict[str, QLabel] = {}
            for lang in TEXT_LANGUAGES:
                column = QVBoxLayout()
                label = QLabel(box)
                label.setObjectName("langTag")
                edit = QPlainTextEdit(box)
                edit.setObjectName(f"text_{lang}")
                edit.setTabChangesFocus(True)
                edit.setMinimumHeight(70)
                edit.setMaximumHeight(140)
                edit.textChanged.connect(self._user_changed)
                column.addWidget(label)
                column.addWidget(edit)
                lay.addLayout(column)
                self._texts[lang] = edit
                self._text_labels[lang] = label
            return box
        if kind == VOCAB:
            w = QComboBox(parent)
            w.addItem("", None)
            for value in VOCABULARIES.get(self.spec.vocab or "", {}):  # none: set_choices fills it
                w.addItem(value, value)
            w.currentIndexChanged.connect(self._user_changed)
            return w
        if kind == BOOL:
            w = QCheckBox(parent)
            w.toggled.connect(self._user_changed)
            return w
        if kind == CHOICES:
            box = QWidget(parent)
            # One under the other: side by side, their Spanish labels were wider than a laptop
            # screen, and two or three to a row still clipped one in the 860-pixel form.
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(2)
            self._checks: dict[str, QCheckBox] = {}
            for value in VOCABULARIES[self.spec.vocab or ""]:
                check = QCheckBox(box)
                check.setObjectName(f"choice_{value}")
                check.toggled.connect(self._user_changed)
                lay.addWidget(check)
                self._checks[value] = check
            return box
        w = longtext.StartShownLineEdit(parent)
        w.setClearButtonEnabled(False)
        w.textEdited.connect(self._user_changed)
        if kind == FACILITY:
            from desktop.case.facilities import load_facilities

            completer = QCompleter(QStringListModel([f.display for f in load_facilities()], w), w)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.activated.connect(lambda _text: QTimer.singleShot(0, self._user_changed))
            w.setCompleter(completer)
        return w

    def _user_changed(self, *_args: object) -> None:
        if not self._loading:
            for edit in self._plain_edits():
                longtext.fit_wrap(edit, edit.toPlainText())  # a long paste wraps anywhere
            self.changed.emit()

    def _plain_edits(self) -> list[QPlainTextEdit]:
        if self.spec.kind == MULTILINE:
            return [self.widget]  # type: ignore[list-item]
        if self.spec.kind == LANGTEXT:
            return list(self._texts.values())
        return []

    @property
    def text_edits(self) -> Mapping[str, QPlainTextEdit]:
        """A text-in-two-languages field's editors by language (read-only; empty for other kinds)."""
        return MappingProxyType(self._texts if self.spec.kind == LANGTEXT else {})

    # -- values ----------------------------------------------------------------------------------
    def value(self) -> Any:
        kind, w = self.spec.kind, self.widget
        if self.previewing:
            return self._whole  # the whole stored value, never the preview
        if kind == MULTILINE:
            text = w.toPlainText()  # type: ignore[attr-defined]
            return text if text.strip() else None
        if kind in PICKERS:
            return w.value()  # type: ignore[attr-defined]
        if kind == VOCAB:
            return w.currentData()  # type: ignore[attr-defined]
        if kind == CHOICES:
            return [v for v, c in self._checks.items() if c.isChecked()]
        if kind == BOOL:
            return True if w.isChecked() else None  # type: ignore[attr-defined]
        if kind == LANGTEXT:
            return {lang: edit.toPlainText() for lang, edit in self._texts.items()}
        return self._from_text(w.text())  # type: ignore[attr-defined]

    def _from_text(self, text: str) -> Any:
        """A one-line field's value from its text."""
        kind = self.spec.kind
        if kind == SPOKEN_DATE:
            return spoken_to_edtf(text, self.seasons)
        if kind == LIST:
            return [part.strip() for part in text.split(",") if part.strip()]
        if kind == AMOUNT:
            return amount_from_text(text)
        stripped = text.strip()
        if kind in (DATE, A_NUMBER):
            return stripped or None
        if self.spec.required:
            return stripped
        return stripped or None

    def set_value(self, value: Any) -> None:
        if self.previewing and self._whole == value:
            return  # the preview of this very value is shown
        if self.spec.kind in (SPOKEN_DATE, LANGTEXT, LIST, MULTILINE) and self.value() == value:
            return  # what is shown already means this value: keep the user's words and cursor
        self._loading = True
        try:
            if self._set_preview(value):
                return
            kind, w = self.spec.kind, self.widget
            if kind in PICKERS:
                w.set_value(value)  # type: ignore[attr-defined]
            elif kind == MULTILINE:
                longtext.fit_wrap(w, value or "")  # type: ignore[arg-type]
                if w.toPlainText() != (value or ""):  # type: ignore[attr-defined]
                    w.setPlainText(value or "")  # type: ignore[attr-defined]
            elif kind == VOCAB:
                index = w.findData(value)  # type: ignore[attr-defined]
                if index < 0 and value:  # a value typed before the choices existed: shown as stored
                    w.addItem(str(value), value)  # type: ignore[attr-defined]
                    index = w.count() - 1  # type: ignore[attr-defined]
                w.setCurrentIndex(max(index, 0))  # type: ignore[attr-defined]
            elif kind == BOOL:
                w.setChecked(bool(value))  # type: ignore[attr-defined]
            elif kind == CHOICES:
                chosen = set(value or [])
                for v, check in self._checks.items():
                    check.setChecked(v in chosen)
            elif kind == LANGTEXT:
                for lang, edit in self._texts.items():
                    text = (value or {}).get(lang) or ""
                    longtext.fit_wrap(edit, text)
                    if edit.toPlainText() != text:
                        edit.setPlainText(text)
            else:
                text = self._text_of(value)
                if w.text() != text:  # type: ignore[attr-defined]
                    w.setText(text)  # type: ignore[attr-defined]
                    if isinstance(w, longtext.StartShownLineEdit):
                        w.show_start()  # a value longer than the field shows its start
        finally:
            self._loading = False

    def _text_of(self, value: Any) -> str:
        """What a one-line field shows for ``value``."""
        kind = self.spec.kind
        if kind == LIST:
            return ", ".join(value or [])
        if kind == A_NUMBER:
            from desktop.case.anumber import format_a_number

            return format_a_number(value) if value else ""
        if kind == AMOUNT and isinstance(value, int):
            return f"{value:,}"
        return "" if value is None else str(value)

    # -- long values (ui.longtext) ---------------------------------------------------------------
    def _texts_of(self, value: Any) -> dict[str, str]:
        """The texts a value is shown as: one per language for a text in two languages."""
        kind = self.spec.kind
        if kind == LANGTEXT:
            return {lang: (value or {}).get(lang) or "" for lang in TEXT_LANGUAGES}
        if kind == MULTILINE:
            return {"": value or ""}
        if kind in (VOCAB, CHOICES):
            return {}
        return {"": self._text_of(value)}

    def _set_preview(self, value: Any) -> bool:
        """Show a value too long to lay out as a read-only preview (True), or leave preview mode."""
        kind, w = self.spec.kind, self.widget
        plain = kind in (MULTILINE, LANGTEXT)
        limit = longtext.EDIT_CHARS if plain else longtext.LINE_CHARS
        texts = self._texts_of(value)
        long = any(len(text) > limit for text in texts.values())
        if long:
            self._whole, self.previewing = value, True
            if kind == LANGTEXT:
                for lang, edit in self._texts.items():
                    self._show_preview(edit, texts[lang])
            elif kind == MULTILINE:
                self._show_preview(w, texts[""])  # type: ignore[arg-type]
            else:
                w.setText(longtext.preview(texts[""], longtext.LINE_PREVIEW_CHARS))  # type: ignore[attr-defined]
                w.setReadOnly(True)  # type: ignore[attr-defined]
                w.setCursorPosition(0)  # type: ignore[attr-defined]
        elif self.previewing:
            self._whole, self.previewing = None, False
            for widget in [*self._plain_edits(), w]:
                if hasattr(widget, "setReadOnly"):
                    widget.setReadOnly(False)  # type: ignore[attr-defined]
        self._update_long_bar(texts)
        return long

    @staticmethod
    def _show_preview(edit: QPlainTextEdit, text: str) -> None:
        edit.setReadOnly(True)
        shown = longtext.preview(text) if len(text) > longtext.PREVIEW_CHARS else text
        longtext.fit_wrap(edit, shown)
        edit.setPlainText(shown)

    def _update_long_bar(self, texts: dict[str, str] | None = None) -> None:
        if self.previewing:
            length = sum(len(text) for text in (texts or self._texts_of(self._whole)).values())
            from babel.numbers import format_decimal

            from desktop.i18n import babel_locale

            count = format_decimal(length, locale=babel_locale(current_language()))
            self.long_note.setText(
                _("This text is very long ({count} characters): only its beginning is shown here.").format(
                    count=count
                )
            )
        self.show_all.setText(_("Show all…"))
        self.long_bar.setVisible(self.previewing)

    def edit_whole(self) -> None:
        """“Show all…”: the whole value in a dialog; what the user changes there is the new value."""
        from ui import dialogs

        names = {"en": _("English"), "es": _("Spanish")}
        texts = self._texts_of(self._whole)
        labelled = {names.get(key, key): text for key, text in texts.items()}
        dialog = longtext.FullTextDialog(labelled, self.widget)
        accepted = dialogs.exec_dialog(dialog) == QDialog.DialogCode.Accepted
        edited = dict(zip(texts, dialog.texts().values(), strict=True))
        dialog.deleteLater()
        if not accepted or edited == texts:
            return
        kind = self.spec.kind
        if kind == LANGTEXT:
            value: Any = edited
        elif kind == MULTILINE:
            value = edited[""] if edited[""].strip() else None
        else:
            value = self._from_text(edited[""])
        self.set_value(value)  # a preview again if still long, else the editable field
        self.changed.emit()

    def set_choices(self, labels: dict[str, str], value: Any = None) -> None:
        """The choices of a VOCAB field that has no vocabulary (they depend on the record shown:
        the client's allegations), ``labels`` already in words; the value shown is kept, else ``value``."""
        w, current = self.widget, self.value() or value
        self._choices = dict(labels)
        self._loading = True
        try:
            w.clear()  # type: ignore[attr-defined]
            w.addItem(_("(not set)"), None)  # type: ignore[attr-defined]
            for value, label in labels.items():
                w.addItem(label, value)  # type: ignore[attr-defined]
            w.setCurrentIndex(max(w.findData(current), 0))  # type: ignore[attr-defined]
        finally:
            self._loading = False

    def retranslate(self) -> None:
        kind, w = self.spec.kind, self.widget
        self._update_long_bar()
        if kind in PICKERS:
            w.retranslate()  # type: ignore[attr-defined]
        elif kind == VOCAB:
            labels = VOCABULARIES.get(self.spec.vocab or "") or self._choices
            for i in range(1, w.count()):  # type: ignore[attr-defined]
                label = labels.get(w.itemData(i))  # type: ignore[attr-defined]
                w.setItemText(i, _(label) if label else str(w.itemData(i)))  # type: ignore[attr-defined]
            w.setItemText(0, _("(not set)"))  # type: ignore[attr-defined]
        elif kind == CHOICES:
            labels = VOCABULARIES[self.spec.vocab or ""]
            for v, check in self._checks.items():
                check.setText(_(labels[v]))
        elif kind == LANGTEXT:
            names = {"en": N_("English"), "es": N_("Spanish")}
            for lang, label in self._text_labels.items():
                label.setText(_(names[lang]).upper())
        elif self.spec.hint and hasattr(w, "setPlaceholderText"):
            w.setPlaceholderText(_(self.spec.hint))  # type: ignore[attr-defined]


class FormWidget(QWidget):
    """A form for one record; emits ``edited(path, value)`` for each user edit."""

    edited = Signal(str, object)

    def __init__(self, specs: list[FieldSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = specs
        self.editors: dict[str, _Editor] = {}
        self._labels: dict[str, QLabel] = {}
        self._errors: dict[str, QLabel] = {}
        self._notes: dict[str, QLabel] = {}
        self._data: dict[str, Any] = {}
        self._error_objs: dict[str, DeclaraError | str] = {}
        self.note_providers: dict[str, Callable[[Any], str]] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for spec in specs:
            editor = _Editor(spec, self)
            editor.widget.setObjectName(f"field_{spec.path}")
            editor.changed.connect(lambda e=editor: self._on_changed(e))
            editor.widget.installEventFilter(self)
            cell = QWidget(self)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor.widget)
            editor.long_bar.setParent(cell)
            cell_layout.addWidget(editor.long_bar)
            note = QLabel(cell)
            note.setObjectName("fieldNote")
            note.setVisible(False)
            error = QLabel(cell)
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.setVisible(False)
            cell_layout.addWidget(note)
            cell_layout.addWidget(error)
            label = QLabel(self)
            label.setBuddy(editor.widget)
            layout.addRow(label, cell)
            self.editors[spec.path] = editor
            self._labels[spec.path] = label
            self._errors[spec.path] = error
            self._notes[spec.path] = note
        self.retranslate_ui()

    def set_row_visible(self, path: str, visible: bool) -> None:
        """Show or hide a field with its label (a field that does not apply to the record shown)."""
        layout = self.layout()
        assert isinstance(layout, QFormLayout)
        layout.setRowVisible(self._labels[path], visible)

    # -- data ------------------------------------------------------------------------------------
    def set_data(self, data: dict[str, Any] | None) -> None:
        self._data = data or {}
        for path, editor in self.editors.items():
            editor.set_value(get_path(self._data, path))
            self.clear_error(path)
            self._update_note(path, get_path(self._data, path))
        self.setEnabled(data is not None)

    def clear(self) -> None:
        self.set_data(None)

    def set_seasons(self, region: str | None) -> None:
        """Read season words in spoken dates with ``region``'s seasons (the client's country; None:
        a season word is not understood and the note asks for the months)."""
        for editor in self.editors.values():
            editor.seasons = region

    def _on_changed(self, editor: _Editor) -> None:
        value = editor.value()
        self._update_note(editor.spec.path, value)
        self.edited.emit(editor.spec.path, value)
        said_path = editor.spec.extra.get("said")  # where the words of a spoken date are kept
        if said_path and editor.spec.kind == SPOKEN_DATE:
            said = self._said(editor, value)
            if said is not None:  # a date not understood is refused, and the words kept stay
                self.edited.emit(said_path, said)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut:
            for editor in self.editors.values():
                if (
                    editor.widget is obj
                    and editor.spec.kind == A_NUMBER
                    and not self.has_error(editor.spec.path)
                ):
                    editor.set_value(get_path(self._data, editor.spec.path))
        return super().eventFilter(obj, event)

    def field_saved(self, path: str, data: dict[str, Any]) -> None:
        """The presenter stored the field: keep the record, clear the error, keep the text."""
        self._data = data
        self.clear_error(path)

    # -- errors and notes ------------------------------------------------------------------------
    def show_error(self, path: str, error: DeclaraError | str) -> None:
        """Show why a value was refused; a DeclaraError is re-rendered after a language switch."""
        label = self._errors.get(path)
        if label is None:
            return
        self._error_objs[path] = error
        label.setText(error.message() if isinstance(error, DeclaraError) else error)
        label.setVisible(True)
        self.editors[path].widget.setProperty("invalid", True)
        self._repolish(self.editors[path].widget)

    def clear_error(self, path: str) -> None:
        label = self._errors.get(path)
        self._error_objs.pop(path, None)
        if label is None or not label.isVisible():
            return
        label.clear()
        label.setVisible(False)
        self.editors[path].widget.setProperty("invalid", False)
        self._repolish(self.editors[path].widget)

    def has_error(self, path: str) -> bool:
        return self._errors[path].isVisible()

    def error_text(self, path: str) -> str:
        return self._errors[path].text() if self.has_error(path) else ""

    def note_text(self, path: str) -> str:
        """What the note under the field says (how a date was understood), or ""."""
        return self._notes[path].text()

    def _update_note(self, path: str, value: Any) -> None:
        spec = self.editors[path].spec
        note = self._notes[path]
        text = ""
        if path in self.note_providers:
            text = self.note_providers[path](value)
        elif spec.kind in (DATE, SPOKEN_DATE) and value:
            from desktop.case.dates import format_edtf, is_valid_edtf

            if is_valid_edtf(value):
                text = _("Understood as: {phrase}").format(phrase=format_edtf(value, current_language()))
                said_path = spec.extra.get("said")
                said = get_path(self._data, said_path) if said_path and spec.kind == SPOKEN_DATE else None
                if said and value == get_path(self._data, path):  # the words the stored date was said in
                    from ui.seasons_ui import said_note

                    text += "\n" + said_note(said)
            elif spec.kind == SPOKEN_DATE:
                text = self._not_understood(path, str(value))
        note.setText(text)
        note.setVisible(bool(text))

    def _said(self, editor: _Editor, value: Any) -> dict[str, Any] | None:
        """The words a spoken date was typed in, their language and the seasons a season word was
        read with (``date_said``); None when nothing understood was typed."""
        from desktop.case.dates import is_valid_edtf
        from ui.seasons_ui import LANGS, seasons_used

        text = editor.widget.text().strip()  # type: ignore[attr-defined]
        if not text or not value or not is_valid_edtf(value):
            return None
        lang = current_language() if current_language() in LANGS else "es"
        return {"text": text, "lang": lang, "seasons": seasons_used(text, lang, editor.seasons)}

    def _not_understood(self, path: str, text: str) -> str:
        """Why a season word in a spoken date is not read (no region, or a word with no meaning or
        two meanings there): the note asks for the months. Other refusals are the field's error."""
        from desktop.errors import ValidationError
        from desktop.interview import seasons
        from ui.seasons_ui import parse

        refusals = (seasons.SEASON_NEEDS_REGION, seasons.SEASON_WORD_AMBIGUOUS, seasons.SEASON_NOT_LOCAL)
        try:
            parse(text, current_language(), self.editors[path].seasons)
        except ValidationError as exc:
            if exc.msgid in refusals:
                return exc.message()
        return ""

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    # -- language --------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        for spec in self.specs:
            label = _(spec.label)
            self._labels[spec.path].setText(label + (" *" if spec.required else ""))
            editor = self.editors[spec.path]
            editor.retranslate()
            if spec.hint:
                editor.widget.setToolTip(_(spec.hint))
            self._update_note(
                spec.path, editor.value() if self.isEnabled() else get_path(self._data, spec.path)
            )
            error = self._error_objs.get(spec.path)
            if isinstance(error, DeclaraError):
                self._errors[spec.path].setText(error.message())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
