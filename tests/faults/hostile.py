"""Hypothesis strategies of hostile input, shared by the fuzz tests (tests/faults/test_fuzz_*.py).

A valid JSON document is mutated where it matters: a value or a key at a random path is replaced
by text with lone surrogates, NUL, C0/C1 controls, text-direction overrides or line breaks, by a
value of the wrong type, an integer past 2**53 or 2**63, 5,000 digits, NaN or 1e999, or by nesting
thousands of levels deep; then it is written as JSON (ASCII-escaped or raw, sometimes as CESU-8
bytes that are not UTF-8) and sometimes cut short, spliced or flipped. The property of every fuzz
test is the one the issue promises: the code accepts the input or raises a DeclaraError (exit 1 and
one message), never another exception.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from desktop.errors import DeclaraError

#: At least 2,000 examples per fuzz test (issue 18, "Done when").
FUZZ = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# Characters that have broken Declara, and ordinary ones beside them.
SPECIAL = [
    "\x00", "\x01", "\x07", "\x1b", "\x1f", "\x7f", "\x85", "\x9f",  # C0, DEL, C1
    "\ud800", "\udbff", "\udc00", "\udfff",  # lone surrogates
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\t", "\n", "\r", "\u2028", "\u2029", "\ufeff", "\u200f", "\u00a0",
    "ñ", "é", "¿", "“", "—", "😀", '"', "\\", "/", "[", "{",
]  # fmt: skip

hostile_text = st.one_of(
    st.lists(st.sampled_from(SPECIAL) | st.characters(), min_size=0, max_size=12).map("".join),
    st.sampled_from(SPECIAL),
    st.sampled_from(["N" * 201, "x" * 5000, "", " ", "0" * 30, "2024-02-31", "age1" + "q" * 58]),
)

HUGE_INTS = [2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, 2**63, 2**64, 2**70, -(2**70), 10**20, 10**25]

# Raw JSON that json.dumps cannot write: put in as a marker string, swapped in the text afterwards.
_RAW = re.compile(r'"@@RAW(\d+)@@"')
RAW_VALUES = [
    "9" * 5000,
    "-" + "9" * 5000,
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "1" + "0" * 400 + ".5",
    "[" * 33 + "]" * 33,
    "[" * 30000 + "]" * 30000,
    '{"a":' * 5000 + "1" + "}" * 5000,
    "[" * 3000 + "{" * 3000 + "}" * 3000 + "]" * 3000,
]


def _raw(index: int) -> str:
    return f"@@RAW{index}@@"


hostile_value = st.one_of(
    hostile_text,
    st.sampled_from(HUGE_INTS),
    st.integers(),
    st.sampled_from(range(len(RAW_VALUES))).map(_raw),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.builds(list),
    st.builds(dict),
    st.lists(hostile_text, max_size=3),
    st.dictionaries(hostile_text, hostile_text, max_size=2),
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into ``node`` (keys and indexes), its own root included."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += paths(value, (*prefix, i))
    return out


def _copy(doc: Any) -> Any:
    return json.loads(json.dumps(doc))


@st.composite
def mutated_doc(draw, doc: Any, *, values=hostile_value, steps: int = 3) -> Any:
    """``doc`` (a parsed JSON document) with 1 to ``steps`` structured mutations."""
    doc = _copy(doc)
    for _ in range(draw(st.integers(1, steps))):
        where = draw(st.sampled_from(paths(doc)))
        op = draw(st.sampled_from(["replace", "replace", "replace", "add", "rename", "delete"]))
        if not where:
            if op == "replace":
                doc = draw(values)
            continue
        parent = doc
        for part in where[:-1]:
            parent = parent[part]
        last = where[-1]
        if op == "replace":
            parent[last] = draw(values)
        elif op == "delete":
            del parent[last]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(hostile_text)] = draw(values)
        elif op == "add":
            parent.insert(last, draw(values))
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(hostile_text)] = parent.pop(last)
    return doc


def dumps(doc: Any, *, ascii_only: bool) -> bytes:
    """JSON bytes of ``doc``, its raw markers swapped in; lone surrogates written as CESU-8 (not
    UTF-8) when not escaped."""
    text = json.dumps(doc, ensure_ascii=ascii_only)
    text = _RAW.sub(lambda m: RAW_VALUES[int(m.group(1))], text)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def byte_mutated(draw, raw: bytes) -> bytes:
    """``raw`` cut short, flipped, spliced or with bytes inserted (1 to 3 times)."""
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            data += draw(st.binary(min_size=1, max_size=8))
            continue
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "splice"]))
        if op == "flip":
            data[i] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[i:]
        elif op == "insert":
            data[i:i] = draw(
                st.binary(min_size=1, max_size=16) | st.sampled_from([b"\x00", b"\xed\xa0\x80", b"["])
            )
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 32))]
        else:
            j = draw(st.integers(0, len(data) - 1))
            data[i : i + 64] = data[j : j + 64]
    return bytes(data)


#: Byte mutations drawn without looking at the bytes (for input that changes from run to run, such
#: as an encrypted file): (operation, where as a fraction, where from, a byte, bytes to insert).
byte_ops = st.lists(
    st.tuples(
        st.sampled_from(["flip", "truncate", "insert", "delete", "splice"]),
        st.floats(0, 1, exclude_max=True),
        st.floats(0, 1, exclude_max=True),
        st.integers(1, 255),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=3,
)


def apply_ops(raw: bytes, ops: list) -> bytes:
    """``raw`` changed by :data:`byte_ops`."""
    data = bytearray(raw)
    for op, where, source, byte, inserted in ops:
        if not data:
            data += inserted
            continue
        i, j = int(where * len(data)), int(source * len(data))
        if op == "flip":
            data[i] ^= byte
        elif op == "truncate":
            del data[i:]
        elif op == "insert":
            data[i:i] = inserted
        elif op == "delete":
            del data[i : i + byte]
        else:
            data[i : i + 64] = data[j : j + 64]
    return bytes(data)


@st.composite
def hostile_json(draw, doc: Any, *, values=hostile_value) -> bytes:
    """Bytes that started as ``doc``: mutated as a document, as bytes, both, or random bytes."""
    how = draw(st.sampled_from(["doc", "doc", "doc", "doc+bytes", "bytes", "random"]))
    if how == "random":
        return draw(st.binary(max_size=300))
    if how == "bytes":
        return draw(byte_mutated(dumps(doc, ascii_only=draw(st.booleans()))))
    raw = dumps(draw(mutated_doc(doc, values=values)), ascii_only=draw(st.booleans()))
    return draw(byte_mutated(raw)) if how == "doc+bytes" else raw


def assert_clear(exc: DeclaraError) -> None:
    """A refusal the user can read: one message, no traceback, no Python repr."""
    text = exc.message()
    assert text.strip(), type(exc)
    assert "Traceback" not in text and 'File "' not in text, text
