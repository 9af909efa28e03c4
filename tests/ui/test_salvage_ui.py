"""The salvage dialog (ui.salvage_ui): choose a folder and a passphrase, salvage in a worker, see
the report; the damaged folder is never written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from desktop.demo import create_demo_vault
from desktop.vault import keyheader as kh

PAGE = 4096


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.fixture
def damaged(tmp_path, passphrase):
    path = tmp_path / "office.declara"
    create_demo_vault(path, passphrase, kh.unsafe_test_policy())
    db = path / "declara.db"
    data = bytearray(db.read_bytes())
    data[PAGE * 30 + 100] ^= 0x20  # one damaged page
    db.write_bytes(bytes(data))
    return path


def _run(qtbot, parent, damaged, secret, fill, policy=kh.unsafe_test_policy()):  # noqa: B008
    from ui import dialogs, ops
    from ui.salvage_ui import offer_salvage

    reports = []
    dialogs.set_next_answer(fill)
    dialogs.set_next_answer(True)  # the report
    task = offer_salvage(parent, damaged, secret, policy=policy, on_done=reports.append)
    assert task is not None
    qtbot.waitUntil(lambda: bool(reports), timeout=20000)
    # Let the worker's last queued signals be delivered before the test's widgets go: deleting the
    # parent while they were pending crashed PySide now and then (the window outlives its tasks).
    qtbot.waitUntil(lambda: task not in ops._running, timeout=5000)
    qtbot.wait(200)
    return reports[0]


def test_salvage_with_the_same_passphrase(qtbot, damaged, passphrase, tmp_path):
    from PySide6.QtWidgets import QWidget

    from desktop.vault.database import open_vault
    from desktop.vault.salvage import read_key
    from ui import dialogs
    from ui.salvage_ui import SalvageDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    before = _hashes(damaged)

    def fill(dialog: SalvageDialog) -> None:
        assert dialog.same.isChecked() and dialog.target() == tmp_path / "office-salvaged.declara"
        assert dialog.problem() is None

    report = _run(qtbot, parent, damaged, passphrase, fill)
    assert report.records_rescued > 100 and report.unreadable_pages == 1
    assert _hashes(damaged) == before
    assert dialogs.shown[-1][0] == "info" and "Records rescued" in dialogs.shown[-1][1]
    target = tmp_path / "office-salvaged.declara"
    with open_vault(target, read_key(target, passphrase, kh.unsafe_test_policy())) as vault:
        assert vault.check() == []


def test_with_the_data_key_a_new_passphrase_is_required(qtbot, damaged, passphrase, tmp_path):
    from PySide6.QtWidgets import QWidget

    from desktop.vault.salvage import read_key
    from ui.salvage_ui import SalvageDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    key = read_key(damaged, passphrase, kh.unsafe_test_policy())
    new = "copper meadow signal gently 17"

    def fill(dialog: SalvageDialog) -> None:
        assert not dialog.same.isChecked()
        dialog.folder.setText(str(tmp_path / "elsewhere"))
        dialog.first.setText(new)
        dialog.second.setText("something else")
        dialog.accept()
        assert dialog.error.text() == "The two passphrases differ." and dialog.result() == 0
        dialog.second.setText(new)
        assert dialog.problem() is None

    report = _run(qtbot, parent, damaged, key, fill)
    assert report.records_rescued > 100
    read_key(tmp_path / "elsewhere", new, kh.unsafe_test_policy())  # opens with the new passphrase


def test_cancel_does_nothing(qtbot, damaged, passphrase, tmp_path):
    from PySide6.QtWidgets import QWidget

    from ui import dialogs
    from ui.salvage_ui import offer_salvage

    parent = QWidget()
    qtbot.addWidget(parent)
    dialogs.set_next_answer(False)
    assert offer_salvage(parent, damaged, passphrase, policy=kh.unsafe_test_policy()) is None
    assert not (tmp_path / "office-salvaged.declara").exists()


def test_from_the_window_its_policy_is_used(qtbot, make_window, damaged, passphrase, tmp_path):
    """The damaged-vault dialog calls ``offer_salvage(window, path, passphrase)``: the window's
    key-derivation policy (the tests' cheap one here) opens the damaged vault's header."""
    window = make_window()
    report = _run(qtbot, window, damaged, passphrase, lambda dialog: None, policy=None)
    assert report.records_rescued > 100


def test_a_refused_target_ends_in_a_message_and_writes_nothing(qtbot, damaged, passphrase):
    from PySide6.QtWidgets import QWidget

    from ui import dialogs, ops
    from ui.salvage_ui import offer_salvage

    parent = QWidget()
    qtbot.addWidget(parent)
    before = _hashes(damaged)
    dialogs.set_next_answer(lambda dialog: dialog.folder.setText(str(damaged / "inside")))
    dialogs.set_next_answer(True)  # the failure dialog
    task = offer_salvage(parent, damaged, passphrase, policy=kh.unsafe_test_policy())
    qtbot.waitUntil(lambda: any(kind == "error" for kind, _text in dialogs.shown), timeout=20000)
    qtbot.waitUntil(lambda: task not in ops._running, timeout=5000)
    qtbot.wait(200)
    assert "outside any vault folder" in dialogs.shown[-1][1]
    assert _hashes(damaged) == before and not (damaged / "inside").exists()
