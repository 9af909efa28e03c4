"""The chronology: events added by hand (the date as said), duplicated, reordered among the same
date, the checks kept current, and the timeline exhibit (Ctrl+Shift+T) with its preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from desktop.i18n import _, current_language
from ui import dialogs, ops
from ui.controllers.base import CHECKED_KINDS, Controller, needs_client, needs_vault, on_record

if TYPE_CHECKING:
    from desktop.case.model import Record
    from ui.main_window import MainWindow
    from ui.session import Session


class ChronologyController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.act_timeline = self.action(
            "actTimeline", "Ctrl+Shift+T", self.export_timeline, enabled=on_record
        )

    def connect_views(self) -> None:
        tab = self.window.record.chronology
        self.window.record.add_requested.connect(self.add_event)
        tab.duplicate_requested.connect(self.duplicate_event)
        tab.move_requested.connect(self.move_event)
        tab.export_requested.connect(self.export_timeline)
        tab.issue_activated.connect(self.show_event)
        self.window.clients.client_shown.connect(lambda _client_id: self.refresh_checks())

    def session_changed(self, session: Session | None) -> None:
        if session is not None:
            session.records_changed.connect(self._records_changed)
            session.field_saved.connect(self._field_saved)

    def _records_changed(self, client_id: str, kind: str) -> None:
        if self.is_shown(client_id):
            if kind == "event":
                self.refresh_section("event")
            if kind in CHECKED_KINDS:
                self.refresh_checks()

    def _field_saved(self, record_id: str, path: str, record: Record) -> None:
        if record.kind == "event":
            if path == "date":
                self.refresh_section("event", select=record.id)  # the order may change
            else:
                self.window.record.timeline.record_saved(record, path)
        if record.kind in CHECKED_KINDS:
            self.refresh_checks()

    @needs_client
    def refresh_checks(self) -> None:
        assert self.session is not None and self.client is not None
        self.window.record.chronology.set_issues(self.session.chronology_issues(self.client.id))

    # -- events ----------------------------------------------------------------------------------
    @needs_vault
    def add_event(self, kind: str, client_id: str, _parent_id: object = None) -> None:
        """Add an event by hand: a dialog takes the date as the client says it."""
        from desktop.interview.answers import typed_event_data
        from ui import seasons_ui
        from ui.visit_dialogs import EventDialog

        if kind != "event":
            return
        session = self.session
        assert session is not None
        lang = current_language()
        country = seasons_ui.client_country(session.get(client_id).data)
        seasons = seasons_ui.resolve(seasons_ui.AUTO, country)  # outside a visit: the client's country
        dialog = EventDialog(self.window, date_text="", text={}, lang=lang, seasons=seasons)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        data = typed_event_data(**dialog.values(), lang=lang)
        record = ops.run_op(self.window, lambda: session.create("event", data, client_id=client_id))
        if record is not None:
            self.window.record.timeline.select(record.id)

    @needs_vault
    def duplicate_event(self, record_id: str) -> None:
        session = self.session
        assert session is not None
        copy = ops.run_op(self.window, lambda: session.duplicate(record_id))
        if copy is not None:
            self.window.record.timeline.select(copy.id)

    @needs_vault
    def move_event(self, record_id: str, delta: int) -> None:
        session = self.session
        assert session is not None
        if ops.run_op(self.window, lambda: session.move_among_same_date(record_id, delta)) is False:
            self.status(lambda: _("Only events on the same date can be reordered by hand."), 5000)

    def show_event(self, event_id: str) -> None:
        """Select an event in the chronology (from a check that points at it)."""
        section = self.window.record.timeline
        row = section.model.row_of(event_id)
        if row >= 0:
            section.table.selectRow(row)
            section.table.setFocus()

    # -- the exhibit -----------------------------------------------------------------------------
    @needs_client
    def export_timeline(self) -> None:
        """File → Export timeline exhibit…: a preview, then a PDF where the user saves it."""
        from desktop.case.casefile import export_case
        from desktop.documents.timeline import ExhibitRef, render_timeline, unknown_sources
        from ui.export_dialog import ExportDialog

        session, client = self.session, self.client
        assert session is not None and client is not None
        session.flush()
        case = export_case(session.store, client.id, documents=None)  # sources may name its documents

        def render(lang: str, label: str | None, declaration_exhibit: str | None = None) -> bytes:
            exhibits = {"declaration": ExhibitRef(declaration_exhibit)} if declaration_exhibit else None
            return render_timeline(case, lang, exhibit_label=label, exhibits=exhibits)

        unknown = ", ".join(token.partition(":")[2] for token in unknown_sources(case))
        dialog = ExportDialog(
            self.window,
            title=_("Export timeline exhibit"),
            renderer=render,
            suggested_name="timeline.pdf",
            exhibit="",
            declaration_exhibit=True,
            note=_("No court label for these documents; their names are printed as words: {names}").format(
                names=unknown
            )
            if unknown
            else "",
        )
        dialogs.exec_dialog(dialog)

    def retranslate(self) -> None:
        self.act_timeline.setText(_("Export &timeline exhibit…"))
