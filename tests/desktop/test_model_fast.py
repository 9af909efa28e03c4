"""The fast validator (fastjsonschema) may only ever say *valid* where jsonschema says valid too.

``desktop.case.model.schema_errors`` trusts fastjsonschema's yes and asks jsonschema whenever it says
no, so the one thing that must never happen is a record fastjsonschema accepts and jsonschema
rejects. These tests feed both the reference case files, every ``$defs`` object in them, and
Hypothesis mutations of those (values replaced by other JSON types, odd strings, keys dropped or
added), and compare.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastjsonschema import JsonSchemaException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.case.model import fast_validator, schema_errors, validator
from desktop.paths import resource_path

# Built at import time (the tests are parametrized over them): Ana by path, the copy in tests/data.
ANA = Path(__file__).resolve().parents[1] / "data" / "case-ana.json"
CASES = [json.loads(ANA.read_text(encoding="utf-8"))] + [
    json.loads(resource_path("examples", name).read_text(encoding="utf-8"))
    for name in ("case-maria.json", "case-jose.json", "case-daniel.json")
]


def _parts(case: dict[str, Any]) -> list[tuple[str, Any]]:
    """(``$defs`` name, object) for every object of a case file, plus the whole file ('')."""
    out: list[tuple[str, Any]] = [("", case), ("client", case["client"])]
    if case.get("proceedings"):
        out.append(("proceedings", case["proceedings"]))
    out += [("event", e) for e in case.get("events", [])]
    out += [("family_member", f) for f in case.get("family", [])]
    out += [("foia_request", f) for f in case.get("foia_requests", [])]
    for allegation in case.get("allegations", []):
        out.append(("allegation", allegation))
        out += [("rebuttal", r) for r in allegation.get("rebuttal", [])]
    for visit in case.get("visits", []):
        out.append(("visit", visit))
        out += [("answer", a) for a in visit.get("answers", [])]
    if case.get("declaration"):
        out.append(("declaration", case["declaration"]))
        out += [("paragraph", p) for p in case["declaration"].get("paragraphs", [])]
    return out


PARTS = [part for case in CASES for part in _parts(case)]


def _fast_ok(instance: Any, ref: str) -> bool:
    try:
        fast_validator(ref)(instance)
    except JsonSchemaException:
        return False
    return True


def _slow_ok(instance: Any, ref: str) -> bool:
    return not list(validator(ref).iter_errors(instance))


def test_reference_objects_valid_for_both() -> None:
    assert len(PARTS) > 60
    for ref, obj in PARTS:
        assert _slow_ok(obj, ref), ref
        assert _fast_ok(obj, ref), ref
        assert schema_errors(obj, ref) == []


def test_known_invalid_values_refused_by_both_with_the_same_messages() -> None:
    event = next(obj for ref, obj in PARTS if ref == "event")
    for key, bad in [("date", "2024-13-45"), ("date", 20240101), ("category", "nonsense"), ("text", "plain")]:
        broken = {**event, key: bad}
        assert not _fast_ok(broken, "event")
        assert not _slow_ok(broken, "event")
        assert schema_errors(broken, "event"), (key, bad)
    client = next(obj for ref, obj in PARTS if ref == "client")
    for key, bad in [("a_number", "12"), ("country_of_birth", "Honduras"), ("unknown_key", 1)]:
        broken = {**client, key: bad}
        assert not _fast_ok(broken, "client") and not _slow_ok(broken, "client"), key
        errors = schema_errors(broken, "client")
        assert errors and all(e.field.startswith("$") for e in errors)


ODD_STRINGS = st.sampled_from(
    ["", " ", "US\n", "us", "2024-02-30", "2024-02-29", "1999?", "2024-21", "2024/2025", "..", "X" * 300,
     "A201-555-014", "201555014", "2026-02-24T10:00", "2026-02-24T25:00", "interview:", "paragraph:x",
     "es", "es-419", "ES", "a" * 64, "é", "\u2028", "0"]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False, width=16) | ODD_STRINGS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(ODD_STRINGS | st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_part(draw: Any) -> tuple[str, Any]:
    ref, obj = draw(st.sampled_from(PARTS))
    obj = copy.deepcopy(obj)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(obj) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = obj
        for step in path[:-1]:
            parent = parent[step]
        op = draw(st.sampled_from(["replace", "drop", "add"]))
        if op == "replace":
            parent[path[-1]] = draw(JSON_VALUES)
        elif op == "drop":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(ODD_STRINGS | st.text(max_size=6))] = draw(JSON_VALUES)
        else:
            parent.append(draw(JSON_VALUES))
    return ref, obj


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_part())
def test_fast_validator_never_accepts_what_jsonschema_refuses(part: tuple[str, Any]) -> None:
    ref, obj = part
    slow = _slow_ok(obj, ref)
    if _fast_ok(obj, ref):
        assert slow, (ref, obj)
    # Whatever the fast validator says, the answer given to callers is jsonschema's.
    assert (schema_errors(obj, ref) == []) == slow


@pytest.mark.parametrize("ref", ["client", "event", "answer", "paragraph", ""])
def test_fast_validator_does_not_change_the_instance(ref: str) -> None:
    obj = next(o for r, o in PARTS if r == ref)
    before = copy.deepcopy(obj)
    schema_errors(obj, ref)
    assert obj == before
