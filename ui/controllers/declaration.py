"""The declaration: drafting a version from the interview and the chronology, editing it (the first
edit after signing starts a new draft, the text typed staying exactly as it was), the paragraph
operations, linked events, signing, its checks, and the PDF and the Spanish reading copy."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from desktop.i18n import _
from ui import dialogs, ops
from ui.controllers.base import CHECKED_KINDS, Controller, needs_client

if TYPE_CHECKING:
    from desktop.case.model import Record
    from desktop.drafting.declarations import DeclarationService, Version
    from ui.pages.declaration import DeclarationTab
    from ui.session import Session

FIRST = None  # select the first paragraph (DeclarationTab.select_row)


class DeclarationController(Controller):
    @property
    def tab(self) -> DeclarationTab:
        return self.window.record.declaration

    def connect_views(self) -> None:
        tab = self.tab
        tab.draft_requested.connect(self.draft_declaration)
        tab.sign_requested.connect(self.sign_declaration)
        tab.export_requested.connect(self.export_declaration)
        tab.field_edited.connect(self.field_edited)
        tab.paragraph_edited.connect(self.paragraph_edited)
        tab.add_requested.connect(self.add_paragraph)
        tab.split_requested.connect(self.split_paragraph)
        tab.merge_requested.connect(self.merge_paragraph)
        tab.move_requested.connect(self.move_paragraph)
        tab.delete_requested.connect(self.delete_paragraph)
        tab.link_requested.connect(self.link_events)
        tab.issue_activated.connect(self.show_issue)
        self.window.clients.client_shown.connect(lambda _client_id: self._client_shown())

    def session_changed(self, session: Session | None) -> None:
        if session is not None:
            session.records_changed.connect(self._records_changed)
            session.field_saved.connect(self._field_saved)

    def _client_shown(self) -> None:
        self.refresh(keep_row=False)
        self.refresh_checks()

    def _records_changed(self, client_id: str, kind: str) -> None:
        if self.is_shown(client_id):
            if kind in ("declaration", "paragraph"):
                self.refresh()
            if kind in CHECKED_KINDS:
                self.refresh_checks()

    def _field_saved(self, record_id: str, path: str, record: Record) -> None:
        if record.kind == "paragraph":
            self.tab.paragraph_saved(record)
        if record.kind in CHECKED_KINDS:
            self.refresh_checks()

    @needs_client
    def refresh(self, *, keep_row: bool = True) -> None:
        """Reload the versions (the latest shown) with the same paragraph selected, or the first."""
        assert self.session is not None and self.client is not None
        client_id, tab = self.client.id, self.tab
        tab.set_versions(
            self.session.declarations.versions(client_id),
            self.session.children(client_id, "event"),
            select_row=tab.current_row() if keep_row else FIRST,
        )

    @needs_client
    def refresh_checks(self) -> None:
        from desktop.drafting.declarations import consistency

        assert self.session is not None and self.client is not None
        self.tab.set_issues(consistency(self.session.store, self.client.id))

    # -- editing the draft -----------------------------------------------------------------------
    def _draft(self) -> Version:
        """The draft version, made (from the latest signed one) on the first edit."""
        assert self.session is not None and self.client is not None
        typed = self.tab.editor_state()
        draft, made = self.session.ensure_draft(self.client.id)  # the tab reloads when one is made
        if made:
            self.tab.restore_editor_state(typed)  # what was typed, the cursor and the focus stay
            self.status(
                lambda: _("The signed version stays as it was; this is draft version {number}.").format(
                    number=draft.number
                ),
                8000,
            )
        return draft

    @needs_client
    def field_edited(self, path: str, value: object) -> None:
        assert self.session is not None
        draft = self._draft()
        self.session.edit(draft.record.id, path, value)

    @needs_client
    def paragraph_edited(self, index: int, lang: str, text: str) -> None:
        assert self.session is not None
        draft = self._draft()
        if 0 <= index < len(draft.paragraphs):
            self.session.edit(draft.paragraphs[index].id, lang, text)

    # -- paragraph operations (always on the draft) ----------------------------------------------
    def _change(self, change: Callable[[DeclarationService, str], Any], select_row: int | None) -> None:
        """Store one change to the declaration; the tab reloads, then selects ``select_row``."""
        session, client = self.session, self.client
        assert session is not None and client is not None
        service = session.declarations
        ops.run_op(
            self.window,
            lambda: session.change("declaration", client.id, lambda: change(service, client.id)),
            lambda _result: self.tab.select_row(select_row),
        )

    @needs_client
    def add_paragraph(self, index: int) -> None:
        self._change(lambda s, c: s.add_paragraph(c, index), index)

    @needs_client
    def split_paragraph(self, index: int, lang: str, at: int) -> None:
        self._change(lambda s, c: s.split_paragraph(c, index, lang, at), index + 1)

    @needs_client
    def merge_paragraph(self, index: int) -> None:
        self._change(lambda s, c: s.merge_with_next(c, index), index)

    @needs_client
    def move_paragraph(self, index: int, to: int) -> None:
        self._change(lambda s, c: s.move_paragraph(c, index, to), to)

    @needs_client
    def delete_paragraph(self, index: int) -> None:
        self._change(lambda s, c: s.delete_paragraph(c, index), max(index - 1, 0))

    @needs_client
    def link_events(self, index: int) -> None:
        from ui.visit_dialogs import LinkEventsDialog

        session, client = self.session, self.client
        assert session is not None and client is not None
        events = session.children(client.id, "event")
        linked = self.tab.paragraph(index).data.get("events") or []
        dialog = LinkEventsDialog(self.window, events, linked)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        session.flush()
        self._draft()
        self._change(lambda s, c: s.link_events(c, index, dialog.chosen()), index)

    def show_issue(self, issue: Any) -> None:
        """Go to what a check points at: the paragraph, or the event in the chronology."""
        if issue.paragraph_id:
            self.tab.select_paragraph(issue.paragraph_id)
        elif issue.event_id:
            self.window.record.tabs.setCurrentWidget(self.window.record.chronology)
            self.window.chronology.show_event(issue.event_id)

    # -- versions --------------------------------------------------------------------------------
    @needs_client
    def draft_declaration(self) -> None:
        from desktop.drafting.declarations import draft_into_vault

        session, client = self.session, self.client
        assert session is not None and client is not None
        if session.declarations.versions(client.id) and not dialogs.confirm(
            self.window,
            _("Draft again"),
            _(
                "Start a new draft version from the interview and the chronology? "
                "The current versions stay as they are."
            ),
        ):
            return
        self._change(lambda s, c: draft_into_vault(s.store, c), FIRST)

    @needs_client
    def sign_declaration(self) -> None:
        """Ask the day, place, interpreter and translator of the signing (ui/sign_dialog.py, which
        lists what stops it), then freeze the version with them."""
        from desktop.drafting.signing import default_place, default_signing_date
        from ui.sign_dialog import SignDialog

        session, client = self.session, self.client
        assert session is not None and client is not None
        if self.tab.shown is None or self.tab.shown.signed:
            return
        session.flush()  # a name just typed in the form is part of what is signed
        version = session.declarations.current(client.id)
        if version is None or version.signed:
            return
        dialog = SignDialog(
            self.window,
            number=version.number,
            fields=version.record.data,
            paragraphs=[p.data for p in version.paragraphs],
            ids=[p.id for p in version.paragraphs],
            signed_on=default_signing_date(session.store, client.id),
            place=default_place(session.store, client.id, version.record.data),
        )
        dialog.paragraph_chosen.connect(self.tab.select_paragraph)
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted or not dialog.ready():
            return
        values = dialog.values()
        self._change(
            lambda s, c: s.sign(
                c,
                values["signed_on"],
                place=values["place"],
                interpreter=values["interpreter"],
                translator=values["translator"],
            ),
            FIRST,
        )

    @needs_client
    def export_declaration(self, reading_copy: bool = False) -> None:
        from desktop.case.casefile import export_case
        from desktop.documents.declaration import render_declaration
        from ui.export_dialog import ExportDialog

        session, client, version = self.session, self.client, self.tab.shown
        assert session is not None and client is not None
        if version is None:
            return
        session.flush()
        case = export_case(session.store, client.id)
        declaration = session.declarations.render_input(client.id, version.number)

        def render(lang: str, _label: str | None, **signature: object) -> bytes:
            return render_declaration(
                case,
                "es" if reading_copy else lang,
                declaration=declaration,
                reading_copy=reading_copy,
                **signature,  # type: ignore[arg-type]
            )

        dialog = ExportDialog(
            self.window,
            title=_("Spanish reading copy") if reading_copy else _("Export the declaration"),
            renderer=render,
            suggested_name="reading-copy.pdf" if reading_copy else "declaration.pdf",
            exhibit=None,
            # A signed version can be filed as a conformed copy or with the scanned signature.
            signature_options=version.signed and not reading_copy,
        )
        dialogs.exec_dialog(dialog)
