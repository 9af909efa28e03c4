"""The vault's life in the window: create one (or the demo), choose one, unlock it (the key is
derived off the GUI thread), and lock it, now (Ctrl+L) or after some idle minutes: everything
pending is saved, the vault closed, every view cleared of client data, and the place the user
was in is found again after the next unlock."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from desktop.errors import DeclaraError
from desktop.i18n import _, ngettext
from desktop.paths import data_dir, default_vault_path
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_vault

if TYPE_CHECKING:
    from desktop.vault import keyheader as kh
    from ui.main_window import MainWindow
    from ui.session import Session

IDLE_CHOICES = (1, 2, 5, 10, 15, 30)


class IdleWatcher(QObject):
    """Fires ``idle`` after ``minutes`` without keyboard or mouse input anywhere in the app."""

    idle = Signal()
    _INPUT = {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)

    def start(self, msec: int) -> None:
        self.timer.setInterval(msec)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in self._INPUT and self.timer.isActive():
            self.timer.start()
        return False


class Place(NamedTuple):  # not a dataclass: importing dataclasses costs start-up 3 ms
    """Where the user was when the vault locked, to return there after unlocking."""

    client: str | None = None
    tab: int = 0
    field: tuple[str, str] | None = None  # (form, field path) that had the focus
    visit: str | None = None
    question: str | None = None


class VaultController(Controller):
    def __init__(
        self,
        window: MainWindow,
        policy: kh.KdfPolicy | None,
        demo_folder: Path | None,
        idle_msec: int | None,
    ) -> None:
        super().__init__(window)
        self._policy = policy
        self.demo_folder = demo_folder
        self._idle_msec = idle_msec
        self.path: Path | None = None  # the vault being unlocked or open
        self._place: Place | None = None
        self._copied_text: str | None = None
        self._closing: Session | None = None  # locked, its backup still running (then closed)
        self._after_close: list[Callable[[], None]] = []  # what waits for that close (an unlock)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self._idle_lock)
        self.act_lock = self.action("actLock", "Ctrl+L", self.lock)
        self.idle_group = QActionGroup(self)
        self.idle_actions: dict[int, QAction] = {}
        for minutes in IDLE_CHOICES:
            act = QAction(self)
            act.setCheckable(True)
            act.setChecked(minutes == window.settings.idle_minutes)
            act.triggered.connect(lambda _c=False, m=minutes: self.set_idle_minutes(m))
            self.idle_group.addAction(act)
            self.idle_actions[minutes] = act
        QGuiApplication.clipboard().dataChanged.connect(self._clipboard_changed)

    @property
    def policy(self) -> kh.KdfPolicy:
        """The key-derivation cost for new vaults and the floor accepted at unlock."""
        if self._policy is None:
            from desktop.vault import keyheader as kh

            self._policy = kh.PRODUCTION
        return self._policy

    # -- the first page --------------------------------------------------------------------------
    def start(self, vault: Path | None = None) -> None:
        path = vault or self.window.settings.last_vault or default_vault_path()
        if (path / "keyheader.json").exists():
            self.show_unlock(path)
        else:
            self.window.pages.setCurrentWidget(self.window.welcome)
            self.window.welcome.passphrase.setFocus()

    def show_unlock(self, path: Path, *, locked: bool = False, demo_passphrase: str | None = None) -> None:
        from desktop.vault.lockfile import LOCK_NAME, current_holder, locked_error

        page = self.window.unlock_page
        self.path = path
        page.set_vault(path, locked_session=locked, demo_passphrase=demo_passphrase)
        holder = None if locked else current_holder(path / LOCK_NAME)
        if holder is not None:  # say it before asking for the passphrase
            page.show_error(locked_error(holder))
        self.window.pages.setCurrentWidget(page)
        self.window.update_actions()
        page.passphrase.setFocus()

    # -- creating and choosing -------------------------------------------------------------------
    def create_vault(self, path: Path, passphrase: str) -> None:
        from desktop.vault.database import create_vault

        self.window.welcome.set_busy(True)
        policy = self.policy
        self._derive_key(lambda: create_vault(path, passphrase, policy), self._created, self._create_failed)

    def _created(self, vault: Any) -> None:
        self.window.welcome.set_busy(False)
        self.window.welcome.clear_secrets()
        self.path = vault.path
        self.window.settings.last_vault = vault.path
        self.open_session(vault)

    def _create_failed(self, error: Exception) -> None:
        self.window.welcome.set_busy(False)
        self.window.welcome.show_error(ops.describe(error))

    def create_demo(self) -> None:
        from desktop.demo import create_demo_vault, demo_passphrase

        folder = self.demo_folder or (data_dir() / "demo")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"demo-{time.strftime('%Y%m%d-%H%M%S')}.declara"
        passphrase = demo_passphrase()
        policy = self.policy
        self.window.welcome.set_busy(True)
        ops.run_op(
            self.window,
            lambda: create_demo_vault(path, passphrase, policy),
            lambda _names: self._demo_ready(path, passphrase),
            background=True,
            on_failure=self._create_failed,
        )

    def _demo_ready(self, path: Path, passphrase: str) -> None:
        self.window.welcome.set_busy(False)
        self.show_unlock(path, demo_passphrase=passphrase)

    def choose_vault(self) -> None:
        from desktop.vault.database import read_header

        start = self.path.parent if self.path else default_vault_path().parent
        title = _("Open a Declara vault (a folder ending in .declara)")
        path = dialogs.open_folder(self.window, title, start)
        if path is not None:
            ops.run_op(
                self.window,
                lambda: read_header(path),
                lambda _h: self.show_unlock(path),
                title=_("Not a vault"),
            )

    def choose_location(self) -> None:
        welcome = self.window.welcome
        path = dialogs.save_file(
            self.window, _("Where should the new vault be created?"), welcome.location, ""
        )
        if path is not None:
            welcome.set_location(
                path if path.suffix == ".declara" else path.with_name(path.name + ".declara")
            )

    # -- unlocking -------------------------------------------------------------------------------
    def unlock(self, passphrase: str) -> None:
        from desktop.vault.database import unlock

        if self.path is None:
            return
        path, policy = self.path, self.policy
        self.window.unlock_page.set_busy(True)
        if self._closing is not None:  # the lock's backup still holds the vault: unlock after it
            self.when_closed(lambda: self.unlock(passphrase))
            return
        self._derive_key(lambda: unlock(path, passphrase, policy), self._key_ready, self._unlock_failed)

    def _derive_key(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], Any],
        on_failure: Callable[[Exception], Any],
    ) -> None:
        """Derive the key (seconds of work) off the GUI thread; the workspace is built meanwhile."""
        ops.run_op(self.window, work, on_success, background=True, on_failure=on_failure)
        self.window.build_workspace_soon()

    def _key_ready(self, key: bytes) -> None:
        from desktop.vault.database import open_vault

        assert self.path is not None
        path = self.path
        vault = ops.run_op(self.window, lambda: open_vault(path, key), on_failure=self._open_failed)
        if vault is None:
            return
        self.window.unlock_page.set_busy(False)
        self.window.unlock_page.passphrase.clear()
        self.window.settings.last_vault = path
        self.open_session(vault)
        from ui.recovery_ui import offer_header_repair

        offer_header_repair(self.window, path)  # opened with the key header's copy: say so

    def _unlock_failed(self, error: Exception) -> None:
        from ui.save_failures import as_declara_error

        if not isinstance(error, DeclaraError):  # a read-only disk, permissions: named, about this vault
            error = as_declara_error(error, self.path) or error
        self.window.unlock_page.set_busy(False)
        self.window.unlock_page.show_error(error if isinstance(error, DeclaraError) else ops.describe(error))

    def _open_failed(self, error: Exception) -> None:
        """The key was right but the database did not open: damage offers salvage and backups."""
        from desktop.errors import VaultCorrupt

        self._unlock_failed(error)
        if isinstance(error, VaultCorrupt) and self.path is not None:
            from ui.damaged_vault import offer_rescue

            passphrase = self.window.unlock_page.passphrase.text()
            offer_rescue(self.window, self.path, passphrase, error, self.policy)

    def open_session(self, vault: Any) -> None:
        """Work in this open vault: the workspace, at the place the user was before the lock."""
        from ui.session import Session

        window = self.window
        workspace = window.workspace  # built first: the views it holds are filled from the session
        window.set_session(Session(vault, window, window.clock))
        window.pages.setCurrentWidget(workspace)
        self.pause_idle(False)
        place, self._place = self._place, None
        self._return_to(place)
        window.unlocked.emit()

    # -- locking ---------------------------------------------------------------------------------
    def _idle_lock(self) -> None:
        """The idle lock, unless edits the vault refused are only in this window: locking would
        lose them, so it waits (the warning in the status bar stays) until they are stored, saved
        to a file or given up with a manual lock."""
        session = self.session
        if session is not None:
            session.flush()  # a failure here is the one dialog, and the edits stay
            if session.failure is not None and session.has_pending and not session.exported_current:
                self.pause_idle(False)  # tried again after the next idle minutes
                return
        self.lock(ask=False)

    @needs_vault
    def lock(self, ask: bool = True) -> None:
        """Save what is pending, close the vault, clear every view of client data."""
        from ui.save_failures import confirm_discard

        if ops.busy():
            return  # never close the vault under a worker (its actions are disabled meanwhile)
        if ask and self.session is not None:
            self.session.flush()
            if not confirm_discard(self.window, self.session):
                return
        self._place = self._where()
        for widget in QApplication.topLevelWidgets():
            if widget is not self.window and isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        session = self._detach_session()
        self.window.set_session(None)  # the controllers clear their views
        clipboard = QGuiApplication.clipboard()
        if self._copied_text is not None and clipboard.text() == self._copied_text:
            clipboard.clear()
        self._copied_text = None
        if self.path is not None:
            self.show_unlock(self.path, locked=True)
        self.window.locked.emit()
        if session is not None:
            self._close_in_background(session)

    def _detach_session(self) -> Session | None:
        """Store what is pending and take the session from the window (the vault stays open)."""
        session = self.session
        if session is None:
            return None
        self.idle.stop()
        session.flush()  # while the views may still read the vault to show what was stored
        self.window.session = None
        return session

    def close_session(self) -> Session | None:
        """Store what is pending, make the automatic backup when due, then close the vault, all on
        this thread (the window is closing); a failure is reported. The closed session."""
        self._finish_closing()
        session = self._detach_session()
        if session is None:
            return None
        if self._backup_due(session):
            try:
                self._backup(session)
            except (DeclaraError, OSError) as exc:
                self._backup_failed(session, exc)
        self._close(session)
        return session

    def _close_in_background(self, session: Session) -> None:
        """On lock: the automatic backup (seconds for a large vault) runs off the GUI thread while
        the unlock page shows; the vault closes when it ends. Unlocking again waits for it."""
        if not self._backup_due(session):
            self._close(session)
            session.deleteLater()
            return
        self._closing = session

        def done(_result: object = None) -> None:
            if self._closing is session:  # not closed meanwhile by the window closing
                self._closing = None
                self._close(session)
            session.deleteLater()
            waiting, self._after_close[:] = list(self._after_close), []
            for callback in waiting:
                callback()

        def failed(error: Exception) -> None:
            self._backup_failed(session, error)
            done()

        ops.run_op(self.window, lambda: self._backup(session), done, background=True, on_failure=failed)

    def _finish_closing(self) -> None:
        """The window is closing while a lock's backup runs: wait for it, then close that vault."""
        session, self._closing = self._closing, None
        self._after_close.clear()
        if session is not None:
            ops.wait(120_000)
            self._close(session)

    def when_closed(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the vault locked last is closed (at once when it is)."""
        if self._closing is None:
            callback()
        else:
            self._after_close.append(callback)

    def _close(self, session: Session) -> None:
        try:
            session.close()
        except DeclaraError as exc:
            ops.report(self.window, exc)

    @staticmethod
    def _backup_due(session: Session) -> bool:
        """Never back up a vault that reported damage, nor one whose saves fail."""
        return session.failure is None and not session.damaged

    @staticmethod
    def _backup(session: Session) -> None:
        """The automatic backup on lock and close (:mod:`desktop.vault.backups`), when one is due."""
        from desktop.vault.backups import backup_if_due

        backup_if_due(session.vault)

    def _backup_failed(self, session: Session, error: Exception) -> None:
        """A failed automatic backup is reported; the lock or close goes on."""
        from ui.save_failures import as_declara_error

        if not isinstance(error, DeclaraError):
            error = as_declara_error(error, session.vault.path) or error
        ops.report(self.window, error, _("No backup was made"))

    def _where(self) -> Place:
        window = self.window
        record, page = window.record, window.visit_page
        client = record.client
        on_record = window.on_record and client is not None
        in_visit = window.in_visit and page.visit is not None
        return Place(
            client=client.id if (on_record or in_visit) and client else None,
            tab=record.tabs.currentIndex(),
            field=record.focused_field() if on_record else None,
            visit=page.visit.id if in_visit and page.visit else None,
            question=page.current.id if in_visit and page.current else None,
        )

    def _return_to(self, place: Place | None) -> None:
        window = self.window
        if place is None or place.client is None:
            window.clients.show_list()
            return
        window.clients.open_client(place.client)
        window.record.tabs.setCurrentIndex(place.tab)
        if place.visit:
            window.visits.open_visit(place.visit, question=place.question)
        elif place.field:
            window.record.focus_field(*place.field)

    def _clipboard_changed(self) -> None:
        if self.session is not None and QApplication.activeWindow() is not None:
            self._copied_text = QGuiApplication.clipboard().text()

    # -- the idle lock ---------------------------------------------------------------------------
    def set_idle_minutes(self, minutes: int) -> None:
        """Lock after this many minutes without input (remembered per user)."""
        self.window.settings.idle_minutes = minutes
        if minutes in self.idle_actions:
            self.idle_actions[minutes].setChecked(True)
        if self.session is not None and self._idle_msec is None:
            self.idle.start(minutes * 60_000)

    def pause_idle(self, paused: bool) -> None:
        """No idle lock while a worker uses the vault; the countdown starts again after it."""
        if paused:
            self.idle.stop()
        elif self.session is not None:
            self.idle.start(self._idle_msec or self.window.settings.idle_minutes * 60_000)

    def retranslate(self) -> None:
        self.act_lock.setText(_("&Lock"))
        for minutes, act in self.idle_actions.items():
            act.setText(
                ngettext("After {count} minute", "After {count} minutes", minutes).format(count=minutes)
            )
