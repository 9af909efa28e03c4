"""Mutated case files and sync files: only a DeclaraError with a clear message, and nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.vault import keyheader as kh
from desktop import sync
from desktop.case.casefile import import_case, parse_case_bytes
from desktop.errors import DeclaraError
from desktop.case.store import CaseStore
from desktop.vault.database import create_vault

# Read at import time (the strategies are built from it): by path, the copy in tests/data.
ANA = (Path(__file__).resolve().parents[1] / "data" / "case-ana.json").read_bytes()
FAST = settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def _assert_clear(exc: DeclaraError) -> None:
    text = str(exc)
    assert text.strip(), type(exc)
    assert "Traceback" not in text and 'File "' not in text, text


# -- byte mutations shared by both file kinds -----------------------------------------------------
@st.composite
def mutated(draw, original: bytes) -> bytes:
    raw = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "append", "splice", "delete"]))
        if not raw:
            raw += draw(st.binary(min_size=1, max_size=8))
            continue
        i = draw(st.integers(0, len(raw) - 1))
        if op == "flip":
            raw[i] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del raw[i:]
        elif op == "insert":
            raw[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif op == "append":
            raw += draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del raw[i : i + draw(st.integers(1, 64))]
        else:  # splice: a chunk of the file copied over another place
            j = draw(st.integers(0, len(raw) - 1))
            n = draw(st.integers(1, 256))
            raw[i : i + n] = raw[j : j + n]
    return bytes(raw)


# -- case files ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def case_store(tmp_path_factory, passphrase):
    vault = create_vault(tmp_path_factory.mktemp("mut") / "v.declara", passphrase, kh.unsafe_test_policy())
    yield CaseStore(vault)
    vault.close()


def _feed_case(store: CaseStore, raw: bytes) -> None:
    before = store.snapshot()
    try:
        doc = parse_case_bytes(raw)
        # allow_duplicate: an earlier accepted mutation must not turn every later one into the
        # duplicate-A-number refusal, hiding the problem this one would have met.
        cid = import_case(store, doc, allow_duplicate=True)
    except DeclaraError as exc:
        _assert_clear(exc)
        assert store.snapshot() == before
    else:  # accepted (e.g. a flip inside a name): then the import is whole
        assert store.get(cid).kind == "client"
        assert len(store.snapshot()) > len(before)


@FAST
@given(raw=mutated(ANA))
def test_mutated_case_bytes_are_refused_cleanly(case_store, raw):
    _feed_case(case_store, raw)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


ANA_DOC = json.loads(ANA)
ANA_PATHS = [p for p in _paths(ANA_DOC) if p]


def _replace(doc, path, value):
    doc = json.loads(json.dumps(doc))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


@FAST
@given(data=st.data())
def test_json_values_of_the_wrong_type_are_refused_cleanly(case_store, data):
    doc = ANA_DOC
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths))
        doc = _replace(doc, path, data.draw(JSON_VALUES))
    _feed_case(case_store, json.dumps(doc).encode())
    # Structurally valid JSON may also reach import_case directly (as the UI and CLI call it).
    before = case_store.snapshot()
    try:
        cid = import_case(case_store, doc, allow_duplicate=True)
    except DeclaraError as exc:
        _assert_clear(exc)
        assert case_store.snapshot() == before
    else:
        assert case_store.get(cid).kind == "client"


# -- sync files ------------------------------------------------------------------------------------
def _tables(vault) -> tuple:
    return tuple(
        list(vault.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))
        for table in ("sync_conflicts", "sync_applied", "sync_state", "sync_peers")
    )


@pytest.fixture(scope="module")
def sync_pair(tmp_path_factory, passphrase):
    root = tmp_path_factory.mktemp("syncmut")
    office = CaseStore(create_vault(root / "office", passphrase, kh.unsafe_test_policy()))
    laptop = CaseStore(create_vault(root / "laptop", passphrase, kh.unsafe_test_policy()))
    sync.make_office(office.vault, name="Office")
    sync.identity(laptop.vault, name="Laptop")
    sync.trust(office.vault, sync.parse_card(json.dumps(sync.identity(laptop.vault).card()).encode()))
    sync.trust(laptop.vault, sync.parse_card(json.dumps(sync.identity(office.vault).card()).encode()))
    import_case(laptop, parse_case_bytes(ANA))
    data = sync.export_sync(laptop.vault, sync.identity(office.vault).device_id).data
    yield office, data
    office.vault.close()
    laptop.vault.close()


def test_the_unmutated_sync_file_is_valid(tmp_path, passphrase):
    # Sanity for the fixture (in a vault of its own so the mutation tests start from an empty office).
    root = tmp_path
    office = CaseStore(create_vault(root / "o", passphrase, kh.unsafe_test_policy()))
    laptop = CaseStore(create_vault(root / "l", passphrase, kh.unsafe_test_policy()))
    sync.make_office(office.vault, name="Office")
    sync.trust(office.vault, sync.parse_card(json.dumps(sync.identity(laptop.vault).card()).encode()))
    sync.trust(laptop.vault, sync.parse_card(json.dumps(sync.identity(office.vault).card()).encode()))
    import_case(laptop, parse_case_bytes(ANA))
    data = sync.export_sync(laptop.vault, sync.identity(office.vault).device_id).data
    assert sync.import_sync(office.vault, data, backup=False).added > 0
    office.vault.close()
    laptop.vault.close()


@FAST
@given(data=st.data())
def test_mutated_sync_files_are_refused_cleanly(sync_pair, data):
    office, original = sync_pair
    raw = data.draw(mutated(original))
    if raw == original:
        return
    before = (office.snapshot(), _tables(office.vault))
    with pytest.raises(DeclaraError) as err:
        sync.import_sync(office.vault, raw, backup=False)
    _assert_clear(err.value)
    assert (office.snapshot(), _tables(office.vault)) == before
