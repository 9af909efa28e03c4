"""A whole GUI session leaves no plaintext behind: the marker typed into the app is found in no file
under HOME / XDG dirs / TMPDIR except the PDF the user chose to export.

Runs the real app offscreen in a subprocess whose HOME, XDG_CONFIG_HOME, XDG_DATA_HOME,
XDG_CACHE_HOME and TMPDIR point into one temporary tree; Qt's own config (QtProject.conf,
Declara.ini) lands there too and is scanned like everything else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[2]
MARKER = "Zorbaquintal"

SESSION = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from desktop.vault import keyheader as kh
    from ui import dialogs
    from ui.app import load_stylesheet
    from ui.language import LanguageManager
    from ui.main_window import MainWindow
    from ui.settings import Settings

    home, passphrase, marker, out = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
    app = QApplication([sys.argv[0]])
    app.setApplicationName("Declara")
    app.setOrganizationName("Declara")
    app.setStyleSheet(load_stylesheet())
    languages = LanguageManager(app)
    languages.set_language("en")
    window = MainWindow(Settings(), languages, kh.unsafe_test_policy(), demo_folder=home)
    window.show()

    def pump(seconds=0.0, until=None):
        end = time.monotonic() + seconds
        while time.monotonic() < end or (until is not None and not until()):
            app.processEvents()
            time.sleep(0.01)
            if time.monotonic() > end + 20:
                raise SystemExit("timed out")

    window.start(home / "Documents" / "cases.declara")
    window.welcome.set_location(home / "Documents" / "cases.declara")
    window.welcome.passphrase.setText(passphrase)
    window.welcome.repeat.setText(passphrase)
    window.welcome.create_button.click()
    pump(until=lambda: window.session is not None)

    def fill(dialog):
        dialog.given.setText(marker)
        dialog.family.setText(marker + "son")
    dialogs.set_next_answer(fill)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # New client
    client = window.record.client
    assert client.data["given_names"] == marker
    notes = window.record.identity.editors["notes"].widget
    notes.setFocus()
    QTest.keyClicks(notes, "Notes about " + marker)
    pump(until=lambda: not window.session.has_pending)

    QTest.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    tab = window.record.chronology
    def add_event(dialog):
        dialog.date.setText("2019-05-04")
        dialog.text_en.setPlainText(marker + " crosses the border.")
    dialogs.set_next_answer(add_event)
    tab.section.add_button.click()
    pump(0.3)

    def drive(dialog):
        assert dialog.wait_rendered()
        dialogs.set_next_answer(out)
        dialogs.set_next_answer(True)
        dialog.save()
    dialogs.set_next_answer(drive)
    tab.export_button.click()
    assert out.read_bytes().startswith(b"%PDF")

    def visit(dialog):
        dialog.interpreter.setText("Rosa Medina")
    dialogs.set_next_answer(visit)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_V, ctrl_shift)  # Start a visit
    page = window.visit_page
    assert window.workspace.currentWidget() is page
    QTest.keyClicks(page.text, "My name is " + marker)
    page.next_question()
    pump(1.5)  # the visit's autosave
    window.lock()
    pump(0.2)
    window.close()
    app.processEvents()
    print("DONE", flush=True)
    """
)


def _encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("latin-1"), text.lower().encode()]


@pytest.mark.slow
def test_no_plaintext_outside_the_exported_pdf(tmp_path, passphrase):
    home = tmp_path / "home"
    dirs = {
        "HOME": home,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_RUNTIME_DIR": home / "run",
        "TMPDIR": home / "tmp",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    (home / "Documents").mkdir()
    out = home / "Documents" / "timeline.pdf"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update({k: str(v) for k, v in dirs.items()}, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", SESSION, str(home), passphrase, MARKER, str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and "DONE" in proc.stdout, proc.stderr[-3000:]
    assert out.exists()
    files = [p for p in home.rglob("*") if p.is_file() and not p.is_symlink()]
    assert any(p.name == "declara.db" for p in files)
    leaks = []
    for path in files:
        if path == out:
            continue
        data = path.read_bytes()
        if any(needle in data for needle in _encodings(MARKER)):
            leaks.append(str(path.relative_to(home)))
    names = [str(p.relative_to(home)) for p in files]
    assert leaks == [], f"the marker is in plaintext in {leaks}; files: {names}"

    # The marker really went in: it is in the PDF's text and, encrypted, in the vault.
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert MARKER in text
    from desktop.vault import keyheader as kh
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    vault_path = home / "Documents" / "cases.declara"
    with open_vault(vault_path, unlock(vault_path, passphrase, kh.unsafe_test_policy())) as vault:
        assert vault.check() == []
        store = CaseStore(vault)
        (client,) = store.clients()
        assert client.data["given_names"] == MARKER and MARKER in client.data["notes"]
        answers = [a.data.get("text", "") for a in store.children(client.id, "answer")]
        assert any(MARKER in a for a in answers), answers
        assert any(MARKER in str(e.data) for e in store.children(client.id, "event"))
