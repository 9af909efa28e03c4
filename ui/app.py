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
    """The application icon: the PNGs at their sizes (see :func:`add_scalable_icon`)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    folder = resource_path("icons")
    for size in ICON_SIZES:
        png = folder / f"declara-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    return icon


def add_scalable_icon() -> None:
    """Add the SVG to the application icon, for anything larger than its PNGs: after the first page
    is shown, as loading Qt's SVG plugin costs start-up 12 ms."""
    from PySide6.QtWidgets import QApplication

    svg = resource_path("icons", "declara.svg")
    app = QApplication.instance()
    if app is None or not svg.exists():
        return
    icon = app.windowIcon()  # type: ignore[attr-defined]
    icon.addFile(str(svg))
    app.setWindowIcon(icon)  # type: ignore[attr-defined]


def _startup_probe(window: object) -> None:
    """DECLARA_STARTUP_PROBE=1: print when the first page was on the screen (the window's first
    paint done) and when the window was ready for every action (its features built, just after),
    as seconds since the process started and as wall-clock times (``at=``, for a parent process
    that timed the start itself), then quit."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    def say(what: str) -> None:
        page = type(window.pages.currentWidget()).__name__  # type: ignore[attr-defined]
        print(f"startup: {page} {what} after {process_age():.2f} s (since the process started) "
              f"at={time.time():.4f}", flush=True)

    def ready() -> None:
        if not window._features_built:  # type: ignore[attr-defined]
            QTimer.singleShot(1, ready)
            return
        say("ready")
        QApplication.quit()

    def painted() -> None:
        say("shown")
        ready()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, painted)  # before the window's own (installed first: called last)
            return False

    probe = FirstPaint(window)  # type: ignore[arg-type]
    window.installEventFilter(probe)  # type: ignore[attr-defined]


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
    if os.environ.get(STARTUP_PROBE_ENV):
        _startup_probe(window)
    window.show_placed()
    return app.exec()
