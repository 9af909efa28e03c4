"""The live language switch (after Frescobaldi): swap the gettext catalog, set QLocale's default,
reinstall Qt's own ``qtbase`` translator, and let Qt send ``LanguageChange`` to every widget, which
answer in ``changeEvent`` with ``retranslate_ui()``. Typed text and selections are untouched because
only labels are re-set."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from desktop import i18n


class LanguageManager(QObject):
    language_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._qt = QTranslator(self)
        self._installed = False

    @property
    def language(self) -> str:
        return i18n.current_language()

    @staticmethod
    def other(lang: str) -> str:
        return "es" if lang == "en" else "en"

    def toggle(self) -> None:
        self.set_language(self.other(self.language))

    def set_language(self, lang: str) -> None:
        lang = i18n.normalize_language(lang) or i18n.DEFAULT_LANGUAGE
        i18n.set_language(lang)
        # By name: QLocale.Language and QLocale.Country would make PySide6 build their Python enums
        # (hundreds of members each), a cost at every start-up.
        QLocale.setDefault(QLocale("es_US" if lang == "es" else "en_US"))
        app = QCoreApplication.instance()
        if app is not None:
            if self._installed:
                app.removeTranslator(self._qt)
                self._installed = False
            if lang != "en":
                folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
                if self._qt.load(f"qtbase_{lang}", folder):
                    self._installed = app.installTranslator(self._qt)
            # Qt also posts LanguageChange for the translator; sending it now makes the switch
            # immediate and deterministic (retranslate_ui() is idempotent).
            for widget in QApplication.topLevelWidgets():
                QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
        self.language_changed.emit(lang)
