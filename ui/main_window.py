"""The main window: welcome, unlock and the workspace (client list, client record) in one window,
with the menus, the toolbar, the saved indicator, the lock (Ctrl+L and idle) and the live language
switch (F12). It wires views to the :class:`~ui.session.Session` presenter; it never writes to the
vault itself."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop.case.names import display_name

from desktop.errors import DeclaraError
from desktop.i18n import LANGUAGE_NAMES, N_, _, babel_locale, current_language, ngettext
from desktop.paths import data_dir, default_vault_path
from ui import dialogs
from ui.language import LanguageManager
from ui.sections import SECTIONS
from ui.settings import Settings

if TYPE_CHECKING:
    from desktop.vault import keyheader as kh
    from desktop.case.model import Record
    from ui.models.client_table import ClientTableModel
    from ui.pages.client_list import ClientListPage
    from ui.pages.client_record import ClientRecordPage
    from ui.pages.unlock import UnlockPage
    from ui.pages.visit import VisitPage
    from ui.pages.welcome import WelcomePage
    from ui.session import Session
    from ui.workers import Task

IDLE_CHOICES = (1, 2, 5, 10, 15, 30)

SHORTCUTS = (
    ("Ctrl+N", N_("New client")),
    ("Ctrl+Shift+V", N_("Start a visit with the client")),
    ("Ctrl+F", N_("Find a client")),
    ("Enter", N_("Open the selected client")),
    ("Alt+Left", N_("Back to the client list")),
    ("Ctrl+1 … Ctrl+8", N_("Go to a section of the client's record")),
    ("Ctrl+I", N_("Import a case file")),
    ("Ctrl+E", N_("Export the client as a case file")),
    ("Ctrl+Shift+T", N_("Export the timeline exhibit (PDF)")),
    ("Ctrl+Shift+S", N_("Export a sync file for another vault")),
    ("Ctrl+Shift+O", N_("Import a sync file")),
    ("Ctrl+Z", N_("Undo the last deletion")),
    ("F12", N_("Switch the interface language (English / Español)")),
    ("Ctrl+L", N_("Lock now")),
    ("F1", N_("Keyboard shortcuts")),
    ("Ctrl+Q", N_("Quit")),
)


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


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        settings: Settings,
        languages: LanguageManager,
        policy: kh.KdfPolicy | None = None,
        *,
        demo_folder: Path | None = None,
        idle_msec: int | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.languages = languages
        self._policy = policy
        self.demo_folder = demo_folder
        self._idle_msec = idle_msec
        self.clock = clock
        self.session: Session | None = None
        self.vault_path: Path | None = None
        self._task: Task | None = None
        self._held_actions: list[QAction] = []  # disabled while a sync worker runs (_sync_busy)
        self._close_when_done = False  # a close asked for while a worker ran (closeEvent)
        self._restore: dict[str, Any] | None = None
        self._last_deleted: str | None = None
        self._copied_text: str | None = None
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
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)

        self._create_actions()
        self._create_menus_and_toolbar()
        self._wire()
        self.retranslate_ui()
        self._set_workspace_enabled(False)
        self.resize(1180, 760)

    @property
    def policy(self) -> kh.KdfPolicy:
        """The key-derivation cost for new vaults and the floor accepted at unlock."""
        if self._policy is None:
            from desktop.vault import keyheader as kh

            self._policy = kh.PRODUCTION
        return self._policy

    @policy.setter
    def policy(self, policy: kh.KdfPolicy) -> None:
        self._policy = policy

    # -- pages, built on first use ---------------------------------------------------------------
    @property
    def welcome(self) -> WelcomePage:
        if self._welcome is None:
            from ui.pages.welcome import WelcomePage

            folder = self.demo_folder
            page = WelcomePage(default_vault_path() if folder is None else folder / "vault.declara", self)
            page.create_requested.connect(self.create_vault)
            page.open_requested.connect(self.choose_vault)
            page.demo_requested.connect(self.create_demo)
            page.choose_location_requested.connect(self._choose_location)
            page.language_toggle_requested.connect(self.languages.toggle)
            self.pages.addWidget(page)
            self._welcome = page
        return self._welcome

    @property
    def unlock_page(self) -> UnlockPage:
        if self._unlock_page is None:
            from ui.pages.unlock import UnlockPage

            page = UnlockPage(self)
            page.unlock_requested.connect(self.unlock)
            page.other_vault_requested.connect(self.choose_vault)
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

    def _build_workspace_soon(self) -> None:
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
        self._wire_workspace()

    # -- construction ----------------------------------------------------------------------------
    def _action(self, name: str, shortcut: str | QKeySequence.StandardKey | None, slot: Any) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            # setShortcuts([…]) and the context set by name, rather than setShortcut() and
            # Qt.ShortcutContext.ApplicationShortcut: both of those make PySide6 create every enum of
            # the Qt namespace (15 ms), which the start-up path otherwise never needs.
            action.setShortcuts([QKeySequence(shortcut)])
            action.setProperty("shortcutContext", "ApplicationShortcut")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        self.act_new = self._action("actNewClient", "Ctrl+N", self.new_client)
        self.act_visit = self._action("actStartVisit", "Ctrl+Shift+V", self.start_visit)
        self.act_import = self._action("actImport", "Ctrl+I", self.import_case_file)
        self.act_export = self._action("actExport", "Ctrl+E", self.export_case_file)
        self.act_timeline = self._action("actTimeline", "Ctrl+Shift+T", self.export_timeline)
        self.act_sync_export = self._action("actSyncExport", "Ctrl+Shift+S", self.sync_export)
        self.act_sync_import = self._action("actSyncImport", "Ctrl+Shift+O", self.sync_import)
        self.act_sync_card = self._action("actSyncCard", None, self.sync_card)
        self.act_sync_trust = self._action("actSyncTrust", None, self.sync_trust)
        self.act_conflicts = self._action("actConflicts", None, self.show_conflicts)
        self.act_lock = self._action("actLock", "Ctrl+L", self.lock)
        self.act_quit = self._action("actQuit", "Ctrl+Q", self.close)
        self.act_find = self._action("actFind", "Ctrl+F", self.focus_search)
        self.act_undo = self._action("actUndoDelete", "Ctrl+Z", self.undo_delete)
        self.act_back = self._action("actBack", "Alt+Left", self.show_list)
        self.act_language = self._action("actLanguage", "F12", self.languages.toggle)
        self.act_shortcuts = self._action("actShortcuts", "F1", self.show_shortcuts)
        self.act_about = self._action("actAbout", None, self.show_about)
        self.section_actions = []
        for i in range(len(SECTIONS)):
            self.section_actions.append(
                self._action(
                    f"actSection{i + 1}", f"Ctrl+{i + 1}", lambda _c=False, i=i: self.show_section(i)
                )
            )

    def _create_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        for act in (self.act_new, self.act_visit, self.act_import, self.act_export, self.act_timeline):
            self.menu_file.addAction(act)
        self.menu_file.addSeparator()
        self.menu_sync = self.menu_file.addMenu("")
        for act in (self.act_sync_export, self.act_sync_import, self.act_conflicts):
            self.menu_sync.addAction(act)
        self.menu_sync.addSeparator()
        self.menu_sync.addAction(self.act_sync_card)
        self.menu_sync.addAction(self.act_sync_trust)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_lock)
        self.menu_file.addAction(self.act_quit)
        self.menu_edit = bar.addMenu("")
        self.menu_edit.addAction(self.act_find)
        self.menu_edit.addAction(self.act_undo)
        self.menu_view = bar.addMenu("")
        self.menu_view.addAction(self.act_back)
        self.menu_sections = self.menu_view.addMenu("")
        for act in self.section_actions:
            self.menu_sections.addAction(act)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.act_language)
        self.menu_idle = self.menu_view.addMenu("")
        self.idle_group = QActionGroup(self)
        self.idle_actions: dict[int, QAction] = {}
        for minutes in IDLE_CHOICES:
            act = QAction(self)
            act.setCheckable(True)
            act.setChecked(minutes == self.settings.idle_minutes)
            act.triggered.connect(lambda _c=False, m=minutes: self.set_idle_minutes(m))
            self.idle_group.addAction(act)
            self.menu_idle.addAction(act)
            self.idle_actions[minutes] = act
        self.menu_help = bar.addMenu("")
        self.menu_help.addAction(self.act_shortcuts)
        self.menu_help.addAction(self.act_about)

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setProperty("toolButtonStyle", "ToolButtonTextOnly")  # by name, as above
        self.toolbar.addAction(self.act_new)
        self.toolbar.addAction(self.act_visit)
        self.toolbar.addAction(self.act_back)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addAction(self.act_language)
        self.toolbar.addAction(self.act_lock)
        self.addToolBar(self.toolbar)

    def _wire(self) -> None:
        self.languages.language_changed.connect(self._language_changed)
        QGuiApplication.clipboard().dataChanged.connect(self._clipboard_changed)

    def _wire_workspace(self) -> None:
        self.client_list.open_requested.connect(self.open_client)
        self.client_list.search_changed.connect(self._search)
        self.record.back_requested.connect(self.show_list)
        self.record.edited.connect(self._edit)
        self.record.add_requested.connect(self._add_record)
        self.record.delete_requested.connect(self._delete_record)
        self.record.rebuttal_needed.connect(self._load_rebuttal)
        self.record.visits.activated.connect(self.open_visit)
        self.record.chronology.duplicate_requested.connect(self._duplicate_event)
        self.record.chronology.move_requested.connect(self._move_event)
        self.record.chronology.export_requested.connect(self.export_timeline)
        self.record.chronology.issue_activated.connect(self._show_event)
        tab = self.record.declaration
        tab.draft_requested.connect(self.draft_declaration)
        tab.sign_requested.connect(self.sign_declaration)
        tab.export_requested.connect(self.export_declaration)
        tab.field_edited.connect(self._declaration_field_edited)
        tab.paragraph_edited.connect(self._paragraph_edited)
        tab.add_requested.connect(lambda i: self._declaration_op("add", i))
        tab.split_requested.connect(lambda i, lang, at: self._declaration_op("split", i, lang, at))
        tab.merge_requested.connect(lambda i: self._declaration_op("merge", i))
        tab.move_requested.connect(lambda i, to: self._declaration_op("move", i, to))
        tab.delete_requested.connect(lambda i: self._declaration_op("delete", i))
        tab.link_requested.connect(self._link_events)
        tab.issue_activated.connect(self._declaration_issue)
        self.visit_page.answer_edited.connect(self._answer_edited)
        self.visit_page.end_requested.connect(self.end_visit)
        self.visit_page.back_requested.connect(self._leave_visit)
        self.visit_page.event_requested.connect(self.event_from_answer)
        self.visit_page.allegation_requested.connect(self.allegation_from_answer)
        self.visit_page.clock_warning.connect(
            lambda: self.statusBar().showMessage(_("Ten minutes left in this visit."), 15000)
        )

    # -- start -----------------------------------------------------------------------------------
    def start(self, vault: Path | None = None) -> None:
        path = vault or self.settings.last_vault or default_vault_path()
        if (path / "keyheader.json").exists():
            self.show_unlock(path)
        else:
            self.pages.setCurrentWidget(self.welcome)
            self.welcome.passphrase.setFocus()

    def show_unlock(self, path: Path, *, locked: bool = False, demo_passphrase: str | None = None) -> None:
        from desktop.vault.lockfile import LOCK_NAME, current_holder, locked_error

        self.vault_path = path
        self.unlock_page.set_vault(path, locked_session=locked, demo_passphrase=demo_passphrase)
        holder = None if locked else current_holder(path / LOCK_NAME)
        if holder is not None:  # say it before asking for the passphrase
            self.unlock_page.show_error(locked_error(holder))
        self.pages.setCurrentWidget(self.unlock_page)
        self._set_workspace_enabled(False)
        self.unlock_page.passphrase.setFocus()

    # -- creating and opening vaults -------------------------------------------------------------
    def _run(self, fn: Any, on_success: Any, on_failure: Any, on_progress: Any = None) -> None:
        """Run ``fn`` in a worker thread; with ``on_progress``, ``fn`` gets a ``report(done, total)``
        callable whose calls reach ``on_progress`` on the GUI thread."""
        from ui.workers import Task

        task = Task(fn, self, reports=on_progress is not None)
        task.succeeded.connect(on_success)
        task.failed.connect(on_failure)
        if on_progress is not None:
            task.progress.connect(on_progress)
        task.finished.connect(self._task_finished)
        self._task = task
        task.start()

    def _task_finished(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()
        if self._close_when_done:
            self._close_when_done = False
            QTimer.singleShot(0, self.close)

    def create_vault(self, path: Path, passphrase: str) -> None:
        from desktop.vault.database import create_vault

        self.welcome.set_busy(True)
        policy = self.policy
        self._run(lambda: create_vault(path, passphrase, policy), self._created, self._create_failed)
        self._build_workspace_soon()

    def _created(self, vault: Any) -> None:
        self.welcome.set_busy(False)
        self.welcome.clear_secrets()
        self.vault_path = vault.path
        self.settings.last_vault = vault.path
        self._open_session(vault)

    def _create_failed(self, error: Exception) -> None:
        self.welcome.set_busy(False)
        self.welcome.show_error(self._describe(error))

    def create_demo(self) -> None:
        from desktop.demo import demo_passphrase
        from desktop.demo import create_demo_vault

        folder = self.demo_folder or (data_dir() / "demo")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"demo-{time.strftime('%Y%m%d-%H%M%S')}.declara"
        passphrase = demo_passphrase()
        policy = self.policy
        self.welcome.set_busy(True)
        self._run(
            lambda: create_demo_vault(path, passphrase, policy),
            lambda _names: self._demo_ready(path, passphrase),
            self._create_failed,
        )

    def _demo_ready(self, path: Path, passphrase: str) -> None:
        self.welcome.set_busy(False)
        self.show_unlock(path, demo_passphrase=passphrase)

    def choose_vault(self) -> None:
        from desktop.vault.database import read_header

        start = self.vault_path.parent if self.vault_path else default_vault_path().parent
        path = dialogs.open_folder(self, _("Open a Declara vault (a folder ending in .declara)"), start)
        if path is None:
            return
        try:
            read_header(path)
        except DeclaraError as exc:
            dialogs.error(self, _("Not a vault"), exc.message())
            return
        self.show_unlock(path)

    def _choose_location(self) -> None:
        path = dialogs.save_file(self, _("Where should the new vault be created?"), self.welcome.location, "")
        if path is not None:
            self.welcome.set_location(
                path if path.suffix == ".declara" else path.with_name(path.name + ".declara")
            )

    def unlock(self, passphrase: str) -> None:
        from desktop.vault.database import unlock

        if self.vault_path is None:
            return
        path, policy = self.vault_path, self.policy
        self.unlock_page.set_busy(True)
        self._run(lambda: unlock(path, passphrase, policy), self._key_ready, self._unlock_failed)
        self._build_workspace_soon()

    def _key_ready(self, key: bytes) -> None:
        from desktop.vault.database import open_vault

        assert self.vault_path is not None
        try:
            vault = open_vault(self.vault_path, key)
        except DeclaraError as exc:
            self._unlock_failed(exc)
            return
        self.unlock_page.set_busy(False)
        self.unlock_page.passphrase.clear()
        self.settings.last_vault = self.vault_path
        self._open_session(vault)

    def _unlock_failed(self, error: Exception) -> None:
        self.unlock_page.set_busy(False)
        self.unlock_page.show_error(error if isinstance(error, DeclaraError) else self._describe(error))

    @staticmethod
    def _describe(error: Exception) -> str:
        if isinstance(error, DeclaraError):
            return error.message()
        return _("Something went wrong ({kind}). Nothing was changed.").format(kind=type(error).__name__)

    # -- the session -----------------------------------------------------------------------------
    def _open_session(self, vault: Any) -> None:
        from ui.session import Session

        self._build_workspace()
        session = Session(vault, self, self.clock)
        session.saved.connect(self._saved)
        session.field_saved.connect(self._field_saved)
        session.field_refused.connect(self._field_refused)
        session.failed.connect(lambda exc: dialogs.error(self, _("Not saved"), exc.message()))
        self.session = session
        self.client_model.set_loader(session.client_rows)
        self._saved_at = None
        self._update_saved_label()
        self.pages.setCurrentWidget(self.workspace)
        self._set_workspace_enabled(True)
        self.idle.start(self._idle_msec or self.settings.idle_minutes * 60_000)
        restore, self._restore = self._restore, None
        if restore and restore.get("client"):
            self.open_client(restore["client"])
            self.record.tabs.setCurrentIndex(restore.get("tab", 0))
            if restore.get("visit"):
                self.open_visit(restore["visit"], question=restore.get("question"))
            elif restore.get("field"):
                self.record.focus_field(*restore["field"])
        else:
            self.show_list()
        self.unlocked.emit()

    def _set_workspace_enabled(self, enabled: bool) -> None:
        for act in (
            self.act_new,
            self.act_import,
            self.act_export,
            self.act_lock,
            self.act_find,
            self.act_undo,
            self.act_back,
            *self.section_actions,
        ):
            act.setEnabled(enabled)
        if enabled:
            self._update_context_actions()

    def _update_context_actions(self) -> None:
        on_record = self.session is not None and self.workspace.currentWidget() is self.record
        in_visit = self.session is not None and self.workspace.currentWidget() is self.visit_page
        self.act_visit.setEnabled(self.session is not None and not in_visit)
        self.act_export.setEnabled(on_record)
        self.act_timeline.setEnabled(on_record)
        self.act_back.setEnabled(on_record)
        for act in self.section_actions:
            act.setEnabled(on_record)
        self.act_undo.setEnabled(self.session is not None and self._last_deleted is not None)

    # -- navigation ------------------------------------------------------------------------------
    def show_list(self) -> None:
        if self.session is None:
            return
        self.session.flush()
        current = self.record.client.id if self.record.client else None
        self.client_model.reload()
        self._search(self.client_list.search.text())
        self.workspace.setCurrentWidget(self.client_list)
        if current:
            self.client_list.select_client(current)
        self.client_list.table.setFocus()
        self._update_context_actions()

    def open_client(self, client_id: str) -> None:
        if self.session is None:
            return
        self.session.flush()
        client = self.session.get(client_id)
        self.record.show_client(client, self._children(client_id))
        self._refresh_declaration()
        self._refresh_checks()
        if self.workspace.currentWidget() is not self.record:
            self.record.tabs.setCurrentIndex(0)
        self.workspace.setCurrentWidget(self.record)
        self._update_context_actions()
        self.record.identity.editors["given_names"].widget.setFocus()

    def _children(self, client_id: str) -> dict[str, list[Record]]:
        assert self.session is not None
        return {
            kind: self.session.children(client_id, kind)
            for kind in self.record.sections
            if kind != "rebuttal"
        }

    def show_section(self, index: int) -> None:
        if self.workspace.currentWidget() is self.record:
            self.record.tabs.setCurrentIndex(index)
            self.record.tabs.currentWidget().setFocus()

    def focus_search(self) -> None:
        if self.session is None:
            return
        if self.workspace.currentWidget() is not self.client_list:
            self.show_list()
        self.client_list.search.setFocus()
        self.client_list.search.selectAll()

    def _search(self, text: str) -> None:
        if self.session is not None:
            self.client_model.set_filter(self.session.search(text))

    # -- editing ---------------------------------------------------------------------------------
    def _edit(self, record_id: str, path: str, value: object) -> None:
        if self.session is not None:
            self.saved_label.setText(_("Saving…"))
            self.session.edit(record_id, path, value)

    def _field_saved(self, record_id: str, path: str, record: Record) -> None:
        if record.kind == "answer":
            self.visit_page.answer_saved(record)
        elif record.kind == "event" and path == "date":
            self._refresh_section("event", record.client_id, select=record.id)  # the order may change
        elif record.kind == "client":
            self.record.client_saved(record, path)
        else:
            section = self.record.sections.get(record.kind)
            if section is not None:
                section.record_saved(record, path)
        if record.kind == "paragraph":
            tab = self.record.declaration
            for row, paragraph in enumerate(tab.model.paragraphs):
                if paragraph.id == record.id:
                    tab.model.paragraphs[row] = record
                    tab.model.dataChanged.emit(tab.model.index(row, 0), tab.model.index(row, 3))
        if record.kind in ("event", "paragraph", "client", "declaration"):
            self._refresh_checks()

    def _field_refused(self, record_id: str, path: str, error: DeclaraError) -> None:
        if self.visit_page.visit is not None and any(
            a.id == record_id for a in self.visit_page.answers.values()
        ):
            dialogs.error(self, _("Not saved"), error.message())
            return
        if self.record.client and record_id == self.record.client.id:
            self.record.form_for(path).show_error(path, error)
            return
        for section in self.record.sections.values():
            if section.current_id() == record_id and section.form is not None:
                section.form.show_error(path, error)
        self._update_saved_label()

    def _saved(self) -> None:
        self._saved_at = datetime.now()
        self._update_saved_label()

    def _update_saved_label(self) -> None:
        if self.session is None:
            self.saved_label.clear()
        elif self._saved_at is None:
            self.saved_label.setText(_("Changes are saved as you type"))
        else:
            from babel.dates import format_time

            when = format_time(self._saved_at, "short", locale=babel_locale(current_language()))
            self.saved_label.setText(_("Saved at {time}").format(time=when))

    def _add_record(self, kind: str, client_id: str, parent_id: object) -> None:
        if self.session is None:
            return
        if kind == "event":
            self._new_event(client_id)
            return
        defaults: dict[str, dict[str, Any]] = {
            "family_member": {"relationship": "child"},
            "allegation": {"kind": "gang_affiliation", "status": "unresolved"},
            "rebuttal": {"kind": "clearance_certificate", "status": "planned"},
            "foia_request": {"agency": "CBP", "status": "draft"},
        }
        try:
            record = self.session.create(
                kind,
                defaults.get(kind, {}),
                client_id=client_id,
                parent_id=parent_id if isinstance(parent_id, str) else None,
            )
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self._refresh_section(kind, client_id, select=record.id, parent_id=record.parent_id)
        section = self.record.sections[kind]
        if section.form is not None:
            first = next(iter(section.form.editors.values()))
            first.widget.setFocus()

    def _new_event(self, client_id: str) -> None:
        from ui.visit_dialogs import EventDialog

        assert self.session is not None
        dialog = EventDialog(self, date_text="", text={}, lang=current_language())
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        data: dict[str, Any] = {
            "date": values["date"],
            "category": values["category"],
            "status": "client_account",
            "text": {k: v for k, v in values["text"].items() if v} or {current_language(): ""},
            "sources": [],
        }
        if values["place"]:
            data["place"] = values["place"]
        try:
            record = self.session.create("event", data, client_id=client_id)
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self._refresh_section("event", client_id, select=record.id)
        self._refresh_checks()

    def _duplicate_event(self, record_id: str) -> None:
        if self.session is None:
            return
        copy = self.session.duplicate(record_id)
        self._refresh_section("event", copy.client_id, select=copy.id)
        self._refresh_checks()

    def _move_event(self, record_id: str, delta: int) -> None:
        if self.session is None:
            return
        record = self.session.get(record_id)
        if self.session.move_among_same_date(record_id, delta):
            self._refresh_section("event", record.client_id, select=record_id)
        else:
            self.statusBar().showMessage(_("Only events on the same date can be reordered by hand."), 5000)

    def _show_event(self, event_id: str) -> None:
        section = self.record.timeline
        row = section.model.row_of(event_id)
        if row >= 0:
            section.table.selectRow(row)
            section.table.setFocus()

    def _refresh_checks(self) -> None:
        if self.session is None or self.record.client is None:
            return
        from desktop.drafting.declarations import consistency

        self.record.chronology.set_issues(self.session.chronology_issues(self.record.client.id))
        self.record.declaration.set_issues(consistency(self.session.store, self.record.client.id))

    # -- the declaration -------------------------------------------------------------------------
    def _refresh_declaration(self, *, select_row: int | None = None, show: int | None = None) -> None:
        if self.session is None or self.record.client is None:
            return
        client_id = self.record.client.id
        self.record.declaration.set_versions(
            self.session.declarations.versions(client_id),
            self.session.children(client_id, "event"),
            show=show,
            select_row=select_row,
        )

    def _draft(self) -> Any:
        """The draft version, creating it (from the latest signed one) on the first edit."""
        assert self.session is not None and self.record.client is not None
        tab = self.record.declaration
        before = tab.shown.record.id if tab.shown else None
        draft = self.session.declarations.ensure_draft(self.record.client.id)
        if draft.record.id != before:
            row = tab.current_row()
            kept = {
                edit: (edit.toPlainText(), edit.textCursor().position(), edit.hasFocus())
                for edit in (tab.english, tab.spanish)
            }
            self._refresh_declaration(select_row=row)
            tab._loading = True
            try:  # what was typed, the cursor and the focus stay exactly as they were
                for edit, (text, position, focused) in kept.items():
                    edit.setPlainText(text)
                    cursor = edit.textCursor()
                    cursor.setPosition(min(position, len(text)))
                    edit.setTextCursor(cursor)
                    if focused:
                        edit.setFocus()
            finally:
                tab._loading = False
            self.statusBar().showMessage(
                _("The signed version stays as it was; this is draft version {number}.").format(
                    number=draft.number
                ),
                8000,
            )
        return draft

    def _declaration_field_edited(self, path: str, value: object) -> None:
        if self.session is None or self.record.client is None:
            return
        draft = self._draft()
        self._edit(draft.record.id, path, value)

    def _paragraph_edited(self, index: int, lang: str, text: str) -> None:
        if self.session is None or self.record.client is None:
            return
        draft = self._draft()
        if 0 <= index < len(draft.paragraphs):
            self._edit(draft.paragraphs[index].id, lang, text)

    def _declaration_op(self, op: str, index: int, *args: Any) -> None:
        if self.session is None or self.record.client is None:
            return
        self.session.flush()
        service, client_id = self.session.declarations, self.record.client.id
        select = index
        try:
            if op == "add":
                service.add_paragraph(client_id, index)
            elif op == "split":
                service.split_paragraph(client_id, index, *args)
                select = index + 1
            elif op == "merge":
                service.merge_with_next(client_id, index)
            elif op == "move":
                service.move_paragraph(client_id, index, args[0])
                select = args[0]
            elif op == "delete":
                service.delete_paragraph(client_id, index)
                select = max(index - 1, 0)
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self._saved()
        self._refresh_declaration(select_row=select)
        self._refresh_checks()

    def _link_events(self, index: int) -> None:
        from ui.visit_dialogs import LinkEventsDialog

        if self.session is None or self.record.client is None:
            return
        tab = self.record.declaration
        events = self.session.children(self.record.client.id, "event")
        linked = tab.model.paragraphs[index].data.get("events") or []
        dialog = LinkEventsDialog(self, events, linked)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        self.session.flush()
        self._draft()
        self.session.declarations.link_events(self.record.client.id, index, dialog.chosen())
        self._saved()
        self._refresh_declaration(select_row=index)
        self._refresh_checks()

    def _declaration_issue(self, issue: Any) -> None:
        if issue.paragraph_id:
            self.record.declaration.select_paragraph(issue.paragraph_id)
        elif issue.event_id:
            self.record.tabs.setCurrentWidget(self.record.chronology)
            self._show_event(issue.event_id)

    def draft_declaration(self) -> None:
        from desktop.drafting.declarations import draft_into_vault

        if self.session is None or self.record.client is None:
            return
        if self.session.declarations.versions(self.record.client.id) and not dialogs.confirm(
            self,
            _("Draft again"),
            _(
                "Start a new draft version from the interview and the chronology? "
                "The current versions stay as they are."
            ),
        ):
            return
        self.session.flush()
        try:
            draft_into_vault(self.session.store, self.record.client.id)
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self._saved()
        self._refresh_declaration()
        self._refresh_checks()

    def sign_declaration(self) -> None:
        if self.session is None or self.record.client is None:
            return
        version = self.record.declaration.shown
        if version is None or version.signed:
            return
        if not dialogs.confirm(
            self,
            _("Mark as signed"),
            _(
                "Mark version {number} as signed today? Its text is then frozen with a SHA-256 fingerprint; "
                "any later change starts a new version that must be signed again."
            ).format(number=version.number),
        ):
            return
        self.session.flush()
        self.session.declarations.sign(self.record.client.id)
        self._saved()
        self._refresh_declaration()

    def export_declaration(self, reading_copy: bool = False) -> None:
        from desktop.case.casefile import export_case
        from desktop.documents.declaration import render_declaration
        from ui.export_dialog import ExportDialog

        if self.session is None or self.record.client is None or self.record.declaration.shown is None:
            return
        self.session.flush()
        case = export_case(self.session.store, self.record.client.id)
        version = self.record.declaration.shown
        declaration = dict(version.record.data)
        number = {
            e.id: (e.ref or f"ev-{e.id.split('-')[0]}")
            for e in self.session.children(self.record.client.id, "event")
        }
        declaration["paragraphs"] = [
            {**p.data, "events": [number[e] for e in p.data.get("events") or [] if e in number]}
            for p in version.paragraphs
        ]

        def render(lang: str, _label: str | None) -> bytes:
            return render_declaration(
                case, "es" if reading_copy else lang, declaration=declaration, reading_copy=reading_copy
            )

        title = _("Spanish reading copy") if reading_copy else _("Export the declaration")
        dialog = ExportDialog(
            self,
            title=title,
            renderer=render,
            suggested_name="reading-copy.pdf" if reading_copy else "declaration.pdf",
            exhibit=None,
        )
        dialogs.exec_dialog(dialog)

    def export_timeline(self) -> None:
        """File → Export timeline exhibit…: a preview, then a PDF where the user saves it."""
        from desktop.case.casefile import export_case
        from desktop.documents.timeline import render_timeline
        from ui.export_dialog import ExportDialog

        if self.session is None or self.record.client is None:
            return
        self.session.flush()
        case = export_case(self.session.store, self.record.client.id)

        def render(lang: str, label: str | None) -> bytes:
            return render_timeline(case, lang, exhibit_label=label)

        dialog = ExportDialog(
            self,
            title=_("Export timeline exhibit"),
            renderer=render,
            suggested_name="timeline.pdf",
            exhibit="",
        )
        dialogs.exec_dialog(dialog)

    def _delete_record(self, record_id: str) -> None:
        if self.session is None:
            return
        record = self.session.delete(record_id)
        self._last_deleted = record_id
        self._refresh_section(record.kind, record.client_id, parent_id=record.parent_id)
        self._refresh_checks()
        self.statusBar().showMessage(_("Deleted. Press Ctrl+Z to undo."), 8000)
        self._update_context_actions()

    def undo_delete(self) -> None:
        if self.session is None or self._last_deleted is None:
            return
        record = self.session.undelete(self._last_deleted)
        self._last_deleted = None
        if self.record.client and record.client_id == self.record.client.id:
            self._refresh_section(record.kind, record.client_id, select=record.id, parent_id=record.parent_id)
        self.statusBar().showMessage(_("Restored."), 4000)
        self._update_context_actions()

    def _refresh_section(
        self, kind: str, client_id: str, *, select: str | None = None, parent_id: str | None = None
    ) -> None:
        assert self.session is not None
        section = self.record.sections[kind]
        if kind == "rebuttal":
            if parent_id:
                section.set_records(self.session.children(client_id, kind, parent_id), select=select)
        else:
            section.set_records(self.session.children(client_id, kind), select=select)

    def _load_rebuttal(self, allegation_id: str) -> None:
        if self.session is None or not self.record.client:
            return
        records = (
            self.session.children(self.record.client.id, "rebuttal", allegation_id) if allegation_id else []
        )
        self.record.set_rebuttal_records(records)

    # -- case files ------------------------------------------------------------------------------
    def import_case_file(self) -> None:
        from desktop.case.casefile import import_case, read_case_file

        if self.session is None:
            return
        path = dialogs.open_file(self, _("Import a case file"), Path.home(), _("Case files (*.json)"))
        if path is None:
            return
        try:
            doc = read_case_file(path)
            self.session.flush()
            client_id = import_case(self.session.store, doc)
        except DeclaraError as exc:
            dialogs.error(self, _("Case file refused"), exc.message())
            return
        self._saved()
        self.client_model.reload()
        self.open_client(client_id)

    def export_case_file(self) -> None:
        from desktop.case.casefile import export_case, write_case_file

        if self.session is None or self.record.client is None:
            return
        self.session.flush()
        path = dialogs.save_file(
            self, _("Export the client as a case file"), Path.home() / "case.json", _("Case files (*.json)")
        )
        if path is None:
            return
        try:
            write_case_file(export_case(self.session.store, self.record.client.id), path)
        except DeclaraError as exc:
            dialogs.error(self, _("Not exported"), exc.message())
            return
        except OSError as exc:
            dialogs.error(
                self,
                _("Not exported"),
                _("The file could not be written ({detail}).").format(detail=exc.strerror or ""),
            )
            return
        dialogs.info(
            self,
            _("Exported"),
            _("The case file was written to {path}. It is not encrypted: keep it safe.").format(path=path),
        )

    def new_client(self) -> None:
        from ui.new_client import NewClientDialog

        if self.session is None:
            return
        dialog = NewClientDialog(self)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        try:
            record = self.session.create("client", dialog.data())
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self.client_model.reload()
        self.open_client(record.id)

    # -- visits ----------------------------------------------------------------------------------
    def start_visit(self) -> None:
        """Start a visit with the open client, the selected one, or a new client."""
        from ui.visit_dialogs import StartVisitDialog

        if self.session is None:
            return
        client_id = None
        if self.workspace.currentWidget() is self.record and self.record.client is not None:
            client_id = self.record.client.id
        elif self.workspace.currentWidget() is self.client_list:
            index = self.client_list.table.currentIndex()
            if index.isValid() and self.client_list.table.hasFocus():
                client_id = self.client_model.client_at(index.row()).id
        if client_id is None:
            self.new_client()
            if self.record.client is None or self.workspace.currentWidget() is not self.record:
                return
            client_id = self.record.client.id
        self.session.flush()
        client = self.session.get(client_id)
        previous = self.session.children(client_id, "visit")
        interpreter = ((previous[-1].data.get("interpreter") or {}).get("name")) if previous else None
        languages = client.data.get("languages") or []
        dialog = StartVisitDialog(
            self,
            client_name=self._client_name(client),
            facility=(client.data.get("custody") or {}).get("facility"),
            client_language=languages[0] if languages else "es",
            interpreter=interpreter,
        )
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        from desktop.interview.questionnaire import load_questionnaire

        try:
            visit = self.session.visits.start(client_id, load_questionnaire(), **dialog.values())
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self.saved_label.setText(_("Saved"))
        self.open_client(client_id)
        self.open_visit(visit.id)

    @staticmethod
    def _client_name(client: Record) -> str:
        return display_name(client.data)

    def open_visit(self, visit_id: str, question: str | None = None) -> None:
        from desktop.interview.questionnaire import load_questionnaire

        if self.session is None:
            return
        self.session.flush()
        visit = self.session.get(visit_id)
        client = self.session.get(visit.client_id)
        if self.record.client is None or self.record.client.id != client.id:
            self.open_client(client.id)
        questionnaire = load_questionnaire()
        self.visit_page.open_visit(
            visit,
            questionnaire,
            self.session.visits.answers(visit),
            self._client_name(client),
            self.clock,
            question=question,
        )
        self.workspace.setCurrentWidget(self.visit_page)
        self._update_context_actions()

    def _answer_edited(self, question_id: str, path: str, value: object) -> None:
        if self.session is None or self.visit_page.visit is None:
            return
        answer = self.visit_page.answers.get(question_id)
        if answer is None:
            visit = self.visit_page.visit
            language = self.visit_page.language.currentData() or visit.data.get("client_language") or "es"
            version = (visit.data.get("questionnaire") or "").partition("@")[2] or None
            questionnaire = self.visit_page.questionnaire
            assert questionnaire is not None
            try:
                answer = self.session.visits.new_answer(
                    visit, questionnaire.question(question_id), version or questionnaire.version, language
                )
            except DeclaraError as exc:
                dialogs.error(self, _("Not saved"), exc.message())
                return
            self.visit_page.answer_saved(answer)
        self._edit(answer.id, path, value)

    def _leave_visit(self) -> None:
        if self.session is None:
            return
        self.session.flush()
        client_id = self.visit_page.visit.client_id if self.visit_page.visit else None
        self.visit_page.close_visit()
        if client_id:
            self.open_client(client_id)
            self.record.tabs.setCurrentIndex(5)

    def end_visit(self) -> None:
        from desktop.interview.visits import summary_html
        from ui.visit_dialogs import EndVisitDialog

        page = self.visit_page
        if self.session is None or page.visit is None or page.questionnaire is None:
            return
        self.session.flush()
        visit = self.session.get(page.visit.id)
        summary = self.session.visits.summary(visit, page.questionnaire)
        lang = current_language()

        def html(next_steps: str) -> str:
            return summary_html(page.client_name, visit, page.questionnaire, summary, next_steps, lang)

        dialog = EndVisitDialog(
            self,
            html=html(visit.data.get("next_steps") or ""),
            next_steps=visit.data.get("next_steps") or "",
            print_html=lambda steps: self.print_html(html(steps)),
        )
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        lines = [q.text_in(lang) for q in summary.unanswered]
        text = _("{answered} of {total} questions answered.").format(
            answered=summary.answered, total=summary.total
        )
        if summary.flagged:
            text += (
                "\n"
                + _("Flagged for follow-up:")
                + "\n"
                + "\n".join("- " + q.text_in(lang) for q, _a in summary.flagged)
            )
        if lines:
            text += "\n" + _("Not answered:") + "\n" + "\n".join("- " + line for line in lines)
        try:
            self.session.visits.end(
                visit.id, summary=text, next_steps=dialog.next_steps.toPlainText().strip()
            )
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self._saved()
        self._leave_visit()

    def print_html(self, html: str) -> None:
        """Print (or save as PDF, from the print dialog) a summary; nothing is written otherwise."""
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        target = dialogs.print_target()
        if target is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(target))
        elif QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setHtml(html)
        document.print_(printer)

    def event_from_answer(self, question_id: str) -> None:
        from ui.visit_dialogs import EventFromAnswerDialog

        page = self.visit_page
        if self.session is None or page.visit is None or page.questionnaire is None:
            return
        self.session.flush()
        answer = page.answers.get(question_id)
        if answer is None:
            self._answer_edited(question_id, "text", "")
            self.session.flush()
            answer = page.answers[question_id]
        answer = self.session.get(answer.id)
        question = page.questionnaire.question(question_id)
        lang = answer.data.get("language") or "es"
        text = {lang: answer.data.get("text") or ""}
        text.update(answer.data.get("translation") or {})
        date_text = answer.data.get("text") if question.kind == "date" else ""
        dialog = EventFromAnswerDialog(self, date_text=date_text or "", text=text, lang=lang)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        try:
            self.session.visits.event_from_answer(answer, **dialog.values())
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self._saved()
        self.statusBar().showMessage(_("Added to the timeline."), 5000)

    def allegation_from_answer(self, question_id: str) -> None:
        from ui.visit_dialogs import AllegationFromAnswerDialog

        page = self.visit_page
        if self.session is None or page.visit is None:
            return
        self.session.flush()
        answer = page.answers.get(question_id)
        wording = self.session.get(answer.id).data.get("text", "") if answer else ""
        dialog = AllegationFromAnswerDialog(self, wording=wording)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        if answer is None:
            self._answer_edited(question_id, "text", dialog.values()["wording"])
            self.session.flush()
            answer = page.answers[question_id]
        try:
            self.session.visits.allegation_from_answer(self.session.get(answer.id), **dialog.values())
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
            return
        self._saved()
        self.statusBar().showMessage(_("Allegation recorded."), 5000)

    # -- sync ------------------------------------------------------------------------------------
    def sync_card(self) -> None:
        """Write this vault's public card and show its fingerprint (to read out by phone)."""
        from desktop import sync
        from desktop.vault.fsutil import write_atomic

        if self.session is None:
            return
        self.session.flush()
        me = sync.identity(self.session.vault)
        path = dialogs.save_file(
            self, _("Save this vault's card"), Path.home() / "declara-card.json", _("Cards (*.json)")
        )
        if path is None:
            return
        write_atomic(path, json.dumps(me.card(), indent=2).encode())
        dialogs.info(
            self,
            _("This vault's card"),
            _(
                "The card was written to {path}. It holds no secret. Its fingerprint, to compare by phone or "
                "in person:\n\n{fingerprint}"
            ).format(path=path, fingerprint=me.fingerprint),
        )

    def sync_trust(self) -> None:
        from desktop import sync

        if self.session is None:
            return
        path = dialogs.open_file(self, _("Trust a card"), Path.home(), _("Cards (*.json)"))
        if path is None:
            return
        try:
            card = sync.read_card(path)
        except DeclaraError as exc:
            dialogs.error(self, _("Card refused"), exc.message())
            return
        fingerprint = card.get("fingerprint", "")
        if not dialogs.confirm(
            self,
            _("Trust a card"),
            _(
                "Trust “{name}” ({role})? Compare this fingerprint with the one shown on that vault, "
                "by phone or in person, before you say yes:\n\n{fingerprint}"
            ).format(name=card.get("name", "?"), role=card.get("role", "?"), fingerprint=fingerprint),
        ):
            return
        try:
            peer = sync.trust(self.session.vault, card)
        except DeclaraError as exc:
            dialogs.error(self, _("Card refused"), exc.message())
            return
        self.statusBar().showMessage(_("“{name}” is now trusted.").format(name=peer.name), 6000)

    def sync_export(self) -> None:
        from desktop import sync
        from ui.sync_ui import PeerDialog, suggested_name

        if self.session is None:
            return
        peers = sync.peers(self.session.vault)
        if not peers:
            dialogs.info(
                self,
                _("No trusted vault"),
                _("Trust the other vault's card first (File → Sync → Trust a card…)."),
            )
            return
        client = self.record.client if self.workspace.currentWidget() is not self.client_list else None
        dialog = PeerDialog(self, peers, self._client_name(client) if client else None)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        peer = next(p for p in peers if p.device_id == dialog.peer.currentData())
        clients = [client.id] if client is not None and dialog.packet.isChecked() else None
        path = dialogs.save_file(
            self, _("Save the sync file"), suggested_name(peer.name), _("Sync files (*.age)")
        )
        if path is None:
            return
        self.session.flush()
        vault = self.session.vault
        self._sync_busy(True)
        self._run(
            lambda: sync.export_sync(vault, peer, out=path, clients=clients),
            self._exported,
            self._sync_failed,
        )

    def _exported(self, result: Any) -> None:
        self._sync_busy(False)
        dialogs.info(
            self,
            _("Sync file written"),
            ngettext(
                "{count} record for {name} (file {seq}), encrypted to that vault only.",
                "{count} records for {name} (file {seq}), encrypted to that vault only.",
                result.records,
            ).format(count=result.records, name=result.peer.name, seq=result.seq),
        )

    def sync_import(self) -> None:
        from desktop import sync

        if self.session is None:
            return
        path = dialogs.open_file(self, _("Import a sync file"), Path.home(), _("Sync files (*.age)"))
        if path is None:
            return
        self.session.flush()
        vault = self.session.vault
        self._sync_busy(True)

        def work(report: Any) -> Any:
            # Read in the worker too: a whole office's file is hundreds of MB.
            return sync.import_sync(vault, sync.read_sync_path(path), progress=report)

        self._run(work, self._imported, self._sync_failed, self._import_progress)

    def _import_progress(self, done: int, total: int) -> None:
        from babel.numbers import format_decimal

        from desktop.i18n import babel_locale

        locale = babel_locale()
        self.saved_label.setText(
            _("Importing the sync file: {done} of {total} records…").format(
                done=format_decimal(done, locale=locale), total=format_decimal(total, locale=locale)
            )
        )

    def _imported(self, result: Any) -> None:
        self._sync_busy(False)
        if result.already_applied:
            dialogs.info(self, _("Already imported"), _("This file was imported before; nothing changed."))
            return
        self.client_model.reload()
        if self.record.client is not None:
            self.open_client(self.record.client.id)
        text = _("Added {added}, updated {updated}, unchanged {unchanged}, conflicts {conflicts}.").format(
            added=result.added, updated=result.updated, unchanged=result.unchanged, conflicts=result.conflicts
        )
        dialogs.info(self, _("Sync file imported"), text)
        if result.conflicts:
            self.show_conflicts()

    def _sync_failed(self, error: Exception) -> None:
        self._sync_busy(False)
        dialogs.error(self, _("Sync"), self._describe(error))

    def _sync_busy(self, busy: bool) -> None:
        """While a sync file is written or applied, nothing else touches the vault: the views, the
        menus and every action (their shortcuts and toolbar buttons too) but the language switch
        and Quit (which then waits for the worker, see closeEvent)."""
        self.centralWidget().setEnabled(not busy)
        self.menuBar().setEnabled(not busy)
        if busy:
            keep = (self.act_language, self.act_quit)
            self._held_actions = [a for a in self.actions() if a.isEnabled() and a not in keep]
            for action in self._held_actions:
                action.setEnabled(False)
        else:
            for action in self._held_actions:
                action.setEnabled(True)
            self._held_actions = []
            if self.session is not None:
                self._update_context_actions()
        if busy:
            self.idle.stop()  # no lock may close the vault under the worker
        elif self.session is not None:
            self.idle.start(self._idle_msec or self.settings.idle_minutes * 60_000)
        self.saved_label.setText(_("Working on the sync file…") if busy else "")

    def show_conflicts(self) -> None:
        from ui.sync_ui import ConflictsDialog

        if self.session is None:
            return
        self.session.flush()
        dialog = ConflictsDialog(self, self.session)
        dialogs.exec_dialog(dialog)
        if self.record.client is not None:
            self.open_client(self.record.client.id)

    # -- lock ------------------------------------------------------------------------------------
    def lock(self) -> None:
        """Save what is pending, close the vault, clear every view of client data."""
        if self.session is None or self._worker_busy():
            return  # never close the vault under a worker (its actions are disabled meanwhile)
        self.idle.stop()
        on_record = self.workspace.currentWidget() is self.record and self.record.client is not None
        in_visit = self.workspace.currentWidget() is self.visit_page and self.visit_page.visit is not None
        self._restore = {
            "client": self.record.client.id if (on_record or in_visit) and self.record.client else None,
            "tab": self.record.tabs.currentIndex(),
            "field": self.record.focused_field() if on_record else None,
            "visit": self.visit_page.visit.id if in_visit and self.visit_page.visit else None,
            "question": self.visit_page.current.id if in_visit and self.visit_page.current else None,
        }
        for widget in QApplication.topLevelWidgets():
            if widget is not self and isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        session, self.session = self.session, None
        try:
            session.close()
        except DeclaraError as exc:
            dialogs.error(self, _("Not saved"), exc.message())
        session.deleteLater()
        self.client_model.clear()
        self.record.clear()
        self.visit_page.close_visit()
        self.client_list.search.clear()
        self._last_deleted = None
        clipboard = QGuiApplication.clipboard()
        if self._copied_text is not None and clipboard.text() == self._copied_text:
            clipboard.clear()
        self._copied_text = None
        self.saved_label.clear()
        if self.vault_path is not None:
            self.show_unlock(self.vault_path, locked=True)
        self.locked.emit()

    def _clipboard_changed(self) -> None:
        if self.session is not None and QApplication.activeWindow() is not None:
            self._copied_text = QGuiApplication.clipboard().text()

    def set_idle_minutes(self, minutes: int) -> None:
        """Lock after this many minutes without input (remembered per user)."""
        self.settings.idle_minutes = minutes
        if minutes in self.idle_actions:
            self.idle_actions[minutes].setChecked(True)
        if self.session is not None and self._idle_msec is None:
            self.idle.start(minutes * 60_000)

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
        self.act_new.setText(_("&New client…"))
        self.act_visit.setText(_("Start &visit…"))
        self.act_import.setText(_("&Import case file…"))
        self.act_export.setText(_("&Export case file…"))
        self.act_timeline.setText(_("Export &timeline exhibit…"))
        self.menu_sync.setTitle(_("S&ync"))
        self.act_sync_export.setText(_("&Export for another vault…"))
        self.act_sync_import.setText(_("&Import a sync file…"))
        self.act_conflicts.setText(_("&Conflicts…"))
        self.act_sync_card.setText(_("This vault's &card…"))
        self.act_sync_trust.setText(_("&Trust a card…"))
        self.act_lock.setText(_("&Lock"))
        self.act_quit.setText(_("&Quit"))
        self.act_find.setText(_("&Find client"))
        self.act_undo.setText(_("&Undo delete"))
        self.act_back.setText(_("&Client list"))
        other = "es" if current_language() == "en" else "en"
        self.act_language.setText(LANGUAGE_NAMES[other])
        self.act_language.setToolTip(_("Switch the interface language (F12)"))
        self.act_shortcuts.setText(_("&Keyboard shortcuts"))
        self.act_about.setText(_("&About Declara"))
        for act, (_key, title) in zip(self.section_actions, SECTIONS, strict=True):
            act.setText(_(title))
        self.menu_idle.setTitle(_("Lock when idle"))
        for minutes, act in self.idle_actions.items():
            act.setText(
                ngettext("After {count} minute", "After {count} minutes", minutes).format(count=minutes)
            )
        self.toolbar.setWindowTitle(_("Toolbar"))
        self._update_saved_label()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _worker_busy(self) -> bool:
        return self._task is not None and self._task.isRunning()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._worker_busy() and self.session is not None:
            # Closing the vault now would pull it from under the import or export: close after it.
            self._close_when_done = True
            self.saved_label.setText(_("Declara will close when the sync file is done."))
            event.ignore()
            return
        if self.session is not None:
            self.idle.stop()
            session, self.session = self.session, None
            try:
                session.close()
            except DeclaraError as exc:
                dialogs.error(self, _("Not saved"), exc.message())
        if self._task is not None and self._task.isRunning():
            self._task.wait(5000)
        super().closeEvent(event)


def today() -> date:
    return date.today()
