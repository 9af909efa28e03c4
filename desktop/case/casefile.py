"""Case files (``declara-case``, versions 1 and 2): import, export and validation.

A case file is plain JSON describing one client; see docs/case-file-format.md and
``resources/schema/declara-case-1.schema.json``. Version 2 adds the client's evidence documents
(``documents[]``) and travels as a ZIP holding ``case.json`` and every original and revision
(``desktop/case/casezip.py``; schema ``declara-case-2.schema.json``). Import validates the whole
file first (JSON Schema, then cross-references) and reports every problem with its JSON path;
only a valid file is written, in one transaction. Export writes the same shape back, so
import -> export -> import is lossless.
An older file's EDTF season codes (``2018-22``) are imported as months, the way migration 7 rewrote
the vaults (desktop.case.seasoncodes); export writes what is stored.
"""

from __future__ import annotations

import copy
import json
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.case.anumber import format_a_number, parse_a_number
from desktop.errors import CaseFileError, ValidationError
from desktop.i18n import N_
from desktop.limits import InputRefused, load_json, read_bounded, strip_bom
from desktop.case.model import purpose_phrase, schema_errors, upgrade_relief
from desktop.case.names import text_problems
from desktop.case.seasoncodes import upgrade_case
from desktop.case.store import CaseStore
from desktop.paths import resource_path
from desktop.vault.database import short_id

FORMAT = "declara-case"
VERSION = 1
VERSIONS = (1, 2)
SCHEMA_2 = "declara-case-2.schema.json"
#: A request's links to other records of the client (allegation, family member), by id.
REQUEST_LINKS = ("allegation", "representative")
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
    "custody_events",
    "visits",
    "declaration",
    "documents",
)


# -- reading and validating ------------------------------------------------------------------
def read_case_file(path: Path) -> dict[str, Any]:
    """Parse and validate a case file; raise CaseFileError listing every problem. Its size is
    checked before it is read, and only a regular file is read (a pipe or a device has no end)."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CaseFileError(N_("There is no file at {path}."), path=str(path)) from None
    except OSError as exc:
        raise CaseFileError(
            N_("The case file cannot be read ({detail})."), detail=exc.strerror or ""
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise CaseFileError(N_("{path} is a folder, not a case file."), path=str(path))
    if not stat.S_ISREG(info.st_mode):
        raise CaseFileError(N_("{path} is not a regular file; nothing was imported."), path=str(path))
    if _is_zip(path):
        from desktop.case.casezip import read_case_zip

        return read_case_zip(path)
    try:
        raw = read_bounded(path, MAX_BYTES, N_("The case file"))
    except InputRefused as exc:
        if exc.reason == "size":
            raise _refused(exc) from None
        raise CaseFileError(
            N_("The case file cannot be read ({detail})."), detail=exc.params.get("detail", "")
        ) from None
    return parse_case_bytes(raw)


def _is_zip(path: Path) -> bool:
    """Whether ``path`` starts like a ZIP (a version 2 case file), whatever its name."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # read_case_file says why


def parse_case_bytes(raw: bytes) -> dict[str, Any]:
    """Parse and validate a case file's bytes (bounded by desktop.limits: size, nesting, numbers,
    text); raise CaseFileError listing every problem."""
    try:
        doc = load_json(strip_bom(raw), max_bytes=MAX_BYTES, where=N_("The case file"))
    except InputRefused as exc:
        raise _refused(exc) from None
    problems = validate_case(doc)
    if problems:
        raise CaseFileError(
            N_("The case file was refused; nothing was imported. Problems found:"), problems=problems
        )
    return doc


def _refused(exc: InputRefused) -> CaseFileError:
    """The CaseFileError of a file the input limits refused."""
    params = exc.params
    if exc.reason == "utf8":
        return CaseFileError(N_("The case file is not UTF-8 text."))
    if exc.reason == "duplicate":
        return CaseFileError(
            N_("The case file names the key “{key}” twice in one object."), key=params["key"]
        )
    if exc.reason == "json":
        return CaseFileError(
            N_("The case file is not valid JSON (line {line}, column {column}: {detail})."),
            line=params["line"],
            column=params["column"],
            detail=params["detail"],
        )
    if exc.reason == "depth":
        return CaseFileError(N_("The case file is nested too deeply."))
    if exc.reason == "size":
        return CaseFileError(
            N_("The case file is too large ({size} MB; at most {max} MB)."),
            size=params["size"] // (1024 * 1024),
            max=MAX_BYTES // (1024 * 1024),
        )
    return CaseFileError(
        N_("The case file was refused; nothing was imported. Problems found:"), problems=[exc]
    )


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
    version = doc.get("version")
    if isinstance(version, bool) or version not in VERSIONS:
        return [
            ValidationError(
                N_("Case file version {version} is not supported; this Declara reads versions 1 and 2."),
                field="$.version",
                version=version,
            )
        ]
    # What no record may hold (a lone surrogate, NUL, U+202E, a number out of range, a name of
    # many lines) is refused here, so that a file said to be valid imports.
    problems = text_problems(doc)
    if problems:
        return problems
    problems = schema_errors(doc) if version == 1 else _schema2_errors(doc)
    if problems:
        return problems
    problems = _cross_references(doc)
    if version == 2:
        from desktop.case.casedocs import document_problems

        problems.extend(document_problems(doc))
    return problems


def _schema2_errors(doc: dict[str, Any]) -> list[ValidationError]:
    """Version 2 against its own schema, each problem translated as version 1's are."""
    from desktop.case import model

    problems: list[ValidationError] = []
    for error in sorted(_validator2().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        problems.extend(model._convert(error, "$"))
    return problems


@lru_cache(maxsize=1)
def _validator2() -> Any:
    from jsonschema import Draft202012Validator

    from desktop.case import model

    with open(resource_path("schema", SCHEMA_2), encoding="utf-8") as fh:
        schema = json.load(fh)
    return Draft202012Validator(schema, format_checker=model._format_checker())


def _cross_references(doc: dict[str, Any]) -> list[ValidationError]:
    problems: list[ValidationError] = []
    seen: dict[str, str] = {}
    for collection in ("events", "allegations", "family", "foia_requests", "custody_events"):
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
    targets = {
        "allegation": (
            {a.get("id") for a in doc.get("allegations") or []},
            N_("The request points at the allegation “{id}”, which is not in this file."),
        ),
        "representative": (
            {f.get("id") for f in doc.get("family") or []},
            N_("The request names the family member “{id}”, who is not in this file."),
        ),
    }
    for i, foia in enumerate(doc.get("foia_requests") or []):
        for key in REQUEST_LINKS:
            ref = foia.get(key)
            known, message = targets[key]
            if ref and ref not in known:
                problems.append(ValidationError(message, field=f"$.foia_requests[{i}].{key}", id=ref))
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
    """Write a validated case file into the vault in one transaction; return the client's id.

    A version 2 file's documents are stored with their originals and revisions, read from the
    ZIP it came from (``doc.archive``, set by :func:`read_case_file`); without it they are refused.
    """
    archive = getattr(doc, "archive", None)
    problems = validate_case(doc)
    if problems:
        raise CaseFileError(
            N_("The case file was refused; nothing was imported. Problems found:"), problems=problems
        )
    # An older file's season codes ("2018-22") are stored as months (desktop.case.seasoncodes).
    doc = copy.deepcopy(dict(doc))
    documents = doc.pop("documents", None) or []
    if documents and archive is None:
        raise CaseFileError(
            N_("This case file names documents but is not the ZIP that holds them; nothing was imported.")
        )
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
    document_uuid: dict[str, str] = {}
    if documents:
        from desktop.case.casedocs import assign_document_ids, rewrite_sources

        document_uuid = assign_document_ids(documents)
        rewrite_sources(doc, document_uuid)
    local: dict[str, str] = {}  # file-local id -> the new record's id (what documents link to)
    with store.vault.transaction():
        record = store.create("client", client)
        cid = record.id
        event_uuid: dict[str, str] = {}
        for event in doc.get("events") or []:
            rec = store.create("event", _without(event, "id"), client_id=cid, ref=event["id"])
            event_uuid[event["id"]] = rec.id
        # A request names its allegation and family member by their ids: each kind has its own map,
        # so a rebuttal or a request with an allegation's id never stands in for it.
        linked: dict[str, dict[str, str]] = {"allegation": {}, "representative": {}}
        for allegation in doc.get("allegations") or []:
            rec = store.create(
                "allegation", _without(allegation, "id", "rebuttal"), client_id=cid, ref=allegation.get("id")
            )
            _remember(local, allegation, rec.id)
            _remember(linked["allegation"], allegation, rec.id)
            for item in allegation.get("rebuttal") or []:
                sub = store.create(
                    "rebuttal", _without(item, "id"), client_id=cid, parent_id=rec.id, ref=item.get("id")
                )
                _remember(local, item, sub.id)
        for member in doc.get("family") or []:
            rec = store.create("family_member", _without(member, "id"), client_id=cid, ref=member.get("id"))
            _remember(local, member, rec.id)
            _remember(linked["representative"], member, rec.id)
        for foia in doc.get("foia_requests") or []:
            data = _without(foia, "id")
            for key in REQUEST_LINKS:  # the allegation and family member named by their ids in the file
                if data.get(key):
                    data[key] = linked[key][data[key]]
            rec = store.create("foia_request", data, client_id=cid, ref=foia.get("id"))
            _remember(local, foia, rec.id)
        for item in doc.get("custody_events") or []:
            rec = store.create("custody_event", _without(item, "id"), client_id=cid, ref=item.get("id"))
            _remember(local, item, rec.id)
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
        if documents:
            from desktop.case.casedocs import import_documents

            import_documents(store, cid, documents, document_uuid, {**local, **event_uuid}, archive)
    return cid


def _remember(local: dict[str, str], item: dict[str, Any], record_id: str) -> None:
    if item.get("id"):
        local[item["id"]] = record_id


def import_case_file(store: CaseStore, path: Path, *, allow_duplicate: bool = False) -> str:
    return import_case(store, read_case_file(path), allow_duplicate=allow_duplicate)


# -- export ------------------------------------------------------------------------------------
def export_case(store: CaseStore, client_token: str, *, documents: bool | None = False) -> dict[str, Any]:
    """The case file of one client (by id or A-number).

    ``documents``: False writes version 1 (no documents); True writes version 2 with the client's
    documents (``documents[]``, event sources naming them by their file-local ids, FOIA requests
    and rebuttals with ids for the documents' links); None writes version 2 only when the client
    has documents. The bytes of a version 2 file's documents are written by
    :func:`desktop.case.casezip.write_case_zip`.
    """
    client = store.resolve_client(client_token)
    cid = client.id
    if documents is None:
        documents = bool(store.children(cid, "document"))
    local: dict[str, str] = {}  # record id -> file-local id, for the documents' links
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
        ref = rec.ref or f"ev-{short_id(rec.id)}"
        event_ref[rec.id] = local[rec.id] = ref
        events.append({"id": ref, **rec.data})
    doc["events"] = events

    allegations = []
    for rec in store.children(cid, "allegation"):
        item = {"id": rec.ref or f"al-{short_id(rec.id)}", **rec.data}
        local[rec.id] = item["id"]
        rebuttals = []
        for sub in store.children(cid, "rebuttal", rec.id):
            local[sub.id] = sub.ref or f"rb-{short_id(sub.id)}"
            rebuttals.append({"id": local[sub.id], **sub.data} if documents else sub.data)
        item["rebuttal"] = rebuttals
        allegations.append(item)
    doc["allegations"] = allegations

    family = []
    for rec in store.children(cid, "family_member"):
        member = {"id": rec.ref or f"fam-{short_id(rec.id)}", **rec.data}
        local[rec.id] = member["id"]
        if member.get("a_number"):
            member["a_number"] = format_a_number(member["a_number"])
        family.append(member)
    doc["family"] = family

    foia = []
    for rec in store.children(cid, "foia_request"):
        local[rec.id] = rec.ref or f"foia-{short_id(rec.id)}"
        data = dict(rec.data)
        for key in REQUEST_LINKS:  # record ids become the file's ids; a link to a deleted record goes
            if data.get(key):
                data[key] = local.get(data[key])
        foia.append({"id": local[rec.id], **data} if documents else data)
    doc["foia_requests"] = foia
    # Written when there is a custody record: a file without one (an older Declara's) reads back as it was.
    records = store.children(cid, "custody_event")
    custody = [{"id": rec.ref or f"cu-{short_id(rec.id)}", **rec.data} for rec in records]
    if custody:
        doc["custody_events"] = custody

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
    if documents:
        from desktop.case.casedocs import export_documents

        doc["version"] = 2
        doc["documents"] = export_documents(store, cid, doc, local)
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
