"""The controllers' actions in the window: each enabled only when it can act, its slot guarded the
same way, the menus and the toolbar assembled from them, and all held while a worker runs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest

from ui import dialogs
from ui.main_window import SHORTCUTS

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def start_visit_by_keyboard():
    def start(window):
        dialogs.set_next_answer(True)  # the start-visit dialog as it comes
        QTest.keyClick(window, Qt.Key.Key_V, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert window.in_visit

    return start


def enabled(window):
    return {a.objectName() for a in window.actions() if a.isEnabled()}


ALWAYS = {"actLanguage", "actQuit", "actShortcuts", "actAbout"}
WITH_A_VAULT = {
    "actNewClient",
    "actImport",
    "actFind",
    "actLock",
    "actSyncExport",
    "actSyncImport",
    "actSyncCard",
    "actSyncTrust",
    "actConflicts",
    "actBackups",
    "actApplyUnsaved",
    "actRecoveryCode",
    "actRecoveryOffice",
    "actRekey",
    "actSyncDevices",
}
#: On the office's vault only, with clients selected in the list (tests/ui/test_assign_ui.py).
OFFICE_WITH_A_SELECTION = {"actAssign", "actUnassign"}
ON_A_RECORD = {"actExport", "actTimeline", "actBack", "actImportDocuments"} | {
    f"actSection{i}" for i in range(1, 12)  # the eleventh: Custody (issue 22)
}


def test_without_a_vault_only_what_needs_none(qtbot, make_window, tmp_path):
    window = make_window()
    window.start(tmp_path / "nothing.declara")
    assert enabled(window) == ALWAYS  # a visit needs a vault: no action that needs one is on
    # the guarded slots do nothing (no dialog opens: an unscripted one would fail the test)
    assert window.clients.new_client() is None
    window.visits.start_visit()
    window.sync.export()
    window.chronology.export_timeline()
    QTest.keyClick(window, Qt.Key.Key_N, CTRL)
    assert window.session is None and window.pages.currentWidget() is window.welcome


def test_what_each_page_allows(qtbot, unlocked, open_client, start_visit_by_keyboard):
    assert enabled(unlocked) == ALWAYS | WITH_A_VAULT | {"actStartVisit"}
    open_client(unlocked, "José")
    assert enabled(unlocked) == ALWAYS | WITH_A_VAULT | ON_A_RECORD | {"actStartVisit"}
    start_visit_by_keyboard(unlocked)
    assert enabled(unlocked) == ALWAYS | WITH_A_VAULT  # no second visit, no record actions
    QTest.keyClick(unlocked.visit_page.back_button, Qt.Key.Key_Space)
    assert unlocked.on_record
    QTest.keyClick(unlocked, Qt.Key.Key_Left, ALT)
    assert unlocked.on_list and enabled(unlocked) == ALWAYS | WITH_A_VAULT | {"actStartVisit"}
    QTest.keyClick(unlocked, Qt.Key.Key_L, CTRL)
    assert enabled(unlocked) == ALWAYS  # locked: the unlock page


def test_undo_only_after_a_delete(qtbot, unlocked, open_client):
    open_client(unlocked, "José")
    assert not unlocked.clients.act_undo.isEnabled()
    QTest.keyClick(unlocked, Qt.Key.Key_3, CTRL)
    family = unlocked.record.family
    family.table.selectRow(0)
    family.delete_button.click()
    assert unlocked.clients.act_undo.isEnabled()
    assert "Ctrl+Z" in unlocked.statusBar().currentMessage()
    QTest.keyClick(unlocked, Qt.Key.Key_Z, CTRL)
    assert not unlocked.clients.act_undo.isEnabled()
    assert unlocked.statusBar().currentMessage() == "Restored."


def test_record_actions_do_nothing_from_the_list(qtbot, unlocked, open_client):
    open_client(unlocked, "José")
    QTest.keyClick(unlocked, Qt.Key.Key_Left, ALT)
    QTest.keyClick(unlocked, Qt.Key.Key_3, CTRL)  # disabled: the list stays
    QTest.keyClick(unlocked, Qt.Key.Key_E, CTRL)  # no export dialog (it would fail the test)
    assert unlocked.on_list


def test_a_hold_leaves_only_the_language_and_quit_then_gives_back_what_the_page_allows(unlocked):
    unlocked.hold(True, "Working…")
    assert enabled(unlocked) == {"actLanguage", "actQuit"}
    assert not unlocked.menuBar().isEnabled() and not unlocked.centralWidget().isEnabled()
    assert unlocked.saved_label.text() == "Working…"
    assert not unlocked.vault.idle.timer.isActive()  # no idle lock under a worker
    unlocked.update_actions()  # a page change meanwhile does not undo the hold
    assert enabled(unlocked) == {"actLanguage", "actQuit"}
    unlocked.hold(False)
    assert enabled(unlocked) == ALWAYS | WITH_A_VAULT | {"actStartVisit"}
    assert unlocked.menuBar().isEnabled() and unlocked.vault.idle.timer.isActive()


def test_menus_and_toolbar_are_the_controllers_actions(unlocked):
    window = unlocked
    file_actions = [a for a in window.menu_file.actions() if not a.isSeparator() and a.menu() is None]
    assert file_actions == [
        window.clients.act_new,
        window.visits.act_visit,
        window.clients.act_import,
        window.clients.act_export,
        window.documents.act_import,
        window.chronology.act_timeline,
        window.act_backups,
        window.act_apply_unsaved,
        window.vault.act_lock,
        window.act_quit,
    ]
    recovery = [a for a in window.recovery.menu.actions() if not a.isSeparator()]
    assert recovery == [window.recovery.act_code, window.recovery.act_office, window.recovery.act_rekey]
    sync = [a for a in window.menu_sync.actions() if not a.isSeparator()]
    assert sync == [
        window.sync.act_export,
        window.sync.act_import,
        window.sync.act_conflicts,
        window.sync.act_card,
        window.sync.act_trust,
        window.assign.act_devices,
        window.assign.act_assign,
        window.assign.act_unassign,
    ]
    assert window.menu_sections.actions() == window.clients.section_actions
    assert window.menu_idle.actions() == list(window.vault.idle_actions.values())
    toolbar = [a for a in window.toolbar.actions() if a.text()]
    assert toolbar == [
        window.clients.act_new,
        window.visits.act_visit,
        window.clients.act_back,
        window.act_language,
        window.vault.act_lock,
    ]


def test_every_shortcut_is_listed_in_help(unlocked):
    listed = {keys for keys, _what in SHORTCUTS}
    for action in unlocked.actions():
        for shortcut in action.shortcuts():
            keys = shortcut.toString()
            if keys.startswith("Ctrl+") and keys[-1].isdigit():
                keys = "Ctrl+1 … Ctrl+9"
            assert keys in listed, (action.objectName(), keys)


def test_action_texts_follow_the_language(unlocked, languages):
    languages.set_language("es")
    assert unlocked.clients.act_new.text() == "&Nuevo cliente…"
    assert unlocked.vault.idle_actions[5].text() == "Después de 5 minutos"
    languages.set_language("en")
    assert unlocked.clients.act_new.text() == "&New client…"


def test_assign_actions_on_the_office_with_a_selection(make_window, tmp_path, passphrase, unlock_with):
    from desktop import sync
    from desktop.case.store import CaseStore
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault

    path = tmp_path / "office.declara"
    with create_vault(path, passphrase, kh.unsafe_test_policy()) as vault:
        sync.make_office(vault)
        CaseStore(vault).create("client", {"given_names": "Ana", "family_names": "Fictitia"})
    window = make_window()
    window.start(path)
    unlock_with(window, passphrase)
    table = window.client_list.table
    table.clearSelection()
    assert enabled(window) == ALWAYS | WITH_A_VAULT | {"actStartVisit"}
    # Through the selection model: QTableView.selectRow reads the keyboard's modifiers, and a test
    # whose Ctrl+Shift release went to a dialog left them pressed (then selectRow selected nothing).
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    table.selectionModel().select(window.client_model.index(0, 0), flags)
    assert enabled(window) == ALWAYS | WITH_A_VAULT | OFFICE_WITH_A_SELECTION | {"actStartVisit"}
    window.hold(True)
    assert enabled(window) == {"actLanguage", "actQuit"}
    window.hold(False)
    assert OFFICE_WITH_A_SELECTION <= enabled(window)


def test_the_unlock_page_allows_only_what_needs_no_vault(make_window, demo_vault):
    window = make_window()
    window.start(demo_vault)
    assert window.session is None and window.pages.currentWidget() is not window.welcome  # the unlock page
    assert enabled(window) == ALWAYS
