"""Start the window: private umask, the saved or system language, Qt's own Spanish, the style."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import i18n
from desktop.paths import resource_path

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

ICON_SIZES = (16, 32, 48, 64, 128, 256)
STARTUP_PROBE_ENV = "DECLARA_STARTUP_PROBE"


def process_age() -> float:
    """Seconds since this process started (Linux: from /proc), else since this module was imported."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED


_IMPORTED = time.monotonic()


def _excepthook(kind: type[BaseException], value: BaseException, tb: object) -> None:
    # Log the kind and the places only: an exception's text may quote a value typed in a form.
    import traceback

    places = "; ".join(
        f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(tb)  # type: ignore[arg-type]
    )
    logging.getLogger("declara").error("unexpected %s at %s", kind.__name__, places or "?")
    _show_failure(value)


_showing_failure = False


def _show_failure(value: BaseException) -> None:
    """A failure that escaped a view's slot (a damaged vault read while moving around) is still
    seen: the one failure dialog, never two at once (issue 18: every failure in the window is seen)."""
    global _showing_failure
    if _showing_failure or not isinstance(value, Exception):
        return
    from PySide6.QtWidgets import QApplication

    from ui import ops

    _showing_failure = True
    try:
        ops.report(QApplication.activeWindow(), value, i18n._("Something went wrong"))
    except Exception:  # noqa: BLE001,S110 - the hook must never fail
        pass
    finally:
        _showing_failure = False


def load_stylesheet() -> str:
    try:
        return resource_path("style", "declara.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


def app_icon() -> QIcon:
    """The application icon: the PNGs at their sizes plus the SVG for anything larger."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    folder = resource_path("icons")
    for size in ICON_SIZES:
        png = folder / f"declara-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    svg = folder / "declara.svg"
    if svg.exists():
        icon.addFile(str(svg))
    return icon


def _startup_probe(window: object) -> None:
    """DECLARA_STARTUP_PROBE=1: print how long start-up took once the first page is shown, then quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def report() -> None:
        page = window.pages.currentWidget()  # type: ignore[attr-defined]
        elapsed = process_age()
        name = type(page).__name__
        print(f"startup: {name} shown after {elapsed:.2f} s (since the process started)", flush=True)
        QApplication.quit()

    QTimer.singleShot(0, report)


def run(argv: Sequence[str] = ()) -> int:
    os.umask(0o077)
    from PySide6.QtWidgets import QApplication

    from ui.language import LanguageManager
    from ui.main_window import MainWindow
    from ui.settings import Settings

    lang, args = i18n.split_language_option(argv)
    args = [a for a in args if a != "gui"]
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Declara")
    app.setOrganizationName("Declara")
    app.setApplicationDisplayName("Declara")
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("org.declara.Declara")
    app.setStyleSheet(load_stylesheet())
    sys.excepthook = _excepthook
    settings = Settings()
    languages = LanguageManager(app)
    languages.set_language(lang or settings.language or i18n.detect_language())
    window = MainWindow(settings, languages)
    vault = Path(args[0]) if args and not args[0].startswith("-") else None
    window.start(vault)
    window.show_placed()
    if os.environ.get(STARTUP_PROBE_ENV):
        _startup_probe(window)
    return app.exec()
