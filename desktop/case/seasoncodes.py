"""Old EDTF season codes (``2018-22``) rewritten as the months they always meant.

Declara once stored a season the client named ("verano de 2018") as its EDTF code, ``2018-21`` …
``2018-24``: the northern, meteorological seasons (spring March-May, summer June-August, autumn
September-November, winter December-February). To someone from El Salvador, Honduras or Guatemala
"verano" is the dry season (November-April) and "invierno" the rainy season (May-October), so a
season is now read by region (desktop.interview.seasons) and stored as a month interval
(``2018-05/2018-10``), never as a code. Values stored before are rewritten here, by migration 7
(desktop.vault.migrations) and by case-file import (desktop.case.casefile), the same way:

- an answer whose ``text`` was kept, of a client whose country gives a region, is read again from
  its text with that region (``seasons`` records the region);
- any other value keeps the bounds it always had, as months: ``2018-22`` -> ``2018-06/2018-08``,
  ``2019-24`` -> ``2019-12/2020-02``, an interval end ``2018-22/2019`` -> ``2018-06/2019``. Events
  keep the old code in ``date_said`` (read with "northern" seasons), answers get
  ``seasons: "northern"``.

EDTF refuses a qualified season (``2018-22~``) and dates.py refuses a season inside a set, so the
whole value and the two ends of an interval are the only places a code can be.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from desktop.case.dates import is_valid_edtf
from desktop.errors import ValidationError

#: The reading every old code was stored with.
NORTHERN = "northern"

_CODE = re.compile(r"(\d{4})-(2[1-4])")


def has_season_code(value: object) -> bool:
    """Whether ``value`` is an EDTF string with a season code as the whole value or an end."""
    if not isinstance(value, str):
        return False
    return any(_CODE.fullmatch(end) for end in value.split("/"))


def season_months(value: str) -> str:
    """``value`` with each season code said as its months, the same bounds as before
    (:func:`desktop.interview.seasons.season_codes_to_months`)."""
    from desktop.interview.seasons import season_codes_to_months

    return season_codes_to_months(value)


def client_country(client: dict[str, Any]) -> str | None:
    """The client's country for reading seasons: country of birth, else the first nationality."""
    country = client.get("country_of_birth")
    if not country:
        nationalities = client.get("nationalities") or []
        country = nationalities[0] if nationalities else None
    return country or None


def client_region(client: dict[str, Any]) -> str | None:
    """The season reading of the client's country (desktop.interview.seasons), None when unknown."""
    from desktop.interview.seasons import region_for_country

    country = client_country(client)
    return region_for_country(country) if country else None


# -- which fields hold dates ------------------------------------------------------------------------
@cache
def date_paths(kind: str) -> tuple[tuple[str, ...], ...]:
    """The paths (keys, ``[]`` for each item of a list) of every EDTF field of a record of ``kind``,
    read from the case-file schema: ``("date",)``, ``("custody", "since")``, ``("proceedings",
    "next_hearing")``. Child collections, which are records of their own, are left out."""
    from desktop.case.model import CHILD_KEYS, case_schema

    defs = case_schema()["$defs"]
    found: list[tuple[str, ...]] = []

    def walk(node: Any, path: tuple[str, ...], seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        if node.get("format") == "edtf":
            found.append(path)
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and ref not in seen:
            walk(defs[ref.rsplit("/", 1)[1]], path, seen | {ref})
        for key, child in node.get("properties", {}).items():
            if not path and key in CHILD_KEYS.get(kind, ()):
                continue
            walk(child, (*path, key), seen)
        if "items" in node:
            walk(node["items"], (*path, "[]"), seen)
        for alternative in node.get("anyOf", []) + node.get("oneOf", []):
            walk(alternative, path, seen)

    walk(defs[kind], (), frozenset())
    if kind == "client":
        walk(defs["proceedings"], ("proceedings",), frozenset())
    return tuple(dict.fromkeys(found))


def _slots(node: Any, path: tuple[str, ...]) -> Iterator[tuple[Any, Any]]:
    """(container, key) of every value at ``path`` in ``node``."""
    if not path:
        return
    head, rest = path[0], path[1:]
    keys: list[Any]
    if head == "[]":
        keys = list(range(len(node))) if isinstance(node, list) else []
    else:
        keys = [head] if isinstance(node, dict) and head in node else []
    for key in keys:
        if rest:
            yield from _slots(node[key], rest)
        else:
            yield node, key


# -- the rewrite ------------------------------------------------------------------------------------
def upgrade_record(kind: str, data: dict[str, Any], *, region: str | None) -> bool:
    """Rewrite, in place, every season code in the fields of one record of ``kind`` (as stored, or
    as in a case file); ``region`` is the client's season reading (None: unknown). True when
    something changed. A signed declaration is left as it is (its fields are sworn)."""
    if kind == "declaration" and data.get("status") == "signed":
        return False
    said = data.get("date") if kind == "event" else None
    changed = False
    for path in date_paths(kind):
        for container, key in _slots(data, path):
            if has_season_code(container[key]):
                container[key] = season_months(container[key])
                changed = True
    if kind == "event" and has_season_code(said) and not data.get("date_said"):
        data["date_said"] = {"text": said, "lang": "en", "seasons": NORTHERN}
    if kind == "answer" and has_season_code(data.get("value")) and is_valid_edtf(data["value"]):
        changed = True
        reread = _reread(data, region)
        if reread is not None:
            data["value"], data["seasons"] = reread, region
        else:
            data["value"], data["seasons"] = season_months(data["value"]), NORTHERN
    return changed


def _reread(answer: dict[str, Any], region: str | None) -> str | None:
    """The answer's value read again from its text with ``region``; None when it cannot be (no
    text, no region, not understood, or still a season code)."""
    text = (answer.get("text") or "").strip()
    if not text or region is None or has_season_code(text):  # a code typed as it is stays northern
        return None
    from desktop.interview.phrases import phrase_to_edtf

    today = None
    recorded = answer.get("recorded_at")
    if isinstance(recorded, str):
        try:  # relative words ("el verano pasado") are read from the day they were said
            today = dt.date.fromisoformat(recorded[:10])
        except ValueError:
            today = None
    lang = answer.get("language") or "es"
    try:
        phrase_to_edtf(text, lang, today, seasons=None)
    except ValidationError:
        pass  # a season word that needs a region (or no date): read it with the client's
    else:
        return None  # the words name no season: the value was set otherwise, keep its months
    try:
        value = phrase_to_edtf(text, lang, today, seasons=region)
    except ValidationError:
        return None
    return None if has_season_code(value) else value


def upgrade_case(doc: dict[str, Any]) -> bool:
    """Rewrite, in place, every season code of a parsed case file (desktop.case.casefile), the way
    migration 7 rewrites a vault's records. True when something changed."""
    if not _CODE.search(json.dumps(doc)):
        return False
    client = doc.get("client") or {}
    region = client_region(client)
    changed = upgrade_record("client", client, region=region)
    if isinstance(doc.get("proceedings"), dict):
        changed |= upgrade_record("client", {"proceedings": doc["proceedings"]}, region=region)
    for kind, key in (("event", "events"), ("allegation", "allegations"), ("family_member", "family"),
                      ("foia_request", "foia_requests"), ("custody_event", "custody_events"),
                      ("visit", "visits")):
        for item in doc.get(key) or []:
            changed |= upgrade_record(kind, item, region=region)
            children = {"allegation": ("rebuttal", "rebuttal"), "visit": ("answer", "answers")}.get(kind)
            if children:
                for child in item.get(children[1]) or []:
                    changed |= upgrade_record(children[0], child, region=region)
    if isinstance(doc.get("declaration"), dict):
        changed |= upgrade_record("declaration", doc["declaration"], region=region)
    return changed
