"""Schema migrations: forward-only, each tested from the previous version with data in it."""

from __future__ import annotations

import json

import pytest

from desktop.vault import migrations
from desktop.errors import VaultTooNew
from desktop.case.store import CaseStore
from desktop.vault.database import DB_NAME, Vault, create_vault, open_vault, unlock


def _raw_connection(vault_path, key):
    import sqlcipher3

    conn = sqlcipher3.connect(str(vault_path / DB_NAME), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def test_fresh_vault_is_at_the_latest_version(vault):
    assert migrations.current_version(vault.conn) == migrations.LATEST == len(migrations.MIGRATIONS)


def _vault_at(passphrase, tmp_path, policy, monkeypatch, version: int):
    """A vault whose schema stops at ``version``, with two clients and a FOIA request written the
    way that version wrote them (rows in ``records`` only, no later tables)."""
    path = tmp_path / f"v{version}.declara"
    original = migrations.migrate

    def migrate_to(conn, **kw):
        kw["target"] = version
        return original(conn, **kw)

    monkeypatch.setattr(migrations, "migrate", migrate_to)
    with create_vault(path, passphrase, policy) as old:
        assert migrations.current_version(old.conn) == version
        rows = [
            (
                "c0",
                "client",
                "c0",
                {
                    "given_names": "José",
                    "family_names": "Núñez",
                    "proceedings": {"last_arrival": "2026-06-01", "next_hearing": "2027-01-15"},
                },
            ),
            ("c1", "client", "c1", {"given_names": "Ana", "family_names": "Pérez", "a_number": "201555014"}),
            ("f0", "foia_request", "c1", {"agency": "CBP", "sent_on": "2026-10-01", "status": "pending"}),
        ]
        for rid, kind, cid, data in rows:
            old.conn.execute(
                "INSERT INTO records (id, kind, client_id, data, created_at, updated_at, origin) "
                "VALUES (?, ?, ?, ?, 'x', 'x', 'dev')",
                (rid, kind, cid, json.dumps(data)),
            )
        tables = {r[0] for r in old.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    monkeypatch.undo()
    return path, tables


def test_migrations_from_version_1_with_data(tmp_path, policy, monkeypatch, passphrase):
    path, tables = _vault_at(passphrase, tmp_path, policy, monkeypatch, 1)
    assert "client_search" not in tables and "client_summary" not in tables
    with open_vault(path, unlock(path, passphrase, policy)) as new:
        assert migrations.current_version(new.conn) == len(migrations.MIGRATIONS)
        store = CaseStore(new)
        assert store.search("jose") == ["c0"]  # migration 2 indexed the old clients
        assert store.search("perez") == ["c1"]
        assert store.search("555-014") == ["c1"]
        assert new.check() == []


def test_migration_3_summarises_clients_written_at_version_2(tmp_path, policy, monkeypatch, passphrase):
    from datetime import date

    from desktop.case.clients import client_rows

    path, tables = _vault_at(passphrase, tmp_path, policy, monkeypatch, 2)
    assert "client_search" in tables and "client_summary" not in tables
    with open_vault(path, unlock(path, passphrase, policy)) as new:
        rows = {r.id: r for r in client_rows(new.conn, date(2026, 11, 25))}
        assert set(rows) == {"c0", "c1"}
        assert rows["c0"].sort_name == "nunez jose"
        assert rows["c0"].deadline.kind == "hearing"
        assert rows["c1"].deadline.kind == "foia" and rows["c1"].deadline.overdue  # due 2026-10-29
        assert rows["c1"].a_number == "201555014"


def test_a_failing_migration_leaves_the_previous_version(tmp_path, policy, monkeypatch, passphrase):
    path = tmp_path / "v.declara"
    create_vault(path, passphrase, policy).close()

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("simulated failure in the middle of a migration")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    key = unlock(path, passphrase, policy)
    with pytest.raises(RuntimeError):
        open_vault(path, key)
    monkeypatch.undo()
    conn = _raw_connection(path, key)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(
        migrations.MIGRATIONS
    )  # (undone: the real list)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='half_done'").fetchone()[0] == 0
    conn.close()


def test_vault_from_a_newer_declara_is_refused_untouched(vault, vault_path, policy, passphrase):
    vault.conn.execute(f"PRAGMA user_version = {len(migrations.MIGRATIONS) + 5}")
    vault.close()
    before = (vault_path / DB_NAME).read_bytes()
    with pytest.raises(VaultTooNew) as err:
        open_vault(vault_path, unlock(vault_path, passphrase, policy))
    assert "newer version" in str(err.value)
    assert (vault_path / DB_NAME).read_bytes() == before


def test_vault_class_is_the_only_opener():
    # Guard against a second code path that would skip the pragmas or migrations.
    assert Vault.__init__.__code__.co_varnames[:3] == ("self", "path", "data_key")


def test_migration_5_keeps_sync_bookkeeping_and_adds_the_base_trigger(
    tmp_path, policy, monkeypatch, passphrase
):
    path, tables = _vault_at(passphrase, tmp_path, policy, monkeypatch, 4)
    assert {"sync_sent", "sync_base"} <= tables
    original = migrations.migrate
    monkeypatch.setattr(migrations, "migrate", lambda conn, **kw: original(conn, **{**kw, "target": 4}))
    state = json.dumps({"data": {"agency": "CBP"}, "deleted": False, "position": 0})
    with open_vault(path, unlock(path, passphrase, policy)) as old:
        assert migrations.current_version(old.conn) == 4
        old.conn.execute("INSERT INTO sync_sent VALUES ('peer-a', 'f0', 3)")
        old.conn.execute("INSERT INTO sync_base VALUES ('peer-a', 'f0', 2, ?)", (state,))
    monkeypatch.undo()
    # Up to migration 9: migration 10 puts both tables into one (tested below).
    monkeypatch.setattr(migrations, "migrate", lambda conn, **kw: original(conn, **{**kw, "target": 9}))
    with open_vault(path, unlock(path, passphrase, policy)) as new:
        conn = new.conn
        assert migrations.current_version(conn) == 9
        assert conn.execute("SELECT * FROM sync_sent").fetchall() == [("peer-a", "f0", 3)]
        assert conn.execute("SELECT * FROM sync_base").fetchall() == [("peer-a", "f0", 2, state)]
        for table in ("sync_sent", "sync_base"):
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            assert "WITHOUT ROWID" in sql
        # A base stored by reference (NULL) is written out before the record changes.
        conn.execute("INSERT INTO sync_base VALUES ('peer-b', 'c1', 1, NULL)")
        before = json.loads(conn.execute("SELECT data FROM records WHERE id = 'c1'").fetchone()[0])
        conn.execute("UPDATE records SET rev = rev + 1 WHERE id = 'c1'")  # not a state change
        assert conn.execute("SELECT data FROM sync_base WHERE peer = 'peer-b'").fetchone()[0] is None
        conn.execute("UPDATE records SET data = json_set(data, '$.notes', 'x') WHERE id = 'c1'")
        kept = json.loads(conn.execute("SELECT data FROM sync_base WHERE peer = 'peer-b'").fetchone()[0])
        assert kept == {"data": before, "deleted": False, "position": 0}
        assert new.check() == []


def test_migration_10_puts_the_bookkeeping_in_one_table_and_keeps_every_base(
    tmp_path, policy, monkeypatch, passphrase
):
    """sync_sent and sync_base become sync_state: a record sent and based, only sent, only based
    (by reference or with a state of its own), for two peers; the trigger keeps bases as before."""
    path, _tables = _vault_at(passphrase, tmp_path, policy, monkeypatch, 9)
    original = migrations.migrate
    monkeypatch.setattr(migrations, "migrate", lambda conn, **kw: original(conn, **{**kw, "target": 9}))
    state = json.dumps({"data": {"agency": "CBP"}, "deleted": False, "position": 0})
    with open_vault(path, unlock(path, passphrase, policy)) as old:
        old.conn.executemany(
            "INSERT INTO sync_sent VALUES (?, ?, ?)",
            [("peer-a", "f0", 3), ("peer-a", "c0", 2), ("peer-b", "f0", 1)],
        )
        old.conn.executemany(
            "INSERT INTO sync_base VALUES (?, ?, ?, ?)",
            [("peer-a", "f0", 2, state), ("peer-a", "c1", 4, None), ("peer-b", "f0", 0, None)],
        )
    monkeypatch.undo()
    with open_vault(path, unlock(path, passphrase, policy)) as new:
        conn = new.conn
        assert migrations.current_version(conn) == migrations.LATEST >= 10
        rows = conn.execute(
            "SELECT client_id, record_id, peer, sent_rev, their_rev, base FROM sync_state"
        ).fetchall()
        assert sorted(rows) == [
            ("c0", "c0", "peer-a", 2, None, None),  # sent, no merge base
            ("c1", "c1", "peer-a", None, 4, None),  # a base by reference, nothing sent
            ("c1", "f0", "peer-a", 3, 2, state),  # keyed by the record's client
            ("c1", "f0", "peer-b", 1, 0, None),
        ]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert not names & {"sync_sent", "sync_base", "sync_base_by_reference", "sync_base_keep"}
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sync_state'").fetchone()[0]
        assert "WITHOUT ROWID" in sql and "PRIMARY KEY (client_id, record_id, peer)" in sql
        # A base by reference is written out before the record's state changes, and only that one.
        before = json.loads(conn.execute("SELECT data FROM records WHERE id = 'c1'").fetchone()[0])
        conn.execute("UPDATE records SET rev = rev + 1 WHERE id = 'c1'")  # not a state change
        assert conn.execute("SELECT base FROM sync_state WHERE record_id = 'c1'").fetchone()[0] is None
        conn.execute("UPDATE records SET data = json_set(data, '$.notes', 'x') WHERE id IN ('c0', 'c1')")
        kept = json.loads(conn.execute("SELECT base FROM sync_state WHERE record_id = 'c1'").fetchone()[0])
        assert kept == {"data": before, "deleted": False, "position": 0}
        # c0 had no merge base (only a revision sent): nothing is invented for it
        assert conn.execute("SELECT their_rev, base FROM sync_state WHERE record_id = 'c0'").fetchone() == (
            None,
            None,
        )
        assert new.check() == []


PHRASE = "asylum, withholding of removal and protection under the Convention Against Torture"


def test_migration_6_stores_draft_relief_as_keys_and_leaves_signed_versions(
    tmp_path, policy, monkeypatch, passphrase
):
    """Written at version 5: Ana's signed version 1 and draft version 2 with the English phrase, and
    José's draft with a purpose that names no relief. The drafts get keys; the signed version stays
    byte for byte what was signed, still verifies, and its PDF title still says its phrase."""
    import hashlib

    from desktop.documents.declaration import in_support_of_text
    from desktop.drafting.declarations import DeclarationService, canonical_text

    path, _tables = _vault_at(passphrase, tmp_path, policy, monkeypatch, 5)
    original = migrations.migrate
    monkeypatch.setattr(migrations, "migrate", lambda conn, **kw: original(conn, **{**kw, "target": 5}))
    fields = {"drafted_in": "en", "declarant_language": "es", "in_support_of": PHRASE}
    paragraph = {"en": "My name is Ana.", "es": "Me llamo Ana."}
    signed = {**fields, "version": 1, "status": "signed", "signed_on": "2026-11-02"}
    signed["sha256"] = hashlib.sha256(canonical_text(signed, [paragraph])).hexdigest()
    rows = [
        ("d1", "declaration", "c1", None, 0, {**signed}),
        ("p1", "paragraph", "c1", "d1", 0, paragraph),
        ("d2", "declaration", "c1", None, 1, {**fields, "version": 2, "status": "draft"}),
        ("p2", "paragraph", "c1", "d2", 0, paragraph),
        ("d3", "declaration", "c0", None, 0, {"in_support_of": "a motion to reopen", "version": 1}),
    ]
    with open_vault(path, unlock(path, passphrase, policy)) as old:
        assert migrations.current_version(old.conn) == 5
        for rid, kind, cid, parent, position, data in rows:
            old.conn.execute(
                "INSERT INTO records (id, kind, client_id, parent_id, position, data, rev, created_at, "
                "updated_at, origin) VALUES (?, ?, ?, ?, ?, ?, 3, 'x', 'x', 'dev')",
                (rid, kind, cid, parent, position, json.dumps(data)),
            )
        signed_text = old.conn.execute("SELECT data FROM records WHERE id = 'd1'").fetchone()[0]
    monkeypatch.undo()
    with open_vault(path, unlock(path, passphrase, policy)) as new:
        assert migrations.current_version(new.conn) == migrations.LATEST
        store = CaseStore(new)
        first, second = DeclarationService(store).versions("c1")
        assert first.signed and first.record.data == signed and "relief" not in first.record.data
        assert new.conn.execute("SELECT data FROM records WHERE id = 'd1'").fetchone()[0] == signed_text
        assert DeclarationService(store).verify(first)
        assert in_support_of_text(first.record.data, "en") == PHRASE
        assert in_support_of_text(first.record.data, "es") == (
            "su solicitud de asilo, la suspensión de la expulsión y la protección conforme a la Convención "
            "contra la Tortura"
        )
        assert second.record.data == {
            **fields,
            "version": 2,
            "status": "draft",
            "relief": ["asylum", "withholding", "cat"],
            "in_support_of": None,
        }
        typed = store.get("d3").data
        assert typed["relief"] == [] and typed["in_support_of"] == "a motion to reopen"
        # Not an edit: the revision, time and device are as they were.
        assert new.conn.execute(
            "SELECT DISTINCT rev, updated_at, origin FROM records WHERE kind = 'declaration'"
        ).fetchall() == [(3, "x", "dev")]
        # The converted draft signs, and both signed versions verify.
        service = DeclarationService(store)
        interpreter = {"name": "Rosa Medina", "address": "1 Example St.", "phone": "555-0100"}
        service.sign("c1", interpreter=interpreter)
        assert [service.verify(v) for v in service.versions("c1")] == [True, True]
        assert new.check() == []


# -- migration 7: season codes as months ------------------------------------------------------------
def _old_rows():
    """Written at version 6 by an older Declara: season codes in every kind of date field. Marta
    (c2) was born in El Salvador; c0 (José, from _vault_at) has no country."""
    marta = {
        "given_names": "Marta",
        "family_names": "Rivas",
        "country_of_birth": "SV",
        "date_of_birth": "1990-22",
        "custody": {"status": "detained", "since": "2024-24"},
        "notes": "Said 2018-22 at intake.",  # not a date: stays as typed
        "proceedings": {"last_arrival": "2024-23/2024-12", "next_hearing": "2027-03-02"},
    }
    said = {"text": "invierno de 2019", "lang": "es", "seasons": None}
    child = {
        "relationship": "child",
        "given_names": "Luis",
        "date_of_birth": "2015-23",
        "separation": {"date": "2019-21"},
    }
    verano = {"question": "harm.when", "language": "es", "text": "verano de 2018", "value": "2018-22"}
    return [
        # id, kind, client, parent, data
        ("c2", "client", "c2", None, marta),
        ("e1", "event", "c2", None, {"date": "2018-22", "text": {"es": "Amenazas."}}),
        ("e2", "event", "c2", None, {"date": "2019-24", "text": {"es": "Huida."}, "date_said": said}),
        ("e3", "event", "c2", None, {"date": "2018-22/2019", "text": {"es": "Renta."}}),
        ("e4", "event", "c2", None, {"date": "2020-05", "text": {"es": "Sin estación."}}),
        ("v1", "visit", "c2", None, {"date": "2026-11-02"}),
        ("a1", "answer", "c2", "v1", {**verano, "recorded_at": "2026-11-02T10:00"}),
        ("a2", "answer", "c2", "v1", {**verano, "text": "", "value": "2019-23"}),
        ("a3", "answer", "c2", "v1", {**verano, "text": "no recuerdo bien", "value": "2019-21"}),
        ("a4", "answer", "c2", "v1", {**verano, "text": "calle 2018-22", "value": "calle 2018-22"}),
        ("m1", "family_member", "c2", None, child),
        ("al", "allegation", "c2", None, {"kind": "gang_affiliation", "disclosed_on": "2023-21"}),
        ("r1", "rebuttal", "c2", "al", {"kind": "court_record", "requested_on": "2024-23"}),
        ("f1", "foia_request", "c2", None, {"agency": "CBP", "sent_on": "2024-22", "status": "pending"}),
        ("v0", "visit", "c0", None, {"date": "2026-10-01"}),
        ("a0", "answer", "c0", "v0", verano),  # no country: no region to read the words with
    ]


def test_migration_7_stores_season_codes_as_months(tmp_path, policy, monkeypatch, passphrase):
    from desktop.case.dates import sort_bounds
    from desktop.case.model import DATE_FIELD, validate_record

    path, _tables = _vault_at(passphrase, tmp_path, policy, monkeypatch, 6)
    original = migrations.migrate
    monkeypatch.setattr(migrations, "migrate", lambda conn, **kw: original(conn, **{**kw, "target": 6}))
    bounds = {}
    with open_vault(path, unlock(path, passphrase, policy)) as old:
        assert migrations.current_version(old.conn) == 6
        for rid, kind, cid, parent, data in _old_rows():
            field = DATE_FIELD.get(kind)
            lo, hi = sort_bounds(data[field]) if field and data.get(field) else (None, None)
            bounds[rid] = (lo, hi)
            old.conn.execute(
                "INSERT INTO records (id, kind, client_id, parent_id, data, date_lo, date_hi, rev, "
                "created_at, updated_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 4, 'x', 'x', 'dev')",
                (rid, kind, cid, parent, json.dumps(data), lo, hi),
            )
        untouched = old.conn.execute("SELECT data FROM records WHERE id IN ('e4', 'a4', 'c1')").fetchall()
    monkeypatch.undo()
    with open_vault(path, unlock(path, passphrase, policy)) as new:
        assert migrations.current_version(new.conn) == migrations.LATEST
        store = CaseStore(new)
        data = {rid: store.get(rid).data for rid, *_rest in _old_rows()}
        client = data["c2"]
        assert client["date_of_birth"] == "1990-06/1990-08"
        assert client["custody"] == {"status": "detained", "since": "2024-12/2025-02"}
        assert client["proceedings"]["last_arrival"] == "2024-09/2024-12"
        assert client["notes"] == "Said 2018-22 at intake."
        northern = {"text": "2018-22", "lang": "en", "seasons": "northern"}
        assert data["e1"] == {"date": "2018-06/2018-08", "text": {"es": "Amenazas."}, "date_said": northern}
        assert data["e2"]["date"] == "2019-12/2020-02"
        assert data["e2"]["date_said"] == {"text": "invierno de 2019", "lang": "es", "seasons": None}
        assert data["e3"]["date"] == "2018-06/2019"
        assert data["e3"]["date_said"] == {"text": "2018-22/2019", "lang": "en", "seasons": "northern"}
        # Marta is Salvadoran: "verano de 2018" is the dry season, November 2017 to April 2018.
        assert (data["a1"]["value"], data["a1"]["seasons"]) == ("2017-11/2018-04", "central_america")
        assert data["a1"]["text"] == "verano de 2018"
        assert (data["a2"]["value"], data["a2"]["seasons"]) == ("2019-09/2019-11", "northern")
        assert (data["a3"]["value"], data["a3"]["seasons"]) == ("2019-03/2019-05", "northern")
        assert (data["a0"]["value"], data["a0"]["seasons"]) == ("2018-06/2018-08", "northern")
        assert data["m1"]["date_of_birth"] == "2015-09/2015-11"
        assert data["m1"]["separation"] == {"date": "2019-03/2019-05"}
        assert data["al"]["disclosed_on"] == "2023-03/2023-05"
        assert data["r1"]["requested_on"] == "2024-09/2024-11"
        assert data["f1"]["sent_on"] == "2024-06/2024-08"
        assert data["v1"] == {"date": "2026-11-02"}
        for rid, kind, *_rest in _old_rows():
            assert validate_record(kind, data[rid]) == []
            # The same first and last day as before, so the order of the chronology is kept.
            row = new.conn.execute("SELECT date_lo, date_hi FROM records WHERE id = ?", (rid,)).fetchone()
            assert tuple(row) == bounds[rid], rid
        from desktop.case.seasoncodes import has_season_code

        assert not any(has_season_code(d.get(key)) for d in data.values() for key in ("date", "value"))
        assert (
            new.conn.execute("SELECT data FROM records WHERE id IN ('e4', 'a4', 'c1')").fetchall()
            == untouched
        )
        # Not an edit: the revision, time and device are as they were.
        assert new.conn.execute(
            "SELECT DISTINCT rev, updated_at, origin FROM records WHERE client_id = 'c2'"
        ).fetchall() == [(4, "x", "dev")]
        # Idempotent: run again, nothing changes.
        before = store.snapshot()
        new.conn.execute("BEGIN IMMEDIATE")
        migrations.MIGRATIONS[6](new.conn)
        new.conn.execute("COMMIT")
        assert store.snapshot() == before
        assert new.check() == []
