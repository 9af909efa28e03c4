"""File ▸ “Apply saved changes from a file…” brings a file of unsaved changes back into a vault
(issue 18): a save fails, the changes go to an encrypted file, the disk recovers, the vault is
unlocked again and the file applied from the menu; the typed text is then in the vault."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.case import unsaved_edits as ue
from ui import dialogs, ops
from ui.session import AUTOSAVE_MS
from tests.ui.pages import FullDisk

FILE_PASSPHRASE = "orchard copper nimbus seventy"


@pytest.fixture
def no_backups(monkeypatch):
    import desktop.vault.backups as backups_module

    monkeypatch.setattr(backups_module, "backup_if_due", lambda vault, **_kw: None)


def _read_notes(vault_path, passphrase, client_id):
    """The client's notes, read back with a fresh CaseStore (the window has locked the vault)."""
    from desktop.case.store import CaseStore
    from desktop.vault import keyheader as kh
    from desktop.vault.database import open_vault, unlock

    with open_vault(vault_path, unlock(vault_path, passphrase, kh.unsafe_test_policy())) as vault:
        return CaseStore(vault).get(client_id).data.get("notes") or ""


def _wait_for_message(qtbot, since: int) -> tuple[str, str]:
    """The first message shown after ``since`` messages (the result or the failure), once the
    workers are done."""
    qtbot.waitUntil(lambda: len(dialogs.shown) > since and not ops.busy(), timeout=20000)
    return dialogs.shown[since]


def test_a_failed_save_goes_to_a_file_and_comes_back_from_the_menu(
    qtbot, unlocked, open_client, unlock_with, demo_vault, passphrase, tmp_path, no_backups
):
    window = unlocked
    client_id = open_client(window, "José").id
    notes = window.record.identity.editors["notes"].widget
    notes.setFocus()
    vault = window.session.vault
    vault.conn = FullDisk(vault.conn)  # the disk fills up
    dialogs.set_next_answer(True)  # “Not saved: the disk is full”
    QTest.keyClicks(notes, " Trae la constancia 5523")
    qtbot.wait(AUTOSAVE_MS * 2)
    assert window.session.has_pending and "disk is full" in dialogs.shown[-1][1]

    target = tmp_path / "unsaved.age"
    dialogs.set_next_answer(target)
    dialogs.set_next_answer(lambda d: (d.first.setText(FILE_PASSPHRASE), d.second.setText(FILE_PASSPHRASE)))
    dialogs.set_next_answer(True)  # “saved to …”
    window.save_failure.button.click()
    assert target.is_file()
    window.lock()  # the edits are in the file: locking asks nothing, and they are not in the vault
    assert window.session is None
    qtbot.waitUntil(lambda: window.vault._closing is None, timeout=10000)  # closed off the GUI thread
    vault.conn = getattr(vault.conn, "_conn", vault.conn)
    assert not _read_notes(demo_vault, passphrase, client_id).endswith("5523")  # the disk recovers

    unlock_with(window, passphrase)
    assert window.session is not None and window.act_apply_unsaved.isEnabled()
    seen: list[ue.Plan] = []
    dialogs.set_next_answer(target)  # the file
    dialogs.set_next_answer(lambda d: d.passphrase.setText(FILE_PASSPHRASE))
    dialogs.set_next_answer(lambda d: seen.append(d.plan) or d.grab().save(str(tmp_path / "plan-en.png")))
    dialogs.set_next_answer(True)  # “Applied 1 …”
    since = len(dialogs.shown)
    window.act_apply_unsaved.trigger()
    assert _wait_for_message(qtbot, since) == ("info", "Applied 1, already there 0, cannot apply 0.")
    [plan] = seen
    assert [item.status for item in plan] == [ue.APPLIES] and not plan.other_vault
    assert plan.items[0].client.startswith("José")
    assert (tmp_path / "plan-en.png").stat().st_size > 0
    assert window.isEnabled() and window.menuBar().isEnabled()  # the hold is over
    assert window.record.identity.editors["notes"].widget.toPlainText().endswith("Trae la constancia 5523")

    # applying it again changes nothing
    dialogs.set_next_answer(target)
    dialogs.set_next_answer(lambda d: d.passphrase.setText(FILE_PASSPHRASE))
    dialogs.set_next_answer(lambda d: seen.append(d.plan) or d.apply_button.isEnabled() or None)
    window.act_apply_unsaved.trigger()
    qtbot.waitUntil(lambda: len(seen) == 2 and not ops.busy())
    assert [item.status for item in seen[1]] == [ue.ALREADY]
    window.lock()
    qtbot.waitUntil(lambda: window.vault._closing is None, timeout=10000)
    assert _read_notes(demo_vault, passphrase, client_id).endswith("Trae la constancia 5523")


def test_a_wrong_file_passphrase_is_reported_and_nothing_changes(qtbot, unlocked, tmp_path):
    session = unlocked.session
    client = session.store.clients()[0]
    target = tmp_path / "unsaved.age"
    ue.write(target, ue.build_document({(client.id, "notes"): "x"}, session.store, None), FILE_PASSPHRASE)
    before = session.store.snapshot()
    dialogs.set_next_answer(target)
    dialogs.set_next_answer(lambda d: d.passphrase.setText("not the passphrase of the file"))
    dialogs.set_next_answer(True)  # the failure dialog
    unlocked.act_apply_unsaved.trigger()
    kind, text = _wait_for_message(qtbot, 0)
    assert kind == "error" and "cannot be opened with this passphrase" in text
    assert session.store.snapshot() == before and unlocked.menuBar().isEnabled()


def test_the_plan_dialog_in_both_languages(qtbot, unlocked, languages, tmp_path):
    """The dialog for a file from another vault: one change to apply, one already there, one lost
    and one refused (Apply is then disabled); rendered in English and Spanish."""
    from ui.unsaved_ui import PlanDialog

    store = unlocked.session.store
    client = store.clients()[0]
    family = store.children(client.id, "family_member")[0]
    lost = "lost-in-a-salvage"
    changes = [
        (client.id, "notes", "Nueva"),
        (client.id, "given_names", client.data["given_names"]),  # already there
        (family.id, "whereabouts", "Con su tía"),
        (lost, "notes", "x"),
        (family.id, "date_of_birth", "2019-13-45"),  # refused
    ]
    doc = {
        "format": ue.FORMAT,
        "version": 1,
        "vault_id": "00000000-0000-4000-8000-000000000000",
        "edits": [
            {"record_id": rid, "path": path, "value": value, "client": "Ana Ejemplo" if rid == lost else None}
            for rid, path, value in changes
        ],
    }
    edits = ue.parse(json.dumps(doc).encode())
    plan = ue.plan(store, edits)
    for lang in ("en", "es"):
        languages.set_language(lang)
        dialog = PlanDialog(unlocked, plan)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.model.rowCount() == 5 and dialog.model.columnCount() == 3
        assert not dialog.apply_button.isEnabled() and dialog.warning.isVisible()
        header = dialog.model.headerData(0, Qt.Orientation.Horizontal)
        assert header == {"en": "Client", "es": "Cliente"}[lang]
        field = dialog.model.data(dialog.model.index(2, 1))
        assert field == {"en": "Family member: Whereabouts now", "es": "Familiar: Paradero actual"}[lang]
        assert dialog.grab().save(str(tmp_path / f"plan-{lang}.png"))
        dialog.close()
        dialog.deleteLater()
    languages.set_language("en")
    assert [item.status for item in plan] == [ue.APPLIES, ue.ALREADY, ue.APPLIES, ue.CANNOT, ue.REFUSED]
    assert plan.other_vault and "change 5 of 5" in ue.refusal(plan).message()
