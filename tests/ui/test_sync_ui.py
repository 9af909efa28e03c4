"""Sync from the window: card, trust, export for the office, import back, conflicts view."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop import sync
from desktop.case.store import CaseStore
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault
from ui import dialogs

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def export_sync_file(window):
    QTest.keyClick(window, Qt.Key.Key_S, CTRL_SHIFT)


def import_sync_file(window):
    QTest.keyClick(window, Qt.Key.Key_O, CTRL_SHIFT)


def test_laptop_window_to_office_and_back_with_a_conflict(qtbot, unlocked, tmp_path, passphrase):
    office = create_vault(tmp_path / "office.declara", passphrase, kh.unsafe_test_policy())
    try:
        sync.make_office(office, name="Oficina central")
        office_card = tmp_path / "office-card.json"
        office_card.write_text(json.dumps(sync.identity(office).card()))

        # the laptop (the window) shows its card and trusts the office's, after comparing fingerprints
        laptop_card = tmp_path / "laptop-card.json"
        dialogs.set_next_answer(laptop_card)
        dialogs.set_next_answer(True)  # the notice with the fingerprint
        unlocked.sync.act_card.trigger()
        assert sync.identity(unlocked.session.vault).fingerprint in dialogs.shown[-1][1]
        dialogs.set_next_answer(office_card)
        dialogs.set_next_answer(True)  # "trust this card?"
        unlocked.sync.act_trust.trigger()
        assert [p.name for p in sync.peers(unlocked.session.vault)] == ["Oficina central"]
        sync.trust(office, sync.read_card(laptop_card))

        # export for the office, in a worker thread
        out = tmp_path / "to-office.age"
        dialogs.set_next_answer(True)  # the peer dialog
        dialogs.set_next_answer(out)
        dialogs.set_next_answer(True)  # "sync file written"
        export_sync_file(unlocked)
        qtbot.waitUntil(lambda: out.exists() and unlocked.centralWidget().isEnabled(), timeout=10000)
        result = sync.import_sync(office, out.read_bytes())
        assert result.added > 0 and result.conflicts == 0
        office_store = CaseStore(office)
        assert {c.data["given_names"] for c in office_store.clients()} >= {"José Ángel", "Daniel Alejandro"}

        # the same field changed on both sides: one conflict, nothing lost
        jose_office = next(c for c in office_store.clients() if c.data["given_names"] == "José Ángel")
        office_store.set_field(jose_office.id, "gender", "male (office)")
        unlocked.session.store.set_field(jose_office.id, "gender", "male (laptop)")
        back = tmp_path / "to-laptop.age"
        sync.export_sync(office, sync.identity(unlocked.session.vault).device_id, out=back)
        dialogs.set_next_answer(back)
        dialogs.set_next_answer(True)  # the import summary

        def decide(dialog):
            assert dialog.model.rowCount() == 1
            conflict = dialog.model.conflicts[0]
            assert conflict.local == "male (laptop)" and conflict.theirs == "male (office)"
            assert dialog.theirs.isEnabled()
            assert dialog.resolve("theirs")
            assert dialog.model.rowCount() == 0

        dialogs.set_next_answer(decide)
        reported: list[tuple[int, int]] = []
        unlocked.sync.import_progress.connect(lambda done, total: reported.append((done, total)))
        import_sync_file(unlocked)
        qtbot.waitUntil(
            lambda: unlocked.centralWidget().isEnabled() and not sync.list_conflicts(unlocked.session.vault),
            timeout=10000,
        )
        assert unlocked.session.get(jose_office.id).data["gender"] == "male (office)"
        assert reported and reported[-1][0] == reported[-1][1] > 0  # the status bar counted up to the end
        assert any("conflicts 1" in text for _k, text in dialogs.shown)
    finally:
        office.close()


def test_case_packet_of_the_open_client(qtbot, unlocked, tmp_path, passphrase, open_client):
    other = create_vault(tmp_path / "other.declara", passphrase, kh.unsafe_test_policy())
    sync.make_office(other)  # a laptop sends sync files to the office only (issue 19)
    try:
        sync.trust(other, sync.identity(unlocked.session.vault).card())
        sync.trust(unlocked.session.vault, sync.identity(other).card())
        maria = open_client(unlocked, "María").id
        out = tmp_path / "packet.age"

        def only_this_client(dialog):
            assert "María Tomasa Calel Tzoc" in dialog.packet.text()
            dialog.packet.setChecked(True)

        dialogs.set_next_answer(only_this_client)
        dialogs.set_next_answer(out)
        dialogs.set_next_answer(True)
        export_sync_file(unlocked)
        qtbot.waitUntil(lambda: out.exists() and unlocked.centralWidget().isEnabled(), timeout=10000)
        sync.import_sync(other, out.read_bytes(), backup=False)
        assert {r.id for r in CaseStore(other).clients()} == {maria}
    finally:
        other.close()


def test_import_of_an_unreadable_file_says_so_and_keeps_the_window(qtbot, unlocked, tmp_path):
    """The file is read in the worker: a missing file is a clear error, the vault stays open."""
    dialogs.set_next_answer(tmp_path / "gone.age")
    dialogs.set_next_answer(True)  # the error box
    before = len(dialogs.shown)
    import_sync_file(unlocked)
    qtbot.waitUntil(
        lambda: unlocked.centralWidget().isEnabled() and len(dialogs.shown) > before, timeout=10000
    )
    assert [k for k, _t in dialogs.shown[before:]] == ["error"]
    assert "could not be read" in dialogs.shown[-1][1]
    assert unlocked.session is not None and unlocked.menuBar().isEnabled()


def test_import_progress_is_worded_and_numbered_in_the_interface_language(unlocked, languages):
    unlocked.sync.show_import_progress(120000, 582000)
    assert unlocked.saved_label.text() == "Importing the sync file: 120,000 of 582,000 records…"
    languages.set_language("es")
    unlocked.sync.show_import_progress(120000, 582000)
    expected = "Importando el archivo de sincronización: 120.000 de 582.000 registros…"
    assert unlocked.saved_label.text() == expected


def test_nothing_closes_the_vault_under_an_import(qtbot, unlocked, tmp_path, monkeypatch):
    """During an import: every action but the language switch and Quit is off, Ctrl+L does
    nothing, and closing the window waits for the import, then closes."""
    import threading

    release = threading.Event()
    started = threading.Event()

    def slow_import(vault, raw, **kw):
        started.set()
        release.wait(10)
        return sync.ImportResult(sender="Oficina", seq=1, already_applied=True)

    monkeypatch.setattr(sync, "check_sync_path", lambda path: path)
    monkeypatch.setattr(sync, "import_sync", slow_import)
    dialogs.set_next_answer(tmp_path / "file.age")
    import_sync_file(unlocked)
    qtbot.waitUntil(started.is_set, timeout=5000)
    enabled = {a.objectName() for a in unlocked.actions() if a.isEnabled()}
    assert enabled == {"actLanguage", "actQuit"}
    unlocked.lock()
    unlocked.close()
    assert unlocked.session is not None and unlocked.isVisible()
    assert "close when the sync file is done" in unlocked.saved_label.text()
    dialogs.set_next_answer(True)  # "already imported"
    release.set()
    qtbot.waitUntil(lambda: not unlocked.isVisible(), timeout=5000)
    assert unlocked.session is None
