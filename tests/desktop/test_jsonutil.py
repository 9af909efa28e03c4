"""Canonical JSON (desktop.jsonutil): the bytes that are compared, hashed, signed and synced."""

from __future__ import annotations

import json
import math

import pytest

from desktop.jsonutil import canonical_bytes, canonical_json


def test_keys_are_sorted_at_every_depth():
    doc = {"b": 1, "a": {"d": [{"z": 1, "y": 2}], "c": 2}}
    assert canonical_json(doc) == '{"a":{"c":2,"d":[{"y":2,"z":1}]},"b":1}'


def test_the_same_content_has_the_same_bytes_whatever_the_insertion_order():
    one = {"given_names": "Ana", "family_names": "Pérez", "custody": {"status": "detained", "since": "2024"}}
    two = {"custody": {"since": "2024", "status": "detained"}, "family_names": "Pérez", "given_names": "Ana"}
    assert canonical_bytes(one) == canonical_bytes(two)


def test_compact_without_insignificant_whitespace():
    assert canonical_json([1, {"a": [2, 3], "b": None}, True, "x y"]) == '[1,{"a":[2,3],"b":null},true,"x y"]'


def test_list_order_is_kept():
    assert canonical_json([3, 1, 2]) == "[3,1,2]"


def test_newlines_and_controls_inside_strings_are_escaped_so_a_record_is_one_line():
    text = canonical_json({"text": "first line\nsecond\tline\r"})
    assert text == '{"text":"first line\\nsecond\\tline\\r"}'
    assert "\n" not in text and "\r" not in text


def test_non_ascii_is_kept_as_utf8():
    doc = {"name": "José Ángel Núñez", "place": "Usulután", "clef": "𝄞"}
    text = canonical_json(doc)
    assert text == '{"clef":"𝄞","name":"José Ángel Núñez","place":"Usulután"}'
    assert "\\u" not in text
    assert canonical_bytes(doc) == text.encode("utf-8")
    assert "Núñez".encode() in canonical_bytes(doc)


def test_ascii_only_escapes_every_non_ascii_character():
    doc = {"name": "Núñez", "clef": "𝄞"}
    raw = canonical_bytes(doc, ascii_only=True)
    assert raw == b'{"clef":"\\ud834\\udd1e","name":"N\\u00fa\\u00f1ez"}'
    assert raw.isascii()
    assert json.loads(raw) == doc
    assert canonical_bytes({"plain": "ascii"}, ascii_only=True) == canonical_bytes({"plain": "ascii"})


def test_round_trip_and_idempotent():
    doc = {"n": 1.5, "i": -3, "s": "é\u2028", "l": [None, False, {"k": "v"}], "e": {}}
    text = canonical_json(doc)
    assert json.loads(text) == doc
    assert canonical_json(json.loads(text)) == text


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_nan_and_infinity_are_refused(value):
    for encode in (canonical_json, canonical_bytes, lambda obj: canonical_bytes(obj, ascii_only=True)):
        with pytest.raises(ValueError):
            encode({"amount": [1, value]})
