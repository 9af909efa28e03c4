"""Documents in the vault: import speed, first page on screen, a vault with gigabytes of documents,
the viewer's memory, OCR throughput.

    .venv/bin/python -m bench.documents [--scale 1.0] [--runs 5] [--only import,first_page,big,memory,ocr]

Every figure is printed with the baseline measured in the same run, as ``bench.suite`` does:

- **import**: adding a 20-page, 10 MB scanned PDF (no OCR) through ``DocumentService.add``, against
  hashing the same bytes and writing them in chunks to a table of the same encrypted vault. Targets:
  at most 1.5 x the baseline, and under 1 s.
- **first_page**: from opening a 50-page scan (its current revision read from the vault) to page 1
  rendered by QtPdf at the viewer's size, against rendering the same bytes already in memory.
  Target: under 300 ms.
- **big**: the benchmark's 10,000-client vault with and without ``5 GB x scale`` of documents: client
  list load, search p50/p95 and autosave p95 must stay within 10 %.
- **memory**: peak RSS of a process that opens a 200-page document and renders every thumbnail and
  ten pages. Target: under 250 MB.
- **ocr**: pages per second recognized by tesseract (no target).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "correct horse battery staple bench"  # noqa: S105 - a throwaway bench vault
MB = 1024 * 1024


def log(msg: str) -> None:
    print(msg, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def unique(pdf: bytes, salt: int) -> bytes:
    """The same PDF with a trailing comment, so its SHA-256 differs (documents are stored once)."""
    return pdf + f"\n%bench-{salt}\n".encode()


def open_vault(path: Path) -> Any:
    from desktop.vault import keyheader as kh
    from desktop.vault.database import open_vault as _open
    from desktop.vault.database import unlock

    return _open(path, unlock(path, PASSPHRASE, kh.unsafe_test_policy()))


def new_vault(path: Path) -> Any:
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault

    shutil.rmtree(path, ignore_errors=True)
    return create_vault(path, PASSPHRASE, kh.unsafe_test_policy())


def a_client(store: Any, n: int) -> str:
    return store.create("client", {"given_names": f"Bench {n}", "family_names": "Documentos"}).id


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(args.workdir or tempfile.mkdtemp(prefix="declara-docbench-"))
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.results: dict[str, Any] = {}

    def record(
        self, key: str, label: str, value: float, unit: str, baseline: float | None, verdict: str | None
    ) -> None:
        ratio = value / baseline if baseline else None
        self.results[key] = {
            "label": label,
            "median": value,
            "unit": unit,
            "baseline": baseline,
            "ratio": ratio,
            "verdict": verdict,
        }
        extra = f" (baseline {baseline:.1f} {unit}, x{ratio:.2f})" if baseline else ""
        log(f"  {label}: {value:.1f} {unit}{extra} {verdict or ''}")

    # -- import ----------------------------------------------------------------------------------
    def import_speed(self) -> None:
        from bench.scans import scanned_pdf
        from desktop.case.store import CaseStore
        from desktop.evidence.blobs import CHUNK_SIZE
        from desktop.evidence.service import DocumentService

        pdf = scanned_pdf(20, target_bytes=10 * MB)
        log(f"import: a 20-page scan of {len(pdf) / MB:.1f} MB")
        with new_vault(self.tmp / "import") as vault:
            store = CaseStore(vault)
            service = DocumentService(store)
            client = a_client(store, 0)
            vault.conn.execute("CREATE TABLE bench_copy (sha256 TEXT, seq INTEGER, data BLOB)")
            real, base = [], []
            for run in range(self.args.runs):
                data = unique(pdf, run)
                source = self.tmp / f"scan-{run}.pdf"
                source.write_bytes(data)  # the user's file: the import reads it from disk
                t = time.perf_counter()
                service.add(client, source, kind="other")
                real.append((time.perf_counter() - t) * 1000)
                data2 = unique(pdf, 1000 + run)
                source.write_bytes(data2)
                t = time.perf_counter()
                raw = source.read_bytes()
                digest = hashlib.sha256(raw).hexdigest()
                with vault.transaction() as conn:
                    for seq, start in enumerate(range(0, len(raw), CHUNK_SIZE)):
                        conn.execute(
                            "INSERT INTO bench_copy VALUES (?, ?, ?)",
                            (digest, seq, raw[start : start + CHUNK_SIZE]),
                        )
                base.append((time.perf_counter() - t) * 1000)
                source.unlink()
        value, baseline = median(real), median(base)
        ok = value <= 1.5 * baseline and value < 1000
        self.record(
            "doc_import", "import a 20-page 10 MB scan", value, "ms", baseline, "PASS" if ok else "MISS"
        )

    # -- first page ------------------------------------------------------------------------------
    def first_page(self) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtPdf import QPdfDocument

        from bench.scans import scanned_pdf
        from desktop.case.store import CaseStore
        from desktop.evidence.service import DocumentService

        app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841

        def render(data: bytes) -> None:
            buffer = QBuffer()
            buffer.setData(QByteArray(data))
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            document = QPdfDocument()
            document.load(buffer)
            size = document.pagePointSize(0)
            scale = 900 / max(size.width(), 1)
            image = document.render(0, QSize(900, int(size.height() * scale)))
            assert not image.isNull()

        pdf = scanned_pdf(50, seed=5)
        with new_vault(self.tmp / "first-page") as vault:
            store = CaseStore(vault)
            service = DocumentService(store)
            doc = service.add(a_client(store, 0), pdf, filename="scan-50.pdf")
            real, base = [], []
            for _ in range(self.args.runs):
                t = time.perf_counter()
                data, _media = service.current(store.get(doc.id))
                render(data)
                real.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                render(pdf)
                base.append((time.perf_counter() - t) * 1000)
        value = median(real)
        self.record(
            "doc_first_page",
            "first page of a 50-page scan",
            value,
            "ms",
            median(base),
            "PASS" if value < 300 else "MISS",
        )

    # -- a big vault with documents --------------------------------------------------------------
    def big(self) -> None:
        from bench.scans import scanned_pdf
        from bench.suite import FULL, bulk_load, make_queries, pct
        from desktop.case.clients import client_rows
        from desktop.case.store import CaseStore
        from desktop.evidence.service import DocumentService

        scale = self.args.scale
        sizes = {k: max(1, int(v * scale)) if k != "paragraphs" else v for k, v in FULL.items()}
        plain_vault = self.tmp / "big-plain"
        saved = self.tmp / "big-plain.json"  # with --workdir, the 10,000 clients are built once
        if saved.exists() and json.loads(saved.read_text(encoding="utf-8")).get("sizes") == sizes:
            info = json.loads(saved.read_text(encoding="utf-8"))
        else:
            with new_vault(plain_vault) as vault:
                info = bulk_load(vault.conn, sizes, vault.device_id)
            info["sizes"] = sizes
            saved.write_text(json.dumps(info), encoding="utf-8")
        docs_vault = self.tmp / "big-docs"
        clients = info["clients"]
        done = self.tmp / "big-docs.json"
        if self.args.reuse and done.exists():  # measure again the vaults of an earlier run
            n, stored = json.loads(done.read_text(encoding="utf-8"))
        else:
            shutil.rmtree(docs_vault, ignore_errors=True)
            shutil.copytree(plain_vault, docs_vault)
            target = int(5 * 1024 * MB * scale)
            base_pdf = scanned_pdf(4, seed=9, target_bytes=int(self.args.doc_mb * MB))
            t = time.perf_counter()
            stored = 0
            with open_vault(docs_vault) as vault:
                store = CaseStore(vault)
                service = DocumentService(store)
                n = 0
                while stored < target:
                    data = unique(base_pdf, n)
                    service.add(clients[n % len(clients)], data, filename=f"doc-{n}.pdf")
                    stored += len(data)
                    n += 1
            log(
                f"big: {n} documents of {len(base_pdf) / MB:.1f} MB, {stored / MB:.0f} MB added in "
                f"{time.perf_counter() - t:.0f} s"
            )
            done.write_text(json.dumps([n, stored]), encoding="utf-8")
        queries = make_queries(info["names"], random.Random(11))
        figures: dict[str, dict[str, float]] = {}
        for name, path in (("without", plain_vault), ("with", docs_vault)):
            with open_vault(path) as vault:
                store = CaseStore(vault)
                client_rows(vault.conn)  # warm: both vaults are measured with their pages cached
                for q in queries:
                    store.search(q)
                lists = [timed(lambda: client_rows(vault.conn)) for _ in range(self.args.runs)]
                p50, p95 = [], []
                for _ in range(self.args.runs):
                    times = [timed(lambda q=q, s=store: s.search(q)) for q in queries]
                    p50.append(pct(times, 50))
                    p95.append(pct(times, 95))
                saves = []
                cid = clients[0]
                for i in range(100):
                    saves.append(
                        timed(lambda i=i, s=store, c=cid: s.set_field(c, "custody.facility", f"Celda {i}"))
                    )
                figures[name] = {
                    "client_list": median(lists) * 1000,
                    "search_p50": median(p50) * 1000,
                    "search_p95": median(p95) * 1000,
                    "autosave_p95": pct(saves, 95) * 1000,
                    "db_mb": (path / "declara.db").stat().st_size / MB,
                }
        for key in ("client_list", "search_p50", "search_p95", "autosave_p95"):
            value, baseline = figures["with"][key], figures["without"][key]
            verdict = "PASS" if value <= baseline * 1.10 else "MISS"
            self.record(
                f"big_{key}",
                f"{key} with {stored / MB / 1024:.1f} GB of documents",
                value,
                "ms",
                baseline,
                verdict,
            )
        self.results["big_sizes"] = {
            "clients": len(clients),
            "documents": n,
            "document_mb": stored / MB,
            **{f"db_mb_{k}": v["db_mb"] for k, v in figures.items()},
        }

    # -- memory ----------------------------------------------------------------------------------
    def memory(self) -> None:
        from bench.scans import scanned_pdf
        from desktop.case.store import CaseStore
        from desktop.evidence.service import DocumentService

        path = self.tmp / "memory"
        with new_vault(path) as vault:
            store = CaseStore(vault)
            doc = DocumentService(store).add(
                a_client(store, 0), scanned_pdf(200, seed=3), filename="scan-200.pdf"
            )
        probe = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdf import QPdfDocument
from bench.documents import open_vault
from desktop.case.store import CaseStore
from desktop.evidence.service import DocumentService
from pathlib import Path
app = QGuiApplication([])
with open_vault(Path({str(path)!r})) as vault:  # as the viewer does: chunks into one QByteArray
    store = CaseStore(vault)
    chunks, media, size = DocumentService(store).current_chunks(store.get({doc.id!r}))
    data = QByteArray()
    data.reserve(size)
    for chunk in chunks:
        data.append(chunk)
buffer = QBuffer(); buffer.setData(data); buffer.open(QIODevice.OpenModeFlag.ReadOnly)
del data
document = QPdfDocument(); document.load(buffer)
for i in range(document.pageCount()):
    document.render(i, QSize(96, 124))
for i in range(10):
    document.render(i, QSize(900, 1165))
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak across exec)
print([int(line.split()[1]) / 1024 for line in open("/proc/self/status") if line.startswith("VmHWM")][0])
"""
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        peak = float(out.stdout.strip().splitlines()[-1])
        self.record(
            "doc_view_memory",
            "peak memory viewing a 200-page scan",
            peak,
            "MB",
            None,
            "PASS" if peak < 250 else "MISS",
        )

    # -- OCR -------------------------------------------------------------------------------------
    def ocr(self) -> None:
        from bench.scans import clearance_certificate_pdf, scanned_pdf
        from desktop.evidence import ocr
        from desktop.evidence.pages import page_count

        if not ocr.available():
            log(f"ocr: not available ({ocr.unavailable_reason()})")
            return
        for label, pdf in (
            ("clearance certificate", clearance_certificate_pdf()),
            ("5-page scan", scanned_pdf(5, seed=1)),
        ):
            pages = page_count(pdf, "pdf")
            t = time.perf_counter()
            ocr.recognize(pdf, "pdf")
            seconds = time.perf_counter() - t
            self.record(
                f"ocr_{pages}", f"OCR of a {label} ({pages} pages)", pages / seconds, "pages/s", None, None
            )

    def run(self) -> None:
        only = {part for part in self.args.only.split(",") if part}
        for name in ("import", "first_page", "memory", "ocr", "big"):
            if only and name not in only:
                continue
            log(f"{name} …")
            getattr(self, "import_speed" if name == "import" else name)()
        out = ROOT / "bench" / "results-documents.json"
        kept = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        kept.update(self.results)  # a run of some figures keeps the others of the last full run
        out.write_text(json.dumps(kept, indent=2), encoding="utf-8")
        log(f"figures written to {out}")
        if not self.args.keep and not self.args.workdir:
            shutil.rmtree(self.tmp, ignore_errors=True)


def timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--scale", type=float, default=1.0, help="fraction of 10,000 clients and 5 GB of documents"
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="comma list: import,first_page,big,memory,ocr")
    ap.add_argument("--workdir", default="")
    ap.add_argument("--doc-mb", type=float, default=2.0, help="size of each document of the big vault")
    ap.add_argument("--reuse", action="store_true", help="with --workdir: measure the vaults built before")
    ap.add_argument("--keep", action="store_true")
    Bench(ap.parse_args(argv)).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
