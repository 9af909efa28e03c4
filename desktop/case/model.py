"""The case model: record kinds, their fields and their validation.

Every record of a client lives in the vault's ``records`` table with a UUID, created/updated
timestamps, a revision counter, the device that last changed it and a tombstone flag. Its fields
(``data``) have the shape of the matching object of the case file format, without the child
collections, which are records of their own:

============== ======================== =============================================
kind           parent                   data (see resources/schema/declara-case-1)
============== ======================== =============================================
client         (itself)                 ``client`` object plus ``proceedings``
event          client                   ``events[]`` item without ``id``
allegation     client                   ``allegations[]`` item without ``id``, ``rebuttal``
rebuttal       allegation               ``allegations[].rebuttal[]`` item
family_member  client                   ``family[]`` item without ``id``
foia_request   client                   ``foia_requests[]`` item
visit          client                   ``visits[]`` item without ``answers``
answer         visit                    ``visits[].answers[]`` item
declaration    client                   ``declaration`` without ``paragraphs``
paragraph      declaration              ``paragraphs[]`` item; ``events`` holds event UUIDs
document       client                   ``document`` (an evidence file in the vault: the
                                        SHA-256 of its original and revisions; the bytes are
                                        blobs, desktop.evidence.blobs)
packet         client                   ``packet`` (a filing: its exhibits in order, the
                                        service, and what the last build made;
                                        desktop.filing)
custody_event  client                   ``custody_events[]`` item without ``id`` (the custody
                                        record: desktop.custody)
============== ======================== =============================================

A-numbers are stored as 9 digits; dates as EDTF strings, with their earliest and latest day in
``date_lo``/``date_hi`` for sorting. The JSON Schema is the single definition of the fields; this
module validates records against its ``$defs`` and turns schema errors into translated messages
that name the JSON path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, cache
from typing import Any

from desktop.case.names import name_problems, text_problems
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.paths import resource_path

SCHEMA_FILE = "declara-case-1.schema.json"

KINDS = (
    "client",
    "event",
    "allegation",
    "rebuttal",
    "family_member",
    "foia_request",
    "visit",
    "answer",
    "declaration",
    "paragraph",
    "document",
    "packet",
    "custody_event",
)

#: Child collections that are records of their own, per kind (never inside ``data``).
CHILD_KEYS = {
    "client": ("proceedings",),  # proceedings is validated on its own but stored in the client
    "event": ("id",),
    "allegation": ("id", "rebuttal"),
    "family_member": ("id",),
    "visit": ("answers",),
    "declaration": ("paragraphs",),
    "document": ("id",),  # a case file's document id is file-local; the record has its own
    "custody_event": ("id",),
}
PARENT_KIND = {"rebuttal": "allegation", "answer": "visit", "paragraph": "declaration"}
#: Which field of a kind carries the date used to sort it.
DATE_FIELD = {
    "event": "date",
    "allegation": "disclosed_on",
    "family_member": "date_of_birth",
    "foia_request": "sent_on",
    "visit": "date",
    "client": "date_of_birth",
    "document": "date",
    "custody_event": "date",
}
#: The longest words kept beside an event's date as said (``date_said.text``; longer text is not a
#: date phrase, see desktop.interview.phrases).
DATE_SAID_MAX = 200
#: Fields that hold A-numbers (stored as 9 digits).
A_NUMBER_FIELDS = {"client": ("a_number",), "family_member": ("a_number",)}

# Vocabularies (translated for display by the UI; values are the case file's).
VOCABULARIES: dict[str, dict[str, str]] = {
    "custody_status": {
        "detained": N_("Detained"),
        "released": N_("Released"),
        "removed": N_("Removed"),
        "unknown": N_("Unknown"),
    },
    "bond": {
        "not_requested": N_("Not requested"),
        "pending": N_("Pending"),
        "granted": N_("Granted"),
        "denied": N_("Denied"),
        "not_eligible": N_("Not eligible"),
        "paroled": N_("Paroled"),
    },
    "relief": {
        "asylum": N_("Asylum"),
        "withholding": N_("Withholding of removal"),
        "cat": N_("Convention Against Torture"),
        "bond": N_("Bond"),
        "parole": N_("Parole"),
        "other": N_("Other"),
    },
    "event_category": {
        "background": N_("Background"),
        "persecution": N_("Persecution"),
        "flight": N_("Flight"),
        "border": N_("Border"),
        "detention": N_("Detention"),
        "separation": N_("Separation"),
        "allegation": N_("Allegation"),
        "legal": N_("Legal"),
        "other": N_("Other"),
    },
    "event_status": {
        "client_account": N_("Client's account"),
        "documented": N_("Documented"),
        "government_allegation": N_("Government allegation"),
        "disputed": N_("Disputed"),
    },
    "allegation_kind": {
        "gang_affiliation": N_("Gang affiliation"),
        "criminal_history": N_("Criminal history"),
        "other": N_("Other"),
    },
    "allegation_status": {
        "unresolved": N_("Unresolved"),
        "contested": N_("Contested"),
        "withdrawn": N_("Withdrawn"),
        "sustained": N_("Sustained"),
    },
    "source_program": {
        "cbp_processing": N_("CBP processing"),
        "ice": N_("ICE"),
        "safe": N_("SAFE task force"),
        "joint_border_intelligence_group": N_("Joint Border Intelligence Group (GCIF)"),
        "criminal_history_sharing": N_("Criminal-history sharing"),
        "biometric_sharing": N_("Biometric sharing agreement"),
        "interpol": N_("INTERPOL"),
        "state_gang_database": N_("U.S. state gang database"),
        "foreign_police": N_("Foreign police"),
        "unknown": N_("Unknown"),
        "other": N_("Other"),
    },
    "rebuttal_kind": {
        "clearance_certificate": N_("Clearance certificate"),
        "witness_declaration": N_("Witness declaration"),
        "court_record": N_("Court record"),
        "expert_report": N_("Expert report"),
        "foia_response": N_("FOIA response"),
        "other": N_("Other"),
    },
    "rebuttal_status": {
        "planned": N_("Planned"),
        "requested": N_("Requested"),
        "obtained": N_("Obtained"),
        "filed": N_("Filed"),
    },
    "relationship": {
        "child": N_("Child"),
        "parent": N_("Parent"),
        "spouse": N_("Spouse"),
        "partner": N_("Partner"),
        "sibling": N_("Sibling"),
        "other": N_("Other"),
    },
    "foia_status": {
        "draft": N_("Draft"),
        "pending": N_("Pending"),
        "received": N_("Received"),
        "appealed": N_("Appealed"),
        "closed": N_("Closed"),
    },
    # Expedited processing of a FOIA request (5 U.S.C. § 552(a)(6)(E)).
    "foia_expedited": {
        "requested": N_("Expedited processing requested"),
        "granted": N_("Expedited processing granted"),
        "denied": N_("Expedited processing denied"),
    },
    "visit_mode": {"in_person": N_("In person"), "video": N_("Video"), "phone": N_("Phone")},
    "document_kind": {
        "i213": N_("Form I-213"),
        "nta": N_("Notice to Appear (NTA)"),
        "credible_fear": N_("Credible-fear record"),
        "foia_response": N_("FOIA response"),
        "police_clearance": N_("Police clearance"),
        "court_record": N_("Court record"),
        "identity_document": N_("Identity document"),
        "birth_certificate": N_("Birth certificate"),
        "medical_record": N_("Medical record"),
        "photo": N_("Photo"),
        "letter_of_support": N_("Letter of support"),
        "country_conditions": N_("Country-conditions report"),
        "translation": N_("Translation"),
        "other": N_("Other"),
    },
    # What made each revision of a document (``revisions[].made``).
    "document_revision": {
        "import": N_("As imported"),
        "repaired": N_("Repaired"),
        "orientation": N_("Turned upright"),
        "location_removed": N_("Location removed"),
        "rotate": N_("Pages rotated"),
        "rearrange": N_("Pages rearranged or removed"),
        "revert": N_("Earlier revision restored"),
    },
}

# The custody record (desktop.custody): what happened, under which authority, with what outcome.
VOCABULARIES["custody_event_kind"] = {
    "apprehension": N_("Apprehension"),
    "detention": N_("Detention"),
    "transfer": N_("Transfer"),
    "authority": N_("Detention authority claimed"),
    "custody_review": N_("Custody review"),
    "parole_request": N_("Parole request"),
    "parole_decision": N_("Parole decision"),
    "bond_hearing": N_("Bond hearing"),
    "release": N_("Release"),
    "appearance": N_("Appearance (a hearing or check-in attended)"),
    "medical": N_("Medical or humanitarian fact"),
    "other": N_("Other"),
}
VOCABULARIES["detention_authority"] = {
    "235b1": N_("INA § 235(b)(1): expedited removal"),
    "235b2A": N_("INA § 235(b)(2)(A): applicant for admission"),
    "236a": N_("INA § 236(a): discretionary detention"),
    "236c": N_("INA § 236(c): mandatory detention"),
    "241a": N_("INA § 241(a): after a removal order"),
    "unknown": N_("Not known"),
}
VOCABULARIES["custody_outcome"] = {
    "pending": N_("Pending"),
    "granted": N_("Granted"),
    "denied": N_("Denied"),
    "withdrawn": N_("Withdrawn"),
    "no_jurisdiction": N_("No jurisdiction (no bond hearing)"),
    "continued": N_("Continued"),
}
VOCABULARIES["us_status"] = {
    "citizen": N_("U.S. citizen"),
    "permanent_resident": N_("Permanent resident"),
    "asylee_refugee": N_("Asylee or refugee"),
    "tps": N_("Temporary Protected Status"),
    "pending_application": N_("Application pending"),
    "other": N_("Other"),
    "unknown": N_("Not known"),
}

# The client's gender (free text before it was a choice: other values are shown as typed).
VOCABULARIES["gender"] = {
    "male": N_("Male"),
    "female": N_("Female"),
    "non_binary": N_("Non-binary"),
    "not_recorded": N_("Not recorded"),
}

# -- the relief a declaration supports ------------------------------------------------------------
#: What a declaration can be "in support of" (its ``relief``): keys of the ``relief`` vocabulary,
#: each with the words said after "in support of" in its title, in the document's language. Bond,
#: parole and "other" have none: a declaration for them says its purpose in ``in_support_of``.
DECLARATION_RELIEF: dict[str, str] = {
    # Translators: what a declaration supports, inside "Declaration of NAME in support of …".
    "asylum": N_("asylum"),
    # Translators: what a declaration supports, inside "Declaration of NAME in support of …".
    "withholding": N_("withholding of removal"),
    # Translators: what a declaration supports, inside "Declaration of NAME in support of …".
    "cat": N_("protection under the Convention Against Torture"),
}
# Translators: joins the last two purposes: "asylum, withholding of removal and protection …".
PURPOSE_AND = N_("{first} and {last}")
# The declaration editor's choices: those keys, labelled as in the relief vocabulary.
VOCABULARIES["declaration_relief"] = {key: VOCABULARIES["relief"][key] for key in DECLARATION_RELIEF}


def purpose_phrase(relief: Iterable[str], other: str | None = None, t: Callable[[str], str] = str) -> str:
    """What follows "in support of": the words of each ``relief`` key, then ``other`` as typed,
    joined "a, b and c" by ``t`` (a gettext function of the document's language; English when
    not given). "" when there is neither."""
    items = [t(DECLARATION_RELIEF[key]) for key in relief]
    typed = " ".join((other or "").split())
    if typed:
        items.append(typed)
    if len(items) < 2:
        return "".join(items)
    return t(PURPOSE_AND).format(first=", ".join(items[:-1]), last=items[-1])


def relief_in_phrase(text: str | None) -> list[str] | None:
    """The relief keys an English purpose names, in its order ("asylum and withholding of removal"
    -> ``["asylum", "withholding"]``); None unless each of its items (split on commas and the last
    " and ", in any case) is words of :data:`DECLARATION_RELIEF`. This is how case files before
    ``relief``, and the versions signed then, say what a declaration supports."""
    value = " ".join((text or "").split())
    if not value:
        return None
    head, sep, last = value.rpartition(" and ")
    items = [item.strip() for item in head.split(",")] + [last.strip()] if sep else [value]
    keys = {words.lower(): key for key, words in DECLARATION_RELIEF.items()}
    if not all(item.lower() in keys for item in items):
        return None
    return [keys[item.lower()] for item in items]


def upgrade_relief(declaration: dict[str, Any]) -> None:
    """Store a declaration's relief as keys, in place, when its fields have the older shape.

    The older shape has no ``relief`` and says the purpose as an English phrase in
    ``in_support_of`` ("asylum, withholding of removal and protection under the Convention Against
    Torture"). A phrase that only names relief of :data:`DECLARATION_RELIEF`, each once, becomes
    ``relief`` (``in_support_of`` null); any other text stays in ``in_support_of`` as typed, beside
    an empty ``relief``. A signed version is left as it is: its fields are sworn and covered by its
    SHA-256 (desktop.drafting.declarations.canonical_text), so it keeps the words it was signed with.
    """
    if "relief" in declaration or declaration.get("status") == "signed":
        return
    keys = relief_in_phrase(declaration.get("in_support_of"))
    if keys is not None and len(set(keys)) == len(keys):
        declaration["relief"] = keys
        declaration["in_support_of"] = None
    else:
        declaration["relief"] = []


@dataclass
class Record:
    id: str
    kind: str
    client_id: str
    parent_id: str | None
    position: int
    ref: str | None
    data: dict[str, Any]
    rev: int
    created_at: str
    updated_at: str
    origin: str
    deleted: bool = False
    date_lo: str | None = None
    date_hi: str | None = None
    children: dict[str, list[Record]] = field(default_factory=dict)

    def get(self, path: str, default: Any = None) -> Any:
        """Value at a dotted path ('custody.status'), or ``default``."""
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node


# -- schema ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def case_schema() -> dict[str, Any]:
    with open(resource_path("schema", SCHEMA_FILE), encoding="utf-8") as fh:
        return json.load(fh)


_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$")


def _is_edtf(value: object) -> bool:
    from desktop.case.dates import is_valid_edtf

    return not isinstance(value, str) or is_valid_edtf(value)


def _is_a_number(value: object) -> bool:
    from desktop.case.anumber import is_a_number

    return not isinstance(value, str) or is_a_number(value)


def _is_local_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _LOCAL_DATETIME.match(value):
        return False
    from datetime import datetime

    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


#: The schema's own formats; every other format name is not asserted (as Draft 2020-12 says).
FORMATS = {"edtf": _is_edtf, "a-number": _is_a_number, "local-datetime": _is_local_datetime}


def _format_checker() -> Any:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return checker


@cache
def validator(ref: str = "") -> Any:
    """A Draft 2020-12 validator for the whole file ('') or one ``$defs`` entry."""
    from jsonschema import Draft202012Validator

    schema = case_schema()
    if ref:
        schema = {"$ref": f"#/$defs/{ref}", "$defs": schema["$defs"]}
    return Draft202012Validator(schema, format_checker=_format_checker())


def json_path(parts: Iterable[Any], base: str = "$") -> str:
    out = base
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


_TYPE_NAMES = {
    "string": N_("text"),
    "object": N_("an object"),
    "array": N_("a list"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "null": N_("null"),
}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", dict: "object", list: "array"}.get(type(value), "string")


@cache
def fast_validator(ref: str = "") -> Any:
    """The same schema compiled to Python by fastjsonschema: a yes/no answer, 10-40x faster than
    ``jsonschema`` on valid records (a sync file of 600,000 records spent most of its time there).

    It is only trusted to say *valid*: when it says no, ``jsonschema`` is asked for the translated
    errors, and decides. Its keywords (type, enum, const, pattern, required, properties,
    additionalProperties, patternProperties, anyOf, minLength, minimum, maximum, uniqueItems and a
    local ``$ref`` with no sibling assertion) mean the same in draft 7, which it compiles, as in
    2020-12; tests/desktop/test_model_fast.py compares both on generated and mutated records.
    """
    import fastjsonschema

    schema = case_schema()
    defs = schema["$defs"]
    if ref:
        body: dict[str, Any] = {"$ref": f"#/$defs/{ref}"}
    else:
        body = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
    return fastjsonschema.compile(
        {**body, "$defs": defs}, formats=FORMATS, use_default=False
    )


def schema_errors(instance: Any, ref: str = "", base: str = "$") -> list[ValidationError]:
    """Validate ``instance`` and return one translated ValidationError per problem."""
    from fastjsonschema import JsonSchemaException

    try:
        fast_validator(ref)(instance)
    except JsonSchemaException:
        pass  # jsonschema decides, and says why
    else:
        return []
    problems: list[ValidationError] = []
    errors = sorted(validator(ref).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        problems.extend(_convert(error, base))
    return problems


def _convert(error: Any, base: str) -> list[ValidationError]:
    from desktop.case.anumber import parse_a_number
    from desktop.case.dates import parse_edtf

    path = json_path(error.absolute_path, base)
    kind = error.validator
    value = error.instance
    if kind == "anyOf" or kind == "oneOf":
        # 'object or null': report what is wrong with the object, not the whole alternative.
        inner = [e for e in (error.context or []) if e.validator != "type" or e.validator_value != "null"]
        if inner:
            out: list[ValidationError] = []
            for sub in inner:
                out.extend(_convert(sub, base))
            return out
    if kind == "required":
        missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
        return [ValidationError(N_("The key “{key}” is missing."), field=path, key=k) for k in missing]
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
        extra = [k for k in value if k not in allowed and not any(p.search(k) for p in patterns)]
        return [
            ValidationError(N_("Unknown key “{key}”."), field=json_path([k], path), key=k) for k in extra
        ] or [ValidationError(N_("Unknown key."), field=path)]
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        from desktop.i18n import _

        names = " / ".join(_(_TYPE_NAMES.get(t, t)) for t in expected if t != "null")
        return [
            ValidationError(
                N_("Expected {expected}, found {found}."),
                field=path,
                expected=names,
                found=_(_TYPE_NAMES[_type_name(value)]),
            )
        ]
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value if v is not None)
        return [
            ValidationError(
                N_("“{value}” is not allowed here. Allowed values: {allowed}."),
                field=path,
                value=value,
                allowed=allowed,
            )
        ]
    if kind == "const":
        return [
            ValidationError(
                N_("Expected “{expected}”, found “{value}”."),
                field=path,
                expected=error.validator_value,
                value=value,
            )
        ]
    if kind == "format":
        fmt = error.validator_value
        try:
            if fmt == "edtf":
                parse_edtf(value, field=path)
            elif fmt == "a-number":
                parse_a_number(value, field=path)
        except ValidationError as exc:
            return [exc]
        if fmt == "local-datetime":
            return [
                ValidationError(
                    N_("“{value}” is not a date and time like 2024-05-14T09:05."), field=path, value=value
                )
            ]
        return [ValidationError(N_("“{value}” is not valid here."), field=path, value=value)]
    if kind == "pattern":
        last = str(error.absolute_path[-1]) if error.absolute_path else ""
        parent = str(error.absolute_path[-2]) if len(error.absolute_path) > 1 else ""
        if last == "country" or last == "country_of_birth" or parent == "nationalities":
            msg = N_("“{value}” is not a two-letter country code (ISO 3166-1, for example SV).")
        elif last == "language" or parent == "languages" or last in ("drafted_in", "declarant_language"):
            msg = N_("“{value}” is not a language code (BCP 47, for example es, en, quc).")
        elif last == "id" or parent == "events":
            msg = N_("“{value}” is not a valid id (letters, digits, '-', '_', '.', ':').")
        elif parent == "sources":
            msg = N_("“{value}” is not a source. Use interview, document:NAME, exhibit:LABEL or paragraph:N.")
        else:
            msg = N_("“{value}” is not in the expected form.")
        return [ValidationError(msg, field=path, value=value)]
    if kind == "minLength":
        return [ValidationError(N_("This must not be empty."), field=path)]
    if kind == "maxLength":
        return [
            ValidationError(
                N_("This is too long ({length} characters; at most {limit})."),
                field=path,
                length=len(value) if isinstance(value, str) else 0,
                limit=error.validator_value,
            )
        ]
    if kind in ("minimum", "maximum", "maxItems"):
        msgid = {
            "minimum": N_("This must be at least {limit}."),
            "maximum": N_("This must be at most {limit}."),
            "maxItems": N_("This list is too long (at most {limit} items)."),
        }[kind]
        return [ValidationError(msgid, field=path, limit=error.validator_value)]
    if kind == "minItems":
        return [ValidationError(N_("This list must not be empty."), field=path)]
    if kind == "minProperties":
        return [ValidationError(N_("Give the text in at least one language."), field=path)]
    if kind == "uniqueItems":
        return [ValidationError(N_("A value appears more than once."), field=path)]
    return [ValidationError(N_("This value is not valid here."), field=path)]


def validate_record(
    kind: str,
    data: dict[str, Any],
    base: str = "$",
    *,
    texts_checked: bool = False,
    previous: dict[str, Any] | None = None,
) -> list[ValidationError]:
    """Validate the fields of one record of ``kind`` (as stored: without child collections).
    ``texts_checked``: ``data`` was parsed by desktop.limits.load_json (only the names' rule is
    left to check, not every text again). ``previous``: the record's stored fields; the text rules
    then apply to the fields that change only, so a record stored before the rules existed (a
    longer name, a control character) stays editable."""
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    if not isinstance(data, dict):
        return [
            ValidationError(
                N_("Expected {expected}, found {found}."),
                field=base,
                expected="object",
                found=_type_name(data),
            )
        ]
    # Control characters, text-direction overrides, numbers out of range, long names.
    subject = data if previous is None else {k: v for k, v in data.items() if previous.get(k, data) != v}
    refused = name_problems(subject, base) if texts_checked else text_problems(subject, base)
    if refused:
        return refused
    if kind == "client":
        own = {k: v for k, v in data.items() if k != "proceedings"}
        problems = schema_errors(own, "client", base)
        if "proceedings" in data:
            problems += schema_errors(data["proceedings"], "proceedings", f"{base}.proceedings")
        return problems
    forbidden = [k for k in CHILD_KEYS.get(kind, ()) if k in data]
    problems = [
        ValidationError(N_("Unknown key “{key}”."), field=json_path([k], base), key=k) for k in forbidden
    ]
    schema_kind = kind
    if kind == "event":
        data = {**data, "id": "x"}  # the id lives in the record, not in its fields
    problems += schema_errors(data, schema_kind, base)
    if kind == "document" and not problems:
        problems += _document_problems(data, base)
    return problems


def _document_problems(data: dict[str, Any], base: str) -> list[ValidationError]:
    """What the schema cannot say of a document: ``current`` names one of its revisions."""
    current, revisions = data["current"], data["revisions"]
    if current >= len(revisions):
        return [
            ValidationError(
                N_("There is no revision {index}; this document has {count}."),
                field=json_path(["current"], base),
                index=current,
                count=len(revisions),
            )
        ]
    return []
