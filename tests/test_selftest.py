"""``declara --self-test`` from source: every check passes, one line each, exit 0; and the packaging
metadata (icons, .desktop, AppStream) is present and valid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

CHECKS = (
    "resources",
    "catalog",
    "passphrase",
    "schema",
    "questionnaire",
    "facilities",
    "vault",
    "declaration",
    "timeline",
    "documents",
    "import workers",
    "qt",
    "qt-spanish",
    "icon",
    "window",
    "qtpdf",
)


def test_self_test_from_source(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["TMPDIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--self-test"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Declara ") and "self-test" in lines[0]
    for name in CHECKS:
        assert any(line.startswith(f"ok   {name}: ") for line in lines), (name, result.stdout)
    assert "ok   vault: created, unlocked, written, read, integrity checks passed" in result.stdout
    assert "facility list loaded (242 rows)" in result.stdout
    assert "'About Declara' -> 'Acerca de Declara'" in result.stdout
    assert "'Cancel' -> 'Cancelar'" in result.stdout
    assert lines[-1].startswith("all checks passed")
    assert not any(line.startswith("FAIL") for line in lines)
    assert list(tmp_path.iterdir()) == [], "the throwaway vault was left behind"


def test_failures_are_reported_and_exit_1():
    import io

    from desktop import selftest

    def broken() -> str:
        raise selftest.SelfTestFailure("something is missing")

    out = io.StringIO()
    assert selftest.run_checks([("ok-one", lambda: "fine"), ("broken", broken)], out) is False
    text = out.getvalue()
    assert "ok   ok-one: fine" in text and "FAIL broken: SelfTestFailure: something is missing" in text


def test_icons_exist_at_every_size():
    from PySide6.QtGui import QImage

    from ui.app import ICON_SIZES

    assert (REPO / "resources" / "icons" / "declara.svg").exists()
    for size in ICON_SIZES:
        image = QImage(str(REPO / "resources" / "icons" / f"declara-{size}.png"))
        assert (image.width(), image.height()) == (size, size)


def test_desktop_file():
    text = (REPO / "packaging" / "declara.desktop").read_text(encoding="utf-8")
    assert "Exec=declara" in text and "Icon=org.declara.Declara" in text
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.fail("desktop-file-validate is missing: make test installs desktop-file-utils")
    desktop_file = str(REPO / "packaging" / "declara.desktop")
    result = subprocess.run([tool, desktop_file], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo():
    path = REPO / "packaging" / "org.declara.Declara.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.findtext("id") == "org.declara.Declara"
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    images = [el.text or "" for el in root.iter("image")]
    assert images
    for url in images:
        assert (REPO / "packaging" / "screenshots" / url.rsplit("/", 1)[1]).exists(), url
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.fail("appstreamcli is missing: make test installs appstream")
    result = subprocess.run([tool, "validate", "--no-net", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
