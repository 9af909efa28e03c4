"""Pickers for coded fields: a country, a language, several nationalities or languages. They show
names in the interface language (desktop.case.display), find one as you type any part of its name,
and store the code. Several values are chips ("El Salvador ×") beside a picker that adds one.

A value that is not a known code (typed before there were pickers) is shown as stored and kept until
the user chooses another: nothing is lost or silently changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QToolButton, QWidget

from desktop.case import display
from desktop.i18n import _, current_language

Options = Callable[[str], list[tuple[str, str]]]  # interface language -> (code, name)
NAMES: dict[str, Callable[[str | None, str], str]] = {
    "country": display.country_name,
    "language": display.language_name,
}
OPTIONS: dict[str, Options] = {"country": display.countries, "language": display.languages}


class CodePicker(QComboBox):
    """One code, chosen by its name; type-ahead over every name (any part, accents and case ignored
    by Qt's completer), the common ones first."""

    edited = Signal()

    def __init__(self, what: str, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.what = what
        self.placeholder = placeholder
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(14)
        completer = QCompleter(self.model(), self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self._loading = False
        self._full = False  # the whole list is filled when the user comes to the field (ensure_full)
        self._fill(None)
        self.activated.connect(self._chosen)
        self.lineEdit().editingFinished.connect(self._typed)
        self.lineEdit().textEdited.connect(lambda _text: self.ensure_full())

    def _fill(self, keep: str | None) -> None:
        """The placeholder and the value shown; with the whole list only once the user comes to the
        field (a record page holds several pickers: hundreds of names each, built for nothing)."""
        self._loading = True
        try:
            self.clear()
            self.addItem(self.placeholder or _("(not set)"), None)
            if self._full:
                for code, name in OPTIONS[self.what](current_language()):
                    self.addItem(name, code)
            self._select(keep)
        finally:
            self._loading = False

    def ensure_full(self) -> None:
        """Every name, for the list and the type-ahead (kept until the language changes)."""
        if not self._full:
            self._full = True
            self._fill(self.value())

    def showPopup(self) -> None:  # noqa: N802 - Qt's name
        self.ensure_full()
        super().showPopup()

    def focusInEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self.ensure_full()
        super().focusInEvent(event)

    def _select(self, code: str | None) -> None:
        index = self.findData(code) if code else 0
        if index < 0:  # not in the list yet (or a value typed before there were pickers: as stored)
            self.addItem(NAMES[self.what](code, current_language()), code)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def _chosen(self, _index: int) -> None:
        if not self._loading:
            self.edited.emit()

    def _typed(self) -> None:
        """Enter or leaving the field after typing a whole name picks it; a partial name goes back
        to the value shown."""
        text = self.lineEdit().text().strip().casefold()  # before filling the list resets the field
        self.ensure_full()
        for i in range(self.count()):
            if self.itemText(i).casefold() == text and i != self.currentIndex():
                self.setCurrentIndex(i)
                self.edited.emit()
                return
        self.lineEdit().setText(self.itemText(self.currentIndex()))

    def value(self) -> str | None:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._select(value if isinstance(value, str) and value else None)
        finally:
            self._loading = False

    def retranslate(self) -> None:
        self._fill(self.value())


class CodeChips(QWidget):
    """Several codes: a chip per value (its name and ×, which removes it) and a picker that adds."""

    edited = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self._codes: list[str] = []
        self._chips: list[QToolButton] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.adder = CodePicker(what, self)
        self.adder.setObjectName("chipAdder")
        self.adder.edited.connect(self._add)
        self._layout.addWidget(self.adder, 1)
        self.retranslate()

    def _add(self) -> None:
        code = self.adder.value()
        self.adder.set_value(None)
        if code and code not in self._codes:
            self._codes.append(code)
            self._rebuild()
            self.edited.emit()

    def _remove(self, code: str) -> None:
        self._codes.remove(code)
        self._rebuild()
        self.edited.emit()

    def _rebuild(self) -> None:
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        name = NAMES[self.what]
        for position, code in enumerate(self._codes):
            chip = QToolButton(self)
            chip.setObjectName("chip")
            chip.setText(f"{name(code, current_language())}  ×")
            chip.setToolTip(_("Remove"))
            chip.setAccessibleName(name(code, current_language()))
            chip.clicked.connect(lambda _c=False, code=code: self._remove(code))
            self._layout.insertWidget(position, chip)
            self._chips.append(chip)

    def value(self) -> list[str]:
        return list(self._codes)

    def set_value(self, value: Any) -> None:
        self._codes = [str(v) for v in value or [] if v]
        self._rebuild()

    def text(self) -> str:
        """What the chips say, joined (for tests and the accessible description)."""
        name = NAMES[self.what]
        return ", ".join(name(code, current_language()) for code in self._codes)

    def retranslate(self) -> None:
        self.adder.placeholder = _("Add…")
        self.adder.retranslate()
        self._rebuild()
