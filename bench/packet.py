"""The filing packet: a 300-page packet of 12 exhibits built, checked and split, against plain
concatenation of the same PDFs.

    .venv/bin/python -m bench.packet [--limit-mb 25] [--scan-pages 25]

Eight exhibits are born-digital PDFs (25 pages of text each) and four are scans (``--scan-pages``
image pages each, made once by ``bench.scans`` and reused), 300 pages in all. Printed:

- **concatenate**: the pages copied one after another into one PDF with pikepdf (the baseline: no
  cover, index, tabs, scaling, numbering, bookmarks, check or parts);
- **packet**: ``build_packet`` (cover, index, tabs, every page placed and stamped, bookmarks, parts
  under the limit) and ``check_packet`` (everything read back with PDFium);
- the peak RSS of the process after each (``ru_maxrss``).

Targets (reported, not asserted): packet under 10 s and under 400 MB.
"""

from __future__ import annotations

import argparse
import io
import resource
import time


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def inputs(scan_pages: int) -> list[bytes]:
    from bench.scans import line_pdf, scanned_pdf

    text = [line_pdf(*[f"Exhibit text {n} page {p}" for p in range(1, 26)]) for n in range(8)]
    scan = scanned_pdf(scan_pages, seed=3)
    return text[:2] + [scan] + text[2:4] + [scan] + text[4:6] + [scan] + text[6:] + [scan]


def concatenate(pdfs: list[bytes]) -> bytes:
    import pikepdf

    out = pikepdf.new()
    opened = [pikepdf.open(io.BytesIO(data)) for data in pdfs]
    for pdf in opened:
        out.pages.extend(pdf.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def main() -> None:
    from desktop.filing.build import ExhibitInput, PacketInput, build_packet, label_for
    from desktop.filing.check import check_packet
    from desktop.filing.pages import Cover

    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-mb", type=float, default=25.0)
    ap.add_argument("--scan-pages", type=int, default=25)
    args = ap.parse_args()
    pdfs = inputs(args.scan_pages)
    size = sum(len(p) for p in pdfs)
    print(f"inputs: 12 exhibits, {size / 1e6:.1f} MB; peak RSS {peak_mb():.0f} MB", flush=True)

    start = time.perf_counter()
    joined = concatenate(pdfs)
    took = time.perf_counter() - start
    print(f"concatenate (pikepdf): {took:.2f} s, {len(joined) / 1e6:.1f} MB; peak RSS {peak_mb():.0f} MB")

    cover = Cover(
        "Fictional Respondent", "A 201-555-099", True, "f", "Houston, Texas", "Hon. Example", "", "Evidence"
    )
    service = {
        "method": "ecas",
        "date": "2026-12-10",
        "address": "DHS OPLA, Houston, TX",
        "attorney": "A. Lawyer",
    }
    exhibits = [
        ExhibitInput(label_for(n), f"Exhibit document {n + 1}", [data]) for n, data in enumerate(pdfs)
    ]
    spec = PacketInput(lang="en", cover=cover, exhibits=exhibits, service=service)
    limit = int(args.limit_mb * 1_000_000)
    start = time.perf_counter()
    built = build_packet(spec, limit_bytes=limit)
    built_at = time.perf_counter() - start
    check_packet(built, limit_bytes=limit)
    took = time.perf_counter() - start
    sizes = ", ".join(f"{len(p.data) / 1e6:.1f}" for p in built.parts)
    print(
        f"packet: {built.pages} pages, {len(built.parts)} part(s) [{sizes}] MB; build {built_at:.2f} s, "
        f"build + check {took:.2f} s (target < 10 s); peak RSS {peak_mb():.0f} MB (target < 400 MB)"
    )


if __name__ == "__main__":
    main()
