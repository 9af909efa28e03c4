"""From what the client said to the case: the event or the allegation an answer tells.

The window and any other front end call these, so the records made from an answer are the same
whichever way they were asked for: :func:`event_proposal` is what the event dialog starts from,
:func:`event_data` and :func:`allegation_data` the records stored when the user confirms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.case.model import Record
from desktop.interview.questionnaire import Question

DEFAULT_LANGUAGE = "es"  # the language of an answer that does not say (intake is in Spanish first)


@dataclass(frozen=True)
class EventProposal:
    """What an event told in an answer starts as, for the user to complete: the date as it was
    said (only an answer to a date question says one), the text in every language there is, and
    the language the answer was given in."""

    date_text: str
    text: dict[str, str]
    lang: str


def event_proposal(answer: Record, question: Question) -> EventProposal:
    """The event an answer tells, as far as the answer says it: its words in the answer's language,
    then its translations; the date only when the question asked for one."""
    lang = answer.data.get("language") or DEFAULT_LANGUAGE
    text = {lang: answer.data.get("text") or ""}
    text.update(answer.data.get("translation") or {})
    date_text = (answer.data.get("text") or "") if question.kind == "date" else ""
    return EventProposal(date_text, text, lang)


def allegation_wording(answer: Record | None) -> str:
    """The words of an allegation as the client reported them: the answer's text, as said."""
    return (answer.data.get("text") or "") if answer is not None else ""


def event_data(
    answer: Record,
    *,
    date: str,
    category: str,
    text: Mapping[str, str],
    place: str | None,
    date_said: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A chronology event told in ``answer``: the client's account, its source pointing back at
    the answer; languages left blank are not kept. ``date_said`` (``{"text", "lang", "seasons"}``)
    is the date as the client said it and the season reading used, kept beside ``date``."""
    kept = {k: v for k, v in text.items() if v and v.strip()}
    return _client_account(date, category, kept, place, [f"interview:{answer.id}"], date_said)


def typed_event_data(
    *,
    date: str,
    category: str,
    text: Mapping[str, str],
    place: str | None,
    lang: str,
    date_said: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An event typed into the chronology by hand (what the event dialog's ``values()`` holds): the
    client's account, no source yet; with no text at all it keeps an empty one in ``lang`` (the
    interface language) for the user to fill in. ``date_said`` as for :func:`event_data`."""
    kept = {k: v for k, v in text.items() if v} or {lang: ""}
    return _client_account(date, category, kept, place, [], date_said)


def _client_account(
    date: str,
    category: str,
    text: dict[str, str],
    place: str | None,
    sources: list[str],
    date_said: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": date,
        "category": category,
        "status": "client_account",
        "text": text,
        "sources": sources,
    }
    if date_said:
        data["date_said"] = {
            "text": date_said["text"],
            "lang": date_said["lang"],
            "seasons": date_said.get("seasons"),
        }
    if place:
        data["place"] = place
    return data


def allegation_data(
    *, kind: str, wording: str, source_program: str | None, organization: str | None
) -> dict[str, Any]:
    """An allegation reported in an answer, still to be answered (``unresolved``)."""
    data: dict[str, Any] = {"kind": kind, "wording": wording, "status": "unresolved"}
    if source_program:
        data["source_program"] = source_program
    if organization:
        data["organization"] = organization
    return data
