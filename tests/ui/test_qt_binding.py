"""The Qt for Python binding must not drop references to Python's singletons.

PySide6 6.12.0 on Python 3.11 lowers the reference count of ``None`` by one on every call of a method
that returns nothing (``setText``, ``setVisible`` ...), and that of ``True`` on every emission of a
Python-defined ``Signal(bool)``; after a few thousand calls the interpreter aborts with "Fatal Python
error: none_dealloc" (or bool_dealloc), in the app a crash in the middle of an interview. pyproject.toml
pins a release without the bug; these tests fail on a binding that has it. From Python 3.12 on, None,
True and False are immortal and their reference counts mean nothing, so the tests are skipped there.
"""

from __future__ import annotations

import ctypes
import gc
import sys

import pytest

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None, True and False are immortal from Python 3.12 on"
)

CALLS = 2000
TOLERANCE = 50  # unrelated objects that come and go while the loop runs


def _give_back(singleton: object, count: int) -> None:
    """Put back the references a buggy binding dropped (for good: whoever holds them still lets them go
    later), so that the rest of the run reports the failure instead of aborting with none_dealloc."""
    ref = ctypes.py_object(singleton)
    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ref)


def _assert_kept(singleton: object, before: int, after: int, what: str) -> None:
    dropped = before - after
    if dropped > TOLERANCE:
        _give_back(singleton, dropped)
        pytest.fail(
            f"{what}: sys.getrefcount({singleton!r}) fell by {dropped} in {CALLS} rounds "
            f"({before} -> {after}); this Qt for Python binding drops references "
            "(PySide6 6.12.0 on Python 3.11 does) and would abort the app: see the pin in pyproject.toml"
        )


def test_void_methods_keep_the_reference_to_none(qapp):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    text = "x"
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText(text)  # returns nothing
        label.setVisible(False)  # returns nothing
    after = sys.getrefcount(None)
    _assert_kept(None, before, after, "QLabel.setText/setVisible")
    label.deleteLater()


def test_python_bool_signal_keeps_the_reference_to_true(qapp):
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        changed = Signal(bool)

    calls = [0]

    def slot(value: bool) -> None:
        calls[0] += 1

    emitter = Emitter()
    emitter.changed.connect(slot)
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(CALLS):
        emitter.changed.emit(True)
    after = sys.getrefcount(True)
    assert calls[0] == CALLS
    _assert_kept(True, before, after, "Signal(bool).emit(True) into a Python slot")
    emitter.deleteLater()
