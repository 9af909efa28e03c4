"""The office at scale (issue 19): a laptop's day synced into the benchmark's office, a case packet
for one client, and what 1, 5 and 20 trusted laptops cost. Part of ``bench.suite`` (``--only office``).

The office is a copy of the suite's vault (10,000 clients at scale 1), made the office, with its key
header re-wrapped under the PRODUCTION key derivation so that each side's time includes it. One
laptop (also PRODUCTION) is enrolled and sent its clients; more laptops are enrolled with cards made
from ``desktop.sync`` identities (tiny vaults of their own) and their bookkeeping at the office is
filled by real exports of their clients (as if each had received them), so what the office keeps per
laptop is exactly what the exporter writes.

A laptop's day: 5 of its clients touched, 400 records (for each: a note on the client, 50 of its
events and answers edited, 29 new events), exported at the laptop and imported at the office.
Each side is timed as the command line runs it: unlock (PRODUCTION key derivation), open (which
checks every page), the export or import, close (which folds the write-ahead log into the
database). The bytes written by the import are read from ``/proc/self/io``: ``wchar``, the bytes
handed to ``write()`` (the write-ahead log, the database pages a checkpoint copies, any backup),
for the import call and for the import with the close that follows, compared with the sync file's
size. (``write_bytes``, the page-cache accounting, is logged too; it misses pages that were already
dirty, such as those of a freshly copied office, so it is not the figure.)

Before the day, the office has a fresh automatic backup (as after it was last closed), so no
backup is due: the import checks every page and writes no copy. One more import is measured with
a backup due (the office's backups folder emptied), to show what that hourly copy costs.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

#: Laptops enrolled for the three measurements of the growth with peers.
PEER_STEPS = (1, 5, 20)
#: Clients each laptop holds (issue 19: "each holding 500 assigned clients").
CLIENTS_PER_LAPTOP = 500
#: The day: clients touched, new events per client.
DAY_CLIENTS = 5
EDITED = 50
NEW_EVENTS = 29


def io_counters() -> dict[str, int]:
    """This process's I/O counters (Linux ``/proc/self/io``); empty where there is none."""
    try:
        text = Path("/proc/self/io").read_text(encoding="ascii")
    except OSError:
        return {}
    return {k: int(v) for k, v in (line.split(": ") for line in text.splitlines())}


def io_delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in ("write_bytes", "wchar") if k in after and k in before}


def db_bytes(path: Path) -> int:
    """Size of the database and its write-ahead log."""
    return sum((path / n).stat().st_size for n in ("declara.db", "declara.db-wal") if (path / n).exists())


def _copy_vault(src: Path, dst: Path) -> None:
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(mode=0o700, parents=True)
    for name in ("declara.db", "keyheader.json", "keyheader.copy.json"):
        if (src / name).exists():
            shutil.copy2(src / name, dst / name)


def _rewrap_production(path: Path, passphrase: str) -> None:
    """Wrap the vault's key under the PRODUCTION key derivation (the suite builds its vaults with
    the cheap test policy), so that unlocking it costs what it costs in use."""
    from desktop.vault import headerfile
    from desktop.vault import keyheader as kh
    from desktop.vault.database import read_header

    header = read_header(path)
    key = header.unwrap_with_passphrase(passphrase, kh.unsafe_test_policy())
    header.add_passphrase_slot(key, passphrase, kh.tuned_params(kh.PRODUCTION))
    headerfile.write_header(path, header)


def _assign(office: Any, peer_id: str, clients: list[str]) -> None:
    """Assign clients to a laptop where the office has assignments (issue 19); else nothing."""
    try:
        from desktop.sync import assignments
    except ImportError:
        return
    assign = getattr(assignments, "assign", None)
    if assign is not None:
        assign(office, peer_id, clients)


def _unlock_open(path: Path, passphrase: str) -> tuple[Any, float, float]:
    from desktop.vault import keyheader as kh
    from desktop.vault.database import open_vault, unlock

    t = time.perf_counter()
    key = unlock(path, passphrase, kh.PRODUCTION)
    t_kdf = time.perf_counter() - t
    t = time.perf_counter()
    vault = open_vault(path, key)
    return vault, t_kdf, time.perf_counter() - t


class Office:
    def __init__(self, suite: Any, passphrase: str, log: Any) -> None:
        self.suite = suite
        self.passphrase = passphrase
        self.log = log
        self.dir = suite.tmp / "office-figures"
        self.office_path = self.dir / "office"
        self.laptop_path = self.dir / "laptop"
        self.peer_ids: list[str] = []
        self.clients: list[str] = suite.info["clients"]
        self.rows: list[dict[str, Any]] = []
        self.day = 0

    # -- setting up -------------------------------------------------------------------------
    def base(self) -> Path:
        """A copy of the suite's vault made before any figure changed it (kept in the work folder)."""
        base = self.suite.tmp / "office-base"
        stamp = base / "sizes.json"
        sizes = json.dumps(self.suite.sizes, sort_keys=True)
        if stamp.exists() and stamp.read_text(encoding="utf-8") == sizes:
            return base
        _copy_vault(self.suite.vault_path, base)
        from desktop.vault import keyheader as kh
        from desktop.vault.database import open_vault, unlock

        with open_vault(base, unlock(base, self.passphrase, kh.unsafe_test_policy())) as vault:
            # The suite's sync figure makes its vault a laptop; the copy starts with no sync state.
            before = vault.conn.total_changes
            for table in ("sync_identity", "sync_peers", "sync_state", "sync_applied",
                          "sync_conflicts"):
                vault.conn.execute(f"DELETE FROM {table}")
            if vault.conn.total_changes != before:
                vault.conn.execute("VACUUM")
        stamp.write_text(sizes, encoding="utf-8")
        return base

    def setup(self) -> None:
        from desktop import sync
        from desktop.vault import keyheader as kh
        from desktop.vault.database import create_vault, open_vault, unlock

        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        t = time.perf_counter()
        _copy_vault(self.base(), self.office_path)
        self.log(f"  office copied in {time.perf_counter() - t:.1f} s ({db_bytes(self.office_path) / 1e6:.0f} MB)")
        office = open_vault(self.office_path, unlock(self.office_path, self.passphrase, kh.unsafe_test_policy()))
        sync.make_office(office, name="Office")
        laptop = create_vault(self.laptop_path, self.passphrase, kh.PRODUCTION)
        sync.identity(laptop, name="Laptop 1")
        self._pair(office, laptop)
        self.laptop_id = laptop.device_id
        self.peer_ids.append(laptop.device_id)
        mine = self.laptop_clients(0)
        _assign(office, laptop.device_id, mine)
        t = time.perf_counter()
        out = self.dir / "to-laptop.declara-sync"
        result = sync.export_sync(office, laptop.device_id, clients=mine, out=out)
        sync.import_sync(laptop, out, backup=False)
        self.log(f"  laptop 1 sent its {len(mine)} clients ({result.records} records, "
                 f"{out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
        out.unlink()
        self.day_clients = mine[:DAY_CLIENTS]
        office.close()
        laptop.close()
        _rewrap_production(self.office_path, self.passphrase)

    def laptop_clients(self, k: int) -> list[str]:
        n = len(self.clients)
        per = min(CLIENTS_PER_LAPTOP, n)
        start = (k * per) % n
        return [self.clients[(start + i) % n] for i in range(per)]

    def _pair(self, office: Any, laptop: Any) -> None:
        from desktop import sync

        sync.trust(office, sync.parse_card(json.dumps(sync.identity(laptop).card()).encode()))
        sync.trust(laptop, sync.parse_card(json.dumps(sync.identity(office).card()).encode()))

    def add_peers(self, upto: int) -> dict[str, float]:
        """Enroll laptops until there are ``upto``, each sent its clients (the office's bookkeeping
        filled by real exports); returns the time it took and what the database grew by."""
        from desktop import sync
        from desktop.vault import keyheader as kh
        from desktop.vault.database import create_vault, open_vault, unlock

        office = open_vault(self.office_path, unlock(self.office_path, self.passphrase, kh.PRODUCTION))
        office.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = db_bytes(self.office_path)
        t = time.perf_counter()
        added = 0
        while len(self.peer_ids) < upto:
            k = len(self.peer_ids)
            path = self.dir / f"peer-{k + 1}"
            with create_vault(path, self.passphrase, kh.unsafe_test_policy()) as other:
                sync.identity(other, name=f"Laptop {k + 1}")
                sync.trust(office, sync.parse_card(json.dumps(sync.identity(other).card()).encode()))
                peer_id = other.device_id
            shutil.rmtree(path)
            clients = self.laptop_clients(k)
            _assign(office, peer_id, clients)
            out = self.dir / "fill.declara-sync"
            sync.export_sync(office, peer_id, clients=clients, out=out)
            out.unlink()
            self.peer_ids.append(peer_id)
            added += 1
        office.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        after = db_bytes(self.office_path)
        office.close()
        return {"seconds": time.perf_counter() - t, "added": added, "grew": after - before, "db": after}

    # -- the day ------------------------------------------------------------------------------
    def work(self) -> int:
        """The laptop's day: about 400 records of 5 clients changed (not timed)."""
        from desktop.case.store import CaseStore
        from desktop.vault import keyheader as kh
        from desktop.vault.database import open_vault, unlock

        self.day += 1
        d = self.day
        laptop = open_vault(self.laptop_path, unlock(self.laptop_path, self.passphrase, kh.PRODUCTION))
        store = CaseStore(laptop)
        changed = 0
        try:
            for cid in self.day_clients:
                store.set_field(cid, "notes", f"Visita del día {d}: habló con la familia (Núñez).")
                changed += 1
                for rid, kind in laptop.conn.execute(  # the same 50 each day (the office's ones)
                    "SELECT id, kind FROM records WHERE client_id = ? AND kind IN ('event', 'answer') "
                    "AND deleted = 0 ORDER BY rowid LIMIT ?", (cid, EDITED)).fetchall():
                    if kind == "event":
                        store.set_field(rid, "place", f"Tegucigalpa, Honduras (día {d})")
                    else:
                        store.set_field(rid, "text", f"Respuesta revisada el día {d}.")
                    changed += 1
                for i in range(NEW_EVENTS):
                    store.create("event", {
                        "category": "background", "date": "2026-03", "place": "San Pedro Sula, Honduras",
                        "status": "documented", "sources": ["interview"],
                        "text": {"en": f"New fact {i}, day {d}.", "es": f"Hecho nuevo {i}, día {d}."}},
                        client_id=cid)
                    changed += 1
        finally:
            laptop.close()
        return changed

    def export_side(self, out: Path) -> dict[str, float]:
        from desktop import sync

        t0 = time.perf_counter()
        vault, t_kdf, t_open = _unlock_open(self.laptop_path, self.passphrase)
        t = time.perf_counter()
        result = sync.export_sync(vault, "Office", out=out)
        t_exp = time.perf_counter() - t
        t = time.perf_counter()
        vault.close()
        t_close = time.perf_counter() - t
        return {"total": time.perf_counter() - t0, "kdf": t_kdf, "open": t_open, "op": t_exp,
                "close": t_close, "records": result.records, "file": out.stat().st_size}

    def import_side(self, out: Path, backup: bool = True) -> dict[str, Any]:
        from desktop import sync

        t0 = time.perf_counter()
        vault, t_kdf, t_open = _unlock_open(self.office_path, self.passphrase)
        db_before = db_bytes(self.office_path)
        io0 = io_counters()
        t = time.perf_counter()
        result = sync.import_sync(vault, out, backup=backup)
        t_imp = time.perf_counter() - t
        io1 = io_counters()
        wal = self.office_path / "declara.db-wal"
        wal_bytes = wal.stat().st_size if wal.exists() else 0
        t = time.perf_counter()
        vault.close()
        t_close = time.perf_counter() - t
        io2 = io_counters()
        return {"total": time.perf_counter() - t0, "kdf": t_kdf, "open": t_open, "op": t_imp,
                "close": t_close, "added": result.added, "updated": result.updated,
                "backup": result.backup is not None, "io_import": io_delta(io0, io1),
                "io_with_close": io_delta(io0, io2), "db_before": db_before, "wal": wal_bytes,
                "db_after": db_bytes(self.office_path)}

    def fresh_backup(self) -> None:
        """The office's automatic backup, as made when it was last closed: no backup is due."""
        from desktop.vault import backups

        vault, _k, _o = _unlock_open(self.office_path, self.passphrase)
        try:
            if backups.is_due(vault):
                backups.make_backup(vault, reason="close")
        finally:
            vault.close()

    def one_day(self, backup: bool = True) -> dict[str, Any]:
        changed = self.work()
        out = self.dir / f"day-{self.day}.declara-sync"
        exp = self.export_side(out)
        imp = self.import_side(out, backup)
        out.unlink()
        row = {"day": self.day, "peers": len(self.peer_ids), "changed": changed, "export": exp, "import": imp}
        w = imp["io_import"].get("wchar", 0)
        wc = imp["io_with_close"].get("wchar", 0)
        wb = imp["io_import"].get("write_bytes", 0)
        self.log(f"  day {self.day} ({len(self.peer_ids)} laptops): {exp['records']} records, file "
                 f"{exp['file'] / 1e3:.0f} KB; export side {exp['total']:.2f} s (KDF {exp['kdf']:.2f}, "
                 f"export {exp['op']:.2f}); import side {imp['total']:.2f} s (KDF {imp['kdf']:.2f}, open "
                 f"{imp['open']:.2f}, import {imp['op']:.2f}, close {imp['close']:.2f}); written "
                 f"{w / 1e6:.2f} MB by the import (×{w / exp['file']:.1f} the file), "
                 f"{wc / 1e6:.2f} MB with the close (×{wc / exp['file']:.1f}); write_bytes {wb / 1e6:.2f} MB; "
                 f"log {imp['wal'] / 1e6:.2f} MB; "
                 f"backup made: {imp['backup']}")
        self.rows.append(row)
        return row

    def case_packet(self, runs: int) -> list[dict[str, float]]:
        """Export one client's records from the office (to the day's laptop), unlocked and opened
        as the command line does."""
        from desktop import sync

        out = []
        cid = self.day_clients[-1]
        for _ in range(runs):
            t0 = time.perf_counter()
            vault, t_kdf, t_open = _unlock_open(self.office_path, self.passphrase)
            t = time.perf_counter()
            path = self.dir / "packet.declara-sync"
            result = sync.export_sync(vault, self.laptop_id, full=True, clients=[cid], out=path)
            t_exp = time.perf_counter() - t
            vault.close()
            out.append({"total": time.perf_counter() - t0, "kdf": t_kdf, "open": t_open, "op": t_exp,
                        "records": result.records, "file": path.stat().st_size})
            path.unlink()
        return out


def run(suite: Any, passphrase: str, log: Any) -> None:
    """The figures; recorded in the suite's results (and the raw rows in ``office_rows``)."""
    from desktop.vault import backups

    runs = suite.args.sync_runs or suite.runs
    office = Office(suite, passphrase, log)
    office.setup()
    steps: dict[int, dict[str, Any]] = {}
    for n in PEER_STEPS:
        if n > 1 or len(office.peer_ids) < n:
            grown = office.add_peers(n)
            log(f"  {n} laptops enrolled: +{grown['added']} in {grown['seconds']:.1f} s, database "
                f"+{grown['grew'] / 1e6:.1f} MB = {grown['db'] / 1e6:.0f} MB")
        else:
            grown = {"db": db_bytes(office.office_path), "grew": 0, "seconds": 0, "added": 0}
        office.fresh_backup()
        days = [office.one_day() for _ in range(runs)]
        steps[n] = {"grown": grown, "days": days}
    last = steps[PEER_STEPS[-1]]["days"]
    exp = [d["export"]["total"] for d in last]
    imp = [d["import"]["total"] for d in last]
    kdf_e = [d["export"]["kdf"] + d["export"]["op"] for d in last]
    kdf_i = [d["import"]["kdf"] + d["import"]["op"] for d in last]
    ratio = [d["import"]["io_import"].get("wchar", float("nan")) / d["export"]["file"] for d in last]
    ratio_c = [d["import"]["io_with_close"].get("wchar", float("nan")) / d["export"]["file"] for d in last]
    kdf = [d["import"]["kdf"] for d in last]
    suite.record("office_day_export", "daily sync, laptop side (unlock+open+export+close)", "s", exp, kdf,
                 lambda m, r: m < 1.5)
    suite.record("office_day_import", "daily sync, office side (unlock+open+import+close)", "s", imp, kdf,
                 lambda m, r: m < 1.5)
    suite.record("office_day_export_op", "daily sync, laptop side (KDF + export only)", "s", kdf_e, kdf,
                 lambda m, r: m < 1.5)
    suite.record("office_day_import_op", "daily sync, office side (KDF + import only)", "s", kdf_i, kdf,
                 lambda m, r: m < 1.5)
    ones = [1.0] * len(ratio)
    suite.record("office_day_bytes", "daily sync: bytes written by the import / file size", "×", ratio, ones,
                 lambda m, r: m <= 10)
    suite.record("office_day_bytes_close", "daily sync: bytes written by import + close / file size", "×",
                 ratio_c, ones, lambda m, r: m <= 10)
    # Without the page check before the import (backup=False): what that check costs.
    bare = office.one_day(backup=False)
    log(f"  without the pre-import page check: import {bare['import']['op']:.2f} s")
    # With a backup due (the office's backups removed): the hourly copy's cost.
    shutil.rmtree(office.office_path / backups.BACKUP_DIR, ignore_errors=True)
    due = office.one_day()
    log(f"  with a backup due: import side {due['import']['total']:.2f} s, "
        f"{due['import']['io_import'].get('wchar', 0) / 1e6:.0f} MB written")
    packets = office.case_packet(runs)
    suite.record("office_packet", "case packet for one client (KDF + export)", "s",
                 [p["kdf"] + p["op"] for p in packets], [p["kdf"] for p in packets],
                 lambda m, r: m - statistics.median([p["kdf"] for p in packets]) < 1)
    suite.record("office_packet_total", "case packet for one client (unlock+open+export+close)", "s",
                 [p["total"] for p in packets], [p["kdf"] for p in packets])
    suite.office_rows = {"steps": {str(k): v for k, v in steps.items()}, "backup_due": due, "no_check": bare,
                         "packets": packets, "office_db": db_bytes(office.office_path),
                         "io": bool(io_counters())}
    table = ["| laptops | office database | bookkeeping added | export side | import side | import only "
             "| file | written by import (× file) | with close (× file) | log after import |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, step in steps.items():
        ds = step["days"]

        def med(f: Any, ds: list[dict[str, Any]] = ds) -> float:
            return statistics.median(f(d) for d in ds)

        table.append(
            f"| {n} | {step['grown']['db'] / 1e6:.0f} MB | {step['grown']['grew'] / 1e6:.1f} MB | "
            f"{med(lambda d: d['export']['total']):.2f} s | {med(lambda d: d['import']['total']):.2f} s | "
            f"{med(lambda d: d['import']['op']):.2f} s | {med(lambda d: d['export']['file']) / 1e3:.0f} KB | "
            f"{med(lambda d: d['import']['io_import'].get('wchar', 0)) / 1e6:.2f} MB "
            f"(×{med(lambda d: d['import']['io_import'].get('wchar', 0) / d['export']['file']):.1f}) | "
            f"{med(lambda d: d['import']['io_with_close'].get('wchar', 0)) / 1e6:.2f} MB "
            f"(×{med(lambda d: d['import']['io_with_close'].get('wchar', 0) / d['export']['file']):.1f}) | "
            f"{med(lambda d: d['import']['wal']) / 1e6:.2f} MB |")
    suite.office_table = "\n".join(table)
    log("\n" + suite.office_table)
    if os.environ.get("DECLARA_BENCH_KEEP_OFFICE") != "1":
        shutil.rmtree(office.dir, ignore_errors=True)
