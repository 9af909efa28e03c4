"""The client summary: one small row per live client with what the client list shows.

Derived data, kept current through the record codec (:func:`desktop.case.codec.refresh` and its
bulk forms) in the same transaction as every write to a client or a request (FOIA or certificate), by the case
store and by a sync import, and rebuildable at any time (:func:`rebuild`). It exists so
the list of 10,000 clients loads with one plain query, without parsing JSON or dates per row;
deadlines are stored as their date-independent inputs and judged against today when shown.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.case.deadlines import deadline_inputs
from desktop.errors import DeclaraError
from desktop.case.search import fold

COLUMNS = (
    "client_id, given_names, family_names, sort_name, a_number, facility, custody_status, "
    "next_hearing, hearing_lo, hearing_hi, hearing_approx, one_year_due, one_year_approx, "
    "foia_due, foia_approx, cert_due, cert_approx"
)


def refresh(conn: Any, client_id: str) -> None:
    """Recompute the summary row of one client (removing it if the client is deleted)."""
    row = conn.execute(
        "SELECT data, deleted FROM records WHERE id = ? AND kind = 'client'", (client_id,)
    ).fetchone()
    if row is None or row[1]:
        conn.execute("DELETE FROM client_summary WHERE client_id = ?", (client_id,))
        return
    data = json.loads(row[0])
    foia = [
        json.loads(d)
        for (d,) in conn.execute(
            "SELECT data FROM records WHERE client_id = ? AND kind = 'foia_request' AND deleted = 0",
            (client_id,),
        )
    ]
    try:
        inputs = deadline_inputs(data.get("proceedings"), foia)
    except (ValueError, DeclaraError):  # a stored value the deadline rules cannot read: show no deadline
        inputs = deadline_inputs(None, [])
    hearing = inputs.hearing
    one_year = inputs.one_year
    first_foia = inputs.foia[0] if inputs.foia else None
    first_cert = inputs.certificates[0] if inputs.certificates else None
    given, family = data.get("given_names") or "", data.get("family_names") or ""
    conn.execute(
        f"INSERT OR REPLACE INTO client_summary ({COLUMNS}) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            client_id,
            given,
            family,
            fold(f"{family} {given}"),
            data.get("a_number"),
            (data.get("custody") or {}).get("facility") or "",
            (data.get("custody") or {}).get("status"),
            (data.get("proceedings") or {}).get("next_hearing"),
            hearing[0].isoformat() if hearing else None,
            hearing[1].isoformat() if hearing and hearing[1] else None,
            int(bool(hearing and hearing[2])),
            one_year[0].isoformat() if one_year else None,
            int(bool(one_year and one_year[1])),
            first_foia[0].isoformat() if first_foia else None,
            int(bool(first_foia and first_foia[1])),
            first_cert[0].isoformat() if first_cert else None,
            int(bool(first_cert and first_cert[1])),
        ),
    )


def rebuild(conn: Any) -> None:
    conn.execute("DELETE FROM client_summary")
    for (client_id,) in conn.execute(
        "SELECT id FROM records WHERE kind = 'client' AND deleted = 0"
    ).fetchall():
        refresh(conn, client_id)
