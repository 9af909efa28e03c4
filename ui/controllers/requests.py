"""The Requests tab: FOIA requests and clearance certificates, where each stands, and their letters.

The tab's table and form are the record section of ``foia_request`` records (ui.specs); this
controller keeps :data:`ui.request_glance.REQUESTS` current (states, the allegations' glance, the
form's choices of allegation and family member), and drafts a letter: the dialog asks where it goes
and for which allegation, :class:`desktop.requests.service.RequestService` records the request as a
draft, and the letter is previewed, in English or Spanish, and saved as PDF or DOCX by
:class:`ui.export_dialog.ExportDialog` (rendered in a worker thread)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QPushButton

from desktop.case.names import display_name
from desktop.i18n import _, current_language
from ui import dialogs, ops
from ui.controllers.base import Controller, needs_client

if TYPE_CHECKING:
    from desktop.case.model import Record
    from ui.pages.record_section import RecordSection
    from ui.session import Session

WATCHED = frozenset({"foia_request", "allegation", "family_member", "client"})


def member_label(record: Record) -> str:
    from desktop.case.model import VOCABULARIES

    relationship = record.data.get("relationship") or "other"
    words = _(VOCABULARIES["relationship"].get(relationship, relationship))
    name = display_name(record.data) or _("(no name)")
    return f"{name} ({words})"


def certificate_choices() -> dict[str, str]:
    from desktop.requests import tables
    from desktop.case.display import country_name

    lang = "es" if current_language() == "es" else "en"
    return {
        cert.code: f"{country_name(code, lang)}: {cert.name(lang)}"
        for code, country in tables.countries().items()
        for cert in country.certificates
    }


class RequestsController(Controller):
    draft_button: QPushButton | None = None

    @property
    def section(self) -> RecordSection:
        return self.window.record.foia

    def connect_views(self) -> None:
        button = QPushButton(self.section)
        button.setObjectName("draftLetter")
        button.clicked.connect(self.draft_letter)
        self.section.insert_buttons([button])
        self.draft_button = button
        self.section.selected.connect(self._fit_form)
        self.section.splitter.setSizes([230, 470])  # room for a client's five or six requests
        self.window.clients.client_shown.connect(lambda _client_id: self.refresh())
        self.retranslate()

    def session_changed(self, session: Session | None) -> None:
        if session is None:  # locked: no name of a relative or allegation stays in a widget
            if self.draft_button is not None:  # else the record was never built: nothing to clear
                from ui.request_glance import REQUESTS

                REQUESTS.clear()
                form = self.section.form
                assert form is not None
                for path in ("allegation", "representative"):
                    form.editors[path].set_choices({})
                self.window.record.set_next_deadline(None)
            return
        session.records_changed.connect(self._records_changed)
        session.field_saved.connect(self._field_saved)

    def retranslate(self) -> None:
        if self.draft_button is None:
            return
        self.draft_button.setText(_("Draft a &letter…"))
        self.section.form.editors["certificate"].set_choices(certificate_choices())  # type: ignore[union-attr]
        if self.client is not None:
            self.refresh()

    def _records_changed(self, client_id: str, kind: str) -> None:
        if kind in WATCHED and self.is_shown(client_id):
            self.refresh()

    def _field_saved(self, record_id: str, path: str, record: Record) -> None:
        if record.kind in WATCHED and self.is_shown(record.client_id):
            self.refresh()

    def refresh(self) -> None:
        """The shown client's requests judged again; the tables repainted, the choices reset."""
        from ui.request_glance import REQUESTS

        session, client = self.session, self.client
        if session is None or client is None or self.draft_button is None:
            REQUESTS.clear()
            return
        requests = session.children(client.id, "foia_request")
        allegations = session.children(client.id, "allegation")
        members = session.children(client.id, "family_member")
        REQUESTS.update(requests, allegations, client)
        self.window.record.set_next_deadline(self._next_deadline(client, requests))
        form = self.section.form
        assert form is not None
        current = self.section.current_record()
        data = current.data if current is not None else {}
        # The record's own value is shown even if the form was filled before these choices existed.
        form.editors["allegation"].set_choices(REQUESTS.allegations(), data.get("allegation"))
        form.editors["representative"].set_choices(
            {m.id: member_label(m) for m in members}, data.get("representative")
        )
        self._fit_form(current)
        for section in (self.section, self.window.record.allegations):
            model = section.model
            if model.rowCount():
                model.dataChanged.emit(
                    model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1)
                )

    def _fit_form(self, record: Record | None) -> None:
        """A FOIA request's form shows no certificate's fields, and a certificate's no expedited
        processing (the certificate field itself is always there: it makes a request a certificate)."""
        form = self.section.form
        assert form is not None
        clearance = bool(record is not None and record.data.get("certificate"))
        form.set_row_visible("expedited", not clearance)
        for path in ("issued_on", "representative"):
            form.set_row_visible(path, clearance)

    @staticmethod
    def _next_deadline(client: Record, requests: list[Record]) -> Any:
        """The most pressing of the client's deadlines (a certificate lapsing before the hearing
        included), or None."""
        import datetime as dt

        from desktop.case.deadlines import client_deadlines
        from desktop.errors import DeclaraError
        from ui.request_glance import REQUESTS

        try:
            items = client_deadlines(
                client.data.get("proceedings"), [r.data for r in requests], REQUESTS.today or dt.date.today()
            )
        except (ValueError, DeclaraError):  # a stored value the rules cannot read: no deadline shown
            return None
        return items[0] if items else None

    # -- drafting --------------------------------------------------------------------------------
    @needs_client
    def draft_letter(self) -> None:
        from desktop.requests import tables, tracking
        from desktop.case.display import country_name
        from desktop.requests.service import RequestService
        from ui.request_dialog import CLEARANCE, RequestDialog
        from ui.request_glance import REQUESTS, allegation_label, target_name

        session, client = self.session, self.client
        assert session is not None and client is not None
        session.flush()
        service = RequestService(session.store)
        lang = "es" if current_language() == "es" else "en"
        targets = [(code, target_name(code)) for code in tables.AGENCIES]
        home = tracking.home_country(client.data)
        countries = sorted(tables.countries(), key=lambda code: (code != home, code))  # home first
        for code in countries:
            words = _("Clearance certificates ({country})").format(country=country_name(code, lang))
            targets.append((f"{CLEARANCE}:{code}", words))
        current = self.section.current_record()
        target = allegation = member = None
        if current is not None:  # the request selected: a letter for it
            state = REQUESTS.state(current)
            target = f"{CLEARANCE}:{state.to[:2]}" if state.clearance else state.to
            allegation = current.data.get("allegation")
            member = current.data.get("representative")
        members = {m.id: member_label(m) for m in session.children(client.id, "family_member")}
        allegations = {a.id: allegation_label(a) for a in session.children(client.id, "allegation")}
        dialog = RequestDialog(
            self.window,
            targets=targets,
            allegations=allegations,
            members=members,
            requester=service.requester(),
            target=target,
            allegation=allegation,
            member=member,
        )
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        to, country, allegation_id, member_id = dialog.chosen()
        requester = dialog.requester()

        def record() -> Any:
            if to != CLEARANCE and requester != service.requester():
                service.set_requester(requester)
            return service.record_drafts(
                client.id, to, allegation=allegation_id, representative=member_id, country=country
            )

        created = ops.run_op(self.window, lambda: session.change("foia_request", client.id, record))
        if created is None:
            return
        allegation_record = session.get(allegation_id) if allegation_id else None
        member_record = session.get(member_id) if member_id else None
        data = service.letter_input(client.id, allegation_record, member_record)
        self._preview(to, data, country)

    def _preview(self, to: str, data: Any, country: str | None) -> None:
        from desktop.requests.letters import clearance_letters, foia_letter
        from desktop.requests.render import letter_docx, letter_pdf
        from ui.export_dialog import ExportDialog
        from ui.request_dialog import CLEARANCE

        def build(lang: str) -> Any:
            if to == CLEARANCE:
                assert country is not None
                return clearance_letters(data, country, None, lang)
            return foia_letter(data, to, lang)

        dialog = ExportDialog(
            self.window,
            title=_("Request letter"),
            renderer=lambda lang, _label, **_options: letter_pdf(build(lang)),
            suggested_name="clearance-letters.pdf" if to == CLEARANCE else f"{to.lower()}-request.pdf",
            exhibit=None,
            docx_renderer=lambda lang: letter_docx(build(lang)),
            language="es" if to == CLEARANCE else "en",
        )
        self.last_dialog = dialog
        dialogs.exec_dialog(dialog)
