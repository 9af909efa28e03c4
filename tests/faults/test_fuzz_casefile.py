"""Fuzzing case files (issue 18): 2,000 hostile variants of a valid case file are validated and, when
valid, imported. Each is accepted or refused with a DeclaraError; what validation accepts, the
store accepts too (``case validate`` never says "valid" of a file that import refuses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

from desktop.case.casefile import import_case, parse_case_bytes, validate_case
from desktop.case.store import CaseStore
from desktop.errors import CaseFileError, DeclaraError, ValidationError
from desktop.vault import keyheader as kh
from desktop.vault.database import create_vault
from tests.faults.hostile import FUZZ, assert_clear, hostile_json, mutated_doc

ANA = json.loads((Path(__file__).resolve().parents[1] / "data" / "case-ana.json").read_bytes())


def _small(doc: dict) -> dict:
    """The reference file with one item in each list: every kind of record, cheap to import."""
    out = {}
    for key, value in doc.items():
        if isinstance(value, list):
            value = value[:1]
        out[key] = value
    declaration = out.get("declaration")
    if isinstance(declaration, dict):
        declaration = dict(declaration, paragraphs=declaration.get("paragraphs", [])[:1])
        for para in declaration["paragraphs"]:
            para["events"] = [e for e in para.get("events", []) if e == out["events"][0]["id"]]
        out["declaration"] = declaration
    for event in out.get("events", []):
        event["sources"] = [s for s in event.get("sources", []) if not s.startswith("paragraph:")]
    for visit in out.get("visits", []):
        visit["answers"] = visit.get("answers", [])[:2]
    return out


BASE = _small(ANA)


@pytest.fixture(scope="module")
def store(tmp_path_factory, passphrase):
    vault = create_vault(tmp_path_factory.mktemp("fuzz") / "v", passphrase, kh.unsafe_test_policy())
    yield CaseStore(vault)
    vault.close()


def test_the_base_file_is_valid():
    assert validate_case(BASE) == []


def _check(store: CaseStore, raw: bytes) -> None:
    try:
        doc = parse_case_bytes(raw)
    except DeclaraError as exc:
        assert isinstance(exc, CaseFileError), type(exc)
        assert_clear(exc)
        return
    try:
        import_case(store, doc, allow_duplicate=True)
    except ValidationError as exc:  # the store refused what validation accepted
        pytest.fail(f"validated, then refused by the store: {exc.field}: {exc.message()}")
    except DeclaraError as exc:
        assert_clear(exc)


@FUZZ
@given(raw=hostile_json(BASE))
def test_hostile_case_files_are_accepted_or_refused_cleanly(store, raw):
    _check(store, raw)


@FUZZ
@given(doc=mutated_doc(BASE, steps=2))
def test_hostile_documents_given_to_import_directly(store, doc):
    # The window imports a document it has read; a dict with a lone surrogate or 2**70 in it must
    # be refused by import_case itself, never reach SQLite.
    before = store.conn.execute("SELECT count(*) FROM records").fetchone()[0]
    try:
        import_case(store, doc, allow_duplicate=True)
    except ValidationError as exc:
        if validate_case(doc) == []:
            pytest.fail(f"validated, then refused by the store: {exc.field}: {exc.message()}")
    except DeclaraError as exc:
        assert_clear(exc)
        assert store.conn.execute("SELECT count(*) FROM records").fetchone()[0] == before
