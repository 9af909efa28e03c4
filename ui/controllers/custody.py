"""The Custody tab's controller: the custody record at a glance, kept current as the record
changes, and the custody documents drafted from it (the parole request and the statement of facts
previewed and saved as PDF or DOCX; the bond packet made as a filing packet and shown in the Packet
tab, where it is checked, built and saved). The work is desktop.custody's."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from desktop.i18n import _
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_client

if TYPE_CHECKING:
    from desktop.case.model import Record
    from ui.pages.custody import CustodyTab
    from ui.session import Session

WATCHED = frozenset({"custody_event", "client"})


class CustodyController(Controller):
    @property
    def tab(self) -> CustodyTab:
        return self.window.record.custody

    _stale = True  # the tab shows another client's or an older record: refresh when it is shown

    def connect_views(self) -> None:
        self.tab.draft_requested.connect(self.draft)
        self.window.clients.client_shown.connect(lambda _client_id: self.refresh())
        self.window.record.tabs.currentChanged.connect(lambda _index: self._stale and self.refresh())

    def session_changed(self, session: Session | None) -> None:
        if session is None:
            if self.window._workspace is not None:
                self.tab.show_summary(None)  # locked: nothing of the client stays on screen
                self.tab.show_weighed([])
            return
        session.records_changed.connect(self._records_changed)
        session.field_saved.connect(self._field_saved)

    def _records_changed(self, client_id: str, kind: str) -> None:
        if kind in WATCHED and self.is_shown(client_id):
            self.refresh()

    def _field_saved(self, record_id: str, path: str, record: Record) -> None:
        if record.kind in WATCHED and self.is_shown(record.client_id):
            self.refresh()

    def refresh(self) -> None:
        """Read the record again, if the tab is shown (else when it next is: an edit in another
        tab, saved each second while typing, reads nothing here)."""
        from desktop.custody.service import CustodyService

        session, client = self.session, self.client
        if session is None or client is None:
            return
        if self.window.record.tabs.currentWidget() is not self.tab:
            self._stale = True
            return
        self._stale = False
        from desktop.custody.facts import weighed

        data = ops.run_op(
            self.window, lambda: CustodyService(session.store).input(client.id, dt.date.today())
        )
        if data is None:
            return
        self.tab.show_summary(data.summary)
        self.tab.show_weighed(weighed(data))

    @needs_client
    def draft(self, kind: str) -> None:
        if kind == "bond":
            self._bond()
            return
        from desktop.custody.service import CustodyService
        from desktop.requests.render import letter_docx, letter_pdf
        from ui.export_dialog import ExportDialog

        session, client = self.session, self.client
        assert session is not None and client is not None
        letter = ops.run_op(
            self.window, lambda: CustodyService(session.store).draft(client.id, kind, dt.date.today())
        )
        if letter is None:
            return
        title = _("Request for parole") if kind == "parole" else _("Statement of facts (habeas)")
        dialog = ExportDialog(
            self.window,
            title=title,
            renderer=lambda _lang, _label, **_options: letter_pdf(letter),
            suggested_name=f"{kind}.pdf",
            exhibit=None,
            docx_renderer=lambda _lang: letter_docx(letter),
            language="en",
            note=_("In English, the language of ICE and the court. Left for you to write: {blanks}").format(
                blanks=len(letter.blanks)
            ),
        )
        self.last_dialog: Any = dialog
        dialogs.exec_dialog(dialog)

    def _bond(self) -> None:
        """A new filing packet for a custody redetermination, shown in the Packet tab."""
        from desktop.custody.service import CustodyService

        session, client = self.session, self.client
        assert session is not None and client is not None
        packet = ops.run_op(
            self.window,
            lambda: CustodyService(session.store).bond_packet(client.id),
            title=_("No bond packet was made"),
        )
        if packet is None:
            return
        session.records_changed.emit(client.id, "packet")
        self.window.clients.show_section(self.window.packet.section_index())
        self.status(lambda: _("The bond packet was made: check it, build it and save it here."), 8000)

    def retranslate(self) -> None:
        pass
