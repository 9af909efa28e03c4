"""SIGKILL a writer mid-edit, over and over: every acknowledged edit survives and the vault checks clean.

A writer process makes edits through the real services (``CaseStore.set_field`` on clients and
``create`` of events) and prints ``ACK <n> <record_id> <field> <value>`` right after each edit
returned, i.e. after its transaction committed. The parent kills it after a random number of
ACKs and a random delay, then opens the vault (recovering the stale lock), checks it and looks
for every acknowledged edit.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.vault import keyheader as kh
from desktop.case.store import CaseStore
from desktop.vault.database import create_vault, open_vault, unlock


REPO = Path(__file__).resolve().parents[2]
CYCLES = 100

WRITER = textwrap.dedent(
    """
    import random, sys
    from pathlib import Path
    from desktop.vault import keyheader as kh
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    path, passphrase, first, seed = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    clients = sys.argv[5].split(",")
    rng = random.Random(seed)
    sys.stdin.readline()  # the parent says GO once it has let go of the vault
    vault = open_vault(path, unlock(path, passphrase, kh.unsafe_test_policy()))
    print("OPEN", int(vault.recovered_stale_lock), flush=True)
    store = CaseStore(vault)
    n = first
    while True:
        cid = rng.choice(clients)
        if n % 3 == 0:
            value = f"event-{n}"
            rec = store.create("event", {"date": "2020-01-02", "text": {"en": value}}, client_id=cid)
            print("ACK", n, rec.id, "event", value, flush=True)
        else:
            field = rng.choice(["notes", "family_names"])
            value = f"{field}-{n}"
            store.set_field(cid, field, value)
            print("ACK", n, cid, field, value, flush=True)
        n += 1
    """
)


def _spawn(path: Path, first: int, seed: int, clients: list[str], passphrase: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), passphrase, str(first), str(seed), ",".join(clients)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _number(value: str) -> int:
    return int(value.rsplit("-", 1)[1])


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_edit(tmp_path, passphrase):
    rng = random.Random(20261125)
    path = tmp_path / "kill.declara"
    policy = kh.unsafe_test_policy()
    with create_vault(path, passphrase, policy) as vault:
        store = CaseStore(vault)
        clients = [store.create("client", {"given_names": f"Client{i}"}).id for i in range(4)]

    acked_fields: dict[tuple[str, str], int] = {}  # (client, field) -> last acknowledged n
    acked_events: dict[str, str] = {}  # event id -> text
    first = 1
    stale_recoveries = 0
    proc = _spawn(path, first, rng.randrange(1 << 30), clients, passphrase)
    nxt = None
    try:
        for cycle in range(CYCLES):
            proc.stdin.write("GO\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            assert line.startswith("OPEN"), (line, proc.stderr.read() if proc.poll() is not None else "")
            stale_recoveries += int(line.split()[1])
            wanted = rng.randint(0, 12)
            last = first - 1
            for _ in range(wanted):
                line = proc.stdout.readline()
                assert line.startswith("ACK "), line
                _, n, rid, field, value = line.split()
                last = int(n)
                if field == "event":
                    acked_events[rid] = value
                else:
                    acked_fields[(rid, field)] = last
            time.sleep(rng.choice([0, 0, rng.uniform(0, 0.02)]))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            proc.stdout.close()
            proc.stdin.close()
            proc.stderr.close()
            # Edits past the last ACK may or may not have committed; the next writer starts beyond them.
            first = last + 1000
            # Start the next writer now (it imports while we check) but it waits for GO to open.
            nxt = (
                _spawn(path, first, rng.randrange(1 << 30), clients, passphrase)
                if cycle < CYCLES - 1
                else None
            )

            with open_vault(path, unlock(path, passphrase, policy)) as vault:
                assert vault.recovered_stale_lock, f"cycle {cycle}: the killed writer's lock was not stale"
                assert vault.check() == [], f"cycle {cycle}"
                store = CaseStore(vault)
                for (cid, field), n in acked_fields.items():
                    value = store.get(cid).data[field]
                    # The acknowledged value, or a later edit that committed just before the kill.
                    assert value.startswith(field + "-"), (cycle, cid, field, value)
                    assert _number(value) >= n, (cycle, cid, field, value, n)
                for eid, text in acked_events.items():
                    assert store.get(eid).data["text"] == {"en": text}, (cycle, eid)
            if nxt is None:
                break
            proc = nxt
    finally:
        for p in (proc, nxt):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait(10)
    assert len(acked_events) > 20 and len(acked_fields) >= 6
