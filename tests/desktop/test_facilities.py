"""The bundled ICE detention facility list: loading, display names and search."""

from __future__ import annotations

import csv

import pytest

from desktop.case.facilities import COLUMNS, Facility, load_facilities, search_facilities, title_case
from desktop.paths import resource_path

CSV = resource_path("data", "ice-detention-facilities.csv")


def _by_name(name: str) -> Facility:
    matches = [f for f in load_facilities() if f.name == name]
    assert len(matches) == 1, (name, matches)
    return matches[0]


def test_every_row_loads():
    facilities = load_facilities()
    assert len(facilities) == 242
    with open(CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(tuple(r[c] for c in COLUMNS) for r in rows) == sorted(
        tuple(getattr(f, c) for c in COLUMNS) for f in facilities
    )


def test_sorted_by_display_name_and_cached():
    facilities = load_facilities()
    names = [f.display_name.casefold() for f in facilities]
    assert names == sorted(names)
    again = load_facilities()
    assert again == facilities and again is not facilities
    assert all(a is b for a, b in zip(again, facilities, strict=True))


def test_raw_row_is_kept():
    facility = _by_name("SOUTH TEXAS ICE PROCESSING CENTER")
    assert facility.street and facility.city == "Pearsall" and facility.state == "TX"
    assert facility.field_office == "San Antonio Field Office"
    assert facility.facility_type == "CDF"
    latitude, longitude = facility.coordinates
    assert 28.0 < latitude < 29.5 and -100.0 < longitude < -98.0


@pytest.mark.parametrize(
    ("name", "display"),
    [
        ("SOUTH TEXAS ICE PROCESSING CENTER", "South Texas ICE Processing Center, Pearsall, TX"),
        ("ADELANTO ICE PROCESSING CENTER", "Adelanto ICE Processing Center, Adelanto, CA"),
        # Mixed case as ICE wrote it is kept; an all-caps city is title-cased.
        ("Alexandria Staging Facility", "Alexandria Staging Facility, Alexandria, LA"),
        ("BAKER COUNTY SHERIFF DEPT.", "Baker County Sheriff Dept., MacClenny, FL"),
        ("MCCOOK DETENTION CENTER", "McCook Detention Center, McCook, NE"),
        ("OZARK COUNTY SHERIFF'S OFFICE", "Ozark County Sheriff's Office, Gainesville, MO"),
        ("CORRECTIONS CENTER OF NORTHWEST OHIO", "Corrections Center of Northwest Ohio, Stryker, OH"),
        ("CASCADE COUNTY JAIL, MT", "Cascade County Jail, MT, Great Falls, MT"),
        ("HANCOCK COUNTY PUBLIC SAFETY COMPLEX", "Hancock County Public Safety Complex, Bay St. Louis, MS"),
        ("LEAVENWORTH US PENITENTIARY", "Leavenworth US Penitentiary, Leavenworth, KS"),
        ("FDC PHILADELPHIA", "FDC Philadelphia, Philadelphia, PA"),
        ("CCA, FLORENCE CORRECTIONAL CENTER", "CCA, Florence Correctional Center, Florence, AZ"),
        ("PORT ISABEL SPC", "Port Isabel SPC, Los Fresnos, TX"),
        ("FOLKSTON MAIN IPC", "Folkston Main IPC, Folkston, GA"),
        # Two rows share the name.
        ("PHELPS COUNTY JAIL", "Phelps County Jail, Holdrege, NE"),
        ("Phelps County Jail", "Phelps County Jail, Rolla, MO"),
    ],
)
def test_display(name, display):
    assert display in [f.display for f in load_facilities() if f.name == name]


def test_city_and_state_repeated_are_shown_once():
    guantanamo = next(f for f in load_facilities() if f.name.startswith("Naval Station Guantanamo"))
    assert (guantanamo.city, guantanamo.state) == ("FPO", "FPO")
    assert guantanamo.display.endswith("Main A), FPO")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NORTHWEST ICE PROCESSSING CENTER", "Northwest ICE Processsing Center"),
        ("GEO GROUP LLC UNIT II", "GEO Group LLC Unit II"),
        ("USP ATLANTA", "USP Atlanta"),
        ("TORRANCE/ESTANCIA, NM", "Torrance/Estancia, NM"),
        ("LA PAZ COUNTY", "La Paz County"),  # LA is only a state code at the end
        ("OF MICE AND MEN", "Of Mice and Men"),
        ("FT.LAUDERDALE", "Ft.Lauderdale"),
        ("McCook", "McCook"),
        ("", ""),
    ],
)
def test_title_case(text, expected):
    assert title_case(text) == expected


def test_search_by_city_and_name():
    assert [f.display for f in search_facilities("pearsall")] == [
        "South Texas ICE Processing Center, Pearsall, TX"
    ]
    adelanto = [f.display for f in search_facilities("ADELANTO")]
    # The name match comes before the facility that is only in that city.
    assert adelanto == [
        "Adelanto ICE Processing Center, Adelanto, CA",
        "Desert View Annex, Adelanto, CA",
    ]


def test_search_ignores_accents_and_needs_every_word():
    assert search_facilities("Adelánto ICE") == search_facilities("adelanto ice")
    assert len(search_facilities("adelanto ice")) == 1
    assert search_facilities("pearsall adelanto") == []


def test_search_limit_and_empty_query():
    assert search_facilities("") == []
    assert search_facilities("   ") == []
    assert len(search_facilities("county")) == 20
    assert len(search_facilities("county", limit=5)) == 5
    assert search_facilities("county", limit=0) == []


def test_search_in_a_list_of_ones_own():
    mine = Facility("Casa Refugio", "", "Cd. Juárez", "", "", "", "", "", "")
    assert search_facilities("juarez", facilities=[mine]) == [mine]
    assert mine.coordinates is None
    assert mine.display == "Casa Refugio, Cd. Juárez"


def test_bad_header_is_refused(tmp_path):
    bad = tmp_path / "facilities.csv"
    bad.write_text("name,city\nX,Y\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_facilities(bad)


def test_another_file(tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n"
        "ZETA JAIL,ONE ST,ZETA,TX,1,F,IGSA,1.5,2.5\n"
        "alpha center,Two St,Alpha,CA,2,F,CDF,,\n",
        encoding="utf-8",
    )
    facilities = load_facilities(str(path))
    assert [f.display for f in facilities] == ["alpha center, Alpha, CA", "Zeta Jail, Zeta, TX"]
    assert facilities[1].coordinates == (1.5, 2.5)
