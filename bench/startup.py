"""Start-up to the unlock screen, against a bare PySide6 window started the same way.

Two platforms: ``offscreen`` (what the tests use) and ``xcb`` on an X server (Xvfb, 1366 × 768), which
is what a user gets on a Debian desktop. The clock runs from the moment the process is spawned to the
window's first paint, for Declara (``DECLARA_STARTUP_PROBE``) and for the bare window alike; for
Declara also to "ready" (its features' controllers and menu entries, built just after that paint).
One Xvfb serves every run of both, so neither pays for the server's start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: A bare window, timed as Declara's probe times itself: at its first paint (then quit).
BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
w = QWidget()
w.resize(800, 600)
def painted():
    print(f"shown at={time.time():.4f}", flush=True)
    app.quit()
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, painted)
        return False
probe = FirstPaint()
w.installEventFilter(probe)
w.show()
app.exec()
"""

SCREEN = "1366x768x24"


class XvfbMissing(RuntimeError):
    pass


@contextmanager
def xvfb_display() -> Iterator[str]:
    """Start one Xvfb on a free display number and yield its name (":N")."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise XvfbMissing("Xvfb is missing: sudo apt-get install xvfb")
    read, write = os.pipe()
    server = subprocess.Popen(
        [binary, "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise XvfbMissing("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _at(out: str, word: str) -> float | None:
    """The wall-clock time a probe printed on its line containing ``word`` (``at=…``)."""
    for line in out.splitlines():
        if word in line and "at=" in line:
            return float(line.rsplit("at=", 1)[1].split()[0])
    return None


def measure(
    py: str,
    declara: str,
    vault: Path,
    runs: int,
    env: dict[str, str],
    cwd: Path,
    log: Callable[[str], None] = print,
) -> dict[str, list[float]]:
    """``runs`` start-ups of Declara (to the unlock page of ``vault``) and of the bare window, in
    ms from the moment the process is spawned: ``shown`` (the first page painted), ``ready`` (the
    window's features built too) and ``bare`` (the bare window painted). Alternated, so that a busy
    moment of the machine falls on both."""
    figures: dict[str, list[float]] = {"shown": [], "ready": [], "bare": []}
    for _ in range(runs):
        start = time.time()
        out = subprocess.run(
            [declara, "gui", str(vault)], env=env, capture_output=True, text=True, timeout=120, cwd=cwd
        )
        shown, ready = _at(out.stdout, " shown "), _at(out.stdout, " ready ")
        if shown is None or ready is None:
            log(f"  probe printed no figure: {out.stdout[-300:]} {out.stderr[-300:]}")
            continue
        figures["shown"].append((shown - start) * 1000)
        figures["ready"].append((ready - start) * 1000)
        start = time.time()
        out = subprocess.run(
            [py, "-c", BARE_WINDOW], env=env, capture_output=True, text=True, timeout=60, check=True
        )
        bare = _at(out.stdout, "shown")
        assert bare is not None, out.stdout
        figures["bare"].append((bare - start) * 1000)
    return figures


def environment(platform: str, display: str | None = None) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=platform, DECLARA_STARTUP_PROBE="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed Declara runs from compiled bytecode
    env.pop("WAYLAND_DISPLAY", None)
    if display:
        env["DISPLAY"] = display
    return env
