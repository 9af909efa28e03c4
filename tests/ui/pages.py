"""Fictional PDFs and a pixel measure for the document and packet views' tests; a connection whose
disk is full."""

from __future__ import annotations

import io
from typing import Any


def make_pdf(pages: list[str], *, size: int = 28) -> bytes:
    """A US Letter PDF with one line of large bold text and a black square a page (portrait)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    for text in pages:
        pdf.setFont("Helvetica-Bold", size)
        pdf.drawString(72, 640, text)
        pdf.rect(72, 200, 300, 300, fill=1)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def dark_share(image: Any, *, step: int = 4, threshold: int = 100) -> float:
    """The share of pixels sampled every ``step`` that are darker than ``threshold`` (text, the
    black square)."""
    dark = total = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            total += 1
            dark += image.pixelColor(x, y).lightness() < threshold
    return dark / max(total, 1)


class FullDisk:
    """Wraps a vault's connection: every write fails as SQLite says when the disk is full
    (SQLITE_FULL), reads go through."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
            import sqlcipher3

            raise sqlcipher3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)
