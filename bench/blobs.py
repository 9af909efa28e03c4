"""Storing a file in the vault as chunked blobs, against hashing it and inserting it as one row.

``.venv/bin/python -m bench.blobs [--mb 10] [--runs 7]`` creates a throwaway encrypted vault (the
cheap test key derivation: the key derivation is not what is measured), then times, per run:

* ``BlobStore.put`` of fresh random bytes (SHA-256, 512 KiB chunks, one transaction);
* ``BlobStore.put_chunks`` of the same size, fed 64 KiB at a time (bounded memory), without and
  with the SHA-256 known in advance (``expected``, as a sync file gives it);
* ``BlobStore.get`` (read every chunk back and check the SHA-256);
* the baseline: ``hashlib.sha256`` plus one ``INSERT`` of the whole bytes as a single BLOB row, in
  one transaction of the same vault;
* a plain ``hashlib.sha256`` of the bytes (what hashing alone costs);
* the alternative weighed in docs/documents.md: SHA-256, AES-256-GCM with the vault id and the
  SHA-256 as associated data, and an atomic write (fsync, rename, fsync of the folder) of the
  ciphertext to a file beside the database.

Prints median and min-max in milliseconds. Asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from desktop.evidence.blobs import BlobStore
    from desktop.vault import fsutil
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault

    size = int(args.mb * 1024 * 1024)
    key = AESGCM.generate_key(bit_length=256)
    names = ("put", "put_chunks", "put_chunks_expected", "get", "baseline", "sha256", "aes_gcm_file")
    times: dict[str, list[float]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.declara"
        with create_vault(path, "violet harbor lantern quietly 42", kh.unsafe_test_policy()) as vault:
            vault.conn.execute("CREATE TABLE one_row (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)")
            blobs = BlobStore(vault)
            for _ in range(args.runs):
                data = os.urandom(size)
                start = time.perf_counter()
                info = blobs.put(data)
                times["put"].append(time.perf_counter() - start)
                start = time.perf_counter()
                assert blobs.get(info.sha256) == data
                times["get"].append(time.perf_counter() - start)

                other = os.urandom(size)
                start = time.perf_counter()
                blobs.put_chunks(other[i : i + 65536] for i in range(0, size, 65536))
                times["put_chunks"].append(time.perf_counter() - start)

                known = os.urandom(size)
                start = time.perf_counter()
                blobs.put_chunks(
                    (known[i : i + 65536] for i in range(0, size, 65536)),
                    expected=hashlib.sha256(known).hexdigest(),
                )
                times["put_chunks_expected"].append(time.perf_counter() - start)

                third = os.urandom(size)
                start = time.perf_counter()
                sha = hashlib.sha256(third).hexdigest()
                with vault.transaction() as conn:
                    conn.execute("INSERT INTO one_row (sha256, data) VALUES (?, ?)", (sha, third))
                times["baseline"].append(time.perf_counter() - start)

                start = time.perf_counter()
                hashlib.sha256(third).hexdigest()
                times["sha256"].append(time.perf_counter() - start)

                start = time.perf_counter()
                sha = hashlib.sha256(third).hexdigest()
                nonce = os.urandom(12)
                sealed = AESGCM(key).encrypt(nonce, third, f"{vault.vault_id}:{sha}".encode())
                fsutil.write_atomic(path / f"blob-{sha}", nonce + sealed)
                times["aes_gcm_file"].append(time.perf_counter() - start)
    print(f"{args.mb:g} MB, {args.runs} runs (ms: median, min-max)")
    for name, values in times.items():
        ms = [v * 1000 for v in values]
        print(f"  {name:<20} {statistics.median(ms):8.1f}   {min(ms):.1f}-{max(ms):.1f}")


if __name__ == "__main__":
    main()
