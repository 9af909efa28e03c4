"""GUI fixtures: a real MainWindow over a real encrypted vault, offscreen, scripted dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.vault import keyheader as kh
from desktop.demo import create_demo_vault

from ..conftest import PASSPHRASE


@pytest.fixture
def languages(qapp):
    from ui.language import LanguageManager

    manager = LanguageManager()
    manager.set_language("en")
    yield manager
    manager.set_language("en")


@pytest.fixture
def settings(tmp_path):
    from ui.settings import Settings

    return Settings(tmp_path / "settings.ini")


@pytest.fixture(autouse=True)
def _no_stray_dialog_answers():
    from ui import dialogs

    dialogs._answers.clear()
    dialogs.shown.clear()
    dialogs.strict = True  # an unscripted dialog fails the test at once instead of blocking it
    yield
    dialogs.strict = False
    dialogs._answers.clear()


@pytest.fixture
def make_window(qtbot, settings, languages, tmp_path):
    from ui.app import load_stylesheet
    from ui.main_window import MainWindow

    def make(**kwargs):
        qtbot_app = qtbot  # noqa: F841 - keeps qapp alive
        window = MainWindow(settings, languages, kh.unsafe_test_policy(), demo_folder=tmp_path, **kwargs)
        window.setStyleSheet(load_stylesheet())
        qtbot.addWidget(window)
        window.show()
        return window

    return make


@pytest.fixture
def demo_vault(tmp_path) -> Path:
    path = tmp_path / "demo.declara"
    create_demo_vault(path, PASSPHRASE, kh.unsafe_test_policy())
    return path


@pytest.fixture
def unlocked(qtbot, make_window, demo_vault):
    """A window with the demo vault unlocked through the real unlock page."""
    window = make_window()
    window.start(demo_vault)
    unlock_with(qtbot, window, PASSPHRASE)
    return window


def unlock_with(qtbot, window, passphrase):
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: window.session is not None or window.unlock_page.error.isVisible(), timeout=10000)


def client_row(window, given_prefix):
    model = window.client_model
    for row in range(model.rowCount()):
        if model.client_at(row).given_names.startswith(given_prefix):
            return row
    raise AssertionError(given_prefix)


def type_text(widget, text):
    """Type like a keyboard: QTest for ASCII, a key event carrying the character otherwise
    (QTest.keyClicks asserts on characters outside ASCII, such as "é" or "ñ")."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch.isascii():
            QTest.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
                )
