"""The facts behind a request: which U.S. agency holds which record, and which foreign certificate
proves a clean record, read from ``resources/requests/agencies.toml`` and ``clearances.toml``.

Every fact in those files is a table of its own with a ``value``, the public ``source`` it was read
from, the day it was ``checked_on`` and a ``status``: "confirmed" when the source said it on that
day, "unconfirmed" when no source could be found (the letters then say so, see
:mod:`desktop.requests.letters`, and docs/requests.md lists them). Text meant for people is given in
English and Spanish (``{en = "…", es = "…"}``), whatever the interface language: a letter is in its
own language.

The files ship with Declara, but they are read like any input: bounded in size before parsing and
checked field by field, so a damaged copy fails with a message naming the fact, never half-read.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.paths import resource_path

#: The largest table file read (the shipped ones are a few KiB).
MAX_TABLE_BYTES = 512 * 1024
LANGS = ("en", "es")
#: The U.S. agencies a request can go to, in the order they are offered.
AGENCIES = ("CBP", "ICE", "USCIS", "OBIM", "FBI", "EOIR", "DOS")
#: Facts every agency must have.
AGENCY_FACTS = ("name", "address", "records", "records_sought", "identity", "expedite", "fees")
#: Facts every certificate must have.
CERTIFICATE_FACTS = ("name", "issuer", "proves", "abroad", "representative_needs", "cost", "validity_days")

BAD_TABLE = N_("The request data file {file} is damaged: {problem} (at {where}). Reinstall Declara.")


@dataclass(frozen=True)
class Fact:
    """One fact, its source and when it was checked."""

    value: Any
    source: str
    checked_on: dt.date
    confirmed: bool
    note: str = ""

    def text(self, lang: str) -> str:
        """The value in ``lang`` ("" for an empty value); lists are joined one item per line."""
        value = self.value.get(lang, "") if isinstance(self.value, dict) else self.value
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return "" if value is None else str(value)

    def items(self, lang: str) -> list[str]:
        """The value in ``lang`` as a list of lines."""
        value = self.value.get(lang, []) if isinstance(self.value, dict) else self.value
        if isinstance(value, list):
            return [str(item) for item in value]
        return [str(value)] if value else []


@dataclass(frozen=True)
class Agency:
    code: str
    facts: dict[str, Fact]

    def fact(self, name: str) -> Fact | None:
        return self.facts.get(name)

    def name(self, lang: str) -> str:
        return self.facts["name"].text(lang)


@dataclass(frozen=True)
class Certificate:
    code: str
    country: str
    facts: dict[str, Fact]

    def fact(self, name: str) -> Fact | None:
        return self.facts.get(name)

    def name(self, lang: str) -> str:
        return self.facts["name"].text(lang)

    @property
    def validity_days(self) -> int | None:
        """Days the certificate is valid from its issue, or None when no source says."""
        fact = self.facts["validity_days"]
        return int(fact.value) if fact.confirmed and int(fact.value) > 0 else None


@dataclass(frozen=True)
class Country:
    code: str
    certificates: tuple[Certificate, ...]
    facts: dict[str, Fact] = field(default_factory=dict)

    def fact(self, name: str) -> Fact | None:
        return self.facts.get(name)


def _fail(file: str, problem: str, where: str) -> ValidationError:
    return ValidationError(BAD_TABLE, file=file, problem=problem, where=where)


def _read(name: str, folder: str = "requests") -> dict[str, Any]:
    path = resource_path(folder, name)
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise _fail(name, "too large", "file")
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _fail(name, type(exc).__name__, "file") from None


def _text_ok(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 4000


def _value_ok(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 <= value <= 100_000
    if isinstance(value, str):
        return len(value) <= 4000
    if isinstance(value, list):
        return len(value) <= 40 and all(_text_ok(item) for item in value)
    if isinstance(value, dict):
        if set(value) == {"name", "url"}:  # an online service: its name and address, as text
            return all(_text_ok(item) for item in value.values())
        if set(value) != set(LANGS):
            return False
        shapes = {type(value[lang]) for lang in LANGS}
        if len(shapes) != 1:
            return False
        if isinstance(value["en"], list) and len(value["en"]) != len(value["es"]):
            return False
        return all(_value_ok(value[lang]) for lang in LANGS)
    return False


def _fact(file: str, where: str, raw: Any) -> Fact:
    if not isinstance(raw, dict):
        raise _fail(file, "not a table", where)
    unknown = set(raw) - {"value", "source", "checked_on", "status", "note"}
    if unknown:
        raise _fail(file, f"unknown keys {sorted(unknown)}", where)
    if "value" not in raw or not _value_ok(raw["value"]):
        raise _fail(file, "missing or malformed value", where)
    if not _text_ok(raw.get("source")):
        raise _fail(file, "no source", where)
    checked = raw.get("checked_on")
    if isinstance(checked, str):
        try:
            checked = dt.date.fromisoformat(checked)
        except ValueError:
            checked = None
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        raise _fail(file, "no checked_on date", where)
    if raw.get("status") not in ("confirmed", "unconfirmed"):
        raise _fail(file, "status is neither confirmed nor unconfirmed", where)
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise _fail(file, "note is not text", where)
    return Fact(raw["value"], raw["source"], checked, raw["status"] == "confirmed", note)


def _facts(
    file: str, where: str, raw: dict[str, Any], required: tuple[str, ...], skip: set[str]
) -> dict[str, Fact]:
    facts = {key: _fact(file, f"{where}.{key}", value) for key, value in raw.items() if key not in skip}
    for key in required:
        if key not in facts:
            raise _fail(file, f"no {key}", where)
    return facts


@cache
def agencies() -> dict[str, Agency]:
    """The U.S. agencies by code, in the order of :data:`AGENCIES`."""
    file = "agencies.toml"
    raw = _read(file).get("agency")
    if not isinstance(raw, list):
        raise _fail(file, "no [[agency]] tables", "file")
    found: dict[str, Agency] = {}
    for i, item in enumerate(raw):
        where = f"agency[{i}]"
        code = item.get("code") if isinstance(item, dict) else None
        if code not in AGENCIES or code in found:
            raise _fail(file, f"unknown or repeated code {code!r}", where)
        found[code] = Agency(code, _facts(file, where, item, AGENCY_FACTS, {"code"}))
    missing = [code for code in AGENCIES if code not in found]
    if missing:
        raise _fail(file, f"missing agencies {missing}", "file")
    return {code: found[code] for code in AGENCIES}


@cache
def countries() -> dict[str, Country]:
    """The countries whose clearance certificates Declara knows, by ISO 3166-1 code."""
    file = "clearances.toml"
    raw = _read(file).get("country")
    if not isinstance(raw, list) or not raw:
        raise _fail(file, "no [[country]] tables", "file")
    found: dict[str, Country] = {}
    for i, item in enumerate(raw):
        where = f"country[{i}]"
        code = item.get("code") if isinstance(item, dict) else None
        if (
            not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper())
            or code in found
        ):
            raise _fail(file, f"bad or repeated code {code!r}", where)
        certificates = []
        raw_certs = item.get("certificate")
        if not isinstance(raw_certs, list) or not raw_certs:
            raise _fail(file, "no [[country.certificate]] tables", where)
        for j, cert in enumerate(raw_certs):
            cwhere = f"{where}.certificate[{j}]"
            ccode = cert.get("code") if isinstance(cert, dict) else None
            if not (isinstance(ccode, str) and ccode.startswith(code + "-") and len(ccode) <= 43):
                raise _fail(file, f"bad certificate code {ccode!r}", cwhere)
            facts = _facts(file, cwhere, cert, CERTIFICATE_FACTS, {"code"})
            if not isinstance(facts["validity_days"].value, int):
                raise _fail(file, "validity_days is not a number of days", cwhere)
            certificates.append(Certificate(ccode, code, facts))
        facts = _facts(file, where, item, (), {"code", "certificate"})
        found[code] = Country(code, tuple(certificates), facts)
    return found


def certificate(code: str | None) -> Certificate | None:
    """The certificate with this code, or None."""
    if not code:
        return None
    country = countries().get(code[:2])
    if country is None:
        return None
    return next((c for c in country.certificates if c.code == code), None)


def target_name(to: str, lang: str) -> str:
    """Where a request goes, in words: "CBP — U.S. Customs and Border Protection", a certificate's
    name, or the agency as typed."""
    cert = certificate(to)
    if cert is not None:
        return cert.name(lang)
    agency = agencies().get(to)
    return f"{to} — {agency.name(lang)}" if agency is not None else to


def all_facts() -> list[tuple[str, Fact]]:
    """Every fact with where it is ("CBP.address", "GT-OJ-PENALES.validity_days"), for the docs
    and for the tests that hold each one to a source and a date."""
    out: list[tuple[str, Fact]] = []
    for code, agency in agencies().items():
        out += [(f"{code}.{key}", fact) for key, fact in agency.facts.items()]
    for code, country in countries().items():
        out += [(f"{code}.{key}", fact) for key, fact in country.facts.items()]
        for cert in country.certificates:
            out += [(f"{cert.code}.{key}", fact) for key, fact in cert.facts.items()]
    return out
