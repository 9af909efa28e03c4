"""Accent- and case-insensitive client search, backed by FTS5 inside the encrypted database.

The ``client_search`` table holds, per client, the folded names and aliases and every suffix of the
A-number's digits, so "jose" finds "José", "perez" finds "Pérez", and "555014" or "201-555" finds
A 201-555-014. ``document_search`` does the same for the evidence documents' titles and text
(below). Queries are prefix matches on every word, all words required. Kept current through
the record codec (:mod:`desktop.case.codec`) in the same transaction as each write.
"""

from __future__ import annotations

import hashlib

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
    conn.execute("DELETE FROM document_search")
    reindex_documents(conn)


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


# -- documents (desktop.evidence) ------------------------------------------------------------------
# The text of a document (embedded in a PDF or read by OCR) is kept in ``document_text``; the FTS5
# table ``document_search`` indexes it folded, with the document's title, filename and issuer and
# every suffix of each A-number found in it, under the document record's rowid (as client_search
# does for clients). An A-number is found written "A 201-555-077", "A201555077", "A-201 555 077",
# "201-555-077" or "201555077" (nine digits), and with the "A" also in 7 or 8 digits ("A 12-345-678").

_A_PREFIXED = re.compile(r"(?<![0-9A-Za-z])[Aa]\s?[-#:.]?\s?([0-9](?:[ -]?[0-9]){6,8})(?![0-9])")
_NINE_DIGITS = re.compile(r"(?<![0-9])([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{3})(?![0-9])")


def text_a_numbers(text: str) -> list[str]:
    """The A-numbers written in ``text``, as 9 digits, in order of first appearance."""
    found: dict[str, None] = {}
    for match in _A_PREFIXED.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 7 <= len(digits) <= 9:
            found[digits.zfill(9)] = None
    for match in _NINE_DIGITS.finditer(text):
        found["".join(match.groups())] = None
    return list(found)


def _document_title(data: dict[str, Any]) -> str:
    parts = [data.get("title"), data.get("filename"), data.get("issuer")]
    return fold(" ".join(p for p in parts if isinstance(p, str)))


def index_document(conn: Any, document_id: str, data: dict[str, Any]) -> None:
    """(Re)index one document: its title, filename and issuer, and its text when it has one.

    The text the record names (``text_sha256``, a blob) is taken into ``document_text`` when the
    table does not hold that text yet: a document that came by sync or from a backup is searchable
    by the words OCR found on another machine."""
    row = conn.execute("SELECT text FROM document_text WHERE document_id = ?", (document_id,)).fetchone()
    text = row[0] if row else ""
    wanted = data.get("text_sha256")
    stale = row is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != wanted
    if isinstance(wanted, str) and stale:
        loaded = _blob_text(conn, wanted)
        if loaded is not None:
            text = loaded
            conn.execute(
                "INSERT INTO document_text (document_id, client_id, source, text) "
                "SELECT id, client_id, ?, ? FROM records WHERE id = ? "
                "ON CONFLICT (document_id) DO UPDATE SET source = excluded.source, text = excluded.text",
                (data.get("text_source") or "embedded", text, document_id),
            )
    numbers = " ".join(_number_suffixes(n) for n in text_a_numbers(text))
    conn.execute(
        "INSERT OR REPLACE INTO document_search (rowid, title, text, numbers) "
        "SELECT rowid, ?, ?, ? FROM records WHERE id = ?",
        (_document_title(data), fold(text), numbers, document_id),
    )


def _blob_text(conn: Any, sha256: str) -> str | None:
    """The UTF-8 text stored as blob ``sha256``, or None when it is absent or does not match."""
    chunks = conn.execute("SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY seq", (sha256,)).fetchall()
    if not chunks:
        return None
    raw = b"".join(bytes(chunk[0]) for chunk in chunks)
    if hashlib.sha256(raw).hexdigest() != sha256:
        return None
    return raw.decode("utf-8", errors="replace")


def remove_document(conn: Any, document_id: str) -> None:
    conn.execute(
        "DELETE FROM document_search WHERE rowid = (SELECT rowid FROM records WHERE id = ?)", (document_id,)
    )


def set_document_text(conn: Any, document_id: str, client_id: str, text: str, source: str) -> None:
    """Store a document's text (``source`` "embedded" or "ocr") and index it with the record."""
    conn.execute(
        "INSERT INTO document_text (document_id, client_id, source, text) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (document_id) DO UPDATE SET client_id = excluded.client_id, "
        "source = excluded.source, text = excluded.text",
        (document_id, client_id, source, text),
    )
    row = conn.execute("SELECT data, deleted FROM records WHERE id = ?", (document_id,)).fetchone()
    if row is not None and not row[1]:
        index_document(conn, document_id, json.loads(row[0]))


def reindex_documents(conn: Any, client_id: str | None = None) -> None:
    """Index again the live documents of one client (or of every client)."""
    sql = "SELECT id, data FROM records WHERE kind = 'document' AND deleted = 0"
    params: tuple[Any, ...] = ()
    if client_id is not None:
        sql += " AND client_id = ?"
        params = (client_id,)
    for document_id, data_json in conn.execute(sql, params).fetchall():
        index_document(conn, document_id, json.loads(data_json))


def search_documents(conn: Any, query: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(client id, document id) of the live documents of live clients matching ``query``, best
    first: words in the title, filename, issuer or text (accents and case ignored), or an A-number
    written in the text, in any of its forms."""
    match = fts_query(query)
    if match is None:
        return []
    sql = (
        "SELECT d.client_id, d.id FROM document_search s JOIN records d ON d.rowid = s.rowid "
        "JOIN records c ON c.id = d.client_id "
        "WHERE document_search MATCH ? AND d.kind = 'document' AND d.deleted = 0 AND c.deleted = 0 "
        "ORDER BY rank"
    )
    params: tuple[Any, ...] = (match,)
    if limit is not None:
        sql += " LIMIT ?"
        params += (int(limit),)
    return [(row[0], row[1]) for row in conn.execute(sql, params)]
