"""Canonical JSON: the one serialisation used wherever bytes are compared, hashed or signed.

Keys sorted, no insignificant whitespace, non-ASCII kept as UTF-8, and no NaN or Infinity (they
are not JSON). Records are stored in this form (:mod:`desktop.case.codec`), so the same record has
the same bytes in every vault; a declaration's signature, a document's fingerprint and a sync
file's lines rely on that.
"""

from __future__ import annotations

import json
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
_ASCII_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), sort_keys=True, allow_nan=False)


def canonical_json(obj: Any) -> str:
    """``obj`` as canonical JSON text."""
    return _ENCODER.encode(obj)


def canonical_bytes(obj: Any, *, ascii_only: bool = False) -> bytes:
    """``obj`` as canonical JSON in UTF-8; ``ascii_only`` escapes every non-ASCII character (for
    formats that promised ASCII, such as the key header's authenticated data)."""
    return (_ASCII_ENCODER if ascii_only else _ENCODER).encode(obj).encode("utf-8")
