"""Documents in sync files: a case packet of one client with 1 GiB of documents, exported by the
office and imported by a laptop, each in a process of its own so its peak memory is its own.

    .venv/bin/python -m bench.suite --only documents [--runs 1]

Figures (``bench.suite`` records them with the baseline measured in the same run):

- **sync_documents_export**: ``export_sync(..., clients=[client], out=FILE)`` of the client with four
  256 MiB documents, against encrypting the same number of bytes with age (pyrage) from memory.
- **sync_documents_import**: ``import_sync(vault, FILE)`` into a laptop vault that holds none of
  them, against decrypting the file with age (pyrage) into nothing.
- **sync_documents_memory**: the larger growth of peak RSS (``ru_maxrss`` after minus before the
  call) of the two; target: under 150 MB, whatever the size of the documents.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

MB = 1024 * 1024
DOCUMENTS = 4
DOCUMENT_BYTES = 256 * MB

PROBE = """
import hashlib, io, json, resource, sys, time
from pathlib import Path
from desktop import sync
from desktop.case.store import CaseStore
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault, open_vault, unlock

step, folder, passphrase, count, size = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

def opened(name):
    return open_vault(folder / name, unlock(folder / name, passphrase, kh.unsafe_test_policy()))

def chunks(n, seed):
    for i in range(n // (1 << 20)):
        yield hashlib.sha256(f"{seed}-{i}".encode()).digest() * (1 << 15)

if step == "setup":
    from desktop.evidence.blobs import BlobStore
    office = create_vault(folder / "office", passphrase, kh.unsafe_test_policy())
    laptop = create_vault(folder / "laptop", passphrase, kh.unsafe_test_policy())
    sync.make_office(office, name="Office")
    sync.identity(laptop, name="Laptop")
    sync.trust(laptop, sync.parse_card(json.dumps(sync.identity(office).card()).encode()))
    sync.trust(office, sync.parse_card(json.dumps(sync.identity(laptop).card()).encode()))
    store = CaseStore(office)
    cid = store.create("client", {"given_names": "Rosa", "family_names": "Mejía"}).id
    for n in range(count):
        info = BlobStore(office).put_chunks(chunks(size, n))
        entry = {"sha256": info.sha256, "size": info.size, "media": "pdf", "pages": 1, "made": "import",
                 "at": "2026-12-07T10:00:00.000Z"}
        store.create("document", {"title": f"Expediente {n + 1}", "kind": "court_record", "pages": 1,
                     "original": {"sha256": info.sha256, "size": info.size, "media": "pdf"},
                     "revisions": [entry], "current": 0}, client_id=cid)
    print(json.dumps({"client": cid}))
elif step == "export":
    vault = opened("office")
    before = rss()
    t = time.perf_counter()
    result = sync.export_sync(vault, "Laptop", clients=[sys.argv[6]], out=folder / "packet.age")
    took = time.perf_counter() - t
    print(json.dumps({"seconds": took, "before": before, "after": rss(), "documents": result.documents,
                      "bytes": (folder / "packet.age").stat().st_size}))
elif step == "import":
    vault = opened("laptop")
    before = rss()
    t = time.perf_counter()
    result = sync.import_sync(vault, folder / "packet.age", backup=False)
    took = time.perf_counter() - t
    print(json.dumps({"seconds": took, "before": before, "after": rss(), "documents": result.documents}))
elif step == "age":
    from pyrage import decrypt_io, encrypt_io, x25519
    ident = x25519.Identity.generate()
    class Gen:
        def __init__(self):
            self.it, self.buf = chunks(count * size, "age"), b""
        def read(self, n=-1):
            while len(self.buf) < n:
                nxt = next(self.it, None)
                if nxt is None:
                    break
                self.buf += nxt
            out, self.buf = self.buf[:n], self.buf[n:]
            return out
    class Null:
        def write(self, data):
            return len(data)
        def flush(self):
            pass
    target = folder / "age.bin"
    t = time.perf_counter()
    with open(target, "wb") as fh:
        encrypt_io(Gen(), fh, [ident.to_public()])
    enc = time.perf_counter() - t
    t = time.perf_counter()
    with open(target, "rb") as fh:
        decrypt_io(fh, Null(), [ident])
    dec = time.perf_counter() - t
    target.unlink()
    print(json.dumps({"encrypt": enc, "decrypt": dec}))
"""


def _probe(py: str, root: Path, *args: Any) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([py, "-c", PROBE, *map(str, args)], env=env, capture_output=True, text=True,
                         check=True, cwd=root)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(suite: Any, root: Path, passphrase: str, log: Any) -> None:
    exp, imp, grow, base_exp, base_imp = [], [], [], [], []
    for r in range(suite.runs):
        folder = suite.tmp / f"documents-{r}"
        shutil.rmtree(folder, ignore_errors=True)  # what an interrupted run left in a --workdir
        folder.mkdir(parents=True, exist_ok=True)
        sizes = (passphrase, DOCUMENTS, DOCUMENT_BYTES)
        client = _probe(suite.py, root, "setup", folder, *sizes)["client"]
        e = _probe(suite.py, root, "export", folder, *sizes, client)
        i = _probe(suite.py, root, "import", folder, *sizes)
        a = _probe(suite.py, root, "age", folder, *sizes)
        exp.append(e["seconds"])
        imp.append(i["seconds"])
        base_exp.append(a["encrypt"])
        base_imp.append(a["decrypt"])
        grow.append(max(e["after"] - e["before"], i["after"] - i["before"]) / MB)
        log(f"  run {r + 1}: {e['documents']} documents, {e['bytes'] / MB:.0f} MiB file; export {e['seconds']:.1f} s"
            f" (peak RSS {e['after'] / MB:.0f} MB, +{(e['after'] - e['before']) / MB:.0f}), import"
            f" {i['seconds']:.1f} s (peak RSS {i['after'] / MB:.0f} MB, +{(i['after'] - i['before']) / MB:.0f})")
        shutil.rmtree(folder, ignore_errors=True)
    suite.record("sync_documents_export", "case packet with 1 GiB of documents: export", "s", exp, base_exp)
    suite.record("sync_documents_import", "case packet with 1 GiB of documents: import", "s", imp, base_imp)
    suite.record("sync_documents_memory", "case packet with 1 GiB of documents: peak RSS growth", "MB",
                 grow, [0.0], lambda m, r: m < 150)
