"""The Backups… dialog with a real vault: back up now, a second folder, restore into a new vault;
the automatic backup when the vault is locked; restoring from the damaged-vault dialog."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.case.store import CaseStore
from desktop.vault import backups
from desktop.vault import keyheader as kh
from desktop.vault.database import open_vault, unlock
from ui import dialogs, ops
from ui.backups_ui import BackupsDialog, PassphraseDialog, offer_restore


def _clients(path: Path, passphrase: str) -> list[str]:
    with open_vault(path, unlock(path, passphrase, kh.unsafe_test_policy())) as vault:
        return sorted(c.data["given_names"] for c in CaseStore(vault).clients())


def _type_passphrase(passphrase: str):
    def fill(dialog):
        assert isinstance(dialog, PassphraseDialog)
        dialog.passphrase.setText(passphrase)

    return fill


def test_backups_dialog_backs_up_uses_a_second_folder_and_restores(unlocked, tmp_path, passphrase):
    window = unlocked
    vault = window.session.vault
    usb = tmp_path / "usb"
    usb.mkdir()
    restored = tmp_path / "restored.declara"
    seen: dict[str, object] = {}

    def use(dialog: BackupsDialog) -> None:
        assert dialog.model.rowCount() == 0
        assert not dialog.restore_button.isEnabled()
        dialog.backup_now.click()
        assert dialog.model.rowCount() == 1 and dialog.restore_button.isEnabled()
        assert dialog.model.data(dialog.model.index(0, 1)) == "made by hand"
        assert dialog.model.data(dialog.model.index(0, 3)) == "vault folder"
        dialogs.set_next_answer(usb)
        dialog.choose_second.click()
        assert str(usb) in dialog.second_label.text()
        dialog.backup_now.click()
        assert dialog.model.rowCount() == 3 and dialog.warning.isHidden()
        wheres = {dialog.model.data(dialog.model.index(r, 3)) for r in range(3)}
        assert wheres == {"vault folder", "second folder"}
        dialog.show()
        dialog.grab().save(str(tmp_path / "backups-dialog.png"))
        seen["png"] = tmp_path / "backups-dialog.png"
        # Restore the newest backup of the second folder into a new vault.
        row = next(r for r in range(3) if dialog.model.rows[r][1] == "second folder")
        dialog.view.selectRow(row)
        dialogs.set_next_answer(restored)
        dialogs.set_next_answer(_type_passphrase(passphrase))
        dialogs.set_next_answer(True)  # "restored into …"
        dialog.restore_button.click()
        assert dialog.restored == restored
        # Never over the vault that is open: refused, said, nothing written.
        before = sorted(p.name for p in vault.path.iterdir())
        dialogs.set_next_answer(vault.path)
        dialogs.set_next_answer(_type_passphrase(passphrase))
        dialogs.set_next_answer(True)  # the error
        dialog.restore_button.click()
        assert dialogs.shown[-1][0] == "error" and "not empty" in dialogs.shown[-1][1]
        assert sorted(p.name for p in vault.path.iterdir()) == before

    dialogs.set_next_answer(use)
    window.act_backups.trigger()
    assert Path(seen["png"]).stat().st_size > 0  # type: ignore[arg-type]
    assert len(os.listdir(usb)) == 1 and len(backups.list_backups(vault.path)) == 2
    assert backups.second_folder(vault) == usb
    assert _clients(restored, passphrase) == sorted(
        c.data["given_names"] for c in window.session.store.clients()
    )


def test_a_missing_second_folder_is_said_and_the_backup_still_made(unlocked, tmp_path):
    window = unlocked
    vault = window.session.vault
    backups.set_second_folder(vault, tmp_path)
    gone = tmp_path / "stick"
    gone.mkdir()
    backups.set_second_folder(vault, gone)
    gone.rmdir()

    def use(dialog: BackupsDialog) -> None:
        dialogs.set_next_answer(True)  # the warning dialog
        dialog.backup_now.click()
        assert dialog.model.rowCount() == 1
        assert not dialog.warning.isHidden() and "not there" in dialog.warning.text()
        assert dialogs.shown[-1][0] == "error"

    dialogs.set_next_answer(use)
    window.act_backups.trigger()
    assert len(backups.list_backups(vault.path)) == 1


def test_locking_makes_the_automatic_backup(qtbot, unlocked):
    window = unlocked
    path = window.session.vault.path
    assert backups.list_backups(path) == []
    window.vault.lock()  # the backup runs off the GUI thread; the unlock page shows at once
    assert window.pages.currentWidget() is window.unlock_page
    qtbot.waitUntil(lambda: not ops.busy(), timeout=20000)
    made = backups.list_backups(path)
    assert [b.reason for b in made] == ["close"]


def test_unlocking_while_the_locks_backup_runs_waits_for_it(qtbot, unlocked, passphrase, unlock_with):
    """The lock's backup holds the vault open; an unlock typed meanwhile opens it once it is
    closed, never a second time beside it ("open elsewhere")."""
    window = unlocked
    path = window.session.vault.path
    window.vault.lock()
    assert window.vault._closing is not None  # the backup is still running
    unlock_with(window, passphrase)
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)
    assert window.vault._closing is None and window.session.vault.path == path
    assert [b.reason for b in backups.list_backups(path)] == ["close"]
    assert not window.unlock_page.error.isVisible()


def test_closing_the_window_while_the_locks_backup_runs_closes_the_vault(qtbot, unlocked):
    window = unlocked
    path = window.session.vault.path
    window.vault.lock()
    session = window.vault._closing
    assert session is not None
    window.close()
    assert window.vault._closing is None and session.vault.conn is None  # closed, not left open
    assert [b.reason for b in backups.list_backups(path)] == ["close"]


def test_restore_from_the_damaged_vault_dialog_opens_the_unlock_page(
    make_window, demo_vault, tmp_path, passphrase
):
    with open_vault(demo_vault, unlock(demo_vault, passphrase, kh.unsafe_test_policy())) as vault:
        backups.make_backup(vault)
    window = make_window()
    target = tmp_path / "again.declara"

    stick = tmp_path / "stick"
    stick.mkdir()
    with open_vault(demo_vault, unlock(demo_vault, passphrase, kh.unsafe_test_policy())) as vault:
        on_stick = backups.make_backup(vault, to=stick)

    def use(dialog: BackupsDialog) -> None:
        assert dialog.model.rowCount() == 1 and not dialog.backup_now.isVisible()
        dialogs.set_next_answer(stick)  # the second folder is inside the vault: the user points at it
        dialog.look_elsewhere.click()
        assert dialog.model.rowCount() == 2
        row = next(r for r in range(2) if dialog.model.rows[r][1] == "other folder")
        assert dialog.model.rows[row][0].path == on_stick.path
        dialog.view.selectRow(row)
        dialogs.set_next_answer(target)
        dialogs.set_next_answer(_type_passphrase(passphrase))
        dialogs.set_next_answer(True)
        dialog.restore_button.click()

    dialogs.set_next_answer(use)
    assert offer_restore(window, demo_vault) == target
    assert window.vault.path == target and window.pages.currentWidget() is window.unlock_page
