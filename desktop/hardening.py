"""No secrets in crash dumps: core dumps are turned off as the first thing the app and the command
line do (issue 18, finding 6).

A crash of an unlocked Declara would otherwise let the operating system write the process's memory
to a core file: the vault's data key (in hex, as handed to SQLCipher) and whatever client text was
on screen. Turned off here, for this process and the processes it starts:

- Linux: the core-file size limit ``RLIMIT_CORE`` is set to 0 (soft and hard, so it cannot be raised
  again), and ``prctl(PR_SET_DUMPABLE, 0)`` marks the process not dumpable, which also covers a
  ``core_pattern`` that pipes dumps to a crash collector (systemd-coredump, apport) and keeps other
  processes of the same user from attaching a debugger or reading ``/proc/PID/mem``.
- macOS and other Unix systems: ``RLIMIT_CORE`` 0.
- Windows: Windows Error Reporting is told not to show its crash dialog (``SetErrorMode``); whether
  it keeps a local dump is a machine-wide setting (the ``LocalDumps`` registry key), which Declara
  does not change — see docs/security.md.

Nothing here fails: a platform that refuses a step leaves it as it was (the result says which steps
took effect).
"""

from __future__ import annotations

import os
import sys

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3
_SEM_FAILCRITICALERRORS = 0x0001
_SEM_NOGPFAULTERRORBOX = 0x0002


def disable_core_dumps() -> dict[str, bool]:
    """Turn core dumps off for this process; returns which steps took effect."""
    done: dict[str, bool] = {}
    if os.name == "posix":
        done["rlimit_core"] = _zero_core_limit()
        if sys.platform.startswith("linux"):
            done["not_dumpable"] = _prctl(PR_SET_DUMPABLE, 0) == 0
    elif os.name == "nt":  # pragma: no cover - Windows builds only
        done["error_mode"] = _windows_error_mode()
    return done


def dumpable() -> int | None:
    """prctl(PR_GET_DUMPABLE) on Linux (0: no core dump, no ptrace by the same user); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    return _prctl(PR_GET_DUMPABLE, 0)


def _zero_core_limit() -> bool:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        return True
    except (ImportError, ValueError, OSError):
        return False


def _prctl(option: int, arg: int) -> int:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, arg, 0, 0, 0))
    except (OSError, AttributeError):
        return -1


def _windows_error_mode() -> bool:  # pragma: no cover - Windows builds only
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        previous = kernel32.SetErrorMode(_SEM_FAILCRITICALERRORS | _SEM_NOGPFAULTERRORBOX)
        kernel32.SetErrorMode(previous | _SEM_FAILCRITICALERRORS | _SEM_NOGPFAULTERRORBOX)
        return True
    except (OSError, AttributeError):
        return False
