"""The legal facts behind the custody record, with their sources: the detention authorities DHS
claims (names and plain explanations in English and Spanish, whether an immigration judge can hold
a bond hearing, how release happens), the legal points the documents and docs/custody.md state,
and the ICE field offices a parole request goes to. Read from ``resources/custody/law.toml`` and
``field_offices.toml``: every fact with its ``value``, ``source``, ``checked_on`` and ``status``,
bounded and checked fact by fact like the request tables (:mod:`desktop.requests.tables`).

Where the law is unsettled (who may have a bond hearing after *Matter of Yajure Hurtado*), the
record keeps the facts and the file says "contested" with its sources; no argument is generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from desktop.errors import ValidationError
from desktop.requests.tables import Fact, _fact, _facts, _fail, _read

FOLDER = "custody"
#: The authorities, in the order they are offered (212d5 is parole: a release, not a detention).
AUTHORITIES = ("235b1", "235b2A", "236a", "236c", "241a", "212d5")
AUTHORITY_FACTS = ("name", "plain", "bond_hearing", "release")
OFFICE_FACTS = ("name", "address")
UNCONFIRMED = "[Address not confirmed by a source: check it before sending]"


@dataclass(frozen=True)
class Authority:
    code: str
    statute: str
    facts: dict[str, Fact]

    def name(self, lang: str) -> str:
        return self.facts["name"].text(lang)

    def plain(self, lang: str) -> str:
        return self.facts["plain"].text(lang)


@dataclass(frozen=True)
class Office:
    key: str
    aliases: tuple[str, ...]
    facts: dict[str, Fact]

    def lines(self) -> tuple[str, ...]:
        """The addressee's lines; under a bracketed warning (a blank the letter lists) when no
        source confirmed the address, as the FOIA letters do."""
        name, address = self.facts["name"], self.facts["address"]
        lines = (name.text("en"), *address.items("en"))
        return lines if name.confirmed and address.confirmed else (UNCONFIRMED, *lines)


@cache
def authorities() -> dict[str, Authority]:
    file = "law.toml"
    raw = _read(file, FOLDER).get("authority")
    if not isinstance(raw, list):
        raise _fail(file, "no [[authority]] tables", "file")
    found: dict[str, Authority] = {}
    for i, item in enumerate(raw):
        where = f"authority[{i}]"
        code = item.get("code") if isinstance(item, dict) else None
        if code not in AUTHORITIES or code in found:
            raise _fail(file, f"unknown or repeated code {code!r}", where)
        statute = item.get("statute")
        if not isinstance(statute, str) or not 0 < len(statute) <= 200:
            raise _fail(file, "no statute", where)
        found[code] = Authority(
            code, statute, _facts(file, where, item, AUTHORITY_FACTS, {"code", "statute"})
        )
    missing = [code for code in AUTHORITIES if code not in found]
    if missing:
        raise _fail(file, f"missing authorities {missing}", "file")
    return {code: found[code] for code in AUTHORITIES}


@cache
def points() -> dict[str, Fact]:
    """The legal points by id (``yajure_hurtado``, ``guerra_factors`` …)."""
    file = "law.toml"
    raw = _read(file, FOLDER).get("point")
    if not isinstance(raw, list):
        raise _fail(file, "no [[point]] tables", "file")
    found: dict[str, Fact] = {}
    for i, item in enumerate(raw):
        where = f"point[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item["id"] in found:
            raise _fail(file, "no id, or a repeated one", where)
        found[item["id"]] = _fact(file, where, {k: v for k, v in item.items() if k != "id"})
    return found


@cache
def field_offices() -> dict[str, Office]:
    """The ICE ERO field offices by every name the facility list uses for them."""
    file = "field_offices.toml"
    raw = _read(file, FOLDER).get("office")
    if not isinstance(raw, list):
        raise _fail(file, "no [[office]] tables", "file")
    found: dict[str, Office] = {}
    for i, item in enumerate(raw):
        where = f"office[{i}]"
        key = item.get("key") if isinstance(item, dict) else None
        aliases = item.get("aliases", []) if isinstance(item, dict) else None
        if (
            not isinstance(key, str)
            or not isinstance(aliases, list)
            or not all(isinstance(a, str) for a in aliases)
        ):
            raise _fail(file, "no key, or aliases that are not names", where)
        office = Office(key, tuple(aliases), _facts(file, where, item, OFFICE_FACTS, {"key", "aliases"}))
        for name in (key, *aliases):
            if name in found:
                raise _fail(file, f"repeated office {name!r}", where)
            found[name] = office
    return found


def field_office_for(facility: str | None) -> Office | None:
    """The field office of a facility in the ICE list (its ``field_office`` column)."""
    from desktop.case.facilities import listed_facility

    item = listed_facility(facility)
    return field_offices().get(item.field_office) if item is not None else None


def field_office_lines(facility: str | None) -> tuple[str, ...]:
    """The addressee's lines of the field office holding ``facility``; () when the facility is not
    listed (the letter then leaves blanks)."""
    office = field_office_for(facility)
    return office.lines() if office is not None else ()


def facility_with_office(facility: str) -> str:
    """ "Stewart Detention Center, Lumpkin, GA (Atlanta Field Office)": a listed facility with the
    ICE field office whose area holds it; any other place as recorded."""
    try:
        office = field_office_for(facility)
    except ValidationError:
        office = None  # a damaged table: the place as recorded (declara custody sources says why)
    return f"{facility} ({office.key})" if office is not None and facility else facility
