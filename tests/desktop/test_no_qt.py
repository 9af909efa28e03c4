"""desktop/ is the Qt-free core: every module imports with PySide6 made unimportable."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import desktop

REPO = Path(__file__).resolve().parents[2]


def test_every_desktop_module_imports_without_pyside6():
    modules = sorted(m.name for m in pkgutil.walk_packages(desktop.__path__, "desktop."))
    assert "desktop.vault.database" in modules and "desktop.cli" in modules
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'PySide6' or name.startswith('PySide6.') or name == 'shiboken6':\n"
        "            raise ImportError('PySide6 is blocked in desktop/')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import importlib\n"
        f"for name in {modules!r}:\n"
        "    if name != 'desktop.__main__':\n"
        "        importlib.import_module(name)\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules)\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_no_network_modules_in_core():
    files = sorted((REPO / "desktop").rglob("*.py"))
    assert REPO / "desktop" / "sync" / "__init__.py" in files  # the packages are read, not only the top
    sources = "\n".join(p.read_text(encoding="utf-8") for p in files)
    for forbidden in ("import socket", "import urllib", "import http", "import requests", "QtNetwork"):
        assert forbidden not in sources, forbidden
