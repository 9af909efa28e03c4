"""Checks that help a lawyer trust a chronology before DHS reads it.

- an event with no source at all (no interview answer, document, exhibit or declaration paragraph);
- an event whose sources give a different date: the interview answer it came from recorded another
  date, or the proceedings' last arrival does not fall within the latest border event;
- a declaration paragraph whose date phrase disagrees with the events it is linked to (it mentions
  dates, but none of them overlaps any linked event), or states a day where the event has only a
  month, a season or a year (an invented day destroys credibility);
- the one-year asylum filing deadline from the last arrival (next-business-day rule);
- an event dated by reading a season ("verano de 2018") with another region's seasons than the
  client's, or while the client's country does not tell which (to a Salvadoran "verano" is the dry
  season, November-April, not June-August).

The lawyer decides; nothing here changes data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop.case.dates import ParsedDate, format_edtf, parse_edtf
from desktop.errors import NotFound, ValidationError
from desktop.i18n import N_, _, current_language
from desktop.case.model import Record
from desktop.case.store import CaseStore

NO_SOURCE = N_(
    "Event {number} ({date}) has no source: add the interview answer, document, exhibit or "
    "declaration paragraph it comes from."
)
ANSWER_DATE = N_(
    "Event {number} is dated {event_date}, but the interview answer it came from says {answer_date}."
)
ARRIVAL = N_(
    "The proceedings give the last arrival as {arrival}, but the latest border event "
    "(event {number}) is dated {event_date}."
)
PARAGRAPH_DATE = N_(
    "Declaration paragraph {paragraph} says {said}, but its linked event {number} is dated {event_date}."
)
PARAGRAPH_PRECISION = N_(
    "Declaration paragraph {paragraph} says {said}, more precisely than its linked event "
    "{number} ({event_date})."
)
SEASON_REGION = N_(
    "Event {number} was dated {event_date} by reading “{words}” with {reading} seasons, but the "
    "client is from {country}, where seasons are named differently. Confirm the months with the client."
)
SEASON_REGION_UNKNOWN = N_(
    "Event {number} was dated {event_date} by reading “{words}” with {reading} seasons; the client's "
    "country does not tell how they name seasons. Confirm the months with the client."
)
#: How each season reading is named inside "with {reading} seasons".
READINGS = {
    # Translators: inside "by reading “verano de 2018” with {reading} seasons".
    "northern": N_("northern"),
    # Translators: inside "by reading “verano de 2018” with {reading} seasons".
    "central_america": N_("Central American"),
    # Translators: inside "by reading “verano de 2018” with {reading} seasons".
    "southern": N_("southern"),
}

_DATE_KEYS = frozenset({"date", "event_date", "answer_date", "arrival", "said"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?;:]\s")


@dataclass(frozen=True)
class Issue:
    kind: str  # no_source | answer_date | arrival | paragraph_date | paragraph_precision | season_region
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    event_id: str | None = None
    paragraph_id: str | None = None

    def message(self) -> str:
        """In the interface language, dates phrased with their real precision."""
        lang = current_language()
        params = {k: (format_edtf(v, lang) if k in _DATE_KEYS and v else v) for k, v in self.params.items()}
        language = params.get("language")
        if language:
            params["language"] = _(language)  # a language name marked with N_()
        if params.get("reading"):
            params["reading"] = _(READINGS.get(params["reading"], params["reading"]))
        if params.get("country"):
            params["country"] = _country(params["country"], lang)
        return _(self.msgid).format(**params)


def _country(code: str, lang: str) -> str:
    """A country's name in ``lang``: the drafting table's (it says "the United States"), else
    Babel's territory name, else the code."""
    from babel import Locale

    from desktop.drafting.locales import LANGS, _country_name

    lang = lang if lang in LANGS else LANGS[0]
    name = _country_name(code, lang) or code
    if name == code:
        name = Locale.parse(lang).territories.get(code.upper(), code)
    return name


def _parsed(value: str | None) -> ParsedDate | None:
    if not value:
        return None
    try:
        return parse_edtf(value)
    except ValidationError:
        return None


def _overlap(a: ParsedDate, b: ParsedDate) -> bool:
    lo_a, hi_a = a.lower or date.min, a.upper or date.max
    lo_b, hi_b = b.lower or date.min, b.upper or date.max
    return lo_a <= hi_b and lo_b <= hi_a


def date_mentions(text: str, lang: str, seasons: str | None = None) -> list[str]:
    """The dates a text mentions, as EDTF ("Around 2015 my mother…" gives ['2015~']); season words
    are read with ``seasons`` (desktop.interview.seasons); with None, only the year of a season is."""
    from desktop.interview.phrases import phrase_to_edtf

    found: list[str] = []
    years = list(_YEAR.finditer(text))
    consumed = -1
    for i, year in enumerate(years):
        if year.start() < consumed:
            continue
        sentence_start = 0
        for end in _SENTENCE_END.finditer(text, 0, year.start()):
            sentence_start = end.end()
        window_start = max(sentence_start, year.start() - 70)
        starts = [window_start + m.start() for m in _WORD.finditer(text[window_start : year.start()])]
        ends = [year.end()]
        if i + 1 < len(years) and years[i + 1].start() - year.end() < 45:
            ends.insert(0, years[i + 1].end())  # "between November 2023 and January 2024"
        match = None
        for end in ends:
            for start in [*starts, year.start()]:
                piece = text[start:end].strip(" ,.;:()")
                try:
                    match = (phrase_to_edtf(piece, lang, seasons=seasons), end)
                except ValidationError:
                    continue
                break
            if match:
                break
        if match:
            found.append(match[0])
            consumed = match[1]
    return found


def check(store: CaseStore, client_id: str) -> list[Issue]:
    """Every issue of one client's chronology, in the order of the events."""
    client = store.get(client_id)
    events = store.children(client_id, "event")
    number = {e.id: i + 1 for i, e in enumerate(events)}
    issues: list[Issue] = []
    paragraphs: list[Record] = []
    declarations = store.children(client_id, "declaration")
    if declarations:
        paragraphs = store.children(client_id, "paragraph", declarations[-1].id)
    linked = {eid for p in paragraphs for eid in p.data.get("events") or []}

    for event in events:
        parsed = _parsed(event.data.get("date"))
        sources = event.data.get("sources") or []
        phrase = event.data.get("date", "")
        if not sources and event.id not in linked:
            issues.append(
                Issue("no_source", NO_SOURCE, {"number": number[event.id], "date": phrase}, event.id)
            )
        for source in sources:
            if not source.startswith("interview:") or parsed is None:
                continue
            try:
                answer = store.get(source.split(":", 1)[1])
            except NotFound:  # the source names a question id, not an answer record
                continue
            value = _parsed(answer.data.get("value"))
            if value is not None and not _overlap(value, parsed):
                issues.append(
                    Issue(
                        "answer_date",
                        ANSWER_DATE,
                        {
                            "number": number[event.id],
                            "event_date": phrase,
                            "answer_date": answer.data["value"],
                        },
                        event.id,
                    )
                )

    issues += _season_regions(client, events, number)

    arrival = _parsed((client.data.get("proceedings") or {}).get("last_arrival"))
    border = [e for e in events if e.data.get("category") == "border" and _parsed(e.data.get("date"))]
    if arrival is not None and border:
        latest = border[-1]
        latest_date = _parsed(latest.data["date"])
        assert latest_date is not None
        if not _overlap(arrival, latest_date):
            issues.append(
                Issue(
                    "arrival",
                    ARRIVAL,
                    {
                        "arrival": client.data["proceedings"]["last_arrival"],
                        "number": number[latest.id],
                        "event_date": latest.data["date"],
                    },
                    latest.id,
                )
            )

    by_id = {e.id: e for e in events}
    for index, paragraph in enumerate(paragraphs, start=1):
        linked_events = [by_id[eid] for eid in paragraph.data.get("events") or [] if eid in by_id]
        dated = [(e, _parsed(e.data.get("date"))) for e in linked_events]
        dated = [(e, d) for e, d in dated if d is not None]
        if not dated:
            continue
        for lang in ("en", "es"):
            text = paragraph.data.get(lang)
            if not text:
                continue
            mentions = [(said, d) for said in date_mentions(text, lang) if (d := _parsed(said)) is not None]
            matched = [(said, sd, e, d) for said, sd in mentions for e, d in dated if _overlap(sd, d)]
            if mentions and not matched:
                # Extra dates in a paragraph are fine (a child's birth); missing the event's date is not.
                said, _sd = mentions[0]
                first = dated[0][0]
                issues.append(
                    Issue(
                        "paragraph_date",
                        PARAGRAPH_DATE,
                        {
                            "paragraph": index,
                            "said": said,
                            "number": number[first.id],
                            "event_date": first.data["date"],
                        },
                        first.id,
                        paragraph.id,
                    )
                )
            for said, sd, event, d in matched:
                if sd.precision == "day" and d.precision != "day":
                    issues.append(
                        Issue(
                            "paragraph_precision",
                            PARAGRAPH_PRECISION,
                            {
                                "paragraph": index,
                                "said": said,
                                "number": number[event.id],
                                "event_date": event.data["date"],
                            },
                            event.id,
                            paragraph.id,
                        )
                    )
                    break
            break  # the first language with text is checked; the other is its translation
    return issues


def _season_regions(client: Record, events: list[Record], number: dict[str, int]) -> list[Issue]:
    """Events whose date was read from a season with another region's seasons than the client's,
    or while the client's country gives no region."""
    from desktop.case.seasoncodes import client_country, client_region

    said = [e for e in events if (e.data.get("date_said") or {}).get("seasons")]
    if not said:
        return []
    country, region = client_country(client.data), client_region(client.data)
    issues: list[Issue] = []
    for event in said:
        reading = event.data["date_said"]["seasons"]
        if reading == region:
            continue
        params = {
            "number": number[event.id],
            "event_date": event.data.get("date", ""),
            "words": event.data["date_said"].get("text", ""),
            "reading": reading,
        }
        if region is not None and country:
            issues.append(Issue("season_region", SEASON_REGION, {**params, "country": country}, event.id))
        else:
            issues.append(Issue("season_region", SEASON_REGION_UNKNOWN, params, event.id))
    return issues
