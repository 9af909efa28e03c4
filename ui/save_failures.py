"""When the vault cannot store what was typed: the failure is named (damage, a full disk, a
read-only disk or folder, permissions), shown once in a dialog and then, until a later save
succeeds, as a warning in the status bar in place of “Changes are saved as you type”. The typed
text stays in its field and in the session's queue, and can be saved, encrypted, to a file.

The file (an age file encrypted to a passphrase the user types, holding the edits as JSON) is
:mod:`desktop.case.unsaved_edits`'s, which also brings it back into a vault (:mod:`ui.unsaved_ui`).
Nothing is ever written in plain text."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.errors import DeclaraError, VaultCorrupt, VaultError, VaultReadOnly
from desktop.i18n import N_, _, ngettext
from ui.checked_dialog import CheckedDialog, passphrase_fields, passphrase_problem

if TYPE_CHECKING:
    from ui.session import Session


DAMAGED, DISK_FULL, READ_ONLY = "damaged", "disk_full", "read_only"
PERMISSIONS, OTHER = "permissions", "other"

_WARNINGS = {
    DAMAGED: N_("Not saved: the vault is damaged. Your unsaved changes are kept in this window."),
    DISK_FULL: N_("Not saved: the disk is full. Your unsaved changes are kept in this window."),
    READ_ONLY: N_(
        "Not saved: the vault is on a read-only disk or folder. Your unsaved changes are kept in this window."
    ),
    PERMISSIONS: N_(
        "Not saved: Declara may not write to the vault's folder (permissions). Your unsaved changes are "
        "kept in this window."
    ),
    OTHER: N_("Not saved: the vault could not be written. Your unsaved changes are kept in this window."),
}
_ADVICE = {
    DAMAGED: N_(
        "Save your unsaved changes to a file (in the status bar), then lock the vault: when you unlock "
        "it again, Declara offers to salvage it or to restore a backup."
    ),
    DISK_FULL: N_("Free some space on the disk: your changes are saved again with your next keystroke."),
    READ_ONLY: N_(
        "Move the vault to a disk you can write to, or save your unsaved changes to a file (in the "
        "status bar)."
    ),
    PERMISSIONS: N_(
        "Ask whoever manages this computer to let you write to the vault's folder, or save your unsaved "
        "changes to a file (in the status bar)."
    ),
    OTHER: N_(
        "Your changes are tried again with your next keystroke. You can save them to a file (in the "
        "status bar)."
    ),
}


# -- naming the cause ------------------------------------------------------------------------------
def damage_error() -> VaultCorrupt:
    """Why nothing more is written to a vault that reported damage."""
    return VaultCorrupt(
        N_(
            "The vault is damaged, so Declara no longer writes to it. Nothing was changed; keep the "
            "folder, salvage it or restore a backup."
        )
    )


def as_declara_error(exc: BaseException, folder: Path | None = None) -> DeclaraError | None:
    """What the user reads about a storage failure (an OSError, a database error, or a
    :class:`DeclaraError` that does not name its cause), in the vault's own words
    (:mod:`desktop.vault.health`); None for a bug (keep it visible). ``folder``: the vault's folder,
    when the failure is known to be about the vault."""
    from desktop.vault import health
    from desktop.vault.database import DiskFull

    if isinstance(exc, DeclaraError):
        cause = exc.__cause__
        if type(exc) is VaultError and cause is not None and not isinstance(cause, DeclaraError):
            return as_declara_error(cause, folder) or exc  # “could not be written” names no cause
        return exc
    if isinstance(exc, OSError) and not _is_db_error(exc):
        detail = exc.strerror or type(exc).__name__
        if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
            return DiskFull()
        refused = exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
        if folder is not None:
            if exc.errno == errno.EROFS:
                return health.translate_os_error(exc, folder)
            if refused:
                return health.read_only(folder)  # a read-only disk, else permissions
            return VaultError(N_("The vault could not be read or written ({detail})."), detail=detail)
        if not refused:
            return None
        if exc.errno == errno.EROFS:  # not known to be about the vault (a sync file, a USB stick …)
            msgid = N_("The disk or folder is read-only ({detail}): nothing could be written there.")
            return DeclaraError(msgid, detail=detail)
        return DeclaraError(N_("Declara may not write there (permissions: {detail})."), detail=detail)
    if _is_db_error(exc):
        import sqlcipher3

        if isinstance(exc, sqlcipher3.IntegrityError | sqlcipher3.ProgrammingError):
            return None  # a bug in Declara, not a property of the vault: keep it visible
        text = str(exc).lower()
        if "disk is full" in text:
            return DiskFull()
        if health.is_damage(exc):
            return health.damaged(type(exc).__name__)
        if health.is_read_only(exc) and folder is not None:
            return health.read_only(folder)
        return VaultError(N_("The vault could not be read or written ({detail})."), detail=str(exc))
    return None


def _is_db_error(exc: BaseException) -> bool:
    import sqlcipher3

    return isinstance(exc, sqlcipher3.DatabaseError)


def cause_of(error: BaseException) -> str:
    """DAMAGED, DISK_FULL, READ_ONLY, PERMISSIONS or OTHER."""
    from desktop.vault.database import DiskFull

    if isinstance(error, VaultCorrupt):
        return DAMAGED
    if isinstance(error, DiskFull):
        return DISK_FULL
    if isinstance(error, VaultReadOnly):
        from desktop.vault import health

        return PERMISSIONS if getattr(error, "msgid", None) == health.PERMISSIONS else READ_ONLY
    return OTHER


def warning_text(error: BaseException) -> str:
    """The status bar's warning while the failure lasts."""
    return _(_WARNINGS[cause_of(error)])


def dialog_text(error: BaseException) -> str:
    from ui.ops import describe

    return describe(error) + "\n\n" + _(_ADVICE[cause_of(error)])


# -- the damaged flag ------------------------------------------------------------------------------
def mark_damaged(vault: Any) -> None:
    """Once damage is seen the vault is never written again by this window (no autosave, no
    backup): ``vault.damaged`` tells the others."""
    try:
        vault.damaged = True
    except AttributeError:  # pragma: no cover - a read-only property of the vault
        pass


def is_damaged(vault: Any) -> bool:
    return bool(getattr(vault, "damaged", False))


@contextmanager
def storing(vault: Any) -> Iterator[None]:
    """Around reading or writing the vault: raw errors become the error the user reads (naming
    its cause), and damage marks the vault."""
    folder = getattr(vault, "path", None)
    try:
        yield
    except Exception as exc:
        error = as_declara_error(exc, folder)
        if error is None:
            raise
        if isinstance(error, VaultCorrupt):
            mark_damaged(vault)
        if error is exc:
            raise
        raise error from exc


# -- the unsaved edits, encrypted ------------------------------------------------------------------
def unsaved_document(session: Session) -> dict[str, Any]:
    """The pending edits, with each client's display name when it can still be read (the file's
    format: :mod:`desktop.case.unsaved_edits`)."""
    from desktop.case import unsaved_edits

    vault_id = getattr(session.vault, "vault_id", None)
    return unsaved_edits.build_document(session.pending_edits(), session.store, vault_id)


def write_unsaved(path: Path, document: dict[str, Any], passphrase: str) -> None:
    """Write ``document`` as an age file encrypted to ``passphrase`` (never in plain text)."""
    from desktop.case import unsaved_edits

    unsaved_edits.write(path, document, passphrase)


def read_unsaved(path: Path, passphrase: str) -> dict[str, Any]:
    """Read a file written by :func:`write_unsaved` as its JSON (``age -d`` does the same)."""
    from desktop.case import unsaved_edits

    return json.loads(unsaved_edits.decrypt(path, passphrase))


def _inside_a_vault(path: Path) -> bool:
    """This vault's folder or any other: the one guard of every export (desktop.vault.health)."""
    from desktop.errors import ForeignFile
    from desktop.vault.health import refuse_inside_vault

    try:
        refuse_inside_vault(path)
    except ForeignFile:
        return True
    return False


def save_unsaved_to_file(parent: QWidget, session: Session) -> bool:
    """“Save my unsaved changes to a file…”: ask where and for a passphrase, write the age file.
    True when it was written."""
    from ui import dialogs, ops

    if not session.has_pending:
        dialogs.info(parent, _("Nothing to save"), _("There are no unsaved changes."))
        return False
    start = Path.home() / f"declara-unsaved-{datetime.now().strftime('%Y%m%d-%H%M')}.age"
    path = dialogs.save_file(
        parent, _("Save my unsaved changes to a file"), start, _("Encrypted files (*.age)")
    )
    if path is None:
        return False
    if _inside_a_vault(path):
        ops.report(
            parent,
            DeclaraError(N_("Choose a place outside the vault's folder: nothing is written into it now.")),
            _("Not saved"),
        )
        return False
    passphrase = ask_file_passphrase(parent)
    if passphrase is None:
        return False
    document = unsaved_document(session)

    def write() -> None:
        with ops.writing():
            write_unsaved(path, document, passphrase)

    if ops.run_op(parent, lambda: write() or True, title=_("Not saved")) is None:
        return False
    session.mark_exported()
    count = len(document["edits"])
    dialogs.info(
        parent,
        _("Unsaved changes saved"),
        ngettext(
            "{count} unsaved change was saved, encrypted, to {path}. Open it with the passphrase you "
            "chose (any age tool can: age -d). It is still not in the vault.",
            "{count} unsaved changes were saved, encrypted, to {path}. Open it with the passphrase you "
            "chose (any age tool can: age -d). They are still not in the vault.",
            count,
        ).format(count=count, path=path),
    )
    return True


def ask_file_passphrase(parent: QWidget) -> str | None:
    """A passphrase for the file, typed twice and strong enough; None if cancelled."""
    from ui import dialogs

    dialog = FilePassphraseDialog(parent)
    accepted = dialogs.exec_dialog(dialog) == QDialog.DialogCode.Accepted
    passphrase = dialog.passphrase() if accepted and dialog.problem() is None else None
    dialog.deleteLater()
    return passphrase


def confirm_discard(parent: QWidget, session: Session | None) -> bool:
    """Before the vault is locked or the window closed with edits the vault refused: offer to save
    them to a file. False when the user went back (nothing is closed)."""
    from ui import dialogs

    if session is None or session.failure is None or not session.has_pending or session.exported_current:
        return True
    count = len(session.pending_edits())
    save = dialogs.confirm(
        parent,
        _("Unsaved changes"),
        ngettext(
            "{count} change could not be stored in the vault. Save it to an encrypted file first? "
            "(No: it is lost when the vault closes.)",
            "{count} changes could not be stored in the vault. Save them to an encrypted file first? "
            "(No: they are lost when the vault closes.)",
            count,
        ).format(count=count),
    )
    return save_unsaved_to_file(parent, session) if save else True


class FilePassphraseDialog(CheckedDialog):
    """Two password fields; OK only when they match and the passphrase is strong enough."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filePassphraseDialog")
        self.setWindowTitle(_("A passphrase for the file"))
        self.setMinimumWidth(440)
        intro = QLabel(
            _("The file is encrypted. Choose a passphrase for it (it can differ from the vault's):"), self
        )
        intro.setWordWrap(True)
        self.first, self.second = passphrase_fields(self, "filePassphrase")
        self.make_error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.first, self.second, self.error, buttons):
            layout.addWidget(widget)

    def passphrase(self) -> str:
        return self.first.text()

    def problem(self) -> str | None:
        return passphrase_problem(self.first, self.second)


class _ElidedLabel(QLabel):
    """A one-line label that takes the room it is given and cuts its text with “…” to fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.setToolTip(text)
        self.updateGeometry()
        if self.isVisible():  # else when shown (showEvent): the window's start-up never elides
            self._fit()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._fit()

    def text(self) -> str:
        return self._full

    def sizeHint(self):  # noqa: ANN201,N802 - Qt API
        from PySide6.QtGui import QFontMetrics

        hint = super().sizeHint()
        font = self.font()
        font.setBold(True)  # as the style sheet shows it, polished or not yet
        hint.setWidth(QFontMetrics(font).horizontalAdvance(self._full) + 40)  # with its padding
        return hint

    def minimumSizeHint(self):  # noqa: ANN201,N802 - Qt API
        hint = super().minimumSizeHint()
        hint.setWidth(160)
        return hint

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        from PySide6.QtCore import Qt

        room = self.contentsRect().width() - 20  # the padding of the style sheet
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(room, 0))
        super().setText(shown)


class FailureIndicator(QWidget):
    """The status bar's warning while saving fails, with “Save my unsaved changes to a file…”."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QHBoxLayout, QPushButton

        super().__init__(parent)
        self.setObjectName("saveFailure")
        self.error: BaseException | None = None
        self.label = _ElidedLabel(self)  # never widens the window: cut with “…”, whole in its tooltip
        self.label.setObjectName("saveWarning")
        self.label.setStyleSheet(
            "QLabel#saveWarning { color: #ffffff; background: #b3261e; font-weight: bold; "
            "padding: 2px 8px; border-radius: 3px; }"
        )
        self.button = QPushButton(self)
        self.button.setObjectName("saveUnsavedButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.setVisible(False)
        self.retranslate_ui()

    def show_failure(self, error: BaseException | None) -> None:
        """Show the warning for ``error``; None: hide it (saving works)."""
        self.error = error
        self.retranslate_ui()
        self.setVisible(error is not None)

    def retranslate_ui(self) -> None:
        self.label.setText(warning_text(self.error) if self.error is not None else "")
        self.button.setText(_("Save my unsaved changes to a file…"))
