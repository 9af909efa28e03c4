"""Long work off the GUI thread: a QThread running one function, with typed result signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

from desktop.errors import DeclaraError


class Task(QThread):
    """Runs ``fn()`` in a thread; emits ``succeeded(result)`` or ``failed(error)`` on the GUI side."""

    succeeded = Signal(object)
    failed = Signal(object)  # a DeclaraError (shown to the user) or another exception

    def __init__(self, fn: Callable[[], Any], parent: Any = None) -> None:
        super().__init__(parent)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except DeclaraError as exc:
            self.failed.emit(exc)
        except Exception as exc:  # noqa: BLE001 - reported to the GUI thread, never lost
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
