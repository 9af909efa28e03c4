"""Sync from the window: this vault's card, trusting another's, a sync file for a trusted vault
(everything, or one client's case packet), applying a sync file, and the conflicts (the dialogs are
in :mod:`ui.sync_ui`). Files are written and applied in a worker thread; meanwhile nothing else
touches the vault (the window is held) and the idle lock waits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog

from desktop.case.names import display_name
from desktop.i18n import _, babel_locale, ngettext
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_vault

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class SyncController(Controller):
    import_progress = Signal(int, int)  # records applied so far, of how many

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.act_export = self.action("actSyncExport", "Ctrl+Shift+S", self.export)
        self.act_import = self.action("actSyncImport", "Ctrl+Shift+O", self.import_file)
        self.act_card = self.action("actSyncCard", None, self.card)
        self.act_trust = self.action("actSyncTrust", None, self.trust)
        self.act_conflicts = self.action("actConflicts", None, self.show_conflicts)

    # -- cards -----------------------------------------------------------------------------------
    @needs_vault
    def card(self) -> None:
        """Write this vault's public card and show its fingerprint (to read out by phone)."""
        from desktop import sync

        assert self.session is not None
        self.session.flush()
        me = sync.identity(self.session.vault)
        path = dialogs.save_file(
            self.window, _("Save this vault's card"), Path.home() / "declara-card.json", _("Cards (*.json)")
        )
        if path is None:
            return

        def write() -> None:
            with ops.writing():
                sync.write_card(path, me.card())

        ops.run_op(self.window, write, lambda _r: self._card_written(path, me.fingerprint))

    def _card_written(self, path: Path, fingerprint: str) -> None:
        dialogs.info(
            self.window,
            _("This vault's card"),
            _(
                "The card was written to {path}. It holds no secret. Its fingerprint, to compare by phone or "
                "in person:\n\n{fingerprint}"
            ).format(path=path, fingerprint=fingerprint),
        )

    @needs_vault
    def trust(self) -> None:
        from desktop import sync

        vault = self.session.vault  # type: ignore[union-attr]
        path = dialogs.open_file(self.window, _("Trust a card"), Path.home(), _("Cards (*.json)"))
        if path is None:
            return
        card = ops.run_op(self.window, lambda: sync.read_card(path), title=_("Card refused"))
        if card is None:
            return
        if not dialogs.confirm(
            self.window,
            _("Trust a card"),
            _(
                "Trust “{name}” ({role})? Compare this fingerprint with the one shown on that vault, "
                "by phone or in person, before you say yes:\n\n{fingerprint}"
            ).format(
                name=card.get("name", "?"),
                role=card.get("role", "?"),
                fingerprint=card.get("fingerprint", ""),
            ),
        ):
            return
        ops.run_op(
            self.window,
            lambda: sync.trust(vault, card),
            lambda peer: self.status(lambda: _("“{name}” is now trusted.").format(name=peer.name), 6000),
            title=_("Card refused"),
        )

    # -- sync files ------------------------------------------------------------------------------
    @needs_vault
    def export(self) -> None:
        from desktop import sync
        from ui.sync_ui import PeerDialog, suggested_name

        window, session = self.window, self.session
        assert session is not None
        peers = sync.peers(session.vault)
        if not peers:
            dialogs.info(
                window,
                _("No trusted vault"),
                _("Trust the other vault's card first (File → Sync → Trust a card…)."),
            )
            return
        client = window.record.client if not window.on_list else None
        from ui.assign_ui import peer_notes

        notes = peer_notes(session.vault)  # on the office: each laptop's clients
        dialog = PeerDialog(window, peers, display_name(client.data) if client else None, notes)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        peer = next(p for p in peers if p.device_id == dialog.peer.currentData())
        clients = [client.id] if client is not None and dialog.packet.isChecked() else None
        path = dialogs.save_file(
            window, _("Save the sync file"), suggested_name(peer.name), _("Sync files (*.age)")
        )
        if path is None:
            return
        session.flush()
        vault = session.vault
        self._hold(True)
        ops.run_op(
            window,
            lambda: sync.export_sync(vault, peer, out=path, clients=clients),
            self._exported,
            background=True,
            on_failure=self._failed,
        )

    def _exported(self, result: Any) -> None:
        self._hold(False)
        dialogs.info(
            self.window,
            _("Sync file written"),
            ngettext(
                "{count} record for {name} (file {seq}), encrypted to that vault only.",
                "{count} records for {name} (file {seq}), encrypted to that vault only.",
                result.records,
            ).format(count=result.records, name=result.peer.name, seq=result.seq),
        )

    @needs_vault
    def import_file(self) -> None:
        from desktop import sync

        assert self.session is not None
        path = dialogs.open_file(self.window, _("Import a sync file"), Path.home(), _("Sync files (*.age)"))
        if path is None:
            return
        self.session.flush()
        vault = self.session.vault
        self._hold(True)

        def work(report: Any) -> Any:
            # Streamed from the file in the worker: with documents it may be gigabytes.
            return sync.import_sync(vault, sync.check_sync_path(path), progress=report)

        ops.run_op(
            self.window,
            work,
            self._imported,
            background=True,
            on_progress=self.show_import_progress,
            on_failure=self._failed,
        )

    def show_import_progress(self, done: int, total: int) -> None:
        """How far the import got, in the saved indicator (numbers as the interface language writes them)."""
        from babel.numbers import format_decimal

        locale = babel_locale()
        self.window.set_saved_text(
            _("Importing the sync file: {done} of {total} records…").format(
                done=format_decimal(done, locale=locale), total=format_decimal(total, locale=locale)
            )
        )
        self.import_progress.emit(done, total)

    def _imported(self, result: Any) -> None:
        self._hold(False)
        if result.already_applied:
            dialogs.info(
                self.window, _("Already imported"), _("This file was imported before; nothing changed.")
            )
            return
        if self.session is not None:
            self.session.reloaded()
        text = _("Added {added}, updated {updated}, unchanged {unchanged}, conflicts {conflicts}.").format(
            added=result.added, updated=result.updated, unchanged=result.unchanged, conflicts=result.conflicts
        )
        for problem in getattr(result, "backup_warnings", []):  # the second backup folder failed
            text += "\n\n" + ops.describe(problem)
        dialogs.info(self.window, _("Sync file imported"), text)
        if result.conflicts:
            self.show_conflicts()

    def _failed(self, error: Exception) -> None:
        self._hold(False)
        ops.report(self.window, error, _("Sync"))

    def _hold(self, busy: bool) -> None:
        self.window.hold(busy, _("Working on the sync file…") if busy else "")

    @needs_vault
    def show_conflicts(self) -> None:
        from ui.sync_ui import ConflictsDialog

        session = self.session
        assert session is not None
        session.flush()
        dialogs.exec_dialog(ConflictsDialog(self.window, session))
        session.reloaded()

    def retranslate(self) -> None:
        self.act_export.setText(_("&Export for another vault…"))
        self.act_import.setText(_("&Import a sync file…"))
        self.act_conflicts.setText(_("&Conflicts…"))
        self.act_card.setText(_("This vault's ca&rd…"))
        self.act_trust.setText(_("&Trust a card…"))
