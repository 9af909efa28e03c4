"""Welcome, create, unlock: key derivation off the GUI thread, clear errors, field kept."""

from __future__ import annotations

from desktop.vault.database import open_vault, unlock


def test_first_run_shows_welcome_and_creates_a_vault(qtbot, make_window, tmp_path, settings, passphrase):
    window = make_window()
    window.start(tmp_path / "nothing-here.declara")
    assert window.pages.currentWidget() is window.welcome
    target = tmp_path / "new.declara"
    window.welcome.set_location(target)
    qtbot.keyClicks(window.welcome.passphrase, "short")
    assert not window.welcome.create_button.isEnabled()
    assert "12" in window.welcome.feedback.text()  # the reason is shown
    window.welcome.passphrase.setText(passphrase)
    window.welcome.repeat.setText(passphrase + "x")
    assert not window.welcome.create_button.isEnabled()
    assert "differ" in window.welcome.feedback.text()
    window.welcome.repeat.setText(passphrase)
    assert window.welcome.create_button.isEnabled()
    window.welcome.create_button.click()
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    assert window.pages.currentWidget() is window.workspace
    assert (target / "keyheader.json").exists()
    assert settings.last_vault == target
    assert window.welcome.passphrase.text() == ""


def test_welcome_language_follows_the_switch(qtbot, make_window, tmp_path, languages):
    window = make_window()
    window.start(tmp_path / "nothing.declara")
    assert window.welcome.title.text() == "Welcome to Declara"
    window.welcome.language_button.click()
    from desktop.i18n import translator

    spanish = translator("es")("Welcome to Declara")
    assert spanish != "Welcome to Declara"
    assert window.welcome.title.text() == spanish
    assert window.welcome.language_button.text() == "English"


def test_demo_vault_from_welcome_shows_its_passphrase(qtbot, make_window, tmp_path):
    window = make_window()
    window.start(tmp_path / "nothing.declara")
    window.welcome.demo_button.click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.unlock_page, timeout=15000)
    shown = window.unlock_page.demo_note.text()
    assert "demo-" in shown and window.unlock_page.demo_note.isVisible()
    window.unlock_page.unlock_button.click()
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    assert window.client_model.rowCount() == 3


def test_wrong_passphrase_says_so_and_keeps_the_field(qtbot, make_window, demo_vault, unlock_with):
    window = make_window()
    window.start(demo_vault)
    assert window.pages.currentWidget() is window.unlock_page
    unlock_with(window, "not the right passphrase")
    assert window.session is None
    assert window.unlock_page.error.isVisible()
    assert "wrong" in window.unlock_page.error.text()
    assert window.unlock_page.passphrase.text() == "not the right passphrase"
    assert window.unlock_page.passphrase.isEnabled()


def test_unlock_error_in_spanish(qtbot, make_window, demo_vault, languages, unlock_with):
    window = make_window()
    window.start(demo_vault)
    languages.set_language("es")
    unlock_with(window, "not the right passphrase")
    assert "incorrecta" in window.unlock_page.error.text()
    assert window.unlock_page.unlock_button.text() == "Desbloquear"
    languages.set_language("en")
    assert "wrong" in window.unlock_page.error.text()  # re-rendered in the new language


def test_unlock_runs_off_the_gui_thread(qtbot, make_window, demo_vault, passphrase):
    window = make_window()
    window.start(demo_vault)
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.unlock_button.click()
    assert window.unlock_page.busy.isVisible()  # returned at once, busy indicator shown
    assert not window.unlock_page.passphrase.isEnabled()
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    assert not window.unlock_page.busy.isVisible()


def test_missing_key_header_is_explained(qtbot, make_window, demo_vault, unlock_with, passphrase):
    window = make_window()
    window.start(demo_vault)
    (demo_vault / "keyheader.json").rename(demo_vault / "moved.json")
    (demo_vault / "keyheader.copy.json").rename(demo_vault / "moved-copy.json")  # the copy too
    unlock_with(window, passphrase)
    assert "keyheader.json" in window.unlock_page.error.text()


def test_corrupt_vault_is_explained_and_kept(qtbot, make_window, demo_vault, unlock_with, passphrase):
    window = make_window()
    window.start(demo_vault)
    db = demo_vault / "declara.db"
    data = bytearray(db.read_bytes())
    data[200] ^= 0xFF
    db.write_bytes(bytes(data))
    from ui import dialogs

    dialogs.set_next_answer(False)  # the damaged-vault dialog (salvage, restore): Close
    unlock_with(window, passphrase)
    assert window.session is None
    assert "damaged" in window.unlock_page.error.text()
    assert [kind for kind, _text in dialogs.shown] == ["damaged"]
    assert db.read_bytes() == bytes(data)


def test_second_instance_on_the_same_vault_is_refused(
    qtbot, make_window, demo_vault, policy, unlock_with, passphrase
):
    holder = open_vault(demo_vault, unlock(demo_vault, passphrase, policy))
    try:
        window = make_window()
        window.start(demo_vault)
        assert "already open" in window.unlock_page.error.text()  # said before any passphrase
        unlock_with(window, passphrase)
        assert window.session is None
        assert "already open" in window.unlock_page.error.text()
    finally:
        holder.close()
    window.start(demo_vault)  # once the other one is closed, the vault opens
    assert not window.unlock_page.error.isVisible()
    unlock_with(window, passphrase)
    assert window.session is not None
