"""Case files: the reference example, the demo files, round trips and refusals."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from desktop.case.casefile import (
    export_case,
    import_case,
    import_case_file,
    parse_case_bytes,
    read_case_file,
    validate_case,
)
from desktop.demo import demo_case_paths
from desktop.errors import CaseFileError
from desktop.case.store import CaseStore
from desktop.vault.database import create_vault



def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_reference_example_imports_unchanged_and_exports_identically(store, ana_path):
    original = load(ana_path)
    client_id = import_case_file(store, ana_path)
    assert store.count("event") == 11 and store.count("paragraph") == 10
    assert store.get(client_id).data["a_number"] == "201555014"
    assert export_case(store, "A 201-555-014") == original


def test_round_trip_import_export_import_is_lossless(store, ana_path, tmp_path, policy, passphrase):
    import_case_file(store, ana_path)
    first = export_case(store, "201555014")
    with create_vault(tmp_path / "second", passphrase, policy) as other:
        second_store = CaseStore(other)
        import_case(second_store, copy.deepcopy(first))
        second = export_case(second_store, "201555014")
    assert second == first


def test_the_courts_place_and_judge_round_trip(store, ana_path):
    """court_city, court_state and judge (issue 14) are optional: old files import, new ones keep them."""
    doc = load(ana_path)
    assert not {"court_city", "court_state", "judge"} & set(doc["proceedings"])
    doc["proceedings"].update(court_city="Chaparral", court_state="NM", judge="Jane Q. Roe")
    assert validate_case(doc) == []
    import_case(store, copy.deepcopy(doc))
    assert export_case(store, "A 201-555-014") == doc
    doc["proceedings"]["judge"] = 7
    assert validate_case(doc)


@pytest.mark.parametrize("path", demo_case_paths(), ids=lambda p: p.name)
def test_demo_case_files_are_valid_and_round_trip(store, path):
    doc = read_case_file(path)
    import_case(store, doc)
    token = doc["client"].get("a_number") or store.clients()[0].id
    assert export_case(store, token) == doc
    languages = {lang for e in doc["events"] for lang in e["text"]}
    assert {"en", "es"} <= languages


def test_paragraph_event_links_survive_as_uuids(store, ana_path):
    client_id = import_case_file(store, ana_path)
    events = {e.ref: e.id for e in store.children(client_id, "event")}
    paragraphs = store.children(client_id, "paragraph")
    assert paragraphs[0].data["events"] == [events["ev-birth"]]
    assert paragraphs[8].data["events"] == [events["ev-arrival"], events["ev-separation"]]


def test_duplicate_a_number_is_refused(store, ana_path):
    import_case_file(store, ana_path)
    before = store.snapshot()
    with pytest.raises(CaseFileError) as err:
        import_case_file(store, ana_path)
    assert "A 201-555-014" in str(err.value)
    assert store.snapshot() == before


def _mutations():
    def unknown_key(d):
        d["client"]["nickname"] = "x"

    def missing_key(d):
        del d["client"]["given_names"]

    def wrong_type(d):
        d["events"][0]["text"] = "Ana is born."

    def bad_date(d):
        d["events"][2]["date"] = "2021-13"

    def bad_a_number(d):
        d["family"][0]["a_number"] = "A 201-555"

    def dangling(d):
        d["declaration"]["paragraphs"][3]["events"] = ["ev-nowhere"]

    def bad_vocab(d):
        d["allegations"][0]["source_program"] = "rumour"

    def duplicate_id(d):
        d["events"][1]["id"] = "ev-birth"

    def bad_country(d):
        d["client"]["nationalities"] = ["Salvadoran"]

    def bad_source(d):
        d["events"][0]["sources"] = ["paragraph:99"]

    return [
        (unknown_key, "$.client.nickname", "Unknown key"),
        (missing_key, "$.client", "given_names"),
        (wrong_type, "$.events[0].text", "Expected"),
        (bad_date, "$.events[2].date", "2021-13"),
        (bad_a_number, "$.family[0].a_number", "A-number"),
        (dangling, "$.declaration.paragraphs[3].events[0]", "ev-nowhere"),
        (bad_vocab, "$.allegations[0].source_program", "rumour"),
        (duplicate_id, "$.events[1].id", "ev-birth"),
        (bad_country, "$.client.nationalities[0]", "country code"),
        (bad_source, "$.events[0].sources[0]", "paragraph 99"),
    ]


@pytest.mark.parametrize("mutate, path, fragment", _mutations(), ids=lambda x: getattr(x, "__name__", str(x)))
def test_bad_case_file_names_the_path_and_writes_nothing(store, ana_path, tmp_path, mutate, path, fragment):
    doc = load(ana_path)
    mutate(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    before = store.snapshot()
    with pytest.raises(CaseFileError) as err:
        import_case_file(store, bad)
    problems = {(p.field, p.message()) for p in err.value.problems}
    assert any(field == path and fragment in msg for field, msg in problems), problems
    assert path in str(err.value) and "nothing was imported" in str(err.value)
    assert store.snapshot() == before


def test_every_problem_is_reported_at_once(ana_path):
    doc = load(ana_path)
    doc["client"]["nickname"] = "x"
    doc["events"][0]["date"] = "someday"
    doc["visits"][0]["mode"] = "carrier pigeon"
    fields = {p.field for p in validate_case(doc)}
    assert {"$.client.nickname", "$.events[0].date", "$.visits[0].mode"} <= fields


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"[]", "JSON object"),
        (b'{"format": "something-else", "version": 1}', "not a Declara case file"),
        (b'{"format": "declara-case", "version": 7, "client": {}}', "version 7"),
        (b'{"format": "declara-case", "format": "declara-case", "version": 1}', "twice"),
        (b"[" * 100000 + b"]" * 100000, "nested"),
    ],
)
def test_unreadable_files_get_one_clear_message(raw, fragment):
    with pytest.raises(CaseFileError) as err:
        parse_case_bytes(raw)
    assert fragment in str(err.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(CaseFileError):
        read_case_file(tmp_path / "nope.json")
    with pytest.raises(CaseFileError):
        read_case_file(tmp_path)


def test_minimal_case_file_imports(store):
    doc = {"format": "declara-case", "version": 1, "client": {"given_names": "Solo"}}
    client_id = import_case(store, doc)
    exported = export_case(store, client_id)
    assert exported["client"] == {"given_names": "Solo"}
    assert exported["events"] == [] and exported["declaration"] is None
    assert validate_case(exported) == []


# -- relief: keys in the vault, the version-1 phrase in files -----------------------------------------
CAT = "protection under the Convention Against Torture"
ALL_RELIEF = f"asylum, withholding of removal and {CAT}"


def _declaration(store: CaseStore, client_id: str) -> dict:
    return store.children(client_id, "declaration")[-1].data


def test_the_files_phrase_is_stored_as_relief_keys(store, ana_path):
    client_id = import_case_file(store, ana_path)
    stored = _declaration(store, client_id)
    assert stored["relief"] == ["asylum", "withholding", "cat"] and stored["in_support_of"] is None
    assert export_case(store, client_id)["declaration"]["in_support_of"] == ALL_RELIEF
    assert "relief" not in export_case(store, client_id)["declaration"]


@pytest.mark.parametrize(
    ("written", "relief", "typed"),
    [
        ("withholding of removal and Asylum", ["withholding", "asylum"], None),  # its order, any case
        ("a motion to reopen", [], "a motion to reopen"),  # not relief: kept as typed
        ("asylum and a motion to reopen", [], "asylum and a motion to reopen"),  # not only relief
        ("asylum and asylum", [], "asylum and asylum"),  # keys cannot say it twice
        ("", [], ""),
        (None, [], None),
    ],
)
def test_an_older_phrase_becomes_keys_only_when_it_only_names_relief(store, written, relief, typed):
    doc = {
        "format": "declara-case",
        "version": 1,
        "client": {"given_names": "Solo"},
        "declaration": {"drafted_in": "en", "in_support_of": written},
    }
    client_id = import_case(store, doc)
    stored = _declaration(store, client_id)
    assert stored["relief"] == relief and stored["in_support_of"] == typed


@pytest.mark.parametrize(
    ("relief", "typed", "written"),
    [
        (["asylum", "withholding", "cat"], None, {"in_support_of": ALL_RELIEF}),
        (["cat", "asylum"], None, {"in_support_of": f"{CAT} and asylum"}),  # in its order
        ([], "a motion to reopen", {"in_support_of": "a motion to reopen"}),
        ([], None, {"in_support_of": None}),
        # A purpose typed beside the keys, or typed words that name relief: written as stored.
        (["asylum"], "a motion to reopen", {"relief": ["asylum"], "in_support_of": "a motion to reopen"}),
        ([], "asylum", {"relief": [], "in_support_of": "asylum"}),
    ],
)  # fmt: skip
def test_export_writes_the_version_1_phrase_when_it_reads_back_the_same(
    store, tmp_path, policy, passphrase, relief, typed, written
):
    doc = {"format": "declara-case", "version": 1, "client": {"given_names": "Solo"}}
    client_id = import_case(store, doc)
    store.create("declaration", {"relief": relief, "in_support_of": typed}, client_id=client_id)
    first = export_case(store, client_id)
    assert first["declaration"] == {**written, "paragraphs": []}
    assert validate_case(first) == []
    with create_vault(tmp_path / "second", passphrase, policy) as other:
        second_store = CaseStore(other)
        second_id = import_case(second_store, copy.deepcopy(first))
        assert _declaration(second_store, second_id) == {"relief": relief, "in_support_of": typed}
        assert export_case(second_store, second_id) == first


def test_signed_versions_keep_their_fields_through_import_and_export(
    store, ana_path, tmp_path, policy, passphrase
):
    """Signed with the older phrase, or with keys: written and read back exactly as signed."""
    from desktop.drafting.declarations import DeclarationService

    older = load(ana_path)
    older["declaration"].update(status="signed", signed_on="2024-07-20", version=1)
    client_id = import_case(store, older)
    assert _declaration(store, client_id)["in_support_of"] == ALL_RELIEF  # not converted
    assert "relief" not in _declaration(store, client_id)
    service = DeclarationService(store)
    service.set_field(client_id, "place_of_signing.city", "Dilley")  # version 2, a draft: keys
    signed = service.sign(client_id)
    assert signed.record.data["relief"] == ["asylum", "withholding", "cat"]
    first = export_case(store, client_id)
    assert first["declaration"]["relief"] == ["asylum", "withholding", "cat"]
    assert first["declaration"]["sha256"] == signed.record.data["sha256"]
    with create_vault(tmp_path / "second", passphrase, policy) as other:
        second_store = CaseStore(other)
        second_id = import_case(second_store, copy.deepcopy(first))
        second = DeclarationService(second_store)
        assert second.verify(second.current(second_id))
        assert export_case(second_store, second_id) == first


def test_the_normalisation_of_every_write_leaves_signed_versions_alone():
    """Store writes and sync imports share it: an older draft gets keys, a signed version does not."""
    from desktop.case.store import normalise_record

    draft, _lo, _hi = normalise_record("declaration", {"in_support_of": ALL_RELIEF, "status": "draft"})
    assert draft == {"in_support_of": None, "relief": ["asylum", "withholding", "cat"], "status": "draft"}
    fields = {"in_support_of": ALL_RELIEF, "status": "signed", "sha256": "a" * 64}
    assert normalise_record("declaration", fields)[0] == fields
    kept = {"relief": [], "in_support_of": "asylum"}  # already keys: typed words stay typed
    assert normalise_record("declaration", kept)[0] == kept


def test_declaration_relief_is_the_schemas_and_part_of_the_relief_vocabulary():
    from desktop.case.model import DECLARATION_RELIEF, VOCABULARIES, case_schema

    enum = case_schema()["$defs"]["declaration"]["properties"]["relief"]["items"]["enum"]
    assert enum == list(DECLARATION_RELIEF) == list(VOCABULARIES["declaration_relief"])
    assert set(DECLARATION_RELIEF) <= set(VOCABULARIES["relief"])
    relief_sought = case_schema()["$defs"]["proceedings"]["properties"]["relief_sought"]["items"]["enum"]
    assert relief_sought == list(VOCABULARIES["relief"])


# -- seasons: an older file's season codes are imported as months ------------------------------------
def _old_file(ana_path: Path) -> dict:
    """Ana's file as an older Declara wrote it: EDTF season codes in dates of every kind."""
    doc = load(ana_path)
    doc["client"]["date_of_birth"] = "1994-22"
    doc["proceedings"]["asylum_filed_on"] = "2024-23"
    doc["events"][0]["date"] = "2009-24"
    doc["events"][1]["date"] = "2010-21/2011"
    doc["events"][1]["date_said"] = {"text": "primavera de 2010", "lang": "es", "seasons": "northern"}
    doc["family"][0]["date_of_birth"] = "2016-23"
    doc["visits"] = [
        {
            "date": "2026-11-02",
            "seasons": "auto",
            "answers": [
                {"question": "harm.when", "language": "es", "text": "verano de 2018", "value": "2018-22"},
                {"question": "harm.when", "language": "es", "text": "", "value": "2019-21"},
            ],
        }
    ]
    return doc


def test_an_older_files_season_codes_are_stored_as_months(store, ana_path):
    doc = _old_file(ana_path)
    sent = copy.deepcopy(doc)
    client_id = import_case(store, doc)
    assert doc == sent  # the caller's copy is not changed
    client = store.get(client_id).data
    assert client["date_of_birth"] == "1994-06/1994-08"
    assert client["proceedings"]["asylum_filed_on"] == "2024-09/2024-11"
    events = store.children(client_id, "event")
    first = next(e for e in events if e.ref == doc["events"][0]["id"])
    second = next(e for e in events if e.ref == doc["events"][1]["id"])
    assert first.data["date"] == "2009-12/2010-02"
    assert first.data["date_said"] == {"text": "2009-24", "lang": "en", "seasons": "northern"}
    assert second.data["date"] == "2010-03/2011"
    assert second.data["date_said"] == doc["events"][1]["date_said"]  # kept as the file said it
    assert store.children(client_id, "family_member")[0].data["date_of_birth"] == "2016-09/2016-11"
    (visit,) = store.children(client_id, "visit")
    assert visit.data["seasons"] == "auto"
    told, blank = (a.data for a in store.children(client_id, "answer", visit.id))
    # Ana was born in El Salvador: "verano de 2018" is read again as the dry season.
    assert (told["value"], told["seasons"]) == ("2017-11/2018-04", "central_america")
    assert (blank["value"], blank["seasons"]) == ("2019-03/2019-05", "northern")
    exported = export_case(store, client_id)
    codes = [e.pop("date_said")["text"] for e in exported["events"] if "date_said" in e]
    assert codes == ["2009-24", "primavera de 2010"]  # the old code is kept only as said
    assert not re.search(r'"\d{4}-2[1-4]["/]|/\d{4}-2[1-4]"', json.dumps(exported))


def test_the_new_fields_round_trip(store, ana_path):
    doc = load(ana_path)
    said = {"text": "invierno de 2019", "lang": "es", "seasons": "central_america"}
    doc["events"][0]["date"] = "2019-05/2019-10"
    doc["events"][0]["date_said"] = said
    doc["visits"] = [
        {
            "date": "2026-11-02",
            "seasons": "central_america",
            "answers": [
                {"question": "harm.when", "language": "es", "text": "invierno de 2019",
                 "value": "2019-05/2019-10", "seasons": "central_america"},
            ],
        }
    ]
    client_id = import_case(store, copy.deepcopy(doc))
    exported = export_case(store, client_id)
    (first,) = [e for e in exported["events"] if e["id"] == doc["events"][0]["id"]]
    assert first["date_said"] == said and first["date"] == "2019-05/2019-10"
    assert exported["visits"][0]["seasons"] == "central_america"
    assert exported["visits"][0]["answers"][0]["seasons"] == "central_america"
    assert validate_case(exported) == []


def test_a_file_with_a_bad_date_said_is_refused(store, ana_path):
    doc = load(ana_path)
    doc["events"][2]["date_said"] = {"text": "z" * 201, "lang": "es"}
    doc["visits"] = [{"date": "2026-11-02", "seasons": "tropical"}]
    fields = {p.field for p in validate_case(doc)}
    assert fields == {"$.events[2].date_said.text", "$.visits[0].seasons"}
    with pytest.raises(CaseFileError):
        import_case(store, doc)
    assert store.count("client") == 0
