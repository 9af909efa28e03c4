"""Running what the user asked for, after Anki's ``CollectionOp``/``QueryOp``: one helper calls the
work, reports a failure with the one dialog (“Not saved”, or the title given) and hands the result
to ``on_success``.

The quick store writes run synchronously on the GUI thread, as the SQLCipher connection belongs to
it. Long work (key derivation, sync files, large reads) runs with ``background=True`` in a worker
thread (:class:`ui.workers.Task`); the views then learn of it through the same callbacks. What the
work changed reaches the views through the session's change signals, not through the callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from desktop.errors import DeclaraError
from desktop.i18n import N_, _
from ui import dialogs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.workers import Task

_running: list[Task] = []
_when_idle: list[Callable[[], None]] = []


def as_error(error: BaseException) -> BaseException:
    """A storage failure (an OSError, a database error) as the DeclaraError naming its cause (a
    read-only disk, permissions, a full disk, damage); anything else as it is."""
    from ui.save_failures import as_declara_error

    try:
        return as_declara_error(error) or error
    except Exception:  # noqa: BLE001 - describing a failure must never fail
        return error


def describe(error: BaseException) -> str:
    """What the user reads about a failure: the error's own words, or that nothing changed."""
    error = as_error(error)
    if isinstance(error, DeclaraError):
        return error.message()
    return _("Something went wrong ({kind}). Nothing was changed.").format(kind=type(error).__name__)


def report(parent: QWidget | None, error: BaseException, title: str | None = None) -> None:
    """The one failure dialog."""
    dialogs.error(parent, title or _("Not saved"), describe(error))


@contextmanager
def writing() -> Iterator[None]:
    """Around writing a file the user chose: an OSError becomes the error the user reads."""
    try:
        yield
    except OSError as exc:
        raise DeclaraError(
            N_("The file could not be written ({detail})."), detail=exc.strerror or ""
        ) from exc


def run_op(
    parent: QWidget,
    fn: Callable[..., Any],
    on_success: Callable[[Any], Any] | None = None,
    *,
    title: str | None = None,
    background: bool = False,
    on_progress: Callable[[int, int], Any] | None = None,
    on_failure: Callable[[Exception], Any] | None = None,
) -> Any:
    """Call ``fn``; on success call ``on_success`` with its result; on failure call ``on_failure``
    with the error, or show it in the failure dialog titled ``title`` (default “Not saved”).

    Synchronous by default, returning ``fn``'s result (None after a failure); a
    :class:`DeclaraError` or a storage failure (an OSError, a database error: named by
    :func:`ui.save_failures.as_declara_error`) counts as a failure there, anything else is a bug
    and propagates. With ``background=True`` ``fn`` runs in a worker thread, the callbacks on the
    GUI thread, and the :class:`~ui.workers.Task` is returned; with ``on_progress`` too, ``fn``
    receives a ``report(done, total)`` callable whose calls reach ``on_progress`` on the GUI
    thread. In the background every path ends in a result or a message: any exception in ``fn``
    (of any kind) or in ``on_success`` reaches ``on_failure`` or the failure dialog, as does one
    raised by ``on_failure`` itself."""

    def failed(error: BaseException) -> None:
        if on_failure is not None:
            try:
                on_failure(error)
                return
            except Exception as exc:  # noqa: BLE001 - the failure must still be seen
                error = as_error(exc)
        report(parent, error, title)

    if not background:
        try:
            result = fn()
        except DeclaraError as exc:
            failed(exc)
            return None
        except Exception as exc:
            if as_error(exc) is exc:
                raise  # a bug: keep it visible
            failed(exc)  # a storage failure (read-only disk, permissions, damage): named
            return None
        if on_success is not None:
            on_success(result)
        return result
    from ui.workers import Task

    def succeeded(result: Any) -> None:
        try:
            on_success(result)  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - a result handled badly still ends in a message
            failed(exc)

    task = Task(fn, parent, reports=on_progress is not None)
    if on_success is not None:
        task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    if on_progress is not None:
        task.progress.connect(on_progress)
    task.finished.connect(lambda: _finished(task))
    _running.append(task)
    task.start()
    return task


def _finished(task: Task) -> None:
    if task in _running:
        _running.remove(task)
    task.deleteLater()
    if not busy():
        callbacks, _when_idle[:] = list(_when_idle), []
        for callback in callbacks:
            callback()


def busy() -> bool:
    """Is a background operation still running?"""
    return any(task.isRunning() for task in _running)


def when_idle(callback: Callable[[], None]) -> None:
    """Call ``callback`` once no background operation runs (at once when none does)."""
    if busy():
        _when_idle.append(callback)
    else:
        callback()


def wait(msec: int) -> None:
    """Wait at most ``msec`` for the running background operations (when the window closes)."""
    for task in list(_running):
        if task.isRunning():
            task.wait(msec)
