"""The main window's menus and toolbar, in two steps.

:func:`create_frame` runs in the window's constructor: every menu (empty where its entries belong to
a feature), the toolbar with the language switch and Lock, and the window's own actions (Quit,
Backups…, …). :func:`add_features` runs once the features' controllers exist
(:meth:`ui.main_window.MainWindow.build_features`): their actions go into their places, so the menus
read the same as if built in one go, and nothing moves on the screen (the menu bar's titles and the
toolbar's height are there from the first frame)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QSizePolicy, QToolBar, QWidget

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def create_frame(window: MainWindow) -> None:
    from ui.controllers.base import vault_open

    bar = window.menuBar()
    window.menu_file = bar.addMenu("")
    window.file_features_end = window.menu_file.addSeparator()  # New client … Export the timeline
    window.menu_sync = window.menu_file.addMenu("")
    window.file_recovery_at = window.menu_file.addSeparator()  # Passphrase and recovery ▸ before it
    # Their dialogs' modules (ui.backups_ui, ui.unsaved_ui) are imported when first used.
    window.act_backups = window.add_action("actBackups", None, window.show_backups, vault_open)
    window.menu_file.addAction(window.act_backups)
    window.act_apply_unsaved = window.add_action("actApplyUnsaved", None, window.apply_unsaved, vault_open)
    window.menu_file.addAction(window.act_apply_unsaved)
    window.menu_file.addAction(window.vault.act_lock)
    window.menu_file.addAction(window.act_quit)
    window.menu_edit = bar.addMenu("")
    window.menu_view = bar.addMenu("")
    window.menu_sections = window.menu_view.addMenu("")
    window.menu_view.addSeparator()
    window.menu_view.addAction(window.act_language)
    window.menu_idle = window.menu_view.addMenu("")
    for act in window.vault.idle_actions.values():
        window.menu_idle.addAction(act)
    window.menu_help = bar.addMenu("")
    window.menu_help.addAction(window.act_shortcuts)
    window.menu_help.addAction(window.act_about)

    toolbar = window.toolbar = QToolBar(window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    # by name: Qt.ToolButtonStyle would make PySide6 create the Qt namespace's enums (15 ms)
    toolbar.setProperty("toolButtonStyle", "ToolButtonTextOnly")
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    window.toolbar_features_end = toolbar.addWidget(spacer)  # New client, Start visit, Back
    toolbar.addAction(window.act_language)
    toolbar.addAction(window.vault.act_lock)
    window.addToolBar(toolbar)


def add_features(window: MainWindow) -> None:
    """The features' actions into the menus and the toolbar made by :func:`create_frame`."""
    clients, sync, visits = window.clients, window.sync, window.visits
    for act in (
        clients.act_new,
        visits.act_visit,
        clients.act_import,
        clients.act_export,
        window.documents.act_import,
        window.chronology.act_timeline,
    ):
        window.menu_file.insertAction(window.file_features_end, act)
    for act in (sync.act_export, sync.act_import, sync.act_conflicts):
        window.menu_sync.addAction(act)
    window.menu_sync.addSeparator()
    window.menu_sync.addAction(sync.act_card)
    window.menu_sync.addAction(sync.act_trust)
    window.assign.add_to_menu(window.menu_sync)
    window.recovery.add_menu(window.menu_file, before=window.file_recovery_at)
    window.menu_edit.addAction(clients.act_find)
    window.menu_edit.addAction(clients.act_undo)
    window.menu_view.insertAction(window.menu_sections.menuAction(), clients.act_back)
    for act in clients.section_actions:
        window.menu_sections.addAction(act)
    for act in (clients.act_new, visits.act_visit, clients.act_back):
        window.toolbar.insertAction(window.toolbar_features_end, act)
