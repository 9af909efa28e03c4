"""How the client list behaves with 10,000 clients: load, search, filter, sort, paint.

Prints figures; asserts nothing (timings do not belong in unit tests). Run with
``QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.client_list``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.suite import FACILITIES, FAMILY, GIVEN  # the same fictional names as the suite


def build(path: Path, n: int) -> None:
    from desktop.vault import keyheader as kh
    from desktop.case.store import CaseStore
    from desktop.vault.database import create_vault

    rng = random.Random(7)
    with create_vault(path, "violet harbor lantern quietly 42", kh.unsafe_test_policy()) as vault:
        store = CaseStore(vault)
        with vault.transaction():
            for i in range(n):
                client = store.create(
                    "client",
                    {
                        "given_names": rng.choice(GIVEN),
                        "family_names": f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}",
                        "a_number": f"{200000000 + i * 37:09d}",
                        "custody": {
                            "status": rng.choice(["detained", "released"]),
                            "facility": rng.choice(FACILITIES),
                        },
                        "proceedings": {
                            "last_arrival": f"20{rng.randint(18, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                            "next_hearing": f"2027-0{rng.randint(1, 9)}",
                        },
                    },
                )
                if i % 3 == 0:
                    store.create(
                        "foia_request",
                        {"agency": "CBP", "sent_on": f"2026-10-0{rng.randint(1, 9)}", "status": "pending"},
                        client_id=client.id,
                    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main(n: int = 10_000) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.vault import keyheader as kh
    from desktop.case.clients import client_rows
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock
    from ui.models.client_table import ClientTableModel, Column
    from ui.pages.client_list import ClientListPage

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.declara"
        t = time.perf_counter()
        build(path, n)
        print(f"built {n} clients in {time.perf_counter() - t:.1f} s")
        vault = open_vault(path, unlock(path, "violet harbor lantern quietly 42", kh.unsafe_test_policy()))
        store = CaseStore(vault)
        t = time.perf_counter()
        rows = client_rows(vault.conn)
        print(f"client_rows ({len(rows)} rows):      {ms(time.perf_counter() - t)}")
        model = ClientTableModel(lambda: client_rows(vault.conn))
        page = ClientListPage(model)
        page.resize(1200, 700)
        page.show()
        t = time.perf_counter()
        model.reload()
        app.processEvents()
        print(f"model reload + first paint:    {ms(time.perf_counter() - t)}")
        queries = [
            "jose",
            "perez",
            "nunez",
            "quinonez",
            "maria gomez",
            "555",
            "2000003",
            "A 200-000-1",
            "zuniga",
            "pu",
            "ana lu",
            "tzoc calel",
            "er",
            "chavez morales",
            "ix",
        ]
        times, query_times = [], []
        for q in queries * 5:
            t = time.perf_counter()
            found = set(store.search(q))
            query_times.append(time.perf_counter() - t)
            model.set_filter(found)
            app.processEvents()
            times.append(time.perf_counter() - t)
        times.sort()
        query_times.sort()
        print(
            f"FTS5 query alone, p50 / p95:   {ms(statistics.median(query_times))} / {ms(query_times[int(len(query_times) * 0.95) - 1])}"
        )
        print(f"search + filter + paint, p50:  {ms(statistics.median(times))}")
        print(f"search + filter + paint, p95:  {ms(times[int(len(times) * 0.95) - 1])}")
        model.set_filter(None)
        for column in Column:
            t = time.perf_counter()
            model.sort(column, Qt.SortOrder.DescendingOrder)
            app.processEvents()
            print(f"sort by {column.name:<14}        {ms(time.perf_counter() - t)}")
        t = time.perf_counter()
        bar = page.table.verticalScrollBar()
        for value in range(0, bar.maximum() + 1, max(bar.pageStep(), 1)):
            bar.setValue(value)
            app.processEvents()
        print(
            f"scroll end to end ({bar.maximum() // max(bar.pageStep(), 1) + 1} pages): {ms(time.perf_counter() - t)}"
        )
        vault.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
