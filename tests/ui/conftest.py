"""GUI fixtures: a real MainWindow over a real encrypted vault, offscreen, scripted dialogs.

The helpers the test modules share are fixtures too (test modules never import one another):
``unlock_with(window, passphrase)``, ``client_row(window, given_prefix)``, ``type_text(widget, text)``
and ``open_client(window, given_prefix)``."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.demo import create_demo_vault
from desktop.vault import keyheader as kh


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

    dialogs.forget_answers()
    dialogs.strict = True  # an unscripted dialog fails the test at once instead of blocking it
    yield
    dialogs.strict = False
    dialogs.forget_answers()


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
def demo_vault(tmp_path, passphrase) -> Path:
    path = tmp_path / "demo.declara"
    create_demo_vault(path, passphrase, kh.unsafe_test_policy())
    return path


@pytest.fixture
def unlocked(make_window, demo_vault, passphrase, unlock_with):
    """A window with the demo vault unlocked through the real unlock page."""
    window = make_window()
    window.start(demo_vault)
    unlock_with(window, passphrase)
    return window


@pytest.fixture
def unlock_with(qtbot):
    """``unlock_with(window, passphrase)``: type the passphrase on the unlock page and press Unlock;
    returns once the vault is open or the page shows an error."""

    def unlock(window, passphrase):
        window.unlock_page.passphrase.setText(passphrase)
        window.unlock_page.unlock_button.click()
        qtbot.waitUntil(
            lambda: window.session is not None or window.unlock_page.error.isVisible(), timeout=10000
        )

    return unlock


@pytest.fixture
def client_row():
    """``client_row(window, given_prefix)``: the list's row of the client whose given names start so."""

    def row_of(window, given_prefix):
        model = window.client_model
        for row in range(model.rowCount()):
            if model.client_at(row).given_names.startswith(given_prefix):
                return row
        raise AssertionError(given_prefix)

    return row_of


@pytest.fixture
def open_client(client_row):
    """``open_client(window, given_prefix)``: select the client in the list and press Enter, as a
    user would; returns the client's record."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    def open_(window, given_prefix):
        row = client_row(window, given_prefix)
        window.client_list.table.setFocus()
        window.client_list.table.selectRow(row)
        QTest.keyClick(window.client_list.table, Qt.Key.Key_Return)
        assert window.workspace.currentWidget() is window.record
        return window.record.client

    return open_


@pytest.fixture
def type_text():
    """``type_text(widget, text)``: type like a keyboard: QTest for ASCII, a key event carrying the
    character otherwise (QTest.keyClicks asserts on characters outside ASCII, such as "é" or "ñ")."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    def type_(widget, text):
        for ch in text:
            if ch.isascii():
                QTest.keyClicks(widget, ch)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(
                        widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
                    )

    return type_


@pytest.fixture
def jose(unlocked, open_client):
    """The demo vault with José's record open on its Documents tab."""
    open_client(unlocked, "José")
    unlocked.clients.show_section(unlocked.documents.section_index())
    return unlocked


@pytest.fixture
def import_files(qtbot):
    """``import_files(window, paths, fill=True)``: the Import button with the file dialog and the
    import dialog answered; returns once the worker is done."""
    from ui import dialogs, ops

    def run(window, paths, fill=True):
        dialogs.set_next_answer([str(p) for p in paths])
        dialogs.set_next_answer(fill)
        window.record.documents.import_button.click()
        qtbot.waitUntil(lambda: not ops.busy() and window.documents.progress_dialog.close_button.isEnabled())
        return window.documents.import_results

    return run
