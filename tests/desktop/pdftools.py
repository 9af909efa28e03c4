"""PDF helpers shared by the document tests: poppler's tools (pdftotext, pdfinfo) on a file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def write(tmp_path: Path, pdf: bytes, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def run(*cmd: str | Path) -> str:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=True).stdout


def layout_text(path: Path) -> str:
    return run("pdftotext", "-layout", path, "-")


def info(path: Path) -> dict[str, str]:
    lines = run("pdfinfo", path).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def outline(path: Path) -> list[str]:
    xml = run("pdftohtml", "-xml", "-i", "-q", "-stdout", path)
    return re.findall(r'<item page="\d+">([^<]*)</item>', xml)


def positions(text: str, needles: list[str]) -> list[int]:
    found = [text.find(needle) for needle in needles]
    assert -1 not in found, [n for n, p in zip(needles, found, strict=True) if p == -1]
    return found
