"""Recovery in the window (issue 18, "Recovery key"): a recovery code is set up and its sheet saved,
a forgotten passphrase is recovered from the unlock page (code and office key), and the data key is
changed; with a real vault, the dialogs scripted."""

from __future__ import annotations

import os

import pytest

from desktop.vault import keyheader as kh
from desktop.vault.database import open_vault, unlock

NEW = "copper meadow whistle sideways 7"


@pytest.fixture
def png_dir(tmp_path):
    """Where the dialogs are rendered (DECLARA_UI_PNG=folder keeps them for a look)."""
    return os.environ.get("DECLARA_UI_PNG") or str(tmp_path)


def wait_idle(qtbot):
    """Until the worker is done and its result handled on the GUI thread (a task leaves the list
    of running ones only after its result signal was delivered)."""
    from ui import ops

    qtbot.waitUntil(lambda: not ops._running, timeout=30000)


def make_code(qtbot, window, passphrase, sheet, png_dir):
    """File ▸ Passphrase and recovery ▸ Set up a recovery code…; returns the words shown."""
    from ui import dialogs

    shown = {}

    def type_passphrase(dialog):
        dialog.passphrase.setText(passphrase)
        dialog.grab().save(os.path.join(png_dir, "recovery-passphrase.png"))

    def look_and_save(dialog):
        shown["words"] = list(dialog.words)
        dialogs.set_next_answer(str(sheet))
        dialog.save_button.click()
        dialog.grab().save(os.path.join(png_dir, "recovery-code-shown.png"))
        shown["saved"] = dialog.saved.text()

    dialogs.set_next_answer(type_passphrase)
    dialogs.set_next_answer(look_and_save)
    window.recovery.act_code.trigger()
    wait_idle(qtbot)
    return shown


def test_set_up_a_code_then_recover_from_the_unlock_page(
    qtbot, unlocked, demo_vault, passphrase, tmp_path, png_dir, unlock_with, pdf
):
    from ui import dialogs

    window = unlocked
    assert window.recovery.act_code.isEnabled()
    sheet = tmp_path / "sheet.pdf"
    shown = make_code(qtbot, window, passphrase, sheet, png_dir)
    words = shown["words"]
    assert len(words) == 10 and "Saved to" in shown["saved"]
    assert all(w in pdf.layout_text(sheet) for w in words)
    # the passphrase is forgotten: lock, then “Forgot the passphrase?”
    window.vault.lock()
    page = window.unlock_page
    assert page.forgot_button.isVisible() and page.forgot_button.text() == "Forgot the passphrase?"
    page.grab().save(os.path.join(png_dir, "unlock-forgot.png"))

    def fill(dialog):
        dialog.use_code.setChecked(True)
        dialog.code.setPlainText("\n".join(w[:4] for w in words))
        dialog.new.setText(NEW)
        dialog.repeat.setText(NEW)
        dialog.grab().save(os.path.join(png_dir, "recover-dialog.png"))

    dialogs.set_next_answer(fill)
    dialogs.set_next_answer(True)  # “Vault recovered”
    page.forgot_button.click()
    wait_idle(qtbot)
    assert dialogs.shown[-1][0] == "info" and "new passphrase" in dialogs.shown[-1][1]
    unlock_with(window, NEW)
    assert window.session is not None and window.client_model.rowCount() == 3


def test_recover_with_the_office_key(qtbot, make_window, demo_vault, passphrase, tmp_path, unlock_with):
    import pyrage

    from desktop.vault.recovery import add_office_recipient
    from ui import dialogs

    policy = kh.unsafe_test_policy()
    ident = pyrage.x25519.Identity.generate()
    add_office_recipient(demo_vault, unlock(demo_vault, passphrase, policy), str(ident.to_public()))
    identity_file = tmp_path / "office-identity.txt"
    identity_file.write_text(f"# office\n{ident}\n")
    window = make_window()
    window.start(demo_vault)

    def fill(dialog):
        dialog.use_office.setChecked(True)
        dialog.choose.click()  # the file dialog: answered below
        dialog.new.setText(NEW)
        dialog.repeat.setText(NEW)

    dialogs.set_next_answer(fill)
    dialogs.set_next_answer(str(identity_file))
    dialogs.set_next_answer(True)
    window.unlock_page.forgot_button.click()
    wait_idle(qtbot)
    unlock_with(window, NEW)
    assert window.session is not None


def test_wrong_code_is_reported_and_changes_nothing(qtbot, make_window, demo_vault, passphrase):
    from ui import dialogs

    before = (demo_vault / "keyheader.json").read_bytes()
    window = make_window()
    window.start(demo_vault)

    def fill(dialog):
        dialog.code.setPlainText("abandon " * 10)
        dialog.new.setText(NEW)
        dialog.repeat.setText(NEW)

    dialogs.set_next_answer(fill)
    dialogs.set_next_answer(True)  # the error box
    window.unlock_page.forgot_button.click()
    wait_idle(qtbot)
    assert dialogs.shown[-1][0] == "error" and "no recovery code" in dialogs.shown[-1][1]
    assert (demo_vault / "keyheader.json").read_bytes() == before
    assert window.unlock_page.unlock_button.isEnabled()


def test_mismatched_new_passphrases_keep_the_dialog_open(qtbot, make_window, demo_vault):
    from ui.recovery_ui import RecoverDialog

    window = make_window()
    dialog = RecoverDialog(window, demo_vault)
    qtbot.addWidget(dialog)
    dialog.code.setPlainText("abandon " * 10)
    dialog.new.setText(NEW)
    dialog.repeat.setText(NEW + "x")
    dialog._accept()
    assert not dialog.error.isHidden() and "differ" in dialog.error.text()
    assert dialog.result() != dialog.DialogCode.Accepted


def test_change_the_data_key(qtbot, unlocked, demo_vault, passphrase, unlock_with):
    from ui import dialogs

    window = unlocked
    policy = kh.unsafe_test_policy()
    old_key = unlock(demo_vault, passphrase, policy)
    dialogs.set_next_answer(lambda d: d.passphrase.setText(passphrase))
    dialogs.set_next_answer(True)  # “Data key changed”
    window.recovery.act_rekey.trigger()
    wait_idle(qtbot)
    assert dialogs.shown[-1][0] == "info" and "re-encrypted" in dialogs.shown[-1][1]
    assert window.session is None
    new_key = unlock(demo_vault, passphrase, policy)
    assert new_key != old_key
    from desktop.errors import VaultCorrupt

    with pytest.raises(VaultCorrupt):
        open_vault(demo_vault, old_key)
    unlock_with(window, passphrase)
    assert window.session is not None and window.client_model.rowCount() == 3


def test_recovery_menu_is_in_the_file_menu(unlocked):
    window = unlocked
    assert window.recovery.menu.menuAction() in window.menu_file.actions()
    assert window.recovery.menu.title() == "Passphrase and &recovery"
    assert [a.text() for a in window.recovery.menu.actions()] == [
        "Set up a recovery &code…",
        "Let the &office key open this vault…",
        "Change the &data key…",
    ]
    window.vault.lock()
    assert not window.recovery.act_code.isEnabled()  # needs an open vault


@pytest.mark.parametrize("agree", [True, False])
def test_opened_with_the_header_copy_says_so_and_offers_repair(
    qtbot, make_window, demo_vault, passphrase, unlock_with, agree
):
    """Finding 5: the main key header damaged, the copy opens the vault; the window says so and
    repairs only when the user agrees (the damaged file kept)."""
    from ui import dialogs

    (demo_vault / "keyheader.json").write_bytes(b"damaged")
    window = make_window()
    window.start(demo_vault)
    dialogs.set_next_answer(agree)
    unlock_with(window, passphrase)
    assert window.session is not None
    kind, text = dialogs.shown[-1]
    assert kind == "confirm" and "keyheader.copy.json" in text
    if agree:
        assert (demo_vault / "keyheader.json").read_bytes() == (
            demo_vault / "keyheader.copy.json"
        ).read_bytes()
        assert [p.read_bytes() for p in demo_vault.glob("keyheader.damaged-*")] == [b"damaged"]
    else:
        assert (demo_vault / "keyheader.json").read_bytes() == b"damaged"


def test_closing_the_code_without_the_sheet_asks_first(qtbot, unlocked):
    from ui import dialogs
    from ui.recovery_ui import CodeShownDialog

    dialog = CodeShownDialog(unlocked, ["abandon"] * 10, "00000000-0000-4000-8000-000000000000")
    qtbot.addWidget(dialog)
    dialogs.set_next_answer(False)  # “Did you write them down?” No
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and dialogs.shown[-1][0] == "confirm"
    dialogs.set_next_answer(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
