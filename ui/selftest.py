"""The Qt half of ``declara --self-test``: an offscreen QApplication, the main window, Qt's own Spanish
(``qtbase_es``), the application icon and QtPdf reading back a PDF the core rendered.

Runs without a display: ``main()`` sets ``QT_QPA_PLATFORM=offscreen`` before Qt is imported (unless
the caller chose a platform already). With ``--real-display`` it starts the platform of the session
instead: Qt's ``wayland`` plugin when ``WAYLAND_DISPLAY`` names a Wayland compositor (as Qt itself
chooses in a Wayland session), else ``xcb`` on the X display of ``DISPLAY`` (``make test`` runs it
under Xvfb, and under a headless Weston when one is installed). It shows the window and checks a
picture of it is not blank: on X11 a screenshot of the screen, read back from the server; on Wayland,
where a client may not read the screen, the window exposed by the compositor and rendered. Proof
that the bundle starts on a real display with the libraries it carries.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from desktop.selftest import Check, SelfTestFailure, State


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


class QtState:
    def __init__(self) -> None:
        self.app: Any = None
        self.folder = Path(tempfile.mkdtemp(prefix="declara-selftest-qt-"))

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def check_app(qs: QtState) -> str:
    from PySide6.QtWidgets import QApplication

    qs.app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "declara"])
    return f"QApplication started (platform {qs.app.platformName()}, Qt {_qt_version()})"


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return qVersion()


def check_qt_spanish(qs: QtState) -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    _require(translator.load("qtbase_es", folder), f"qtbase_es.qm not found in {folder}")
    got = translator.translate("QPlatformTheme", "Cancel")
    _require(got == "Cancelar", f"qtbase_es translates 'Cancel' as {got!r}")
    return f"Qt's Spanish (qtbase_es) loaded from {folder}: 'Cancel' -> '{got}'"


def check_icon(qs: QtState) -> str:
    from ui.app import app_icon

    icon = app_icon()
    _require(not icon.isNull(), "the application icon did not load")
    sizes = sorted({s.width() for s in icon.availableSizes()})
    pixmap = icon.pixmap(64, 64)
    _require(not pixmap.isNull(), "the application icon does not render")
    return f"application icon loaded (sizes {', '.join(map(str, sizes)) or 'scalable'})"


def check_window(qs: QtState) -> str:
    from desktop.vault import keyheader as kh
    from ui.app import load_stylesheet
    from ui.language import LanguageManager
    from ui.main_window import MainWindow
    from ui.settings import Settings

    qss = load_stylesheet()
    _require(bool(qss.strip()), "the style sheet is missing or empty")
    qs.app.setStyleSheet(qss)
    languages = LanguageManager(qs.app)
    languages.set_language("es")
    try:
        window = MainWindow(Settings(qs.folder / "settings.ini"), languages, kh.unsafe_test_policy())
        window.start(qs.folder / "no-vault-here")
        window.show()
        qs.app.processEvents()
        page = window.pages.currentWidget().objectName() or type(window.pages.currentWidget()).__name__
        menu = window.menu_file.title()
        window.close()
        window.deleteLater()
        qs.app.processEvents()
    finally:
        languages.set_language("en")
    _require(menu.replace("&", "") == "Archivo", f"the File menu in Spanish reads {menu!r}")
    return f"main window constructed in Spanish (page {page}, File menu '{menu.replace('&', '')}')"


def check_qtpdf(qs: QtState, state: State) -> str:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    pdf = state.pdfs.get("declaration")
    _require(pdf is not None, "no rendered PDF (the declaration check failed)")
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    _require(doc.status() == QPdfDocument.Status.Ready, f"QPdfDocument status {doc.status()}")
    pages = doc.pageCount()
    image = doc.render(0, QSize(200, 260))
    _require(pages >= 1 and not image.isNull(), "QtPdf could not render page 1")
    doc.close()
    return f"QtPdf loaded the declaration PDF ({pages} pages) and rendered page 1"


def check_real_display(qs: QtState) -> str:
    """The main window shown on the session's display, and a picture of it that is not blank."""
    import time

    from desktop.vault import keyheader as kh
    from ui.language import LanguageManager
    from ui.main_window import MainWindow
    from ui.settings import Settings

    platform = qs.app.platformName()
    expected = session_platform()
    _require(platform == expected, f"Qt runs on {platform!r}, not {expected}")
    window = MainWindow(Settings(qs.folder / "display.ini"), LanguageManager(qs.app), kh.unsafe_test_policy())
    window.start(qs.folder / "no-vault-here")
    window.show_placed()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (window.windowHandle() and window.windowHandle().isExposed()):
        qs.app.processEvents()
    _require(window.windowHandle().isExposed(), f"the {platform} display never showed the window")
    for _ in range(30):  # let the server map and paint it
        qs.app.processEvents()
        time.sleep(0.02)
    if platform == "xcb":
        image = qs.app.primaryScreen().grabWindow(0).toImage()
    else:  # Wayland: no client reads the screen; the window as rendered for the compositor
        image = window.grab().toImage()
    shot = os.environ.get("DECLARA_SELFTEST_SCREENSHOT")
    if shot:
        image.save(shot)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 13) for y in range(0, image.height(), 13)}
    size = f"{window.width()}×{window.height()} on {image.width()}×{image.height()}"
    window.close()
    window.deleteLater()
    qs.app.processEvents()
    _require(len(colours) >= 8, f"the picture is blank ({len(colours)} colours)")
    where = "the X display" if platform == "xcb" else "the Wayland compositor"
    return f"main window shown on {where} ({size}); the picture has {len(colours)} colours"


def session_platform() -> str:
    """The platform Qt takes in this session: ``wayland`` when a compositor is named, else ``xcb``."""
    return "wayland" if os.environ.get("WAYLAND_DISPLAY") else "xcb"


def qt_checks(state: State, real_display: bool = False) -> list[Check]:
    qs = QtState()
    state.qt = qs  # type: ignore[attr-defined]
    checks = [
        ("qt", lambda: check_app(qs)),
        ("qt-spanish", lambda: check_qt_spanish(qs)),
        ("icon", lambda: check_icon(qs)),
        ("window", lambda: check_window(qs)),
        ("qtpdf", lambda: check_qtpdf(qs, state)),
    ]
    if real_display:
        checks.append(("real display", lambda: check_real_display(qs)))
    return checks


def main(argv: Sequence[str] = (), out: TextIO | None = None) -> int:
    real_display = "--real-display" in argv
    if real_display:
        os.environ["QT_QPA_PLATFORM"] = session_platform()  # as a user's session gives
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.umask(0o077)
    from desktop import selftest

    holder: list[QtState] = []

    def extra(state: State) -> list[Check]:
        checks = qt_checks(state, real_display)
        holder.append(state.qt)  # type: ignore[attr-defined]
        return checks

    try:
        return selftest.main(out, extra)
    finally:
        for qs in holder:
            qs.cleanup()
