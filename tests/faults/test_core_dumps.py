"""No secrets in crash dumps (issue 18, finding 6): the app and the command line turn core dumps
off as the first thing they do — RLIMIT_CORE 0 (soft and hard) and, on Linux, not dumpable.

Checked in a child process started the way the app starts (``declara`` is ``ui.launcher:main``;
the command line's ``desktop.cli.main`` is also called directly by scripts), with core dumps
allowed beforehand, as ``ulimit -c unlimited`` would."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import io, resource, sys
    try:  # dumps allowed: as root even when this test process already lowered its own limit
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    except (ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
    before = resource.getrlimit(resource.RLIMIT_CORE)
    import ctypes

    def dumpable():  # prctl(PR_GET_DUMPABLE), read without Declara's own code
        return ctypes.CDLL(None, use_errno=True).prctl(3, 0, 0, 0, 0)

    dumpable_before = dumpable()
    sys.stdout = io.StringIO()
    if sys.argv[1] == "launcher":
        from ui.launcher import main
        main(["date", "2026-11-02"])
    else:
        from desktop.cli import main
        main(["date", "2026-11-02"])
    sys.stdout = sys.__stdout__
    print(before, dumpable_before, resource.getrlimit(resource.RLIMIT_CORE), dumpable())
    """
)


def _start(entry: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, entry], capture_output=True, text=True, cwd=REPO, timeout=120
    )


# Started while this module is collected, before any test runs: the in-process command-line tests
# call desktop.cli.main, which lowers this very process's hard core limit to 0 for good, and a
# child inherits it (raising it again needs CAP_SYS_RESOURCE).
_CHILDREN = (
    {entry: _start(entry) for entry in ("launcher", "cli")} if sys.platform.startswith("linux") else {}
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl and /proc are Linux's")
@pytest.mark.parametrize("entry", ["launcher", "cli"])
def test_core_dumps_are_off_from_the_first_line(entry):
    child = _CHILDREN[entry]
    assert child.returncode == 0, child.stderr
    fields = [int(f) for f in child.stdout.strip().translate(str.maketrans("(),", "   ")).split()]
    before, dumpable_before, after, dumpable_after = (
        tuple(fields[0:2]),
        fields[2],
        tuple(fields[3:5]),
        fields[5],
    )
    if before == (0, 0):
        pytest.skip("this process could not allow core dumps to begin with (a hard limit of 0)")
    assert dumpable_before == 1  # the child could dump before main()
    assert after == (0, 0)  # no core file, and the limit cannot be raised again
    assert dumpable_after == 0  # not dumpable: no core through a crash collector, no ptrace


def test_the_status_of_the_process_says_not_dumpable():
    """/proc/PID/status of a process after disable_core_dumps(): the kernel's own view."""
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc")
    code = (
        "from desktop.hardening import disable_core_dumps; disable_core_dumps(); import resource; "
        "print(open('/proc/self/limits').read())"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    line = next(line for line in child.stdout.splitlines() if line.startswith("Max core file size"))
    assert line.split()[4:6] == ["0", "0"]
