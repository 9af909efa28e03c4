"""Alien registration numbers (A-numbers), following EOIR practice.

Input may carry an "A", spaces and dashes and have 7 to 9 digits; it is stored as 9 digits
(left-padded with zeros, as EOIR does for 8-digit numbers since 2008) and shown as
``A 012-345-678``. Anything else is refused with a clear message: never silently rewritten.
There is no check digit.
"""

from __future__ import annotations

import re

from desktop.errors import ValidationError
from desktop.i18n import N_

_SHAPE = re.compile(r"^\s*(?:[Aa]\s*[-#]?\s*)?([0-9][0-9 \-]*[0-9])\s*$")


def parse_a_number(text: str, field: str | None = None) -> str:
    """Return the 9-digit form of ``text`` or raise ValidationError."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(N_("The A-number is empty."), field=field)
    match = _SHAPE.match(text)
    if match is None or "--" in match.group(1) or "  " in match.group(1):
        raise ValidationError(
            N_("“{value}” is not an A-number. Type 7 to 9 digits, for example A 012-345-678."),
            field=field,
            value=text.strip(),
        )
    digits = re.sub(r"[ \-]", "", match.group(1))
    if not 7 <= len(digits) <= 9:
        raise ValidationError(
            N_("“{value}” has {count} digits; an A-number has 7 to 9 digits."),
            field=field,
            value=text.strip(),
            count=len(digits),
        )
    return digits.zfill(9)


def is_a_number(text: str) -> bool:
    try:
        parse_a_number(text)
    except ValidationError:
        return False
    return True


def format_a_number(digits: str | None) -> str:
    """'012345678' -> 'A 012-345-678'; empty for None."""
    if not digits:
        return ""
    return f"A {digits[0:3]}-{digits[3:6]}-{digits[6:9]}"
