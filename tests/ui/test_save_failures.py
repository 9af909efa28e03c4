"""Every failure in the window is seen (issue 18, findings 3 and 10): a save that fails keeps the
typed text, says why once and then in the status bar until a save succeeds, can be saved to an
encrypted file; a damaged vault is never written again; unlock on a read-only disk or folder
ends with a message; a damaged vault at unlock offers salvage and a backup."""

from __future__ import annotations

import errno

import pytest
import sqlcipher3
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.errors import VaultCorrupt
from ui import dialogs, ops, save_failures
from ui.session import AUTOSAVE_MS

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class _Failing:
    """The vault's connection with every write failing as SQLite says ``message``; counts the
    writes tried, and with ``reads`` True the reads of records fail too."""

    def __init__(self, conn, error) -> None:
        self._conn = conn
        self.error = error
        self.writes = 0
        self.reads = False

    def execute(self, sql, *args):
        verb = sql.lstrip().upper()
        if verb.startswith(WRITES):
            self.writes += 1
            raise self.error
        if self.reads and verb.startswith("SELECT") and "RECORDS" in verb:
            raise self.error
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


@pytest.fixture
def notes(unlocked, open_client):
    """José's record open, its Notes field focused; returns the field's widget."""
    open_client(unlocked, "José")
    widget = unlocked.record.identity.editors["notes"].widget
    widget.setFocus()
    return widget


@pytest.fixture
def failing():
    """``failing(window, message[, kind])``: every write to the open vault fails so; afterwards
    the connection is given back and edits still refused are given up (the window closes)."""
    made: list[tuple] = []

    def fail(window, message: str, kind=sqlcipher3.OperationalError) -> _Failing:
        vault = window.session.vault
        vault.conn = _Failing(vault.conn, kind(message))
        made.append((window, vault))
        return vault.conn

    yield fail
    for _window, vault in made:
        if isinstance(vault.conn, _Failing):
            vault.conn = vault.conn._conn


def give_up(window) -> None:
    """Before the window closes (pytest-qt closes it before fixtures end): the refused edits are
    given up, so closing asks nothing."""
    window.session._pending.clear()


def type_and_wait(qtbot, window, widget, text: str) -> None:
    QTest.keyClicks(widget, text)
    qtbot.wait(AUTOSAVE_MS * 2)


def test_a_failed_save_keeps_the_text_says_why_once_and_warns_until_a_save_works(
    qtbot, unlocked, notes, failing
):
    window, session = unlocked, unlocked.session
    conn = failing(window, "database or disk is full")
    dialogs.set_next_answer(True)  # the one dialog
    type_and_wait(qtbot, window, notes, "Trae la constancia")
    type_and_wait(qtbot, window, notes, " del juzgado")  # more keystrokes: no second dialog
    assert [kind for kind, _text in dialogs.shown] == ["error"]
    assert "disk is full" in dialogs.shown[0][1].lower() and "free some space" in dialogs.shown[0][1].lower()
    assert notes.toPlainText().endswith("Trae la constancia del juzgado")  # the typed text stays
    pending = session.pending_edits()
    assert list(pending.values())[-1].endswith("Trae la constancia del juzgado")  # and is queued
    assert conn.writes == 2  # tried once per pause in typing, not in a loop
    assert window.save_failure.isVisible() and not window.saved_label.isVisible()
    assert window.save_failure.label.text().startswith("Not saved: the disk is full.")
    assert "kept in this window" in window.save_failure.label.text()
    window.session.vault.conn = conn._conn  # space was freed
    type_and_wait(qtbot, window, notes, ".")
    assert not session.has_pending and not window.save_failure.isVisible()
    assert window.saved_label.isVisible() and window.saved_label.text().startswith("Saved at")
    client = session.get(window.record.client.id)
    assert client.data["notes"].endswith("Trae la constancia del juzgado.")


def test_damage_stops_every_write_and_no_backup_is_made(qtbot, unlocked, notes, monkeypatch, failing):
    window, session = unlocked, unlocked.session
    backups: list[object] = []
    import desktop.vault.backups as backups_module

    monkeypatch.setattr(backups_module, "backup_if_due", lambda vault, **_kw: backups.append(vault))
    conn = failing(window, "database disk image is malformed", sqlcipher3.DatabaseError)
    dialogs.set_next_answer(True)
    type_and_wait(qtbot, window, notes, "Audiencia")
    assert session.damaged and getattr(session.vault, "damaged", False)
    assert "damaged" in dialogs.shown[0][1]
    assert window.save_failure.label.text().startswith("Not saved: the vault is damaged.")
    tried = conn.writes
    type_and_wait(qtbot, window, notes, " el martes")
    assert session.flush() is False
    with pytest.raises(VaultCorrupt):
        session.create("client", {"given_names": "Rosa"})
    assert conn.writes == tried == 1  # nothing more was even tried
    assert notes.toPlainText().endswith("Audiencia el martes")
    dialogs.set_next_answer(False)  # “save them to a file first?” No: the user gives them up
    window.lock()
    assert window.session is None and backups == []  # locked, and no backup of a damaged vault
    assert dialogs.shown[-1][0] == "confirm" and "could not be stored" in dialogs.shown[-1][1]


def test_a_healthy_lock_makes_the_automatic_backup(qtbot, unlocked, monkeypatch):
    backups: list[object] = []
    import desktop.vault.backups as backups_module

    monkeypatch.setattr(backups_module, "backup_if_due", lambda vault, **_kw: backups.append(vault))
    unlocked.lock()
    qtbot.waitUntil(lambda: unlocked.vault._closing is None, timeout=10000)  # made off the GUI thread
    assert len(backups) == 1


def test_the_unsaved_edits_are_saved_encrypted_to_a_file(
    qtbot, unlocked, notes, tmp_path, failing, monkeypatch
):
    from desktop.vault import health

    window, session = unlocked, unlocked.session
    monkeypatch.setattr(health, "_on_read_only_disk", lambda _path: True)  # the disk turned read-only
    failing(window, "attempt to write a readonly database")
    dialogs.set_next_answer(True)
    type_and_wait(qtbot, window, notes, "Secreto 4471")
    assert "read-only disk" in window.save_failure.label.text()
    assert "read-only disk" in dialogs.shown[-1][1]
    # a place inside the vault's folder is refused: nothing is written into it now
    dialogs.set_next_answer(session.vault.path / "unsaved.age")
    dialogs.set_next_answer(True)
    window.save_failure.button.click()
    assert not (session.vault.path / "unsaved.age").exists() and "outside" in dialogs.shown[-1][1]

    target = tmp_path / "unsaved.age"
    file_passphrase = "orchard copper nimbus seventy"
    dialogs.set_next_answer(target)
    dialogs.set_next_answer(lambda d: (d.first.setText(file_passphrase), d.second.setText(file_passphrase)))
    dialogs.set_next_answer(True)  # “saved to …”
    window.save_failure.button.click()
    raw = target.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n") and b"4471" not in raw and b"Jos" not in raw
    assert (target.stat().st_mode & 0o777) == 0o600
    document = save_failures.read_unsaved(target, file_passphrase)
    assert document["format"] == "declara-unsaved-edits"
    [edit] = document["edits"]
    assert edit["record_id"] == window.record.client.id and edit["path"] == "notes"
    assert edit["value"].endswith("Secreto 4471") and edit["client"].startswith("José")
    assert session.has_pending  # still not in the vault: the warning stays
    assert window.save_failure.isVisible()
    # closing now does not ask again: these edits are in the file
    assert save_failures.confirm_discard(window, session) is True


def test_a_weak_file_passphrase_is_refused(qtbot, unlocked, notes, tmp_path, failing):
    failing(unlocked, "database or disk is full")
    dialogs.set_next_answer(True)
    type_and_wait(qtbot, unlocked, notes, "x")
    dialogs.set_next_answer(tmp_path / "weak.age")
    dialog_seen: list[str] = []

    def weak(dialog):
        dialog.first.setText("1234")
        dialog.second.setText("1234")
        dialog.accept()  # refused: the dialog stays open and says why
        dialog_seen.append(dialog.error.text())

    dialogs.set_next_answer(weak)
    unlocked.save_failure.button.click()
    assert not (tmp_path / "weak.age").exists()
    assert "not accepted" in dialog_seen[0]
    give_up(unlocked)


def test_opening_a_client_that_cannot_be_read_says_so(qtbot, unlocked, client_row, failing):
    window = unlocked
    conn = failing(window, "database disk image is malformed", sqlcipher3.DatabaseError)
    conn.reads = True
    dialogs.set_next_answer(True)
    row = client_row(window, "José")
    window.client_list.table.setFocus()
    window.client_list.table.selectRow(row)
    QTest.keyClick(window.client_list.table, Qt.Key.Key_Return)  # an exception here fails the test
    assert [kind for kind, _text in dialogs.shown] == ["error"] and "damaged" in dialogs.shown[0][1]
    assert window.on_list  # not an empty record
    assert window.save_failure.isVisible() and "damaged" in window.save_failure.label.text()


# -- unlock: read-only disks, permissions, damage ---------------------------------------------------
def test_a_read_only_disk_at_unlock_ends_with_a_message(
    qtbot, make_window, demo_vault, unlock_with, passphrase, monkeypatch
):
    import desktop.vault.database as database

    def read_only(path, key):
        raise OSError(errno.EROFS, "Read-only file system", str(path / "declara.lock"))

    monkeypatch.setattr(database, "open_vault", read_only)
    window = make_window()
    window.start(demo_vault)
    unlock_with(window, passphrase)
    page = window.unlock_page
    assert window.session is None and not page.busy.isVisible() and page.passphrase.isEnabled()
    assert "read-only" in page.error.text()


def test_permissions_in_the_worker_end_with_a_message(
    qtbot, make_window, demo_vault, unlock_with, passphrase, monkeypatch
):
    import desktop.vault.database as database

    def denied(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(database, "unlock", denied)  # in the key-derivation worker
    window = make_window()
    window.start(demo_vault)
    unlock_with(window, passphrase)
    page = window.unlock_page
    assert window.session is None and not page.busy.isVisible()
    assert "may not write" in page.error.text() and "permissions" in page.error.text()


def test_a_bug_after_the_worker_still_ends_the_busy_bar(
    qtbot, make_window, demo_vault, unlock_with, passphrase, monkeypatch
):
    import desktop.vault.database as database

    def broken(path, key):
        raise RuntimeError("a bug")

    monkeypatch.setattr(database, "open_vault", broken)
    window = make_window()
    window.start(demo_vault)
    unlock_with(window, passphrase)
    assert not window.unlock_page.busy.isVisible() and "RuntimeError" in window.unlock_page.error.text()


def test_every_worker_path_ends_in_a_result_or_a_message(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    ended: list[str] = []

    def bad_result(_value):
        raise KeyError("handled badly")

    dialogs.set_next_answer(True)
    ops.run_op(parent, lambda: 1, bad_result, background=True, title="Sync")
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=5000)
    assert "KeyError" in dialogs.shown[-1][1]

    def interrupted():
        raise KeyboardInterrupt

    ops.run_op(parent, interrupted, background=True, on_failure=lambda e: ended.append(type(e).__name__))
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    assert ended == ["KeyboardInterrupt"]
    qtbot.waitUntil(lambda: not ops.busy(), timeout=5000)


@pytest.fixture
def damaged_vault(demo_vault):
    db = demo_vault / "declara.db"
    data = bytearray(db.read_bytes())
    data[200] ^= 0xFF
    db.write_bytes(bytes(data))
    return demo_vault, bytes(data)


def test_the_damaged_vault_dialog_offers_salvage(
    qtbot, make_window, damaged_vault, unlock_with, passphrase, monkeypatch
):
    from ui import damaged_vault as dv

    path, before = damaged_vault
    calls: list[tuple] = []
    from ui import salvage_ui

    def salvage_offered(_parent, where, phrase, *, policy):
        calls.append((where, phrase))
        assert policy is not None

    monkeypatch.setattr(salvage_ui, "offer_salvage", salvage_offered)
    seen: list[tuple[bool, bool]] = []

    def salvage(dialog):
        seen.append((dialog.salvage_button.isEnabled(), dialog.close_button.isEnabled()))
        dialog.salvage_button.click()

    dialogs.set_next_answer(salvage)
    window = make_window()
    window.start(path)
    unlock_with(window, passphrase)
    assert seen == [(True, True)] and calls == [(path, passphrase)]
    assert dialogs.shown[-1][0] == "damaged" and "damaged" in window.unlock_page.error.text()
    assert (path / "declara.db").read_bytes() == before and window.session is None
    assert dv.SALVAGE == "salvage"


def test_the_damaged_vault_dialog_offers_a_backup(
    qtbot, make_window, damaged_vault, unlock_with, passphrase, monkeypatch
):
    path, _before = damaged_vault
    calls: list[object] = []
    from ui import backups_ui

    monkeypatch.setattr(backups_ui, "offer_restore", lambda parent, where: calls.append(where))
    dialogs.set_next_answer(lambda dialog: dialog.restore_button.click())
    window = make_window()
    window.start(path)
    unlock_with(window, passphrase)
    assert calls == [path]


# -- naming the cause ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (OSError(errno.EROFS, "Read-only file system"), save_failures.READ_ONLY),
        (OSError(errno.ENOSPC, "No space left on device"), save_failures.DISK_FULL),
        (sqlcipher3.OperationalError("database or disk is full"), save_failures.DISK_FULL),
        (sqlcipher3.DatabaseError("database disk image is malformed"), save_failures.DAMAGED),
        (sqlcipher3.DatabaseError("file is not a database"), save_failures.DAMAGED),
        (sqlcipher3.OperationalError("attempt to write a readonly database"), save_failures.READ_ONLY),
    ],
)
def test_the_cause_is_named(error, cause, tmp_path, monkeypatch):
    from desktop.vault import health

    monkeypatch.setattr(health, "_on_read_only_disk", lambda _path: True)
    named = save_failures.as_declara_error(error, tmp_path)
    assert named is not None and save_failures.cause_of(named) == cause
    assert save_failures.warning_text(named).startswith("Not saved:")


def test_permissions_are_not_called_read_only(tmp_path):
    named = save_failures.as_declara_error(PermissionError(errno.EACCES, "Permission denied"), tmp_path)
    assert save_failures.cause_of(named) == save_failures.PERMISSIONS
    assert "permissions" in save_failures.warning_text(named)


def test_a_bug_is_not_a_storage_failure():
    assert save_failures.as_declara_error(sqlcipher3.IntegrityError("UNIQUE constraint failed")) is None
    assert save_failures.as_declara_error(KeyError("x")) is None


def test_a_failure_escaping_a_view_is_still_shown(qapp, caplog):
    from ui import app

    dialogs.set_next_answer(True)
    error = VaultCorrupt("The vault's database is damaged ({detail}).", detail="DatabaseError")
    app._excepthook(VaultCorrupt, error, None)
    assert dialogs.shown == [("error", "The vault's database is damaged (DatabaseError).")]
    assert "VaultCorrupt" in caplog.text  # the kind is logged, as before


def test_an_unexpected_error_logs_its_kind_and_place_never_its_text(qapp, caplog, capsys):
    from ui import app

    dialogs.set_next_answer(True)
    try:
        int("Rosa Amelia Quintanilla")  # a value typed in a form, quoted by the error's text
    except ValueError as error:
        app._excepthook(ValueError, error, error.__traceback__)
    logged = caplog.text + capsys.readouterr().err
    assert "ValueError" in logged and "test_save_failures.py" in logged
    assert "Quintanilla" not in logged


def test_salvage_from_the_damaged_vault_dialog_makes_a_new_vault(
    qtbot, make_window, damaged_vault, unlock_with, passphrase
):
    path, before = damaged_vault
    dialogs.set_next_answer(lambda dialog: dialog.salvage_button.click())  # the damaged-vault dialog
    dialogs.set_next_answer(True)  # ui.salvage_ui's dialog: a new folder beside, the same passphrase
    dialogs.set_next_answer(True)  # its report
    window = make_window()
    window.start(path)
    unlock_with(window, passphrase)
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _text in dialogs.shown), timeout=20000)
    salvaged = [p for p in path.parent.iterdir() if p.name.startswith(path.stem + "-salvaged")]
    assert len(salvaged) == 1 and (salvaged[0] / "declara.db").is_file()
    assert (path / "declara.db").read_bytes() == before  # the damaged folder only ever read


def test_the_idle_lock_waits_while_refused_edits_are_only_in_the_window(
    qtbot, make_window, demo_vault, unlock_with, passphrase, open_client, failing
):
    window = make_window(idle_msec=200)
    window.start(demo_vault)
    unlock_with(window, passphrase)
    open_client(window, "José")
    failing(window, "database or disk is full")
    dialogs.set_next_answer(True)
    notes = window.record.identity.editors["notes"].widget
    QTest.keyClicks(notes, "sin espacio")
    qtbot.waitUntil(lambda: window.session.failure is not None, timeout=3000)
    qtbot.wait(700)  # more than the idle time, several times over
    assert window.session is not None and notes.toPlainText().endswith("sin espacio")
    give_up(window)  # given up: the next idle lock locks
    with qtbot.waitSignal(window.locked, timeout=3000):
        pass
