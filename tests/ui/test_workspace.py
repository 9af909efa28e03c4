"""The client list, the record, autosave, live language switch, lock, shortcuts."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from desktop.vault import keyheader as kh
from desktop.case.store import CaseStore
from desktop.vault.database import open_vault, unlock
from ui import dialogs


def wait_saved(qtbot, window):
    qtbot.waitUntil(lambda: window.session is not None and not window.session.has_pending, timeout=3000)


def test_list_shows_the_demo_clients_sorted_by_name(unlocked):
    model = unlocked.client_model
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == sorted(names)
    assert len(names) == 3
    assert unlocked.client_list.count.text() == "3 clients"


def test_search_jose_finds_jose_with_accent(qtbot, unlocked):
    qtbot.keyClicks(unlocked.client_list.search, "jose")
    unlocked.client_list.flush_search()
    model = unlocked.client_model
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "Martínez Núñez, José Ángel"
    assert unlocked.client_list.count.text() == "1 of 3"


def test_enter_in_search_opens_the_only_match(qtbot, unlocked):
    qtbot.keyClicks(unlocked.client_list.search, "calel")
    QTest.keyClick(unlocked.client_list.search, Qt.Key.Key_Return)
    assert unlocked.workspace.currentWidget() is unlocked.record
    assert unlocked.record.name_label.text() == "María Tomasa Calel Tzoc"


def test_double_click_opens_and_alt_left_goes_back(qtbot, unlocked, client_row):
    table = unlocked.client_list.table
    row = client_row(unlocked, "Daniel")
    rect = table.visualRect(unlocked.client_model.index(row, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert unlocked.record.client.data["given_names"].startswith("Daniel")
    QTest.keyClick(unlocked, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert unlocked.workspace.currentWidget() is unlocked.client_list


def test_edits_survive_closing_and_reopening(qtbot, unlocked, demo_vault, policy, open_client, passphrase):
    client = open_client(unlocked, "Daniel")
    field = unlocked.record.identity.editors["family_names"].widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Castillo (Marcadorzeta)")
    proceedings = unlocked.record.proceedings.editors["proceedings.next_hearing"].widget
    proceedings.setText("")
    qtbot.keyClicks(proceedings, "2027-01-20")
    wait_saved(qtbot, unlocked)
    assert "Saved at" in unlocked.saved_label.text()
    unlocked.close()
    with open_vault(demo_vault, unlock(demo_vault, passphrase, policy)) as vault:
        stored = CaseStore(vault).get(client.id)
    assert stored.data["family_names"] == "Castillo (Marcadorzeta)"
    assert stored.data["proceedings"]["next_hearing"] == "2027-01-20"
    assert stored.rev > client.rev


def test_autosave_within_a_second(qtbot, unlocked, open_client):
    open_client(unlocked, "José")
    field = unlocked.record.identity.editors["notes"].widget
    field.setFocus()
    qtbot.keyClicks(field, "Trae constancia")
    qtbot.waitUntil(lambda: not unlocked.session.has_pending, timeout=1000)
    assert unlocked.session.get(unlocked.record.client.id).data["notes"] == "Trae constancia"


def test_invalid_a_number_shows_an_error_and_keeps_the_text(qtbot, unlocked, languages, open_client):
    client = open_client(unlocked, "José")
    form = unlocked.record.identity
    field = form.editors["a_number"].widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "A 12-34")
    qtbot.waitUntil(lambda: form.has_error("a_number"), timeout=2000)
    assert "A-number" in form.error_text("a_number")
    assert field.text() == "A 12-34"
    assert unlocked.session.get(client.id).data["a_number"] == "205555041"  # nothing bad stored
    languages.set_language("es")
    assert "número A" in form.error_text("a_number")
    assert field.text() == "A 12-34"
    field.setText("")
    qtbot.keyClicks(field, "A 205-555-042")
    qtbot.waitUntil(lambda: not form.has_error("a_number"), timeout=2000)
    assert unlocked.session.get(client.id).data["a_number"] == "205555042"


def test_invalid_date_shows_an_error_and_keeps_the_text(qtbot, unlocked, open_client):
    open_client(unlocked, "José")
    form = unlocked.record.identity
    field = form.editors["date_of_birth"].widget
    field.setText("")
    qtbot.keyClicks(field, "1990-02-30")
    qtbot.waitUntil(lambda: form.has_error("date_of_birth"), timeout=2000)
    assert "1990-02-30" in form.error_text("date_of_birth")
    assert field.text() == "1990-02-30"


def test_live_switch_keeps_text_cursor_and_selection(qtbot, unlocked, languages, settings, open_client):
    open_client(unlocked, "María")
    unlocked.record.tabs.setCurrentIndex(0)
    field = unlocked.record.identity.editors["notes"].widget
    field.setFocus()
    qtbot.keyClicks(field, "Habla k'iche' y un poco de espa")
    cursor = field.textCursor()
    cursor.setPosition(6)
    cursor.setPosition(10, cursor.MoveMode.KeepAnchor)
    field.setTextCursor(cursor)
    tab_before = unlocked.record.tabs.tabText(0)
    QTest.keyClick(unlocked, Qt.Key.Key_F12)
    assert unlocked.record.tabs.tabText(0) != tab_before
    assert unlocked.menu_file.title() == "&Archivo"
    assert unlocked.act_language.text() == "English"
    assert unlocked.client_model.headerData(0, Qt.Orientation.Horizontal) == "Nombre"
    assert field.toPlainText() == "Habla k'iche' y un poco de espa"
    assert (field.textCursor().anchor(), field.textCursor().position()) == (6, 10)
    assert field.hasFocus()
    assert unlocked.workspace.currentWidget() is unlocked.record
    assert settings.language == "es"
    wait_saved(qtbot, unlocked)
    QTest.keyClick(unlocked, Qt.Key.Key_F12)
    assert unlocked.record.tabs.tabText(0) == tab_before


def test_list_content_is_translated_live(qtbot, unlocked, languages, client_row):
    row = client_row(unlocked, "Daniel")
    index = unlocked.client_model.index(row, 3)
    assert index.data() == "Detained"
    languages.set_language("es")
    assert index.data() == "En detención"
    hearing = unlocked.client_model.index(row, 4)
    assert hearing.data() == "8 dic 2026"  # the medium format: a narrow column (issue 21)
    assert "diciembre" in hearing.data(Qt.ItemDataRole.ToolTipRole)


def test_lock_now_clears_everything_and_unlock_returns_to_the_field(
    qtbot, unlocked, open_client, unlock_with, passphrase
):
    open_client(unlocked, "Daniel")
    unlocked.record.tabs.setCurrentIndex(1)
    field = unlocked.record.proceedings.editors["proceedings.court"].widget
    field.setFocus()
    qtbot.keyClicks(field, " (sala 2)")
    QTest.keyClick(unlocked, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert unlocked.session is None
    assert unlocked.pages.currentWidget() is unlocked.unlock_page
    assert unlocked.unlock_page.title.text() == "Declara is locked"
    assert unlocked.client_model.rowCount() == 0
    assert unlocked.record.client is None
    assert unlocked.record.identity.editors["given_names"].widget.text() == ""
    assert unlocked.record.family.model.rowCount() == 0
    unlock_with(unlocked, passphrase)
    assert unlocked.workspace.currentWidget() is unlocked.record
    assert unlocked.record.client.data["given_names"].startswith("Daniel")
    assert unlocked.record.tabs.currentIndex() == 1
    assert unlocked.record.proceedings.editors["proceedings.court"].widget.hasFocus()
    assert unlocked.record.client.data["proceedings"]["court"].endswith("(sala 2)")  # saved before locking


def test_idle_lock(qtbot, make_window, demo_vault, open_client, unlock_with, passphrase):
    window = make_window(idle_msec=300)
    window.start(demo_vault)
    unlock_with(window, passphrase)
    open_client(window, "María")
    window.record.tabs.setCurrentIndex(3)
    with qtbot.waitSignal(window.locked, timeout=3000):
        pass
    assert window.record.client is None and window.client_model.rowCount() == 0
    assert window.pages.currentWidget() is window.unlock_page
    unlock_with(window, passphrase)
    assert window.record.client.data["given_names"].startswith("María")
    assert window.record.tabs.currentIndex() == 3


def test_lock_clears_text_copied_from_the_app(qtbot, unlocked, open_client):
    open_client(unlocked, "José")
    field = unlocked.record.identity.editors["family_names"].widget
    unlocked.activateWindow()
    field.setFocus()
    field.selectAll()
    field.copy()
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == "Martínez Núñez"
    unlocked.lock()
    assert clipboard.text() == ""


def test_lock_leaves_other_clipboard_text_alone(qtbot, unlocked):
    clipboard = QGuiApplication.clipboard()
    unlocked.lock()  # nothing copied from the app
    clipboard.setText("from another program")
    assert clipboard.text() == "from another program"


def test_new_client_by_keyboard(qtbot, unlocked):
    def fill(dialog):
        dialog.given.setText("Zoila")
        dialog.family.setText("Ávalos")
        dialog.a_number.setText("206555099")

    dialogs.set_next_answer(fill)
    QTest.keyClick(unlocked, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert unlocked.workspace.currentWidget() is unlocked.record
    assert unlocked.record.name_label.text() == "Zoila Ávalos"
    assert unlocked.record.subtitle.text().startswith("A 206-555-099")
    QTest.keyClick(unlocked, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert unlocked.client_model.rowCount() == 4


def test_family_member_add_edit_delete_undo(qtbot, unlocked, open_client):
    client = open_client(unlocked, "José")
    QTest.keyClick(unlocked, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    section = unlocked.record.family
    assert unlocked.record.tabs.currentWidget() is section
    before = section.model.rowCount()
    section.add_button.click()
    assert section.model.rowCount() == before + 1
    form = section.form
    form.editors["given_names"].widget.setFocus()
    qtbot.keyClicks(form.editors["given_names"].widget, "Rosa")
    qtbot.keyClicks(
        form.editors["separation.reason_recorded"].widget,
        "parent has a criminal history (U.S. or home country)",
    )
    wait_saved(qtbot, unlocked)
    members = unlocked.session.children(client.id, "family_member")
    added = [m for m in members if m.data.get("given_names") == "Rosa"]
    assert added and added[0].data["separation"]["reason_recorded"].startswith("parent has")
    section.delete_button.click()
    assert section.model.rowCount() == before
    QTest.keyClick(unlocked, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert section.model.rowCount() == before + 1


def test_allegation_with_rebuttal_items(qtbot, unlocked, open_client):
    client = open_client(unlocked, "José")
    unlocked.record.tabs.setCurrentIndex(3)
    allegations = unlocked.record.allegations
    assert allegations.model.rowCount() == 1
    rebuttal = unlocked.record.rebuttal
    assert rebuttal.model.rowCount() >= 2  # the demo file's items for this allegation
    combo = allegations.form.editors["source_program"].widget
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Joint Border Intelligence Group (GCIF)" in labels and "Other" in labels
    rebuttal.add_button.click()
    wait_saved(qtbot, unlocked)
    allegation_id = allegations.current_id()
    assert len(unlocked.session.children(client.id, "rebuttal", allegation_id)) == rebuttal.model.rowCount()


def test_foia_due_date_and_overdue_marker(qtbot, unlocked, open_client):
    open_client(unlocked, "María")
    unlocked.record.tabs.setCurrentIndex(4)
    model = unlocked.record.foia.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    due_column = headers.index("Answer due or valid until")
    texts = [model.index(r, due_column).data() for r in range(model.rowCount())]
    assert any(t.startswith("Overdue since") for t in texts)  # marked in words, not colour alone
    assert all(t for t in texts)


def test_export_and_import_through_the_window(qtbot, unlocked, tmp_path, open_client):
    client = open_client(unlocked, "Daniel")
    out = tmp_path / "daniel.json"
    dialogs.set_next_answer(out)
    dialogs.set_next_answer(True)  # the "exported" notice
    QTest.keyClick(unlocked, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    doc = json.loads(out.read_text())
    assert doc["client"]["given_names"] == client.data["given_names"]
    assert any("not encrypted" in text for kind, text in dialogs.shown)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "declara-case", "version": 1, "client": {}}')
    dialogs.set_next_answer(bad)
    dialogs.set_next_answer(True)  # the error box
    QTest.keyClick(unlocked, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert any("given_names" in text for kind, text in dialogs.shown)
    QTest.keyClick(unlocked, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert unlocked.client_model.rowCount() == 3


def test_window_title_never_names_a_client(qtbot, unlocked, open_client):
    open_client(unlocked, "Daniel")
    assert unlocked.windowTitle() == "Declara"


def test_shortcuts_are_listed_in_help(qtbot, unlocked):
    dialogs.set_next_answer(True)
    QTest.keyClick(unlocked, Qt.Key.Key_F1)
    text = dialogs.shown[-1][1]
    for keys in ("Ctrl+N", "Ctrl+L", "F12", "Ctrl+F", "Alt+Left"):
        assert keys in text


def test_demo_passphrase_vault_uses_the_test_policy(demo_vault):
    # Guard: the fixtures never weaken the application's own policy.
    assert kh.PRODUCTION.floor.memory_kib == 256 * 1024


def test_qt_standard_buttons_follow_the_language(qtbot, unlocked, languages):
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.new_client import NewClientDialog

    languages.set_language("es")
    dialog = NewClientDialog(unlocked)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "")
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
    assert (ok, cancel) == ("Aceptar", "Cancelar")  # Qt's own qtbase_es catalog
    assert dialog.windowTitle() == "Nuevo cliente"


def test_facility_type_ahead_offers_the_ice_list(qtbot, unlocked, open_client):
    open_client(unlocked, "José")
    field = unlocked.record.identity.editors["custody.facility"].widget
    completer = field.completer()
    completer.setCompletionPrefix("pearsall")
    matches = [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]
    assert "South Texas ICE Processing Center, Pearsall, TX" in matches
    completer.popup().hide()
    field.setText("Centro de detención propio, Ciudad X")  # free text is accepted too
    field.textEdited.emit(field.text())
    wait_saved(qtbot, unlocked)
    stored = unlocked.session.get(unlocked.record.client.id)
    assert stored.data["custody"]["facility"] == "Centro de detención propio, Ciudad X"


def test_idle_delay_is_chosen_in_the_menu_and_remembered(qtbot, unlocked, settings):
    assert settings.idle_minutes == 5 and unlocked.vault.idle_actions[5].isChecked()
    unlocked.vault.idle_actions[15].trigger()
    assert settings.idle_minutes == 15
    assert unlocked.vault.idle.timer.interval() == 15 * 60_000
    assert unlocked.vault.idle_actions[15].isChecked() and not unlocked.vault.idle_actions[5].isChecked()


def test_file_dialog_history_is_forgotten(qtbot, tmp_path, monkeypatch):
    """Qt's own file dialog writes recent paths to QtProject.conf; Declara erases them."""
    from PySide6.QtCore import QSettings

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    settings = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "QtProject")
    settings.setValue("FileDialog/history", ["/home/attorney/Ana-Perez-Gomez"])
    settings.setValue("FileDialog/lastVisited", "file:///home/attorney/Ana-Perez-Gomez")
    settings.sync()
    conf = tmp_path / "QtProject.conf"
    assert "Ana-Perez" in conf.read_text()
    dialogs.forget_file_dialog_history()
    assert "Ana-Perez" not in conf.read_text()


def test_every_tab_fits_a_1366_pixel_laptop_screen_in_both_languages(qtbot, unlocked, languages):
    """The widest page sets the window's minimum width: in Spanish the declaration tab's status
    line and the relief checkboxes in a row once made it 1,534 pixels."""
    client = unlocked.session.store.clients()[0]
    unlocked.clients.open_client(client.id)
    for lang in ("en", "es"):
        languages.set_language(lang)
        for index in range(unlocked.record.tabs.count()):
            unlocked.record.tabs.setCurrentIndex(index)
            qtbot.wait(1)
            width = unlocked.minimumSizeHint().width()
            assert width <= 1280, (lang, unlocked.record.tabs.tabText(index), width)
