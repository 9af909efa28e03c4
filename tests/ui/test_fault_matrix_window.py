"""The fault matrix in the window (issue 18, "Done when"): a seeded sample of damaged vault folders
(see tests/faults/test_fault_matrix.py for the command line's full matrix) is unlocked through the
real unlock page and, when it opens, edited once. Every outcome is seen — the vault opens, or the
unlock page or a dialog says why — and a damaged file is never written."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.case.store import CaseStore
from desktop.demo import create_demo_vault
from desktop.vault import keyheader as kh
from desktop.vault.database import open_vault, unlock
from ui import dialogs

SEED = 18


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and not p.name.endswith("-shm")
    }


@pytest.fixture(scope="module")
def bases(tmp_path_factory, passphrase) -> tuple[Path, Path]:
    """This vault and another, each copied while open (so each holds a log of saved changes)."""
    root = tmp_path_factory.mktemp("window-matrix")
    made = []
    for name in ("mine", "other"):
        live = root / f"{name}-live.declara"
        create_demo_vault(live, passphrase, kh.unsafe_test_policy())
        vault = open_vault(live, unlock(live, passphrase, kh.unsafe_test_policy()))
        CaseStore(vault).create("client", {"given_names": "Guardado", "family_names": "Sin plegar"})
        shutil.copytree(live, root / name)
        vault.close()
        (root / name / "declara.db-shm").unlink(missing_ok=True)
        made.append(root / name)
    return made[0], made[1]


def _sample() -> list[tuple[str, str, int]]:
    rng = random.Random(SEED)
    cases = [("declara.db", "flip", rng.randrange(4096, 200_000)) for _ in range(3)]
    cases += [("declara.db", "empty", 0), ("declara.db", "cut", 4096 * 5 + 100)]
    cases += [("declara.db-wal", "flip", rng.randrange(32, 20_000)), ("declara.db-wal", "replace", 0)]
    cases += [("keyheader.json", "flip", rng.randrange(0, 300)), ("keyheader.json", "replace", 0)]
    cases += [("declara.lock", "flip", 3), ("declara.lock", "delete", 0)]
    return cases


@pytest.mark.parametrize(("name", "kind", "at"), _sample(), ids=lambda v: str(v))
def test_unlock_and_first_edit_on_a_damaged_folder(
    qtbot, make_window, unlock_with, passphrase, bases, tmp_path, name, kind, at
):
    mine, other = bases
    folder = tmp_path / "v.declara"
    shutil.copytree(mine, folder)
    target = folder / name
    if kind == "flip":
        data = bytearray(target.read_bytes())
        data[at % len(data)] ^= 0xA5
        target.write_bytes(bytes(data))
    elif kind == "cut":
        target.write_bytes(target.read_bytes()[:at])
    elif kind == "empty":
        target.write_bytes(b"")
    elif kind == "delete":
        target.unlink()
    else:
        shutil.copyfile(other / name, target)
    before = _digests(folder)
    for _ in range(6):
        dialogs.set_next_answer(False)  # any dialog is answered "no" / closed, and recorded
    window = make_window()
    window.start(folder)
    unlock_with(window, passphrase)
    if window.session is None:
        # refused: the unlock page (or a dialog) says why; nothing was written
        assert window.unlock_page.error.isVisible() or dialogs.shown, "a refusal nobody can see"
        text = (
            window.unlock_page.error.text() if window.unlock_page.error.isVisible() else dialogs.shown[-1][1]
        )
        assert text.strip()
        after = _digests(folder)
        assert {k: v for k, v in after.items() if k != "declara.lock"} == {
            k: v for k, v in before.items() if k != "declara.lock"
        }
        return
    assert name in ("declara.lock", "keyheader.json"), f"{name} damaged ({kind}) and yet the vault opened"
    window.client_list.table.setFocus()
    window.client_list.table.selectRow(0)
    QTest.keyClick(window.client_list.table, Qt.Key.Key_Return)
    field = window.record.identity.editors["notes"].widget
    field.setFocus()
    qtbot.keyClicks(field, " editado")
    qtbot.waitUntil(lambda: not window.session.has_pending, timeout=5000)
    client = window.record.client
    assert window.session.get(client.id).data["notes"].endswith(" editado")
    if name == "keyheader.json":  # opened with the header's copy: the damaged header is not written
        assert _digests(folder).get(name) == before.get(name)
