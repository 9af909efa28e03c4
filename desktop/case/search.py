"""Accent- and case-insensitive client search, backed by FTS5 inside the encrypted database.

The ``client_search`` table holds, per client, the folded names and aliases and every suffix of the
A-number's digits, so "jose" finds "José", "perez" finds "Pérez", and "555014" or "201-555" finds
A 201-555-014. Queries are prefix matches on every word, all words required. Kept current through
the record codec (:mod:`desktop.case.codec`) in the same transaction as each write.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBERISH = re.compile(r"^\s*(?:[Aa]\s*[-#]?\s*)?[0-9][0-9 \-]*$")


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Núñez Ávila' -> 'nunez avila'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _number_suffixes(digits: str) -> str:
    digits = re.sub(r"\D", "", digits or "")
    return " ".join(digits[i:] for i in range(max(len(digits) - 2, 0)))


def index_client(conn: Any, client_id: str, data: dict[str, Any]) -> None:
    """(Re)index one client. The index row shares the client record's rowid, so replacing it is
    a direct lookup, not a scan (``client_id`` is unindexed in FTS5)."""
    names = [data.get("given_names") or "", data.get("family_names") or ""]
    names += [a for a in data.get("aliases") or [] if isinstance(a, str)]
    conn.execute(
        "INSERT OR REPLACE INTO client_search (rowid, client_id, names, numbers) "
        "SELECT rowid, ?, ?, ? FROM records WHERE id = ?",
        (client_id, fold(" ".join(names)), _number_suffixes(data.get("a_number") or ""), client_id),
    )


def index_client_json(conn: Any, client_id: str, data_json: str) -> None:
    index_client(conn, client_id, json.loads(data_json))


def rebuild_index(conn: Any) -> None:
    """Rebuild the whole index (after anything that may renumber rowids, such as VACUUM,
    which Declara itself never runs)."""
    conn.execute("DELETE FROM client_search")
    for client_id, data_json in conn.execute(
        "SELECT id, data FROM records WHERE kind = 'client' AND deleted = 0"
    ).fetchall():
        index_client_json(conn, client_id, data_json)


def remove_client(conn: Any, client_id: str) -> None:
    conn.execute(
        "DELETE FROM client_search WHERE rowid = (SELECT rowid FROM records WHERE id = ?)", (client_id,)
    )


def fts_query(query: str) -> str | None:
    """The FTS5 MATCH expression for what the user typed; None when nothing searchable."""
    if _NUMBERISH.match(query) and re.search(r"\d", query):
        digits = re.sub(r"\D", "", query)
        return f'numbers : "{digits}"*'
    words = _WORD.findall(fold(query))
    if not words:
        return None
    return " AND ".join(f'"{w}"*' for w in words)


def search_clients(conn: Any, query: str, limit: int | None = None) -> list[str]:
    """Ids of the live clients matching ``query``, best matches first."""
    match = fts_query(query)
    if match is None:
        return []
    sql = (
        "SELECT r.id FROM client_search s JOIN records r ON r.rowid = s.rowid "
        "WHERE client_search MATCH ? AND r.deleted = 0 ORDER BY rank"
    )
    params: tuple[Any, ...] = (match,)
    if limit is not None:
        sql += " LIMIT ?"
        params += (int(limit),)
    return [row[0] for row in conn.execute(sql, params)]
