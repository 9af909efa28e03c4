"""The system libraries Qt's platform plugins need, read from ``ldd`` of the installed plugins.

``make run`` calls ``python -m ui.system_libs --install``: it runs ``ldd`` on the ``xcb`` platform
plugin of the installed Qt for Python (the one an X11 or XWayland desktop uses; ``ldd`` lists its
dependencies and theirs), names the Debian package of every library it reports "not found" and, run
as root where ``apt-get`` exists, installs them; otherwise it prints the one ``apt-get install``
line and exits 1, so the window never fails later with Qt's "could not load the Qt platform plugin".

The package is derived from the library's soname by Debian's naming policy for shared libraries
(``libxcb-icccm.so.4`` -> ``libxcb-icccm4``; a name ending in a digit takes a hyphen:
``libxkbcommon-x11.so.0`` -> ``libxkbcommon-x11-0``), with a few known exceptions in
:data:`EXCEPTIONS`. This module imports no Qt (it must run where Qt cannot start yet).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

#: Libraries whose Debian package does not follow the naming policy.
EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libstdc++.so.6": "libstdc++6",
}
#: The platform plugins checked: X11 (and XWayland, which desktops on Wayland also run); in a
#: Wayland session the wayland plugin too (it needs libwayland-client0 and libwayland-cursor0).
PLUGINS = ("libqxcb.so",)
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")


def package_for(soname: str) -> str:
    """The Debian package that ships ``soname`` ("libxcb-icccm.so.4" -> "libxcb-icccm4")."""
    if soname in EXCEPTIONS:
        return EXCEPTIONS[soname]
    name, _sep, version = soname.partition(".so.")
    name = name.lower()
    if not version:
        return name
    major = version.split(".")[0]
    return f"{name}-{major}" if name[-1:].isdigit() else f"{name}{major}"


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` reports "not found", each once, in order."""
    found: list[str] = []
    for line in ldd_output.splitlines():
        match = _NOT_FOUND.match(line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def missing_packages(ldd_output: str) -> list[str]:
    """The Debian packages to install for what ``ldd`` could not find, each once, sorted."""
    return sorted({package_for(soname) for soname in missing_libraries(ldd_output)})


def plugin_paths() -> list[Path]:
    """The installed Qt for Python's platform plugins that are checked (none when not installed)."""
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing Qt
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent / "Qt" / "plugins" / "platforms"
    names = PLUGINS + (("libqwayland.so",) if os.environ.get("WAYLAND_DISPLAY") else ())  # a Wayland session
    return [folder / name for name in names if (folder / name).is_file()]


def ldd(path: Path) -> str:
    result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
    return result.stdout


def install_line(packages: list[str]) -> str:
    return "sudo apt-get install " + " ".join(packages)


#: Libraries every Linux desktop with X11 or XWayland has (the C library, the GL dispatch, libxcb
#: itself): a bundle may leave them to the system. Anything else the xcb plugin needs must be inside.
BASE = frozenset(
    {
        "linux-vdso.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libc.so.6", "libm.so.6",
        "libpthread.so.0", "libdl.so.2", "librt.so.1", "libgcc_s.so.1", "libstdc++.so.6",
        "libGL.so.1", "libEGL.so.1", "libGLX.so.0", "libGLdispatch.so.0", "libOpenGL.so.0",
        "libxcb.so.1", "libX11.so.6", "libXau.so.6", "libXdmcp.so.6", "libbsd.so.0", "libmd.so.0",
    }
)  # fmt: skip
_RESOLVED = re.compile(r"^\s*(\S+)\s+=>\s+(\S+)\s+\(0x[0-9a-f]+\)\s*$")
_PLAIN = re.compile(r"^\s*(\S+)\s+\(0x[0-9a-f]+\)\s*$")


def outside(ldd_output: str, folder: str) -> list[str]:
    """The libraries ``ldd`` resolved outside ``folder`` (or not at all) that are not part of a
    desktop's base: what a bundle in ``folder`` would need the system to have."""
    found: list[str] = []
    for line in ldd_output.splitlines():
        resolved = _RESOLVED.match(line)
        name, path = (resolved.group(1), resolved.group(2)) if resolved else (None, None)
        if name is None:
            plain = _PLAIN.match(line)
            name, path = (Path(plain.group(1)).name, plain.group(1)) if plain else (None, None)
        missing = _NOT_FOUND.match(line)
        if missing:
            name, path = missing.group(1), ""
        if name is None or name in BASE or name in found:
            continue
        if not path or not path.startswith(folder):
            found.append(name)
    return found


def check_bundle(folder: Path) -> int:
    """``ldd`` of the bundle's xcb plugin with the bundle's own libraries first: every library it
    needs beyond a desktop's base must come from the bundle (else the bundle works only on a machine
    that happens to have it)."""
    internal = folder / "_internal"
    plugin = internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        print(f"No xcb platform plugin in {folder}", file=sys.stderr)
        return 1
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False, env=env).stdout
    extra = outside(output, str(internal))
    if extra:
        print(
            "The bundle's xcb plugin needs libraries it does not carry: " + ", ".join(extra), file=sys.stderr
        )
        return 1
    print("The bundle carries every library its xcb plugin needs beyond a desktop's base.")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return 0
    if argv[:1] == ["--check-bundle"] and len(argv) == 2:
        return check_bundle(Path(argv[1]))
    packages = sorted({p for plugin in plugin_paths() for p in missing_packages(ldd(plugin))})
    if not packages:
        return 0
    if "--install" in argv and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing the libraries Qt's window system plugin needs: " + " ".join(packages))
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        update = subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        install = subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=False, env=env)
        return 0 if update.returncode == 0 and install.returncode == 0 else 1
    print(
        "Qt cannot open a window on this system: libraries are missing. Install them with:\n  "
        + install_line(packages),
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
