"""Long unbroken text stays responsive (issue 18, finding 7): the views lay out a capped preview,
wrap long runs anywhere and elide names in titles and lists, while the value they hold, and what an
edit stores, is the whole text. (No timing asserts: the times are in the report.)"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextOption

from desktop.case.store import CaseStore
from ui import dialogs, longtext


def _force(vault_path, passphrase, policy, field: str, text: str) -> str:
    """Write ``text`` into the demo client José's ``field`` past the store's limits (as an older
    vault, or another tool, may hold it); his id."""
    from desktop.vault.database import open_vault, unlock

    with open_vault(vault_path, unlock(vault_path, passphrase, policy)) as vault:
        store = CaseStore(vault)
        ids = [row[0] for row in vault.conn.execute("SELECT id FROM records WHERE kind = 'client'")]
        client = next(c for c in map(store.get, ids) if c.data["given_names"].startswith("José"))
        with vault.transaction():
            vault.conn.execute(
                "UPDATE records SET data = json_set(data, ?, ?) WHERE id = ?", (f"$.{field}", text, client.id)
            )
    return client.id


@pytest.fixture
def with_text(make_window, demo_vault, passphrase, policy, unlock_with):
    """``with_text(field, text)``: the window with José's record open, ``field`` holding ``text``."""

    def open_with(field: str, text: str):
        client_id = _force(demo_vault, passphrase, policy, field, text)
        window = make_window()
        window.start(demo_vault)
        unlock_with(window, passphrase)
        window.clients.open_client(client_id)
        return window

    return open_with


def test_long_notes_show_a_capped_preview_and_keep_the_whole_value(qtbot, with_text):
    whole = "x" * 1_200_000  # one unbroken run, past the store's own limit
    window = with_text("notes", whole)
    editor = window.record.identity.editors["notes"]
    widget = editor.widget
    assert editor.previewing and editor.value() == whole  # the view holds the whole value
    assert len(widget.toPlainText()) <= longtext.PREVIEW_CHARS + 1  # what is laid out is capped
    assert widget.isReadOnly() and editor.long_bar.isVisible()
    assert "1,200,000" in editor.long_note.text()
    assert widget.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    assert not window.session.has_pending  # opening edited nothing


def test_show_all_edits_the_whole_text_losslessly(qtbot, with_text):
    whole = "Relato " + "y" * 300_000
    window = with_text("notes", whole)
    editor = window.record.identity.editors["notes"]
    seen: list[int] = []

    def add_a_line(dialog):
        [edit] = dialog.edits.values()
        seen.append(len(edit.toPlainText()))
        assert edit.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
        edit.setPlainText(edit.toPlainText() + "\nFin.")

    dialogs.set_next_answer(add_a_line)
    editor.show_all.click()
    assert seen == [len(whole)]  # the dialog had all of it
    window.session.flush()
    stored = window.session.get(window.record.client.id).data["notes"]
    assert stored == whole + "\nFin."  # nothing cut by the view
    assert editor.previewing and editor.value() == stored


def test_a_long_unbroken_name_is_elided_in_the_title_and_the_list(qtbot, with_text):
    whole = "N" * 1_048_576
    window = with_text("given_names", whole)
    record = window.record
    assert len(record.name_label.text()) <= longtext.LABEL_CHARS
    editor = record.identity.editors["given_names"]
    assert editor.previewing and editor.value() == whole and editor.widget.isReadOnly()
    assert len(editor.widget.text()) <= longtext.LINE_PREVIEW_CHARS + 1


def test_the_client_list_elides_a_long_name(qtbot, unlocked):
    from datetime import date

    from desktop.case.clients import ClientRow

    whole = "N" * 1_048_576
    row = ClientRow(
        ("c1", whole, "Prueba", whole.casefold(), None, "F" * 300_000, None, None, None) + (None,) * 8,
        date(2026, 1, 5),
    )
    model = unlocked.client_model
    model.set_loader(lambda: [row])
    shown = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert shown[0].endswith("…") and all(len(text) <= longtext.LABEL_CHARS for text in shown)
    assert model.client_at(0).given_names == whole  # the row itself is whole


def test_a_one_line_field_past_qts_own_limit_is_not_cut(qtbot, with_text):
    whole = "g" * 40_000  # a QLineEdit keeps at most 32,767 characters
    window = with_text("family_names", whole)
    editor = window.record.identity.editors["family_names"]
    assert editor.value() == whole


def test_ordinary_text_stays_editable_and_a_long_run_wraps_anywhere(qtbot, with_text):
    text = "Vive en Soyapango con su madre. " + "z" * (longtext.LONG_TOKEN + 10)
    window = with_text("notes", text)
    editor = window.record.identity.editors["notes"]
    widget = editor.widget
    assert not editor.previewing and not widget.isReadOnly() and not editor.long_bar.isVisible()
    assert widget.toPlainText() == text
    assert widget.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    widget.setPlainText("Vive en Soyapango con su madre.")  # as typed: prose wraps at words again
    assert widget.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def test_elide():
    assert longtext.elide("Ana") == "Ana"
    cut = longtext.elide("a" * 1000, 10)
    assert cut == "a" * 9 + "…" and len(cut) == 10


def test_a_value_longer_than_its_field_shows_its_start(qtbot, unlocked, open_client):
    """A narrow field (the rebuttal panel at 1,366 pixels) shows the beginning of a long value, not
    its end: "Policía Nacional Civil — …", not "…cía Nacional Civil — Antecedentes"."""
    open_client(unlocked, "José")
    form = unlocked.record.identity
    edit = form.editors["family_names"].widget
    unlocked.record.tabs.setFocus()  # not the field being typed in (that one keeps its cursor)
    form.set_data({**unlocked.record.client.data, "family_names": "Martínez Núñez " * 12})
    assert edit.text().startswith("Martínez Núñez") and edit.cursorPosition() == 0
    edit.setFocus()  # focused by the program (a place restored): typing continues at the end
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    assert edit.cursorPosition() == len(edit.text())
