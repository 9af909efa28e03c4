"""Killing the app mid-visit loses nothing typed more than a second before the kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.case.store import CaseStore
from desktop.vault.database import open_vault, unlock

REPO = Path(__file__).resolve().parents[2]

APP = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from desktop.vault import keyheader as kh
    from ui import dialogs
    from ui.language import LanguageManager
    from ui.main_window import MainWindow
    from ui.settings import Settings

    vault, passphrase, settings = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    app = QApplication([])
    languages = LanguageManager()
    languages.set_language("es")
    window = MainWindow(Settings(settings), languages, kh.unsafe_test_policy(), demo_folder=settings.parent)
    window.show()
    window.start(vault)
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.unlock_button.click()
    while window.session is None:
        app.processEvents()
    window.clients.open_client(window.client_model.client_at(0).id)
    dialogs.set_next_answer(True)
    window.visits.start_visit()
    page = window.visit_page

    def pump(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    QTest.keyClicks(page.text, "Respuesta completa uno")
    page.next_question()
    QTest.keyClicks(page.text, "Respuesta dos, escrita antes")
    pump(1.2)  # more than a second passes after typing
    print("TYPED", page.visit.id, flush=True)
    QTest.keyClicks(page.text, " y esto justo antes del corte")
    time.sleep(60)  # the battery dies here: no event loop, no clean exit
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(3))
def test_kill_mid_visit_loses_nothing_typed_a_second_before(demo_vault, tmp_path, policy, passphrase, round_):
    proc = subprocess.Popen(
        [sys.executable, "-c", APP, str(demo_vault), passphrase, str(tmp_path / "settings.ini")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("TYPED"), line
        visit_id = line.split()[1]
        time.sleep(0.05 * round_)  # kill at slightly different moments
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with open_vault(demo_vault, unlock(demo_vault, passphrase, policy)) as vault:
        assert vault.check() == []
        store = CaseStore(vault)
        visit = store.get(visit_id)
        texts = sorted(a.data["text"] for a in store.children(visit.client_id, "answer", visit.id))
    assert texts[0] == "Respuesta completa uno"
    assert texts[1].startswith("Respuesta dos, escrita antes")
