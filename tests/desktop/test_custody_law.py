"""The legal facts behind the custody record (issue 22): every authority and point with a source,
a day and a status; every field office the ICE facility list names is known; a damaged table is
refused naming the fact; docs/custody.md lists every point no source confirmed."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from desktop.custody import law
from desktop.errors import ValidationError
from desktop.paths import resource_path


def test_every_fact_has_a_source_and_the_day_it_was_checked():
    facts = [f for a in law.authorities().values() for f in a.facts.values()] + list(law.points().values())
    offices = {id(o): o for o in law.field_offices().values()}.values()
    facts += [f for o in offices for f in o.facts.values()]
    assert len(facts) >= 100
    assert all(f.source and f.checked_on == dt.date(2026, 12, 7) for f in facts)
    assert law.authorities()["235b2A"].facts["bond_hearing"].text("en") == "contested"  # unsettled
    assert "Yajure Hurtado" in law.points()["yajure_hurtado"].text("en")
    assert all(a.plain("es") and a.plain("en") != a.plain("es") for a in law.authorities().values())


def test_every_field_office_of_the_facility_list_is_known_and_none_is_confirmed():
    path = resource_path("data", "ice-detention-facilities.csv")
    with open(path, encoding="utf-8") as fh:
        named = {row["field_office"] for row in csv.DictReader(fh)}
    assert named <= set(law.field_offices())
    atlanta = law.field_office_for("Stewart Detention Center, Lumpkin, GA")
    assert atlanta.key == "Atlanta Field Office"
    assert law.field_offices()["St Paul Field Office"] is law.field_offices()["St. Paul Field Office"]
    lines = law.field_office_lines("Stewart Detention Center, Lumpkin, GA")
    assert lines[0] == law.UNCONFIRMED and lines[1] == "ERO Atlanta Field Office"  # a copy, not ICE
    assert law.field_office_lines("A jail not in the list") == ()


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        ('source = ""', "no source"),
        ('status = "probably"', "status is neither"),
        ('checked_on = "yesterday"', "no checked_on date"),
    ],
)
def test_a_damaged_table_is_refused_naming_the_fact(tmp_path, monkeypatch, broken, says):
    text = resource_path("custody", "law.toml").read_text(encoding="utf-8")
    key = broken.split(" = ")[0]
    first = text.index(f"\n{key} = ", text.index("\n[[point]]\n"))
    end = text.index("\n", first + 1)
    (tmp_path / "law.toml").write_text(text[:first] + "\n" + broken + text[end:], encoding="utf-8")
    monkeypatch.setattr("desktop.requests.tables.resource_path", lambda *parts: tmp_path / parts[-1])
    law.points.cache_clear()
    try:
        with pytest.raises(ValidationError) as caught:
            law.points()
        assert says in caught.value.message() and "point[0]" in caught.value.message()
    finally:
        law.points.cache_clear()


def test_the_docs_list_every_point_no_source_confirmed():
    doc = (resource_path("custody", "law.toml").parents[2] / "docs" / "custody.md").read_text(
        encoding="utf-8"
    )
    unconfirmed = [key for key, fact in law.points().items() if not fact.confirmed]
    assert unconfirmed
    for key in unconfirmed:
        assert f"- `{key}`:" in doc, key
