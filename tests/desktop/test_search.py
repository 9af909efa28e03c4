"""Accent- and case-insensitive client search over names, aliases and A-number digits."""

import pytest

from desktop.case.search import fold, fts_query


@pytest.fixture
def people(store):
    rows = [
        ("José Ángel", "Martínez Núñez", ["Chepe"], "205555041"),
        ("Jose", "Perez", [], "012345678"),
        ("Ana Lucía", "Pérez Gómez", ["Lucy Pérez"], "201555014"),
        ("María Tomasa", "Calel Tzoc", [], None),
        ("Daniel", "Castillo Reyes", [], "203555021"),
    ]
    ids = {}
    for given, family, aliases, anum in rows:
        data = {"given_names": given, "family_names": family, "aliases": aliases}
        if anum:
            data["a_number"] = anum
        ids[given] = store.create("client", data).id
    return ids


def test_fold():
    assert fold("Núñez ÁVILA Ñandú") == "nunez avila nandu"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("jose", {"José Ángel", "Jose"}),
        ("JOSÉ", {"José Ángel", "Jose"}),
        ("perez", {"Jose", "Ana Lucía"}),
        ("pérez ana", {"Ana Lucía"}),
        ("lucy", {"Ana Lucía"}),  # alias
        ("chepe", {"José Ángel"}),
        ("nunez", {"José Ángel"}),
        ("mar", {"José Ángel", "María Tomasa"}),  # prefix of Martínez and María
        ("555-014", {"Ana Lucía"}),
        ("A 201-555", {"Ana Lucía"}),
        ("555", {"José Ángel", "Ana Lucía", "Daniel"}),  # digits inside the number
        ("012345678", {"Jose"}),
        ("tzoc calel", {"María Tomasa"}),
        ("nobody", set()),
    ],
)
def test_search(store, people, query, expected):
    found = set(store.search(query))
    assert found == {people[name] for name in expected}


def test_search_follows_edits_and_deletions(store, people):
    jose = people["José Ángel"]
    store.set_field(jose, "family_names", "Quiñónez")
    assert jose not in store.search("martinez")
    assert jose in store.search("quinonez")
    store.delete(jose)
    assert jose not in store.search("jose")
    store.undelete(jose)
    assert jose in store.search("jose")


@pytest.mark.parametrize(
    "query", ['"', "*", "AND", "NEAR(", "-", "  ", "name:x", "'; DROP TABLE records; --"]
)
def test_hostile_queries_do_not_break(store, people, query):
    store.search(query)  # must not raise
    assert store.count("client") == 5


def test_fts_query_shape():
    assert fts_query("") is None
    assert fts_query("José P") == '"jose"* AND "p"*'
    assert fts_query("A 201-555") == 'numbers : "201555"*'
