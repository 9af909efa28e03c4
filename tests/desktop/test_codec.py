"""The record codec: rows <-> records, canonical stored JSON, the derived tables, the only writer."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.case import codec
from desktop.case.model import Record
from desktop.jsonutil import canonical_json
from desktop.vault.database import new_uuid, now_iso

REPO = Path(__file__).resolve().parents[2]


def _client(vault, data: dict, **changes) -> Record:
    rid = new_uuid()
    now = now_iso()
    record = Record(
        id=rid,
        kind="client",
        client_id=rid,
        parent_id=None,
        position=0,
        ref=None,
        data=data,
        rev=1,
        created_at=now,
        updated_at=now,
        origin=vault.device_id,
    )
    return replace(record, **changes)


def _stored(vault, record_id: str) -> str:
    return vault.conn.execute("SELECT data FROM records WHERE id = ?", (record_id,)).fetchone()[0]


def _summary_names(vault) -> dict[str, tuple[str, str]]:
    rows = vault.conn.execute("SELECT client_id, given_names, family_names FROM client_summary")
    return {r[0]: (r[1], r[2]) for r in rows}


# -- rows <-> records ------------------------------------------------------------------------------
def test_a_row_round_trips_through_a_record(store, vault):
    made = store.create("client", {"given_names": "Inés", "family_names": "Ávila", "aliases": ["Nena"]})
    event = store.create("event", {"date": "2022-03", "text": {"en": "Arrived"}}, client_id=made.id)
    for rid in (made.id, event.id):
        row = vault.conn.execute(f"SELECT {codec.SELECT} FROM records WHERE id = ?", (rid,)).fetchone()
        record = codec.from_row(row)
        assert codec.to_row(record) == tuple(row)
        assert codec.from_row(codec.to_row(record)) == record == codec.fetch(vault.conn, rid)
    assert codec.from_row(codec.to_row(event)).date_lo == "2022-03-01"
    assert codec.fetch(vault.conn, new_uuid()) is None
    assert codec.COLUMNS[: len(codec.FIELDS)] == codec.FIELDS and len(codec.COLUMNS) == 14


def test_the_same_data_in_another_key_order_stores_the_same_text(vault):
    one = _client(vault, {"given_names": "Ana", "family_names": "Pérez", "custody": {"status": "detained"}})
    other = _client(vault, {"custody": {"status": "detained"}, "family_names": "Pérez", "given_names": "Ana"})
    assert list(one.data) != list(other.data)
    with vault.transaction() as conn:
        codec.insert(conn, one)
        codec.insert(conn, other)
    text = _stored(vault, one.id)
    assert text == _stored(vault, other.id) == canonical_json(one.data)
    assert text == '{"custody":{"status":"detained"},"family_names":"Pérez","given_names":"Ana"}'
    # An update writes the same canonical form.
    with vault.transaction() as conn:
        reordered = dict(reversed(list(one.data.items())))
        codec.update(conn, other.id, data=reordered, updated_at=now_iso(), origin=vault.device_id)
    assert _stored(vault, other.id) == text


def test_non_ascii_is_stored_as_utf8_not_escaped(store, vault):
    rec = store.create("client", {"given_names": "José Ángel", "family_names": "Núñez Tzoc"})
    text = _stored(vault, rec.id)
    assert "José Ángel" in text and "Núñez" in text and "\\u" not in text
    assert codec.dump_data({"n": "ñ"}).encode("utf-8") == b'{"n":"\xc3\xb1"}'


def test_stored_text_is_what_sqlite_json_gives_back_which_export_relies_on(store, vault):
    store.create("client", {"given_names": "Ana", "family_names": "Pérez", "aliases": ["A", "B"]})
    for text, minified in vault.conn.execute("SELECT data, json(data) FROM records"):
        assert text == minified == canonical_json(json.loads(text))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused_and_nothing_is_written(vault, value):
    with pytest.raises(ValueError):
        codec.dump_data({"x": value})
    with pytest.raises(ValueError), vault.transaction() as conn:
        codec.insert(conn, _client(vault, {"given_names": "Ana", "notes": value}))
    assert vault.conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0


def test_update_changes_only_what_it_is_given(store, vault):
    rec = store.create("client", {"given_names": "Ana"})
    with vault.transaction() as conn:
        codec.update(conn, rec.id, position=4, updated_at="2030-01-01T00:00:00.000Z", origin="elsewhere")
    moved = store.get(rec.id)
    assert (moved.position, moved.rev, moved.data, moved.origin) == (4, 2, rec.data, "elsewhere")
    with vault.transaction() as conn:
        codec.update(conn, rec.id, deleted=True, rev=9, updated_at=now_iso(), origin=vault.device_id)
        codec.update(conn, rec.id, updated_at=now_iso(), origin=vault.device_id)  # a touch
    assert (store.get(rec.id).deleted, store.get(rec.id).rev) == (True, 10)
    with pytest.raises(TypeError, match="kind"):
        codec.update(vault.conn, rec.id, kind="event", updated_at=now_iso(), origin=vault.device_id)


# -- the derived tables ----------------------------------------------------------------------------
def test_the_single_record_path_keeps_search_and_summary_current(store, vault):
    record = _client(vault, {"given_names": "Inés", "family_names": "Ávila"})
    with vault.transaction() as conn:
        codec.insert(conn, record)
        codec.refresh(conn, record)
    assert store.search("ines avila") == [record.id]
    assert _summary_names(vault) == {record.id: ("Inés", "Ávila")}
    renamed = {"given_names": "Inés", "family_names": "Balam"}
    with vault.transaction() as conn:
        codec.update(conn, record.id, data=renamed, updated_at=now_iso(), origin=vault.device_id)
        codec.refresh(conn, replace(record, data=renamed))
    assert store.search("avila") == [] and store.search("balam") == [record.id]
    assert _summary_names(vault) == {record.id: ("Inés", "Balam")}
    with vault.transaction() as conn:
        codec.set_deleted(conn, [record.id], True, updated_at=now_iso(), origin=vault.device_id)
        codec.refresh_client(conn, record.id)  # read back from the table
    assert store.search("balam") == [] and _summary_names(vault) == {}
    with vault.transaction() as conn:
        codec.set_deleted(conn, [record.id], False, updated_at=now_iso(), origin=vault.device_id)
        codec.refresh(conn, replace(record, data=renamed))
    assert store.search("balam") == [record.id] and _summary_names(vault) == {record.id: ("Inés", "Balam")}


@pytest.mark.parametrize("rebuild", [False, True])
def test_the_bulk_path_keeps_search_and_summary_current(store, vault, monkeypatch, rebuild):
    if rebuild:
        monkeypatch.setattr(codec, "REBUILD_ABOVE", 0)  # every bulk refresh rebuilds both tables
    kept = store.create("client", {"given_names": "Marta", "family_names": "Calel"})
    people = [("José", "Núñez"), ("Ana Lucía", "Pérez"), ("Daniel", "Castillo")]
    records = [_client(vault, {"given_names": g, "family_names": f}) for g, f in people]
    gone = _client(vault, {"given_names": "Borrado", "family_names": "Nadie"}, deleted=True)
    with vault.transaction() as conn:
        codec.insert_many(conn, [codec.row_values(vars(r)) for r in [*records, gone]])
        codec.refresh_clients(conn, [r.id for r in records] + [gone.id, records[0].id])
    assert store.search("nunez") == [records[0].id] and store.search("perez") == [records[1].id]
    assert store.search("nadie") == [] and store.search("calel") == [kept.id]
    assert _summary_names(vault) == {kept.id: ("Marta", "Calel")} | {
        r.id: (r.data["given_names"], r.data["family_names"]) for r in records
    }
    assert [codec.fetch(vault.conn, r.id) for r in records] == records


def _indexes(conn) -> list[tuple[str, str]]:
    return sorted(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' "
            "AND sql IS NOT NULL"
        ).fetchall()
    )


def test_bulk_indexes_are_dropped_only_for_a_large_write_and_come_back(store, vault, monkeypatch):
    store.create("client", {"given_names": "Ana"})
    indexes = _indexes(vault.conn)
    assert len(indexes) >= 4
    assert codec.bulk_indexes(vault.conn, codec.BULK_MIN - 1) == []
    monkeypatch.setattr(codec, "BULK_MIN", 1)
    assert codec.bulk_indexes(vault.conn, 1) == []  # not more than the table holds
    assert sorted(codec.bulk_indexes(vault.conn, 2)) == indexes
    with vault.transaction() as conn, codec.without_indexes(conn, 2):
        assert _indexes(conn) == []
    assert _indexes(vault.conn) == indexes


def _pragmas(conn) -> tuple[int, int]:
    return conn.execute("PRAGMA cache_size").fetchone()[0], conn.execute("PRAGMA foreign_keys").fetchone()[0]


def test_bulk_writes_restore_the_pragmas_even_after_a_failure(vault):
    before = _pragmas(vault.conn)
    assert before[1] == 1
    with pytest.raises(RuntimeError), codec.bulk_writes(vault.conn):
        assert _pragmas(vault.conn) == (-codec.BULK_CACHE_KIB, 0)
        raise RuntimeError
    assert _pragmas(vault.conn) == before


# -- the only writer -------------------------------------------------------------------------------
_WRITE = re.compile(r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+records\b")


def test_only_the_codec_writes_the_records_table():
    files = sorted((REPO / "desktop").rglob("*.py")) + sorted((REPO / "ui").rglob("*.py"))
    writers = {str(p.relative_to(REPO)) for p in files if _WRITE.search(p.read_text(encoding="utf-8"))}
    assert writers == {"desktop/case/codec.py"}
