"""The kinds of a form's fields (:class:`ui.forms.FieldSpec`), and how an amount is read. A module of
its own so the forms stay one screen of code; ``ui.forms`` re-exports every name."""

from __future__ import annotations

import re

# Field kinds (and COUNTRY, COUNTRIES, LANGUAGE, LANGUAGES: pickers that show names, store codes)
COUNTRY, COUNTRIES, LANGUAGE, LANGUAGES = "country", "countries", "language", "languages"
PICKERS = {COUNTRY: ("country", False), COUNTRIES: ("country", True), LANGUAGE: ("language", False)}
PICKERS[LANGUAGES] = ("language", True)
TEXT, MULTILINE, DATE, A_NUMBER, VOCAB, FACILITY, LIST, CHOICES, LANGTEXT, SPOKEN_DATE = (
    "text",
    "multiline",
    "date",
    "a_number",
    "vocab",
    "facility",
    "list",
    "choices",
    "langtext",  # {"en": ..., "es": ...}, edited side by side
    "spoken_date",  # typed as said ("around 2015", "marzo 2022"), stored as EDTF
)
TEXT_LANGUAGES = ("en", "es")
BOOL = "bool"  # a check box: true, or not said (never stored false: an unchecked box says nothing)
AMOUNT = "amount"  # a whole number of dollars ("$5,000" is 5000), stored as an integer


def amount_from_text(text: str) -> int | str | None:
    """ "$5,000" -> 5000; "" -> None; anything else is kept as typed, for the record's validation
    to refuse with its message (the field says what is wrong, nothing is lost)."""
    stripped = text.strip()
    if not stripped:
        return None
    digits = re.sub(r"[$,\s]", "", stripped)
    return int(digits) if digits.isdigit() and len(digits) <= 12 else stripped
