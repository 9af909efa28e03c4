"""Rooms stay small (issue 13): no file of ui/ over 600 lines, no module of desktop/sync or
desktop/drafting over 700. A file that grows past it is split along a seam, not squeezed."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LIMITS = [("ui", 600), ("desktop/sync", 700), ("desktop/drafting", 700)]


@pytest.mark.parametrize(("folder", "limit"), LIMITS)
def test_no_file_is_over_its_limit(folder, limit):
    files = sorted((REPO / folder).rglob("*.py"))
    assert len(files) >= 8, f"{folder} holds its modules"
    sizes = {str(f.relative_to(REPO)): len(f.read_text(encoding="utf-8").splitlines()) for f in files}
    over = {name: n for name, n in sizes.items() if n > limit}
    assert not over, f"over {limit} lines: {over}"
