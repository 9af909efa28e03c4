"""How a client's (or a relative's) name is shown: the one place that joins the parts.

Names are kept as the person writes them, in two fields (``given_names``, ``family_names``), never
split or re-cased: Latin American names often carry two family names, and either may be missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def display_name(data: Mapping[str, Any]) -> str:
    """"Given Family", as written; a missing part is left out."""
    return join_name(data.get("given_names"), data.get("family_names"))


def join_name(given: str | None, family: str | None) -> str:
    """"Given Family" from the two parts."""
    return " ".join(part for part in (given, family) if part).strip()


def sorted_name(given: str | None, family: str | None) -> str:
    """"Family, Given": the form of a list sorted by family name."""
    return ", ".join(part for part in (family, given) if part)
