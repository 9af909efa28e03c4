"""Rows of the client list, from the client summary (see desktop.case.summary): one plain query for
all live clients; each client's next deadline is judged against today when first needed."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.case.names import join_name

from desktop.case.deadlines import Deadline, DeadlineInputs, deadlines_on

_QUERY = (
    "SELECT client_id, given_names, family_names, sort_name, a_number, facility, custody_status, "
    "next_hearing, hearing_lo, hearing_hi, hearing_approx, one_year_due, one_year_approx, "
    "foia_due, foia_approx, cert_due, cert_approx FROM client_summary"
)
_day = date.fromisoformat


class ClientRow:
    """One line of the client list. The deadline is judged on first access, so only the rows
    that are painted (or sorted by deadline) pay for it."""

    __slots__ = (
        "id",
        "given_names",
        "family_names",
        "sort_name",
        "a_number",
        "facility",
        "custody_status",
        "next_hearing",
        "next_hearing_lo",
        "_inputs",
        "_today",
        "_deadline",
    )

    def __init__(self, row: tuple[Any, ...], today: date) -> None:
        (
            self.id,
            self.given_names,
            self.family_names,
            self.sort_name,
            self.a_number,
            self.facility,
            self.custody_status,
            self.next_hearing,
            self.next_hearing_lo,
        ) = row[:9]
        self._inputs = row[8:]
        self._today = today
        self._deadline: Deadline | None | bool = False  # False: not judged yet

    @property
    def name(self) -> str:
        return join_name(self.given_names, self.family_names)

    @property
    def deadline(self) -> Deadline | None:
        if self._deadline is False:
            self._deadline = _judge(self._inputs, self._today)
        return self._deadline  # type: ignore[return-value]


def _judge(inputs: tuple[Any, ...], today: date) -> Deadline | None:
    h_lo, h_hi, h_approx, y_due, y_approx, f_due, f_approx, c_due, c_approx = inputs
    if not (h_lo or y_due or f_due or c_due):
        return None
    items = deadlines_on(
        DeadlineInputs(
            hearing=(_day(h_lo), _day(h_hi) if h_hi else None, bool(h_approx)) if h_lo else None,
            one_year=(_day(y_due), bool(y_approx)) if y_due else None,
            foia=((_day(f_due), bool(f_approx)),) if f_due else (),
            certificates=((_day(c_due), bool(c_approx)),) if c_due else (),
        ),
        today,
    )
    return items[0] if items else None


def client_rows(conn: Any, today: date | None = None, ids: list[str] | None = None) -> list[ClientRow]:
    """All live clients (or those in ``ids``), their deadlines as of ``today``."""
    today = today or date.today()
    sql, params = _QUERY, ()
    if ids is not None:
        if not ids:
            return []
        sql += f" WHERE client_id IN ({','.join('?' * len(ids))})"
        params = tuple(ids)
    return [ClientRow(row, today) for row in conn.execute(sql, params)]
