"""Visit mode: starting a visit (Ctrl+Shift+V) with the open or selected client, or a new one;
opening and leaving it; each answer saved as typed; an event or an allegation from an answer; and
ending it with a summary kept in the visit and printable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from desktop.case.names import display_name
from desktop.errors import DeclaraError
from desktop.i18n import _, current_language
from ui import dialogs, ops
from ui.controllers.base import Controller, guarded_by, needs_vault, vault_open

if TYPE_CHECKING:
    from desktop.case.model import Record
    from ui.main_window import MainWindow
    from ui.pages.visit import VisitPage
    from ui.session import Session

#: The slot does nothing unless a vault is open and a visit is shown.
needs_visit = guarded_by(
    lambda c: (
        c.session is not None
        and c.window.visit_page.visit is not None
        and c.window.visit_page.questionnaire is not None
    )
)



def _ten_minutes_left() -> str:
    return _("Ten minutes left in this visit.")

class VisitController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.act_visit = self.action(
            "actStartVisit",
            "Ctrl+Shift+V",
            self.start_visit,
            enabled=lambda w: vault_open(w) and not w.in_visit,
        )

    @property
    def page(self) -> VisitPage:
        return self.window.visit_page

    def connect_views(self) -> None:
        page = self.page
        self.window.record.visits.activated.connect(self.open_visit)
        page.answer_edited.connect(self.answer_edited)
        page.end_requested.connect(self.end_visit)
        page.back_requested.connect(self.leave_visit)
        page.event_requested.connect(self.event_from_answer)
        page.allegation_requested.connect(self.allegation_from_answer)
        page.seasons_changed.connect(self.seasons_changed)
        page.clock_warning.connect(lambda: self.status(_ten_minutes_left, 15000))

    def session_changed(self, session: Session | None) -> None:
        if session is None:
            self.page.close_visit()
            return
        session.field_saved.connect(self._field_saved)
        session.field_refused.connect(self._field_refused)

    def _field_saved(self, record_id: str, path: str, record: Record) -> None:
        if record.kind == "answer":
            self.page.answer_saved(record)
        elif record.kind == "visit":
            self.page.visit_saved(record)

    def _field_refused(self, record_id: str, path: str, error: DeclaraError) -> None:
        visit = self.page.visit
        if self.shows_answer(record_id) or (visit is not None and visit.id == record_id):
            ops.report(self.window, error)

    def shows_answer(self, record_id: str) -> bool:
        """Is this record one of the answers of the visit shown?"""
        page = self.window.visit_page
        return page.visit is not None and any(a.id == record_id for a in page.answers.values())

    # -- starting, opening, leaving --------------------------------------------------------------
    @needs_vault
    def start_visit(self) -> None:
        """Start a visit with the open client, the selected one, or a new client."""
        from desktop.interview.questionnaire import load_questionnaire
        from ui.visit_dialogs import StartVisitDialog

        window, session = self.window, self.session
        assert session is not None
        client_id = None
        if window.on_record and window.record.client is not None:
            client_id = window.record.client.id
        elif window.on_list:
            index = window.client_list.table.currentIndex()
            if index.isValid() and window.client_list.table.hasFocus():
                client_id = window.client_model.client_at(index.row()).id
        if client_id is None:
            new = window.clients.new_client()
            if new is None:
                return
            client_id = new.id
        session.flush()
        client = session.get(client_id)
        previous = session.children(client_id, "visit")
        interpreter = ((previous[-1].data.get("interpreter") or {}).get("name")) if previous else None
        languages = client.data.get("languages") or []
        dialog = StartVisitDialog(
            window,
            client_name=display_name(client.data),
            facility=(client.data.get("custody") or {}).get("facility"),
            client_language=languages[0] if languages else "es",
            interpreter=interpreter,
        )
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return

        def start() -> Record:
            return session.visits.start(client_id, load_questionnaire(), **dialog.values())

        visit = ops.run_op(window, lambda: session.change("visit", client_id, start))
        if visit is not None:
            window.set_saved_text(_("Saved"))
            window.clients.open_client(client_id)
            self.open_visit(visit.id)

    @needs_vault
    def open_visit(self, visit_id: str, question: str | None = None) -> None:
        from desktop.interview.questionnaire import load_questionnaire
        from ui.seasons_ui import client_country

        window, session = self.window, self.session
        assert session is not None
        session.flush()
        visit = session.get(visit_id)
        client = session.get(visit.client_id)
        if window.record.client is None or window.record.client.id != client.id:
            window.clients.open_client(client.id)
        self.page.open_visit(
            visit,
            load_questionnaire(),
            session.visits.answers(visit),
            display_name(client.data),
            window.clock,
            question=question,
            client_country=client_country(client.data),
        )
        window.show_page(self.page)

    @needs_vault
    def leave_visit(self) -> None:
        """Back to the client's record, on the Visits tab."""
        assert self.session is not None
        self.session.flush()
        client_id = self.page.visit.client_id if self.page.visit else None
        self.page.close_visit()
        self.window.clear_status(_ten_minutes_left)  # the warning was about the visit just left
        if client_id:
            self.window.clients.open_client(client_id)
            self.window.record.tabs.setCurrentIndex(5)

    @needs_visit
    def seasons_changed(self, setting: str) -> None:
        """The visit's Seasons setting ("auto", a region key or "ask"), kept on the visit."""
        visit = self.page.visit
        assert self.session is not None and visit is not None
        self.session.edit(visit.id, "seasons", setting)

    # -- answers ---------------------------------------------------------------------------------
    @needs_visit
    def answer_edited(self, question_id: str, path: str, value: object) -> None:
        answer = self.page.answers.get(question_id) or self._new_answer(question_id)
        if answer is not None:
            assert self.session is not None
            self.session.edit(answer.id, path, value)

    def _new_answer(self, question_id: str) -> Record | None:
        """The (empty) answer record of a question, made on its first keystroke."""
        session, page = self.session, self.page
        visit, questionnaire = page.visit, page.questionnaire
        assert session is not None and visit is not None and questionnaire is not None
        language = page.language.currentData() or visit.data.get("client_language") or "es"
        version = (visit.data.get("questionnaire") or "").partition("@")[2] or questionnaire.version
        question = questionnaire.question(question_id)
        answer = ops.run_op(
            self.window, lambda: session.visits.new_answer(visit, question, version, language)
        )
        if answer is not None:
            page.answer_saved(answer)
        return answer

    def _stored_answer(self, question_id: str, text: str) -> Record | None:
        """The question's answer as stored now; one holding ``text`` when there was none yet."""
        assert self.session is not None
        if question_id not in self.page.answers:
            self.answer_edited(question_id, "text", text)
            self.session.flush()
        answer = self.page.answers.get(question_id)
        return self.session.get(answer.id) if answer is not None else None

    @needs_visit
    def event_from_answer(self, question_id: str) -> None:
        from desktop.interview.answers import event_proposal
        from ui.visit_dialogs import EventFromAnswerDialog

        session, questionnaire = self.session, self.page.questionnaire
        assert session is not None and questionnaire is not None
        session.flush()
        answer = self._stored_answer(question_id, "")
        if answer is None:
            return
        proposal = event_proposal(answer, questionnaire.question(question_id))
        dialog = EventFromAnswerDialog(
            self.window,
            date_text=proposal.date_text,
            text=proposal.text,
            lang=proposal.lang,
            seasons=self.page.resolved_seasons(),
        )
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        ops.run_op(
            self.window,
            lambda: session.change(
                "event", answer.client_id, lambda: session.visits.event_from_answer(answer, **dialog.values())
            ),
            lambda _event: self.status(lambda: _("Added to the timeline."), 5000),
        )

    @needs_visit
    def allegation_from_answer(self, question_id: str) -> None:
        from desktop.interview.answers import allegation_wording
        from ui.visit_dialogs import AllegationFromAnswerDialog

        session = self.session
        assert session is not None
        session.flush()
        known = self.page.answers.get(question_id)
        dialog = AllegationFromAnswerDialog(
            self.window, wording=allegation_wording(session.get(known.id) if known else None)
        )
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        answer = self._stored_answer(question_id, dialog.values()["wording"])
        if answer is None:
            return
        ops.run_op(
            self.window,
            lambda: session.change(
                "allegation",
                answer.client_id,
                lambda: session.visits.allegation_from_answer(answer, **dialog.values()),
            ),
            lambda _allegation: self.status(lambda: _("Allegation recorded."), 5000),
        )

    # -- ending ----------------------------------------------------------------------------------
    @needs_visit
    def end_visit(self) -> None:
        from desktop.interview.visits import summary_html, summary_text
        from ui.visit_dialogs import EndVisitDialog

        session, page = self.session, self.page
        assert session is not None and page.visit is not None and page.questionnaire is not None
        questionnaire = page.questionnaire
        session.flush()
        visit = session.get(page.visit.id)
        summary = session.visits.summary(visit, questionnaire)
        client_name = display_name(session.get(visit.client_id).data)
        lang = current_language()

        def html(next_steps: str) -> str:
            return summary_html(client_name, visit, questionnaire, summary, next_steps, lang)

        dialog = EndVisitDialog(
            self.window,
            html=html(visit.data.get("next_steps") or ""),
            next_steps=visit.data.get("next_steps") or "",
            print_html=lambda steps: self.print_html(html(steps)),
        )
        if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        text, steps = summary_text(summary, lang), dialog.next_steps.toPlainText().strip()
        ops.run_op(
            self.window,
            lambda: session.change(
                "visit", visit.client_id, lambda: session.visits.end(visit.id, summary=text, next_steps=steps)
            ),
            lambda _visit: self.leave_visit(),
        )

    def print_html(self, html: str) -> None:
        """Print (or save as PDF, from the print dialog) a summary; nothing is written otherwise."""
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        target = dialogs.print_target()
        if target is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(target))
        elif QPrintDialog(printer, self.window).exec() != QDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setHtml(html)
        document.print_(printer)

    def retranslate(self) -> None:
        self.act_visit.setText(_("Start &visit…"))
