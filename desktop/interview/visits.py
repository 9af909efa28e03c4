"""Visits: starting one, recording answers as they are typed, ending it with a summary.

Every answer is its own record (child of the visit) holding the question id, the questionnaire
version, the language it was given in, what was said (``text``), the structured value for yes/no,
choice and date questions (``value``), an optional translation, when it was recorded, and whether it
was flagged for follow-up or skipped. Answers are written through :class:`~desktop.case.store.CaseStore`
like every other record, so each keystroke the UI saves is one durable transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from desktop.i18n import N_, translator
from desktop.case.model import Record
from desktop.interview.answers import allegation_data, event_data
from desktop.interview.questionnaire import Question, Questionnaire
from desktop.case.store import CaseStore

Clock = Callable[[], datetime]


def local_minute(moment: datetime) -> str:
    """'2024-05-14T09:05', the form visit times take in the case file."""
    return moment.strftime("%Y-%m-%dT%H:%M")  # wall-clock time in the visiting room


def local_second(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class VisitSummary:
    unanswered: list[Question]
    skipped: list[Question]
    flagged: list[tuple[Question, Record]]
    answered: int
    total: int


class VisitService:
    def __init__(self, store: CaseStore, clock: Clock = datetime.now) -> None:
        self.store = store
        self.clock = clock

    # -- the visit -------------------------------------------------------------------------------
    def start(
        self,
        client_id: str,
        questionnaire: Questionnaire,
        *,
        facility: str | None,
        mode: str,
        interpreter_name: str | None,
        interpreter_languages: list[str],
        client_language: str,
        minutes_allowed: int | None,
    ) -> Record:
        now = self.clock()
        data: dict[str, Any] = {
            "date": now.date().isoformat(),
            "facility": facility or None,
            "mode": mode,
            "started_at": local_minute(now),
            "ended_at": None,
            "interpreter": {"name": interpreter_name or None, "languages": interpreter_languages}
            if (interpreter_name or interpreter_languages)
            else None,
            "client_language": client_language,
            "minutes_allowed": minutes_allowed,
            "questionnaire": questionnaire.ref,
        }
        return self.store.create("visit", data, client_id=client_id)

    def end(self, visit_id: str, *, summary: str | None, next_steps: str | None) -> Record:
        visit = self.store.get(visit_id)
        data = dict(visit.data)
        data["ended_at"] = local_minute(self.clock())
        data["summary"] = summary or None
        data["next_steps"] = next_steps or None
        return self.store.update(visit_id, data)

    # -- answers ---------------------------------------------------------------------------------
    def answers(self, visit: Record) -> dict[str, Record]:
        """The live answers of a visit by question id (the latest one if a question has several)."""
        out: dict[str, Record] = {}
        for record in self.store.children(visit.client_id, "answer", visit.id):
            out[record.data["question"]] = record
        return out

    def new_answer(self, visit: Record, question: Question, version: str, language: str) -> Record:
        """Create the (empty) answer record of a question; the UI then saves edits into it."""
        return self.store.create(
            "answer",
            {
                "question": question.id,
                "questionnaire_version": version,
                "language": language,
                "text": "",
                "recorded_at": local_second(self.clock()),
            },
            client_id=visit.client_id,
            parent_id=visit.id,
        )

    def summary(self, visit: Record, questionnaire: Questionnaire) -> VisitSummary:
        answers = self.answers(visit)
        values = {qid: (a.data.get("value") or a.data.get("text") or None) for qid, a in answers.items()}
        visible = questionnaire.visible_questions(values)
        unanswered, skipped, flagged = [], [], []
        answered = 0
        for question in visible:
            answer = answers.get(question.id)
            if answer is not None and answer.data.get("flagged"):
                flagged.append((question, answer))
            if answer is not None and answer.data.get("skipped"):
                skipped.append(question)
            elif answer is None or not (answer.data.get("text") or answer.data.get("value")):
                unanswered.append(question)
            else:
                answered += 1
        return VisitSummary(unanswered, skipped, flagged, answered, len(visible))

    # -- from an answer to the case ---------------------------------------------------------------
    def event_from_answer(
        self,
        answer: Record,
        *,
        date: str,
        category: str,
        text: Mapping[str, str],
        place: str | None,
        date_said: Mapping[str, Any] | None = None,
    ) -> Record:
        """A chronology event told in this answer; its source points back at the answer; ``date_said``
        the words its date was said in (see :func:`desktop.interview.answers.event_data`)."""
        data = event_data(answer, date=date, category=category, text=text, place=place, date_said=date_said)
        return self.store.create("event", data, client_id=answer.client_id)

    def allegation_from_answer(
        self, answer: Record, *, kind: str, wording: str, source_program: str | None, organization: str | None
    ) -> Record:
        data = allegation_data(
            kind=kind, wording=wording, source_program=source_program, organization=organization
        )
        return self.store.create("allegation", data, client_id=answer.client_id)


def answer_display(question: Question, answer: Record | None, lang: str) -> str:
    """What was answered, for the summary: the value in words, then what was said."""
    if answer is None:
        return ""
    t = translator(lang)
    parts = []
    value = answer.data.get("value")
    if value and question.kind == "yesno":
        parts.append(t({"yes": N_("Yes"), "no": N_("No"), "unknown": N_("Does not know")}[value]))
    elif value and question.kind == "choice":
        parts.append(question.choice_label(value, lang))
    elif value and question.kind == "date":
        from desktop.case.dates import format_edtf

        parts.append(format_edtf(value, lang))
    if answer.data.get("text"):
        parts.append(answer.data["text"])
    return " — ".join(parts)


def summary_html(
    client_name: str,
    visit: Record,
    questionnaire: Questionnaire,
    summary: VisitSummary,
    next_steps: str,
    lang: str,
) -> str:
    """A printable end-of-visit summary (HTML for Qt's printing; written only where the user prints)."""
    t = translator(lang)
    head = escape(t(N_("Visit summary")))
    rows = [
        f"<h2>{head}</h2>",
        f"<p><b>{escape(client_name)}</b> — {escape(visit.data.get('date') or '')} — "
        f"{escape(visit.data.get('facility') or '')}</p>",
        "<p>"
        + escape(
            t(N_("{answered} of {total} questions answered.")).format(
                answered=summary.answered, total=summary.total
            )
        )
        + "</p>",
    ]

    def section(title: str, items: list[str]) -> None:
        rows.append(f"<h3>{escape(title)}</h3>")
        if items:
            rows.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
        else:
            rows.append("<p>—</p>")

    section(
        t(N_("Flagged for follow-up")),
        [f"{q.text_in(lang)} — {answer_display(q, a, lang)}" for q, a in summary.flagged],
    )
    section(t(N_("Not answered")), [q.text_in(lang) for q in summary.unanswered])
    section(t(N_("Skipped questions")), [q.text_in(lang) for q in summary.skipped])
    heading = t(N_("Next steps"))
    rows.append(f"<h3>{escape(heading)}</h3><p>{escape(next_steps or '—')}</p>")
    return "\n".join(rows)


def summary_text(summary: VisitSummary, lang: str) -> str:
    """What an ended visit keeps as its summary (plain text in ``lang``): how many questions were
    answered, then the questions flagged for follow-up and those not answered, one a line."""
    t = translator(lang)
    text = t(N_("{answered} of {total} questions answered.")).format(
        answered=summary.answered, total=summary.total
    )
    if summary.flagged:
        flagged = "\n".join("- " + q.text_in(lang) for q, _a in summary.flagged)
        text += "\n" + t(N_("Flagged for follow-up:")) + "\n" + flagged
    if summary.unanswered:
        unanswered = "\n".join("- " + q.text_in(lang) for q in summary.unanswered)
        text += "\n" + t(N_("Not answered:")) + "\n" + unanswered
    return text
