"""Run a command in a Wayland-only session: a headless Weston compositor (1366 × 768), no X display.

``make bundle-test`` runs the bundle's ``--self-test --real-display`` through this, after the X11 run
under Xvfb: Qt 6 takes its ``wayland`` platform plugin in a Wayland session, so the bundle must start
there too. Usage: ``python packaging/wayland_run.py COMMAND [ARG …]``; the exit code is the command's
(2 when Weston is missing or does not start).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOCKET = "declara-wayland"
SIZE = ("1366", "768")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    weston = shutil.which("weston")
    if weston is None:
        print("weston is missing: sudo apt-get install weston")
        return 2
    with tempfile.TemporaryDirectory(prefix="declara-wayland-") as runtime:
        os.chmod(runtime, 0o700)  # a session's runtime folder: its owner's only
        away = ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")  # no X display: Wayland only
        env = {k: v for k, v in os.environ.items() if k not in away}
        env["XDG_RUNTIME_DIR"] = runtime
        log = Path(runtime) / "weston.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [weston, "--backend=headless-backend.so", f"--socket={SOCKET}", f"--width={SIZE[0]}",
                 f"--height={SIZE[1]}", "--idle-time=0"],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 20
            while not (Path(runtime) / SOCKET).exists():
                if server.poll() is not None or time.monotonic() > deadline:
                    print("Weston did not start:\n" + log.read_text(errors="replace")[-2000:])
                    return 2
                time.sleep(0.05)
            env.update(WAYLAND_DISPLAY=SOCKET, XDG_SESSION_TYPE="wayland")
            return subprocess.run(argv, env=env, check=False).returncode
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
