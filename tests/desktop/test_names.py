"""How names are shown (desktop.case.names): the parts as written, a missing part left out."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from desktop.case.names import display_name, join_name, sorted_name


def test_display_name_is_given_then_family():
    client = {"given_names": "Ana Lucía", "family_names": "Pérez Gómez", "a_number": "201555014"}
    assert display_name(client) == "Ana Lucía Pérez Gómez"


def test_display_name_takes_any_mapping():
    assert display_name(MappingProxyType({"given_names": "Mateo", "family_names": "Pérez"})) == "Mateo Pérez"


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ({"given_names": "Ana Lucía"}, "Ana Lucía"),
        ({"given_names": "Ana Lucía", "family_names": None}, "Ana Lucía"),
        ({"given_names": "Ana Lucía", "family_names": ""}, "Ana Lucía"),
        ({"family_names": "Pérez Gómez"}, "Pérez Gómez"),
        ({"given_names": None, "family_names": "Pérez Gómez"}, "Pérez Gómez"),
        ({}, ""),
        ({"given_names": "", "family_names": None}, ""),
    ],
)
def test_a_missing_part_is_left_out(data, shown):
    assert display_name(data) == shown


def test_parts_are_never_split_or_recased():
    client = {"given_names": "josé ángel", "family_names": "de la CRUZ"}
    assert display_name(client) == "josé ángel de la CRUZ"
    assert sorted_name("josé ángel", "de la CRUZ") == "de la CRUZ, josé ángel"


@pytest.mark.parametrize(
    ("given", "family", "joined"),
    [
        ("Daniel", "Ramos Vega", "Daniel Ramos Vega"),
        ("Daniel", None, "Daniel"),
        (None, "Ramos Vega", "Ramos Vega"),
        ("", "Ramos Vega", "Ramos Vega"),
        (None, None, ""),
    ],
)
def test_join_name(given, family, joined):
    assert join_name(given, family) == joined


@pytest.mark.parametrize(
    ("given", "family", "listed"),
    [
        ("María José", "Hernández López", "Hernández López, María José"),
        ("María José", None, "María José"),
        ("María José", "", "María José"),
        (None, "Hernández López", "Hernández López"),
        ("", "Hernández López", "Hernández López"),
        (None, None, ""),
    ],
)
def test_sorted_name_is_family_comma_given(given, family, listed):
    assert sorted_name(given, family) == listed


def test_sorting_by_sorted_name_sorts_by_family_name():
    people = [("Ana", "Zelaya"), ("Zoe", "Aguilar"), ("Mateo", "Pérez")]
    assert [g for g, f in sorted(people, key=lambda p: sorted_name(*p))] == ["Zoe", "Mateo", "Ana"]
