"""The main window, a frame: the pages (welcome, unlock, and the workspace: client list, client
record, visit mode), the menus and the toolbar assembled from the feature controllers' actions
(:mod:`ui.controllers`), the saved indicator, the live language switch (F12), and closing. The
controllers do the work; the window never writes to the vault itself."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from desktop.i18n import LANGUAGE_NAMES, N_, _, babel_locale, current_language
from desktop.paths import default_vault_path
from ui import dialogs, ops
from ui.controllers.vault import VaultController
from ui.language import LanguageManager
from ui.settings import Settings

if TYPE_CHECKING:
    from datetime import datetime

    from desktop.vault import keyheader as kh
    from ui.assign_ui import AssignController
    from ui.controllers.base import Condition, Controller
    from ui.controllers.chronology import ChronologyController
    from ui.controllers.clients import ClientsController
    from ui.controllers.custody import CustodyController
    from ui.controllers.declaration import DeclarationController
    from ui.controllers.documents import DocumentsController
    from ui.controllers.packet import PacketController
    from ui.controllers.requests import RequestsController
    from ui.controllers.sync import SyncController
    from ui.controllers.visits import VisitController
    from ui.recovery_ui import RecoveryController
    from ui.save_failures import FailureIndicator
    from ui.models.client_table import ClientTableModel
    from ui.pages.client_list import ClientListPage
    from ui.pages.client_record import ClientRecordPage
    from ui.pages.unlock import UnlockPage
    from ui.pages.visit import VisitPage
    from ui.pages.welcome import WelcomePage
    from ui.session import Session

SHORTCUTS = (
    ("Ctrl+N", N_("New client")),
    ("Ctrl+Shift+V", N_("Start a visit with the client")),
    ("Ctrl+F", N_("Find a client")),
    ("Enter", N_("Open the selected client")),
    ("Alt+Left", N_("Back to the client list")),
    ("Ctrl+1 … Ctrl+9", N_("Go to a section of the client's record")),
    ("Ctrl+0", N_("Go to the filing packet")),
    ("Ctrl+I", N_("Import a case file")),
    ("Ctrl+E", N_("Export the client as a case file")),
    ("Ctrl+Shift+T", N_("Export the timeline exhibit (PDF)")),
    ("Ctrl+Shift+S", N_("Export a sync file for another vault")),
    ("Ctrl+Shift+O", N_("Import a sync file")),
    ("Ctrl+Shift+L", N_("Assign the selected clients to laptops (office)")),
    ("Ctrl+Shift+U", N_("Unassign the selected clients from laptops (office)")),
    ("Ctrl+Z", N_("Undo the last deletion")),
    ("F12", N_("Switch the interface language (English / Español)")),
    ("Ctrl+L", N_("Lock now")),
    ("F1", N_("Keyboard shortcuts")),
    ("Ctrl+Q", N_("Quit")),
)


def _now() -> datetime:
    from datetime import datetime  # not at import: start-up does not need the module (1.4 ms)

    return datetime.now()


#: The attributes that :meth:`MainWindow.build_features` sets.
_FEATURES = frozenset(
    {"clients", "chronology", "declaration", "visits", "sync", "documents", "packet", "requests", "recovery",
     "assign", "custody", "save_failure"}
)


class _FirstPaint(QObject):
    """Calls ``then`` once, when the window first paints (then stops listening)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._then()
        return False


#: The first run maximises the window on a screen up to this wide (laptops: 1,366 or 1,440 pixels).
MAXIMISE_UP_TO = 1440


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()
    session_changed = Signal(object)  # the Session just opened, or None: the vault was locked
    workspace_built = Signal()  # the workspace's pages exist (built on first use)

    # Set by build_features() (after the first paint, or when first asked for: see __getattr__).
    clients: ClientsController
    chronology: ChronologyController
    declaration: DeclarationController
    visits: VisitController
    sync: SyncController
    documents: DocumentsController
    packet: PacketController
    requests: RequestsController
    recovery: RecoveryController
    assign: AssignController
    custody: CustodyController
    save_failure: FailureIndicator

    def __init__(
        self,
        settings: Settings,
        languages: LanguageManager,
        policy: kh.KdfPolicy | None = None,
        *,
        demo_folder: Path | None = None,
        idle_msec: int | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.languages = languages
        self.clock = clock or _now
        self.session: Session | None = None
        self._enabling: dict[QAction, Condition | None] = {}
        self._held = False  # a worker uses the vault: every action but the language and Quit is off
        self._status: tuple[Callable[[], str], float] | None = None  # the status message, until when
        self._close_when_done = False  # a close asked for while a worker ran (closeEvent)
        self._saved_at: datetime | None = None

        # The pages are built when first needed (see the properties below): start-up builds only the
        # page shown first (unlock or welcome); the workspace is built while the key is derived.
        self._welcome: WelcomePage | None = None
        self._unlock_page: UnlockPage | None = None
        self._workspace: QStackedWidget | None = None
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("savedIndicator")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.vault = VaultController(self, policy, demo_folder, idle_msec)
        self._controllers: list[Controller] = [self.vault]
        self._features_built = False
        self.act_quit = self.add_action("actQuit", "Ctrl+Q", self.close, None)
        self.act_language = self.add_action("actLanguage", "F12", self.languages.toggle, None)
        self.act_shortcuts = self.add_action("actShortcuts", "F1", self.show_shortcuts, None)
        self.act_about = self.add_action("actAbout", None, self.show_about, None)
        from ui import window_menus

        window_menus.create_frame(self)
        self.languages.language_changed.connect(self._language_changed)
        self.retranslate_ui()
        self.update_actions()
        # The features (client list, record, visits, sync …) are built once the first page has been
        # painted, or at once when something asks for one: start-up shows the unlock page first.
        self._first_paint = _FirstPaint(self, lambda: QTimer.singleShot(0, self, self.build_features))
        self.resize(1180, 760)

    def build_features(self) -> None:
        """The features' controllers, their menu entries and the save-failure indicator (once)."""
        if self._features_built:
            return
        self._features_built = True
        from ui import window_menus
        from ui.assign_ui import AssignController
        from ui.controllers.chronology import ChronologyController
        from ui.controllers.clients import ClientsController
        from ui.controllers.custody import CustodyController
        from ui.controllers.declaration import DeclarationController
        from ui.controllers.documents import DocumentsController
        from ui.controllers.packet import PacketController
        from ui.controllers.requests import RequestsController
        from ui.controllers.sync import SyncController
        from ui.controllers.visits import VisitController
        from ui.recovery_ui import RecoveryController
        from ui.save_failures import FailureIndicator

        self.save_failure = FailureIndicator(self)  # in place of the saved indicator while saving fails
        self.save_failure.button.clicked.connect(self.save_unsaved_to_file)
        self.statusBar().addPermanentWidget(self.save_failure)
        self.clients = ClientsController(self)
        self.chronology = ChronologyController(self)
        self.declaration = DeclarationController(self)
        self.visits = VisitController(self)
        self.sync = SyncController(self)
        self.documents = DocumentsController(self)
        self.packet = PacketController(self)
        self.requests = RequestsController(self)
        self.recovery = RecoveryController(self)
        self.assign = AssignController(self)  # the office's assignments (ui.assign_ui)
        self.custody = CustodyController(self)
        features = [self.clients, self.chronology, self.declaration, self.visits, self.sync, self.documents,
                    self.packet, self.requests, self.recovery, self.assign, self.custody]
        self._controllers += features
        window_menus.add_features(self)
        for controller in features:
            controller.retranslate()
        from ui.app import add_scalable_icon

        add_scalable_icon()
        import gc

        if not gc.isenabled():  # turned off for the start-up (ui.launcher)
            gc.freeze()
            gc.enable()
        if self._workspace is not None:  # cannot happen (building it builds these first), kept safe
            for controller in features:
                controller.connect_views()
        self.hold(self._held) if self._held else self.update_actions()

    def __getattr__(self, name: str) -> Any:
        # Only reached when ``name`` is not set yet: a feature asked for before the first paint.
        if name in _FEATURES and not self.__dict__.get("_features_built", True):
            self.build_features()
            return self.__dict__[name]
        raise AttributeError(name)

    @property
    def controllers(self) -> tuple[Controller, ...]:
        self.build_features()
        return tuple(self._controllers)

    def show_placed(self) -> None:
        """Show the window where the user left it; the first time, sized to the screen: maximised on
        a screen up to :data:`MAXIMISE_UP_TO` pixels wide (a laptop's), else most of a larger one."""
        saved = self.settings.geometry
        if saved is not None and self.restoreGeometry(saved):
            self.show()
            return
        screen = self.screen().availableGeometry()
        if screen.width() <= MAXIMISE_UP_TO:
            self.setGeometry(screen)  # the whole screen even where no window manager maximises
            self.showMaximized()
            return
        self.resize(min(1600, int(screen.width() * 0.85)), min(1000, int(screen.height() * 0.85)))
        self.move(screen.center() - self.rect().center())
        self.show()

    def show_backups(self) -> None:
        from ui.backups_ui import show_backups

        show_backups(self)

    def apply_unsaved(self) -> None:
        from ui.unsaved_ui import apply_saved_changes

        apply_saved_changes(self)

    # -- pages, built on first use ---------------------------------------------------------------
    @property
    def welcome(self) -> WelcomePage:
        if self._welcome is None:
            from ui.pages.welcome import WelcomePage

            folder = self.vault.demo_folder
            page = WelcomePage(default_vault_path() if folder is None else folder / "vault.declara", self)
            page.create_requested.connect(self.vault.create_vault)
            page.open_requested.connect(self.vault.choose_vault)
            page.demo_requested.connect(self.vault.create_demo)
            page.choose_location_requested.connect(self.vault.choose_location)
            page.language_toggle_requested.connect(self.languages.toggle)
            self.pages.addWidget(page)
            self._welcome = page
        return self._welcome

    @property
    def unlock_page(self) -> UnlockPage:
        if self._unlock_page is None:
            from ui.pages.unlock import UnlockPage

            page = UnlockPage(self)
            page.unlock_requested.connect(self.vault.unlock)
            page.other_vault_requested.connect(self.vault.choose_vault)
            page.recover_requested.connect(lambda: self.recovery.recover())  # built by then
            page.language_toggle_requested.connect(self.languages.toggle)
            self.pages.addWidget(page)
            self._unlock_page = page
        return self._unlock_page

    @property
    def workspace(self) -> QStackedWidget:
        """The client list, the client record and visit mode (built on first use)."""
        if self._workspace is None:
            self._build_workspace()
        assert self._workspace is not None
        return self._workspace

    @property
    def client_model(self) -> ClientTableModel:
        return self._client_model if self._workspace is not None else self._built()._client_model

    @property
    def client_list(self) -> ClientListPage:
        return self._client_list if self._workspace is not None else self._built()._client_list

    @property
    def record(self) -> ClientRecordPage:
        return self._record if self._workspace is not None else self._built()._record

    @property
    def visit_page(self) -> VisitPage:
        return self._visit_page if self._workspace is not None else self._built()._visit_page

    def build_workspace_soon(self) -> None:
        """Build the workspace while the key is derived in the worker thread (the derivation
        releases the GIL), once the busy bar has been painted."""
        if self._workspace is None:
            QTimer.singleShot(0, self, self._build_workspace)

    def _built(self) -> MainWindow:
        self._build_workspace()
        return self

    def _build_workspace(self) -> None:
        if self._workspace is not None:
            return
        self.build_features()  # their controllers hear of the workspace (workspace_built)
        from ui.models.client_table import ClientTableModel
        from ui.pages.client_list import ClientListPage
        from ui.pages.client_record import ClientRecordPage
        from ui.pages.visit import VisitPage

        self._client_model = ClientTableModel(parent=self)
        self._client_list = ClientListPage(self._client_model, self)
        self._record = ClientRecordPage(self)
        self._visit_page = VisitPage(self)
        workspace = QStackedWidget(self)
        workspace.addWidget(self._client_list)
        workspace.addWidget(self._record)
        workspace.addWidget(self._visit_page)
        self.pages.addWidget(workspace)
        self._workspace = workspace
        self.workspace_built.emit()

    def _showing(self, attribute: str) -> bool:
        return self._workspace is not None and self._workspace.currentWidget() is getattr(self, attribute)

    @property
    def on_list(self) -> bool:
        return self._showing("_client_list")

    @property
    def on_record(self) -> bool:
        return self._showing("_record")

    @property
    def in_visit(self) -> bool:
        return self._showing("_visit_page")

    def show_page(self, page: QWidget) -> None:
        """Show one of the workspace's pages (the actions follow)."""
        self.workspace.setCurrentWidget(page)
        self.update_actions()

    # -- starting and the session ----------------------------------------------------------------
    def start(self, vault: Path | None = None) -> None:
        """The first page: unlock the vault (this one, else the last one used), or welcome."""
        self.vault.start(vault)

    def set_session(self, session: Session | None) -> None:
        """Work in this session, or in none (locked): the controllers hear of it first."""
        self.build_features()
        self.session = session
        if session is not None:
            session.saved.connect(self._saved)
            session.editing.connect(self._editing)
            session.failed.connect(self._save_failed)
            session.recovered.connect(self.update_saved_label)
        self.session_changed.emit(session)
        self._saved_at = None
        self.update_saved_label()
        self.update_actions()

    def lock(self) -> None:
        """Lock now (as Ctrl+L): see :meth:`ui.controllers.vault.VaultController.lock`."""
        self.vault.lock()

    def show_status(self, text: Callable[[], str] | str, msec: int) -> None:
        """A status-bar message, kept as a function of the language so a switch re-says it (a
        plain string is shown as it is, and stays so)."""
        say = text if callable(text) else (lambda: text)
        self._status = (say, time.monotonic() + msec / 1000)
        self.statusBar().showMessage(say(), msec)

    def clear_status(self, text: Callable[[], str]) -> None:
        """Take the status-bar message away if it is still the one ``text`` says."""
        if self._status is not None and self._status[0] is text:
            self._status = None
            self.statusBar().clearMessage()

    def _retranslate_status(self) -> None:
        if self._status is None or not self.statusBar().currentMessage():
            return
        text, until = self._status
        left = int((until - time.monotonic()) * 1000)
        if left > 0:
            self.statusBar().showMessage(text(), left)

    # -- actions ---------------------------------------------------------------------------------
    def add_action(
        self,
        name: str,
        shortcut: str | QKeySequence.StandardKey | None,
        slot: Callable[[], Any],
        enabled: Condition | None,
    ) -> QAction:
        """An action of the window, enabled when ``enabled(window)`` holds (always with None)."""
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            # setShortcuts([…]) and the context set by name, rather than setShortcut() and
            # Qt.ShortcutContext.ApplicationShortcut: both of those make PySide6 create every enum of
            # the Qt namespace (15 ms), which the start-up path otherwise never needs.
            action.setShortcuts([QKeySequence(shortcut)])
            action.setProperty("shortcutContext", "ApplicationShortcut")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self._enabling[action] = enabled
        return action

    def update_actions(self) -> None:
        """Enable each action when it can act (a vault open, a client's record shown …)."""
        if self._held:
            return
        for action, enabled in self._enabling.items():
            action.setEnabled(enabled is None or enabled(self))

    def hold(self, busy: bool, text: str = "") -> None:
        """While a worker writes or applies a file, nothing else touches the vault: the views, the
        menus and every action (their shortcuts and toolbar buttons too) but the language switch
        and Quit (which then waits for the worker, see closeEvent); the idle lock waits too."""
        self.centralWidget().setEnabled(not busy)
        self.menuBar().setEnabled(not busy)
        self._held = busy
        if busy:
            for action in self.actions():
                if action not in (self.act_language, self.act_quit):
                    action.setEnabled(False)
        else:
            self.update_actions()
        self.vault.pause_idle(busy)
        self.saved_label.setText(text)

    # -- the saved indicator ---------------------------------------------------------------------
    def _saved(self) -> None:
        from datetime import datetime

        self._saved_at = datetime.now()
        self.update_saved_label()

    def _editing(self) -> None:
        if self.session is not None and self.session.failure is None:
            self.set_saved_text(_("Saving…"))

    def _save_failed(self, error: Exception) -> None:
        """Saving started failing: the persistent warning, then the one dialog naming the cause."""
        from ui.save_failures import dialog_text

        self.update_saved_label()
        dialogs.error(self, _("Not saved"), dialog_text(error))

    def save_unsaved_to_file(self) -> None:
        """“Save my unsaved changes to a file…” (see :mod:`ui.save_failures`)."""
        from ui.save_failures import save_unsaved_to_file

        if self.session is not None:
            save_unsaved_to_file(self, self.session)

    def update_saved_label(self) -> None:
        failure = self.session.failure if self.session is not None else None
        if self._features_built:  # the indicator comes with them (no session before that)
            self.save_failure.show_failure(failure)
        self.saved_label.setVisible(failure is None)
        if self.session is None:
            self.saved_label.clear()
        elif self._saved_at is None:
            self.saved_label.setText(_("Changes are saved as you type"))
        else:
            from babel.dates import format_time

            when = format_time(self._saved_at, "short", locale=babel_locale(current_language()))
            self.saved_label.setText(_("Saved at {time}").format(time=when))

    def set_saved_text(self, text: str) -> None:
        """Say something else in the saved indicator for now (“Saving…”, how far an import got)."""
        self.saved_label.setText(text)

    # -- help ------------------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        from ui.pages.visit import VISIT_SHORTCUTS

        rows = "".join(f"<tr><td><b>{keys}</b></td><td>{_(what)}</td></tr>" for keys, what in SHORTCUTS)
        rows += f"<tr><td colspan='2'><br><b>{_('Visit mode')}</b></td></tr>"
        rows += "".join(
            f"<tr><td><b>{_(keys)}</b></td><td>{_(what)}</td></tr>" for keys, what in VISIT_SHORTCUTS
        )
        dialogs.info(self, _("Keyboard shortcuts"), f"<table cellspacing='6'>{rows}</table>")

    def show_about(self) -> None:
        from desktop import __version__

        dialogs.info(
            self,
            _("About Declara"),
            "\n\n".join(
                (
                    _("Declara {version}. Offline, encrypted preparation of immigration cases.").format(
                        version=__version__
                    ),
                    _("Licence: GNU General Public License, version 3 or later (GPL-3.0-or-later)."),
                    _(
                        "Facility list: ICE detention facilities from the Open Security Mapping "
                        "Project, scraped from ice.gov listings, CC0 1.0 (public domain)."
                    ),
                    _("Fonts: Liberation Serif and Liberation Sans, SIL Open Font License 1.1."),
                )
            ),
        )

    # -- language --------------------------------------------------------------------------------
    def _language_changed(self, lang: str) -> None:
        self.settings.language = lang

    def retranslate_ui(self) -> None:
        self.setWindowTitle("Declara")
        self.menu_file.setTitle(_("&File"))
        self.menu_edit.setTitle(_("&Edit"))
        self.menu_view.setTitle(_("&View"))
        self.menu_sections.setTitle(_("&Sections"))
        self.menu_help.setTitle(_("&Help"))
        self.menu_sync.setTitle(_("S&ync"))
        self.menu_idle.setTitle(_("Lock when idle"))
        self.act_quit.setText(_("&Quit"))
        other = "es" if current_language() == "en" else "en"
        self.act_language.setText(LANGUAGE_NAMES[other])
        self.act_language.setToolTip(_("Switch the interface language (F12)"))
        self.act_shortcuts.setText(_("&Keyboard shortcuts"))
        self.act_about.setText(_("&About Declara"))
        self.act_backups.setText(_("&Backups…"))
        self.act_apply_unsaved.setText(_("Apply saved changes from a &file…"))
        for controller in self._controllers:
            controller.retranslate()
        self.toolbar.setWindowTitle(_("Toolbar"))
        self.update_saved_label()
        self._retranslate_status()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if ops.busy() and self.session is not None:
            # Closing the vault now would pull it from under the import or export: close after it.
            if not self._close_when_done:
                self._close_when_done = True
                ops.when_idle(lambda: QTimer.singleShot(0, self.close))
            self.saved_label.setText(_("Declara will close when the sync file is done."))
            event.ignore()
            return
        self._close_when_done = False
        if self.session is not None:
            from ui.save_failures import confirm_discard

            self.session.flush()
            if not confirm_discard(self, self.session):  # edits the vault refused: to a file first?
                event.ignore()
                return
        self.vault.close_session()
        ops.wait(5000)
        self.settings.geometry = self.saveGeometry()  # where it opens next time (per user, no client data)
        super().closeEvent(event)
