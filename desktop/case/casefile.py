"""Case files (``declara-case``, version 1): import, export and validation.

A case file is plain JSON describing one client; see README.md and
``resources/schema/declara-case-1.schema.json``. Import validates the whole file first (JSON Schema,
then cross-references) and reports every problem with its JSON path; only a valid file is written,
in one transaction. Export writes the same shape back, so import -> export -> import is lossless.
An older file's EDTF season codes (``2018-22``) are imported as months, the way migration 7 rewrote
the vaults (desktop.case.seasoncodes); export writes what is stored.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from desktop.case.anumber import format_a_number, parse_a_number
from desktop.errors import CaseFileError, ValidationError
from desktop.i18n import N_
from desktop.case.model import purpose_phrase, schema_errors, upgrade_relief
from desktop.case.seasoncodes import upgrade_case
from desktop.case.store import CaseStore

FORMAT = "declara-case"
VERSION = 1
MAX_BYTES = 32 * 1024 * 1024

# Order of keys when exporting (the order of the reference example).
TOP_KEYS = (
    "format",
    "version",
    "client",
    "proceedings",
    "events",
    "allegations",
    "family",
    "foia_requests",
    "visits",
    "declaration",
)


# -- reading and validating ------------------------------------------------------------------
def read_case_file(path: Path) -> dict[str, Any]:
    """Parse and validate a case file; raise CaseFileError listing every problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CaseFileError(
                N_("The case file is too large ({size} MB; at most {max} MB)."),
                size=size // (1024 * 1024),
                max=MAX_BYTES // (1024 * 1024),
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(N_("There is no file at {path}."), path=str(path)) from None
    except IsADirectoryError:
        raise CaseFileError(N_("{path} is a folder, not a case file."), path=str(path)) from None
    except OSError as exc:
        raise CaseFileError(
            N_("The case file cannot be read ({detail})."), detail=exc.strerror or ""
        ) from None
    return parse_case_bytes(raw)


def parse_case_bytes(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFileError(N_("The case file is not UTF-8 text.")) from None
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as dup:
        raise CaseFileError(
            N_("The case file names the key “{key}” twice in one object."), key=dup.key
        ) from None
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            N_("The case file is not valid JSON (line {line}, column {column}: {detail})."),
            line=exc.lineno,
            column=exc.colno,
            detail=exc.msg,
        ) from None
    except RecursionError:
        raise CaseFileError(N_("The case file is nested too deeply.")) from None
    problems = validate_case(doc)
    if problems:
        raise CaseFileError(
            N_("The case file was refused; nothing was imported. Problems found:"), problems=problems
        )
    return doc


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def validate_case(doc: Any) -> list[ValidationError]:
    """Every problem in a parsed case file, each naming its JSON path."""
    if not isinstance(doc, dict):
        return [ValidationError(N_("A case file is a JSON object with “format”: “declara-case”."), field="$")]
    if doc.get("format") != FORMAT:
        return [
            ValidationError(
                N_("This is not a Declara case file (“format” should be “declara-case”)."), field="$.format"
            )
        ]
    if doc.get("version") != VERSION:
        return [
            ValidationError(
                N_("Case file version {version} is not supported; this Declara reads version 1."),
                field="$.version",
                version=doc.get("version"),
            )
        ]
    problems = schema_errors(doc)
    if problems:
        return problems
    return _cross_references(doc)


def _cross_references(doc: dict[str, Any]) -> list[ValidationError]:
    problems: list[ValidationError] = []
    seen: dict[str, str] = {}
    for collection in ("events", "allegations", "family"):
        for i, item in enumerate(doc.get(collection) or []):
            ref = item.get("id")
            if ref is None:
                continue
            where = f"$.{collection}[{i}].id"
            if ref in seen:
                problems.append(
                    ValidationError(
                        N_("The id “{id}” is used twice (also at {other})."),
                        field=where,
                        id=ref,
                        other=seen[ref],
                    )
                )
            else:
                seen[ref] = where
    event_ids = {e["id"] for e in doc.get("events") or []}
    declaration = doc.get("declaration") or {}
    paragraphs = declaration.get("paragraphs") or []
    for i, para in enumerate(paragraphs):
        for j, ref in enumerate(para.get("events") or []):
            if ref not in event_ids:
                problems.append(
                    ValidationError(
                        N_("The paragraph points at the event “{id}”, which is not in this file."),
                        field=f"$.declaration.paragraphs[{i}].events[{j}]",
                        id=ref,
                    )
                )
    for i, event in enumerate(doc.get("events") or []):
        for j, source in enumerate(event.get("sources") or []):
            if source.startswith("paragraph:"):
                number = int(source.split(":", 1)[1])
                if not 1 <= number <= len(paragraphs):
                    problems.append(
                        ValidationError(
                            N_(
                                "The source points at paragraph {number}, "
                                "which the declaration does not have."
                            ),
                            field=f"$.events[{i}].sources[{j}]",
                            number=number,
                        )
                    )
    return problems


# -- import ------------------------------------------------------------------------------------
def _without(obj: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in keys}


def import_case(store: CaseStore, doc: dict[str, Any], *, allow_duplicate: bool = False) -> str:
    """Write a validated case file into the vault in one transaction; return the client's id."""
    problems = validate_case(doc)
    if problems:
        raise CaseFileError(
            N_("The case file was refused; nothing was imported. Problems found:"), problems=problems
        )
    # An older file's season codes ("2018-22") are stored as months (desktop.case.seasoncodes).
    doc = copy.deepcopy(doc)
    upgrade_case(doc)
    client = dict(doc["client"])
    if client.get("a_number") and not allow_duplicate:
        digits = parse_a_number(client["a_number"])
        existing = store.find_clients_by_a_number(digits)
        if existing:
            raise CaseFileError(
                N_(
                    "A client with A-number {a_number} is already in this vault; nothing was imported. "
                    "Export that client or delete it first."
                ),
                a_number=format_a_number(digits),
            )
    if "proceedings" in doc:
        client["proceedings"] = doc["proceedings"]
    with store.vault.transaction():
        record = store.create("client", client)
        cid = record.id
        event_uuid: dict[str, str] = {}
        for event in doc.get("events") or []:
            rec = store.create("event", _without(event, "id"), client_id=cid, ref=event["id"])
            event_uuid[event["id"]] = rec.id
        for allegation in doc.get("allegations") or []:
            rec = store.create(
                "allegation", _without(allegation, "id", "rebuttal"), client_id=cid, ref=allegation.get("id")
            )
            for item in allegation.get("rebuttal") or []:
                store.create("rebuttal", item, client_id=cid, parent_id=rec.id)
        for member in doc.get("family") or []:
            store.create("family_member", _without(member, "id"), client_id=cid, ref=member.get("id"))
        for foia in doc.get("foia_requests") or []:
            store.create("foia_request", foia, client_id=cid)
        for visit in doc.get("visits") or []:
            rec = store.create("visit", _without(visit, "answers"), client_id=cid)
            for answer in visit.get("answers") or []:
                store.create("answer", answer, client_id=cid, parent_id=rec.id)
        declaration = doc.get("declaration")
        if declaration is not None:
            rec = store.create("declaration", _without(declaration, "paragraphs"), client_id=cid)
            for para in declaration.get("paragraphs") or []:
                data = dict(para)
                if "events" in data:
                    data["events"] = [event_uuid[r] for r in data["events"]]
                store.create("paragraph", data, client_id=cid, parent_id=rec.id)
    return cid


def import_case_file(store: CaseStore, path: Path, *, allow_duplicate: bool = False) -> str:
    return import_case(store, read_case_file(path), allow_duplicate=allow_duplicate)


# -- export ------------------------------------------------------------------------------------
def _short(uuid_text: str) -> str:
    return uuid_text.split("-")[0]


def export_case(store: CaseStore, client_token: str) -> dict[str, Any]:
    """The case file of one client (by id or A-number)."""
    client = store.resolve_client(client_token)
    cid = client.id
    data = dict(client.data)
    proceedings = data.pop("proceedings", None)
    if data.get("a_number"):
        data["a_number"] = format_a_number(data["a_number"])
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "client": data}
    # Every collection is written, empty when there is nothing: one predictable shape.
    doc["proceedings"] = proceedings
    event_ref: dict[str, str] = {}
    events = []
    for rec in store.children(cid, "event"):
        ref = rec.ref or f"ev-{_short(rec.id)}"
        event_ref[rec.id] = ref
        events.append({"id": ref, **rec.data})
    doc["events"] = events

    allegations = []
    for rec in store.children(cid, "allegation"):
        item = {"id": rec.ref or f"al-{_short(rec.id)}", **rec.data}
        item["rebuttal"] = [r.data for r in store.children(cid, "rebuttal", rec.id)]
        allegations.append(item)
    doc["allegations"] = allegations

    family = []
    for rec in store.children(cid, "family_member"):
        member = {"id": rec.ref or f"fam-{_short(rec.id)}", **rec.data}
        if member.get("a_number"):
            member["a_number"] = format_a_number(member["a_number"])
        family.append(member)
    doc["family"] = family

    foia = [rec.data for rec in store.children(cid, "foia_request")]
    doc["foia_requests"] = foia

    visits = []
    for rec in store.children(cid, "visit"):
        visit = dict(rec.data)
        visit["answers"] = [a.data for a in store.children(cid, "answer", rec.id)]
        visits.append(visit)
    doc["visits"] = visits

    declarations = store.children(cid, "declaration")
    if declarations:
        decl = declarations[-1]
        out = _relief_as_written(decl.data)
        paragraphs = []
        for para in store.children(cid, "paragraph", decl.id):
            pdata = dict(para.data)
            if "events" in pdata:
                pdata["events"] = [event_ref[e] for e in pdata["events"] if e in event_ref]
            paragraphs.append(pdata)
        out = _insert_after(out, "place_of_signing", "paragraphs", paragraphs)
        doc["declaration"] = out
    else:
        doc["declaration"] = None
    return doc


def _relief_as_written(declaration: dict[str, Any]) -> dict[str, Any]:
    """A declaration's fields as a case file writes them (a copy), its relief said the version-1 way
    when nothing is lost by it.

    Relief keys with no typed purpose are written as the English phrase every version-1 file uses,
    ``"in_support_of": "asylum, withholding of removal and protection under the Convention Against
    Torture"`` (which import turns back into the same keys, and an older Declara reads), with no
    ``relief``. ``relief`` is written when the phrase would not read back the same (a purpose typed
    beside the keys, or typed words that name relief), and for a signed version, written exactly as
    it was signed (its SHA-256 covers its fields).
    """
    out = dict(declaration)
    if "relief" not in out or out.get("status") == "signed":
        return out
    older = {key: value for key, value in out.items() if key != "relief"}
    if out["relief"]:
        older["in_support_of"] = purpose_phrase(out["relief"], out.get("in_support_of"))
    read_back = dict(older)
    upgrade_relief(read_back)
    return older if read_back == out else out


def _insert_after(obj: dict[str, Any], after: str, key: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in obj.items():
        out[k] = v
        if k == after:
            out[key] = value
    if key not in out:
        out[key] = value
    return out


def dumps_case(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_case_file(doc: dict[str, Any], path: Path) -> None:
    """Write an exported case file (plaintext, by the user's explicit choice) atomically."""
    from desktop.vault.fsutil import write_atomic

    path = Path(path)
    write_atomic(path, dumps_case(doc).encode("utf-8"))
    if os.name == "posix":
        os.chmod(path, 0o600)
