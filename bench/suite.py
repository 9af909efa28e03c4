"""Declara benchmark suite: a synthetic vault of fictional data, each figure against a baseline.

``make bench`` (or ``.venv/bin/python -m bench.suite [--scale 0.1] [--runs 5]``) builds the vault
with a bulk loader (rows straight into ``records`` in one transaction, then the derived tables
rebuilt), measures every figure ``--runs`` times and prints median, min–max and the ratio to a
baseline measured in the same run. Results also go to ``bench/results.json``. Asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "violet harbor lantern quietly 42"  # noqa: S105 (fictional bench vault)
FULL = {"clients": 10_000, "events": 200_000, "answers": 300_000, "declarations": 2_000, "paragraphs": 30}

GIVEN = ["José", "María", "Ana Lucía", "Jorge", "Daniel", "Rosa", "Ángel", "Lucía", "Mateo", "Inés",
         "Óscar", "Ramón", "Concepción", "Tomás", "Sofía", "Yesenia", "Wilmer", "Kevin", "Brenda", "Érica"]
FAMILY = ["Pérez", "Gómez", "Martínez", "Núñez", "Hernández", "López", "Calel", "Tzoc", "Castillo",
          "Reyes", "Ávalos", "Zúñiga", "Quiñónez", "Ramírez", "Chávez", "Morales", "Ixcoy", "Pú"]
PLACES = ["San Pedro Sula, Honduras", "Santa Cruz del Quiché, Guatemala", "San Miguel, El Salvador",
          "Tegucigalpa, Honduras", "Quetzaltenango, Guatemala", "Chinandega, Nicaragua"]
COUNTRIES = ["HN", "GT", "SV", "NI"]
FACILITIES = ["South Texas ICE Processing Center, Pearsall, TX", "Stewart Detention Center, Lumpkin, GA",
              "Adelanto ICE Processing Center, Adelanto, CA", "Otay Mesa Detention Center, San Diego, CA"]
PHRASES = [("Left home after threats from the gang.", "Salió de casa tras amenazas de la pandilla."),
           ("Reported the attack to the police; nothing happened.", "Denunció el ataque a la policía; no pasó nada."),
           ("Crossed into Mexico with a cousin.", "Cruzó a México con un primo."),
           ("Was detained at the border and interviewed.", "Fue detenido en la frontera y entrevistado.")]
TARGETS = {
    "startup": "≤1.5× bare window", "startup_xcb": "≤1.3× bare window",
    "search_p95": "<20 ms and ≤1.5× plain", "autosave_p95": "<10 ms",
    "timeline_pdf": "≤0.5 s", "timeline_pdf_clusters": "≤0.5 s", "declaration_pdf": "<1 s",
    "sync_export": "<10 s", "sync_import": "<20 s", "peak_memory": "<250 MB",
    "sync_documents_memory": "<150 MB more than before the call",
    "office_day_export": "<1.5 s", "office_day_import": "<1.5 s", "office_day_export_op": "<1.5 s",
    "office_day_import_op": "<1.5 s", "office_day_bytes": "≤10× file", "office_day_bytes_close": "≤10× file",
    "office_packet": "<1 s + KDF",
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def edtf(rng: random.Random, year_lo: int = 1960, year_hi: int = 2026) -> str:
    y = rng.randint(year_lo, year_hi)
    r = rng.random()
    if r < 0.5:
        return f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if r < 0.75:
        return f"{y:04d}-{rng.randint(1, 12):02d}"
    if r < 0.9:
        return f"{y:04d}"
    return f"{y:04d}~"


# -- bulk loader -----------------------------------------------------------------------------
#: Above this many records the bulk loader sorts them by id and commits in parts of this size.
LOAD_PART = 1_000_000


def bulk_load(conn: Any, sizes: dict[str, int], origin: str, seed: int = 7) -> dict[str, Any]:
    """Insert the synthetic records through the record codec's bulk path (one transaction; beyond
    :data:`LOAD_PART` records, in id order and one transaction per part)."""
    from desktop.case import codec, search, summary
    from desktop.case.dates import sort_bounds
    from desktop.interview.questionnaire import load_questionnaire
    from desktop.vault.database import now_iso

    rng = random.Random(seed)
    qids = [q.id for q in load_questionnaire().all_questions()]
    now = now_iso()
    rows: list[tuple[Any, ...]] = []
    info: dict[str, Any] = {"clients": [], "names": []}
    n = sizes["clients"]

    def add(kind: str, cid: str, parent: str | None, pos: int, ref: str | None, data: dict[str, Any],
            date: str | None = None, rid: str | None = None) -> str:
        rid = rid or str(uuid.UUID(int=rng.getrandbits(128), version=4))
        lo, hi = sort_bounds(date) if date else (None, None)
        # codec.COLUMNS order: id … data, rev, created_at, updated_at, origin, deleted, date_lo, date_hi
        rows.append((rid, kind, cid, parent, pos, ref, codec.dump_data(data), 1, now, now, origin, 0, lo, hi))
        return rid

    for i in range(n):
        given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}"
        a_number = f"{200_000_000 + i * 37 % 99_999_999:09d}"
        cid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        dob = edtf(rng, 1960, 2008)
        add("client", cid, None, 0, None, {
            "given_names": given, "family_names": family, "a_number": a_number, "aliases": [],
            "date_of_birth": dob, "country_of_birth": rng.choice(COUNTRIES), "languages": ["es"],
            "nationalities": [rng.choice(COUNTRIES)],
            "custody": {"status": "detained", "facility": rng.choice(FACILITIES), "since": "2026-01-14",
                        "bond": "not_requested"},
            "proceedings": {"court": "Jena Immigration Court", "next_hearing": edtf(rng, 2026, 2027),
                            "last_arrival": edtf(rng, 2020, 2026), "relief_sought": ["asylum"]},
        }, dob, rid=cid)
        info["clients"].append(cid)
        info["names"].append((given, family, a_number))
    clients = info["clients"]
    for j in range(sizes["events"]):
        cid = clients[j % n]
        en, es = rng.choice(PHRASES)
        date = edtf(rng, 1990, 2026)
        add("event", cid, None, j // n, f"ev-{j}", {
            "category": "background", "date": date, "place": rng.choice(PLACES), "status": "documented",
            "sources": ["interview"], "text": {"en": f"{en} ({j})", "es": f"{es} ({j})"}}, date)
    visits: dict[str, str] = {}
    for j in range(sizes["answers"]):
        cid = clients[j % n]
        if cid not in visits:
            visits[cid] = add("visit", cid, None, 0, None, {
                "date": "2026-02-24", "facility": rng.choice(FACILITIES), "mode": "in_person"}, "2026-02-24")
        en, es = rng.choice(PHRASES)
        add("answer", cid, visits[cid], j // n, None,
            {"language": "es", "question": qids[j % len(qids)], "text": es})
    for d in range(sizes["declarations"]):
        cid = clients[d % n]
        did = add("declaration", cid, None, 0, None, {
            "declarant_language": "es", "drafted_in": "es", "in_support_of": "asylum",
            "place_of_signing": {"city": "Jena", "region": "Louisiana", "country": "US"}})
        for p in range(sizes["paragraphs"]):
            en, es = rng.choice(PHRASES)
            add("paragraph", cid, did, p, None, {"en": f"{p + 1}. {en}", "es": f"{p + 1}. {es}", "events": []})
    parts = [rows]
    if len(rows) > LOAD_PART:
        # 50,000 clients: one transaction of 2.9 million rows had handed 26 GB to write() after six
        # minutes (each random id a jump in the id index, pages spilled and written again). In id
        # order and in parts of LOAD_PART rows, the index is appended to and the log stays bounded.
        rows.sort(key=lambda row: row[0])
        parts = [rows[i : i + LOAD_PART] for i in range(0, len(rows), LOAD_PART)]
    with codec.bulk_writes(conn):  # a larger page cache; the rows name their parents in any order
        for number, part in enumerate(parts, 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                codec.insert_many(conn, part)
                if number == len(parts):
                    search.rebuild_index(conn)
                    summary.rebuild(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if len(parts) > 1:
                log(f"  part {number} of {len(parts)}: {len(part)} records")
    info["records"] = len(rows)
    return info


# -- measuring -------------------------------------------------------------------------------
def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def make_queries(names: list[tuple[str, str, str]], rng: random.Random, k: int = 200) -> list[str]:
    from desktop.case.search import fold

    out = []
    for i in range(k):
        given, family, a = rng.choice(names)
        kind = i % 4
        if kind == 0:
            out.append(f"{given.split()[0]} {family.split()[0]}")
        elif kind == 1:
            out.append(fold(family.split()[0])[:4])
        elif kind == 2:
            out.append(f"A{a[:3]}-{a[3:6]}")
        else:
            out.append(a[-6:])
    return out


def plain_connect(path: Path) -> Any:
    """The unencrypted copy, opened with the same SQLite build (sqlcipher3, no key) as the vault:
    the ratio then measures encryption, not two SQLite versions."""
    import sqlcipher3.dbapi2 as sq

    return sq.connect(str(path))


def plain_search(conn: Any, query: str) -> list[str]:
    from desktop.case.search import fts_query

    match = fts_query(query)
    if match is None:
        return []
    return [r[0] for r in conn.execute(
        "SELECT r.id FROM client_search s JOIN records r ON r.rowid = s.rowid "
        "WHERE client_search MATCH ? AND r.deleted = 0 ORDER BY rank", (match,))]


def sample_case(n_events: int, n_paragraphs: int) -> dict[str, Any]:
    from desktop.case.casefile import read_case_file
    from desktop.paths import resource_path

    rng = random.Random(3)
    doc = read_case_file(resource_path("examples", "case-maria.json"))
    base_events = doc["events"]
    events = []
    for i in range(n_events):
        ev = copy.deepcopy(base_events[i % len(base_events)])
        ev["id"] = f"ev-{i}"
        ev["date"] = edtf(rng, 1990, 2026)
        en, es = PHRASES[i % len(PHRASES)]
        ev["text"] = {"en": f"{en} Nota {i}: Núñez y Ávalos.", "es": f"{es} Nota {i}: Núñez y Ávalos."}
        events.append(ev)
    doc["events"] = events
    base_p = doc["declaration"]["paragraphs"]
    paras = []
    for i in range(n_paragraphs):
        p = copy.deepcopy(base_p[i % len(base_p)])
        p["events"] = [f"ev-{i % n_events}"]
        paras.append(p)
    doc["declaration"]["paragraphs"] = paras
    return doc


MEMORY_PROBE = """
import json, resource, sys, time
mode, path, queries = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
if mode == "vault":
    from pathlib import Path
    from desktop.vault import keyheader as kh
    from desktop.case.clients import client_rows
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock
    v = open_vault(Path(path), unlock(Path(path), sys.argv[4], kh.unsafe_test_policy()))
    rows = client_rows(v.conn)
    store = CaseStore(v)
    for q in queries:
        store.search(q)
else:
    import sqlcipher3.dbapi2 as sq  # same SQLite build as the vault, no key
    from desktop.case.clients import _QUERY
    from desktop.case.search import fts_query
    c = sq.connect(path)
    rows = c.execute(_QUERY).fetchall()
    for q in queries:
        m = fts_query(q)
        if m:
            c.execute("SELECT r.id FROM client_search s JOIN records r ON r.rowid = s.rowid "
                      "WHERE client_search MATCH ? ORDER BY rank", (m,)).fetchall()
# ru_maxrss is carried over exec from the parent's address space (Linux), so VmHWM (this
# process's own high-water mark) is the figure; ru_maxrss is printed too.
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, hwm)
"""

class Suite:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.runs = args.runs
        self.results: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, str] = {}
        self.phases: dict[str, float] = {}
        if args.workdir:
            self.tmp = Path(args.workdir)
            self.tmp.mkdir(parents=True, exist_ok=True)
        else:
            self.tmp = Path(tempfile.mkdtemp(prefix="declara-bench-"))
        self.py = str(ROOT / ".venv" / "bin" / "python")

    def phase(self, name: str, fn: Any) -> Any:
        log(f"{name} …")
        t = time.perf_counter()
        out = fn()
        self.phases[name] = time.perf_counter() - t
        log(f"{name} done in {self.phases[name]:.1f} s")
        return out

    def record(self, key: str, label: str, unit: str, values: list[float], base: list[float],
               ok: Any = None) -> None:
        s, b = stats(values), stats(base)
        ratio = s["median"] / b["median"] if b["median"] else float("inf")
        verdict = None if ok is None else ("PASS" if ok(s["median"], ratio) else "MISS")
        self.results[key] = {"label": label, "unit": unit, **s, "baseline": b, "ratio": ratio,
                             "target": TARGETS.get(key, ""), "verdict": verdict, "runs": len(values)}
        log(f"  {label}: {s['median']:.2f} {unit} (baseline {b['median']:.2f}, ×{ratio:.2f}) {verdict or ''}")

    # -- phases ---------------------------------------------------------------------------------
    def build(self) -> None:
        from desktop.vault import keyheader as kh
        from desktop.vault.database import create_vault

        sc = self.args.scale
        self.sizes = {k: max(1, int(v * sc)) if k != "paragraphs" else v for k, v in FULL.items()}
        log(f"sizes: {self.sizes}")
        self.vault_path = self.tmp / "big"
        saved = self.tmp / "info.json"
        if saved.exists() and (self.tmp / "plain.db").exists():
            info = json.loads(saved.read_text(encoding="utf-8"))
            if info.get("sizes") == self.sizes:
                self.info = info
                self.reused = True
                log(f"  reusing the vault in {self.tmp} ({info['records']} records)")
                return
        shutil.rmtree(self.vault_path, ignore_errors=True)
        with create_vault(self.vault_path, PASSPHRASE, kh.unsafe_test_policy()) as vault:
            self.info = bulk_load(vault.conn, self.sizes, vault.device_id)
        self.info["sizes"] = self.sizes
        log(f"  {self.info['records']} records")

    def plain_copy(self) -> None:
        from desktop.vault import keyheader as kh
        from desktop.vault.database import db_path, open_vault, unlock

        self.plain = self.tmp / "plain.db"
        if getattr(self, "reused", False):
            self.db_bytes = db_path(self.vault_path).stat().st_size
            return
        self.plain.unlink(missing_ok=True)
        key = unlock(self.vault_path, PASSPHRASE, kh.unsafe_test_policy())
        with open_vault(self.vault_path, key) as vault:
            vault.conn.execute(f"ATTACH DATABASE '{self.plain}' AS plain KEY ''")
            vault.conn.execute("SELECT sqlcipher_export('plain')")
            vault.conn.execute("DETACH DATABASE plain")
        self.db_bytes = db_path(self.vault_path).stat().st_size
        if self.args.workdir:
            (self.tmp / "info.json").write_text(json.dumps(self.info), encoding="utf-8")

    def unlock(self) -> None:
        from desktop.vault import keyheader as kh
        from desktop.vault.database import create_vault, open_vault, unlock

        tiny = self.tmp / "tiny-production"
        if not (tiny / "keyheader.json").is_file():  # a --workdir keeps it for the next run
            shutil.rmtree(tiny, ignore_errors=True)
            create_vault(tiny, PASSPHRASE, kh.PRODUCTION).close()

        def real() -> None:
            open_vault(tiny, unlock(tiny, PASSPHRASE, kh.PRODUCTION)).close()

        def base() -> None:
            c = plain_connect(self.plain)
            c.execute("SELECT count(*) FROM sqlite_master").fetchone()
            c.close()

        vals = [timed(real) for _ in range(self.runs)]
        bvals = [timed(base) * 1000 for _ in range(self.runs)]
        self.record("unlock", "unlock + open (PRODUCTION KDF)", "ms", [v * 1000 for v in vals], bvals)

    def open_big(self) -> Any:
        from desktop.vault import keyheader as kh
        from desktop.vault.database import open_vault, unlock

        return open_vault(self.vault_path, unlock(self.vault_path, PASSPHRASE, kh.unsafe_test_policy()))

    def queries_and_lists(self) -> None:
        from desktop.case import codec
        from desktop.case.clients import _QUERY, client_rows
        from desktop.case.store import CaseStore
        from desktop.vault.database import now_iso

        self.queries = make_queries(self.info["names"], random.Random(11))
        vault = self.open_big()
        store = CaseStore(vault)
        plain = plain_connect(self.plain)
        p50, p95, b50, b95, hits = [], [], [], [], 0
        for _ in range(self.runs):
            t_real, t_base = [], []
            for q in self.queries:
                t = time.perf_counter()
                hits += bool(store.search(q))
                t_real.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                plain_search(plain, q)
                t_base.append((time.perf_counter() - t) * 1000)
            p50.append(pct(t_real, 50))
            p95.append(pct(t_real, 95))
            b50.append(pct(t_base, 50))
            b95.append(pct(t_base, 95))
        log(f"  {hits / self.runs:.0f}/{len(self.queries)} queries found something")
        self.record("search_p50", "client search p50", "ms", p50, b50)
        self.record("search_p95", "client search p95", "ms", p95, b95, lambda m, r: m < 20 and r <= 1.5)
        real = [timed(lambda: client_rows(vault.conn)) * 1000 for _ in range(self.runs)]
        base = [timed(lambda: plain.execute(_QUERY).fetchall()) * 1000 for _ in range(self.runs)]
        self.record("client_list", "client list load", "ms", real, base)

        # autosave: 100 durable set_field commits per run
        cid = self.info["clients"][0]
        plain.isolation_level = None
        plain.execute("PRAGMA journal_mode = WAL")
        plain.execute("PRAGMA synchronous = FULL")
        row = plain.execute("SELECT data FROM records WHERE id = ?", (cid,)).fetchone()
        data = json.loads(row[0])
        real, base = [], []
        for r in range(self.runs):
            tr, tb = [], []
            for i in range(100):
                val = f"Celda {r}-{i}, Pabellón Ñ"
                t = time.perf_counter()
                store.set_field(cid, "custody.facility", val)
                tr.append((time.perf_counter() - t) * 1000)
                data["custody"]["facility"] = val
                t = time.perf_counter()
                plain.execute("BEGIN IMMEDIATE")
                codec.update(plain, cid, updated_at=now_iso(), origin="bench", data=data)
                plain.execute("COMMIT")
                tb.append((time.perf_counter() - t) * 1000)
            real.append(pct(tr, 95))
            base.append(pct(tb, 95))
        self.record("autosave_p95", "autosave p95 (set_field)", "ms", real, base, lambda m, r: m < 10)
        plain.close()
        vault.close()

    def list_view(self) -> None:
        """The client list page over the 10,000 clients: reload and first paint, then scrolling it
        end to end a page at a time; baseline: the same page over the unencrypted copy."""
        from PySide6.QtWidgets import QApplication

        from desktop.case.clients import client_rows
        from ui.models.client_table import ClientTableModel
        from ui.pages.client_list import ClientListPage

        app = QApplication.instance() or QApplication(sys.argv[:1])
        vault = self.open_big()
        plain = plain_connect(self.plain)

        def measure(conn: Any) -> tuple[float, float, int]:
            model = ClientTableModel(lambda: client_rows(conn))
            page = ClientListPage(model)
            page.resize(1200, 700)
            page.show()
            t = time.perf_counter()
            model.reload()
            app.processEvents()
            opened = time.perf_counter() - t
            bar = page.table.verticalScrollBar()
            pages = 0
            t = time.perf_counter()
            for value in range(0, bar.maximum() + 1, max(bar.pageStep(), 1)):
                bar.setValue(value)
                app.processEvents()
                pages += 1
            scrolled = time.perf_counter() - t
            page.close()
            page.deleteLater()
            app.processEvents()
            return opened, scrolled, pages

        opens, scrolls, b_opens, b_scrolls, pages = [], [], [], [], 0
        measure(vault.conn)  # warm-up: Qt's fonts and style, the first page of each database
        measure(plain)
        for r in range(self.runs):
            for conn in (vault.conn, plain) if r % 2 == 0 else (plain, vault.conn):  # alternate the order
                o, sc, pages = measure(conn)
                (opens if conn is vault.conn else b_opens).append(o * 1000)
                (scrolls if conn is vault.conn else b_scrolls).append(sc * 1000)
        log(f"  {pages} pages per scroll")
        self.record("list_open", "client list: reload + first paint", "ms", opens, b_opens)
        self.record("list_scroll", f"client list: scroll end to end ({pages} pages)", "ms", scrolls, b_scrolls)
        plain.close()
        vault.close()

    def pdfs(self) -> None:
        from reportlab.lib.pagesizes import letter
        from reportlab.pdfgen import canvas

        from desktop.documents.declaration import render_declaration
        from desktop.documents.timeline import render_timeline

        from bench.chronologies import generated_case

        case = sample_case(300, 60)
        clusters = generated_case(300)  # dense clusters, every status: 40+ pages

        def trivial() -> None:
            import io

            buf = io.BytesIO()
            c = canvas.Canvas(buf, pagesize=letter)
            c.drawString(72, 720, "Declaración de prueba — Núñez")
            c.showPage()
            c.save()

        base = [timed(trivial) * 1000 for _ in range(self.runs)]
        render_timeline(case, "es")  # the first rendering parses the EDTF dates and loads the fonts
        tl = [timed(lambda: render_timeline(case, "es")) * 1000 for _ in range(self.runs)]
        tc = [timed(lambda: render_timeline(clusters, "es")) * 1000 for _ in range(self.runs)]
        dc = [timed(lambda: render_declaration(case, "en")) * 1000 for _ in range(self.runs)]
        self.record("timeline_pdf", "timeline PDF (300 events)", "ms", tl, base, lambda m, r: m <= 500)
        self.record("timeline_pdf_clusters", "timeline PDF (300 events, dense clusters)", "ms", tc, base,
                    lambda m, r: m <= 500)
        self.record("declaration_pdf", "declaration PDF (60 paragraphs)", "ms", dc, base, lambda m, r: m < 1000)

    def startup(self) -> None:
        from bench import startup

        # An installed Declara (wheel or bundle) runs from compiled bytecode, as PySide6 does in the
        # baseline; with PYTHONDONTWRITEBYTECODE set, an editable checkout would recompile each start.
        subprocess.run([self.py, "-m", "compileall", "-q", str(ROOT / "desktop"), str(ROOT / "ui")], check=True)
        declara = str(ROOT / ".venv" / "bin" / "declara")
        runs = startup.measure(self.py, declara, self.vault_path, self.runs, startup.environment("offscreen"),
                               ROOT, log)
        self.record("startup", "start-up to unlock screen (offscreen)", "ms", runs["shown"], runs["bare"],
                    lambda m, r: r <= 1.5)
        try:
            with startup.xvfb_display() as display:
                runs = startup.measure(self.py, declara, self.vault_path, self.runs,
                                       startup.environment("xcb", display), ROOT, log)
        except startup.XvfbMissing as e:
            self.errors["startup_xcb"] = str(e)
            log(f"  {e}")
            return
        self.record("startup_xcb", "start-up to unlock screen (xcb, Xvfb 1366×768)", "ms", runs["shown"],
                    runs["bare"], lambda m, r: r <= 1.3)
        self.record("startup_xcb_ready", "… and every feature ready (xcb)", "ms", runs["ready"], runs["bare"])

    def sync(self) -> None:
        from desktop.vault import keyheader as kh
        from desktop import sync
        from desktop.vault.database import create_vault

        exp, imp, base = [], [], []
        vault = self.open_big()
        laptop_card = sync.identity(vault).card()
        age = shutil.which("age")
        for r in range(self.args.sync_runs or self.runs):
            shutil.rmtree(self.tmp / f"office-{r}", ignore_errors=True)  # left by an interrupted run
            office = create_vault(self.tmp / f"office-{r}", PASSPHRASE, kh.unsafe_test_policy())
            office_id = sync.make_office(office)
            sync.trust(office, laptop_card)
            peer = sync.trust(vault, office_id.card())
            out = self.tmp / f"full-{r}.declara-sync"
            t = time.perf_counter()
            result = sync.export_sync(vault, peer, full=True, out=out)  # streamed to the file, as the app does
            exp.append(time.perf_counter() - t)
            size = out.stat().st_size
            log(f"  run {r + 1}: export {exp[-1]:.1f} s, {size / 1e6:.1f} MB, {result.records} records")
            t = time.perf_counter()
            try:
                sync.import_sync(office, out.read_bytes(), backup=False)  # as the app reads it
            except Exception as exc:  # noqa: BLE001 - a refused import is a result, not a crash
                log(f"  import refused: {type(exc).__name__}: {exc}")
                self.errors["sync_import"] = f"{type(exc).__name__}: {exc}"
                imp.append(float("nan"))
            else:
                imp.append(time.perf_counter() - t)
            office.close()
            shutil.rmtree(self.tmp / f"office-{r}", ignore_errors=True)
            log(f"  run {r + 1}: export {exp[-1]:.1f} s ({size / 1e6:.1f} MB), import {imp[-1]:.1f} s")
            out.unlink()
            if age:
                payload = os.urandom(size)
                t = time.perf_counter()
                subprocess.run([age, "-r", office_id.age_recipient], input=payload, capture_output=True,
                               check=True)
                base.append(time.perf_counter() - t)
        vault.close()
        base = base or [float("nan")]
        self.record("sync_export", "sync export (full vault)", "s", exp, base, lambda m, r: m < 10)
        self.record("sync_import", "sync import (empty office)", "s", imp, base, lambda m, r: m < 20)

    def office(self) -> None:
        """The office at scale (bench/office.py): a laptop's day synced with 1, 5 and 20 laptops
        enrolled, the bytes the import writes, a case packet for one client."""
        from bench import office

        office.run(self, PASSPHRASE, log)

    def documents(self) -> None:
        """A case packet with 1 GiB of documents, exported and imported (bench/sync_documents.py)."""
        from bench import sync_documents

        sync_documents.run(self, ROOT, PASSPHRASE, log)

    def memory(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        if not hasattr(self, "queries"):
            self.queries = make_queries(self.info["names"], random.Random(11))
        q = json.dumps(self.queries)
        real, base, rus = [], [], []
        for _ in range(self.runs):
            out = subprocess.run([self.py, "-c", MEMORY_PROBE, "vault", str(self.vault_path), q, PASSPHRASE],
                                 env=env, capture_output=True, text=True, check=True, cwd=ROOT)
            real.append(int(out.stdout.split()[-1]) / 1024)
            rus.append(int(out.stdout.split()[-2]) / 1024)
            out = subprocess.run([self.py, "-c", MEMORY_PROBE, "plain", str(self.plain), q],
                                 env=env, capture_output=True, text=True, check=True, cwd=ROOT)
            base.append(int(out.stdout.split()[-1]) / 1024)
        log(f"  getrusage ru_maxrss (inherits the parent's high-water mark): {statistics.median(rus):.0f} MB")
        self.record("peak_memory", "peak RSS (open, list, 200 searches)", "MB", real, base, lambda m, r: m < 250)

    # -- report -----------------------------------------------------------------------------
    def table(self) -> str:
        head = ("| figure | median | min–max | baseline (median) | ratio | target | verdict |\n"
                "|---|---:|---:|---:|---:|---|---|")
        lines = [head]
        for r in self.results.values():
            u = r["unit"]
            lines.append(f"| {r['label']} | {r['median']:.2f} {u} | {r['min']:.2f}–{r['max']:.2f} | "
                         f"{r['baseline']['median']:.2f} {u} | ×{r['ratio']:.2f} | {r['target']} | "
                         f"{r['verdict'] or '—'} |")
        return "\n".join(lines)

    def run(self) -> None:
        t0 = time.perf_counter()
        try:
            only = set(self.args.only.split(",")) if self.args.only else None
            if only != {"documents"}:  # the documents figure has vaults of its own
                self.phase("build vault (bulk loader)", self.build)
                self.phase("plain copy (sqlcipher_export)", self.plain_copy)
            for name, fn in [("unlock", self.unlock), ("search/list/autosave", self.queries_and_lists),
                             ("listview", self.list_view),
                             ("pdf", self.pdfs), ("startup", self.startup),
                             ("office", self.office),  # before "sync", which makes the vault a laptop
                             ("sync", self.sync),
                             ("memory", self.memory), ("documents", self.documents)]:
                if only and name.split("/")[0] not in only:
                    continue
                self.phase(name, fn)
        finally:
            total = time.perf_counter() - t0
            table = self.table()
            print()
            print(f"Declara bench — scale {self.args.scale}, {self.runs} runs, "
                  f"{getattr(self, 'info', {}).get('records', 0)} records")
            print(table)
            if getattr(self, "office_table", None):
                print()
                print(self.office_table)
            print("phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.phases.items()) + f"; total {total:.1f} s")
            out = {"scale": self.args.scale, "runs": self.runs, "sizes": getattr(self, "sizes", {}),
                   "records": getattr(self, "info", {}).get("records"), "db_bytes": getattr(self, "db_bytes", None),
                   "phases": self.phases, "total_seconds": total, "results": self.results,
                   "python": sys.version.split()[0], "platform": platform.platform(), "nproc": os.cpu_count(),
                   "table": table, "errors": self.errors,
                   "office": getattr(self, "office_rows", None), "office_table": getattr(self, "office_table", None)}
            Path(self.args.out).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            log(f"wrote {self.args.out}")
            if not self.args.keep and not self.args.workdir:
                shutil.rmtree(self.tmp, ignore_errors=True)
            maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            log(f"bench process peak RSS {maxrss:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the full target sizes (0.1 = quick)")
    ap.add_argument("--runs", type=int, default=5, help="repetitions per figure")
    ap.add_argument("--sync-runs", type=int, default=0, help="repetitions of the sync figures (default: --runs)")
    ap.add_argument("--only", default="", help="comma list: unlock,search,listview,pdf,startup,sync,office,memory,documents")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary vaults")
    ap.add_argument("--workdir", default="", help="build the vaults here and reuse them on the next run "
                    "with the same sizes (the measured vault is changed by autosave and sync only)")
    Suite(ap.parse_args(argv)).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
