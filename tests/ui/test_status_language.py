"""A status-bar message is said again in the new language when the interface language changes while
it shows (issue 21), and a message that has timed out stays gone. Real window over the demo vault."""

from __future__ import annotations

from desktop.i18n import translator


def test_a_status_message_follows_a_language_switch(qtbot, unlocked, open_client, languages):
    client = open_client(unlocked, "José")
    family = unlocked.session.children(client.id, "family_member")[0]
    unlocked.clients.delete_record(family.id)
    bar = unlocked.statusBar()
    english = "Deleted. Press Ctrl+Z to undo."
    assert bar.currentMessage() == english
    languages.set_language("es")
    spanish = translator("es")(english)
    assert spanish != english and bar.currentMessage() == spanish
    languages.set_language("en")
    assert bar.currentMessage() == english


def test_a_message_that_timed_out_is_not_brought_back(qtbot, unlocked, languages):
    unlocked.clients.status(lambda: "x", 1)
    qtbot.waitUntil(lambda: not unlocked.statusBar().currentMessage(), timeout=2000)
    languages.set_language("es")
    assert unlocked.statusBar().currentMessage() == ""
