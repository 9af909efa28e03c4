"""How a client's (or a relative's) name is shown: the one place that joins the parts; and what
text a record's fields may hold.

Names are kept as the person writes them, in two fields (``given_names``, ``family_names``), never
split or re-cased: Latin American names often carry two family names, and either may be missing.
A name is one line of at most :data:`NAME_MAX` characters; no field of a record holds a control
character (NUL included), a lone surrogate or a text-direction override such as U+202E
(:func:`text_problems`, with the bounds of :mod:`desktop.limits`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from desktop.errors import ValidationError

#: Longest name (a person's given or family names, an alias, an interpreter's or a translator's
#: name), in characters; names are also held to one line.
NAME_MAX = 200
#: The keys that hold names, wherever they are in a record.
NAME_KEYS = ("given_names", "family_names", "aliases", "name")
#: Longest text of any other field, in characters.
TEXT_MAX = 1_000_000
FIELD_LIMITS = dict.fromkeys(NAME_KEYS, NAME_MAX)


def display_name(data: Mapping[str, Any]) -> str:
    """"Given Family", as written; a missing part is left out."""
    return join_name(data.get("given_names"), data.get("family_names"))


def join_name(given: str | None, family: str | None) -> str:
    """"Given Family" from the two parts."""
    return " ".join(part for part in (given, family) if part).strip()


def sorted_name(given: str | None, family: str | None) -> str:
    """"Family, Given": the form of a list sorted by family name."""
    return ", ".join(part for part in (family, given) if part)


def text_problems(value: Any, base: str = "$") -> list[ValidationError]:
    """The first value in ``value`` (a record's fields, or a whole case file) that no record may
    hold, as a one-item list naming its path (else empty): nesting, numbers and text as
    :func:`desktop.limits.check_tree` bounds them, names as said above."""
    from desktop.limits import InputRefused, check_tree

    try:
        check_tree(value, where=base, max_string=TEXT_MAX, field_limits=FIELD_LIMITS, single_line=NAME_KEYS)
    except InputRefused as exc:
        return [exc]
    return []


def name_problems(data: Mapping[str, Any], base: str = "$") -> list[ValidationError]:
    """Only the rule of names (one line of at most :data:`NAME_MAX` characters), for a record's
    fields whose text, numbers and nesting :func:`desktop.limits.load_json` already checked (a sync
    file's record lines: a second walk of 582,000 records would cost seconds). Names are in the
    record's own fields or one object down (an interpreter's name)."""
    for key, value in data.items():
        if type(value) is dict:
            if not _NAMES.isdisjoint(value):
                for inner, item in value.items():
                    if inner in _NAMES and not _short_line(item):
                        return _name_refused(item, f"{base}.{key}.{inner}")
        elif key in _NAMES and not _short_line(value):
            return _name_refused(value, f"{base}.{key}")
    return []


_NAMES = frozenset(NAME_KEYS)
_LINE_BREAK = re.compile("[\t\n\x0c\r\u2028\u2029]")


def _short_line(value: Any) -> bool:
    """Whether a name's value (text, or a list of texts) is within the rule (any other value is the
    schema's to refuse)."""
    if type(value) is str:
        return len(value) <= NAME_MAX and _LINE_BREAK.search(value) is None
    if type(value) is list:
        return all(_short_line(item) for item in value if type(item) is str)
    return True


def _name_refused(value: Any, where: str) -> list[ValidationError]:
    from desktop.limits import InputRefused, check_text

    items = list(enumerate(value)) if type(value) is list else [(None, value)]
    for i, item in items:
        try:
            check_text(
                item, field=where if i is None else f"{where}[{i}]", max_len=NAME_MAX, allow_newlines=False
            )
        except InputRefused as exc:
            return [exc]
    return []
