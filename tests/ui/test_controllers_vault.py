"""The vault controller: choosing a folder that is no vault, a vault that cannot be created, the
idle lock's pause, and where the window returns after a lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui import dialogs


def test_a_folder_that_is_no_vault_is_refused(qtbot, make_window, demo_vault, tmp_path):
    window = make_window()
    window.start(demo_vault)
    plain = tmp_path / "just-a-folder"
    plain.mkdir()
    dialogs.set_next_answer(plain)
    dialogs.set_next_answer(True)  # the error box
    window.unlock_page.other_button.click()
    assert dialogs.shown[-1][0] == "error"
    assert window.vault.path == demo_vault and window.pages.currentWidget() is window.unlock_page
    dialogs.set_next_answer(demo_vault)
    window.unlock_page.other_button.click()
    assert window.vault.path == demo_vault and dialogs.shown[-1][0] == "error"


def test_a_vault_that_cannot_be_created_says_why_on_the_welcome_page(
    qtbot, make_window, tmp_path, passphrase
):
    window = make_window()
    window.start(tmp_path / "nothing.declara")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    window.welcome.set_location(blocker / "new.declara")
    window.welcome.passphrase.setText(passphrase)
    window.welcome.repeat.setText(passphrase)
    window.welcome.create_button.click()
    qtbot.waitUntil(lambda: window.welcome.feedback.property("state") == "error", timeout=10000)
    assert window.session is None and window.welcome.feedback.text()
    assert not window.welcome.busy.isVisible() and window.welcome.passphrase.isEnabled()


def test_after_a_lock_from_the_list_the_list_comes_back(qtbot, unlocked, unlock_with, passphrase):
    unlocked.client_list.search.setText("calel")
    unlocked.client_list.flush_search()
    QTest.keyClick(unlocked, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert unlocked.client_list.search.text() == "" and unlocked.client_model.rowCount() == 0
    unlock_with(unlocked, passphrase)
    assert unlocked.on_list and unlocked.client_model.rowCount() == 3


def test_the_idle_lock_waits_while_paused(qtbot, make_window, demo_vault, unlock_with, passphrase):
    window = make_window(idle_msec=200)
    window.start(demo_vault)
    unlock_with(window, passphrase)
    window.vault.pause_idle(True)
    qtbot.wait(400)
    assert window.session is not None
    window.vault.pause_idle(False)
    with qtbot.waitSignal(window.locked, timeout=3000):
        pass
    assert window.session is None
