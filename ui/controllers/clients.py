"""Client records: the list and its search, opening a record and moving between its sections, the
autosave of every field (and what a refused value says), adding, deleting and restoring records,
a new client, and case files in and out."""

from __future__ import annotations

from datetime import date

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog

from desktop.errors import DeclaraError
from desktop.i18n import _
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_client, needs_vault, on_record, vault_open
from ui.sections import SECTIONS

if TYPE_CHECKING:
    from desktop.case.model import Record
    from ui.main_window import MainWindow
    from ui.session import Session

#: What a record added from a section's Add button starts with.
DEFAULTS: dict[str, dict[str, Any]] = {
    "family_member": {"relationship": "child"},
    "allegation": {"kind": "gang_affiliation", "status": "unresolved"},
    "rebuttal": {"kind": "clearance_certificate", "status": "planned"},
    "foia_request": {"agency": "CBP", "status": "draft"},
    "custody_event": {"kind": "detention"},  # and today's date (add_record)
}
#: The record's lists this controller keeps current (the chronology's events have their own).
SECTION_KINDS = frozenset(DEFAULTS) | {"visit"}


class ClientsController(Controller):
    client_shown = Signal(str)  # a client's record was (re)loaded: the other tabs follow

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._last_deleted: str | None = None
        self.act_new = self.action("actNewClient", "Ctrl+N", self.new_client)
        self.act_import = self.action("actImport", "Ctrl+I", self.import_case_file)
        self.act_export = self.action("actExport", "Ctrl+E", self.export_case_file, enabled=on_record)
        self.act_find = self.action("actFind", "Ctrl+F", self.focus_search)
        self.act_undo = self.action("actUndoDelete", "Ctrl+Z", self.undo_delete, enabled=self._can_undo)
        self.act_back = self.action("actBack", "Alt+Left", self.show_list, enabled=on_record)
        self.section_actions = [  # Ctrl+1 … Ctrl+9, Ctrl+0 for the first ten; the others by their Alt key
            self.action(
                f"actSection{i + 1}",
                f"Ctrl+{(i + 1) % 10}" if i < 10 else None,
                partial(self.show_section, i),
                enabled=on_record,
            )
            for i in range(len(SECTIONS))
        ]

    def _can_undo(self, window: MainWindow) -> bool:
        return vault_open(window) and self._last_deleted is not None

    def connect_views(self) -> None:
        window = self.window
        window.client_list.open_requested.connect(self.open_client)
        window.client_list.search_changed.connect(self.search)
        record = window.record
        record.back_requested.connect(self.show_list)
        record.edited.connect(self.edit)
        record.add_requested.connect(self.add_record)
        record.delete_requested.connect(self.delete_record)
        record.rebuttal_needed.connect(self.load_rebuttal)

    def session_changed(self, session: Session | None) -> None:
        window = self.window
        if session is None:
            window.client_model.clear()
            window.record.clear()
            window.client_list.search.clear()
            self._last_deleted = None
            return
        window.client_model.set_loader(session.client_rows)
        session.field_saved.connect(self._field_saved)
        session.field_refused.connect(self._field_refused)
        session.records_changed.connect(self._records_changed)
        session.vault_changed.connect(self._vault_changed)

    # -- navigation ------------------------------------------------------------------------------
    @needs_vault
    def show_list(self) -> None:
        window, session = self.window, self.session
        assert session is not None
        session.flush()
        current = window.record.client.id if window.record.client else None
        window.client_model.reload()
        self.search(window.client_list.search.text())
        window.show_page(window.client_list)
        if current:
            window.client_list.select_client(current)
        window.client_list.table.setFocus()

    @needs_vault
    def open_client(self, client_id: str) -> None:
        window, session = self.window, self.session
        assert session is not None
        session.flush()
        record = window.record

        def read() -> tuple[Record, dict[str, list[Record]]]:
            kinds = [kind for kind in record.sections if kind != "rebuttal"]
            return session.get(client_id), {kind: session.children(client_id, kind) for kind in kinds}

        def failed(error: Exception) -> None:
            ops.report(window, error, _("The client could not be opened"))
            window.update_saved_label()  # damage found while reading: the status bar says so

        loaded = ops.run_op(window, read, on_failure=failed)
        if loaded is None:
            return  # the dialog said why (a damaged vault: the status bar says so too)
        client, children = loaded
        record.show_client(client, children)
        self.client_shown.emit(client_id)
        if not window.on_record:
            record.tabs.setCurrentIndex(0)
        window.show_page(record)
        record.identity.editors["given_names"].widget.setFocus()

    def show_section(self, index: int) -> None:
        if self.window.on_record:
            self.window.record.tabs.setCurrentIndex(index)
            self.window.record.tabs.currentWidget().setFocus()

    @needs_vault
    def focus_search(self) -> None:
        if not self.window.on_list:
            self.show_list()
        self.window.client_list.search.setFocus()
        self.window.client_list.search.selectAll()

    @needs_vault
    def search(self, text: str) -> None:
        assert self.session is not None
        self.window.client_model.set_filter(self.session.search(text))

    # -- editing ---------------------------------------------------------------------------------
    @needs_vault
    def edit(self, record_id: str, path: str, value: object) -> None:
        """Autosave: the value is stored within a second (the saved indicator says “Saving…”)."""
        assert self.session is not None
        self.session.edit(record_id, path, value)

    def _field_saved(self, record_id: str, path: str, record: Record) -> None:
        if record.kind == "client":
            self.window.record.client_saved(record, path)
        elif record.kind in SECTION_KINDS:
            self.window.record.sections[record.kind].record_saved(record, path)

    def _field_refused(self, record_id: str, path: str, error: DeclaraError) -> None:
        record = self.window.record
        if self.window.visits.shows_answer(record_id):
            return  # visit mode says so
        if record.client and record_id == record.client.id:
            record.form_for(path).show_error(path, error)
            return
        for section in record.sections.values():
            if section.current_id() == record_id and section.form is not None:
                section.form.show_error(path, error)
        self.window.update_saved_label()

    def _records_changed(self, client_id: str, kind: str) -> None:
        if kind == "client":
            self.window.client_model.reload()
        elif kind in SECTION_KINDS and self.is_shown(client_id):
            self.refresh_section(kind)

    def _vault_changed(self) -> None:
        self.window.client_model.reload()
        if self.window.record.client is not None:
            self.open_client(self.window.record.client.id)

    # -- adding and deleting ---------------------------------------------------------------------
    @needs_vault
    def add_record(self, kind: str, client_id: str, parent_id: object) -> None:
        """A new record in one of the record's lists (an event: see the chronology controller)."""
        if kind not in DEFAULTS:
            return
        session = self.session
        assert session is not None
        parent = parent_id if isinstance(parent_id, str) else None
        data = dict(DEFAULTS[kind])
        if kind == "custody_event":
            data["date"] = date.today().isoformat()  # a custody event needs its day: today, to change
        record = ops.run_op(
            self.window, lambda: session.create(kind, data, client_id=client_id, parent_id=parent)
        )
        if record is not None:
            section = self.window.record.sections[kind]
            section.select(record.id)
            section.focus_form()

    @needs_vault
    def delete_record(self, record_id: str) -> None:
        session = self.session
        assert session is not None
        if ops.run_op(self.window, lambda: session.delete(record_id)) is not None:
            self._last_deleted = record_id
            self.status(lambda: _("Deleted. Press Ctrl+Z to undo."), 8000)
            self.window.update_actions()

    @needs_vault
    def undo_delete(self) -> None:
        session, deleted = self.session, self._last_deleted
        assert session is not None
        if deleted is None:
            return
        record = ops.run_op(self.window, lambda: session.undelete(deleted))
        if record is None:
            return
        self._last_deleted = None
        section = self.window.record.sections.get(record.kind)  # a document: its controller shows it
        if self.is_shown(record.client_id) and section is not None:
            section.select(record.id)
        self.status(lambda: _("Restored."), 4000)
        self.window.update_actions()

    @needs_client
    def load_rebuttal(self, allegation_id: str) -> None:
        assert self.session is not None and self.client is not None
        client_id = self.client.id
        records = self.session.children(client_id, "rebuttal", allegation_id) if allegation_id else []
        self.window.record.set_rebuttal_records(records)

    @needs_vault
    def new_client(self) -> Record | None:
        """Ask for a new client's name and open the new record; the record, or None if cancelled."""
        from ui.new_client import NewClientDialog

        session = self.session
        assert session is not None
        dialog = NewClientDialog(self.window)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return None
        record = ops.run_op(self.window, lambda: session.create("client", dialog.data()))
        if record is not None:
            self.open_client(record.id)
        return record

    # -- case files ------------------------------------------------------------------------------
    @needs_vault
    def import_case_file(self) -> None:
        from desktop.case.casefile import read_case_file

        session = self.session
        assert session is not None
        path = dialogs.open_file(
            self.window,
            _("Import a case file"),
            Path.home(),
            _("Case files (*.json *.declara-case.zip)"),
        )
        if path is None:
            return
        ops.run_op(
            self.window,
            lambda: session.import_case(read_case_file(path)),
            self.open_client,
            title=_("Case file refused"),
        )

    @needs_client
    def export_case_file(self) -> None:
        """File → Export case file…: version 1 JSON, or, when the client has documents, a version 2
        ZIP that carries them (a JSON file would silently leave the evidence behind)."""
        from desktop.case.casefile import export_case, write_case_file
        from desktop.case.casezip import write_case_zip

        session, client = self.session, self.client
        assert session is not None and client is not None
        session.flush()
        with_documents = bool(session.children(client.id, "document"))
        path = dialogs.save_file(
            self.window,
            _("Export the client as a case file"),
            Path.home() / ("case.declara-case.zip" if with_documents else "case.json"),
            _("Case files with documents (*.declara-case.zip)")
            if with_documents
            else _("Case files (*.json)"),
        )
        if path is None:
            return

        def write() -> None:
            with ops.writing():
                if with_documents:
                    write_case_zip(session.store, client.id, path)
                else:
                    write_case_file(export_case(session.store, client.id), path)

        ops.run_op(self.window, write, lambda _r: self._exported(path), title=_("Not exported"))

    def _exported(self, path: Path) -> None:
        dialogs.info(
            self.window,
            _("Exported"),
            _("The case file was written to {path}. It is not encrypted: keep it safe.").format(path=path),
        )

    # -- language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.act_new.setText(_("&New client…"))
        self.act_import.setText(_("&Import case file…"))
        self.act_export.setText(_("&Export case file…"))
        self.act_find.setText(_("&Find client"))
        self.act_undo.setText(_("&Undo delete"))
        self.act_back.setText(_("&Client list"))
        for act, (_key, title) in zip(self.section_actions, SECTIONS, strict=True):
            act.setText(_(title))
