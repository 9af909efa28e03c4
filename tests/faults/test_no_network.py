"""Declara never touches the network: no networking module is imported, and none is even named.

The whole suite also runs with sockets blocked (pytest-socket, ``--disable-socket`` in pyproject's
addopts; unix sockets stay allowed for Qt/D-Bus), so any test that opened an internet socket fails.
"""

from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = ("socket", "urllib", "http", "requests", "httpx", "aiohttp", "ssl", "ftplib", "smtplib")

PROBE = textwrap.dedent(
    """
    import importlib, os, pkgutil, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    import desktop, ui
    import ui.app, ui.main_window
    for package in (desktop, ui):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith("__main__"):  # __main__ runs the CLI on import
                importlib.import_module(info.name)
    from desktop.vault import keyheader as kh
    from desktop.demo import create_demo_vault
    from ui.app import load_stylesheet
    from ui.language import LanguageManager
    from ui.main_window import MainWindow
    from ui.settings import Settings

    folder, passphrase = Path(sys.argv[1]), sys.argv[2]
    app = QApplication([])
    languages = LanguageManager()
    settings = Settings(folder / "settings.ini")
    window = MainWindow(settings, languages, kh.unsafe_test_policy(), demo_folder=folder)
    window.setStyleSheet(load_stylesheet())
    window.show()
    create_demo_vault(folder / "demo.declara", passphrase, kh.unsafe_test_policy())
    window.start(folder / "demo.declara")
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.unlock_button.click()
    while window.session is None:
        app.processEvents()
    app.processEvents()
    print("LOADED", " ".join(sorted(sys.modules)))
    """
)


@pytest.mark.slow
def test_the_app_never_imports_qt_network(tmp_path, passphrase):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path), passphrase],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(x for x in proc.stdout.splitlines() if x.startswith("LOADED "))
    modules = set(line.split()[1:])
    assert "ui.main_window" in modules and "desktop.sync" in modules
    assert not {m for m in modules if m.startswith("PySide6.QtNetwork")}
    assert not {m for m in modules if m.split(".")[0] in ("requests", "httpx", "aiohttp", "urllib3")}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            names.update(
                a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            )
    return names


def test_no_source_file_imports_a_networking_module():
    offenders = []
    files = sorted((REPO / "desktop").rglob("*.py")) + sorted((REPO / "ui").rglob("*.py"))
    assert len(files) > 20
    for path in files:
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] in FORBIDDEN or "QtNetwork" in parts:
                offenders.append(f"{path.relative_to(REPO)}: {name}")
        if "QtNetwork" in path.read_text(encoding="utf-8"):
            offenders.append(f"{path.relative_to(REPO)}: mentions QtNetwork")
    assert offenders == []


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_sockets_are_blocked_during_the_suite():
    from pytest_socket import SocketBlockedError

    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Unix sockets (Qt, D-Bus) stay allowed.
    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()
