"""Message boxes and file pickers behind one small seam, so tests can script the answers
(after KeePassXC's ``MessageBox::setNextAnswer``) and no test ever blocks on a modal dialog."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

# Qt's dialog classes are imported where used: this module is on the window's start-up path.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

_answers: deque[object] = deque()
shown: list[tuple[str, str]] = []  # (kind, text) of every dialog, for tests


def set_next_answer(answer: object) -> None:
    """The next dialog returns ``answer`` instead of opening (a bool, a path or None)."""
    _answers.append(answer)


def forget_answers() -> None:
    """Drop the scripted answers no dialog took and the record of the dialogs shown (tests)."""
    _answers.clear()
    shown.clear()


#: Tests set this: a dialog with no scripted answer then raises instead of opening a modal window
#: that would hold the test's event loop until something (the idle lock, minutes later) closes it.
strict = False


class UnscriptedDialog(AssertionError):
    """A dialog opened in a test that scripted no answer for it."""


def _scripted() -> tuple[bool, object]:
    if _answers:
        return True, _answers.popleft()
    if strict:
        raise UnscriptedDialog(f"no scripted answer for a dialog (shown so far: {shown[-1:]})")
    return False, None


def error(parent: QWidget | None, title: str, text: str) -> None:
    shown.append(("error", text))
    scripted, _ = _scripted()
    if not scripted:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    shown.append(("info", text))
    scripted, _ = _scripted()
    if not scripted:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    shown.append(("confirm", text))
    scripted, answer = _scripted()
    if scripted:
        return bool(answer)
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, buttons) == QMessageBox.StandardButton.Yes


def forget_file_dialog_history() -> None:
    """Qt's file dialog remembers recent folders and files in ~/.config/QtProject.conf
    ([FileDialog] history, lastVisited). Paths can name clients, so erase them after each use."""
    from PySide6.QtCore import QSettings

    settings = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "QtProject")
    settings.remove("FileDialog")
    settings.sync()


def _file_dialog_options() -> QFileDialog.Option:
    from PySide6.QtWidgets import QFileDialog

    # Qt's own dialog: no native dialog writes the chosen path into a system "recent files" list.
    return QFileDialog.Option.DontUseNativeDialog


def open_folder(parent: QWidget | None, title: str, start: Path) -> Path | None:
    scripted, answer = _scripted()
    if scripted:
        return Path(answer) if answer else None  # type: ignore[arg-type]
    from PySide6.QtWidgets import QFileDialog

    path = QFileDialog.getExistingDirectory(parent, title, str(start), _file_dialog_options())
    forget_file_dialog_history()
    return Path(path) if path else None


def open_file(parent: QWidget | None, title: str, start: Path, filter_: str) -> Path | None:
    scripted, answer = _scripted()
    if scripted:
        return Path(answer) if answer else None  # type: ignore[arg-type]
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, title, str(start), filter_, options=_file_dialog_options())
    forget_file_dialog_history()
    return Path(path) if path else None


def open_files(parent: QWidget | None, title: str, start: Path, filter_: str) -> list[Path]:
    """Several files at once (a scripted answer: a list of paths, or a falsy value for none)."""
    scripted, answer = _scripted()
    if scripted:
        return [Path(p) for p in answer] if answer else []  # type: ignore[union-attr]
    from PySide6.QtWidgets import QFileDialog

    options = _file_dialog_options()
    paths, _ = QFileDialog.getOpenFileNames(parent, title, str(start), filter_, options=options)
    forget_file_dialog_history()
    return [Path(p) for p in paths]


def save_file(parent: QWidget | None, title: str, start: Path, filter_: str) -> Path | None:
    scripted, answer = _scripted()
    if scripted:
        return Path(answer) if answer else None  # type: ignore[arg-type]
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, title, str(start), filter_, options=_file_dialog_options())
    forget_file_dialog_history()
    return Path(path) if path else None


def exec_dialog(dialog: QDialog) -> int:
    """``dialog.exec()``, or a scripted answer: True accepts, False rejects, a callable is called
    with the dialog (to fill it in) and then accepts."""
    from PySide6.QtWidgets import QDialog

    scripted, answer = _scripted()
    if not scripted:
        return dialog.exec()
    if callable(answer):
        answer(dialog)
        return QDialog.DialogCode.Accepted
    return QDialog.DialogCode.Accepted if answer else QDialog.DialogCode.Rejected


_print_targets: deque[Path] = deque()


def set_print_target(path: Path) -> None:
    """The next print goes to this PDF instead of the print dialog (tests)."""
    _print_targets.append(path)


def print_target() -> Path | None:
    return _print_targets.popleft() if _print_targets else None
