"""Start the window: private umask, the saved or system language, Qt's own Spanish, the style."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import i18n
from desktop.paths import resource_path


def _excepthook(kind: type[BaseException], value: BaseException, tb: object) -> None:
    # Log the kind and place only: an exception's text may carry client data.
    logging.getLogger("declara").error("unexpected %s", kind.__name__, exc_info=(kind, value, None))
    sys.__excepthook__(kind, value, None)


def load_stylesheet() -> str:
    try:
        return resource_path("style", "declara.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


def run(argv: Sequence[str] = ()) -> int:
    os.umask(0o077)
    from PySide6.QtWidgets import QApplication

    from ui.language import LanguageManager
    from ui.main_window import MainWindow
    from ui.settings import Settings

    args = list(argv)
    lang = None
    if "--lang" in args:
        lang = args[args.index("--lang") + 1]
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Declara")
    app.setOrganizationName("Declara")
    app.setApplicationDisplayName("Declara")
    app.setStyleSheet(load_stylesheet())
    sys.excepthook = _excepthook
    settings = Settings()
    languages = LanguageManager(app)
    languages.set_language(lang or settings.language or i18n.detect_language())
    window = MainWindow(settings, languages)
    vault = Path(args[0]) if args and not args[0].startswith("-") else None
    window.start(vault)
    window.show()
    return app.exec()
