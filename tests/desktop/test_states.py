"""U.S. state codes (desktop.case.states) against the shipped ICE detention facility list."""

from __future__ import annotations

import csv
import re

from desktop.case.states import STATE_CODES, US_STATES
from desktop.paths import resource_path

TERRITORIES = {
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}


def _facility_rows() -> list[dict[str, str]]:
    path = resource_path("data", "ice-detention-facilities.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_codes_are_two_capitals_and_names_are_unique():
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in US_STATES), sorted(US_STATES)
    names = list(US_STATES.values())
    assert all(name and name == name.strip() for name in names)
    assert len(set(names)) == len(names)


def test_fifty_states_the_district_and_five_territories():
    assert len(US_STATES) == 50 + 1 + 5
    assert US_STATES["DC"] == "District of Columbia"
    assert {code: US_STATES.get(code) for code in TERRITORIES} == TERRITORIES
    assert US_STATES["TX"] == "Texas" and US_STATES["LA"] == "Louisiana" and US_STATES["CA"] == "California"


def test_state_codes_are_the_table_keys():
    assert STATE_CODES == frozenset(US_STATES)
    assert isinstance(STATE_CODES, frozenset)


def test_every_facility_state_is_a_known_code():
    rows = _facility_rows()
    assert len(rows) == 242
    assert all(row["state"] for row in rows)
    unknown = [(row["name"], row["state"]) for row in rows if row["state"] not in STATE_CODES]
    # The one exception: the Guantánamo facilities' military mail address, "FPO" (Fleet Post
    # Office), given in the state column by ICE's own list.
    assert {state for _name, state in unknown} <= {"FPO"}, unknown
    assert all("Guantanamo" in name for name, _state in unknown), unknown


def test_the_facility_list_spans_the_states_and_territories_we_expect():
    states = {row["state"] for row in _facility_rows()}
    assert {"TX", "LA", "CA", "AZ", "GA", "PR", "GU", "MP"} <= states
