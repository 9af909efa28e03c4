"""Issue 19's done-when: an office with 3 laptops and overlapping assignments syncs a week of
simulated work with no lost edit, no unassigned client on any laptop, and conflicts surfaced as
before. Seeded; fictional people only."""

from __future__ import annotations

import random
import time

from desktop import sync
from desktop.sync import assignments
from tests.desktop.test_assignments import _client, _held, _id, _pair, _vault

LAPTOPS = ("Laptop A", "Laptop B", "Laptop C")
#: Which of the twelve clients each laptop starts with (overlapping); client 11 starts unassigned.
START = {"Laptop A": range(0, 5), "Laptop B": range(3, 8), "Laptop C": (6, 7, 8, 9, 10, 0)}


def _send(src, dst):
    return sync.import_sync(dst.vault, sync.export_sync(src.vault, _id(dst)).data, backup=False)


def test_a_week_at_an_office_with_three_laptops(tmp_path, passphrase):
    started = time.monotonic()
    rng = random.Random(19)
    office = _vault(passphrase, tmp_path / "office", office=True)
    laptops = {name: _vault(passphrase, tmp_path / name.replace(" ", "-"), name=name) for name in LAPTOPS}
    try:
        _run_week(rng, office, laptops)
    finally:
        for store in (office, *laptops.values()):
            store.vault.close()
    assert time.monotonic() - started < 30


def _run_week(rng, office, laptops):
    for store in laptops.values():
        _pair(office, store)
    clients = [_client(office, f"Cliente{n}", events=2) for n in range(12)]
    for name, picks in START.items():
        assignments.assign(office.vault, name, [clients[i] for i in picks])
    for store in laptops.values():
        _send(office, store)
    expected: dict[str, tuple[str, str]] = {}  # event id -> (client, text) as its laptop last left it
    made_by: dict[str, dict[str, list[str]]] = {name: {} for name in LAPTOPS}  # client -> own events
    conflicts_expected = 0
    for day in range(7):
        if day == 3:  # the office moves Cliente3 from laptop B to laptop C, and gives B Cliente11
            assignments.unassign(office.vault, "Laptop B", [clients[3]])
            assignments.assign(office.vault, "Laptop C", [clients[3]])
            assignments.assign(office.vault, "Laptop B", [clients[11]])
        notes: dict[str, dict[str, str]] = {}  # client -> laptop -> the note it wrote today
        for name, store in laptops.items():
            giving_back = assignments.handed_back(store.vault)
            held = _held(store) - giving_back
            mine = [cid for cid in clients if cid in held]  # in creation order: the seed decides, not the ids
            for cid in rng.sample(mine, 3):
                event = store.create(
                    "event", {"date": f"20{day + 10}", "text": {"en": f"{name} day {day}"}}, client_id=cid
                )
                expected[event.id] = (cid, f"{name} day {day}")
                made_by[name].setdefault(cid, []).append(event.id)
                own = [e for e in made_by[name][cid] if e != event.id and e in expected]
                if own and rng.random() < 0.5:  # and goes back to one it wrote earlier
                    again = rng.choice(own)
                    text = f"{name} day {day} (corrected)"
                    store.set_field(again, "text", {"en": text})
                    expected[again] = (cid, text)
                if rng.random() < 0.6:
                    value = f"{name}: note of day {day}"
                    store.set_field(cid, "notes", value)
                    notes.setdefault(cid, {})[name] = value
            if day == 3 and name == "Laptop B":  # B works on Cliente3 the day it is moved away
                event = store.create(
                    "event", {"date": "2013", "text": {"en": "B's last word"}}, client_id=clients[3]
                )
                expected[event.id] = (clients[3], "B's last word")
            if day == 4 and name == "Laptop C":  # laptop C gives Cliente7 back after a last edit
                store.set_field(clients[7], "aliases", ["Siete"])
                assert assignments.hand_back(store.vault, [clients[7]]) == 1
        if day == 3:  # a file from the office crosses B's: B keeps Cliente3 until its edit is in
            crossed = _send(office, laptops["Laptop B"])
            assert crossed.kept == {clients[3]} and clients[3] in _held(laptops["Laptop B"])
        # Every laptop sends its day to the office; no edit is lost: each note is the office's
        # value or waits in a conflict.
        before = len(sync.list_conflicts(office.vault))
        for name, store in laptops.items():
            _send(store, office)
            pending = {(c.record_id, c.theirs) for c in sync.list_conflicts(office.vault)}
            for cid, by in notes.items():
                if name in by:
                    value = by[name]
                    assert office.get(cid).data.get("notes") == value or (cid, value) in pending
        conflicts_expected += sum(len(by) - 1 for by in notes.values())
        assert len(sync.list_conflicts(office.vault)) - before == sum(len(by) - 1 for by in notes.values())
        # The office decides every conflict (alternately keeping its value and taking the laptop's).
        for n, conflict in enumerate(sync.list_conflicts(office.vault)):
            sync.resolve_conflict(office.vault, conflict.id, "mine" if n % 2 else "theirs")
        for name, store in laptops.items():
            _send(office, store)
            assert _held(store) <= assignments.assigned(office.vault, name), (day, name)
            assert not sync.list_conflicts(store.vault)
    # A last round: the laptops acknowledge their removals.
    for store in laptops.values():
        _send(store, office)
    # No lost edit: every event a laptop wrote is at the office as the laptop last left it.
    for event_id, (cid, text) in expected.items():
        record = office.get(event_id)
        assert record.client_id == cid and record.data["text"] == {"en": text}
    assert office.get(clients[7]).data["aliases"] == ["Siete"]
    # No unassigned client on any laptop (the records table itself), and every assigned one there.
    for name, store in laptops.items():
        assert _held(store) == assignments.assigned(office.vault, name), name
    assert clients[3] not in _held(laptops["Laptop B"]) and clients[3] in _held(laptops["Laptop C"])
    assert clients[11] in _held(laptops["Laptop B"])
    assert clients[7] not in _held(laptops["Laptop C"])
    # The office knows who holds what: exactly the assignments, nothing awaiting removal.
    assert assignments.holders(office.vault) == assignments.assignments(office.vault)
    assert assignments.pending_removals(office.vault) == {}
    # Conflicts surfaced as before: one per extra laptop writing the same note between two syncs.
    total = office.conn.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0]
    assert total == conflicts_expected > 0
    # The laptops hold what the office holds for their clients.
    for name, store in laptops.items():
        for cid in assignments.assigned(office.vault, name):
            assert store.get(cid).data == office.get(cid).data
