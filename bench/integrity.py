"""What the page check costs at open: Declara's own check before SQLite opens the database
(:func:`desktop.vault.walcheck.bad_pages`, the HMAC of every page) and SQLCipher's ``PRAGMA
cipher_integrity_check`` (the same check inside SQLite), on the demo vault and generated vaults,
against ``quick_check`` and a bare open; then the check's throughput on a large file (its cost
depends only on the file's size: every page is read and authenticated).

Prints figures; asserts nothing. Run with ``.venv/bin/python -m bench.integrity [CLIENTS ...]``
(default 10000) ``[--mb N]`` (default 1000, the large file). Everything is built in a temporary
folder and removed afterwards.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "violet harbor lantern quietly 42"  # noqa: S105 - the fictional test vaults' passphrase


def _timed(conn, sql: str) -> float:
    start = time.perf_counter()
    conn.execute(sql).fetchall()
    return time.perf_counter() - start


def measure(label: str, path: Path) -> None:
    from desktop.vault import keyheader as kh
    from desktop.vault.database import db_path, open_vault, unlock
    from desktop.vault.walcheck import bad_pages

    key = unlock(path, PASSPHRASE, kh.unsafe_test_policy())
    size = db_path(path).stat().st_size
    start = time.perf_counter()
    bad, _first = bad_pages(db_path(path), key)
    own = time.perf_counter() - start
    assert bad == 0
    start = time.perf_counter()
    vault = open_vault(path, key)
    opened = time.perf_counter() - start
    try:
        cipher = _timed(vault.conn, "PRAGMA cipher_integrity_check")
        cipher_warm = _timed(vault.conn, "PRAGMA cipher_integrity_check")
        quick = _timed(vault.conn, "PRAGMA quick_check")
    finally:
        vault.close()
    print(
        f"{label:<28} {size / 1e6:8.1f} MB  {size // 4096:7d} pages  open {opened * 1000:7.1f} ms"
        f"  cipher_integrity_check {cipher * 1000:8.1f} ms (again {cipher_warm * 1000:7.1f} ms)"
        f"  quick_check {quick * 1000:8.1f} ms  Declara's check (before SQLite) {own * 1000:8.1f} ms",
        flush=True,
    )


def main(argv: list[str]) -> int:
    from bench.client_list import build as build_small
    from desktop.demo import create_demo_vault
    from desktop.vault import keyheader as kh

    mb = 1000
    if "--mb" in argv:
        at = argv.index("--mb")
        mb = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    sizes = [int(a) for a in argv] or [10_000]
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.declara"
        create_demo_vault(demo, PASSPHRASE, kh.unsafe_test_policy())
        measure("demo vault", demo)
        for n in sizes:
            path = Path(tmp) / f"bench-{n}.declara"
            start = time.perf_counter()
            (build_small if n <= 10_000 else build)(path, n)
            print(f"(built {n} clients in {time.perf_counter() - start:.0f} s)", flush=True)
            measure(f"{n} clients (+{n // 3} FOIA)", path)
        large(Path(tmp) / "large.db", mb)
    return 0


def build(path: Path, n: int, *, batch: int = 2_000) -> None:
    """The client list benchmark's vault (same fictional names and fields), committed every
    ``batch`` clients: one transaction of 50,000 clients did not finish in half an hour."""
    import random

    from bench.suite import FACILITIES, FAMILY, GIVEN
    from desktop.case.store import CaseStore
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault

    rng = random.Random(7)
    with create_vault(path, PASSPHRASE, kh.unsafe_test_policy()) as vault:
        store = CaseStore(vault)
        for start in range(0, n, batch):
            with vault.transaction():
                for i in range(start, min(n, start + batch)):
                    client = store.create(
                        "client",
                        {
                            "given_names": rng.choice(GIVEN),
                            "family_names": f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}",
                            "a_number": f"{200000000 + i * 37:09d}",
                            "custody": {"status": "detained", "facility": rng.choice(FACILITIES)},
                        },
                    )
                    if i % 3 == 0:
                        store.create(
                            "foia_request",
                            {"agency": "CBP", "sent_on": "2026-10-01", "status": "pending"},
                            client_id=client.id,
                        )


def large(path: Path, mb: int) -> None:
    """The check's cost on a file of ``mb`` megabytes (pages of random bytes: each is read and
    authenticated all the same, and fails)."""
    import os

    from desktop.vault.walcheck import bad_pages

    with path.open("wb") as fh:
        for _ in range(mb * 1_000_000 // (4096 * 256)):
            fh.write(os.urandom(4096 * 256))
    size = path.stat().st_size
    start = time.perf_counter()
    bad_pages(path, os.urandom(32))
    seconds = time.perf_counter() - start
    print(
        f"{'large file':<28} {size / 1e6:8.1f} MB  Declara's check {seconds:6.2f} s"
        f"  ({size / 1e6 / seconds:6.0f} MB/s, {seconds * 1000 / (size / 1e6):5.2f} ms per MB)",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
