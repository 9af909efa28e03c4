"""Merging a document record's revisions: every page edit made on either side is kept.

A document's page edits (rotate, rearrange, revert...) are entries of ``revisions``, with
``current`` pointing at the one shown. Merged field by field, two devices that both edited the
pages would conflict on ``revisions`` and one side's edits would be set aside; instead the lists
are merged as sets, three ways against the merge base:

- an entry (identified by its SHA-256 and time) on either side is kept, unless it was in the merge
  base and one side removed it (the original and older revisions purged on purpose);
- entries are ordered by time, then SHA-256, so both devices build the same list;
- the current revision is the one both sides show, else the one of the side that changed it, else
  (both changed it) the newest of the two, by time then SHA-256: the same choice on every device.
  The other stays in the list, so "make it current again" is one click away;
- ``pages`` follows the current revision.

Other fields of a document (title, kind, links, ...) merge like any record's.
"""

from __future__ import annotations

import copy
from typing import Any

#: The fields this module decides; the generic merge must not record conflicts on them.
FIELDS = ("revisions", "current", "pages")


def _key(entry: Any) -> tuple[str, str]:
    if not isinstance(entry, dict):
        return ("", "")
    return (str(entry.get("at") or ""), str(entry.get("sha256") or ""))


def _entries(data: dict[str, Any] | None) -> list[dict[str, Any]]:
    revisions = (data or {}).get("revisions")
    return [e for e in revisions if isinstance(e, dict)] if isinstance(revisions, list) else []


def _current(data: dict[str, Any] | None) -> tuple[str, str] | None:
    entries = _entries(data)
    index = (data or {}).get("current")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(entries):
        return _key(entries[index])
    return None


def merge_revisions(
    mine: dict[str, Any], base: dict[str, Any] | None, theirs: dict[str, Any]
) -> dict[str, Any] | None:
    """The merged ``revisions``, ``current`` and ``pages`` of a document (a dict of those keys), or
    None when there is nothing to merge (one side has no revisions)."""
    ours, other = _entries(mine), _entries(theirs)
    if not ours or not other:
        return None
    in_base = {_key(e) for e in _entries(base)}
    mine_keys, their_keys = {_key(e) for e in ours}, {_key(e) for e in other}
    removed = {k for k in in_base if k not in mine_keys or k not in their_keys}
    union: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in ours + other:
        key = _key(entry)
        if key not in removed and key not in union:
            union[key] = copy.deepcopy(entry)
    if not union:
        return None
    keys = sorted(union)
    mine_cur, their_cur, base_cur = _current(mine), _current(theirs), _current(base)
    if mine_cur == their_cur or their_cur == base_cur:
        chosen = mine_cur
    elif mine_cur == base_cur:
        chosen = their_cur
    else:
        chosen = max(k for k in (mine_cur, their_cur) if k is not None)
    if chosen is None or chosen not in union:
        # The chosen one was purged on the other side: the newest that is left.
        chosen = keys[-1]
    revisions = [union[k] for k in keys]
    current = keys.index(chosen)
    merged: dict[str, Any] = {"revisions": revisions, "current": current}
    pages = revisions[current].get("pages")
    if isinstance(pages, int) and not isinstance(pages, bool):
        merged["pages"] = pages
    return merged
