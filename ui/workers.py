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
    progress = Signal(int, int)  # done, total: emitted by report() from the worker thread

    def report(self, done: int, total: int) -> None:
        """For ``fn`` to call from the worker thread; delivered on the GUI thread."""
        self.progress.emit(int(done), int(total))

    def __init__(self, fn: Callable[..., Any], parent: Any = None, *, reports: bool = False) -> None:
        """``reports``: ``fn`` takes one argument, :meth:`report`, to tell how far it got."""
        super().__init__(parent)
        self._fn = fn
        self._reports = reports

    def run(self) -> None:
        try:
            result = self._fn(self.report) if self._reports else self._fn()
        except DeclaraError as exc:
            self.failed.emit(exc)
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread, never lost
            # an OSError (a read-only disk, permissions) or a bug: the GUI side always hears of it,
            # so no busy bar waits forever for a result that will never come
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
