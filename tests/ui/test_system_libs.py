"""``make run`` finds the system libraries Qt's xcb platform plugin needs from ``ldd`` of the plugin
(issue 21): recorded outputs of a Debian machine without libxcb-icccm4 and libxcb-keysyms1, and of the
same machine with them; the package names follow Debian's policy for library packages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui import system_libs

DATA = Path(__file__).resolve().parents[1] / "data"


def test_the_libraries_ldd_cannot_find_are_named_with_their_packages():
    output = (DATA / "ldd-qxcb-missing.txt").read_text()
    assert system_libs.missing_libraries(output) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert system_libs.missing_packages(output) == ["libxcb-icccm4", "libxcb-keysyms1"]
    assert system_libs.missing_packages((DATA / "ldd-qxcb-present.txt").read_text()) == []


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libEGL.so.1", "libegl1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
    ],
)
def test_debian_names_a_library_package_by_its_soname(soname, package):
    assert system_libs.package_for(soname) == package


def test_without_the_libraries_it_prints_the_one_apt_get_line(monkeypatch, capsys, tmp_path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    monkeypatch.setattr(system_libs, "plugin_paths", lambda: [plugin])
    monkeypatch.setattr(system_libs, "ldd", lambda path: (DATA / "ldd-qxcb-missing.txt").read_text())
    monkeypatch.setattr(system_libs.os, "geteuid", lambda: 1000)  # not root: nothing is installed
    assert system_libs.main([]) == 1
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in capsys.readouterr().err
    monkeypatch.setattr(system_libs, "ldd", lambda path: (DATA / "ldd-qxcb-present.txt").read_text())
    assert system_libs.main(["--install"]) == 0


def test_the_installed_plugin_is_read_without_importing_qt():
    code = "import sys, ui.system_libs as s; s.plugin_paths(); print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_bundle_must_carry_what_its_xcb_plugin_needs_beyond_a_desktops_base():
    folder = "/opt/declara/_internal"
    # Built where libxcb-icccm4 and libxcb-keysyms1 were absent: it takes them from the system.
    built_bare = (DATA / "ldd-bundle-qxcb-system-icccm.txt").read_text()
    assert system_libs.outside(built_bare, folder) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    complete = (DATA / "ldd-bundle-qxcb-complete.txt").read_text()
    assert system_libs.outside(complete, folder) == []  # libc, libGL, libxcb … are the desktop's
    assert system_libs.outside("\tlibxcb-util.so.1 => not found\n", folder) == ["libxcb-util.so.1"]
