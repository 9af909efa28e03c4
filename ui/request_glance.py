"""Where the open client's requests stand, for the tables that show it: each request's state and
date in the requests table, and each allegation's requests at a glance in the allegations table
("Overdue: 1 · Pending: 2"). Kept current by the requests controller (ui.controllers.requests) when
the client is shown and whenever a request, an allegation or the client's hearing changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from desktop.case.model import Record
from desktop.i18n import _, current_language
from desktop.requests import tables, tracking

__all__ = ["REQUESTS", "RequestsShown"]

#: States that colour a row: the attorney must act.
ALERT_STATES = frozenset({"overdue", "expired", "expiring"})


class RequestsShown:
    def __init__(self) -> None:
        self.hearing: dt.date | None = None
        self.today: dt.date | None = None  # None: the real today (tests set a day)
        self._states: dict[str, tracking.RequestState] = {}
        self._allegations: dict[str, str] = {}
        self._missing: dict[str, list[str]] = {}
        self._replaced: set[str] = set()

    def update(
        self,
        requests: Iterable[Record],
        allegations: Iterable[Record],
        client: Record | None,
    ) -> None:
        """The shown client's requests and allegations (``client``: its record, None when none)."""
        self.hearing = tracking.hearing_day(client.data.get("proceedings")) if client is not None else None
        today = self.today or dt.date.today()
        live_requests = [(r.id, r.data) for r in requests if not r.deleted]
        self._states = {s.id: s for s in tracking.judge(live_requests, today, self.hearing)}
        self._replaced = {s.id for s in self._states.values() if s.state == "replaced"}
        live = [a for a in allegations if not a.deleted]
        self._allegations = {a.id: allegation_label(a) for a in live}
        self._missing = {}
        if client is not None:
            states = list(self._states.values())
            for allegation in live:
                if allegation.data.get("status") == "withdrawn":
                    continue  # nothing more to ask for
                suggestions = tracking.suggestions(client.data, allegation.id, allegation.data, states)
                self._missing[allegation.id] = [s.to for s in suggestions if not s.requests]

    def clear(self) -> None:
        self.update((), (), None)

    def allegations(self) -> dict[str, str]:
        """The client's allegations in words, for the request form's choice."""
        return dict(self._allegations)

    def state(self, record: Record) -> tracking.RequestState:
        """A request's state, judged now from the record as shown (a field just edited included)."""
        from dataclasses import replace

        state = tracking.request_state(record.id, record.data, self.today or dt.date.today(), self.hearing)
        if record.id in self._replaced and state.expires is not None:
            return replace(state, state="replaced")
        return state

    # -- the requests table ------------------------------------------------------------------------
    def to_text(self, record: Record) -> str:
        return target_name(self.state(record).to)

    def allegation_text(self, record: Record) -> str:
        return self._allegations.get(record.data.get("allegation") or "", "")

    def state_text(self, record: Record) -> str:
        return _(tracking.STATE_LABELS[self.state(record).state])

    def date_text(self, record: Record) -> str:
        from ui.models.client_table import format_day

        state = self.state(record)
        if state.closed:
            return ""
        if state.expires is not None:
            day = format_day(state.expires)
            if state.expires_approximate:
                return _("valid until {date} (from an approximate date)").format(date=day)
            return _("valid until {date}").format(date=day)
        if state.validity_unknown:
            return _("validity not confirmed")
        if state.clearance and state.state == "answered" and not state.issued_on:
            return _("record the day it was issued")
        if state.clearance and state.state == "answered" and state.issued_on:  # "../2026-11": no first day
            return _("record the exact day it was issued")
        if state.due is not None:
            text = format_day(state.due)
            if state.due_approximate:
                text = _("{date} (from an approximate date)").format(date=text)
            return _("Overdue since {date}").format(date=text) if state.state == "overdue" else text
        return ""

    def alert(self, record: Record) -> bool:
        return self.state(record).state in ALERT_STATES

    # -- the allegations table ---------------------------------------------------------------------
    def _of(self, allegation_id: str) -> list[tracking.RequestState]:
        return [s for s in self._states.values() if s.allegation in (allegation_id, None)]

    def glance_text(self, allegation: Record) -> str:
        """ "Overdue: 2 · Draft: 1 · Not yet asked: USCIS, certificates" """
        parts = [
            _("{state}: {count}").format(state=_(tracking.STATE_LABELS[state]), count=count)
            for state, count in tracking.glance(self._of(allegation.id))
        ]
        missing = self._missing.get(allegation.id) or []
        if missing:
            names = [_("certificates") if to == tracking.CLEARANCE else to for to in missing]
            parts.append(_("Not yet asked: {targets}").format(targets=", ".join(names)))
        return " · ".join(parts) or _("none yet")

    def glance_alert(self, allegation: Record) -> bool:
        return any(s.state in ALERT_STATES for s in self._of(allegation.id))


def allegation_label(record: Record) -> str:
    from desktop.case.model import VOCABULARIES

    kind = record.data.get("kind") or "other"
    label = _(VOCABULARIES["allegation_kind"].get(kind, kind))
    organization = (record.data.get("organization") or "").strip()
    return f"{label} ({organization})" if organization else label


def target_name(to: str) -> str:
    """An agency code or a certificate code in words, in the interface language."""
    return tables.target_name(to, "es" if current_language() == "es" else "en")


REQUESTS = RequestsShown()
