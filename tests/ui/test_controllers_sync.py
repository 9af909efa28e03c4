"""The sync controller: the card is written in the one card form, a damaged card is refused, no
export without a trusted vault, and the record is read again after the conflicts view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop import sync
from ui import dialogs


def test_the_card_is_written_as_the_command_line_writes_it(unlocked, tmp_path):
    path = tmp_path / "card.json"
    dialogs.set_next_answer(path)
    dialogs.set_next_answer(True)  # the fingerprint notice
    unlocked.sync.act_card.trigger()
    me = sync.identity(unlocked.session.vault)
    assert path.read_bytes() == sync.card_bytes(me.card())
    assert me.fingerprint in dialogs.shown[-1][1]


def test_a_damaged_card_is_refused_and_nothing_is_trusted(unlocked, tmp_path):
    card = tmp_path / "card.json"
    card.write_text('{"format": "declara-card", "name": "x"}')
    dialogs.set_next_answer(card)
    dialogs.set_next_answer(True)  # the error box
    unlocked.sync.act_trust.trigger()
    assert dialogs.shown[-1][0] == "error"
    assert sync.peers(unlocked.session.vault) == []


def test_no_export_without_a_trusted_vault(unlocked):
    dialogs.set_next_answer(True)  # the notice
    QTest.keyClick(
        unlocked, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    kind, text = dialogs.shown[-1]
    assert kind == "info" and "Trust the other vault's card first" in text
    assert unlocked.centralWidget().isEnabled()  # nothing was held


def test_after_the_conflicts_view_the_open_record_is_read_again(unlocked, open_client):
    daniel = open_client(unlocked, "Daniel")
    unlocked.session.store.set_field(daniel.id, "family_names", "Castillo (from the other vault)")

    def look(dialog):
        assert dialog.model.rowCount() == 0

    dialogs.set_next_answer(look)
    unlocked.sync.act_conflicts.trigger()
    field = unlocked.record.identity.editors["family_names"].widget
    assert field.text() == "Castillo (from the other vault)"
